from datetime import date

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
        ("The authorities limited access to messaging platforms on Friday.", ["internet_shutdown"]),
        ("Police limited access to the square on Friday.", []),
        ("About a dozen activists were summoned by police.", ["summons"]),
        ("A court sentenced the activist to three years in prison.", ["sentencing"]),
        ("Police used tear gas to disperse the crowd.", ["dispersal"]),
        ("Police shot and killed two protesters.", ["protest", "violence_against_protesters"]),
        ("Rioters torched cars and clashed with police.", ["riot"]),
        # beating by another name
        ("Police clubbed and kicked the marchers.", ["protest", "violence_against_protesters"]),
        ("Officers roughed up several picketers outside the mayor's office.", ["protest", "violence_against_protesters"]),
        ("The detentions followed the brutalisation of the demonstrators by police.",
         ["detention", "protest", "violence_against_protesters"]),
        # civil disobedience is a protest; disobedience to the police is a charge
        ("The movement resumed its acts of civil disobedience in the capital.", ["protest"]),
        ("The driver was detained for disobedience to a police officer.", ["detention"]),
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
        "A funeral procession for the late bishop passed through the old town.",  # a procession with no demand
        "Thousands joined the annual procession to the shrine on Sunday.",
    ],
)
def test_no_event_reported(nlp, text):
    assert _types(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Rallies are frequent in the capital of the province.",
        "Street protests are rare in Lusaka.",
        "Such strikes are unusual in the mining towns.",
        "Hunger strikes have become a common occurrence in the prison.",
    ],
)
def test_happenings_said_to_be_rare_or_frequent_are_a_habit_not_a_happening(nlp, text):
    assert _types(nlp, text) == []


@pytest.mark.parametrize("text", [
    "In the evening, when protests have generally started to gather steam, the network slowed down.",
    "In Almaty, rallies typically draw a few hundred people on Saturdays.",
    "Strikes normally begin at the port after the unions meet.",
    "Students march through Minsk every Friday against the new rules.",
    "Every Friday, students march through Minsk against the new rules.",
    "Pensioners picket the town hall on Mondays.",
])
def test_happenings_told_as_what_generally_or_recurrently_happens_are_a_habit(nlp, text):
    assert _types(nlp, text) == []


def test_a_happening_on_one_day_is_still_told(nlp):
    assert _types(nlp, "Pensioners picketed the town hall on Monday.") == ["protest"]
    # a series told in the past is of happenings, not a habit
    assert "riot" in _types(nlp, "Violent demonstrations had erupted in Beijing earlier this month, especially on "
                                 "weekends.")


def test_particular_happenings_said_to_be_unusual_are_still_told(nlp):
    assert _types(nlp, "The protests in Lusaka on Sunday were unusual in their size.") == ["protest"]


def test_taking_to_the_streets_is_a_protest(nlp):
    assert "protest" in _types(nlp, "Thousands took to the streets of Minsk on Sunday.")


@pytest.mark.parametrize("text", [
    # sport: the words' other sense in a report about a match
    "The Hurricanes may have finished their Super Rugby clash against the Sharks with 14 men. Their striker "
    "scored twice and the coach praised the team after the match at the stadium.",
    "SOCCER: Tunisia beat Algeria 2-0 in a friendly match. The goals came in the second half, the coach said, "
    "and the league season resumes next week.",
    # markets
    "Oil prices seesawed Thursday as investors collected profits from a rally that added 6.4 percent, while "
    "stocks and shares fell and the dollar reached new lows on the market.",
    # other verb senses
    "GSK said earlier it had struck a deal with the US regulator over the drug.",
    "This demonstrates that our people appreciate the gains of freedom.",
    "The coalition did not launch any air strikes in Syria on Monday while it conducted four strikes in Iraq.",
    "Nine people, including two children, were killed in an accident on the R25 near Kempton Park.",
    "The disintegration of the company is more a clash of egos between the brothers.",
    "An Isuzu bakkie smashed into the van in which the guards were travelling near Alberton.",
    "The forum on ecological civilization gathered over 150 scholars from around the world to demand action.",
    "The striking features of the building impressed the visitors.",
    "Two construction workers are killed a week in South Africa, the minister said.",
    "Inmates said guards forced them to lie on the floor in a human chain.",
    "The committee gathered in the hall to discuss the budget.",
    # organised crime; a strike named after airstrikes; a protest to be avoided
    "Prosecutors say mafia clans launder extortion money through restaurants. \"Now the politicians can't come any "
    "more,\" the owner said. While a few lawmakers might be avoiding the place, the city's status as the capital is "
    "an added attraction for the mob.",
    "Security forces killed 14 fighters in airstrikes near the border. The strikes also destroyed two depots.",
    "The minister said the government needed to negotiate with unions to avoid strikes.",
    "Police blocked the roads leading to the stadium ahead of the minister's visit.",
    "Unidentified men set the empty house ablaze on Sunday night.",
    "Customs officers burned the seized cigarettes at the port.",
    "Precise aerial strikes were carried out by the air force on hideouts in the mountains.",
    "The president steadied himself against the podium while watching a military procession.",
    # storming by the state or in sport
    "Special forces stormed the building where the gunmen held the hostages.",
    "The home side stormed to a 3-0 win at the stadium.",
    # removing things, or removal by no state
    "The volunteers removed the tents from the park after the festival.",
])
def test_other_senses_of_trigger_words_report_no_event(parse, text):
    _, mentions = parse(text)
    assert [m.type for m in mentions if m.type in ("protest", "riot")] == []


@pytest.mark.parametrize(("text", "event_type"), [
    ("Fans protested outside the stadium after the match against the club's owner, as the coach and the "
     "players of the team watched from the pitch; the league said the season goes on.", "protest"),
    ("Hundreds of mine workers went on strike in Rustenburg on Monday, demanding higher wages.", "protest"),
    ("A mob of around 50 villagers beat a suspected thief to death in Bhikhampur village.", "riot"),
    ("Police struggled to control thousands of striking teachers at the Union Buildings in Pretoria.", "protest"),
    ("Last Saturday, the children from the camp blocked the railways, demanding the borders be opened.", "protest"),
    ("Construction workers struck work and demonstrated in front of the Kurnool Collectorate.", "protest"),
    ("Employees continued an indefinite hunger strike near Vandalur for being laid off.", "protest"),
    ("Retired military personnel continued their hunger strike in Delhi as it entered the second month.", "protest"),
    ("Hundreds of pension holders demonstrated the headquarters of the municipal corporation.", "protest"),
    ("A journalist was injured after having been attacked by a group of people at the hospital.", "riot"),
    ("Dozens of residents gathered outside the hotel and voiced their rejection of its use as a quarantine site.",
     "protest"),
    ("Activists took out a procession and formed a human chain in Barisal city to observe the labour day.", "protest"),
    ("Students blocked the train's rails rejecting the results of the negotiations.", "protest"),
    ("Residents closed the RN11 by burning rubber tires, denouncing their non-receipt of food aid.", "riot"),
    ("A group of airport workers barricaded roads in front of the airport to denounce wage cuts.", "protest"),
    # South Asian protest forms; blocking a route; hyphenated words as the tokenizer splits them
    ("Farmers from 40 villages blocked the state highway demanding that the government release canal water.",
     "protest"),
    ("Members of the teachers' union gheraoed the education minister at his office to press their demands.", "protest"),
    ("Thousands of farmers staged a rasta roko on the national highway near Nashik.", "protest"),
    ("The opposition alliance enforced a 48-hour hartal across the country on Sunday.", "protest"),
    ("Around 80 nurses staged a silent sit-in at the hospital gate over unpaid salaries.", "protest"),
    ("Police tear-gassed a crowd of traders outside the municipal office.", "dispersal"),
    ("Farmers of the region continued to block traffic over the new procurement rules.", "protest"),
    ("Residents of the district have taken to the streets demanding a new hospital.", "protest"),
    # a crowd's arson
    ("Hartal supporters set a passenger bus afire near the bus stand on Sunday morning.", "riot"),
    ("A group of residents set barricades on fire to demand the closure of the landfill.", "riot"),
    ("Inmates burned mattresses inside the prison to demand family visits.", "riot"),
    # a crowd forcing its way into a building; the people a quantity counts are the doers
    ("Angry villagers stormed the district office after the water was cut off.", "riot"),
    ("Hundreds of people stormed the town hall in Naryn on Monday.", "riot"),
    ("Dozens of traders set the market office on fire on Friday.", "riot"),
    # the state removing a crowd or its camp disperses it
    ("Police evicted the demonstrators from the square before dawn.", "dispersal"),
    ("Riot police moved in and removed the protesters from the park.", "dispersal"),
    ("The strikers were evicted from the factory gate on Friday.", "dispersal"),
    # tear gas thrown by the state's forces is theirs, not a crowd's riot
    ("Government forces raided the town and hurled tear gas at the residents.", "dispersal"),
    # a strike verb with people as its object is a blow
    ("Officers struck the marchers with batons outside the town hall.", "violence_against_protesters"),
    # words split apart or closed up, a human chain with its length, a procession that states a demand
    ("Some 3,000 villagers formed a 20 km human chain along the river against the sand mining.", "protest"),
    ("Contract workers held a two-day sit in outside the power plant over unpaid wages.", "protest"),
    ("Nurses observed a hungerstrike outside the health directorate for permanent jobs.", "protest"),
    ("Police foiled a procession of opposition activists demanding the withdrawal of cases.", "protest"),
    ("Police resorted to lathicharge to scatter the traders outside the municipal office.", "dispersal"),
    # South African English for a strike; signs of a protest; violence that breaks out
    ("Municipal workers downed tools on Monday over the late payment of their bonuses.", "protest"),
    ("Some 80 cleaners stopped reporting for duty after the contractor cut their pay.", "protest"),
    ("Parents carrying placards gathered at the school gate.", "protest"),
    ("Violence erupted in the township after the party announced its list of candidates.", "riot"),
    # a relative clause states a fact even under 'permitting'
    ("A court order permits the company to dismiss 300 miners who have embarked on an unprotected strike.",
     "protest"),
])
def test_the_event_senses_are_kept(parse, text, event_type):
    _, mentions = parse(text)
    assert event_type in {m.type for m in mentions}


def test_violence_against_the_police_is_not_violence_against_protesters(nlp):
    # demonstrators attacking the police riot; warning shots are no violence at all
    assert _types(nlp, "When officers tried to talk with the demonstrators, several of them attacked the "
                       "policemen with machetes.") == ["protest", "riot"]
    assert _types(nlp, "Police officers intervened and shot into the air to regain control of the yard.") == []


def test_workers_on_strike_are_not_struck(nlp):
    assert _types(nlp, "Police opened a case over words he spoke to striking factory workers urging them to make "
                       "the plant ungovernable.") == []
    assert _types(nlp, "Officers were striking the marchers with batons.") == ["protest", "violence_against_protesters"]


@pytest.mark.parametrize("text", [
    "Riot police armed with batons and tear gas stood by the square in Harare on Monday.",
    "The beating was done by officers armed with sticks, dogs and tear gas.",
    "Police carrying tear gas canisters lined the avenue.",
    "Officers equipped with water cannon surrounded the crowd.",
])
def test_munitions_the_police_bear_are_no_dispersal(parse, text):
    _, mentions = parse(text)
    assert "dispersal" not in {m.type for m in mentions}


def test_munitions_the_police_use_are_a_dispersal(parse):
    _, mentions = parse("Police armed with shields fired tear gas at the marchers.")
    assert "dispersal" in {m.type for m in mentions}


def test_a_warning_by_the_protesters_side_calls_no_one_in(nlp):
    assert _types(nlp, "The opposition party has warned the president to brace for a wave of resistance.") == []
    assert _types(nlp, "Prosecutors warned three activists against taking part in the rally.") == ["summons"]


def test_a_relative_clause_tells_the_cause_not_the_event(nlp):
    assert _types(nlp, "Villagers demanded justice for a youth who was allegedly shot by the police.") == []


def test_trigger_words_are_matched_as_one_matcher_over_the_sentence_would(nlp):
    # the Matcher is given a few tokens after each pattern's first word: the same matches, in its order
    from protestwatch.extract.trigger_rules import matcher
    from protestwatch.extract.triggers import word_matches

    text = ("Riot police fired tear gas and water cannon as thousands took to the streets of Osh, and a "
            "hunger strike and sit-in went on while gunmen exchanged fire with troops. Police detained "
            "twelve demonstrators; a court banned the march and sentenced two organisers.")
    doc = nlp(text)
    for sentence in doc.sents:
        whole = [(m.label_, m.start, m.end) for m in matcher(nlp, "en")(sentence, as_spans=True)]
        assert [(m.label_, m.start, m.end) for m in word_matches(nlp, sentence)] == whole
    assert len([m for s in doc.sents for m in word_matches(nlp, s)]) >= 10


def test_the_entities_of_a_sentence_are_those_spacy_gives(nlp):
    from protestwatch.extract.text import entities_in

    doc = nlp("Police in Almaty detained Ivan Petrov on Sunday. The Democratic Party of Kazakhstan said "
              "on Monday that it would appeal in Astana. Nothing else happened.")
    for sentence in doc.sents:
        assert [(e.start, e.end, e.label_) for e in entities_in(sentence)] == \
               [(e.start, e.end, e.label_) for e in sentence.ents]
    assert entities_in(doc[0:3]) == list(doc[0:3].ents)


@pytest.mark.parametrize("text", [
    "Restrictions on internet access were imposed in Osh on Saturday.",
    "A social media blackout was imposed in Osh on Monday.",
    "The shutdown of mobile data in Osh began on Friday.",
    "Authorities turned off mobile internet in Osh on Monday.",
    "Officials shut down broadband and cellular service in Osh on Monday.",
    "Access to several opposition websites was blocked in Osh on Friday.",
    "Mobile internet was unavailable in Osh on Monday.",
    "Mobile internet stopped working in Osh on Friday.",
    "The internet did not work in Osh on Monday.",
    "Mobile communication was cut off in Osh on Monday.",
])
def test_internet_shutdowns_told_by_a_noun_an_adjective_or_a_verb_with_its_particle(parse, text):
    _, mentions = parse(text, published=date(2022, 7, 5))
    assert [m.type for m in mentions] == ["internet_shutdown"]
    assert mentions[0].place.name == "Osh"


@pytest.mark.parametrize("text", [
    "A cut to the main internet cable was reported on Monday.",  # a cable damaged, no service cut
    "Her mobile phone has been switched off since Monday.",  # one person's phone
    "Mobile internet would be unavailable in Osh on Monday.",
    "She turned to Telegram on Monday.",
    "The internet will not work in Osh tomorrow.",
    "The new law did not work in Osh.",
])
def test_what_is_not_an_internet_shutdown(parse, text):
    _, mentions = parse(text, published=date(2022, 7, 5))
    assert not [m for m in mentions if m.type == "internet_shutdown"]


@pytest.mark.parametrize("text", [
    "The government has deployed internet shutdowns earlier.",
    "The government has blocked social media in the past.",
    "Police had previously detained protesters in Osh.",
    "Police have detained the activist before.",
])
def test_a_perfect_of_experience_tells_no_happening(parse, text):
    _, mentions = parse(text, published=date(2022, 7, 5))
    assert mentions == []


@pytest.mark.parametrize("text", [
    "Police have detained 30 protesters in Osh.",
    "Police have detained protesters in Osh earlier this week.",
])
def test_a_perfect_of_news_is_still_a_happening(parse, text):
    _, mentions = parse(text, published=date(2022, 7, 5))
    assert "detention" in {m.type for m in mentions}


@pytest.mark.parametrize("text", [
    "About 500 people gathered in Osh on Monday to oppose the verdict.",
    "About 300 residents gathered in Osh on Monday in defence of the park.",
    "Hundreds gathered in Osh on Monday in opposition to the new law.",
])
def test_a_gathering_that_opposes_or_defends_is_a_protest(parse, text):
    _, mentions = parse(text, published=date(2022, 7, 5))
    assert [m.type for m in mentions] == ["protest"]


def test_a_gathering_to_support_the_victims_is_not_a_protest(parse):
    _, mentions = parse("Relatives gathered at the hospital in Osh on Monday to support the victims.",
                        published=date(2022, 7, 5))
    assert mentions == []


def test_violent_protests_are_a_violent_demonstration(parse):
    _, mentions = parse("Violent protests broke out in Osh on Monday.", published=date(2022, 7, 5))
    (riot,) = mentions
    assert riot.type == "riot" and riot.demonstrators and riot.trigger.text == "Violent protests"
    _, mentions = parse("Protesters in Osh held a peaceful rally on Monday.", published=date(2022, 7, 5))
    assert [m.type for m in mentions] == ["protest"]


@pytest.mark.parametrize(("text", "detained"), [
    ("Police placed nine demonstrators in pretrial detention in Osh on Monday.", 9),
    ("Police took twelve activists into custody outside the town hall in Osh.", 12),
    ("Seven activists were remanded in custody in Osh on Tuesday.", 7),
    ("At least 14 marchers were placed in a temporary detention facility in Osh.", 14),
    ("Six protesters were taken to a police station in Osh after the rally.", 6),
])
def test_people_put_into_custody_are_detained_and_counted(parse, text, detained):
    _, mentions = parse(text, published=date(2022, 7, 5))
    (detention,) = [m for m in mentions if m.type == "detention"]
    assert detention.detained.min == detained and detention.place.name == "Osh"


@pytest.mark.parametrize("text", [
    "Six students were taken to hospital in Osh after the accident.",
    "The police placed the market in Osh under surveillance.",
    "Police put the plan into effect in Osh on Monday.",
])
def test_other_places_and_states_are_not_custody(parse, text):
    _, mentions = parse(text, published=date(2022, 7, 5))
    assert not [m for m in mentions if m.type == "detention"]


@pytest.mark.parametrize("text", [
    "Authorities imposed a curfew in Osh on Monday, barring gatherings of more than four people.",
    "The government issued a decree on Monday prohibiting public gatherings in Osh.",
    "A court on Monday prohibited rallies in the centre of Osh until the end of the month.",
    "A court in Osh declared the movement an extremist organisation on Monday.",
])
def test_a_ban_told_without_the_word_ban(parse, text):
    _, mentions = parse(text, published=date(2022, 7, 5))
    (ban,) = [m for m in mentions if m.type == "ban"]
    assert ban.date.start == date(2022, 7, 4)


@pytest.mark.parametrize("text", [
    "Activists were barred from travelling to Osh on Monday.",
    "Security laws which bar political gatherings without permission are used against the opposition in Osh.",
    "The court in Osh declared the election results valid on Monday.",
])
def test_what_is_not_a_ban_of_an_assembly_or_a_group(parse, text):
    _, mentions = parse(text, published=date(2022, 7, 5))
    assert not [m for m in mentions if m.type == "ban"]


@pytest.mark.parametrize(("text", "banned"), [
    ("The government banned single-use plastic bags in Osh on Monday.", False),
    ("A ban on flights to Osh took effect on Monday.", False),
    ("The court in Osh banned the opposition party on Monday.", True),
    ("Police in Osh banned the rally on Monday.", True),
    ("Police in Osh banned the activist from addressing the rally.", True),
    ("A ban on rallies in Osh took effect on Monday.", True),
])
def test_a_ban_forbids_an_assembly_a_group_or_people_not_goods(parse, text, banned):
    _, mentions = parse(text, published=date(2022, 7, 5))
    assert bool([m for m in mentions if m.type == "ban"]) is banned
