"""Plain classification metrics (no dependency beyond the standard library)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from protestwatch.extract.gazetteer_tables import km_between  # noqa: F401 - the scorers' distance too


@dataclass
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


def per_class(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] | None = None) -> list[ClassScore]:
    labels = list(labels) if labels is not None else sorted(set(gold) | set(predicted))
    pairs = Counter(zip(gold, predicted, strict=True))
    out = []
    for label in labels:
        tp = pairs[(label, label)]
        fp = sum(n for (g, p), n in pairs.items() if p == label and g != label)
        fn = sum(n for (g, p), n in pairs.items() if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.append(ClassScore(label, precision, recall, f1, tp + fn))
    return out


def macro_f1(scores: Sequence[ClassScore]) -> float:
    scored = [s for s in scores if s.support > 0]
    return sum(s.f1 for s in scored) / len(scored) if scored else 0.0


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold) if gold else 0.0


def confusion(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted, strict=True):
        matrix[index[g]][index[p]] += 1
    return matrix


def size_band(n: int | None) -> str | None:
    if n is None:
        return None
    if n < 100:
        return "1-99"
    if n < 1000:
        return "100-999"
    if n < 10000:
        return "1000-9999"
    return "10000+"
