"""Shared fixtures: the real NLP model and gazetteer (loaded once per session), sample databases."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUNDLED_EXAMPLES = REPO / "examples"
SHARED_EXAMPLES = REPO.parent / "shared" / "examples"


@pytest.fixture(scope="session")
def nlp():
    from protestwatch.nlp import load_model

    return load_model("en")


@pytest.fixture(scope="session")
def gazetteer():
    from protestwatch.extract.places import default_gazetteer

    return default_gazetteer()


@pytest.fixture(scope="session")
def shared_examples() -> Path:
    if not SHARED_EXAMPLES.is_dir():
        pytest.skip(f"the team's shared examples are not beside the clone ({SHARED_EXAMPLES})")
    return SHARED_EXAMPLES


@pytest.fixture()
def parse(nlp, gazetteer):
    """Text -> (document, mentions) through the real extraction stages, no database."""
    from protestwatch.extract.mentions import extract_mentions
    from protestwatch.ingest import build_document
    from protestwatch.ingest.formats import RawDocument

    def run(text: str, published=None):
        document = build_document(RawDocument(text=text, published=published), "test.txt", "txt")
        return document, extract_mentions(document, nlp(document.text), nlp, gazetteer)

    return run


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory, shared_examples):
    """A real SQLite file with the shared examples run through the whole pipeline."""
    from protestwatch.run import run_pipeline
    from protestwatch.store import open_store

    path = tmp_path_factory.mktemp("db") / "events.db"
    engine = open_store(str(path))
    summary = run_pipeline([shared_examples], engine)
    return path, engine, summary


def _postgres_admin_url() -> str | None:
    import os

    return os.environ.get("PROTESTWATCH_TEST_POSTGRES")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """The same test on both backends: a fresh SQLite file, and a fresh database on the PostgreSQL
    server that .ci/run starts (scripts/start-postgres.sh); skipped, with the reason, without one."""
    if request.param == "sqlite":
        yield str(tmp_path / "events.db")
        return
    admin = _postgres_admin_url()
    if not admin:
        pytest.skip("no PostgreSQL server: run `eval \"$(bash scripts/start-postgres.sh)\"` first")
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"pw_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # the server named by the environment is not reachable
        pytest.skip(f"PostgreSQL at {admin} is not usable: {exc.__class__.__name__}: {exc}")
    yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()
