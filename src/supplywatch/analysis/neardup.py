"""Near-duplicate articles: lightly edited copies of one story, grouped with MinHash LSH.

Syndicated wire stories reach a corpus many times, re-headlined, corrected, cut or with a paragraph
added. Exact copies (same bytes) are already kept once by the loader; this module groups the rest.

**Rule.** Two articles are *near-duplicates* when

1. the exact Jaccard similarity of their sets of word 5-shingles (the analysed text: headline and body, see
   :mod:`supplywatch.text.shingles`) is at least :data:`THRESHOLD` (0.8), and
2. when both are dated, their dates are at most :data:`MAX_DAYS_APART` (3) days apart: a recurring
   item in identical words ("Bundesbank leaves credit policies unchanged", two weeks apart) reports
   two events, not one.

A **story** is a group of articles linked by near-duplicate pairs (connected components: A~B and B~C
put A, B and C in one story even if A and C differ more). Its ``story_id`` is the ``doc_id`` of its
first article in ``doc_id`` order; ``n_copies`` is the number of articles in it (1 for an article
with no near-duplicate).

**Method.** Each worker computes every article's MinHash signature (:data:`~supplywatch.text.
shingles.NUM_PERM` permutations, datasketch's ``affine32`` scheme) for a whole chunk at once
(:func:`extract_signatures`). :class:`NearDuplicates` keeps the signatures as chunks arrive and
at the end bands them as a :class:`datasketch.MinHashLSH` index would (8 bands of 5 rows,
:data:`LSH_BANDS`: a pair at Jaccard 0.8 is a candidate with probability 0.96; a bucket is the
articles agreeing on every row of a band, found by sorting with NumPy, so the state is just the
signatures), takes every pair sharing an LSH bucket as a candidate, and keeps the candidates whose *exact* Jaccard similarity (recomputed from the two texts) passes the rule:
the ``near_duplicates`` table. :func:`aggregate_stories` adds ``story_id`` and ``n_copies`` to the
documents table.

Example:
    >>> result = analyze_corpus("corpus/")                                    # doctest: +SKIP
    >>> result.documents[["doc_id", "story_id", "n_copies"]]                  # doctest: +SKIP
    >>> result.tables["near_duplicates"]   # doc_id_a, doc_id_b, jaccard, days_apart  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from supplywatch.text.shingles import NUM_PERM, SCHEME, SEED, jaccard_arrays, minhash_signatures, shingle_arrays

#: Exact Jaccard similarity of the shingle sets a near-duplicate pair needs.
THRESHOLD = 0.8
#: Dated articles further apart than this many days are never near-duplicates.
MAX_DAYS_APART = 3
#: The LSH index's bands and rows per band (``MinHashLSH(params=...)``): a pair becomes a candidate
#: when all 5 values of one of its 8 bands agree, with probability ``1 - (1 - J**5)**8``: 0.96 at
#: Jaccard 0.8, 0.99 at 0.85, 0.22 at 0.5 (candidates are then checked exactly).
LSH_BANDS = (8, 5)
#: Columns of the ``near_duplicates`` table.
PAIR_COLUMNS = ["doc_id_a", "doc_id_b", "jaccard", "days_apart"]
#: The private per-article table of signatures (consumed by :class:`NearDuplicates`, never written).
SIGNATURES = "_minhash"
#: Largest LSH bucket whose members are all compared with each other; the members of a bigger one
#: (articles without words, boilerplate) are compared with its first member only, so the work stays
#: proportional to the number of articles.
MAX_BUCKET = 500


def extract_signatures(docs, resources=None) -> dict[str, list[dict]]:
    """Chunk extractor: every article's MinHash signature (one row per article).

    Rows: ``doc_id``, ``date``, ``signature`` (``NUM_PERM`` little-endian uint32 values as bytes,
    160 bytes). Computed for the whole chunk in one NumPy pass (:func:`minhash_signatures`).
    """
    docs = list(docs)
    if not docs:
        return {SIGNATURES: []}
    sigs = minhash_signatures([d.analysed_text for d in docs]).astype("<u4", copy=False)
    return {SIGNATURES: [{"doc_id": d.doc_id, "date": d.date, "signature": sig.tobytes()}
                         for d, sig in zip(docs, sigs)]}


def _days_apart(a: str, b: str) -> int | None:
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
    except (TypeError, ValueError):
        return None


class NearDuplicates:
    """Streaming aggregate: keeps the signatures as chunks arrive; LSH candidates and verified pairs at the end.

    Pipeline accumulator (``consumes`` the private ``_minhash`` table); :meth:`tables` needs the
    article texts (``needs_texts``) to check candidates with exact Jaccard similarity. The state is
    the signatures (``NUM_PERM`` uint32 values an article) with the ids and dates: compact to keep
    and to pickle (the article store snapshots it).
    """

    consumes = SIGNATURES
    needs_texts = True

    def __init__(self, resources=None) -> None:
        self.signatures: list[np.ndarray] | None = []  # (articles, NUM_PERM) uint32 blocks, in order
        self.ids: list[str] = []
        self.dates: list[str] = []

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        if state["signatures"]:
            state["signatures"] = [np.concatenate(state["signatures"])]
        return state

    def add(self, part) -> None:
        """Keep one chunk's signatures (an Arrow table or row dicts, in corpus order)."""
        from supplywatch.parts import part_column

        ids, dates, sigs = (part_column(part, c) for c in ("doc_id", "date", "signature"))
        if not ids:
            return
        block = np.frombuffer(b"".join(sigs), dtype="<u4").reshape(len(ids), NUM_PERM)
        self.signatures.append(block)
        self.ids.extend(ids)
        self.dates.extend(day or "" for day in dates)

    def candidates(self) -> list[tuple[int, int]]:
        """Pairs of article positions that share an LSH bucket, sorted.

        A bucket is the articles whose signatures agree on all rows of one band (what a
        :class:`datasketch.MinHashLSH` with ``params=LSH_BANDS`` keys its hash tables by), found by
        sorting each band's values with NumPy.
        """
        if not self.signatures:
            return []
        sigs = np.concatenate(self.signatures)
        bands, rows = LSH_BANDS
        pairs: set[tuple[int, int]] = set()
        for band in range(bands):
            block = sigs[:, band * rows:(band + 1) * rows]
            order = np.lexsort(block.T[::-1])  # stable: members of a bucket in article order
            ordered = block[order]
            same = (ordered[1:] == ordered[:-1]).all(axis=1)
            if not same.any():
                continue
            starts = np.flatnonzero(np.concatenate(([True], ~same)))
            sizes = np.diff(np.append(starts, len(order)))
            for first, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
                members = order[first:first + size].tolist()
                if len(members) > MAX_BUCKET:  # compare with the first member only: bounded work
                    pairs.update((members[0], j) for j in members[1:])
                    continue
                for x, i in enumerate(members):
                    for j in members[x + 1:]:
                        pairs.add((i, j))
        return sorted(pairs)

    def tables(self, texts: Mapping[str, str] | None = None) -> dict[str, pd.DataFrame]:
        """``{"near_duplicates": pairs}``: every verified pair, ``doc_id_a < doc_id_b``, sorted.

        Args:
            texts: ``doc_id -> analysed text`` (headline and body; a dict, or spooled texts with a
                ``subset`` method); without texts no candidate can be checked and the table is empty.
        """
        rows = []
        pairs = self.candidates()
        self.signatures = None  # no longer needed: freed before the aggregators run
        if pairs and texts is not None:
            wanted = sorted({self.ids[p] for pair in pairs for p in pair})
            body = texts.subset(wanted) if hasattr(texts, "subset") else {k: texts[k] for k in wanted}
            sets = shingle_arrays({d: body.get(d, "") for d in wanted})  # sorted arrays: 4 bytes a shingle
            del body
            for i, j in pairs:
                a, b = sorted((self.ids[i], self.ids[j]))
                days = _days_apart(self.dates[i], self.dates[j])
                if a == b or (days is not None and days > MAX_DAYS_APART):
                    continue
                similarity = jaccard_arrays(sets[a], sets[b])
                if similarity >= THRESHOLD:
                    rows.append({"doc_id_a": a, "doc_id_b": b, "jaccard": round(similarity, 4),
                                 "days_apart": days})
        frame = pd.DataFrame(rows, columns=PAIR_COLUMNS)
        frame["days_apart"] = frame["days_apart"].astype("Int64")
        frame = frame.drop_duplicates(["doc_id_a", "doc_id_b"])
        return {"near_duplicates": frame.sort_values(["doc_id_a", "doc_id_b"]).reset_index(drop=True)}


def stories(doc_ids, pairs: pd.DataFrame) -> pd.DataFrame:
    """``story_id`` and ``n_copies`` for every article, from the near-duplicate pairs.

    Connected components of the pairs; ``story_id`` is the smallest ``doc_id`` of the component.

    Example:
        >>> p = pd.DataFrame({"doc_id_a": ["a", "b"], "doc_id_b": ["b", "c"]})
        >>> stories(["a", "b", "c", "d"], p).values.tolist()
        [['a', 'a', 3], ['b', 'a', 3], ['c', 'a', 3], ['d', 'd', 1]]
    """
    parent: dict[str, str] = {d: d for d in doc_ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    if pairs is not None and len(pairs):
        for a, b in zip(pairs["doc_id_a"], pairs["doc_id_b"]):
            if a in parent and b in parent:
                ra, rb = root(a), root(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    ids = list(parent)
    story = [root(d) for d in ids]
    frame = pd.DataFrame({"doc_id": ids, "story_id": story})
    frame["n_copies"] = frame.groupby("story_id")["doc_id"].transform("size").astype("int64")
    return frame


def aggregate_stories(tables: dict[str, pd.DataFrame], resources=None) -> dict[str, pd.DataFrame]:
    """Aggregator: the documents table with ``story_id`` and ``n_copies`` (see module docstring)."""
    documents = tables["documents"]
    pairs = tables.get("near_duplicates")
    if pairs is None:
        pairs = pd.DataFrame(columns=PAIR_COLUMNS)
    groups = stories(documents["doc_id"].tolist(), pairs).set_index("doc_id")
    documents = documents.drop(columns=[c for c in ("story_id", "n_copies") if c in documents])
    documents = documents.assign(story_id=documents["doc_id"].map(groups["story_id"]),
                                 n_copies=documents["doc_id"].map(groups["n_copies"]).astype("int64"))
    return {"documents": documents, "near_duplicates": pairs}
