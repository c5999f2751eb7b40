"""How many: crowd sizes and numbers of people detained, kept as ranges with the phrase.

"roughly 50" -> 45..55 (+/- 10 %, rounded outward), "dozens" -> 24..99, "about a dozen" -> 10..14,
"an unspecified number" -> 1..unknown. The table and the tolerance are data: lang/en/quantities.yaml.
Which count a number is (participants, detained, targeted) is read off the parse: the trigger that
governs the counted noun decides.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.text import doc_text
from protestwatch.lang import load
from protestwatch.records import Count, Place, Span
from protestwatch.schema.taxonomy import CROWD_TYPES

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand"
)
_GROUP_SPACE = "[ \u00a0\u202f]"  # a space, no-break space or narrow no-break space between digit groups


@dataclass
class _Grammar:
    pattern: re.Pattern
    vague: dict[str, tuple[int | None, int | None]]
    tolerance: float
    people: frozenset[str]
    places: frozenset[str]  # what a number may count that is never people ('70 towns')
    bounds: dict[str, str]  # approx word -> how it bounds the number (quantities.yaml approx_bounds)


@cache
def quantity_grammar(language: str = "en") -> _Grammar:
    spec = load("quantities", language)
    vague = {k.lower(): (v[0], v[1]) for k, v in spec["vague"].items()}
    vague_alt = "|".join(re.escape(k) for k in sorted(vague, key=len, reverse=True))
    approx_alt = "|".join(re.escape(k) for k in sorted(spec["approx_words"], key=len, reverse=True))
    # 'three dozen' is 36, as '3 thousand' is 3000; thousands grouped by a comma or by a space ('1 060', the
    # house style of much of the world's press)
    # 'more than a thousand': the article stands for one
    number = rf"(?:\d{{1,3}}(?:(?:,|{_GROUP_SPACE}(?=\d{{3}}\b))\d{{3}})+|\d+(?:\.\d+)?(?:\s+(?:thousand|million|dozen))?|a\s+(?:hundred|thousand)|(?:{_NUMBER_WORDS})(?:[\s-](?:{_NUMBER_WORDS}))*(?:\s+dozen)?)"
    pattern = re.compile(
        rf"\b(?:(?P<approx>{approx_alt})\s+)?"
        rf"(?:(?P<vague>{vague_alt})|between\s+(?P<lo2>{number})\s+and\s+(?P<hi2>{number})|"
        rf"(?P<lo>{number})(?:\s*(?:-|\u2013|to)\s*(?P<hi>{number}))?)\b",
        re.IGNORECASE,
    )
    bounds = {word: kind for kind, words in spec["approx_bounds"].items() for word in words}
    return _Grammar(pattern, vague, float(spec["approx_tolerance"]), frozenset(spec["people_nouns"]),
                    frozenset(spec.get("place_nouns", ())), bounds)


def parse_number(text: str) -> int | None:
    text = re.sub(rf"(?<=\d){_GROUP_SPACE}(?=\d{{3}}\b)", "", text.lower().replace(",", "")).strip()
    if text.startswith("a "):
        text = "one " + text[2:]
    multiplier = 1
    for word, factor in (("million", 1_000_000), ("thousand", 1000), ("dozen", 12)):
        if text.endswith(" " + word):
            text, multiplier = text[: -len(word) - 1], factor
    try:
        return int(float(text) * multiplier)
    except ValueError:
        pass
    from word2number import w2n

    try:
        return w2n.word_to_num(text.replace("-", " ")) * multiplier
    except ValueError:
        return None


def quantity_range(match: re.Match, grammar: _Grammar) -> tuple[int | None, int | None] | None:
    approx = (match.group("approx") or "").lower()
    if match.group("vague"):
        phrase = match.group("vague").lower()
        full = f"{approx} {phrase}".strip()
        if full in grammar.vague:
            return grammar.vague[full]
        low, high = grammar.vague[phrase]
        bound = grammar.bounds.get(approx)
        if bound in ("above", "at_least") and low is not None:
            return (low + (bound == "above"), None)
        return low, high
    if match.group("lo2"):
        low, high = parse_number(match.group("lo2")), parse_number(match.group("hi2"))
        return (low, high) if low is not None and high is not None else None
    low = parse_number(match.group("lo"))
    if low is None:
        return None
    if match.group("hi"):
        high = parse_number(match.group("hi"))
        return (low, high) if high is not None and high >= low else None
    return _approximate(low, approx, grammar)


def _approximate(n: int, approx: str, grammar: _Grammar) -> tuple[int | None, int | None]:
    bounded = bound_range(n, grammar.bounds.get(approx), grammar.tolerance)
    if bounded is not None:
        return bounded
    if approx:
        # the epsilon keeps float noise (50 * 1.1 = 55.000000000000007) from widening the range
        return math.floor(n * (1 - grammar.tolerance) + 1e-9), math.ceil(n * (1 + grammar.tolerance) - 1e-9)
    return n, n


def bound_range(n: int, bound: str | None, tolerance: float) -> tuple[int | None, int | None] | None:
    """The range a bounding word gives a number (the language packs' approx_bounds kinds); None for none."""
    if bound == "above":
        return n + 1, None
    if bound == "at_least":
        return n, None
    if bound == "at_most":
        return None, n
    if bound == "below":
        return None, n - 1
    if bound == "just_below":
        return math.ceil(n * (1 - tolerance)), n
    return None


def lone_protest(head: Token, language: str = "en") -> Count | None:
    """A crowd of one, said by the protest's own form: 'a one-man picket', 'a lone protester', 'одиночный
    пикет'. The noun must be singular ('solo pickets', 'одиночные пикеты' are several people)."""
    if head.pos_ not in ("NOUN", "PROPN") or "Plur" in head.morph.get("Number") or head.tag_ in ("NNS", "NNPS"):
        return None
    lemmas, written = _lone_words(language)
    for modifier in head.children:
        if modifier.i < head.i and modifier.dep_ in ("amod", "compound", "nmod", "npadvmod") and (
                modifier.lemma_.lower() in lemmas  # 'одиночном пикете'
                or written.fullmatch(head.doc.text, modifier.left_edge.idx, modifier.idx + len(modifier))):
            start, end = modifier.left_edge.idx, head.idx + len(head)
            return Count(1, 1, Span(start, end, head.doc.text[start:end]))
    return None


@cache
def _lone_words(language: str) -> tuple[frozenset[str], re.Pattern]:
    """The lexicon's words, as lemmas and as written ('one-man' is three tokens, 'one - man')."""
    words = load("quantities", language).get("lone_protest", [])
    alternatives = "|".join(re.escape(w).replace(r"\-", r"\s*-\s*") for w in words) or r"(?!x)x"
    return frozenset(w.lower() for w in words), re.compile(rf"(?:{alternatives})", re.IGNORECASE)


@dataclass
class FoundCount:
    count: Count
    role: str  # participants | detained | targeted
    noun: Token


def quantities(sentence: SpacySpan, language: str = "en") -> Iterator[tuple[re.Match, tuple, int, int, list[Token]]]:
    """Every quantity of the sentence that may count people: (match, its range, start and end offsets in
    the document, its tokens); dates, times, money and the like are not ("On 2 June", "at 5 pm")."""
    grammar = quantity_grammar(language)
    for match in grammar.pattern.finditer(sentence.text):
        bounds = quantity_range(match, grammar)
        if bounds is None:
            continue
        start, end = sentence.start_char + match.start(), sentence.start_char + match.end()
        tokens = [t for t in sentence if t.idx < end and t.idx + len(t) > start]
        if tokens and not any(t.ent_type_ in NOT_HEADCOUNTS for t in tokens):
            yield match, bounds, start, end, tokens


SUBSET_WORDS = ("including", "among")  # "..., including three leaders": a part of the count told


def find_counts(sentence: SpacySpan, trigger_types: dict[int, str], language: str = "en") -> list[FoundCount]:
    """Counts of people in a sentence. `trigger_types` maps token index -> event type of triggers."""
    grammar = quantity_grammar(language)
    found: list[FoundCount] = []
    for match, bounds, start, end, tokens in quantities(sentence, language):
        last = _phrase_end(tokens)
        if _is_partitive(last):
            # "several of the protesters" is a subset of a crowd, never its size; but "police detained
            # 50 of the protesters" is how many were detained: the verb the number depends on decides
            role = _role(last, trigger_types)
            if role in ("detained", "targeted"):
                found.append(FoundCount(Count(bounds[0], bounds[1], Span(start, end, match.group(0))), role,
                                        last))
            continue
        noun = _counted_noun(last)
        if noun.dep_ == "pobj" and noun.head.lower_ in SUBSET_WORDS:
            continue  # "20 were arrested, including three leaders": a part of the count told, not a count
        if noun.lemma_.lower() in grammar.places:
            continue  # 'rallies in 70 towns': a count of places
        role = _role(noun, trigger_types)
        people = noun.lemma_.lower() in grammar.people or noun.lower_ in grammar.people
        # "30 employees held a protest", "450 pilgrims protested": any plural noun that does the protesting
        # "dozens of traders held a protest": the quantity word is the subject, the noun hangs from it
        # "a group of seven leaders staged a demonstration": the group noun is the subject
        group = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else noun
        acting = noun.tag_ in ("NNS", "NNPS") and (
            any(_subject_of_protest(t, trigger_types) for t in (noun, last, group))
            or role == "participants" or _right_before_protest_verb(noun, trigger_types))
        # "a mob of around 50", "a crowd of 5,000": the number counts the crowd noun it hangs from
        crowd_of = noun is last and _counts_a_crowd(noun, trigger_types)
        if acting:
            role = "participants"
        if role is None and not people:
            continue
        if not (people or acting or crowd_of):
            # "15 were injured and five detained", "five more were detained": a number that is itself the
            # subject of an arrest or an injury counts its victims
            patient = noun.pos_ == "NUM" and noun.dep_ in ("nsubj", "nsubjpass") and role in ("detained", "targeted")
            if noun.pos_ == "NUM" and not match.group("vague") and not patient:
                continue  # a bare number governed by a trigger ("arrested 3") is too ambiguous
            if noun is last and not match.group("vague") and not patient:
                continue
        role = role or "participants"
        if role == "participants" and bounds == (1, 1):
            continue  # 'one protester's sign read': one of the crowd, not its size (a lone protest is read apart)
        found.append(FoundCount(Count(bounds[0], bounds[1], Span(start, end, match.group(0))), role, noun))
    return found


def turnout(sentence: SpacySpan, language: str = "en") -> Count | None:
    """The size of a crowd told by a count of the people who gathered, attended or turned out ('at least
    500 people had gathered in the square'): the subject of a turnout verb (triggers.yaml)."""
    verbs = load("triggers", language)["protest"].get("turnout_verbs", ())
    single = {v for v in verbs if " " not in v}
    phrasal = {tuple(v.split(maxsplit=1)) for v in verbs if " " in v}
    for found in find_counts(sentence, {}, language):
        noun = found.noun
        group = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else noun
        subject = next((t for t in (noun, group) if t.dep_ == "nsubj"), None)
        if found.role != "participants" or subject is None:
            continue
        verb = subject.head
        lemma = verb.lemma_.lower()
        if lemma in single or any((lemma, c.lower_) in phrasal for c in verb.children if c.dep_ in ("prt", "dobj")):
            return found.count
    return None


def _phrase_end(tokens: list[Token]) -> Token:
    """The quantity's word that hangs into the sentence: 'three' in 'three dozen protesters', where the
    parser hangs 'dozen' from 'three'."""
    last = tokens[-1]
    if last.dep_ == "quantmod" and any(t.i == last.head.i for t in tokens):
        return last.head
    return last


NOT_HEADCOUNTS = {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"}


def _subject_of_protest(noun: Token, trigger_types: dict[int, str]) -> bool:
    """Is the noun the subject of a protest: of a protest verb ('workers protested'), or of a verb
    whose object is a protest ('employees held a protest', 'staged a demonstration')?"""
    if noun.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = noun.head
    if trigger_types.get(verb.i) in CROWD_TYPES:
        return True
    # "thousands braved the cold to protest", "came out to protest": the protest is the verb's purpose
    if any(c.dep_ in ("xcomp", "advcl") and trigger_types.get(c.i) in CROWD_TYPES for c in verb.children):
        return True
    # the protest word anywhere in the object: "held a sit in demonstration", "staged a hunger strike"
    return any(trigger_types.get(t.i) in CROWD_TYPES
               for child in verb.children if child.dep_ in ("dobj", "attr") for t in child.subtree)


def _right_before_protest_verb(noun: Token, trigger_types: dict[int, str]) -> bool:
    """'in Ixtapa, Guerrero, around 30 waiters protested': after a fronted place the parser often
    hangs the subject on the place; a plural noun written right before a protest verb is its subject."""
    doc = noun.doc
    last = noun  # "700 drivers and residents protested": after the last of the coordinated nouns
    while conjuncts := [c for c in last.children if c.dep_ == "conj" and c.i > last.i]:
        last = conjuncts[-1]
    following = doc[last.i + 1] if last.i + 1 < len(doc) else None
    return (following is not None and following.tag_ in ("VBD", "VBN", "VBZ", "VBP")
            and trigger_types.get(following.i) in CROWD_TYPES)


def _counts_a_crowd(anchor: Token, trigger_types: dict[int, str]) -> bool:
    head = anchor.head
    return anchor.dep_ == "pobj" and head.lower_ == "of" and trigger_types.get(head.head.i) in CROWD_TYPES


def _is_partitive(anchor: Token) -> bool:
    """'several of the protesters' counts a subset of a crowd, not the crowd."""
    doc = anchor.doc
    nxt = doc[anchor.i + 1: anchor.i + 3]
    return len(nxt) == 2 and nxt[0].lower_ == "of" and nxt[1].lower_ in ("the", "them", "those", "these")


def _counted_noun(anchor: Token) -> Token:
    """The noun a quantity counts: '50 protesters' -> protesters; 'dozens of people' -> people."""
    while anchor.dep_ in ("conj", "cc") and anchor.head.i != anchor.i and anchor.head.like_num:
        anchor = anchor.head  # "between 300 and 500 people": 500 hangs off 300
    if anchor.dep_ in ("nummod", "quantmod", "amod", "compound") and anchor.head.pos_ in ("NOUN", "PROPN"):
        return anchor.head
    for child in anchor.children:
        if child.lower_ == "of":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return anchor


def _role(noun: Token, trigger_types: dict[int, str]) -> str | None:
    """Walk up from the counted noun to the nearest trigger: it says whose count this is."""
    token = noun
    for _ in range(4):
        kind = trigger_types.get(token.i)
        # "50 protesters were detained": the noun is itself a protest word, so the governing
        # trigger above it decides first; only when there is none is it a crowd size.
        if kind is not None and token is not noun:
            return _ROLE_BY_TYPE.get(kind)
        if token.head.i == token.i:
            break
        token = token.head
    if noun.dep_ in ("nsubj", "nsubjpass"):
        # "over 20 people are reported to have been arrested": the verb of saying raises the subject of
        # the happening it governs
        for child in noun.head.children:
            if child.dep_ == "xcomp" and child.i in trigger_types:
                return _ROLE_BY_TYPE.get(trigger_types[child.i])
    if trigger_types.get(noun.i) in CROWD_TYPES:
        return "participants"
    # "dozens of lecturers protested", parsed with "protested" as a participle of the counted phrase
    for word in (noun, noun.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else noun):
        for phrase in (word, word.head if word.lower_ == "of" else word):
            for child in phrase.children:
                if child.dep_ in ("acl", "relcl") and child.i in trigger_types:
                    return _ROLE_BY_TYPE.get(trigger_types[child.i])
    return None


_ROLE_BY_TYPE = {
    "protest": "participants",
    "riot": "participants",
    "detention": "detained",
    "summons": "targeted",
    "sentencing": "targeted",
    "violence_against_protesters": "targeted",
    "dispersal": "participants",
    "ban": None,
    "internet_shutdown": None,
}


_NUMBER_BEFORE_PLACE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)\s+(?:in|at)\s+(?:the\s+)?$", re.I)


def counts_for_place(counts, place: Place | None, sentence: SpacySpan, event_type: str) -> list:
    """'at least 1,090 people, including 300 in Moscow and 162 in St Petersburg, were detained': the number
    written right before 'in <place>' is that place's count, of the kind the sentence counts (the total
    is the country's, not the city's)."""
    if place is None or place.span is None or not counts:
        return counts
    text = doc_text(sentence.doc)
    match = _NUMBER_BEFORE_PLACE.search(text, max(sentence.start_char, place.span.start - 30), place.span.start)
    if match is None:
        return counts
    number = int(match.group(1).replace(",", ""))
    span = Span(match.start(1), match.end(1), match.group(1))
    preferred = "participants" if event_type in CROWD_TYPES else "detained"
    found = next((c for c in counts if c.role == preferred), counts[0])
    return [type(found)(Count(number, number, span), found.role, found.noun)]
