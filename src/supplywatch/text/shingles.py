"""Word shingles and MinHash signatures of article texts, computed for many articles at once.

A **word shingle** is a run of :data:`SHINGLE_WORDS` consecutive words of an article (its title,
then its text). Words are the runs of letters and digits of the lower-cased text (ASCII ``a-z``,
``0-9`` and any non-ASCII character), so case, punctuation, line breaks and spacing never matter:
"China's share" and "CHINA S  share" give the same words. An article shorter than
:data:`SHINGLE_WORDS` words is one shingle of all its words.

Each shingle is hashed to 32 bits without Python work per word (NumPy over the whole chunk's
bytes): a word's hash is a polynomial in its bytes modulo 2^64, mixed with the MurmurHash3 64-bit
finaliser; a shingle's hash combines its words' hashes the same way and is folded to 32 bits.
The hashes depend on the text only (never on the process, so workers and runs agree).

The **MinHash signature** of an article is the one :class:`datasketch.MinHash` gives for these
shingle hashes (``scheme="affine32"``, :data:`NUM_PERM` permutations, seed :data:`SEED`): the
permutations are datasketch's, applied to a whole chunk in one NumPy pass (about ten times faster
than one ``MinHash.update_batch`` per article; a test checks the values are identical).

Example:
    >>> sig = minhash_signatures(["Glencore mines cobalt in Congo.", "Glencore mines cobalt in Congo!"])
    >>> sig.shape, bool((sig[0] == sig[1]).all())
    ((2, 40), True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

#: Words per shingle.
SHINGLE_WORDS = 5
#: MinHash permutations per signature (40 x 4 bytes per article).
NUM_PERM = 40
#: Seed of datasketch's permutations (signatures are comparable only with the same seed).
SEED = 1
#: datasketch's permutation scheme: 32-bit values, bijective affine permutations.
SCHEME = "affine32"
#: The empty set's signature value (an article without words).
EMPTY = np.uint32(0xFFFFFFFF)

_P = np.uint64(0x100000001B3)  # the 64-bit FNV prime: odd, so powers never collapse to zero
_POSITIONS = 1 << 12           # a byte's position inside its word is taken modulo this
_BLOCK = 1 << 15               # shingles per block of the signature pass (bounds memory)

_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)] = True
_WORD_BYTE[128:] = True        # UTF-8 bytes of non-ASCII characters belong to words


@lru_cache(maxsize=1)
def _powers() -> np.ndarray:
    powers = np.full(_POSITIONS, _P, dtype=np.uint64)
    powers[0] = 1
    with np.errstate(over="ignore"):
        return np.cumprod(powers, dtype=np.uint64)


@lru_cache(maxsize=4)
def permutations(num_perm: int = NUM_PERM, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutation parameters ``(a, b)`` (uint32 arrays of ``num_perm``)."""
    from datasketch import MinHash

    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    return np.ascontiguousarray(a, dtype=np.uint32), np.ascontiguousarray(b, dtype=np.uint32)


def _fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def _fmix32(h: np.ndarray) -> np.ndarray:
    """datasketch's pre-mix of 32-bit input hashes (the MurmurHash3 32-bit finaliser)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def shingle_hashes(texts: Sequence[str], k: int = SHINGLE_WORDS) -> tuple[np.ndarray, np.ndarray]:
    """The word shingles of several texts as 32-bit hashes.

    Args:
        texts: the texts (e.g. each article's analysed text: headline, blank line, body).
        k: words per shingle.

    Returns:
        ``(hashes, index)``: uint32 hashes of every shingle in text order (repeats kept) and, for
        each, the position of its text in ``texts`` (int64, non-decreasing).

    Example:
        >>> h, i = shingle_hashes(["one two three four five six", "one two three four five"])
        >>> i.tolist(), bool(h[0] == h[2])
        ([0, 0, 1], True)
    """
    parts = [t.lower().encode("utf-8", "surrogatepass") for t in texts]
    buf = np.frombuffer(b"\n".join(parts) + b"\n", dtype=np.uint8)
    n = len(buf)
    inside = np.zeros(n + 1, dtype=bool)
    inside[1:] = _WORD_BYTE[buf]
    edges = np.flatnonzero(inside[1:] != inside[:-1])
    starts, ends = edges[0::2], edges[1::2]
    ends_of_texts = np.cumsum(np.fromiter((len(p) + 1 for p in parts), dtype=np.int64, count=len(parts)))
    word_text = np.searchsorted(ends_of_texts, starts, side="right")
    with np.errstate(over="ignore"):
        # position of each byte inside its word -> P^position; a word's hash is the sum over its bytes
        index_type = np.int32 if n < 2**31 else np.int64  # halves the temporaries of a 10 MB article
        position = np.zeros(n, dtype=index_type)
        position[starts] = starts
        np.maximum.accumulate(position, out=position)
        np.subtract(np.arange(n, dtype=index_type), position, out=position)
        position &= _POSITIONS - 1
        terms = _powers()[position]
        del position
        terms *= buf
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(terms, out=prefix[1:])
        words = _fmix64(prefix[ends] - prefix[starts])
        # texts shorter than k words: one shingle of all their words
        counts = np.bincount(word_text, minlength=len(parts))
        hashes, index = [], []
        for length in sorted({int(c) for c in counts if 0 < c < k}):
            for t in np.flatnonzero(counts == length):
                first = int(np.searchsorted(word_text, t))
                h = np.uint64(0)
                for w in words[first:first + length]:
                    h = h * _P + w
                hashes.append(np.array([h], dtype=np.uint64))
                index.append(np.array([t], dtype=np.int64))
        m = len(words) - k + 1
        if m > 0:
            h = words[:m].copy()
            for j in range(1, k):
                h *= _P
                h += words[j:m + j]
            same_text = word_text[:m] == word_text[k - 1:]
            hashes.append(h[same_text])
            index.append(word_text[:m][same_text])
    if not hashes:
        return np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.int64)
    h = np.concatenate(hashes)
    i = np.concatenate(index)
    order = np.argsort(i, kind="stable")
    h, i = h[order], i[order]
    return (h ^ (h >> np.uint64(32))).astype(np.uint32), i


def minhash_signatures(texts: Sequence[str], *, num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray:
    """The datasketch MinHash signature of each text's shingle set.

    Returns:
        uint32 array of shape ``(len(texts), num_perm)``: row ``i`` equals
        ``MinHash(num_perm, seed, scheme="affine32", hashfunc=int)`` updated with the shingle hashes
        of ``texts[i]``; a text without words has the empty signature (all ``0xFFFFFFFF``).
    """
    hashes, index = shingle_hashes(texts)
    a, b = permutations(num_perm, seed)
    out = np.full((len(texts), num_perm), EMPTY, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for s in range(0, len(hashes), _BLOCK):
            values = np.multiply.outer(a, _fmix32(hashes[s:s + _BLOCK]))  # (num_perm, shingles)
            values += b[:, None]
            rows = index[s:s + _BLOCK]
            cuts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
            mins = np.minimum.reduceat(values, cuts, axis=1).T
            rows = rows[cuts]
            out[rows] = np.minimum(out[rows], mins)
    return out


#: Texts hashed together by :func:`shingle_arrays` (bounds the per-byte temporaries of
#: :func:`shingle_hashes`: about 30 bytes per byte of text).
ARRAY_BATCH = 1_000


def shingle_arrays(texts: Mapping[str, str], batch: int = ARRAY_BATCH) -> dict[str, np.ndarray]:
    """The distinct shingle hashes of each text as a sorted uint32 array (4 bytes a hash; a Python set
    takes about 80), computed ``batch`` texts at a time so memory stays bounded however many texts
    are checked.

    Example:
        >>> arrays = shingle_arrays({"a": "one two three four five six", "b": "one two three four five"})
        >>> arrays["a"].size, arrays["b"].size, jaccard_arrays(arrays["a"], arrays["b"])
        (2, 1, 0.5)
    """
    keys = list(texts)
    out: dict[str, np.ndarray] = {}
    for first in range(0, len(keys), batch):
        part = keys[first:first + batch]
        hashes, index = shingle_hashes([texts[k] for k in part])
        bounds = np.searchsorted(index, np.arange(len(part) + 1))
        for n, k in enumerate(part):
            out[k] = np.unique(hashes[bounds[n]:bounds[n + 1]])
    return out


def jaccard_arrays(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity ``|a & b| / |a | b|`` of two sorted arrays of distinct values (from
    :func:`shingle_arrays`); 1.0 for two empty ones.

    Example:
        >>> jaccard_arrays(np.array([1, 2, 3]), np.array([2, 3, 4]))
        0.5
    """
    common = int(np.intersect1d(a, b, assume_unique=True).size)
    union = int(a.size) + int(b.size) - common
    return common / union if union else 1.0
