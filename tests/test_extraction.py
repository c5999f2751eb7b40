"""The extraction stage on short reports written for these tests: one mention per (sentence, type, place),
fields with evidence, context carried across sentences."""

from datetime import date


def _by(mentions, event_type, place=None):
    return [m for m in mentions if m.type == event_type and (place is None or (m.place and m.place.name == place))]


def test_every_field_points_at_its_text(parse):
    document, mentions = parse(
        "Police in Bishkek detained at least 20 people on Saturday as several hundred demonstrators rallied "
        "outside the city hall, demanding the resignation of the mayor.",
        published=date(2023, 3, 12),
    )
    (detention,) = _by(mentions, "detention", "Bishkek")
    (protest,) = _by(mentions, "protest", "Bishkek")
    assert detention.date.start == date(2023, 3, 11) and detention.date.span.text == "on Saturday"
    assert (detention.detained.min, detention.detained.max) == (20, None)
    assert (protest.participants.min, protest.participants.max) == (300, 999)
    assert [d.category for d in protest.demands] == ["removal_of_politician"]
    assert {(a.name, a.role, a.kind) for a in detention.actors} >= {("Police", "perpetrator", "police")}
    for mention in (detention, protest):
        for span in [mention.trigger, mention.date.span, mention.place.span] + [a.span for a in mention.actors]:
            assert document.text[span.start:span.end] == span.text


def test_context_carries_date_and_place_and_both_cities(parse):
    _, mentions = parse(
        "In Astana, demonstrators rallied on May 10. In Almaty, protesters held up portraits of prisoners. "
        "In both cities, police detained an unspecified number of protesters."
    )
    detentions = _by(mentions, "detention")
    assert sorted(m.place.name for m in detentions) == ["Almaty", "Astana"]
    assert all((m.date.month, m.date.day, m.date.year) == (5, 10, None) for m in detentions)
    assert all(m.date_source == "context" for m in detentions)
    assert all((m.detained.min, m.detained.max) == (1, None) for m in detentions)


def test_several_other_cities_is_country_precision_not_invented_cities(parse):
    _, mentions = parse("Protests took place in Astana, Almaty and several other cities in Kazakhstan on May 10.")
    places = sorted((m.place.name, m.place.precision) for m in _by(mentions, "protest"))
    assert places == [("Almaty", "city"), ("Astana", "city"), ("Kazakhstan", "country")]


def test_country_beside_its_city_is_an_address(parse):
    _, mentions = parse("Roughly 50 protesters were detained in Kazakhstan's biggest city, Almaty, on Sunday.",
                        published=date(2021, 2, 28))
    assert {m.place.name for m in mentions} == {"Almaty"}


def test_ban_target_resolves_the_movement_and_court_is_perpetrator(parse):
    _, mentions = parse(
        "The rallies were spearheaded by the banned Democratic Choice of Kazakhstan (DVK) movement. "
        "In March, a court in Astana banned the movement, branding it an extremist organization."
    )
    (ban,) = _by(mentions, "ban")
    assert ban.place.name == "Astana" and ban.date.month == 3 and ban.date.year is None
    actors = {(a.name, a.role, a.kind) for a in ban.actors}
    assert ("Democratic Choice of Kazakhstan (DVK)", "target", "group") in actors
    assert any(a.kind == "court" and a.role == "perpetrator" for a in ban.actors)


def test_organizers_named_anywhere_organize_the_reports_protests(parse):
    _, mentions = parse(
        "Hundreds rallied in Almaty on Sunday. The rally was organized by the Oyan Qazaqstan movement.",
        published=date(2022, 1, 9),
    )
    protests = _by(mentions, "protest", "Almaty")
    assert protests and all(
        any(a.role == "organizer" and "Oyan Qazaqstan" in a.name for a in m.actors) for m in protests
    )


def test_slogans_become_tactics_and_demands_not_events_or_places(parse):
    _, mentions = parse(
        'In Tbilisi, demonstrators chanted "No to the Russian law!" and "Free the political prisoners!" on Sunday.',
        published=date(2023, 3, 12),
    )
    assert {m.type for m in mentions} == {"protest"}
    (protest,) = mentions
    assert protest.place.name == "Tbilisi"
    assert {t.quote for t in protest.tactics if t.value == "chanting"} == {
        "No to the Russian law!", "Free the political prisoners!"}
    assert "release_of_prisoners" in {d.category for d in protest.demands}


def test_demand_only_sentence_adds_to_the_protest_it_follows(parse):
    _, mentions = parse(
        "Several hundred people rallied in Minsk on Sunday. The protesters were calling for new elections.",
        published=date(2020, 8, 16),
    )
    (protest,) = _by(mentions, "protest", "Minsk")
    assert "political_behavior_process" in {d.category for d in protest.demands}


def test_internet_block_is_an_event_and_a_response(parse):
    _, mentions = parse("Roughly 50 protesters were detained in Almaty, and the internet appeared to have been blocked.",
                        published=date(2021, 2, 28))
    assert {m.type for m in mentions} == {"protest", "detention", "internet_shutdown"}
    (protest,) = _by(mentions, "protest")
    assert {"arrests", "internet_block"} <= {r.value for r in protest.state_response}


def test_no_trigger_no_mention(parse):
    _, mentions = parse("Temperatures in Almaty reached 18 degrees on Tuesday, forecasters said.",
                        published=date(2023, 3, 1))
    assert mentions == []


def test_a_place_written_after_another_is_its_address(parse):
    _, mentions = parse("On 5 May 2020, in Guadalajara, Jalisco, workers demonstrated to ask for financial support.")
    assert {m.place.name for m in mentions} == {"Guadalajara"}
    _, mentions = parse("On 5 May 2020, residents protested in Bhopal city (Bhopal, Madhya Pradesh) over water cuts.")
    assert {m.place.name for m in mentions} == {"Bhopal"}


def test_violence_by_a_crowd_of_civilians_is_a_riot(parse):
    """Mob violence: the doer is a crowd (subject, 'by' agent, a counted plural of people, or a noun
    phrase the parser hung on a fronted place), whoever the victims are."""
    for text in [
        "On 2 June 2021, a man accused of theft was beaten up by villagers in Osh.",
        "On 2 June 2021, in Osh, Kyrgyzstan, about 40 residents of the Zhapalak district lynched two armed robbers.",
        "On 2 June 2021, six persons beat up a bus driver in Osh over a fare dispute.",
        "On 2 June 2021, supporters of two rival parties fought one another in Osh during a campaign meeting.",
        "On 2 June 2021, a group of people attacked a television office in Osh.",
    ]:
        _, mentions = parse(text, published=date(2021, 6, 5))
        assert [m.type for m in mentions] == ["riot"], text
        assert mentions[0].place.name == "Osh"


def test_violence_by_armed_men_or_against_things_is_no_riot(parse):
    for text in [
        "On 2 June 2021, gunmen attacked a police post in Osh, killing two officers.",
        "On 2 June 2021, a bomb killed five people at a market in Osh.",
        "On 2 June 2021, unknown persons attacked a shop in Osh.",  # not a counted crowd: a crime
        "On 2 June 2021, residents of Osh were beating drums all night at a wedding.",
    ]:
        _, mentions = parse(text, published=date(2021, 6, 5))
        assert not [m for m in mentions if m.type in ("riot", "violence_against_protesters")], text


def test_armed_doers_gunfire_and_weapons_make_no_crowd(parse):
    """ACLED codes these as attacks or armed clashes, not mob violence."""
    for text in [
        "On 2 June 2021, a group of armed men attacked a family in a village near Osh.",
        "On 2 June 2021, a group of police officers beat up two traders in a village near Osh.",
        "On 2 June 2021, six villagers attacked a family with machetes near Osh.",
        "On 2 June 2021, three residents shot two men outside a shop near Osh.",
        "On 2 June 2021, two men beat up a journalist outside his home in Osh.",  # an assault, not a mob
    ]:
        _, mentions = parse(text, published=date(2021, 6, 5))
        assert not [m for m in mentions if m.type in ("riot", "violence_against_protesters")], text


def _protest_responses(mentions):
    return {r.value for m in mentions if m.type == "protest" for r in m.state_response}


def test_an_arrest_of_the_protesters_told_in_the_next_sentence_answers_the_protest(parse):
    _, mentions = parse("On 4 May 2020, several workers staged a demonstration in front of the office in Siliguri "
                        "(Darjeeling district, West Bengal) against ration corruption. The Police intervened and "
                        "detained them for breaching the government protocols.")
    assert "arrests" in _protest_responses(mentions)


def test_police_intervening_is_an_intervention(parse):
    from protestwatch.schema import typemap

    _, mentions = parse("On 4 May 2020, about 40 employees demonstrated outside the company in Port Elizabeth, "
                        "demanding their wages. Police intervened.")
    assert _protest_responses(mentions) == {"intervention"}
    assert typemap.acled("protest", ["intervention"])["sub_event_type"] == "Protest with intervention"


def test_an_arrest_of_someone_else_later_is_not_the_protests_answer(parse):
    _, mentions = parse("On 4 May 2020, about 40 employees demonstrated outside the company in Port Elizabeth, "
                        "demanding their wages. On 5 May, police arrested a journalist in Durban.")
    assert "arrests" not in _protest_responses(mentions)


def test_a_happening_dated_years_before_the_story_is_not_placed_where_the_story_is(parse):
    from datetime import date

    story = "Police detained 20 activists in Osh on Monday, and Kyrgyz officials defended the arrests. "
    _, mentions = parse(story + "In 2016, the government blocked social media for a week.", published=date(2024, 5, 9))
    (shutdown,) = [m for m in mentions if m.type == "internet_shutdown"]
    assert shutdown.date.precision == "year" and shutdown.date.start.year == 2016
    assert (shutdown.place.precision, shutdown.place.country) == ("country", "KG")
    # the same happening told on a day of the story is placed where the story is
    _, mentions = parse(story + "On Tuesday, the government blocked social media for a week.", published=date(2024, 5, 9))
    (shutdown,) = [m for m in mentions if m.type == "internet_shutdown"]
    assert shutdown.place.name == "Osh"


def test_each_happening_is_at_the_places_of_its_own_clause_and_other_cities_are_the_lists_others(parse):
    _, mentions = parse("Rallies took place in Almaty, Shymkent and Aktobe on Sunday. In Almaty police detained 50 "
                        "people, while in other cities police dispersed the crowds.", published=date(2021, 3, 1))
    assert {m.place.name for m in _by(mentions, "detention")} == {"Almaty"}
    dispersals = _by(mentions, "dispersal")
    assert {m.place.name for m in dispersals} == {"Shymkent", "Aktobe"}
    assert {m.place.text for m in dispersals} == {"other cities"}  # the evidence is the words that said it


def test_other_cities_with_no_list_before_stay_the_country(parse):
    _, mentions = parse("Police detained 50 people in Almaty on Sunday, while in other cities police dispersed "
                        "the crowds.", published=date(2021, 3, 1))
    assert {(m.place.name, m.place.precision) for m in _by(mentions, "dispersal")} == {("Kazakhstan", "country")}


def test_a_clause_set_beside_another_tells_its_own_place_a_circumstance_shares_it(parse):
    _, mentions = parse("Thousands rallied in Almaty on Sunday, and police detained 50 people in Shymkent.",
                        published=date(2021, 3, 1))
    assert {(m.type, m.place.name) for m in mentions} == {("protest", "Almaty"), ("detention", "Shymkent")}
    # 'as', 'when': the clause tells how the happening came about, and where
    _, mentions = parse("Two men were killed in Barisal as assailants hurled a petrol bomb at their vehicle in "
                        "Gaurnadi.", published=date(2015, 2, 5))
    assert "Gaurnadi" in {m.place.name for m in _by(mentions, "attack")}
