"""Finding events: filters, sorting and cursor pagination over records as reviewers see them
(corrections applied). Used by the API's list and export and by the CLI."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice

import orjson
from sqlalchemy import Engine, Text, and_, bindparam, cast, func, or_, select
from sqlalchemy.orm import Session

from protestwatch.errors import ReviewError
from protestwatch.review.corrections import annotations, reviewed_records
from protestwatch.schema.typemap import family, types_of_family
from protestwatch.store import read_json
from protestwatch.store.models import (
    CorrectionRow,
    EventMergeRow,
    EventRow,
    EventSearchRow,
    ReviewRow,
    list_summary,
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

    def decided_in_sql(self) -> bool:
        """Whether `_in_sql` decides this filter exactly for an event nobody corrected or merged (the
        language of the sources is not in a column; an actor's name never holds a line break)."""
        return not self.language and not (self.actor and "\n" in self.actor)

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
                cursor: str | None = None, batch: int = 500) -> Iterator[dict]:
    """Reviewed records matching the filter, in the sort order, after the cursor, in one stream over all of
    them (an export; a list's page is `page`); one connection, the database deciding what it can (see
    `_in_sql`). `batch`: records read and reviewed at a time."""
    where = where or EventFilter()
    with Session(engine) as session:
        ids = (row.id for row in session.execute(_in_sql(_ordered(sort, cursor), where).execution_options(yield_per=batch)))
        for record in reviewed_records(_records_in_order(session, ids, batch), session, batch):
            # an event a reviewer merged into another is shown through that one
            if record["review"]["merged_into"] is None and where.matches(record):
                yield record


def _ids_paged(session: Session, where: EventFilter, sort: str, cursor: str | None,
               batch: int) -> Iterator[tuple[str, object]]:
    """(event id, sort key) in the sort order, asked for `batch` at a time."""
    while True:
        rows = session.execute(_in_sql(_ordered(sort, cursor), where).limit(batch)).all()
        yield from ((row.id, row.key) for row in rows)
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


def page(engine: Engine, where: EventFilter, sort: str = "date", cursor: str | None = None,
         limit: int = 50, view: str = "full") -> dict:
    """A page of reviewed records after the cursor; `view` "summary": what a list shows of each
    (store.models.SUMMARY_FIELDS and the review status). The next page's cursor is the last event's place in
    the order the database sorts by (its stored columns), so no event is skipped or shown twice."""
    with Session(engine) as session:
        listed = list(islice(_listed(session, where, sort, cursor, limit + 1, view), limit + 1))
    more = len(listed) > limit
    listed = listed[:limit]
    cursor_out = _cursor(listed[-1][1], listed[-1][0], sort) if more and listed else None
    return {"items": [item for _, _, item in listed], "next_cursor": cursor_out}


# a list's records and summaries as the JSON text they are stored as (the ids bound at run time)
_STORED_TEXTS = select(EventRow.id, cast(EventRow.record, Text).label("record"),
                       cast(EventRow.summary, Text).label("summary")).where(EventRow.id.in_(bindparam("ids", expanding=True)))


def _listed(session: Session, where: EventFilter, sort: str, cursor: str | None, batch: int,
            view: str) -> Iterator[tuple[str, object, dict | StoredJSON]]:
    """(event id, sort key, item) of a list. An event nobody corrected or merged, under a filter the database
    decided whole, is sent as its stored JSON with its review status added (written as it is, see
    `StoredJSON`): reading and writing again each record's JSON was most of a list's time. Any other event is read,
    reviewed and checked (`EventFilter.matches`) as `iter_events` does."""
    exact = where.decided_in_sql()
    # the ids are asked for several pages at a time, each query after the last id (the database then keeps
    # only the first few in its sort): the filter's share decided in Python (corrected events) may turn
    # some away, and each query scans what the index cannot
    rows = _ids_paged(session, where, sort, cursor, 4 * batch)
    while chunk := list(islice(rows, batch)):
        ids = [event_id for event_id, _ in chunk]
        stored = {row.id: row for row in session.execute(_STORED_TEXTS, {"ids": ids})}
        notes = annotations(session, ids)
        for event_id, key in chunk:
            row = stored[event_id]
            text = row.summary if view == "summary" else row.record
            if exact and text and text.rstrip().endswith("}") and notes.untouched(event_id):
                yield event_id, key, _with_review(text, notes.review_of_untouched(event_id))
                continue
            record = notes.overlay(read_json(row.record))
            # an event a reviewer merged into another is shown through that one
            if record["review"]["merged_into"] is None and where.matches(record):
                yield event_id, key, ({**list_summary(record), "review": record["review"]} if view == "summary"
                                      else record)


class StoredJSON:
    """JSON text to be written as it is into an answer (`json_default` turns it into what a writer takes)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def json_default(value: object, fragment: bool = True) -> object:
    """For orjson (`fragment`: written as it is) and, without it, for the standard library (read back)."""
    if isinstance(value, StoredJSON):
        return orjson.Fragment(value.text) if fragment else json.loads(value.text)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _with_review(stored: str, review: dict) -> StoredJSON:
    """A stored JSON object with the `review` key added at its end, as JSON text."""
    head = stored.rstrip().removesuffix("}").rstrip()
    separator = "" if head.endswith("{") else ","
    return StoredJSON(f'{head}{separator}"review":{orjson.dumps(review).decode()}}}')
