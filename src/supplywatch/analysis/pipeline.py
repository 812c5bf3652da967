"""The analysis pipeline: load a corpus, run every per-article extractor, aggregate, write tables.

Per-article work is a pure function of the article (and the resources loaded once), so it can run
on any number of workers. Each extractor takes ``(document, sentences, resources, rows)`` and
returns a dict ``{table name: [row dicts]}``; ``rows`` holds what earlier extractors produced for
the same article (the claims extractor reads the article's mentions from it). Each aggregator takes
the per-article tables (as DataFrames) and returns further corpus-level tables.

Example:
    >>> result = analyze_corpus("seeds")              # doctest: +SKIP
    >>> sorted(result.tables)                         # doctest: +SKIP
    ['documents', ...]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from supplywatch.analysis.result import AnalysisResult
from supplywatch.config import SEEDS_DIR
from supplywatch.corpus.loader import iter_corpus
from supplywatch.corpus.model import META_PREFIX, Corpus, Document, LoadReport
from supplywatch.corpus.records import FieldMap

#: The article store's folder inside the cache folder (see :mod:`supplywatch.analysis.store`).
ARTICLES_DIR = "articles"


def analyze_corpus(
    path: str | os.PathLike | Corpus = SEEDS_DIR,
    *,
    gazetteer: str | os.PathLike | None = None,
    progress: bool = False,
    jobs: int | None = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache: bool | str | os.PathLike = True,
    fields: Mapping[str, str] | Iterable[str] | None = None,
) -> AnalysisResult:
    """Load a corpus (or take a loaded one) and compute every table, or read them from the cache.

    Args:
        path: corpus folder or file, or an already loaded :class:`Corpus`.
        gazetteer: a user's own actor gazetteer file instead of ``data/actors.yaml``.
        progress: show a progress bar at a terminal.
        jobs: local worker processes (1 = this process, 0 or None = all cores).
        engine: ``local`` or ``dask`` (see :mod:`supplywatch.analysis.engine`).
        scheduler: a Dask scheduler address (``tcp://host:8786``); a LocalCluster when None.
        cache: reuse/store tables under ``data/cache`` (True), another cache folder, or False.
        fields: which record key holds each article field in JSON/CSV files, as a mapping
            (``{"text": "body"}``) or ``["text=body"]`` (the ``--field`` option); part of the cache key.

    Raises:
        CorpusError: the path does not exist, a ``fields`` entry is invalid, or no article loaded
            (the message says what was found and why).

    Example:
        >>> analyze_corpus("seeds", jobs=2).tables["documents"].shape[0]   # doctest: +SKIP
        1
    """
    from supplywatch.analysis.engine import check_options, fewer_collections

    check_options(jobs=jobs, engine=engine, scheduler=scheduler)
    with fewer_collections():
        return _analyze_corpus(path, gazetteer=gazetteer, progress=progress, jobs=jobs, engine=engine,
                               scheduler=scheduler, cache=cache, fields=fields)


def _analyze_corpus(path, *, gazetteer, progress, jobs, engine, scheduler, cache, fields) -> AnalysisResult:
    from supplywatch.analysis.engine import analyze_stream

    field_map = FieldMap.parse(fields)
    store = key = quick = None
    if cache:
        from supplywatch.analysis.cache import AnalysisCache

        store = AnalysisCache(None if cache is True else cache, gazetteer=gazetteer, fields=field_map)
        if isinstance(path, Corpus):
            key = store.documents_key(path.corpus_hash)
            hit = store.load(key, root=path.report.root)
        elif Path(path).exists():
            hit, key, quick = store.lookup_path(path)
        else:
            hit = None  # iter_corpus raises the CorpusError naming the path
        if hit is not None:
            return hit
    if isinstance(path, Corpus):
        docs: Iterable[Document] = _corpus_documents(path)
        report = path.report
    else:
        report = LoadReport(root=str(path))
        docs = iter_corpus(path, report, fields=field_map)
    if store is not None:
        result = _analyze_incremental(path, docs, report, store, gazetteer=gazetteer, progress=progress,
                                      jobs=jobs, engine=engine, scheduler=scheduler, fields=field_map)
    else:
        if progress:
            from supplywatch.progress import progress_bar

            docs = progress_bar(docs, desc="analysing", unit="doc")
        result = analyze_stream(docs, report, gazetteer_path=gazetteer, jobs=jobs, engine=engine,
                                scheduler=scheduler)
    if store is not None and key:
        store.store(result, key, quick=quick)
    return result


def _corpus_documents(corpus: Corpus) -> Iterable[Document]:
    columns = ("doc_id", "path", "text", "sha256", "date", "title", "source", "url")
    return (Document(**{k: r[k] for k in columns},
                     meta={k[len(META_PREFIX):]: v for k, v in r.items() if k.startswith(META_PREFIX)})
            for r in corpus.documents.to_dict("records"))


def _analyze_incremental(path, docs, report, cache, *, gazetteer, progress, jobs, engine, scheduler,
                         fields=None):
    """Analyse with the article store beside the whole-corpus cache: only new or changed articles
    are analysed (:mod:`supplywatch.analysis.incremental`); the plain way when the store cannot help."""
    from supplywatch.analysis.engine import analyze_stream
    from supplywatch.analysis.incremental import FALLBACK, analyze_with_store
    from supplywatch.analysis.store import ArticleStore
    from supplywatch.progress import progress_bar

    store = ArticleStore(cache.root / ARTICLES_DIR, cache.rkey)
    if not isinstance(path, Corpus):  # the store's version covers the field mapping (cache.rkey)
        docs = iter_corpus(path, report, fields=fields, read_file=store.read_file)
    if progress:
        docs = progress_bar(docs, desc="analysing", unit="doc")
    try:
        return analyze_with_store(docs, report, store, gazetteer_path=gazetteer, jobs=jobs, engine=engine,
                                  scheduler=scheduler)
    except FALLBACK:
        if isinstance(path, Corpus):
            docs = _corpus_documents(path)
        else:
            report = LoadReport(root=str(path))
            docs = iter_corpus(path, report, fields=fields)
        return analyze_stream(docs, report, gazetteer_path=gazetteer, jobs=jobs, engine=engine,
                              scheduler=scheduler)


def write_tables(result: AnalysisResult, out: str | os.PathLike, *, parquet: bool = False) -> list[Path]:
    """Write every table as CSV under ``out`` (created if needed); return the paths written.

    With ``parquet=True`` each table is also written as ``<table>.parquet`` beside its CSV (typed,
    compressed, fast to read back for big corpora: ``pandas.read_parquet``).
    """
    from supplywatch.io import write_csv

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in result.tables.items():
        written.append(write_csv(frame, out / f"{name}.csv"))
        if parquet:
            written.append(write_parquet(frame, out / f"{name}.parquet"))
    written.append(write_csv(result.report.to_frame(), out / "load_report.csv"))
    return written


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a table as Parquet, atomically (no index)."""
    import io as _io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from supplywatch.io import atomic_write_bytes

    buffer = _io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return atomic_write_bytes(path, buffer.getvalue())
