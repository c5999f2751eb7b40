"""Which of a sentence's dates dates a given happening: the date of its own clause, not any date in the
sentence.

- A date that modifies another noun dates that noun ("since the Feb. 1 coup", "the 2021 death of an
  activist", "Wednesday's fourth stage"), not the happening.
- A date after "since" starts a period: it dates a state that began then (a ban, an internet
  shutdown), not a protest or an arrest told of later.
- Among the dates left, those in the trigger's own clause come first ("told reporters on Monday that
  police had detained 30 people on Sunday": Sunday).
- "the following day", "the day before", "two days later" count from the date told just before them
  in the sentence, else from the date the report gave last for this kind of happening.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from functools import cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.dates import on_day, period_pair
from protestwatch.extract.senses import counted_people, names_people
from protestwatch.extract.text import doc_text
from protestwatch.lang import load
from protestwatch.records import DateValue, Span
from protestwatch.schema.typemap import thread

# states that begin at a date: "blocked since Thursday", "banned since 2022"
_STATES = ("internet_shutdown", "ban")
_MODIFIER_DEPS = ("compound", "nmod", "amod", "poss", "nummod")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10}
_RELATIVE_DAY = re.compile(
    r"\b(?:the\s+(?P<after>following|next)\s+day|the\s+day\s+(?P<after2>after)\b|"
    r"the\s+(?P<before>previous|preceding)\s+day|the\s+day\s+(?P<before2>before)\b|"
    r"(?P<n>a|one|two|three|four|five|six|seven|\d)\s+days?\s+(?P<dir>later|earlier|before)\b)", re.I)


def clause_verb(token: Token, not_clauses: tuple[str, ...] = ("aux", "auxpass")) -> Token:
    """The verb whose clause a token stands in (itself when it is one); a verb in one of the `not_clauses`
    relations is passed over."""
    current = token
    for _ in range(8):
        if current.pos_ in ("VERB", "AUX") and current.dep_ not in not_clauses:
            return current
        if current.head.i == current.i:
            break
        current = current.head
    return current


def _tokens(sentence: SpacySpan, span: Span) -> SpacySpan | None:
    return sentence.doc.char_span(span.start, span.end, alignment_mode="expand")


def _dates_another_noun(root: Token, own_head: Token, trigger_heads: set[int]) -> bool:
    """'the Feb. 1 coup', 'Wednesday's stage': a date that is a modifier of a noun other than a trigger;
    'sentenced for taking part in a rally on August 10', 'jailed over a picket on May 1': a date inside
    the happening's cause dates the cause ('clashed during protests on October 13' shares its date)."""
    head = root.head
    if (root.dep_ in _MODIFIER_DEPS and head.i != root.i and head.pos_ in ("NOUN", "PROPN")
            and head.i not in trigger_heads and head.ent_type_ != "DATE"):
        return True
    return _inside_cause(root, own_head)




def _path_to_clause(token: Token, own_head: Token) -> Iterator[Token]:
    """The tokens from `token` up the parse to the happening's clause, that clause's words left out (at most
    ten; none when the path never reaches it before the root)."""
    target = clause_verb(own_head)
    current = token
    for _ in range(10):
        if current.i in (own_head.i, target.i) or current.head.i == current.i:
            return
        yield current
        current = current.head


def _inside_cause(token: Token, own_head: Token) -> bool:
    """Whether the path from a token up to the happening's clause passes a preposition of cause."""
    causes = _date_words()["cause_prepositions"]
    return any(t.dep_ in ("pobj", "pcomp") and t.head.lower_ in causes for t in _path_to_clause(token, own_head))


def _set_apart(token: Token, own_head: Token) -> bool:
    """Whether a date stands in a clause or phrase that a stated interval sets apart from the happening:
    'rallied two weeks after parliament passed the law on 5 October', 'a week after the vote on 5 October'
    (the rally is on another day than the vote, though not a day the sentence gives)."""
    words = _date_words()

    def sequence(t: Token) -> bool:
        if t.dep_ == "prep":
            return t.lower_ in words["sequence_words"]
        return t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in words["sequence_words"] for c in t.children)

    return any(sequence(t) and any(c.dep_ == "npadvmod" and c.lemma_.lower() in words["interval_units"]
                                   for c in t.children) for t in _path_to_clause(token, own_head))


def _describes_a_place_or_thing(token: Token, own_head: Token) -> bool:
    """Whether a date stands in a relative clause (or a participle) on a noun that is not one of the
    happening's own people: 'gathered in front of parliament, which on Tuesday approved the bill' dates the
    vote, not the gathering ('protesters who marched on Monday were detained', 'arrested protesters who clashed with
    them on Monday' still date the arrest)."""
    own = {c.i for c in clause_verb(own_head).children
           if c.dep_ in _ARGUMENTS or (c.dep_ == "dobj" and names_people(counted_people(c), "en"))}
    if own_head.pos_ in ("NOUN", "PROPN"):  # 'the clashes between protesters and police that occurred on July 3'
        own |= {t.i for t in own_head.subtree}
    return any(_relative_clause(t) and t.head.i not in own for t in _path_to_clause(token, own_head))


_ARGUMENTS = ("nsubj", "nsubjpass", "agent")


def _relative_clause(verb: Token) -> bool:
    # a participle on a noun is a relative clause without its pronoun: 'the budget, approved by parliament in
    # December'; the parser hangs 'parliament which on Tuesday approved' on the main verb at times: the
    # relative pronoun as subject still marks the clause
    if verb.dep_ == "acl" and verb.tag_ in ("VBN", "VBG"):
        # 'the protesters gathered outside parliament on Friday' are the happening's people, however it names them
        return not names_people(counted_people(verb.head), "en")
    return verb.dep_ == "relcl" or (verb.dep_ in ("advcl", "ccomp") and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.tag_ in ("WDT", "WP") for c in verb.children))


def _after_since(tokens: SpacySpan) -> bool:
    if tokens[0].lower_ == "since":
        return True
    doc = tokens.doc
    return tokens.start > 0 and doc[tokens.start - 1].lower_ == "since"


@cache
def _date_words(language: str = "en") -> dict:
    """The date rules' words (lang/<language>/dates.yaml), with the period patterns built from them."""
    words = load("dates", language)
    return {
        "cause_prepositions": frozenset(words["cause_prepositions"]),
        "sequence_words": frozenset(words["sequence_words"]),
        "interval_units": frozenset(words["interval_units"]),
    }


def period_bounds(dates: list[DateValue], text: str) -> set[int]:
    """Positions (in `dates`) of the two ends of a period: 'from Feb. 1 to March 2', 'between 1 and 5
    May'. A period that a count sums up dates no single happening, and is no date for the report's
    other sentences to take up either."""
    ordered = sorted((i for i, d in enumerate(dates) if d.span is not None), key=lambda i: dates[i].span.start)
    bounds: set[int] = set()
    for first, second in zip(ordered, ordered[1:], strict=False):
        if period_pair(text, dates[first].span, dates[second].span):
            bounds.update((first, second))
    return bounds


def _opens(position: int, periods: set[int], dates: list[DateValue]) -> bool:
    """Whether this end of a period is its first: another end of a period follows it."""
    start = dates[position].span.start if dates[position].span else -1
    return any(dates[other].span and dates[other].span.start > start for other in periods if other != position)


def event_dates(dates: list[DateValue], sentence: SpacySpan, trigger_head: Token, event_type: str,
                trigger_heads: set[int], published: date | None = None) -> tuple[list[DateValue], list[DateValue]]:
    """The dates of the sentence that can date this happening: those of its own clause, and the others."""
    kept: list[tuple[DateValue, Token | None]] = []
    periods = period_bounds(dates, doc_text(sentence.doc))
    for position, value in enumerate(dates):
        if _after_the_report(value, published, trigger_head, event_type):
            continue
        if position in periods and not (event_type in _STATES and _opens(position, periods, dates)):
            # a state ('no internet from January to March 2020') is dated by the day it began; a period
            # that a count sums up ('21 killed from March 3 to April 2') by neither end
            continue
        tokens = _tokens(sentence, value.span) if value.span else None
        if tokens is None or len(tokens) == 0:
            kept.append((value, None))
            continue
        if event_type not in _STATES and _after_since(tokens):
            continue
        if _dates_another_noun(tokens.root, trigger_head, trigger_heads) or _set_apart(tokens.root, trigger_head) \
                or _describes_a_place_or_thing(tokens.root, trigger_head):
            continue
        kept.append((value, clause_verb(tokens.root)))
    own = clause_verb(trigger_head)
    same_clause = [value for value, verb in kept if verb is not None and verb.i == own.i]
    apart = interval_apart(trigger_head)
    if apart is not None:
        # 'on Tuesday, a day after police detained eight': only the day of the clause it hangs on, moved by
        # the interval, dates it (none when the interval is not counted in days)
        governing, shift, phrase = apart
        shifted = [_shifted(value, shift, _covering(phrase, value.span, sentence)) for value, verb in kept
                   if verb is not None and verb.i == governing.i] if shift is not None else []
        return same_clause, [value for value in shifted if value is not None]
    told_before = own.head.i if _told_as_earlier(own) else None
    return same_clause, [value for value, verb in kept if verb is None or verb.i not in (own.i, told_before)]


_DAYS_IN = {"day": 1, "week": 7, "fortnight": 14}


def interval_apart(trigger_head: Token) -> tuple[Token, int | None, Span] | None:
    """'a day after police detained eight', 'two weeks before the ban', 'a month after the arrests': a happening
    told in a clause or phrase that a stated interval sets apart from the clause it hangs on. Returns that
    clause's verb, the days to add to its day to reach the happening's (None when the interval is not
    counted in days: months, years), and the text of the interval."""
    words = _date_words()
    current = trigger_head
    for _ in range(5):
        if current.head.i == current.i or current.dep_ in ("ccomp", "relcl", "conj"):
            return None  # reported speech, a relative clause or a coordinate clause is a happening of its own
        word = current if current.dep_ == "prep" else next(
            (c for c in current.children if c.dep_ == "mark"), None) if current.dep_ == "advcl" else None
        direction = _DIRECTIONS.get(word.lower_) if word is not None else None
        interval = next((c for c in current.children if c.dep_ == "npadvmod"
                         and c.lemma_.lower() in words["interval_units"]), None) if direction else None
        if interval is not None:
            first = min([interval.i, word.i] + [c.i for c in interval.children if c.dep_ in ("det", "nummod")])
            phrase = trigger_head.doc[first:word.i + 1]
            days = _DAYS_IN.get(interval.lemma_.lower())
            count = _count_of(interval)
            shift = direction * days * count if days is not None and count is not None else None
            return clause_verb(current.head), shift, Span(phrase.start_char, phrase.end_char, phrase.text)
        current = current.head
    return None


# which way the interval runs from the clause's day to the happening's
_DIRECTIONS = {"after": -1, "following": -1, "before": 1, "prior": 1}


def _covering(phrase: Span, told: Span | None, sentence: SpacySpan) -> Span:
    """The evidence of a counted day: the interval and the day it counts from, with what stands between."""
    if told is None:
        return phrase
    start, end = min(phrase.start, told.start), max(phrase.end, told.end)
    return Span(start, end, doc_text(sentence.doc)[start:end])


def _count_of(unit: Token) -> int | None:
    """'a day' 1, 'two weeks' 2, '3 days' 3; 'days after' (no number) None."""
    for child in unit.children:
        if child.dep_ in ("det", "nummod"):
            word = child.lower_
            return int(word) if word.isdigit() else _NUMBERS.get(word)
    return None


def _shifted(base: DateValue, shift: int, span: Span) -> DateValue | None:
    """A day `shift` days from `base`; only a date known to the day can be counted from. Without a year the
    day is counted within a year that is not a leap year, and only its month and day are kept."""
    if base.day is None:
        return None
    if base.start is not None:
        return on_day(base.start + timedelta(days=shift), span)
    try:
        day = date(2001, base.month, base.day) + timedelta(days=shift)
    except (TypeError, ValueError):
        return None
    return replace(base, span=span, month=day.month, day=day.day)


def _after_the_report(value: DateValue, published: date | None, trigger_head: Token, event_type: str) -> bool:
    """A date after the report's own day cannot date a happening the report tells in the past tense
    ('marched on Monday demanding elections, already moved to April 2024'): it dates something to come."""
    if published is None or value.start is None or value.start <= published or thread(event_type) == "legal":
        return False  # a summons to appear, a ban until a day: the legal thread's days may be to come
    verb = clause_verb(trigger_head)
    return verb.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in verb.children)


def defied(trigger_head: Token) -> bool:
    """'protesters who defied a ban on gatherings', 'marched despite the ban': a rule already in force when it
    was broken, set on a day the sentence does not give (the day of the defiance is not its day)."""
    words = load("dates", "en")
    phrase = trigger_head
    while phrase.dep_ in ("compound", "amod", "conj") and phrase.head.i != phrase.i:
        phrase = phrase.head
    governor = phrase.head
    if phrase.dep_ == "dobj":
        return governor.lemma_.lower() in words["defying_verbs"]
    if phrase.dep_ == "pobj":
        # 'in defiance of the ban': the preposition's own head and what stands before it
        before = phrase.doc[max(0, governor.i - 2):governor.i + 1].text.lower()
        return any(before.endswith(p) for p in words["defying_prepositions"])
    return False


def told_in_past_perfect(trigger_head: Token) -> bool:
    """'Police had banned the march', 'officials acknowledged that protesters had been injured': the past
    perfect puts the happening before the day the narrative is at (or the telling's), on a day it does not
    state, so the day told in an earlier sentence is not its date either."""
    verb = clause_verb(trigger_head)
    return any(child.dep_ in ("aux", "auxpass") and child.lower_ in ("had", "'d") for child in verb.children)


def _told_as_earlier(verb: Token) -> bool:
    """'On Wednesday officials acknowledged that protesters had been injured': a past perfect under the
    verb that tells it happened before that verb's day, so the telling's date is not the happening's."""
    return verb.dep_ == "ccomp" and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX") \
        and any(child.dep_ == "aux" and child.lower_ in ("had", "'d") for child in verb.children)


def relative_day(sentence: SpacySpan, dates: list[DateValue], context: DateValue | None) -> DateValue | None:
    """'the following day', 'the day before', 'two days later': counted from the date told before it in the
    sentence, else from `context`. Only a date known to the day can be counted from."""
    match = _RELATIVE_DAY.search(sentence.text)
    if match is None:
        return None
    start = sentence.start_char + match.start()
    earlier = [d for d in dates if d.span is not None and d.span.start < start]
    base = earlier[-1] if earlier else context
    if base is None:
        return None
    groups = match.groupdict()
    if groups["n"]:
        word = groups["n"].lower()
        shift = int(word) if word.isdigit() else _NUMBERS[word]
        shift = shift if groups["dir"].lower() == "later" else -shift
    else:
        shift = 1 if (groups["after"] or groups["after2"]) else -1
    return _shifted(base, shift, Span(start, sentence.start_char + match.end(), match.group(0)))
