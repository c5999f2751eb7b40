"""Which date dates a happening: its own clause's, not any date in the sentence (sentences written for
these tests)."""

from datetime import date

import pytest


def _one(mentions, event_type):
    (mention,) = [m for m in mentions if m.type == event_type]
    return mention


def test_a_date_that_modifies_another_noun_dates_that_noun(parse):
    _, mentions = parse("Since the March 3 coup, police have dispersed rallies in Yangon every week, and on Sunday "
                        "officers detained 30 activists in Yangon.", published=date(2021, 4, 12))
    assert _one(mentions, "detention").date.start == date(2021, 4, 11)


def test_the_date_of_the_happenings_own_clause_wins_over_the_date_it_was_told(parse):
    _, mentions = parse("A police spokesman told reporters on Monday that officers had detained 30 activists in "
                        "Osh on Saturday.", published=date(2024, 4, 16))
    assert _one(mentions, "detention").date.start == date(2024, 4, 13)


def test_since_starts_a_state_not_a_protest(parse):
    _, mentions = parse("Mobile internet has been blocked in Osh since Thursday.", published=date(2024, 4, 16))
    assert _one(mentions, "internet_shutdown").date.start == date(2024, 4, 11)
    _, mentions = parse("Hundreds of workers have protested in Osh since January, and on Monday police detained "
                        "their leaders in Osh.", published=date(2024, 4, 16))
    assert _one(mentions, "protest").date.start != date(2024, 1, 1)


def test_since_a_year_starts_a_state_in_that_year(parse):
    _, mentions = parse("Opposition marches have been banned in Lusaka since 2019. On Sunday police detained ten "
                        "protesters in Lusaka.", published=date(2021, 6, 7))
    ban = _one(mentions, "ban")
    assert (ban.date.start, ban.date.precision) == (date(2019, 1, 1), "year")
    assert _one(mentions, "detention").date.start == date(2021, 6, 6)


def test_a_date_in_a_participle_on_another_noun_dates_that_noun(parse):
    for text in ("Hundreds protested in Lusaka demanding the release of documents signed in March 2022.",
                 "Hundreds protested in Lusaka demanding that the budget approved in March 2022 be withdrawn."):
        _, mentions = parse(text, published=date(2023, 1, 10))
        assert _one(mentions, "protest").date.start != date(2022, 3, 1), text
    # a participle on the happening's own people still dates it
    _, mentions = parse("Police used tear gas to disperse students gathered outside the university in Lusaka on "
                        "Friday, October 14.", published=date(2022, 10, 16))
    assert _one(mentions, "dispersal").date.start == date(2022, 10, 14)


def test_a_day_after_the_report_does_not_date_a_happening_told_in_the_past(parse):
    _, mentions = parse("Thousands marched in Lusaka demanding early elections, moved from 2026 to April 2024.",
                        published=date(2023, 1, 10))
    assert _one(mentions, "protest").date.start <= date(2023, 1, 10)


def test_the_ends_of_a_period_date_no_single_happening(parse):
    _, mentions = parse("At least 21 protesters were killed by soldiers in Mandalay from March 3 to April 2.",
                        published=date(2021, 4, 12))
    assert _one(mentions, "violence_against_protesters").date.start not in (date(2021, 3, 3), date(2021, 4, 2))


def test_the_following_day_counts_from_the_date_told_before(parse):
    _, mentions = parse("Police dispersed a rally in Osh on Tuesday. Five more activists were detained in Osh "
                        "the following day.", published=date(2024, 4, 19))
    assert _one(mentions, "dispersal").date.start == date(2024, 4, 16)
    assert _one(mentions, "detention").date.start == date(2024, 4, 17)


def test_the_following_day_is_counted_once_for_every_happening_of_its_sentence(parse):
    _, mentions = parse("Police dispersed a rally in Osh on Tuesday. Five more activists were detained in Osh "
                        "the following day, as protests went on.", published=date(2024, 4, 19))
    assert {m.date.start for m in mentions if m.sentence.start > 0} == {date(2024, 4, 17)}


def test_a_weekday_in_an_undated_report_is_unknown_not_another_sentences_date(parse):
    _, mentions = parse("Police detained 30 activists in Osh on March 3. On Wednesday, officers dispersed a rally "
                        "in Osh.")
    assert (_one(mentions, "detention").date.month, _one(mentions, "detention").date.day) == (3, 3)
    assert _one(mentions, "dispersal").date is None


def test_an_undated_report_gives_a_days_year_where_it_states_it(parse):
    _, mentions = parse("Protesters rally in central Minsk on March 6, 2021.\n\n"
                        "MINSK - Police detained 40 activists in Minsk on Saturday (March 6) as people took to the "
                        "streets.")
    assert _one(mentions, "detention").date.start == date(2021, 3, 6)


def test_a_date_of_another_happening_is_that_happenings(parse):
    _, mentions = parse("A court in Minsk sentenced eight activists for taking part in a rally on August 10.",
                        published=date(2021, 3, 10))
    assert _one(mentions, "sentencing").date.start != date(2020, 8, 10)
    assert _one(mentions, "protest").date.start == date(2020, 8, 10)


def test_a_date_that_an_interval_sets_apart_is_not_the_happenings_day(parse):
    # a clause after 'two weeks after', a phrase after 'a week after': the rally is on another day
    _, mentions = parse("Police detained 20 students in Osh on 17 May. The students rallied in Osh two weeks "
                        "after the parliament passed the law on 3 May.", published=date(2024, 5, 20))
    assert _one(mentions, "protest").date.start == date(2024, 5, 17)
    _, mentions = parse("Farmers blocked the highway near Osh a week after the vote on 3 May.",
                        published=date(2024, 5, 20))
    assert _one(mentions, "protest").date.start != date(2024, 5, 3)
    # no interval: a rally after a speech that day is dated by it
    _, mentions = parse("Students rallied in Osh after the minister spoke on 3 May.", published=date(2024, 5, 20))
    assert _one(mentions, "protest").date.start == date(2024, 5, 3)


def test_a_happening_an_interval_sets_apart_is_counted_from_the_clause_it_hangs_on(parse):
    # 'a day after' the Tuesday of the main clause: the arrests were on Monday
    _, mentions = parse("The party leader accused the police of bias on Tuesday, a day after officers arrested "
                        "eight of its members in Osh.", published=date(2024, 5, 9))
    detention = _one(mentions, "detention")
    assert detention.date.start == date(2024, 5, 6)
    assert "Tuesday" in detention.date.span.text and "a day after" in detention.date.span.text
    # 'two weeks before' counts forward, the same day and month without a year when the report has none
    _, mentions = parse("Students marched in Osh on 3 May, two weeks before the mayor banned all rallies in the "
                        "city.", published=None)
    ban = _one(mentions, "ban")
    assert (ban.date.year, ban.date.month, ban.date.day) == (None, 5, 17)
    # the clause it hangs on has no day: the happening has none, not the day the report told last
    _, mentions = parse("Police dispersed a rally in Osh on Monday. The union accused the government of "
                        "repression, two days after officers detained 12 strikers in Naryn.",
                        published=date(2024, 5, 9))
    (naryn,) = [m for m in mentions if m.type == "detention" and m.place.name == "Naryn"]
    assert naryn.date is None
    # an interval not counted in days leaves the day unknown
    _, mentions = parse("The activists went on hunger strike on 30 May, a month after police detained them in "
                        "Osh.", published=date(2024, 6, 2))
    assert _one(mentions, "detention").date is None


def test_a_past_perfect_under_the_telling_is_not_dated_by_the_telling(parse):
    # before Wednesday, on a day the text does not state: neither Wednesday nor the day told last
    _, mentions = parse("Police dispersed a rally in Osh on Monday. On Wednesday, officials acknowledged that "
                        "protesters had been injured.", published=date(2024, 5, 9))
    assert _one(mentions, "violence_against_protesters").date is None
    # a simple past under the telling keeps the telling's day
    _, mentions = parse("On Wednesday, officials said police detained 20 protesters in Osh.",
                        published=date(2024, 5, 9))
    assert _one(mentions, "detention").date.start == date(2024, 5, 8)


def test_a_date_in_a_relative_clause_on_a_place_dates_what_that_clause_tells(parse):
    for text in ("Police dispersed a rally in Osh on Monday. Hundreds of teachers protested outside the city "
                 "council, which on Tuesday approved the new budget.",
                 "Police dispersed a rally in Osh on Monday. Hundreds of teachers picketed the city "
                 "council which on Tuesday approved the new budget."):
        _, mentions = parse(text, published=date(2024, 4, 20))
        assert date(2024, 4, 16) not in {m.date.start for m in mentions}, text
    # the happening's own people: their relative clause still dates it
    _, mentions = parse("Teachers who marched in Osh on Monday were detained.", published=date(2024, 4, 20))
    assert _one(mentions, "detention").date.start == date(2024, 4, 15)
    _, mentions = parse("Police in Osh arrested hundreds of protesters who clashed with them on Monday.",
                        published=date(2024, 4, 20))
    assert _one(mentions, "detention").date.start == date(2024, 4, 15)


def test_a_happening_told_in_the_past_perfect_is_not_dated_by_the_day_the_report_is_at(parse):
    _, mentions = parse("Hundreds of students marched in Osh on Sunday. The mayor had banned all rallies in Osh.",
                        published=date(2024, 4, 16))
    assert _one(mentions, "protest").date.start == date(2024, 4, 14)
    assert _one(mentions, "ban").date is None
    # told in the simple past, the ban goes on the day the report is at
    _, mentions = parse("Hundreds of students marched in Osh on Sunday. The mayor banned all rallies in Osh.",
                        published=date(2024, 4, 16))
    assert _one(mentions, "ban").date.start == date(2024, 4, 14)
    # its own date still dates it
    _, mentions = parse("Hundreds of students marched in Osh on Sunday. The mayor had banned all rallies in Osh on "
                        "Friday.", published=date(2024, 4, 16))
    assert _one(mentions, "ban").date.start == date(2024, 4, 12)


def test_a_state_told_over_a_period_is_dated_by_the_day_it_began(parse):
    _, mentions = parse("Authorities cut off the internet in Osh from 3 January to 5 March.", published=date(2021, 6, 1))
    assert _one(mentions, "internet_shutdown").date.start == date(2021, 1, 3)
    # a count summed over a period is not dated by its first day
    _, mentions = parse("At least 21 protesters were killed by soldiers in Osh from 3 January to 5 March.",
                        published=date(2021, 6, 1))
    assert _one(mentions, "violence_against_protesters").date.start != date(2021, 1, 3)


def test_a_period_of_months_dates_a_state_by_its_first_month_and_a_count_by_neither(parse):
    _, mentions = parse("Authorities cut off the internet in Osh from January to March 2020.", published=date(2021, 6, 1))
    shutdown = _one(mentions, "internet_shutdown").date
    assert (shutdown.start, shutdown.precision) == (date(2020, 1, 1), "month")
    _, mentions = parse("At least 21 protesters were killed by soldiers in Osh from January to March 2020.",
                        published=date(2021, 6, 1))
    assert _one(mentions, "violence_against_protesters").date.start not in (date(2020, 1, 1), date(2020, 3, 1))


@pytest.mark.parametrize("text", [
    "Police detained 40 protesters who defied a ban on public gatherings in Dhaka on Thursday.",
    "Hundreds marched in Kampala on Tuesday despite the ban on the protest.",
    "Students rallied in Lagos on Monday in defiance of the curfew ban.",
])
def test_a_ban_people_defy_was_set_on_a_day_not_told(parse, text):
    _, mentions = parse(text, published=date(2024, 7, 20))
    bans = [m for m in mentions if m.type == "ban"]
    assert bans and all(m.date is None for m in bans)
    assert all(m.date is not None for m in mentions if m.type != "ban")  # the defiance keeps its day


def test_a_ban_imposed_on_a_day_keeps_it(parse):
    _, mentions = parse("Police banned the march in Kampala on Tuesday.", published=date(2024, 7, 20))
    assert [m.date.start for m in mentions if m.type == "ban"] == [date(2024, 7, 16)]


@pytest.mark.parametrize("published", [date(2023, 3, 8), None])
def test_a_season_dates_no_day_and_borrows_none(parse, published):
    _, mentions = parse("Police detained 12 activists in Nukus on Monday. Unprecedented protests erupted in Bukhara "
                        "last summer over the new constitution.", published=published)
    (season,) = [m for m in mentions if m.type == "protest" and m.place is not None and m.place.name == "Bukhara"]
    assert season.date is None
