"""Throughput of the whole pipeline (read, gate, parse, extract, store, merge) on real and synthetic news.

Real: the GLOCON development documents and the English development articles (../shared/eval/dev/).
Synthetic: the example reports with varied places, dates and outlets, mixed with non-event reports as
real feeds are. Single process; also the start-up of `protestwatch run` on one small report. Writes the
top part of docs/performance.md (between its throughput markers) and keeps the rest of the page.

    python3 bench/throughput.py [--documents 1000] [--real-documents N] [--out docs/performance.md]

With --language en|ru it measures instead on the real dev articles of that language (repeated up to
--documents, each copy its own document), prints documents and words per second, and writes nothing:
the two languages' figures side by side show what the Russian pipeline costs against the English one.

    python3 bench/throughput.py --language ru --documents 200
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdocs  # noqa: E402 - beside this script

EXAMPLES = [REPO.parent / "shared" / "examples", REPO / "examples"]
CITIES = ["Almaty", "Astana", "Bishkek", "Osh", "Tashkent", "Dushanbe", "Minsk", "Tbilisi", "Yerevan", "Baku",
          "Moscow", "Khabarovsk", "Kyiv", "Karaganda", "Shymkent", "Aktobe", "Batumi", "Gomel", "Brest", "Grodno"]
OUTLETS = ["Steppe Wire", "Central Asia Dispatch", "Baltic Monitor", "Caucasus Ledger", "Daily Courier"]
REAL_SOURCES = [REPO.parent / "shared" / "eval" / "dev" / "glocon_document_Sabinet.jsonl",
                REPO.parent / "shared" / "eval" / "dev" / "articles" / "en" / "articles.jsonl"]
BEGIN = "<!-- throughput: written by bench/throughput.py -->"
END = "<!-- /throughput -->"
FILLER = [
    "The central bank kept its key rate unchanged on {day}, citing slowing inflation in {city}.",
    "Temperatures in {city} reached 18 degrees on {day}, the warmest start to spring in a decade.",
    "The football club from {city} won its third match in a row on {day} before a crowd of fans.",
    "A new bridge over the river in {city} opened to traffic on {day}, officials said.",
]


def source_texts() -> list[str]:
    texts = []
    for folder in EXAMPLES:
        for path in sorted(folder.glob("*.txt")):
            texts.append(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.jsonl")):
            texts.extend(json.loads(line)["text"] for line in path.read_text().splitlines() if line.strip())
    return texts


def build_corpus(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    reports = source_texts()
    known = ["Almaty", "Astana", "Bishkek", "Minsk", "Tbilisi"]
    corpus = []
    for i in range(n):
        published = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 1500))
        city = rng.choice(CITIES)
        if rng.random() < 0.5:  # about half of a real feed reports no event
            text = " ".join(rng.choice(FILLER).format(city=city, day=published.strftime("%A")) for _ in range(6))
        else:
            text = rng.choice(reports)
            for name in known:
                text = text.replace(name, rng.choice(CITIES))
        corpus.append({"id": f"bench-{i:07d}", "text": text, "source": rng.choice(OUTLETS),
                       "published": published.isoformat()})
    return corpus


def real_corpus(n: int | None, seed: int = 11) -> list[dict]:
    """Real news: the GLOCON development documents (about 300 words each, about one in ten on a protest) and
    the English development articles, shuffled; repeated with a copy mark when more are asked for."""
    articles = []
    for path in REAL_SOURCES:
        articles += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    random.Random(seed).shuffle(articles)
    n = n or len(articles)
    return [{"id": f"real-{i:06d}", "text": articles[i % len(articles)]["text"]
             + (f"\n\n[copy {i // len(articles)}]" if i >= len(articles) else ""), "language": "en",
             **{k: articles[i % len(articles)][k] for k in ("published", "title") if articles[i % len(articles)].get(k)}}
            for i in range(n)]


def measure(corpus: list[dict]) -> dict:
    """End to end through run_pipeline, then the stages one by one on the same documents."""
    from protestwatch.extract.mentions import extract_mentions
    from protestwatch.extract.places import default_gazetteer
    from protestwatch.gate.decide import focused_text, may_report_event
    from protestwatch.nlp import load_model
    from protestwatch.run import RunSummary, iter_documents, run_pipeline
    from protestwatch.store import open_store

    nlp, gazetteer = load_model("en"), default_gazetteer()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in corpus) + "\n", encoding="utf-8")
        started = time.perf_counter()
        summary = run_pipeline([path], open_store(str(Path(tmp) / "bench.db")))
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the run's, before the stage pass
        stages: dict[str, float] = {}
        clock = time.perf_counter()
        documents = list(iter_documents([path], None, RunSummary()))
        stages["read"], clock = time.perf_counter() - clock, time.perf_counter()
        relevant = [d for d in documents if may_report_event(d)]
        stages["gate"] = time.perf_counter() - clock
        stages["parse"] = stages["extract"] = 0.0
        parsed = iter(nlp.pipe(focused_text(d) for d in relevant))
        for document in relevant:  # one parsed document at a time, as the run holds them
            clock = time.perf_counter()
            doc = next(parsed)
            stages["parse"], clock = stages["parse"] + time.perf_counter() - clock, time.perf_counter()
            extract_mentions(document, doc, nlp, gazetteer)
            stages["extract"] += time.perf_counter() - clock
    stages["store and merge (the rest of the run)"] = max(0.0, seconds - sum(stages.values()))
    words = sum(len(d["text"].split()) for d in corpus)
    return {"summary": summary, "seconds": seconds, "words": words, "stages": stages, "peak_mb": peak_mb}


def start_up_seconds(runs: int = 3) -> float:
    """`protestwatch run` on one small new report into an existing database, after a first run (which
    creates the database and, on a new machine, the gazetteer cache): the best of a few runs."""
    best = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "start.db")
        for i in range(runs + 1):
            report = Path(tmp) / f"report-{i}.txt"
            report.write_text(f"On Sunday about {20 + i} protesters were detained in Almaty, police said.\n")
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "protestwatch", "run", str(report), "--db", db],
                           check=True, capture_output=True)
            if i:
                best = min(best, time.perf_counter() - started)
    return best


def _table(name: str, command: str, result: dict) -> str:
    summary, seconds = result["summary"], result["seconds"]
    documents = max(1, summary.documents_new)
    rows = [("documents", f"{summary.documents_new} ({summary.documents_parsed} passed the relevance gate "
             f"and were parsed, {100 * summary.documents_parsed / documents:.0f} %)"),
            ("mentions / events", f"{summary.mentions} / {summary.events}"),
            ("wall time (read, gate, parse, extract, store, merge)", f"{seconds:.1f} s"),
            ("documents per second", f"{summary.documents_new / seconds:.1f}"),
            ("words per second", f"{result['words'] / seconds:.0f}"),
            ("milliseconds per document", f"{1000 * seconds / documents:.1f}")]
    rows += [(f"ms per document: {stage}", f"{1000 * value / documents:.1f}") for stage, value in result["stages"].items()]
    if result.get("peak_mb"):
        rows.append(("peak resident memory (the process, at the end of this run)", f"{result['peak_mb']:.0f} MB"))
    lines = [f"## {name}", "", f"`{command}`", "", "| measure | value |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000, help="size of the synthetic mix")
    parser.add_argument("--real-documents", type=int, default=None,
                        help="size of the real corpus (default: each real article once)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "performance.md")
    parser.add_argument("--language", choices=("en", "ru"), help="measure on the real dev articles of a language")
    args = parser.parse_args()
    if args.language:
        return language_speed(args.language, args.documents)

    start_up = start_up_seconds()
    real = measure(real_corpus(args.real_documents))
    synthetic = {**measure(build_corpus(args.documents)), "peak_mb": None}  # the process peaked on the real run
    commit = benchdocs.commit()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    block = f"""{BEGIN}
Measured by `python3 bench/throughput.py` at commit {commit} on {machine}; single process, SQLite file,
the model and gazetteer loaded before the clock starts. Re-run the command to regenerate this part.

**Start-up:** `protestwatch run` on one small new report into an existing database, after a first run:
{start_up:.1f} s (best of 3; the process imports spaCy and loads its model, the language identifier, the
gazetteer's cached tables and the trained models). The gazetteer's tables are built once per machine into
a cache file (`~/.cache/protestwatch`, about 40 MB; see `protestwatch.extract.gazetteer_cache`).

{_table("Real articles", "python3 bench/throughput.py (GLOCON dev documents and the English dev articles)", real)}
The stage rows come from a second pass over the same documents, stage by stage; store and merge are
the rest of the end-to-end time.

{_table("Synthetic mix", f"python3 bench/throughput.py --documents {args.documents}", synthetic)}
The synthetic corpus: the example reports with varied cities, dates and outlets, half of it mixed with
non-event filler reports. Documents that contain no trigger word are stored without being parsed.
{END}
"""
    existing = args.out.read_text() if args.out.exists() else "# Performance\n"
    if parts := benchdocs.marked_part(existing, BEGIN, END):
        head, rest = parts[0], parts[1].lstrip("\n")
    else:
        head, rest = "# Performance\n\n", existing.partition("\n")[2].lstrip("\n")
    args.out.write_text(head + block + "\n" + rest)
    print(block)
    return 0


def language_speed(language: str, documents: int) -> int:
    """Documents and words per second on the real dev articles of one language, model load excluded."""
    from protestwatch.extract.places import default_gazetteer
    from protestwatch.nlp import load_model
    from protestwatch.run import run_pipeline
    from protestwatch.store import open_store

    source = REPO.parent / "shared" / "eval" / "dev" / "articles" / language / "articles.jsonl"
    articles = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    corpus = [{**articles[i % len(articles)], "id": f"bench-{i:06d}", "language": language,
               "text": articles[i % len(articles)]["text"] + f"\n\n[copy {i}]"} for i in range(documents)]
    load_model(language)
    default_gazetteer()
    if language == "ru":  # the Cyrillic names are built on the first Russian report: not part of the rate
        default_gazetteer().cyrillic_city(["Ош"], None, "Ош")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in corpus) + "\n", encoding="utf-8")
        started = time.perf_counter()
        summary = run_pipeline([path], open_store(str(Path(tmp) / "bench.db")))
        seconds = time.perf_counter() - started
    words = sum(len(d["text"].split()) for d in corpus)
    print(json.dumps({"language": language, "documents": summary.documents_new, "parsed": summary.documents_parsed,
                      "seconds": round(seconds, 1), "documents_per_second": round(summary.documents_new / seconds, 1),
                      "words_per_second": round(words / seconds)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
