import pytest

from protestwatch.extract.triggers import find_triggers


def _types(nlp, text):
    return sorted({t.type for sentence in nlp(text).sents for t in find_triggers(nlp, sentence)})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police detained dozens of protesters in Almaty.", ["detention", "protest"]),
        ("In March, a court in Astana banned the movement.", ["ban"]),
        ("The internet appeared to have been blocked in Almaty.", ["internet_shutdown"]),
        ("About a dozen activists were summoned by police.", ["summons"]),
        ("A court sentenced the activist to three years in prison.", ["sentencing"]),
        ("Police used tear gas to disperse the crowd.", ["dispersal"]),
        ("Police shot and killed two protesters.", ["protest", "violence_against_protesters"]),
        ("Rioters torched cars and clashed with police.", ["riot"]),
    ],
)
def test_event_words(nlp, text, expected):
    assert _types(nlp, text) == expected


def test_banned_as_adjective_is_no_ban(nlp):
    assert _types(nlp, "The rallies were spearheaded by the banned Democratic Choice movement.") == ["protest"]


@pytest.mark.parametrize(
    "text",
    [
        "The Assembly called on Kazakhstan to end measures restricting access to social media.",  # advocacy
        "Parliamentarians urged authorities to stop detaining protesters.",  # advocacy
        "Activists announced plans to organize a rally next week.",  # planned
        "Police did not detain anyone.",  # negated
        "They said Sunday's protests would constitute breaking the law.",  # modal
    ],
)
def test_no_event_reported(nlp, text):
    assert _types(nlp, text) == []


def test_taking_to_the_streets_is_a_protest(nlp):
    assert "protest" in _types(nlp, "Thousands took to the streets of Minsk on Sunday.")
