"""Sentences -> mentions: one Mention per (sentence, event type, place), with every field's evidence.

A report tells one story across sentences, so what a sentence leaves out comes from context:
- date and place carry forward from the last sentence of the same family (protest family: protests
  and the state's answers to them; legal family: bans, summons, sentences);
- a lead sentence before any date takes the first date the report gives for that family;
- 'in both cities' means the last two cities named; 'several other cities' means country precision;
- sentences with no trigger still add demands, responses and tactics to the protest they follow;
- organizers named anywhere in the report ('rallies spearheaded by the DVK') organize its protests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan

from protestwatch.extract import actors as actor_stage
from protestwatch.extract.counts import find_counts
from protestwatch.extract.dates import find_dates
from protestwatch.extract.demands import find_demands
from protestwatch.extract.places import Gazetteer, address_after
from protestwatch.extract.quotes import inside, quoted_ranges, quotes_in
from protestwatch.extract.responses import find_responses, find_tactics, responses_implied_by
from protestwatch.extract.triggers import (
    Trigger,
    armed_violence,
    crowd_agent,
    find_triggers,
    is_advocacy_sentence,
    word_matches,
)
from protestwatch.lexicon import load
from protestwatch.lexicon.typemap import family
from protestwatch.records import Actor, DateValue, Document, Mention, Place, Span, Tagged, stable_id

_PLACE_LABELS = ("GPE", "LOC", "FAC")
_PROTEST_TYPES = ("protest", "riot")
# Types whose events have people on the protesters' side as participants or targets.
_GROUP_TYPES = ("protest", "riot", "detention", "dispersal", "violence_against_protesters", "summons", "sentencing")


@cache
def _place_refs(language: str) -> dict[str, dict]:
    return {k.lower(): v for k, v in load("places", language).items()}


@dataclass
class _Context:
    """What the report has said so far, per event family."""

    date: dict[str, DateValue] = field(default_factory=dict)
    places: dict[str, list[Place]] = field(default_factory=dict)
    cities: list[Place] = field(default_factory=list)  # distinct cities in order of mention
    actors: actor_stage.DocActors = field(default_factory=actor_stage.DocActors)
    last_protests: list[Mention] = field(default_factory=list)
    gazetteer: Gazetteer | None = None
    lead_places: list[Place] = field(default_factory=list)  # the first sentence that names a place


def extract_mentions(document: Document, doc: SpacyDoc, nlp: Language, gazetteer: Gazetteer) -> list[Mention]:
    language = document.language
    quotes = quoted_ranges(document.text)
    sentences = [s for s in doc.sents if document.body_start <= s.start_char < document.body_stop]
    countries = _report_countries(doc, gazetteer)
    context = _Context(gazetteer=gazetteer)
    # one scan of each sentence for trigger words; every later step reuses it
    scanned = []
    for sentence in sentences:
        matches = word_matches(nlp, sentence, language)
        triggers = [t for t in find_triggers(nlp, sentence, language, matches) if not inside(quotes, t.span.start, t.span.end)]
        scanned.append((sentence, matches, triggers))
    first_dates = _first_family_dates(scanned, document)
    lead = next((d for s in sentences[:2] for d in find_dates(s.text, s.start_char, document.published)), None)
    if lead is not None:
        first_dates.setdefault("lead", lead)
    mentions: list[Mention] = []
    organizers: list[Actor] = []
    for sentence, matches, triggers in scanned:
        actor_stage.remember_named(sentence, context.actors, language)
        protest_heads = {m.root.i for m in matches if m.label_ in _PROTEST_TYPES}
        organizers.extend(actor_stage.organizers(sentence, protest_heads, context.actors, language))
        places = _sentence_places(sentence, gazetteer, countries, context, document, quotes)
        if places and not context.lead_places:
            context.lead_places = places
        sentence_quotes = quotes_in(quotes, sentence.start_char, sentence.end_char)
        triggers = _drop_armed_conflict(triggers, sentence, context, language)
        if not triggers:
            if not is_advocacy_sentence(sentence, language):
                _annex(sentence, sentence_quotes, places, context, language)
            continue
        dates = find_dates(sentence.text, sentence.start_char, document.published)
        new = _sentence_mentions(document, sentence, triggers, dates, places, sentence_quotes,
                                 context, first_dates, language)
        mentions.extend(new)
        protests = [m for m in new if m.type in _PROTEST_TYPES]
        if protests:
            context.last_protests = protests
        elif context.last_protests:
            _answer_to_protest(sentence, triggers, context.last_protests, language)
    _add_organizers(mentions, organizers)
    return mentions


_CROWD_VIOLENCE = ("riot", "violence_against_protesters")


def _drop_armed_conflict(triggers: list[Trigger], sentence: SpacySpan, context: _Context,
                         language: str) -> list[Trigger]:
    """Killing, injuring and clashing are protest events only around a crowd: with no protest word in
    the sentence, violence against protesters needs a protest earlier in the report and the state's
    agents acting in this sentence; a crowd's violence is a riot; and none of it may be done by armed
    actors (militants, soldiers, gunmen)."""
    if not any(t.type in _CROWD_VIOLENCE for t in triggers):
        return triggers
    if any(t.type in ("protest", "dispersal") for t in triggers):
        return triggers
    spec = load("triggers", language)
    lowered = sentence.text.lower()
    has_armed = _names_any(sentence, lowered, spec["armed_actors"])
    state = actor_stage.state_actors(sentence, [t.head for t in triggers], [], language)
    has_state = bool(state)
    # a crowd and the police in one violent sentence: a clash, whoever the sentence makes the doer
    crowd_and_police = any(a.kind in ("police", "security") for a in state) and _names_any(
        sentence, lowered, spec["crowd_agents"])
    kept = []
    for trigger in triggers:
        # "around 100 residents lynched two armed men": armed victims do not make it armed conflict
        by_crowd = trigger.type in _CROWD_VIOLENCE and crowd_agent(trigger.head, language)
        if trigger.type in _CROWD_VIOLENCE and has_armed and not by_crowd:
            continue
        if trigger.type == "violence_against_protesters" and not (context.last_protests and has_state):
            if not (by_crowd or crowd_and_police or _crowd_violence_in(sentence, language)) \
                    or armed_violence(trigger.head, language):
                continue
            # "a suspected thief was beaten up by locals": a crowd's violence, mob violence
            trigger = Trigger("riot", trigger.head, trigger.span, trigger.strength - 0.1)
        kept.append(trigger)
    return kept


def _crowd_violence_in(sentence: SpacySpan, language: str) -> bool:
    """Whether any act of violence in the sentence is a crowd's ("injured after having been attacked by
    a group of people"): the injury is then the crowd's doing even where its own doer is unsaid. A crowd
    word alone is not enough ("two construction workers are killed a week")."""
    verbs = _violence_verbs(language)
    return any(token.lemma_.lower() in verbs and crowd_agent(token, language) for token in sentence)


@cache
def _violence_verbs(language: str) -> frozenset[str]:
    spec = load("triggers", language)
    verbs = {v for t in ("riot", "violence_against_protesters") for v in spec[t]["verbs"] if " " not in v}
    return frozenset(verbs | set(spec["property_attack_verbs"]) | {"damage"})


def _names_any(sentence: SpacySpan, lowered: str, words: list[str]) -> bool:
    single = {w.lower() for w in words if " " not in w}
    return any(t.lemma_.lower() in single or t.lower_ in single for t in sentence) or any(
        w.lower() in lowered for w in words if " " in w)


NAMESAKE_MAX_POPULATION = 100_000  # a city abroad this large is meant, even beside places at home
_BRACKETED = re.compile(r"\(([^()\n]{3,80})\)")


def _report_countries(doc: SpacyDoc, gazetteer: Gazetteer) -> tuple[str, ...]:
    """Countries the report names, most often first: they break ties between same-named cities.
    A region counts for its country ('San Antonio (Valparaiso)' is the Chilean San Antonio)."""
    counts: dict[str, int] = {}
    # Organisations named after a country or region ('National Bank of Pakistan', 'Sindh National Party')
    # say where the report is from, more weakly than a place: they only break ties between the others.
    named_by_organisations: dict[str, int] = {}
    for entity in doc.ents:
        label = entity.label_
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
    for address in _BRACKETED.findall(doc.text):
        for part in address.split(","):
            if code := gazetteer.country(part) or gazetteer.region_country(part):
                counts[code] = counts.get(code, 0) + 1
    weak = sorted((c for c in named_by_organisations if c not in counts), key=lambda c: -named_by_organisations[c])
    return (*sorted(counts, key=lambda c: -counts[c]), *weak)


def _first_family_dates(scanned, document: Document) -> dict[str, DateValue]:
    """The first date the report gives for each event family: lead sentences before it take it."""
    firsts: dict[str, DateValue] = {}
    for sentence, _, triggers in scanned:
        if not triggers:
            continue
        dates = find_dates(sentence.text, sentence.start_char, document.published)
        if not dates:
            continue
        for trigger in triggers:
            firsts.setdefault(family(trigger.type), _nearest(dates, trigger.span.start))
    return firsts


def _nearest(dates: list[DateValue], position: int) -> DateValue:
    return min(dates, key=lambda d: abs((d.span.start if d.span else 0) - position))


def _sentence_places(sentence: SpacySpan, gazetteer: Gazetteer, countries: tuple[str, ...], context: _Context,
                     document: Document, quotes: list[tuple[int, int]]) -> list[Place]:
    places: list[Place] = []
    nationalities: list[Place] = []
    addresses: list[tuple[int, int]] = []  # areas written after a resolved city: its address, not places
    written: list[tuple[int, int]] = []  # everything written in address position after a resolved place
    origins: set[str] = set()  # keys of places people came from ('citizens that had come from Lima')
    deferred: list[SpacySpan] = []  # places named in the bracketed address of another name
    bracketed = _bracketed_addresses(sentence, document.text)

    def add(name: str, start: int, end: int, evidence: str = "entity", home_only: bool = False) -> bool:
        """Resolves a name and keeps the place; whether it did. `home_only`: keep it only in one of
        the report's countries."""
        if evidence == "address" and inside(written, start, end):
            return False  # "Jalalabad, Fazilka (Punjab)": Fazilka is Jalalabad's district
        span = Span(start, end, name)
        address = address_after(document.text, end)
        areas_named = tuple(area for area, *_ in address)
        place = gazetteer.resolve(name, span, prefer=countries, address=areas_named,
                                  own_names_only=evidence in ("position", "of"),
                                  any_town=evidence in ("settlement", "gpe", "address"))
        if evidence == "parse" and place is not None and countries and place.country not in countries:
            # a bare name abroad must be the city's own name: 'in Nunez' (Buenos Aires) is not
            # Marquetalia, Colombia, one of whose alternate names is Nunez
            place = gazetteer.resolve(name, span, prefer=countries, address=areas_named, own_names_only=True)
        if place is None:
            return False
        if any(p.key() == place.key() for p in places):
            if not _origin_word(sentence, start):
                origins.discard(place.key())  # "protesters from Nabatiyeh ... gathered in Nabatiye"
            return False
        if home_only and countries and place.country not in countries:
            return False
        written.extend((a_start, a_end) for _, a_start, a_end, _ in address)
        located = [gazetteer.place_in_area(place, area) for area, *_ in address]
        # what is written after a city is its address when it names the city's areas or is in brackets
        # ("Dambulla town (Dambulla, Matale district)"); "Astana, Almaty and ..." is a list of cities
        areas = [(a_start, a_end) for (_, a_start, a_end, bracketed), in_it in zip(address, located, strict=True)
                 if (bracketed and place.precision == "city") or in_it]
        if evidence == "address" and not any(located):
            return False  # "Redeyef (Gafsa)": the name is a place because the gazetteer puts it in Gafsa
        if evidence == "position" and not areas and place.country not in countries \
                and gazetteer.population(place.geonames_id) < NAMESAKE_MAX_POPULATION:
            return False  # a name the parser did not take for a place must be one of the report's or a large city
        places.append(place)
        addresses.extend(areas)
        if _origin_word(sentence, start):
            origins.add(place.key())
        return True

    for entity in sentence.ents:
        if inside(quotes, entity.start_char, entity.end_char):
            continue  # "No to the Russian law!" names no place of the event
        if inside(addresses, entity.start_char, entity.end_char):
            continue
        if entity.label_ in _PLACE_LABELS:
            # "Nis, Serbia" or "Bamako (Bamako" tagged as one entity: the name is the part before the
            # address, which add() reads from the text that follows
            cut = min((i for i in (entity.text.find(" ("), entity.text.find(",")) if i > 0), default=len(entity.text))
            name = entity.text[:cut].rstrip()
            if entity.label_ == "FAC" and not _after_place_preposition(sentence, entity.start, document.language):
                continue  # "workers of the Metro", "on La Carranza highway": facilities, not cities
            if _in_compound(document.text, entity.start_char, entity.end_char):
                continue  # "the Khulna-Jessore highway", "the Mumbai-Barwani stretch"
            if inside(bracketed, entity.start_char, entity.end_char):
                deferred.append(entity)  # "Badah town (Larkana, Sindh)": read once Badah is looked up
                continue
            if _part_of_named_place(sentence, entity.start):
                continue  # "Beirut's Hamra district" is in Beirut
            evidence = "gpe" if entity.label_ == "GPE" else "entity"
            longer = _longer_name(sentence, entity) if cut == len(entity.text) else None
            if longer is not None and add(longer.text, longer.start_char, longer.end_char, evidence):
                continue  # "residents of Los Angeles Tetela", with only "Los Angeles" tagged
            # the tagged part of a longer, unknown name is not a city abroad of that name
            add(name, entity.start_char, entity.start_char + len(name), evidence, home_only=longer is not None)
        elif entity.label_ == "NORP" and (code := gazetteer.country(entity.text)):
            span = Span(entity.start_char, entity.end_char, entity.text)
            nationalities.append(gazetteer.country_place(code, entity.text, span))
    for candidate, evidence in _untagged_place_names(sentence, document.language):
        if any(p.span and inside([(p.span.start, p.span.end)], candidate.start_char, candidate.end_char) for p in places):
            continue
        if inside(addresses, candidate.start_char, candidate.end_char) or inside(quotes, candidate.start_char, candidate.end_char):
            continue
        if _part_of_named_place(sentence, candidate.start):
            continue
        add(candidate.text, candidate.start_char, candidate.end_char, evidence)
    # The address of a name the gazetteer does not know places the event in that address's region,
    # not in its district town: "Badah town (Larkana, Sindh)" is not in Larkana.
    for entity in deferred:
        if not inside(addresses, entity.start_char, entity.end_char):
            area = gazetteer.resolve(entity.text, Span(entity.start_char, entity.end_char, entity.text), prefer=countries)
            if area is not None and area.precision != "city" and all(p.key() != area.key() for p in places):
                places.append(area)
    places = [p for p in places if p.span is None or not inside(addresses, p.span.start, p.span.end)]
    # where the people came from is not where the event was, when the sentence names that too
    if any(p.key() not in origins for p in places):
        places = [p for p in places if p.key() not in origins]
    # 'Reyes' tagged inside "Huejutla de Reyes": the longer name is the place
    places = [p for p in places if p.span is None or not any(
        o is not p and o.span and inside([(o.span.start, o.span.end)], p.span.start, p.span.end)
        and o.span.end - o.span.start > p.span.end - p.span.start for o in places)]
    if not places:
        for name in _institution_towns(sentence, document.language):
            place = gazetteer.resolve(name.text, Span(name.start_char, name.end_char, name.text), prefer=countries,
                                      allow_country=False, own_names_only=True)
            # 'the Forest College', 'Anna University': the town must be one of the report's or a large city
            if place is not None and place.precision == "city" and (
                    place.country in countries or gazetteer.population(place.geonames_id) >= NAMESAKE_MAX_POPULATION):
                places.append(place)
                break
    # "Venezuelan migrants protested in Bogota": a nationality is where the event happened only when
    # the sentence names no place ("the Kazakh police detained ...").
    if not places:
        places = list({p.key(): p for p in nationalities}.values())
    lowered = sentence.text.lower()
    country_level = False
    for phrase, rule in _place_refs(document.language).items():
        position = lowered.find(phrase)
        if position < 0:
            continue
        span = Span(sentence.start_char + position, sentence.start_char + position + len(phrase),
                    sentence.text[position:position + len(phrase)])
        if rule.get("last_cities"):
            for city in context.cities[-rule["last_cities"]:]:
                if all(p.key() != city.key() for p in places):
                    places.append(Place(**{**city.__dict__, "span": span, "text": span.text}))
        if rule.get("country"):
            country_level = True
            code = next((p.country for p in places if p.country), countries[0] if countries else None)
            if code and all(p.key() != f"country:{code}" for p in places):
                places.append(gazetteer.country_place(code, span.text, span))
    for place in places:
        if place.precision == "city" and all(c.key() != place.key() for c in context.cities):
            context.cities.append(place)
    places = _drop_addresses(places, document.text)
    # A small city abroad beside a place in the report's own countries is a namesake ('the Nima
    # community of Accra' is not Nima, China), unless the report names the city's country. Large
    # cities are kept: "protests in Almaty echoed those in Minsk" need not name Belarus.
    if countries and any(p.country in countries and p.precision != "country" for p in places):
        places = [p for p in places if p.precision != "city" or p.country in countries
                  or gazetteer.population(p.geonames_id) >= NAMESAKE_MAX_POPULATION]
    # A country or region named beside one of its own cities is the city's address, not a second
    # place, unless the sentence also speaks of other, unnamed cities.
    cities = {p.country for p in places if p.precision == "city"}
    places = [p for p in places if p.precision != "admin1" or p.country not in cities]
    if not country_level:
        specific = {p.country for p in places if p.precision != "country"}
        places = [p for p in places if p.precision != "country" or p.country not in specific]
    return places


def _origin_word(sentence: SpacySpan, start_char: int) -> bool:
    """Whether the name at `start_char` says where people or goods came from ('citizens that had come
    from Lima', 'trucks coming from Bangladesh'); not the start of a march ('set out from Beirut')."""
    doc = sentence.doc
    span = doc.char_span(start_char, start_char + 1, alignment_mode="expand")
    if span is None or span.start <= sentence.start or doc[span.start - 1].lower_ != "from":
        return False
    return doc[span.start - 1].head.lemma_.lower() in _ARRIVAL_VERBS


_ARRIVAL_VERBS = {"come", "return", "arrive", "travel", "flee", "bring", "transfer", "migrate", "deport", "repatriate"}


def _in_compound(text: str, start: int, end: int) -> bool:
    """Whether a name is one end of a route ('the Khulna-Jessore highway', 'the Mumbai-Barwani stretch');
    'Zagreb-Tresnjevka' (a district of Zagreb) is not."""
    if not ((start > 0 and text[start - 1] == "-") or (text[end:end + 1] == "-" and text[end + 1:end + 2].isupper())):
        return False
    compound_end = end
    while compound_end < len(text) and not text[compound_end].isspace():
        compound_end += 1
    following = text[compound_end:compound_end + 30].split()
    return bool(following) and following[0].lower().strip(".,;") in _ROUTE_WORDS


_ROUTE_WORDS = {"highway", "road", "stretch", "route", "railway", "motorway", "expressway", "border", "corridor",
                "bridge", "line", "axis", "crossing", "train", "bus", "flight", "talks", "match"}


_BRACKET = re.compile(r"\(([^()]*)\)")


def _bracketed_addresses(sentence: SpacySpan, text: str) -> list[tuple[int, int]]:
    """Character ranges of brackets written right after a town or village ('Badah town (Larkana, Sindh)').
    `text` is the document's text, whose offsets are the parse's."""
    doc, out = sentence.doc, []
    for match in _BRACKET.finditer(text, sentence.start_char, sentence.end_char):
        opening = doc.char_span(match.start(), match.start() + 1)
        if opening is None or opening.start <= sentence.start:
            continue
        # a town or village of its own; 'Al Dahra (Tripoli)' and 'Craiter district (Aden)' are in the city
        if doc[opening.start - 1].lower_ in ("town", "village"):
            out.append((match.start(1), match.end(1)))
    return out


def _after_place_preposition(sentence: SpacySpan, i: int, language: str) -> bool:
    return i > sentence.start and sentence.doc[i - 1].lower_ in load("triggers", language)["place_prepositions"]


def _part_of_named_place(sentence: SpacySpan, i: int) -> bool:
    """Whether token i follows a place name and "'s" ("Beirut's Hamra district"): a part of that place."""
    doc = sentence.doc
    return (i - 2 >= sentence.start and doc[i - 1].lower_ in ("'s", "’s")
            and doc[i - 2].ent_type_ in ("GPE", "LOC"))


def _longer_name(sentence: SpacySpan, entity: SpacySpan) -> SpacySpan | None:
    """The longer proper name an entity is cut from ('Los Angeles' of "Los Angeles Tetela", 'San
    Martin' of "San Martin Texmelucan de Labastida"), if a name goes on right after it."""
    doc = sentence.doc
    end = entity.end
    if end >= sentence.end or doc[end - 1].whitespace_ == "" or doc[end - 1].lower_ in ("'s", "\u2019s") \
            or doc[end].ent_type_ in ("DATE", "TIME"):
        return None
    if doc[end].lower_ in _SETTLEMENT_WORDS or not _name_word(doc, end, sentence, step=1):
        return None
    while end < sentence.end and end - entity.end < 5 and _name_word(doc, end, sentence, step=1):
        end += 1
    return doc[entity.start:end]


_SETTLEMENT_WORDS = {"city", "town", "village", "district", "province", "region", "municipality", "county"}


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


def _untagged_place_names(sentence: SpacySpan, language: str) -> list[tuple[SpacySpan, str]]:
    """Proper names after 'in', 'at', 'near' that the NER missed or mislabelled ('protested in
    Sialkot city' with Sialkot tagged PERSON): candidates for the gazetteer, never places by themselves.
    Each comes with its evidence: "settlement" ('in Sialkot city', 'the town of Atareb'), "parse" (the
    object of the preposition, or of 'areas of'), "address" (a name before an address that must confirm
    it: 'Redeyef (Gafsa)'), "position" (right after 'in', where the parse disagrees)."""
    prepositions = set(load("triggers", language)["place_prepositions"])
    of_heads = set(load("triggers", language)["place_of_heads"])
    doc = sentence.doc
    out = []
    for token in sentence:
        if token.dep_ != "pobj" or token.head.lower_ not in prepositions | {"of"}:
            continue
        # "in Sialkot", or "in Payyoli town" where the head word is the common noun
        settlement = token.lower_ in _SETTLEMENT_WORDS and token.i > sentence.start and _settlement_name(doc[token.i - 1])
        # "the town of Kafr Qaddum", "the village of Atareb"
        settlement = settlement or (token.pos_ == "PROPN" and token.head.lower_ == "of"
                                    and token.head.head.lower_ in _SETTLEMENT_WORDS)
        # "several areas of Bamako", "the Nima community of Accra": a place, but weaker evidence
        of_place = token.head.lower_ == "of" and token.head.head.lemma_.lower() in of_heads
        if not (token.pos_ == "PROPN" or settlement):
            continue
        if token.head.lower_ == "of" and not (settlement or (of_place and token.pos_ == "PROPN")):
            continue  # "the release of Ablyazov": 'of' names places only as "of Bhopal city", "areas of Bamako"
        if token.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC"):
            continue
        if not settlement and doc[token.i - 1].pos_ == "DET":
            continue  # "stones at the Police": a settlement's name takes no article
        start = _name_start(doc, token.i, sentence)
        if start == token.i and token.lower_ in _SETTLEMENT_WORDS:
            start = _name_start(doc, token.i - 1, sentence)  # "Radhan town", Radhan tagged as an adjective
        out.append((doc[start: token.i + 1], "settlement" if settlement else ("of" if of_place else "parse")))
    # A name right before its address, wherever it stands: "Redeyef (Gafsa)", "Carora, Lara state". Only a
    # place if the address confirms it (see add()).
    for token in sentence:
        if token.text not in ("(", ",") or token.i == sentence.start or not _name_word(doc, token.i - 1, sentence, -1):
            continue
        start = _name_start(doc, token.i - 1, sentence)
        if doc[start].ent_type_ in ("DATE", "TIME") or any(c.start <= start < c.end for c, _ in out):
            continue
        before = doc[sentence.start:start].text
        if before.count("(") > before.count(")"):
            continue  # "(Nellore, AP)": itself an address, of a village the gazetteer may not know
        out.append((doc[start:token.i], "address"))
    # A name right after 'in' that the parser hung elsewhere ("rallied in Thessaloniki demanding ...",
    # Thessaloniki tagged NORP and made a modifier of 'demanding').
    for token in sentence:
        if token.i == sentence.start or doc[token.i - 1].lower_ not in prepositions:
            continue
        if token.pos_ != "PROPN" or not token.text[:1].isupper() or token.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC"):
            continue
        end = token.i + 1
        while end < sentence.end and end - token.i < 6 and _name_word(doc, end, sentence, step=1):
            end += 1
        if all(not (c.start <= token.i < c.end) for c, _ in out):
            out.append((doc[token.i:end], "position"))
    return out


def _settlement_name(token) -> bool:
    """Whether a token before 'town', 'village', ... is its name: a proper noun, or a capitalised word
    the tagger took for a nationality ('Radhan town')."""
    return token.text[:1].isupper() and (token.pos_ == "PROPN" or token.ent_type_ == "NORP")


def _institution_towns(sentence: SpacySpan, language: str) -> list[SpacySpan]:
    """Names written before an institution ('the Larkana Press Club', 'the Amritsar deputy commissioner'):
    candidates for the town the institution is in."""
    heads = _institution_heads(language)
    doc = sentence.doc
    out = []
    for token in sentence:
        for words in heads.get(token.lower_, ()):
            i = token.i
            if i > sentence.start and i + len(words) <= sentence.end \
                    and all(doc[i + k].lower_ == word for k, word in enumerate(words)) \
                    and _name_word(doc, i - 1, sentence, -1):
                out.append(doc[_name_start(doc, i - 1, sentence):i])
    return out


@cache
def _institution_heads(language: str) -> dict[str, list[tuple[str, ...]]]:
    """The institution phrases by their first word (one pass over a sentence finds them all)."""
    heads: dict[str, list[tuple[str, ...]]] = {}
    for phrase in load("triggers", language)["institution_heads"]:
        words = tuple(phrase.split())
        heads.setdefault(words[0], []).append(words)
    return heads


_NAME_CONNECTORS = {"de", "del", "da", "do", "dos", "das", "la", "las", "los", "el", "al", "ed", "ad", "bin", "sub",
                    "di", "du", "des", "le", "van", "von", "y"}


def _name_start(doc, i: int, sentence: SpacySpan) -> int:
    """The first token of the place name that ends with token i ('Huejutla de Reyes')."""
    while i - 1 >= sentence.start and _name_word(doc, i - 1, sentence, step=-1):
        i -= 1
    return i


def _name_word(doc, i: int, sentence: SpacySpan, step: int) -> bool:
    """Whether token i continues a place name read in direction `step`: a capitalised proper noun,
    or a connector between two of them ('Huejutla de Reyes', 'Santiago de Cuba')."""
    token = doc[i]
    if token.pos_ == "PROPN" and token.text[:1].isupper():
        return True
    beyond = i + step
    return (token.lower_ in _NAME_CONNECTORS and sentence.start <= beyond < sentence.end
            and _name_word(doc, beyond, sentence, step))


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
    if "riot" in by_type:
        # "protesters torched cars": one violent demonstration, not a protest beside a riot
        demonstrators = by_type.pop("protest", None) is not None
    out: list[Mention] = []
    for event_type, group in by_type.items():
        fam = family(event_type)
        date, date_source = _date_for(dates, group[0], fam, context, first_dates, document)
        event_places, source = (places, "sentence") if places else (context.places.get(fam, []), "context")
        if places and all(p.precision == "country" for p in places):
            # "Police forces of Chile dispersed the demonstrators" after "In Iquique (Tarapaca), ...":
            # the country names whose police it was; the place is the one already given in that country
            earlier = [p for p in context.places.get(fam) or context.lead_places
                       if p.precision != "country" and p.country in {c.country for c in places}]
            if earlier:
                event_places, source = earlier, "context"
        if not event_places and context.lead_places:
            # "In Iquique (Tarapaca), citizens set barricades on fire. Police dispersed the demonstrators."
            event_places, source = context.lead_places, "lead"
        if not event_places and document.dateline is not None:
            dateline = _dateline_place(document, context)
            event_places, source = ([dateline], "dateline") if dateline else ([], "none")
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
            )
            _fill(mention, group, counts, state, groups, demands, responses, tactics, sentence, context, language)
            out.append(mention)
        if places:
            context.places[fam] = places
        if date is not None and date_source == "sentence":
            context.date[fam] = date
    return out


def _dateline_place(document: Document, context: _Context) -> Place | None:
    """The dateline ('ASTANA (TCA) —') is where the report was filed: a last resort for the place."""
    span = document.dateline
    if span is None or context.gazetteer is None:
        return None
    place = context.gazetteer.resolve(span.text.title(), span)
    if place is not None:
        place.text = span.text
    return place


def _date_for(dates: list[DateValue], trigger: Trigger, fam: str, context: _Context,
              first_dates: dict[str, DateValue], document: Document) -> tuple[DateValue | None, str]:
    if dates:
        return _nearest(dates, trigger.span.start), "sentence"
    if fam in context.date:
        return context.date[fam], "context"
    if fam in first_dates:
        return first_dates[fam], "context"
    if "lead" in first_dates:  # the date the report opens with ("On 8 May 2020, ...")
        return first_dates["lead"], "context"
    if document.published is not None:
        day = document.published
        return DateValue(day, day, "day", year=day.year, month=day.month, day=day.day), "document"
    return None, "none"


def _fill(mention: Mention, triggers: list[Trigger], counts, state: list[Actor], groups: list[Actor],
          demands, responses: list[Tagged], tactics: list[Tagged], sentence: SpacySpan, context: _Context,
          language: str) -> None:
    event_type = mention.type
    repression = event_type not in _PROTEST_TYPES
    for found in counts:
        if found.role == "detained" and event_type in ("detention", "protest", "riot"):
            mention.detained = mention.detained or found.count
        elif found.role == "participants" and event_type in _PROTEST_TYPES:
            mention.participants = mention.participants or found.count
        elif found.role == "targeted" and event_type in ("summons", "sentencing", "violence_against_protesters"):
            mention.targeted = mention.targeted or found.count
    mention.actors.extend(Actor(a.name, a.role, a.kind, a.span) for a in state)
    if event_type in _GROUP_TYPES:
        for group in groups:
            role = "target" if repression else "participant"
            mention.actors.append(Actor(group.name, role, group.kind, group.span))
    if event_type in ("ban", "sentencing"):
        primary = next((t for t in triggers if t.head.pos_ in ("VERB", "AUX")), None)
        if primary is not None:
            mention.actors.extend(actor_stage.targets(primary.head, context.actors, language))
    if event_type in _PROTEST_TYPES:
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
    protesters, the state's response, their tactics."""
    if not context.last_protests:
        return
    demands = find_demands(sentence, quotes, language)
    responses = find_responses(sentence, language)
    tactics = find_tactics(sentence, quotes, language) if quotes else []
    # Who demands it: "The opposition supporters were calling for the release of the prisoners".
    groups = actor_stage.group_actors(sentence, [sentence.root], language) if demands else []
    if not (demands or responses or tactics):
        return
    targets = context.last_protests
    if places:
        keys = {p.key() for p in places}
        targets = [m for m in targets if m.place is not None and m.place.key() in keys] or targets
    for mention in targets:
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
        if mention.type in _PROTEST_TYPES:
            mention.actors.extend(Actor(a.name, "organizer", a.kind, a.span) for a in organizers)
