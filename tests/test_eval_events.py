"""Event-level scoring of whole articles (`protestwatch eval --format events`), on gold files written
for these tests."""

import json

import pytest
from typer.testing import CliRunner

from protestwatch.cli import app
from protestwatch.errors import GoldFormatError
from protestwatch.eval import evaluate
from protestwatch.eval.articles import (
    count_right,
    date_right,
    held_aside,
    match_article,
    place_fits,
)
from protestwatch.eval.gold import read_articles

ALMATY = (43.238, 76.946)
ASTANA = (51.169, 71.449)


def _predicted(event_type, lat=None, lon=None, country="KZ", start=None, precision="day", year=None, month=None,
               day=None, detained=None, participants=None, event_id="p"):
    return {"id": event_id, "type": event_type, "related": [],
            "date": {"start": start, "precision": precision, "year": year, "month": month, "day": day},
            "location": {"name": "x", "country": country, "lat": lat, "lon": lon,
                         "precision": "city" if lat is not None else "country"},
            "detained": detained, "participants": participants, "evidence": []}


def _gold(event_type, place="Almaty", lat=ALMATY[0], lon=ALMATY[1], country="KZ", date="2021-02-28", **counts):
    return {"type": event_type, "place": place, "lat": lat, "lon": lon, "country": country, "date": date,
            "participants_min": None, "participants_max": None, "detained_min": None, "detained_max": None,
            **counts}


def test_place_within_50_km_or_same_country_when_gold_names_no_place():
    assert place_fits(_gold("protest"), _predicted("protest", 43.3, 76.9))
    assert not place_fits(_gold("protest"), _predicted("protest", *ASTANA))
    assert not place_fits(_gold("protest"), _predicted("protest"))  # a country-level event for a city
    national = _gold("protest", place=None, lat=None, lon=None)
    assert place_fits(national, _predicted("protest"))
    assert not place_fits(national, _predicted("protest", country="KG"))


@pytest.mark.parametrize(("gold", "predicted", "right"), [
    ("2021-02-28", {"start": "2021-02-28", "year": 2021, "month": 2, "day": 28}, True),
    ("2021-02-28", {"start": "2021-02-21", "year": 2021, "month": 2, "day": 21}, False),
    ("2021-02", {"start": "2021-02-01", "year": 2021, "month": 2}, True),
    ("2021", {"start": "2021-05-01", "year": 2021, "month": 5}, True),
    ("--02-28", {"start": None, "year": None, "month": 2, "day": 28}, True),
    ("--02-28", {"start": "2021-02-28", "year": 2021, "month": 2, "day": 28}, False),  # an invented year
    (None, {"start": None, "year": None, "month": None, "day": None}, True),
    (None, {"start": "2021-02-28", "year": 2021, "month": 2, "day": 28}, False),
])
def test_date_is_scored_at_the_golds_precision(gold, predicted, right):
    event = _predicted("protest")
    event["date"] = predicted
    assert date_right({"date": gold}, event) is right


def test_counts_stated_number_inside_the_range_or_the_same_band():
    assert count_right(50, 50, {"min": 45, "max": 55})
    assert count_right(50, 50, {"min": 60, "max": 60})  # both in 1-99
    assert not count_right(50, 50, {"min": 150, "max": 150})
    assert count_right(100, None, {"min": 100, "max": None})  # "more than 100"
    assert not count_right(50, 50, None)


def test_matching_is_one_to_one_and_prefers_the_same_type_and_date():
    gold = [_gold("detention"), _gold("dispersal")]
    predicted = [_predicted("dispersal", *ALMATY, start="2021-02-28", event_id="a"),
                 _predicted("detention", *ALMATY, start="2021-02-28", event_id="b"),
                 _predicted("detention", *ALMATY, start="2021-02-28", event_id="c")]
    pairs = match_article(gold, predicted)
    assert pairs == {0: 1, 1: 0}
    # a protest and a riot are one family; a detention is not found by a protest
    assert match_article([_gold("protest")], [_predicted("riot", *ALMATY)]) == {0: 0}
    assert match_article([_gold("detention")], [_predicted("protest", *ALMATY)]) == {}
    assert match_article([_gold("protest")], [_predicted("riot", *ALMATY)], same_type=True) == {}


def test_matching_settles_ties_by_the_pairing_as_a_whole():
    # the second gold fits neither candidate's date: it must not take the first gold's right-dated one
    gold = [_gold("protest", date="2021-02-28"), _gold("protest", date="2021-03-07")]
    predicted = [_predicted("protest", *ALMATY, start="2021-02-28", event_id="a"),
                 _predicted("protest", *ALMATY, start="2021-02-21", event_id="b")]
    assert match_article(gold, predicted) == {0: 0, 1: 1}
    # the same for counts: the gold with 300 detained keeps the event that counts 300
    gold = [_gold("detention", detained_min=300, detained_max=300), _gold("detention")]
    predicted = [_predicted("detention", *ALMATY, start="2021-02-28", detained={"min": 300, "max": 300}),
                 _predicted("detention", *ALMATY, start="2021-02-28", detained={"min": 1, "max": 1})]
    assert match_article(gold, predicted) == {0: 0, 1: 1}
    # more pairs always win over better-fitting ones
    gold = [_gold("protest"), _gold("protest", place="Astana", lat=ASTANA[0], lon=ASTANA[1])]
    predicted = [_predicted("protest", *ALMATY, start="2021-02-28"),
                 _predicted("protest", 43.3, 76.9, start="2021-02-21")]
    assert len(match_article(gold, predicted)) == 1
    gold = [_gold("protest"), _gold("protest")]
    assert match_article(gold, predicted) in ({0: 0, 1: 1}, {0: 1, 1: 0})
    assert match_article([], predicted) == {} and match_article(gold, []) == {}


def test_held_aside_fifth_is_fixed_and_independent_of_order():
    ids = [f"en{n:03d}" for n in range(1, 71)]
    aside = held_aside(ids)
    assert len(aside) == 14
    assert held_aside(list(reversed(ids))) == aside
    assert held_aside(ids, seed=1) != aside


ARTICLES = [
    {"id": "a1", "title": "Rally in Almaty", "published": "2021-02-28", "source": "Test Wire",
     "text": "Rally in Almaty\n\nAbout 200 people rallied in Almaty on Sunday, demanding the release of political "
             "prisoners. Police detained 50 of the protesters, a spokesman said."},
    {"id": "a2", "title": "Markets", "published": "2021-03-05", "source": "Test Wire",
     "text": "Markets\n\nStocks rallied on Friday as investors cheered upbeat earnings from technology companies."},
    # political violence, which the article gold sets do not code: set aside, not a false event
    {"id": "a3", "title": "Attack", "published": "2021-03-07", "source": "Test Wire",
     "text": "Attack near Kidal\n\nGunmen opened fire on traders at a market near Kidal on Saturday, killing "
             "three people."},
]
GOLD = [
    {"doc": "a1", "type": "protest", "date": "2021-02-28", "place": "Almaty", "country": "KZ", "lat": ALMATY[0],
     "lon": ALMATY[1], "participants_min": 200, "participants_max": 200, "detained_min": None, "detained_max": None,
     "quote": "About 200 people rallied in Almaty on Sunday"},
    {"doc": "a1", "type": "detention", "date": "2021-02-28", "place": "Almaty", "country": "KZ", "lat": ALMATY[0],
     "lon": ALMATY[1], "participants_min": None, "participants_max": None, "detained_min": 50, "detained_max": 50,
     "quote": "Police detained 50 of the protesters"},
]


@pytest.fixture()
def gold_files(tmp_path):
    articles = tmp_path / "articles.jsonl"
    articles.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES))
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in GOLD))
    return articles


def test_reader_links_gold_events_to_their_articles_and_refuses_strays(gold_files, tmp_path):
    items = read_articles(gold_files)
    assert [(i.id, len(i.fields["events"]), i.label) for i in items] == [("a1", 2, "1"), ("a2", 0, "0"),
                                                                         ("a3", 0, "0")]
    assert items[0].meta["published"] == "2021-02-28"
    stray = tmp_path / "stray.jsonl"
    stray.write_text(json.dumps({**GOLD[0], "doc": "zz"}) + "\n")
    with pytest.raises(GoldFormatError, match="zz"):
        read_articles(gold_files, stray)


def test_events_eval_runs_the_pipeline_with_each_articles_date(gold_files):
    result = evaluate(gold_files, "events")
    headline = result.headline
    assert headline["gold events"] == 2 and headline["articles"] == 3
    assert headline["event recall"] == 1.0
    assert headline["political-violence events, not coded by the gold (set aside)"] == 1
    assert headline["events on negative articles"] == 0 and headline["event precision"] == 1.0
    assert headline["date at gold precision (found)"] == 1.0  # "on Sunday" against the article's own date
    assert headline["detained count (found, stated)"] == 1.0
    assert headline["events on negative articles"] == 0
    view = result.articles[0]
    assert set(view.pairs) == {0, 1}


def test_events_eval_command_writes_a_report_with_each_article(gold_files, tmp_path):
    report = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["eval", str(gold_files), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "event F1" in result.output
    html = report.read_text()
    assert 'id="a1"' in html and "Stocks rallied" in html and "G2 detention" in html
