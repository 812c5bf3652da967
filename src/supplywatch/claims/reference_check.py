"""The claims table set against the official figures: summary columns and one row per claim x figure.

:func:`reference_tables` is what the claims aggregator runs over the whole corpus: it fills the
reference columns of ``claims.csv`` (:data:`supplywatch.claims.reference.CLAIM_REFERENCE_COLUMNS`) and builds
``claim_references.csv`` (:data:`CLAIM_REFERENCES_COLUMNS`), one row per claim and matching official
figure, so a reader sees every source, year and value a claim was compared with, not only the closest.

Example:
    >>> import pandas as pd
    >>> from supplywatch.claims.reference import Reference
    >>> refs = (Reference("China", "CHN", "rare earths", "mining", 69.2, 2024, "global", "USGS", "c"),
    ...         Reference("China", "CHN", "rare earths", "mining", 62.0, 2023, "global", "IEA", "c"))
    >>> claims = pd.DataFrame([{"doc_id": "a", "sentence_id": 0, "start": 0, "end": 3, "holder": "China",
    ...     "holder_id": "CHN", "share": 61.0, "share_low": 61.0, "share_high": 61.0, "qualifier": "exact",
    ...     "metric": "mining", "commodity": "rare earths", "scope": "global", "year": "", "negated": False}])
    >>> filled, pairs = reference_tables(claims, references=refs)
    >>> row = filled.iloc[0]
    >>> (int(row.n_references), float(row.reference_min), float(row.reference_max), float(row.diff_pp), row.differs_from_all)
    (2, 62.0, 69.2, -1.0, 'no')
    >>> pairs["diff_pp"].tolist()
    [-8.2, -1.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from supplywatch.claims.reference import (
    CLAIM_REFERENCE_COLUMNS, EMPTY_SUMMARY, Reference, comparable_claim, compare_claim, load_reference, summarize,
)
from supplywatch.config import REFERENCE_FILE

#: Columns of claim_references.csv: the claim (its key and what was compared), then the figure.
CLAIM_REFERENCES_COLUMNS = [
    "doc_id", "sentence_id", "start", "end", "holder", "holder_id", "share", "share_low", "share_high",
    "qualifier", "metric", "commodity", "scope", "year", "compared_year", "reference_metric", "reference_share",
    "reference_year", "reference_source", "reference_verification", "diff_pp",
]
_DTYPES = {"sentence_id": "int64", "start": "int64", "end": "int64", "share": "float64", "share_low": "float64",
           "share_high": "float64", "reference_share": "float64", "reference_year": "int64", "diff_pp": "float64"}


def empty_claim_references() -> pd.DataFrame:
    """claim_references.csv with its columns and no rows."""
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "str")) for c in CLAIM_REFERENCES_COLUMNS})


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def article_years(documents: pd.DataFrame | None) -> dict[str, str]:
    """``doc_id -> "YYYY"`` from the documents table's ``date`` (undated articles left out)."""
    if documents is None or documents.empty or not {"doc_id", "date"} <= set(documents.columns):
        return {}
    years = documents["date"].fillna("").astype(str).str[:4]
    return {d: y for d, y in zip(documents["doc_id"].astype(str), years) if y.isdigit()}


def reference_tables(
    claims: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    *,
    references: tuple[Reference, ...] | None = None,
    doc_years: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The claims with their reference columns filled, and the claim x figure table.

    Args:
        claims: claims.csv rows (needs ``holder``, ``holder_id``, ``commodity``, ``metric``, ``share``;
            uses ``share_low``/``share_high``/``qualifier``, ``scope``, ``year``, ``negated`` and
            ``time_ref`` where present).
        documents: the documents table: an article's year stands in for a claim without one.
        references: the figures (default ``data/reference_shares.csv``; none when it does not exist).
        doc_years: ``doc_id -> year`` instead of ``documents``.

    Returns:
        ``(claims, claim_references)``: a copy of ``claims`` whose reference columns are replaced,
        and one row per claim and matching official figure (:data:`CLAIM_REFERENCES_COLUMNS`),
        in claim order, most recent figure first.

    Raises:
        ResourceError: the default file has a bad row (the message names the file and line).
    """
    years = dict(doc_years) if doc_years is not None else article_years(documents)
    if references is None:  # a bad row raises (naming file and line); no file at all: nothing to compare with
        references = load_reference() if REFERENCE_FILE.exists() else ()
    frame = claims.copy()
    summaries: list[dict] = []
    pairs: list[dict] = []
    for row in frame.to_dict("records"):
        stated = _text(row.get("year"))
        basis = stated or years.get(_text(row.get("doc_id")), "")
        matches: list = []
        if comparable_claim(negated=row.get("negated", False), time_ref=_text(row.get("time_ref")), year=stated):
            matches = compare_claim(
                _text(row.get("holder")), _text(row.get("holder_id")), _text(row.get("commodity")),
                _text(row.get("metric")), basis, row.get("share"), low=row.get("share_low"),
                high=row.get("share_high"), qualifier=_text(row.get("qualifier")), scope=_text(row.get("scope")),
                references=references)
        summaries.append(summarize(matches, basis))
        if matches:
            claim = {c: row.get(c) for c in CLAIM_REFERENCES_COLUMNS[:14]}
            claim["compared_year"] = basis
            pairs.extend({**claim, "reference_metric": ref.metric, "reference_share": ref.share,
                          "reference_year": ref.year, "reference_source": ref.source,
                          "reference_verification": ref.verification, "diff_pp": diff} for ref, diff in matches)
    columns = pd.DataFrame(summaries, columns=CLAIM_REFERENCE_COLUMNS, index=frame.index) if summaries else \
        pd.DataFrame({c: pd.Series(dtype="object") for c in CLAIM_REFERENCE_COLUMNS})
    for column in CLAIM_REFERENCE_COLUMNS:
        frame[column] = columns[column] if len(frame) else pd.Series(dtype=_summary_dtype(column))
        frame[column] = frame[column].astype(_summary_dtype(column))
    if not pairs:
        return frame, empty_claim_references()
    table = pd.DataFrame(pairs, columns=CLAIM_REFERENCES_COLUMNS)
    for c in ("holder", "holder_id", "qualifier", "metric", "commodity", "scope", "year", "doc_id"):
        table[c] = table[c].fillna("").astype(str)
    return frame, table.astype({c: t for c, t in _DTYPES.items()}).reset_index(drop=True)


def _summary_dtype(column: str) -> str:
    value = EMPTY_SUMMARY[column]
    if column == "n_references":
        return "int64"
    return "str" if isinstance(value, str) else "float64"
