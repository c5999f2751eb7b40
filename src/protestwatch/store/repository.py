"""Reads and writes of the event store. Every write is one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from protestwatch import CODER_VERSION
from protestwatch.export.record import event_record
from protestwatch.merge import SourceInfo
from protestwatch.records import Document, Event, Mention, mention_from_plain, to_plain
from protestwatch.store.models import DocumentRow, EventMentionRow, EventRow, MentionRow, RunFailureRow, RunRow


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def known_document_ids(engine: Engine, ids: Iterable[str]) -> set[str]:
    wanted = list(set(ids))
    found: set[str] = set()
    with Session(engine) as session:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            found.update(session.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(chunk))))
    return found


def start_run(engine: Engine) -> int:
    with Session(engine) as session, session.begin():
        run = RunRow(started_at=_now(), coder_version=CODER_VERSION, documents_new=0, documents_known=0,
                     failures=0, events=0)
        session.add(run)
        session.flush()
        return run.id


def finish_run(engine: Engine, run_id: int, *, documents_new: int, documents_known: int, failures: list[tuple[str, str]],
               events: int) -> None:
    with Session(engine) as session, session.begin():
        run = session.get(RunRow, run_id)
        run.finished_at = _now()
        run.documents_new = documents_new
        run.documents_known = documents_known
        run.failures = len(failures)
        run.events = events
        session.add_all(RunFailureRow(run_id=run_id, path=path, reason=reason) for path, reason in failures)


def save_document(engine: Engine, document: Document, mentions: list[Mention], run_id: int | None = None) -> None:
    """The document and its mentions, together or not at all."""
    with Session(engine) as session, session.begin():
        session.add(
            DocumentRow(
                id=document.id, path=document.path, source_format=document.source_format, title=document.title,
                outlet=document.outlet, url=document.url, published=document.published, language=document.language,
                text=document.text, body_start=document.body_start, body_end=document.body_end,
                coder_version=CODER_VERSION, ingested_at=_now(), run_id=run_id,
            )
        )
        session.flush()  # the document row first: mentions reference it
        session.add_all(MentionRow(id=m.id, document_id=document.id, type=m.type, data=to_plain(m)) for m in mentions)


def load_mentions(engine: Engine) -> list[Mention]:
    with Session(engine) as session:
        return [mention_from_plain(row) for row in session.scalars(select(MentionRow.data).order_by(MentionRow.id))]


def source_infos(engine: Engine) -> dict[str, SourceInfo]:
    with Session(engine) as session:
        rows = session.execute(select(DocumentRow.id, DocumentRow.outlet, DocumentRow.url, DocumentRow.published))
        return {row.id: SourceInfo(row.outlet, row.url, row.published) for row in rows}


def replace_events(engine: Engine, events: list[Event]) -> None:
    """Swap in a new set of events in one transaction: readers see the old set or the new one."""
    with Session(engine) as session, session.begin():
        session.execute(delete(EventMentionRow))
        session.execute(delete(EventRow))
        for event in events:
            record = event_record(event)
            session.add(
                EventRow(
                    id=event.id, type=event.type,
                    date_start=event.date.start if event.date else None,
                    date_end=event.date.end if event.date else None,
                    date_precision=event.date.precision if event.date else None,
                    country=event.location.country if event.location else None,
                    place=event.location.name if event.location else None,
                    lat=event.location.lat if event.location else None,
                    lon=event.location.lon if event.location else None,
                    confidence=event.confidence, record=record,
                )
            )
        session.flush()
        session.add_all(EventMentionRow(event_id=e.id, mention_id=m) for e in events for m in e.mention_ids)


def iter_event_records(engine: Engine, batch: int = 500) -> Iterator[dict]:
    """Event records in a stable order (date, then id), streamed in batches."""
    with Session(engine) as session:
        query = select(EventRow.record).order_by(EventRow.date_start.is_(None), EventRow.date_start, EventRow.id)
        yield from session.scalars(query.execution_options(yield_per=batch))


def get_document(engine: Engine, document_id: str) -> DocumentRow | None:
    with Session(engine) as session:
        row = session.get(DocumentRow, document_id)
        if row is not None:
            session.expunge(row)
        return row


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            "documents": session.scalar(select(func.count()).select_from(DocumentRow)) or 0,
            "mentions": session.scalar(select(func.count()).select_from(MentionRow)) or 0,
            "events": session.scalar(select(func.count()).select_from(EventRow)) or 0,
        }
