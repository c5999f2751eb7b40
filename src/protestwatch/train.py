"""Training of the relevance classifier and the sub-event type model on the dev data (scikit-learn; `pip install -e .[train]`).
Deterministic: fixed seeds, sorted inputs, a solver without randomness, rounded weights in sorted
JSON, so the same data gives the same file byte for byte."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from protestwatch.eval.score import ACLED_VIOLENCE_TYPES

SEED = 13
MAX_FEATURES = 12000
GATE_RECALL = 0.98  # the gate keeps at least this share of protest texts in cross-validation
ROUND = 6
_SIZE_TAG = re.compile(r"\s*\[size=[^\]]*\]\s*$")
PROTEST_ACLED = {"Protests", "Riots", "Riots/Protests"}


@dataclass
class Example:
    text: str
    label: int
    source: str  # which dev file: folds are stratified by it


def load_examples(dev: Path) -> list[Example]:
    examples: list[Example] = []
    for name in ("glocon_document_Sabinet.jsonl", "glocon_sentence_Sabinet.jsonl"):
        path = dev / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                if str(record.get("label")) in ("0", "1"):
                    examples.append(Example(record.get("text") or record["sentence"], int(record["label"]), name))
    for name in ("acled_global_2020.csv", "acled_africa_2016.csv"):
        path = dev / name
        if path.exists():
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    row = {(k or "").lower(): v for k, v in row.items()}
                    notes = _SIZE_TAG.sub("", row.get("notes") or "")
                    if notes:
                        # protests and political violence are events to code; strategic developments are not
                        relevant = row.get("event_type") in PROTEST_ACLED or row.get("event_type") in ACLED_VIOLENCE_TYPES
                        examples.append(Example(notes, int(relevant), name))
    return examples


def _pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=MAX_FEATURES, lowercase=True),
        LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear", random_state=SEED, max_iter=1000),
    )


def cross_validate(examples: list[Example], folds: int = 5) -> dict:
    """Out-of-fold probabilities for every example (each scored by a model that never saw it)."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    texts = np.array([e.text for e in examples], dtype=object)
    labels = np.array([e.label for e in examples])
    strata = np.array([f"{e.source}:{e.label}" for e in examples])
    weights = source_weights(examples)
    out_of_fold = np.zeros(len(examples))
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED).split(texts, strata):
        model = _pipeline().fit(texts[train], labels[train], logisticregression__sample_weight=weights[train])
        out_of_fold[test] = model.predict_proba(texts[test])[:, 1]
    return {"probability": out_of_fold.tolist(), "label": labels.tolist(), "source": [e.source for e in examples]}


def source_weights(examples: list[Example]):
    """Each (source, label) group weighs the same in training: two thousand one-paragraph ACLED notes must
    not teach the model that an event is written like an ACLED note, against fifty long news articles."""
    import numpy as np

    groups = Counter((e.source, e.label) for e in examples)
    return np.array([len(examples) / (len(groups) * groups[(e.source, e.label)]) for e in examples])


def gate_threshold(probabilities: list[float], labels: list[int], sources: list[str],
                   recall: float = GATE_RECALL) -> float:
    """The highest threshold that keeps `recall` of the protest texts of every source (long news
    articles score lower than short event notes, so one global cut would drop many articles)."""
    cuts = []
    for source in sorted(set(sources)):
        positives = sorted(p for p, y, s in zip(probabilities, labels, sources, strict=True) if y == 1 and s == source)
        if positives:
            cuts.append(positives[int((1 - recall) * len(positives))])
    return round(max(0.0, min(cuts) - 1e-6), ROUND) if cuts else 0.5


def fit_model(examples: list[Example]) -> tuple[dict, dict]:
    """(model spec, cross-validation) for a list of examples: the gate threshold from out-of-fold
    probabilities, then the model fitted on all of them."""
    import numpy as np

    examples = sorted(examples, key=lambda e: (e.source, e.text, e.label))
    cv = cross_validate(examples)
    threshold = gate_threshold(cv["probability"], cv["label"], cv["source"])
    model = _pipeline().fit(np.array([e.text for e in examples], dtype=object), np.array([e.label for e in examples]),
                            logisticregression__sample_weight=source_weights(examples))
    vectorizer, classifier = model.steps[0][1], model.steps[1][1]
    spec = {
        "kind": "tfidf-logistic-regression",
        "trained_on": sorted({e.source for e in examples}),
        "examples": len(examples),
        "seed": SEED,
        "gate_threshold": threshold,
        "terms": vectorizer.get_feature_names_out().tolist(),
        "idf": [round(float(v), ROUND) for v in vectorizer.idf_],
        "coef": [round(float(v), ROUND) for v in classifier.coef_[0]],
        "intercept": round(float(classifier.intercept_[0]), ROUND),
    }
    return spec, cv


def spec_json(spec: dict) -> str:
    return json.dumps(spec, sort_keys=True, separators=(",", ":")) + "\n"


def train(dev: Path, out: Path, subtype_out: Path | None = None) -> dict:
    """Train the relevance model into `out` and, when the dev data has ACLED sub-event types, the
    sub-type model into `subtype_out` (default: subtype.json beside `out`)."""
    examples = load_examples(dev)
    if not examples:
        raise FileNotFoundError(f"no training data under {dev}")
    spec, cv = fit_model(examples)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(spec_json(spec), encoding="utf-8")
    result = {"cv": cv, "threshold": spec["gate_threshold"], "examples": len(examples), "subtype_examples": 0}
    subtype_examples = subtype_examples_from(load_subtype_items(dev))
    if subtype_examples:
        subtype_out = subtype_out or out.with_name("subtype.json")
        subtype_out.write_text(spec_json(fit_subtype_model(subtype_examples)), encoding="utf-8")
        result["subtype_examples"] = len(subtype_examples)
    return result


# -- the sub-event type model --------------------------------------------------------------------
SUBTYPE_C = 16.0
SUBTYPE_MIN_PROBABILITY = 0.5
ACLED_SUBTYPE_SCOPE = {"Protests", "Riots"}  # and Arrests rows


@dataclass
class SubtypeExample:
    text: str
    label: str  # ACLED's sub-event type
    rules: str  # the sub-event type the rules give the row (a feature of the model)


def load_subtype_items(dev: Path) -> list:
    """ACLED rows (protests, riots, arrests) of the dev files that carry sub-event types."""
    from protestwatch.eval.gold import read_acled

    items = []
    for name in ("acled_global_2020.csv",):
        path = dev / name
        if path.exists():
            items.extend(i for i in read_acled(path) if i.fields.get("sub_event_type") and (
                i.fields["event_type"] in ACLED_SUBTYPE_SCOPE or i.fields["sub_event_type"] == "Arrests"))
    return items


def rule_labels(items: list) -> list[str]:
    """The sub-event type the rules alone give each item (no relevance gate, no sub-type model)."""
    from protestwatch.eval.runner import code_items
    from protestwatch.eval.score import predicted_acled_label
    from protestwatch.learn import relevance, subtype

    with relevance.using_model(None), subtype.using_model(None):
        events = code_items(items)
    return [predicted_acled_label(events.get(n, [])) for n in range(len(items))]


def subtype_examples_from(items: list, rules: list[str] | None = None) -> list[SubtypeExample]:
    rules = rules if rules is not None else (rule_labels(items) if items else [])
    return [SubtypeExample(i.text, i.fields["sub_event_type"], r) for i, r in zip(items, rules, strict=True)]


def fit_subtype_model(examples: list[SubtypeExample]) -> dict:
    """TF-IDF words and pairs plus a one-hot of the rules' label, multinomial logistic regression."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from protestwatch.learn.subtype import rule_feature

    examples = sorted(examples, key=lambda e: (e.text, e.label, e.rules))
    rule_names = sorted({rule_feature(e.rules) for e in examples})
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=MAX_FEATURES,
                                 lowercase=True)
    words = vectorizer.fit_transform([e.text for e in examples])
    rules = csr_matrix(np.array([[float(rule_feature(e.rules) == name) for name in rule_names] for e in examples]))
    classifier = LogisticRegression(C=SUBTYPE_C, solver="lbfgs", max_iter=5000, random_state=SEED)
    classifier.fit(hstack([words, rules]).tocsr(), np.array([e.label for e in examples]))
    return {
        "kind": "tfidf-rules-multinomial-logistic-regression",
        "trained_on": "ACLED rows with sub-event types (protests, riots, arrests)",
        "examples": len(examples),
        "seed": SEED,
        "min_probability": SUBTYPE_MIN_PROBABILITY,
        "classes": classifier.classes_.tolist(),
        "terms": vectorizer.get_feature_names_out().tolist(),
        "idf": [round(float(v), ROUND) for v in vectorizer.idf_],
        "rule_features": rule_names,
        "coef": [[round(float(v), ROUND) for v in row] for row in classifier.coef_],
        "intercept": [round(float(v), ROUND) for v in classifier.intercept_],
    }
