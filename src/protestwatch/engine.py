"""Where extraction runs: in this process, or on a Dask cluster (a LocalCluster of N worker
processes, or an existing cluster by scheduler address). Workers parse and extract; the calling
process stays the one writer to the database."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from protestwatch.records import Document, Mention


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
    from protestwatch.dedupe import signature
    from protestwatch.pipeline import extract_documents

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


class DaskEngine:
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


def make_engine(workers: int | None = None, scheduler: str | None = None):
    if scheduler or (workers and workers > 1):
        return DaskEngine(workers, scheduler)
    return InProcess()
