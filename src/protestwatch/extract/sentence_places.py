"""Sentence places: which places a sentence names, read with the gazetteer.

A stage of extract_mentions, kept apart because most of its rules are about how reports write places.
It looks up the candidates of place_names (tagged entities and the names the NER missed) and decides
between them: an address after a name confirms it or is no place of its own ('Badah town (Larkana,
Sindh)'), a namesake abroad gives way to a place in one of the countries the report names, where people
came from gives way to where they protested.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan

from protestwatch.extract.place_names import (
    after_place_preposition,
    bracketed_addresses,
    capital_references,
    coordinated_names,
    in_route_compound,
    institution_towns,
    longer_name,
    origin_word,
    part_of_named_place,
    untagged_place_names,
)
from protestwatch.extract.place_patterns import address_after
from protestwatch.extract.place_patterns import patterns as place_patterns
from protestwatch.extract.places import Gazetteer
from protestwatch.extract.quotes import inside
from protestwatch.extract.text import doc_text, entities_in
from protestwatch.lang import load
from protestwatch.records import Document, Place, Span

_PLACE_LABELS = ("GPE", "LOC", "FAC")


@cache
def _place_references(language: str) -> dict[str, dict]:
    """Phrases that refer to several places at once (lang/<language>/places.yaml)."""
    return {k.lower(): v for k, v in load("places", language).items()}


def stands_for_other_places(place: Place, language: str) -> bool:
    """Whether a place was told by a phrase such as 'other cities' (an `others` reference in places.yaml)."""
    return bool(place.precision == "country" and _place_references(language).get((place.text or "").lower(), {}).get("others"))


NAMESAKE_MAX_POPULATION = 100_000  # a city abroad this large is meant, even beside places at home
# A report that names no country (a short note, "Lawyers in Gwadar boycotted ...") has no home to tell
# from abroad: a town this large named right after 'in' is meant even when the NER calls it a product.
LONE_TOWN_MIN_POPULATION = 20_000
_BRACKETED = re.compile(r"\(([^()\n]{3,80})\)")


def report_countries(doc: SpacyDoc, gazetteer: Gazetteer, dateline: Span | None = None) -> tuple[str, ...]:
    """Countries the report names, most often first: they break ties between same-named cities.
    A region counts for its country ('San Antonio (Valparaiso)' is the Chilean San Antonio). The
    dateline's places are the desk's, not the report's."""
    counts: dict[str, int] = {}
    # Organisations named after a country or region ('National Bank of Pakistan', 'Sindh National Party')
    # say where the report is from, more weakly than a place: they only break ties between the others.
    named_by_organisations: dict[str, int] = {}
    for entity in doc.ents:
        label = entity.label_
        if dateline is not None and dateline.start <= entity.start_char < dateline.end:
            continue
        if label in ("GPE", "NORP", "LOC"):
            code = gazetteer.country(entity.text)
            if code is None and label != "NORP":
                code = gazetteer.region_country(entity.text)
            if code:
                counts[code] = counts.get(code, 0) + 1
        elif label == "ORG":
            for token in entity:
                word = token.text
                if len(word) >= 4 and word[0].isupper() and (
                        code := gazetteer.country(word) or gazetteer.region_country(word)):
                    named_by_organisations[code] = named_by_organisations.get(code, 0) + 1
    # Addresses in brackets, "Nima (Accra, Greater Accra)", which the NER often leaves untagged.
    for address in _BRACKETED.findall(doc_text(doc)):
        for part in address.split(","):
            if code := gazetteer.country(part) or gazetteer.region_country(part):
                counts[code] = counts.get(code, 0) + 1
    weak = sorted((c for c in named_by_organisations if c not in counts), key=lambda c: -named_by_organisations[c])
    return (*sorted(counts, key=lambda c: -counts[c]), *weak)


def sentence_places(sentence: SpacySpan, gazetteer: Gazetteer, countries: tuple[str, ...], cities: list[Place],
                    document: Document, quotes: list[tuple[int, int]]) -> list[Place]:
    """The places a sentence names. `countries`: the report's (see report_countries); `cities`: the
    distinct cities the report named so far, in order ('in both cities' means the last two), extended here."""
    reader = _SentenceReader(sentence, gazetteer, countries, document, quotes)
    reader.read_entities()
    reader.read_untagged_names()
    reader.read_lists_and_capitals()
    reader.read_deferred_addresses()
    return _settle(reader, cities)


_NEXT_WORD = re.compile(r"[ \t]+(\w+)")


class _SentenceReader:
    """The names of one sentence looked up one by one; what each lookup learns (addresses written after a
    place, where people came from) shapes the next."""

    def __init__(self, sentence: SpacySpan, gazetteer: Gazetteer, countries: tuple[str, ...], document: Document,
                 quotes: list[tuple[int, int]]):
        self.sentence, self.gazetteer, self.countries, self.document, self.quotes = (
            sentence, gazetteer, countries, document, quotes)
        self.places: list[Place] = []
        self.nationalities: list[Place] = []
        self.addresses: list[tuple[int, int]] = []  # areas written after a resolved city: its address, not places
        self.written: list[tuple[int, int]] = []  # everything written in address position after a resolved place
        self.origins: set[str] = set()  # keys of places people came from ('citizens that had come from Lima')
        self.deferred: list[SpacySpan] = []  # places named in the bracketed address of another name
        self.bracketed = bracketed_addresses(sentence, document.text)

    def add(self, name: str, start: int, end: int, evidence: str = "entity", home_only: bool = False) -> bool:
        """Resolves a name and keeps the place; whether it did. `home_only`: keep it only in one of
        the report's countries."""
        if evidence == "address" and inside(self.written, start, end):
            return False  # "Jalalabad, Fazilka (Punjab)": Fazilka is Jalalabad's district
        # 'Chui region' with the kind word outside the name the NER found: the name is the region's
        kind = _NEXT_WORD.match(self.document.text, end)
        if kind and place_patterns()["region_suffix"].search(" " + kind.group(1)):
            name, end = self.document.text[start:kind.end(1)], kind.end(1)
        span = Span(start, end, name)
        address = address_after(self.document.text, end)
        areas_named = tuple(area for area, *_ in address)
        place = self.gazetteer.resolve(name, span, prefer=self.countries, address=areas_named,
                                       own_names_only=evidence in ("position", "of", "people", "list"),
                                       any_town=evidence in ("settlement", "gpe", "address"))
        if place is None and evidence in ("people", "position") and len(name) >= 6:
            # a large city's other name ('Residents of Tuticorin' for Thoothukudi); a short one may be
            # an abbreviation ('Geo' for Georgetown)
            place = self.gazetteer.resolve(name, span, prefer=self.countries, address=areas_named)
            if place is not None and self.gazetteer.population(place.geonames_id) < NAMESAKE_MAX_POPULATION:
                place = None
        if evidence == "parse" and place is not None and self.countries and place.country not in self.countries:
            # a bare name abroad must be the city's own name: 'in Nunez' (Buenos Aires) is not
            # Marquetalia, Colombia, one of whose alternate names is Nunez
            place = self.gazetteer.resolve(name, span, prefer=self.countries, address=areas_named, own_names_only=True)
        if place is None:
            return self._add_city_of_address(address, evidence)
        if any(p.key() == place.key() for p in self.places):
            if not origin_word(self.sentence, start):
                self.origins.discard(place.key())  # "protesters from Nabatiyeh ... gathered in Nabatiye"
            return False
        if home_only and self.countries and place.country not in self.countries:
            return False
        self.written.extend((a_start, a_end) for _, a_start, a_end, _ in address)
        located = [self.gazetteer.place_in_area(place, area) for area, *_ in address]
        # what is written after a city is its address when it names the city's areas or is in brackets
        # ("Dambulla town (Dambulla, Matale district)"); "Astana, Almaty and ..." is a list of cities
        areas = [(a_start, a_end) for (_, a_start, a_end, bracketed), in_it in zip(address, located, strict=True)
                 if (bracketed and place.precision == "city") or in_it]
        if evidence == "address" and not any(located):
            return False  # "Redeyef (Gafsa)": the name is a place because the gazetteer puts it in Gafsa
        if evidence in ("people", "position") and not areas and not self._meant_without_address(place):
            return False
        if evidence == "list" and (place.precision != "city" or not (
                self.home_or_large(place) or place.country in {p.country for p in self.places})):
            return False  # a list names cities of one country, or large ones
        self.places.append(place)
        self.addresses.extend(areas)
        if evidence == "people" or origin_word(self.sentence, start):
            self.origins.add(place.key())  # "residents of Vikasnagar staged a protest in Lucknow"
        return True

    def _meant_without_address(self, place: Place) -> bool:
        """Whether a name the NER did not take for a place, written without an address, is this town: one
        of the report's countries, or a large city; in a report that names no country, a town of some size
        that no other country's town shares the name of ('Residents of Mansa' may be in India or Zambia)."""
        if place.precision != "city":
            return True
        if self.countries:
            return self.home_or_large(place)
        return self.gazetteer.population(place.geonames_id) >= LONE_TOWN_MIN_POPULATION \
            and self.gazetteer.city_countries(place.text) == {place.country}

    def home_or_large(self, place: Place) -> bool:
        """A city in one of the report's countries, or one large enough to be meant from abroad."""
        return (place.country in self.countries
                or self.gazetteer.population(place.geonames_id) >= NAMESAKE_MAX_POPULATION)

    def _add_city_of_address(self, address: list[tuple[str, int, int, bool]], evidence: str) -> bool:
        """A name the gazetteer does not know, written with a large city after a comma ("Orangi town,
        Karachi", "Gulbahar, Peshawar"), is a part of that city; the city is the place. Not so for a
        bracketed address: "Badah town (Larkana, Sindh)" is not in Larkana (see `deferred`)."""
        if not address or address[0][3] or evidence == "address":
            return False
        name, start, end, _ = address[0]
        if re.match(r",\s*(?:(?:and|or)\s+)?[A-Z]|\s+(?:and|or)\s", self.document.text[end:end + 12]):
            return False  # "Korlagundi, Moka, and Gotur": a list of villages, not a town and its city
        city = self.gazetteer.resolve(name, Span(start, end, name), prefer=self.countries, allow_country=False,
                                      own_names_only=True)
        if city is None or city.precision != "city" or any(p.key() == city.key() for p in self.places) \
                or not self.home_or_large(city):
            return False
        self.places.append(city)
        return True


    def read_entities(self) -> None:
        """Named entities the NER tagged as places or nationalities."""
        (sentence, gazetteer, document, quotes, nationalities, addresses, deferred, bracketed) = (
            self.sentence, self.gazetteer, self.document, self.quotes,
            self.nationalities, self.addresses, self.deferred, self.bracketed)
        for entity in entities_in(sentence):
            if inside(quotes, entity.start_char, entity.end_char):
                continue  # "No to the Russian law!" names no place of the event
            if inside(addresses, entity.start_char, entity.end_char):
                continue
            if entity.label_ in _PLACE_LABELS:
                # "Nis, Serbia" or "Bamako (Bamako" tagged as one entity: the name is the part before the
                # address, which self.add() reads from the text that follows
                cut = min((i for i in (entity.text.find(" ("), entity.text.find(",")) if i > 0),
                          default=len(entity.text))
                name = entity.text[:cut].rstrip()
                if entity.label_ == "FAC" and not after_place_preposition(sentence, entity.start, document.language):
                    continue  # "workers of the Metro", "on La Carranza highway": facilities, not cities
                if in_route_compound(document.text, entity.start_char, entity.end_char):
                    continue  # "the Khulna-Jessore highway", "the Mumbai-Barwani stretch"
                if inside(bracketed, entity.start_char, entity.end_char):
                    deferred.append(entity)  # "Badah town (Larkana, Sindh)": read once Badah is looked up
                    continue
                if part_of_named_place(sentence, entity.start):
                    continue  # "Beirut's Hamra district" is in Beirut
                evidence = "gpe" if entity.label_ == "GPE" else "entity"
                longer = longer_name(sentence, entity) if cut == len(entity.text) else None
                if longer is not None and self.add(longer.text, longer.start_char, longer.end_char, evidence):
                    continue  # "residents of Los Angeles Tetela", with only "Los Angeles" tagged
                # the tagged part of a longer, unknown name is not a city abroad of that name
                self.add(name, entity.start_char, entity.start_char + len(name), evidence, home_only=longer is not None)
            elif entity.label_ == "NORP" and (code := gazetteer.country(entity.text)):
                span = Span(entity.start_char, entity.end_char, entity.text)
                nationalities.append(gazetteer.country_place(code, entity.text, span))

    def read_untagged_names(self) -> None:
        """Names the NER left untagged but the grammar says are places ('residents of X')."""
        (sentence, document, quotes, places, addresses) = (
            self.sentence, self.document, self.quotes, self.places, self.addresses)
        for candidate, evidence in untagged_place_names(sentence, document.language):
            if any(p.span and inside([(p.span.start, p.span.end)], candidate.start_char, candidate.end_char)
                   for p in places):
                continue
            if (inside(addresses, candidate.start_char, candidate.end_char)
                    or inside(quotes, candidate.start_char, candidate.end_char)):
                continue
            if part_of_named_place(sentence, candidate.start):
                continue
            self.add(candidate.text, candidate.start_char, candidate.end_char, evidence)

    def read_lists_and_capitals(self) -> None:
        """Members of a list of places, and 'the Kazakh capital'."""
        (sentence, gazetteer, document, quotes, places, addresses) = (
            self.sentence, self.gazetteer, self.document, self.quotes, self.places, self.addresses)
        # "in Manchester, Edinburgh, Bristol and Truro": the names coordinated with a place are places too,
        # whatever the NER made of them (it often tags the last members of a list as organisations)
        for member in coordinated_names(sentence, [p.span for p in places if p.span is not None]):
            if not (inside(addresses, member.start_char, member.end_char)
                    or inside(quotes, member.start_char, member.end_char)):
                self.add(member.text, member.start_char, member.end_char, "list")
        # "Mongolia's capital", "the Kazakh capital": the country's capital city
        for phrase, country_word in capital_references(sentence, document.language):
            code = gazetteer.country(country_word.text)
            span = Span(phrase.start_char, phrase.end_char, phrase.text)
            capital = gazetteer.capital(code, phrase.text, span) if code else None
            if capital is not None and all(p.key() != capital.key() for p in places):
                places.append(capital)

    def read_deferred_addresses(self) -> None:
        """Areas named in the bracketed address of an unknown name."""
        (gazetteer, countries, places, addresses, deferred) = (
            self.gazetteer, self.countries, self.places, self.addresses, self.deferred)
        # The address of a name the gazetteer does not know places the event in that address's region,
        # not in its district town: "Badah town (Larkana, Sindh)" is not in Larkana.
        for entity in deferred:
            if not inside(addresses, entity.start_char, entity.end_char):
                area = gazetteer.resolve(entity.text, Span(entity.start_char, entity.end_char, entity.text),
                                         prefer=countries)
                if area is not None and area.precision != "city" and all(p.key() != area.key() for p in places):
                    places.append(area)


def _settle(reader: _SentenceReader, cities: list[Place]) -> list[Place]:
    """The sentence's places once every name is read: addresses, origins and namesakes dropped, the report's
    references to several places ('both cities') resolved, and `cities` extended."""
    places, addresses, origins, nationalities = reader.places, reader.addresses, reader.origins, reader.nationalities
    sentence, gazetteer, countries, document = reader.sentence, reader.gazetteer, reader.countries, reader.document
    places = [p for p in places if p.span is None or not inside(addresses, p.span.start, p.span.end)]
    # where the people came from is not where the event was, when the sentence names that too
    if any(p.key() not in origins for p in places):
        places = [p for p in places if p.key() not in origins]
    # 'Reyes' tagged inside "Huejutla de Reyes": the longer name is the place
    places = [p for p in places if p.span is None or not any(
        o is not p and o.span and inside([(o.span.start, o.span.end)], p.span.start, p.span.end)
        and o.span.end - o.span.start > p.span.end - p.span.start for o in places)]
    if not places:
        for name in institution_towns(sentence, document.language):
            place = gazetteer.resolve(name.text, Span(name.start_char, name.end_char, name.text), prefer=countries,
                                      allow_country=False, own_names_only=True)
            # 'the Forest College', 'Anna University': the town must be one of the report's or a large city
            if place is not None and place.precision == "city" and reader.home_or_large(place):
                places.append(place)
                break
    # "Venezuelan migrants protested in Bogota": a nationality is where the event happened only when
    # the sentence names no place ("the Kazakh police detained ...").
    if not places:
        places = list({p.key(): p for p in nationalities}.values())
    # 'Madrid/Caracas, July 30, 2024 —': the desks the report was filed from, not where it happened
    dateline = document.dateline
    places = [p for p in places if dateline is None or p.span is None or not dateline.start <= p.span.start < dateline.end]
    lowered = sentence.text.lower()
    country_level = False
    for phrase, rule in _place_references(document.language).items():
        position = lowered.find(phrase)
        if position < 0:
            continue
        span = Span(sentence.start_char + position, sentence.start_char + position + len(phrase),
                    sentence.text[position:position + len(phrase)])
        if rule.get("last_cities"):
            for city in cities[-rule["last_cities"]:]:
                if all(p.key() != city.key() for p in places):
                    places.append(Place(**{**city.__dict__, "span": span, "text": span.text}))
        if rule.get("country"):
            country_level = True
            code = next((p.country for p in places if p.country), countries[0] if countries else None)
            if code and all(p.key() != f"country:{code}" for p in places):
                places.append(gazetteer.country_place(code, span.text, span))
    for place in places:
        if place.precision == "city" and all(c.key() != place.key() for c in cities):
            cities.append(place)
    places = _drop_addresses(places, document.text)
    # A small city abroad beside a place in the report's own countries is a namesake ('the Nima
    # community of Accra' is not Nima, China), unless the report names the city's country. Large
    # cities are kept: "protests in Almaty echoed those in Minsk" need not name Belarus.
    if countries and any(p.country in countries and p.precision != "country" for p in places):
        places = [p for p in places if p.precision != "city" or p.country in countries
                  or gazetteer.population(p.geonames_id) >= NAMESAKE_MAX_POPULATION]
    # A country or region named beside one of its own cities is the city's address, not a second
    # place, unless the sentence also speaks of other, unnamed cities.
    city_countries = {p.country for p in places if p.precision == "city"}
    places = [p for p in places if p.precision != "admin1" or p.country not in city_countries]
    if not country_level:
        specific = {p.country for p in places if p.precision != "country"}
        places = [p for p in places if p.precision != "country" or p.country not in specific]
    return places


def _drop_addresses(places: list[Place], text: str) -> list[Place]:
    """'Guadalajara, Jalisco', 'Bhopal (Bhopal, Madhya Pradesh)': a place written right after another,
    behind a comma or a parenthesis, is that place's address, not a place of its own."""
    ordered = sorted((p for p in places if p.span is not None), key=lambda p: p.span.start)
    dropped: set[int] = set()
    for before, after in zip(ordered, ordered[1:], strict=False):
        gap = text[before.span.end:after.span.start]
        # a list of cities ("in Astana, Almaty and ...") is several places; a region after a city is not
        if gap == " (" or (gap in (", ", ",") and after.precision != "city"):
            dropped.add(id(after))
    return [p for p in places if id(p) not in dropped]
