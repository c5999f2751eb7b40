"""`protestwatch eval`: score the pipeline against gold annotations, field by field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from protestwatch.eval.gold import read_gold
from protestwatch.eval.runner import code_items
from protestwatch.eval.score import EvalResult, score_acled, score_binary, score_case


def evaluate(path: Path, fmt: str | None = None, limit: int | None = None,
             on_file: Callable[[Path], None] | None = None, gold_events: Path | None = None,
             split: str = "all") -> EvalResult:
    fmt, items = read_gold(path, fmt, gold_events)
    if fmt == "events":
        from protestwatch.eval.articles import score_events, split_items

        items = split_items(items, split)[:limit]
        title = f"Events in articles ({path.parent.name}/{path.name}, split: {split})"
        return score_events(items, code_items(items, on_file), title)
    if limit is not None:
        items = items[:limit]
    events = code_items(items, on_file)
    if fmt == "acled":
        from protestwatch.extract.places import default_gazetteer

        return score_acled(items, events, default_gazetteer())
    if fmt == "case-task2":
        return score_case(items, events)
    title = "GLOCON documents (protest or not)" if fmt == "glocon-doc" else "GLOCON sentences (protest or not)"
    return score_binary(items, events, title)
