"""The event record: the JSON object every export, the API and the web page build on.
Documented in docs/schema.md; validated against schema/event.schema.json in the tests."""

from __future__ import annotations

from typing import Any

from protestwatch.records import Count, Event
from protestwatch.schema import typemap


def _count(count: Count | None) -> dict[str, Any] | None:
    if count is None:
        return None
    return {"min": count.min, "max": count.max, "text": count.span.text if count.span else None}


def event_record(event: Event) -> dict[str, Any]:
    date = event.date
    place = event.location
    categories = [d.category for d in event.demands]
    return {
        "id": event.id,
        "type": event.type,
        "family": typemap.family(event.type),
        "acled": {
            **typemap.acled(event.type, event.state_response, event.related_types, event.political,
                            event.acled_learned, event.means),
            "basis": "model" if event.acled_learned else "rules",
            "probability": event.acled_probability,
        },
        "plover": typemap.plover(event.type, event.means),
        "cameo": typemap.cameo(event.type, categories, event.means),
        "date": {
            "start": date.start.isoformat() if date and date.start else None,
            "end": date.end.isoformat() if date and date.end else None,
            "precision": date.precision if date else None,
            "text": date.span.text if date and date.span else None,
            "year": date.year if date else None,
            "month": date.month if date else None,
            "day": date.day if date else None,
        },
        "location": {
            "text": place.text if place else None,
            "name": place.name if place else None,
            "admin1": place.admin1 if place else None,
            "country": place.country if place else None,
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
            "geonames_id": place.geonames_id if place else None,
            "precision": place.precision if place else None,
        },
        "actors": [{"name": a.name, "role": a.role, "kind": a.kind} for a in event.actors],
        "demands": [{"category": d.category, "text": d.text} for d in event.demands],
        "participants": _count(event.participants),
        "detained": _count(event.detained),
        "targeted": _count(event.targeted),
        "fatalities": _count(event.fatalities),
        "state_response": list(event.state_response),
        "tactics": [{"tactic": t.value, "slogan": t.quote} for t in event.tactics],
        "means": list(event.means),
        "sources": [
            {
                "document": s.document,
                "outlet": s.outlet,
                "url": s.url,
                "published": s.published.isoformat() if s.published else None,
                "sentence": s.sentence,
                "start": s.start,
                "end": s.end,
                "duplicate_of": s.duplicate_of,
                "language": s.language,
            }
            for s in event.sources
        ],
        "evidence": [
            {"field": e.field, "document": e.document, "start": e.start, "end": e.end, "text": e.text}
            for e in event.evidence
        ],
        "related": list(event.related),
        "confidence": event.confidence,
        "certainty": event.certainty,
        "coder": event.coder,
    }
