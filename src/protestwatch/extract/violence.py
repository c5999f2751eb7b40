"""Who did violence to whom decides its type. The same words (killed, shot, attacked, clashed) report the
state's violence against a protest, a crowd's riot, or political violence (types.yaml): an attack on
civilians, an armed clash with the state's forces or between armed groups; and the words of political
violence itself (an assassination, an abduction, a bombing, a gun battle) need the armed actors or means
that make them political rather than crime or accident. The words are in lang/<language>/triggers.yaml
(`political_violence`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.counts import NOT_HEADCOUNTS, quantity_grammar, quantity_range
from protestwatch.extract.senses import (
    armed_violence,
    crowd_agent,
    doers,
    harms_the_armed,
    is_cause,
    names_protesters,
)
from protestwatch.extract.trigger_rules import Trigger, trigger_rules
from protestwatch.lang import load
from protestwatch.records import Actor, Count, Span, Tagged
from protestwatch.schema.taxonomy import MEANS
from protestwatch.schema.typemap import family

CROWD_VIOLENCE = ("riot", "violence_against_protesters")
ARMED_TYPES = ("attack", "armed_clash")
# the types whose victims are counted as fatalities
EXPLOSIVE = ("suicide_bomb", "air_strike", "shelling", "grenade", "explosive")
COUNTS_THE_DEAD = ("attack", "explosion", "armed_clash", "abduction", "violence_against_protesters", "riot")


@cache
def _words(language: str) -> dict:
    spec = load("triggers", language)
    pv = spec.get("political_violence", {})
    return {
        "armed": spec["armed_actors"],
        "non_state": pv.get("non_state_armed", []),
        "victims": pv.get("political_victims", []),
        "references": frozenset(pv.get("reference_prepositions", [])),
        "means": {name: pv.get("means", {}).get(name, []) for name in MEANS},
        "fatality_verbs": frozenset(pv.get("fatality_verbs", [])),
        "fatality_adjectives": frozenset(pv.get("fatality_adjectives", [])),
        "fatality_nouns": frozenset(pv.get("fatality_nouns", [])),
        "clash_words": frozenset(w for w in spec["riot"]["verbs"] + spec["riot"]["nouns"]
                                 if w in ("clash", "fight", "fighting", "battle")) | {"clash", "fight", "battle"},
    }


def names_any(sentence: SpacySpan, words: list[str]) -> bool:
    """Whether the sentence names one of the words (a single word by its lemma or form, a phrase as written)."""
    single = {w.lower() for w in words if " " not in w}
    lowered = sentence.text.lower()
    return any(t.lemma_.lower() in single or t.lower_ in single for t in sentence) or any(
        re.search(rf"\b{re.escape(w.lower())}\b", lowered) for w in words if " " in w)


def _doers_name(token: Token, words: list[str]) -> bool:
    """Whether the doers of the violence are among the words; a participle with no subject of its own
    ('..., killing three') shares its clause's."""
    single = {w.lower() for w in words if " " not in w}
    for doer in _doers_of(token):
        phrase = " ".join(t.lower_ for t in doer.subtree)
        if doer.lemma_.lower() in single or doer.lower_ in single or any(
                f" {w} " in f" {phrase} " for w in words if " " in w):
            return True
    return False


def settle_violence(triggers: list[Trigger], sentence: SpacySpan, protest_before: bool,
                    state_actors: Callable[[], list], report_tie: Callable[[], bool],
                    language: str) -> list[Trigger]:
    """Each violent trigger with the type its doers and victims give it, or left out.

    `protest_before`: the report told of a protest before this sentence; `state_actors()`: the state's
    agents acting in this sentence; `report_tie()`: the report names politics somewhere (activists, a
    party, an election). Around a protest, violence is the state's against it or the crowd's riot; by
    armed men it is an attack (on civilians, a protest included) or an armed clash (on the state's
    forces, or between armed groups); crime and accidents are left out."""
    if not any(t.type in CROWD_VIOLENCE or family(t.type) == "political_violence" for t in triggers):
        return triggers
    words = _words(language)
    facts = _SentenceFacts(
        protest_here=any(t.type in ("protest", "dispersal") for t in triggers),
        protest_before=protest_before,
        has_armed=names_any(sentence, words["armed"]),
        non_state_armed=names_any(sentence, words["non_state"]),
        political_victims=names_any(sentence, words["victims"]),
        state_actors=cache(state_actors),
        report_tie=report_tie,
    )
    kept = [settled for trigger in triggers
            if (settled := _settle(trigger, sentence, facts, language)) is not None]
    return _one_happening(_one_per_head(kept))


# One sentence's armed violence is one happening told in several words ("gunmen attacked a police post,
# killing two officers"; "a car bomb exploded, killing five"): the type that says most about it stands.
_ARMED_PRIORITY = ("explosion", "armed_clash", "attack")


def _one_happening(triggers: list[Trigger]) -> list[Trigger]:
    armed = [t.type for t in triggers if t.type in _ARMED_PRIORITY]
    if len(set(armed)) < 2:
        return triggers
    first = min(armed, key=_ARMED_PRIORITY.index)
    return [_as(t, first) if t.type in _ARMED_PRIORITY else t for t in triggers]


@dataclass
class _SentenceFacts:
    protest_here: bool  # a protest or dispersal word in the sentence
    protest_before: bool
    has_armed: bool  # the sentence names armed actors (soldiers, militants, gunmen)
    non_state_armed: bool  # ... outside the state (militants, gunmen)
    political_victims: bool
    state_actors: Callable[[], list]
    report_tie: Callable[[], bool]


def _settle(trigger: Trigger, sentence: SpacySpan, facts: _SentenceFacts, language: str) -> Trigger | None:
    kind, head = trigger.type, trigger.head
    words = _words(language)
    if kind not in CROWD_VIOLENCE and family(kind) != "political_violence":
        return trigger
    if family(kind) == "political_violence" and (
            (head.dep_ == "pobj" and head.head.lower_ in words["references"]) or is_cause(head, language)):
        return None  # "since the 2001 attacks": a point of reference; "protested after the bombing": a cause
    by_crowd = kind in CROWD_VIOLENCE and crowd_agent(head, language)
    armed_doers = _doers_name(head, words["non_state"])
    if kind == "riot":
        if facts.protest_here or not facts.has_armed or by_crowd:
            return trigger
        if not facts.non_state_armed:
            return None  # "clashes between students and security forces" with no protest word: not coded
        # "militants clashed with troops": armed men fighting is an armed clash; their looting or burning
        # is no riot (ACLED codes it among attacks or property destruction, which this coder leaves out)
        return _as(trigger, "armed_clash") if head.lemma_.lower() in words["clash_words"] else None
    if kind == "violence_against_protesters":
        if facts.protest_here:
            # the state's violence at a protest; armed men's ("gunmen opened fire on the marchers") an attack
            return _as(trigger, "attack") if armed_doers else trigger
        if _names_means(sentence, language, only=EXPLOSIVE):
            return _as(trigger, "explosion")  # "a car bomb killed five", "killed in an air strike"
        if facts.non_state_armed and not by_crowd:
            return _as(trigger, "armed_clash" if harms_the_armed(head, language) else "attack")
        if facts.has_armed and not by_crowd:
            # soldiers' violence: against civilians an attack, unless the report is about a protest (then
            # it is told of the protesters, and without a protest word here it is not coded)
            return None if facts.protest_before or harms_the_armed(head, language) else _as(trigger, "attack")
        if facts.protest_before and facts.state_actors():
            return trigger
        crowd_and_police = any(a.kind in ("police", "security") for a in facts.state_actors()) and names_any(
            sentence, trigger_rules(language)["spec"]["crowd_agents"])
        if (by_crowd or crowd_and_police or _crowd_violence_in(sentence, language)) \
                and not armed_violence(head, language):
            # "a suspected thief was beaten up by locals": a crowd's violence, mob violence
            return Trigger("riot", head, trigger.span, trigger.strength - 0.1)
        if not facts.protest_before and (
                facts.political_victims or (armed_violence(head, language) and facts.report_tie())):
            return _as(trigger, "attack")  # "a journalist was shot dead outside his home"
        return None  # in a report about a protest, unattributed violence is told of it, not coded alone
    if kind == "attack" and names_protesters(sentence, language) and facts.state_actors() and not armed_doers:
        return _as(trigger, "violence_against_protesters")  # "the massacre of protesters by soldiers"
    if kind in ARMED_TYPES and facts.has_armed and harms_the_armed(head, language):
        return _as(trigger, "armed_clash")  # "militants attacked an army post"
    if kind == "explosion" and not (facts.has_armed or _names_means(sentence, language, only=EXPLOSIVE)):
        return None  # "a gas explosion", "a blast at the factory": an accident unless a bomb or arms are named
    if kind in ("attack", "abduction") and not (facts.has_armed or facts.political_victims or facts.report_tie()):
        return None  # a murder or a kidnapping for ransom with no armed group and no politics: crime news
    if kind == "armed_clash" and not (facts.has_armed or _names_means(sentence, language)):
        return None  # "fierce fighting for the title"
    return trigger


def _as(trigger: Trigger, kind: str) -> Trigger:
    return Trigger(kind, trigger.head, trigger.span, trigger.strength)


def _crowd_violence_in(sentence: SpacySpan, language: str) -> bool:
    """Whether any act of violence in the sentence is a crowd's ("injured after having been attacked by
    a group of people"): the injury is then the crowd's doing even where its own doer is unsaid. A crowd
    word alone is not enough ("two construction workers are killed a week")."""
    verbs = _violence_verbs(language)
    return any(token.lemma_.lower() in verbs and crowd_agent(token, language) for token in sentence)


@cache
def _violence_verbs(language: str) -> frozenset[str]:
    spec = load("triggers", language)
    verbs = {v for t in CROWD_VIOLENCE for v in spec[t]["verbs"] if " " not in v}
    return frozenset(verbs | set(spec["property_attack_verbs"]) | {"damage"})


def _one_per_head(triggers: list[Trigger]) -> list[Trigger]:
    """A word that two types matched ('attack' is also an attack noun) keeps one type: the first settled."""
    seen: set[tuple[int, str]] = set()
    violent: set[int] = set()
    out = []
    for trigger in triggers:
        key = (trigger.head.i, trigger.type)
        violence = trigger.type in CROWD_VIOLENCE or family(trigger.type) == "political_violence"
        if key in seen or (violence and trigger.head.i in violent):
            continue
        seen.add(key)
        if violence:
            violent.add(trigger.head.i)
        out.append(trigger)
    return out


def _names_means(sentence: SpacySpan, language: str, only: tuple[str, ...] = MEANS) -> bool:
    """Whether the sentence names one of these means of violence outside a point of reference ('the worst
    attack since the 1941 bombing' names no bomb of the attack)."""
    return any(_tagged(sentence, words, language) for name, words in _words(language)["means"].items()
               if name in only)


def _tagged(sentence: SpacySpan, words: list[str], language: str) -> Span | None:
    """Where the sentence first names one of the words (the longest first), not inside a 'since' phrase."""
    lowered = sentence.text.lower()
    references = _words(language)["references"]
    for word in sorted(words, key=len, reverse=True):
        for match in re.finditer(rf"\b{re.escape(word.lower())}\b", lowered):
            start = sentence.start_char + match.start()
            token = next((t for t in sentence if t.idx <= start < t.idx + len(t)), None)
            if token is not None and any(a.lower_ in references and a.dep_ == "prep" for a in token.ancestors):
                continue
            return Span(start, start + len(word), sentence.text[match.start():match.end()])
    return None


def find_means(sentence: SpacySpan, language: str) -> list[Tagged]:
    """The means of violence the sentence names ('a roadside bomb', 'air strikes', 'gunmen'), each with
    the words that name it."""
    out: list[Tagged] = []
    for name, words in _words(language)["means"].items():
        span = _tagged(sentence, words, language)
        if span is not None:
            out.append(Tagged(name, span))
    return out


def find_fatalities(sentence: SpacySpan, language: str) -> Count | None:
    """How many were killed, as the sentence states it: '12 people were killed', 'killing at least five',
    'left three dead', 'a death toll of nine', '20 dead'."""
    grammar = quantity_grammar(language)
    words = _words(language)
    for match in grammar.pattern.finditer(sentence.text):
        bounds = quantity_range(match, grammar)
        if bounds is None:
            continue
        start, end = sentence.start_char + match.start(), sentence.start_char + match.end()
        tokens = [t for t in sentence if t.idx < end and t.idx + len(t) > start]
        if not tokens or any(t.ent_type_ in NOT_HEADCOUNTS for t in tokens):
            continue  # "On 2 June", "at 5 pm"
        if _counts_the_dead(tokens[-1], words):
            return Count(bounds[0], bounds[1], Span(start, end, match.group(0)))
    return None


def _counts_the_dead(number: Token, words: dict) -> bool:
    following = number.nbor(1) if number.i + 1 < len(number.doc) else None
    if following is not None and following.lower_ in words["fatality_adjectives"]:
        return True  # "20 dead"
    token = number
    for _ in range(4):
        if token.lemma_.lower() in words["fatality_verbs"]:
            return True  # "12 people were killed", "killing at least five"
        if token.lemma_.lower() in words["fatality_nouns"] and token is not number:
            return True  # "a death toll of nine"
        if any(c.lower_ in words["fatality_adjectives"] and c.dep_ in ("oprd", "acomp", "amod") for c in token.children):
            return True  # "left three dead"
        if token.head is token or token.pos_ == "VERB":
            break
        token = token.head
    return False


def violence_actors(triggers: list[Trigger], state: list[Actor], language: str) -> list[Actor]:
    """Who did it and to whom: the doers of the violence are its perpetrators (armed men named in words,
    'gunmen', 'Taliban fighters', as a group); the state's agents it was done to ('killing two officers')
    are its targets."""
    words = _words(language)
    doer_tokens = [d for t in triggers for d in _doers_of(t.head)]
    spans = [(d.left_edge.idx, d.right_edge.idx + len(d.right_edge)) for d in doer_tokens]
    out = []
    for actor in state:
        inside = actor.span is not None and any(a <= actor.span.start < b for a, b in spans)
        out.append(Actor(actor.name, "perpetrator" if inside else "target", actor.kind, actor.span))
    armed = {w.lower() for w in words["non_state"] if " " not in w}
    for doer in doer_tokens:
        if doer.lemma_.lower() in armed or doer.lower_ in armed:
            first = min((c for c in doer.subtree if c.dep_ in ("compound", "amod") or c is doer), key=lambda t: t.i)
            span = doer.doc[first.i:doer.i + 1]
            if not any(a.span is not None and a.span.start == span.start_char for a in out):
                out.append(Actor(span.text, "perpetrator", "group", Span(span.start_char, span.end_char, span.text)))
    return out


def _doers_of(token: Token) -> list[Token]:
    found = doers(token)
    if not found and token.dep_ in ("advcl", "conj", "xcomp") and token.tag_ == "VBG":
        found = doers(token.head)
    return found
