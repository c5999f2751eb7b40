"""GeoJSON FeatureCollection: a Point per event with coordinates (null geometry otherwise), the
event record as properties. Written feature by feature, so it never holds all events."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator


def feature(record: dict) -> dict:
    location = record.get("location") or {}
    geometry = None
    if location.get("lat") is not None and location.get("lon") is not None:
        geometry = {"type": "Point", "coordinates": [location["lon"], location["lat"]]}
    return {"type": "Feature", "id": record["id"], "geometry": geometry, "properties": record}


def geojson_chunks(records: Iterable[dict]) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": [\n'
    for index, record in enumerate(records):
        yield ("" if index == 0 else ",\n") + json.dumps(feature(record), ensure_ascii=False)
    yield "\n]}\n"
