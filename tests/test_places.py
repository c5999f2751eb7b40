from datetime import date

import pytest


@pytest.mark.parametrize("name", ["Astana", "Nur-Sultan", "Akmola", "Nursultan", "Tselinograd"])
def test_astana_under_all_its_names(gazetteer, name):
    place = gazetteer.resolve(name, prefer=("KZ",))
    assert (place.name, place.country, place.precision, place.geonames_id) == ("Astana", "KZ", "city", 1526273)


@pytest.mark.parametrize("name", ["Almaty", "Alma-Ata", "Almaty city"])
def test_almaty_alternate_names(gazetteer, name):
    place = gazetteer.resolve(name, prefer=("KZ",))
    assert place.name == "Almaty" and place.geonames_id == 1526384
    assert place.lat == pytest.approx(43.25, abs=0.05) and place.lon == pytest.approx(76.91, abs=0.05)


def test_countries_and_adjectives(gazetteer):
    country = gazetteer.resolve("Kazakhstan's")
    assert (country.precision, country.country, country.geonames_id) == ("country", "KZ", 1522867)
    assert country.lat is not None
    assert gazetteer.country("Kazakh") == "KZ"
    assert gazetteer.country("Russian") == "RU"
    assert gazetteer.country("Belarusian") == "BY"


@pytest.mark.parametrize(("name", "code"), [("Burma", "MM"), ("DRC", "CD"), ("Britain", "GB"), ("U.S.", "US"),
                                            ("Democratic Republic of Congo", "CD"), ("West Bank", "PS")])
def test_country_names_news_use(gazetteer, name, code):
    place = gazetteer.resolve(name)
    assert (place.precision, place.country) == ("country", code)


def test_a_compass_point_before_a_city_names_a_part_of_it(gazetteer):
    assert (gazetteer.resolve("Central Karachi").name, gazetteer.resolve("South Delhi").name) == ("Karachi", "Delhi")
    assert gazetteer.resolve("South Lebanon") is None  # a part of the country, not Lebanon, Pennsylvania
    assert gazetteer.resolve("Central Bank") is None  # not Bank, India: only a large city has named parts
    assert gazetteer.resolve("North Kordofan").precision == "admin1"


def test_us_alone_is_no_country(gazetteer):
    assert gazetteer.country("US") is None  # 'the US dollar'; "U.S." and "USA" are


def test_report_country_breaks_ties_between_same_named_cities(gazetteer):
    assert gazetteer.resolve("Birmingham", prefer=("US",)).country == "US"
    assert gazetteer.resolve("Birmingham", prefer=("GB",)).country == "GB"


def test_regions_have_admin1_precision(gazetteer):
    place = gazetteer.resolve("Texas")
    assert (place.precision, place.country, place.admin1) == ("admin1", "US", "Texas")


def test_unknown_names_resolve_to_nothing(gazetteer):
    assert gazetteer.resolve("Qwertyzstan", prefer=("KZ",)) is None
    assert gazetteer.resolve("") is None


def test_a_region_of_the_reports_country_is_not_a_namesake_town_abroad(gazetteer):
    # the press writes 'Chui region' for Kyrgyzstan's Chüy; a town named Chui lies in Uruguay
    for text in ("Chui region", "Chui"):
        place = gazetteer.resolve(text, prefer=("KG",))
        assert place is None or place.country == "KG"
    assert gazetteer.resolve("Chui").country == "UY"  # a report that names no country may mean the town
    # a city that shares its name with a region of another country the report names is still the city
    assert (gazetteer.resolve("Jerusalem city", prefer=("PS",)).country,
            gazetteer.resolve("Jerusalem city", prefer=("PS",)).precision) == ("IL", "city")


def test_a_name_the_text_calls_a_region_is_not_a_namesake_town_abroad(parse):
    # the NER finds 'Chui' and leaves 'region' out; no country is named for the report to prefer
    _, mentions = parse("At least 15 people were placed in the detention centre of the police of Bishkek and the "
                        "districts of Chui region after the rally in Bishkek.", published=date(2024, 4, 14))
    assert {m.place.country for m in mentions if m.place is not None} == {"KG"}


def test_a_regions_english_name_is_an_address(gazetteer):
    bishkek = gazetteer._named("bishkek")[0]
    assert gazetteer.in_area(bishkek, "Chui region")  # GeoNames: Chuy
    assert not gazetteer.in_area(bishkek, "Issyk-Kul region")


def test_a_region_in_the_report_decides_which_namesake_city_is_meant(parse):
    # San Antonio is largest in Texas; the region in brackets says the report is about Chile.
    _, mentions = parse("On 9 May 2020, in San Antonio (Valparaiso), a group of citizens demonstrated against "
                        "the arrival of a family from abroad.")
    places = {(m.place.name, m.place.country) for m in mentions if m.place}
    assert ("San Antonio", "CL") in places
    assert all(country != "US" for _, country in places)


def test_a_namesake_abroad_gives_way_to_a_place_in_the_reports_country(parse):
    # 'Gota' would otherwise be read as Gotha, Germany
    _, mentions = parse("On 8 May 2020, nearly 2000 migrant laborers gathered at Gota area of Ahmedabad city "
                        "(Ahmedabad, Gujarat), demanding to return home.")
    places = {(m.place.name, m.place.country) for m in mentions if m.place}
    assert places and all(country == "IN" for _, country in places)


def test_a_large_city_abroad_is_kept_beside_places_at_home(parse):
    _, mentions = parse("On 9 May 2020, protesters in Almaty, Kazakhstan, marched in solidarity as thousands "
                        "rallied in Minsk.")
    places = {(m.place.name, m.place.country) for m in mentions if m.place}
    assert ("Minsk", "BY") in places


def test_the_address_written_after_a_place_name_is_read():
    from protestwatch.extract.place_patterns import address_after

    def areas(text, name):
        return [a for a, *_ in address_after(text, text.index(name) + len(name))]

    assert areas("held a protest in Badah town (Larkana, Sindh), against", "Badah") == ["Larkana", "Sindh"]
    assert areas("in Coatzacoalcos, Veracruz, less than 10 lawyers", "Coatzacoalcos") == ["Veracruz"]
    assert areas("in the town of Atareb in Aleppo province denouncing", "Atareb") == ["Aleppo"]
    assert areas("in Pakdi area of Ballia district (UP). 1 killed", "Pakdi") == ["Ballia", "UP"]
    assert areas("protested in Almaty on Sunday", "Almaty") == []
    # a sentence's full stop ends the name; a short abbreviation's dot does not
    assert areas("in Orangi town, Karachi. Protesters said", "Orangi") == ["Karachi"]
    assert areas("in Kirkwood, St. Louis County, on", "Kirkwood") == ["St. Louis County"]
    text = "protests in Astana, Almaty and Shymkent"  # a list: each is checked as an area, none is one
    assert areas(text, "Astana") == ["Almaty"]
    address = address_after("in Badah town (Larkana, Sindh)", len("in Badah"))
    assert [("in Badah town (Larkana, Sindh)"[s:e], s, e, b) for _, s, e, b in address] == [
        ("Larkana", 15, 22, True), ("Sindh", 24, 29, True)]


@pytest.mark.parametrize(("name", "address", "country", "admin1"), [
    ("Hyderabad", ("Hyderabad", "Sindh"), "PK", "Sindh"),  # the district matches both; the province one
    ("La Paz", ("Baja California Sur",), "MX", "Baja California Sur"),
    ("Rawson", ("Chubut",), "AR", "Chubut"),
    ("Karu", ("Karu LGA", "Nasarawa"), "NG", "Nassarawa"),  # spelt differently in GeoNames
    ("Tarim", ("Tarim", "Hadramawt"), "YE", "Muhafazat Hadramawt"),  # a town below the city list's floor
    ("Pati", ("Barwani", "MP"), None, None),  # short form of Madhya Pradesh; no Pati there in the data
])
def test_an_address_decides_between_namesakes(gazetteer, name, address, country, admin1):
    place = gazetteer.resolve(name, address=address)
    if country is None:
        assert place is None or place.country == "IN"  # never Pati, Indonesia
    else:
        assert (place.country, place.admin1, place.precision) == (country, admin1, "city")


def test_an_address_in_another_country_rules_a_namesake_out(gazetteer):
    assert gazetteer.resolve("Dunda").country == "TZ"
    assert gazetteer.resolve("Dunda", address=("Uttarakhand",)) is None


def test_small_towns_need_an_address_or_the_reports_country(gazetteer):
    assert gazetteer.resolve("Tarim") is None
    assert gazetteer.resolve("Tarim", prefer=("YE",)).country == "YE"


def test_an_address_is_not_a_place_of_its_own(parse):
    _, mentions = parse("On 7 May 2020, hundreds of people protested in Tarim (Tarim, Hadramawt) against insecurity.")
    assert {(m.place.name, m.place.country, m.place.span.text) for m in mentions} == {("Tarim", "YE", "Tarim")}
    _, mentions = parse("On 4 May 2020, in Coatzacoalcos, Veracruz, less than 10 lawyers demonstrated to request "
                        "a reopening of the courts.")
    assert {m.place.name for m in mentions} == {"Coatzacoalcos"}
    # in brackets it is an address even where the table knows no district for the town
    _, mentions = parse("On 4 May 2020, residents held a protest demonstration in Shahdadpur town (Sanghar, Sindh), "
                        "against non-provision of rations.")
    assert {(m.place.name, m.place.admin1) for m in mentions} == {("Shahdadpur", "Sindh")}


def test_names_the_parser_or_ner_missed(parse):
    # Thessaloniki tagged NORP and hung under 'demanding'; 'Huejutla de Reyes' tagged ORG
    _, mentions = parse("On 7 May 2020, at least 20 artists rallied in Thessaloniki demanding support for art workers.")
    assert {(m.place.name, m.place.country) for m in mentions} == {("Thessaloníki", "GR")}
    _, mentions = parse("On 5 May 2020, in Huejutla de Reyes, Hidalgo, traders in one market demonstrated against "
                        "the measures.")
    assert {m.place.name for m in mentions} == {"Huejutla de Reyes"}


def test_capitalised_common_nouns_and_nationalities_are_not_places(parse):
    _, mentions = parse("On 1 May 2020, in Valparaiso, Valparaiso, workers marched. A group of demonstrators threw "
                        "stones at the Police, who used tear gas.")
    assert {m.place.name for m in mentions if m.place} == {"Valparaíso"}
    _, mentions = parse("On 29 April 2020, on a highway in the north part of Bogota, around 500 Venezuelan migrants "
                        "protested to demand that local authorities let them leave.")
    assert {(m.place.name, m.place.country) for m in mentions} == {("Bogotá", "CO")}


def test_the_lead_sentence_places_events_told_later(parse):
    _, mentions = parse("On 8 May 2020, in Iquique (Tarapaca), a group of citizens set on fire barricades across "
                        "the streets. Police forces of Chile dispersed the demonstrators.")
    dispersal = next(m for m in mentions if m.type == "dispersal")
    assert (dispersal.place.name, dispersal.place_source) == ("Iquique", "context")


def test_the_town_of_names_a_settlement(parse):
    # a town below the city list's floor, in another country than the one the sentence's nationality names
    _, mentions = parse("On 8 May 2020, Israeli forces stormed the town of Kafr Qaddum and suppressed the weekly "
                        "march by firing tear gas at protesters.")
    assert {(m.place.name, m.place.country) for m in mentions} == {("Kafr Qaddum", "PS")}


@pytest.mark.parametrize(("text", "expected"), [
    # 'of' after an area word; a name before the address that confirms it; an entity with its address inside
    ("On 6 May 2020, residents burned tires and barricaded roads in several areas of Bamako (Bamako).", ("Bamako", "ML")),
    ("On 28 April 2020, a group of citizens from Redeyef (Gafsa) protested to demand a medical center.", ("Ar Rudayyif", "TN")),
    ("On 28 April 2020, Carora, Lara state, public transportation drivers protested to demand fuel.", ("Carora", "VE")),
    ("On 3 May 2020, citizens protested from their balconies in Nis, Serbia, against the government.", ("Niš", "RS")),
    # 'Ouest' is also a region of Haiti: compass names say nothing of the country
    ("On 9 May 2020, residents demonstrated in Bafoussam town (Mifi, Ouest) over a killing.", ("Bafoussam", "CM")),
    # a town the NER tags as a place, below the city list's floor
    ("On 1 May 2020, protesters gathered in Zgharta and demanded better living conditions.", ("Zgharta", "LB")),
    # a capital that is its own region; a facility after 'the' is not the Indonesian city Metro
    ("On 2 May 2021, in Ciudad de Mexico, cleaners of the Metro protested over unpaid wages.", ("Mexico City", "MX")),
    # the NER tags only the start of a longer name
    ("On 3 May 2021, in San Martin Texmelucan de Labastida, Puebla, farmers blocked a highway.",
     ("San Martin Texmelucan de Labastida", "MX")),
    # a part of a city written with the city's possessive
    ("On 4 May 2021, depositors rallied outside a bank in Beirut's Hamra district.", ("Beirut", "LB")),
    # ... and the possessive of a capital called by its region's name
    ("On 5 May 2021, pensioners rallied in Ulaanbaatar's main square over prices.", ("Ulan Bator", "MN")),
    # a settlement's name the tagger took for an adjective, confirmed by its address
    ("On 6 May 2021, farmers protested in Radhan town (Larkana, Sindh) against water theft.", ("Goth Radhan", "PK")),
    # the ends of a route are not the place; the district named after it is
    ("On 7 May 2021, drivers held a protest at the Mumbai-Barwani stretch of a highway in Barwani district over fuel prices.",
     ("Barwāni", "IN")),
    # where people had come from is not where they protested
    ("On 5 May 2021, in Cerro De Pasco municipality, Pasco, residents protested against travellers who had "
     "come from Lima.", ("Cerro de Pasco", "PE")),
])
def test_more_ways_reports_name_places(parse, text, expected):
    _, mentions = parse(text)
    assert {(m.place.name, m.place.country) for m in mentions if m.place} == {expected}


@pytest.mark.parametrize(("text", "expected"), [
    # the people of a place, whatever the NER calls the name
    ("Ludhiana citizens held a candle march against the killing of a shopkeeper.", ("Ludhiana", "IN")),
    ("Residents of Kurali protested against a new toll plaza on the highway.", ("Kūrāli", "IN")),
    # a name right after 'in' that the NER took for a product, in a note that names no country
    ("Lawyers in Gwadar boycotted the courts and protested against a colleague's abduction.", ("Gwadar", "PK")),
    # a part of a city that the gazetteer does not know, written with the city after a comma
    ("Shopkeepers protested against power cuts in Gulbahar, Peshawar on Monday.", ("Peshawar", "PK")),
    ("Workers of the party protested against water shortages in Orangi town, Karachi. They blocked a road.",
     ("Karachi", "PK")),
    # an institution of the town: the city's police, a party's chapter
    ("The Coimbatore City Police detained 40 farmers who staged a road blockade.", ("Coimbatore", "IN")),
    ("Members of the JI Karachi Chapter protested against the cartoons.", ("Karachi", "PK")),
    # a name written closed up
    ("Traders protested against extortion in Mirpurkhas on Friday.", ("Mirpur Khas", "PK")),
    # a march through a city; a part of a city named by its compass point; a large city's other name
    ("Party workers marched through Karachi against the raids on their offices.", ("Karachi", "PK")),
    ("Teachers protested on a main road in Central Karachi against unpaid salaries.", ("Karachi", "PK")),
    ("Residents of Tuticorin blocked traffic in protest against flooded streets.", ("Thoothukudi", "IN")),
    ("Students of the Sindh University Dadu Campus held a protest against the rustication of a student.",
     ("Dadu", "PK")),
    # a fronted place the tagger did not take for a name; a part of a city with the city after a comma
    ("In Rusape, angry residents barricaded roads with logs over the state of the streets.", ("Rusape", "ZW")),
    ("Journalists picketed outside the broadcaster's offices in Seapoint, Cape Town, in solidarity with staff.",
     ("Cape Town", "ZA")),
    # a hyphenated name the gazetteer does not know: its part after the hyphen
    ("Dock workers held a demonstration at Patto-Panjim demanding a revision of wages.", ("Panjim", "IN")),
    # a region written with a hyphen is not the city named like its second half (Natal, Brazil)
    ("Some 300 people protested outside a guest house in northern KwaZulu-Natal over racist bookings.",
     ("Kwazulu-Natal", "ZA")),
])
def test_names_in_short_notes_that_name_no_country(parse, text, expected):
    _, mentions = parse(text)
    assert {(m.place.name, m.place.country) for m in mentions if m.place} == {expected}


def test_where_residents_live_gives_way_to_where_they_protested(parse):
    _, mentions = parse("Residents of Unnao staged a protest in Lucknow city (UP) against a quarantine centre.")
    assert {m.place.name for m in mentions if m.place} == {"Lucknow"}


def test_a_name_several_countries_share_is_left_unplaced_without_a_country(parse):
    # Mansa is a town in India and in Zambia; the note names neither country
    _, mentions = parse("Over 500 residents of Mansa held a protest against the desecration of a holy book.")
    assert all(m.place is None for m in mentions)


def test_a_list_of_villages_is_no_town_and_its_city(parse):
    # 'Korlagundi, Moka, and Gotur' lists villages: Moka is not taken as Korlagundi's city (Moka, Mauritius)
    _, mentions = parse("Farmers from Chanal, Korlagundi, Moka, and Gotur in Ballari taluk staged a demonstration.")
    assert {m.place.country for m in mentions if m.place} <= {"IN"}


def test_an_address_of_an_unknown_village_is_not_a_city(parse):
    # Menakuru is not in the gazetteer; Nellore is its district, not the place of the protest
    _, mentions = parse("On 9 May 2020, migrant workers held a protest in Menakuru village (Nellore, AP) demanding "
                        "to be sent back to their hometowns.")
    assert all(m.place is None or m.place.precision != "city" for m in mentions)


def test_a_town_the_gazetteer_does_not_know_stays_in_its_region(parse):
    # not put at its district town (Larkana), 30 km away
    _, mentions = parse("On 9 May 2021, shopkeepers protested in Badah town (Larkana, Sindh) against power cuts.")
    assert {(m.place.name, m.place.precision) for m in mentions if m.place} == {("Sindh", "admin1")}


def test_a_neighbourhood_in_brackets_is_placed_at_its_city(parse):
    _, mentions = parse("On 9 May 2021, clerks protested in front of their office in Al Dahra (Tripoli), Libya.")
    assert {(m.place.name, m.place.country) for m in mentions if m.place} == {("Tripoli", "LY")}


def test_abbreviations_are_not_towns(parse):
    _, mentions = parse("On 30 April 2020, protesters demonstrating against the high US dollar exchange rate "
                        "blocked a road in both directions.")
    assert all(m.place is None for m in mentions)


def test_the_start_of_a_longer_unknown_name_is_no_city_abroad(parse):
    # 'Los Angeles' is the start of a village name here, not the US city
    _, mentions = parse("On 6 May 2021, in Puebla, Mexico, villagers of Los Angeles Tetelcingo protested against a water cut.")
    assert {(m.place.name, m.place.country) for m in mentions if m.place} == {("Puebla", "MX")}


def test_a_march_from_one_city_to_another_keeps_its_start(parse):
    _, mentions = parse("On 7 May 2021, a convoy of protesters set out from Beirut to Byblos against price rises.")
    assert "Beirut" in {m.place.name for m in mentions if m.place}


def test_an_institution_named_after_its_town_places_the_event(parse):
    _, mentions = parse("Retired teachers held a protest outside the Sukkur Press Club against delayed pensions.")
    assert {(m.place.name, m.place.country) for m in mentions if m.place} == {("Sukkur", "PK")}
    # a common word before the institution is no town abroad
    _, mentions = parse("Students of the Forest College continued their protest against the new fees.")
    assert all(m.place is None for m in mentions)


def test_an_organisation_named_after_a_region_breaks_a_tie_between_namesakes(parse):
    # Hyderabad, India is the larger namesake; the Sindh party says the report is from Pakistan
    _, mentions = parse("Activists of the Sindh Progressive Committee protested in Hyderabad against water shortages.")
    assert {(m.place.name, m.place.country) for m in mentions if m.place} == {("Hyderabad", "PK")}


def test_the_sentence_places_stage_runs_alone(nlp, gazetteer):
    # the stage on its own: a parsed sentence, the report's countries and the cities named so far
    from protestwatch.extract.sentence_places import report_countries, sentence_places
    from protestwatch.ingest import build_document
    from protestwatch.ingest.formats import RawDocument

    document = build_document(RawDocument(text="Nurses rallied in Bhopal city (Bhopal, Madhya Pradesh) and in Indore."),
                              "test.txt", "txt")
    doc = nlp(document.text)
    countries = report_countries(doc, gazetteer)
    cities: list = []
    places = sentence_places(next(doc.sents), gazetteer, countries, cities, document, [])
    assert countries[0] == "IN"
    assert [(p.name, p.precision) for p in places] == [("Bhopal", "city"), ("Indore", "city")]
    assert [c.name for c in cities] == ["Bhopal", "Indore"]  # remembered for 'in both cities'


def test_place_names_finds_the_candidates_of_a_sentence_alone(nlp):
    # before any lookup: the names the NER missed or mislabelled, each with what says it may be a place
    from protestwatch.extract.place_names import in_route_compound, institution_towns, untagged_place_names

    sentence = next(nlp("Ludhiana citizens and residents of Kurali protested in Sialkot city.").sents)
    found = {(span.text, evidence) for span, evidence in untagged_place_names(sentence, "en")}
    assert {("Ludhiana", "people"), ("Kurali", "people"), ("Sialkot city", "settlement")} <= found
    sentence = next(nlp("Teachers rallied outside the Larkana Press Club on Monday.").sents)
    assert [span.text for span in institution_towns(sentence, "en")] == ["Larkana"]
    text = "a protest on the Khulna-Jessore highway"
    assert in_route_compound(text, text.index("Khulna"), text.index("Khulna") + len("Khulna"))



def test_a_town_named_in_apposition_after_a_place_preposition_is_the_place(parse):
    _, mentions = parse("Police detained ten protesters in the capital, Dushanbe, on Tuesday.")
    assert {(m.type, m.place.name if m.place else None) for m in mentions} == {
        ("detention", "Dushanbe"), ("protest", "Dushanbe")}


def test_whose_mayor_is_not_where(parse):
    _, mentions = parse("Protests erupted over the dismissal of the mayor of the capital, Dushanbe, on Tuesday.")
    assert [m.place for m in mentions if m.type == "protest"] == [None]


def test_a_place_told_from_another_is_not_the_happenings_and_a_scene_is_its_own(parse):
    _, mentions = parse("He was sentenced to ten years in prison in Samarkand, a day's drive from the capital, "
                        "Tashkent, the scene of the largest rallies.")
    assert {(m.type, m.place.name) for m in mentions} == {("sentencing", "Samarkand"), ("protest", "Tashkent")}


@pytest.mark.parametrize("text", [
    "Police in Kyrgyzstan dispersed a rally near the town of Kant, 20 km east of Bishkek, on Monday.",
    "Villagers in Kyrgyzstan protested in Kant, east of Bishkek, on Monday.",
])
def test_a_town_told_by_its_bearing_from_another_is_where_it_happened(parse, text):
    _, mentions = parse(text)
    assert {m.place.name for m in mentions} == {"Kant"}
    # 'in the east of X' is inside X
    _, mentions = parse("Thousands rallied in Kharkiv, in the east of Ukraine, on Monday.")
    assert {m.place.name for m in mentions} == {"Kharkiv"}


def test_a_place_inside_another_keeps_both(parse):
    _, mentions = parse("Neighbors protested in Petare, a district in Caracas, on Monday.")
    assert {m.place.name for m in mentions} == {"Petare", "Caracas"}
