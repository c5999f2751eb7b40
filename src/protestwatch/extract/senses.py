"""Who did it and in which sense: the violence of the police or of a crowd, against people or
property, armed or not; a word in another sense (a sports "strike", a military strike); a cause
clause that tells why people protested rather than what happened at the protest."""

from __future__ import annotations

import re

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.counts import parse_number
from protestwatch.extract.trigger_rules import (
    crowd_people,
    people_words,
    trigger_rules,
)


def is_cause(token: Token, language: str) -> bool:
    """'demonstrated after a police officer beat up a trader' (the cause), 'a youth who was killed'
    (a relative clause): not violence at the event. A reduced relative is the event: 'protesters
    injured by the police'."""
    rules = trigger_rules(language)
    if token.dep_ == "relcl" and not _told_of_a_place(token):
        return True
    if token.dep_ == "acl" and token.tag_ != "VBN":
        return True
    clause = token.head if token.dep_ == "conj" else token  # "after a gendarme shot and killed a driver"
    if any(c.dep_ == "mark" and c.lower_ in rules["cause_marks"] for c in (*token.children, *clause.children)):
        return True
    # "protested after the killing of a student": a noun after the cause word names the cause too
    return token.dep_ in ("pcomp", "pobj") and token.head.lower_ in rules["cause_marks"]


def _told_of_a_place(clause: Token) -> bool:
    """'rallies in Osh and in Naryn, where police killed a protester': a relative clause on a place tells
    what happened there, not who someone was ('a youth who was killed')."""
    return clause.head.ent_type_ in ("GPE", "LOC", "FAC") or any(
        c.dep_ == "advmod" and c.lower_ == "where" for c in clause.children)


def names_protesters(sentence: SpacySpan, language: str) -> bool:
    nouns = trigger_rules(language)["protester_nouns"]
    return any(t.lemma_.lower() in nouns or t.lower_ in nouns for t in sentence)


def warning_shots(token: Token, language: str = "en") -> bool:
    """'shot to the air', 'fired into the air': warning shots, not violence against anyone."""
    words = trigger_rules(language)["spec"]["warning_shots"]
    return token.lemma_.lower() in words["verbs"] and any(
        c.dep_ == "prep" and c.lower_ in words["prepositions"] and any(o.lower_ in words["objects"] for o in c.children)
        for c in token.children)


def victims_are_the_state(token: Token, language: str) -> bool:
    """Whether the violence's victims are police or soldiers ('police officers were injured', 'attacked
    the policemen'): then it is the crowd's violence, unless the police themselves did it."""
    state = trigger_rules(language)["state_or_armed"]
    if not harms_the_armed(token, language):
        return False
    return not any(d.lemma_.lower() in state or d.lower_ in state for d in doers(token))


def dead_on_both_sides(token: Token, language: str) -> bool:
    """'A protester and a police officer were killed during the demonstrations': with victims among the
    protesters and the police and no one said to have done it, the report does not tell the state's
    violence against the protest."""
    victims = [v for c in token.children if c.dep_ in ("dobj", "nsubjpass") for v in (c, *c.conjuncts)]
    state = trigger_rules(language)["state_or_armed"]
    of_the_state = [_all_of_the_state([v], state) for v in victims]
    return any(of_the_state) and not all(of_the_state) and not doers(token)


def harms_the_armed(token: Token, language: str) -> bool:
    """Whether every victim of the violence is police, soldiers or armed men ('attacked a police post',
    'killing two officers'), whoever did it."""
    victims = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
    if not victims and token.dep_ == "conj":  # "policemen were shot and injured"
        victims = [c for c in token.head.children if c.dep_ == "nsubjpass"]
    return _all_of_the_state(victims, trigger_rules(language)["state_or_armed"])


def _all_of_the_state(people: list[Token], state: frozenset[str]) -> bool:
    """Whether there are such people and every one is police or armed ('police officers', 'the riot police')."""
    return bool(people) and all(p.lemma_.lower() in state or p.lower_ in state or any(
        c.dep_ == "compound" and c.lower_ in state for c in p.children) for p in people)


def summoned_are_the_state(token: Token, rules: dict) -> bool:
    return _all_of_the_state([c for c in token.children if c.dep_ in ("dobj", "nsubjpass")], rules["state_or_armed"])


def against_people(token: Token, language: str) -> bool:
    """Violence with no object, or with a person as its object (not 'beating utensils')."""
    people = people_words(language)
    # "opened fire on them": the victims are after 'on'; "killing three": a number of people
    objects = [c for c in token.children if c.dep_ == "dobj" and c.lower_ != "fire"]
    return not objects or any(o.pos_ in ("PRON", "PROPN", "NUM") or o.lemma_.lower() in people or o.lower_ in people
                              for o in objects)


def doers(verb: Token) -> list[Token]:
    """Who does what the verb says: its subject (a conjoined verb shares its head's), or the 'by' agent of
    a passive; conjoined doers too ("Imbonerakure and CNL supporters fought")."""
    clause = verb
    while clause.dep_ in ("conj", "xcomp") and not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children):
        clause = clause.head
    # "Four people killed in the fighting": a headline's reduced passive, its subject is the victim
    reduced_passive = clause.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in clause.children)
    doers = [c for c in clause.children if c.dep_ == "nsubj" and not reduced_passive]
    doers += [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    if not doers and clause.tag_ in ("VBD", "VBZ", "VBP") and clause.i > 0 and not any(
            c.dep_ == "nsubjpass" for c in clause.children):
        doers = [_phrase_before(clause)]
    return [d for doer in doers for d in (doer, *doer.conjuncts)]


def _phrase_before(verb: Token) -> Token:
    """'in Puebla, around 100 residents of Tetela lynched two men': after a fronted place the parser often
    hangs the subject on the place; the head of the noun phrase written right before the verb is its doer."""
    token = verb.doc[verb.i - 1]
    while token.dep_ in ("compound", "pobj", "prep", "amod", "nummod") and token.head.i < verb.i and token.head != token:
        token = token.head
    return token


def armed_violence(verb: Token, language: str = "en") -> bool:
    """Gunfire, or violence 'with machetes', by men 'armed with swords': an attack or an armed clash
    (ACLED), not a crowd's violence."""
    rules = trigger_rules(language)
    weapons = rules["weapons"]
    if verb.lemma_.lower() == "open" and any(c.dep_ == "dobj" and c.lower_ == "fire" for c in verb.children):
        return True  # "opened fire"
    return verb.lemma_.lower() in rules["firearm_verbs"] or any(
        (t.lemma_.lower() in weapons or t.lower_ in weapons) and t.head.lower_ == "with" for t in verb.sent)


def thrown_by_the_crowd(munition: Token, language: str = "en") -> bool:
    """'activists hurled tear gas canisters at police': crowd-control munitions thrown by anyone but the
    state's forces are the crowd's violence, not a dispersal."""
    verb = munition
    for _ in range(3):  # 'hurled tear gas canisters': from the munition's words up to the verb they are objects of
        if verb.pos_ == "VERB" or verb.head.i == verb.i or verb.dep_ not in ("compound", "dobj", "conj", "amod"):
            break
        verb = verb.head
    rules = trigger_rules(language)
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in rules["spec"]["dispersal"]["thrown_by_crowds"]:
        return False
    people = doers(verb)
    return bool(people) and not names_the_state(people, language)


def only_carried(munition: Token, language: str = "en") -> bool:
    """'police armed with batons and tear gas', 'officers carrying tear gas canisters': the munition is what
    they bore, not what they used; no dispersal is told by it."""
    words = trigger_rules(language)["spec"]["dispersal"]
    phrase = munition
    for _ in range(4):  # up from the munition's words, through a list ('sticks, dogs and tear gas'), to its phrase
        if phrase.dep_ not in ("compound", "amod", "conj") or phrase.head.i == phrase.i:
            break
        phrase = phrase.head
    holder = phrase.head
    if phrase.dep_ == "pobj" and holder.lower_ == "with":
        return holder.head.lemma_.lower() in words.get("equipped_with", ())
    return phrase.dep_ == "dobj" and holder.lemma_.lower() in words.get("carrying_verbs", ())


def names_the_state(people: list[Token], language: str = "en") -> bool:
    """Whether any of these phrases names the police, the state's forces or armed men ('a group of police',
    'government forces', 'youths armed with machetes')."""
    state = trigger_rules(language)["state_or_armed"]
    return any(t.lower_ in state or t.lemma_.lower() in state for doer in people for t in doer.subtree)


def crowd_agent(verb: Token, language: str = "en") -> bool:
    """The doer of the violence is a crowd of civilians: 'locals beat up a thief', 'a thief was beaten up
    by locals', 'around 100 residents lynched two men', 'five persons beat up a man'."""
    words = trigger_rules(language)["crowd_agents"]
    if armed_violence(verb, language):
        return False
    people = crowd_people(language)
    for doer in map(counted_people, doers(verb)):
        if names_the_state([doer], language):
            continue  # "a group of armed men", "a group of police", "supporters and militants"
        lemma = doer.lemma_.lower()
        if lemma in words or doer.lower_ in words:
            return True
        if lemma == "group" and any(c.dep_ == "prep" and c.lower_ == "of" for c in doer.children):
            return True
        if doer.tag_ == "NNS" and (lemma in people or doer.lower_ in people) and any(
                c.dep_ == "nummod" and _at_least(c.text, MIN_CROWD) for c in doer.children):
            return True
    return False


def counted_people(doer: Token) -> Token:
    """'hundreds of protesters', 'dozens of residents': the people a quantity at the head of the phrase counts."""
    if doer.like_num or doer.lemma_.lower() in QUANTITY_HEADS:
        return next((p for c in doer.children if c.dep_ == "prep" and c.lower_ == "of"
                     for p in c.children if p.dep_ == "pobj"), doer)
    return doer


QUANTITY_HEADS = frozenset(("hundred", "thousand", "dozen", "score", "ten", "million", "number", "lot"))
MIN_CROWD = 3  # "two men beat a journalist" is an assault, "five persons beat up a man" a mob


def _at_least(number: str, minimum: int) -> bool:
    """A written number is at least `minimum` ('several', 'dozens' and other words that are not numbers count)."""

    value = parse_number(number)
    return value is None or value >= minimum


def other_sense(head: Token, event_type: str, sentence: SpacySpan, language: str) -> bool:
    """Whether the trigger word is used in a sense that reports no protest or riot here."""
    rules = trigger_rules(language)
    lemma = head.lemma_.lower()
    if lemma in _document_ambiguous(head.doc, language):
        return True  # "their Super Rugby clash", "Tunisia beat Algeria 2-0" in a sports report
    if head.pos_ == "VERB":
        deps = {c.dep_ for c in head.children}
        clause = head.dep_ in ("ROOT", "conj", "ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp") and "det" not in deps
        objects = [c for c in head.children if c.dep_ == "dobj"]
        if clause and lemma == "strike" and any(o.lemma_.lower() != "work" for o in objects):
            return True  # "struck a deal", "struck the arm"; "struck work" is a strike
        if lemma == "strike" and any(c.dep_ in ("nsubjpass", "agent") for c in head.children):
            return True  # "a vehicle was struck by a bomb": hit, not a labour strike (which has no patient)
        if clause and lemma == "demonstrate" and (
                any(any(d.dep_ == "poss" for d in o.children) for o in objects) or any(
                c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                for c in head.children)):
            return True  # "demonstrated his willingness", "this demonstrates that ..."
        if lemma in ("gather", "assemble") and any(c.dep_ == "dobj" and names_people(c, language) for c in head.children):
            return True  # "the forum gathered over 150 scholars": brought together, not gathered in protest
        if lemma == "smash" and any(c.lower_ == "into" for c in head.children):
            return True  # "a bakkie smashed into the van": a collision
        if event_type == "ban" and any(o.lemma_.lower() in rules["spec"]["state_bodies"] for o in objects):
            return True  # "dissolved parliament", "dissolved the government": the state's own bodies
    if head.pos_ == "NOUN" and lemma == "clash" and any(c.lower_ == "of" for c in head.children):
        return True  # "a clash of egos", "a clash of cultures"
    following = head.nbor(1) if head.i + 1 < len(head.doc) else None
    if lemma == "mob" and following is not None and following.text == "-" and not head.whitespace_:
        return True  # "mob-owned restaurants": the mafia
    if lemma == "strike" and event_type == "protest" and any(_military_strike(t, rules) for t in sentence):
        return True  # "air strikes", "a drone strike", "conducted four strikes" beside "air strikes"
    return False


def _military_strike(token: Token, rules: dict) -> bool:
    lemma = token.lemma_.lower()
    if lemma in rules["spec"]["airstrike_words"]:
        return True
    return lemma == "strike" and any(c.lower_ in rules["military_strike"] for c in token.children
                                     if c.dep_ in ("compound", "amod", "nmod"))


def names_people(token: Token, language: str) -> bool:
    """'150 scholars', 'the workers': a noun of people, or any noun with a count."""
    return token.lemma_.lower() in people_words(language) or any(c.dep_ == "nummod" for c in token.children)


def _document_ambiguous(doc, language: str) -> frozenset[str]:
    """The trigger lemmas that have their other sense in this document (sport, markets), computed
    once per document."""
    key = f"protestwatch_other_senses_{language}"
    if key not in doc.user_data:
        # the whole report's words, not only the sentences the focus kept for the parse: the market
        # words of a stock report may all stand in sentences without a trigger word
        full_text = doc.user_data.get("protestwatch_text")
        lowered = set(re.findall(r"[\w'&-]+", full_text.lower())) if full_text else {t.lower_ for t in doc}
        ambiguous: set[str] = set()
        for words, minimum, triggers in trigger_rules(language)["other_senses"].values():
            if len(lowered & words) >= minimum:
                ambiguous |= triggers
        doc.user_data[key] = frozenset(ambiguous)
    return doc.user_data[key]


def blocked_by_the_state(verb: Token, language: str) -> bool:
    """'Police blocked the roads leading to the square': a blockade by the police or soldiers is no protest."""
    rules = trigger_rules(language)
    return any(d.lemma_.lower() in rules["not_crowd_doers"] or d.lower_ in rules["armed"] for d in doers(verb))
