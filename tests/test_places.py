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


def test_report_country_breaks_ties_between_same_named_cities(gazetteer):
    assert gazetteer.resolve("Birmingham", prefer=("US",)).country == "US"
    assert gazetteer.resolve("Birmingham", prefer=("GB",)).country == "GB"


def test_regions_have_admin1_precision(gazetteer):
    place = gazetteer.resolve("Texas")
    assert (place.precision, place.country, place.admin1) == ("admin1", "US", "Texas")


def test_unknown_names_resolve_to_nothing(gazetteer):
    assert gazetteer.resolve("Qwertyzstan", prefer=("KZ",)) is None
    assert gazetteer.resolve("") is None


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
