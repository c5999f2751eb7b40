"""GeoJSON FeatureCollection: a Point per event with coordinates (null geometry otherwise), the
event record as properties. Written feature by feature, so it never holds all events."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO


def feature(record: dict) -> dict:
    location = record.get("location") or {}
    geometry = None
    if location.get("lat") is not None and location.get("lon") is not None:
        geometry = {"type": "Point", "coordinates": [location["lon"], location["lat"]]}
    return {"type": "Feature", "id": record["id"], "geometry": geometry, "properties": record}


def write_geojson(records: Iterable[dict], out: IO[str]) -> int:
    out.write('{"type": "FeatureCollection", "features": [\n')
    written = 0
    for record in records:
        if written:
            out.write(",\n")
        out.write(json.dumps(feature(record), ensure_ascii=False))
        written += 1
    out.write("\n]}\n")
    return written
