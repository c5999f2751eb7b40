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


# Formats written to a file path rather than a text stream (binary, columnar).
FILE_WRITERS = {"parquet": "protestwatch.export.parquet:write_parquet"}
FORMATS = (*WRITERS, *FILE_WRITERS)


def write_file(records: Iterable[dict], fmt: str, path: str) -> int:
    """Write event records in any format to the file at `path`."""
    if fmt in FILE_WRITERS:
        from protestwatch.export.parquet import write_parquet

        return write_parquet(records, path)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        return write_records(records, fmt, handle)


def write_records(records: Iterable[dict], fmt: str, out: IO[str]) -> int:
    """Write event records in `fmt` to `out`; returns how many were written."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        if fmt in FILE_WRITERS:
            raise ExportError(f"{fmt} is a binary format: give an output file (-o FILE)") from None
        raise ExportError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}") from None
    return writer(records, out)
