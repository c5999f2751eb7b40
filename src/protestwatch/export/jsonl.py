"""JSON lines: one event record per line (the contract in docs/schema.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO


def write_jsonl(records: Iterable[dict], out: IO[str]) -> int:
    written = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=False))
        out.write("\n")
        written += 1
    return written
