"""Russian reports: language detection, the natasha-backed parse, each extraction stage on sentences written
for these tests, a mixed-language run with a cross-language merge, and a language no pack reads."""

import json
from datetime import date

import pytest

from protestwatch.ingest.language import CODED, detect_language
from protestwatch.nlp import MODELS


@pytest.fixture(scope="module")
def ru_nlp():
    from protestwatch.nlp import load_model

    return load_model("ru")


@pytest.fixture()
def parse_ru(ru_nlp, gazetteer):
    from protestwatch.extract.mentions import extract_mentions
    from protestwatch.ingest import build_document
    from protestwatch.ingest.formats import RawDocument

    def run(text: str, published=None):
        document = build_document(RawDocument(text=text, published=published), "test.txt", "txt")
        assert document.language == "ru"
        return extract_mentions(document, ru_nlp(document.text), ru_nlp, gazetteer)

    return run


def test_languages_are_told_apart_and_the_coded_ones_have_models():
    assert detect_language("Вчера в городе прошла большая акция протеста против повышения цен.") == "ru"
    assert detect_language("Yesterday thousands marched through the city against the price rises.") == "en"
    assert detect_language("Бүгін қалада бағаның өсуіне қарсы үлкен наразылық акциясы өтті.") == "kk"
    assert detect_language("12 345") == "en"  # nothing to judge by: the default
    assert set(CODED) == set(MODELS)


def test_the_parse_keeps_the_text_and_its_offsets(ru_nlp):
    text = "Утром  в Бишкеке собрались горожане.\n\nМилиция наблюдала."
    doc = ru_nlp(text)
    assert doc.text == text
    assert [s.text.strip() for s in doc.sents] == ["Утром  в Бишкеке собрались горожане.", "Милиция наблюдала."]
    city = next(e for e in doc.ents if e.label_ == "LOC")
    assert text[city.start_char:city.end_char] == "Бишкеке"
    assert next(t for t in doc if t.text == "собрались").lemma_ == "собраться"


def test_triggers_report_what_happened_not_what_was_planned(parse_ru):
    happened = parse_ru("В субботу полиция задержала двенадцать участников пикета у здания мэрии.", date(2023, 5, 8))
    assert {m.type for m in happened} == {"detention", "protest"}
    planned = parse_ru("Оппозиция планирует провести митинг в следующее воскресенье.", date(2023, 5, 8))
    assert planned == []
    negated = parse_ru("Митинг у здания мэрии так и не состоялся.", date(2023, 5, 8))
    assert negated == []
    shares = parse_ru("Акции компании подешевели на бирже на три процента.", date(2023, 5, 8))
    assert shares == []


def test_arrest_for_days_is_a_sentence_and_a_refused_permit_a_ban(parse_ru):
    sentenced = parse_ru("Суд арестовал двух активистов на десять суток за участие в шествии.", date(2023, 5, 8))
    assert "sentencing" in {m.type for m in sentenced} and "detention" not in {m.type for m in sentenced}
    refused = parse_ru("Городские власти не разрешили провести шествие в центре города.", date(2023, 5, 8))
    assert [m.type for m in refused] == ["ban"]


def test_dates_resolve_against_the_report_date(parse_ru):
    weekday = parse_ru("В воскресенье в Бишкеке прошел митинг.", date(2023, 5, 10))
    assert weekday[0].date.start == date(2023, 5, 7)
    stated = parse_ru("Митинг в Бишкеке прошел 3 марта 2019 года.", date(2023, 5, 10))
    assert stated[0].date.start == date(2019, 3, 3)
    no_year = parse_ru("Митинг в Бишкеке прошел 3 марта.")
    assert (no_year[0].date.precision, no_year[0].date.month, no_year[0].date.day) == ("month-day", 3, 3)


def test_places_by_case_form_old_name_and_capital_phrase(parse_ru):
    located = parse_ru("Вчера в Алма-Ате и в Уральске прошли пикеты.", date(2023, 5, 10))
    assert {m.place.name for m in located} == {"Almaty", "Oral"}
    capital = parse_ru("Вчера в столице Киргизии прошла акция протеста.", date(2023, 5, 10))
    assert capital[0].place.name == "Bishkek" and capital[0].place.text == "столице"
    # a name the lemmatizer gets wrong ('Кызылорде' -> 'кызылорд') is put back to its nominative
    for text, city in (("Вчера в Кызылорде прошел пикет.", "Kyzylorda"),
                       ("Вчера в Набережных Челнах прошел пикет.", "Naberezhnyye Chelny")):
        assert [m.place.name for m in parse_ru(text, date(2023, 5, 10))] == [city]



def test_each_happening_is_at_the_city_of_its_own_clause(parse_ru):
    mentions = parse_ru("В субботу в Оше прошла акция протеста, а в Бишкеке полиция задержала пятерых активистов.",
                        date(2024, 3, 26))
    assert {(m.type, m.place.name) for m in mentions} == {("protest", "Osh"), ("detention", "Bishkek")}
    # a clause that names no city of its own keeps the sentence's ('участников которого задержали')
    mentions = parse_ru("В субботу в Оше прошёл митинг, участников которого задержала полиция.", date(2024, 3, 26))
    assert {(m.type, m.place.name) for m in mentions} == {("protest", "Osh"), ("detention", "Osh")}

def test_other_cities_after_a_list_are_the_lists_other_cities(parse_ru):
    mentions = parse_ru("В воскресенье сторонники оппозиции вышли на митинги в Алматы, Шымкенте, Актобе и Уральске. "
                        "В Уральске акция прошла спокойно, а в других городах полиция задержала десятки активистов.",
                        date(2021, 3, 1))
    detentions = [m for m in mentions if m.type == "detention"]
    assert {m.place.name for m in detentions} == {"Almaty", "Shymkent", "Aktobe"}
    # 'десятки' were detained in those cities together: no one city's count
    assert all(m.detained is None for m in detentions)


def test_counts_of_the_crowd_and_of_the_detained(parse_ru):
    mentions = parse_ru("Вчера в Бишкеке несколько десятков протестующих вышли на митинг, милиция задержала "
                        "около 15 человек.", date(2023, 5, 10))
    protest = next(m for m in mentions if m.type == "protest")
    detention = next(m for m in mentions if m.type == "detention")
    assert (protest.participants.min, protest.participants.max) == (24, 99)
    assert (detention.detained.min, detention.detained.max) == (15, 15)
    # the coding rules read 'более N' as at least N (the stated number is the floor)
    above = parse_ru("Вчера в Бишкеке задержали более 100 человек.", date(2023, 5, 10))
    assert (above[0].detained.min, above[0].detained.max) == (100, None)
    dated = parse_ru("Ош, 3 мая 2024 года. Митинг прошел 2 мая, 40 человек задержаны.")
    assert [m.date.start for m in dated] == [date(2024, 5, 2), date(2024, 5, 2)]  # the year from the dateline
    assert next(m for m in dated if m.type == "detention").detained.min == 40


def test_a_mixed_folder_merges_across_languages_and_leaves_other_languages_uncoded(tmp_path):
    from protestwatch.review.query import EventFilter, iter_events
    from protestwatch.run import run_pipeline
    from protestwatch.store import open_store

    feed = tmp_path / "feed.jsonl"
    lines = [
        {"id": "en1", "published": "2023-05-08", "source": "Wire",
         "text": "Police detained twelve protesters at a rally in Bishkek on Sunday, witnesses said."},
        {"id": "ru1", "published": "2023-05-08", "source": "Лента",
         "text": "В воскресенье в Бишкеке милиция задержала двенадцать участников митинга."},
        {"id": "kk1", "published": "2023-05-08", "source": "Хабар",
         "text": "Жексенбі күні Бішкекте полиция митингке қатысқан он екі адамды ұстады."},
    ]
    feed.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    engine = open_store(str(tmp_path / "events.db"))
    summary = run_pipeline([feed], engine)
    assert summary.documents_new == 3 and summary.not_coded == {"kk": 1}
    records = list(iter_events(engine, EventFilter(type="detention")))
    assert len(records) == 1  # one happening, two reports, two languages
    assert {(s["document"], s["language"]) for s in records[0]["sources"]} == {("en1", "en"), ("ru1", "ru")}
    assert [r["id"] for r in iter_events(engine, EventFilter(language="ru"))] != []
    assert all(s["language"] != "kk" for r in iter_events(engine, EventFilter()) for s in r["sources"])


def test_habits_plans_and_bans_of_rallies_are_no_rallies(parse_ru):
    published = date(2023, 5, 10)
    assert parse_ru("По выходным студенты выходили на пикеты против закрытия библиотеки.", published) == []
    assert parse_ru("В субботу студенты выходили на пикеты против закрытия библиотеки.", published) != []
    banned = parse_ru("Вчера мэрия Оша ввела запрет на проведение шествий в центре города.", published)
    assert [m.type for m in banned] == ["ban"]
    described = parse_ru("Вчера в Оше прошел пикет сторонников фонда «Рассвет» (признанного экстремистским).",
                         published)
    assert [m.type for m in described] == ["protest"]


def test_streets_countries_in_passing_and_deadlines(parse_ru):
    published = date(2023, 5, 10)
    square = parse_ru("Вчера на площади Ош в Бишкеке прошел митинг.", published)
    assert {m.place.name for m in square} == {"Bishkek"}
    consulate = parse_ru("Вчера активисты провели пикет у консульства Грузии в Бишкеке.", published)
    assert {m.place.name for m in consulate} == {"Bishkek"}
    deadline = parse_ru("Мэрия Бишкека запретила митинги до 15 июля.", published)
    assert all(m.date is None or m.date.start != date(2023, 7, 15) for m in deadline)
    last_year = parse_ru("В октябре прошлого года в Оше уже протестовали против тарифов.", published)
    assert (last_year[0].date.year, last_year[0].date.month, last_year[0].date.precision) == (2022, 10, "month")


def test_the_day_before_the_rally_and_a_year_stated_elsewhere(parse_ru):
    before = parse_ru("В субботу в Оше прошел митинг. За день до акции в Оше задержали двух активистов.",
                      date(2024, 5, 6))
    assert next(m for m in before if m.type == "detention").date.start == date(2024, 5, 3)
    # no publication date: the full date stated further on gives '2 мая' its year
    later = parse_ru("Пикет у мэрии Оша прошел 2 мая. Участники требовали снизить тарифы. Власти города еще "
                     "30 апреля 2024 года отказали активистам в согласовании шествия.")
    assert next(m for m in later if m.type == "protest").date.start == date(2024, 5, 2)


def test_a_protest_referred_to_and_a_statement_denied_add_no_happening(parse_ru):
    published = date(2024, 5, 10)
    told = parse_ru("В среду в Оше прошел пикет у мэрии. В пятницу суд Оша оштрафовал трех участников пикета.",
                    published)
    protests = [m for m in told if m.type == "protest"]
    assert len({(m.date.start if m.date else None) for m in protests} - {None}) == 1  # the referred one: no new day
    denied = parse_ru("В полиции не подтвердили, что шествие в Оше состоялось.", published)
    assert denied == []


def test_a_country_wide_summary_folds_into_its_city(parse_ru):
    mentions = parse_ru("В субботу полиция задержала десятки активистов в нескольких городах Узбекистана. "
                        "В Ташкенте в субботу задержали 12 человек.", date(2024, 5, 13))
    detentions = [m for m in mentions if m.type == "detention"]
    assert {m.place.name for m in detentions} == {"Tashkent"}


def test_a_service_cut_in_either_order_and_its_hedge(parse_ru):
    cut = parse_ru("Мобильная связь в Оше, судя по всему, была отключена в субботу.", date(2024, 5, 13))
    assert [m.type for m in cut] == ["internet_shutdown"]
    hedged = parse_ru("В субботу в Оше, предположительно, заблокировали мессенджеры.", date(2024, 5, 13))
    assert hedged[0].type == "internet_shutdown" and hedged[0].hedge.text == "предположительно"
    assert parse_ru("В субботу интернет в Оше не отключали.", date(2024, 5, 13)) == []


def test_a_bare_date_after_an_event_noun_is_that_events_and_the_fine_takes_the_reports_day(parse_ru):
    # the fine is told on the report's day; '3 мая' right after 'пикета' is the picket's day
    told = parse_ru("ОШ, 6 мая 2024 года. Суд Оша оштрафовал трех участников пикета 3 мая.")
    by_type = {m.type: m.date.start for m in told}
    assert by_type == {"sentencing": date(2024, 5, 6), "protest": date(2024, 5, 3)}


def test_a_dated_report_dates_what_no_sentence_dates(parse_ru):
    # the only date, told further on, is another happening's: the dispersal is the day's news
    mentions = parse_ru("Силовики начали разгонять митингующих на площади в Бишкеке. Площадь оцеплена. "
                        "Движение транспорта перекрыто. Выборы в парламент прошли 2 апреля.", date(2024, 5, 6))
    assert "dispersal" in {m.type for m in mentions}
    assert {m.date.start for m in mentions} == {date(2024, 5, 6)}


def test_a_caption_gives_an_undated_reports_days_their_year(parse_ru):
    mentions = parse_ru("Пикет у здания суда. Ош, 3 мая 2024 года\n\nВ Оше 3 мая активисты вышли на пикет "
                        "у здания суда.")
    assert [(m.type, m.date.start) for m in mentions] == [("protest", date(2024, 5, 3))]


def test_yesterday_beside_its_day_tells_an_undated_reports_day_without_a_year(parse_ru):
    mentions = parse_ru("В Оше вчера, 14 марта, прошел митинг против тарифов. "
                        "Сегодня утром полиция задержала двух участников митинга в Оше.")
    detention = next(m for m in mentions if m.type == "detention")
    assert (detention.date.year, detention.date.month, detention.date.day) == (None, 3, 15)
    # a day whose year the count would need stays unknown
    from protestwatch.extract.russian_dates import days_before, yearless_report_day

    assert yearless_report_day("Вчера, 28 февраля, в Оше прошел митинг.") is None
    assert yearless_report_day("Сегодня, 1 марта, в Оше прошел митинг.") == (3, 1)
    assert days_before((3, 1), 1) is None and days_before((3, 2), 1).day == 1



def test_a_weekday_away_from_a_written_day_is_the_happenings_own(parse_ru):
    # the written day belongs to the fight told in the relative clause; the rally is Wednesday's
    mentions = parse_ru("Митинг в Оше начался в среду после драки между милиционерами и торговцами, которая "
                        "произошла 3 мая.", date(2024, 5, 9))
    assert [m.date.start for m in mentions if m.type == "protest"] == [date(2024, 5, 8)]
    from protestwatch.extract.russian_dates import find_dates_ru

    # beside a written day, the weekday only names it
    assert [d.start for d in find_dates_ru("Акция прошла в субботу, 4 мая, в Оше.", 0, date(2024, 5, 9))] \
        == [date(2024, 5, 4)]


def test_the_next_sentence_goes_on_with_the_day_the_happening_took(parse_ru):
    # '2 мая' dates the court hearing, not the picket; the detention that follows is the picket's day
    mentions = parse_ru("Вчера в Оше прошел пикет против решения суда, которое было вынесено 2 мая. "
                        "Полиция задержала двух участников.", date(2024, 5, 9))
    assert {m.type: m.date.start for m in mentions}["detention"] == date(2024, 5, 8)


def test_a_lone_picket_is_a_crowd_of_one(parse_ru):
    lone = parse_ru("Активист вышел в среду на одиночный пикет у здания мэрии в Оше.", date(2024, 5, 9))
    assert [(m.participants.min, m.participants.max) for m in lone if m.type == "protest"] == [(1, 1)]
    several = parse_ru("В среду в Оше прошли одиночные пикеты у здания мэрии.", date(2024, 5, 9))
    assert [m.participants for m in several if m.type == "protest"] == [None]


def test_a_summons_after_the_picket_is_not_dated_by_the_pickets_day(parse_ru):
    mentions = parse_ru("В понедельник, 6 мая, в Оше прошел пикет. Его участников вызвали в полицию.", date(2024, 5, 9))
    assert {m.type: m.date.start for m in mentions} == {"protest": date(2024, 5, 6), "summons": date(2024, 5, 9)}
    undated = parse_ru("В понедельник, 6 мая, в Оше прошел пикет. Его участников вызвали в полицию.")
    assert next(m for m in undated if m.type == "summons").date is None
    # 'that evening': the day told before
    evening = parse_ru("В понедельник, 6 мая, в Оше прошел пикет. Вечером суд оштрафовал его участников.",
                       date(2024, 5, 9))
    assert {m.type: m.date.start for m in evening} == {"protest": date(2024, 5, 6), "sentencing": date(2024, 5, 6)}


def test_the_people_who_demand_after_the_rally_are_its_crowd(parse_ru):
    mentions = parse_ru("В Оше прошел митинг у здания мэрии. Десятки людей требуют отставки мэра.", date(2024, 5, 9))
    (protest,) = [m for m in mentions if m.type == "protest"]
    assert (protest.participants.min, protest.participants.max) == (20, 99)
    assert [d.category for d in protest.demands] == ["removal_of_politician"]  # a demand told in the present
    came = parse_ru("В Оше прошел митинг у здания мэрии. Десятки людей пришли с детьми.", date(2024, 5, 9))
    assert [m.participants for m in came if m.type == "protest"] == [None]


def test_a_wire_dateline_without_a_year_dates_the_reports_undated_happenings(parse_ru):
    from protestwatch.extract.russian_dates import yearless_report_day

    assert yearless_report_day("Суд оштрафовал активистов\nОШ, 14 мая. /Агентство/. Суд оштрафовал ...") == (5, 14)
    assert yearless_report_day("Ош, 14 мая 2023 года. Суд оштрафовал ...") is None  # the year is there: a full date
    mentions = parse_ru("ОШ, 14 мая. /Агентство/. Городской суд Оша оштрафовал двух участников "
                           "несогласованной акции 12 мая.")
    (fined,) = [m for m in mentions if m.type == "sentencing"]
    assert (fined.date.year, fined.date.month, fined.date.day) == (None, 5, 14)


def test_an_english_wire_dateline_without_a_year_dates_undated_happenings(parse):
    from protestwatch.ingest.header import dateline_day

    assert dateline_day("Rally in Osh\n\nOSH, Sept. 3 (Agency) - Police ...") == (9, 3)
    assert dateline_day("OSH (Agency) - Police ...") is None
    _, mentions = parse("OSH, May 14 (Agency) - Police detained 30 protesters at a rally in Osh.")
    assert {(m.type, m.date.year, m.date.month, m.date.day) for m in mentions} == {
        ("detention", None, 5, 14), ("protest", None, 5, 14)}


def test_the_weekend_is_the_one_just_past(parse_ru):
    # a report of Wednesday 8 May 2024: the weekend just past is 4-5 May, not the report's day
    mentions = parse_ru("В выходные в Бишкеке прошел митинг против повышения тарифов.", date(2024, 5, 8))
    (rally,) = [m for m in mentions if m.type == "protest"]
    assert (rally.date.start, rally.date.end, rally.date.precision) == (date(2024, 5, 4), date(2024, 5, 5), "week")
    from protestwatch.extract.russian_dates import find_dates_ru

    # dated on a Sunday, 'на выходных' is this one and 'в прошлые выходные' the one before
    assert [d.start for d in find_dates_ru("Пикеты прошли на выходных.", 0, date(2024, 5, 5))] == [date(2024, 5, 4)]
    assert [d.start for d in find_dates_ru("Пикеты прошли в прошлые выходные.", 0, date(2024, 5, 5))] \
        == [date(2024, 4, 27)]


@pytest.mark.parametrize("text", [
    "Активисты подали уведомление о митинге в Бишкеке, но получили отказ.",
    "Мэрия Алматы не дала разрешения на проведение митинга.",
    "Организаторы получили отказ в согласовании шествия в Минске.",
])
def test_a_refused_permit_is_an_undated_ban(parse_ru, text):
    # refused on a day the report does not give: neither the report's day nor the assembly's
    bans = [m for m in parse_ru(text, date(2024, 5, 6)) if m.type == "ban"]
    assert bans and all(m.date is None for m in bans)


def test_a_refusal_of_something_else_is_no_ban(parse_ru):
    assert [m.type for m in parse_ru("Студент из Бишкека получил отказ в визе.", date(2024, 5, 6))] == []


def test_a_refusal_dated_in_its_own_clause_keeps_its_day(parse_ru):
    bans = [m for m in parse_ru("Акимат 3 мая отказал в согласовании митинга в Алматы.", date(2024, 5, 6))
            if m.type == "ban"]
    assert [m.date.start for m in bans] == [date(2024, 5, 3)]


def test_a_plan_governs_both_of_its_coordinated_assemblies(parse_ru):
    assert parse_ru("Оппозиция планирует провести митинг и шествие в Бишкеке.", date(2024, 5, 6)) == []
