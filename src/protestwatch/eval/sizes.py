"""ACLED's crowd-size tag ('[size=around 50]', '[size=no report]') as a range, with the same
quantity grammar the extractor uses, so that the two are read alike."""

from __future__ import annotations

from protestwatch.extract.counts import quantity_grammar, quantity_range


def size_tag_range(tag: str | None) -> tuple[int | None, int | None] | None:
    """None when the tag gives no number ('no report', 'large')."""
    if not tag:
        return None
    grammar = quantity_grammar("en")
    match = grammar.pattern.search(tag)
    if match is None:
        return None
    bounds = quantity_range(match, grammar)
    if bounds is None or (bounds[0] is None and bounds[1] is None):
        return None
    return bounds
