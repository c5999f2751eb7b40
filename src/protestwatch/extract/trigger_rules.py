"""The trigger lexicon (lang/<language>/triggers.yaml) read once per language: the word tables the
trigger tests use and the spaCy Matcher patterns of every event type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Token

from protestwatch.extract.counts import quantity_grammar
from protestwatch.lang import load
from protestwatch.records import Span
from protestwatch.schema.taxonomy import EVENT_TYPES, EXPLOSIVE_MEANS


@dataclass
class Trigger:
    type: str
    head: Token  # the token that carries the trigger in the parse
    span: Span
    strength: float  # how surely the word reports this type (a verb more than a noun)


def _multiword_verb(words: list[str]) -> list[dict]:
    if "-" in words:  # "tear-gas": the verb is the last part ('tear-gassed')
        return [{"LOWER": w} for w in words[:-1]] + [{"LEMMA": words[-1], "POS": {"IN": ["VERB", "AUX"]}}]
    return [{"LEMMA": words[0], "POS": {"IN": ["VERB", "AUX"]}}] + [{"LOWER": w} for w in words[1:]]


def _noun(words: list[str]) -> list[dict]:
    if "-" in words:  # "sit-in": the tagger's lemma and part of speech for 'in' say nothing
        return [{"LOWER": w} for w in words]
    return [{"LOWER": w} for w in words[:-1]] + [{"LEMMA": words[-1], "POS": "NOUN"}]


def _tokens(phrase: str) -> list[str]:
    """A lexicon entry as the tokenizer splits it: 'a sit-in' -> a, sit, -, in."""
    return [part for word in phrase.split() for part in re.split(r"(-)", word) if part]


@cache
def trigger_rules(language: str) -> dict:
    spec = load("triggers", language)
    hypothetical = [h.split() for h in spec["hypothetical_heads"]]
    advocacy = [a.split() for a in spec["advocacy_verbs"]]
    # single words only: "armed men" is caught by "armed"
    armed = frozenset(w.lower() for a in spec["armed_actors"] for w in a.split() if w not in ("men", "forces"))
    not_crowd_doers = frozenset(spec["not_crowd_doers"])
    services = "|".join(re.escape(s) for s in sorted(spec["internet_shutdown"]["services"], key=len, reverse=True))
    return {
        "spec": spec,
        "causes": [c.split() for c in spec["cause_heads"]],
        "with_demand": set(spec["protest"].get("with_demand", [])),
        "violent": frozenset(spec["protest"].get("violent_modifiers", [])),
        # by last word: "human chain" -> {"chain": [("human",)]}
        "with_demand_nouns": _phrases_by_last_word(spec["protest"].get("with_demand_nouns", [])),
        "arson_words": frozenset(spec["arson_words"]),
        "burnable": frozenset(spec["burnable_targets"]),
        "arson_doers": frozenset(spec["arson_doers"]),
        "storm_verbs": frozenset(spec.get("storm_verbs", [])),
        "blow_verbs": frozenset(spec["protest"].get("blow_verbs", [])),
        "removal_verbs": frozenset(spec["dispersal"].get("removal_verbs", [])),
        "removed": frozenset(spec["dispersal"].get("removed", [])),
        "forbidding_verbs": frozenset(spec["ban"].get("forbidding_verbs", [])),
        "bannable": frozenset(spec["protest"]["nouns"]) | frozenset(spec["ban"].get("assemblies", [])),
        "ban_groups": frozenset(spec["ban"].get("groups", [])),
        "designating_verbs": frozenset(spec["ban"].get("designating_verbs", [])),
        "designations": frozenset(spec["ban"].get("designations", [])),
        "placing_verbs": frozenset(spec["detention"].get("placing_verbs", [])),
        "custody_prepositions": frozenset(spec["detention"].get("custody_prepositions", [])),
        "custody_nouns": frozenset(spec["detention"].get("custody_nouns", [])),
        "custody_places": frozenset(spec["detention"].get("custody_places", [])),
        "custody_place_modifiers": frozenset(spec["detention"].get("custody_place_modifiers", [])),
        # who speaks for the protest ('the opposition party warned ...'): its warnings summon no one
        "protesters_side": frozenset(load("actors", language).get("group_heads", ())),
        "stormable": frozenset(spec.get("stormable_targets", [])),
        "blockade_verbs": frozenset(spec["protest"].get("blockade_verbs", [])),
        "route_nouns": frozenset(spec["protest"].get("route_nouns", [])),
        "background": set(spec["background_modifiers"]),
        "prospective": frozenset(spec["prospective_modifiers"]),
        "cause_marks": set(spec["cause_marks"]),
        "crowd_agents": frozenset(w.lower() for w in spec["crowd_agents"]),
        "protester_nouns": frozenset(spec["protester_nouns"]),
        "armed": armed,
        "property_attacks": frozenset(spec["property_attack_verbs"]),
        "not_crowd_doers": not_crowd_doers,
        "state_or_armed": armed | not_crowd_doers,  # the police and the armed: never a crowd of civilians
        "firearm_verbs": frozenset(spec["firearm_verbs"]),
        "weapons": frozenset(spec["weapons"]),
        "hypothetical": hypothetical,
        "advocacy": advocacy,
        "aux": set(spec["hypothetical_aux"]),
        "announcing": frozenset(spec["announcing_heads"]),
        "not_event_compounds": frozenset(spec["not_event_compounds"]),
        "nonspecific": frozenset(spec["nonspecific_determiners"]),
        "prospects": frozenset(spec.get("prospect_nouns", [])),
        "habitual": frozenset(spec.get("habitual_adverbs", [])),
        "habitual_times": frozenset(spec.get("habitual_times", [])),
        "habitual_quantifiers": frozenset(spec.get("habitual_quantifiers", [])),
        "experiential": frozenset(spec.get("experiential_adverbs", [])),
        "generic_predicates": frozenset(spec.get("generic_predicates", [])),
        "launch_verbs": frozenset(spec.get("explosion", {}).get("launch_verbs", [])),
        # single words of the explosive means ("shells", "rockets", "grenade"): what a launched object must be
        "explosives": frozenset(w for name in EXPLOSIVE_MEANS
                                for w in spec.get("political_violence", {}).get("means", {}).get(name, [])
                                if " " not in w),
        "hedge_verbs": frozenset(spec["hedges"]["verbs"]),
        "hedge_adverbs": frozenset(spec["hedges"]["adverbs"]),
        "net_verbs": {v for v in spec["internet_shutdown"]["verbs"] if " " not in v},
        "net_particle_verbs": {tuple(v.split(maxsplit=1)) for v in spec["internet_shutdown"]["verbs"] if " " in v},
        "net_adjectives": frozenset(spec["internet_shutdown"].get("state_adjectives", ())),
        "net_failing": frozenset(spec["internet_shutdown"].get("failing_verbs", ())),
        "net_nouns": frozenset(spec["internet_shutdown"].get("state_nouns", ())),
        "net_access": frozenset(spec["internet_shutdown"].get("access_words", ())),
        "other_senses": {name: (frozenset(w.lower() for w in sense["words"]), sense["min_words"],
                                frozenset(sense["triggers"]))
                         for name, sense in spec["other_senses"].items()},
        "military_strike": frozenset(spec["military_strike_words"]),
        "services": re.compile(rf"\b(?:{services})\b", re.IGNORECASE),
    }


def _phrases_by_last_word(phrases: list[str]) -> dict[str, list[tuple[str, ...]]]:
    """Phrases indexed by their last word, with the words before it ('human chain' -> chain: (human,))."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        *before, last = phrase.lower().split()
        out.setdefault(last, []).append(tuple(before))
    return out


_MATCHERS: dict[tuple[int, str], Matcher] = {}


@cache
def trigger_patterns(language: str) -> dict[str, list[list[dict]]]:
    """Matcher patterns per event type, from the trigger lexicon."""
    spec = trigger_rules(language)["spec"]
    out: dict[str, list[list[dict]]] = {}
    for event_type in EVENT_TYPES:
        entry = spec.get(event_type, {})
        patterns = []
        for verb in entry.get("verbs", []):
            if event_type == "internet_shutdown":
                continue  # handled by clause check below
            patterns.append(_multiword_verb(_tokens(verb)))
        for noun in entry.get("nouns", []):
            patterns.append(_noun(_tokens(noun)))
        for phrase in entry.get("phrases", []):
            patterns.append([{"LOWER": w} for w in _tokens(phrase)])
        if patterns:
            out[event_type] = patterns
    return out


@cache
def first_words(language: str) -> tuple[frozenset[str], frozenset[str], int]:
    """The LEMMA and LOWER values patterns start with, and the longest pattern's length: a match can
    only start at a token with one of those words, and ends within that many tokens."""
    patterns = [p for patterns in trigger_patterns(language).values() for p in patterns]
    return (frozenset(p[0]["LEMMA"] for p in patterns if "LEMMA" in p[0]),
            frozenset(p[0]["LOWER"] for p in patterns if "LOWER" in p[0]),
            max(map(len, patterns)))


def matcher(nlp: Language, language: str) -> Matcher:
    key = (id(nlp.vocab), language)
    if key not in _MATCHERS:
        matcher = Matcher(nlp.vocab)
        for event_type, patterns in trigger_patterns(language).items():
            matcher.add(event_type, patterns)
        _MATCHERS[key] = matcher
    return _MATCHERS[key]


def lemma_phrase_matches(token: Token, words: list[str]) -> bool:
    if token.lemma_.lower() != words[0]:
        return False
    return all(any(child.lower_ == w for child in token.children) for w in words[1:])


@cache
def crowd_people(language: str) -> frozenset[str]:
    """Plural nouns of people that, counted ('five persons'), make a crowd."""

    return frozenset(quantity_grammar(language).people | trigger_rules(language)["crowd_agents"])


@cache
def people_words(language: str) -> frozenset[str]:

    return frozenset(quantity_grammar(language).people | set(trigger_rules(language)["spec"]["person_objects"]))
