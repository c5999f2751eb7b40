"""Who: the state's agents (police, courts, government), the protesters' side (groups, named
organizations and people) and organizers, each with a role, a kind and its evidence span."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from protestwatch.extract.text import document_entities, entities_in
from protestwatch.lang import load
from protestwatch.records import Actor, Span

_STATE_KINDS = ("police", "security", "court", "government")


@cache
def _spec(language: str) -> dict:
    spec = load("actors", language)
    return {
        "by_head": {w: kind for kind in _STATE_KINDS for w in spec[kind]},
        "foreign": [w.lower() for w in spec["foreign_body"]],
        "group_heads": set(spec["group_heads"]),
        "organizer_verbs": set(spec["organizer_verbs"]),
        "anaphora": set(spec["anaphora_heads"]),
        "leading_quantifiers": frozenset(spec["leading_quantifiers"]),
        "pronouns": frozenset(spec["pronouns"]),
        "personal_pronouns": frozenset(spec["personal_pronouns"]),
    }


@dataclass
class DocActors:
    """What a report says about actors across sentences: named groups to resolve 'the movement' against,
    and the people it names."""

    groups: dict[str, Actor] = field(default_factory=dict)  # head noun -> last named group with it
    last_person: Actor | None = None


def _span_of(tokens: SpacySpan | Token) -> Span:
    if isinstance(tokens, Token):
        return Span(tokens.idx, tokens.idx + len(tokens), tokens.text)
    return Span(tokens.start_char, tokens.end_char, tokens.text)


def noun_chunks(doc) -> list[SpacySpan]:
    """The doc's noun chunks, computed once per doc (spaCy recomputes them on every access, and
    Span.noun_chunks walks the whole doc: per-sentence use would be quadratic)."""
    cached = doc.user_data.get("pw_noun_chunks")
    if cached is None:
        cached = list(doc.noun_chunks) if doc.has_annotation("DEP") else []
        doc.user_data["pw_noun_chunks"] = cached
        doc.user_data["pw_chunk_of"] = {i: chunk for chunk in cached for i in range(chunk.start, chunk.end)}
    return cached


def sentence_chunks(sentence: SpacySpan) -> list[SpacySpan]:
    return [c for c in noun_chunks(sentence.doc) if sentence.start <= c.start and c.end <= sentence.end]


def _chunk_for(token: Token) -> SpacySpan:
    noun_chunks(token.doc)
    chunk = token.doc.user_data["pw_chunk_of"].get(token.i)
    return chunk if chunk is not None else token.doc[token.i: token.i + 1]


def _strip_article(span: SpacySpan, language: str = "en") -> SpacySpan:
    """'Roughly 50 protesters' -> 'protesters': the count is a field of its own."""
    while len(span) > 1 and (span[0].lower_ in _spec(language)["leading_quantifiers"] or span[0].like_num
                             or span[0].pos_ in ("DET", "NUM")):
        span = span[1:]
    return span


def _linked(token: Token, trigger_heads: list[Token]) -> bool:
    """Is `token` an argument of one of the triggers (its subject, object or agent, or a sibling
    subject in a coordinated clause: 'police stepped in and detained')?"""
    if token.dep_ not in _ARGUMENT_DEPS:
        return False
    ancestors = list(token.ancestors)[:2]
    return any(t in ancestors or t.head == token.head or t.head == token for t in trigger_heads)


_ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "compound", "ROOT"}


def _named_entities(doc: Doc) -> list[SpacySpan]:
    """The document's ORG/PERSON/NORP entities, built once per document (asked for every noun chunk)."""
    cached = doc.user_data.get("protestwatch_named")
    if cached is None:
        cached = doc.user_data["protestwatch_named"] = [
            e for e in document_entities(doc)[0] if e.label_ in ("ORG", "PERSON", "NORP")]
    return cached


def _named_entity(token: Token) -> SpacySpan | None:
    """The ORG/PERSON entity at or under `token`, with a following '(ACRONYM)' kept."""
    doc = token.doc
    left, right = token.left_edge.i, token.right_edge.i + 1
    candidates = [e for e in _named_entities(doc) if left <= e.start and e.end <= right]
    if not candidates:
        return None
    entity = max(candidates, key=len)
    end = entity.end
    if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" and doc[end + 1].is_upper:
        end += 3
    return SpacySpan(doc, entity.start, end, label=entity.label_)


def state_actors(sentence: SpacySpan, trigger_heads: list[Token], quotes: list[tuple[int, int]],
                 language: str = "en") -> list[Actor]:
    """Police, courts, government bodies that act in the sentence's events (role: perpetrator)."""
    spec = _spec(language)
    out: list[Actor] = []
    seen: set[str] = set()
    for token in sentence:
        kind = spec["by_head"].get(token.lemma_.lower()) or spec["by_head"].get(token.lower_)
        if kind is None or token.pos_ not in ("NOUN", "PROPN") or not _linked(token, trigger_heads):
            continue
        if any(s <= token.idx < e for s, e in quotes):
            continue  # "Shame on the government!" is a slogan, not an actor
        if token.dep_ == "compound" and spec["by_head"].get(token.head.lemma_.lower()):
            continue  # "police department": the head word is the actor
        chunk = _strip_article(_chunk_for(token))
        # "a court in Astana" keeps the place with the court for the record
        name = chunk.text if len(chunk) <= 6 else token.text
        if any(f in chunk.text.lower() for f in spec["foreign"]):
            continue
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        out.append(Actor(name=name, role="perpetrator", kind=kind, span=_span_of(chunk)))
    return out


def group_actors(sentence: SpacySpan, trigger_heads: list[Token], language: str = "en") -> list[Actor]:
    """Groups on the protesters' side linked to a trigger ('demonstrators rallied', 'arrested dozens of
    anti-government protesters'); their role is set per event by the caller."""
    spec = _spec(language)
    out: list[Actor] = []
    seen: set[str] = set()
    linked = {t.i for t in trigger_heads}
    for chunk in sentence_chunks(sentence):
        root = chunk.root
        if root.lemma_.lower() not in spec["group_heads"]:
            continue
        near = {root.i, root.head.i, root.head.head.i}
        if not near & linked and not any(t.head.i == root.i for t in trigger_heads):
            continue
        entity = _named_entity(root)
        span = entity if entity is not None else _strip_article(chunk)
        name = span.text
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        out.append(Actor(name=name, role="participant", kind="group", span=_span_of(span)))
    return out


def remember_named(sentence: SpacySpan, context: DocActors, language: str = "en") -> None:
    """Note the groups and people a sentence names, for 'the movement' and 'him' later on."""
    spec = _spec(language)
    for chunk in sentence_chunks(sentence):
        root = chunk.root
        entity = _named_entity(root)
        if entity is None or entity.label_ != "ORG":
            continue
        actor = Actor(name=entity.text, role="target", kind="group", span=_span_of(entity))
        # "the Democratic Choice of Kazakhstan (DVK) movement": remembered as "the movement"
        after = entity.doc[entity.end] if entity.end < len(entity.doc) else None
        for word in (root, after):
            if word is not None and word.lemma_.lower() in spec["anaphora"]:
                known = context.groups.get(word.lemma_.lower())
                # "Democratic Choice of Kazakhstan (DVK)" is not replaced by its own acronym "DVK"
                if known is None or actor.name not in known.name:
                    context.groups[word.lemma_.lower()] = actor
    for entity in entities_in(sentence):
        if entity.label_ == "PERSON":
            context.last_person = Actor(name=entity.text, role="organizer", kind="person", span=_span_of(entity))


def resolve_reference(token: Token, context: DocActors, language: str = "en") -> Actor | None:
    """A named actor for a token: an entity under it, 'the movement' -> the last named movement,
    'him' -> the person the sentence is about."""
    entity = _named_entity(token)
    if entity is not None:
        kind = "person" if entity.label_ == "PERSON" else "group"
        return Actor(name=entity.text, role="target", kind=kind, span=_span_of(entity))
    lemma = token.lemma_.lower()
    if lemma in _spec(language)["anaphora"] and lemma in context.groups:
        named = context.groups[lemma]
        return Actor(name=named.name, role="target", kind=named.kind, span=_span_of(_chunk_for(token)))
    if token.lower_ in _spec(language)["pronouns"]:
        subject = next((t for t in token.sent if t.dep_ == "nsubj" and t.ent_type_ == "PERSON"), None)
        if subject is not None:
            return resolve_reference(subject, context, language)
        if token.lower_ in _spec(language)["personal_pronouns"] and context.last_person is not None:
            return Actor(name=context.last_person.name, role="target", kind="person", span=_span_of(token))
    return None


def organizers(sentence: SpacySpan, protest_heads: set[int], context: DocActors,
               language: str = "en") -> list[Actor]:
    """'rallies that were spearheaded by the DVK', 'the protests had been organized by him',
    'the DVK organized a rally': the agent of an organizing verb whose object is a protest."""
    spec = _spec(language)
    out: list[Actor] = []
    for verb in sentence:
        if verb.lemma_.lower() not in spec["organizer_verbs"] or verb.pos_ not in ("VERB", "AUX"):
            continue
        objects = {c.i for c in verb.children if c.dep_ in ("dobj", "nsubjpass")}
        if verb.dep_ == "relcl":
            objects.add(verb.head.i)
        if not objects & protest_heads:
            continue
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        agents += [c for c in verb.children if c.dep_ == "nsubj"]
        for agent in agents:
            actor = resolve_reference(agent, context, language) or _proper_name(agent)
            if actor is not None:
                actor.role = "organizer"
                out.append(actor)
    return out


def _proper_name(token: Token) -> Actor | None:
    """A named group or person the NER missed: a noun phrase with a proper noun in it
    ('the Oyan Qazaqstan movement')."""
    chunk = _strip_article(_chunk_for(token))
    if not any(t.pos_ == "PROPN" for t in chunk):
        return None
    kind = "person" if token.pos_ == "PROPN" and all(t.pos_ == "PROPN" for t in chunk) else "group"
    return Actor(name=chunk.text, role="organizer", kind=kind, span=_span_of(chunk))


def targets(trigger: Token, context: DocActors, language: str = "en") -> list[Actor]:
    """The object of a ban or sentence: 'banned the movement' -> the movement's name."""
    out = []
    for child in trigger.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            actor = resolve_reference(child, context, language)
            if actor is None:
                chunk = _strip_article(_chunk_for(child))
                actor = Actor(name=chunk.text, role="target", kind="group", span=_span_of(chunk))
            actor.role = "target"
            out.append(actor)
    return out
