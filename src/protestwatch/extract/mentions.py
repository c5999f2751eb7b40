"""Sentences -> mentions: one Mention per (sentence, event type, place), with every field's evidence.

A report tells one story across sentences, so what a sentence leaves out comes from context:
- date and place carry forward from the last sentence of the same thread (types.yaml: protests
  and the state's answers to them; bans, summons, sentences; armed violence);
- a lead sentence before any date takes the first date the report gives for that thread;
- 'in both cities' means the last two cities named; 'several other cities' means country precision
  (which places a sentence names is the `sentence_places` stage);
- sentences with no trigger still add demands, responses and tactics to the protest they follow;
- organizers named anywhere in the report ('rallies spearheaded by the DVK') organize its protests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan

from protestwatch.extract import actors as actor_stage
from protestwatch.extract.article import settle_article
from protestwatch.extract.clause_places import named_in_passing
from protestwatch.extract.counts import counts_for_place, find_counts, lone_protest, turnout
from protestwatch.extract.date_attachment import (
    defied,
    event_dates,
    interval_apart,
    period_bounds,
    relative_day,
    told_in_past_perfect,
)
from protestwatch.extract.dates import find_dates, month_day, on_day, states_unknowable_date
from protestwatch.extract.demands import find_demands
from protestwatch.extract.mention_places import ToldBefore, choose_places
from protestwatch.extract.modality import find_hedge, is_advocacy_sentence, refers_back, tally_verb_dates
from protestwatch.extract.places import Gazetteer
from protestwatch.extract.quotes import inside, quoted_ranges, quotes_in
from protestwatch.extract.responses import find_responses, find_tactics, responses_implied_by
from protestwatch.extract.russian import extract_mentions_ru
from protestwatch.extract.senses import doers
from protestwatch.extract.sentence_places import report_countries, sentence_places
from protestwatch.extract.text import doc_text
from protestwatch.extract.trigger_rules import Trigger
from protestwatch.extract.triggers import find_triggers, word_matches
from protestwatch.extract.violence import COUNTS_THE_DEAD, CROWD_VIOLENCE, settle_violence, violence_actors
from protestwatch.extract.violence_words import find_fatalities, find_means, names_armed_groups
from protestwatch.ingest.header import dateline_day
from protestwatch.lang import load
from protestwatch.records import Actor, DateValue, Document, Mention, Place, Span, Tagged, stable_id
from protestwatch.schema.taxonomy import CROWD_TYPES
from protestwatch.schema.typemap import family, thread

# Types whose events have people on the protesters' side as participants or targets.
_GROUP_TYPES = ("protest", "riot", "detention", "dispersal", "violence_against_protesters", "summons", "sentencing")


@dataclass
class _Context:
    """What the report has said so far, per thread of events (types.yaml)."""

    date: dict[str, DateValue] = field(default_factory=dict)
    places: dict[str, list[Place]] = field(default_factory=dict)
    cities: list[Place] = field(default_factory=list)  # distinct cities in order of mention
    actors: actor_stage.DocActors = field(default_factory=actor_stage.DocActors)
    last_protests: list[Mention] = field(default_factory=list)
    gazetteer: Gazetteer | None = None
    lead_places: list[Place] = field(default_factory=list)  # the first sentence that names a place
    last_named: list[Place] = field(default_factory=list)  # the places of the last sentence that named any
    named_before: list[Place] = field(default_factory=list)  # the same, before the sentence being read
    filed: DateValue | None = None  # an undated report's wire-dateline day, without a year


def extract_mentions(document: Document, doc: SpacyDoc, nlp: Language, gazetteer: Gazetteer) -> list[Mention]:
    language = document.language
    if language == "ru":  # a grammar of its own over the same records (extract/russian.py)
        return extract_mentions_ru(document, doc, gazetteer)
    doc.user_data["protestwatch_text"] = document.text  # the headline too: "Markets", "Dakar Rally"
    quotes = quoted_ranges(document.text)
    sentences = [s for s in doc.sents if document.body_start <= s.start_char < document.body_stop]
    countries = report_countries(doc, gazetteer, document.dateline)
    context = _Context(gazetteer=gazetteer)
    if document.published is None and (filed := dateline_day(document.text)) is not None:
        context.filed = month_day(*filed, None)
    # one scan of each sentence for trigger words; every later step reuses it
    scanned = []
    for sentence in sentences:
        matches = word_matches(nlp, sentence, language)
        triggers = [t for t in find_triggers(nlp, sentence, language, matches) if not inside(quotes, t.span.start, t.span.end)]
        scanned.append((sentence, matches, triggers))
    first_dates = _first_thread_dates(scanned, document)
    protest_in_report = any(t.type == "protest" for _, _, found in scanned for t in found)
    # read only by the riot rule: the report's text is searched only when a riot word was found
    armed_in_report = any(t.type == "riot" for _, _, found in scanned for t in found) and names_armed_groups(
        document.text, language)
    lead = next((d for s in sentences[:2] for d in _datable(find_dates(s.text, s.start_char, document.published),
                                                           doc_text(doc))), None)
    if lead is not None:
        first_dates.setdefault("lead", lead)
    mentions: list[Mention] = []
    organizers: list[Actor] = []
    for sentence, matches, triggers in scanned:
        actor_stage.remember_named(sentence, context.actors, language)
        protest_heads = {m.root.i for m in matches if m.label_ in CROWD_TYPES}
        organizers.extend(actor_stage.organizers(sentence, protest_heads, context.actors, language))
        places = sentence_places(sentence, gazetteer, countries, context.cities, document, quotes)
        # the report's home: the country it names most and the countries of the cities it has named
        home = {c.country for c in context.cities} | {p.country for p in places if p.precision == "city"}
        home |= {countries[0]} if countries else set()
        places = [p for p in places if not named_in_passing(p, sentence, home, language)]
        if places and not context.lead_places:
            context.lead_places = places
        sentence_quotes = quotes_in(quotes, sentence.start_char, sentence.end_char)
        triggers = settle_violence(
            triggers, sentence, bool(context.last_protests),
            lambda s=sentence, heads=[t.head for t in triggers]: actor_stage.state_actors(s, heads, [], language),
            language, protest_in_report, armed_in_report,
            violence_before=any(m.type in CROWD_VIOLENCE or family(m.type) == "political_violence" for m in mentions))
        # 'there' in a later sentence: read only by a sentence that names no place, so its own are never it
        context.named_before, context.last_named = context.last_named, places or context.last_named
        if not triggers:
            if not is_advocacy_sentence(sentence, language):
                _annex(sentence, sentence_quotes, places, context, language)
            continue
        dates = find_dates(sentence.text, sentence.start_char, document.published)
        new = _sentence_mentions(document, sentence, triggers, dates, places, sentence_quotes,
                                 context, first_dates, language)
        mentions.extend(new)
        protests = [m for m in new if m.type in CROWD_TYPES]
        if protests:
            context.last_protests = protests
        elif context.last_protests:
            _answer_to_protest(sentence, triggers, context.last_protests, language)
    _add_organizers(mentions, organizers)
    # an undated report may state a day's year elsewhere (a caption, a dateline): the article pass uses it
    stated = [] if document.published else find_dates(document.text, 0, None)
    return settle_article(mentions, language, stated)


def _first_thread_dates(scanned, document: Document) -> dict[str, DateValue]:
    """The first date the report gives for each thread of events: lead sentences before it take it."""
    firsts: dict[str, DateValue] = {}
    for sentence, _, triggers in scanned:
        if not triggers:
            continue
        dates = find_dates(sentence.text, sentence.start_char, document.published)
        if not dates:
            continue
        heads = {t.head.i for t in triggers}
        for trigger in triggers:
            own, other = event_dates(dates, sentence, trigger.head, trigger.type, heads, document.published)
            if own or other:
                firsts.setdefault(thread(trigger.type), _nearest(own or other, trigger.span.start))
    return firsts


def _datable(dates: list[DateValue], text: str) -> list[DateValue]:
    """The dates that can date a happening: not the ends of a period ('from March 3 to April 2')."""
    bounds = period_bounds(dates, text)
    return [d for i, d in enumerate(dates) if i not in bounds]


def _nearest(dates: list[DateValue], position: int) -> DateValue:
    return min(dates, key=lambda d: abs((d.span.start if d.span else 0) - position))


def _sentence_mentions(document: Document, sentence: SpacySpan, triggers: list[Trigger], dates: list[DateValue],
                       places: list[Place], quotes: list[tuple[int, int]], context: _Context,
                       first_dates: dict[str, DateValue], language: str) -> list[Mention]:
    trigger_types = {t.head.i: t.type for t in triggers}
    counts = find_counts(sentence, trigger_types, language)
    state = actor_stage.state_actors(sentence, [t.head for t in triggers], quotes, language)
    groups = actor_stage.group_actors(sentence, [t.head for t in triggers], language)
    demands = find_demands(sentence, quotes, language)
    responses = find_responses(sentence, language)
    implied = responses_implied_by(language)
    responses += [Tagged(implied[t.type], t.span) for t in triggers if t.type in implied]
    tactics = find_tactics(sentence, quotes, language)
    sentence_span = Span(sentence.start_char, sentence.end_char, sentence.text)

    by_type: dict[str, list[Trigger]] = {}
    for trigger in triggers:
        by_type.setdefault(trigger.type, []).append(trigger)
    demonstrators = False
    if "riot" in by_type and not _violence_by_others(by_type.get("protest", []), by_type["riot"]):
        # "protesters torched cars": one violent demonstration, not a protest beside a riot
        demonstrators = by_type.pop("protest", None) is not None
    out: list[Mention] = []
    trigger_heads = {t.head.i for t in triggers}
    # 'the following day' counts from the day told before this sentence, not from the day another
    # happening of this very sentence has just been given
    dates_before = dict(context.date)
    for event_type, group in by_type.items():
        fam = thread(event_type)
        own, other = event_dates(dates, sentence, group[0].head, event_type, trigger_heads, document.published)
        relative = None if own else relative_day(sentence, dates, dates_before.get(fam))
        if not (own or relative or other) and states_unknowable_date(sentence.text, document.published):
            date, date_source = None, "none"  # "on Wednesday" in an undated report: not another day's date
        elif not own and (context.date.get(fam) or first_dates.get(fam)) and refers_back(group[0].head, language):
            # a tally of a happening told elsewhere joins that one: only a day of the tally's own clause
            # ('injured during protests on Monday') dates it, not the day it was said
            tallied = [d for d in other if tally_verb_dates(group[0].head, d, sentence.doc)]
            date, date_source = (tallied[0], "sentence") if tallied else (None, "none")
        else:
            date, date_source = _date_for(own or ([relative] if relative else other), group[0], fam, context,
                                          first_dates, document, sentence_span)
        told_before = ToldBefore(context.places.get(fam, []), context.lead_places, context.last_named, context.gazetteer,
                                 context.date.get(fam), context.named_before)
        event_places, source = choose_places(places, group[0].head, sentence, document, told_before,
                                             date if date_source == "sentence" else None,
                                             tuple(t.head for t in group[1:]))
        for place in event_places or [None]:
            mention = Mention(
                id=stable_id("m", document.id, event_type, sentence.start_char, place.key() if place else "-"),
                document_id=document.id,
                type=event_type,
                sentence=sentence_span,
                trigger=group[0].span,
                date=date,
                place=place,
                date_source=date_source,
                place_source=source,
                demonstrators=demonstrators and event_type == "riot",
                hedge=find_hedge(group[0].head, sentence, language),
            )
            # one phrase that stands for several places ('in both cities', 'in other cities') counts them all:
            # a number it gives is no one place's ('an unspecified number', at least one, holds for each)
            shared = place is not None and sum(p.span == place.span for p in event_places) > 1
            own_counts = [c for c in counts if c.count.holds_for_each()] if shared else counts
            _fill(mention, group, own_counts, state, groups, demands, responses, tactics, sentence, context, language)
            out.append(mention)
        if places:
            context.places[fam] = places
        if date is not None and date_source == "sentence":
            context.date[fam] = date
    return out


def _violence_by_others(protests: list[Trigger], riots: list[Trigger]) -> bool:
    """'Thousands marched peacefully, while some activists hurled bottles at police': a march with its own
    doers beside violence done by others is a protest and a riot; 'protesters marched and torched cars' is
    one violent demonstration (the coding rules' call)."""
    for protest in protests:
        if protest.head.pos_ != "VERB":
            continue
        marchers = {t.i for t in doers(protest.head)}
        if marchers and all(_riot_doers(riot) and not _riot_doers(riot) & marchers for riot in riots):
            return True
    return False


def _riot_doers(riot: Trigger) -> set[int]:
    verb = riot.head
    for _ in range(3):  # 'hurled tear gas canisters', 'clashes erupted': up to the verb of the riot's clause
        if verb.pos_ == "VERB" or verb.head.i == verb.i:
            break
        if verb.dep_ in ("nsubj", "nsubjpass"):
            return {verb.i}  # the riot noun is the subject: 'clashes broke out'
        verb = verb.head
    return {t.i for t in doers(verb)} if verb.pos_ == "VERB" else set()


def _date_for(dates: list[DateValue], trigger: Trigger, fam: str, context: _Context,
              first_dates: dict[str, DateValue], document: Document,
              sentence: Span | None = None) -> tuple[DateValue | None, str]:
    if defied(trigger.head):
        return None, "none"  # 'protesters who defied a ban': the ban's day is not told
    if dates:
        return _nearest(dates, trigger.span.start), "sentence"
    if told_in_past_perfect(trigger.head) or interval_apart(trigger.head) is not None:
        # told before the day the narrative is at, or a stated interval from a clause with no day of its own
        return None, "none"
    # the date the report gave last or first for this thread, else the date it opens with ("On 8 May
    # 2020, ..."); not a date of this very sentence, which was found to date another happening
    for candidate in (context.date.get(fam), first_dates.get(fam), first_dates.get("lead")):
        if candidate is not None and not (sentence and candidate.span
                                          and sentence.start <= candidate.span.start < sentence.end):
            return candidate, "context"
    if document.published is not None:
        return on_day(document.published), "document"
    if context.filed is not None:
        # 'MOSCOW, Jan 23 (Reuters) -' in a report with no publication date: the day it was filed, no year
        return context.filed, "document"
    return None, "none"


def _fill(mention: Mention, triggers: list[Trigger], counts, state: list[Actor], groups: list[Actor],
          demands, responses: list[Tagged], tactics: list[Tagged], sentence: SpacySpan, context: _Context,
          language: str) -> None:
    event_type = mention.type
    repression = event_type not in CROWD_TYPES
    for found in counts_for_place(counts, mention.place, sentence, event_type):
        if found.role == "detained" and event_type in ("detention", "protest", "riot"):
            mention.detained = mention.detained or found.count
        elif found.role == "participants" and event_type in CROWD_TYPES:
            mention.participants = mention.participants or found.count
        elif found.role == "targeted" and event_type in ("summons", "sentencing", "violence_against_protesters"):
            mention.targeted = mention.targeted or found.count
    if event_type == "protest" and mention.participants is None:
        mention.participants = next((c for t in triggers if (c := lone_protest(t.head, language))), None)
    if event_type in COUNTS_THE_DEAD:
        mention.fatalities = find_fatalities(sentence, language)
    if family(event_type) == "political_violence":
        mention.means = find_means(sentence, language)
        mention.actors.extend(violence_actors(triggers, state, language))
    else:
        mention.actors.extend(Actor(a.name, a.role, a.kind, a.span) for a in state)
    if event_type in _GROUP_TYPES:
        for group in groups:
            role = "target" if repression else "participant"
            mention.actors.append(Actor(group.name, role, group.kind, group.span))
    if event_type in ("ban", "sentencing"):
        primary = next((t for t in triggers if t.head.pos_ in ("VERB", "AUX")), None)
        if primary is not None:
            mention.actors.extend(actor_stage.targets(primary.head, context.actors, language))
    if event_type in CROWD_TYPES:
        mention.demands.extend(demands)
        mention.state_response.extend(r for r in responses)
        mention.tactics.extend(tactics)
    confidence = max(t.strength for t in triggers)
    confidence += 0.1 if mention.date_source == "sentence" else (-0.2 if mention.date is None else 0.0)
    confidence += 0.1 if mention.place is not None and mention.place_source == "sentence" else 0.0
    confidence -= 0.2 if mention.place is None else 0.0
    mention.confidence = round(min(0.99, max(0.05, confidence)), 3)


def _annex(sentence: SpacySpan, quotes: list[tuple[int, int]], places: list[Place], context: _Context,
           language: str) -> None:
    """A sentence without a trigger adds what it says to the protest it follows: demands of the
    protesters, the state's response, their tactics, and how many turned out when the protest has no count."""
    if not context.last_protests:
        return
    demands = find_demands(sentence, quotes, language)
    responses = find_responses(sentence, language)
    tactics = find_tactics(sentence, quotes, language) if quotes else []
    # Who demands it: "The opposition supporters were calling for the release of the prisoners".
    groups = actor_stage.group_actors(sentence, [sentence.root], language) if demands else []
    # a sentence with a date of its own may tell of another day's crowd ('Last year 2,000 people took part')
    crowd = turnout(sentence, language) if language == "en" and not any(t.ent_type_ == "DATE" for t in sentence) \
        else None
    if not (demands or responses or tactics or crowd):
        return
    targets = context.last_protests
    if places:
        keys = {p.key() for p in places}
        targets = [m for m in targets if m.place is not None and m.place.key() in keys] or targets
    for mention in targets:
        if crowd is not None and mention.participants is None and mention.type == "protest":
            mention.participants = crowd
        mention.demands.extend(demands)
        mention.state_response.extend(responses)
        mention.tactics.extend(tactics)
        mention.actors.extend(Actor(g.name, "participant", g.kind, g.span) for g in groups)


def _answer_to_protest(sentence: SpacySpan, triggers: list[Trigger], protests: list[Mention], language: str) -> None:
    """"The Police intervened and arrested them": a detention or dispersal told after a protest, of
    its protesters, is the state's response to it (the merge links only what one sentence tells)."""
    references = _protester_references(language)
    if not any(token.lower_ in references for token in sentence):
        return
    implied = responses_implied_by(language)
    for trigger in triggers:
        if trigger.type in ("detention", "dispersal"):
            for mention in protests:
                if all(r.value != implied[trigger.type] for r in mention.state_response):
                    mention.state_response.append(Tagged(implied[trigger.type], trigger.span))


@cache
def _protester_references(language: str) -> frozenset[str]:
    return frozenset(load("responses", language)["protester_references"])


def _add_organizers(mentions: list[Mention], organizers: list[Actor]) -> None:
    for mention in mentions:
        if mention.type in CROWD_TYPES:
            mention.actors.extend(Actor(a.name, "organizer", a.kind, a.span) for a in organizers)
