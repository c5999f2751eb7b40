"""The relevance classifier: trained reproducibly, shipped as JSON, used as the parse gate."""

import csv
import json

from protestwatch.learn.relevance import current_model, model_from_json, shipped_model, using_model
from protestwatch.train import train

PROTESTS = ["Hundreds of workers protested in {c} on Monday demanding higher wages.",
            "Students rallied outside parliament in {c}, chanting slogans against the government.",
            "Police detained dozens of demonstrators at an opposition march in {c}.",
            "Residents blocked roads in {c} to demand water supplies, and police dispersed them."]
OTHERS = ["The central bank in {c} kept interest rates unchanged on Monday.",
          "The football team from {c} won the cup final before a large crowd.",
          "A new bridge over the river in {c} opened to traffic this week.",
          "Soldiers clashed with rebels near {c}, killing two fighters."]
CITIES = ["Lima", "Accra", "Dhaka", "Minsk", "Quito", "Dakar", "Osh", "Baku", "Lagos", "Kyiv"]


def _dev(folder):
    folder.mkdir()
    rows = [{"text": t.format(c=c), "label": label} for c in CITIES
            for templates, label in ((PROTESTS, 1), (OTHERS, 0)) for t in templates]
    (folder / "glocon_document_Sabinet.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    with (folder / "acled_global_2020.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["event_type", "notes"])
        writer.writerows([["Protests", f"On 3 May 2020, teachers protested in {c}. [size=no report]"] for c in CITIES])
        writer.writerows([["Battles", f"On 3 May 2020, militants attacked an army post in {c}."] for c in CITIES])
    return folder


def test_training_is_reproducible_byte_for_byte(tmp_path):
    dev = _dev(tmp_path / "dev")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    train(dev, first)
    train(dev, second)
    assert first.read_bytes() == second.read_bytes()
    model = model_from_json(first.read_text())
    assert model.probability("Thousands protested in Nairobi demanding wages.") > 0.5
    assert model.probability("The bank kept interest rates unchanged.") < 0.5
    assert 0 < model.gate_threshold < 1


def test_the_shipped_model_loads_and_is_in_the_coder_version():
    from protestwatch.coder import coder_version

    model = shipped_model()
    assert model is not None and model.version in coder_version()
    assert model.probability("Police detained dozens of protesters in Almaty on Sunday.") >= model.gate_threshold
    with using_model(None):
        assert current_model() is None and "relevance" not in coder_version()
    assert current_model() is model


def test_a_document_the_model_rejects_is_stored_but_not_parsed(tmp_path):
    from protestwatch.run import run_pipeline
    from protestwatch.store import open_store

    train(_dev(tmp_path / "dev"), tmp_path / "model.json")
    model = model_from_json((tmp_path / "model.json").read_text())
    text = "The central bank in Lima kept interest rates unchanged as shares rallied on Monday."
    assert model.probability(text) < model.gate_threshold
    feed = tmp_path / "f.jsonl"
    feed.write_text(json.dumps({"id": "x", "text": text}) + "\n")
    with using_model(model):
        summary = run_pipeline([feed], open_store(str(tmp_path / "e.db")))
    assert (summary.documents_new, summary.documents_parsed) == (1, 0)
    with using_model(None):  # the keyword gate alone lets it through ("rallied")
        assert run_pipeline([feed], open_store(str(tmp_path / "e2.db"))).documents_parsed == 1


def test_the_train_command_never_writes_over_the_shipped_models_by_default(tmp_path, monkeypatch):
    from importlib import resources

    from typer.testing import CliRunner

    from protestwatch.cli import app

    shipped = resources.files("protestwatch.learn") / "models"
    before = {name: (shipped / name).read_bytes() for name in ("relevance.json", "subtype.json")}
    dev = _dev(tmp_path / "dev")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["train", "--dev", str(dev)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "trained-models" / "relevance.json").exists()
    assert {name: (shipped / name).read_bytes() for name in before} == before
