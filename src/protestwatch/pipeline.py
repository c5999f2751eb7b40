"""The whole job: files -> documents -> mentions (stored per document) -> events (merged over the
store). The CLI's `run` and the benchmark call `run_pipeline`; stages can also be called alone."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError

from protestwatch.detect import focused_text, may_report_event
from protestwatch.engine import Extracted
from protestwatch.errors import IngestError
from protestwatch.extract.mentions import extract_mentions
from protestwatch.extract.places import Gazetteer, default_gazetteer
from protestwatch.ingest import discover_with_problems, read_path
from protestwatch.nlp import load_model
from protestwatch.records import Document, Mention, content_id
from protestwatch.store import repository

BATCH_SIZE = 32


@dataclass
class RunSummary:
    files: int = 0
    documents_new: int = 0
    documents_known: int = 0
    documents_parsed: int = 0  # the new documents that passed the relevance gate
    mentions: int = 0
    merge_seconds: float = 0.0
    events: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


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
        texts = (focused_text(d) for d in relevant)
        for document, doc in zip(relevant, nlp.pipe(texts), strict=True):
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


def _fresh_batches(documents: Iterator[Document], engine: Engine, summary: RunSummary, reprocess: bool,
                   size: int = BATCH_SIZE) -> Iterator[list[Document]]:
    """Batches of documents that still need coding: new ones (by content hash or .jsonl id), or all
    of them with `reprocess`. Repeats within the run are counted as already stored."""
    seen: dict[str, str] = {}  # id -> content hash, for the documents of this run
    batch: list[Document] = []

    def fresh(chunk: list[Document]) -> list[Document]:
        known = set() if reprocess else repository.known_document_ids(engine, (d.id for d in chunk))
        # an id given by the input (a .jsonl line's) can be reused for another text: that is refused
        # loudly, since only a content hash guarantees that the same id means the same text
        named = [d.id for d in chunk if d.id in known and d.id != content_id(d.text)]
        stored = {i: content_id(t) for i, t in repository.document_texts(engine, named).items()} if named else {}
        out = []
        for document in chunk:
            earlier = seen.get(document.id, stored.get(document.id))
            if earlier is not None and earlier != content_id(document.text):
                summary.failures.append((document.path or document.id, f"id {document.id!r} is already used by "
                                         "another text; this one is not coded (give it its own id)"))
            elif document.id in known or document.id in seen:
                summary.documents_known += 1
            else:
                seen[document.id] = content_id(document.text)
                out.append(document)
        return out

    for document in documents:
        batch.append(document)
        if len(batch) >= size:
            if chunk := fresh(batch):
                yield chunk
            batch = []
    if batch and (chunk := fresh(batch)):
        yield chunk


def run_pipeline(inputs: Iterable[str | Path], engine: Engine, published: date | None = None,
                 on_file: Callable[[Path], None] | None = None,
                 on_failure: Callable[[str, str], None] | None = None,
                 on_start: Callable[[int], None] | None = None,
                 workers: int | None = None, scheduler: str | None = None,
                 reprocess: bool = False) -> RunSummary:
    """Ingest, extract and store every new document under `inputs`, then merge the places whose
    mentions changed into events. Documents already stored are not coded again unless `reprocess`.
    Extraction runs in this process, or on Dask (`workers` local processes, or `scheduler`)."""
    from protestwatch.engine import make_engine

    paths, problems = discover_with_problems(inputs)
    if on_start:
        on_start(len(paths))
    summary = RunSummary(files=len(paths), failures=list(problems))
    run_id = repository.start_run(engine)
    reported = 0

    def report_failures() -> None:
        nonlocal reported
        while on_failure and reported < len(summary.failures):
            on_failure(*summary.failures[reported])
            reported += 1

    documents = iter_documents(paths, published, summary, on_file)
    engine_ = make_engine(workers, scheduler)
    try:
        for results in engine_.map(_fresh_batches(documents, engine, summary, reprocess)):
            for item in results:
                if item.error:
                    summary.failures.append((item.document.path or item.document.id, item.error))
            for item in _store_batch(engine, [r for r in results if not r.error], run_id, reprocess, summary):
                summary.documents_new += 1
                summary.documents_parsed += item.parsed
                summary.mentions += len(item.mentions)
            report_failures()
    finally:
        engine_.close()
    report_failures()
    started = time.perf_counter()
    rebuild_events(engine, everything=reprocess)
    summary.merge_seconds = time.perf_counter() - started
    summary.events = repository.counts(engine)["events"]
    repository.finish_run(engine, run_id, documents_new=summary.documents_new,
                          documents_known=summary.documents_known, failures=summary.failures, events=summary.events)
    return summary


def _store_batch(engine: Engine, items: list[Extracted], run_id: int, reprocess: bool,
                 summary: RunSummary) -> list[Extracted]:
    """Store a batch in one transaction. If the database refuses it (a row it cannot take), store the
    documents one by one so that only the offending one is reported and skipped. Returns what was stored."""
    try:
        repository.save_documents(engine, [(i.document, i.mentions, i.signature) for i in items], run_id, reprocess)
        return items
    except (IntegrityError, DataError):
        pass
    stored = []
    for item in items:
        try:
            repository.save_document(engine, item.document, item.mentions, run_id, item.signature, reprocess)
            stored.append(item)
        except (IntegrityError, DataError) as exc:
            reason = str(exc.orig or exc).splitlines()[0]
            summary.failures.append((item.document.path or item.document.id, f"could not be stored: {reason}"))
    return stored


MERGE_CHUNK = 200  # blocks merged per transaction


def rebuild_events(engine: Engine, everything: bool = False) -> int:
    """Merge again the blocks (places) whose mentions changed since the last merge (or all of them),
    a chunk of blocks per transaction. Returns the number of blocks merged."""
    keys = repository.all_blocks(engine) if everything else repository.dirty_blocks(engine)
    for start in range(0, len(keys), MERGE_CHUNK):
        repository.merge_blocks(engine, keys[start:start + MERGE_CHUNK])
    return len(keys)
