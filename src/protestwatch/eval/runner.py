"""Code gold texts with the real pipeline: the same `run_pipeline` as `protestwatch run`, on a
temporary .jsonl corpus and a temporary SQLite file, then each gold item's events by document id."""

from __future__ import annotations

import json
import logging
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from protestwatch.eval.gold import GoldItem
from protestwatch.run import run_pipeline
from protestwatch.store import open_store
from protestwatch.store.repository import iter_event_records

LOGGER = logging.getLogger(__name__)


def code_items(items: list[GoldItem], on_file: Callable[[Path], None] | None = None) -> dict[int, list[dict]]:
    """Gold item position -> the event records the pipeline found in that item's text."""
    events_by_item: dict[int, list[dict]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="protestwatch-eval-") as tmp:
        corpus = Path(tmp) / "gold.jsonl"
        with corpus.open("w", encoding="utf-8") as handle:
            # documents are keyed by position: gold files may repeat an id, and the run must not
            # skip a repeated one as "already stored"
            for index, item in enumerate(items):
                handle.write(json.dumps({**item.meta, "id": f"gold:{index}", "text": item.text}) + "\n")
        engine = open_store(str(Path(tmp) / "eval.db"))
        summary = run_pipeline([corpus], engine, on_file=on_file)
        for where, reason in summary.failures:  # a text the coder failed on scores as if it had no event: say so
            LOGGER.warning("not coded: %s: %s", where, reason)
        for record in iter_event_records(engine):
            for document in {s["document"] for s in record["sources"]}:
                events_by_item[int(document.removeprefix("gold:"))].append(record)
        engine.dispose()
    return events_by_item
