"""Quality of the coder on the development gold data, written to docs/quality.md.

    python3 bench/quality.py [--dev ../shared/eval/dev] [--limit N]

The coder is rule-based today (no trained component), so there is nothing to fit per fold: the scores
are over every dev item. The rules were tuned on this same data, so these are development scores; the
held-out split is scored elsewhere.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGETS = {
    ("glocon_document_Sabinet.jsonl", "macro_f1"): 0.88,
    ("glocon_sentence_Sabinet.jsonl", "macro_f1"): 0.88,
    ("acled_global_2020.csv", "sub-event accuracy"): 0.90,
    ("acled_global_2020.csv", "date exact (rows with an event)"): 0.97,
    ("acled_global_2020.csv", "within 25 km"): 0.90,
    ("acled_global_2020.csv", "crowd size (range contains / same band)"): 0.80,
}
FILES = ["acled_global_2020.csv", "acled_africa_2016.csv", "acled_asia_2015.csv",
         "glocon_document_Sabinet.jsonl", "glocon_sentence_Sabinet.jsonl"]


def _fmt(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=REPO.parent / "shared" / "eval" / "dev")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N items of each file")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "quality.md")
    args = parser.parse_args()

    from protestwatch import CODER_VERSION
    from protestwatch.eval import evaluate

    sections, summary = [], []
    for name in FILES:
        path = args.dev / name
        if not path.exists():
            print(f"skipping {name}: not found under {args.dev}", file=sys.stderr)
            continue
        started = time.perf_counter()
        result = evaluate(path, limit=args.limit)
        seconds = time.perf_counter() - started
        print(f"{name}: {seconds:.0f} s", file=sys.stderr)
        lines = [f"## {result.title} — `{name}`", "", "| measure | value | target |", "| --- | --- | --- |"]
        for measure, value in result.headline.items():
            target = TARGETS.get((name, measure))
            mark = "" if target is None else (f"{target:.2f} {'met' if value >= target else '**missed**'}")
            lines.append(f"| {measure} | {_fmt(value)} | {mark} |")
            if target is not None:
                summary.append(f"| {name} | {measure} | {_fmt(value)} | {target:.2f} | "
                               f"{'met' if value >= target else '**missed**'} |")
        lines += ["", "| class | precision | recall | F1 | support |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {c.label} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} | {c.support} |" for c in result.classes]
        lines += ["", "Confusion matrix (rows gold, columns predicted):", "",
                  "| gold \\ predicted | " + " | ".join(result.labels) + " |",
                  "| --- " * (len(result.labels) + 1) + "|"]
        lines += [f"| {label} | " + " | ".join(map(str, row)) + " |" for label, row in zip(result.labels, result.matrix, strict=True)]
        lines += ["", f"Scored in {seconds:.0f} s.", ""]
        sections.append("\n".join(lines))
    performance = REPO / "docs" / "performance.md"
    throughput = performance.read_text().split("\n", 1)[1] if performance.exists() else "(run bench/throughput.py)"
    page = f"""# Quality

Regenerate with `python3 bench/quality.py` (it runs `protestwatch eval` on every file in
`../shared/eval/dev/`; about ten minutes on the 2-core machine). Coder: `{CODER_VERSION}`.

The coder is rule-based (spaCy parse + lexicons); it has no trained component yet, so there are no
folds to fit: every number is over all dev items. The rules were tuned by reading errors on these files,
so they are **development scores**, likely optimistic for unseen data.

## Against the targets

| file | measure | score | target | |
| --- | --- | --- | --- | --- |
{chr(10).join(summary)}

{chr(10).join(sections)}
## Throughput
{throughput}
"""
    args.out.write_text(page)
    print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
