"""Engines that run the per-article work: in this process, on local cores, or on a Dask cluster.

Every engine does the same thing: documents are cut into chunks (in corpus order), each chunk goes
through :func:`analyze_chunk` (every extractor of :func:`supplywatch.analysis.document.analyze_document`,
with the shared resources loaded once per worker process) and comes back as one columnar Arrow
table per output table. Chunks are consumed in corpus order, so every engine and every ``jobs``
value gives the same tables, row for row. At most a few chunks per worker are in flight, and
:func:`analyze_stream` writes each part to Parquet as it arrives (:mod:`supplywatch.analysis.spool`), so
memory stays bounded however large the corpus.

* ``local`` with ``jobs=1``: in this process (no pickling, simplest to debug).
* ``local`` with ``jobs=N``: a :class:`concurrent.futures.ProcessPoolExecutor` of N processes, each
  loading the resources once (pool initializer).
* ``dask``: :mod:`dask.distributed`; a ``LocalCluster`` (2 worker processes) when no scheduler
  address is given, else the cluster at that address (``tcp://host:8786``). Workers need the same
  supplywatch installed (and data/ files); documents travel to them as data, so they need no access
  to the corpus files.

Example:
    >>> from supplywatch.corpus import iter_corpus
    >>> for chunk, part in run_engine(iter_corpus("seeds"), jobs=2):   # doctest: +SKIP
    ...     part["mentions"].num_rows
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import pandas as pd
import pyarrow as pa

from supplywatch.corpus.model import Document, Problem
from supplywatch.exceptions import ParameterError, SupplywatchError
from supplywatch.parts import normalize_frame, rows_to_table

#: Engines ``analyze --engine`` accepts.
ENGINES = ("local", "dask")
#: Documents per chunk sent to a worker.
DEFAULT_CHUNK_SIZE = 64
#: Chunks in flight per worker (bounds memory; keeps every worker busy).
IN_FLIGHT_PER_WORKER = 3

#: A chunk's result: table name -> Arrow table (or the raw rows when Arrow cannot type them).
Part = dict[str, "pa.Table | list[dict]"]

_WORKER_RESOURCES: dict[str | None, object] = {}

#: Garbage-collector thresholds while a corpus is analysed (Python's default is ``(700, 10, 10)``). The
#: analysis allocates millions of short-lived tuples, lists and dicts that reference counting frees at
#: once; with the default a young-generation collection runs every 700 net allocations and a full one
#: (walking every live object: the resources, the accumulators' state) about ten times over
#: Reuters-21578, together ~13 % of the CPU time of one job. Peak memory is unchanged (measured), since
#: the analysis makes almost no reference cycles.
GC_THRESHOLDS = (50_000, 20, 20)


@contextmanager
def fewer_collections():
    """Run the block with :data:`GC_THRESHOLDS`; the previous thresholds are restored after it (also on
    an error), so a notebook's kernel keeps its own settings."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def check_options(*, jobs: int | None, engine: str, scheduler: str | None) -> int:
    """Validate engine options; return the number of jobs to use (``None`` or 0 -> all cores).

    Raises:
        ParameterError: an unknown engine, a negative job count, or a scheduler without Dask.
    """
    if engine not in ENGINES:
        raise ParameterError(f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise ParameterError(f"--scheduler {scheduler!r} needs --engine dask")
    if jobs is None or jobs == 0:
        return default_jobs()
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 0:
        raise ParameterError(f"jobs must be a positive number of processes (0 = all cores), got {jobs!r}")
    return jobs


def _resources(gazetteer_path: str | None):
    """The worker's shared resources for this gazetteer, built once per process."""
    from supplywatch.analysis.document import Resources

    res = _WORKER_RESOURCES.get(gazetteer_path)
    if res is None:
        res = Resources(gazetteer_path=Path(gazetteer_path) if gazetteer_path else None)
        _WORKER_RESOURCES[gazetteer_path] = res
    return res


def _init_worker(gazetteer_path: str | None) -> None:
    gc.set_threshold(*GC_THRESHOLDS)  # a pool worker lives for one analysis
    _resources(gazetteer_path)


def analyze_chunk(docs: list[Document], gazetteer_path: str | None = None, keyed: bool = False) -> Part:
    """Every per-article table for a chunk of documents, in document order (a pure function).

    With ``keyed``, every table also gets a last column ``_key``: the article key of each row
    (:func:`supplywatch.analysis.store.article_key`), so the article store can keep rows per article.

    Example:
        >>> part = analyze_chunk([doc])     # doctest: +SKIP
        >>> part["mentions"].num_rows       # doctest: +SKIP
    """
    from supplywatch.analysis.document import _chunk_extractors, analyze_document

    resources = _resources(gazetteer_path)
    collected: dict[str, list[dict]] = {}
    owners: dict[str, list[str]] = {}
    chunk_keys: list[str | None] = [None] * len(docs)
    if keyed:
        from supplywatch.analysis.store import article_key

        chunk_keys = [article_key(doc) for doc in docs]
    failed: list[dict] = []
    for doc, key in zip(docs, chunk_keys):
        try:
            tables = analyze_document(doc, resources)
        except (SupplywatchError, MemoryError):
            raise  # a broken resource file (gazetteer, lexicon) or no memory: the whole run stops, clearly
        except Exception as exc:  # noqa: BLE001 - one article never sinks a corpus: reported, kept without rows
            failed.append({"doc_id": doc.doc_id, "path": doc.path,
                           "error": f"{type(exc).__name__}: {str(exc)[:300]}"})
            continue
        for name, rows in tables.items():
            collected.setdefault(name, []).extend(rows)
            if keyed:
                owners.setdefault(name, []).extend([key] * len(rows))
    keys = {doc.doc_id: key for doc, key in zip(docs, chunk_keys)} if keyed else {}
    for extract in _chunk_extractors():
        for name, rows in extract(docs, resources).items():
            collected.setdefault(name, []).extend(rows)
            if keyed:  # one row per article, named by its doc_id
                owners.setdefault(name, []).extend(keys[row["doc_id"]] for row in rows)
    part = {name: rows_to_table(rows) for name, rows in collected.items()}
    if keyed:
        from supplywatch.analysis.store import KEY_COLUMN

        for name, table in part.items():
            if isinstance(table, pa.Table):
                part[name] = table.append_column(KEY_COLUMN, pa.array(owners.get(name, []), pa.string()))
            else:
                for row, key in zip(table, owners.get(name, [])):
                    row[KEY_COLUMN] = key
    if failed:
        part[FAILED] = failed
    return part


#: The part entry listing the chunk's articles whose analysis raised (``doc_id``, ``path``, ``error``); taken
#: out of the part by :func:`take_failures` before any table is stored.
FAILED = "_failed"


def take_failures(part: Part, report) -> set[str]:
    """Remove :data:`FAILED` from ``part``, file each failure in ``report`` as an error naming the article,
    and return the failed ``doc_id`` s (their articles stay in the documents table, without rows)."""
    failed = part.pop(FAILED, None) or []
    if report is not None:
        for f in failed:
            report.add(Problem(f["path"], None, "error",
                               f"article {f['doc_id']}: its analysis failed ({f['error']}); it is kept in "
                               "documents.csv without mentions, claims or quotes, and the other articles are "
                               "analysed; please report this with the article"))
    return {f["doc_id"] for f in failed}


def _chunks(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(docs)
    while chunk := list(islice(it, size)):
        yield chunk


def run_engine(
    docs: Iterable[Document],
    *,
    gazetteer_path: str | os.PathLike | None = None,
    jobs: int | None = 1,
    engine: str = "local",
    scheduler: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    n_workers: int = 2,
    keyed: bool = False,
) -> Iterator[tuple[list[Document], Part]]:
    """Run the per-article work; yield ``(chunk, part)`` pairs in corpus order.

    Args:
        docs: the documents (a stream; read lazily, a few chunks ahead of the workers).
        gazetteer_path: a user's gazetteer instead of the bundled one.
        jobs: local processes (1 = this process; 0 or None = all cores). Ignored by ``dask``.
        engine: ``local`` or ``dask``.
        scheduler: a Dask scheduler address; a LocalCluster of ``n_workers`` processes when None.
        chunk_size: documents per task.
        n_workers: LocalCluster size when ``engine="dask"`` and no scheduler is given.
        keyed: give every table an ``_key`` column (see :func:`analyze_chunk`).
    """
    n_jobs = check_options(jobs=jobs, engine=engine, scheduler=scheduler)
    gaz = str(gazetteer_path) if gazetteer_path else None
    chunks = _chunks(docs, chunk_size)
    if engine == "dask":
        yield from _run_dask(chunks, gaz, scheduler=scheduler, n_workers=n_workers, keyed=keyed)
    elif n_jobs == 1:
        for chunk in chunks:
            yield chunk, analyze_chunk(chunk, gaz, keyed)
    else:
        yield from _run_pool(chunks, gaz, jobs=n_jobs, keyed=keyed)


def _ordered(submit, chunks: Iterator[list[Document]], window: int) -> Iterator[tuple[list[Document], Part]]:
    """Keep ``window`` chunks in flight; yield results in submission (corpus) order."""
    pending: deque[tuple[list[Document], Future]] = deque()
    for chunk in chunks:
        pending.append((chunk, submit(chunk)))
        if len(pending) >= window:
            done_chunk, fut = pending.popleft()
            yield done_chunk, fut.result()
    while pending:
        done_chunk, fut = pending.popleft()
        yield done_chunk, fut.result()


def _run_pool(chunks: Iterator[list[Document]], gaz: str | None, *, jobs: int,
              keyed: bool = False) -> Iterator[tuple[list[Document], Part]]:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                             initargs=(gaz,)) as pool:
        yield from _ordered(lambda chunk: pool.submit(analyze_chunk, chunk, gaz, keyed), chunks,
                            jobs * IN_FLIGHT_PER_WORKER)


def _run_dask(chunks: Iterator[list[Document]], gaz: str | None, *, scheduler: str | None,
              n_workers: int, keyed: bool = False) -> Iterator[tuple[list[Document], Part]]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask is installed in .venv
        raise ParameterError(
            "--engine dask needs dask.distributed: pip install 'supplywatch[dask]'"
        ) from exc
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise ParameterError(
                f"cannot reach the Dask scheduler at {scheduler!r} ({exc}); start one with "
                "`dask scheduler` and workers with `dask worker ADDRESS`"
            ) from exc
    else:
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or n_workers)
        yield from _ordered(
            lambda chunk: client.submit(analyze_chunk, chunk, gaz, keyed, pure=False), chunks,
            workers * IN_FLIGHT_PER_WORKER,
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def analyze_stream(
    docs: Iterable[Document],
    report,
    *,
    gazetteer_path: str | os.PathLike | None = None,
    jobs: int | None = 1,
    engine: str = "local",
    scheduler: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    spool_dir: str | os.PathLike | None = None,
):
    """Analyse a stream of documents with an engine and aggregate: an AnalysisResult.

    Per-article tables and texts are streamed to Parquet (:class:`supplywatch.analysis.spool.Spool`, in
    ``spool_dir`` or a temporary folder) as chunks arrive and read back once at the end; the
    terms are counted as they arrive (:func:`supplywatch.analysis.document._accumulators`). So memory
    holds the finished tables, not the corpus.

    The documents table is sorted by ``doc_id``; per-article tables keep corpus order; every table
    passes through Arrow, so a fresh result equals one read back from the cache.

    Raises:
        CorpusError: not one document came (every file skipped or broken): the message says what
            was found and why nothing loaded (:meth:`~supplywatch.corpus.model.LoadReport.nothing_loaded`).

    Example:
        >>> from supplywatch.corpus import LoadReport, iter_corpus
        >>> report = LoadReport(root="seeds")
        >>> result = analyze_stream(iter_corpus("seeds", report), report, jobs=2)  # doctest: +SKIP
    """
    from supplywatch.analysis.document import _accumulators
    from supplywatch.analysis.spool import Spool

    resources = _resources(str(gazetteer_path) if gazetteer_path else None)
    spool = Spool(spool_dir)
    # accumulators that observe a kept table exist to be snapshotted by the article store: a plain
    # run leaves that table to its aggregator (the same result, a faster pass over the whole table)
    streams = {acc.consumes: acc(resources) for acc in _accumulators() if not getattr(acc, "observes", False)}
    for chunk, part in run_engine(docs, gazetteer_path=gazetteer_path, jobs=jobs, engine=engine,
                                  scheduler=scheduler, chunk_size=chunk_size):
        spool_documents(spool, chunk)
        take_failures(part, report)
        for name, table in part.items():
            if name in streams:
                streams[name].add(table)
            else:
                spool.add(name, table)
    return finish(spool, streams, resources, report)


def spool_documents(spool, chunk: list[Document]) -> None:
    """Add one chunk's documents rows (without text) and texts to the spool."""
    from supplywatch.analysis.spool import TEXTS

    rows, ids, texts = [], [], []
    for doc in chunk:
        row = doc.as_row()
        ids.append(doc.doc_id)
        row.pop("text")
        texts.append(doc.analysed_text)  # what the offsets of every table index
        rows.append(row)
    spool.add("documents", rows_to_table(rows))
    spool.add(TEXTS, pa.table({"doc_id": pa.array(ids, pa.string()), "text": pa.array(texts, pa.string())}))


def finish(spool, streams: dict, resources, report, *, before_tables=None):
    """The AnalysisResult from a filled spool and fed streaming accumulators: the documents table,
    the per-article tables, the accumulators' tables, then every aggregator's.

    ``before_tables(streams)`` is called once every part is in, before the accumulators give their
    tables (the article store snapshots them there).
    """
    from supplywatch.analysis.document import _aggregators
    from supplywatch.analysis.result import AnalysisResult
    from supplywatch.analysis.spool import TEXTS
    from supplywatch.corpus.model import DOCUMENT_COLUMNS, corpus_hash
    from supplywatch.exceptions import CorpusError

    spool.close()
    documents = spool.frame("documents")
    if not len(documents):
        raise CorpusError(report.nothing_loaded() if report is not None else "no article to analyse")
    if before_tables is not None:
        before_tables(streams)
    columns = [c for c in DOCUMENT_COLUMNS if c != "text"]
    extra = [c for c in documents.columns if c not in columns]
    documents = documents[columns + extra].sort_values("doc_id", kind="stable").reset_index(drop=True)
    tables: dict[str, pd.DataFrame] = {"documents": normalize_frame(documents)}
    # accumulators that read texts (near-duplicates) finish first and free their state before the
    # per-article tables are read back from the spool, so their memory never adds to the peak
    early = {key: acc.tables(texts=spool.texts())
             for key, acc in streams.items() if getattr(acc, "needs_texts", False)}
    for name in spool.names():
        if name not in ("documents", TEXTS):
            tables[name] = spool.frame(name)
    private = []
    for key, accumulator in streams.items():
        out = early[key] if key in early else accumulator.tables()
        tables.update((name, normalize_frame(frame)) for name, frame in out.items())
        private.extend(name for name in out if name.startswith("_"))
    for aggregate in _aggregators():
        for name, frame in aggregate(tables, resources).items():
            tables[name] = normalize_frame(frame)
    for name in private:  # an accumulator's tables for the aggregators only
        tables.pop(name, None)
    return AnalysisResult(tables=tables, report=report, corpus_hash=corpus_hash(documents), texts=spool.texts())
