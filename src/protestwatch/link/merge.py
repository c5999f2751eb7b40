"""Mentions -> events: reports of the same happening (same type, place and date, within one report
or across reports) become one event that lists every source.

Candidates are blocked by (type, place), so no two mentions of different places or types are ever
compared, and within a block by date; the cost grows with the size of the largest block, not with the
square of the corpus. A country-precision mention does not merge into a city event: 'protests in
several other cities' stays a country-level event beside the named cities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from protestwatch.coder import coder_version
from protestwatch.extract.responses import responses_implied_by
from protestwatch.learn import subtype
from protestwatch.records import (
    Actor,
    Count,
    DateValue,
    Event,
    Evidence,
    Mention,
    Place,
    Source,
    SourceInfo,
    Span,
    block_key,
    dates_compatible,
    stable_id,
)
from protestwatch.schema import typemap
from protestwatch.schema.taxonomy import CROWD_TYPES, MEANS

_PRECISION_RANK = {"day": 0, "week": 1, "month-day": 2, "month": 3, "year": 4, None: 5}


def _best_date(dates: Iterable[DateValue | None]) -> DateValue | None:
    known = [d for d in dates if d is not None]
    if not known:
        return None
    return min(known, key=lambda d: (_PRECISION_RANK.get(d.precision, 5), d.start is None))


def _narrowest(counts: Iterable[Count | None]) -> Count | None:
    known = [c for c in counts if c is not None]
    if not known:
        return None

    def width(c: Count) -> tuple[float, int]:
        if c.min is None or c.max is None:
            # of two open counts, the higher floor says more ('at least 200' over 'a number of')
            return float("inf"), -(c.min or 0)
        return c.max - c.min, 0

    return min(known, key=width)


def _crowd_size(counts: Iterable[Count | None]) -> Count | None:
    """The size of a crowd told by several counts: a count that no other estimate overlaps and that is
    smaller than another counts a part of the crowd ('thousands gathered' ... 'several protesters were
    knocked down'), never its size; among the estimates that overlap the largest one, the narrowest
    ('about 50' over 'dozens')."""
    known = [c for c in counts if c is not None]
    if not known:
        return None
    largest = max(known, key=lambda c: (c.min or 0, c.max or 0))
    return _narrowest(c for c in known if _overlap(c, largest))


def _overlap(a: Count, b: Count) -> bool:
    low_a, low_b = a.min or 0, b.min or 0
    high_a = a.max if a.max is not None else float("inf")
    high_b = b.max if b.max is not None else float("inf")
    return low_a <= high_b and low_b <= high_a


def merge_mentions(mentions: Iterable[Mention], documents: Mapping[str, SourceInfo]) -> list[Event]:
    """Events from mentions of any number of places; see merge_block for one place."""
    blocks: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        blocks[block_key(mention)].append(mention)
    events: list[Event] = []
    for key in sorted(blocks):
        events.extend(merge_block(blocks[key], documents))
    return sorted(events, key=lambda e: e.id)


def merge_block(mentions: list[Mention], documents: Mapping[str, SourceInfo],
                split_groups: Mapping[str, str] | None = None) -> list[Event]:
    """Events from the mentions of one place: clustered by type, then by compatible dates.
    Everything a place's events need (related events included) is inside its block, so blocks
    can be merged one at a time, in any order, and only the blocks that changed need merging again.
    `split_groups` (mention id -> a reviewer's split decision) keeps mentions a person split apart
    out of each other's events, on every later merge too."""
    groups = split_groups or {}
    by_type: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_type[mention.type].append(mention)
    events: list[Event] = []
    for event_type in sorted(by_type):
        clusters: list[list[Mention]] = []
        for mention in sorted(by_type[event_type], key=_mention_order):
            group = groups.get(mention.id)
            for cluster in clusters:
                if groups.get(cluster[0].id) == group and all(
                        dates_compatible(mention.date, other.date, mention.document_id == other.document_id)
                        for other in cluster):
                    cluster.append(mention)
                    break
            else:
                clusters.append([mention])
        for cluster in clusters:
            event = _event(event_type, block_key(cluster[0]), cluster, documents, groups.get(cluster[0].id))
            if any(e.id == event.id for e in events):
                # two happenings of one type, place and best date that their other mentions keep apart
                # (a dated one and an undated one from another report): the second is told apart by its
                # first mention, so ids stay stable and unique
                event.id = stable_id("ev", event.id, min(m.id for m in cluster))
            events.append(event)
    _link_related(events)
    _learned_sub_types(events)
    coder = coder_version()
    for event in events:
        event.coder = coder
    return sorted(events, key=lambda e: e.id)


def _learned_sub_types(events: list[Event]) -> None:
    """Let the sub-type model (if any) read each protest-family event's happening: its sentences and
    those of its related events, with the sub-event type the rules give it."""
    model = subtype.current_model()
    if model is None:
        return
    by_id = {e.id: e for e in events}
    for event in events:
        if event.type not in subtype.APPLIES_TO:
            continue
        sources = {(s.document, s.start): s.sentence for e in [event, *(by_id[r] for r in event.related if r in by_id)]
                   for s in e.sources}
        text = " ".join(sources[key] for key in sorted(sources))
        rules = typemap.acled(event.type, event.state_response, event.related_types, event.political,
                              means=event.means)
        decision = model.decide(text, rules["sub_event_type"])
        if decision is not None:
            event.acled_learned, event.acled_probability = decision[0], round(decision[1], 3)


def _mention_order(mention: Mention) -> tuple:
    d = mention.date
    return (
        d.start.isoformat() if d and d.start else "",
        (d.month or 0) if d else 0,
        (d.day or 0) if d else 0,
        _PRECISION_RANK.get(d.precision if d else None, 5),
        mention.document_id,
        mention.sentence.start,
    )


def _event(event_type: str, place_key: str, cluster: list[Mention], documents: Mapping[str, SourceInfo],
           split_group: str | None = None) -> Event:
    best_date = _best_date(m.date for m in cluster)
    location = _best_place(cluster)
    date_key = best_date.key() if best_date else ("none", min(m.id for m in cluster))
    parts = (event_type, place_key, date_key) if split_group is None else (event_type, place_key, date_key, split_group)
    event = Event(
        id=stable_id("ev", *parts),
        type=event_type,
        date=best_date,
        location=location,
        actors=_unique_actors(a for m in cluster for a in m.actors),
        demands=_unique(((d.category, d.text.lower()), d) for m in cluster for d in m.demands),
        participants=_crowd_size(m.participants for m in cluster),
        detained=_narrowest(m.detained for m in cluster),
        targeted=_narrowest(m.targeted for m in cluster),
        state_response=sorted({r.value for m in cluster for r in m.state_response}),
        tactics=_unique(((t.value, (t.quote or "").lower()), t) for m in cluster for t in m.tactics),
        sources=_sources(cluster, documents),
        evidence=_evidence(cluster),
        mention_ids=sorted(m.id for m in cluster),
        confidence=_independent_confidence(cluster, documents),
        # a violent demonstration: protest words with the riot, or a demand; otherwise a mob's violence
        political=any(m.demonstrators or m.demands for m in cluster),
        # one report that states it as fact outweighs the hedged ones
        certainty="hedged" if all(m.hedge is not None for m in cluster) else "stated",
        fatalities=_narrowest(m.fatalities for m in cluster),
        means=[name for name in MEANS if any(t.value == name for m in cluster for t in m.means)],
    )
    return event


def _independent_confidence(cluster: list[Mention], documents: Mapping[str, SourceInfo]) -> float:
    """Reports combine as independent evidence (noisy-or), but near-copies of one wire story count
    once: the best mention per original document."""
    best: dict[str, float] = {}
    for mention in cluster:
        info = documents.get(mention.document_id)
        root = info.duplicate_of if info and info.duplicate_of else mention.document_id
        best[root] = max(best.get(root, 0.0), mention.confidence)
    return _noisy_or(best.values())


def _best_place(cluster: list[Mention]) -> Place | None:
    places = [m.place for m in cluster if m.place is not None]
    sourced = [m.place for m in cluster if m.place is not None and m.place_source == "sentence"]
    return (sourced or places or [None])[0]


def _unique(items: Iterable[tuple[object, object]]) -> list:
    seen: dict[object, object] = {}
    for key, value in items:
        seen.setdefault(key, value)
    return list(seen.values())


def _unique_actors(actors: Iterable[Actor]) -> list[Actor]:
    return _unique((a.key(), a) for a in actors)


def _sources(cluster: list[Mention], documents: Mapping[str, SourceInfo]) -> list[Source]:
    out: dict[tuple[str, int], Source] = {}
    for mention in cluster:
        info = documents.get(mention.document_id) or SourceInfo(None, None, None)
        out.setdefault((mention.document_id, mention.sentence.start),
                       Source(mention.document_id, info.outlet, info.url, info.published, mention.sentence.text,
                              mention.sentence.start, mention.sentence.end, info.duplicate_of, info.language))
    return list(out.values())


def _evidence(cluster: list[Mention]) -> list[Evidence]:
    out: dict[tuple, Evidence] = {}

    def add(field: str, document: str, span: Span | None) -> None:
        if span is not None:
            out.setdefault((field, document, span.start, span.end), Evidence(field, document, span.start, span.end, span.text))

    for m in cluster:
        add("type", m.document_id, m.trigger)
        add("date", m.document_id, m.date.span if m.date else None)
        add("location", m.document_id, m.place.span if m.place else None)
        for actor in m.actors:
            add("actors", m.document_id, actor.span)
        for demand in m.demands:
            add("demands", m.document_id, demand.span)
        for name in ("participants", "detained", "targeted", "fatalities"):
            count = getattr(m, name)
            add(name, m.document_id, count.span if count else None)
        for response in m.state_response:
            add("state_response", m.document_id, response.span)
        for tactic in m.tactics:
            add("tactics", m.document_id, tactic.span)
        for means in m.means:
            add("means", m.document_id, means.span)
        add("certainty", m.document_id, m.hedge)
    return list(out.values())


def _noisy_or(values: Iterable[float]) -> float:
    miss = 1.0
    for value in values:
        miss *= 1.0 - value
    return round(min(0.99, 1.0 - miss), 3)


def _share_document(a: Event, b: Event) -> bool:
    return not {s.document for s in a.sources}.isdisjoint(s.document for s in b.sources)


def _link_related(events: list[Event]) -> None:
    """A protest and the detentions, dispersal or shutdown at it are related: they share a sentence,
    or the same place and date. Buckets by sentence and by place keep this linear in practice."""
    by_sentence: dict[tuple[str, int], set[int]] = defaultdict(set)
    by_place: dict[str, list[int]] = defaultdict(list)
    for index, event in enumerate(events):
        for source in event.sources:
            by_sentence[(source.document, source.start)].add(index)
        if event.location is not None:
            by_place[event.location.key()].append(index)
    links: dict[int, set[int]] = defaultdict(set)
    same_sentence: dict[int, set[int]] = defaultdict(set)
    for members in by_sentence.values():
        for a in members:
            links[a] |= members - {a}
            same_sentence[a] |= members - {a}
    for members in by_place.values():
        for p in (i for i in members if events[i].type in CROWD_TYPES):
            for other in members:
                if other == p or not dates_compatible(events[p].date, events[other].date, False):
                    continue
                # a protest and a riot at one place and day are one happening when one report tells
                # both ("workers demonstrated ... rioters pelted stones at the police")
                if events[other].type not in CROWD_TYPES or (
                        events[other].type != events[p].type and _share_document(events[p], events[other])):
                    links[p].add(other)
                    links[other].add(p)
    implied = responses_implied_by()
    for index, related in links.items():
        event = events[index]
        event.related = sorted(events[i].id for i in related if events[i].type != event.type)
        event.related_types = sorted({events[i].type for i in related if events[i].type != event.type})
        if event.type in CROWD_TYPES:
            # Only what the same sentence reports is the state's response to this protest: a detention
            # at the same place and day told elsewhere in a report is often its cause or background.
            extra = {implied[events[i].type] for i in same_sentence[index] if events[i].type in implied}
            event.state_response = sorted(set(event.state_response) | extra)
    for event in events:
        if event.type in CROWD_TYPES and not event.state_response:
            event.state_response = ["none_reported"]
        if event.type == "riot":
            event.political = event.political or "protest" in event.related_types
