"""The event taxonomy: the closed lists a record's fields take their values from, and the type table
(types.yaml) that maps each event type to its family and its ACLED, PLOVER and CAMEO codes."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from protestwatch.lang import read_yaml

EVENT_TYPES = (
    "protest",
    "riot",
    "detention",
    "violence_against_protesters",
    "dispersal",
    "ban",
    "internet_shutdown",
    "summons",
    "sentencing",
    "attack",
    "abduction",
    "explosion",
    "armed_clash",
)
FAMILIES = ("protest", "repression", "political_violence")
# How armed violence was done, as the report names it: refines ACLED, PLOVER and CAMEO codes (types.yaml).
MEANS = ("air_strike", "shelling", "suicide_bomb", "grenade", "explosive", "firearms", "stabbing", "beating",
         "assassination")
# The means that make violence an explosion (ACLED's Explosions/Remote violence).
EXPLOSIVE_MEANS = ("suicide_bomb", "air_strike", "shelling", "grenade", "explosive")
# The crowd's own events: the types whose participants are the protesters (counts, places and merging read them).
CROWD_TYPES = ("protest", "riot")
# Procedures that follow the protest they are about (a summons, a court's ruling): not dated by its day.
LATER_PROCEDURES = ("summons", "sentencing")
DEMAND_CATEGORIES = (
    "labor_wage",
    "land",
    "police_brutality",
    "political_behavior_process",
    "price_tax",
    "removal_of_politician",
    "social_restrictions",
    "release_of_prisoners",
    "rights_freedoms",
)
STATE_RESPONSES = (
    "arrests",
    "dispersal",
    "beatings",
    "internet_block",
    "prevented_gathering",
    "intervention",
    "summons",
    "ban",
    "none_reported",
)


@cache
def type_table() -> dict[str, Any]:
    """types.yaml: per event type, its family and codes."""
    with (resources.files(__package__) / "types.yaml").open(encoding="utf-8") as handle:
        return read_yaml(handle)
