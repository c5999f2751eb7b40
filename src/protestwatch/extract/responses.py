"""The state's response and the protesters' tactics, each from a fixed vocabulary with evidence."""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Span as SpacySpan

from protestwatch.extract.text import doc_text
from protestwatch.lang import load
from protestwatch.records import Span, Tagged


@cache
def _response_cues(language: str) -> list[tuple[str, re.Pattern]]:
    out = []
    for value, spec in load("responses", language)["values"].items():
        if spec["cues"]:
            alternatives = "|".join(re.escape(c) for c in sorted(spec["cues"], key=len, reverse=True))
            out.append((value, re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)))
    return out


@cache
def responses_implied_by(language: str = "en") -> dict[str, str]:
    """Event type -> the state response it is (a detention at a protest is 'arrests')."""
    out = {}
    for value, spec in load("responses", language)["values"].items():
        for event_type in spec["from_types"]:
            out[event_type] = value
    return out


def find_responses(sentence: SpacySpan, language: str = "en") -> list[Tagged]:
    found = []
    for value, pattern in _response_cues(language):
        match = pattern.search(sentence.text)
        if match:
            start = sentence.start_char + match.start()
            found.append(Tagged(value, Span(start, start + len(match.group(0)), match.group(0))))
    return found


@cache
def _tactic_words(language: str) -> dict[str, str]:
    return {word: tactic for tactic, words in load("tactics", language).items() for word in words}


def find_tactics(sentence: SpacySpan, quotes: list[tuple[int, int]], language: str = "en") -> list[Tagged]:
    """Tactics named in a protest sentence; chanted or written slogans keep their quoted text."""
    words = _tactic_words(language)
    found: list[Tagged] = []
    seen: set[str] = set()
    text = doc_text(sentence.doc)
    for token in sentence:
        tactic = words.get(token.lemma_.lower())
        if tactic is None or tactic in seen:
            continue
        seen.add(tactic)
        evidence = Span(token.idx, token.idx + len(token), token.text)
        slogans = [text[s:e] for s, e in quotes] if tactic in ("chanting", "placards_portraits") else []
        if slogans:
            found.extend(Tagged(tactic, evidence, quote=slogan.strip("\u201c\u201d\"")) for slogan in slogans)
        else:
            found.append(Tagged(tactic, evidence))
    return found
