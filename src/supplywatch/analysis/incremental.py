"""Incremental analysis: analyse only new or changed articles, rebuild the corpus tables from stored rows.

:func:`analyze_with_store` walks the corpus once, in order. Each article's key
(:func:`supplywatch.analysis.store.article_key`) says whether the article store already holds its
per-article rows; only the others go to the engine (``--jobs``, Dask: as usual), and their rows
are written to a new segment of the store as they arrive. Then the per-article tables are rebuilt
in corpus order from the stored and the new rows, the streaming aggregates (terms, unknown actors,
near-duplicate signatures, and the co-mention counts and recognised names of the mentions,
:mod:`supplywatch.actors.comentions`) are fed — from a snapshot when one fits (:func:`_snapshot_for`:
every aggregate when the corpus only grew at its end; the order-independent ones when it grew in
the middle or lost or changed articles, which are then taken back), so only the articles the
snapshot lacks are fed — and every corpus-level table is aggregated as
:func:`supplywatch.analysis.engine.analyze_stream` does. Articles no longer in the corpus are
simply not read: they drop out of every table.

The tables equal a ``--no-cache`` run row for row and byte for byte (tested), because the
per-article work is a pure function of the article and the analysis version, and everything after
it is the same code on the same rows in the same order, except that the co-mentions and the
recognised actors' names come from the mentions' accumulator rather than a pass over the whole
mentions table (tests hold the two equal).
"""

from __future__ import annotations

from itertools import groupby

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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


#: Articles read from the corpus at a time: each run of replayed ones goes to the spool as one slice of
#: their stored documents rows (the engine still cuts the new ones into chunks of ``chunk_size``).
REPLAY_CHUNK = 1024
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
        for chunk in _chunks(docs, max(chunk_size, REPLAY_CHUNK)):
            for replayed, run in groupby(chunk, key=store.replayed):
                run = list(run)
                part = store.documents_part(run) if replayed else None
                if part is None:
                    spool_documents(spool, run)
                else:  # replayed articles: the stored documents rows, the same table without Python rows
                    spool.add("documents", part)
                    spool.add(TEXTS, pa.table({"doc_id": pa.array([d.doc_id for d in run], pa.string()),
                                               "text": pa.array([d.analysed_text for d in run], pa.string())}))
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
    snap, streams, covered = _snapshot_for(store, order, positions, accumulators, resources)
    keys_in_order = pa.array(order, pa.string())
    analysed = set(segment.keys)
    stored_keys = [k for k in positions if k not in analysed and store.has(k)]
    skip: dict[str, set[str]] = {}
    covered_keys: dict[int, set[str]] = {}  # the tables restored from one snapshot share one mask
    for name, mask in covered.items():
        if name in consumed - observed:
            if id(mask) not in covered_keys:
                covered_keys[id(mask)] = {order[i] for i in np.flatnonzero(mask)}
            skip[name] = covered_keys[id(mask)]
    rows, order_names, missing = store.read_rows(stored_keys, skip_tables=skip)
    if missing:  # segments evicted under us: analyse those articles too (rare)
        raise _StoreChanged()
    names = order_names + [n for n in new_names if n not in order_names]
    for name in new_names:
        rows.setdefault(name, []).extend(_segment_parts(segment, name))
    for name in names:
        if name in observed:  # the whole table kept, the rows a snapshot does not hold fed
            table, rest = _in_corpus_order(rows.get(name, []), keys_in_order, covered=covered.get(name), split=True)
            if rest is not None and name in streams:
                streams[name].add(rest)
            spool.put(name, pa.table({}) if table is None else table)
        elif name in consumed:
            table = _in_corpus_order(rows.get(name, []), keys_in_order, skip=covered.get(name))
            if table is not None and name in streams:
                streams[name].add(table)
        else:
            table = _in_corpus_order(rows.get(name, []), keys_in_order)
            # held whole already: kept in memory, not written to the spool and read back
            spool.put(name, pa.table({}) if table is None else table)  # no rows at all: as the engine's parts
    n_covered = max((int(mask.sum()) for mask in covered.values()), default=0)

    def snapshot(fed_streams):
        # a new snapshot only when the one used (if any) left more than SNAPSHOT_TAIL of the corpus to feed
        fresh = snap is None or len(order) - n_covered > SNAPSHOT_TAIL * len(order)
        store.commit(segment, snapshot=fed_streams if fresh else None, order_keys=order,
                     used_snapshot=snap["id"] if snap else None)

    if stats is not None:
        stats.update(articles=len(order), analysed=len(segment.keys),
                     stored=len(stored_keys), snapshot=n_covered)
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


def _snapshot_for(store: ArticleStore, order: list[str], positions: dict[str, int], accumulators, resources):
    """The snapshot to start the streaming aggregates from: ``(entry, {table: accumulator}, {table: mask})``.

    ``mask[i]`` is True when the restored accumulator of that table already counted the article at
    position ``i`` of ``order``. The newest snapshot whose articles are a prefix of ``order`` restores
    every accumulator. Failing that (articles inserted in the middle, changed or removed), the
    newest snapshot that shares articles with the corpus restores the ``orderless`` accumulators (whose
    tables depend only on which articles they counted, not on the order: see
    :func:`supplywatch.analysis.document._accumulators`): the articles it counted that the corpus no
    longer has are taken back (``retract``, from their stored rows), and an accumulator that cannot
    take them back starts empty, as do the others; those are fed every article. With no usable
    snapshot every accumulator starts empty (``entry`` None, no masks).
    """
    fresh = {acc.consumes: acc for acc in accumulators}
    snaps = store.snapshots()
    for snap in snaps:
        n = int(snap.get("n", 0))
        if 0 < n <= len(order) and chain_hash(order[:n]) == snap.get("chain"):
            streams = store.load_snapshot(snap)
            if isinstance(streams, dict) and set(streams) == set(fresh):
                mask = np.zeros(len(order), dtype=bool)
                mask[:n] = True
                return snap, streams, {name: mask for name in streams}
    orderless = {name for name, acc in fresh.items() if getattr(acc, "orderless", False)}
    empty = {name: acc(resources) for name, acc in fresh.items()}
    if len(positions) != len(order) or not orderless:  # (an article twice: keys do not name articles)
        return None, empty, {}
    for snap in snaps:
        keys = store.snapshot_keys(snap)
        if not keys:
            continue
        kept = [positions[k] for k in keys if k in positions]
        removed = [k for k in keys if k not in positions]
        if len(kept) <= len(removed) or (removed and len(set(removed)) != len(removed)):
            continue  # mostly another corpus: feeding ours costs less than taking theirs back
        streams = store.load_snapshot(snap)
        if not isinstance(streams, dict) or not orderless <= set(streams):
            continue
        restored = {name: streams[name] for name in orderless}
        if removed:
            restored = _retract(store, restored, removed)
        if not restored:
            continue
        mask = np.zeros(len(order), dtype=bool)
        mask[kept] = True
        return snap, {**empty, **restored}, {name: mask for name in restored}
    return None, empty, {}


def _retract(store: ArticleStore, streams: dict, removed: list[str]) -> dict:
    """The restored accumulators that took back the ``removed`` articles (read from the store)."""
    rows, _, missing = store.read_rows(removed, only=set(streams))
    if missing:  # their rows were evicted: nothing can be taken back
        return {}
    where = pa.array(removed, pa.string())
    done = {}
    for name, stream in streams.items():
        part = _in_corpus_order(rows.get(name, []), where)
        if part is None or (hasattr(stream, "retract") and stream.retract(part)):
            done[name] = stream
    return done


def _in_corpus_order(pieces: list[pa.Table], keys: pa.Array, *, skip: np.ndarray | None = None,
                     covered: np.ndarray | None = None, split: bool = False):
    """One table of rows from ``pieces`` (each with a ``_key`` column) in corpus order, without ``_key``.

    ``keys`` are the article keys in corpus order (an article's position is where its key first
    occurs); rows of other keys are left out, and so are rows of articles whose position is True in the mask ``skip``. With ``split``,
    returns ``(table, rest)``: ``rest`` holds the rows of the articles whose position is not True in
    ``covered`` (None when there are none), in corpus order. Columns are ordered as the engine's
    chunks would have them: first those of the rows that come first in the corpus. Returns None
    when no piece has a row (the table then has no rows at all), or the rows as dicts when Arrow
    cannot unify the pieces' types (as :func:`supplywatch.parts.concat_parts` would).
    """
    with_rows = []
    for piece in pieces:
        if not piece.num_rows:
            continue
        found = pc.index_in(piece.column(KEY_COLUMN), value_set=keys)  # hashed by Arrow, not per row in Python
        pos = pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
        keep = pos >= 0
        if skip is not None:
            keep[keep] = ~skip[pos[keep]]
        if not keep.all():
            piece, pos = piece.filter(pa.array(keep)), pos[keep]
        if len(pos):
            with_rows.append((int(pos.min()), piece, pos))
    if not with_rows:
        return (None, None) if split else None
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
    if not split:
        return table
    fed = np.ones(len(position), dtype=bool) if covered is None else ~covered[position[order]]
    if not fed.any():
        return table, None
    first = int(np.argmax(fed))
    if fed[first:].all():  # the usual case: the rows after a prefix (no copy)
        rest = table[first:] if isinstance(table, list) else table.slice(first)
    elif isinstance(table, list):
        rest = [row for row, f in zip(table, fed.tolist()) if f]
    else:
        rest = table.filter(pa.array(fed))
    return table, rest
