"""The result of an analysis run: its tables, the load report, the corpus hash and the texts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from supplywatch.corpus.model import LoadReport


@dataclass
class AnalysisResult:
    """The tables of one analysis run, the load report and the corpus hash."""

    tables: dict[str, pd.DataFrame]
    report: LoadReport
    corpus_hash: str
    #: ``doc_id -> text``: a dict, or texts spooled to disk and read on first use
    #: (:class:`supplywatch.analysis.spool.SpooledTexts`).
    texts: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def documents(self) -> pd.DataFrame:
        return self.tables["documents"]
