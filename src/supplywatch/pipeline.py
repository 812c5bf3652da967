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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .config import SEEDS_DIR
from .corpus import DOCUMENT_COLUMNS, Corpus, Document, LoadReport, corpus_hash, iter_corpus
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
    return []


def _aggregators() -> list[Aggregator]:
    """Corpus-level tables computed from the per-article ones."""
    return []


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
    texts: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def documents(self) -> pd.DataFrame:
        return self.tables["documents"]


def analyze_documents(docs: Iterable[Document], resources: Resources, report: LoadReport) -> AnalysisResult:
    """Run every extractor over a stream of documents and aggregate."""
    doc_rows: list[dict] = []
    collected: Rows = {}
    texts: dict[str, str] = {}
    for doc in docs:
        row = doc.as_row()
        texts[doc.doc_id] = row.pop("text")
        doc_rows.append(row)
        for name, table in analyze_document(doc, resources).items():
            collected.setdefault(name, []).extend(table)
    columns = [c for c in DOCUMENT_COLUMNS if c != "text"]
    documents = pd.DataFrame(doc_rows)
    if documents.empty:
        documents = pd.DataFrame(columns=columns)
    extra = [c for c in documents.columns if c not in columns]
    documents = documents[columns + extra].sort_values("doc_id", kind="stable").reset_index(drop=True)
    tables: dict[str, pd.DataFrame] = {"documents": documents}
    for name, rows in collected.items():
        tables[name] = pd.DataFrame(rows)
    for aggregate in _aggregators():
        tables.update(aggregate(tables, resources))
    return AnalysisResult(tables=tables, report=report, corpus_hash=corpus_hash(documents), texts=texts)


def analyze_corpus(
    path: str | os.PathLike | Corpus = SEEDS_DIR,
    *,
    gazetteer: str | os.PathLike | None = None,
    progress: bool = False,
) -> AnalysisResult:
    """Load a corpus (or take a loaded one) and compute every table.

    Args:
        path: corpus folder or file, or an already loaded :class:`Corpus`.
        gazetteer: a user's own actor gazetteer file instead of ``data/actors.yaml``.
        progress: show a progress bar at a terminal.
    """
    resources = Resources(gazetteer_path=Path(gazetteer) if gazetteer else None)
    if isinstance(path, Corpus):
        docs: Iterable[Document] = (
            Document(**{k: r[k] for k in ("doc_id", "path", "text", "sha256", "date", "title", "source", "url")})
            for r in path.documents.to_dict("records")
        )
        report = path.report
    else:
        report = LoadReport(root=str(path))
        docs = iter_corpus(path, report)
    if progress:
        from .progress import progress_bar

        docs = progress_bar(docs, desc="analysing", unit="doc")
    return analyze_documents(docs, resources, report)


def write_tables(result: AnalysisResult, out: str | os.PathLike) -> list[Path]:
    """Write every table as CSV under ``out`` (created if needed); return the paths written."""
    from .io import write_csv

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in result.tables.items():
        written.append(write_csv(frame, out / f"{name}.csv"))
    written.append(write_csv(result.report.to_frame(), out / "load_report.csv"))
    return written
