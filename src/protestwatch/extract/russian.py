"""Russian reports -> mentions, through the same record as English ones. The parse is natasha's (see
nlp/russian.py: lemmas, Universal Dependencies arcs, PER/LOC/ORG); the words are the Russian language
pack's (lang/ru/); the stages are russian_triggers.py (what happened), russian_dates.py (when),
russian_places.py (where) and russian_counts.py (how many). Here they are put together:

- the date and place are the sentence's own, else those of the sentences before it in the report (one
  happening is told across sentences), else the report's lead, else the day it was published; a date that
  dates another noun gives way (a bare date right after an event noun is that event's: 'акции 21 апреля');
- counts go to the detained when they stand with the detention, else to the crowd; in a sentence of
  several cities the count written after a city is its own;
- a sentence without a trigger that states demands adds them to the protest told just before it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.article import fold_summaries, years_the_report_states
from protestwatch.extract.counts import lone_protest
from protestwatch.extract.dates import date_tokens, month_day, on_day
from protestwatch.extract.places import Gazetteer
from protestwatch.extract.quotes import inside, quoted_ranges
from protestwatch.extract.russian_counts import find_counts_ru
from protestwatch.extract.russian_dates import find_dates_ru, yearless_report_day
from protestwatch.extract.russian_places import (
    other_cities_of_clause_ru,
    places_of_clause_ru,
    report_countries_ru,
    sentence_places_ru,
)
from protestwatch.extract.russian_triggers import (
    find_triggers_ru,
    lemma_of,
    refers_to_a_protest,
    refused_permit,
    trigger_rules_ru,
)
from protestwatch.lang import load
from protestwatch.records import Actor, Count, DateValue, Demand, Document, Mention, Place, Span, Tagged, stable_id
from protestwatch.schema.taxonomy import LATER_PROCEDURES

LANGUAGE = "ru"
_RESPONSES = {"detention": "arrests", "dispersal": "dispersal", "violence_against_protesters": "beatings",
              "internet_shutdown": "internet_block", "summons": "summons", "ban": "ban"}


@cache
def _same_day_words() -> re.Pattern:
    words = load("dates", "ru").get("same_day", [])
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})(?!\w)", re.I)


def _same_day(sentence: SpacySpan) -> bool:
    return _same_day_words().search(sentence.text) is not None


@cache
def _state_words() -> dict[str, str]:
    spec = load("actors", LANGUAGE)
    return {word: kind for kind, words in spec.items() for word in words}


@cache
def _demand_words() -> tuple[re.Pattern, list[tuple[str, re.Pattern]]]:
    spec = load("demands", LANGUAGE)
    cue = re.compile("|".join(re.escape(c) for c in spec["cues"]), re.I)
    return cue, [(name, re.compile("|".join(re.escape(s) for s in stems), re.I))
                 for name, stems in spec["categories"].items()]


# -- actors and demands ----------------------------------------------------------------------------
def _state_actors(sentence: SpacySpan) -> list[Actor]:
    kinds = _state_words()
    out, seen = [], set()
    for token in sentence:
        kind = kinds.get(lemma_of(token))
        if kind and lemma_of(token) not in seen:
            seen.add(lemma_of(token))
            out.append(Actor(name=token.text, role="perpetrator", kind=kind,
                             span=Span(token.idx, token.idx + len(token.text), token.text)))
    return out


_CLAUSE_END = re.compile(r"[.;!?\u00bb\u201d]|,\s+(?:а|но|и)\s")
MAX_DEMAND = 160


def _demands(sentence: SpacySpan) -> list[Demand]:
    """What the protesters demand: the clause from a demand cue ('требовали', 'против') to its end, with the
    categories its words fall in."""
    cue, categories = _demand_words()
    match = cue.search(sentence.text)
    if match is None:
        return []
    rest = sentence.text[match.start():]
    stop = _CLAUSE_END.search(rest)
    written = rest[: stop.start() if stop else MAX_DEMAND][:MAX_DEMAND]
    clause = " ".join(written.split())
    start = sentence.start_char + match.start()
    span = Span(start, start + len(written), written)
    return [Demand(name, clause, span) for name, pattern in categories if pattern.search(clause)]


# -- the report ------------------------------------------------------------------------------------
def extract_mentions_ru(document: Document, doc: SpacyDoc, gazetteer: Gazetteer) -> list[Mention]:
    quotes = quoted_ranges(document.text)
    # a dateline and the first sentence may come as one ('Ош, 3 мая 2024 года В Оше ...'):
    # a sentence counts when it reaches into the body
    sentences = [s for s in doc.sents if s.end_char > document.body_start and s.start_char < document.body_stop
                 and s.text.strip()]
    home = report_countries_ru(doc, gazetteer)
    anchor = document.published or _dateline_day(sentences[:2])
    year_from = anchor or _dateline_day(sentences)
    # without a publication date, 'вчера, 26 марта' still tells the report's day, if not its year
    report_day = None if anchor else yearless_report_day(document.text)
    read = [(s, find_dates_ru(s.text, s.start_char, anchor, year_from, report_day),
             sentence_places_ru(s, gazetteer, home)) for s in sentences]
    lead_date = next((d for _, dates, _ in read[:3] for d in dates), None) or _undated_report(document, read)
    lead_place = next((p for _, _, places in read for p in places if p.precision == "city"), None)
    # the last resort, as in English: a report with a publication date tells of that day's news
    published_day = on_day(document.published) if document.published else None
    # its publication date, else its dateline's; a dateline without a year gives the day and month only, and
    # is then the last resort in the publication date's place
    yearless_day = month_day(*report_day, None) if report_day else None
    report_day_date = on_day(anchor) if anchor else yearless_day
    published_day = published_day or yearless_day
    context_date: DateValue | None = None
    context_place: Place | None = None
    named_before: list[Place] = []  # the cities of the last sentence before this one that named any
    mentions: list[Mention] = []
    for sentence, dates, places in read:
        triggers = [t for t in find_triggers_ru(sentence) if not inside(quotes, t[2].start, t[2].end)]
        cities = [p for p in places if p.precision == "city"]
        first = len(mentions)
        if triggers:
            told = {head.i: event_type for event_type, head, _ in triggers}
            counts = find_counts_ru(sentence, told, [(d.span.start, d.span.end) for d in dates if d.span])
            actors, demands = _state_actors(sentence), _demands(sentence)
            # 'вышел на одиночный пикет': the crowd of one is said by the form, whichever word told the protest
            lone = next((c for t, h, _ in triggers if t == "protest" and (c := lone_protest(h, "ru"))), None)
            seen: set[tuple[str, str]] = set()
            for event_type, head, span in triggers:
                if event_type in ("protest", "riot") and refers_to_a_protest(head, triggers):
                    date = _own_date(dates, head)  # its own day or none: it joins the protest told elsewhere
                elif event_type == "ban" and refused_permit(head):
                    # a permit refused before the day of the assembly, on a day the report rarely gives: only a
                    # day of its own clause dates it, never the assembly's or the report's
                    date = _nearest(dates, head, told)
                elif event_type in LATER_PROCEDURES:
                    # a summons or a court's ruling follows the protest it is about: not that day, unless said
                    # ('вечером суд оштрафовал...': that evening)
                    same_day = (context_date or lead_date) if _same_day(sentence) else None
                    date = _day_before(sentence, context_date or lead_date) or _nearest(dates, head, told) \
                        or same_day or report_day_date
                else:
                    date = _day_before(sentence, context_date or lead_date) or _nearest(dates, head, told) \
                        or context_date or lead_date or published_day
                others = other_cities_of_clause_ru(head, named_before, cities)
                for place in (others or places_of_clause_ru(cities, head) or places or [context_place or lead_place]):
                    key = (event_type, place.key() if place else "-")
                    if key in seen:
                        continue
                    seen.add(key)
                    # 'в других городах задержали 40 человек': the number is all of those cities', no one city's
                    own = _counts_for(place, cities, [(r, c) for r, c in counts if c.holds_for_each()]
                                      if len(others) > 1 else counts)
                    if event_type == "protest" and "participants" not in own and lone:
                        own = {**own, "participants": lone}
                    mentions.append(_mention(document, sentence, event_type, span, date, place, own, actors,
                                             demands, source_date="sentence" if dates else "context",
                                             source_place="sentence" if places else "context"))
        elif mentions and mentions[-1].type in ("protest", "riot"):
            # 'Они требовали ...' after the rally: the demands of the protest told just before
            said = _demands(sentence)
            mentions[-1].demands.extend(d for d in said if d not in mentions[-1].demands)
            # 'Десятки людей требуют ...': the people who demand are its crowd, counted here
            crowd = [c for role, c in find_counts_ru(sentence, {}, [(d.span.start, d.span.end) for d in dates
                                                                   if d.span]) if role == "participants"]
            if said and crowd and mentions[-1].participants is None:
                mentions[-1].participants = crowd[0]
        if triggers:
            # the day this sentence's happenings took from it, not a date of another noun ('перестрелки,
            # которая произошла 5 ноября'), is the day the next sentences go on telling of
            used = [m.date for m in mentions[first:] if m.date is not None and any(m.date is d for d in dates)]
            context_date = used[-1] if used else context_date
        elif dates:
            context_date = dates[-1]
        if cities:
            context_place, named_before = cities[-1], cities
    if document.published is None:
        # an undated report may give a day's year elsewhere (a caption, the headline)
        stated = find_dates_ru(f"{document.title or ''}\n{document.text}", 0, None)
        years_the_report_states(mentions, stated)
    return fold_summaries(mentions)


def _counts_for(place: Place | None, cities: list[Place], counts: list[tuple[str, Count]]) -> dict[str, Count]:
    """The sentence's counts by role; in a sentence of several cities, the count written right after a
    city ('Казань (120 человек) и Самара (45 человек)') is that city's."""
    out: dict[str, Count] = {}
    if len(cities) > 1 and place is not None and place.span is not None:
        later = [c.span.start for c in cities if c.span and c.span.start > place.span.start]
        bound = min(later, default=None)
        for role, count in counts:
            if count.span and count.span.start >= place.span.end and (bound is None or count.span.start < bound):
                out.setdefault(role, count)
        if out:
            return out
    for role, count in counts:
        out.setdefault(role, count)
    return out


def _dateline_day(sentences: list[SpacySpan]) -> date | None:
    """The first full date the sentences state: without a publication date, the report's opening date
    ('Ош, 3 мая 2024 года') is what its 'вчера' is read against, and any full date it states gives its
    days without a year their year."""
    for sentence in sentences:
        for value in find_dates_ru(sentence.text, sentence.start_char, None):
            if value.precision == "day" and value.start is not None:
                return value.start
    return None


_DAY_BEFORE = re.compile(r"(?:за\s+день\s+до|накануне)\s+(?:этой\s+|той\s+)?(?:акци|митинг|шестви|пикет|протест|марш)",
                         re.I)


def _day_before(sentence: SpacySpan, happening: DateValue | None) -> DateValue | None:
    """'за день до акции', 'накануне митинга': the day before the happening the report tells of."""
    if happening is None or happening.precision != "day" or not _DAY_BEFORE.search(sentence.text):
        return None
    return on_day(happening.start - timedelta(days=1))


def _undated_report(document: Document, read: list) -> DateValue | None:
    """A report whose body names no day: its headline's ('Сегодня в Гродно ...'), else, when the body
    names no date at all, the day it was published (a same-day news item told in the present tense)."""
    if document.title:
        titled = find_dates_ru(document.title, 0, document.published)
        if titled:
            return DateValue(**{**titled[0].__dict__, "span": None})
    if document.published is not None and not any(dates for _, dates, _ in read):
        return on_day(document.published)
    return None


def _nearest(dates: list[DateValue], head: Token, told: dict[int, str]) -> DateValue | None:
    """The sentence's date nearest the trigger, preferring those that date the clause over those that
    date another noun ('после референдума 9 марта' dates the referendum, not the rally)."""
    own = [d for d in dates if not _dates_another_noun(d, head, told)]
    if not own:
        return None  # every date of the sentence dates something else: the happening's comes from the report
    return min(own, key=lambda d: abs((d.span.start if d.span else 0) - head.idx))


def _own_date(dates: list[DateValue], head: Token) -> DateValue | None:
    """A date that hangs from the trigger itself ('участников акции 2 мая')."""
    for value in dates:
        words = date_tokens(value, head.doc)
        if words is not None and (words.root.head.i == head.i or any(t.head.i == head.i for t in words)
                                  or words.start - 1 == head.i):  # written right after it, wherever parsed
            return value
    return None


def _dates_another_noun(value: DateValue, head: Token, told: dict[int, str]) -> bool:
    """'после референдума 9 марта', 'депутатов, избранных 9 марта': on the way up from the date to
    the clause it belongs to, a noun other than a trigger word (or a participle or relative clause of one).
    `told`: the sentence's trigger words by token index and event type."""
    words = date_tokens(value, head.doc)
    if words is None:
        return False
    triggers = trigger_rules_ru()["by_lemma"]
    before = words.start - 1
    if before >= 0 and before != head.i and head.doc[before].pos_ == "NOUN" \
            and told.get(before, told.get(head.i)) != told.get(head.i):
        # a bare date right after an event noun names that event ('участников акции 2 мая'), whichever
        # word the parser hung it from
        return True
    current = words.root
    for _ in range(6):
        parent = current.head
        if parent.i == current.i or parent.i == head.i:
            return False
        if lemma_of(parent) in triggers:  # 'оштрафовал участников акции 2 мая': the rally's day, not the fine's
            return triggers[lemma_of(parent)] != triggers.get(lemma_of(head))
        if current.dep_ in ("nmod", "amod", "acl", "acl:relcl", "appos") and parent.pos_ in ("NOUN", "PROPN"):
            return True
        current = parent
    return False


def _mention(document: Document, sentence: SpacySpan, event_type: str, span: Span, date: DateValue | None,
             place: Place | None, counts: dict, actors: list[Actor], demands: list[Demand], *, source_date: str,
             source_place: str) -> Mention:
    detained = counts.get("detained") if event_type in ("detention", "sentencing") else None
    participants = counts.get("participants") if event_type in ("protest", "riot") else None
    response = _RESPONSES.get(event_type)
    return Mention(
        id=stable_id("m", document.id, event_type, sentence.start_char, place.key() if place else "-"),
        document_id=document.id,
        type=event_type,
        sentence=Span(sentence.start_char, sentence.end_char, sentence.text),
        trigger=span,
        date=date,
        place=place,
        actors=actors if event_type != "protest" else [],
        demands=demands if event_type in ("protest", "riot") else [],
        participants=participants,
        detained=detained,
        state_response=[Tagged(response, span)] if response else [],
        confidence=0.6,
        date_source=source_date,
        place_source=source_place,
        demonstrators=event_type == "riot",
        hedge=_hedge(sentence),
    )


def _hedge(sentence: SpacySpan) -> Span | None:
    """'по-видимому', 'якобы', 'предположительно': the report does not state it as fact."""
    hedges = trigger_rules_ru()["hedges"]
    token = next((t for t in sentence if lemma_of(t) in hedges or t.lower_ in hedges), None)
    return Span(token.idx, token.idx + len(token.text), token.text) if token is not None else None
