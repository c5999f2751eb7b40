"""Reads and writes of the event store. Every write is one transaction."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from protestwatch.ingest import fingerprint
from protestwatch.records import Document, Event, Mention, SourceInfo, block_key, mention_from_plain, to_plain
from protestwatch.schema.record import event_record
from protestwatch.store.models import (
    DirtyBlockRow,
    DocumentBandRow,
    DocumentRow,
    EventMentionRow,
    EventRow,
    EventSearchRow,
    EventSplitRow,
    MentionRow,
    RunFailureRow,
    RunRow,
    list_summary,
)


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


def document_texts(engine: Engine, ids: Iterable[str]) -> dict[str, str]:
    """The stored text of each of these documents that is stored."""
    wanted = list(set(ids))
    found: dict[str, str] = {}
    with Session(engine) as session:
        for start in range(0, len(wanted), 500):
            rows = session.execute(select(DocumentRow.id, DocumentRow.text)
                                   .where(DocumentRow.id.in_(wanted[start:start + 500])))
            found.update((row.id, row.text) for row in rows)
    return found


def start_run(engine: Engine, coder: str = "unrecorded") -> int:
    """Record a run as running, by this process; runs of this machine whose process is gone are closed as
    interrupted first."""
    close_interrupted_runs(engine)
    with Session(engine) as session, session.begin():
        run = RunRow(started_at=_now(), coder_version=coder, documents_new=0, documents_known=0,
                     failures=0, events=0, status="running", pid=os.getpid(), host=socket.gethostname())
        session.add(run)
        session.flush()
        return run.id


def close_interrupted_runs(engine: Engine) -> list[int]:
    """The runs recorded as running on this machine by a process that no longer exists (killed, or the
    machine restarted): closed as interrupted. A run of another machine cannot be checked from here and is
    left as it is. Returns the ids closed."""
    with Session(engine) as session, session.begin():
        dead = [run for run in session.scalars(select(RunRow).where(RunRow.status == "running",
                                                                    RunRow.host == socket.gethostname()))
                if not _process_alive(run.pid)]
        for run in dead:
            run.status, run.finished_at = "interrupted", _now()
        return [run.id for run in dead]


def _process_alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)  # signal 0: no signal sent, only whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def list_runs(engine: Engine, limit: int = 20) -> list[RunRow]:
    with Session(engine) as session:
        return list(session.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(limit)))


def finish_run(engine: Engine, run_id: int, *, documents_new: int, documents_known: int, failures: list[tuple[str, str]],
               events: int) -> None:
    with Session(engine) as session, session.begin():
        run = session.get(RunRow, run_id)
        run.finished_at, run.status = _now(), "finished"
        run.documents_new = documents_new
        run.documents_known = documents_known
        run.failures = len(failures)
        run.events = events
        session.add_all(RunFailureRow(run_id=run_id, path=path, reason=reason) for path, reason in failures)


def save_document(engine: Engine, document: Document, mentions: list[Mention], run_id: int | None = None,
                  signature: bytes | None = None, replace: bool = False, coder: str = "unrecorded") -> str | None:
    """The document, its mentions, its LSH bands and the merge blocks it touches, together or not at
    all. With `replace`, an already stored copy and its mentions are removed first (re-coding).
    Returns the id of the stored document this one is a near-copy of, if any."""
    return save_documents(engine, [(document, mentions, signature)], run_id, replace, coder)[0]


def save_documents(engine: Engine, items: list[tuple[Document, list[Mention], bytes | None]],
                   run_id: int | None = None, replace: bool = False, coder: str = "unrecorded") -> list[str | None]:
    """A batch of (document, mentions, signature) in one transaction: all of them or none. One
    commit, one near-copy lookup and bulk inserts per batch instead of per document are what keep
    the single writer ahead of the workers. With `replace`, stored copies of the documents and their
    mentions are removed first (re-coding). Returns, per document, the id of the stored document it
    is a near-copy of, if any."""
    with Session(engine) as session, session.begin():
        ids = [document.id for document, _, _ in items]
        bands = [fingerprint.bands(signature) if signature else [] for _, _, signature in items]
        duplicates, moved = _near_copies(session, [(document.id, document.published, signature, document_bands)
                                                   for (document, _, signature), document_bands
                                                   in zip(items, bands, strict=True)])
        touched = {block_key(m) for _, mentions, _ in items for m in mentions}
        for old, new in moved.items():
            # a copy published earlier than the stored original is the original now: its stored copies
            # (the old original among them) point at it, and their events are merged again
            copies = list(session.scalars(select(DocumentRow.id).where(
                (DocumentRow.id == old) | (DocumentRow.duplicate_of == old))))
            if copies:
                session.execute(update(DocumentRow).where(DocumentRow.id.in_(copies)).values(duplicate_of=new))
                touched.update(session.scalars(select(MentionRow.block_key).where(MentionRow.document_id.in_(copies))))
        if replace:
            touched.update(session.scalars(select(MentionRow.block_key).where(MentionRow.document_id.in_(ids))))
            session.execute(delete(MentionRow).where(MentionRow.document_id.in_(ids)))
            session.execute(delete(DocumentBandRow).where(DocumentBandRow.document_id.in_(ids)))
            session.execute(delete(DocumentRow).where(DocumentRow.id.in_(ids)))
        now = _now()
        session.execute(insert(DocumentRow), [
            dict(id=document.id, path=document.path, source_format=document.source_format, title=document.title,
                 outlet=document.outlet, url=document.url, published=document.published,
                 language=document.language, text=document.text, body_start=document.body_start,
                 body_end=document.body_end, coder_version=coder, ingested_at=now, run_id=run_id,
                 minhash=signature, duplicate_of=duplicate_of)
            for (document, _, signature), duplicate_of in zip(items, duplicates, strict=True)])
        band_rows = [dict(document_id=document.id, position=i, band=b)
                     for (document, _, _), document_bands in zip(items, bands, strict=True)
                     for i, b in enumerate(document_bands)]
        if band_rows:
            session.execute(insert(DocumentBandRow), band_rows)
        mentions = [dict(id=m.id, document_id=document.id, type=m.type, block_key=block_key(m), data=to_plain(m))
                    for document, mentions, _ in items for m in mentions]
        if mentions:
            session.execute(insert(MentionRow), mentions)
        if touched:
            known = set(session.scalars(select(DirtyBlockRow.block_key).where(DirtyBlockRow.block_key.in_(touched))))
            if fresh := sorted(touched - known):
                session.execute(insert(DirtyBlockRow), [dict(block_key=key) for key in fresh])
        return duplicates


def _precedence(published: date | None, document_id: str) -> tuple:
    """Which copy of a syndicated story is the original: the earliest published, then the smallest id (an
    undated copy after the dated ones); never the order in which the copies happened to be stored."""
    return (published is None, published or date.min, document_id)


def _near_copies(session: Session, items: list[tuple[str, date | None, bytes | None, list[int]]]
                 ) -> tuple[list[str | None], dict[str, str]]:
    """For each (document id, publication date, signature, LSH bands) of a batch, the original of the
    near-copies it belongs to (a stored one sharing a band, or one of the same batch), and the originals
    that a document of this batch takes over by precedence (old original -> new). One query per batch,
    and one more for originals that share no band with the batch."""
    wanted = {band for _, _, _, bands in items for band in bands}
    sharing: dict[tuple[int, int], list[str]] = {}  # (position, band) -> documents with that band
    known: dict[str, tuple[bytes | None, str | None]] = {}  # document id -> signature, its original
    precedence: dict[str, tuple] = {}
    if wanted:
        for document_id, position, band in session.execute(
                select(DocumentBandRow.document_id, DocumentBandRow.position, DocumentBandRow.band)
                .where(DocumentBandRow.band.in_(sorted(wanted)))):
            sharing.setdefault((position, band), []).append(document_id)
        candidates = {d for ids in sharing.values() for d in ids}
        if candidates:
            for row in session.execute(
                    select(DocumentRow.id, DocumentRow.minhash, DocumentRow.duplicate_of, DocumentRow.published)
                    .where(DocumentRow.id.in_(candidates))):
                known[row.id] = (row.minhash, row.duplicate_of)
                precedence[row.id] = _precedence(row.published, row.id)
        if missing := {original for _, original in known.values() if original and original not in precedence}:
            for row in session.execute(select(DocumentRow.id, DocumentRow.published).where(DocumentRow.id.in_(missing))):
                precedence[row.id] = _precedence(row.published, row.id)
    moved: dict[str, str] = {}

    def current(original: str) -> str:
        while original in moved:
            original = moved[original]
        return original

    out: list[str | None] = []
    for document_id, published, signature, bands in items:
        mine = _precedence(published, document_id)
        found = None
        shared = {d for i, b in enumerate(bands) for d in sharing.get((i, b), ()) if d != document_id and d in known}
        for candidate in sorted(shared, key=lambda d: precedence.get(d, ())):
            minhash, original = known[candidate]
            if minhash and fingerprint.similarity(signature, minhash) >= fingerprint.THRESHOLD:
                found = current(original or candidate)
                break
        if found is not None and mine < precedence.get(found, mine):
            moved[found] = document_id  # this copy came first
            found = None
        precedence[document_id] = mine
        if signature:  # later documents of the batch may be copies of this one
            known[document_id] = (signature, found)
            for i, b in enumerate(bands):
                sharing.setdefault((i, b), []).append(document_id)
        out.append(found)
    # a document of this batch that an earlier one took for its original may have been overtaken since
    resolved = [current(found) if found else (current(document_id) if document_id in moved else None)
                for found, (document_id, *_) in zip(out, items, strict=True)]
    return resolved, moved


def load_mentions(engine: Engine) -> list[Mention]:
    with Session(engine) as session:
        return [mention_from_plain(row) for row in session.scalars(select(MentionRow.data).order_by(MentionRow.id))]


def source_infos(engine: Engine, document_ids: Iterable[str]) -> dict[str, SourceInfo]:
    with Session(engine) as session:
        return _source_infos_in(session, set(document_ids))


def dirty_blocks(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.scalars(select(DirtyBlockRow.block_key).order_by(DirtyBlockRow.block_key)))


def all_blocks(engine: Engine) -> list[str]:
    with Session(engine) as session:
        mentions = set(session.scalars(select(MentionRow.block_key).distinct()))
        events = set(session.scalars(select(EventRow.block_key).distinct()))
        return sorted(mentions | events)


# What turns one block's mentions into its events: (mentions, their documents, split marks) -> events.
# The linking stage passes its merge in, so that the store never imports a later stage.
BlockMerge = Callable[[list[Mention], Mapping[str, SourceInfo], Mapping[str, str]], list[Event]]


def replace_block_events(engine: Engine, keys: list[str], merge_block: BlockMerge) -> int:
    """Replace the events of these blocks with `merge_block` of their mentions, in one transaction
    that also clears their dirty marks. Returns how many events the blocks now hold."""
    with Session(engine) as session, session.begin():
        rows = session.execute(select(MentionRow.block_key, MentionRow.data).where(MentionRow.block_key.in_(keys))
                               .order_by(MentionRow.block_key, MentionRow.id)).all()
        mentions_by_block: dict[str, list[Mention]] = {}
        for row in rows:
            mentions_by_block.setdefault(row.block_key, []).append(mention_from_plain(row.data))
        documents = _source_infos_in(session, {m.document_id for ms in mentions_by_block.values() for m in ms})
        splits: dict[str, str] = {}
        for split in session.scalars(select(EventSplitRow).where(EventSplitRow.block_key.in_(keys))):
            splits.update({mention_id: f"split-{split.id}" for mention_id in split.mention_ids})
        old = select(EventRow.id).where(EventRow.block_key.in_(keys))
        session.execute(delete(EventMentionRow).where(EventMentionRow.event_id.in_(old)))
        session.execute(delete(EventSearchRow).where(EventSearchRow.event_id.in_(old)))
        session.execute(delete(EventRow).where(EventRow.block_key.in_(keys)))
        events = [(key, e) for key, ms in mentions_by_block.items() for e in merge_block(ms, documents, splits)]
        rows = [_event_row(key, event) for key, event in events]
        session.add_all(rows)
        session.flush()
        session.add_all(EventSearchRow.of(row.record) for row in rows)
        session.add_all(EventMentionRow(event_id=e.id, mention_id=m) for _, e in events for m in e.mention_ids)
        session.execute(delete(DirtyBlockRow).where(DirtyBlockRow.block_key.in_(keys)))
        return len(events)


def _source_infos_in(session: Session, document_ids: set[str]) -> dict[str, SourceInfo]:
    ids, out = list(document_ids), {}
    for start in range(0, len(ids), 500):
        for row in session.execute(select(DocumentRow.id, DocumentRow.outlet, DocumentRow.url, DocumentRow.published,
                                          DocumentRow.duplicate_of, DocumentRow.language).where(DocumentRow.id.in_(ids[start:start + 500]))):
            out[row.id] = SourceInfo(row.outlet, row.url, row.published, row.duplicate_of, row.language)
    return out


def _event_row(key: str, event: Event) -> EventRow:
    return EventRow(
        id=event.id, type=event.type, block_key=key,
        date_start=event.date.start if event.date else None,
        date_end=event.date.end if event.date else None,
        date_precision=event.date.precision if event.date else None,
        country=event.location.country if event.location else None,
        place=event.location.name if event.location else None,
        lat=event.location.lat if event.location else None,
        lon=event.location.lon if event.location else None,
        confidence=event.confidence, record=(record := event_record(event)), summary=list_summary(record),
    )


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
