"""Scaling benchmark: the whole pipeline on realistic corpora of growing size, with 1 and 2 workers,
on SQLite and PostgreSQL. Writes the table to docs/performance.md.

    python3 bench/scale.py --sizes 1000 10000 100000 --workers 1 2 --backends sqlite postgresql

Each configuration runs in a fresh process (so that peak memory is its own). The corpus comes from
`protestwatch corpus`: dev articles (mostly not about protests), protest reports with varied places,
dates and outlets, and 10 % syndicated near-copies. PostgreSQL needs PROTESTWATCH_TEST_POSTGRES (an admin
URL; `eval "$(bash scripts/start-postgres.sh)"` sets it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdocs  # noqa: E402 - beside this script


def run_one(corpus: str, db: str, workers: int) -> dict:
    """Runs in a child process: one pipeline run, its figures as JSON on stdout."""
    import resource
    import time

    from protestwatch.run import run_pipeline
    from protestwatch.store import open_store

    engine = open_store(db)
    cluster = client = None
    scheduler = None
    if workers > 1:
        from distributed import Client

        from protestwatch.run import local_cluster

        cluster = local_cluster(workers)  # the cluster `run --workers N` starts
        client = Client(cluster)
        scheduler = cluster.scheduler_address
    started = time.perf_counter()
    summary = run_pipeline([corpus], engine, scheduler=scheduler)
    seconds = time.perf_counter() - started
    main_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = main_mb
    if client is not None:
        peaks = client.run(lambda: __import__("resource").getrusage(__import__("resource").RUSAGE_SELF).ru_maxrss / 1024)
        worker_mb = max(peaks.values())
        client.close()
        cluster.close()
    return {"documents": summary.documents_new, "parsed": summary.documents_parsed, "events": summary.events,
            "seconds": seconds, "merge_seconds": summary.merge_seconds, "main_mb": main_mb, "worker_mb": worker_mb,
            "failures": len(summary.failures)}


def _database(backend: str, tmp: Path) -> tuple[str, callable]:
    if backend == "sqlite":
        return str(tmp / f"{uuid.uuid4().hex}.db"), lambda: None
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = os.environ.get("PROTESTWATCH_TEST_POSTGRES")
    if not admin:
        raise SystemExit("PostgreSQL: set PROTESTWATCH_TEST_POSTGRES (eval \"$(bash scripts/start-postgres.sh)\")")
    name = f"pw_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return make_url(admin).set(database=name).render_as_string(hide_password=False), drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--dev", type=Path, default=REPO.parent / "shared" / "eval" / "dev")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "performance.md")
    parser.add_argument("--child", nargs=3, metavar=("CORPUS", "DB", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child[0], args.child[1], int(args.child[2]))))
        return 0

    from protestwatch.eval.corpus import write_corpus

    commit = benchdocs.commit()
    rows = []
    with tempfile.TemporaryDirectory(prefix="protestwatch-scale-") as tmp_name:
        tmp = Path(tmp_name)
        for size in args.sizes:
            corpus = tmp / f"corpus-{size}.jsonl"
            write_corpus(corpus, size, args.dev, [REPO.parent / "shared" / "examples", REPO / "examples"])
            for backend in args.backends:
                for workers in args.workers:
                    db, drop = _database(backend, tmp)
                    output = subprocess.run([sys.executable, __file__, "--child", str(corpus), db, str(workers)],
                                            check=True, capture_output=True, text=True).stdout
                    figures = json.loads(output.strip().splitlines()[-1])
                    drop()
                    rows.append({"size": size, "backend": backend, "workers": workers, "commit": commit, **figures})
                    print(rows[-1], file=sys.stderr)
    # rows of earlier runs (other sizes or configurations) are kept; a configuration run again replaces its row
    results = args.out.with_name("performance-scale.json")
    previous = json.loads(results.read_text()) if results.exists() else []
    measured = {(r["size"], r["backend"], r["workers"]) for r in rows}
    rows = sorted([r for r in previous if (r["size"], r["backend"], r["workers"]) not in measured] + rows,
                  key=lambda r: (r["size"], r["backend"], r["workers"]))
    results.write_text(json.dumps(rows, indent=1) + "\n")
    lines = [
        "| documents | backend | workers | docs/s | ms/doc | parsed | events | merge s | peak MB/worker | peak MB main "
        "| commit |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(f"| {r['size']} | {r['backend']} | {r['workers']} | {r['documents'] / r['seconds']:.1f} | "
                     f"{1000 * r['seconds'] / r['documents']:.1f} | {r['parsed']} | {r['events']} | "
                     f"{r['merge_seconds']:.1f} | {r['worker_mb']:.0f} | {r['main_mb']:.0f} | {r.get('commit', 'older')} |")
    section = f"""## Scaling (`bench/scale.py`)

Regenerate with `python3 bench/scale.py --sizes 1000 10000 100000 --workers 1 2 --backends sqlite postgresql`
(or a subset: rows of other configurations are kept from `docs/performance-scale.json`). Machine: {platform.machine()}, {os.cpu_count()} cores, Python
{platform.python_version()}. Realistic mix from `protestwatch corpus` (dev articles, protest reports,
10 % syndicated copies). Time is end to end: reading, gating, parsing, extraction, storing, merging.
`commit` is the code each row was measured with; rows from different commits are not strictly comparable.

{chr(10).join(lines)}
"""
    existing = args.out.read_text() if args.out.exists() else "# Performance\n"
    head, _, rest = existing.partition("## Scaling")
    # sections written by hand after the table (## ...) are kept
    tail = rest[rest.index("\n## "):] if "\n## " in rest else ""
    args.out.write_text(head.rstrip() + "\n\n" + section + tail)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
