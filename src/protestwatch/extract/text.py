"""The parsed text of a spaCy Doc, built once: `Doc.text` joins every token again on each call, and the
extraction stages ask for it per sentence."""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "protestwatch_doc_text"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text
