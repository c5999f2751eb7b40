"""What happened: words that report an event of one of the dataset's types (lang/en/triggers.yaml).

A trigger counts only when it reports a happening (modality.py: not as an adjective, not negated, not
under a planning or modal head, not in an advocacy sentence) and in the sense of its event type
(senses.py: who did it to whom; a sports or military "strike" is no strike). The word tables are
read in trigger_rules.py.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.symbols import VERB
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.modality import announced, is_advocacy_sentence, is_reported_happening
from protestwatch.extract.senses import (
    against_people,
    armed_violence,
    blocked_by_the_state,
    counted_people,
    crowd_agent,
    dead_on_both_sides,
    doers,
    is_cause,
    names_people,
    names_protesters,
    names_the_state,
    only_carried,
    other_sense,
    summoned_are_the_state,
    thrown_by_the_crowd,
    victims_are_the_state,
    warning_shots,
)
from protestwatch.extract.state_triggers import bans, bans_goods, internet_shutdowns, put_in_custody
from protestwatch.extract.trigger_rules import (
    Trigger,
    first_words,
    matcher,
    trigger_rules,
)
from protestwatch.extract.violence_words import crowd_control, names_any
from protestwatch.gate.cues import has_demand_cue
from protestwatch.records import Span
from protestwatch.schema.taxonomy import CROWD_TYPES


def word_matches(nlp: Language, sentence: SpacySpan, language: str = "en") -> list[SpacySpan]:
    """Every trigger word or phrase in the sentence, labelled with its event type, before any test of
    whether it reports a happening (organizers of a planned rally still organize it)."""
    # The Matcher tries each of its ~450 patterns at every token it is given; a match can only start
    # at a token with a pattern's first word, so it is given the few tokens after each such token
    # (the matcher was ~30 % of extraction), and a sentence without one (most of a report) is never
    # given to it. Same matches, in the Matcher's own order.
    first_lemmas, first_lowers, longest = first_words(language)
    patterns, found = matcher(nlp, language), []
    for token in sentence:
        if token.lemma_ in first_lemmas or token.lower_ in first_lowers:
            window = sentence.doc[token.i:min(token.i + longest, sentence.end)]
            found.extend(span for span in patterns(window, as_spans=True) if span.start == token.i)
    return found


def find_triggers(nlp: Language, sentence: SpacySpan, language: str = "en",
                  matches: list[SpacySpan] | None = None) -> list[Trigger]:
    """The triggers that report a happening. `matches` (from word_matches) saves a second scan."""
    if is_advocacy_sentence(sentence, language):
        return []
    rules = trigger_rules(language)
    found: list[Trigger] = []
    seen: set[tuple[str, int]] = set()
    for span in matches if matches is not None else word_matches(nlp, sentence, language):
        event_type = span.label_
        head = span.root
        if (event_type, head.i) in seen or not is_reported_happening(head, language):
            continue
        if event_type == "protest" and _blow_to_people(head, rules, language):
            event_type = "violence_against_protesters"  # 'struck protesters with batons': a blow, not a strike
        elif other_sense(head, event_type, sentence, language):
            continue
        if event_type in CROWD_TYPES and announced(head, rules):
            continue
        if event_type == "dispersal" and only_carried(head, language):
            continue  # 'police armed with tear gas': borne, not fired
        if event_type == "dispersal" and thrown_by_the_crowd(head, language):
            event_type = "riot"
        if event_type == "ban" and bans_goods(head, rules):
            continue  # 'banned plastic bags': no assembly, group or person forbidden
        if event_type == "summons" and summoned_are_the_state(head, rules):
            continue  # "riot police were called in": sent for, not summoned for questioning
        if event_type == "summons" and head.pos_ == "VERB" and _done_by_the_protesters_side(head, rules):
            continue  # "the opposition party warned the president": no state calls anyone in
        if head.lemma_.lower() in rules["blockade_verbs"] and blocked_by_the_state(head, language):
            continue
        if event_type == "violence_against_protesters":
            if is_cause(head, language) or warning_shots(head, language) or dead_on_both_sides(head, language):
                continue
            # by armed men, violence on a post or on the police is political violence (extract/violence.py)
            def armed(head=head):
                return names_any(sentence, rules["spec"]["armed_actors"]) or armed_violence(head, language)

            if not against_people(head, language):
                if head.lemma_.lower() in rules["property_attacks"] and crowd_agent(head, language):
                    event_type = "riot"  # a crowd attacking a building or vehicles
                elif not armed():
                    continue
            elif victims_are_the_state(head, language):
                # "police officers were injured", "attacked the policemen with machetes": the crowd's
                # violence when a crowd or protesters do it; an armed attack on the police otherwise
                if crowd_agent(head, language) or names_protesters(sentence, language):
                    event_type = "riot"
                elif not armed():
                    continue
        seen.add((event_type, head.i))
        strength = 0.8 if head.pos_ in ("VERB", "AUX") or len(span) > 1 else 0.6
        found.append(Trigger(event_type, head, Span(span.start_char, span.end_char, span.text), strength))
        violent = next((c for c in head.children if c.dep_ == "amod" and c.lemma_.lower() in rules["violent"]), None) \
            if event_type == "protest" and head.pos_ == "NOUN" else None
        if violent is not None and ("riot", head.i) not in seen:
            # 'violent protests': the protest word and the violence, one violent demonstration (mentions.py)
            seen.add(("riot", head.i))
            words = sentence.doc[min(violent.i, span.start):max(head.i + 1, span.end)]
            found.append(Trigger("riot", head, Span(words.start_char, words.end_char, words.text), strength))
    found.extend(internet_shutdowns(sentence, language, seen))
    found.extend(_gatherings_with_demands(sentence, language, seen))
    found.extend(_blockades(sentence, language, seen))
    found.extend(_crowd_arson(sentence, language, seen))
    found.extend(_removals(sentence, language, seen))
    found.extend(put_in_custody(sentence, language, seen))
    found.extend(bans(sentence, language, seen))
    found.extend(_launched_explosives(sentence, language, seen))
    found.sort(key=lambda t: t.span.start)
    return found


def _gatherings_with_demands(sentence: SpacySpan, language: str, seen: set) -> list[Trigger]:
    """'Merchants gathered in the square to demand longer hours', 'a procession demanding the release of
    ...': a gathering that states a demand."""
    rules = trigger_rules(language)
    out = []
    for token in sentence:
        start = _gathering_start(token, sentence, rules)
        if start is None:
            continue
        if ("protest", token.i) in seen or not is_reported_happening(token, language):
            continue
        if other_sense(token, "protest", sentence, language):
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


def _done_by_the_protesters_side(verb: Token, rules: dict) -> bool:
    return any(d.lemma_.lower() in rules["protesters_side"] for d in doers(verb))


def _blow_to_people(head: Token, rules: dict, language: str) -> bool:
    if head.tag_ == "VBG" and not any(c.dep_ == "nsubj" for c in head.children):
        return False  # 'comments he made to striking mine workers': the workers on strike
    return head.pos_ == "VERB" and head.lemma_.lower() in rules["blow_verbs"] and any(
        names_people(o, language) or o.lower_ in ("them", "him", "her") for o in _direct_objects(head))


def _direct_objects(verb: Token) -> list[Token]:
    """The verb's direct objects with their conjuncts ('blocked roads and railways')."""
    return [o for c in verb.children if c.dep_ == "dobj" for o in (c, *c.conjuncts)]


def _blockades(sentence: SpacySpan, language: str, seen: set) -> list[Trigger]:
    """'Farmers blocked the Raichur-Kalaburagi State Highway', 'blocked trains', 'obstructing the traffic':
    people blocking a route protest; the police blocking a road do not."""
    rules = trigger_rules(language)
    out = []
    for token in sentence:
        if token.pos != VERB or token.lemma_.lower() not in rules["blockade_verbs"] or ("protest", token.i) in seen:
            continue
        objects = _direct_objects(token)
        route = next((o for o in objects if o.lemma_.lower() in rules["route_nouns"]), None)
        if route is None or not is_reported_happening(token, language):
            continue
        if blocked_by_the_state(token, language):
            continue
        seen.add(("protest", token.i))
        span = token.doc[token.i:max(token.i, route.i) + 1]
        out.append(Trigger("protest", token, Span(span.start_char, span.end_char, span.text), 0.8))
    return out


def _crowd_arson(sentence: SpacySpan, language: str, seen: set) -> list[Trigger]:
    """'Hartal supporters set a BRTC bus afire', 'supporters burnt three vehicles': a crowd's arson is a riot;
    so is a crowd storming a building ('protesters stormed the regional administration'), which the police
    storming one, or a team 'storming to victory', is not."""
    rules = trigger_rules(language)
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
        elif lemma in rules["storm_verbs"]:
            marker = next((o for o in _direct_objects(token) if o.lemma_.lower() in rules["stormable"]), None)
        else:
            continue
        if marker is None or not is_reported_happening(token, language):
            continue
        if not crowd_agent(token, language) and not any(
                d.lower_ in rules["arson_doers"] and not armed_violence(token, language)
                for d in map(counted_people, doers(token))):
            continue
        seen.add(("riot", token.i))
        start, end = min(token.i, marker.i), max(token.i, marker.i) + 1
        span = token.doc[start:end]
        out.append(Trigger("riot", token, Span(span.start_char, span.end_char, span.text), 0.8))
    return out


def _removals(sentence: SpacySpan, language: str, seen: set) -> list[Trigger]:
    """'Police evicted the demonstrators from the square', 'the protesters were removed from the camp',
    'troops cleared the protest camp': the state's forces removing a crowd or its site disperse it."""
    rules = trigger_rules(language)
    out = []
    for token in sentence:
        if token.pos != VERB or token.lemma_.lower() not in rules["removal_verbs"] or ("dispersal", token.i) in seen:
            continue
        removed = [o for o in (*_direct_objects(token), *(c for c in token.children if c.dep_ == "nsubjpass"))
                   if o.lemma_.lower() in rules["removed"]]
        people = doers(token)
        passive = any(c.dep_ == "auxpass" for c in token.children)
        if not removed or not (names_the_state(people, language) or (passive and not people)):
            continue
        if not is_reported_happening(token, language):
            continue
        seen.add(("dispersal", token.i))
        out.append(Trigger("dispersal", token, Span(token.idx, token.idx + len(token.text), token.text), 0.8))
    return out


def _launched_explosives(sentence: SpacySpan, language: str, seen: set) -> list[Trigger]:
    """'Forces fired mortar shells at the village', 'launched rockets', 'planted a bomb': a verb of launching
    whose object is an explosive is an explosion (extract/violence.py decides whose)."""
    rules = trigger_rules(language)
    out = []
    for token in sentence:
        if token.pos != VERB or token.lemma_.lower() not in rules["launch_verbs"] or ("explosion", token.i) in seen:
            continue
        objects = _direct_objects(token)
        explosive = next((o for o in objects if (o.lemma_.lower() in rules["explosives"]
                                                 or o.lower_ in rules["explosives"]) and not crowd_control(o, language)),
                         None)
        if explosive is None or not is_reported_happening(token, language):
            continue
        seen.add(("explosion", token.i))
        span = token.doc[token.i:max(token.i, explosive.i) + 1]
        out.append(Trigger("explosion", token, Span(span.start_char, span.end_char, span.text), 0.8))
    return out
