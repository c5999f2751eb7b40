"""Which of a sentence's places a clause's happening took place in: a country named in passing ('which
borders Bolivia') is not one; a relative clause tells of its own place ('in Osh and in Naryn, where
police shot a protester')."""

from __future__ import annotations

from functools import cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.date_attachment import clause_verb
from protestwatch.extract.gazetteer_tables import km_between
from protestwatch.extract.sentence_places import stands_for_other_places
from protestwatch.lang import load
from protestwatch.records import Place, Span


def named_in_passing(place: Place, sentence: SpacySpan, home: set[str], language: str) -> bool:
    """A foreign country the sentence names other than as where something is ('the region, which borders
    Bolivia', 'a UK-based group', 'inflation driven by the war in Ukraine' beside a Mongolian protest):
    not where the report's happening is. A country is where it happens after a place preposition ('in
    Russia', 'across Spain', 'in Russia's far east'). `home`: the country the report names most and the
    countries of the cities it has named, which are always kept."""
    if place.precision != "country" or place.span is None or not home or place.country in home:
        return False
    named = sentence.doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    if named is None:
        return False
    token = named.root
    if token.dep_ in ("poss", "compound") and token.head.dep_ == "pobj":
        token = token.head  # "in Russia's far east"
    prepositions = _place_prepositions(language)
    if token.dep_ == "pobj" and token.head.lower_ in prepositions and not _inside_relative_clause(token):
        return False
    return True


def places_of_clause(places: list[Place], head, same_kind: tuple = ()) -> list[Place]:
    """The places of the clause a trigger stands in: in 'rallies in Osh and in Naryn, where police shot a
    protester' the shooting is Naryn's. A 'where' clause closes on the nearest place before it, whatever
    the parser hung it from ('the towns of Osh and Naryn, where ...' is Naryn); another relative clause
    on the place it hangs from. `same_kind`: the heads of the sentence's other words for the same kind of
    happening ('protesters in Almaty marched as thousands rallied in Minsk': both cities' protests)."""
    roots = _place_roots(places, head.doc)
    holder = _place_above(head, roots)
    if holder is not None:
        return [holder]  # 'Tashkent, the scene of the largest rallies': the happening is told of that place
    # 'in Samarkand, a day's drive from Tashkent', 'Khorog, near the border with Afghanistan': a place told
    # where another place lies is not where the happening was ('Petare, in Caracas' is Caracas too)
    described = {id(p) for p, root in roots if _lies_near(p, _place_above(root, roots, relative=True))}
    places = [p for p in places if id(p) not in described]
    current = head
    for _ in range(6):
        if current.dep_ == "relcl":
            if any(c.dep_ == "advmod" and c.lower_ == "where" for c in current.children):
                opens = current.left_edge.idx
                before = [p for p in places if p.span is not None and p.span.end <= opens]
                own = [max(before, key=lambda p: p.span.end)] if before else []
            else:
                antecedent = current.head
                own = [p for p in places if p.span is not None and p.span.start <= antecedent.idx < p.span.end]
            return own or places
        if current.head.i == current.i:
            break
        current = current.head
    return _of_own_clause(places, head, same_kind)


def _place_roots(places: list[Place], doc) -> list[tuple[Place, Token]]:
    """Each place the sentence names beside the word its name hangs from."""
    out = []
    for place in places:
        words = doc.char_span(place.span.start, place.span.end, alignment_mode="expand") if place.span else None
        if words is not None:
            out.append((place, words.root))
    return out


# the links of a noun phrase hung on a place ('X, the scene of ...', 'X, a day's drive from Y'); a verb, a
# conjunct or a relative clause ends it
_PHRASE_LINKS = ("appos", "prep", "pobj", "poss", "compound", "nmod", "amod")


# places a report sets beside each other ('a day's drive from') lie in one country within this distance;
# farther apart, the gazetteer has taken one of them for a namesake, and neither is dropped
_NEAR_KM = 800


def _lies_near(place: Place, other: Place | None) -> bool:
    if other is None or place.country != other.country:
        return False
    if None in (place.lat, place.lon, other.lat, other.lon):
        return False
    return km_between(place.lat, place.lon, other.lat, other.lon) <= _NEAR_KM


def _place_above(token: Token, roots: list[tuple[Place, Token]], relative: bool = False) -> Place | None:
    """The place whose noun phrase a noun is told in, through appositions and prepositions only.
    `relative`: only through a preposition of relative position ('from', 'near'), not of containment."""
    current = token
    positioned = False
    compass = _compass_words(token.doc.lang_)
    for _ in range(8):
        # '20 km east of X', 'north of X': a compass word with no article of its own places one town from another
        # ('in the east of X' is inside X)
        bearing = current.lower_ in compass and not any(c.dep_ == "det" for c in current.children)
        if current.pos_ in ("VERB", "AUX") or current.head.i == current.i or not (
                current.dep_ in _PHRASE_LINKS or (bearing and current.dep_ in ("advmod", "npadvmod"))):
            return None
        positioned = positioned or (current.dep_ == "prep" and (
            current.lower_ in _relative_prepositions(token.doc.lang_)
            or (current.lower_ == "of" and current.head.lower_ in compass
                and not any(c.dep_ == "det" for c in current.head.children))))
        current = current.head
        if relative and not positioned:
            continue
        found = next((p for p, root in roots if root.i == current.i), None)
        if found is not None:
            return found
    return None


@cache
def _relative_prepositions(language: str) -> frozenset[str]:
    return frozenset(load("place_words", language).get("relative_position", ()))


@cache
def _compass_words(language: str) -> frozenset[str]:
    return frozenset(load("place_words", language).get("compass_words", ()))


# verbs that head no clause of their own: 'cities including Omsk', 'towns hit by the strike'
_NOT_CLAUSES = ("aux", "auxpass", "prep", "acl", "amod", "pcomp", "pobj")


def _of_own_clause(places: list[Place], head, same_kind: tuple) -> list[Place]:
    """'In Almaty police detained 50 people, while in other cities police dispersed the crowds': a place
    named in a clause that tells another happening (coordinated with the happening's own, set against it, or
    beside it) is not this happening's; one told as its circumstance ('were killed as assailants threw a bomb
    in Gaurnadi', 'caught fire when pickets ...') is. A happening whose clauses name no place keeps all the
    sentence's."""
    own = [clause_verb(h, _NOT_CLAUSES) for h in (head, *same_kind)]
    doc = head.doc
    contrasts = _contrast_marks(head.doc.lang_)
    mine = []
    for place in places:
        words = doc.char_span(place.span.start, place.span.end, alignment_mode="expand") if place.span else None
        if words is None:
            continue
        clause = clause_verb(words.root, _NOT_CLAUSES)
        if any(clause.i == c.i or not _separate(clause, c, contrasts) for c in own):
            mine.append(place)
    if all(p.precision == "country" and not stands_for_other_places(p, head.doc.lang_) for p in mine):
        # 'bombs exploded in Narayanganj and vehicles were vandalised as part of the nationwide blockade': a
        # country that qualifies the clause is no place set against the other clause's city
        return places
    return mine


def _separate(a, b, contrasts: frozenset[str]) -> bool:
    """Whether two clauses tell two happenings: coordinated ('rallied in Osh, and police detained five in
    Naryn'), set against each other ('while in other cities ...') or side by side (';')."""
    if a.i == b.i:
        return False
    for x, y in ((a, b), (b, a)):
        if x.head.i == y.i and x.dep_ in ("conj", "parataxis"):
            return True
        if x.head.i == y.i and x.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in contrasts for c in x.children):
            return True
    return a.dep_ == "conj" and b.dep_ == "conj" and a.head.i == b.head.i


@cache
def _contrast_marks(language: str) -> frozenset[str]:
    return frozenset(load("triggers", language).get("contrast_marks", ()))




def _inside_relative_clause(token) -> bool:
    """'the Puno region, which borders Bolivia': what a relative clause says describes a noun."""
    current = token
    for _ in range(6):
        if current.dep_ in ("relcl", "acl"):
            return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False


@cache
def _place_prepositions(language: str) -> frozenset[str]:
    return frozenset(load("triggers", language)["place_prepositions"])


def other_places(listed: list[Place], named: list[Place], phrase: Span) -> list[Place]:
    """'In Almaty police detained 50 people, while in other cities police dispersed the crowds' after a list
    of cities: the cities of the list (`listed`, the last sentence that named any) that the sentence does not
    name (`named`), each told by the phrase. None when no list of two or more cities was given."""
    cities = [p for p in listed if p.precision == "city"]
    if len(cities) < 2:
        return []
    own = {p.key() for p in named}
    return [Place(**{**city.__dict__, "span": phrase, "text": phrase.text}) for city in cities if city.key() not in own]
