"""What the trained models share: TF-IDF features computed with the standard library exactly as
scikit-learn computes them at training time, and a slot that holds the model in use (the shipped one,
or another put in place for a while, e.g. a fold's model in cross-validation)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from importlib import resources
from typing import Generic, TypeVar

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern

M = TypeVar("M")


def terms(text: str) -> list[str]:
    """Words and word pairs, lower-cased (TfidfVectorizer with ngram_range=(1, 2))."""
    words = _TOKEN.findall(text.lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def tfidf(text: str, vocabulary: dict[str, int], idf: list[float]) -> dict[int, float]:
    """Sublinear, l2-normalised TF-IDF weights of the text's known terms, by feature index."""
    weights = {}
    for term, count in Counter(terms(text)).items():
        index = vocabulary.get(term)
        if index is not None:
            weights[index] = (1.0 + math.log(count)) * idf[index]
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {i: w / norm for i, w in weights.items()}


def packaged_model(filename: str, parse: Callable[[str], M]) -> M | None:
    """A model file shipped in the package's models/ folder, parsed; None when none was trained in."""
    path = resources.files(__package__) / "models" / filename
    return parse(path.read_text(encoding="utf-8")) if path.is_file() else None


class ModelSlot(Generic[M]):
    """The model in use: the shipped one (loaded once), unless `using` put another in place."""

    def __init__(self, load_shipped: Callable[[], M | None]):
        self._load_shipped = load_shipped
        self._override: list[M | None] = []

    def current(self) -> M | None:
        return self._override[-1] if self._override else self._load_shipped()

    def using(self, model: M | None) -> _Using[M]:
        """Context manager: run with `model` (or None: no model) in place."""
        return _Using(self, model)


class _Using(Generic[M]):
    def __init__(self, slot: ModelSlot[M], model: M | None):
        self.slot, self.model = slot, model

    def __enter__(self) -> M | None:
        self.slot._override.append(self.model)  # noqa: SLF001 - the slot's own helper
        return self.model

    def __exit__(self, *exc) -> None:
        self.slot._override.pop()  # noqa: SLF001
