"""The one place that maps an event to ACLED, PLOVER and CAMEO codes (data in types.yaml)."""

from __future__ import annotations

from collections.abc import Iterable

from protestwatch.schema.taxonomy import type_table


def _spec(event_type: str) -> dict:
    types = type_table()
    if event_type not in types:
        raise KeyError(f"unknown event type {event_type!r}; known: {', '.join(types)}")
    return types[event_type]


def family(event_type: str) -> str:
    """The reader's grouping: 'protest' (protests, riots), 'repression' (the state's answers: detentions,
    dispersals, violence against protesters, bans, shutdowns, summons, sentences), 'political_violence'."""
    return _spec(event_type)["family"]


def thread(event_type: str) -> str:
    """The extractor's grouping, within which a report's date and place carry forward: 'protest' (a
    protest and the state's answers on the street), 'legal' (bans, summons, sentences), 'violence'."""
    return _spec(event_type)["thread"]


def types_of_family(name: str) -> tuple[str, ...]:
    return tuple(t for t, spec in type_table().items() if spec["family"] == name)



_RIOT_SUB_TYPES = ("Violent demonstration", "Mob violence")


def acled(event_type: str, state_response: Iterable[str] = (), related_types: Iterable[str] = (),
          political: bool = True, learned: str | None = None, means: Iterable[str] = ()) -> dict[str, str]:
    """ACLED event and sub-event type. `related_types` are the types of events at the same happening;
    `political` is False for a riot with no demand and no protest at it (mob violence). `learned` is
    the sub-type model's sub-event type, which overrules the rules when given; `means` the means of violence
    the report names ('air_strike', 'shelling', ...), which refine an explosion's sub-event type."""
    if learned is not None:
        return {"event_type": "Riots" if learned in _RIOT_SUB_TYPES else "Protests", "sub_event_type": learned}
    spec = _spec(event_type)
    by_means = _by_means(spec, "acled_by_means", means)
    if by_means is not None:
        return dict(by_means)
    if not political and "acled_apolitical" in spec:
        return dict(spec["acled_apolitical"])
    related = set(related_types)
    for rule in spec.get("acled_by_related", []):
        if rule["type"] in related:
            return {"event_type": rule["event_type"], "sub_event_type": rule["sub_event_type"]}
    responses = set(state_response)
    for rule in spec.get("acled_by_response", []):
        if rule["response"] in responses:
            return {"event_type": rule["event_type"], "sub_event_type": rule["sub_event_type"]}
    return dict(spec["acled"])


def _by_means(spec: dict, key: str, means: Iterable[str]):
    """The refinement of `key` for the first means of violence, in the order the type table lists them."""
    table = spec.get(key, {})
    named = set(means)
    return next((value for name, value in table.items() if name in named), None)


def plover(event_type: str, means: Iterable[str] = ()) -> dict[str, str | None]:
    spec = _spec(event_type)
    return dict(_by_means(spec, "plover_by_means", means) or spec["plover"])


def cameo(event_type: str, demand_categories: Iterable[str] = (), means: Iterable[str] = ()) -> str:
    """The CAMEO code; a protest's is refined by its first stated demand that has a refinement, an act of
    violence by its means (an air strike is 195, an assassination 186)."""
    spec = _spec(event_type)
    by_means = _by_means(spec, "cameo_by_means", means)
    if by_means is not None:
        return by_means
    refinements = spec.get("cameo_by_demand", {})
    for category in demand_categories:
        if category in refinements:
            return refinements[category]
    return spec["cameo"]
