"""Finding events: filters, sorting and cursor pagination over records as reviewers see them
(corrections applied). Used by the API's list and export and by the CLI."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, Text, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from protestwatch.errors import ReviewError
from protestwatch.review.corrections import reviewed_records
from protestwatch.schema.typemap import family, types_of_family
from protestwatch.store.models import CorrectionRow, EventMergeRow, EventRow, ReviewRow

SORTS = ("date", "-date", "-confidence")
def _no_date(sort: str) -> date:
    """Undated events sort last in both directions."""
    return date(1, 1, 1) if sort == "-date" else date(9999, 12, 31)


@dataclass
class EventFilter:
    date_from: date | None = None
    date_to: date | None = None
    type: str | None = None
    family: str | None = None  # protest | repression | political_violence
    country: str | None = None
    place: str | None = None
    actor: str | None = None
    text: str | None = None
    status: str | None = None  # pending | approved | rejected
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    language: str | None = None  # events with a source in this language (ISO 639-1)

    def matches(self, record: dict) -> bool:
        when, where = record["date"], record["location"]
        if self.type and record["type"] != self.type:
            return False
        if self.family and family(record["type"]) != self.family:
            return False
        if self.date_from and (when["end"] is None or when["end"] < self.date_from.isoformat()):
            return False
        if self.date_to and (when["start"] is None or when["start"] > self.date_to.isoformat()):
            return False
        if self.country and (where["country"] or "").upper() != self.country.upper():
            return False
        if self.place and self.place.lower() not in f"{where['name'] or ''} {where['text'] or ''}".lower():
            return False
        if self.actor and not any(self.actor.lower() in a["name"].lower() for a in record["actors"]):
            return False
        if self.language and not any(s.get("language") == self.language.lower() for s in record["sources"]):
            return False
        if self.status and record.get("review", {}).get("status", "pending") != self.status:
            return False
        if self.bbox:
            if where["lat"] is None or where["lon"] is None:
                return False
            west, south, east, north = self.bbox
            if not (west <= where["lon"] <= east and south <= where["lat"] <= north):
                return False
        if self.text:
            haystack = " ".join([s["sentence"] for s in record["sources"]] + [where["name"] or ""] +
                                [a["name"] for a in record["actors"]] + [d["text"] for d in record["demands"]])
            if self.text.lower() not in haystack.lower():
                return False
        return True


def encode_cursor(record: dict, sort: str) -> str:
    key = record["confidence"] if sort == "-confidence" else (record["date"]["start"] or _no_date(sort).isoformat())
    raw = json.dumps({"sort": sort, "key": key, "id": record["id"]}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple[object, str]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if data["sort"] != sort:
            raise ValueError("the cursor belongs to another sort order")
        return data["key"], data["id"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ReviewError(f"invalid cursor: {exc}") from None


def _ordered(sort: str, cursor: str | None):
    day = func.coalesce(EventRow.date_start, _no_date(sort))
    query = select(EventRow.record)
    if sort == "date":
        query = query.order_by(day, EventRow.id)
    elif sort == "-date":
        query = query.order_by(day.desc(), EventRow.id)
    elif sort == "-confidence":
        query = query.order_by(EventRow.confidence.desc(), EventRow.id)
    else:
        raise ReviewError(f"unknown sort {sort!r}; choose one of: {', '.join(SORTS)}")
    if cursor:
        key, last_id = _decode_cursor(cursor, sort)
        if sort == "-confidence":
            query = query.where(or_(EventRow.confidence < key, and_(EventRow.confidence == key, EventRow.id > last_id)))
        else:
            key_day = date.fromisoformat(str(key))
            before = day > key_day if sort == "date" else day < key_day
            query = query.where(or_(before, and_(day == key_day, EventRow.id > last_id)))
    return query


def _in_sql(query, where: EventFilter):
    """The filter's share the database can decide, so that Python sees only the candidates. The machine's
    columns decide for an event nobody corrected; an event with corrections or merged records may have
    another type, place or date than its columns say, so it always goes on to `EventFilter.matches`,
    which decides every record exactly. Review status and merges are decided here exactly."""
    machine = []
    if where.type:
        machine.append(EventRow.type == where.type)
    if where.family:
        machine.append(EventRow.type.in_(types_of_family(where.family)))
    if where.date_from:
        machine.append(EventRow.date_end >= where.date_from)
    if where.date_to:
        machine.append(EventRow.date_start <= where.date_to)
    if where.country:
        machine.append(func.upper(EventRow.country) == where.country.upper())
    if where.bbox:
        west, south, east, north = where.bbox
        machine.append(and_(EventRow.lon.between(west, east), EventRow.lat.between(south, north)))
    stored = func.lower(cast(EventRow.record, Text))
    written = func.lower(EventRow.record["location"]["text"].as_string())
    for phrase, columns in ((where.place, (func.lower(EventRow.place), written)), (where.actor, (stored,)),
                            (where.text, (stored,))):
        # each word of the phrase stands whole in one of the fields looked in (for actors and q, the stored
        # record, which holds every name and sentence); JSON writes other letters and quotes as escapes,
        # so only plain ASCII words are looked for in its text
        for word in (phrase or "").lower().split():
            if word.isascii() and word.isprintable() and not set(word) & set('"\\'):
                machine.append(or_(*(column.contains(word, autoescape=True) for column in columns)))
    if machine:
        query = query.where(or_(and_(*machine), EventRow.id.in_(select(CorrectionRow.event_id)),
                                EventRow.id.in_(select(EventMergeRow.event_id))))
    # an event a reviewer merged into another is shown through that one
    query = query.where(EventRow.id.not_in(select(EventMergeRow.merged_id)))
    if where.status in ("approved", "rejected"):
        query = query.where(EventRow.id.in_(select(ReviewRow.event_id).where(ReviewRow.status == where.status)))
    elif where.status == "pending":
        query = query.where(EventRow.id.not_in(select(ReviewRow.event_id).where(ReviewRow.status != "pending")))
    return query


def iter_events(engine: Engine, where: EventFilter | None = None, sort: str = "date",
                cursor: str | None = None, batch: int = 500) -> Iterator[dict]:
    """Reviewed records matching the filter, in the sort order, after the cursor; one connection, the
    database deciding what it can (see `_in_sql`). `batch`: records read and reviewed at a time (a page
    needs no more than its own)."""
    where = where or EventFilter()
    with Session(engine) as session:
        machine = session.scalars(_in_sql(_ordered(sort, cursor), where).execution_options(yield_per=batch))
        for record in reviewed_records(iter(machine), session, batch):
            # an event a reviewer merged into another is shown through that one
            if record["review"]["merged_into"] is None and where.matches(record):
                yield record


def page(engine: Engine, where: EventFilter, sort: str = "date", cursor: str | None = None,
         limit: int = 50) -> dict:
    items: list[dict] = []
    for record in iter_events(engine, where, sort, cursor, batch=limit + 1):
        items.append(record)
        if len(items) > limit:
            break
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_cursor": encode_cursor(items[-1], sort) if more and items else None}
