"""When, in Russian: '10 мая 2018 года', '28 февраля', '28.02.2021', 'в феврале 2021 года', 'в 2011 году',
'в субботу', 'вчера', 'накануне'. Resolved against the report's date exactly as the English dates are
(extract/dates.py): a day without a year takes the latest year that puts it on or before the report's date,
and a weekday or 'вчера' needs the report's date. The words are the language pack's (lang/ru/dates.yaml)."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import cache

from protestwatch.extract.dates import exact_day, month_day, weekend_before
from protestwatch.lang import load
from protestwatch.records import DateValue, Span


@cache
def _patterns() -> dict:
    words = load("dates", "ru")
    months = "|".join(sorted(words["months"], key=len, reverse=True))
    weekdays = "|".join(sorted(words["weekdays"], key=len, reverse=True))
    relative = "|".join(re.escape(w) for w in sorted(words["relative_days"], key=len, reverse=True)
                        if words["relative_days"][w] is not None)
    year = r"(?P<y>(?:19|20)\d{2})(?:\s*(?:года|году|год|г\.))?"
    return {
        "words": words,
        "numeric": re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d{2})\b"),
        "day_month": re.compile(rf"\b(?P<d>\d{{1,2}})(?:-?го)?\s+(?P<mon>(?:{months})\w*)(?:\s+{year})?", re.I),
        "month_year": re.compile(rf"\b(?:в|во|с|до|к|конце|начале|середине)\s+(?P<mon>(?:{months})\w*)\s+{year}", re.I),
        "year": re.compile(rf"\b(?:в|во)\s+{year}", re.I),
        "month_relative_year": re.compile(
            rf"\b(?:в|во|с|конце|начале|середине)\s+(?P<mon>(?:{months})\w*)\s+(?P<rel>{'|'.join(words['year_words'])})\s+года",
            re.I),
        "weekday": re.compile(rf"\b(?:в|во)\s+(?:прошл\w+\s+)?(?P<wd>{weekdays})\b", re.I),
        "deadline": re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words['not_the_day']))})\s+$", re.I),
        "relative": re.compile(rf"(?<!\w)(?P<rel>{relative})(?!\w)", re.I),
        "weekend": re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words['weekend']))})(?!\w)", re.I),
        # a wire dateline: 'ВОРОНЕЖ, 23 апреля. /ТАСС/.', 'Москва. 26 августа. INTERFAX.RU -'
        "dateline": re.compile(
            rf"^[ \t]*(?P<place>[А-ЯЁA-Z][\wЁё\-]+(?:[ \t][А-ЯЁA-Z][\wЁё\-]+){{0,2}})[.,][ \t]*(?P<d>\d{{1,2}})[ \t]+(?P<mon>(?:{months})\w*)\b\.?(?![ \t]*(?:19|20)\d{{2}})",
            re.I | re.M),
        "relative_day_month": re.compile(
            rf"(?<!\w)(?P<rel>{relative})\s*,\s*(?P<d>\d{{1,2}})(?:-?го)?\s+(?P<mon>(?:{months})\w*)", re.I),
    }


_BESIDE = re.compile(r"[\s,()\u2013\u2014-]{0,4}")


def _month(stem: str, words: dict) -> int | None:
    lowered = stem.lower()
    for prefix, number in sorted(words["months"].items(), key=lambda kv: -len(kv[0])):
        if lowered.startswith(prefix):
            return number
    return None


def find_dates_ru(text: str, offset: int, published: date | None, year_from: date | None = None,
                  report_day: tuple[int, int] | None = None) -> list[DateValue]:
    """Every date phrase in `text` (a sentence starting at `offset` in the document), in text order.
    `year_from`: a full date the report states elsewhere, which gives a day without a year its year when
    there is no publication date ('7 мая' in a report that opens '5 мая 2024 года'). `report_day`: the
    (month, day) an undated report was written on, when it says so without a year: its 'сегодня' and
    'вчера' are then days without a year."""
    patterns = _patterns()
    words = patterns["words"]
    deadline = patterns["deadline"]
    found: list[tuple[int, int, DateValue]] = []
    taken: list[tuple[int, int]] = []

    def keep(match: re.Match, value: DateValue | None) -> None:
        if value is None or any(s < match.end() and match.start() < e for s, e in taken):
            return
        if deadline.search(text[max(0, match.start() - 12): match.start()]):
            return  # 'до 15 июля': a deadline, not the day
        taken.append((match.start(), match.end()))
        value.span = Span(offset + match.start(), offset + match.end(), match.group(0))
        found.append((match.start(), match.end(), value))

    for match in patterns["numeric"].finditer(text):
        keep(match, exact_day(int(match["y"]), int(match["m"]), int(match["d"])))
    for match in patterns["day_month"].finditer(text):
        month = _month(match["mon"], words)
        if month is not None:
            day = int(match["d"])
            if match["y"]:
                keep(match, exact_day(int(match["y"]), month, day))
            elif published is None and year_from is not None:  # the year the report states
                keep(match, exact_day(year_from.year, month, day))
            else:
                keep(match, month_day(month, day, published))
    for match in patterns["month_year"].finditer(text):
        month = _month(match["mon"], words)
        if month is not None:
            year = int(match["y"])
            keep(match, DateValue(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]),
                                  "month", year=year, month=month))
    if published is not None:
        for match in patterns["month_relative_year"].finditer(text):
            month = _month(match["mon"], words)
            if month is not None:
                year = published.year - words["year_words"][match["rel"].lower()]
                keep(match, DateValue(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]),
                                      "month", year=year, month=month))
    for match in patterns["year"].finditer(text):
        year = int(match["y"])
        keep(match, DateValue(date(year, 1, 1), date(year, 12, 31), "year", year=year))
    # 'в субботу, 10 мая', 'вчера, 26 марта': the day written out beside it says it; the weekday only names
    # it. A day written elsewhere in the sentence is another happening's ('в среду после драки, которая
    # произошла 3 мая')
    written = [(start, end) for start, end, v in found if v.precision in ("day", "month-day")]

    def beside_a_written_day(match: re.Match) -> bool:
        return any(_BESIDE.fullmatch(text, match.end(), start) or _BESIDE.fullmatch(text, end, match.start())
                   for start, end in written if start >= match.end() or end <= match.start())

    if published is not None:
        for match in patterns["weekday"].finditer(text):
            if beside_a_written_day(match):
                continue
            target = words["weekdays"][match["wd"].lower()]
            back = (published.weekday() - target) % 7
            if "прошл" in match.group(0).lower() and back == 0:
                back = 7
            day = published - timedelta(days=back)
            keep(match, exact_day(day.year, day.month, day.day))
        for match in patterns["relative"].finditer(text):
            if not beside_a_written_day(match):
                day = published - timedelta(days=words["relative_days"][match["rel"].lower()])
                keep(match, exact_day(day.year, day.month, day.day))
        for match in patterns["weekend"].finditer(text):
            if not beside_a_written_day(match):
                keep(match, weekend_before(published, the_one_before="прошл" in match.group(0).lower()))
    elif report_day is not None:
        for match in patterns["relative"].finditer(text):
            if not beside_a_written_day(match):
                keep(match, days_before(report_day, words["relative_days"][match["rel"].lower()]))
    return [value for _, _, value in sorted(found, key=lambda item: item[0])]


def days_before(day: tuple[int, int], back: int) -> DateValue | None:
    """The (month, day) `back` days before `day`, year unknown; None when the count would cross the end
    of a February whose length the missing year decides."""
    if day == (2, 29):
        return None
    earlier = date(2001, *day) - timedelta(days=back)  # 2001: a year without 29 February
    if day[0] == 3 and earlier.month == 2:
        return None
    return month_day(earlier.month, earlier.day, None)


def yearless_report_day(text: str) -> tuple[int, int] | None:
    """The day an undated report says it was written on without its year: a relative day set beside the
    date it is ('вчера, 26 марта' -> 27 March; 'сегодня, 5 мая' -> 5 May), else its wire dateline's day
    ('ВОРОНЕЖ, 23 апреля. /ТАСС/.')."""
    patterns = _patterns()
    words = patterns["words"]
    for match in patterns["relative_day_month"].finditer(text):
        month = _month(match["mon"], words)
        back = words["relative_days"].get(match["rel"].lower())
        if month is None or back is None or not 1 <= int(match["d"]) <= calendar.monthrange(2001, month)[1]:
            continue  # 29 February, or no such day: the year would decide
        later = date(2001, month, int(match["d"])) + timedelta(days=back)
        if month == 2 and later.month == 3 and back > 0:
            continue
        return later.month, later.day
    # a wire dateline with its day and month, on one of the report's first lines
    for match in patterns["dateline"].finditer("\n".join(text.split("\n")[:3])):
        if match["place"].strip().lower() in words["relative_days"]:
            continue  # 'Вчера, 28 февраля': a relative day told beside its date, read above
        month = _month(match["mon"], words)
        if month is not None and 1 <= int(match["d"]) <= calendar.monthrange(2000, month)[1]:
            return month, int(match["d"])
    return None

