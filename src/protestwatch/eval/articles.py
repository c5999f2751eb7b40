"""Event-level scoring on full articles with hand-coded events (`protestwatch eval --format events`).

A gold event is *found* when an event the coder gave for the same article is of the same family
(protest: protest, riot; repression: every state action) and stands within 50 km of the gold place
(in the same country when the gold names no place). Each predicted event is matched to at most one gold
event and the other way round: a second event for an already found happening is a duplicate and counts
against precision. Among the found: type, date at the gold's precision, place within 25 km, and the
crowd and detained counts are scored.

The article gold sets code protest and repression, not political violence (their READMEs' coding rules):
events of that family are set aside from the score and counted on their own ("political-violence events,
not coded by the gold"), so a change of scope is not read as a change of accuracy.

The development articles are split once, with a fixed seed, into a tuning part and a held-aside fifth
whose texts nobody reads while tuning (docs/quality.md reports both).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from protestwatch.errors import GoldFormatError
from protestwatch.eval.gold import GoldItem
from protestwatch.eval.metrics import ClassScore, km_between
from protestwatch.eval.score import ErrorCase, EvalResult, related_count, size_matches

HELD_ASIDE_SEED = 20261201
HELD_ASIDE_FRACTION = 0.2
FOUND_KM = 50.0
NEAR_KM = 25.0

FAMILIES = {
    "protest": ("protest", "riot"),
    "repression": ("detention", "dispersal", "violence_against_protesters", "internet_shutdown", "ban",
                   "summons", "sentencing"),
}
_FAMILY_OF = {t: family for family, types in FAMILIES.items() for t in types}
TYPES = [t for types in FAMILIES.values() for t in types]


def scoring_family(event_type: str) -> str:
    return _FAMILY_OF.get(event_type, event_type)


def held_aside(ids: list[str], seed: int = HELD_ASIDE_SEED, fraction: float = HELD_ASIDE_FRACTION) -> set[str]:
    """The fixed random fifth of the articles kept for scoring only: drawn from the sorted ids, so it does
    not depend on file order."""
    ordered = sorted(ids)
    return set(random.Random(seed).sample(ordered, round(len(ordered) * fraction)))


def split_items(items: list[GoldItem], split: str) -> list[GoldItem]:
    if split == "all":
        return items
    aside = held_aside([i.id for i in items])
    if split == "held":
        return [i for i in items if i.id in aside]
    if split == "tune":
        return [i for i in items if i.id not in aside]
    raise GoldFormatError(f"unknown split {split!r}: all, tune or held")


# ---------------------------------------------------------------- matching


def _gold_point(gold: dict) -> tuple[float, float] | None:
    if gold.get("place") and gold.get("lat") is not None and gold.get("lon") is not None:
        return float(gold["lat"]), float(gold["lon"])
    return None


def _distance(gold: dict, predicted: dict) -> float | None:
    point, location = _gold_point(gold), predicted["location"]
    if point is None or location.get("lat") is None or location.get("lon") is None:
        return None
    return km_between(point[0], point[1], location["lat"], location["lon"])


def place_fits(gold: dict, predicted: dict) -> bool:
    """Within 50 km of the gold place; the same country when the gold names no place."""
    if _gold_point(gold) is not None:
        distance = _distance(gold, predicted)
        return distance is not None and distance <= FOUND_KM
    return bool(gold.get("country")) and predicted["location"].get("country") == gold["country"]


def date_right(gold: dict, predicted: dict) -> bool:
    """The predicted date at the gold's precision: YYYY-MM-DD, YYYY-MM, YYYY, --MM-DD (a day and month with
    no knowable year: the coder must not have invented one), or none when the gold has none."""
    value, date = gold.get("date"), predicted.get("date") or {}
    start = date.get("start")
    if not value:
        return start is None and not date.get("month")
    if value.startswith("--"):
        month, day = (int(part) for part in value[2:].split("-"))
        return date.get("year") is None and date.get("month") == month and date.get("day") == day
    if not start:
        return False
    return start[:len(value)] == value


def count_right(gold_low: int | None, gold_high: int | None, predicted: dict | None) -> bool:
    """The stated number inside the predicted range, or the same size band (the ACLED scorer's rule), or
    the same open range ('more than 100' for 'at least 100')."""
    if predicted is not None and predicted.get("min") is not None and predicted.get("max") is None \
            and gold_high is None and predicted["min"] == gold_low:
        return True
    return size_matches(predicted, (gold_low, gold_high))


def _mismatch(gold: dict, predicted: dict, article: list[dict]) -> float:
    """How badly a feasible pair fits, in ranked parts: another type outweighs a wrong date, which outweighs
    the wrong crowd and detained counts, which outweigh distance (below 1)."""
    distance = _distance(gold, predicted)
    cost = 8.0 * (predicted["type"] != gold["type"]) + 4.0 * (not date_right(gold, predicted))
    for kind in ("participants", "detained"):
        low, high = gold.get(f"{kind}_min"), gold.get(f"{kind}_max")
        if (low is not None or high is not None) and not count_right(low, high, related_count(predicted, article, kind)):
            cost += 1.0
    return cost + (distance if distance is not None else FOUND_KM) / (FOUND_KM + 1.0)


_WORST_MISMATCH = 15.0


def match_article(gold: list[dict], predicted: list[dict], same_type: bool = False) -> dict[int, int]:
    """gold index -> predicted index, one to one: as many pairs as possible, and among those the assignment
    of least total mismatch (same type, right date, right counts, nearest), found as a min-cost assignment
    so that a tie between two candidates is settled by the pairing as a whole, not by which gold comes first."""
    def fits(g: dict, p: dict) -> bool:
        same = p["type"] == g["type"] if same_type else scoring_family(p["type"]) == scoring_family(g["type"])
        return same and place_fits(g, p)

    if not gold or not predicted:
        return {}
    from scipy.optimize import linear_sum_assignment  # only the scorer needs it

    # each feasible pair earns more than any sum of mismatches can cost, so the pair count comes first
    reward = _WORST_MISMATCH * (min(len(gold), len(predicted)) + 1)
    cost = [[_mismatch(g, p, predicted) - reward if fits(g, p) else 0.0 for p in predicted] for g in gold]
    rows, columns = linear_sum_assignment(cost)
    return {int(gi): int(pi) for gi, pi in zip(rows, columns, strict=True) if cost[gi][pi] < 0}


# ---------------------------------------------------------------- scoring


@dataclass
class ArticleView:
    """One article beside its gold and predicted events, for the HTML report."""

    id: str
    title: str
    text: str
    gold: list[dict]
    predicted: list[dict]
    pairs: dict[int, int]
    notes: dict[int, str] = field(default_factory=dict)  # predicted index -> why it is not found


def _why_not_found(predicted: dict, gold: list[dict], pairs: dict[int, int], index: int) -> str:
    """A predicted event that found no gold event, by the error class it belongs to."""
    if not gold:
        return "event on a negative article"
    family = scoring_family(predicted["type"])
    same_family = [gi for gi, g in enumerate(gold) if scoring_family(g["type"]) == family]
    if not same_family:
        return "no such happening (no gold event of its family)"
    if any(place_fits(gold[gi], predicted) for gi in same_family):
        return "duplicate of a found happening"
    if predicted["location"].get("precision") in ("country", "admin1") or predicted["location"].get("lat") is None:
        return "summary or unplaced statement (country or region level)"
    return "wrong place"


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def score_events(items: list[GoldItem], events: dict[int, list[dict]], title: str = "Events in articles"):
    found = gold_total = predicted_total = 0
    strict_found = 0
    type_hits = date_hits = date_total = near_hits = near_total = 0
    crowd_hits = crowd_total = detained_hits = detained_total = 0
    negative_events = negative_articles_with_events = negatives = 0
    per_type_tp: Counter = Counter()
    per_type_gold: Counter = Counter()
    per_type_pred: Counter = Counter()
    false_positive_kinds: Counter = Counter()
    miss_kinds: Counter = Counter()
    confusion_pairs: Counter = Counter()
    views: list[ArticleView] = []
    errors: list[ErrorCase] = []
    set_aside = 0
    for n, item in enumerate(items):
        gold = item.fields["events"]
        coded = [e for e in events.get(n, []) if e["type"] in _FAMILY_OF]
        set_aside += len(events.get(n, [])) - len(coded)
        predicted = sorted(coded, key=lambda e: (_first_offset(e), e["id"]))
        gold_total += len(gold)
        predicted_total += len(predicted)
        if not gold:
            negatives += 1
            negative_events += len(predicted)
            negative_articles_with_events += bool(predicted)
        pairs = match_article(gold, predicted)
        strict = match_article(gold, predicted, same_type=True)
        found += len(pairs)
        strict_found += len(strict)
        for g in gold:
            per_type_gold[g["type"]] += 1
        for p in predicted:
            per_type_pred[p["type"]] += 1
        for gi in strict:
            per_type_tp[gold[gi]["type"]] += 1
        for gi, pi in pairs.items():
            g, p = gold[gi], predicted[pi]
            type_hits += g["type"] == p["type"]
            confusion_pairs[(g["type"], p["type"])] += 1
            date_total += 1
            date_hits += date_right(g, p)
            if _gold_point(g) is not None:
                near_total += 1
                distance = _distance(g, p)
                near_hits += distance is not None and distance <= NEAR_KM
            if g.get("participants_min") is not None or g.get("participants_max") is not None:
                crowd_total += 1
                crowd_hits += count_right(g.get("participants_min"), g.get("participants_max"),
                                          related_count(p, predicted, "participants"))
            if g.get("detained_min") is not None or g.get("detained_max") is not None:
                detained_total += 1
                detained_hits += count_right(g.get("detained_min"), g.get("detained_max"),
                                             related_count(p, predicted, "detained"))
        notes = {pi: _why_not_found(p, gold, pairs, pi) for pi, p in enumerate(predicted) if pi not in pairs.values()}
        false_positive_kinds.update(notes.values())
        for gi, g in enumerate(gold):
            if gi in pairs:
                continue
            family = scoring_family(g["type"])
            near = [p for p in predicted if scoring_family(p["type"]) == family]
            miss_kinds["no event of its family in the article" if not near else
                       "an event of its family, elsewhere or taken by another"] += 1
            errors.append(ErrorCase(item.id, g.get("quote") or "", g["type"], "missed",
                                    f"{g.get('date')} {g.get('place') or g.get('country')}"))
        for pi, note in notes.items():
            p = predicted[pi]
            errors.append(ErrorCase(item.id, _evidence_text(p), "-", p["type"],
                                    f"{note}; {p['date'].get('start')} {p['location'].get('name')}"))
        views.append(ArticleView(item.id, item.meta.get("title") or "", item.text, gold, predicted, pairs, notes))

    recall, precision = _ratio(found, gold_total), _ratio(found, predicted_total)
    strict_recall, strict_precision = _ratio(strict_found, gold_total), _ratio(strict_found, predicted_total)
    classes = []
    for event_type in TYPES:
        tp, support, guessed = per_type_tp[event_type], per_type_gold[event_type], per_type_pred[event_type]
        if not support and not guessed:
            continue
        p, r = _ratio(tp, guessed), _ratio(tp, support)
        classes.append(ClassScore(event_type, p, r, 2 * p * r / (p + r) if p + r else 0.0, support))
    labels = [t for t in TYPES if any(t in pair for pair in confusion_pairs)]
    matrix = [[confusion_pairs[(g, p)] for p in labels] for g in labels]
    headline: dict[str, float | int | str] = {
        "articles": len(items),
        "gold events": gold_total,
        "predicted events": predicted_total,
        "event F1": _f1(precision, recall),
        "event precision": precision,
        "event recall": recall,
        "event F1 (exact type)": _f1(strict_precision, strict_recall),
        "type accuracy (found)": _ratio(type_hits, found),
        "date at gold precision (found)": _ratio(date_hits, date_total),
        "place within 25 km (found, placed gold)": _ratio(near_hits, near_total),
        "crowd count (found, stated)": _ratio(crowd_hits, crowd_total),
        "crowd counts scored": crowd_total,
        "detained count (found, stated)": _ratio(detained_hits, detained_total),
        "detained counts scored": detained_total,
        "negative articles": negatives,
        "negative articles with events": negative_articles_with_events,
        "events on negative articles": negative_events,
        "events per found happening": _ratio(found + false_positive_kinds["duplicate of a found happening"], found),
        "political-violence events, not coded by the gold (set aside)": set_aside,
    }
    for kind, count in sorted(false_positive_kinds.items()):
        headline[f"not found: {kind}"] = count
    for kind, count in sorted(miss_kinds.items()):
        headline[f"missed: {kind}"] = count
    return EvalResult(title=title, headline=headline, classes=classes, labels=labels, matrix=matrix,
                      errors=errors, articles=views)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _first_offset(event: dict) -> int:
    return min((ev["start"] for ev in event.get("evidence", ())), default=1 << 30)


def _evidence_text(event: dict) -> str:
    return next((ev["text"] for ev in event.get("evidence", ()) if ev["field"] == "type"),
                next((ev["text"] for ev in event.get("evidence", ())), ""))
