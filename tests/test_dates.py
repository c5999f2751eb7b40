from datetime import date

import pytest

from protestwatch.extract.dates import find_dates, resolve_phrase


@pytest.mark.parametrize(
    ("phrase", "published", "expected"),
    [
        ("on Sunday", date(2021, 2, 28), date(2021, 2, 28)),  # article dated Sunday: that Sunday
        ("on Sunday", date(2021, 3, 3), date(2021, 2, 28)),  # most recent Sunday before a Wednesday
        ("Sunday's protests", date(2021, 2, 28), date(2021, 2, 28)),
        ("last Sunday", date(2021, 2, 28), date(2021, 2, 21)),
        ("on May 9", date(2018, 5, 10), date(2018, 5, 9)),
        ("on May 10", date(2018, 5, 10), date(2018, 5, 10)),
        ("on December 30", date(2019, 1, 2), date(2018, 12, 30)),  # never after the article date
        ("on 5 June 2019", None, date(2019, 6, 5)),
        ("on 2020-08-09", None, date(2020, 8, 9)),
        ("yesterday", date(2021, 3, 1), date(2021, 2, 28)),
        ("three days ago", date(2021, 3, 1), date(2021, 2, 26)),
    ],
)
def test_day_precision(phrase, published, expected):
    value = resolve_phrase(phrase, published)
    assert value is not None and value.precision == "day"
    assert value.start == value.end == expected


def test_month_day_without_article_date_keeps_year_unknown():
    value = resolve_phrase("demonstrators rallied on May 10 in the capital", None)
    assert value.precision == "month-day"
    assert (value.start, value.year, value.month, value.day) == (None, None, 5, 10)
    assert value.span.text == "May 10"


def test_month_resolves_to_its_whole_span_or_stays_yearless():
    with_year = resolve_phrase("In March, a court banned it", date(2018, 5, 10))
    assert (with_year.start, with_year.end, with_year.precision) == (date(2018, 3, 1), date(2018, 3, 31), "month")
    assert resolve_phrase("In March, a court banned it", None).year is None
    assert resolve_phrase("last August", date(2021, 6, 2)).start == date(2020, 8, 1)


def test_weekday_and_relative_need_an_article_date():
    assert resolve_phrase("on Sunday", None) is None
    assert resolve_phrase("yesterday", None) is None


def test_week_phrases():
    value = resolve_phrase("last week", date(2021, 2, 28))
    assert (value.start, value.end, value.precision) == (date(2021, 2, 15), date(2021, 2, 21), "week")


def test_the_weekend_and_this_month_are_the_ones_the_report_is_in():
    # a report of Wednesday 8 May 2024: the weekend just past is 4-5 May, not the report's day
    for phrase in ("at the weekend", "over the weekend", "last weekend"):
        value = resolve_phrase(f"Police detained 20 activists {phrase}.", date(2024, 5, 8))
        assert (value.start, value.end, value.precision) == (date(2024, 5, 4), date(2024, 5, 5), "week"), phrase
    # dated on a Sunday, 'at the weekend' is this one and 'last weekend' the one before
    assert resolve_phrase("at the weekend", date(2024, 5, 5)).start == date(2024, 5, 4)
    assert resolve_phrase("last weekend", date(2024, 5, 5)).start == date(2024, 4, 27)
    value = resolve_phrase("earlier this month", date(2024, 5, 8))
    assert (value.start, value.end, value.precision, value.month) == (date(2024, 5, 1), date(2024, 5, 31), "month", 5)


def test_month_words_that_are_ordinary_words_are_not_dates():
    assert find_dates("you may go to the May Day rally", 0, date(2021, 2, 28)) == []


def test_spans_are_document_offsets():
    text = "Police acted on Sunday."
    (value,) = find_dates(text, 100, date(2021, 2, 28))
    assert (value.span.start, value.span.end) == (100 + text.index("on Sunday"), 100 + len("Police acted on Sunday"))


def test_a_weekday_written_beside_its_day_is_that_day():
    published = date(2021, 12, 18)
    for text in ("asked to appear on Monday, December 20, 2021, at the office", "rallied on Friday (October 15)"):
        assert len(find_dates(text, 0, published)) == 1, text
    assert find_dates("asked to appear on Monday, December 20, 2021", 0, published)[0].start == date(2021, 12, 20)
    # a weekday apart from the written day is a day of its own
    assert len(find_dates("On Tuesday police said they had detained him on 5 March.", 0, published)) == 2


def test_a_year_alone_is_a_date_of_year_precision_wherever_the_sentence_puts_it():
    for text in ("In 2019, miners struck for a month.", "Miners struck in 2019.", "During early 2019 miners struck."):
        (value,) = find_dates(text, 0, date(2022, 6, 15))
        assert (value.start, value.end, value.precision) == (date(2019, 1, 1), date(2019, 12, 31), "year"), text
    assert find_dates("The 2019 law stands.", 0, date(2022, 6, 15)) == []


def test_the_first_end_of_a_period_takes_the_year_written_at_its_second():
    def written(text):
        return [(d.start, d.precision) for d in find_dates(text, 0, date(2021, 6, 1))]

    assert written("No internet from January to March 2020.") == [(date(2020, 1, 1), "month"), (date(2020, 3, 1), "month")]
    assert written("From November to February 2020 the site was down.")[0] == (date(2019, 11, 1), "month")
    assert written("The strike lasted from 3 January to 5 March 2020.")[0] == (date(2020, 1, 3), "day")
    # no period: a month alone is the latest one before the report
    assert written("The vote was moved to March.") == [(date(2021, 3, 1), "month")]
