"""The article-level pass: the mentions of one report, settled as the report's own list of happenings
before any merging across reports.

A report tells each happening once in detail and often again in summary ("Police detained dozens of
protesters across Kazakhstan on Sunday. In Almaty, about 50 people were held ..."). A statement that
stands at the level of the whole country, told in a sentence of its own of the same kind of happening on a
compatible date as happenings the report places in its cities, is a summary of those: it becomes evidence of the city
event it is told closest to, and its count, a national total, is not laid onto that city. A mention
that no sentence places continues the happening told nearest to it, of its type first, else of its
thread (types.yaml), on a compatible date (the headline before the first place, "Two journalists were also detained
on Thursday" after a paragraph about one village).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from functools import cache

from protestwatch.extract.dates import on_day
from protestwatch.extract.gazetteer_tables import km_between
from protestwatch.extract.place_patterns import area_key
from protestwatch.extract.responses import responses_implied_by
from protestwatch.lang import load
from protestwatch.records import DateValue, Mention, Place, Tagged, dates_compatible
from protestwatch.schema.taxonomy import CROWD_TYPES
from protestwatch.schema.typemap import thread


def settle_article(mentions: list[Mention], language: str = "en",
                   stated_dates: list[DateValue] | None = None) -> list[Mention]:
    """The report's mentions with summaries folded into the happenings they sum up and unplaced ones
    placed where the report has put the happening they continue; police and court news with no tie to
    protest or politics, and diplomatic summonses, left out. Mentions are changed in place."""
    mentions = [m for m in mentions if not _diplomatic(m, language)]
    years_the_report_states(mentions, stated_dates or [])
    _unrest_that_is_a_riot(mentions, language)
    _protesters_of_a_riot(mentions, language)
    # the tie is the report's: one sentence that names the activists makes the report's arrests political
    if not any(m.type in _CONTEXT_TYPES or _names_politics(m, language) for m in mentions):
        mentions = [m for m in mentions if m.type not in _NEEDS_A_TIE]
    return fold_summaries(mentions)


def fold_summaries(mentions: list[Mention]) -> list[Mention]:
    """The language-independent part of the article pass: a country- or region-wide statement told in a
    sentence of its own is evidence of the event of its type and date in a city of that country or region;
    a district is its city; a mention the report names no place for continues the happening told next to it."""
    placed_cities = [m for m in mentions if m.place is not None and m.place.precision == "city"]
    answered: set[str] = set()
    for mention in mentions:
        if mention.place is not None and mention.place.precision in ("country", "admin1"):
            parts = [m for m in placed_cities if m.type == mention.type and _lies_in(m.place, mention.place)
                     and dates_compatible(m.date, mention.date)]
            # told beside its cities in one sentence ("in Astana, Almaty and several other cities"), the
            # country stands for the other places, not for the sum of the ones named; cities named after it
            # are those places ("in other cities of Siberia, including Omsk and Tomsk")
            beside = [m for m in parts if m.sentence.start == mention.sentence.start]
            if parts and (not beside or all(_named_after(m, mention) for m in beside)):
                _fold_into(mention, _nearest(mention, beside or parts), keep_counts=False)
            elif not parts and mention.type in _STREET_RESPONSES:
                crowds = [m for m in placed_cities if m.type in CROWD_TYPES and _lies_in(m.place, mention.place)
                          and dates_compatible(m.date, mention.date)]
                if crowds:
                    # 'police fired tear gas across the country', and the report places that day's protests in
                    # its cities: the state's answer to those protests, not a happening at no place of its own
                    _nearest(mention, crowds).state_response.append(
                        Tagged(responses_implied_by()[mention.type], mention.trigger))
                    answered.add(mention.id)
    mentions = [m for m in mentions if m.id not in answered]
    _districts_into_their_city(mentions)
    for mention in mentions:
        if mention.place is not None:
            continue
        placed = [m for m in mentions if m.place is not None and dates_compatible(m.date, mention.date)]
        candidates = [m for m in placed if m.type == mention.type] or \
            [m for m in placed if thread(m.type) == thread(mention.type)]
        if candidates:
            _fold_into(mention, _nearest(mention, candidates), keep_counts=True)
    _the_reports_one_place(mentions)
    return mentions


# the state's actions on the street that a country-wide statement can tell as its answer to the cities' protests
_STREET_RESPONSES = ("dispersal", "violence_against_protesters")


def _the_reports_one_place(mentions: list[Mention]) -> None:
    """A report that places every happening it places in one town tells of that town: a mention it
    leaves unplaced on a day none of them took ('two journalists were also detained on Thursday', in a
    report about one village) happened there too."""
    places = {m.place.key(): m.place for m in mentions if m.place is not None}
    if len(places) != 1:
        return
    (place,) = places.values()
    if place.precision != "city":
        return
    for mention in mentions:
        if mention.place is None:
            mention.place, mention.place_source = replace(place, span=None), "article"


def _lies_in(city: Place, area: Place) -> bool:
    """Whether a city lies in the country or first-level region a statement names. Regions are matched by
    the name the report wrote as well as the gazetteer's, since the city tables spell regions otherwise
    ('Gorno-Badakhshan' there, 'Kuhistoni Badakhshon' in ISO 3166)."""
    if city.country != area.country:
        return False
    if area.precision == "country":
        return True
    from rapidfuzz import fuzz

    region = area_key(city.admin1 or "")
    return bool(region) and any(fuzz.ratio(region, area_key(name)) >= 85 for name in (area.name, area.text))


def _named_after(city: Mention, country: Mention) -> bool:
    return city.place.span is not None and country.place.span is not None \
        and city.place.span.start >= country.place.span.end


# Types that tell of protest or political repression by themselves; the others need a tie to it.
_CONTEXT_TYPES = ("protest", "riot", "dispersal", "violence_against_protesters", "ban", "internet_shutdown")
_NEEDS_A_TIE = ("detention", "sentencing", "summons")


def _words(text: str) -> str:
    """The text lower-cased with each word set off by spaces, for word-beginning matches."""
    return " " + " ".join(re.findall(r"[\w'’-]+", text.lower())) + " "


def _names_politics(mention: Mention, language: str) -> bool:
    words = _words(mention.sentence.text)
    return any(f" {cue}" in words for cue in _lexicon(language)["political_link"])


def _diplomatic(mention: Mention, language: str) -> bool:
    if mention.type != "summons":
        return False
    words = _words(mention.sentence.text)
    return any(f" {cue}" in words for cue in _lexicon(language)["diplomatic_objects"])


@cache
def _lexicon(language: str) -> dict[str, tuple[str, ...]]:
    spec = load("triggers", language)
    return {key: tuple(" ".join(_words(cue).split()) for cue in spec[key])
            for key in ("political_link", "diplomatic_objects")} | {"protest_nouns": tuple(spec["protest"]["nouns"])}


def years_the_report_states(mentions: list[Mention], stated: list[DateValue]) -> None:
    """'on Saturday (Jan 23)' in an undated report whose caption says 'on Jan 23, 2021': the report itself
    gives that day's year. Only a day and month that the report dates with a single year take it."""
    years: dict[tuple[int, int], set[int]] = {}
    for value in stated:
        if value.precision == "day" and value.start is not None:
            years.setdefault((value.month, value.day), set()).add(value.year)
    for mention in mentions:
        date = mention.date
        if date is None or date.year is not None or date.day is None:
            continue
        found = years.get((date.month, date.day), set())
        if len(found) == 1:
            day = datetime.date(next(iter(found)), date.month, date.day)
            mention.date = on_day(day, date.span)


def _unrest_that_is_a_riot(mentions: list[Mention], language: str) -> None:
    """'deadly unrest' in a report that tells of rioting at the same place and time is that riot."""
    words = set(load("triggers", language)["general_unrest_words"])
    riots = [m for m in mentions if m.type == "riot"]
    for mention in mentions:
        if mention.type == "protest" and mention.trigger.text.lower() in words and any(
                r.place is not None and mention.place is not None and r.place.key() == mention.place.key()
                and dates_compatible(r.date, mention.date) for r in riots):
            mention.type = "riot"


NEIGHBOURHOOD_KM = 30.0  # a suburb, district or airport of the city the report is about


def _protesters_of_a_riot(mentions: list[Mention], language: str) -> None:
    """'Other videos show protesters seizing police equipment', 'a witness to the protests', after the report
    has told of a riot there: a bare 'protesters' or 'protests', in a sentence that gives neither a place nor
    a day of its own, names the happening already told, and tells of no new protest beside that riot."""
    nouns = _lexicon(language).get("protest_nouns", ())
    for mention in mentions:
        if mention.type != "protest" or mention.place is None or "sentence" in (mention.date_source,
                                                                                mention.place_source):
            continue
        if mention.trigger is None or _singular(mention.trigger.text) not in nouns:
            continue
        here = [m for m in mentions if m is not mention and m.place is not None and _within(m.place, mention.place)
                and dates_compatible(m.date, mention.date)]
        if any(m.type == "riot" for m in here) and not any(m.type == "protest" for m in here):
            mention.type = "riot"


def _singular(word: str) -> str:
    word = word.lower()
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word


def _within(place: Place, area: Place) -> bool:
    return place.key() == area.key() or (area.precision == "country" and place.country == area.country)


def _districts_into_their_city(mentions: list[Mention]) -> None:
    """A report that places its happening in a city and names a district, suburb or airport of it in
    other sentences ('the clashes at the Westgate junction', 'detained at the airport') tells of one place:
    a town within NEIGHBOURHOOD_KM of a place the report names more often is that place."""
    weight: dict[str, int] = {}
    places: dict[str, Place] = {}
    for mention in mentions:
        if mention.place is not None and mention.place.precision == "city" and mention.place.lat is not None:
            weight[mention.place.key()] = weight.get(mention.place.key(), 0) + 1
            places.setdefault(mention.place.key(), mention.place)
    for mention in mentions:
        own = mention.place
        if own is None or own.key() not in weight:
            continue
        hosts = [p for key, p in places.items() if weight[key] > weight[own.key()] and p.country == own.country
                 and km_between(own.lat, own.lon, p.lat, p.lon) <= NEIGHBOURHOOD_KM]
        if hosts:
            host = max(hosts, key=lambda p: weight[p.key()])
            mention.place = replace(host, text=own.text, span=own.span)
            mention.place_source = "article"


def _fold_into(mention: Mention, happening: Mention, keep_counts: bool) -> None:
    mention.place = replace(happening.place)
    mention.place_source = "article"
    if mention.date is None and happening.date is not None:
        mention.date, mention.date_source = happening.date, "article"
    if not keep_counts:
        mention.participants = mention.detained = mention.targeted = None


def _nearest(mention: Mention, candidates: list[Mention]) -> Mention:
    """The candidate told closest to the mention; the earlier one on a tie (a report names the
    happening before it returns to it)."""
    return min(candidates, key=lambda m: (abs(m.sentence.start - mention.sentence.start), m.sentence.start))
