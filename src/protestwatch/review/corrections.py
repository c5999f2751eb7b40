"""Human review: corrections kept beside the machine's values (never over them), approve/reject, and an
audit log of every change (the reviewers and their tokens: review/users.py). The API and the CLI are thin shells over this.

A record as reviewers and exports see it is the machine's record with the newest correction of each
field laid over it, and a `review` key saying what was corrected, by whom, and the review status.
Corrections are keyed by event id, and event ids are stable across runs, so coding the documents again
never overwrites a correction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import Engine, bindparam, func, select
from sqlalchemy.orm import Session

from protestwatch.errors import NotFound, ReviewError
from protestwatch.schema import typemap
from protestwatch.schema.taxonomy import DEMAND_CATEGORIES, EVENT_TYPES, MEANS, STATE_RESPONSES
from protestwatch.store.models import (
    AuditRow,
    CorrectionRow,
    EventMentionRow,
    EventMergeRow,
    EventRow,
    EventSplitRow,
    MentionRow,
    ReviewRow,
)

EventType = Literal[EVENT_TYPES]  # type: ignore[valid-type]
DemandCategory = Literal[DEMAND_CATEGORIES]  # type: ignore[valid-type]
StateResponse = Literal[STATE_RESPONSES]  # type: ignore[valid-type]
MeansOfViolence = Literal[MEANS]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# A reviewer's text is a name, a phrase or a quoted demand, never a document: capped, so that one correction
# cannot make every read of the event and its history megabytes long.
Name = Annotated[str, Field(min_length=1, max_length=300)]
Phrase = Annotated[str, Field(max_length=300)]
Passage = Annotated[str, Field(max_length=2000)]
MAX_ITEMS = 200  # actors, demands, tactics ... of one event


class DateIn(_Strict):
    start: date | None
    end: date | None
    precision: Literal["day", "week", "month", "month-day", "year"] | None
    text: Phrase | None = None
    year: int | None = None
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)

    @model_validator(mode="after")
    def _ordered(self) -> DateIn:
        if self.start and self.end and self.end < self.start:
            raise ValueError("end is before start")
        return self


class LocationIn(_Strict):
    text: Phrase | None = None
    name: Phrase | None
    admin1: Phrase | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    geonames_id: int | None = None
    precision: Literal["city", "admin1", "country"] | None


class ActorIn(_Strict):
    name: Name
    role: Literal["organizer", "participant", "target", "perpetrator"]
    kind: Literal["group", "person", "police", "security", "government", "court", "foreign_body"]


class DemandIn(_Strict):
    category: DemandCategory
    text: Passage


class CountIn(_Strict):
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    text: Phrase | None = None

    @model_validator(mode="after")
    def _ordered(self) -> CountIn:
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError("max is below min")
        return self


class TacticIn(_Strict):
    tactic: Name
    slogan: Passage | None = None


class Correction(_Strict):
    """The fields a reviewer may correct; any subset, each replaced whole."""

    type: EventType | None = None
    date: DateIn | None = None
    location: LocationIn | None = None
    actors: Annotated[list[ActorIn], Field(max_length=MAX_ITEMS)] | None = None
    demands: Annotated[list[DemandIn], Field(max_length=MAX_ITEMS)] | None = None
    participants: CountIn | None = None
    detained: CountIn | None = None
    targeted: CountIn | None = None
    fatalities: CountIn | None = None
    state_response: Annotated[list[StateResponse], Field(max_length=MAX_ITEMS)] | None = None
    tactics: Annotated[list[TacticIn], Field(max_length=MAX_ITEMS)] | None = None
    means: Annotated[list[MeansOfViolence], Field(max_length=MAX_ITEMS)] | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# -- corrections and review ---------------------------------------------------------------------
def _machine_record(session: Session, event_id: str) -> dict:
    record = session.scalar(select(EventRow.record).where(EventRow.id == event_id))
    if record is None:
        raise NotFound(f"no event {event_id}")
    return record


def correct(engine: Engine, event_id: str, changes: dict[str, Any], user: str) -> dict:
    """Validate and store corrections of some fields of an event; returns the reviewed record."""
    try:
        parsed = Correction.model_validate(changes)
    except ValidationError as exc:
        raise ReviewError(_validation_message(exc)) from None
    values = parsed.model_dump(mode="json", exclude_unset=True)
    if not values:
        raise ReviewError("no field to correct; correctable fields: " + ", ".join(Correction.model_fields))
    with Session(engine) as session, session.begin():
        current = _overlay(_machine_record(session, event_id), _corrections(session, [event_id]).get(event_id, {}), None)
        for field, value in values.items():
            session.add(CorrectionRow(event_id=event_id, field=field, value=value, user=user, created_at=_now()))
            session.add(AuditRow(event_id=event_id, action="correct", field=field, old_value=current.get(field),
                                 new_value=value, user=user, at=_now()))
    return reviewed_record(engine, event_id)


def set_status(engine: Engine, event_id: str, status: Literal["approved", "rejected"], user: str) -> dict:
    with Session(engine) as session, session.begin():
        _machine_record(session, event_id)
        review = session.get(ReviewRow, event_id)
        old = review.status if review else "pending"
        if review is None:
            session.add(ReviewRow(event_id=event_id, status=status, user=user, updated_at=_now()))
        else:
            review.status, review.user, review.updated_at = status, user, _now()
        session.add(AuditRow(event_id=event_id, action=status[:-1] if status.endswith("d") else status,
                             field="status", old_value=old, new_value=status, user=user, at=_now()))
    return reviewed_record(engine, event_id)


def history(engine: Engine, event_id: str) -> list[dict]:
    with Session(engine) as session:
        _machine_record(session, event_id)
        rows = session.scalars(select(AuditRow).where(AuditRow.event_id == event_id).order_by(AuditRow.id))
        return [{"action": r.action, "field": r.field, "old": r.old_value, "new": r.new_value, "user": r.user,
                 "at": r.at.isoformat(timespec="seconds") + "Z"} for r in rows]


def merge_events(engine: Engine, into: str, others: list[str], user: str) -> dict:
    """The `others` report the same happening as `into`: they leave lists and exports, and `into`
    lists their sources and evidence too. Kept by event id, so coding again keeps the decision."""
    others = [o for o in dict.fromkeys(others) if o != into]
    if not others:
        raise ReviewError("name at least one other event to merge into this one")
    with Session(engine) as session, session.begin():
        for event_id in [into, *others]:
            _machine_record(session, event_id)
        if session.get(EventMergeRow, into) is not None:
            raise ReviewError(f"{into} was itself merged into another event")
        for other in others:
            if session.get(EventMergeRow, other) is not None:
                raise ReviewError(f"{other} is merged already")
            # events merged into `other` follow it
            for row in session.scalars(select(EventMergeRow).where(EventMergeRow.event_id == other)):
                row.event_id = into
            session.add(EventMergeRow(merged_id=other, event_id=into, user=user, at=_now()))
        session.add(AuditRow(event_id=into, action="merge", field="events", old_value=None, new_value=others,
                             user=user, at=_now()))
        for other in others:
            session.add(AuditRow(event_id=other, action="merge", field="merged_into", old_value=None, new_value=into,
                                 user=user, at=_now()))
    return reviewed_record(engine, into)


def split_event(engine: Engine, event_id: str, documents: list[str], user: str) -> dict:
    """The mentions from these source documents report another happening: they become an event of
    their own, now and in every later merge. Returns both records."""
    from protestwatch.link.rebuild import merge_blocks

    with Session(engine) as session, session.begin():
        _machine_record(session, event_id)
        block = session.scalar(select(EventRow.block_key).where(EventRow.id == event_id))
        mentions = session.execute(
            select(EventMentionRow.mention_id, EventMentionRow.event_id).where(EventMentionRow.event_id == event_id))
        mention_ids = [row.mention_id for row in mentions]
        chosen = list(session.scalars(select(MentionRow.id).where(MentionRow.id.in_(mention_ids))
                                      .where(MentionRow.document_id.in_(documents))))
        if not chosen:
            raise ReviewError("none of these documents is a source of the event")
        if len(chosen) == len(mention_ids):
            raise ReviewError("splitting off every source leaves nothing behind; correct the event instead")
        split = EventSplitRow(block_key=block, event_id=event_id, mention_ids=sorted(chosen), user=user, at=_now())
        session.add(split)
        session.flush()
        session.add(AuditRow(event_id=event_id, action="split", field="sources", old_value=None,
                             new_value=sorted(set(documents)), user=user, at=_now()))
    merge_blocks(engine, [block])
    with Session(engine) as session:
        new_id = session.scalar(select(EventMentionRow.event_id).where(EventMentionRow.mention_id == chosen[0]))
        session.add(AuditRow(event_id=new_id, action="split", field="split_from", old_value=None, new_value=event_id,
                             user=user, at=_now()))
        session.commit()
    return {"kept": reviewed_record(engine, event_id), "new": reviewed_record(engine, new_id)}


# -- reading records as reviewers see them ---------------------------------------------------------
def _chunks(event_ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(event_ids), 500):
        yield event_ids[start:start + 500]


# The statements a list runs for every page, built once with their ids bound at run time (building and
# caching a statement with fifty ids written into it cost more than running it).
_IDS = bindparam("ids", expanding=True)
_NEWEST_CORRECTIONS = (
    select(CorrectionRow.event_id, CorrectionRow.field, CorrectionRow.value, CorrectionRow.user)
    .where(CorrectionRow.id.in_(select(func.max(CorrectionRow.id)).where(CorrectionRow.event_id.in_(_IDS))
                                .group_by(CorrectionRow.event_id, CorrectionRow.field)))
    .order_by(CorrectionRow.id))
_REVIEWS = select(ReviewRow.event_id, ReviewRow.status, ReviewRow.user).where(ReviewRow.event_id.in_(_IDS))
_MERGED_INTO = select(EventMergeRow.merged_id, EventMergeRow.event_id).where(EventMergeRow.merged_id.in_(_IDS))
_ABSORBED = (select(EventMergeRow.event_id, EventRow.record).join(EventRow, EventRow.id == EventMergeRow.merged_id)
             .where(EventMergeRow.event_id.in_(_IDS)).order_by(EventMergeRow.merged_id))


def _corrections(session: Session, event_ids: list[str]) -> dict[str, dict[str, tuple[Any, str]]]:
    """event id -> field -> (newest value, who). Only the newest of each field is read (an event corrected
    many times would otherwise have its whole history read on every list)."""
    out: dict[str, dict[str, tuple[Any, str]]] = {}
    for chunk in _chunks(event_ids):
        for row in session.execute(_NEWEST_CORRECTIONS, {"ids": chunk}):
            out.setdefault(row.event_id, {})[row.field] = (row.value, row.user)
    return out


def _reviews(session: Session, event_ids: list[str]) -> dict[str, Any]:
    """event id -> its review (status, user), for the events that have one."""
    return {row.event_id: row for chunk in _chunks(event_ids) for row in session.execute(_REVIEWS, {"ids": chunk})}


def _merges(session: Session, event_ids: list[str]) -> tuple[dict[str, str], dict[str, list[dict]]]:
    """(merged event -> the event it was merged into, kept event -> machine records merged into it)."""
    merged_into: dict[str, str] = {}
    absorbed: dict[str, list[dict]] = {}
    for chunk in _chunks(event_ids):
        merged_into.update((row.merged_id, row.event_id) for row in session.execute(_MERGED_INTO, {"ids": chunk}))
        for row in session.execute(_ABSORBED, {"ids": chunk}):
            absorbed.setdefault(row.event_id, []).append(row.record)
    return merged_into, absorbed


def _absorb(record: dict, others: list[dict]) -> dict:
    out = dict(record)
    for key in ("sources", "evidence"):
        seen = {json_key(item) for item in out[key]}
        out[key] = list(out[key]) + [i for other in others for i in other[key] if json_key(i) not in seen]
    out["related"] = sorted(set(out["related"]) | {r for other in others for r in other["related"]} - {out["id"]})
    miss = 1.0
    for confidence in [record["confidence"], *(o["confidence"] for o in others)]:
        miss *= 1.0 - confidence
    out["confidence"] = round(min(0.99, 1.0 - miss), 3)
    return out


def json_key(item: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in item.items()))


def _overlay(record: dict, corrections: dict[str, tuple[Any, str]], review: Any,
             merged_into: str | None = None, absorbed: list[dict] | None = None) -> dict:
    out = _absorb(record, absorbed) if absorbed else dict(record)
    for field, (value, _) in corrections.items():
        out[field] = value
    if corrections:  # the codes follow corrected values
        demands = [d["category"] for d in out["demands"]]
        if "type" in corrections or "state_response" in corrections:
            # the model read the machine's happening, not the corrected one: the rules decide again
            out["acled"] = {**typemap.acled(out["type"], out["state_response"], means=out.get("means", ())),
                            "basis": "rules", "probability": None}
        out["family"] = typemap.family(out["type"])
        out["plover"] = typemap.plover(out["type"], out.get("means", ()))
        out["cameo"] = typemap.cameo(out["type"], demands, out.get("means", ()))
    out["review"] = _review_part(corrections, review, merged_into, absorbed)
    return out


def _review_part(corrections: dict[str, tuple[Any, str]], review: Any, merged_into: str | None,
                 absorbed: list[dict] | None) -> dict:
    return {
        "status": review.status if review else "pending",
        "reviewer": review.user if review else None,
        "corrected": sorted(corrections),
        "correctors": sorted({who for _, who in corrections.values()}),
        "merged_into": merged_into,
        "merged": sorted(o["id"] for o in absorbed or []),
    }


@dataclass
class Annotations:
    """What reviewers laid over a set of events: newest corrections, review statuses and merges."""

    corrections: dict[str, dict[str, tuple[Any, str]]]
    reviews: dict[str, Any]  # rows with a status and a user
    merged_into: dict[str, str]
    absorbed: dict[str, list[dict]]

    def overlay(self, record: dict) -> dict:
        """The record as reviewers see it."""
        event_id = record["id"]
        return _overlay(record, self.corrections.get(event_id, {}), self.reviews.get(event_id),
                        self.merged_into.get(event_id), self.absorbed.get(event_id))

    def untouched(self, event_id: str) -> bool:
        """Nothing corrected and nothing merged: the machine's record as stored, with its review status."""
        return not (event_id in self.corrections or event_id in self.merged_into or event_id in self.absorbed)

    def review_of_untouched(self, event_id: str) -> dict:
        return _review_part({}, self.reviews.get(event_id), None, None)


def annotations(session: Session, event_ids: list[str]) -> Annotations:
    return Annotations(_corrections(session, event_ids), _reviews(session, event_ids), *_merges(session, event_ids))


def reviewed_record(engine: Engine, event_id: str) -> dict:
    with Session(engine) as session:
        return annotations(session, [event_id]).overlay(_machine_record(session, event_id))


def reviewed_records(records: Iterator[dict], session: Session, batch: int = 500) -> Iterator[dict]:
    """Lay corrections and review status over a stream of machine records, a batch at a time, read in the
    session that streams the records (one connection per request: a second one per batch ran the pool dry
    under concurrent readers)."""
    records = iter(records)
    while chunk := list(islice(records, batch)):
        notes = annotations(session, [r["id"] for r in chunk])
        yield from (notes.overlay(record) for record in chunk)


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "body"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
