"""Rules as data: YAML files loaded once. Language-specific files live in a folder per language."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

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
)
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
def load(name: str, language: str | None = None) -> Any:
    """Load `lexicon/<language>/<name>.yaml` (or `lexicon/<name>.yaml` when language is None)."""
    folder = resources.files(__package__)
    if language:
        folder = folder / language
    with (folder / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
