from pathlib import Path

import pytest
from sqlalchemy import String, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from protestwatch.errors import StoreError
from protestwatch.ingest import build_document
from protestwatch.ingest.formats import RawDocument
from protestwatch.records import Mention, Span
from protestwatch.store import database_url, open_store, repository
from protestwatch.store.models import Base, DocumentRow, MentionRow


def _document(text="Police detained 10 protesters in Almaty on Sunday."):
    return build_document(RawDocument(text=text), "t.txt", "txt")


def _mention(document, mention_id="m_1"):
    return Mention(id=mention_id, document_id=document.id, type="detention", sentence=Span(0, 10, document.text[:10]),
                   trigger=Span(7, 15, document.text[7:15]))


def test_the_head_revision_the_store_knows_is_alembics():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from protestwatch import store

    config = Config()
    config.set_main_option("script_location", str(Path(store.__file__).with_name("migrations")))
    assert ScriptDirectory.from_config(config).get_current_head() == store.HEAD_REVISION


def test_paths_become_sqlite_urls():
    assert database_url("events.db") == "sqlite:///events.db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_migrations_create_the_tables_the_models_describe(store_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = open_store(store_url)
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)
    def compare_type(context, inspected, metadata, inspected_type, metadata_type):
        # SQLite ignores VARCHAR lengths, so migrations leave them there as first created (0003)
        if context.dialect.name == "sqlite" and isinstance(metadata_type, String) and isinstance(inspected_type, String):
            return False
        return None  # alembic's own comparison

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": compare_type})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_reopening_an_existing_store_keeps_its_data(store_url):
    document = _document()
    first = open_store(store_url)
    repository.save_document(first, document, [_mention(document)])
    first.dispose()
    assert repository.counts(open_store(store_url))["documents"] == 1


def test_a_document_and_its_mentions_are_written_together_or_not_at_all(store_url):
    engine = open_store(store_url)
    document = _document()
    broken = [_mention(document, "same"), _mention(document, "same")]  # duplicate key fails mid-write
    with pytest.raises(IntegrityError):
        repository.save_document(engine, document, broken)
    with Session(engine) as session:
        assert session.scalars(select(DocumentRow)).all() == []
        assert session.scalars(select(MentionRow)).all() == []


def test_a_batch_is_stored_whole_and_a_bad_document_in_it_is_skipped_alone(store_url):
    from protestwatch.run import Extracted, RunSummary, _store_batch

    engine = open_store(store_url)
    good = [_document(f"Police detained {n} protesters in Almaty on Sunday.") for n in (10, 20)]
    bad = _document("Police detained 30 protesters in Almaty on Sunday.")
    items = [Extracted(good[0], [_mention(good[0], "m_a")], True, None),
             Extracted(bad, [_mention(bad, "m_b"), _mention(bad, "m_b")], True, None),  # duplicate key
             Extracted(good[1], [_mention(good[1], "m_c")], True, None)]
    summary = RunSummary()
    stored = _store_batch(engine, items, None, False, summary)
    assert [i.document.id for i in stored] == [good[0].id, good[1].id]
    assert [path for path, _ in summary.failures] == [bad.path or bad.id]
    assert "could not be stored" in summary.failures[0][1]
    with Session(engine) as session:
        assert sorted(session.scalars(select(DocumentRow.id))) == sorted(d.id for d in good)
        assert sorted(session.scalars(select(MentionRow.id))) == ["m_a", "m_c"]


def test_mentions_round_trip_through_the_store(store_url, parse):
    engine = open_store(store_url)
    document, mentions = parse("Police detained roughly 50 protesters in Almaty on Sunday.",
                               published=__import__("datetime").date(2021, 2, 28))
    repository.save_document(engine, document, mentions)
    assert repository.load_mentions(engine) == sorted(mentions, key=lambda m: m.id)


def test_unusable_database_location_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "missing" / "e.db"))


def test_an_older_store_gets_its_events_search_texts_and_summaries_when_upgraded(tmp_path, shared_examples):
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    from protestwatch import store as store_package
    from protestwatch.run import run_pipeline
    from protestwatch.store.models import EventRow, EventSearchRow, list_summary, search_texts

    engine = open_store(str(tmp_path / "events.db"))
    run_pipeline([shared_examples], engine)
    config = Config()
    config.set_main_option("script_location", str(resources.files(store_package.__name__) / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    assert "event_search" not in inspect(engine).get_table_names()
    assert "summary" not in {column["name"] for column in inspect(engine).get_columns("events")}
    upgraded = open_store(str(tmp_path / "events.db"))
    with Session(upgraded) as session:
        records = {row.id: row.record for row in session.scalars(select(EventRow))}
        texts = {row.event_id: (row.place, row.actors, row.text) for row in session.scalars(select(EventSearchRow))}
        summaries = {row.id: row.summary for row in session.scalars(select(EventRow))}
    assert records and texts == {event_id: search_texts(record) for event_id, record in records.items()}
    # and their list summaries (migration 0007), as new events get them
    assert summaries == {event_id: list_summary(record) for event_id, record in records.items()}
