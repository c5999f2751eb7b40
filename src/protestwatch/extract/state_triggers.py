"""Triggers for the state's acts told by what they do rather than by a word of their own: people put into
custody, an assembly forbidden or a group declared extremist, a service cut or made unavailable. Each finder
reads the parse around a verb or noun and returns the triggers it found (extract/triggers.py runs them)."""

from __future__ import annotations

from spacy.symbols import VERB
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.modality import is_reported_happening
from protestwatch.extract.senses import names_people
from protestwatch.extract.trigger_rules import Trigger, trigger_rules
from protestwatch.records import Span


def put_in_custody(sentence: SpacySpan, language: str, seen: set) -> list[Trigger]:
    """'Police placed nine demonstrators in pretrial detention', 'were remanded in custody', 'took twelve
    students into custody', 'were taken to a police station': a verb that puts people into custody detains
    them. The verb is the trigger, so the people it takes are the count of the detained."""
    rules = trigger_rules(language)
    out = []
    for token in sentence:
        if token.pos != VERB or token.lemma_.lower() not in rules["placing_verbs"] or ("detention", token.i) in seen:
            continue
        custody = next((pobj for prep in token.children
                        if prep.dep_ == "prep" and prep.lower_ in rules["custody_prepositions"]
                        for pobj in prep.children if pobj.dep_ == "pobj" and _is_custody(pobj, rules)), None)
        if custody is None or not is_reported_happening(token, language):
            continue
        seen.add(("detention", token.i))
        words = sentence.doc[token.i:custody.i + 1]
        out.append(Trigger("detention", token, Span(words.start_char, words.end_char, words.text), 0.8))
    return out


def bans(sentence: SpacySpan, language: str, seen: set) -> list[Trigger]:
    """Bans told without the word 'ban': an assembly or a group forbidden ('prohibited rallies in the centre',
    'barring gatherings of more than four people'), a group declared extremist or terrorist ('declared the group
    an extremist organisation')."""
    rules = trigger_rules(language)
    out = []
    for token in sentence:
        if token.pos != VERB or ("ban", token.i) in seen:
            continue
        lemma = token.lemma_.lower()
        if lemma in rules["forbidding_verbs"]:
            banned = next((o for o in _patients(token) if _assembly(o, rules) or o.lemma_.lower() in rules["ban_groups"]),
                          None)
            # 'laws which bar political gatherings': the simple present tells a standing rule, not its making
            standing = token.tag_ in ("VBZ", "VBP") and not any(c.dep_ in ("aux", "auxpass") for c in token.children)
            last = banned if banned is not None and not standing else None
        elif lemma in rules["designating_verbs"]:
            banned = next(iter(_patients(token)), None)
            last = next((t for t in token.subtree if banned is not None and t.i > banned.i
                         and t.lower_ in rules["designations"]), None)
        else:
            continue
        if last is None or not is_reported_happening(token, language):
            continue
        seen.add(("ban", token.i))
        words = sentence.doc[min(token.i, banned.i):max(token.i, last.i) + 1]
        out.append(Trigger("ban", token, Span(words.start_char, words.end_char, words.text), 0.8))
    return out


def bans_goods(head: Token, rules: dict) -> bool:
    """'banned single-use plastic bags', 'a ban on imports': a ban whose object is a thing, not an assembly, a
    group or people (the objects a ban of the coded kind has: 'banned the rally', 'banned the party', 'banned
    Tsvangirai from addressing a rally', 'banned it'). A ban with no object told is kept."""
    if head.pos == VERB:
        objects = _patients(head)
    else:  # the noun: 'a ban on plastic bags'
        objects = [g for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "of")
                   for g in c.children if g.dep_ == "pobj"]
    return bool(objects) and not any(_bannable_object(o, rules) for o in objects)


def _bannable_object(token: Token, rules: dict) -> bool:
    if token.pos_ in ("PROPN", "PRON") or token.ent_type_ in ("ORG", "PERSON", "NORP", "EVENT"):
        return True
    if _assembly(token, rules) or token.lemma_.lower() in rules["ban_groups"] | rules["protester_nouns"]:
        return True
    if names_people(token, "en"):
        return True
    # 'all public events', 'the activities of the party': the thing's own modifiers or 'of' may name the group
    return any(_bannable_object(g, rules) for c in token.children
               if c.dep_ in ("poss", "compound") or (c.dep_ == "prep" and c.lower_ == "of")
               for g in ([c] if c.dep_ != "prep" else [x for x in c.children if x.dep_ == "pobj"]))


def _patients(verb: Token) -> list[Token]:
    """What the verb acts on: its object, its passive subject, or the subject of the clause it governs ('declared
    the group an extremist organisation')."""
    own = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    return own or [g for c in verb.children if c.dep_ in ("ccomp", "xcomp", "oprd")
                   for g in c.children if g.dep_ == "nsubj"]


def _assembly(token: Token, rules: dict) -> bool:
    """A gathering: a protest noun or one of the ban's assembly nouns, not the people at it."""
    lemma = token.lemma_.lower()
    if lemma in rules["protester_nouns"] or token.lower_ in rules["protester_nouns"]:
        return False
    return lemma in rules["bannable"]


def _is_custody(noun: Token, rules: dict) -> bool:
    lemma = noun.lemma_.lower()
    if lemma in rules["custody_nouns"]:
        return True
    return lemma in rules["custody_places"] and any(
        c.dep_ in ("compound", "amod") and c.lemma_.lower() in rules["custody_nouns"] | rules["custody_place_modifiers"]
        for c in noun.children)


def internet_shutdowns(sentence: SpacySpan, language: str, seen: set) -> list[Trigger]:
    """A verb of cutting whose clause names a service ('mobile internet was cut off in Osh'), a noun of the
    cut that names the service it cuts ('restrictions on internet access', 'a social media blackout'), or the
    service said to be unavailable or to have stopped working."""
    rules = trigger_rules(language)
    out = []
    for token in sentence:
        if ("internet_shutdown", token.i) in seen or not _tells_a_cut_service(token, rules, language):
            continue
        seen.add(("internet_shutdown", token.i))
        strength = 0.6 if token.lemma_.lower() in rules["net_failing"] else 0.7
        out.append(Trigger("internet_shutdown", token, Span(token.idx, token.idx + len(token), token.text), strength))
    return out


def _tells_a_cut_service(token: Token, rules: dict, language: str) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX") and (lemma in rules["net_verbs"] or any(
            (lemma, c.lower_) in rules["net_particle_verbs"] for c in token.children
            if c.dep_ in ("prt", "advmod", "oprd", "acomp"))):
        clause_head = token.head if token.dep_ in ("xcomp", "ccomp", "conj") else token
        clause = token.doc[clause_head.left_edge.i: clause_head.right_edge.i + 1].text
        return bool(rules["services"].search(clause)) and is_reported_happening(token, language)
    if lemma in rules["net_nouns"] and token.pos_ in ("NOUN", "PROPN"):
        return _names_a_cut_service(token, rules) and is_reported_happening(token, language)
    if lemma in rules["net_adjectives"] and token.pos_ == "ADJ":
        # 'internet access was unavailable': the subject of the adjective's copula is the service, and the
        # copula's modality is the adjective's ('would be unavailable' is not told as fact)
        copula = token.head if token.dep_ == "acomp" else token
        return _subject_is_a_service(copula, rules, ("nsubj", "nsubjpass")) and is_reported_happening(copula, language)
    if lemma in rules["net_failing"] and token.pos_ == "VERB" and _stopped_or_not(token):
        # 'mobile internet stopped working', 'the internet did not work'
        verb = token.head if token.dep_ == "xcomp" else token
        return _subject_is_a_service(verb, rules, ("nsubj",)) and _reported_without_negation(verb, language)
    return False


def _subject_is_a_service(verb: Token, rules: dict, deps: tuple[str, ...]) -> bool:
    return any(rules["services"].search(" ".join(t.text for t in s.subtree)) for s in verb.children if s.dep_ in deps)


def _stopped_or_not(verb: Token) -> bool:
    """'stopped working', 'ceased to function', or negated: 'did not work'."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in ("stop", "cease")


def _reported_without_negation(verb: Token, language: str) -> bool:
    """The modality of a failing verb, its own 'not' aside ('would not work' is not told as fact)."""
    rules = trigger_rules(language)
    return not any(c.dep_ == "aux" and c.lower_ in rules["aux"] for c in verb.children) \
        and not any(c.dep_ == "aux" and c.lower_ in rules["aux"] for c in verb.head.children if verb.dep_ == "xcomp")


def _names_a_cut_service(noun: Token, rules: dict) -> bool:
    """Whether a noun of cutting says a service was cut: by its modifiers ('internet', 'social media') or by
    the object of its 'of', 'on', 'to' or 'in' ('the shutdown of mobile data', 'curbs on access to
    messaging apps'). That object must be the service, or access to one: 'a cut to an internet cable'
    damaged a cable."""
    if rules["services"].search(" ".join(t.text for t in noun.subtree if t.i < noun.i)):
        return True
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "on", "to", "in"):
            for cut in (g for g in child.children if g.dep_ == "pobj"):
                if cut.lemma_.lower() in rules["net_access"]:
                    if rules["services"].search(" ".join(t.text for t in cut.subtree)):
                        return True
                    continue
                # the service is the object's own name, ending with it
                named = " ".join(t.text for t in cut.subtree if t.i <= cut.i)
                if any(m.end() == len(named) for m in rules["services"].finditer(named)):
                    return True
    return False
