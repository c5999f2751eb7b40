"""`protestwatch eval` on small gold files written for these tests (not copied from the dev data)."""

import csv
import json

import pytest
from typer.testing import CliRunner

from protestwatch.cli import app
from protestwatch.errors import GoldFormatError
from protestwatch.eval import evaluate
from protestwatch.eval.gold import detect_format, read_gold
from protestwatch.eval.metrics import km_between, macro_f1, per_class
from protestwatch.eval.sizes import size_tag_range

ACLED_ROWS = [
    # event_id_cnty, event_date, event_type, sub_event_type, actor1, country, location, lat, lon, notes
    ("KAZ1", "2021-03-03", "Protests", "Peaceful protest", "Protesters (Kazakhstan)", "Kazakhstan", "Almaty",
     43.25, 76.91, "On 3 March 2021, about 200 teachers protested in Almaty demanding higher wages. [size=about 200]"),
    ("KAZ2", "2021-03-04", "Riots", "Violent demonstration", "Rioters (Kazakhstan)", "Kazakhstan", "Shymkent",
     42.3, 69.6, "On 4 March 2021, protesters threw stones at police and burned tyres in Shymkent over gas prices. [size=no report]"),
    ("KAZ3", "2021-03-05", "Battles", "Armed clash", "Military Forces of Kazakhstan", "Kazakhstan", "Aktobe",
     50.28, 57.2, "On 5 March 2021, soldiers clashed with armed men near Aktobe. 2 killed."),
    ("KAZ4", "2021-03-06", "Strategic developments", "Arrests", "Police Forces of Kazakhstan", "Kazakhstan", "Astana",
     51.18, 71.45, "On 6 March 2021, police arrested an opposition activist in Astana."),
]


@pytest.fixture()
def acled_file(tmp_path):
    path = tmp_path / "acled.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "country",
                         "location", "latitude", "longitude", "notes"])
        writer.writerows(ACLED_ROWS)
    return path


def test_acled_reader_strips_the_size_tag_into_gold(acled_file):
    fmt, items = read_gold(acled_file)
    assert fmt == "acled" and len(items) == 4
    assert items[0].text.endswith("higher wages.") and items[0].fields["size"] == "about 200"
    assert items[0].fields["date"].isoformat() == "2021-03-03"


def test_older_upper_case_layout(tmp_path):
    path = tmp_path / "old.csv"
    path.write_text("EVENT_ID_CNTY,EVENT_DATE,EVENT_TYPE,ACTOR1,ALLY_ACTOR_1,COUNTRY,LOCATION,LATITUDE,LONGITUDE,NOTES\n"
                    '1KAZ,03-March-2021,Riots/Protests,Protesters (Kazakhstan),,Kazakhstan,Almaty,43.25,76.91,'
                    '"Hundreds of farmers rallied in Almaty on Wednesday over land sales."\n')
    _, (item,) = read_gold(path)
    assert item.label == "Riots/Protests" and item.fields["sub_event_type"] is None
    assert item.fields["date"].isoformat() == "2021-03-03"
    result = evaluate(path)
    assert result.headline["type accuracy"] == 1.0


def test_acled_scores_field_by_field(acled_file):
    result = evaluate(acled_file)
    h = result.headline
    assert h["rows scored"] == 3
    assert h["sub-event accuracy"] == 1.0
    assert h["protest rows with no protest event (missed)"] == 0.0
    assert h["other rows given a protest event (invented)"] == 0.0
    assert h["date exact (rows with an event)"] == 1.0
    assert h["within 25 km"] == 1.0 and h["country correct"] == 1.0
    assert h["crowd sizes scored"] == 1 and h["crowd size (range contains / same band)"] == 1.0
    assert h["actor1 match"] == 1.0
    # the armed clash row is political violence: found, of the right type, and no protest row crossed over
    assert h["political-violence rows"] == 1
    assert h["political violence: family found"] == 1.0
    assert h["political violence: type right (all rows)"] == 1.0
    assert h["protest rows given a political-violence event"] == 0.0


def test_glocon_documents_and_sentences(tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "text": "Thousands of workers marched through Durban on Monday demanding higher wages.", "label": 1},
        {"id": "b", "text": "The rand weakened against the dollar on Monday, traders said.", "label": 0},
        {"id": "c", "text": "Unclear item.", "label": 2},
        # GLOCON's positive class includes political violence
        {"id": "d", "text": "A car bomb exploded outside a police station in Durban on Monday, killing four people.",
         "label": 1},
    ]) + "\n")
    sentences = tmp_path / "sentences.jsonl"
    sentences.write_text(json.dumps({"id": "s1", "sentence": "Students protested in Cape Town.", "label": 1}) + "\n")
    assert detect_format(docs) == "glocon-doc" and detect_format(sentences) == "glocon-sentence"
    result = evaluate(docs)
    assert result.headline["items"] == 3  # label 2 is skipped
    assert result.headline["macro_f1"] == 1.0
    assert evaluate(sentences).headline["recall"] == 1.0


def test_case_task2_snippets(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps([
        {"EventSnippet": "Hundreds of students protested peacefully in Bogota on Friday.", "SubType": "PEACE_PROTEST"},
        {"EventSnippet": "Police arrested three journalists in Minsk on Friday.", "SubType": "ARREST"},
        {"EventSnippet": "The minister opened a new school.", "SubType": "OTHER"},
    ]))
    result = evaluate(path, "case-task2")
    assert result.headline["accuracy"] == 1.0


def test_unknown_formats_are_clear_errors(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"foo": 1}) + "\n")
    with pytest.raises(GoldFormatError, match="pass --format"):
        detect_format(path)


def test_metrics():
    scores = per_class(["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "b"])
    assert (scores[0].precision, scores[0].recall) == (1.0, 0.5)
    assert macro_f1(scores) == pytest.approx((2 / 3 + 0.8) / 2)
    assert km_between(43.25, 76.91, 43.25, 76.91) == 0
    assert 960 < km_between(43.25, 76.91, 51.18, 71.45) < 980  # Almaty - Astana
    assert size_tag_range("around 50") == (45, 55) and size_tag_range("no report") is None


def test_cli_eval_writes_an_html_report_that_escapes_gold_text(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "x", "label": 1, "text": "<script>alert(1)</script> nothing happened."}) + "\n")
    report = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["eval", str(path), "--report", str(report)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    html = report.read_text()
    assert "<svg" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html


def test_a_text_the_coder_fails_on_is_reported_not_silently_scored(monkeypatch, caplog):
    import protestwatch.run as run
    from protestwatch.eval.gold import GoldItem
    from protestwatch.eval.runner import code_items

    def broken(documents, gazetteer=None):
        raise RuntimeError("parser broke")

    monkeypatch.setattr(run, "extract_documents", broken)
    with caplog.at_level("WARNING", logger="protestwatch.eval.runner"):
        events = code_items([GoldItem(id="a", text="Police detained ten protesters in Osh on Monday.", label="1")])
    assert events == {}
    assert any("not coded" in r.message and "parser broke" in r.message for r in caplog.records)
