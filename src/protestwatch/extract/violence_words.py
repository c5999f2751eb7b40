"""The words of political violence in a sentence (lang/<language>/triggers.yaml, `political_violence`):
the means it was done with ('a roadside bomb', 'air strikes', 'gunmen') and how many it killed ('12 people
were killed', 'left three dead'), each with the text that states it."""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.counts import quantities
from protestwatch.extract.text import doc_text
from protestwatch.lang import load
from protestwatch.records import Count, Span, Tagged
from protestwatch.schema.taxonomy import MEANS


@cache
def violence_words(language: str) -> dict:
    spec = load("triggers", language)
    pv = spec.get("political_violence", {})
    return {
        "armed": spec["armed_actors"],
        "non_state": pv.get("non_state_armed", []),
        "victims": pv.get("political_victims", []),
        "military_targets": frozenset(pv.get("military_targets", [])),
        "crowds": pv.get("civilian_crowds", []),
        "armed_victims": frozenset(pv.get("armed_victims", [])),
        "legal_heads": frozenset(pv.get("legal_heads", [])),
        "armed_groups": pv.get("armed_groups", []),
        "criminal_motives": pv.get("criminal_motives", []),
        "harm_only": frozenset(pv.get("harm_only_verbs", [])),
        "not_explosive": frozenset(pv.get("not_explosive_modifiers", [])),
        "references": frozenset(pv.get("reference_prepositions", [])),
        "means": {name: pv.get("means", {}).get(name, []) for name in MEANS},
        "fatality_verbs": frozenset(pv.get("fatality_verbs", [])),
        "fatality_adjectives": frozenset(pv.get("fatality_adjectives", [])),
        "fatality_nouns": frozenset(pv.get("fatality_nouns", [])),
        "lethal_nouns": frozenset(pv.get("lethal_nouns", [])),
        "toll_verbs": frozenset(pv.get("toll_verbs", [])),
        "cause_prepositions": frozenset(pv.get("cause_prepositions", [])),
        "clash_words": frozenset(w for w in spec["riot"]["verbs"] + spec["riot"]["nouns"]
                                 if w in ("clash", "fight", "fighting", "battle")) | {"clash", "fight", "battle"},
    }


def names_any(sentence: SpacySpan, words: list[str]) -> bool:
    """Whether the sentence names one of the words (a single word by its lemma or form, a phrase as written)."""
    single = {w.lower() for w in words if " " not in w}
    lowered = sentence.text.lower()
    return any(t.lemma_.lower() in single or t.lower_ in single for t in sentence) or any(
        re.search(rf"\b{re.escape(w.lower())}\b", lowered) for w in words if " " in w)



def names_means(sentence: SpacySpan, language: str, only: tuple[str, ...] = MEANS) -> bool:
    """Whether the sentence names one of these means of violence outside a point of reference ('the worst
    attack since the 1941 bombing' names no bomb of the attack)."""
    return any(_tagged(sentence, words, language) for name, words in violence_words(language)["means"].items()
               if name in only)


def _tagged(sentence: SpacySpan, words: list[str], language: str) -> Span | None:
    """Where the sentence first names one of the words (the longest first), not inside a 'since' phrase."""
    lowered = sentence.text.lower()
    references = violence_words(language)["references"]
    for word in sorted(words, key=len, reverse=True):
        for match in re.finditer(rf"\b{re.escape(word.lower())}\b", lowered):
            start = sentence.start_char + match.start()
            token = next((t for t in sentence if t.idx <= start < t.idx + len(t)), None)
            if token is not None and any(a.lower_ in references and a.dep_ == "prep" for a in token.ancestors):
                continue
            if token is not None and crowd_control(token, language):
                continue
            return Span(start, start + len(word), sentence.text[match.start():match.end()])
    return None


def crowd_control(token: Token, language: str) -> bool:
    """'tear gas bombs', 'sound grenades', 'petrol bombs': munitions of crowd control or of a riot, not
    explosives of armed violence."""
    modifiers = violence_words(language)["not_explosive"]
    return any(t.lower_ in modifiers for t in token.doc[max(token.i - 2, 0):token.i])


def find_means(sentence: SpacySpan, language: str) -> list[Tagged]:
    """The means of violence the sentence names ('a roadside bomb', 'air strikes', 'gunmen'), each with
    the words that name it."""
    out: list[Tagged] = []
    for name, words in violence_words(language)["means"].items():
        span = _tagged(sentence, words, language)
        if span is not None:
            out.append(Tagged(name, span))
    return out


def find_fatalities(sentence: SpacySpan, language: str) -> Count | None:
    """How many were killed, as the sentence states it: '12 people were killed', 'killing at least five',
    'left three dead', 'a death toll of nine', '20 dead'; counts of conjoined nouns add up ('four soldiers
    and seven militants were killed' is 11)."""
    words = violence_words(language)
    first: tuple[Count, Token] | None = None
    total_min = total_max = 0
    for match, bounds, start, end, tokens in quantities(sentence, language):
        noun = tokens[-1].head if tokens[-1].dep_ == "nummod" else tokens[-1]
        if first is None:
            if not _counts_the_dead(tokens[-1], words):
                continue
            first = (Count(bounds[0], bounds[1], Span(start, end, match.group(0))), noun)
        elif noun.i not in {c.i for c in first[1].conjuncts}:
            continue
        total_min = None if total_min is None or bounds[0] is None else total_min + bounds[0]
        total_max = None if total_max is None or bounds[1] is None else total_max + bounds[1]
        last_end = end
    if first is None:
        return None
    count = first[0]
    if (total_min, total_max) == (count.min, count.max):
        return count
    text = doc_text(sentence.doc)[count.span.start:last_end]
    return Count(total_min, total_max, Span(count.span.start, last_end, text))


def _counts_the_dead(number: Token, words: dict) -> bool:
    following = number.nbor(1) if number.i + 1 < len(number.doc) else None
    if following is not None and following.lower_ in words["fatality_adjectives"]:
        return True  # "20 dead"
    token = number
    for _ in range(4):
        if token.dep_ == "agent" or (token.dep_ == "pobj" and token.head.lower_ == "by"):
            return False  # "killed by two gunmen": the killers, not the dead
        if token.dep_ == "nsubj" and token.head.lemma_.lower() in words["fatality_verbs"]:
            return False  # "two gunmen killed a guard"
        if token.lemma_.lower() in words["fatality_verbs"]:
            return True  # "12 people were killed", "killing at least five"
        if token.lemma_.lower() in words["fatality_nouns"] and token is not number:
            return True  # "a death toll of nine"
        if any(c.lower_ in words["fatality_adjectives"] and c.dep_ in ("oprd", "acomp", "amod") for c in token.children):
            return True  # "left three dead"
        if token.head.i == token.i or token.pos_ == "VERB":
            break
        token = token.head
    return False


@cache
def _armed_group_pattern(language: str) -> re.Pattern:
    words = violence_words(language)["non_state"]
    return re.compile(r"\b(?:" + "|".join(re.escape(w.lower()) for w in sorted(words, key=len, reverse=True)) + r")\b")


def names_armed_groups(text: str, language: str) -> bool:
    """Whether a report names armed men outside the state anywhere ('militants', 'gunmen', 'armed men')."""
    return _armed_group_pattern(language).search(text.lower()) is not None
