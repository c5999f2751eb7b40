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
    from protestwatch.pipeline import run_pipeline
    from protestwatch.store import open_store

    path = tmp_path_factory.mktemp("db") / "events.db"
    engine = open_store(str(path))
    summary = run_pipeline([shared_examples], engine)
    return path, engine, summary
