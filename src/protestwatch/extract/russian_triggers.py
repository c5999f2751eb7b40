"""What happened, in Russian: a lemma or a lemma phrase of an event type from the language pack
(lang/ru/triggers.yaml), when it reports a happening: not negated ('не задержали'), not future or
conditional ('будет проходить'), not under a planning, permitting or calling head ('планируют провести
митинг', 'разрешили провести акцию'), not a habit ('по выходным выходили на пикеты'), not what was banned
('запрет шествий'). 'акция' is a protest only as one ('акция протеста', 'несогласованная акция'); 'арестован
на 10 суток' is a sentence, not a detention; 'запретить' is a ban when what is banned hangs from it."""

from __future__ import annotations

from datetime import date
from functools import cache

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from protestwatch.extract.russian_dates import find_dates_ru
from protestwatch.lang import load
from protestwatch.records import Span

LANGUAGE = "ru"

PHRASE_WINDOW = 6  # words a phrase's parts may stand apart: 'назначил трем пикетчикам у мэрии наказание'


QUALIFIER_WINDOW = 4  # words around 'акция' where a protest qualifier must stand


@cache
def trigger_rules_ru() -> dict:
    spec = load("triggers", LANGUAGE)
    by_lemma: dict[str, str] = {}
    phrases: list[tuple[str, tuple[str, ...]]] = []
    for event_type, entry in spec.items():
        if not isinstance(entry, dict):  # the tables of the event types are the mappings
            continue
        for lemma in entry.get("lemmas", []):
            by_lemma.setdefault(lemma, event_type)
        for phrase in entry.get("phrases", []):
            phrases.append((event_type, tuple(phrase.lower().split())))
    phrases.sort(key=lambda item: -len(item[1]))
    protest = spec["protest"]
    return {
        "by_lemma": by_lemma,
        "phrases": phrases,
        "qualified": {k: frozenset(v) for k, v in protest["qualified"].items()},
        "gathering": frozenset(protest["gathering_lemmas"]),
        "gathering_needs": frozenset(protest["gathering_needs"]),
        "other_sense": [tuple(p.split()) for p in protest["other_sense_near"]],
        "ban_objects": frozenset(spec["ban"]["ban_objects"]),
        "refusal_heads": frozenset(spec["ban"].get("refusal_heads", ())),
        "refused_things": frozenset(spec["ban"].get("refused_things", ())),
        "hypothetical": frozenset(spec["hypothetical_heads"]),
        "banned_heads": frozenset(spec["banned_heads"]),
        "hypothetical_modifiers": frozenset(spec["hypothetical_modifiers"]),
        "participants": frozenset(spec["participant_nouns"]),
        "services": frozenset(spec["internet_shutdown"]["services"]),
        "cut_verbs": frozenset(spec["internet_shutdown"]["verbs"]),
        "negations": frozenset(spec["negations"]),
        "hedges": frozenset(spec["hedges"]),
    }


# -- triggers ------------------------------------------------------------------------------------
def lemma_of(token: Token) -> str:
    return token.lemma_.lower().replace("ё", "е")


def _service_cut(tokens: list[Token], lemmas: list[str], rules: dict) -> Token | None:
    """The verb or noun that cuts a named service in the sentence ('интернет ... был заблокирован')."""
    if not any(lemma in rules["services"] for lemma in lemmas):
        return None
    return next((t for t, lemma in zip(tokens, lemmas, strict=True) if lemma in rules["cut_verbs"]), None)


def _phrase_at(tokens: list[Token], start: int, phrase: tuple[str, ...]) -> int | None:
    """The index of the phrase's last word when it starts at `start`, its words in order, each within
    PHRASE_WINDOW words of the one before."""
    position = start
    for word in phrase[1:]:
        following = next((j for j in range(position + 1, min(len(tokens), position + 1 + PHRASE_WINDOW))
                          if lemma_of(tokens[j]) == word or tokens[j].lower_ == word), None)
        if following is None:
            return None
        position = following
    return position


def _near(tokens: list[Token], index: int, words: frozenset[str], window: int) -> bool:
    return any(lemma_of(t) in words or t.lower_ in words
               for t in tokens[max(0, index - window): index + window + 1] if t.i != tokens[index].i)


def find_triggers_ru(sentence: SpacySpan) -> list[tuple[str, Token, Span]]:
    """(event type, head token, evidence span) for every trigger in the sentence that reports a happening."""
    rules = trigger_rules_ru()
    tokens = [t for t in sentence if not t.is_space]
    lemmas = [lemma_of(t) for t in tokens]
    found: list[tuple[str, Token, Span]] = []
    used: set[int] = set()
    for i, _ in enumerate(tokens):
        for event_type, phrase in rules["phrases"]:
            if lemmas[i] != phrase[0] and tokens[i].lower_ != phrase[0]:
                continue
            end = _phrase_at(tokens, i, phrase)
            if end is not None:
                found.append((event_type, tokens[i], _span(tokens[i], tokens[end])))
                used.update(range(i, end + 1))
                break
    shutdown = _service_cut(tokens, lemmas, rules) if not any(t == "internet_shutdown" for t, _, _ in found) else None
    if shutdown is not None:
        found.append(("internet_shutdown", shutdown, _span(shutdown, shutdown)))
    for i, token in enumerate(tokens):
        if i in used:
            continue
        event_type = rules["by_lemma"].get(lemmas[i])
        if event_type is None and lemmas[i] in rules["qualified"] and _near(
                tokens, i, rules["qualified"][lemmas[i]], QUALIFIER_WINDOW):
            event_type = "protest"
        if event_type is None and lemmas[i] in rules["gathering"] and _near(
                tokens, i, rules["gathering_needs"], len(tokens)):
            event_type = "protest"
        if event_type is not None:
            found.append((event_type, token, _span(token, token)))
    out = []
    undated = not find_dates_ru(sentence.text, 0, _ANY_DAY)
    for event_type, head, span in found:
        event_type = _retype(event_type, head, sentence, lemmas)
        if event_type == "protest" and undated and _habitual(head):
            continue
        # a phrase that carries its own negation ('не разрешили провести'): the refusal is the event
        negated_phrase = lemma_of(head) in rules["negations"]
        if event_type is None or not (negated_phrase or _reported(head, rules)):
            continue
        if event_type == "protest" and _other_sense(lemmas, rules):
            continue
        out.append((event_type, head, span))
    return out


# Whether a sentence names a day at all: weekdays and 'вчера' resolve only against some date, and any
# will do for the question (the real anchor resolves them later).
_ANY_DAY = date(2000, 1, 1)


def _habitual(token: Token) -> bool:
    """'студенты по выходным выходили на пикеты': the imperfective past of the trigger's clause, with no day
    named, is what people used to do, not a happening; a perfective or a dated one is ('вышли', 'в субботу
    выходили')."""
    verb = token if token.pos_ == "VERB" else next((t for t in ancestors(token, 3) if t.pos_ == "VERB"), None)
    return verb is not None and "Imp" in verb.morph.get("Aspect") and "Past" in verb.morph.get("Tense")


def _retype(event_type: str, head: Token, sentence: SpacySpan, lemmas: list[str]) -> str | None:
    """'арестован на 15 суток': a court's sentence; 'запретить' a ban only of a group or of assemblies."""
    rules = trigger_rules_ru()
    if event_type == "detention" and lemma_of(head) in ("арест", "арестовать") and "сутки" in lemmas:
        return "sentencing"
    if event_type == "ban" and lemma_of(head) in ("запретить", "запрет", "экстремистский"):
        # what is banned hangs from the ban word: 'запретили проведение шествий', not 'запретили
        # автобусам останавливаться' in a report that names a rally elsewhere
        if not any(lemma_of(t) in rules["ban_objects"] for t in _descendants(head, 3)):
            return None
    if event_type == "ban" and lemma_of(head) in rules["refusal_heads"] and not any(
            lemma in rules["refused_things"] for lemma in lemmas):
        return None  # a refusal of something other than an assembly or the request for one
    if event_type == "ban" and ("Part" in head.morph.get("VerbForm") or _in_brackets(head)):
        return None  # 'фонд «Рассвет» (признанный экстремистским)': the organisation described, no new decision
    if event_type in ("protest", "riot") and any(lemma_of(t) in rules["banned_heads"] for t in ancestors(head)):
        return None  # 'запрет пикетов у вокзала': what is banned, not a rally
    return event_type


def refused_permit(head: Token) -> bool:
    """Whether a ban trigger tells a refused permit ('отказали в согласовании', 'не дали разрешения',
    'получили отказ'), not a ban decreed."""
    rules = trigger_rules_ru()
    return lemma_of(head) in rules["refusal_heads"] or lemma_of(head) in rules["negations"]


def _descendants(token: Token, depth: int) -> list[Token]:
    out, level = [], [token]
    for _ in range(depth):
        level = [c for t in level for c in t.children]
        out.extend(level)
    return out


def ancestors(token: Token, steps: int = 4) -> list[Token]:
    out, current = [], token
    for _ in range(steps):
        if current.head.i == current.i:
            break
        current = current.head
        out.append(current)
    return out


def _in_brackets(token: Token) -> bool:
    text = token.doc.text
    before = text[max(0, token.idx - 120): token.idx]
    return before.rfind("(") > before.rfind(")")


def _reported(token: Token, rules: dict) -> bool:
    """Not negated, not future or conditional, not under a planning / permitting / calling head."""
    chain = [token]
    current = token
    for _ in range(4):
        if current.head.i == current.i:
            break
        current = current.head
        chain.append(current)
    verb = next((t for t in chain if t.pos_ in ("VERB", "AUX")), None)
    for candidate in (token, verb):
        if candidate is None:
            continue
        if any(lemma_of(c) in rules["negations"] and c.dep_ in ("advmod", "neg", "discourse") for c in candidate.children):
            return False
        if "Fut" in candidate.morph.get("Tense") or "Cnd" in candidate.morph.get("Mood"):
            return False
        if any(lemma_of(c) == "быть" and "Fut" in c.morph.get("Tense") for c in candidate.children):
            return False  # 'будет проходить'
        if any(lemma_of(c) == "бы" for c in candidate.children):
            return False
    child = token
    for parent in chain[1:]:  # 'не сообщается, что митинг был связан ...': a clause under a negated verb
        if child.dep_ in ("ccomp", "csubj", "advcl") and any(
                lemma_of(c) in rules["negations"] and c.dep_ in ("advmod", "neg") for c in parent.children):
            return False
        child = parent
    if any(c.dep_ == "amod" and lemma_of(c) in rules["hypothetical_modifiers"] for c in token.children):
        return False  # 'возможных беспорядков'
    # a verb coordinated with the trigger's is its sibling, not its governor: 'подали уведомление, но получили
    # отказ' (the refusal came; the notice is what was filed), while the heads above both still govern it
    governors = [parent for child, parent in zip(chain, chain[1:], strict=False) if child.dep_ != "conj"]
    return not any(lemma_of(t) in rules["hypothetical"] for t in governors)


def _other_sense(lemmas: list[str], rules: dict) -> bool:
    return any(all(word in lemmas for word in words) for words in rules["other_sense"])


def _span(first: Token, last: Token) -> Span:
    doc = first.doc
    start, end = first.idx, last.idx + len(last.text)
    return Span(start, end, doc.text[start:end])


def refers_to_a_protest(head: Token, triggers: list[tuple[str, Token, Span]]) -> bool:
    """'оштрафовал участников митинга', 'задержали сторонников шествия': a protest named as what the people
    the state acted on took part in; the sentence's date is the state's act, not the protest's."""
    people = trigger_rules_ru()["participants"]
    return (head.dep_ == "nmod" and lemma_of(head.head) in people
            and any(t != "protest" and t != "riot" for t, _, _ in triggers))


def trigger_lemmas() -> dict[str, str]:
    """Lemma -> event type of the Russian trigger words."""
    return trigger_rules_ru()["by_lemma"]
