"""Hostile and concurrent use (issue #18): another writer's lock, a second run on the same input, oversized
writes. Each case is the real store (a SQLite file) or the real app, never a mock of it."""

import os
import sqlite3

import pytest
from fastapi.testclient import TestClient

from protestwatch import run as pipeline
from protestwatch import store
from protestwatch.errors import DatabaseBusy
from protestwatch.ingest import build_document
from protestwatch.ingest.formats import RawDocument
from protestwatch.review.users import add_user
from protestwatch.review.web.app import create_app
from protestwatch.run import Extracted, RunSummary
from protestwatch.store import open_store, repository


def _extracted(text: str) -> Extracted:
    return Extracted(build_document(RawDocument(text=text), "t.txt", "txt"), [], False, None)


def test_a_document_another_run_stored_first_is_already_stored_not_an_error(tmp_path):
    engine = open_store(str(tmp_path / "e.db"))
    first, second = _extracted("Police detained ten picketers in Osh."), _extracted("A rally was held in Naryn.")
    repository.save_document(engine, first.document, [])  # the other run, between our check and our write
    summary = RunSummary()
    stored = pipeline._store_batch(engine, [first, second], repository.start_run(engine), False, summary)
    assert [item.document.id for item in stored] == [second.document.id]
    assert summary.failures == [] and summary.documents_known == 1


@pytest.fixture()
def locked(tmp_path, monkeypatch):
    """A database another writer holds locked; short waits, so the test does not sit out the real ones."""
    monkeypatch.setattr(store, "BUSY_WAIT_MS", 50)
    monkeypatch.setattr(pipeline, "BUSY_RETRIES", (0.01, 0.01))
    path = tmp_path / "busy.db"
    engine = open_store(str(path))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    yield engine, holder
    holder.close()


def test_a_locked_database_is_waited_for_then_refused_in_one_line_and_nothing_half_stored(locked):
    engine, holder = locked
    item = _extracted("Police detained ten picketers in Osh.")
    with pytest.raises(DatabaseBusy, match="locked by another writer"):
        pipeline._store_batch(engine, [item], 1, False, RunSummary())
    holder.execute("ROLLBACK")  # the other writer is done: the same write goes through
    assert pipeline._store_batch(engine, [item], repository.start_run(engine), False, RunSummary()) == [item]
    assert repository.known_document_ids(engine, [item.document.id]) == {item.document.id}


def test_a_correction_while_another_writer_holds_the_lock_is_a_503_to_retry(locked, tmp_path):
    engine, holder = locked
    holder.execute("ROLLBACK")
    token = add_user(engine, "alice")
    pipeline.run_pipeline([_write(tmp_path)], engine)
    client = TestClient(create_app(engine))
    event_id = client.get("/api/events").json()["items"][0]["id"]
    holder.execute("BEGIN EXCLUSIVE")
    response = client.patch(f"/api/events/{event_id}", json={"type": "riot"},
                            headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503 and response.json()["code"] == "PW201"
    assert response.headers["retry-after"] == "5"


def _write(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Police detained ten picketers outside the mayor's office in Osh on 3 May 2024.\n")
    return path


def test_a_killed_run_is_closed_as_interrupted_by_the_next_start(tmp_path):
    import socket
    import subprocess
    import sys

    from sqlalchemy.orm import Session
    from typer.testing import CliRunner

    from protestwatch.cli import app
    from protestwatch.store.models import RunRow

    db = tmp_path / "runs.db"
    engine = open_store(str(db))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    with Session(engine) as session, session.begin():
        # a run killed mid-way (its process is gone), one still going (this process), one on another machine
        session.add_all([RunRow(started_at=repository._now(), coder_version="c", status="running",
                                pid=int(gone.stdout), host=socket.gethostname()),
                         RunRow(started_at=repository._now(), coder_version="c", status="running",
                                pid=os.getpid(), host=socket.gethostname()),
                         RunRow(started_at=repository._now(), coder_version="c", status="running",
                                pid=1, host="another-machine")])
    newest = repository.start_run(engine)
    statuses = {run.id: run.status for run in repository.list_runs(engine)}
    assert statuses == {1: "interrupted", 2: "running", 3: "running", newest: "running"}
    repository.finish_run(engine, newest, documents_new=0, documents_known=0, failures=[], events=0)
    shown = CliRunner().invoke(app, ["runs", "--db", str(db)])
    assert shown.exit_code == 0 and "interrupted" in shown.output and "finished" in shown.output
