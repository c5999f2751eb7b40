"""The article-level pass and the modality rules, on short reports written for these tests: what a whole
report says happened, once per happening."""

from datetime import date

import pytest

from protestwatch.records import DateValue, dates_compatible


def _by(mentions, event_type):
    return [m for m in mentions if m.type == event_type]


def _day(y, m, d):
    return DateValue(date(y, m, d), date(y, m, d), "day", year=y, month=m, day=d)


def test_a_country_wide_summary_is_evidence_of_the_city_event_not_another_event(parse):
    _, mentions = parse(
        "Police detained dozens of opposition supporters across Kyrgyzstan on Saturday. "
        "In Osh, officers detained 30 people outside the regional administration.",
        published=date(2024, 4, 14),
    )
    detentions = _by(mentions, "detention")
    assert {m.place.name for m in detentions} == {"Osh"}
    summary = next(m for m in detentions if "across" in m.sentence.text)
    assert summary.place_source == "article"
    assert summary.detained is None  # a national total is not laid onto one city
    city = next(m for m in detentions if m is not summary)
    assert (city.detained.min, city.detained.max) == (30, 30)


def test_a_region_wide_summary_is_evidence_of_the_event_in_a_city_of_that_region(parse):
    # Khujand lies in Sughd region (the ISO list and the city table may spell a region differently)
    _, mentions = parse(
        "Police detained dozens of opposition supporters across Tajikistan's Sughd region on Saturday. "
        "In Khujand, officers detained 30 opposition activists outside the town hall.",
        published=date(2024, 4, 14),
    )
    detentions = _by(mentions, "detention")
    assert {m.place.name for m in detentions} == {"Khujand"}
    summary = next(m for m in detentions if "across" in m.sentence.text)
    assert summary.detained is None


def test_a_region_wide_summary_stays_its_own_event_beside_a_city_of_another_region(parse):
    _, mentions = parse(
        "Police detained dozens of opposition supporters across Tajikistan's Sughd region on Saturday. "
        "In Kulob, officers detained 30 opposition activists outside the town hall.",
        published=date(2024, 4, 14),
    )
    assert {m.place.precision for m in _by(mentions, "detention")} == {"admin1", "city"}


def test_tear_gas_told_across_the_country_answers_the_protests_the_report_places_in_cities(parse):
    _, mentions = parse(
        "Security forces fired tear gas at demonstrators across Kyrgyzstan on Saturday. "
        "In Osh, thousands of people rallied outside the regional administration on Saturday, demanding new "
        "elections.", published=date(2024, 4, 14))
    assert {m.type for m in mentions} == {"protest"}  # the demonstrators tear-gassed are the city's too
    assert {m.place.name for m in mentions} == {"Osh"}
    protest = next(m for m in mentions if m.place_source == "sentence")
    answer = next(r for r in protest.state_response if r.value == "dispersal" and "tear gas" in r.span.text)
    assert answer.span.start < protest.sentence.start  # the country-wide sentence is the evidence
    # no protest placed on that day: the country-wide dispersal stays an event of its own
    _, mentions = parse(
        "Security forces fired tear gas at demonstrators across Kyrgyzstan on Saturday. "
        "On Monday, thousands of people rallied in Osh, demanding new elections.", published=date(2024, 4, 16))
    (dispersal,) = _by(mentions, "dispersal")
    assert dispersal.place.precision == "country"


def test_a_country_named_beside_its_cities_stands_for_the_other_places(parse):
    _, mentions = parse("Rallies were held in Osh, Naryn and several other cities of Kyrgyzstan on Sunday.",
                        published=date(2024, 4, 14))
    assert sorted(m.place.precision for m in _by(mentions, "protest")) == ["city", "city", "country"]


def test_other_places_named_after_the_country_are_those_places(parse):
    # the names after 'cities including' are cities, whatever the NER made of them (an organisation, a person)
    for text in ("Rallies also took place in other cities including Karaganda and Pavlodar.",
                 "Rallies also took place in several towns such as Karaganda and Pavlodar."):
        _, mentions = parse(f"Police detained dozens of people in Almaty on Sunday. {text}", published=date(2024, 5, 6))
        assert {m.place.name for m in mentions if m.type == "protest"} == {"Karagandy", "Pavlodar"}, text


def test_a_summary_on_another_day_stays_its_own_event(parse):
    _, mentions = parse(
        "Police detained activists across Kyrgyzstan on Friday. "
        "On Sunday, officers detained 30 people in Osh.",
        published=date(2024, 4, 14),
    )
    assert sorted(m.place.precision for m in _by(mentions, "detention")) == ["city", "country"]


def test_an_unplaced_sentence_continues_the_happening_told_next_to_it(parse):
    _, mentions = parse(
        "Two reporters covering the protest were also detained, their editor said. "
        "On Tuesday, villagers protested against a quarry in the village of Soyudlu in Azerbaijan, and police "
        "detained five of them.",
        published=date(2023, 6, 22),
    )
    detentions = _by(mentions, "detention")
    assert len(detentions) == 2
    assert all(m.place is not None and m.place.country == "AZ" for m in detentions)


@pytest.mark.parametrize(("a", "b", "compatible"), [
    (_day(2021, 2, 28), _day(2021, 2, 28), True),
    (_day(2021, 2, 28), _day(2021, 2, 27), False),
    (DateValue(date(2021, 2, 1), date(2021, 2, 28), "month", year=2021, month=2), _day(2021, 2, 10), True),
    (DateValue(None, None, "month-day", month=2, day=28), _day(2021, 2, 28), True),
    (DateValue(None, None, "month-day", month=3, day=1), _day(2021, 2, 28), False),
    (None, _day(2021, 2, 28), True),
])
def test_dates_compatible(a, b, compatible):
    assert dates_compatible(a, b) is compatible
    assert dates_compatible(b, a) is compatible


def test_police_news_with_no_tie_to_protest_or_politics_is_not_repression(parse):
    _, mentions = parse("Police arrested three men in Detroit on Tuesday after seizing heroin and cash in a raid. "
                        "A federal judge sentenced a former city official to five years in prison for bribery.",
                        published=date(2019, 9, 25))
    assert mentions == []
    _, mentions = parse("Police arrested three opposition activists in Detroit on Tuesday.", published=date(2019, 9, 25))
    assert [m.type for m in mentions] == ["detention"]


def test_a_diplomatic_summons_is_not_repression(parse):
    _, mentions = parse("The foreign ministry summoned the ambassador on Friday to lodge a complaint over his remarks.",
                        published=date(2023, 6, 9))
    assert _by(mentions, "summons") == []
    _, mentions = parse("Police summoned two activists in Almaty on Friday for questioning about the rally.",
                        published=date(2023, 6, 9))
    assert len(_by(mentions, "summons")) == 1


@pytest.mark.parametrize("text", [
    "The three unions agreed to strike in September over the staffing plan.",
    "Students hope to march to the ministry next week.",
    "The city gave permission for a rally on Saturday in the central square.",
    "The opposition announced a rally for Saturday in the central square.",
    "The march has been announced by the leader of the movement.",
    "Organisers must notify the police before holding any demonstration in a pedestrian area.",
    "Pensioners will take part in the march against the reform.",
    # a determiner shared across a coordination, a duty, a happening deterred, one yet to come
    "Organisers must inform the mayor's office a week before holding any picket or march in the city.",
    "Under the new rules, the organisers of a rally shall inform the police in advance.",
    "Police deployed hundreds of officers in Osh to deter a march against corruption.",
    "Police deployed hundreds of officers in Osh ahead of the planned march.",
    "Officers guarded the square before a rally planned by students for Friday.",
])
def test_planned_hoped_permitted_and_any_events_are_not_events(nlp, text):
    from protestwatch.extract.triggers import find_triggers

    sentence = next(nlp(text).sents)
    assert [t for t in find_triggers(nlp, sentence) if t.type == "protest"] == []


def test_an_arrest_announced_is_still_reported(nlp):
    from protestwatch.extract.triggers import find_triggers

    sentence = next(nlp("Police announced the arrest of five activists after the rally in Minsk.").sents)
    assert "detention" in {t.type for t in find_triggers(nlp, sentence)}


def test_other_senses_are_read_from_the_whole_report_not_only_the_parsed_sentences(parse):
    filler = " ".join(f"Analysts expected little change in sector number {n} this quarter." for n in range(30))
    text = ("Optimism over tax cuts helped fuel the rally on Wednesday. " + filler +
            " The Dow gained 300 points, the Nasdaq index rose and bond yields climbed as investors bought stocks.")
    _, mentions = parse(text, published=date(2017, 3, 1))
    assert mentions == []


def test_a_motorsport_rally_is_not_a_protest(parse):
    _, mentions = parse("The Spanish driver extended his lead in the overall standings of the desert rally after "
                        "winning the fifth stage on Thursday, with his co-driver navigating the dunes.",
                        published=date(2020, 1, 9))
    assert mentions == []


def test_every_city_of_a_list_is_a_place_whatever_the_ner_made_of_it(parse):
    _, mentions = parse("Marches were also held in Leeds, Norwich, Exeter and Penzance on Saturday.",
                        published=date(2025, 7, 19))
    assert sorted(m.place.name for m in _by(mentions, "protest")) == ["Exeter", "Leeds", "Norwich", "Penzance"]


def test_riot_police_called_in_are_neither_a_riot_nor_a_summons(nlp):
    from protestwatch.extract.triggers import find_triggers

    sentence = next(nlp("Riot police in full riot gear were called in to clear the square.").sents)
    assert {t.type for t in find_triggers(nlp, sentence)} <= {"dispersal"}


def test_a_foreign_country_named_in_passing_is_not_where_it_happened(parse):
    _, mentions = parse(
        "Thousands of teachers protested in Ulaanbaatar, Mongolia, on Monday. Prices have soared since Russia's "
        "invasion of Ukraine, and protesters said their wages no longer cover rent.",
        published=date(2022, 12, 6))
    assert {m.place.country for m in mentions if m.place} == {"MN"}


def test_a_country_after_a_place_preposition_is_where_it_happened(parse):
    _, mentions = parse("Students rallied in Almaty on Sunday. Solidarity protests were also held in Germany "
                        "on Sunday.", published=date(2022, 12, 6))
    assert {m.place.country for m in _by(mentions, "protest")} == {"KZ", "DE"}


def test_a_countrys_adjective_is_not_a_city_by_an_alternate_name(parse):
    # 'Kazakh' is an alternate name of Petropavl in GeoNames; 'the western Kazakh city of X' is X alone
    _, mentions = parse("Hundreds of people rallied in the western Kazakh city of Zhanaozen on Monday.",
                        published=date(2024, 5, 8))
    assert [m.place.name for m in mentions] == ["Zhanaozen"]


@pytest.mark.parametrize(("text", "city"), [
    ("Hundreds of pensioners rallied in Mongolia's capital on Monday.", "Ulan Bator"),
    ("Police detained 30 activists in the Kazakh capital on Sunday.", "Astana"),
    ("Hundreds rallied in the capital of Togo on Sunday.", "Lomé"),
    ("Hundreds rallied in Ulaanbaatar on Monday.", "Ulan Bator"),  # the capital's own region is the city
])
def test_a_capital_named_by_its_country_is_that_city(parse, text, city):
    _, mentions = parse(text, published=date(2022, 12, 6))
    assert {(m.place.name, m.place.precision) for m in mentions} == {(city, "city")}


def test_a_number_written_before_in_a_city_is_that_citys_count(parse):
    _, mentions = parse("Police detained at least 900 activists across Belarus on Sunday, including 210 in Minsk "
                        "and 75 in Gomel.", published=date(2020, 8, 10))
    counts = {m.place.name: (m.detained.min, m.detained.max) for m in _by(mentions, "detention")}
    assert counts == {"Minsk": (210, 210), "Homyel'": (75, 75)}  # GeoNames spells Gomel so


@pytest.mark.parametrize(("text", "summons"), [
    ("Another activist was asked to report at the police office in Kano on Monday for interrogation.", True),
    ("She said she was invited for questioning by the secret police on Friday.", True),
    ("The reporter was asked to report on the floods for the newspaper.", False),
])
def test_an_invitation_by_the_police_is_a_summons(nlp, text, summons):
    from protestwatch.extract.triggers import find_triggers

    sentence = next(nlp(text).sents)
    assert ("summons" in {t.type for t in find_triggers(nlp, sentence)}) is summons


def test_unrest_beside_a_riot_at_the_same_place_and_time_is_that_riot(parse):
    _, mentions = parse("Rioters set fire to cars in Dakar on Sunday. The unrest in Dakar left 16 people dead on "
                        "Sunday, officials said.", published=date(2023, 6, 4))
    assert {m.type for m in mentions} == {"riot"}
    _, mentions = parse("The unrest in Dakar continued on Sunday as crowds marched to the square.",
                        published=date(2023, 6, 4))
    assert "protest" in {m.type for m in mentions}


def test_a_district_named_once_is_the_city_the_report_is_about():
    from protestwatch.extract.article import settle_article
    from protestwatch.records import Mention, Place, Span

    def mention(i, event_type, place):
        sentence = Span(i * 100, i * 100 + 50, "a sentence of the report")
        return Mention(id=f"m{i}", document_id="d", type=event_type, sentence=sentence, trigger=sentence,
                       date=_day(2024, 4, 14), place=place)

    city = Place(text="Bishkek", name="Bishkek", country="KG", precision="city", lat=42.87, lon=74.59, geonames_id=1)
    suburb = Place(text="Ala-Archa", name="Ala-Archa", country="KG", precision="city", lat=42.80, lon=74.55,
                   geonames_id=2)
    far = Place(text="Osh", name="Osh", country="KG", precision="city", lat=40.51, lon=72.80, geonames_id=3)
    mentions = [mention(0, "protest", city), mention(1, "detention", city), mention(2, "dispersal", suburb),
                mention(3, "protest", far)]
    settled = settle_article(mentions)
    assert [m.place.name for m in settled] == ["Bishkek", "Bishkek", "Bishkek", "Osh"]
    assert settled[2].place.text == "Ala-Archa"  # the text as written stays the evidence


def test_a_tally_of_casualties_refers_back_to_the_happening_told(parse):
    _, mentions = parse(
        "Thousands of teachers marched in Bishkek on Monday against pay cuts. "
        "Police said on Thursday that at least nine people had been injured during the protests.",
        published=date(2024, 4, 19),
    )
    protests = _by(mentions, "protest")
    assert [m.date.start for m in protests if m.date] == [date(2024, 4, 15)]  # no second day for the tally
    _, plain = parse("Nine people were injured during protests in Bishkek on Monday.", published=date(2024, 4, 19))
    assert _by(plain, "protest")[0].date.start == date(2024, 4, 15)  # a day of its own is kept


def test_the_desks_of_a_credit_dateline_are_not_where_it_happened(parse):
    _, mentions = parse("Rallies spread\n\nNewswire, Paris/Minsk, August 12, 2024 - Thousands of people marched in "
                        "Grodno on Sunday against the election result, and in several regions of the country.")
    protests = _by(mentions, "protest")
    assert {m.place.country for m in protests} == {"BY"}
    assert {m.place.name for m in protests} >= {"Hrodna"}
    assert protests[0].date.start == _day(2024, 8, 11).start  # Sunday before the dateline's date


@pytest.mark.parametrize("text", [
    "Rallies were held in Osh and in Naryn, where police killed a protester.",
    "Demonstrations took place in the market towns of Osh and Naryn, where police also killed a protester.",
])
def test_a_where_clause_tells_what_happened_at_its_place(parse, text):
    _, mentions = parse(text, date(2024, 5, 6))
    assert {m.place.name for m in _by(mentions, "protest")} == {"Osh", "Naryn"}
    assert [m.place.name for m in _by(mentions, "violence_against_protesters")] == ["Naryn"]


def test_a_relative_clause_on_a_person_is_still_who_they_were(parse):
    _, mentions = parse("Hundreds marched in Osh for a student who was killed by police in 2019.", date(2024, 5, 6))
    assert _by(mentions, "violence_against_protesters") == [] and len(_by(mentions, "protest")) == 1


@pytest.mark.parametrize("text, types", [
    # a banned march is the ban; a march held in defiance of it is told by its own verb
    ("Police banned the march in Osh on Monday.", {"ban"}),
    ("Thousands defied a ban on protests and marched in Osh on Monday.", {"ban", "protest"}),
    # the modal of the verb that controls the clause: said they would try, not did
    ("Organisers said they would try to march in Osh on Monday.", set()),
    # dissolving the state's own bodies is no ban of a group; dissolving a party is
    ("The president dissolved parliament in Lima on Monday.", set()),
    ("A court in Osh dissolved the opposition party on Monday.", {"ban"}),
    # tear gas thrown by the crowd is its violence, by the police a dispersal
    ("Some radical activists hurled tear gas canisters at police in Lyon on Thursday.", {"riot"}),
    ("Police hurled tear gas canisters at the marchers in Lyon on Thursday.", {"dispersal", "protest"}),
])
def test_what_a_clause_reports_happened(parse, text, types):
    _, mentions = parse(text, date(2024, 5, 6))
    assert {m.type for m in mentions} == types


@pytest.mark.parametrize("text, types", [
    # a march with its own doers beside violence done by others: a protest and a riot
    ("Thousands marched in Lyon on Thursday, while some radical activists hurled tear gas canisters at police.",
     {"protest", "riot"}),
    ("Thousands marched peacefully in Lyon on Thursday, but clashes broke out near the prefecture.",
     {"protest", "riot"}),
    # the marchers' own violence: one violent demonstration
    ("Protesters marched through Lyon on Thursday and torched cars.", {"riot"}),
    ("Protesters torched cars in Lyon on Thursday.", {"riot"}),
])
def test_a_protest_beside_others_violence_is_both(parse, text, types):
    _, mentions = parse(text, date(2024, 5, 6))
    assert {m.type for m in mentions} == types


def test_protesters_named_again_after_a_riot_tell_of_that_riot_not_of_a_new_protest(parse):
    _, mentions = parse(
        "On Monday, hundreds of people stormed the town hall in Naryn and set cars on fire. "
        "Later footage showed protesters carrying away office chairs.",
        published=date(2024, 4, 16),
    )
    assert {m.type for m in mentions} == {"riot"}
    # a protest the report tells of in its own words stays a protest
    _, mentions = parse(
        "On Monday, hundreds of people stormed the town hall in Naryn. "
        "In Osh, thousands of protesters marched peacefully on Monday.",
        published=date(2024, 4, 16),
    )
    assert ("protest", "Osh") in {(m.type, m.place.name) for m in mentions}


def test_a_report_about_one_town_places_its_unplaced_happenings_there(parse):
    _, mentions = parse(
        "Two reporters were also detained on Thursday while covering the rallies. "
        "On Monday, about 200 residents of Naryn protested against a new mine.",
        published=date(2024, 4, 19),
    )
    reporters = next(m for m in mentions if m.type == "detention")
    assert reporters.place is not None and reporters.place.name == "Naryn"
    assert reporters.date.start == date(2024, 4, 18)  # its own day, not the rally's


def test_a_happening_told_across_the_country_is_not_laid_onto_the_last_city(parse):
    _, mentions = parse("Police dispersed a rally in Osh on Monday. Mobile internet was shut down across Kyrgyzstan.",
                        published=date(2024, 4, 16))
    (shutdown,) = _by(mentions, "internet_shutdown")
    assert shutdown.place.precision == "country"
    # the country only says whose police acted: the happening stays in the city already named
    _, mentions = parse("Police dispersed a rally in Osh on Monday. Police forces of Kyrgyzstan detained 20 "
                        "demonstrators.", published=date(2024, 4, 16))
    assert {m.place.name for m in _by(mentions, "detention")} == {"Osh"}


def test_there_is_the_place_named_last_even_in_a_sentence_that_told_no_happening(parse):
    _, mentions = parse("Police detained opposition activists in Osh on Monday. In Naryn, police cordoned off a "
                        "square where activists had planned to gather. At least two activists were detained there.",
                        published=date(2024, 4, 20))
    assert {m.place.name for m in _by(mentions, "detention")} == {"Osh", "Naryn"}
