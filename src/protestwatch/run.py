"""The whole job: files -> documents -> (gate, parse, extract) -> mentions stored per document -> events
linked over the store. The CLI's `run` and the benchmarks call `run_pipeline`; each stage can also be
called alone. Extraction runs in this process or on Dask (a LocalCluster of N worker processes, or an
existing cluster by scheduler address); workers parse and extract, and the calling process stays the
one writer to the database."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from protestwatch.coder import coder_version
from protestwatch.errors import DatabaseBusy, IngestError
from protestwatch.extract.mentions import extract_mentions
from protestwatch.extract.places import Gazetteer, default_gazetteer
from protestwatch.gate.decide import focused_text, may_report_event
from protestwatch.ingest import discover_with_problems, read_path
from protestwatch.ingest.fingerprint import signature
from protestwatch.link.rebuild import rebuild_events
from protestwatch.nlp import load_model, supported
from protestwatch.records import Document, Mention, content_id
from protestwatch.store import repository

BATCH_SIZE = 32
LOGGER = logging.getLogger(__name__)


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
    # documents stored but not coded, by language: no model or language pack reads them (Kazakh, Uzbek...)
    not_coded: dict[str, int] = field(default_factory=dict)


def extract_documents(documents: list[Document], gazetteer: Gazetteer | None = None
                      ) -> Iterator[tuple[Document, list[Mention], bool]]:
    """(document, its mentions, whether it was parsed) for each document, parsing a batch at a time
    (spaCy's nlp.pipe); documents that fail the relevance gate are not parsed."""
    gazetteer = gazetteer or default_gazetteer()
    by_language: dict[str, list[Document]] = {}
    for document in documents:
        by_language.setdefault(document.language, []).append(document)
    for language, group in by_language.items():
        if not supported(language):  # stored, never coded with another language's rules
            for document in group:
                yield document, [], False
            continue
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
    paths, problems = discover_with_problems(inputs)
    if on_start:
        on_start(len(paths))
    summary = RunSummary(files=len(paths), failures=list(problems))
    coder = coder_version()
    run_id = repository.start_run(engine, coder)
    reported = 0

    def report_failures() -> None:
        nonlocal reported
        while on_failure and reported < len(summary.failures):
            on_failure(*summary.failures[reported])
            reported += 1

    documents = iter_documents(paths, published, summary, on_file)
    runner = make_runner(workers, scheduler)
    try:
        for results in runner.map(_fresh_batches(documents, engine, summary, reprocess)):
            for item in results:
                if item.error:
                    summary.failures.append((item.document.path or item.document.id, item.error))
            for item in _store_batch(engine, [r for r in results if not r.error], run_id, reprocess, summary, coder):
                summary.documents_new += 1
                if not supported(item.document.language):
                    summary.not_coded[item.document.language] = summary.not_coded.get(item.document.language, 0) + 1
                summary.documents_parsed += item.parsed
                summary.mentions += len(item.mentions)
            report_failures()
    finally:
        runner.close()
    report_failures()
    started = time.perf_counter()
    rebuild_events(engine, everything=reprocess)
    summary.merge_seconds = time.perf_counter() - started
    summary.events = repository.counts(engine)["events"]
    repository.finish_run(engine, run_id, documents_new=summary.documents_new,
                          documents_known=summary.documents_known, failures=summary.failures, events=summary.events)
    return summary


def route_warnings_to(log: Path) -> None:
    """Warnings of the libraries that read files (pypdf's 'incorrect startxref', a parser's deprecation) go
    to the log file, not the terminal, where they would bury the one line each failed file gets."""
    handler = logging.FileHandler(log, encoding="utf-8", delay=True)  # no file unless something is logged
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "protestwatch_log", False)]:
        root.removeHandler(old)
    handler.protestwatch_log = True
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.captureWarnings(True)


def _store_batch(engine: Engine, items: list[Extracted], run_id: int, reprocess: bool,
                 summary: RunSummary, coder: str = "unrecorded") -> list[Extracted]:
    """Store a batch in one transaction. If the database refuses it (a row it cannot take), store the
    documents one by one so that only the offending one is reported and skipped. Returns what was stored."""
    if not items:  # every document of the batch failed: nothing to store
        return []
    try:
        _while_busy(lambda: repository.save_documents(
            engine, [(i.document, i.mentions, i.signature) for i in items], run_id, reprocess, coder))
        return items
    except (IntegrityError, DataError):
        pass
    stored = []
    for item in items:
        try:
            _while_busy(lambda item=item: repository.save_document(
                engine, item.document, item.mentions, run_id, item.signature, reprocess, coder))
            stored.append(item)
        except (IntegrityError, DataError) as exc:
            if not reprocess and repository.known_document_ids(engine, [item.document.id]):
                summary.documents_known += 1  # another run, on the same input, stored it first
                continue
            reason = str(exc.orig or exc).splitlines()[0]
            summary.failures.append((item.document.path or item.document.id, f"could not be stored: {reason}"))
    return stored


BUSY_RETRIES = (1.0, 4.0, 15.0)  # seconds between tries, after the database's own wait (store.BUSY_WAIT_MS)


def _while_busy(write: Callable[[], object]) -> object:
    """A write that another writer's lock keeps out is tried again after a pause, a few times; then the run
    stops with one line (DatabaseBusy), its stored batches kept."""
    for pause in (*BUSY_RETRIES, None):
        try:
            return write()
        except OperationalError as exc:
            if "locked" not in str(exc.orig or exc).lower() and "busy" not in str(exc.orig or exc).lower():
                raise
            if pause is None:
                raise DatabaseBusy("the database is locked by another writer (another run, or the review "
                                   "server saving); gave up after several tries. Run again when it is free: "
                                   "what is stored is kept") from None
            LOGGER.warning("database locked by another writer; trying again in %.0f s", pause)
            time.sleep(pause)
    return None


@dataclass
class Extracted:
    """What a worker sends back for one document."""

    document: Document
    mentions: list[Mention]
    parsed: bool
    signature: bytes | None
    error: str | None = None


def extract_batch(documents: list[Document]) -> list[Extracted]:
    """Parse and extract a batch. The model and gazetteer load once per process (cached), so a
    worker pays for them on its first batch only. A document that breaks the extractor is reported,
    not allowed to sink its batch."""
    out: list[Extracted] = []
    try:
        for document, mentions, parsed in extract_documents(documents):
            out.append(Extracted(document, mentions, parsed, signature(document.text[document.body_start:])))
        return out
    except Exception:  # noqa: BLE001 - retried one by one below, so that only the bad document fails
        out = []
    for document in documents:
        try:
            for single, mentions, parsed in extract_documents([document]):
                out.append(Extracted(single, mentions, parsed, signature(single.text[single.body_start:])))
        except Exception as exc:  # noqa: BLE001 - reported as this document's failure
            out.append(Extracted(document, [], False, None, f"extraction failed: {exc.__class__.__name__}: {exc}"))
    return out


class InProcess:
    """Extraction in the calling process (the default; what tests and small runs use)."""

    workers = 1

    def map(self, batches: Iterable[list[Document]]) -> Iterator[list[Extracted]]:
        for batch in batches:
            yield extract_batch(batch)

    def close(self) -> None:
        pass


_TRIM = "MALLOC_TRIM_THRESHOLD_"


def local_cluster(workers: int):
    """A dask LocalCluster of `workers` single-threaded processes, set up for this workload.

    Dask starts its workers with MALLOC_TRIM_THRESHOLD_=65536 (to hand freed memory back to the OS
    promptly). Setting it switches off glibc's adaptive mmap threshold, so every numpy array the model
    allocates above 128 KB becomes an mmap/munmap pair with fresh page faults: on the benchmark that was
    ~16 % of each worker's time spent in the kernel (12.5 s of 78 s on 10k documents) and 1.2 s without it.
    The workers are started without it (glibc's defaults; also when an earlier cluster's nanny left it in
    this process's environment); peak memory per worker is measured by bench/scale.py. Clusters started
    elsewhere (`--scheduler`) keep their own settings."""
    import dask
    from distributed import LocalCluster

    inherited = os.environ.pop(_TRIM, None)
    try:
        with dask.config.set({f"distributed.nanny.pre-spawn-environ.{_TRIM}": None}):
            return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                                silence_logs=logging.ERROR)
    finally:
        if inherited is not None:
            os.environ[_TRIM] = inherited


class DaskRunner:
    """Extraction on dask.distributed: `workers` local processes, or the cluster at `scheduler`."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None):
        from distributed import Client

        self.cluster = None
        if scheduler:
            self.client = Client(scheduler, set_as_default=False)
        else:
            self.cluster = local_cluster(workers or 2)
            self.client = Client(self.cluster, set_as_default=False)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or (workers or 1))

    def map(self, batches: Iterable[list[Document]]) -> Iterator[list[Extracted]]:
        """Results as they complete, with at most two batches in flight per worker (back-pressure:
        a million documents are never all submitted at once)."""
        from distributed import as_completed

        pending = as_completed(loop=self.client.loop)
        limit = 2 * self.workers
        for batch in batches:
            pending.add(self.client.submit(extract_batch, batch, pure=False))
            while pending.count() >= limit:
                yield next(pending).result()
        for future in pending:
            yield future.result()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_runner(workers: int | None = None, scheduler: str | None = None):
    if scheduler or (workers and workers > 1):
        return DaskRunner(workers, scheduler)
    return InProcess()
