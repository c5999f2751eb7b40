"""How many, in Russian: 'около 60 человек' (60), 'более 40 задержанных' (40..), 'от 30 до 45 человек',
'10-12 тысяч человек', 'несколько десятков активистов' (24..99), 'сотни протестующих' (200..999). The words
and ranges are the language pack's (lang/ru/quantities.yaml); a number counts people only when a people
noun follows it. It counts the detained when it stands with a detention ('задержали около 30 пикетчиков',
'задержано 11 человек') or names them ('212 задержанных'), else the crowd."""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Span as SpacySpan

from protestwatch.extract.counts import bound_range
from protestwatch.lang import load
from protestwatch.records import Count, Span

DETENTION_WINDOW = 6  # words between a count and the detention it counts
NOUN_WINDOW = 3  # words between a number and the people noun it counts


@cache
def _grammar() -> dict:
    spec = load("quantities", "ru")
    approx = {word: kind for kind, words in spec["approx"].items() for word in words}
    approx_alt = "|".join(re.escape(w) for w in sorted(approx, key=len, reverse=True))
    words_alt = "|".join(re.escape(w) for w in sorted(spec["numbers"], key=len, reverse=True))
    mult_alt = "|".join(re.escape(w) for w in sorted(spec["multipliers"], key=len, reverse=True))
    number = rf"(?:\d{{1,3}}(?:[ \u00a0]\d{{3}})+|\d+(?:[.,]\d+)?|{words_alt})"
    vague_alt = "|".join(re.escape(w) for w in sorted(spec["vague"], key=len, reverse=True))
    pattern = re.compile(
        rf"(?<!\w)(?:(?P<approx>{approx_alt})\s+)?(?:(?P<vague>{vague_alt})|(?:от\s+)?(?P<lo>{number})"
        rf"(?:\s*(?:-|\u2013|\u2014|−|до)\s*(?P<hi>{number}))?(?:\s*(?P<mult>{mult_alt})\.?)?)(?!\w)", re.I)
    return {"pattern": pattern, "approx": approx, "vague": {k: tuple(v) for k, v in spec["vague"].items()},
            "numbers": spec["numbers"], "multipliers": spec["multipliers"],
            "people": frozenset(spec["people_nouns"]), "detained": frozenset(spec["detained_nouns"])}


def _number(text: str, grammar: dict) -> int | None:
    cleaned = text.lower().replace("\u00a0", "").replace(" ", "")
    if cleaned in grammar["numbers"]:
        return grammar["numbers"][cleaned]
    try:
        return int(float(cleaned.replace(",", ".")))
    except ValueError:
        return None


def _range(match: re.Match, grammar: dict) -> tuple[int | None, int | None] | None:
    if match["vague"]:
        low, high = grammar["vague"][match["vague"].lower()]
        kind = grammar["approx"].get((match["approx"] or "").lower())
        return (low, None) if kind in ("above", "at_least") else (low, high)
    factor = grammar["multipliers"].get((match["mult"] or "").lower().rstrip("."), 1)
    low = _number(match["lo"], grammar)
    if low is None:
        return None
    low *= factor
    if match["hi"]:
        high = _number(match["hi"], grammar)
        return (low, high * factor) if high is not None and high * factor >= low else None
    # 'около N' is N in the coding rules: no tolerance widens a Russian number
    return bound_range(low, grammar["approx"].get((match["approx"] or "").lower()), 0.0) or (low, low)


def find_counts_ru(sentence: SpacySpan, trigger_types: dict[int, str],
                   dated: list[tuple[int, int]] = ()) -> list[tuple[str, Count]]:
    """(role, Count) for each count of people in the sentence, in text order: role 'participants' or
    'detained'. Numbers inside `dated` spans are days and years ('3 мая'), not counts."""
    grammar = _grammar()
    doc = sentence.doc
    detentions = [i for i, t in trigger_types.items() if t in ("detention", "sentencing")]
    out: list[tuple[str, Count]] = []
    for match in grammar["pattern"].finditer(sentence.text):
        start, end = sentence.start_char + match.start(), sentence.start_char + match.end()
        if any(s < end and start < e for s, e in dated):
            continue
        numbers = doc.char_span(start, end, alignment_mode="expand")
        if numbers is None:
            continue
        following = [t for t in doc[numbers.end: min(numbers.end + NOUN_WINDOW + 1, sentence.end)] if not t.is_punct]
        noun = next((t for t in following[:NOUN_WINDOW] if t.lemma_.lower() in grammar["people"]
                     or t.lemma_.lower() in grammar["detained"]), None)
        if noun is None:
            continue
        bounds = _range(match, grammar)
        if bounds is None:
            continue
        near_detention = any(abs(i - numbers.start) <= DETENTION_WINDOW for i in detentions)
        role = "detained" if noun.lemma_.lower() in grammar["detained"] or near_detention else "participants"
        out.append((role, Count(bounds[0], bounds[1], Span(start, end, match.group(0)))))
    return out
