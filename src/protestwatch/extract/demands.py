"""Why: what the protesters demand, as free text plus a category from a fixed list
(lang/en/demands.yaml). Read from demand clauses ('calling for the release of political
prisoners'), slogans ('Freedom to political prisoners!') and 'anti-X' modifiers of protesters."""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Span as SpacySpan

from protestwatch.extract.text import doc_text
from protestwatch.gate.cues import demand_cue_pattern
from protestwatch.lang import load
from protestwatch.records import Demand, Span


@cache
def _clause_end(language: str) -> re.Pattern:
    """Where a demand clause ends: punctuation, or where the police come in ('..., and police detained')."""
    spec = load("demands", language)
    conjunctions = "|".join(map(re.escape, spec["clause_end_conjunctions"]))
    subjects = "|".join(map(re.escape, spec["clause_end_subjects"]))
    return re.compile(rf"[.;:!?\u201c\u201d\"]|,|\s+(?:{conjunctions})\s+(?:{subjects})\b")
_MAX_CLAUSE = 140


@cache
def _category_patterns(language: str) -> list[tuple[str, re.Pattern]]:
    categories = []
    for category, cues in load("demands", language)["categories"].items():
        alternatives = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
        categories.append((category, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)))
    return categories


def categorize(text: str, language: str = "en") -> list[str]:
    categories = _category_patterns(language)
    return [name for name, pattern in categories if pattern.search(text)]


def _demands_in(text: str, start: int, language: str) -> list[Demand]:
    return [Demand(category, text, Span(start, start + len(text), text)) for category in categorize(text, language)]


def find_demands(sentence: SpacySpan, quotes: list[tuple[int, int]], language: str = "en") -> list[Demand]:
    """Demands stated in a sentence. `quotes` are document ranges of quoted text within it (slogans)."""
    cue_pattern = demand_cue_pattern(language)
    text = doc_text(sentence.doc)
    found: list[Demand] = []
    for match in cue_pattern.finditer(sentence.text):
        clause_start = sentence.start_char + match.start()
        rest = text[sentence.start_char + match.end(): sentence.end_char]
        stop = _clause_end(language).search(rest)
        clause_end = sentence.start_char + match.end() + (stop.start() if stop else len(rest))
        clause_end = min(clause_end, clause_start + _MAX_CLAUSE)
        found.extend(_demands_in(text[clause_start:clause_end].rstrip(" ,"), clause_start, language))
    for start, end in quotes:
        found.extend(_demands_in(text[start:end], start, language))
    for token in sentence:
        if token.lower_.startswith("anti-") and token.dep_ in ("amod", "compound"):
            found.extend(_demands_in(token.text, token.idx, language))
    return _dedupe(found)


def _dedupe(demands: list[Demand]) -> list[Demand]:
    seen: set[tuple[str, int]] = set()
    out = []
    for demand in demands:
        key = (demand.category, demand.span.start if demand.span else -1)
        if key not in seen:
            seen.add(key)
            out.append(demand)
    return out
