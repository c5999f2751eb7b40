"""Exports of the stored events, streamed: one format per module, chosen by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO

from protestwatch.errors import ExportError
from protestwatch.export.acled_csv import csv_chunks
from protestwatch.export.geojson import geojson_chunks
from protestwatch.export.jsonl import jsonl_chunks

# Text formats as generators of chunks: a file, standard output and an HTTP response all stream them.
WRITERS: dict[str, Callable[[Iterable[dict]], Iterator[str]]] = {
    "jsonl": jsonl_chunks,
    "csv": csv_chunks,
    "geojson": geojson_chunks,
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


def text_chunks(records: Iterable[dict], fmt: str) -> Iterator[str]:
    """The export of `records` in a text format, piece by piece."""
    try:
        chunks = WRITERS[fmt]
    except KeyError:
        if fmt in FILE_WRITERS:
            raise ExportError(f"{fmt} is a binary format: give an output file (-o FILE)") from None
        raise ExportError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}") from None
    return chunks(records)


def write_records(records: Iterable[dict], fmt: str, out: IO[str]) -> int:
    """Write event records in a text format to `out`; returns how many were written."""
    counted = _Counter(records)
    for chunk in text_chunks(counted, fmt):
        out.write(chunk)
    return counted.count


class _Counter:
    def __init__(self, records: Iterable[dict]):
        self.records, self.count = records, 0

    def __iter__(self) -> Iterator[dict]:
        for record in self.records:
            self.count += 1
            yield record
