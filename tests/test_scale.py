"""Scale features on real components: Dask (a real LocalCluster), incremental and resumable runs
(a real SIGKILL), near-copies of syndicated stories."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from protestwatch.eval.corpus import build_corpus, load_sources
from protestwatch.link.rebuild import rebuild_events
from protestwatch.run import run_pipeline
from protestwatch.store import open_store
from protestwatch.store.repository import iter_event_records

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "examples"


def _records(engine):
    return list(iter_event_records(engine))


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The bundled examples coded in this process: what every other way of running must give."""
    engine = open_store(str(tmp_path_factory.mktemp("ref") / "events.db"))
    run_pipeline([BUNDLED], engine)
    return _records(engine)


def test_dask_local_workers_give_the_same_events(tmp_path, reference):
    engine = open_store(str(tmp_path / "e.db"))
    summary = run_pipeline([BUNDLED], engine, workers=2)
    assert summary.documents_new == 8 and not summary.failures  # one of them in Russian
    assert _records(engine) == reference


def test_local_workers_start_without_dasks_malloc_trim_setting(monkeypatch):
    """Dask's MALLOC_TRIM_THRESHOLD_ turns every large numpy allocation into mmap/munmap (kernel time);
    protestwatch's local workers run without it, even when an earlier nanny left it in the environment,
    and keep Dask's single-threaded BLAS."""
    from distributed import Client

    from protestwatch.run import local_cluster

    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    with local_cluster(1) as cluster, Client(cluster, set_as_default=False) as client:
        environments = client.run(lambda: {k: os.environ.get(k) for k in ("MALLOC_TRIM_THRESHOLD_", "OPENBLAS_NUM_THREADS")})
    assert list(environments.values()) == [{"MALLOC_TRIM_THRESHOLD_": None, "OPENBLAS_NUM_THREADS": "1"}]
    assert os.environ["MALLOC_TRIM_THRESHOLD_"] == "65536"  # this process's environment is given back


def test_existing_dask_cluster_by_scheduler_address(tmp_path, reference):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        engine = open_store(str(tmp_path / "e.db"))
        run_pipeline([BUNDLED], engine, scheduler=cluster.scheduler_address)
    assert _records(engine) == reference


def test_grown_folder_codes_only_the_new_documents(tmp_path, reference):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("bishkek_rally.txt", "tbilisi_march.html"):
        shutil.copy(BUNDLED / name, folder)
    engine = open_store(str(tmp_path / "e.db"))
    assert run_pipeline([folder], engine).documents_new == 2
    for name in ("wire_feed.jsonl", "minsk_sentence.docx", "osh_picket_ru.txt", "kidal_violence.txt"):
        shutil.copy(BUNDLED / name, folder)
    summary = run_pipeline([folder], engine)
    assert (summary.documents_new, summary.documents_known) == (6, 2)
    assert _records(engine) == reference
    rebuild_events(engine, everything=True)  # merging only what changed equals merging everything
    assert _records(engine) == reference


def test_reprocess_codes_everything_again(tmp_path, reference):
    engine = open_store(str(tmp_path / "e.db"))
    run_pipeline([BUNDLED], engine)
    summary = run_pipeline([BUNDLED], engine, reprocess=True)
    assert (summary.documents_new, summary.documents_known) == (8, 0)
    assert _records(engine) == reference


def _corpus(path: Path, size: int) -> None:
    background, reports = load_sources(None, [BUNDLED])
    with path.open("w") as handle:
        for record in build_corpus(size, background, reports, seed=3):
            handle.write(json.dumps(record) + "\n")


def test_a_run_killed_halfway_then_resumed_gives_the_events_of_a_clean_run(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    _corpus(corpus, 400)
    clean = open_store(str(tmp_path / "clean.db"))
    run_pipeline([corpus], clean)

    db = tmp_path / "killed.db"
    command = [sys.executable, "-m", "protestwatch", "run", str(corpus), "--db", str(db)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "COLUMNS": "100"})
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db, timeout=0.1) as connection:
                stored = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.OperationalError:
            continue
        if stored >= 60:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert 0 < stored < 400

    resumed = open_store(str(db))
    summary = run_pipeline([corpus], resumed)
    assert summary.documents_known >= stored
    assert _records(resumed) == _records(clean)


def test_syndicated_copy_is_a_source_but_not_independent_evidence(tmp_path):
    story = ("Police in Bishkek detained at least 20 people on Saturday as several hundred demonstrators "
             "gathered outside the city hall, demanding the resignation of the mayor over rising bus fares. "
             "Officers later used tear gas to disperse the crowd, witnesses said.")
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in [
        {"id": "wire", "text": story, "source": "Wire", "published": "2023-03-12"},
        {"id": "copy", "text": story + " (Reporting by staff.)", "source": "Reprint", "published": "2023-03-13"},
    ]) + "\n")
    single = tmp_path / "single.jsonl"
    single.write_text(feed.read_text().splitlines()[0] + "\n")
    engine = open_store(str(tmp_path / "e.db"))
    run_pipeline([feed], engine)
    alone = open_store(str(tmp_path / "alone.db"))
    run_pipeline([single], alone)
    protest = next(r for r in _records(engine) if r["type"] == "protest")
    by_document = {s["document"]: s for s in protest["sources"]}
    assert by_document["copy"]["duplicate_of"] == "wire" and by_document["wire"]["duplicate_of"] is None
    assert protest["confidence"] == next(r for r in _records(alone) if r["type"] == "protest")["confidence"]


def test_the_original_of_a_syndicated_story_does_not_depend_on_which_copy_came_first(tmp_path):
    """The earliest published copy is the original (then the smallest id), in whatever order, run or batch
    the copies arrive; a later run that brings an earlier copy moves the stored copies onto it."""
    story = ("Police in Osh detained at least 15 people on Saturday as several hundred traders gathered outside "
             "the mayor's office, demanding lower market fees. Officers later used tear gas to disperse the "
             "crowd, witnesses said.")
    lines = {
        "reprint": {"id": "reprint", "text": story + " (Reporting by staff.)", "source": "Reprint",
                    "published": "2023-03-14"},
        "wire": {"id": "wire", "text": story, "source": "Wire", "published": "2023-03-12"},
        "mirror": {"id": "mirror", "text": story + " (Copied.)", "source": "Mirror", "published": "2023-03-13"},
    }
    originals = []
    for order in (["reprint", "mirror", "wire"], ["wire", "reprint", "mirror"]):
        engine = open_store(str(tmp_path / f"{order[0]}.db"))
        for name in order:  # one run per copy: the stored original must give way to an earlier copy
            feed = tmp_path / f"{name}.jsonl"
            feed.write_text(json.dumps(lines[name]) + "\n")
            run_pipeline([feed], engine)
        protest = next(r for r in _records(engine) if r["type"] == "protest")
        originals.append({s["document"]: s["duplicate_of"] for s in protest["sources"]})
    assert originals[0] == originals[1] == {"wire": None, "mirror": "wire", "reprint": "wire"}
