import csv
import io
import json
from importlib import resources

import jsonschema
import pytest

from protestwatch.errors import ExportError
from protestwatch.export import write_records
from protestwatch.export.acled_csv import ACLED_COLUMNS
from protestwatch.store.repository import iter_event_records


@pytest.fixture(scope="module")
def schema():
    with (resources.files("protestwatch") / "schema" / "event.schema.json").open() as handle:
        return json.load(handle)


@pytest.fixture()
def records(examples_db):
    _, engine, _ = examples_db
    return list(iter_event_records(engine))


def test_every_jsonl_record_validates_against_the_schema(records, schema):
    out = io.StringIO()
    assert write_records(records, "jsonl", out) == len(records) > 0
    for line in out.getvalue().splitlines():
        jsonschema.validate(json.loads(line), schema)


def test_evidence_offsets_point_at_the_quoted_text(records, examples_db):
    from protestwatch.store.repository import get_document

    _, engine, _ = examples_db
    texts = {}
    for record in records:
        for item in record["evidence"] + [{**s, "text": s["sentence"]} for s in record["sources"]]:
            if item["document"] not in texts:
                texts[item["document"]] = get_document(engine, item["document"]).text
            assert texts[item["document"]][item["start"]:item["end"]] == item["text"]


def test_csv_has_acled_columns_and_one_row_per_event(records):
    out = io.StringIO()
    write_records(records, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0])[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert len(rows) == len(records)
    protest = next(r for r in rows if r["pw_type"] == "protest" and r["location"] == "Almaty" and r["year"] == "2021")
    assert protest["event_type"] == "Protests"
    assert protest["sub_event_type"] == "Protest with intervention"
    assert protest["actor1"] == "Protesters (Kazakhstan)"
    assert protest["country"] == "Kazakhstan" and protest["iso"] == "398" and protest["geo_precision"] == "1"
    assert protest["event_date"] == "2021-02-28" and protest["time_precision"] == "1"


def test_geojson_is_a_feature_collection_with_points(records):
    out = io.StringIO()
    write_records(records, "geojson", out)
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == len(records)
    located = [f for f in collection["features"] if f["geometry"]]
    assert located and all(f["geometry"]["type"] == "Point" for f in located)
    lon, lat = located[0]["geometry"]["coordinates"]
    assert located[0]["properties"]["location"]["lat"] == lat and located[0]["properties"]["location"]["lon"] == lon


def test_unknown_format_is_an_error():
    with pytest.raises(ExportError, match="unknown export format"):
        write_records([], "xml", io.StringIO())


def test_parquet_is_typed_and_streams_in_row_groups(records, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from protestwatch.export import parquet, write_file

    monkeypatch.setattr(parquet, "BATCH", 5)  # several row groups even for the small example set
    path = tmp_path / "events.parquet"
    assert write_file(iter(records), "parquet", str(path)) == len(records)
    table = pq.read_table(path)
    assert table.num_rows == len(records) and pq.ParquetFile(path).num_row_groups == -(-len(records) // 5)
    assert str(table.schema.field("date_start").type) == "date32[day]"
    row = table.slice(0, 1).to_pylist()[0]
    assert row["id"] == records[0]["id"] and row["evidence"][0]["text"] == records[0]["evidence"][0]["text"]


def test_parquet_needs_a_file():
    with pytest.raises(ExportError, match="binary format"):
        write_records([], "parquet", io.StringIO())


def test_jsonl_lines_read_back_as_the_records_they_were_written_from():
    import json

    from protestwatch.export.jsonl import jsonl_chunks

    records = [{"id": "ev_1", "location": {"text": "Алматы", "name": "Almaty"}, "participants": {"min": 50}},
               {"id": "ev_2", "note": 2 ** 70}]  # beyond 64 bits: written by the standard library
    lines = list(jsonl_chunks(records))
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    assert [json.loads(line) for line in lines] == records
    assert "Алматы" in lines[0]  # UTF-8 as written, not escaped
