"""JSON lines: one event record per line (the contract in docs/schema.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator


def jsonl_chunks(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"
