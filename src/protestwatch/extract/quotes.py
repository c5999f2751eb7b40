"""Quoted stretches of a report: slogans and statements. A trigger word inside quotation marks is
what someone said or chanted, not a report of an event."""

from __future__ import annotations

import re

_QUOTED = re.compile(r"\u201c[^\u201c\u201d\n]{1,300}\u201d|\"[^\"\n]{1,300}\"|\u2018[^\u2018\u2019\n]{2,300}\u2019(?!\w)")


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text)]


def inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


def quotes_in(ranges: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The quoted ranges that lie within [start, end)."""
    return [(s, e) for s, e in ranges if start <= s and e <= end]
