from datetime import date

from protestwatch.link.merge import SourceInfo, dates_compatible, merge_mentions
from protestwatch.records import Count, DateValue, Mention, Place, Span

ALMATY = Place("Almaty", "Almaty", "KZ", "city", 43.25, 76.91, 1526384)
ASTANA = Place("Astana", "Astana", "KZ", "city", 51.18, 71.45, 1526273)
KAZAKHSTAN = Place("Kazakhstan", "Kazakhstan", "KZ", "country", 48.0, 68.0, 1522867)


def day(d: date) -> DateValue:
    return DateValue(d, d, "day", Span(0, 9, "on Sunday"), d.year, d.month, d.day)


def mention(doc: str, event_type: str, place, when, start: int = 0, detained=None) -> Mention:
    return Mention(
        id=f"m-{doc}-{event_type}-{start}-{place.name if place else '-'}",
        document_id=doc, type=event_type,
        sentence=Span(start, start + 20, "a sentence of twenty"), trigger=Span(start, start + 5, "rally"),
        date=when, place=place, detained=detained, confidence=0.6,
    )


SUNDAY = day(date(2021, 2, 28))
DOCS = {"d1": SourceInfo("Outlet One", "https://one", date(2021, 2, 28)),
        "d2": SourceInfo("Outlet Two", "https://two", date(2021, 3, 1))}


def test_same_happening_from_two_outlets_is_one_event_with_both_sources():
    events = merge_mentions([mention("d1", "protest", ALMATY, SUNDAY), mention("d2", "protest", ALMATY, SUNDAY)], DOCS)
    (event,) = events
    assert {s.document for s in event.sources} == {"d1", "d2"}
    assert {s.outlet for s in event.sources} == {"Outlet One", "Outlet Two"}
    assert event.confidence > 0.6  # two independent reports are surer than one


def test_different_place_type_or_day_stay_apart():
    monday = day(date(2021, 3, 1))
    events = merge_mentions([
        mention("d1", "protest", ALMATY, SUNDAY), mention("d1", "protest", ASTANA, SUNDAY, 30),
        mention("d1", "detention", ALMATY, SUNDAY, 60), mention("d2", "protest", ALMATY, monday),
        mention("d2", "protest", KAZAKHSTAN, SUNDAY, 90),
    ], DOCS)
    assert len(events) == 5


def test_protest_and_detention_at_it_are_related_and_response_follows():
    events = merge_mentions([mention("d1", "protest", ALMATY, SUNDAY), mention("d1", "detention", ALMATY, SUNDAY, 0)],
                            DOCS)
    protest = next(e for e in events if e.type == "protest")
    detention = next(e for e in events if e.type == "detention")
    assert protest.related == [detention.id] and detention.related == [protest.id]
    assert "arrests" in protest.state_response


def test_narrowest_count_wins_and_ids_are_stable():
    a = mention("d1", "detention", ALMATY, SUNDAY, detained=Count(24, 99, Span(0, 6, "dozens")))
    b = mention("d2", "detention", ALMATY, SUNDAY, detained=Count(45, 55, Span(0, 10, "roughly 50")))
    (first,) = merge_mentions([a, b], DOCS)
    (second,) = merge_mentions([b, a], DOCS)
    assert (first.detained.min, first.detained.max) == (45, 55)
    assert first.id == second.id


def test_date_compatibility_rules():
    may10_no_year = DateValue(None, None, "month-day", month=5, day=10)
    may10_2018 = day(date(2018, 5, 10))
    march = DateValue(date(2018, 3, 1), date(2018, 3, 31), "month", year=2018, month=3)
    # a day with no year joins a dated one of its own report, never another report's: that would invent its year
    assert dates_compatible(may10_no_year, may10_2018, True)
    assert not dates_compatible(may10_no_year, may10_2018, False)
    assert dates_compatible(may10_no_year, DateValue(None, None, "month-day", month=5, day=10), False)
    assert not dates_compatible(march, may10_2018, False)
    assert dates_compatible(march, day(date(2018, 3, 5)), False)
    assert dates_compatible(None, SUNDAY, True) and not dates_compatible(None, SUNDAY, False)


def test_protest_without_response_says_none_reported():
    (event,) = merge_mentions([mention("d1", "protest", ALMATY, SUNDAY)], DOCS)
    assert event.state_response == ["none_reported"]


def test_a_protest_and_a_riot_told_by_one_report_are_one_happening():
    riot_elsewhere = mention("d2", "riot", ALMATY, SUNDAY, 40)
    events = merge_mentions([mention("d1", "protest", ALMATY, SUNDAY), mention("d1", "riot", ALMATY, SUNDAY, 40),
                             mention("d2", "protest", ASTANA, SUNDAY)], DOCS)
    protest = next(e for e in events if e.type == "protest" and e.location == ALMATY)
    riot = next(e for e in events if e.type == "riot")
    assert riot.id in protest.related and protest.id in riot.related
    assert riot.political  # a riot at a protest is a violent demonstration, not mob violence
    # a riot reported only by another outlet is not tied to a protest it does not mention
    alone = merge_mentions([mention("d1", "protest", ALMATY, SUNDAY), riot_elsewhere], DOCS)
    assert all(not e.related for e in alone)


def test_a_riot_is_a_demonstration_only_with_demonstrators_or_a_demand():
    from protestwatch.records import Demand

    mob = mention("d1", "riot", ALMATY, SUNDAY)  # "rioters set a bank on fire": no demonstration, no demand
    (event,) = merge_mentions([mob], DOCS)
    assert not event.political
    with_demand = mention("d1", "riot", ALMATY, SUNDAY)
    with_demand.demands.append(Demand("price_tax", "over fuel prices", Span(30, 46, "over fuel prices")))
    (event,) = merge_mentions([with_demand], DOCS)
    assert event.political
    demonstrating = mention("d1", "riot", ALMATY, SUNDAY)
    demonstrating.demonstrators = True
    (event,) = merge_mentions([demonstrating], DOCS)
    assert event.political


def test_happenings_kept_apart_by_an_undated_mention_get_distinct_ids():
    # d1 tells of Sunday's rally and of an undated one; d2 of Sunday's: the undated mention keeps d2's
    # out of d1's cluster, so two events share type, place and best date and must not share an id
    events = merge_mentions([mention("d1", "protest", ALMATY, SUNDAY, 0), mention("d1", "protest", ALMATY, None, 40),
                             mention("d2", "protest", ALMATY, SUNDAY, 0)], DOCS)
    ids = [e.id for e in events]
    assert len(events) == 2 and len(set(ids)) == 2
    again = merge_mentions([mention("d1", "protest", ALMATY, SUNDAY, 0), mention("d1", "protest", ALMATY, None, 40),
                            mention("d2", "protest", ALMATY, SUNDAY, 0)], DOCS)
    assert [e.id for e in again] == ids  # stable


def _crowd(doc: str, start: int, low: int, high: int | None, text: str) -> Mention:
    told = mention(doc, "protest", ALMATY, SUNDAY, start)
    told.participants = Count(low, high, Span(start, start + len(text), text))
    return told


def test_a_count_of_part_of_the_crowd_is_not_its_size():
    # 'Thousands gathered ...', then 'several protesters were knocked to the ground'
    (event,) = merge_mentions([_crowd("d1", 0, 2000, 9999, "Thousands"), _crowd("d1", 80, 3, 9, "Several")], DOCS)
    assert (event.participants.min, event.participants.max) == (2000, 9999)


def test_of_overlapping_estimates_of_a_crowd_the_narrowest_is_its_size():
    (event,) = merge_mentions([_crowd("d1", 0, 24, 99, "dozens"), _crowd("d2", 0, 45, 55, "about 50"),
                               _crowd("d2", 80, 2, 2, "two")], DOCS)
    assert event.participants.span.text == "about 50"
