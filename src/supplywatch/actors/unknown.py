"""Unknown actors: the recognised actors the gazetteer does not know yet, ranked, to grow it.

Every ``recognised`` mention of the ``mentions`` table (people, companies, organisations, agencies
and places found by :mod:`supplywatch.actors.recognised`) counts for its actor (``actor_id``), unless
the gazetteer knows the actor's name in some form (a name, alias, demonym, metonym or non-actor
phrase). Per actor the table gives the fullest name seen, the type most of its mentions have, the
number of mentions and of articles, and the first example (by ``doc_id``, then sentence). It is ranked
by ``n_mentions``, then ``n_documents``, then name.

Example:
    >>> from supplywatch.actors.gazetteer import Gazetteer
    >>> rows = [{"actor_id": "new:rare-metals-group", "actor": "Rare Metals Group", "actor_type": "company",
    ...          "origin": "recognised", "sentence_id": 0}]
    >>> [c["name"] for c in candidates("d1", rows, [], Gazetteer([]))]
    ['Rare Metals Group']
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from supplywatch.actors.matcher import fullness, matcher_for
from supplywatch.parts import part_column

#: Columns of the unknown-actors table, in order.
UNKNOWN_COLUMNS = ["name", "actor_id", "actor_type", "n_mentions", "n_documents", "example_doc_id",
                   "example_sentence"]
_APOS = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def _known(name: str, gazetteer, keys) -> bool:
    return name.translate(_APOS).lower() in keys or gazetteer.lookup(name) is not None


def candidates(doc_id: str, mentions: list[dict], sentences, gazetteer) -> list[dict]:
    """One article's recognised actors the gazetteer lacks, one row each for the private
    ``_unknown_candidates`` table: ``doc_id, actor_id, name, actor_type, n`` (its mentions in the
    article), ``sentence_id, sentence`` (its first)."""
    keys = matcher_for(gazetteer).keys
    known: dict[str, bool] = {}
    found: dict[str, dict] = {}
    for m in mentions:
        if m.get("origin") != "recognised":
            continue
        row = found.get(m["actor_id"])
        if row is not None:
            row["n"] += 1
            continue
        name = m["actor"]
        hidden = known.get(name)
        if hidden is None:
            hidden = known[name] = _known(name, gazetteer, keys)
        if not hidden:
            found[m["actor_id"]] = {"doc_id": doc_id, "actor_id": m["actor_id"], "name": name,
                                    "actor_type": m["actor_type"], "n": 1, "sentence_id": m["sentence_id"]}
    if found:
        texts = {s.sentence_id: s.text for s in sentences}
        for row in found.values():
            row["sentence"] = texts.get(row["sentence_id"], "")
    return list(found.values())


def extract_unknown(doc, sentences, resources, rows) -> dict[str, list[dict]]:
    """Pipeline extractor: the article's unknown-actor rows (reads ``rows["mentions"]``)."""
    found = candidates(doc.doc_id, rows.get("mentions", []), sentences, resources.gazetteer)
    return {"_unknown_candidates": found}


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["n_mentions", "n_documents", "name", "actor_id"],
                             ascending=[False, False, True, True], kind="stable").reset_index(drop=True)


def unknown_actors(partial: pd.DataFrame) -> pd.DataFrame:
    """Rank the candidate rows per ``actor_id``: fullest ``name``, ``actor_type`` of most mentions (ties:
    alphabetical), ``n_mentions``, ``n_documents``, first example (by doc, sentence)."""
    if partial is None or partial.empty:
        return pd.DataFrame(columns=UNKNOWN_COLUMNS)
    partial = partial.sort_values(["doc_id", "sentence_id"], kind="stable")
    rows = []
    for actor_id, group in partial.groupby("actor_id", sort=True):
        types = group.groupby("actor_type")["n"].sum()
        actor_type = sorted(types[types == types.max()].index)[0]
        rows.append((max(group["name"], key=fullness), actor_id, actor_type, int(group["n"].sum()),
                     group["doc_id"].nunique(), group["doc_id"].iloc[0], group["sentence"].iloc[0]))
    return _ranked(pd.DataFrame(rows, columns=UNKNOWN_COLUMNS))


class UnknownAccumulator:
    """Streaming aggregate for the pipeline: the ``unknown_actors`` table from ``_unknown_candidates``
    parts as they arrive (the candidate rows, each with its sentence, are never kept as a table).

    Per actor it keeps the counts, the names and types seen, and the example that comes first by
    ``(doc_id, sentence_id)``: the same as :func:`unknown_actors` over the whole table (a test checks
    it). An article's rows always arrive together, so a new ``doc_id`` for an actor is a new document.
    """

    consumes = "_unknown_candidates"
    #: Its table depends only on which articles were counted, not on their order (counts, the fullest
    #: name, the first example by ``(doc_id, sentence_id)``; ranked with ties by name and id).
    orderless = True

    def __init__(self, resources=None) -> None:
        # actor_id -> [n_mentions, n_documents, last doc, (doc, sentence_id), sentence, {name}, {type: n}]
        self._actors: dict[str, list] = {}
        # actor_id -> its finished table row, kept until the actor is counted again
        self._rows: dict[str, tuple] = {}
        # restored from a pickle (the article store's snapshot): each actor's state, unpickled only
        # when a new article names it, and the finished rows of all of them as one Arrow table; so a
        # restored accumulator fed a few articles finishes only the actors those articles name
        self._packed: dict[str, bytes] = {}
        self._packed_rows: pa.Table | None = None

    def __getstate__(self) -> dict:
        import pickle

        try:
            rows = self._table_rows()
        except (pa.ArrowException, TypeError, ValueError):
            rows = None
        if rows is None:  # rows Arrow cannot type: every actor pickled as it is
            for actor_id, blob in self._packed.items():
                self._actors[actor_id] = pickle.loads(blob)
            self._packed, self._packed_rows = {}, None
            self._finish_rows()
            return dict(self.__dict__)
        packed = dict(self._packed)
        packed.update((actor_id, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
                      for actor_id, state in self._actors.items())
        return {"_packed": packed, "_packed_rows": rows}

    def __setstate__(self, state: dict) -> None:
        self.__init__()
        self.__dict__.update(state)

    def add(self, part) -> None:
        import pickle

        actors, finished, packed = self._actors, self._rows, self._packed
        columns = ("doc_id", "actor_id", "name", "actor_type", "n", "sentence_id", "sentence")
        for doc_id, actor_id, name, actor_type, n, sentence_id, sentence in zip(
                *(part_column(part, k) for k in columns)):
            state = actors.get(actor_id)
            if state is None:
                blob = packed.pop(actor_id, None) if packed else None
                if blob is None:
                    actors[actor_id] = [n, 1, doc_id, (doc_id, sentence_id), sentence, {name}, {actor_type: n}]
                    continue
                state = actors[actor_id] = pickle.loads(blob)
            finished.pop(actor_id, None)
            state[0] += n
            if doc_id != state[2]:
                state[1] += 1
                state[2] = doc_id
            if (doc_id, sentence_id) < state[3]:
                state[3], state[4] = (doc_id, sentence_id), sentence
            state[5].add(name)
            state[6][actor_type] = state[6].get(actor_type, 0) + n

    def _finish_rows(self) -> None:
        finished = self._rows
        for actor_id, (n, docs, _last, first, sentence, names, types) in self._actors.items():
            if actor_id in finished:
                continue
            top = max(types.values())
            actor_type = min(t for t, c in types.items() if c == top)
            finished[actor_id] = (max(names, key=fullness), actor_id, actor_type, n, docs, first[0], sentence)

    def _untouched_rows(self) -> pa.Table:
        """The restored rows of actors no new article named."""
        import pyarrow.compute as pc

        rows = self._packed_rows
        if not self._actors:
            return rows
        touched = pa.array(list(self._actors), pa.string())
        return rows.filter(pc.invert(pc.is_in(rows.column("actor_id"), value_set=touched)))

    def _table_rows(self) -> pa.Table | None:
        """Every actor's finished row as one Arrow table (None when Arrow cannot type them)."""
        self._finish_rows()
        rows = _rows_table(list(self._rows.values()))
        if rows is None or self._packed_rows is None:
            return rows
        return pa.concat_tables([self._untouched_rows(), rows], promote_options="permissive")

    def tables(self) -> dict[str, pd.DataFrame]:
        if not self._actors and not (self._packed_rows is not None and self._packed_rows.num_rows):
            return {"unknown_actors": pd.DataFrame(columns=UNKNOWN_COLUMNS)}
        try:  # through Arrow: the dtypes the pipeline's tables get, faster than pandas' inference
            table = self._table_rows()
        except (pa.ArrowException, TypeError, ValueError):
            table = None
        if table is not None:
            frame = table.to_pandas()
        else:
            rows = list(self._rows.values())
            if self._packed_rows is not None:
                rows += [tuple(r.values()) for r in self._untouched_rows().to_pylist()]
            frame = pd.DataFrame(rows, columns=UNKNOWN_COLUMNS)
        return {"unknown_actors": _ranked(frame)}


def _rows_table(rows: list[tuple]) -> pa.Table | None:
    """Finished rows as an Arrow table with the unknown-actors columns (None when Arrow cannot type them)."""
    if not rows:
        return pa.table({name: pa.array([], pa.int64() if name.startswith("n_") else pa.string())
                         for name in UNKNOWN_COLUMNS})
    try:
        return pa.table({name: pa.array(list(values)) for name, values in zip(UNKNOWN_COLUMNS, zip(*rows))})
    except (pa.ArrowException, TypeError, ValueError):
        return None
