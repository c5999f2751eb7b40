"""The relevance classifier: does a text report a protest, the state's answer to one, or political violence?

A linear model over TF-IDF word and word-pair features, trained by `protestwatch train` with
scikit-learn and shipped as plain JSON (vocabulary, idf weights, coefficients) inside the package:
no pickle, no download, and inference needs only the standard library. It gates the expensive parse
(a document it rejects is stored unparsed) and decides, with the rules, whether a text reports a
protest at all.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import cache

from protestwatch.learn.learned import ModelSlot, packaged_model, tfidf


@dataclass(frozen=True)
class RelevanceModel:
    vocabulary: dict[str, int]
    idf: list[float]
    coef: list[float]
    intercept: float
    gate_threshold: float  # below this the document is not parsed (tuned for recall)
    version: str  # a short hash of the model file, recorded in every event's coder string

    def probability(self, text: str) -> float:
        weights = tfidf(text, self.vocabulary, self.idf)
        score = self.intercept + sum(self.coef[i] * w for i, w in weights.items())
        return 1.0 / (1.0 + math.exp(-score))


def model_from_json(raw: str) -> RelevanceModel:
    spec = json.loads(raw)
    return RelevanceModel(
        vocabulary={term: i for i, term in enumerate(spec["terms"])},
        idf=spec["idf"], coef=spec["coef"], intercept=spec["intercept"],
        gate_threshold=spec["gate_threshold"],
        version=hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12],
    )


@cache
def shipped_model() -> RelevanceModel | None:
    """The model in the package, or None when none has been trained into it."""
    return packaged_model("relevance.json", model_from_json)


_slot: ModelSlot[RelevanceModel] = ModelSlot(shipped_model)


def current_model() -> RelevanceModel | None:
    """The model in use: the shipped one, unless `using_model` put another in place."""
    return _slot.current()


def using_model(model: RelevanceModel | None):
    """Run with another model (or None: no model), e.g. a fold's model in cross-validation."""
    return _slot.using(model)
