"""Detect: which parts of a report could report an event, found cheaply before the expensive parse.

Two steps, both plain regular expressions over the text:
- the gate: a document with no trigger word at all (in any inflection) is stored without parsing;
- the focus: in a long report, only the sentences around trigger words (and the opening sentences,
  which carry the date and place the rest refers to) are parsed; every other sentence is blanked
  with spaces of the same length, so that every offset into the parsed text is still an offset into
  the document.
"""

from __future__ import annotations

import re
from functools import cache

from protestwatch.gate.cues import has_demand_cue
from protestwatch.lang import load
from protestwatch.learn.relevance import current_model
from protestwatch.nlp.models import supported
from protestwatch.records import Document
from protestwatch.schema.taxonomy import EVENT_TYPES

LEAD_SENTENCES = 2
NEIGHBOURS = 1  # sentences kept on each side of a sentence with a trigger word
FOCUS_MIN_CHARS = 1500  # shorter reports are parsed whole
_SENTENCE_END = re.compile(r"(?<=[.!?\u201d\"])\s+(?=[\u201c\"A-Z0-9])|\n+")


def _inflections(word: str) -> str:
    """A regex for the common English inflections of a lemma: rally -> rally|rallies|rallied|rallying,
    ban -> ban|bans|banned|banning (but not 'bank'), protest -> protest|protests|protester|..."""
    word = re.escape(word.lower())
    if word.endswith("y"):
        return word[:-1] + "(?:y|ies|ied|ying)"
    if word.endswith("e"):
        return word[:-1] + "(?:e|es|ed|ing|er|ers|ion|ions|al)"
    return word + f"(?:{word[-1]}?(?:ed|ing|er|ers)|s|es|ers?|ors?|ions?|ment|al)?"


@cache
def _gate(language: str) -> re.Pattern:
    """A cheap test that a text could report an event at all: any trigger word in any inflection.
    A document that fails it is stored without being parsed (no event can come out of it)."""
    spec = load("triggers", language)
    phrases = set()
    inflected_only: set[str] = set()
    # the event types' own words only: other tables of the lexicon (hedges, other senses) are no triggers
    for entry in (spec.get(event_type) for event_type in EVENT_TYPES):
        if not isinstance(entry, dict):
            continue
        # An internet shutdown needs a named service ("internet", "social media"), so its verbs
        # ("slow", "cut") are not looked for on their own.
        groups = ("services", "phrases") if "services" in entry else ("verbs", "nouns", "phrases", "blockade_verbs")
        for group in groups:
            phrases.update(entry.get(group, []))
        inflected_only.update(entry.get("gate_inflected_only", []))
    irregular = _irregular_verb_forms(language)
    alternatives = []
    for phrase in sorted(phrases):
        first, *rest = phrase.split()
        regular = (re.escape(first) + f"(?:{re.escape(first[-1])}?(?:ed|ing))" if phrase in inflected_only
                   else _inflections(first))
        forms = "|".join([regular, *map(re.escape, irregular.get(first.lower(), []))])
        # a noun phrase's last word is matched by its lemma: "air raids" and "human chains" too
        words = [re.escape(word) for word in rest[:-1]] + [re.escape(word) + "(?:s|es)?" for word in rest[-1:]]
        alternatives.append(f"(?:{forms})" + "".join(r"\s+" + word for word in words))
    return re.compile(rf"\b(?:{'|'.join(alternatives)})\b", re.IGNORECASE)


@cache
def _irregular_verb_forms(language: str) -> dict[str, list[str]]:
    """Verb forms the regular inflections miss, from the NLP model's own lemmatizer exceptions:
    beat -> beaten, shoot -> shot, strike -> struck (the parse's lemmas are what the triggers match)."""
    from protestwatch.nlp import load_model

    nlp = load_model(language)
    if "lemmatizer" not in nlp.pipe_names:
        return {}
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_exc"):
        return {}
    forms: dict[str, list[str]] = {}
    for form, lemmas in sorted(lookups.get_table("lemma_exc").get("verb", {}).items()):
        for lemma in lemmas:
            forms.setdefault(lemma.lower(), []).append(form.lower())
    return forms


@cache
def _gathering(language: str) -> re.Pattern:
    """Verbs and nouns that report a protest only beside a demand ("merchants gathered ... to demand longer
    hours", "a procession demanding ...")."""
    spec = load("triggers", language)["protest"]
    words = [*spec.get("with_demand", []), *spec.get("with_demand_nouns", [])]
    return re.compile(rf"\b(?:{'|'.join(_inflections(w) for w in words)})\b", re.IGNORECASE) if words else None


def _gathering_with_demand(document: Document) -> bool:
    gathering = _gathering(document.language)
    return bool(gathering and gathering.search(document.text, document.body_start, document.body_stop)
                and has_demand_cue(document.text[document.body_start:document.body_stop], document.language))


@cache
def _stems(language: str) -> re.Pattern:
    """A language pack's gate stems ('задерж', 'митинг'): in a language of many endings a stem is the
    cheap test, and the extraction's lemmas decide."""
    stems = load("triggers", language)["gate_stems"]
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(s) for s in sorted(stems, key=len, reverse=True))})", re.I)


def may_report_event(document: Document) -> bool:
    """A trigger word (or a gathering beside a demand), and (when a relevance model is shipped) a
    probability of reporting a protest above the model's recall-tuned gate threshold. The learned gate
    was trained on English: other languages pass on their lexical gate alone."""
    if not supported(document.language):
        return False  # never coded with another language's rules
    if "gate_stems" in load("triggers", document.language):
        return _stems(document.language).search(document.text, document.body_start, document.body_stop) is not None
    if not (_gate(document.language).search(document.text, document.body_start, document.body_stop)
            or _gathering_with_demand(document)):
        return False
    model = current_model()
    return model is None or model.probability(document.text[document.body_start:document.body_stop]) >= model.gate_threshold


@cache
def _cues(language: str) -> re.Pattern:
    """Demand and state-response cue phrases: sentences with them add to a nearby protest."""
    phrases = list(load("demands", language)["cues"])
    for spec in load("responses", language)["values"].values():
        phrases.extend(spec["cues"])
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, phrases), key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


def focused_text(document: Document) -> str:
    """The document's text with sentences far from any trigger word blanked (same length)."""
    text = document.text
    if len(text) < FOCUS_MIN_CHARS or document.language != "en":
        return text
    gate, cues = _gate(document.language), _cues(document.language)
    bounds = _sentence_bounds(text, document.body_start, document.body_stop)
    keep = set(range(min(LEAD_SENTENCES, len(bounds))))
    for index, (start, end) in enumerate(bounds):
        if gate.search(text, start, end):
            keep.update(range(max(0, index - NEIGHBOURS), min(len(bounds), index + NEIGHBOURS + 1)))
        elif cues.search(text, start, end):
            keep.add(index)  # a demand or a response told apart from its protest sentence
    if len(keep) == len(bounds):
        return text
    pieces = [text[: document.body_start]]
    cursor = document.body_start
    for index, (start, end) in enumerate(bounds):
        pieces.append(text[cursor:start])
        chunk = text[start:end]
        pieces.append(chunk if index in keep else re.sub(r"[^\n]", " ", chunk))
        cursor = end
    pieces.append(text[cursor:])
    focused = "".join(pieces)
    assert len(focused) == len(text)
    return focused


def _sentence_bounds(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    bounds, cursor = [], start
    for match in _SENTENCE_END.finditer(text, start, stop):
        if match.start() > cursor:
            bounds.append((cursor, match.start()))
        cursor = match.end()
    if cursor < stop:
        bounds.append((cursor, stop))
    return bounds
