"""Where a sentence's happening took place: the places of its own clause, else the ones the report gave
before (the thread's last places, a place named last for 'there', the lead's place, the dateline). The
sentence stage (`sentence_places`) finds which places a sentence names; this stage chooses among them and
the report's context for one happening."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.clause_places import other_places, places_of_clause
from protestwatch.extract.places import Gazetteer
from protestwatch.extract.sentence_places import stands_for_other_places
from protestwatch.records import DateValue, Document, Place


@dataclass
class ToldBefore:
    """The places the report gave before this sentence."""

    thread: list[Place]  # the last places of this thread of events
    lead: list[Place]  # the first sentence that names a place
    last_named: list[Place]  # the places of the last sentence that named any
    gazetteer: Gazetteer | None
    date: DateValue | None = None  # the thread's last date
    named_before: list[Place] = field(default_factory=list)  # the places of the last sentence before this that named any


def choose_places(places: list[Place], head: Token, sentence: SpacySpan, document: Document,
                  before: ToldBefore, own_date: DateValue | None = None,
                  same_kind: tuple[Token, ...] = ()) -> tuple[list[Place], str]:
    """The happening's places with where they came from: sentence, context, lead, dateline or none.
    `own_date`: the date its own sentence gives it, if any; `same_kind`: the heads of the sentence's other
    words for it (clause_places.places_of_clause)."""
    if _earlier_story(own_date, before.date, document.published):
        # 'In 2016, the government blocked social media' in a report about 2018: a happening dated half a
        # year or more before the day the report is telling is another happening, not at the places the
        # story is at; only its own sentence places it
        return (places_of_clause(places, head, same_kind), "sentence") if places else _country_told(before)
    event_places, source = (places_of_clause(places, head, same_kind), "sentence") if places \
        else (_there(sentence, before.last_named) or before.thread, "context")
    event_places = _others_resolved(event_places, places, before.named_before, document.language)
    if places and all(p.precision == "country" and not _where_it_happened(p, sentence) for p in places):
        # "Police forces of Chile dispersed the demonstrators" after "In Iquique (Tarapaca), ...":
        # the country names whose police it was; the place is the one already given in that country
        earlier = [p for p in before.thread or before.lead
                   if p.precision != "country" and p.country in {c.country for c in places}]
        if earlier:
            event_places, source = earlier, "context"
    if not event_places and before.lead:
        # "In Iquique (Tarapaca), citizens set barricades on fire. Police dispersed the demonstrators."
        event_places, source = before.lead, "lead"
    if not event_places and document.dateline is not None:
        dateline = _dateline_place(document, before.gazetteer)
        event_places, source = ([dateline], "dateline") if dateline else ([], "none")
    return event_places, source


def _others_resolved(event_places: list[Place], named: list[Place], listed: list[Place], language: str) -> list[Place]:
    """'other cities' after a list of cities is the list's others (clause_places.other_places)."""
    out: list[Place] = []
    for place in event_places:
        others = other_places(listed, named, place.span) if place.span and stands_for_other_places(place, language) else []
        out.extend(others or [place])
    return out


def _country_told(before: ToldBefore) -> tuple[list[Place], str]:
    """The country of the places the report has told so far, at country precision."""
    code = next((p.country for p in before.thread + before.lead if p.country), None)
    if code is None or before.gazetteer is None:
        return [], "none"
    country = before.gazetteer.country_place(code, "")
    country.text = country.name
    return [country], "context"


# how long before the day the report is at a happening must have ended to be another story's: a strike
# begun in December is the same story in January; a crackdown the year before is background
_BACKGROUND = timedelta(days=180)


def _earlier_story(own: DateValue | None, thread: DateValue | None, published: date | None) -> bool:
    """Whether the happening's own date ended half a year or more before the day the report is at (the
    thread's last date, else the report's date)."""
    if own is None:
        return False
    ended = own.end or own.start or (date(own.year, 12, 31) if own.year else None)
    told = (thread.end or thread.start) if thread is not None else published
    return ended is not None and told is not None and ended <= told - _BACKGROUND


# 'shut down around Kazakhstan', 'across the country': the country is where the happening took place
_COUNTRY_WIDE = frozenset(("across", "around", "throughout", "over", "nationwide"))


def _where_it_happened(country: Place, sentence: SpacySpan) -> bool:
    """The country is the place of the happening ('shut down across Kazakhstan', 'protests in Chile
    spread'), not only whose police or government acted ('police forces of Chile', 'Chile's police')."""
    if country.span is None:
        return False
    words = sentence.doc.char_span(country.span.start, country.span.end, alignment_mode="expand")
    if words is None:
        return False
    head = words.root.head
    if words.root.dep_ != "pobj":
        return False
    return head.lower_ in _COUNTRY_WIDE or (head.lower_ == "in" and head.head.pos_ in ("VERB", "AUX"))


def _there(sentence: SpacySpan, last_named: list[Place]) -> list[Place]:
    """'In the capital, police cordoned off a square. Two activists were detained there.': 'there' is the
    place the report named last, whether or not that sentence told a happening ('there were clashes' is
    no place)."""
    if any(t.lower_ == "there" and t.dep_ == "advmod" for t in sentence):
        return last_named
    return []


def _dateline_place(document: Document, gazetteer: Gazetteer | None) -> Place | None:
    """The dateline ('ASTANA (TCA) —') is where the report was filed: a last resort for the place."""
    span = document.dateline
    if span is None or gazetteer is None:
        return None
    place = gazetteer.resolve(span.text.title(), span)
    if place is not None:
        place.text = span.text
    return place
