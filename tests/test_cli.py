"""The whole run through the command line, as a user types it, on a real SQLite file."""

import json
import shutil
from importlib import resources

import jsonschema
import pytest
from typer.testing import CliRunner

from protestwatch.cli import app

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def _export(db):
    result = _run("export", "--db", db, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def _find(records, event_type, place=None, **date):
    return [
        r for r in records
        if r["type"] == event_type and (place is None or r["location"]["name"] == place)
        and all(r["date"][k] == v for k, v in date.items())
    ]


@pytest.fixture(scope="module")
def example_records(tmp_path_factory, shared_examples):
    db = tmp_path_factory.mktemp("cli") / "events.db"
    result = _run("run", shared_examples, "--db", db)
    assert result.exit_code == 0, result.output
    assert "2 new documents" in result.stdout and "0 failed" in result.stdout
    return db, _export(db)


def test_almaty_protest_of_28_february_2021(example_records):
    _, records = example_records
    (protest,) = _find(records, "protest", "Almaty", start="2021-02-28")
    assert protest["date"]["precision"] == "day" and protest["date"]["text"] == "on Sunday"
    assert (protest["detained"]["min"], protest["detained"]["max"]) == (45, 55)
    assert protest["detained"]["text"] == "Roughly 50"
    assert "internet_block" in protest["state_response"] and "arrests" in protest["state_response"]
    assert "release_of_prisoners" in {d["category"] for d in protest["demands"]}
    assert any("opposition" in a["name"] for a in protest["actors"])
    assert protest["location"]["geonames_id"] == 1526384
    shutdown = _find(records, "internet_shutdown", "Almaty", start="2021-02-28")
    assert shutdown and shutdown[0]["id"] in protest["related"]


def test_may_10_protests_with_detentions_and_unknown_year(example_records):
    _, records = example_records
    for city in ("Astana", "Almaty"):
        (protest,) = _find(records, "protest", city, month=5, day=10)
        assert protest["date"]["year"] is None and protest["date"]["precision"] == "month-day"
        assert "arrests" in protest["state_response"]
        organizers = {a["name"] for a in protest["actors"] if a["role"] == "organizer"}
        assert "Democratic Choice of Kazakhstan (DVK)" in organizers and "Ablyazov" in organizers
        assert _find(records, "detention", city, month=5, day=10)


def test_ban_of_dvk_by_astana_court_in_march(example_records):
    _, records = example_records
    (ban,) = _find(records, "ban", "Astana", month=3)
    assert ban["date"]["precision"] == "month" and ban["date"]["year"] is None
    assert {"name": "Democratic Choice of Kazakhstan (DVK)", "role": "target", "kind": "group"} in ban["actors"]
    assert any(a["kind"] == "court" for a in ban["actors"])
    assert (ban["plover"], ban["cameo"]) == ({"event": "COERCE", "mode": "ban"}, "1722")


def test_summons_of_about_a_dozen_activists_on_may_9(example_records):
    _, records = example_records
    (summons,) = _find(records, "summons", month=5, day=9)
    assert (summons["targeted"]["min"], summons["targeted"]["max"]) == (10, 14)
    assert summons["targeted"]["text"] == "about a dozen"


def test_no_event_in_a_city_the_reports_do_not_name(example_records, shared_examples):
    _, records = example_records
    text = " ".join(p.read_text() for p in shared_examples.glob("*.txt"))
    for record in records:
        assert record["location"]["text"] and record["location"]["text"] in text
        if record["location"]["precision"] == "city":
            assert record["location"]["name"] in text


def test_no_event_from_diplomacy_or_advocacy(example_records):
    _, records = example_records
    for record in records:
        for source in record["sources"]:
            assert "Parliamentary Assembly" not in source["sentence"]
            assert "criticized" not in source["sentence"]


def test_published_option_dates_the_undated_report(tmp_path, shared_examples):
    db = tmp_path / "e.db"
    assert _run("run", shared_examples, "--db", db, "--published", "2018-05-10").exit_code == 0
    records = _export(db)
    assert _find(records, "protest", "Astana", start="2018-05-10")
    assert _find(records, "ban", "Astana", start="2018-03-01", end="2018-03-31")
    assert _find(records, "protest", "Almaty", start="2021-02-28")  # its own date wins


def test_the_same_run_on_either_backend_gives_the_same_events(store_url, shared_examples, example_records):
    _, sqlite_records = example_records
    result = _run("run", shared_examples, "--db", store_url)
    assert result.exit_code == 0, result.output
    assert _export(store_url) == sqlite_records


def test_running_again_adds_nothing(example_records, shared_examples):
    db, records = example_records
    result = _run("run", shared_examples, "--db", db)
    assert result.exit_code == 0 and "0 new documents (2 already stored)" in result.stdout
    assert _export(db) == records


def test_bad_files_are_reported_and_the_rest_is_stored(tmp_path, shared_examples):
    folder = tmp_path / "in"
    shutil.copytree(shared_examples, folder)
    (folder / "corrupt.docx").write_bytes(b"PK\x03\x04garbage")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.pdf").write_bytes(b"\x00\x01\x02")
    db = tmp_path / "e.db"
    result = _run("run", folder, tmp_path / "missing.txt", "--db", db)
    assert result.exit_code == 1
    assert "2 new documents" in result.stdout and "4 failed" in result.stdout
    for name in ("corrupt.docx", "empty.txt", "image.pdf", "missing.txt"):
        assert name in result.output
    assert _export(db)


def test_bundled_examples_in_every_format(tmp_path):
    from pathlib import Path

    examples = Path(__file__).resolve().parent.parent / "examples"
    db = tmp_path / "e.db"
    result = _run("run", examples, "--db", db)
    assert result.exit_code == 0, result.output
    records = _export(db)
    bishkek = _find(records, "protest", "Bishkek", start="2023-03-11")
    assert bishkek and {s["outlet"] for s in bishkek[0]["sources"]} == {"Steppe Wire", "Central Asia Dispatch"}
    assert _find(records, "protest", "Tbilisi", start="2023-03-07")
    assert _find(records, "internet_shutdown", "Minsk", start="2020-08-09")
    assert _find(records, "sentencing", "Minsk", start="2021-06-01")
    assert not [r for r in records if r["location"]["name"] == "Almaty"]  # the weather report has no event
    # political violence beside the protest it led to, each in its family
    attack = _find(records, "attack", "Kidal", start="2023-09-17")
    assert attack and attack[0]["family"] == "political_violence" and attack[0]["fatalities"]["min"] == 3
    assert _find(records, "protest", "Kidal", start="2023-09-18")[0]["family"] == "protest"
    assert [r["type"] for r in records if r["type"] == "armed_clash"] == ["armed_clash"]
    violence = _run("events", "--db", db, "--family", "political_violence")
    assert violence.exit_code == 0 and "attack" in violence.stdout and "protest " not in violence.stdout
    assert _run("events", "--db", db, "--family", "violence").exit_code != 0  # not a family: a clear error
    out = tmp_path / "violence.jsonl"
    assert _run("export", "--db", db, "--family", "political_violence", "-o", out).exit_code == 0
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert exported and {r["family"] for r in exported} == {"political_violence"}
    schema = json.loads((resources.files("protestwatch") / "schema" / "event.schema.json").read_text())
    for record in exported:
        jsonschema.validate(record, schema)


def test_events_and_show_commands(example_records):
    db, records = example_records
    table = _run("events", "--db", db, "--type", "ban")
    assert table.exit_code == 0 and "ban" in table.stdout
    shown = _run("show", records[0]["id"], "--db", db)
    assert shown.exit_code == 0
    document = json.loads(shown.stdout)  # one JSON document, nothing else
    assert document["id"] == records[0]["id"] and document["evidence"]
    assert all({"field", "document", "start", "end", "text"} <= set(e) for e in document["evidence"])
    readable = _run("show", records[0]["id"], "--db", db, "--table")
    assert readable.exit_code == 0 and "evidence" in readable.stdout and "offsets" in readable.stdout
    assert _run("show", "ev_0000000000000000", "--db", db).exit_code == 1


def test_export_to_files_in_each_format(example_records, tmp_path):
    db, records = example_records
    for fmt in ("jsonl", "csv", "geojson", "parquet"):
        out = tmp_path / f"events.{fmt}"
        assert _run("export", "--db", db, "--format", fmt, "-o", out).exit_code == 0
        assert out.stat().st_size > 0
    assert _run("export", "--db", db, "--format", "xml").exit_code != 0


def test_library_warnings_go_to_the_log_not_the_terminal(tmp_path, monkeypatch):
    import logging

    from protestwatch.ingest import formats

    def noisy_reader(path):
        logging.getLogger("pypdf._reader").warning("incorrect startxref pointer(1)")
        yield from formats.read_plain_text(path)

    monkeypatch.setitem(formats.READERS, ".txt", ("txt", noisy_reader))
    report = tmp_path / "report.txt"
    report.write_text("Police detained 12 protesters in Osh on Monday.", encoding="utf-8")
    log = tmp_path / "run.log"
    result = runner.invoke(app, ["run", str(report), "--db", str(tmp_path / "e.db"), "--log", str(log)])
    assert result.exit_code == 0, result.output
    assert "startxref" not in result.output
    assert "pypdf._reader" in log.read_text(encoding="utf-8") and "startxref" in log.read_text(encoding="utf-8")
    monkeypatch.undo()  # the plain reader again: nothing to warn about
    quiet = tmp_path / "quiet.log"
    runner.invoke(app, ["run", str(report), "--db", str(tmp_path / "e.db"), "--log", str(quiet)])
    assert not quiet.exists()  # no warning, no file


def test_reading_commands_load_no_nlp_model(example_records):
    """`events`, `show` and `export` read the store: they must start without spaCy, the NLP models or the
    gazetteer (issue #16), nor Alembic for a database already at the latest schema, so each runs in a fresh
    interpreter and reports what it imported."""
    import subprocess
    import sys

    db, records = example_records
    commands = [["events", "--db", str(db)], ["show", records[0]["id"], "--db", str(db)],
                ["export", "--db", str(db), "--format", "csv"], ["runs", "--db", str(db)]]
    probe = ("import sys\nfrom typer.testing import CliRunner\nfrom protestwatch.cli import app\n"
             "result = CliRunner().invoke(app, sys.argv[1:])\nassert result.exit_code == 0, result.output\n"
             "loaded = [m for m in ('spacy', 'natasha', 'protestwatch.nlp.models', 'protestwatch.extract.places', 'alembic')"
             " if m in sys.modules]\nprint('LOADED', loaded)\n")
    for command in commands:
        done = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "LOADED []" in done.stdout, (command, done.stdout[-300:])
