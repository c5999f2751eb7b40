"""The event store: SQLite by default (a path), any SQLAlchemy URL otherwise. One writer, in
transactions: a document and its mentions are written together or not at all."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import orjson
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError

from protestwatch.errors import StoreError


def database_url(db: str) -> str:
    """'events.db' -> 'sqlite:///events.db'; a URL with a scheme is used as it is."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser()}"


BUSY_WAIT_MS = 30_000


def read_json(text: str | bytes):
    """A stored record's JSON, read by orjson (several times faster than the standard library: reading
    records is most of a list request); what orjson refuses (NaN, Infinity) by json. orjson reads an
    integer beyond 64 bits as a float."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def write_json(value, default=None, plain_default=None) -> bytes:
    """Compact UTF-8 JSON written by orjson (several times faster than the standard library on pages and
    exports of records); what orjson refuses (an integer beyond 64 bits) by the standard library.
    `default` serves orjson, `plain_default` the standard library, for types neither knows."""
    try:
        return orjson.dumps(value, default=default)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=plain_default).encode("utf-8")


def open_store(db: str) -> Engine:
    """Open (and create or upgrade to the latest schema) the database named by a path or URL."""
    url = database_url(db)
    if url.startswith("sqlite:///"):
        parent = Path(url.removeprefix("sqlite:///")).parent
        if not parent.exists():
            raise StoreError(f"cannot create database {db}: folder {parent} does not exist")
    try:
        engine = create_engine(url, json_deserializer=read_json)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        raise StoreError(f"cannot open database {db}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        migrate(engine)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open database {db}: {exc.__class__.__name__}: {exc}") from exc
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # another writer's lock (a second run, a reviewer's save): SQLite waits and retries for this long itself
    cursor.execute(f"PRAGMA busy_timeout={BUSY_WAIT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


# The newest migration (store/migrations/versions); a test keeps it equal to Alembic's head.
HEAD_REVISION = "0007"


def migrate(engine: Engine) -> None:
    if schema_revision(engine) == HEAD_REVISION:
        return  # already at the latest schema: no need to import Alembic (a third of a second) to learn so
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files(__package__) / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def schema_revision(engine: Engine) -> str | None:
    """The migration the database is at; None for a new database."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None
