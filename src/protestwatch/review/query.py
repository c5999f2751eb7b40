"""Finding events: filters, sorting and cursor pagination over records as reviewers see them
(corrections applied). Used by the API's list and export and by the CLI."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.orm import Session

from protestwatch.errors import ReviewError
from protestwatch.review.corrections import reviewed_records
from protestwatch.schema.typemap import family, types_of_family
from protestwatch.store.models import (
    CorrectionRow,
    EventMergeRow,
    EventRow,
    EventSearchRow,
    ReviewRow,
    search_texts,
)

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
        place, actors, text = search_texts(record) if self.place or self.actor or self.text else ("", "", "")
        if self.place and self.place.lower() not in place:
            return False
        if self.actor and not any(self.actor.lower() in name for name in actors.split("\n")):
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
        if self.text and self.text.lower() not in text:
            return False
        return True


def encode_cursor(record: dict, sort: str) -> str:
    key = record["confidence"] if sort == "-confidence" else (record["date"]["start"] or _no_date(sort).isoformat())
    return _cursor(key, record["id"], sort)


def _cursor(key: object, event_id: str, sort: str) -> str:
    key = key.isoformat() if isinstance(key, date) else key
    raw = json.dumps({"sort": sort, "key": key, "id": event_id}).encode()
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
    """Event ids with their sort keys, in the sort order: the ids alone, because sorting rows that carry
    their records made the database copy every record into its sort (most of a list request's time);
    the index ix_events_listing holds every column read here, so the table itself is not read."""
    if sort not in SORTS:
        raise ReviewError(f"unknown sort {sort!r}; choose one of: {', '.join(SORTS)}")
    day = func.coalesce(EventRow.date_start, _no_date(sort))
    key = EventRow.confidence if sort == "-confidence" else day
    query = select(EventRow.id, key.label("key"))
    if sort == "date":
        query = query.order_by(day, EventRow.id)
    elif sort == "-date":
        query = query.order_by(day.desc(), EventRow.id)
    else:
        query = query.order_by(EventRow.confidence.desc(), EventRow.id)
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
    columns decide for an event nobody corrected; an event with a correction to a field the filter reads,
    or with merged records, may have another type, place or date than its columns say, so it goes on to
    `EventFilter.matches`, which decides every record exactly. Review status and merges are decided here
    exactly."""
    machine, fields_read = [], set()

    def decide(condition, *fields: str) -> None:
        machine.append(condition)
        fields_read.update(fields)

    if where.type:
        decide(EventRow.type == where.type, "type")
    if where.family:
        decide(EventRow.type.in_(types_of_family(where.family)), "type")
    if where.date_from:
        decide(EventRow.date_end >= where.date_from, "date")
    if where.date_to:
        decide(EventRow.date_start <= where.date_to, "date")
    if where.country:
        decide(func.upper(EventRow.country) == where.country.upper(), "location")
    if where.bbox:
        west, south, east, north = where.bbox
        decide(and_(EventRow.lon.between(west, east), EventRow.lat.between(south, north)), "location")
    # the texts searched are in their own narrow table, lower-cased as the Python check has them
    for phrase, column, fields in ((where.place, EventSearchRow.place, ("location",)),
                                   (where.actor, EventSearchRow.actors, ("actors",)),
                                   (where.text, EventSearchRow.text, ("location", "actors", "demands"))):
        if phrase:
            found = select(EventSearchRow.event_id).where(column.contains(phrase.lower(), autoescape=True))
            decide(EventRow.id.in_(found), *fields)
    if machine:
        corrected = select(CorrectionRow.event_id).where(CorrectionRow.field.in_(sorted(fields_read)))
        query = query.where(or_(and_(*machine), EventRow.id.in_(corrected),
                                EventRow.id.in_(select(EventMergeRow.event_id))))
    # an event a reviewer merged into another is shown through that one
    query = query.where(EventRow.id.not_in(select(EventMergeRow.merged_id)))
    if where.status in ("approved", "rejected"):
        query = query.where(EventRow.id.in_(select(ReviewRow.event_id).where(ReviewRow.status == where.status)))
    elif where.status == "pending":
        query = query.where(EventRow.id.not_in(select(ReviewRow.event_id).where(ReviewRow.status != "pending")))
    return query


def iter_events(engine: Engine, where: EventFilter | None = None, sort: str = "date",
                cursor: str | None = None, batch: int = 500, paged: bool = False) -> Iterator[dict]:
    """Reviewed records matching the filter, in the sort order, after the cursor; one connection, the
    database deciding what it can (see `_in_sql`). `batch`: records read and reviewed at a time (a page
    needs no more than its own). `paged`: the ids are asked for `batch` at a time, each query after the
    last id (the database then keeps only the first few in its sort: a page of a list), rather than in
    one stream over all of them (an export)."""
    where = where or EventFilter()
    with Session(engine) as session:
        # a page's ids are asked for several pages at a time: the filter's share decided in Python
        # (corrected events, whole phrases) may turn some away, and each query scans what the index cannot
        ids = _ids_paged(session, where, sort, cursor, 4 * batch) if paged else (
            row.id for row in session.execute(_in_sql(_ordered(sort, cursor), where).execution_options(yield_per=batch)))
        for record in reviewed_records(_records_in_order(session, ids, batch), session, batch):
            # an event a reviewer merged into another is shown through that one
            if record["review"]["merged_into"] is None and where.matches(record):
                yield record


def _ids_paged(session: Session, where: EventFilter, sort: str, cursor: str | None, batch: int) -> Iterator[str]:
    while True:
        rows = session.execute(_in_sql(_ordered(sort, cursor), where).limit(batch)).all()
        yield from (row.id for row in rows)
        if len(rows) < batch:
            return
        cursor = _cursor(rows[-1].key, rows[-1].id, sort)


def _records_in_order(session: Session, ids: Iterator[str], batch: int) -> Iterator[dict]:
    """The machine records of a stream of event ids, read a batch at a time, in the stream's order."""
    ids = iter(ids)
    while chunk := list(islice(ids, batch)):
        rows = session.execute(select(EventRow.id, EventRow.record).where(EventRow.id.in_(chunk)))
        records = {event_id: record for event_id, record in rows}
        yield from (records[event_id] for event_id in chunk)


# What a list of events shows (the review page's list, map and timeline): the rest of a record (sources,
# evidence, actors, demands, codes) is read one event at a time, and a page of whole records is ~30 times larger.
SUMMARY_FIELDS = ("id", "type", "family", "date", "location", "confidence", "participants", "detained",
                  "fatalities", "review")


def summary(record: dict) -> dict:
    return {key: record.get(key) for key in SUMMARY_FIELDS}


def page(engine: Engine, where: EventFilter, sort: str = "date", cursor: str | None = None,
         limit: int = 50, view: str = "full") -> dict:
    """A page of reviewed records after the cursor; `view` "summary": each as `summary` shows it."""
    items: list[dict] = []
    for record in iter_events(engine, where, sort, cursor, batch=limit + 1, paged=True):
        items.append(record)
        if len(items) > limit:
            break
    more = len(items) > limit
    items = items[:limit]
    cursor_out = encode_cursor(items[-1], sort) if more and items else None
    return {"items": [summary(r) for r in items] if view == "summary" else items, "next_cursor": cursor_out}
