"""Linking over the store: the blocks (places) whose mentions changed are merged again into events,
a chunk of blocks per transaction."""

from __future__ import annotations

from sqlalchemy import Engine

from protestwatch.link.merge import merge_block
from protestwatch.store import repository

MERGE_CHUNK = 200  # blocks merged per transaction


def rebuild_events(engine: Engine, everything: bool = False) -> int:
    """Merge again the blocks (places) whose mentions changed since the last merge (or all of them),
    a chunk of blocks per transaction. Returns the number of blocks merged."""
    keys = repository.all_blocks(engine) if everything else repository.dirty_blocks(engine)
    for start in range(0, len(keys), MERGE_CHUNK):
        merge_blocks(engine, keys[start:start + MERGE_CHUNK])
    return len(keys)


def merge_blocks(engine: Engine, keys: list[str]) -> int:
    """Merge these blocks again from their mentions (one transaction). Returns their event count."""
    return repository.replace_block_events(engine, keys, merge_block)
