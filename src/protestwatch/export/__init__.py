"""Exports of the stored events, streamed: one format per module, chosen by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO

from protestwatch.errors import ExportError
from protestwatch.export.acled_csv import write_csv
from protestwatch.export.geojson import write_geojson
from protestwatch.export.jsonl import write_jsonl

WRITERS: dict[str, Callable[[Iterable[dict], IO[str]], int]] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "geojson": write_geojson,
}


def write_records(records: Iterable[dict], fmt: str, out: IO[str]) -> int:
    """Write event records in `fmt` to `out`; returns how many were written."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ExportError(f"unknown export format {fmt!r}; choose one of: {', '.join(WRITERS)}") from None
    return writer(records, out)
