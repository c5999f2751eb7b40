"""JSON lines: one event record per line (the contract in docs/schema.md)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from protestwatch.store import write_json


def jsonl_chunks(records: Iterable[dict]) -> Iterator[str]:
    # compact JSON, keys in the record's order (writing was a third of an export of 10,000 events)
    for record in records:
        yield write_json(record).decode("utf-8") + "\n"
