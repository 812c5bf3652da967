"""Official reference figures (``data/reference_shares.csv``) and matching claims against them.

Each row: ``holder``, ``holder_id`` (gazetteer id), ``commodity`` (a topic name from
``data/topics.yaml``), ``metric``, ``share`` (percent), ``year``, ``scope`` (``global`` or the
market's country), ``source``, ``citation``.

Matching a claim: same holder (by gazetteer id where both have one, else by name, case-folded) and
same commodity and scope (a claim without scope counts as global). Specific metrics match their
own family (``mining``/``production``: mine output; ``refining``; ``exports``; ``imports``; ...);
generic ones (``production``, ``output``, ``supply``, ``market``, ``other``) match mining and
refining figures alike. Among the candidates the closest year wins (the claim's year, else the
article's), then the closest value, then the source name, so the choice is deterministic.
``diff_pp`` is the claim's share minus the reference share, in percentage points.

Example:
    >>> match_reference("China", "CHN", "rare earths", "mining", "2024", 61.0)["reference_source"]  # doctest: +SKIP
    'IEA (as quoted in 2025 news)'
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass
from pathlib import Path

from supplywatch.config import REFERENCE_FILE
from supplywatch.exceptions import ResourceError
from supplywatch.resources import load_versioned

REFERENCE_COLUMNS = ["holder", "holder_id", "commodity", "metric", "share", "year", "scope", "source", "citation"]
_REQUIRED = ["holder", "commodity", "metric", "share", "year", "source", "citation"]

#: Which reference metrics a claim metric may be compared with.
METRIC_FAMILIES: dict[str, frozenset[str]] = {
    "mining": frozenset({"mining", "production"}),
    "refining": frozenset({"refining"}),
    "reserves": frozenset({"reserves"}),
    "capacity": frozenset({"capacity", "refining"}),
    "exports": frozenset({"exports"}),
    "imports": frozenset({"imports"}),
    "consumption": frozenset({"consumption"}),
    "sales": frozenset({"sales"}),
}
_GENERIC = frozenset({"mining", "production", "refining", "output", "supply"})

EMPTY_MATCH = {"reference_share": None, "reference_source": "", "reference_year": "", "diff_pp": None}


@dataclass(frozen=True)
class Reference:
    """One official figure."""

    holder: str
    holder_id: str
    commodity: str
    metric: str
    share: float
    year: int
    scope: str
    source: str
    citation: str


def read_reference(path: str | os.PathLike) -> tuple[Reference, ...]:
    """Read and validate a reference-figures CSV (uncached).

    Raises:
        ResourceError: naming the file, the line and the bad value.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ResourceError(f"reference figures not found: {p} (expected data/reference_shares.csv)") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in _REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ResourceError(f"{p}: missing column(s) {missing}; required: {_REQUIRED}")
    out: list[Reference] = []
    for line, row in enumerate(reader, start=2):
        where = f"{p}, line {line}"
        try:
            share = float(row["share"])
        except (TypeError, ValueError):
            raise ResourceError(f"{where}: share {row['share']!r} is not a number (percent, 0-100)") from None
        if not 0 <= share <= 100:
            raise ResourceError(f"{where}: share {share} is outside 0-100 (write percent values)")
        try:
            year = int(row["year"])
        except (TypeError, ValueError):
            raise ResourceError(f"{where}: year {row['year']!r} is not a four-digit year") from None
        for key in ("holder", "commodity", "metric", "source", "citation"):
            if not (row.get(key) or "").strip():
                raise ResourceError(f"{where}: '{key}' is empty; every figure needs it")
        out.append(Reference(
            row["holder"].strip(), (row.get("holder_id") or "").strip(), row["commodity"].strip(),
            row["metric"].strip(), share, year, (row.get("scope") or "global").strip() or "global",
            row["source"].strip(), row["citation"].strip(),
        ))
    return tuple(out)


def load_reference(path: str | os.PathLike | None = None) -> tuple[Reference, ...]:
    """The reference figures (``data/reference_shares.csv`` by default), loaded once per file version."""
    p = Path(path) if path is not None else REFERENCE_FILE
    return load_versioned(read_reference, p, missing=f"reference figures not found: {p} "
                                                     f"(expected data/reference_shares.csv)")


def _allowed(metric: str) -> frozenset[str]:
    return METRIC_FAMILIES.get(metric, _GENERIC)


def match_reference(
    holder: str,
    holder_id: str,
    commodity: str,
    metric: str,
    year: str | int | None,
    share: float | None,
    *,
    scope: str = "",
    references: tuple[Reference, ...] | None = None,
) -> dict:
    """The reference columns for one claim (``EMPTY_MATCH`` values when nothing matches).

    Example:
        >>> refs = (Reference("China", "CHN", "rare earths", "mining", 69.2, 2024, "global", "USGS", "c"),)
        >>> match_reference("China", "", "rare earths", "output", 2024, 61.0, references=refs)["diff_pp"]
        -8.2
    """
    if references is None:
        try:
            references = load_reference()
        except ResourceError:
            return dict(EMPTY_MATCH)
    if not commodity or not holder:
        return dict(EMPTY_MATCH)
    claim_scope = scope or "global"
    allowed = _allowed(metric)
    cands = []
    for ref in references:
        same_holder = (ref.holder_id == holder_id) if (ref.holder_id and holder_id) else (
            ref.holder.casefold() == holder.casefold()
        )
        if not same_holder or ref.commodity.casefold() != commodity.casefold():
            continue
        if ref.scope.casefold() != claim_scope.casefold() or ref.metric not in allowed:
            continue
        cands.append(ref)
    if not cands:
        return dict(EMPTY_MATCH)
    try:
        y = int(str(year)[:4]) if year not in (None, "") else None
    except ValueError:
        y = None
    has_share = share is not None and not (isinstance(share, float) and math.isnan(share))

    def key(ref: Reference) -> tuple:
        return (abs(ref.year - y) if y is not None else 0, abs(ref.share - share) if has_share else 0,
                -ref.year, ref.source)

    best = min(cands, key=key)
    return {
        "reference_share": best.share,
        "reference_source": best.source,
        "reference_year": str(best.year),
        "diff_pp": round(share - best.share, 2) if has_share else None,
    }
