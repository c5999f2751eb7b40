"""What happened: words that report an event of one of the dataset's types (lang/en/triggers.yaml).

A trigger counts only when it reports a happening: not as an adjective ("the banned movement"),
not negated, not under a planning or modal head ("plans to organize the rallies", "would constitute"),
and not in a sentence whose main verb is advocacy or diplomacy ("the Assembly called on Kazakhstan
to end measures restricting social media").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.symbols import VERB
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.gate.cues import has_demand_cue
from protestwatch.lang import load
from protestwatch.records import Span
from protestwatch.schema.taxonomy import EVENT_TYPES


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
def _rules(language: str) -> dict:
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
        # by last word: "human chain" -> {"chain": [("human",)]}
        "with_demand_nouns": _phrases_by_last_word(spec["protest"].get("with_demand_nouns", [])),
        "arson_words": frozenset(spec["arson_words"]),
        "burnable": frozenset(spec["burnable_targets"]),
        "arson_doers": frozenset(spec["arson_doers"]),
        "blockade_verbs": frozenset(spec["protest"].get("blockade_verbs", [])),
        "route_nouns": frozenset(spec["protest"].get("route_nouns", [])),
        "background": set(spec["background_modifiers"]),
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
        "hedge_verbs": frozenset(spec["hedges"]["verbs"]),
        "hedge_adverbs": frozenset(spec["hedges"]["adverbs"]),
        "net_verbs": set(spec["internet_shutdown"]["verbs"]),
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
def _trigger_patterns(language: str) -> dict[str, list[list[dict]]]:
    """Matcher patterns per event type, from the trigger lexicon."""
    spec = _rules(language)["spec"]
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
def _pattern_words(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """Every LEMMA and every LOWER value the patterns ask for."""
    tokens = [token for patterns in _trigger_patterns(language).values() for p in patterns for token in p]
    return (frozenset(t["LEMMA"] for t in tokens if "LEMMA" in t),
            frozenset(t["LOWER"] for t in tokens if "LOWER" in t))


def _matcher(nlp: Language, language: str) -> Matcher:
    key = (id(nlp.vocab), language)
    if key not in _MATCHERS:
        matcher = Matcher(nlp.vocab)
        for event_type, patterns in _trigger_patterns(language).items():
            matcher.add(event_type, patterns)
        _MATCHERS[key] = matcher
    return _MATCHERS[key]


def is_advocacy_sentence(sentence: SpacySpan, language: str = "en") -> bool:
    """True when the sentence's main verb is advocacy/diplomacy (urge, criticize, call on ...)."""
    root = sentence.root
    return any(_lemma_phrase_matches(root, words) for words in _rules(language)["advocacy"])


def _lemma_phrase_matches(token: Token, words: list[str]) -> bool:
    if token.lemma_.lower() != words[0]:
        return False
    return all(any(child.lower_ == w for child in token.children) for w in words[1:])


def is_reported_happening(token: Token, language: str = "en") -> bool:
    rules = _rules(language)
    striking_people = token.lower_ == "striking" and token.head.lemma_.lower() in _people_words(language)
    if (token.dep_ == "amod" or token.pos_ == "ADJ") and not striking_people:
        return False  # "the banned movement"; but "striking teachers" are on strike
    if token.ent_type_ == "DATE":
        return False  # "March" the month, "May Day"
    if token.dep_ in ("compound", "amod") and token.head.lemma_.lower() in rules["not_event_compounds"]:
        return False  # "riot police", "riot gear": the equipment of order, not a riot
    if any(child.dep_ == "neg" for child in token.children):
        return False
    if token.pos_ == "NOUN" and any(c.dep_ == "amod" and c.lemma_.lower() in rules["background"] for c in token.children):
        return False  # "during recent riots": earlier events, referred to
    if token.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in rules["nonspecific"] for c in token.children):
        return False  # "before holding any assembly", "no protests were reported": not one happening
    if any(child.dep_ == "aux" and child.lower_ in rules["aux"] for child in _clause_verb(token).children):
        return False  # "will take part in the march": the modal of the clause the event noun stands in
    ancestor = token
    stated = False  # "permitting it to dismiss miners who have embarked on a strike": the clause tells a fact
    for _ in range(6):
        if ancestor.head is ancestor:
            break
        child, ancestor = ancestor, ancestor.head
        stated = stated or child.dep_ == "relcl"
        if not stated and any(_lemma_phrase_matches(ancestor, words) for words in rules["hypothetical"]):
            return False
        # a light verb whose object says it: "gave permission for a rally", "made plans for a march"
        if not stated and child.dep_ == "prep" and any(
                grand.dep_ == "dobj" and any(_lemma_phrase_matches(grand, words) for words in rules["hypothetical"])
                for grand in ancestor.children):
            return False
        # The grievance: "against the arrest of ...", "demanded the release of activists who were
        # detained". Only inside the cause word's object: a subject that demands is still an event.
        if child.dep_ in _OBJECT_DEPS and any(_lemma_phrase_matches(ancestor, words) for words in rules["causes"]):
            return False
    return True


_OBJECT_DEPS = {"dobj", "pobj", "xcomp", "ccomp", "pcomp"}


def _clause_verb(token: Token) -> Token:
    """The verb of the clause a trigger stands in: itself, or the verb its noun phrase hangs from
    through objects and prepositions ('take part in the march' -> take)."""
    current = token
    for _ in range(4):
        if current.pos_ in ("VERB", "AUX"):
            return current
        if current.head is current or current.dep_ not in ("dobj", "pobj", "prep", "nsubj", "nsubjpass", "attr",
                                                           "compound", "conj", "appos"):
            break
        current = current.head
    return token if token.pos_ in ("VERB", "AUX") else token.head


def _announced(token: Token, rules: dict) -> bool:
    """A protest noun that is what was announced or scheduled ('announced a rally for Saturday', 'the
    march has been announced', 'the announcement of a strike'): called, not held."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    child, head = token, token.head
    if child.dep_ == "pobj" and head.lower_ == "of":  # "the announcement of a strike"
        child, head = head, head.head
    return child.dep_ in ("dobj", "nsubjpass", "npadvmod", "prep") and head.lemma_.lower() in rules["announcing"]


def word_matches(nlp: Language, sentence: SpacySpan, language: str = "en") -> list[SpacySpan]:
    """Every trigger word or phrase in the sentence, labelled with its event type, before any test of
    whether it reports a happening (organizers of a planned rally still organize it)."""
    lemmas, lowers = _pattern_words(language)
    # Every pattern token names a LEMMA or a LOWER, so a sentence with none of those words cannot
    # match: skipping the Matcher there is exact, and most sentences of a report have none.
    if not any(t.lemma_ in lemmas or t.lower_ in lowers for t in sentence):
        return []
    return list(_matcher(nlp, language)(sentence, as_spans=True))


def find_triggers(nlp: Language, sentence: SpacySpan, language: str = "en",
                  matches: list[SpacySpan] | None = None) -> list[Trigger]:
    """The triggers that report a happening. `matches` (from word_matches) saves a second scan."""
    if is_advocacy_sentence(sentence, language):
        return []
    rules = _rules(language)
    found: list[Trigger] = []
    seen: set[tuple[str, int]] = set()
    for span in matches if matches is not None else word_matches(nlp, sentence, language):
        event_type = span.label_
        head = span.root
        if (event_type, head.i) in seen or not is_reported_happening(head, language):
            continue
        if _other_sense(head, event_type, sentence, language):
            continue
        if event_type in ("protest", "riot") and _announced(head, rules):
            continue
        if event_type == "summons" and _summoned_are_the_state(head, rules):
            continue  # "riot police were called in": sent for, not summoned for questioning
        if head.lemma_.lower() in rules["blockade_verbs"] and _blocked_by_the_state(head, language):
            continue
        if event_type == "violence_against_protesters":
            if _is_cause(head, language) or _warning_shots(head):
                continue
            if not _against_people(head, language):
                if head.lemma_.lower() not in rules["property_attacks"] or not crowd_agent(head, language):
                    continue
                event_type = "riot"  # a crowd attacking a building or vehicles
            elif _victims_are_the_state(head, language):
                # "police officers were injured", "attacked the policemen with machetes": the crowd's
                # violence when a crowd or protesters do it; an armed attack on the police otherwise
                if not (crowd_agent(head, language) or _names_protesters(sentence, language)):
                    continue
                event_type = "riot"
        seen.add((event_type, head.i))
        strength = 0.8 if head.pos_ in ("VERB", "AUX") or len(span) > 1 else 0.6
        found.append(Trigger(event_type, head, Span(span.start_char, span.end_char, span.text), strength))
    found.extend(_internet_shutdowns(sentence, language, seen))
    found.extend(_gatherings_with_demands(sentence, language, seen))
    found.extend(_blockades(sentence, language, seen))
    found.extend(_crowd_arson(sentence, language, seen))
    found.sort(key=lambda t: t.span.start)
    return found


def _is_cause(token: Token, language: str) -> bool:
    """'demonstrated after a police officer beat up a trader' (the cause), 'a youth who was killed'
    (a relative clause): not violence at the event. A reduced relative is the event: 'protesters
    injured by the police'."""
    rules = _rules(language)
    if token.dep_ == "relcl" or (token.dep_ == "acl" and token.tag_ != "VBN"):
        return True
    clause = token.head if token.dep_ == "conj" else token  # "after a gendarme shot and killed a driver"
    if any(c.dep_ == "mark" and c.lower_ in rules["cause_marks"] for c in (*token.children, *clause.children)):
        return True
    return token.dep_ == "pcomp" and token.head.lower_ in rules["cause_marks"]


def _names_protesters(sentence: SpacySpan, language: str) -> bool:
    nouns = _rules(language)["protester_nouns"]
    return any(t.lemma_.lower() in nouns or t.lower_ in nouns for t in sentence)


def _warning_shots(token: Token) -> bool:
    """'shot to the air', 'fired into the air': warning shots, not violence against anyone."""
    return token.lemma_.lower() in ("shoot", "fire") and any(
        c.dep_ == "prep" and c.lower_ in ("in", "into", "to") and any(o.lower_ == "air" for o in c.children)
        for c in token.children)


def _victims_are_the_state(token: Token, language: str) -> bool:
    """Whether the violence's victims are police or soldiers ('police officers were injured', 'attacked
    the policemen'): then it is the crowd's violence, unless the police themselves did it."""
    rules = _rules(language)
    state = rules["state_or_armed"]
    victims = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
    if not victims and token.dep_ == "conj":  # "policemen were shot and injured"
        victims = [c for c in token.head.children if c.dep_ == "nsubjpass"]
    if not _all_of_the_state(victims, state):
        return False
    return not any(d.lemma_.lower() in state or d.lower_ in state for d in _doers(token))


def _all_of_the_state(people: list[Token], state: frozenset[str]) -> bool:
    """Whether there are such people and every one is police or armed ('police officers', 'the riot police')."""
    return bool(people) and all(p.lemma_.lower() in state or p.lower_ in state or any(
        c.dep_ == "compound" and c.lower_ in state for c in p.children) for p in people)


def _summoned_are_the_state(token: Token, rules: dict) -> bool:
    return _all_of_the_state([c for c in token.children if c.dep_ in ("dobj", "nsubjpass")], rules["state_or_armed"])


def _against_people(token: Token, language: str) -> bool:
    """Violence with no object, or with a person as its object (not 'beating utensils')."""
    people = _people_words(language)
    objects = [c for c in token.children if c.dep_ == "dobj"]
    return not objects or any(o.pos_ in ("PRON", "PROPN") or o.lemma_.lower() in people or o.lower_ in people
                              for o in objects)


def _doers(verb: Token) -> list[Token]:
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
    rules = _rules(language)
    weapons = rules["weapons"]
    return verb.lemma_.lower() in rules["firearm_verbs"] or any(
        (t.lemma_.lower() in weapons or t.lower_ in weapons) and t.head.lower_ == "with" for t in verb.sent)


def crowd_agent(verb: Token, language: str = "en") -> bool:
    """The doer of the violence is a crowd of civilians: 'locals beat up a thief', 'a thief was beaten up
    by locals', 'around 100 residents lynched two men', 'five persons beat up a man'."""
    rules = _rules(language)
    words, not_crowd = rules["crowd_agents"], rules["state_or_armed"]
    if armed_violence(verb, language):
        return False
    people = _crowd_people(language)
    for doer in _doers(verb):
        if any(t.lower_ in not_crowd or t.lemma_.lower() in not_crowd for t in doer.subtree):
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


MIN_CROWD = 3  # "two men beat a journalist" is an assault, "five persons beat up a man" a mob


def _at_least(number: str, minimum: int) -> bool:
    """A written number is at least `minimum` ('several', 'dozens' and other words that are not numbers count)."""
    from protestwatch.extract.counts import parse_number

    value = parse_number(number)
    return value is None or value >= minimum


def _other_sense(head: Token, event_type: str, sentence: SpacySpan, language: str) -> bool:
    """Whether the trigger word is used in a sense that reports no protest or riot here."""
    rules = _rules(language)
    lemma = head.lemma_.lower()
    if lemma in _document_ambiguous(head.doc, language):
        return True  # "their Super Rugby clash", "Tunisia beat Algeria 2-0" in a sports report
    if head.pos_ == "VERB":
        deps = {c.dep_ for c in head.children}
        clause = head.dep_ in ("ROOT", "conj", "ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp") and "det" not in deps
        objects = [c for c in head.children if c.dep_ == "dobj"]
        if clause and lemma == "strike" and any(o.lemma_.lower() != "work" for o in objects):
            return True  # "struck a deal", "struck the arm"; "struck work" is a strike
        if clause and lemma == "demonstrate" and (
                any(any(d.dep_ == "poss" for d in o.children) for o in objects) or any(
                c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                for c in head.children)):
            return True  # "demonstrated his willingness", "this demonstrates that ..."
        if lemma in ("gather", "assemble") and any(c.dep_ == "dobj" and _names_people(c, language) for c in head.children):
            return True  # "the forum gathered over 150 scholars": brought together, not gathered in protest
        if lemma == "smash" and any(c.lower_ == "into" for c in head.children):
            return True  # "a bakkie smashed into the van": a collision
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
    if lemma in ("airstrike", "airstrikes"):
        return True
    return lemma == "strike" and any(c.lower_ in rules["military_strike"] for c in token.children
                                     if c.dep_ in ("compound", "amod", "nmod"))


@cache
def _crowd_people(language: str) -> frozenset[str]:
    """Plural nouns of people that, counted ('five persons'), make a crowd."""
    from protestwatch.extract.counts import quantity_grammar

    return frozenset(quantity_grammar(language).people | _rules(language)["crowd_agents"])


def _names_people(token: Token, language: str) -> bool:
    """'150 scholars', 'the workers': a noun of people, or any noun with a count."""
    return token.lemma_.lower() in _people_words(language) or any(c.dep_ == "nummod" for c in token.children)


@cache
def _people_words(language: str) -> frozenset[str]:
    from protestwatch.extract.counts import quantity_grammar

    return frozenset(quantity_grammar(language).people | set(_rules(language)["spec"]["person_objects"]))


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
        for words, minimum, triggers in _rules(language)["other_senses"].values():
            if len(lowered & words) >= minimum:
                ambiguous |= triggers
        doc.user_data[key] = frozenset(ambiguous)
    return doc.user_data[key]


def _gatherings_with_demands(sentence: SpacySpan, language: str, seen: set) -> list[Trigger]:
    """'Merchants gathered in the square to demand longer hours', 'a procession demanding the release of
    ...': a gathering that states a demand."""
    rules = _rules(language)
    out = []
    for token in sentence:
        start = _gathering_start(token, sentence, rules)
        if start is None:
            continue
        if ("protest", token.i) in seen or not is_reported_happening(token, language):
            continue
        if _other_sense(token, "protest", sentence, language):
            continue
        # a noun's demand must be its own or its verb's ("formed a human chain ..., demanding"), not the
        # sentence's ("steadied himself against the podium while watching a military procession")
        scope = sentence if token.pos_ == "VERB" else (token.head if token.head.pos_ in ("VERB", "AUX") else token)
        if not has_demand_cue(scope.text if scope is sentence else _subtree_text(scope), language):
            continue
        seen.add(("protest", token.i))
        span = sentence.doc[start:token.i + 1]
        out.append(Trigger("protest", token, Span(span.start_char, span.end_char, span.text), 0.6))
    return out


def _gathering_start(token: Token, sentence: SpacySpan, rules: dict) -> int | None:
    """Where a gathering word or phrase ending at `token` starts ('gathered'; 'human chain'), if it is one."""
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        return token.i if lemma in rules["with_demand"] else None
    if token.pos_ != "NOUN":
        return None
    doc = sentence.doc
    for before in rules["with_demand_nouns"].get(lemma, ()):
        start = token.i - len(before)
        if start >= sentence.start and all(doc[start + k].lower_ == word for k, word in enumerate(before)):
            return start
    return None


def _subtree_text(token: Token) -> str:
    doc = token.doc
    return doc[token.left_edge.i:token.right_edge.i + 1].text


def _blockades(sentence: SpacySpan, language: str, seen: set) -> list[Trigger]:
    """'Farmers blocked the Raichur-Kalaburagi State Highway', 'blocked trains', 'obstructing the traffic':
    people blocking a route protest; the police blocking a road do not."""
    rules = _rules(language)
    out = []
    for token in sentence:
        if token.pos != VERB or token.lemma_.lower() not in rules["blockade_verbs"] or ("protest", token.i) in seen:
            continue
        objects = [o for c in token.children if c.dep_ == "dobj" for o in (c, *c.conjuncts)]
        route = next((o for o in objects if o.lemma_.lower() in rules["route_nouns"]), None)
        if route is None or not is_reported_happening(token, language):
            continue
        if _blocked_by_the_state(token, language):
            continue
        seen.add(("protest", token.i))
        span = token.doc[token.i:max(token.i, route.i) + 1]
        out.append(Trigger("protest", token, Span(span.start_char, span.end_char, span.text), 0.8))
    return out


def _crowd_arson(sentence: SpacySpan, language: str, seen: set) -> list[Trigger]:
    """'Hartal supporters set a BRTC bus afire', 'supporters burnt three vehicles': a crowd's arson is a riot."""
    rules = _rules(language)
    out = []
    for token in sentence:
        if token.pos != VERB or ("riot", token.i) in seen:
            continue
        lemma = token.lemma_.lower()
        if lemma == "set":  # "set a bus afire", "set barricades on fire"
            marker = next((c for c in token.subtree if c.lower_ in rules["arson_words"]
                           or (c.lower_ == "fire" and c.head.lower_ == "on")), None)
        elif lemma == "burn":
            marker = next((c for c in token.children if c.dep_ == "dobj" and c.lemma_.lower() in rules["burnable"]), None)
        else:
            continue
        if marker is None or not is_reported_happening(token, language):
            continue
        if not crowd_agent(token, language) and not any(
                d.lower_ in rules["arson_doers"] and not armed_violence(token, language) for d in _doers(token)):
            continue
        seen.add(("riot", token.i))
        start, end = min(token.i, marker.i), max(token.i, marker.i) + 1
        span = token.doc[start:end]
        out.append(Trigger("riot", token, Span(span.start_char, span.end_char, span.text), 0.8))
    return out


def _blocked_by_the_state(verb: Token, language: str) -> bool:
    """'Police blocked the roads leading to the square': a blockade by the police or soldiers is no protest."""
    rules = _rules(language)
    return any(d.lemma_.lower() in rules["not_crowd_doers"] or d.lower_ in rules["armed"] for d in _doers(verb))


def _internet_shutdowns(sentence: SpacySpan, language: str, seen: set) -> list[Trigger]:
    rules = _rules(language)
    out = []
    for token in sentence:
        if token.lemma_.lower() not in rules["net_verbs"] or token.pos_ not in ("VERB", "AUX"):
            continue
        clause_head = token.head if token.dep_ in ("xcomp", "ccomp", "conj") else token
        clause = token.doc[clause_head.left_edge.i: clause_head.right_edge.i + 1]
        if not rules["services"].search(clause.text) or not is_reported_happening(token, language):
            continue
        if ("internet_shutdown", token.i) in seen:
            continue
        seen.add(("internet_shutdown", token.i))
        out.append(Trigger("internet_shutdown", token, Span(token.idx, token.idx + len(token), token.text), 0.7))
    return out


def find_hedge(head: Token, sentence: SpacySpan, language: str = "en") -> Span | None:
    """The hedge that keeps the sentence from stating this happening as fact, if any: a verb it is the
    complement of ('the internet appeared to have been blocked'), an adverb of its clause ('police
    reportedly beat them'), or a hedging phrase in its sentence ('according to activists')."""
    rules = _rules(language)
    verbs, adverbs = rules["hedge_verbs"], rules["hedge_adverbs"]
    current = head
    for _ in range(4):
        if current.lemma_.lower() in verbs and current is not head:
            return Span(current.idx, current.idx + len(current), current.text)
        for child in current.children:
            if child.dep_ == "advmod" and child.lower_ in adverbs:
                return Span(child.idx, child.idx + len(child), child.text)
        if current.head is current or current.dep_ not in ("xcomp", "ccomp", "conj", "dobj", "nsubjpass", "nsubj",
                                                           "pobj", "prep", "aux", "auxpass"):
            break
        current = current.head
    lowered = sentence.text.lower()
    for phrase in rules["spec"]["hedges"]["phrases"]:
        position = lowered.find(phrase)
        if position >= 0:
            start = sentence.start_char + position
            return Span(start, start + len(phrase), sentence.text[position:position + len(phrase)])
    return None
