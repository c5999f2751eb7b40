"""The sub-event type classifier: which of ACLED's protest and riot sub-event types a happening is.

The rules decide that something happened and what (a protest, a riot, a dispersal ...); from those,
`typemap.acled` derives an ACLED sub-event type. This model reads the happening's sentences together
with that rule-derived label (stacking) and may overrule it when it is sure enough: rules miss a
'mob' that is only called 'locals', or a dispersal told in ACLED's own idiom. Trained by `protestwatch
train` (scikit-learn multinomial logistic regression over TF-IDF words and word pairs plus the rules'
label), shipped as JSON, run with the standard library. The record keeps which one decided (`basis`).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import cache

from protestwatch.learn.learned import ModelSlot, packaged_model, tfidf

# The sub-event types the model may give an event of these types (an arrest stays an arrest).
RIOT_SUB_TYPES = ("Violent demonstration", "Mob violence")
PROTEST_SUB_TYPES = ("Peaceful protest", "Protest with intervention", "Excessive force against protesters")
APPLIES_TO = frozenset({"protest", "riot", "dispersal", "violence_against_protesters"})


def rule_feature(label: str) -> str:
    return f"rules={label}"


@dataclass(frozen=True)
class SubtypeModel:
    classes: list[str]
    vocabulary: dict[str, int]
    idf: list[float]
    rule_features: dict[str, int]  # feature name -> column after the terms
    coef: list[list[float]]  # one row per class over terms + rule features
    intercept: list[float]
    min_probability: float  # at or below this the rules' label stands
    version: str

    def probabilities(self, text: str, rule_label: str) -> dict[str, float]:
        weights = tfidf(text, self.vocabulary, self.idf)
        rule_column = self.rule_features.get(rule_feature(rule_label))
        scores = []
        for row, intercept in zip(self.coef, self.intercept, strict=True):
            score = intercept + sum(row[i] * w for i, w in weights.items())
            if rule_column is not None:
                score += row[len(self.vocabulary) + rule_column]
            scores.append(score)
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.classes, exps, strict=True)}

    def decide(self, text: str, rule_label: str) -> tuple[str, float] | None:
        """(sub-event type, probability) when the model is sure enough and the type is one it may
        give; None leaves the rules' label."""
        probabilities = self.probabilities(text, rule_label)
        label = max(probabilities, key=lambda c: (probabilities[c], c))
        if label not in RIOT_SUB_TYPES + PROTEST_SUB_TYPES or probabilities[label] <= self.min_probability:
            return None
        return label, probabilities[label]


def model_from_json(raw: str) -> SubtypeModel:
    spec = json.loads(raw)
    return SubtypeModel(
        classes=spec["classes"],
        vocabulary={term: i for i, term in enumerate(spec["terms"])},
        idf=spec["idf"],
        rule_features={name: i for i, name in enumerate(spec["rule_features"])},
        coef=spec["coef"],
        intercept=spec["intercept"],
        min_probability=spec["min_probability"],
        version=hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12],
    )


@cache
def shipped_model() -> SubtypeModel | None:
    return packaged_model("subtype.json", model_from_json)


_slot: ModelSlot[SubtypeModel] = ModelSlot(shipped_model)


def current_model() -> SubtypeModel | None:
    return _slot.current()


def using_model(model: SubtypeModel | None):
    """Run with another sub-type model (or None: rules only), e.g. a fold's model."""
    return _slot.using(model)
