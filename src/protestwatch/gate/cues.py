"""Lexical cues read without parsing. The gate reads them before anything is parsed; extraction reuses
them (a demand cue tells a protest from other gatherings), so they live at the earlier stage."""

from __future__ import annotations

import re
from functools import cache

from protestwatch.lang import load


@cache
def demand_cue_pattern(language: str) -> re.Pattern:
    cues = sorted(load("demands", language)["cues"], key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(re.escape(c) for c in cues)})\b", re.IGNORECASE)


def has_demand_cue(text: str, language: str = "en") -> bool:
    """Whether the text words a demand ('demanding', 'calling for', 'against the'...)."""
    return demand_cue_pattern(language).search(text) is not None
