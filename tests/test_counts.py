from datetime import date

import pytest

from protestwatch.extract.counts import find_counts
from protestwatch.extract.triggers import find_triggers


def _counts(nlp, text):
    sentence = next(nlp(text).sents)
    triggers = {t.head.i: t.type for t in find_triggers(nlp, sentence)}
    return [(c.role, c.count.min, c.count.max, c.count.span.text) for c in find_counts(sentence, triggers)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Roughly 50 protesters were detained in Almaty.", ("detained", 45, 55, "Roughly 50")),
        ("Police detained dozens of people at the rally.", ("detained", 24, 99, "dozens")),
        ("About a dozen activists were summoned by police.", ("targeted", 10, 14, "About a dozen")),
        ("Police detained an unspecified number of protesters.", ("detained", 1, None, "an unspecified number")),
        # the number stated stays inside the range, as the field codes 'more than'
        ("More than 200 demonstrators rallied in Bishkek.", ("participants", 200, None, "More than 200")),
        ("Police detained several dozen picketers.", ("detained", 24, 99, "several dozen")),
        ("About three dozen picketers were detained.", ("detained", 32, 40, "About three dozen")),
        ("Police detained two dozen of the picketers.", ("detained", 24, 24, "two dozen")),
        ("At least 20 people were arrested on Saturday.", ("detained", 20, None, "At least 20")),
        ("Thousands of people marched through Tbilisi.", ("participants", 2000, 9999, "Thousands")),
        ("Some 1,500 workers went on strike in Karaganda.", ("participants", 1350, 1650, "Some 1,500")),
        # thousands grouped by a space, as many outlets write them (a no-break space too)
        ("About 2 040 teachers marched to the ministry.", ("participants", 1836, 2244, "About 2 040")),
        ("Police detained 1\u00a0310 strikers at the mine.", ("detained", 1310, 1310, "1\u00a0310")),
        ("Fifty students protested outside the ministry.", ("participants", 50, 50, "Fifty")),
        ("Between 300 and 500 people rallied in Minsk.", ("participants", 300, 500, "Between 300 and 500")),
        # the quantity word is the subject and the people hang from it
        ("Dozens of fruit traders held a protest in front of the city hall.", ("participants", 24, 99, "Dozens")),
        # a fronted place makes the parser hang the subject on the place
        ("On 1 May 2020, in Ixtapa Zihuatanejo, Guerrero, around 30 waiters protested demanding jobs.",
         ("participants", 27, 33, "around 30")),
        ("About 60 refugees held a sit in demonstration at the camp.", ("participants", 54, 66, "About 60")),
        ("A group of seven party leaders staged a demonstration in front of the office.",
         ("participants", 7, 7, "seven")),
        ("In Machiques, Zulia state, at least 700 moto-taxi drivers and residents protested near the station.",
         ("participants", 700, None, "at least 700")),
        # a part of the crowd is how many were detained, though never the crowd's size
        ("Officers detained 40 of the marchers near the square.", ("detained", 40, 40, "40")),
        # an elliptical clause: the number is the subject of the arrest
        ("Around 15 people were injured and five detained after police dispersed the crowd.",
         ("detained", 5, 5, "five")),
        # the protest is the purpose of the crowd's verb
        ("Thousands braved the frost in the capital on Monday to protest corruption.",
         ("participants", 2000, 9999, "Thousands")),
    ],
)
def test_count_ranges_and_roles(nlp, text, expected):
    assert expected in _counts(nlp, text)


def test_numbers_that_are_not_headcounts_are_ignored(nlp):
    assert _counts(nlp, "On May 10, 2018 the court jailed him for three years and fined him 500 dollars.") == []
    assert _counts(nlp, "Several of the protesters shouted slogans in the square.") == []


def test_a_part_of_the_crowd_is_not_its_size(nlp):
    assert [c[0] for c in _counts(nlp, "Several of the marchers were injured by rubber bullets.")] == ["targeted"]
    assert _counts(nlp, "Several of the marchers carried flags.") == []
    assert [c[0] for c in _counts(nlp, "Dozens of the strikers were arrested in Karaganda.")] == ["detained"]
    # a part of the count told after 'including' is not the count
    assert _counts(nlp, "Police detained 12 people in Osh, including 3 minors.") == [("detained", 12, 12, "12")]


def test_a_verb_of_saying_raises_the_subject_of_the_happening(nlp):
    assert _counts(nlp, "Over 20 people are reported to have been arrested in Osh.") == [("detained", 20, None, "Over 20")]
    assert _counts(nlp, "Five activists are believed to have been detained.") == [("detained", 5, 5, "Five")]


def test_one_of_the_crowd_is_not_its_size(nlp):
    # one of the crowd singled out is not the crowd's size
    assert _counts(nlp, "One marcher's placard read 'Enough'.") == []
    assert _counts(nlp, "One demonstrator said the police had beaten her.") == []


def test_a_lone_protester_is_a_crowd_of_one(parse):
    for text in ("On Monday a lone protester held a picket outside parliament in Bishkek.",
                 "On Monday an activist staged a single-person protest in Bishkek."):
        _, mentions = parse(text)
        (protest,) = [m for m in mentions if m.type == "protest"]
        assert (protest.participants.min, protest.participants.max) == (1, 1)
    _, mentions = parse("Activists held solo pickets in Bishkek on Monday.")
    assert [m.participants for m in mentions if m.type == "protest"] == [None]


def test_a_count_of_towns_is_no_crowd(parse):
    _, mentions = parse("Police reported arrests at rallies in nearly 70 towns and cities on Saturday.",
                        published=date(2021, 1, 24))
    assert {m.type for m in mentions} == {"protest", "detention"}
    assert all(m.participants is None and m.detained is None for m in mentions)


@pytest.mark.parametrize(("follow_up", "expected"), [
    ("At least 500 people had gathered in the central square.", (500, None)),
    ("About 300 students took part, organisers said.", (270, 330)),
    ("Five people were injured.", None),  # not how many turned out
    ("Last year 2,000 people took part.", None),  # another day's crowd
])
def test_how_many_turned_out_told_after_the_protest_is_its_crowd(parse, follow_up, expected):
    _, mentions = parse(f"Police dispersed a rally in Osh on Monday. {follow_up}", published=date(2022, 7, 5))
    (protest,) = [m for m in mentions if m.type == "protest"]
    crowd = protest.participants
    assert (crowd.min, crowd.max) == expected if expected else crowd is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Police detained more than a thousand protesters in Osh.", ("detained", 1000, None, "more than a thousand")),
    ("Police detained about a hundred protesters in Osh.", ("detained", 90, 110, "about a hundred")),
])
def test_a_hundred_and_a_thousand_are_numbers(nlp, text, expected):
    assert expected in _counts(nlp, text)
