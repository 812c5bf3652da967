"""Counts per distinct story beside raw counts: syndicated copies of one story counted once.

Every article belongs to a story (``story_id`` of the documents table, see
:mod:`supplywatch.analysis.neardup`): its own, or the group of its near-duplicates. A raw count
(mentions, claims) counts every copy; ``stories`` counts each story once, ``articles`` each article.

Example:
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "story_id": ["a", "a", "c"]})
    >>> m = pd.DataFrame({"doc_id": ["a", "b", "c", "c"], "actor": ["China"] * 4})
    >>> story_counts(m, docs, ["actor"], value_name="mentions").values.tolist()
    [['China', 4, 3, 2]]
"""

from __future__ import annotations

import pandas as pd


def with_story_ids(frame: pd.DataFrame, documents: pd.DataFrame) -> pd.Series:
    """The ``story_id`` of each row's article (its own ``doc_id`` where the documents table has none)."""
    if frame is None or frame.empty or "doc_id" not in frame:
        return pd.Series(dtype="object")
    if documents is None or "story_id" not in documents:
        return frame["doc_id"].astype(str)
    lookup = documents.set_index("doc_id")["story_id"]
    return frame["doc_id"].map(lookup).fillna(frame["doc_id"]).astype(str)


def story_counts(frame: pd.DataFrame, documents: pd.DataFrame, keys: list[str], *,
                 value_name: str = "count") -> pd.DataFrame:
    """Rows per group of ``keys`` (``value_name``), distinct ``articles`` and distinct ``stories``.

    Sorted by the raw count, then the keys. An empty frame gives an empty table with these columns.
    """
    columns = [*keys, value_name, "articles", "stories"]
    if frame is None or frame.empty or any(k not in frame for k in keys):
        return pd.DataFrame(columns=columns)
    rows = frame[keys + ["doc_id"]].copy()
    rows["story_id"] = with_story_ids(frame, documents).to_numpy()
    for key in keys:
        rows[key] = rows[key].fillna("").astype(str).replace("", "(none)")
    out = rows.groupby(keys, sort=False).agg(**{value_name: ("doc_id", "size"), "articles": ("doc_id", "nunique"),
                                               "stories": ("story_id", "nunique")}).reset_index()
    return out.sort_values([value_name, *keys], ascending=[False] + [True] * len(keys),
                           kind="stable").reset_index(drop=True)[columns]


def add_story_counts(counts: pd.DataFrame, frame: pd.DataFrame, documents: pd.DataFrame, key: str) -> pd.DataFrame:
    """A count table keyed by ``key`` (e.g. :func:`supplywatch.reports.charts.count_data`) with
    ``articles`` and ``stories`` columns added (its rows, order and ``attrs`` kept)."""
    extra = story_counts(frame, documents, [key], value_name="_n")
    out = counts.merge(extra[[key, "articles", "stories"]], on=key, how="left")
    for column in ("articles", "stories"):
        out[column] = out[column].fillna(0).astype("int64")
    out.attrs = dict(counts.attrs)
    return out
