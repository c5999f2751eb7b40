"""Database tables (SQLAlchemy 2). Schema changes are Alembic migrations in `migrations/`;
a test checks that these models and the migrations agree."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    path: Mapped[str | None] = mapped_column(Text)
    source_format: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(256))
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    body_start: Mapped[int] = mapped_column(Integer)
    body_end: Mapped[int | None] = mapped_column(Integer)
    coder_version: Mapped[str] = mapped_column(String(200))
    ingested_at: Mapped[datetime] = mapped_column(DateTime)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    # MinHash signature of the body's word shingles; duplicate_of names the first stored near-copy
    # (a syndicated wire story), which does not count as an independent source.
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    duplicate_of: Mapped[str | None] = mapped_column(String(64))


class DocumentBandRow(Base):
    """LSH bands of the MinHash signatures: documents sharing a band are near-duplicate candidates."""

    __tablename__ = "document_bands"
    __table_args__ = (Index("ix_document_bands_band", "band"),)

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    band: Mapped[int] = mapped_column(BigInteger)


class MentionRow(Base):
    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_document_id", "document_id"), Index("ix_mentions_block_key", "block_key"))

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    # the merge block (the place) this mention belongs to: merging reads one block at a time
    block_key: Mapped[str] = mapped_column(String(128))
    data: Mapped[dict] = mapped_column(JSON)


LISTING_COLUMNS = ("date_start", "id", "date_end", "confidence", "type", "country", "lat", "lon", "place")


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_date_start", "date_start"), Index("ix_events_country", "country"),
                      Index("ix_events_block_key", "block_key"),
                      # every column a list filters or sorts by: a page is found in this index alone, without
                      # reading the table, whose rows carry their records (review/query.py)
                      Index("ix_events_listing", *LISTING_COLUMNS))

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    block_key: Mapped[str] = mapped_column(String(128))
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    place: Mapped[str | None] = mapped_column(String(256))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    record: Mapped[dict] = mapped_column(JSON)
    # what a list shows of the record (list_summary), kept apart: a list of summaries reads a few hundred
    # bytes an event, not its whole record
    summary: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class DirtyBlockRow(Base):
    """Merge blocks whose mentions changed since their events were last built. Written in the same
    transaction as the mentions, cleared in the same transaction as the new events: a run killed at
    any point leaves exactly the blocks that still need merging."""

    __tablename__ = "dirty_blocks"

    block_key: Mapped[str] = mapped_column(String(128), primary_key=True)


# What a list of events shows (the review page's list, map and timeline), besides the review status: the
# rest of a record (sources, evidence, actors, demands, codes) is read one event at a time.
SUMMARY_FIELDS = ("id", "type", "family", "date", "location", "confidence", "participants", "detained", "fatalities")


def list_summary(record: dict) -> dict:
    return {key: record.get(key) for key in SUMMARY_FIELDS}


def search_texts(record: dict) -> tuple[str, str, str]:
    """What the list filters look in, lower-cased: (the place as named and as written; the actors' names,
    one per line; the sentences, place, actors and demands that `q` searches). The filters decide on these
    both in the database (event_search) and in Python (review/query.EventFilter), so they cannot disagree."""
    where = record["location"]
    actors = [a["name"] for a in record["actors"]]
    text = " ".join([s["sentence"] for s in record["sources"]] + [where["name"] or ""] + actors +
                    [d["text"] for d in record["demands"]])
    return f"{where['name'] or ''} {where['text'] or ''}".lower(), "\n".join(actors).lower(), text.lower()


class EventSearchRow(Base):
    """The texts an event's list filters search (search_texts), in a narrow table of their own: read
    through the events' rows, each carrying its whole record, a text filter cost a scan of every record."""
    __tablename__ = "event_search"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    place: Mapped[str] = mapped_column(Text)
    actors: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)

    @classmethod
    def of(cls, record: dict) -> EventSearchRow:
        place, actors, text = search_texts(record)
        return cls(event_id=record["id"], place=place, actors=actors, text=text)


class EventMentionRow(Base):
    __tablename__ = "event_mentions"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    mention_id: Mapped[str] = mapped_column(ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True)


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    coder_version: Mapped[str] = mapped_column(String(200))
    documents_new: Mapped[int] = mapped_column(Integer, default=0)
    documents_known: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    events: Mapped[int] = mapped_column(Integer, default=0)
    # running | finished | interrupted (a run found dead by the next one: killed, or its machine stopped)
    status: Mapped[str] = mapped_column(String(12), default="running", server_default="finished")
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))


class RunFailureRow(Base):
    __tablename__ = "run_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)


class UserRow(Base):
    """A reviewer. Only a hash of the token is kept."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # None: the token does not expire


class CorrectionRow(Base):
    """A reviewer's value for one field of one event, kept beside the machine's value, never over it.
    The newest correction of a field is the one in force."""

    __tablename__ = "corrections"
    __table_args__ = (Index("ix_corrections_event_id", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    user: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ReviewRow(Base):
    __tablename__ = "reviews"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # approved | rejected
    user: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class AuditRow(Base):
    """Every human change: who, when, what, the value before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_event_id", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # correct | approve | reject
    field: Mapped[str | None] = mapped_column(String(32))
    old_value: Mapped[object] = mapped_column(JSON, nullable=True)
    new_value: Mapped[object] = mapped_column(JSON, nullable=True)
    user: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime)


class EventMergeRow(Base):
    """A reviewer's decision that `merged_id` reports the same happening as `event_id`."""

    __tablename__ = "event_merges"

    merged_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64))
    user: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime)


class EventSplitRow(Base):
    """A reviewer's decision that these mentions are another happening: merging keeps them apart."""

    __tablename__ = "event_splits"
    __table_args__ = (Index("ix_event_splits_block_key", "block_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    block_key: Mapped[str] = mapped_column(String(128))
    event_id: Mapped[str] = mapped_column(String(64))
    mention_ids: Mapped[list] = mapped_column(JSON)
    user: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime)
