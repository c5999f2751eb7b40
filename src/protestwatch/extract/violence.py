"""Who did violence to whom decides its type. The same words (killed, shot, attacked, clashed) report the
state's violence against a protest, a crowd's riot, or political violence (types.yaml): an attack on
civilians, an armed clash with the state's forces or between armed groups; and the words of political
violence itself (an assassination, an abduction, a bombing, a gun battle) need the armed actors or means
that make them political rather than crime or accident. The words are in lang/<language>/triggers.yaml
(`political_violence`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.senses import (
    against_people,
    armed_violence,
    crowd_agent,
    doers,
    is_cause,
    names_protesters,
    victims_are_the_state,
)
from protestwatch.extract.text import entities_in
from protestwatch.extract.trigger_rules import Trigger, people_words, trigger_rules
from protestwatch.extract.violence_words import names_any, names_means, violence_words
from protestwatch.lang import load
from protestwatch.records import Actor, Span
from protestwatch.schema.taxonomy import EXPLOSIVE_MEANS
from protestwatch.schema.typemap import family

CROWD_VIOLENCE = ("riot", "violence_against_protesters")
ARMED_TYPES = ("attack", "armed_clash")
# the types whose victims are counted as fatalities
COUNTS_THE_DEAD = ("attack", "explosion", "armed_clash", "abduction", "violence_against_protesters", "riot")


def _doers_name(token: Token, words: list[str]) -> bool:
    """Whether the doers of the violence are among the words; a participle with no subject of its own
    ('..., killing three') shares its clause's."""
    single = {w.lower() for w in words if " " not in w}
    for doer in _doers_of(token):
        phrase = " ".join(t.lower_ for t in doer.subtree)
        head_words = [doer, *(c for c in doer.children if c.dep_ == "compound")]  # "security operatives"
        if any(t.lemma_.lower() in single or t.lower_ in single for t in head_words) or any(
                f" {w} " in f" {phrase} " for w in words if " " in w):
            return True
    return False


def _harms_people(head: Token, language: str) -> bool:
    """Whether the verb's victims are named and are people ('executed three men', not 'executed warrants')."""
    people = people_words(language)
    victims = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
    return bool(victims) and any(v.pos_ in ("PRON", "PROPN", "NUM") or v.lemma_.lower() in people
                                 or v.lower_ in people for v in victims)


def _running_total(head: Token, words: dict) -> bool:
    """A count over a period: the verb (or the one its noun hangs from) has a 'since <date>' phrase."""
    verb = head
    for _ in range(6):  # "killed in air strikes since then": the verb above the noun
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    return any(c.dep_ == "prep" and c.lower_ in words["references"] and any(
        o.ent_type_ in ("DATE", "TIME") or o.lower_ == "then" for o in c.subtree) for c in verb.subtree)


def _not_political(trigger: Trigger, facts: _SentenceFacts, words: dict) -> bool:
    """Armed violence that is not political violence after all: a running total ("have killed more than
    1,100 militants since June"), crime ("shot dead during a robbery", with no armed group or political
    victim named), or harm alone away from arms ("two injured as a car crashes into a barrier")."""
    if _running_total(trigger.head, words):
        return True
    if facts.criminal_motive and not (facts.armed_groups or facts.political_victims):
        return True
    return trigger.head.lemma_.lower() in words["harm_only"] and not facts.has_armed


def _told_in_court(head: Token, words: dict) -> bool:
    """'the murder trial', 'accused of kidnapping', 'counts of murder', 'the murder case against him': a
    charge or a trial, not the report of an attack."""
    if head.dep_ == "compound":
        return True
    for ancestor in list(head.ancestors)[:3]:
        if ancestor.lemma_.lower() in words["legal_heads"] or ancestor.lower_ in words["legal_heads"]:
            return True
    return any(c.lemma_.lower() in words["legal_heads"] for c in head.children if c.dep_ in ("compound", "amod"))


def settle_violence(triggers: list[Trigger], sentence: SpacySpan, protest_before: bool,
                    state_actors: Callable[[], list], language: str,
                    protest_in_report: bool = False, armed_in_report: bool = False,
                    violence_before: bool = False) -> list[Trigger]:
    """Each violent trigger with the type its doers and victims give it, or left out.

    `protest_before`: the report told of a protest before this sentence (`protest_in_report`: anywhere);
    `state_actors()`: the state's agents acting in this sentence; `armed_in_report`: the report names armed
    groups (militants, gunmen) somewhere; `violence_before`: an earlier sentence gave a violent event.
    Around a protest, violence is the state's against it or the crowd's riot; by armed men it is an attack
    (on civilians, a protest included) or an armed clash (on the state's forces, or between armed groups);
    crime and accidents are left out."""
    if not any(t.type in CROWD_VIOLENCE or family(t.type) == "political_violence" for t in triggers):
        return triggers
    words = violence_words(language)
    facts = _SentenceFacts(
        protest_here=any(t.type in ("protest", "dispersal") for t in triggers),
        protest_before=protest_before,
        protest_in_report=protest_in_report or protest_before,
        has_armed=names_any(sentence, words["armed"]),
        armed_in_report=armed_in_report,
        non_state_armed=names_any(sentence, words["non_state"]),
        political_victims=names_any(sentence, words["victims"]),
        names_crowd=names_any(sentence, words["crowds"]),
        criminal_motive=names_any(sentence, words["criminal_motives"]),
        armed_groups=names_any(sentence, words["armed_groups"]),
        state_actors=cache(state_actors),
        names_explosive=cache(lambda: names_means(sentence, language, only=EXPLOSIVE_MEANS)),
        violence_before=violence_before,
        riot_words=frozenset(token.i for t in triggers if t.type == "riot"
                             for token in sentence.doc.char_span(t.span.start, t.span.end, alignment_mode="expand")),
    )
    kept = [settled for trigger in triggers
            if (settled := _settle(trigger, sentence, facts, language)) is not None
            and not (family(settled.type) == "political_violence" and _not_political(settled, facts, words))]
    return _one_happening(_one_per_head(kept))


# One sentence's armed violence is one happening told in several words ("gunmen attacked a police post,
# killing two officers"; "a car bomb exploded, killing five"): the type that says most about it stands. A
# fight in which shells or bombs are used is still a fight (ACLED codes it as an armed clash).
_ARMED_PRIORITY = ("armed_clash", "explosion", "attack")


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
    protest_in_report: bool
    has_armed: bool  # the sentence names armed actors (soldiers, militants, gunmen)
    armed_in_report: bool
    non_state_armed: bool  # ... outside the state (militants, gunmen)
    political_victims: bool
    names_crowd: bool  # residents, students, protesters ...: a crowd, not armed men
    criminal_motive: bool  # a robbery, a theft, a ransom: crime news unless armed groups or politics are named
    armed_groups: bool  # militants, rebels, militias: organised armed groups
    state_actors: Callable[[], list]
    names_explosive: Callable[[], bool]  # a bomb, shells, an air strike (asked once, when needed)
    violence_before: bool  # an earlier sentence of the report gave a violent event
    riot_words: frozenset[int]  # the tokens of the sentence's riot triggers ('clashes', 'violence erupted')


def _settle(trigger: Trigger, sentence: SpacySpan, facts: _SentenceFacts, language: str) -> Trigger | None:
    kind, head = trigger.type, trigger.head
    words = violence_words(language)
    if kind not in CROWD_VIOLENCE and family(kind) != "political_violence":
        return trigger
    if family(kind) == "political_violence" and (
            (head.dep_ == "pobj" and head.head.lower_ in words["references"]) or is_cause(head, language)):
        return None  # "since the 2001 attacks": a point of reference; "protested after the bombing": a cause
    if family(kind) == "political_violence" and _told_in_court(head, words):
        return None
    by_crowd = kind in CROWD_VIOLENCE and crowd_agent(head, language)
    armed_doers = _doers_name(head, words["non_state"])
    if kind == "riot":
        # "Militants attacked the village. They set fire to the houses.": in a report of armed men and no
        # protest or crowd, burning, looting and clashes are theirs, not a riot
        armed_here = facts.has_armed or (facts.armed_in_report and not facts.protest_in_report)
        # a crowd's clash is a riot, but not one with armed men ('clashed with unidentified gunmen')
        with_armed = head.lemma_.lower() in words["clash_words"] and facts.non_state_armed
        if facts.protest_here or not armed_here or (by_crowd and not with_armed):
            return trigger
        if facts.names_crowd and not facts.non_state_armed:
            return None  # "clashes between students and security forces" with no protest word: not coded
        if not facts.non_state_armed and any(e.label_ == "NORP" and e.root.dep_ not in ("amod", "compound")
                                             for e in entities_in(sentence)):
            return trigger  # "Palestinians clashed with Israeli forces": people named by nation, not an armed group
        # "militants clashed with troops", "the army and the rebel front clashed": armed men fighting is an
        # armed clash; their looting or burning is no riot (ACLED codes it among attacks or property
        # destruction, which this coder leaves out)
        return _as(trigger, "armed_clash") if head.lemma_.lower() in words["clash_words"] else None
    if kind == "violence_against_protesters" and any(d.i in facts.riot_words for d in _doers_of(head)):
        return None  # "clashes erupted, killing five": the riot's dead, told of the riot, not another happening
    if kind == "violence_against_protesters":
        # the triggers stage lets violence on things or on the police through only when arms are named, for
        # this stage to decide: at a protest without armed men that is no violence against the protesters
        on_protesters = against_people(head, language) and not victims_are_the_state(head, language)
        if facts.protest_here:
            # the state's violence at a protest; armed men's ("gunmen opened fire on the marchers") an attack
            return _as(trigger, "attack") if armed_doers else (trigger if on_protesters else None)
        if facts.names_explosive():
            return _as(trigger, "explosion")  # "a car bomb killed five", "killed in an air strike"
        if facts.non_state_armed and not by_crowd:
            return _as(trigger, "armed_clash" if against_the_armed(head, language) else "attack")
        if facts.has_armed and not by_crowd:
            # soldiers' violence: on armed men a clash, against civilians an attack, unless the report is
            # about a protest (then it is told of the protesters, and without a protest word here not coded)
            if against_the_armed(head, language):
                if _doers_name(head, words["armed"]) or (_lethal_attack(head, words) and not facts.protest_in_report
                                                         and not facts.violence_before):
                    return _as(trigger, "armed_clash")  # "an attack on a police post killed four officers"
                return None
            return None if facts.protest_in_report else _as(trigger, "attack")
        if facts.protest_before and facts.state_actors():
            return trigger if on_protesters else None
        crowd_and_police = any(a.kind in ("police", "security") for a in facts.state_actors()) and names_any(
            sentence, trigger_rules(language)["spec"]["crowd_agents"])
        if (by_crowd or crowd_and_police or _crowd_violence_in(sentence, language)) \
                and not armed_violence(head, language):
            # "a suspected thief was beaten up by locals": a crowd's violence, mob violence
            return Trigger("riot", head, trigger.span, trigger.strength - 0.1)
        if facts.protest_in_report:
            return None  # in a report about a protest, unattributed violence is told of it, not coded alone
        if _lethal_attack(head, words) and not facts.violence_before:
            # "an attack on a market killed four", "on a police post": who did it is not known yet; after a
            # report of violence, "the attack killed four" is that violence's toll
            return _as(trigger, "armed_clash" if against_the_armed(head, language) else "attack")
        if facts.political_victims or (armed_violence(head, language) and _by_several(head)):
            # "a journalist was shot dead outside his home"; "four men shot three people in a workshop"
            return _as(trigger, "attack")
        if _doers_name(head, sorted(trigger_rules(language)["not_crowd_doers"])) \
                and _harms_people(head, language) and not against_the_armed(head, language):
            return _as(trigger, "attack")  # "a man was beaten by police officers": the state's violence
        return None
    if kind == "attack" and names_protesters(sentence, language) and facts.state_actors() and not armed_doers:
        return _as(trigger, "violence_against_protesters")  # "the massacre of protesters by soldiers"
    if kind == "attack" and head.pos_ == "VERB" and not (_harms_people(head, language) or
                                                         against_the_armed(head, language)):
        return None  # "executed the plan", "search warrants were executed"
    if kind in ARMED_TYPES and facts.has_armed and against_the_armed(head, language):
        return _as(trigger, "armed_clash")  # "militants attacked an army post"
    if kind == "armed_clash" and (facts.protest_here or facts.names_crowd) and not facts.non_state_armed:
        return None  # "protesters encountered security forces": a crowd, not an armed group
    if kind == "explosion" and head.dep_ == "compound":
        return None  # "a bomb squad", "shell companies", "blast walls": a thing named, not a blast
    if kind == "explosion" and not (facts.has_armed or facts.names_explosive()):
        return None  # "a gas explosion", "a blast at the factory": an accident unless a bomb or arms are named
    if kind in ("attack", "abduction") and not (facts.has_armed or facts.political_victims):
        return None  # a murder or a kidnapping for ransom with no armed group and no politics: crime news
    if kind == "armed_clash" and not (facts.has_armed or names_means(sentence, language)):
        return None  # "fierce fighting for the title"
    return trigger


def _lethal_attack(head: Token, words: dict) -> bool:
    """An attack (the noun) that killed or wounded people: 'the attack killed four', 'attacks on two posts
    left six dead', 'four were killed in an attack on a market'. News calls a lethal assault by unnamed
    men an attack; a crime with a known motive is a murder or a robbery (those are left out elsewhere)."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in words["lethal_nouns"]:
        return False
    harm = words["fatality_verbs"] | words["harm_only"]
    verb = head.head
    if head.dep_ == "nsubj" and verb.lemma_.lower() in harm:
        return True
    if head.dep_ == "nsubj" and verb.lemma_.lower() in words["toll_verbs"]:
        return any(c.lemma_.lower() in words["fatality_adjectives"] for c in verb.subtree)
    # "four were killed in an attack": the passive's cause
    return (head.dep_ == "pobj" and verb.lower_ in words["cause_prepositions"]
            and verb.head.lemma_.lower() in harm and verb.head.tag_ == "VBN")


def _as(trigger: Trigger, kind: str) -> Trigger:
    return Trigger(kind, trigger.head, trigger.span, trigger.strength)


_NOT_VICTIMS = {"DATE", "TIME", "GPE", "LOC", "FAC"}


def against_the_armed(head: Token, language: str) -> bool:
    """Whether the violence is done to the state's forces or armed men: its victims ('killing two officers',
    'attacked the Nigerian Armed Forces', 'ambushed IS militants') or what it targets ('an army base', 'a
    police post'), also when a conjoined verb holds the object ('pursued and killed three militants')."""
    words = violence_words(language)
    armed = trigger_rules(language)["state_or_armed"] | words["armed_victims"] | words["military_targets"]
    # "opened fire at the police": the preposition may hang from the verb or from 'fire'
    holders = [head, *(c for c in head.children if c.dep_ == "dobj" and c.lower_ == "fire")]
    victims = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass") and c.lower_ != "fire"]
    # ... not a day or a place: "on 6 May", "at the market"
    victims += [o for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ in ("on", "against", "at")
                for o in c.children if o.dep_ == "pobj" and o.ent_type_ not in _NOT_VICTIMS]
    if not victims:
        victims = [c for v in (head.head, *head.conjuncts) if v is not head for c in v.children
                   if c.dep_ in ("dobj", "nsubjpass")]
    if not victims:
        return False
    return all(any(t.lower_ in armed or t.lemma_.lower() in armed for t in victim.subtree) for victim in victims)


def _by_several(head: Token) -> bool:
    """Whether a group did it: 'four men', 'several armed individuals', 'members of a gang'."""
    return any(d.tag_ in ("NNS", "NNPS") or d.lemma_.lower() in ("group", "member") for d in _doers_of(head))


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


def violence_actors(triggers: list[Trigger], state: list[Actor], language: str) -> list[Actor]:
    """Who did it and to whom: the doers of the violence are its perpetrators (armed men named in words,
    'gunmen', 'Taliban fighters', as a group); the state's agents it was done to ('killing two officers')
    are its targets."""
    words = violence_words(language)
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
    """Who did it: the verb's doers, or those of the verb it shares a clause with ('..., killing three';
    'was shot and killed by two men'); for a noun, the verb's subject ('forces launched an attack') or its
    own 'of'/'by' complement or modifier ('an attack of Houthi forces', 'an IS attack')."""
    if token.pos_ == "NOUN":
        found = [o for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "by")
                 for o in c.children if o.dep_ == "pobj"]
        found += [c for c in token.children if c.dep_ in ("compound", "poss") and c.pos_ == "PROPN"]
        if not found and token.dep_ == "dobj":
            found = doers(token.head)
        return found
    found = doers(token)
    if not found and token.dep_ in ("advcl", "conj", "xcomp") and token.tag_ == "VBG":
        found = doers(token.head)
    if not found:
        found = [d for conj in token.conjuncts for d in doers(conj)]
    return found
