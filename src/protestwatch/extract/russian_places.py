"""Where, in Russian: the NER's LOC spans looked up by their form and lemma among the Cyrillic names of
GeoNames cities ('в Оше', 'из Алма-Аты'), streets and squares told apart from cities of the same name,
a country only where the clause happens in it, and the capital phrases ('в столице Грузии', 'в узбекской
столице'). Words from lang/ru/places.yaml."""

from __future__ import annotations

from functools import cache

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.clause_places import other_places
from protestwatch.extract.date_attachment import clause_verb
from protestwatch.extract.places import Gazetteer
from protestwatch.extract.russian_triggers import lemma_of, trigger_lemmas
from protestwatch.extract.text import entities_in
from protestwatch.lang import load
from protestwatch.records import Place, Span


@cache
def _place_words() -> dict:
    spec = load("places", "ru")
    return {"countries": spec["countries"], "adjectives": spec["adjectives"],
            "capital": frozenset(spec["capital_words"]), "streets": frozenset(spec["street_words"]),
            "prepositions": frozenset(spec["place_prepositions"]), "parts": frozenset(spec["country_parts"]),
            "country_phrases": spec["country_phrases"], "street_min": spec["street_city_min_population"],
            # longest ending first: 'Карагандой' is tried as -ой before -й
            "endings": sorted(spec["case_endings"].items(), key=lambda item: -len(item[0])),
            "plural_adjectives": spec["plural_adjective_endings"],
            "others": frozenset(spec["other_words"]), "settlements": frozenset(spec["settlement_words"])}


def nominative_guesses(name: str) -> list[str]:
    """The name with its last word's case ending put back to the nominative in each way Russian allows:
    'Кызылорде' -> 'Кызылорда', 'Кызылордя', 'Кызылорд'."""
    words = _place_words()
    *before, last = name.split(" ")
    for ending, replacements in words["endings"]:
        if last.lower().endswith(ending) and len(last) > len(ending) + 2:
            if ending.endswith("х"):  # a plural: its adjectives are plural too ('Набережных' -> 'Набережные')
                before = [_replace_ending(word, words["plural_adjectives"]) for word in before]
            return [" ".join([*before, last[: -len(ending)] + replacement]) for replacement in replacements]
    return []


def _replace_ending(word: str, endings: dict[str, str]) -> str:
    return next((word[: -len(old)] + new for old, new in endings.items() if word.lower().endswith(old)), word)


# -- places --------------------------------------------------------------------------------------
def sentence_places_ru(sentence: SpacySpan, gazetteer: Gazetteer, home: tuple[str, ...]) -> list[Place]:
    """Cities named in the sentence (the NER's LOC spans, looked up by their form and lemma), the capital
    ('в столице Грузии', 'в узбекской столице'), or a country when no city is named."""
    words = _place_words()
    cities: list[Place] = []
    countries: list[Place] = []
    for entity in entities_in(sentence):
        if entity.label_ != "LOC":
            continue
        span = Span(entity.start_char, entity.end_char, entity.text)
        lemma = " ".join(lemma_of(t) for t in entity)
        code = words["countries"].get(lemma) or words["countries"].get(entity.text.lower())
        if code:
            if code in gazetteer.countries and _where_it_happens(entity, words):
                countries.append(gazetteer.country_place(code, entity.text, span))
            continue
        place = gazetteer.cyrillic_city([entity.text, lemma, lemma.replace(" - ", "-"), *nominative_guesses(entity.text)],
                                        span, entity.text, home)
        if place is None or (_street(entity, words) and not (
                "Gen" in entity.root.morph.get("Case") and gazetteer.population(place.geonames_id) >= words["street_min"])):
            continue  # 'на площади Ош', 'площадь Победы': a street or square; 'на улицы Гродно': the city
        if all(p.key() != place.key() for p in cities):
            cities.append(place)
    lowered = sentence.text.lower()
    if not cities and home and home[0] in gazetteer.countries and any(p in lowered for p in words["country_phrases"]):
        countries.append(gazetteer.country_place(home[0], sentence.text[:0], None))
    for token in sentence:
        if lemma_of(token) in words["capital"] and not _named_after(token, sentence):
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
    if root.dep_ == "nmod" and lemma_of(root.head) in words["parts"]:
        return True
    governed = any(lemma_of(c) in words["prepositions"] for c in root.children)
    return governed and (root.dep_ != "nmod" or lemma_of(root.head) in trigger_lemmas())


def _street(entity: SpacySpan, words: dict) -> bool:
    """'на площади Ош', 'по проспекту Мира', 'у стадиона Динамо': a part of a city named like a place."""
    doc = entity.doc
    before = [t for t in doc[max(entity.start - 3, 0): entity.start] if not t.is_punct]
    return any(lemma_of(t) in words["streets"] for t in before[-2:])


def _named_after(token: Token, sentence: SpacySpan) -> bool:
    """'в столице Татарстана Казани': the capital is named right after; the name is the place."""
    following = sentence.doc[token.i + 1: min(token.i + 4, sentence.end)]
    return any(t.ent_type_ == "LOC" for t in following[1:]) or (
        len(following) > 0 and following[0].ent_type_ == "LOC"
        and not _place_words()["countries"].get(lemma_of(following[0])))


def _capital_country(token: Token, sentence: SpacySpan, words: dict) -> str | None:
    """'столице Грузии' (a genitive after it), 'узбекской столице' (an adjective before it)."""
    for neighbour in [*token.children, *sentence.doc[token.i + 1: token.i + 3]]:
        code = words["countries"].get(lemma_of(neighbour)) or words["adjectives"].get(lemma_of(neighbour))
        if code:
            return code
    return None


def report_countries_ru(doc: SpacyDoc, gazetteer: Gazetteer) -> tuple[str, ...]:
    """The countries a report speaks of, most named first: country names, their adjectives, cities."""
    words = _place_words()
    counts: dict[str, int] = {}
    for token in doc:
        code = words["countries"].get(lemma_of(token)) or words["adjectives"].get(lemma_of(token))
        if code:
            counts[code] = counts.get(code, 0) + 1
    for entity in doc.ents:
        if entity.label_ == "LOC":
            lemma = " ".join(lemma_of(t) for t in entity)
            place = gazetteer.cyrillic_city([entity.text, lemma], None, entity.text, tuple(counts))
            if place is not None and place.country:
                counts[place.country] = counts.get(place.country, 0) + 1
    return tuple(sorted(counts, key=lambda c: -counts[c]))


def places_of_clause_ru(places: list[Place], head: Token) -> list[Place]:
    """'В Оше прошла акция, а в Бишкеке полиция задержала пятерых': each happening is at the city of its own
    clause. A happening whose clause names no city keeps all the sentence's."""
    own = clause_verb(head)
    doc = head.doc
    mine = []
    for place in places:
        words = doc.char_span(place.span.start, place.span.end, alignment_mode="expand") if place.span else None
        if words is not None and clause_verb(words.root).i == own.i:
            mine.append(place)
    return mine or places


def other_cities_of_clause_ru(head: Token, listed: list[Place], named: list[Place]) -> list[Place]:
    """'Только в Уральске акцию разрешили, в других городах полиция применила силу' after a sentence that
    listed the cities: a happening whose own clause says 'в других городах' is at the list's other cities
    (clause_places.other_places); none when its clause does not say so or no list was given."""
    words = _place_words()
    own = clause_verb(head)
    for token in head.sent:
        if lemma_of(token) in words["settlements"] and clause_verb(token).i == own.i:
            other = next((c for c in token.children if lemma_of(c) in words["others"]), None)
            if other is not None:
                start, end = min(other.idx, token.idx), max(other.idx + len(other.text), token.idx + len(token.text))
                return other_places(listed, named, Span(start, end, token.doc.text[start:end]))
    return []
