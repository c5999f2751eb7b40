"""Place names in a parsed sentence, before any lookup: the names the NER missed or cut ('in Sialkot
city', 'Los Angeles Tetela', 'Ludhiana citizens'), institutions named after their town ('the Larkana Press
Club'), and what a name's position says of it: one end of a route ('the Khulna-Jessore highway'), where
people came from ('had come from Lima'), a part of a named place ("Beirut's Hamra district"), a town's
bracketed address. The sentence_places stage asks the gazetteer about these candidates.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.lang import load


@cache
def _words(language: str = "en") -> dict[str, frozenset[str]]:
    """The place rules' word lists (lang/<language>/place_words.yaml)."""
    return {key: frozenset(value) for key, value in load("place_words", language).items()}


def origin_word(sentence: SpacySpan, start_char: int) -> bool:
    """Whether the name at `start_char` says where people or goods came from ('citizens that had come
    from Lima', 'trucks coming from Bangladesh'); not the start of a march ('set out from Beirut')."""
    doc = sentence.doc
    span = doc.char_span(start_char, start_char + 1, alignment_mode="expand")
    if span is None or span.start <= sentence.start or doc[span.start - 1].lower_ != "from":
        return False
    return doc[span.start - 1].head.lemma_.lower() in _words()["arrival_verbs"]


def in_route_compound(text: str, start: int, end: int) -> bool:
    """Whether a name is one end of a route ('the Khulna-Jessore highway', 'the Mumbai-Barwani stretch');
    'Zagreb-Tresnjevka' (a district of Zagreb) is not."""
    if not ((start > 0 and text[start - 1] == "-") or (text[end:end + 1] == "-" and text[end + 1:end + 2].isupper())):
        return False
    compound_end = end
    while compound_end < len(text) and not text[compound_end].isspace():
        compound_end += 1
    following = text[compound_end:compound_end + 30].split()
    return bool(following) and following[0].lower().strip(".,;") in _words()["route_words"]


_BRACKET = re.compile(r"\(([^()]*)\)")


def bracketed_addresses(sentence: SpacySpan, text: str) -> list[tuple[int, int]]:
    """Character ranges of brackets written right after a town or village ('Badah town (Larkana, Sindh)').
    `text` is the document's text, whose offsets are the parse's."""
    doc, out = sentence.doc, []
    for match in _BRACKET.finditer(text, sentence.start_char, sentence.end_char):
        opening = doc.char_span(match.start(), match.start() + 1)
        if opening is None or opening.start <= sentence.start:
            continue
        # a town or village of its own; 'Al Dahra (Tripoli)' and 'Craiter district (Aden)' are in the city
        if doc[opening.start - 1].lower_ in _words()["bracketed_settlements"]:
            out.append((match.start(1), match.end(1)))
    return out


def after_place_preposition(sentence: SpacySpan, i: int, language: str) -> bool:
    return i > sentence.start and sentence.doc[i - 1].lower_ in load("triggers", language)["place_prepositions"]


def part_of_named_place(sentence: SpacySpan, i: int) -> bool:
    """Whether token i follows a place name and "'s" ("Beirut's Hamra district"): a part of that place."""
    doc = sentence.doc
    return (i - 2 >= sentence.start and doc[i - 1].lower_ in ("'s", "’s")
            and doc[i - 2].ent_type_ in ("GPE", "LOC"))


def longer_name(sentence: SpacySpan, entity: SpacySpan) -> SpacySpan | None:
    """The longer proper name an entity is cut from ('Los Angeles' of "Los Angeles Tetela", 'San
    Martin' of "San Martin Texmelucan de Labastida"), if a name goes on right after it."""
    doc = sentence.doc
    end = entity.end
    if end >= sentence.end or doc[end - 1].whitespace_ == "" or doc[end - 1].lower_ in ("'s", "\u2019s") \
            or doc[end].ent_type_ in ("DATE", "TIME"):
        return None
    if doc[end].lower_ in _words()["settlement_words"] or not _name_word(doc, end, sentence, step=1):
        return None
    while end < sentence.end and end - entity.end < 5 and _name_word(doc, end, sentence, step=1):
        end += 1
    return doc[entity.start:end]


def _example_of_settlements(word: Token) -> bool:
    """'including' in 'other cities including X', 'as' in 'towns such as X'."""
    if word.lower_ not in _words()["example_words"] or word.head.i == word.i:
        return False
    if word.lower_ == "as" and not (word.i > 0 and word.doc[word.i - 1].lower_ == "such"):
        return False
    return word.head.lemma_.lower() in _words()["settlement_words"]


def untagged_place_names(sentence: SpacySpan, language: str) -> list[tuple[SpacySpan, str]]:
    """Proper names after 'in', 'at', 'near' that the NER missed or mislabelled ('protested in
    Sialkot city' with Sialkot tagged PERSON): candidates for the gazetteer, never places by themselves.
    Each comes with its evidence: "settlement" ('in Sialkot city', 'the town of Atareb'), "parse" (the
    object of the preposition, or of 'areas of'), "address" (a name before an address that must confirm
    it: 'Redeyef (Gafsa)'), "position" (right after 'in', where the parse disagrees)."""
    prepositions = set(load("triggers", language)["place_prepositions"])
    residents = set(load("triggers", language)["resident_nouns"])
    of_heads = set(load("triggers", language)["place_of_heads"]) | residents
    heads = prepositions | {"of"} | _words()["example_words"]
    doc = sentence.doc
    out = []
    for token in sentence:
        if token.dep_ != "pobj" or token.head.lower_ not in heads:
            continue
        # "in Sialkot", or "in Payyoli town" where the head word is the common noun
        settlement = token.lower_ in _words()["settlement_words"] and token.i > sentence.start and _settlement_name(doc[token.i - 1])
        # "the town of Kafr Qaddum", "the village of Atareb"
        settlement = settlement or (token.pos_ == "PROPN" and token.head.lower_ == "of"
                                    and token.head.head.lower_ in _words()["settlement_words"])
        # "in other cities including Karaganda", "towns such as Osh": the examples of a settlement word
        settlement = settlement or (token.pos_ == "PROPN" and _example_of_settlements(token.head))
        # "several areas of Bamako", "the Nima community of Accra": a place, but weaker evidence
        of_place = token.head.lower_ == "of" and (token.head.head.lower_ in of_heads
                                                  or token.head.head.lemma_.lower() in of_heads)
        people = of_place and token.head.head.lower_ in residents
        if not (token.pos_ == "PROPN" or settlement):
            continue
        if token.head.lower_ == "of" and not (settlement or (of_place and token.pos_ == "PROPN")):
            continue  # "the release of Ablyazov": 'of' names places only as "of Bhopal city", "areas of Bamako"
        if token.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC"):
            continue
        if not settlement and doc[token.i - 1].pos_ == "DET":
            continue  # "stones at the Police": a settlement's name takes no article
        start = _name_start(doc, token.i, sentence)
        if start == token.i and token.lower_ in _words()["settlement_words"]:
            start = _name_start(doc, token.i - 1, sentence)  # "Radhan town", Radhan tagged as an adjective
        evidence = "settlement" if settlement else ("people" if people else "of" if of_place else "parse")
        out.append((doc[start: token.i + 1], evidence))
        # "Patto-Panjim", "Mira-Bhayander": when the whole is unknown, the part after the hyphen
        hyphens = [k for k in range(start, token.i) if doc[k].text == "-" and not doc[k].whitespace_]
        if hyphens:
            out.append((doc[hyphens[-1] + 1: token.i + 1], evidence))
    # "in the capital, Dushanbe,", "near the town, Khorog": a name set off by a comma after a word for a town
    # that a place preposition governs is that town (a name after a district or a province word is more often
    # its address; "the mayor of the capital, X" says whose mayor, not where)
    towns = _words()["town_words"] | set(load("triggers", language)["capital_nouns"])
    for token in sentence:
        if not (token.dep_ == "appos" and token.pos_ == "PROPN" and token.head.lemma_.lower() in towns
                and token.head.dep_ == "pobj" and token.head.head.lower_ in prepositions):
            continue
        start = _name_start(doc, token.i, sentence)
        if start > sentence.start and doc[start - 1].text == "," and doc[start - 2].i == token.head.i \
                and token.ent_type_ not in ("DATE", "TIME", "GPE", "LOC", "FAC") \
                and all(not (c.start <= token.i < c.end) for c, _ in out):
            out.append((doc[start:token.i + 1], "settlement"))
    # "Ludhiana citizens", "Avadi residents": the name of the people's place, whatever the NER calls it
    for token in sentence:
        if token.dep_ == "compound" and token.head.lower_ in residents and token.head.i == token.i + 1 \
                and _name_word(doc, token.i, sentence, -1) and token.ent_type_ not in ("DATE", "TIME", "GPE", "LOC", "FAC") \
                and all(not (c.start <= token.i < c.end) for c, _ in out):
            out.append((doc[_name_start(doc, token.i, sentence):token.i + 1], "people"))
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
    # A fronted place, "In Rusape, angry residents ...", whatever the tagger made of the name
    first = sentence.start
    if sentence.end - first > 3 and doc[first].lower_ in prepositions and doc[first + 1].text[:1].isupper() \
            and doc[first + 1].ent_type_ not in ("DATE", "TIME", "GPE", "LOC", "FAC") \
            and doc[first + 2].text == "," and all(not (c.start <= first + 1 < c.end) for c, _ in out):
        out.append((doc[first + 1:first + 2], "position"))
    return out


def _settlement_name(token) -> bool:
    """Whether a token before 'town', 'village', ... is its name: a proper noun, or a capitalised word
    the tagger took for a nationality ('Radhan town')."""
    return token.text[:1].isupper() and (token.pos_ == "PROPN" or token.ent_type_ == "NORP")


def institution_towns(sentence: SpacySpan, language: str) -> list[SpacySpan]:
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
                # the whole name first, then without its leading words ("JI Karachi Chapter")
                out.extend(doc[start:i] for start in range(_name_start(doc, i - 1, sentence), i))
    return out


@cache
def _institution_heads(language: str) -> dict[str, list[tuple[str, ...]]]:
    """The institution phrases by their first word (one pass over a sentence finds them all)."""
    heads: dict[str, list[tuple[str, ...]]] = {}
    for phrase in load("triggers", language)["institution_heads"]:
        words = tuple(phrase.split())
        heads.setdefault(words[0], []).append(words)
    return heads


def _name_start(doc, i: int, sentence: SpacySpan) -> int:
    """The first token of the place name that ends with token i ('Huejutla de Reyes'; 'KwaZulu-Natal', not
    the Natal of it)."""
    while i - 1 >= sentence.start:
        if _name_word(doc, i - 1, sentence, step=-1):
            i -= 1
        elif i - 2 >= sentence.start and doc[i - 1].text == "-" and not doc[i - 1].whitespace_ \
                and not doc[i - 2].whitespace_ and _name_word(doc, i - 2, sentence, step=-1):
            i -= 2
        else:
            break
    return i


def _name_word(doc, i: int, sentence: SpacySpan, step: int) -> bool:
    """Whether token i continues a place name read in direction `step`: a capitalised proper noun,
    or a connector between two of them ('Huejutla de Reyes', 'Santiago de Cuba')."""
    token = doc[i]
    if token.pos_ == "PROPN" and token.text[:1].isupper():
        return True
    beyond = i + step
    return (token.lower_ in _words()["name_connectors"] and sentence.start <= beyond < sentence.end
            and _name_word(doc, beyond, sentence, step))


def coordinated_names(sentence: SpacySpan, place_spans: list) -> list[SpacySpan]:
    """Proper names coordinated with a place the sentence names ('Bordeaux, Rennes and Nantes'), each with
    the proper nouns compounded before it; not the places themselves."""
    doc = sentence.doc
    taken = [(s.start, s.end) for s in place_spans]
    out: list[SpacySpan] = []
    for span in place_spans:
        named = doc.char_span(span.start, span.end, alignment_mode="expand")
        if named is None:
            continue
        for token in named.root.conjuncts:
            if token.pos_ != "PROPN" or not (sentence.start <= token.i < sentence.end):
                continue
            start = token.i
            while start > sentence.start and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN":
                start -= 1
            member = doc[start:token.i + 1]
            if any(a <= member.start_char and member.end_char <= b for a, b in taken) or \
                    any(m.start == member.start for m in out):
                continue
            out.append(member)
    return out


def capital_references(sentence: SpacySpan, language: str) -> list[tuple[SpacySpan, SpacySpan]]:
    """'Mongolia's capital', 'the Kazakh capital', 'the capital of Togo': (the capital noun phrase, the
    country's word) where the capital is not named beside it ('the capital Khartoum' names it)."""
    nouns = set(load("triggers", language)["capital_nouns"])
    doc = sentence.doc
    out = []
    for token in sentence:
        if token.pos_ != "NOUN" or token.lemma_.lower() not in nouns:
            continue
        following = doc[token.i + 1] if token.i + 1 < sentence.end else None
        if following is not None and (following.pos_ == "PROPN" or following.text == ","):
            continue  # "the capital Khartoum", "the capital, Lome": the name is there
        if any(c.dep_ == "appos" for c in token.children):
            continue
        country = None
        for child in token.children:
            if child.dep_ in ("poss", "amod", "compound") and child.pos_ in ("PROPN", "ADJ", "NOUN"):
                country = child
            elif child.dep_ == "prep" and child.lower_ == "of":
                country = next((g for g in child.children if g.dep_ == "pobj"), None)
        if country is not None:
            start = min(t.i for t in token.subtree if t.i <= token.i)
            out.append((doc[start:token.i + 1], doc[country.i:country.i + 1]))
    return out
