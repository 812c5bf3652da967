"""Word shingles and MinHash signatures: datasketch's values, computed a chunk at a time."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash

from supplywatch.text.shingles import (
    EMPTY,
    NUM_PERM,
    SEED,
    jaccard_arrays,
    minhash_signatures,
    shingle_arrays,
    shingle_hashes,
)

def shingle_sets(texts):
    """The oracle: each text's distinct shingle hashes as a Python set."""
    keys = list(texts)
    hashes, index = shingle_hashes([texts[k] for k in keys])
    return {k: set(hashes[index == n].tolist()) for n, k in enumerate(keys)}


def jaccard(a, b):
    union = len(a | b)
    return len(a & b) / union if union else 1.0


TEXTS = [
    "China accounts for 61 per cent of global mined rare earth production, the IEA said.",
    "CHINA accounts for 61 per-cent of global mined rare earth production -- the IEA said!",
    "Glencore, the Swiss trader, sells cobalt mined in Congo to refiners in China and Finland.",
    "Three short words",
    "",
    "Zürich-based traders said São Paulo demand for nickel fell in Q3 2025.",
]


def test_signatures_are_datasketchs_minhash_of_the_shingle_hashes():
    hashes, index = shingle_hashes(TEXTS)
    signatures = minhash_signatures(TEXTS)
    assert signatures.shape == (len(TEXTS), NUM_PERM) and signatures.dtype == np.uint32
    for i in range(len(TEXTS)):
        expected = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32", hashfunc=int)
        expected.update_batch(hashes[index == i].tolist())
        assert (expected.hashvalues == signatures[i]).all(), TEXTS[i]


def test_case_punctuation_and_spacing_do_not_matter_but_words_do():
    sets = shingle_sets({str(i): t for i, t in enumerate(TEXTS)})
    assert sets["0"] == sets["1"]
    assert jaccard(sets["0"], sets["2"]) == 0.0
    edited = shingle_sets({"x": TEXTS[0].replace("61", "62")})["x"]
    assert 0 < jaccard(sets["0"], edited) < 1


def test_short_and_empty_texts():
    hashes, index = shingle_hashes(["Three short words", "", "one two three four five"])
    assert index.tolist() == [0, 2]  # a text under five words is one shingle; an empty one has none
    signatures = minhash_signatures(["", "a"])
    assert (signatures[0] == EMPTY).all() and not (signatures[1] == EMPTY).all()


def test_chunking_does_not_change_a_signature():
    together = minhash_signatures(TEXTS)
    alone = np.vstack([minhash_signatures([t]) for t in TEXTS])
    assert (together == alone).all()


def test_shingle_arrays_hold_the_sets_and_give_the_same_jaccard_in_any_batch_size():
    texts = {str(i): t for i, t in enumerate(TEXTS + [TEXTS[0].replace("61", "62"), TEXTS[2] + " " + TEXTS[0]])}
    sets = shingle_sets(texts)
    for batch in (1, 3, 1000):
        arrays = shingle_arrays(texts, batch=batch)
        assert list(arrays) == list(texts)
        for key, array in arrays.items():
            assert array.dtype == np.uint32 and array.tolist() == sorted(sets[key]), (batch, key)
        for a in texts:
            for b in texts:
                assert jaccard_arrays(arrays[a], arrays[b]) == jaccard(sets[a], sets[b]), (batch, a, b)
    assert 0 < jaccard_arrays(arrays["0"], arrays["6"]) < 1 and jaccard_arrays(arrays["4"], arrays["4"]) == 1.0
