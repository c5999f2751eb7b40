"""Test corpora of any size from real text, for benchmarks and scale tests: news articles from the
dev data (mostly not about protests, as real feeds are), protest reports (ACLED notes, the example
reports) with varied cities, dates and outlets, and syndicated near-copies of earlier reports."""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

OUTLETS = ["Steppe Wire", "Central Asia Dispatch", "Baltic Monitor", "Caucasus Ledger", "Daily Courier",
           "Andes Report", "Sahel Post", "Delta Times", "Harbour Gazette", "Plateau News"]
CITIES = ["Almaty", "Astana", "Bishkek", "Osh", "Tashkent", "Dushanbe", "Minsk", "Tbilisi", "Yerevan", "Baku",
          "Khabarovsk", "Kyiv", "Karaganda", "Shymkent", "Gomel", "Grodno", "Lagos", "Nairobi", "Lima", "Bogota",
          "Karachi", "Dhaka", "Jakarta", "Manila", "Caracas", "Quito", "Accra", "Dakar", "Harare", "Lusaka"]
KNOWN_CITIES = ("Almaty", "Astana", "Bishkek", "Minsk", "Tbilisi")
_SIZE_TAG = re.compile(r"\s*\[size=[^\]]*\]\s*$")


def load_sources(dev: Path | None, examples: list[Path]) -> tuple[list[str], list[str]]:
    """(background articles, protest reports) from the dev data and example folders that exist."""
    background: list[str] = []
    reports: list[str] = []
    for folder in examples:
        if folder.is_dir():
            reports.extend(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))
    if dev is not None and dev.is_dir():
        glocon = dev / "glocon_document_Sabinet.jsonl"
        if glocon.exists():
            for line in glocon.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                (reports if record.get("label") == 1 else background).append(record["text"])
        acled = dev / "acled_global_2020.csv"
        if acled.exists():
            with acled.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    notes = _SIZE_TAG.sub("", row.get("notes", ""))
                    if row.get("event_type") in ("Protests", "Riots") and notes:
                        reports.append(notes)
    if not background:
        background = [
            "The central bank kept its key rate unchanged on Monday, citing slowing inflation.",
            "Temperatures reached 18 degrees on Tuesday, the warmest start to spring in a decade.",
            "The football club won its third match in a row before a crowd of fans on Saturday.",
        ]
    return background, reports


def build_corpus(size: int, background: list[str], reports: list[str], seed: int = 7,
                 protest_share: float = 0.3, duplicate_share: float = 0.1) -> Iterator[dict]:
    """`size` .jsonl records: {id, text, source, published}. Deterministic for a seed."""
    rng = random.Random(seed)
    issued: list[dict] = []
    for index in range(size):
        published = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 2000))
        draw = rng.random()
        if issued and draw < duplicate_share:
            original = rng.choice(issued)
            # a syndicated copy: the same story from another outlet, a day later, lightly edited
            text = original["text"] + f"\n\n(Reporting by {rng.choice(OUTLETS)} staff; editing by the desk)"
            record = {"text": text, "source": rng.choice(OUTLETS),
                      "published": (date.fromisoformat(original["published"]) + timedelta(days=1)).isoformat()}
        elif reports and draw < duplicate_share + protest_share:
            text = rng.choice(reports)
            for name in KNOWN_CITIES:
                text = text.replace(name, rng.choice(CITIES))
            record = {"text": text, "source": rng.choice(OUTLETS), "published": published.isoformat()}
            issued.append(record)
        else:
            record = {"text": rng.choice(background), "source": rng.choice(OUTLETS),
                      "published": published.isoformat()}
            # background repeats are exact copies: give each its own id but keep the text real
        record["id"] = f"corpus-{seed}-{index:08d}"
        yield record


def write_corpus(path: Path, size: int, dev: Path | None, examples: list[Path], seed: int = 7) -> int:
    background, reports = load_sources(dev, examples)
    with path.open("w", encoding="utf-8") as handle:
        for record in build_corpus(size, background, reports, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return size
