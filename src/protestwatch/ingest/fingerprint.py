"""Near-duplicate reports (syndicated copies of one wire story): MinHash signatures of word shingles
(datasketch) and LSH banding, so that finding a document's near-copies is an index lookup, never a
comparison with every stored document."""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash

NUM_PERM = 64
BANDS = 8  # 8 bands of 8 rows: pairs above about 0.77 Jaccard share a band with high probability
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.8  # estimated Jaccard similarity of 5-word shingles that makes a near-copy
SHINGLE = 5
_WORD = re.compile(r"\w+")


def signature(text: str) -> bytes | None:
    """The MinHash signature of a text's word 5-grams, or None for a text too short to compare."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE * 2:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=1)
    minhash.update_batch([" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)])
    return minhash.hashvalues.astype(np.uint64).tobytes()


def bands(sig: bytes) -> list[int]:
    """One signed 64-bit hash per band (fits a BIGINT column)."""
    width = len(sig) // BANDS
    return [int.from_bytes(hashlib.blake2b(sig[i * width:(i + 1) * width], digest_size=8).digest(), "big", signed=True)
            for i in range(BANDS)]


def similarity(a: bytes, b: bytes) -> float:
    left, right = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    return float(np.mean(left == right)) if len(left) == len(right) else 0.0
