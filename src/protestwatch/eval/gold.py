"""Readers of gold-annotated data: ACLED exports (both layouts), GLOCON document and sentence files,
CASE 2021 Task 2 snippets. Each yields GoldItem records: the text to code and the gold labels."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from protestwatch.errors import GoldFormatError

_SIZE_TAG = re.compile(r"\s*\[size=([^\]]*)\]\s*$", re.IGNORECASE)
FORMATS = ("acled", "glocon-doc", "glocon-sentence", "case-task2", "events")


@dataclass
class GoldItem:
    id: str
    text: str
    label: str  # acled: sub-event type (or event type); glocon: "1"/"0"; case: SubType
    fields: dict = field(default_factory=dict)  # the other gold values a scorer needs
    meta: dict = field(default_factory=dict)  # the document's own metadata (title, published, ...) for the run


def detect_format(path: Path) -> str:
    if path.suffix.lower() == ".csv":
        return "acled"
    with path.open(encoding="utf-8") as handle:
        first = handle.readline().strip()
    try:
        record = json.loads(first) if first.startswith("{") else json.loads(path.read_text())[0]
    except (json.JSONDecodeError, IndexError, KeyError) as exc:
        raise GoldFormatError(f"{path}: cannot tell the gold format ({exc}); pass --format") from exc
    if "sentence" in record:
        return "glocon-sentence"
    if "EventSnippet" in record or "SubType" in record:
        return "case-task2"
    if "text" in record and "label" in record:
        return "glocon-doc"
    if "text" in record and "id" in record:
        return "events"  # articles; their gold events are in a second file
    raise GoldFormatError(f"{path}: cannot tell the gold format; pass --format ({', '.join(FORMATS)})")


def read_gold(path: Path, fmt: str | None = None, events: Path | None = None) -> tuple[str, list[GoldItem]]:
    fmt = fmt or detect_format(path)
    if fmt == "events":
        return fmt, read_articles(path, events)
    readers = {"acled": read_acled, "glocon-doc": read_glocon, "glocon-sentence": read_glocon,
               "case-task2": read_case}
    if fmt not in readers:
        raise GoldFormatError(f"unknown gold format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return fmt, list(readers[fmt](path))


def _acled_date(value: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d-%B-%Y", "%d-%b-%y", "%d %B %Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def read_acled(path: Path) -> Iterator[GoldItem]:
    """Both layouts: today's lower-case columns with sub_event_type, and the older upper-case one
    (EVENT_TYPE 'Riots/Protests', no sub-event type). The notes are the text; a trailing
    [size=...] tag is gold (crowd size) and is cut from the text."""
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            row = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
            notes = row.get("notes", "")
            size = None
            match = _SIZE_TAG.search(notes)
            if match:
                size, notes = match.group(1).strip(), notes[: match.start()].rstrip()
            if not notes.strip():
                continue
            event_type = row.get("event_type", "")
            sub = row.get("sub_event_type") or ""
            yield GoldItem(
                id=row.get("event_id_cnty") or row.get("data_id") or str(len(notes)),
                text=notes,
                label=sub or event_type,
                fields={
                    "event_type": event_type,
                    "sub_event_type": sub or None,
                    "date": _acled_date(row.get("event_date", "")),
                    "country": row.get("country") or None,
                    "location": row.get("location") or None,
                    "lat": _float(row.get("latitude")),
                    "lon": _float(row.get("longitude")),
                    "actor1": row.get("actor1") or None,
                    "assoc_actor_1": row.get("assoc_actor_1") or row.get("ally_actor_1") or None,
                    "size": size,
                },
            )


def read_glocon(path: Path) -> Iterator[GoldItem]:
    """GLOCON documents (`text`) or sentences (`sentence`); label 1 protest, 0 not, 2 unsure (skipped)."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            label = str(record.get("label"))
            if label not in ("0", "1"):
                continue
            text = record.get("sentence") if "sentence" in record else record.get("text")
            if not text:
                raise GoldFormatError(f"{path}:{number}: no text")
            yield GoldItem(id=str(record.get("id", number)), text=text, label=label)


def read_case(path: Path) -> Iterator[GoldItem]:
    """CASE 2021 Task 2: records with EventSnippet and SubType, as JSON lines, a JSON list or a CSV/TSV."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".csv", ".tsv"):
        rows = list(csv.DictReader(text.splitlines(), delimiter="\t" if path.suffix.lower() == ".tsv" else ","))
    elif text.lstrip().startswith("["):
        rows = json.loads(text)
    else:
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    for number, row in enumerate(rows, start=1):
        if "EventSnippet" not in row or "SubType" not in row:
            raise GoldFormatError(f"{path}: record {number} lacks EventSnippet or SubType")
        yield GoldItem(id=str(row.get("id", number)), text=row["EventSnippet"], label=row["SubType"])


def read_articles(articles: Path, gold: Path | None = None) -> list[GoldItem]:
    """Articles (one JSON object a line: id, text, title, url, source, published, language) with their
    gold events (one a line, linked by `doc`); `gold` defaults to gold.jsonl beside the articles."""
    gold = gold or articles.with_name("gold.jsonl")
    if not gold.is_file():
        raise GoldFormatError(f"{gold}: no gold events file (pass --gold)")
    events_by_doc: dict[str, list[dict]] = {}
    for number, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            event = json.loads(line)
            if "doc" not in event or "type" not in event:
                raise GoldFormatError(f"{gold}:{number}: a gold event needs 'doc' and 'type'")
            events_by_doc.setdefault(str(event["doc"]), []).append(event)
    items = []
    for number, line in enumerate(articles.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        if not isinstance(record.get("text"), str) or "id" not in record:
            raise GoldFormatError(f"{articles}:{number}: an article needs 'id' and 'text'")
        doc = str(record["id"])
        events = events_by_doc.pop(doc, [])
        meta = {k: record[k] for k in ("title", "url", "source", "published", "language") if record.get(k)}
        items.append(GoldItem(id=doc, text=record["text"], label="1" if events else "0",
                              fields={"events": events}, meta=meta))
    if events_by_doc:
        raise GoldFormatError(f"{gold}: gold events for articles not in {articles.name}: "
                              f"{', '.join(sorted(events_by_doc))}")
    return items
