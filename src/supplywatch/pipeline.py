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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .config import SEEDS_DIR
from .corpus import META_PREFIX, Corpus, Document, LoadReport, iter_corpus
from .text import Sentence, split_sentences

Rows = dict[str, list[dict]]


@dataclass
class Resources:
    """Everything the extractors share, loaded once per process on first use."""

    gazetteer_path: Path | None = None

    @cached_property
    def gazetteer(self):
        from .gazetteer import load_gazetteer

        return load_gazetteer(self.gazetteer_path)


Extractor = Callable[[Document, list[Sentence], Resources, Rows], Rows]
Aggregator = Callable[[dict[str, pd.DataFrame], Resources], dict[str, pd.DataFrame]]


def _extractors() -> list[Extractor]:
    """Per-article extractors, in the order their tables are written."""
    from .actors import extract_mentions
    from .quotes import extract_quotes
    from .shares import extract as extract_claims
    from .terms import extract_tokens
    from .tone import extract_sentence_tone
    from .unknown import extract_unknown

    # mentions first: later extractors read rows["mentions"]
    return [extract_mentions, extract_quotes, extract_sentence_tone, extract_tokens, extract_unknown, extract_claims]


def _accumulators() -> list[type]:
    """Streaming aggregates: each consumes one private per-article table chunk by chunk, as the
    engine delivers it (so that table is never held whole), and gives corpus-level tables at the end.

    An accumulator class has a ``consumes`` attribute (the table name), is built with the
    resources, and has ``add(part)`` (an Arrow table or a list of row dicts, in corpus order) and
    ``tables() -> {name: DataFrame}``.
    """
    from .terms import TermsAccumulator
    from .unknown import UnknownAccumulator

    return [TermsAccumulator, UnknownAccumulator]


def _aggregators() -> list[Aggregator]:
    """Corpus-level tables computed from the per-article ones."""
    from .actors import aggregate_comentions
    from .quotes import aggregate_quotes
    from .shares import aggregate_claims
    from .tone import aggregate_tone

    return [aggregate_comentions, aggregate_quotes, aggregate_tone, aggregate_claims]


def analyze_document(doc: Document, resources: Resources) -> Rows:
    """All per-article rows for one document (a pure function of the document and resources)."""
    sentences = split_sentences(doc.text)
    rows: Rows = {}
    for extract in _extractors():
        for name, table in extract(doc, sentences, resources, rows).items():
            rows.setdefault(name, []).extend(table)
    return rows


@dataclass
class AnalysisResult:
    """The tables of one analysis run, the load report and the corpus hash."""

    tables: dict[str, pd.DataFrame]
    report: LoadReport
    corpus_hash: str
    #: ``doc_id -> text``: a dict, or texts spooled to disk and read on first use
    #: (:class:`supplywatch.spool.SpooledTexts`).
    texts: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def documents(self) -> pd.DataFrame:
        return self.tables["documents"]


def analyze_corpus(
    path: str | os.PathLike | Corpus = SEEDS_DIR,
    *,
    gazetteer: str | os.PathLike | None = None,
    progress: bool = False,
    jobs: int | None = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache: bool | str | os.PathLike = True,
) -> AnalysisResult:
    """Load a corpus (or take a loaded one) and compute every table, or read them from the cache.

    Args:
        path: corpus folder or file, or an already loaded :class:`Corpus`.
        gazetteer: a user's own actor gazetteer file instead of ``data/actors.yaml``.
        progress: show a progress bar at a terminal.
        jobs: local worker processes (1 = this process, 0 or None = all cores).
        engine: ``local`` or ``dask`` (see :mod:`supplywatch.engine`).
        scheduler: a Dask scheduler address (``tcp://host:8786``); a LocalCluster when None.
        cache: reuse/store tables under ``data/cache`` (True), another cache folder, or False.

    Example:
        >>> analyze_corpus("seeds", jobs=2).tables["documents"].shape[0]   # doctest: +SKIP
        1
    """
    from .engine import analyze_stream, check_options

    check_options(jobs=jobs, engine=engine, scheduler=scheduler)
    store = key = quick = None
    if cache:
        from .cache import AnalysisCache

        store = AnalysisCache(None if cache is True else cache, gazetteer=gazetteer)
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
        fields = ("doc_id", "path", "text", "sha256", "date", "title", "source", "url")
        docs: Iterable[Document] = (
            Document(**{k: r[k] for k in fields},
                     meta={k[len(META_PREFIX):]: v for k, v in r.items() if k.startswith(META_PREFIX)})
            for r in path.documents.to_dict("records")
        )
        report = path.report
    else:
        report = LoadReport(root=str(path))
        docs = iter_corpus(path, report)
    if progress:
        from .progress import progress_bar

        docs = progress_bar(docs, desc="analysing", unit="doc")
    result = analyze_stream(docs, report, gazetteer_path=gazetteer, jobs=jobs, engine=engine,
                            scheduler=scheduler)
    if store is not None and key:
        store.store(result, key, quick=quick)
    return result


def write_tables(result: AnalysisResult, out: str | os.PathLike, *, parquet: bool = False) -> list[Path]:
    """Write every table as CSV under ``out`` (created if needed); return the paths written.

    With ``parquet=True`` each table is also written as ``<table>.parquet`` beside its CSV (typed,
    compressed, fast to read back for big corpora: ``pandas.read_parquet``).
    """
    from .io import write_csv

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

    from .io import atomic_write_bytes

    buffer = _io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return atomic_write_bytes(path, buffer.getvalue())
