"""When: date phrases resolved against the article's own publication date.

News rules, which dateparser's defaults do not follow (so they are written and tested here):
- a weekday ("on Sunday", "Sunday's protests") is the most recent such day on or before the article date;
- a month and day without a year ("on May 9") is the most recent such date on or before the article
  date; a month alone ("in March") likewise;
- with no article date the year is unknown and is never invented: precision "month-day" (or "month").
Relative phrases ("yesterday", "last week", "three days ago") go to dateparser with the article date
as its base and past preference; without an article date they are left unresolved.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import cache

from protestwatch.lang import load
from protestwatch.records import DateValue, Span

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("mdy", re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?\b", re.I)),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_RE})\.?(?:,?\s+(?P<y>\d{{4}}))?\b", re.I)),
    ("my", re.compile(rf"\b(?:in|during|since|early|late|mid-?|on|last|this|from|to|until|till|through)\s+(?:early\s+|late\s+|mid-?)?(?P<mon>{_MONTH_RE})(?:\s+(?P<y>\d{{4}}))?\b", re.I)),
    ("weekday", re.compile(r"\b(?:on\s+|last\s+|this\s+|early\s+|late\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:['\u2019]s)?\b", re.I)),
    ("relative", re.compile(r"\b(?:yesterday|today|last night|this morning|this week|last week|this month|last month|"
                            r"(?:at|over)\s+the\s+weekend|last\s+weekend|"
                            r"(?:\w+|\d+)\s+(?:days?|weeks?)\s+ago)\b", re.I)),
    ("year", re.compile(r"\b(?:in|during|since)\s+(?:early\s+|late\s+|mid-?)?(?P<y>(?:19|20)\d{2})\b", re.I)),
]


def find_dates(text: str, offset: int, published: date | None) -> list[DateValue]:
    """Every resolvable date phrase in `text` (a sentence starting at document offset `offset`)."""
    found: list[tuple[DateValue, str]] = []
    taken: list[tuple[int, int]] = []
    yearless: set[int] = set()  # ids of the values whose year was not written
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            value = _resolve(kind, match, published)
            if value is None:
                continue
            value.span = Span(offset + start, offset + end, match.group(0))
            found.append((value, kind))
            taken.append((start, end))
            if kind in ("mdy", "dmy", "my") and not match.groupdict().get("y"):
                yearless.add(id(value))
    found.sort(key=lambda f: f[0].span.start if f[0].span else 0)
    _period_years(found, yearless, text, offset)
    # 'on Monday, December 20, 2021', 'on Friday (October 16)': the weekday names the day written beside it
    return [value for i, (value, kind) in enumerate(found)
            if not (kind == "weekday" and i + 1 < len(found) and found[i + 1][1] in _WRITTEN_DAYS
                    and _BESIDE.fullmatch(text, value.span.end - offset, found[i + 1][0].span.start - offset))]


_WRITTEN_DAYS = ("iso", "mdy", "dmy")
_BESIDE = re.compile(r"[\s,(]*(?:the\s+)?")


@cache
def _period_words() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """lang/en/dates.yaml's words for the two ends of a period ('from 3 to 5 May', 'between Monday and
    Wednesday'): between the ends, before the first, and the same words written inside a date's phrase."""
    words = load("dates", "en")
    gap = "|".join(map(re.escape, words["period_gap"]))
    start = "|".join(map(re.escape, words["period_start"]))
    return (re.compile(rf"\s*(?:{gap})\s*", re.I), re.compile(rf"\b(?:{start})\s+$", re.I),
            re.compile(rf"(?:{start})\s", re.I), re.compile(rf"(?:{gap})\s", re.I))


def period_pair(text: str, first: Span, second: Span, offset: int = 0) -> bool:
    """Whether two dates (spans into `text`, which starts at document offset `offset`) are the two ends of
    one period: 'from 3 January to 5 March', 'from January to March 2020' (the words inside the phrases)."""
    between, before, opening, closing = _period_words()
    a, b = first.start - offset, second.start - offset
    gap = text[first.end - offset:b]
    closes = between.fullmatch(gap) or (not gap.strip() and closing.match(second.text))
    opens = before.search(text, max(0, a - 10), a) or opening.match(first.text)
    return bool(closes and opens)


def _period_years(found: list[tuple[DateValue, str]], yearless: set[int], text: str, offset: int) -> None:
    """'from January to March 2020', 'between 3 May and 5 June 2019': the first end of a period takes the
    year written at its second end (the year before when its month comes later), not the report's year."""
    for (first, _), (second, _) in zip(found, found[1:], strict=False):
        if id(first) not in yearless or id(second) in yearless or second.year is None or first.month is None:
            continue
        if not period_pair(text, first.span, second.span, offset):
            continue
        later = (first.month, first.day or 1) > (second.month or 12, second.day or 31)
        year = second.year - 1 if later else second.year
        moved = exact_day(year, first.month, first.day) if first.day is not None else whole_month(year, first.month)
        if moved is not None:
            first.start, first.end, first.year = moved.start, moved.end, moved.year
            first.precision = moved.precision


def states_unknowable_date(text: str, published: date | None) -> bool:
    """Whether the text gives a date of its own that cannot be resolved: a weekday or 'yesterday' in a
    report without a date, a season ('last summer'). Its happening then has no known date; another
    sentence's is not its."""
    if _season_pattern().search(text):
        return True  # 'protests exploded last summer': a season, with or without the report's year, is no day
    if published is not None:
        return False
    return any(pattern.search(text) for kind, pattern in _PATTERNS if kind in ("weekday", "relative"))


@cache
def _season_pattern() -> re.Pattern:
    return re.compile(rf"\b(?:{'|'.join(load('dates', 'en')['season_phrases'])})\b", re.I)


def resolve_phrase(text: str, published: date | None) -> DateValue | None:
    """The first date phrase in `text`, resolved; None when there is none."""
    values = find_dates(text, 0, published)
    return values[0] if values else None


def _resolve(kind: str, match: re.Match, published: date | None) -> DateValue | None:
    groups = match.groupdict()
    if kind == "iso":
        return exact_day(int(groups["y"]), int(groups["m"]), int(groups["d"]))
    if kind in ("mdy", "dmy"):
        month = _MONTHS[groups["mon"].lower().rstrip(".")]
        day = int(groups["d"])
        if groups.get("y"):
            return exact_day(int(groups["y"]), month, day)
        return month_day(month, day, published)
    if kind == "my":
        month = _MONTHS[groups["mon"].lower()]
        year = int(groups["y"]) if groups.get("y") else latest_year(month, 1, published)
        return DateValue(None, None, "month", month=month) if year is None else whole_month(year, month)
    if kind == "weekday":
        if published is None:
            return None
        target = _WEEKDAYS[groups["wd"].lower()]
        back = (published.weekday() - target) % 7
        if match.group(0).lower().startswith("last ") and back == 0:
            back = 7
        day = published - timedelta(days=back)
        return exact_day(day.year, day.month, day.day)
    if kind == "relative":
        return _relative(match.group(0), published)
    if kind == "year":
        year = int(groups["y"])
        return DateValue(date(year, 1, 1), date(year, 12, 31), "year", year=year)
    return None


def date_tokens(value: DateValue, doc):
    """The tokens a found date was written in (None when it has no span or falls between tokens)."""
    if value.span is None:
        return None
    return doc.char_span(value.span.start, value.span.end, alignment_mode="expand")


def on_day(day: date, span: Span | None = None) -> DateValue:
    """A day-precision date for a known day."""
    return DateValue(day, day, "day", span=span, year=day.year, month=day.month, day=day.day)


def whole_month(year: int, month: int) -> DateValue:
    last = calendar.monthrange(year, month)[1]
    return DateValue(date(year, month, 1), date(year, month, last), "month", year=year, month=month)


def exact_day(year: int, month: int, day: int) -> DateValue | None:
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return DateValue(value, value, "day", year=year, month=month, day=day)


def latest_year(month: int, day: int, published: date | None) -> int | None:
    """The year that puts month/day on or before the article date (never after it)."""
    if published is None:
        return None
    year = published.year
    if (month, day) > (published.month, published.day):
        year -= 1
    return year


def month_day(month: int, day: int, published: date | None) -> DateValue | None:
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:  # 2000: a leap year allows 29 Feb
        return None
    year = latest_year(month, day, published)
    if year is None:
        return DateValue(None, None, "month-day", month=month, day=day)
    return exact_day(year, month, day)


def weekend_before(published: date, the_one_before: bool = False) -> DateValue:
    """'at the weekend', 'over the weekend', 'в выходные': the Saturday and Sunday just past (the one under
    way when the report is dated on it); 'last weekend' ('в прошлые выходные', `the_one_before`) in a report
    of a Saturday or Sunday is the one before."""
    saturday = published - timedelta(days=(published.weekday() - 5) % 7)
    if the_one_before and published.weekday() >= 5:
        saturday -= timedelta(days=7)
    return DateValue(saturday, saturday + timedelta(days=1), "week")


def _relative(phrase: str, published: date | None) -> DateValue | None:
    if published is None:
        return None
    import dateparser

    lowered = phrase.lower()
    if lowered in ("this week", "last week"):
        monday = published - timedelta(days=published.weekday() + (7 if lowered == "last week" else 0))
        return DateValue(monday, monday + timedelta(days=6), "week")
    if lowered == "last month":
        first = published.replace(day=1) - timedelta(days=1)
        start = first.replace(day=1)
        return DateValue(start, first, "month", year=start.year, month=start.month)
    if lowered == "this month":  # 'earlier this month'
        return whole_month(published.year, published.month)
    if lowered.endswith("weekend"):
        return weekend_before(published, the_one_before=lowered.startswith("last"))
    base = _midday(published)
    parsed = dateparser.parse(phrase, settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})
    if parsed is None:
        return None
    day = parsed.date()
    return exact_day(day.year, day.month, day.day)


def _midday(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day, 12, 0)
