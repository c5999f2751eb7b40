"""What a spaCy Doc builds anew on every access, built once per document: `Doc.text` joins every token
again, `Span.ents` makes a span of every entity of the whole document; the extraction stages ask for
both per sentence."""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

_KEY = "protestwatch_doc_text"
_ENTITIES = "protestwatch_entities"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


def document_entities(doc: Doc) -> tuple[tuple[SpacySpan, ...], list[int]]:
    """The document's named entities and where each starts (token index)."""
    cached = doc.user_data.get(_ENTITIES)
    if cached is None:
        entities = doc.ents
        cached = doc.user_data[_ENTITIES] = (entities, [e.start for e in entities])
    return cached


def entities_in(span: SpacySpan) -> list[SpacySpan]:
    """The named entities that lie wholly inside `span`, as `span.ents` gives them."""
    entities, starts = document_entities(span.doc)
    out = []
    for entity in entities[bisect_left(starts, span.start):]:
        if entity.end > span.end:
            break
        out.append(entity)
    return out
