"""The whole job: files -> documents -> mentions (stored per document) -> events (merged over the
store). The CLI's `run` and the benchmark call `run_pipeline`; stages can also be called alone."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy import Engine

from protestwatch.errors import IngestError
from protestwatch.extract.mentions import extract_mentions
from protestwatch.extract.places import Gazetteer, default_gazetteer
from protestwatch.ingest import discover, read_path
from protestwatch.lexicon import load
from protestwatch.merge import merge_mentions
from protestwatch.nlp import load_model
from protestwatch.records import Document, Event, Mention
from protestwatch.store import repository

BATCH_SIZE = 32


@dataclass
class RunSummary:
    files: int = 0
    documents_new: int = 0
    documents_known: int = 0
    documents_parsed: int = 0  # the new documents that passed the relevance gate
    mentions: int = 0
    events: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


def _inflections(word: str) -> str:
    """A regex for the common English inflections of a lemma: rally -> rally|rallies|rallied|rallying,
    ban -> ban|bans|banned|banning (but not 'bank'), protest -> protest|protests|protester|..."""
    word = re.escape(word.lower())
    if word.endswith("y"):
        return word[:-1] + "(?:y|ies|ied|ying)"
    if word.endswith("e"):
        return word[:-1] + "(?:e|es|ed|ing|er|ers|ion|ions|al)"
    return word + f"(?:{word[-1]}?(?:ed|ing|er|ers)|s|es|ers?|ors?|ions?|ment|al)?"


@cache
def _gate(language: str) -> re.Pattern:
    """A cheap test that a text could report an event at all: any trigger word in any inflection.
    A document that fails it is stored without being parsed (no event can come out of it)."""
    spec = load("triggers", language)
    phrases = set()
    for entry in spec.values():
        if not isinstance(entry, dict):
            continue
        # An internet shutdown needs a named service ("internet", "social media"), so its verbs
        # ("slow", "cut") are not looked for on their own.
        groups = ("services", "phrases") if "services" in entry else ("verbs", "nouns", "phrases")
        for group in groups:
            phrases.update(entry.get(group, []))
    alternatives = []
    for phrase in sorted(phrases):
        first, *rest = phrase.split()
        alternatives.append(_inflections(first) + "".join(r"\s+" + re.escape(word) for word in rest))
    return re.compile(rf"\b(?:{'|'.join(alternatives)})\b", re.IGNORECASE)


def may_report_event(document: Document) -> bool:
    return bool(_gate(document.language).search(document.text, document.body_start, document.body_stop))


def extract_documents(documents: list[Document], gazetteer: Gazetteer | None = None
                      ) -> Iterator[tuple[Document, list[Mention], bool]]:
    """(document, its mentions, whether it was parsed) for each document, parsing a batch at a time
    (spaCy's nlp.pipe); documents that fail the relevance gate are not parsed."""
    gazetteer = gazetteer or default_gazetteer()
    by_language: dict[str, list[Document]] = {}
    for document in documents:
        by_language.setdefault(document.language, []).append(document)
    for language, group in by_language.items():
        nlp = load_model(language)
        relevant = [d for d in group if may_report_event(d)]
        relevant_ids = {id(d) for d in relevant}
        for document in group:
            if id(document) not in relevant_ids:
                yield document, [], False
        for document, doc in zip(relevant, nlp.pipe(d.text for d in relevant), strict=True):
            yield document, extract_mentions(document, doc, nlp, gazetteer), True


def iter_documents(paths: Iterable[Path], published: date | None, summary: RunSummary,
                   on_file: Callable[[Path], None] | None = None) -> Iterator[Document]:
    for path in paths:
        for item in read_path(path, published):
            if isinstance(item, IngestError):
                summary.failures.append((item.path, item.reason))
            else:
                yield item
        if on_file:
            on_file(path)


def run_pipeline(inputs: Iterable[str | Path], engine: Engine, published: date | None = None,
                 on_file: Callable[[Path], None] | None = None,
                 on_failure: Callable[[str, str], None] | None = None,
                 on_start: Callable[[int], None] | None = None) -> RunSummary:
    """Ingest, extract and store every new document under `inputs`, then merge all stored mentions
    into events. Documents already stored (same content hash or .jsonl id) are not read again."""
    paths = discover(inputs)
    if on_start:
        on_start(len(paths))
    summary = RunSummary(files=len(paths))
    run_id = repository.start_run(engine)
    reported = 0
    batch: list[Document] = []

    def flush() -> None:
        nonlocal batch
        known = repository.known_document_ids(engine, (d.id for d in batch))
        fresh, seen = [], set()
        for document in batch:
            if document.id in known or document.id in seen:
                summary.documents_known += 1
            else:
                seen.add(document.id)
                fresh.append(document)
        for document, mentions, parsed in extract_documents(fresh):
            repository.save_document(engine, document, mentions, run_id)
            summary.documents_parsed += parsed
            summary.documents_new += 1
            summary.mentions += len(mentions)
        batch = []

    for document in iter_documents(paths, published, summary, on_file):
        batch.append(document)
        if len(batch) >= BATCH_SIZE:
            flush()
        while on_failure and reported < len(summary.failures):
            on_failure(*summary.failures[reported])
            reported += 1
    flush()
    while on_failure and reported < len(summary.failures):
        on_failure(*summary.failures[reported])
        reported += 1
    events = rebuild_events(engine)
    summary.events = len(events)
    repository.finish_run(engine, run_id, documents_new=summary.documents_new,
                          documents_known=summary.documents_known, failures=summary.failures, events=len(events))
    return summary


def rebuild_events(engine: Engine) -> list[Event]:
    events = merge_mentions(repository.load_mentions(engine), repository.source_infos(engine))
    repository.replace_events(engine, events)
    return events
