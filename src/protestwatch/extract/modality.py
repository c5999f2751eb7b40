"""Whether a trigger reports a happening: not as an adjective, not negated, not under a planning,
modal or announcing head ("plans to hold a rally", "will march"), not in an advocacy sentence, and
whether the report hedges it ("appeared to have been blocked")."""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.dates import date_tokens
from protestwatch.extract.trigger_rules import (
    lemma_phrase_matches,
    people_words,
    trigger_rules,
)
from protestwatch.records import Span


def is_advocacy_sentence(sentence: SpacySpan, language: str = "en") -> bool:
    """True when the sentence's main verb is advocacy/diplomacy (urge, criticize, call on ...)."""
    root = sentence.root
    return any(lemma_phrase_matches(root, words) for words in trigger_rules(language)["advocacy"])


def is_reported_happening(token: Token, language: str = "en") -> bool:
    rules = trigger_rules(language)
    striking_people = token.lower_ == "striking" and token.head.lemma_.lower() in people_words(language)
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
    if token.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in rules["nonspecific"]
                                    for c in _with_first_conjunct(token).children):
        return False  # "before holding any assembly or march", "no protests were reported": not one happening
    if token.pos_ == "NOUN" and any(c.dep_ in ("amod", "acl") and c.lower_ in rules["prospective"]
                                    for c in token.children):
        return False  # "the planned march", "a protest planned by students": yet to come
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lemma_.lower() in rules["prospects"]:
        return False  # "the threat of a strike", "fears of attacks": feared, not told
    if _said_to_be_habitual(token, rules["generic_predicates"]):
        return False  # "rallies are rare in the capital": a habit of the place
    verb = _clause_verb(token)
    if any(child.dep_ in ("advmod", "npadvmod") and child.lower_ in rules["habitual"] for child in verb.children) \
            or _at_recurring_times(token, rules) or _at_recurring_times(verb, rules):
        return False  # "have several times been attacked", "regularly gather", "march every Friday": a habit
    if _experiential_perfect(token, rules["experiential"]):
        return False  # "has cut off the internet before": at some time, not a happening told
    if any(child.dep_ == "aux" and child.lower_ in rules["aux"] for child in _clause_verb(token).children):
        return False  # "will take part in the march": the modal of the clause the event noun stands in
    ancestor = token
    stated = False  # "permitting it to dismiss miners who have embarked on a strike": the clause tells a fact
    for _ in range(6):
        if ancestor.head.i == ancestor.i:  # spaCy makes a new Token on each access: never `is`
            break
        child, ancestor = ancestor, ancestor.head
        stated = stated or child.dep_ == "relcl"
        if not stated and any(lemma_phrase_matches(ancestor, words) for words in rules["hypothetical"]):
            return False
        # the modal of the verb that controls the trigger's clause: 'said they would try to march'
        if not stated and child.dep_ == "xcomp" and any(
                c.dep_ == "aux" and c.lower_ in rules["aux"] for c in ancestor.children):
            return False
        # a light verb whose object says it: "gave permission for a rally", "made plans for a march"
        if not stated and child.dep_ == "prep" and any(
                grand.dep_ == "dobj" and any(lemma_phrase_matches(grand, words) for words in rules["hypothetical"])
                for grand in ancestor.children):
            return False
        # The grievance: "against the arrest of ...", "demanded the release of activists who were
        # detained". Only inside the cause word's object: a subject that demands is still an event.
        if child.dep_ in _OBJECT_DEPS and any(lemma_phrase_matches(ancestor, words) for words in rules["causes"]):
            return False
    return True


_OBJECT_DEPS = {"dobj", "pobj", "xcomp", "ccomp", "pcomp"}


def _with_first_conjunct(noun: Token) -> Token:
    """The first noun of a coordination ('any assembly or march' -> assembly), whose determiner the others share."""
    while noun.dep_ == "conj" and noun.head.pos_ == "NOUN" and noun.head.i != noun.i:
        noun = noun.head
    return noun


def _said_to_be_habitual(token: Token, predicates: frozenset[str]) -> bool:
    """A plural happening with no determiner of its own, subject of a predicate of frequency ('are rare',
    'have become a common sight'). 'The protests were unusual' tells of particular ones: not this."""
    if token.dep_ not in ("nsubj", "nsubjpass") or token.tag_ != "NNS":
        return False
    if any(child.dep_ in ("det", "poss") and child.lower_ != "such" for child in token.children):
        return False
    for predicate in token.head.children:
        if predicate.dep_ == "acomp" and predicate.lemma_.lower() in predicates:
            return True
        if predicate.dep_ == "attr" and (predicate.lemma_.lower() in predicates or any(
                child.dep_ == "amod" and child.lemma_.lower() in predicates for child in predicate.children)):
            return True
    return False


def _experiential_perfect(token: Token, adverbs: frozenset[str]) -> bool:
    """A perfect with an adverb of 'at some time' ('has deployed shutdowns before', 'had previously been
    detained'): the trigger's verb, or a plural noun with no determiner or number of its own that is its
    object ('the shutdowns' or 'two rallies' would be particular ones)."""
    verb = _clause_verb(token)
    if verb.tag_ != "VBN" or not any(c.dep_ in ("aux", "auxpass") and c.lemma_.lower() == "have" for c in verb.children):
        return False
    if token.i != verb.i and (token.tag_ != "NNS" or any(
            c.dep_ in ("det", "poss", "nummod") for c in token.children)):
        return False
    for child in verb.children:
        if child.dep_ == "advmod" and child.lower_ in adverbs and not list(child.children):
            return True
        if child.dep_ == "prep" and f"{child.lower_} {' '.join(t.lower_ for t in child.subtree if t.i > child.i)}" \
                in adverbs:
            return True  # 'in the past'
    return False


def _at_recurring_times(verb: Token, rules: dict) -> bool:
    """'rallies draw crowds on Saturdays', 'they march every Friday': a clause in the simple present placed at a
    recurring time tells what is done (a past one tells a series of happenings: 'demonstrations erupted earlier
    this month, especially on weekends')."""
    if verb.tag_ not in ("VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    for child in verb.children:
        times = [g for g in child.children if g.dep_ == "pobj"] if child.dep_ == "prep" else [child]
        for time in times:
            if time.lower_ in rules["habitual_times"] or (time.dep_ in ("npadvmod", "pobj") and any(
                    d.dep_ == "det" and d.lower_ in rules["habitual_quantifiers"] for d in time.children)
                    and time.ent_type_ == "DATE"):
                return True
    return False


def _clause_verb(token: Token) -> Token:
    """The verb of the clause a trigger stands in: itself, or the verb its noun phrase hangs from
    through objects and prepositions ('take part in the march' -> take)."""
    current = token
    for _ in range(4):
        if current.pos_ in ("VERB", "AUX") and current.dep_ != "compound":  # 'to loot shops' parsed as a noun
            return current
        if current.head.i == current.i or current.dep_ not in ("dobj", "pobj", "prep", "nsubj", "nsubjpass", "attr",
                                                           "compound", "conj", "appos"):
            break
        current = current.head
    return token if token.pos_ in ("VERB", "AUX") else token.head


def announced(token: Token, rules: dict) -> bool:
    """A protest noun that is what was announced or scheduled ('announced a rally for Saturday', 'the
    march has been announced', 'the announcement of a strike'): called, not held."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    child, head = token, token.head
    if child.dep_ == "pobj" and head.lower_ == "of":  # "the announcement of a strike"
        child, head = head, head.head
    return child.dep_ in ("dobj", "nsubjpass", "npadvmod", "prep") and head.lemma_.lower() in rules["announcing"]


def find_hedge(head: Token, sentence: SpacySpan, language: str = "en") -> Span | None:
    """The hedge that keeps the sentence from stating this happening as fact, if any: a verb it is the
    complement of ('the internet appeared to have been blocked'), an adverb of its clause ('police
    reportedly beat them'), or a hedging phrase in its sentence ('according to activists')."""
    rules = trigger_rules(language)
    verbs, adverbs = rules["hedge_verbs"], rules["hedge_adverbs"]
    current = head
    for _ in range(4):
        if current.lemma_.lower() in verbs and current is not head:
            return Span(current.idx, current.idx + len(current), current.text)
        for child in current.children:
            if child.dep_ == "advmod" and child.lower_ in adverbs:
                return Span(child.idx, child.idx + len(child), child.text)
        if current.head.i == current.i or current.dep_ not in ("xcomp", "ccomp", "conj", "dobj", "nsubjpass", "nsubj",
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


def refers_back(token: Token, language: str = "en") -> bool:
    """'More than forty people have been killed during the protests', 'the death toll from the clashes':
    a tally of casualties or arrests in happenings the report tells elsewhere refers to them; it tells no
    happening of its own and has no day of its own to give one."""
    words = trigger_rules(language)["spec"]["tally"]
    if token.pos_ != "NOUN" or token.dep_ != "pobj" or token.head.lower_ not in words["prepositions"]:
        return False
    governor = token.head.head
    return governor.lemma_.lower() in words["verbs"] or governor.lower_ in words["nouns"]


def tally_verb_dates(token: Token, value, doc) -> bool:
    """Whether a date hangs from the verb of the tally the trigger stands in (not from 'said')."""
    words = date_tokens(value, doc)
    if words is None:
        return False
    governor, current = token.head.head, words.root
    for _ in range(4):
        if current.pos_ in ("VERB", "AUX"):
            return current.i == governor.i
        if current.head.i == current.i:
            return False
        current = current.head
    return False
