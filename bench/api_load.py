"""Load on the review API over loopback: `protestwatch serve` on a coded database, a number of clients at
once, each a mix of list requests with filters, event details, histories and corrections (PATCH).
Reports requests per second, latency percentiles and errors, then checks that every accepted
correction is in its event's history and that each event shows the last one. Writes its part of
docs/performance.md (between its markers) and keeps the rest of the page.

    python3 bench/api_load.py [--events 2000] [--clients 16] [--seconds 20] [--workers CORES] [--out docs/performance.md]

Issue #18's targets (2-core machine, 16 clients, 2,000 events): >= 200 requests/s, p99 < 300 ms,
0 errors, 0 lost writes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdocs  # noqa: E402 - beside this script

BEGIN = "<!-- api-load: written by bench/api_load.py -->"
END = "<!-- /api-load -->"
FILTERS = [{}, {"type": "protest"}, {"type": "detention"}, {"family": "repression"}, {"country": "KZ"},
           {"place": "Almaty"}, {"q": "police"}, {"sort": "-confidence"}, {"date_from": "2020-01-01"},
           {"bbox": "60,35,90,55"}, {"status": "pending"}]


def coded_database(path: Path, events: int) -> int:
    """Code the synthetic mix of bench/throughput.py until the database holds at least `events` events."""
    from throughput import build_corpus

    from protestwatch.run import run_pipeline
    from protestwatch.store import open_store

    engine = open_store(str(path))
    documents, total = max(200, events), 0
    while total < events:
        corpus = path.with_suffix(".jsonl")
        corpus.write_text("\n".join(json.dumps(d) for d in build_corpus(documents, seed=documents)) + "\n")
        total = run_pipeline([corpus], engine).events
        documents *= 2
    engine.dispose()
    return total


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(db: Path, port: int, workers: int) -> subprocess.Popen:
    import httpx

    server = subprocess.Popen([sys.executable, "-m", "protestwatch", "serve", "--db", str(db), "--port", str(port),
                               "--workers", str(workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/events?limit=1", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


class Client(threading.Thread):
    def __init__(self, number: int, base: str, token: str, ids: list[str], deadline: float, view: str = "full"):
        super().__init__(daemon=True)
        self.view = view
        self.rng = random.Random(number)
        self.number, self.base, self.token, self.ids, self.deadline = number, base, token, ids, deadline
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.writes: list[tuple[str, int]] = []  # (event id, the participants count written)

    def run(self) -> None:
        import httpx

        sequence = 0
        with httpx.Client(base_url=self.base, timeout=30) as http:
            while time.perf_counter() < self.deadline:
                roll, event_id = self.rng.random(), self.rng.choice(self.ids)
                started = time.perf_counter()
                try:
                    if roll < 0.5:
                        response = http.get("/api/events", params={**self.rng.choice(FILTERS), "limit": 50,
                                                                  "view": self.view})
                    elif roll < 0.75:
                        response = http.get(f"/api/events/{event_id}")
                    elif roll < 0.85:
                        response = http.get(f"/api/events/{event_id}/history")
                    else:
                        sequence += 1
                        written = self.number * 1_000_000 + sequence  # unique across clients
                        response = http.patch(f"/api/events/{event_id}",
                                              json={"participants": {"min": written, "max": written}},
                                              headers={"Authorization": f"Bearer {self.token}"})
                        if response.status_code == 200:
                            self.writes.append((event_id, written))
                except httpx.HTTPError as error:
                    self.errors.append(type(error).__name__)
                    continue
                self.latencies.append(time.perf_counter() - started)
                if response.status_code >= 400:
                    self.errors.append(str(response.status_code))


def _round(base: str, token: str, ids: list[str], args, view: str) -> tuple[list[Client], float]:
    deadline = time.perf_counter() + args.seconds
    clients = [Client(n + (100 if view == "summary" else 0), base, token, ids, deadline, view)
               for n in range(args.clients)]
    started = time.perf_counter()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    return clients, time.perf_counter() - started


def _figures(clients: list[Client], seconds: float) -> dict:
    latencies = sorted(x for c in clients for x in c.latencies)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"rate": len(latencies) / seconds, "p50": 1000 * cuts[49], "p95": 1000 * cuts[94], "p99": 1000 * cuts[98],
            "errors": [e for c in clients for e in c.errors], "requests": len(latencies),
            "writes": sum(len(c.writes) for c in clients)}


def lost_writes(base: str, writes: list[tuple[str, int]]) -> int:
    """Accepted corrections missing from their event's history, plus events not showing their last one."""
    import httpx

    by_event: dict[str, set[int]] = {}
    for event_id, written in writes:
        by_event.setdefault(event_id, set()).add(written)
    lost = 0
    with httpx.Client(base_url=base, timeout=30) as http:
        for event_id, values in by_event.items():
            history = [h["new"]["min"] for h in http.get(f"/api/events/{event_id}/history").json()
                       if h["field"] == "participants" and h["new"]]
            lost += len(values - set(history))
            shown = (http.get(f"/api/events/{event_id}").json().get("participants") or {}).get("min")
            lost += bool(history) and shown != history[-1]
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server processes (serve --workers)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "performance.md")
    args = parser.parse_args()

    from protestwatch.review.users import add_user
    from protestwatch.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        events = coded_database(db, args.events)
        engine = open_store(str(db))
        token = add_user(engine, "load-bench")
        engine.dispose()
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _serve(db, port, args.workers)
        try:
            import httpx

            ids = [e["id"] for e in httpx.get(f"{base}/api/events", params={"limit": 500}).json()["items"]]
            # two rounds on one server: lists of whole records, then lists as the review page asks for them
            rounds = {view: _round(base, token, ids, args, view) for view in ("full", "summary")}
            lost = lost_writes(base, [w for clients, _ in rounds.values() for c in clients for w in c.writes])
        finally:
            server.terminate()
            server.wait(timeout=30)
    full, summary = (_figures(*rounds[view]) for view in ("full", "summary"))
    errors = full["errors"] + summary["errors"]
    commit = benchdocs.commit()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    block = f"""{BEGIN}
## The review API under load (`python3 bench/api_load.py`)

`protestwatch serve --workers {args.workers}` (uvicorn, SQLite file) on loopback, {events} events coded from the
synthetic mix, {args.clients} clients for {args.seconds:.0f} s, each request one of: a list of 50 with a filter (half),
an event, its history, a correction (PATCH, 15 %). Two rounds on the same server: lists of whole records
(the API's default), then lists as the review page asks for them (`view=summary`: type, date, place,
counts, review status; the page reads a selected event whole). Commit {commit}, {machine}.

| measure | lists of whole records | lists of summaries | target (issue #18) |
| --- | --- | --- | --- |
| requests per second | {full["rate"]:.0f} | {summary["rate"]:.0f} | >= 200 |
| latency p50 / p95 / p99 | {full["p50"]:.0f} / {full["p95"]:.0f} / {full["p99"]:.0f} ms | {summary["p50"]:.0f} / {summary["p95"]:.0f} / {summary["p99"]:.0f} ms | p99 < 300 ms |
| errors | {len(full["errors"])} of {full["requests"] + len(full["errors"])} | {len(summary["errors"])} of {summary["requests"] + len(summary["errors"])} | 0 |
| corrections accepted | {full["writes"]} | {summary["writes"]} | |
| corrections lost (both rounds) | {lost} | | 0 |
{END}
"""
    existing = args.out.read_text() if args.out.exists() else "# Performance\n"
    if parts := benchdocs.marked_part(existing, BEGIN, END):
        args.out.write_text(parts[0] + block.rstrip("\n") + parts[1])
    else:
        marker = "## Political violence"
        where = existing.index(marker) if marker in existing else len(existing)
        args.out.write_text(existing[:where] + block + "\n" + existing[where:])
    print(block)
    if errors:
        print("errors:", sorted(set(errors)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
