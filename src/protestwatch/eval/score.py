"""Scores per gold format. Each returns an EvalResult: headline numbers, per-class table, confusion
matrix and the worst errors with their text, for the terminal table and the HTML report."""

from __future__ import annotations

from dataclasses import dataclass, field

from protestwatch.eval.gold import GoldItem
from protestwatch.eval.metrics import (
    ClassScore,
    accuracy,
    confusion,
    km_between,
    macro_f1,
    per_class,
    size_band,
)
from protestwatch.extract.gazetteer_tables import name_key

# Event types whose presence means a protest happened (ACLED protest detection).
PROTEST_FAMILY = ("protest", "riot", "dispersal", "violence_against_protesters")
POLITICAL_VIOLENCE = ("attack", "abduction", "explosion", "armed_clash")
# GLOCON's positive class is contentious politics: protests and political violence (its annotation manual).
GLOCON_POSITIVE = PROTEST_FAMILY + POLITICAL_VIOLENCE
ACLED_PROTEST_TYPES = ("Protests", "Riots", "Riots/Protests")
# ACLED's political-violence event types, in today's layout and the older ones, and the type each is here.
ACLED_VIOLENCE_TYPES = {
    "Violence against civilians": "attack",
    "Explosions/Remote violence": "explosion",
    "Remote violence": "explosion",
    "Battles": "armed_clash",
    "Battle-No change of territory": "armed_clash",
    "Battle-Government regains territory": "armed_clash",
    "Battle-Non-state actors overtake territory": "armed_clash",
    "Battle-Non-state actor overtakes territory": "armed_clash",
}
_ACLED_VIOLENCE_SUB_TYPES = {"Abduction/forced disappearance": "abduction"}
_VIOLENCE_SEVERITY = {"explosion": 0, "armed_clash": 1, "attack": 2, "abduction": 3}
ACLED_LABELS = ["Peaceful protest", "Protest with intervention", "Excessive force against protesters",
                "Violent demonstration", "Mob violence", "Arrests", "none"]
CASE_LABELS = ["PEACE_PROTEST", "PROTEST_WITH_INTER", "FORCE_AGAINST_PROTEST", "VIOL_DEMONSTR", "MOB_VIOL",
               "ARREST", "OTHER"]
_CASE_BY_ACLED = {
    "Peaceful protest": "PEACE_PROTEST",
    "Protest with intervention": "PROTEST_WITH_INTER",
    "Excessive force against protesters": "FORCE_AGAINST_PROTEST",
    "Violent demonstration": "VIOL_DEMONSTR",
    "Mob violence": "MOB_VIOL",
    "Arrests": "ARREST",
    "none": "OTHER",
}


@dataclass
class ErrorCase:
    id: str
    text: str
    gold: str
    predicted: str
    note: str = ""


@dataclass
class EvalResult:
    title: str
    headline: dict[str, float | int | str]
    classes: list[ClassScore] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    matrix: list[list[int]] = field(default_factory=list)
    errors: list[ErrorCase] = field(default_factory=list)
    articles: list = field(default_factory=list)  # eval.articles.ArticleView, for the event-level report


_PRECISION = {"city": 0, "admin1": 1, "country": 2}
_SEVERITY = {"riot": 0, "violence_against_protesters": 1, "dispersal": 2, "protest": 3, "detention": 4}


def primary_event(events: list[dict]) -> dict | None:
    """The event a gold row is about, as ACLED codes one row per happening: a riot first (violent
    demonstrators make a violent demonstration whatever the police did), then violence against
    protesters, dispersal, protest, and last a detention; then the most precise place (ACLED codes
    the town, where our events may also stand at the country that a sentence names); surest first,
    then the place named first."""
    candidates = [e for e in events if e["type"] in _SEVERITY]
    if not candidates:
        return None
    return min(candidates, key=lambda e: (_SEVERITY[e["type"]], _PRECISION.get(e["location"]["precision"], 3),
                                          -e["confidence"], _place_position(e), e["id"]))


def _place_position(event: dict) -> int:
    """Where the text first names the event's place: a report names the main place first."""
    return min((ev["start"] for ev in event.get("evidence", ()) if ev["field"] == "location"), default=1 << 30)


def predicted_acled_label(events: list[dict]) -> str:
    event = primary_event(events)
    if event is None:
        return "none"
    if event["type"] == "detention":
        return "Arrests"
    return event["acled"]["sub_event_type"]


def _errors(items: list[GoldItem], gold: list[str], predicted: list[str], limit: int = 40) -> list[ErrorCase]:
    return [ErrorCase(i.id, i.text, g, p) for i, g, p in zip(items, gold, predicted, strict=True) if g != p][:limit]


def score_binary(items: list[GoldItem], events: dict[int, list[dict]], title: str) -> EvalResult:
    gold = [i.label for i in items]
    predicted = ["1" if any(e["type"] in GLOCON_POSITIVE for e in events.get(n, [])) else "0"
                 for n in range(len(items))]
    classes = per_class(gold, predicted, ["1", "0"])
    positive = classes[0]
    return EvalResult(
        title=title,
        headline={"items": len(items), "macro_f1": macro_f1(classes), "precision": positive.precision,
                  "recall": positive.recall, "accuracy": accuracy(gold, predicted)},
        classes=classes, labels=["1", "0"], matrix=confusion(gold, predicted, ["1", "0"]),
        errors=_errors(items, gold, predicted),
    )


def score_case(items: list[GoldItem], events: dict[int, list[dict]]) -> EvalResult:
    gold = [i.label for i in items]
    predicted = [_CASE_BY_ACLED[predicted_acled_label(events.get(n, []))] for n in range(len(items))]
    labels = CASE_LABELS + sorted(set(gold) - set(CASE_LABELS))
    classes = per_class(gold, predicted, labels)
    return EvalResult(
        title="CASE 2021 Task 2 (event sub-types)",
        headline={"items": len(items), "macro_f1": macro_f1(classes), "accuracy": accuracy(gold, predicted)},
        classes=classes, labels=labels, matrix=confusion(gold, predicted, labels),
        errors=_errors(items, gold, predicted),
    )


def score_acled(items: list[GoldItem], events: dict[int, list[dict]], gazetteer=None) -> EvalResult:
    from protestwatch.eval.sizes import size_tag_range
    from protestwatch.export.acled_csv import acled_row

    protest_rows = [n for n, i in enumerate(items) if i.fields["event_type"] in ACLED_PROTEST_TYPES]
    arrest_rows = [n for n, i in enumerate(items) if i.fields["sub_event_type"] == "Arrests"]
    other_rows = [n for n in range(len(items)) if n not in set(protest_rows) | set(arrest_rows)]
    scored = protest_rows + arrest_rows
    has_sub_types = any(items[n].fields["sub_event_type"] for n in protest_rows)

    gold_labels, predicted_labels, found = [], [], []
    date_hits = country_hits = near_hits = name_hits = located = 0
    size_hits = size_total = actor_hits = actor_total = 0
    location_errors: list[ErrorCase] = []
    for n in scored:
        item, row_events = items[n], events.get(n, [])
        event = primary_event(row_events)
        label = predicted_acled_label(row_events)
        if has_sub_types:
            gold_labels.append(item.fields["sub_event_type"] or item.label)
            predicted_labels.append(label)
        else:  # older layout: only "Riots/Protests" vs not
            gold_labels.append("Riots/Protests" if n in protest_rows else "Arrests")
            predicted_labels.append("Arrests" if label == "Arrests" else ("none" if label == "none" else "Riots/Protests"))
        if event is None:
            continue
        found.append(n)
        date_hits += event["date"]["start"] is not None and item.fields["date"] is not None and \
            event["date"]["start"] == item.fields["date"].isoformat()
        location = event["location"]
        code = gazetteer.country(item.fields["country"]) if gazetteer and item.fields["country"] else None
        country_hits += bool(code and location["country"] == code)
        if location["lat"] is not None and item.fields["lat"] is not None:
            located += 1
            distance = km_between(location["lat"], location["lon"], item.fields["lat"], item.fields["lon"])
            near_hits += distance <= 25
            if distance > 25 and len(location_errors) < 40:
                location_errors.append(ErrorCase(item.id, item.text, item.fields["location"] or "",
                                                 location["name"] or "", f"{distance:.0f} km away"))
        name_hits += bool(item.fields["location"] and location["name"]
                          and name_key(location["name"]) == name_key(item.fields["location"]))
        gold_size = size_tag_range(item.fields.get("size"))
        if gold_size is not None and n in protest_rows:
            size_total += 1
            size_hits += size_matches(related_count(event, row_events), gold_size)
        if item.fields["actor1"] and n in protest_rows:
            actor_total += 1
            actor_hits += acled_row(event)["actor1"].lower() == item.fields["actor1"].lower()
    labels = ACLED_LABELS if has_sub_types else ["Riots/Protests", "Arrests", "none"]
    labels = labels + sorted(set(gold_labels) - set(labels))
    classes = per_class(gold_labels, predicted_labels, labels)
    invented = [n for n in other_rows if any(e["type"] in PROTEST_FAMILY for e in events.get(n, []))]
    missed = [n for n in protest_rows if not any(e["type"] in PROTEST_FAMILY for e in events.get(n, []))]
    scored_items = [items[n] for n in scored]
    violence, violence_errors = score_acled_violence(items, events, protest_rows)
    return EvalResult(
        title="ACLED (protests, riots and arrests rows; political-violence rows)",
        headline={
            "rows scored": len(scored),
            "sub-event accuracy" if has_sub_types else "type accuracy": accuracy(gold_labels, predicted_labels),
            "macro_f1": macro_f1(classes),
            "protest rows with no protest event (missed)": len(missed) / len(protest_rows) if protest_rows else 0.0,
            "other rows given a protest event (invented)": len(invented) / len(other_rows) if other_rows else 0.0,
            "date exact (rows with an event)": date_hits / len(found) if found else 0.0,
            "country correct": country_hits / len(found) if found else 0.0,
            "within 25 km": near_hits / located if located else 0.0,
            "location name match": name_hits / len(found) if found else 0.0,
            "crowd size (range contains / same band)": size_hits / size_total if size_total else 0.0,
            "crowd sizes scored": size_total,
            "actor1 match": actor_hits / actor_total if actor_total else 0.0,
            **violence,
        },
        classes=classes, labels=labels, matrix=confusion(gold_labels, predicted_labels, labels),
        errors=_errors(scored_items, gold_labels, predicted_labels) + location_errors + violence_errors,
    )


def violence_type(item: GoldItem) -> str | None:
    """The political-violence type an ACLED row is (None for other rows)."""
    kind = ACLED_VIOLENCE_TYPES.get(item.fields["event_type"])
    if kind is None:
        return None
    return _ACLED_VIOLENCE_SUB_TYPES.get(item.fields.get("sub_event_type") or "", kind)


def primary_violence(events: list[dict]) -> dict | None:
    """The act of political violence a row is about: an explosion first (the bomb that killed), then a
    clash, an attack, an abduction; surest first."""
    candidates = [e for e in events if e["type"] in _VIOLENCE_SEVERITY]
    if not candidates:
        return None
    return min(candidates, key=lambda e: (_VIOLENCE_SEVERITY[e["type"]], -e["confidence"], e["id"]))


def score_acled_violence(items: list[GoldItem], events: dict[int, list[dict]],
                         protest_rows: list[int]) -> tuple[dict, list[ErrorCase]]:
    """Political violence on ACLED's rows of its types: the family found (any political-violence event),
    the type right (over all such rows, and among those found; a 'Violence against civilians' row of the
    older layouts, which has no sub-event type, is right as an attack or an abduction), and protest rows
    given a political-violence event."""
    rows = [(n, kind) for n, item in enumerate(items) if (kind := violence_type(item)) is not None]
    if not rows:
        return {}, []
    found = right = 0
    errors: list[ErrorCase] = []
    for n, kind in rows:
        event = primary_violence(events.get(n, []))
        if event is None:
            if len(errors) < 40:
                errors.append(ErrorCase(items[n].id, items[n].text, kind, "none", "political violence missed"))
            continue
        found += 1
        older = not items[n].fields.get("sub_event_type") and kind == "attack"
        ok = event["type"] == kind or (older and event["type"] == "abduction")
        right += ok
        if not ok and len(errors) < 40:
            errors.append(ErrorCase(items[n].id, items[n].text, kind, event["type"], "political-violence type"))
    crossed = [n for n in protest_rows if primary_violence(events.get(n, [])) is not None]
    return {
        "political-violence rows": len(rows),
        "political violence: family found": found / len(rows),
        "political violence: type right (all rows)": right / len(rows),
        "political violence: type right (found)": right / found if found else 0.0,
        "protest rows given a political-violence event": len(crossed) / len(protest_rows) if protest_rows else 0.0,
    }, errors


def related_count(event: dict, events: list[dict], key: str = "participants") -> dict | None:
    """A count of the happening: the event's own, or that of an event related to it at the same happening
    (a dispersal event does not repeat the protest's crowd, a protest the detention's count)."""
    if event.get(key):
        return event[key]
    linked = [e for e in events if e["id"] in event.get("related", ())]
    return next((e[key] for e in linked if e.get(key)), None)


def size_matches(participants: dict | None, gold: tuple[int | None, int | None]) -> bool:
    if participants is None:
        return False
    low, high = participants["min"], participants["max"]
    gold_low, gold_high = gold
    stated = gold_low if gold_high is None else (gold_high if gold_low is None else (gold_low + gold_high) // 2)
    if stated is None:
        return False
    if low is not None and high is not None and low <= stated <= high:
        return True
    ours = low if high is None else (high if low is None else (low + high) // 2)
    return size_band(ours) is not None and size_band(ours) == size_band(stated)
