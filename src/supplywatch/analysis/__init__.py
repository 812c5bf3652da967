"""Stage 4, analysis: every per-article extractor over a corpus, on one or many cores or a Dask
cluster, results spooled to Parquet, aggregated into the corpus tables, cached.

:mod:`.document` (one article -> rows) -> :mod:`.engine` (chunks on workers) -> :mod:`.spool`
(parts on disk) -> :mod:`.pipeline` (corpus -> :class:`~.result.AnalysisResult`), with :mod:`.cache`.
"""

from __future__ import annotations

from supplywatch.analysis.pipeline import analyze_corpus, write_tables
from supplywatch.analysis.result import AnalysisResult

__all__ = [
    "AnalysisResult",
    "analyze_corpus",
    "write_tables",
]
