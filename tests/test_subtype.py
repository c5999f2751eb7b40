"""The ACLED sub-event type model: trained reproducibly, run with the standard library, and allowed to
overrule the rules' sub-event type only where it may (an arrest stays an arrest), visibly so."""

import csv
import json

import pytest

from protestwatch.learn import subtype
from protestwatch.link.merge import merge_mentions
from protestwatch.schema.record import event_record
from protestwatch.train import train

CITIES = ["Lima", "Accra", "Dhaka", "Quito", "Dakar", "Lagos", "Osh", "Baku"]
NOTES = {
    "Peaceful protest": "On 3 May 2020, teachers protested in {c} demanding unpaid salaries.",
    "Violent demonstration": "On 3 May 2020, protesters threw stones at shops in {c} over fuel prices.",
    "Mob violence": "On 3 May 2020, locals beat up a suspected thief in {c}.",
    "Protest with intervention": "On 3 May 2020, police dispersed students who marched in {c}.",
}


def _dev(folder):
    folder.mkdir()
    (folder / "glocon_document_Sabinet.jsonl").write_text(
        "\n".join(json.dumps({"text": f"Workers rallied in {c}.", "label": 1}) for c in CITIES) + "\n"
        + "\n".join(json.dumps({"text": f"The bank in {c} kept rates unchanged.", "label": 0}) for c in CITIES) + "\n")
    with (folder / "acled_global_2020.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["event_type", "sub_event_type", "notes"])
        for label, note in NOTES.items():
            event_type = "Riots" if label in subtype.RIOT_SUB_TYPES else "Protests"
            writer.writerows([[event_type, label, note.format(c=c) + " [size=no report]"] for c in CITIES])
        writer.writerows([["Battles", "Armed clash", f"On 3 May 2020, militants attacked an army post in {c}."]
                          for c in CITIES])
    return folder


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("subtype")
    dev = _dev(folder / "dev")
    first, second = folder / "a" / "relevance.json", folder / "b" / "relevance.json"
    result = train(dev, first)
    train(dev, second)
    return result, first.with_name("subtype.json"), second.with_name("subtype.json")


def test_training_is_reproducible_byte_for_byte(trained):
    result, first, second = trained
    assert result["subtype_examples"] == len(NOTES) * len(CITIES)  # battles are not in its scope
    assert first.read_bytes() == second.read_bytes()


def test_the_model_run_without_scikit_learn_reads_back_what_it_learned(trained):
    _, path, _ = trained
    model = subtype.model_from_json(path.read_text())
    right = sum(
        max(model.probabilities(note.format(c=c), "Peaceful protest").items(), key=lambda kv: kv[1])[0] == label
        for label, note in NOTES.items() for c in CITIES)
    assert right / (len(NOTES) * len(CITIES)) >= 0.9
    probabilities = model.probabilities("locals beat up a man", "none")
    assert abs(sum(probabilities.values()) - 1.0) < 1e-9


def _model(classes, term_weights, rule_weights=None, min_probability=0.5):
    """A hand-made model: one term per entry of term_weights, {term: [weight per class]}."""
    terms = sorted(term_weights)
    rules = sorted(rule_weights or {})
    coef = [[term_weights[t][k] for t in terms] + [(rule_weights or {})[r][k] for r in rules]
            for k in range(len(classes))]
    spec = {"classes": classes, "terms": terms, "idf": [1.0] * len(terms), "rule_features": rules,
            "coef": coef, "intercept": [0.0] * len(classes), "min_probability": min_probability}
    return subtype.model_from_json(json.dumps(spec))


def test_decisions_need_the_minimum_probability_and_never_make_an_arrest():
    classes = ["Arrests", "Mob violence", "Peaceful protest"]
    model = _model(classes, {"lynched": [0.0, 9.0, 0.0], "detained": [9.0, 0.0, 0.0], "gathered": [0.0, 0.2, 0.0]})
    assert model.decide("a crowd lynched a man", "Violent demonstration")[0] == "Mob violence"
    assert model.decide("police detained the marchers", "Peaceful protest") is None  # an arrest stays an arrest
    assert model.decide("people gathered", "Peaceful protest") is None  # not sure enough


def test_the_rules_label_is_a_feature():
    classes = ["Mob violence", "Violent demonstration"]
    model = _model(classes, {"stones": [0.0, 0.0]}, {"rules=Violent demonstration": [0.0, 6.0]})
    assert model.decide("they threw stones", "Violent demonstration")[0] == "Violent demonstration"
    assert model.decide("they threw stones", "Mob violence") is None  # 50/50: the rules stand


def test_the_model_overrules_the_rules_in_the_record_and_says_so(parse):
    document, mentions = parse("On 3 May 2020, residents threw stones at a shop in Lima.")
    documents = {}
    with subtype.using_model(None):
        (ruled,) = [e for e in merge_mentions(mentions, documents) if e.type == "riot"]
    record = event_record(ruled)
    assert record["acled"]["basis"] == "rules" and record["acled"]["probability"] is None

    model = _model(["Mob violence", "Violent demonstration"], {"shop": [0.0, 8.0]})
    with subtype.using_model(model):
        (learned,) = [e for e in merge_mentions(mentions, documents) if e.type == "riot"]
        record = event_record(learned)
        assert model.version in record["coder"]
    assert record["acled"] == {"event_type": "Riots", "sub_event_type": "Violent demonstration", "basis": "model",
                               "probability": record["acled"]["probability"]}
    assert record["acled"]["probability"] > 0.99
    assert record["plover"]["mode"] == "riot" and record["type"] == "riot"  # the event itself is unchanged


def test_a_detention_keeps_its_arrests_code_whatever_the_model_says(parse):
    _, mentions = parse("On 3 May 2020, police detained five journalists in Lima.")
    model = _model(["Mob violence", "Peaceful protest"], {"journalists": [0.0, 9.0]})
    with subtype.using_model(model):
        records = [event_record(e) for e in merge_mentions(mentions, {})]
    detentions = [r for r in records if r["type"] == "detention"]
    assert detentions and all(r["acled"]["sub_event_type"] == "Arrests" and r["acled"]["basis"] == "rules"
                              for r in detentions)


def test_the_shipped_model_is_in_the_coder_version():
    from protestwatch.coder import coder_version

    model = subtype.shipped_model()
    assert model is not None and f"subtype-{model.version}" in coder_version()
    with subtype.using_model(None):
        assert "subtype" not in coder_version()
