"""Incremental analysis: analyse only new or changed articles, rebuild the corpus tables from stored rows.

:func:`analyze_with_store` walks the corpus once, in order. Each article's key
(:func:`supplywatch.analysis.store.article_key`) says whether the article store already holds its
per-article rows; only the others go to the engine (``--jobs``, Dask: as usual), and their rows
are written to a new segment of the store as they arrive. Then the per-article tables are rebuilt
in corpus order from the stored and the new rows, the streaming aggregates (terms, unknown actors,
near-duplicate signatures, and the co-mention counts and recognised names of the mentions,
:mod:`supplywatch.actors.comentions`) are fed — from a snapshot when the corpus only grew at its
end, so only the new articles are fed — and every corpus-level table is aggregated as
:func:`supplywatch.analysis.engine.analyze_stream` does. Articles no longer in the corpus are
simply not read: they drop out of every table.

The tables equal a ``--no-cache`` run row for row and byte for byte (tested), because the
per-article work is a pure function of the article and the analysis version, and everything after
it is the same code on the same rows in the same order, except that the co-mentions and the
recognised actors' names come from the mentions' accumulator rather than a pass over the whole
mentions table (tests hold the two equal).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from supplywatch.analysis.engine import (
    DEFAULT_CHUNK_SIZE,
    _chunks,
    _resources,
    finish,
    run_engine,
    spool_documents,
    take_failures,
)
from supplywatch.analysis.store import KEY_COLUMN, ArticleStore, article_key, chain_hash


#: A new snapshot of the streaming aggregates is stored when the one used left more than this
#: share of the corpus to feed (writing one costs about as much as feeding a few % of the articles).
SNAPSHOT_TAIL = 0.05


def analyze_with_store(docs, report, store: ArticleStore, *, gazetteer_path=None, jobs=1, engine="local",
                       scheduler=None, chunk_size: int = DEFAULT_CHUNK_SIZE, stats: dict | None = None):
    """Analyse ``docs`` using and filling ``store``; the same AnalysisResult as a ``--no-cache`` run.

    ``stats`` (a dict, optional) receives ``articles``, ``analysed`` (new or changed articles),
    ``stored`` (rows read from the store) and ``snapshot`` (articles covered by a snapshot).
    """
    from supplywatch.analysis.document import _accumulators
    from supplywatch.analysis.spool import TEXTS, Spool

    resources = _resources(str(gazetteer_path) if gazetteer_path else None)
    spool = Spool(ipc=True)  # read back at once: uncompressed Arrow IPC, faster than Parquet
    order: list[str] = []
    segment = store.new_segment()

    def walk():
        for chunk in _chunks(docs, chunk_size):
            part = store.documents_part(chunk)
            if part is None:
                spool_documents(spool, chunk)
            else:  # replayed articles: the stored documents rows, the same table without Python rows
                spool.add("documents", part)
                spool.add(TEXTS, pa.table({"doc_id": pa.array([d.doc_id for d in chunk], pa.string()),
                                           "text": pa.array([d.analysed_text for d in chunk], pa.string())}))
            for doc in chunk:
                key = article_key(doc)
                order.append(key)
                if not store.has(key):
                    yield doc

    new_names: list[str] = []
    for chunk, part in run_engine(walk(), gazetteer_path=gazetteer_path, jobs=jobs, engine=engine,
                                  scheduler=scheduler, chunk_size=chunk_size, keyed=True):
        failed = take_failures(part, report)  # not stored: analysed (and reported) again next run
        segment.add([article_key(d) for d in chunk if d.doc_id not in failed], part)
        new_names.extend(n for n in part if n not in new_names)
        if not segment.ok:
            break
    if not segment.ok:  # rows the store cannot hold (hostile input): analyse the plain way
        segment.discard()
        raise _Untypeable()
    segment.spool.close() if segment.spool is not None else None

    positions = {key: i for i, key in reversed(list(enumerate(order)))}
    accumulators = list(_accumulators())
    consumed = {acc.consumes for acc in accumulators}
    observed = {acc.consumes for acc in accumulators if getattr(acc, "observes", False)}  # kept whole too
    snap, streams = _snapshot_for(store, order, resources)
    covered = set(order[:snap["n"]]) if snap else set()
    analysed = set(segment.keys)
    stored_keys = [k for k in positions if k not in analysed and store.has(k)]
    rows, order_names, missing = store.read_rows(stored_keys, skip_tables={n: covered for n in consumed - observed})
    if missing:  # segments evicted under us: analyse those articles too (rare)
        raise _StoreChanged()
    names = order_names + [n for n in new_names if n not in order_names]
    for name in new_names:
        rows.setdefault(name, []).extend(_segment_parts(segment, name))
    if streams is None:
        streams = {acc.consumes: acc(resources) for acc in accumulators}
    for name in names:
        if name in observed:  # the whole table kept, its rows after the snapshot fed
            table, tail = _in_corpus_order(rows.get(name, []), positions, split=snap["n"] if snap else 0)
            if tail is not None and name in streams:
                streams[name].add(tail)
            spool.put(name, pa.table({}) if table is None else table)
        elif name in consumed:
            table = _in_corpus_order(rows.get(name, []), positions, start=snap["n"] if snap else 0)
            if table is not None and name in streams:
                streams[name].add(table)
        else:
            table = _in_corpus_order(rows.get(name, []), positions)
            # held whole already: kept in memory, not written to the spool and read back
            spool.put(name, pa.table({}) if table is None else table)  # no rows at all: as the engine's parts

    def snapshot(fed_streams):
        # a new snapshot only when the one used (if any) left more than SNAPSHOT_TAIL of the corpus to feed
        fresh = snap is None or len(order) - snap["n"] > SNAPSHOT_TAIL * len(order)
        store.commit(segment, snapshot=fed_streams if fresh else None, order_keys=order,
                     used_snapshot=snap["id"] if snap else None)

    if stats is not None:
        stats.update(articles=len(order), analysed=len(segment.keys),
                     stored=len(stored_keys), snapshot=snap["n"] if snap else 0)
    return finish(spool, streams, resources, report, before_tables=snapshot if order else None)


class _Untypeable(Exception):
    """New rows Arrow cannot type: the caller falls back to the plain analysis."""


class _StoreChanged(Exception):
    """Stored rows vanished while reading (another process evicted them): the caller falls back."""


FALLBACK = (_Untypeable, _StoreChanged)


def _segment_parts(segment, name: str) -> list[pa.Table]:
    from supplywatch.analysis.spool import read_part

    files = segment.spool.files(name) if segment.spool is not None else None
    return [read_part(f) for f in files or []]


def _snapshot_for(store: ArticleStore, order: list[str], resources):
    """The newest snapshot whose article keys are a prefix of ``order`` and its streams (or None, None)."""
    for snap in store.snapshots():
        n = int(snap.get("n", 0))
        if 0 < n <= len(order) and chain_hash(order[:n]) == snap.get("chain"):
            streams = store.load_snapshot(snap)
            if isinstance(streams, dict):
                return snap, streams
    return None, None


def _in_corpus_order(pieces: list[pa.Table], positions: dict[str, int], *, start: int = 0,
                     split: int | None = None):
    """One table of rows from ``pieces`` (each with a ``_key`` column) in corpus order, without ``_key``.

    Rows of articles before position ``start`` are left out. With ``split``, returns
    ``(table, tail)``: tail holds the rows of articles from position ``split`` on (None when none). Columns are ordered as the engine's
    chunks would have them: first those of the rows that come first in the corpus. Returns None
    when no piece has a row (the table then has no rows at all), or the rows as dicts when Arrow
    cannot unify the pieces' types (as :func:`supplywatch.parts.concat_parts` would).
    """
    with_rows = []
    for piece in pieces:
        if not piece.num_rows:
            continue
        pos = np.fromiter((positions.get(k, -1) for k in piece.column(KEY_COLUMN).to_pylist()),
                          dtype=np.int64, count=piece.num_rows)
        keep = pos >= start
        if not keep.all():
            piece, pos = piece.filter(pa.array(keep)), pos[keep]
        if len(pos):
            with_rows.append((int(pos.min()), piece, pos))
    if not with_rows:
        return (None, None) if split is not None else None
    with_rows.sort(key=lambda t: t[0])
    columns: list[str] = []
    for _, piece, _ in with_rows:
        columns.extend(c for c in piece.column_names if c != KEY_COLUMN and c not in columns)
    position = np.concatenate([p for _, _, p in with_rows])
    in_order = bool((position[1:] >= position[:-1]).all())  # the usual case: stored in corpus order
    order = np.arange(len(position)) if in_order else np.argsort(position, kind="stable")
    try:
        table = pa.concat_tables([p for _, p, _ in with_rows], promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        rows = [r for _, p, _ in with_rows for r in p.to_pylist()]
        table = [{k: v for k, v in rows[i].items() if k != KEY_COLUMN} for i in order]
    else:
        table = (table if in_order else table.take(pa.array(order))).select(columns)
    if split is None:
        return table
    cut = int(np.searchsorted(position[order], split))
    tail = table[cut:] if isinstance(table, list) else table.slice(cut)
    return table, (tail if len(tail) else None)
