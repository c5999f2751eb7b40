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
    """'protest' for protests and the state's answers to them; 'legal' for bans, summons, sentences."""
    return _spec(event_type)["family"]


_RIOT_SUB_TYPES = ("Violent demonstration", "Mob violence")


def acled(event_type: str, state_response: Iterable[str] = (), related_types: Iterable[str] = (),
          political: bool = True, learned: str | None = None) -> dict[str, str]:
    """ACLED event and sub-event type. `related_types` are the types of events at the same happening;
    `political` is False for a riot with no demand and no protest at it (mob violence). `learned` is
    the sub-type model's sub-event type, which overrules the rules when given."""
    if learned is not None:
        return {"event_type": "Riots" if learned in _RIOT_SUB_TYPES else "Protests", "sub_event_type": learned}
    spec = _spec(event_type)
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


def plover(event_type: str) -> dict[str, str | None]:
    return dict(_spec(event_type)["plover"])


def cameo(event_type: str, demand_categories: Iterable[str] = ()) -> str:
    """The CAMEO code; a protest's is refined by its first stated demand that has a refinement."""
    spec = _spec(event_type)
    refinements = spec.get("cameo_by_demand", {})
    for category in demand_categories:
        if category in refinements:
            return refinements[category]
    return spec["cameo"]
