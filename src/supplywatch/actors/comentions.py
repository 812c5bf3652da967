"""Streaming aggregates of the mentions table: co-mention counts and one name and type per recognised actor.

:class:`MentionAggregates` watches the ``mentions`` parts of a run with the article store (the
table is still written whole) and keeps two things small enough to snapshot in the store
(:mod:`supplywatch.analysis.store`), so a re-run that only adds articles feeds it only theirs (a
plain run computes the same from the whole table):

* **co-mention counts**: per unordered pair of actor ids named in one sentence, the sentences and
  the articles they share (``n_sentences``, ``n_documents``), kept as sorted NumPy arrays of pair
  keys (:class:`supplywatch.text.ngrams.GramCounts`, the counter of the terms table);
* **recognised actors**: per ``actor_id`` of a ``recognised`` mention, how many mentions have each
  spelling (the fullest one: most words, then longest, then alphabetical) and each type.

Both are counts, so articles can be taken back (:meth:`MentionAggregates.retract`, when the article
store restores a snapshot that counted articles the corpus no longer has).

Its private tables (``_comention_counts``, ``_recognised_names``) are what
:func:`supplywatch.actors.mentions.aggregate_comentions` needs: the same ``comentions`` table as
:func:`supplywatch.actors.mentions.comentions` and the same names and types as
:func:`supplywatch.actors.mentions.unify_recognised` (tests check both), without a pass over the
whole corpus's mentions.

Example:
    >>> acc = MentionAggregates()
    >>> acc.add([{"doc_id": "d", "sentence_id": 0, "actor_id": "CHN", "actor": "China",
    ...           "actor_type": "country", "origin": "gazetteer"},
    ...          {"doc_id": "d", "sentence_id": 0, "actor_id": "IND", "actor": "India",
    ...           "actor_type": "country", "origin": "gazetteer"}])
    >>> acc.tables()["_comention_counts"].values.tolist()
    [['CHN', 'IND', 1, 1]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from supplywatch.actors.matcher import fullness
from supplywatch.parts import part_column

#: The private tables :meth:`MentionAggregates.tables` gives (dropped from the result after the aggregators).
COUNTS, NAMES = "_comention_counts", "_recognised_names"


class MentionAggregates:
    """Streaming aggregate over the ``mentions`` table (``observes``: the table is kept as well).

    ``add(part)`` takes one part (an Arrow table or row dicts) holding whole articles, in corpus
    order; ``tables()`` gives ``_comention_counts`` (``actor_a_id < actor_b_id``, ``n_sentences``,
    ``n_documents``; unsorted) and ``_recognised_names`` (``actor_id``, ``actor``, ``actor_type``).
    """

    consumes = "mentions"
    observes = True
    #: Its tables depend only on which articles were counted, not on their order (pair counts, the
    #: fullest name and the counts of each type per actor).
    orderless = True

    def __init__(self, resources=None) -> None:
        from supplywatch.text.ngrams import GramCounts

        self._codes: dict[str, int] = {}   # actor_id -> code (first seen first)
        self._pairs = GramCounts()        # key code_a << 32 | code_b (ids a < b): sentences, articles
        self._names: dict[str, dict[str, int]] = {}  # recognised actor_id -> {name: mentions}
        self._fullest: dict[str, str] = {}  # recognised actor_id -> its fullest name (of _names)
        self._types: dict[str, int] = {}   # "actor_id\x00actor_type" -> recognised mentions

    def __getstate__(self) -> dict:
        self._pairs.merge()  # pickled merged: restored and fed a few articles, merged by binary search
        return dict(self.__dict__)

    def add(self, part) -> None:
        docs, sentences, ids = (part_column(part, c) for c in ("doc_id", "sentence_id", "actor_id"))
        if not docs:
            return
        origins = part_column(part, "origin")
        if any(o == "recognised" for o in origins):
            names, types, fullest = self._names, self._types, self._fullest
            for actor_id, name, actor_type, origin in zip(ids, part_column(part, "actor"),
                                                          part_column(part, "actor_type"), origins):
                if origin != "recognised" or not isinstance(actor_id, str):
                    continue
                if isinstance(name, str):
                    seen = names.setdefault(actor_id, {})
                    seen[name] = seen.get(name, 0) + 1
                    best = fullest.get(actor_id)
                    if best is None or fullness(name) > fullness(best):
                        fullest[actor_id] = name
                if isinstance(actor_type, str):  # as a groupby, missing types are not counted
                    key = f"{actor_id}\x00{actor_type}"
                    types[key] = types.get(key, 0) + 1
        groups: dict[tuple, set] = {}
        for doc_id, sentence_id, actor_id in zip(docs, sentences, ids):
            if isinstance(actor_id, str):  # a missing actor_id never pairs
                groups.setdefault((doc_id, sentence_id), set()).add(actor_id)
        codes, keys, doc_index = self._codes, [], []
        index: dict[str, int] = {}
        for (doc_id, _), actors in groups.items():
            if len(actors) < 2:
                continue
            ordered = [codes.setdefault(a, len(codes)) for a in sorted(actors)]
            d = index.setdefault(doc_id, len(index))
            for x, a in enumerate(ordered):
                for b in ordered[x + 1:]:
                    keys.append((a << 32) | b)
                    doc_index.append(d)
        if keys:
            order = np.argsort(np.asarray(doc_index, np.int64), kind="stable")  # articles in order
            self._pairs.add(np.asarray(keys, np.int64)[order], np.asarray(doc_index, np.int64)[order])

    def retract(self, part) -> bool:
        """Take back articles :meth:`add` counted (their mentions rows again): afterwards the tables
        equal counting without them. False, changing nothing, when they were not counted here."""
        gone = MentionAggregates()
        gone.add(part)
        for actor_id, seen in gone._names.items():
            mine = self._names.get(actor_id, {})
            if any(mine.get(name, 0) < n for name, n in seen.items()):
                return False
        if any(self._types.get(key, 0) < n for key, n in gone._types.items()):
            return False
        if any(a not in self._codes for a in gone._codes):
            return False
        gone._pairs.merge()
        remap = np.array([self._codes[a] for a in gone._codes], dtype=np.int64)
        keys = gone._pairs.keys
        if len(keys):
            keys = (remap[keys >> 32] << 32) | remap[keys & 0xFFFFFFFF]
            order = np.argsort(keys)
            if not self._pairs.subtract(keys[order], gone._pairs.n[order], gone._pairs.docs[order]):
                return False
        for actor_id, seen in gone._names.items():
            mine = self._names[actor_id]
            for name, n in seen.items():
                mine[name] -= n
                if not mine[name]:
                    del mine[name]
            if mine:
                self._fullest[actor_id] = max(mine, key=fullness)
            else:
                del self._names[actor_id], self._fullest[actor_id]
        for key, n in gone._types.items():
            self._types[key] -= n
            if not self._types[key]:
                del self._types[key]
        return True

    def tables(self) -> dict[str, pd.DataFrame]:
        pairs = self._pairs
        pairs.merge()
        ids = np.array(list(self._codes), dtype=object)
        counts = pd.DataFrame({"actor_a_id": ids[pairs.keys >> 32] if len(ids) else [],
                               "actor_b_id": ids[pairs.keys & 0xFFFFFFFF] if len(ids) else [],
                               "n_sentences": pairs.n.astype("int64"), "n_documents": pairs.docs.astype("int64")})
        types: dict[str, tuple[int, str]] = {}
        for key, n in self._types.items():
            actor_id, actor_type = key.split("\x00", 1)
            best = types.get(actor_id)
            if best is None or n > best[0] or (n == best[0] and actor_type < best[1]):
                types[actor_id] = (n, actor_type)
        actor_ids = list(self._names)
        names = pd.DataFrame({"actor_id": actor_ids, "actor": [self._fullest[a] for a in actor_ids],
                              "actor_type": [types.get(a, (0, None))[1] for a in actor_ids]})
        return {COUNTS: counts, NAMES: names}


def unify_with(mentions: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """:func:`supplywatch.actors.mentions.unify_recognised` with the names and types already known
    (``names``: the ``_recognised_names`` table): the same frame, without a pass over every mention."""
    if "origin" not in mentions.columns:
        return mentions
    fast = _unify_arrow(mentions, names)
    if fast is not None:
        return fast
    recognised = mentions["origin"] == "recognised"
    if not recognised.any():
        return mentions
    ids = mentions.loc[recognised, "actor_id"]
    fullest = dict(zip(names["actor_id"].tolist(), names["actor"].tolist()))
    types = dict(zip(names["actor_id"].tolist(), names["actor_type"].tolist()))
    mentions = mentions.copy(deep=False)  # copy-on-write: only the two columns set below are copied
    mentions.loc[recognised, "actor"] = ids.map(fullest)
    mentions.loc[recognised, "actor_type"] = ids.map(types)
    return mentions


def _arrow(column: pd.Series):
    """The Arrow array under a pandas str (Arrow) column, or None for another kind of column."""
    import pyarrow as pa

    array = column.array
    if not hasattr(array, "__arrow_array__") or not pd.api.types.is_string_dtype(column.dtype):
        return None
    data = array.__arrow_array__()
    return data if pa.types.is_string(data.type) or pa.types.is_large_string(data.type) else None


def _unify_arrow(mentions: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame | None:
    """:func:`unify_with` computed by Arrow on str (Arrow) columns (None for other columns): the
    recognised rows' names and types looked up with ``index_in`` and ``take``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = [_arrow(mentions[c]) for c in ("origin", "actor_id", "actor", "actor_type")]
    if any(c is None for c in columns) or names["actor_id"].duplicated().any():
        return None
    origin, ids, actor, actor_type = columns
    recognised = pc.fill_null(pc.equal(origin, "recognised"), False)
    if not pc.any(recognised).as_py():
        return mentions
    where = pc.index_in(ids, value_set=pa.array(names["actor_id"].tolist(), pa.string()))
    known = {"actor": pa.array(names["actor"].tolist(), pa.string()),
             "actor_type": pa.array(names["actor_type"].tolist(), pa.string())}
    out = {}
    for name, before in (("actor", actor), ("actor_type", actor_type)):
        looked_up = pc.take(known[name], where).cast(before.type)
        out[name] = pd.Series(pd.array(pc.if_else(recognised, looked_up, before), dtype=mentions[name].dtype),
                              index=mentions.index, name=name)
    return mentions.assign(**out)


def last_names(mentions: pd.DataFrame) -> dict:
    """``actor_id -> actor`` of each id's last row: ``dict(zip(ids, names))`` over the mentions table,
    without a pass over every row in Python."""
    codes, uniques = pd.factorize(mentions["actor_id"])
    if not len(uniques):
        return {}
    codes_back = codes[::-1]
    found, first_back = np.unique(codes_back, return_index=True)
    last = len(codes) - 1 - first_back[found >= 0]
    values = mentions["actor"].take(last).tolist()
    return dict(zip(pd.Index(uniques).take(found[found >= 0]).tolist(), values))


def comentions_from(counts: pd.DataFrame, mentions: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """:func:`supplywatch.actors.mentions.comentions` from the counted pairs (``_comention_counts``)
    and the final mentions table (which names each actor id): the same table, with ``columns``
    (:data:`supplywatch.actors.mentions.COMENTION_COLUMNS`)."""
    if mentions is None or mentions.empty or counts is None or counts.empty:
        return pd.DataFrame(columns=columns)
    return pair_table(counts["actor_a_id"], counts["actor_b_id"], counts["n_sentences"], counts["n_documents"],
                      last_names(mentions), columns)


def pair_table(a_ids: pd.Series, b_ids: pd.Series, n_sentences, n_documents, names: dict[str, str],
               columns: list[str]) -> pd.DataFrame:
    """The co-mentions table from its pairs (ids, counts; aligned Series) and the actors' names: sorted by
    ``n_sentences`` and ``n_documents`` descending, then ids."""
    a_codes, a_unique = pd.factorize(a_ids, sort=True)  # codes in the order of the ids
    b_codes, b_unique = pd.factorize(b_ids, sort=True)
    n_sentences = np.asarray(n_sentences, dtype=np.int64)
    n_documents = np.asarray(n_documents, dtype=np.int64)
    if (a_codes < 0).any() or (b_codes < 0).any():  # a missing id: sorted last, as sort_values does
        frame = pd.DataFrame({
            "actor_a_id": a_ids, "actor_a": a_ids.map(names), "actor_b_id": b_ids, "actor_b": b_ids.map(names),
            "n_sentences": n_sentences, "n_documents": n_documents}, columns=columns)
        return frame.sort_values(["n_sentences", "n_documents", "actor_a_id", "actor_b_id"],
                                 ascending=[False, False, True, True], kind="stable").reset_index(drop=True)
    order = np.lexsort((b_codes, a_codes, -n_documents, -n_sentences))  # last key first; stable
    a_codes, b_codes = a_codes[order], b_codes[order]
    a_unique, b_unique = pd.Index(a_unique), pd.Index(b_unique)
    a_names = pd.Index([names.get(i) for i in a_unique.tolist()], dtype=object)
    b_names = pd.Index([names.get(i) for i in b_unique.tolist()], dtype=object)
    return pd.DataFrame({
        "actor_a_id": a_unique.take(a_codes), "actor_a": a_names.take(a_codes),
        "actor_b_id": b_unique.take(b_codes), "actor_b": b_names.take(b_codes),
        "n_sentences": n_sentences[order], "n_documents": n_documents[order],
    }, columns=columns)
