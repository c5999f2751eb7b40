"""Parquet (pyarrow), written in row groups as records stream in: exporting a million events never
holds them all in memory. Typed columns; nested fields (actors, sources, evidence) as lists of structs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from protestwatch.schema.typemap import family

BATCH = 2000

_COUNT = [("min", pa.int64()), ("max", pa.int64()), ("text", pa.string())]
SCHEMA = pa.schema([
    ("id", pa.string()),
    ("type", pa.string()),
    ("family", pa.string()),
    ("acled_event_type", pa.string()),
    ("acled_sub_event_type", pa.string()),
    ("plover_event", pa.string()),
    ("plover_mode", pa.string()),
    ("cameo", pa.string()),
    ("date_start", pa.date32()),
    ("date_end", pa.date32()),
    ("date_precision", pa.string()),
    ("date_text", pa.string()),
    ("date_year", pa.int32()),
    ("date_month", pa.int32()),
    ("date_day", pa.int32()),
    ("location_text", pa.string()),
    ("location_name", pa.string()),
    ("location_admin1", pa.string()),
    ("location_country", pa.string()),
    ("location_lat", pa.float64()),
    ("location_lon", pa.float64()),
    ("location_geonames_id", pa.int64()),
    ("location_precision", pa.string()),
    ("actors", pa.list_(pa.struct([("name", pa.string()), ("role", pa.string()), ("kind", pa.string())]))),
    ("demands", pa.list_(pa.struct([("category", pa.string()), ("text", pa.string())]))),
    ("participants", pa.struct(_COUNT)),
    ("detained", pa.struct(_COUNT)),
    ("targeted", pa.struct(_COUNT)),
    ("fatalities", pa.struct(_COUNT)),
    ("state_response", pa.list_(pa.string())),
    ("tactics", pa.list_(pa.struct([("tactic", pa.string()), ("slogan", pa.string())]))),
    ("means", pa.list_(pa.string())),
    ("sources", pa.list_(pa.struct([("document", pa.string()), ("outlet", pa.string()), ("url", pa.string()),
                                    ("published", pa.date32()), ("sentence", pa.string()),
                                    ("start", pa.int64()), ("end", pa.int64())]))),
    ("evidence", pa.list_(pa.struct([("field", pa.string()), ("document", pa.string()), ("start", pa.int64()),
                                     ("end", pa.int64()), ("text", pa.string())]))),
    ("related", pa.list_(pa.string())),
    ("confidence", pa.float64()),
    ("coder", pa.string()),
    ("review_status", pa.string()),
    ("corrected_fields", pa.list_(pa.string())),
])


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def flat_row(record: dict) -> dict:
    when, where = record["date"], record["location"]
    return {
        "id": record["id"],
        "type": record["type"],
        "family": record.get("family") or family(record["type"]),  # records stored before families
        "acled_event_type": record["acled"]["event_type"],
        "acled_sub_event_type": record["acled"]["sub_event_type"],
        "plover_event": record["plover"]["event"],
        "plover_mode": record["plover"]["mode"],
        "cameo": record["cameo"],
        "date_start": _date(when["start"]),
        "date_end": _date(when["end"]),
        "date_precision": when["precision"],
        "date_text": when["text"],
        "date_year": when.get("year"),
        "date_month": when.get("month"),
        "date_day": when.get("day"),
        **{f"location_{key}": where[key] for key in
           ("text", "name", "admin1", "country", "lat", "lon", "geonames_id", "precision")},
        "actors": record["actors"],
        "demands": record["demands"],
        "participants": record["participants"],
        "detained": record["detained"],
        "targeted": record["targeted"],
        "fatalities": record.get("fatalities"),
        "state_response": record["state_response"],
        "tactics": record["tactics"],
        "means": record.get("means", []),
        "sources": [{**s, "published": _date(s["published"])} for s in record["sources"]],
        "evidence": record["evidence"],
        "related": record["related"],
        "confidence": record["confidence"],
        "coder": record["coder"],
        "review_status": record.get("review", {}).get("status"),
        "corrected_fields": record.get("review", {}).get("corrected", []),
    }


def write_parquet(records: Iterable[dict], path: str | Path) -> int:
    written = 0
    batch: list[dict] = []
    with pq.ParquetWriter(str(path), SCHEMA, compression="zstd") as writer:
        for record in records:
            batch.append(flat_row(record))
            if len(batch) >= BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
                written += len(batch)
                batch = []
        if batch or written == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
            written += len(batch)
    return written
