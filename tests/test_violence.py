"""Political violence (issue #15) on sentences written for these tests: who did violence to whom decides
its type; crime, accidents, fears and points of reference give no event."""

from datetime import date

import pytest

PUBLISHED = date(2021, 6, 5)


def _types(parse, text):
    _, mentions = parse(text, published=PUBLISHED)
    return sorted({m.type for m in mentions})


def _one(parse, text, event_type):
    _, mentions = parse(text, published=PUBLISHED)
    found = [m for m in mentions if m.type == event_type]
    assert len(found) == 1, (text, [m.type for m in mentions])
    return found[0]


@pytest.mark.parametrize(("text", "expected"), [
    # armed men against civilians: an attack; against the state's forces, or each other: an armed clash
    ("Unidentified gunmen shot dead an opposition journalist in Kandahar on Tuesday.", ["attack"]),
    ("On 2 June 2021, gunmen attacked a police post in Osh, killing two officers.", ["armed_clash"]),
    ("Rebels and government troops exchanged fire in the village of Kidal on Thursday.", ["armed_clash"]),
    ("Militants clashed with soldiers outside Kidal on Friday.", ["armed_clash"]),
    # a bomb, a grenade, an air strike: an explosion, whatever verb tells it
    ("A roadside bomb exploded near a convoy in Kandahar on Monday, killing at least 12 civilians.", ["explosion"]),
    ("On 2 June 2021, a bomb killed five people at a market in Osh.", ["explosion"]),
    ("Government warplanes carried out airstrikes near Aleppo on Sunday, killing 20 people.", ["explosion"]),
    ("An activist was abducted by masked men in Karachi on Wednesday.", ["abduction"]),
    ("Soldiers killed four villagers in a raid on a village near Kidal on Thursday.", ["attack"]),
    ("Police officers beat a detained farmer to death in Kidal on Thursday.", ["attack"]),
    ("Rebels launched an attack on an army base near Kidal on Thursday.", ["armed_clash"]),
    ("Forces fired mortar shells at the village of Anefis near Kidal on Thursday.", ["explosion"]),
    ("Government troops and the Kachin Independence Army clashed near Myitkyina on Monday.", ["armed_clash"]),
    # a crowd's clash with armed men is an armed clash, not a riot; a shoot-out needs no armed group named
    ("Members of a local defence committee clashed with unidentified gunmen near Kidal on Friday.", ["armed_clash"]),
    ("Shoot-outs took place in a district of Kidal on Friday night.", ["armed_clash"]),
    # at a protest: the state's violence stays violence against protesters; armed men's is an attack
    ("Police opened fire on protesters in Lagos on Tuesday, killing three.", ["protest", "violence_against_protesters"]),
    ("Gunmen opened fire on protesters in Lagos on Tuesday, killing three.", ["attack", "protest"]),
])
def test_who_did_it_to_whom_decides_the_type(parse, text, expected):
    assert _types(parse, text) == expected


@pytest.mark.parametrize("text", [
    "A gas explosion at a restaurant in Lahore injured six people on Monday.",  # an accident
    "A man was stabbed to death during a robbery in Durban on Friday.",  # crime news
    "Residents of Kandahar fear further attacks on the market.",  # feared, not told
    "Security has been tight in Kabul since the 2001 attacks.",  # a point of reference
    "Hundreds marched in Quetta on Monday after the bombing of a school.",  # the cause of a protest
    "The two clubs meet in a fierce fight for the title in Durban on Sunday.",
    "Police said search warrants were executed at six homes in Durban on Friday.",
    "Air strikes have killed more than 900 fighters in the province since March 3, the army said.",
    "Police hurled tear gas bombs and stun grenades at the crowd in Durban on Friday.",
    "The murder trial of the former mayor resumed in the Durban High Court on Monday.",  # a trial
    "A trader accused of kidnapping two girls appeared in court in Durban on Monday.",  # a charge
    "A shopkeeper was shot dead by two gunmen during a robbery in Durban on Friday.",  # crime
    "Two people were injured when a car crashed into a wall in Durban on Friday.",  # an accident
    "UN peacekeepers have repeatedly been attacked by militias in the province.",  # a habit
    "More than 6,000 people have been killed in battles and air strikes since then.",  # a running total
    "He shot 11 of 22 from the field as the home team beat the visitors in the league match.",  # sport
    "Relatives gathered outside the town hall in Dohuk on Monday in protest of the abduction of a farmer.",
    "Hundreds marched in Tunceli on Monday to commemorate the massacres of 1938.",  # an anniversary
    "Police fired tear gas bombs at the crowd in Lima on Monday.",
    "Clashes erupted between Kurds and police forces in Diyarbakir on Monday.",  # no armed group: not a battle
])
def test_crime_accidents_fears_and_references_are_no_political_violence(parse, text):
    assert not [t for t in _types(parse, text) if t in ("attack", "abduction", "explosion", "armed_clash")], text


def test_one_gunman_shooting_the_police_is_neither_a_riot_nor_violence_against_protesters(parse):
    assert _types(parse, "Two traffic policemen were shot and injured by a man on a motorcycle in Quetta.") == []
    # killers counted are not the dead
    attack = _one(parse, "A journalist was shot and killed by two gunmen in Quetta on Monday.", "attack")
    assert attack.fatalities is None


def test_fatalities_means_and_perpetrators(parse):
    explosion = _one(parse, "A roadside bomb exploded near a convoy in Kandahar on Monday, killing at least 12 "
                            "civilians.", "explosion")
    assert (explosion.fatalities.min, explosion.fatalities.max) == (12, None)
    assert explosion.fatalities.span.text.startswith("at least 12")
    assert [m.value for m in explosion.means] == ["explosive"]
    assert explosion.date.start == date(2021, 5, 31)
    clash = _one(parse, "On 2 June 2021, gunmen attacked a police post in Osh, killing two officers.", "armed_clash")
    assert (clash.fatalities.min, clash.fatalities.max) == (2, 2)  # not the '2' of the date
    roles = {(a.name, a.role) for a in clash.actors}
    assert ("gunmen", "perpetrator") in roles and ("officers", "target") in roles
    strike = _one(parse, "Fierce fighting broke out between the army and rebel fighters near Kidal on Saturday, "
                         "leaving 15 dead.", "armed_clash")
    assert (strike.fatalities.min, strike.fatalities.max) == (15, 15)
    clash = _one(parse, "Militants clashed with soldiers near Kidal on Friday; four soldiers and seven militants "
                        "were killed.", "armed_clash")
    assert (clash.fatalities.min, clash.fatalities.max) == (11, 11)
    assert clash.fatalities.span.text == "four soldiers and seven"


def test_an_event_record_carries_family_codes_and_fatalities(parse):
    from protestwatch.link.merge import merge_mentions
    from protestwatch.records import SourceInfo
    from protestwatch.schema.record import event_record

    document, mentions = parse("Government warplanes carried out airstrikes near Aleppo on Sunday, killing 20 people.",
                               published=PUBLISHED)
    (event,) = merge_mentions(mentions, {document.id: SourceInfo("Test", None, PUBLISHED)})
    record = event_record(event)
    assert record["type"] == "explosion" and record["family"] == "political_violence"
    assert record["acled"]["event_type"] == "Explosions/Remote violence"
    assert record["acled"]["sub_event_type"] == "Air/drone strike"
    assert record["plover"] == {"event": "FIGHT", "mode": "aerial"} and record["cameo"] == "195"
    assert record["fatalities"] == {"min": 20, "max": 20, "text": "20"}
    assert "air_strike" in record["means"]
    fields = {e["field"] for e in record["evidence"]}
    assert {"fatalities", "means"} <= fields


def test_in_a_report_about_a_protest_violence_the_report_does_not_attribute_is_no_attack(parse):
    text = ("Security forces opened fire in the centre of Lagos on Tuesday evening. Thousands of protesters had "
            "gathered at the toll gate since the morning to demand an end to police brutality.")
    assert "attack" not in _types(parse, text)


def test_a_headline_without_a_verb_is_read_too(parse):
    # a noun phrase with no verb above it (a headline) once sent the running-total check up the tree forever
    assert _types(parse, "Roadside bombing near Kidal: the attack on the army convoy.") == ["explosion"]


def test_in_a_report_of_armed_men_their_burning_is_no_riot(parse):
    text = ("Militants attacked the village of Natuco near Kidal on Monday. They set fire to the houses and "
            "looted the shops.")
    assert "riot" not in _types(parse, text)
    # a labour strike has no patient: "struck by a bomb" is no strike
    assert "protest" not in _types(parse, "A bus was struck by a roadside bomb near Kidal on Monday.")


def test_dead_on_both_sides_with_no_one_said_to_have_done_it_is_no_violence_of_the_state(parse):
    text = "Thousands marched in Osh on Monday. A protester and a police officer were killed during the march."
    assert "violence_against_protesters" not in _types(parse, text)
    assert "violence_against_protesters" in _types(parse, text.replace("were killed", "were shot by soldiers"))


@pytest.mark.parametrize(("text", "expected"), [
    # the dead of a riot told in the same breath are the riot's, not another happening
    ("Violence erupted in Kano on Sunday between supporters of the two candidates, killing five people.", ["riot"]),
    ("Clashes erupted in Kano on Sunday between rival candidates' supporters, killing five people.", ["riot"]),
    ("Rioters injured a dozen students at a meeting in Kano on Sunday.", ["riot"]),
    # people who kill in a clash are still told apart
    ("Police clashed with protesters in Kano on Sunday, killing two of them.", ["riot", "violence_against_protesters"]),
])
def test_a_riots_dead_are_the_riots(parse, text, expected):
    assert _types(parse, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an attack that killed is a report of armed violence even before anyone says who did it
    ("An attack on a market in Osh killed four people on Tuesday.", ["attack"]),
    ("Four people were killed in an attack on a bus station in Osh on Tuesday.", ["attack"]),
    ("The attack on the village near Osh left six people dead on Tuesday.", ["attack"]),
    ("Two separate attacks on police posts in Osh killed four officers on Tuesday.", ["armed_clash"]),
    # told after the violence it belongs to, it is that violence's toll
    ("A bomb exploded at a market in Osh on Tuesday. The attack killed four people.", ["explosion"]),
    # not a report: a fear
    ("Officials in Osh fear that an attack could kill many people.", []),
])
def test_a_lethal_attack_is_armed_violence(parse, text, expected):
    assert _types(parse, text) == expected


@pytest.mark.parametrize("text", [
    "A community leader was shot dead outside his home in Durban on Monday.",
    "Gunshots killed a local official of the ruling party in Durban on Monday night.",
    "An opposition leader was stabbed to death in Durban on Monday.",
])
def test_killing_people_of_public_standing_is_an_attack(parse, text):
    assert _types(parse, text) == ["attack"]
