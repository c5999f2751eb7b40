"""Near-duplicate reports (syndicated copies of one wire story): MinHash signatures of word shingles
and LSH banding, so that finding a document's near-copies is an index lookup, never a comparison with
every stored document.

The signature is datasketch's MinHash (datasketch 2's 'affine32' scheme: SHA-1's first 32 bits of each
shingle, mixed by MurmurHash3's finaliser, then 64 odd-multiplier affine permutations modulo 2^32 drawn
with numpy's RandomState from seed 1), computed here with numpy: importing datasketch imports its LSH
and with it scipy.integrate, 0.4-0.6 s of every start-up for a dozen lines of arithmetic. The values
are the ones datasketch gives, so fingerprints stored by earlier versions still match (a test pins them).
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

import numpy as np

NUM_PERM = 64
BANDS = 8  # 8 bands of 8 rows: pairs above about 0.77 Jaccard share a band with high probability
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.8  # estimated Jaccard similarity of 5-word shingles that makes a near-copy
SHINGLE = 5
SEED = 1
_WORD = re.compile(r"\w+")


def signature(text: str) -> bytes | None:
    """The MinHash signature of a text's word 5-grams, or None for a text too short to compare."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE * 2:
        return None
    shingles = (" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1))
    hashes = np.array([int.from_bytes(hashlib.sha1(s).digest()[:4], "little") for s in shingles], dtype=np.uint32)
    a, b = _permutations()
    # uint32 arithmetic wraps modulo 2^32, as the scheme wants
    permuted = _murmur_finalised(hashes)[:, None] * a + b
    return permuted.min(axis=0).astype(np.uint64).tobytes()


def _murmur_finalised(values: np.ndarray) -> np.ndarray:
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The multipliers (odd: each permutation is a bijection) and offsets, drawn in datasketch's order."""
    generator = np.random.RandomState(SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def bands(sig: bytes) -> list[int]:
    """One signed 64-bit hash per band (fits a BIGINT column)."""
    width = len(sig) // BANDS
    return [int.from_bytes(hashlib.blake2b(sig[i * width:(i + 1) * width], digest_size=8).digest(), "big", signed=True)
            for i in range(BANDS)]


def similarity(a: bytes, b: bytes) -> float:
    left, right = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    return float(np.mean(left == right)) if len(left) == len(right) else 0.0
