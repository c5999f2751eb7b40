"""Russian reports -> mentions, through the same record as English ones. The parse is natasha's (see
nlp/russian.py: lemmas, Universal Dependencies arcs, PER/LOC/ORG); the words are the Russian language
pack's (lang/ru/); the grammar is here:

- a trigger is a lemma or a lemma phrase of an event type ('задержать', 'применить сила', 'акция' only as a
  protest: 'акция протеста', 'несогласованная акция');
- it reports a happening unless it is negated ('не задержали'), in the future ('будет проходить'), in the
  conditional, or under a planning, permitting or calling head ('планируют провести митинг', 'разрешили
  провести акцию', 'призвали выйти на митинг');
- 'арестован на 15 суток' is a sentence, not a detention; 'запретить' is a ban when what is banned is a
  group, its activity or assemblies;
- the date and place are the sentence's own, else those of the sentences before it in the report (one
  happening is told across sentences), else the report's lead;
- counts go to the detained when they stand with the detention ('задержали около 50 участников'), else
  to the crowd.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.places import Gazetteer
from protestwatch.extract.quotes import inside, quoted_ranges
from protestwatch.extract.russian_counts import find_counts_ru
from protestwatch.extract.russian_dates import find_dates_ru
from protestwatch.lang import load
from protestwatch.records import Actor, Count, DateValue, Demand, Document, Mention, Place, Span, Tagged, stable_id

LANGUAGE = "ru"
PHRASE_WINDOW = 6  # words a phrase's parts may stand apart: 'назначил трем пикетчикам у мэрии наказание'
QUALIFIER_WINDOW = 4  # words around 'акция' where a protest qualifier must stand
_RESPONSES = {"detention": "arrests", "dispersal": "dispersal", "violence_against_protesters": "beatings",
              "internet_shutdown": "internet_block", "summons": "summons", "ban": "ban"}


@cache
def _rules() -> dict:
    spec = load("triggers", LANGUAGE)
    by_lemma: dict[str, str] = {}
    phrases: list[tuple[str, tuple[str, ...]]] = []
    for event_type, entry in spec.items():
        if not isinstance(entry, dict):  # the tables of the event types are the mappings
            continue
        for lemma in entry.get("lemmas", []):
            by_lemma.setdefault(lemma, event_type)
        for phrase in entry.get("phrases", []):
            phrases.append((event_type, tuple(phrase.lower().split())))
    phrases.sort(key=lambda item: -len(item[1]))
    protest = spec["protest"]
    return {
        "by_lemma": by_lemma,
        "phrases": phrases,
        "qualified": {k: frozenset(v) for k, v in protest["qualified"].items()},
        "gathering": frozenset(protest["gathering_lemmas"]),
        "gathering_needs": frozenset(protest["gathering_needs"]),
        "other_sense": [tuple(p.split()) for p in protest["other_sense_near"]],
        "ban_objects": frozenset(spec["ban"]["ban_objects"]),
        "hypothetical": frozenset(spec["hypothetical_heads"]),
        "banned_heads": frozenset(spec["banned_heads"]),
        "hypothetical_modifiers": frozenset(spec["hypothetical_modifiers"]),
        "negations": frozenset(spec["negations"]),
        "hedges": frozenset(spec["hedges"]),
    }


@cache
def _place_words() -> dict:
    spec = load("places", LANGUAGE)
    return {"countries": spec["countries"], "adjectives": spec["adjectives"],
            "capital": frozenset(spec["capital_words"]), "streets": frozenset(spec["street_words"]),
            "prepositions": frozenset(spec["place_prepositions"]), "parts": frozenset(spec["country_parts"]),
            "country_phrases": spec["country_phrases"], "street_min": spec["street_city_min_population"]}


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


# -- triggers ------------------------------------------------------------------------------------
def _lemma(token: Token) -> str:
    return token.lemma_.lower().replace("ё", "е")


def _phrase_at(tokens: list[Token], start: int, phrase: tuple[str, ...]) -> int | None:
    """The index of the phrase's last word when it starts at `start`, its words in order, each within
    PHRASE_WINDOW words of the one before."""
    position = start
    for word in phrase[1:]:
        following = next((j for j in range(position + 1, min(len(tokens), position + 1 + PHRASE_WINDOW))
                          if _lemma(tokens[j]) == word or tokens[j].lower_ == word), None)
        if following is None:
            return None
        position = following
    return position


def _near(tokens: list[Token], index: int, words: frozenset[str], window: int) -> bool:
    return any(_lemma(t) in words or t.lower_ in words
               for t in tokens[max(0, index - window): index + window + 1] if t.i != tokens[index].i)


def find_triggers_ru(sentence: SpacySpan) -> list[tuple[str, Token, Span]]:
    """(event type, head token, evidence span) for every trigger in the sentence that reports a happening."""
    rules = _rules()
    tokens = [t for t in sentence if not t.is_space]
    lemmas = [_lemma(t) for t in tokens]
    found: list[tuple[str, Token, Span]] = []
    used: set[int] = set()
    for i, _ in enumerate(tokens):
        for event_type, phrase in rules["phrases"]:
            if lemmas[i] != phrase[0] and tokens[i].lower_ != phrase[0]:
                continue
            end = _phrase_at(tokens, i, phrase)
            if end is not None:
                found.append((event_type, tokens[i], _span(tokens[i], tokens[end])))
                used.update(range(i, end + 1))
                break
    for i, token in enumerate(tokens):
        if i in used:
            continue
        event_type = rules["by_lemma"].get(lemmas[i])
        if event_type is None and lemmas[i] in rules["qualified"] and _near(
                tokens, i, rules["qualified"][lemmas[i]], QUALIFIER_WINDOW):
            event_type = "protest"
        if event_type is None and lemmas[i] in rules["gathering"] and _near(
                tokens, i, rules["gathering_needs"], len(tokens)):
            event_type = "protest"
        if event_type is not None:
            found.append((event_type, token, _span(token, token)))
    out = []
    undated = not find_dates_ru(sentence.text, 0, _ANY_DAY)
    for event_type, head, span in found:
        event_type = _retype(event_type, head, sentence, lemmas)
        if event_type == "protest" and undated and _habitual(head):
            continue
        # a phrase that carries its own negation ('не разрешили провести'): the refusal is the event
        negated_phrase = _lemma(head) in rules["negations"]
        if event_type is None or not (negated_phrase or _reported(head, rules)):
            continue
        if event_type == "protest" and _other_sense(lemmas, rules):
            continue
        out.append((event_type, head, span))
    return out


# Whether a sentence names a day at all: weekdays and 'вчера' resolve only against some date, and any
# will do for the question (the real anchor resolves them later).
_ANY_DAY = date(2000, 1, 1)


def _habitual(token: Token) -> bool:
    """'студенты по выходным выходили на пикеты': the imperfective past of the trigger's clause, with no day
    named, is what people used to do, not a happening; a perfective or a dated one is ('вышли', 'в субботу
    выходили')."""
    verb = token if token.pos_ == "VERB" else next((t for t in _ancestors(token, 3) if t.pos_ == "VERB"), None)
    return verb is not None and "Imp" in verb.morph.get("Aspect") and "Past" in verb.morph.get("Tense")


def _retype(event_type: str, head: Token, sentence: SpacySpan, lemmas: list[str]) -> str | None:
    """'арестован на 15 суток': a court's sentence; 'запретить' a ban only of a group or of assemblies."""
    rules = _rules()
    if event_type == "detention" and _lemma(head) in ("арест", "арестовать") and "сутки" in lemmas:
        return "sentencing"
    if event_type == "ban" and _lemma(head) in ("запретить", "запрет", "экстремистский"):
        # what is banned hangs from the ban word: 'запретили проведение шествий', not 'запретили
        # автобусам останавливаться' in a report that names a rally elsewhere
        if not any(_lemma(t) in rules["ban_objects"] for t in _descendants(head, 3)):
            return None
    if event_type == "ban" and ("Part" in head.morph.get("VerbForm") or _in_brackets(head)):
        return None  # 'фонд «Рассвет» (признанный экстремистским)': the organisation described, no new decision
    if event_type in ("protest", "riot") and any(_lemma(t) in rules["banned_heads"] for t in _ancestors(head)):
        return None  # 'запрет пикетов у вокзала': what is banned, not a rally
    return event_type


def _descendants(token: Token, depth: int) -> list[Token]:
    out, level = [], [token]
    for _ in range(depth):
        level = [c for t in level for c in t.children]
        out.extend(level)
    return out


def _ancestors(token: Token, steps: int = 4) -> list[Token]:
    out, current = [], token
    for _ in range(steps):
        if current.head is current:
            break
        current = current.head
        out.append(current)
    return out


def _in_brackets(token: Token) -> bool:
    text = token.doc.text
    before = text[max(0, token.idx - 120): token.idx]
    return before.rfind("(") > before.rfind(")")


def _reported(token: Token, rules: dict) -> bool:
    """Not negated, not future or conditional, not under a planning / permitting / calling head."""
    chain = [token]
    current = token
    for _ in range(4):
        if current.head is current:
            break
        current = current.head
        chain.append(current)
    verb = next((t for t in chain if t.pos_ in ("VERB", "AUX")), None)
    for candidate in (token, verb):
        if candidate is None:
            continue
        if any(_lemma(c) in rules["negations"] and c.dep_ in ("advmod", "neg", "discourse") for c in candidate.children):
            return False
        if "Fut" in candidate.morph.get("Tense") or "Cnd" in candidate.morph.get("Mood"):
            return False
        if any(_lemma(c) == "быть" and "Fut" in c.morph.get("Tense") for c in candidate.children):
            return False  # 'будет проходить'
        if any(_lemma(c) == "бы" for c in candidate.children):
            return False
    if any(c.dep_ == "amod" and _lemma(c) in rules["hypothetical_modifiers"] for c in token.children):
        return False  # 'возможных беспорядков'
    return not any(_lemma(t) in rules["hypothetical"] for t in chain[1:])


def _other_sense(lemmas: list[str], rules: dict) -> bool:
    return any(all(word in lemmas for word in words) for words in rules["other_sense"])


def _span(first: Token, last: Token) -> Span:
    doc = first.doc
    start, end = first.idx, last.idx + len(last.text)
    return Span(start, end, doc.text[start:end])


# -- places --------------------------------------------------------------------------------------
def sentence_places_ru(sentence: SpacySpan, gazetteer: Gazetteer, home: tuple[str, ...]) -> list[Place]:
    """Cities named in the sentence (the NER's LOC spans, looked up by their form and lemma), the capital
    ('в столице Грузии', 'в узбекской столице'), or a country when no city is named."""
    words = _place_words()
    cities: list[Place] = []
    countries: list[Place] = []
    for entity in sentence.ents:
        if entity.label_ != "LOC":
            continue
        span = Span(entity.start_char, entity.end_char, entity.text)
        lemma = " ".join(_lemma(t) for t in entity)
        code = words["countries"].get(lemma) or words["countries"].get(entity.text.lower())
        if code:
            if code in gazetteer.countries and _where_it_happens(entity, words):
                countries.append(gazetteer.country_place(code, entity.text, span))
            continue
        place = gazetteer.cyrillic_city([entity.text, lemma, lemma.replace(" - ", "-")], span, entity.text, home)
        if place is None or (_street(entity, words) and not (
                "Gen" in entity.root.morph.get("Case") and gazetteer.population(place.geonames_id) >= words["street_min"])):
            continue  # 'на площади Ош', 'площадь Победы': a street or square; 'на улицы Гродно': the city
        if all(p.key() != place.key() for p in cities):
            cities.append(place)
    lowered = sentence.text.lower()
    if not cities and home and home[0] in gazetteer.countries and any(p in lowered for p in words["country_phrases"]):
        countries.append(gazetteer.country_place(home[0], sentence.text[:0], None))
    for token in sentence:
        if _lemma(token) in words["capital"] and not _named_after(token, sentence):
            code = _capital_country(token, sentence, words) or (home[0] if home else None)
            capital = gazetteer.capital(code, token.text, Span(token.idx, token.idx + len(token.text), token.text)) \
                if code else None
            if capital is not None and all(p.key() != capital.key() for p in cities):
                cities.append(capital)
    return cities or countries


def _where_it_happens(entity: SpacySpan, words: dict) -> bool:
    """A country is the place when the clause happens in it ('в Армении', 'по всей Молдове') or it is the
    whole of which some cities are meant ('в трех городах Узбекистана'); 'консульство Грузии', 'выборы
    в Армении', 'посол Монголии' name it in passing."""
    root = entity.root
    if root.dep_ == "nmod" and _lemma(root.head) in words["parts"]:
        return True
    governed = any(_lemma(c) in words["prepositions"] for c in root.children)
    return governed and (root.dep_ != "nmod" or _lemma(root.head) in _rules()["by_lemma"])


def _street(entity: SpacySpan, words: dict) -> bool:
    """'на площади Ош', 'по проспекту Мира', 'у стадиона Динамо': a part of a city named like a place."""
    doc = entity.doc
    before = [t for t in doc[max(entity.start - 3, 0): entity.start] if not t.is_punct]
    return any(_lemma(t) in words["streets"] for t in before[-2:])


def _named_after(token: Token, sentence: SpacySpan) -> bool:
    """'в столице Татарстана Казани': the capital is named right after; the name is the place."""
    following = sentence.doc[token.i + 1: min(token.i + 4, sentence.end)]
    return any(t.ent_type_ == "LOC" for t in following[1:]) or (
        len(following) > 0 and following[0].ent_type_ == "LOC"
        and not _place_words()["countries"].get(_lemma(following[0])))


def _capital_country(token: Token, sentence: SpacySpan, words: dict) -> str | None:
    """'столице Грузии' (a genitive after it), 'узбекской столице' (an adjective before it)."""
    for neighbour in [*token.children, *sentence.doc[token.i + 1: token.i + 3]]:
        code = words["countries"].get(_lemma(neighbour)) or words["adjectives"].get(_lemma(neighbour))
        if code:
            return code
    return None


def report_countries_ru(doc: SpacyDoc, gazetteer: Gazetteer) -> tuple[str, ...]:
    """The countries a report speaks of, most named first: country names, their adjectives, cities."""
    words = _place_words()
    counts: dict[str, int] = {}
    for token in doc:
        code = words["countries"].get(_lemma(token)) or words["adjectives"].get(_lemma(token))
        if code:
            counts[code] = counts.get(code, 0) + 1
    for entity in doc.ents:
        if entity.label_ == "LOC":
            lemma = " ".join(_lemma(t) for t in entity)
            place = gazetteer.cyrillic_city([entity.text, lemma], None, entity.text, tuple(counts))
            if place is not None and place.country:
                counts[place.country] = counts.get(place.country, 0) + 1
    return tuple(sorted(counts, key=lambda c: -counts[c]))


# -- actors and demands ----------------------------------------------------------------------------
def _state_actors(sentence: SpacySpan) -> list[Actor]:
    kinds = _state_words()
    out, seen = [], set()
    for token in sentence:
        kind = kinds.get(_lemma(token))
        if kind and _lemma(token) not in seen:
            seen.add(_lemma(token))
            out.append(Actor(name=token.text, role="perpetrator", kind=kind,
                             span=Span(token.idx, token.idx + len(token.text), token.text)))
    return out


def _demands(sentence: SpacySpan) -> list[Demand]:
    cue, categories = _demand_words()
    if not cue.search(sentence.text):
        return []
    span = Span(sentence.start_char, sentence.end_char, sentence.text)
    return [Demand(name, sentence.text.strip(), span) for name, pattern in categories if pattern.search(sentence.text)]


# -- the report ------------------------------------------------------------------------------------
def extract_mentions_ru(document: Document, doc: SpacyDoc, gazetteer: Gazetteer) -> list[Mention]:
    quotes = quoted_ranges(document.text)
    # a dateline and the first sentence may come as one ('Ош, 3 мая 2024 года В Оше ...'):
    # a sentence counts when it reaches into the body
    sentences = [s for s in doc.sents if s.end_char > document.body_start and s.start_char < document.body_stop
                 and s.text.strip()]
    home = report_countries_ru(doc, gazetteer)
    anchor = document.published or _dateline_day(sentences)
    read = [(s, find_dates_ru(s.text, s.start_char, anchor),
             sentence_places_ru(s, gazetteer, home)) for s in sentences]
    lead_date = next((d for _, dates, _ in read[:3] for d in dates), None) or _undated_report(document, read)
    lead_place = next((p for _, _, places in read for p in places if p.precision == "city"), None)
    context_date: DateValue | None = None
    context_place: Place | None = None
    mentions: list[Mention] = []
    for sentence, dates, places in read:
        triggers = [t for t in find_triggers_ru(sentence) if not inside(quotes, t[2].start, t[2].end)]
        cities = [p for p in places if p.precision == "city"]
        if triggers:
            counts = find_counts_ru(sentence, {head.i: event_type for event_type, head, _ in triggers},
                                    [(d.span.start, d.span.end) for d in dates if d.span])
            actors, demands = _state_actors(sentence), _demands(sentence)
            seen: set[tuple[str, str]] = set()
            for event_type, head, span in triggers:
                date = _nearest(dates, head) or context_date or lead_date
                for place in (cities or places or [context_place or lead_place]):
                    key = (event_type, place.key() if place else "-")
                    if key in seen:
                        continue
                    seen.add(key)
                    own = _counts_for(place, cities, counts)
                    mentions.append(_mention(document, sentence, event_type, span, date, place, own, actors,
                                             demands, source_date="sentence" if dates else "context",
                                             source_place="sentence" if places else "context"))
        if dates:
            context_date = dates[-1]
        if cities:
            context_place = cities[-1]
    return mentions


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
    """Without a publication date, the full date the report's opening states ('Ош, 3 мая 2024 года') is
    what its days without a year and its 'вчера' are read against."""
    for sentence in sentences[:2]:
        for value in find_dates_ru(sentence.text, sentence.start_char, None):
            if value.precision == "day" and value.start is not None:
                return value.start
    return None


def _undated_report(document: Document, read: list) -> DateValue | None:
    """A report whose body names no day: its headline's ('Сегодня в Гродно ...'), else, when the body
    names no date at all, the day it was published (a same-day news item told in the present tense)."""
    if document.title:
        titled = find_dates_ru(document.title, 0, document.published)
        if titled:
            return DateValue(**{**titled[0].__dict__, "span": None})
    if document.published is not None and not any(dates for _, dates, _ in read):
        day = document.published
        return DateValue(day, day, "day", year=day.year, month=day.month, day=day.day)
    return None


def _nearest(dates: list[DateValue], head: Token) -> DateValue | None:
    """The sentence's date nearest the trigger, preferring those that date the clause over those that
    date another noun ('после референдума 9 марта' dates the referendum, not the rally)."""
    own = [d for d in dates if not _dates_another_noun(d, head)]
    if not own:
        return None  # every date of the sentence dates something else: the happening's comes from the report
    return min(own, key=lambda d: abs((d.span.start if d.span else 0) - head.idx))


def _dates_another_noun(value: DateValue, head: Token) -> bool:
    """'после референдума 9 марта', 'депутатов, избранных 9 марта': on the way up from the date to
    the clause it belongs to, a noun other than a trigger word (or a participle or relative clause of one)."""
    if value.span is None:
        return False
    words = head.doc.char_span(value.span.start, value.span.end, alignment_mode="expand")
    if words is None:
        return False
    triggers = _rules()["by_lemma"]
    current = words.root
    for _ in range(6):
        parent = current.head
        if parent is current or parent.i == head.i or _lemma(parent) in triggers:
            return False
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
    )
