"""N-gram counts of a corpus and their association scores (the ``terms`` table's engine).

:class:`TermCounts` codes each article's tokens as integer word ids and counts words, adjacent pairs,
pairs two apart and triples with NumPy (:class:`GramCounts` keeps each kind as sorted distinct keys),
never joining two articles; :meth:`TermCounts.collocations` scores every n-gram above a floor at once
with NLTK's association measures and NLTK's own arithmetic (:func:`_likelihood_ratio`). Counts can be
pickled (the article store's snapshot), fed in any order, and articles taken back
(:meth:`TermCounts.subtract`). Token lists come from :mod:`supplywatch.text.terms`.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable

import pandas as pd

#: Columns of the terms table, in order.
TERM_COLUMNS = ["kind", "term", "n", "n_documents", "score", "measure"]
#: How many rows of each kind the terms table keeps.
TOP_TERMS, TOP_COLLOCATIONS = 300, 100


_TRIGRAM_BITS = 21
_WIDE_KEY = None  # the numpy structured dtype of wide trigram keys, made on first use


def _wide_dtype():
    import numpy as np

    global _WIDE_KEY
    if _WIDE_KEY is None:
        _WIDE_KEY = np.dtype([("hi", "<i8"), ("lo", "<i8")])
    return _WIDE_KEY


class GramCounts:
    """Counts of one kind of n-gram: distinct keys (sorted), occurrences and articles holding each.

    Batches of counts are kept aside and merged into the totals when they add up to a quarter of
    the keys the totals hold (at least :attr:`MIN_MERGE`): each batch and the totals are sorted
    runs, which a stable sort merges in linear time, and memory follows the number of *distinct*
    n-grams (16 bytes each), not the length of the corpus.
    """

    #: Pending keys that trigger a merge at the least.
    MIN_MERGE = 1 << 16

    def __init__(self) -> None:
        import numpy as np

        self.keys = np.zeros(0, np.int64)
        self.n = np.zeros(0, np.int32)  # counts fit: 2**31 occurrences of one n-gram is beyond any corpus
        self.docs = np.zeros(0, np.int32)
        self._pending: list[tuple] = []
        self._pending_size = 0

    def add(self, keys, doc) -> None:
        """Count one batch: ``keys[i]`` occurs in article ``doc[i]`` (``doc`` non-decreasing)."""
        import numpy as np

        if not len(keys):
            return
        order = np.argsort(keys, kind="stable")  # stable: articles stay in order inside each key
        keys, doc = keys[order], doc[order]
        new_key = np.concatenate(([True], keys[1:] != keys[:-1]))
        new_doc = new_key | np.concatenate(([True], doc[1:] != doc[:-1]))
        starts = np.flatnonzero(new_key)
        batch = (keys[starts], np.diff(np.append(starts, len(keys))).astype(np.int32),
                 np.add.reduceat(new_doc.astype(np.int32), starts))
        self._pending.append(batch)
        self._pending_size += len(starts)
        if self._pending_size >= max(len(self.keys) // 4, self.MIN_MERGE):
            self.merge()

    def merge(self) -> None:
        """Fold the pending batches into the totals.

        A few pending keys (a run that only adds articles to restored totals) are looked up and
        inserted with binary search instead of sorting everything again; the totals are the same.
        """
        import numpy as np

        if not self._pending:
            return
        if (self.keys.dtype == np.int64 and len(self.keys) >= self.MIN_MERGE
                and self._pending_size * 16 < len(self.keys)):
            totals = (self.keys, self.n, self.docs)
            self.keys, self.n, self.docs = np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32)
            self._sort_merge()  # the pending batches alone: sorted, distinct keys
            keys, n, docs = self.keys, self.n, self.docs
            self.keys, self.n, self.docs = totals
            at = np.searchsorted(self.keys, keys)
            found = at < len(self.keys)
            found[found] = self.keys[at[found]] == keys[found]
            self.n = self.n.copy()  # never change arrays another object may share (a restored snapshot)
            self.docs = self.docs.copy()
            self.n[at[found]] += n[found]
            self.docs[at[found]] += docs[found]
            new = ~found
            self.keys = np.insert(self.keys, at[new], keys[new])
            self.n = np.insert(self.n, at[new], n[new])
            self.docs = np.insert(self.docs, at[new], docs[new])
            return
        self._sort_merge()

    def _sort_merge(self) -> None:
        import numpy as np

        parts = [(self.keys, self.n, self.docs)] + self._pending
        self._pending, self._pending_size = [], 0
        keys = np.concatenate([p[0] for p in parts])
        if not len(keys):
            return
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        self.keys = keys[starts]
        del keys
        self.n = np.add.reduceat(np.concatenate([p[1] for p in parts])[order], starts, dtype=np.int32)
        self.docs = np.add.reduceat(np.concatenate([p[2] for p in parts])[order], starts, dtype=np.int32)

    def widen(self) -> None:
        """Re-key packed trigram keys as (hi, lo) pairs (same order), for more than 2**21 words."""
        import numpy as np

        def wide(keys):
            if keys.dtype == _wide_dtype():
                return keys
            mask = (1 << _TRIGRAM_BITS) - 1
            out = np.empty(len(keys), dtype=_wide_dtype())
            out["hi"] = ((keys >> (2 * _TRIGRAM_BITS)) << 32) | ((keys >> _TRIGRAM_BITS) & mask)
            out["lo"] = keys & mask
            return out

        self.keys = wide(self.keys)
        self._pending = [(wide(k), n, d) for k, n, d in self._pending]

    def count_of(self, keys):
        """Occurrences of each of ``keys`` (all present)."""
        import numpy as np

        return self.n[np.searchsorted(self.keys, keys)]

    def subtract(self, keys, n, docs) -> bool:
        """Take back counts added before: ``keys`` (distinct, any order), their occurrences and articles.

        Keys whose count falls to zero are dropped, so the totals equal counting without those
        articles. Returns False (nothing changed) when a key is not held or would fall below zero.
        """
        import numpy as np

        self.merge()
        if not len(keys):
            return True
        if keys.dtype != self.keys.dtype or not len(self.keys):
            return False
        at = np.searchsorted(self.keys, keys)
        if (at >= len(self.keys)).any() or (self.keys[at] != keys).any():
            return False
        left_n, left_docs = self.n[at] - n, self.docs[at] - docs
        if (left_n < 0).any() or (left_docs < 0).any():
            return False
        self.n, self.docs = self.n.copy(), self.docs.copy()  # never change arrays another object may share
        self.n[at], self.docs[at] = left_n, left_docs
        kept = self.n > 0
        if not kept.all():
            self.keys, self.n, self.docs = self.keys[kept], self.n[kept], self.docs[kept]
        return True


class TermCounts:
    """Token counts of a corpus for the ``terms`` table, fed one article at a time (a streaming aggregate).

    Articles are coded as integer word ids and counted in batches with NumPy: words (occurrences and
    articles), adjacent pairs, pairs two apart and triples, never across an article boundary (as in
    NLTK's ``from_documents``). Only the distinct n-grams and their counts are kept (see
    :class:`GramCounts`), never the corpus's tokens, so memory follows the vocabulary, not the
    corpus. :meth:`collocations` scores the n-grams above the floor with NLTK's association
    measures, all at once, with NLTK's own arithmetic (see :func:`_likelihood_ratio`).

    Example:
        >>> counts = TermCounts()
        >>> for tokens in [["rare", "earth", "magnets"]] * 3:
        ...     counts.add(tokens)
        >>> counts.collocations(2, min_freq=3)["term"].tolist()
        ['earth magnets', 'rare earth']
    """

    #: Articles per counting batch.
    BATCH = 256

    def __init__(self) -> None:
        import numpy as np

        self._vocab: dict[str, int] = {}
        self._batch_ids = array("q")
        self._batch_lengths: list[int] = []
        self._documents = 0
        self._n_words = np.zeros(0, np.int64)
        self._word_docs = np.zeros(0, np.int64)
        self._grams = {2: GramCounts(), "gap": GramCounts(), 3: GramCounts()}
        self._wide = False
        self._finished: tuple | None = None

    def __getstate__(self) -> dict:
        # pickled merged (the article store's snapshot): smaller, and a run that restores it and adds
        # a few articles merges them by binary search (see GramCounts.merge)
        self._finish()
        state = dict(self.__dict__)
        state["_finished"] = None
        return state

    def add(self, tokens: Iterable[str]) -> None:
        """Add one article's tokens."""
        vocab, ids = self._vocab, self._batch_ids
        before = len(ids)
        for token in tokens:
            ids.append(vocab.setdefault(token, len(vocab)))
        self._batch_lengths.append(len(ids) - before)
        if len(self._batch_lengths) >= self.BATCH:
            self._flush()

    def add_joined(self, joined: Iterable[str]) -> None:
        """Add articles whose tokens are stored space-joined (the ``_doc_tokens`` partial table)."""
        for text in joined:
            self.add(text.split())

    def add_joined_arrow(self, joined) -> None:
        """:meth:`add_joined` for an Arrow string array or chunked array (the same counts, without a
        Python loop over the tokens: each batch of articles is split and dictionary-encoded by Arrow,
        and only its distinct words are looked up in the vocabulary). Tokens hold no whitespace and
        are joined by one space (:func:`_content_words`), so splitting at ``" "`` is ``str.split``; a
        null counts as no tokens."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        chunks = joined.chunks if isinstance(joined, pa.ChunkedArray) else [joined]
        vocab = self._vocab
        for chunk in chunks:
            chunk = pc.fill_null(chunk, "")
            for start in range(0, len(chunk), self.BATCH):
                step = chunk.slice(start, self.BATCH)
                lists = pc.split_pattern(step, " ")
                lengths = np.where(pc.equal(step, "").to_numpy(zero_copy_only=False), 0,
                                   pc.list_value_length(lists).to_numpy(zero_copy_only=False))
                flat = pc.list_flatten(lists)
                if len(flat) != int(lengths.sum()):
                    flat = flat.filter(pc.not_equal(flat, ""))  # the "" of an article without tokens
                encoded = pc.dictionary_encode(flat)
                ids = np.fromiter((vocab.setdefault(w, len(vocab)) for w in encoded.dictionary.to_pylist()),
                                  dtype=np.int64, count=len(encoded.dictionary))
                codes = encoded.indices.to_numpy(zero_copy_only=False)
                self._batch_ids.frombytes(ids[codes].tobytes())
                self._batch_lengths.extend(lengths.tolist())
                if len(self._batch_lengths) >= self.BATCH:
                    self._flush()

    def __len__(self) -> int:
        return self._documents + len(self._batch_lengths)

    def subtract(self, other: "TermCounts") -> bool:
        """Take back the articles ``other`` counted (they must have been counted here too): afterwards
        every table equals counting without them. Returns False, changing nothing, when ``other``
        holds a word or n-gram not counted here (so its articles were not)."""
        import numpy as np

        words, n, docs = other._finish()
        mine = self._finish()
        if not len(words):
            self._documents -= len(other)
            return True
        vocab = self._vocab
        if any(w not in vocab for w in words) or self._wide:
            return False
        remap = np.fromiter((vocab[w] for w in words), dtype=np.int64, count=len(words))
        if (mine[1][remap] < n).any() or (mine[2][remap] < docs).any():
            return False
        grams = {}
        for kind, theirs in other._grams.items():
            parts = [remap[p] for p in other._decode(kind, theirs.keys)]
            if kind == 3:
                keys = (parts[0] << (2 * _TRIGRAM_BITS)) | (parts[1] << _TRIGRAM_BITS) | parts[2]
            else:
                keys = (parts[0] << 32) | parts[1]
            grams[kind] = (keys, theirs.n, theirs.docs)
        before = {kind: (g.keys, g.n, g.docs) for kind, g in self._grams.items()}
        for kind, (keys, gram_n, gram_docs) in grams.items():
            if not self._grams[kind].subtract(keys, gram_n, gram_docs):
                for k, (ks, ns, ds) in before.items():  # undo: nothing changed
                    self._grams[k].keys, self._grams[k].n, self._grams[k].docs = ks, ns, ds
                return False
        self._n_words, self._word_docs = self._n_words.copy(), self._word_docs.copy()
        self._n_words[remap] -= n
        self._word_docs[remap] -= docs
        self._documents -= len(other)
        self._finished = None
        return True

    def _flush(self) -> None:
        """Count the batch of articles added since the last flush."""
        import numpy as np

        lengths = self._batch_lengths
        if not lengths:
            return
        self._finished = None  # the totals change
        ids = np.frombuffer(self._batch_ids, dtype=np.int64).copy() if len(self._batch_ids) else np.zeros(0, np.int64)
        doc = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        self._documents += len(lengths)
        self._batch_ids, self._batch_lengths = array("q"), []
        size = len(self._vocab)
        if size >= 2 ** 31:  # pragma: no cover - two billion distinct words
            raise ValueError(f"{size:,} distinct words: too many to count n-grams in 64-bit keys")
        if len(self._n_words) < size:  # grow the word tables (doubling, so growth is amortised)
            grow = max(size, 2 * len(self._n_words)) - len(self._n_words)
            self._n_words = np.concatenate((self._n_words, np.zeros(grow, np.int64)))
            self._word_docs = np.concatenate((self._word_docs, np.zeros(grow, np.int64)))
        self._n_words[:size] += np.bincount(ids, minlength=size)
        self._word_docs[:size] += np.bincount(np.unique(doc * size + ids) % size, minlength=size) if size else 0
        if not self._wide and size > 1 << _TRIGRAM_BITS:
            self._grams[3].widen()
            self._wide = True
        for kind, span in ((2, 1), ("gap", 2), (3, 2)):
            if len(ids) <= span:
                continue
            same = doc[:-span] == doc[span:]
            first, last = ids[:-span][same], ids[span:][same]
            if kind == 3:
                middle = ids[1:-1][same]
                if self._wide:
                    keys = np.empty(len(first), dtype=_wide_dtype())
                    keys["hi"], keys["lo"] = (first << 32) | middle, last
                else:
                    keys = (first << (2 * _TRIGRAM_BITS)) | (middle << _TRIGRAM_BITS) | last
            else:
                keys = (first << 32) | last
            self._grams[kind].add(keys, doc[:-span][same])

    def _finish(self):
        """Flush and merge everything counted; the words by id (kept until an article is added)."""
        if self._finished is None or self._batch_lengths:
            self._flush()
            for grams in self._grams.values():
                grams.merge()
            words = [""] * len(self._vocab)
            for word, i in self._vocab.items():
                words[i] = word
            self._finished = (words, self._n_words[:len(words)], self._word_docs[:len(words)])
        return self._finished

    def term_frequencies(self, top: int = 0) -> pd.DataFrame:
        """Term counts and document counts, most frequent first (ties by term); with ``top`` > 0 only
        the first ``top`` rows (the same rows, found without naming and sorting every word)."""
        import numpy as np

        words, n, docs = self._finish()
        keep = np.flatnonzero(n > 0)  # (zero: words whose articles were taken back, see subtract)
        if 0 < top < len(keep):  # only words counted at least as often as the top-th can be in the head
            floor = np.partition(n[keep], len(keep) - top)[len(keep) - top]
            keep = keep[n[keep] >= floor]
        frame = pd.DataFrame({"term": [words[i] for i in keep.tolist()], "n": n[keep].astype("int64"),
                              "n_documents": docs[keep].astype("int64")})
        frame = frame.sort_values(["n", "term"], ascending=[False, True], kind="stable")
        return (frame.head(top) if top > 0 else frame).reset_index(drop=True)

    def _decode(self, kind, keys) -> list:
        """Word ids at each position of n-gram keys."""
        if kind != 3:
            return [keys >> 32, keys & 0xFFFFFFFF]
        if keys.dtype == _wide_dtype():
            return [keys["hi"] >> 32, keys["hi"] & 0xFFFFFFFF, keys["lo"]]
        mask = (1 << _TRIGRAM_BITS) - 1
        return [keys >> (2 * _TRIGRAM_BITS), (keys >> _TRIGRAM_BITS) & mask, keys & mask]

    def scores(self, n: int = 2, *, min_freq: int = 3, measure: str = "likelihood_ratio") -> dict:
        """Every n-gram above ``min_freq`` and its unrounded score: ``{(w1, w2[, w3]): score}``."""
        found = self._scored(n, min_freq, measure)
        if found is None:
            return {}
        words, parts, _, _, scores = found
        return dict(zip(zip(*([words[i] for i in p.tolist()] for p in parts)), scores.tolist()))

    def _scored(self, n: int, min_freq: int, measure: str):
        """``(words, word ids per position, counts, article counts, scores)`` of the n-grams at or
        above the floor, or None when there are none."""
        if n not in (2, 3):
            raise ValueError(f"collocations: n must be 2 or 3, got {n}")
        if measure not in ("likelihood_ratio", "pmi"):
            raise ValueError(f"collocations: measure must be 'likelihood_ratio' or 'pmi', got {measure!r}")
        words, counts, _ = self._finish()
        grams = self._grams[n]
        selected = grams.n >= min_freq
        if not selected.any():
            return None
        keys, n_gram, n_docs = grams.keys[selected], grams.n[selected], grams.docs[selected]
        parts = self._decode(n, keys)
        n_all = int(counts.sum())
        if n == 2:
            marginals = (n_gram, counts[parts[0]], counts[parts[1]])
        else:  # every pair inside a counted triple was counted too
            pairs, gaps = self._grams[2], self._grams["gap"]
            marginals = (n_gram, pairs.count_of((parts[0] << 32) | parts[1]), gaps.count_of((parts[0] << 32) | parts[2]),
                         pairs.count_of((parts[1] << 32) | parts[2]), counts[parts[0]], counts[parts[1]],
                         counts[parts[2]])
        scores = (_likelihood_ratio if measure == "likelihood_ratio" else _pmi)(n, marginals, n_all)
        return words, parts, n_gram, n_docs, scores

    def collocations(self, n: int = 2, *, min_freq: int = 3, measure: str = "likelihood_ratio",
                     top: int = TOP_COLLOCATIONS, documents: bool = False) -> pd.DataFrame:
        """Bigram (``n=2``) or trigram (``n=3``) collocations above ``min_freq``, scored by ``measure``
        (``likelihood_ratio`` or ``pmi``), best first; ``documents=True`` adds ``n_documents``."""
        import numpy as np

        columns = ["term", "n", "score"] + (["n_documents"] if documents else [])
        found = self._scored(n, min_freq, measure)
        if found is None:
            return pd.DataFrame(columns=columns)
        words, parts, n_gram, n_docs, scores = found
        scores = np.round(scores, 4)
        if 0 < top < len(scores) and not np.isnan(scores).any():
            # only the n-grams scoring at least the top-th best (ties included) can be in the head:
            # the same rows, without naming and sorting every n-gram above the floor
            floor = np.partition(scores, len(scores) - top)[len(scores) - top]
            keep = np.flatnonzero(scores >= floor)
            parts, n_gram, n_docs, scores = [p[keep] for p in parts], n_gram[keep], n_docs[keep], scores[keep]
        terms = [" ".join(t) for t in zip(*([words[i] for i in p.tolist()] for p in parts))]
        frame = pd.DataFrame({"term": terms, "n": n_gram.astype("int64"), "score": scores,
                              "n_documents": n_docs.astype("int64")})
        frame = frame.sort_values(["score", "term"], ascending=[False, True], kind="stable").head(top)
        return frame.reset_index(drop=True)[columns]

    def table(self, *, min_freq: int | None = None) -> pd.DataFrame:
        """The ``terms`` table: top terms, bigram and trigram collocations (see the module docstring)."""
        if min_freq is None:
            min_freq = 2 if len(self) < 20 else 3
        parts = [self.term_frequencies(top=TOP_TERMS).assign(kind="term", score=float("nan"),
                                                                measure="frequency")]
        for n, kind in ((2, "bigram"), (3, "trigram")):
            colls = self.collocations(n, min_freq=min_freq, documents=True)
            if not colls.empty:
                parts.append(colls.assign(kind=kind, measure="likelihood_ratio"))
        frame = pd.concat([p for p in parts if not p.empty], ignore_index=True)
        if frame.empty:
            return pd.DataFrame(columns=TERM_COLUMNS)
        return frame.reindex(columns=TERM_COLUMNS)


def _likelihood_ratio(n: int, marginals, n_all: int):
    """NLTK's ``{Bigram,Trigram}AssocMeasures.likelihood_ratio`` for many n-grams at once.

    The same operations in the same order as NLTK's per-n-gram code (contingency table, expected
    values, ``2 * sum(obs * ln(obs / (exp + 1e-20) + 1e-20))``), so the floats are identical
    (a test checks this on real articles): integer steps stay exact integers, the logarithm is
    Python's ``math.log``, and the trigram expected values, whose products can pass 2**53, are
    divided as Python integers, as NLTK does.
    """
    import numpy as np

    small = 1e-20
    if n == 2:
        # NLTK's bigram finder divides the count by (window_size - 1.0): floats from here on
        n_ii, n_ix, n_xi = (m.astype(np.float64) for m in marginals)
        n_oi = n_xi - n_ii
        n_io = n_ix - n_ii
        cont = [n_ii, n_oi, n_io, float(n_all) - n_ii - n_oi - n_io]
        n_xx = cont[0] + cont[1] + cont[2] + cont[3]  # NLTK divides by sum(cont), not the total
        expected = [(cont[i] + cont[i ^ 1]) * (cont[i] + cont[i ^ 2]) / n_xx for i in range(4)]
    else:
        n_iii, n_iix, n_ixi, n_xii, n_ixx, n_xix, n_xxi = (m.astype(np.int64) for m in marginals)
        n_oii = n_xii - n_iii
        n_ioi = n_ixi - n_iii
        n_iio = n_iix - n_iii
        n_ooi = n_xxi - n_iii - n_oii - n_ioi
        n_oio = n_xix - n_iii - n_oii - n_iio
        n_ioo = n_ixx - n_iii - n_ioi - n_iio
        n_ooo = n_all - n_iii - n_oii - n_ioi - n_iio - n_ooi - n_oio - n_ioo
        cont = [n_iii, n_oii, n_ioi, n_ooi, n_iio, n_oio, n_ioo, n_ooo]
        divisor = n_all ** 2
        expected = []
        for i in range(8):
            sums = [sum((cont[x] for x in range(8) if (x & j) == (i & j)), np.zeros_like(n_iii))
                    for j in (1, 2, 4)]
            products = [a * b * c for a, b, c in zip(*(s.tolist() for s in sums))]  # Python ints: exact
            expected.append(np.array([p / divisor for p in products], dtype=np.float64))
        cont = [c.astype(np.float64) for c in cont]
    total = None
    for obs, exp in zip(cont, expected):
        ratio = obs / (exp + small) + small
        term = obs * np.fromiter(map(math.log, ratio.tolist()), dtype=np.float64, count=len(ratio))
        total = term if total is None else total + term
    return 2 * total


def _pmi(n: int, marginals, n_all: int):
    """NLTK's pointwise mutual information (``pmi``) per n-gram, computed by NLTK itself."""
    import numpy as np
    from nltk.metrics import BigramAssocMeasures, TrigramAssocMeasures

    cols = [m.tolist() for m in marginals]
    if n == 2:
        return np.array([BigramAssocMeasures.pmi(a / 1.0, (b, c), n_all) for a, b, c in zip(*cols)])
    return np.array([TrigramAssocMeasures.pmi(a, (b, c, d), (e, f, g), n_all) for a, b, c, d, e, f, g in zip(*cols)])
