"""Metadata that a report carries in its own text: title, date, outlet and URL lines at the top,
a dateline ("ASTANA (TCA) —") at the start of the body, an outlet signature at the bottom."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from dateutil import parser as dateutil_parser

from protestwatch.records import Span

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# a month's number by any of the names in _MONTHS
_MONTH_NUMBERS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
                  for number, name in enumerate(names) if name} | {"sept": 9}
_DATE_LINE = re.compile(
    rf"^\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:[\s,]+\d{{1,2}}:\d{{2}}.*)?\s*$",
    re.IGNORECASE,
)
_URL_LINE = re.compile(r"^\s*https?://\S+\s*$")
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'.\-]+(?:\s[A-Z][A-Z'.\-]+){0,3})(?:,\s*[A-Z][\w.\- ]{1,30})?\s*"
    r"(?:\((?P<agency>[^)]{1,40})\))?\s*[\u2014\u2013-]{1,2}\s*"
)
# 'EFE, Madrid/Caracas, July 30, 2024 —', 'Oslo, 3 March 2023 -': an optional credit, the places the report
# was filed from, its full date, a dash. The places are the desk's, not the happening's.
_PLACE_WORD = r"[A-Z][\w'.\-]+"
_CREDIT_DATELINE = re.compile(
    rf"^(?:[^,\n]{{1,60}},\s*)??(?P<place>{_PLACE_WORD}(?:[ /]{_PLACE_WORD}){{0,4}}),\s*"
    rf"(?P<date>(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}})\s*[\u2014\u2013-]{{1,2}}\s",
    re.IGNORECASE,
)
# Wire copy flattened to one line runs headline, byline and dateline into the lead: 'Two held after march
# Jane Roe DURBAN, May 2 (ANA) - Police ...'. A capitals place with an agency in brackets and a dash, within
# a headline's length of the start, ends the header there.
_RUN_IN_DATELINE = re.compile(
    r"\s(?P<place>[A-Z][A-Z'.\-]{2,}(?:\s[A-Z][A-Z'.\-]+){0,3})(?:,\s*[A-Z][\w.\- ]{1,30})?\s*"
    r"\((?P<agency>[^)]{1,40})\)\s*[\u2014\u2013-]{1,2}\s+(?=[A-Z0-9\"\u201c'])"
)
_MAX_RUN_IN_HEADER = 250
_SENTENCE_END = re.compile(r"[a-z]{3,}[.!?][\"\u201d']?\s")
_MAX_HEADER_LINES = 6
_MAX_SHORT_LINE = 160


@dataclass
class Header:
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    body_start: int = 0
    body_end: int | None = None
    dateline: Span | None = None


def parse_date_line(line: str) -> date | None:
    if not _DATE_LINE.match(line):
        return None
    try:
        return dateutil_parser.parse(line, fuzzy=True).date()
    except (ValueError, OverflowError):
        return None


def _is_sentence(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) > _MAX_SHORT_LINE or (stripped.endswith((".", "!", "?")) and len(stripped.split()) > 12)


def _looks_like_outlet(line: str) -> bool:
    stripped = line.strip()
    words = stripped.split()
    return (
        0 < len(words) <= 6
        and len(stripped) <= 60
        and not stripped.endswith((".", "!", "?", ":", ","))
        and not any(ch.isdigit() for ch in stripped)
        and sum(w[0].isupper() for w in words if w[0].isalpha()) >= max(1, len(words) - 2)
    )


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def parse_header(text: str) -> Header:
    header = Header()
    lines = [(off, line) for off, line in _lines_with_offsets(text) if line.strip()]
    if not lines:
        return header
    index = 0
    first_offset, first = lines[0]
    if not _is_sentence(first) and not _DATE_LINE.match(first) and not _URL_LINE.match(first):
        header.title = first.strip()
        index = 1
    # Metadata lines follow the title until the first line that reads as prose.
    while index < min(len(lines), _MAX_HEADER_LINES):
        _, line = lines[index]
        if header.published is None and (parsed := parse_date_line(line)):
            header.published = parsed
        elif header.url is None and _URL_LINE.match(line):
            header.url = line.strip()
        elif header.outlet is None and _looks_like_outlet(line) and index + 1 < len(lines):
            header.outlet = line.strip()
        else:
            break
        index += 1
    if index >= len(lines):
        index = 0  # nothing after the header lines: the whole text is the body
    header.body_start = lines[index][0]
    if index == 0:  # no header lines: the first line may still carry a run-in headline
        _split_run_in_header(header, first_offset, first)
    # A short signature line at the very end names the outlet ("Times of Central Asia").
    last_offset, last = lines[-1]
    if len(lines) - index > 2 and _looks_like_outlet(last):
        header.outlet = header.outlet or last.strip()
        header.body_end = last_offset
    if index < len(lines) and header.dateline is None:
        body_offset, body_line = lines[index]
        match = _DATELINE.match(body_line)
        if match and len(match.group("place")) >= 3:
            start = body_offset + match.start("place")
            header.dateline = Span(start, body_offset + match.end("place"), match.group("place"))
    for body_offset, body_line in lines[index:index + 2] if header.dateline is None else ():
        # a credit dateline may follow a line or two of standfirst
        match = _CREDIT_DATELINE.match(body_line)
        if match:
            header.dateline = Span(body_offset + match.start("place"), body_offset + match.end("place"),
                                   match.group("place"))
            header.published = header.published or parse_date_line(match.group("date"))
            break
    return header


def run_in_dateline(line: str) -> re.Match | None:
    """The dateline of a headline and byline run into the body on one line, if the line has one."""
    match = _RUN_IN_DATELINE.search(line, 0, _MAX_RUN_IN_HEADER + 80)
    if match is None or match.start() > _MAX_RUN_IN_HEADER or _SENTENCE_END.search(line, 0, match.start() + 1):
        return None
    return match if line[:match.start()].strip() else None


def _split_run_in_header(header: Header, offset: int, line: str) -> None:
    """A headline and byline run into the body on one line: the body starts at the dateline."""
    if (match := run_in_dateline(line)) is None:
        return
    header.title = line[:match.start()].strip()
    header.body_start = offset + match.start("place")
    header.dateline = Span(header.body_start, offset + match.end("place"), match.group("place"))


@dataclass(frozen=True)
class Dateline:
    """A dateline of the report's first lines: where its place starts, where the lead after its dash
    starts, and whether a headline runs into it on the same line."""

    place_start: int
    lead_start: int
    run_in: bool


# 'MOSCOW, Jan 23 (Reuters) -', 'ALMATY, 5 May (AP) -': a wire dateline's day without its year
_DAY_DATELINE = re.compile(
    rf"^[A-Z][A-Za-z'.\-]+(?:\s[A-Z][A-Za-z'.\-]+){{0,3}},\s*"
    rf"(?:(?P<mon>{_MONTHS})\.?\s+(?P<d>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+(?P<mon2>{_MONTHS})\.?)\s*"
    r"(?:\([^)]{1,40}\))?\s*[\u2014\u2013-]{1,2}\s",
    re.IGNORECASE,
)


def dateline_day(text: str) -> tuple[int, int] | None:
    """(month, day) of a wire dateline on one of the report's first lines that gives no year ('MOSCOW, Jan 23
    (Reuters) -'): the day the report was filed, when it has no publication date."""
    for line in [line for line in text[:2000].split("\n") if line.strip()][:_MAX_HEADER_LINES]:
        match = _DAY_DATELINE.match(line.strip())
        if match is None:
            continue
        name = (match["mon"] or match["mon2"]).lower()
        month = _MONTH_NUMBERS[name]
        day = int(match["d"] or match["d2"])
        return (month, day) if 1 <= day <= calendar.monthrange(2000, month)[1] else None
    return None


def datelines(text: str) -> list[Dateline]:
    """The datelines of the report's first lines ('ALMATY (Reuters) - Police ...'), run-in or at a line's
    start."""
    found = []
    lines = [(offset, line) for offset, line in _lines_with_offsets(text[:4000]) if line.strip()]
    if lines and (run_in := run_in_dateline(lines[0][1])) is not None:
        found.append(Dateline(lines[0][0] + run_in.start("place"), lines[0][0] + run_in.end(), True))
    for offset, line in lines[:_MAX_HEADER_LINES + 1]:
        if (match := _DATELINE.match(line) or _CREDIT_DATELINE.match(line)) is not None:
            found.append(Dateline(offset + match.start("place"), offset + match.end(), False))
    return found
