"""The rule files are data: check they agree with each other and with the schema."""

import json
from importlib import resources

from protestwatch.lang import load
from protestwatch.schema import typemap
from protestwatch.schema.taxonomy import (
    DEMAND_CATEGORIES,
    EVENT_TYPES,
    FAMILIES,
    MEANS,
    STATE_RESPONSES,
    type_table,
)


def _schema():
    with (resources.files("protestwatch") / "schema" / "event.schema.json").open() as handle:
        return json.load(handle)["properties"]


def test_every_type_has_words_and_mappings():
    triggers = load("triggers", "en")
    assert set(type_table()) == set(EVENT_TYPES)
    for event_type in EVENT_TYPES:
        entry = triggers[event_type]
        assert entry.get("verbs") or entry.get("nouns") or entry.get("phrases"), event_type
        assert typemap.acled(event_type)["event_type"] in {"Protests", "Riots", "Strategic developments",
                                                          "Violence against civilians", "Explosions/Remote violence",
                                                          "Battles"}
        assert typemap.plover(event_type)["event"] in {"PROTEST", "COERCE", "ASSAULT", "THREATEN", "FIGHT"}
        assert typemap.family(event_type) in FAMILIES
        assert typemap.cameo(event_type).isdigit()


def test_vocabularies_match_the_schema():
    schema = _schema()
    assert set(schema["type"]["enum"]) == set(EVENT_TYPES)
    assert set(schema["demands"]["items"]["properties"]["category"]["enum"]) == set(DEMAND_CATEGORIES)
    assert set(schema["state_response"]["items"]["enum"]) == set(STATE_RESPONSES)
    assert set(schema["family"]["enum"]) == set(FAMILIES)
    assert set(schema["means"]["items"]["enum"]) == set(MEANS)
    assert set(load("triggers", "en")["political_violence"]["means"]) == set(MEANS)
    assert set(load("demands", "en")["categories"]) == set(DEMAND_CATEGORIES)
    assert set(load("responses", "en")["values"]) | {"none_reported"} == set(STATE_RESPONSES)


def test_cameo_refinements_name_known_categories():
    for category in type_table()["protest"]["cameo_by_demand"]:
        assert category in DEMAND_CATEGORIES
    assert typemap.cameo("protest", ["release_of_prisoners"]) == "1413"
    assert typemap.cameo("protest", []) == "141"


def test_acled_sub_event_follows_the_state_response():
    assert typemap.acled("protest", [])["sub_event_type"] == "Peaceful protest"
    assert typemap.acled("protest", ["arrests"])["sub_event_type"] == "Protest with intervention"
    assert typemap.acled("protest", ["beatings"])["sub_event_type"] == "Protest with intervention"
    assert typemap.acled("protest", ["arrests"], ["violence_against_protesters"])["sub_event_type"] == (
        "Excessive force against protesters")
    assert typemap.acled("riot", [], [], political=True)["sub_event_type"] == "Violent demonstration"
    assert typemap.acled("riot", [], [], political=False)["sub_event_type"] == "Mob violence"


def test_every_language_pack_file_parses():
    # a regex-like entry ('sub-?district') must be quoted in YAML, or the whole pack fails to load
    from importlib import resources

    import yaml

    files = [f for folder in resources.files("protestwatch.lang").iterdir() if folder.is_dir()
             for f in folder.iterdir() if f.name.endswith(".yaml")]
    assert len(files) >= 10
    for path in files:
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path.name


def test_political_violence_codes_follow_the_means():
    assert typemap.family("attack") == typemap.family("armed_clash") == "political_violence"
    assert typemap.family("violence_against_protesters") == "repression" and typemap.family("riot") == "protest"
    assert typemap.acled("explosion")["sub_event_type"] == "Remote explosive/landmine/IED"
    assert typemap.acled("explosion", means=["firearms", "air_strike"])["sub_event_type"] == "Air/drone strike"
    assert typemap.plover("explosion", ["shelling"]) == {"event": "FIGHT", "mode": "artillery"}
    assert typemap.cameo("explosion", [], ["air_strike"]) == "195"
    assert typemap.cameo("attack", [], ["assassination"]) == "186"
    assert typemap.acled("abduction")["event_type"] == "Violence against civilians"
    assert typemap.acled("armed_clash") == {"event_type": "Battles", "sub_event_type": "Armed clash"}
    assert set(typemap.types_of_family("political_violence")) == {"attack", "abduction", "explosion", "armed_clash"}
