"""Official reference figures (``data/reference_shares.csv``) and every one a claim can be compared with.

Each row of the file: ``holder``, ``holder_id`` (gazetteer id), ``commodity`` (a topic name from
``data/topics.yaml``), ``metric``, ``share`` (percent, 0-100), ``year``, ``scope`` (``global`` or the
market's country), ``source``, ``official`` (``yes``: published by the agency itself; ``no``: a
figure others attribute to it, e.g. a news article quoting the IEA: kept for the record, never
compared), ``verification`` (``checked``: recomputed from a copy of the source this project holds;
``unchecked``: transcribed, verify before publishing), ``citation``.

A claim is compared with **every** official figure that has the same holder (gazetteer id where both
have one, else the name, case-folded), the same commodity and scope (a claim without a scope counts
as global), a comparable metric (:data:`COMPARABLE_METRICS`, after :data:`METRIC_SYNONYMS`:
``processing`` is ``refining``) and a year within :data:`MAX_YEAR_GAP` years of the claim's year
(the year the sentence states, else the article's; a claim with neither is compared with every
year). Negated claims, forecasts and earlier figures without a year are not compared
(:func:`comparable_claim`).

The difference of a claim from a figure, ``diff_pp``, is in percentage points, claim minus figure:
for a point value (``61 %``, ``about 61 %``) the share minus the figure; for a claim that states
bounds (``more than 60 %``, ``60-70 %``, ``the majority``) the distance from the nearer bound, 0 when
the figure lies within them (:func:`claim_bounds`, :func:`difference`).

Example:
    >>> refs = (Reference("China", "CHN", "rare earths", "mining", 69.2, 2024, "global", "USGS", "c"),
    ...         Reference("China", "CHN", "rare earths", "mining", 62.0, 2023, "global", "IEA", "c"))
    >>> [(r.source, d) for r, d in compare_claim("China", "CHN", "rare earths", "mining", 2025, 61.0,
    ...                                          scope="global", references=refs)]
    [('USGS', -8.2), ('IEA', -1.0)]
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

#: Columns of ``data/reference_shares.csv``, in order.
REFERENCE_COLUMNS = ["holder", "holder_id", "commodity", "metric", "share", "year", "scope", "source", "official",
                     "verification", "citation"]
_REQUIRED = ["holder", "commodity", "metric", "share", "year", "source", "official", "citation"]
#: Values of the ``official`` column.
OFFICIAL_VALUES = {"yes": True, "no": False}
#: Values of the ``verification`` column (``unchecked`` when the column is absent).
VERIFICATION_VALUES = ("checked", "unchecked")

#: A claim "differs" from a figure by more than this many percentage points.
DIFF_THRESHOLD_PP = 5.0
#: Figures more than this many years from the claim's (or the article's) year are not compared.
MAX_YEAR_GAP = 3

#: Metric words that name the same stage, for claims and figures alike.
METRIC_SYNONYMS: dict[str, str] = {
    "processing": "refining", "processed": "refining", "refined": "refining", "separation": "refining",
    "smelting": "refining", "mined": "mining", "mine production": "mining", "extraction": "mining",
}
_PRODUCTION_TYPE = frozenset({"mining", "production", "refining"})
#: The figure metrics each claim metric is compared with. ``production``, ``output`` and ``supply``
#: do not say which stage they mean: they are compared with mine and refinery figures alike, and
#: the table of figures names each one's metric. ``market``, ``other`` and any metric not listed are
#: compared with nothing (a share of a market is not a share of production).
COMPARABLE_METRICS: dict[str, frozenset[str]] = {
    "mining": frozenset({"mining", "production"}),
    "refining": frozenset({"refining"}),
    "production": _PRODUCTION_TYPE,
    "output": _PRODUCTION_TYPE,
    "supply": _PRODUCTION_TYPE,
    "reserves": frozenset({"reserves"}),
    "capacity": frozenset({"capacity"}),
    "exports": frozenset({"exports"}),
    "imports": frozenset({"imports"}),
    "consumption": frozenset({"consumption"}),
    "sales": frozenset({"sales"}),
}

#: The reference columns of claims.csv, in order (see :func:`summarize`).
CLAIM_REFERENCE_COLUMNS = [
    "reference_share", "reference_source", "reference_year", "diff_pp", "n_references", "reference_min",
    "reference_max", "max_abs_diff_pp", "differs_from_all",
]
#: The reference columns of a claim no official figure matches.
EMPTY_SUMMARY = {"reference_share": None, "reference_source": "", "reference_year": "", "diff_pp": None,
                 "n_references": 0, "reference_min": None, "reference_max": None, "max_abs_diff_pp": None,
                 "differs_from_all": ""}


@dataclass(frozen=True)
class Reference:
    """One figure of ``data/reference_shares.csv`` (``share`` in percent)."""

    holder: str
    holder_id: str
    commodity: str
    metric: str
    share: float
    year: int
    scope: str
    source: str
    citation: str
    official: bool = True
    verification: str = "unchecked"


def canonical_metric(metric: str) -> str:
    """The metric with synonyms folded (``processing`` -> ``refining``), lower case."""
    m = " ".join(str(metric or "").casefold().split())
    return METRIC_SYNONYMS.get(m, m)


def comparable_metrics(metric: str) -> frozenset[str]:
    """The figure metrics a claim with ``metric`` is compared with (empty: none)."""
    return COMPARABLE_METRICS.get(canonical_metric(metric), frozenset())


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
        raise ResourceError(f"{p}: missing column(s) {missing}; required: {_REQUIRED} (see README, "
                            f"'Reference figures'; 'official' is yes for a figure the agency publishes itself, "
                            f"no for a figure others attribute to it)")
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
        official = (row.get("official") or "").strip().casefold()
        if official not in OFFICIAL_VALUES:
            raise ResourceError(f"{where}: official {row.get('official')!r} must be 'yes' (published by the agency "
                                f"itself) or 'no' (attributed to it by others, e.g. a news article; never compared)")
        verification = (row.get("verification") or "unchecked").strip().casefold() or "unchecked"
        if verification not in VERIFICATION_VALUES:
            raise ResourceError(f"{where}: verification {row.get('verification')!r} must be one of "
                                f"{', '.join(VERIFICATION_VALUES)}")
        out.append(Reference(
            row["holder"].strip(), (row.get("holder_id") or "").strip(), row["commodity"].strip(),
            canonical_metric(row["metric"]), share, year, (row.get("scope") or "global").strip() or "global",
            row["source"].strip(), row["citation"].strip(), OFFICIAL_VALUES[official], verification,
        ))
    return tuple(out)


def load_reference(path: str | os.PathLike | None = None) -> tuple[Reference, ...]:
    """The reference figures (``data/reference_shares.csv`` by default), loaded once per file version."""
    p = Path(path) if path is not None else REFERENCE_FILE
    return load_versioned(read_reference, p, missing=f"reference figures not found: {p} "
                                                     f"(expected data/reference_shares.csv)")


def _number(value: object) -> float | None:
    """A float, or None for None/NaN/""/non-numbers."""
    if value is None or value == "":
        return None
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _year(value: object) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def claim_bounds(share: object, low: object = None, high: object = None, qualifier: str = "") -> tuple[float, float] | None:
    """The values a claim allows, ``(low, high)`` in percent; None when it states no value.

    ``61 %`` and ``about 61 %`` -> (61, 61); ``more than 60 %`` / ``at least 60 %`` -> (60, 100);
    ``less than 10 %`` / ``up to 10 %`` -> (0, 10); ``60-70 %`` -> (60, 70); ``the majority`` ->
    (50, 100); ``nearly 70 %`` -> (70, 70) (the point: "nearly" is not a bound worth 5 points).

    Example:
        >>> claim_bounds(60.0, 60.0, None, "more_than")
        (60.0, 100.0)
    """
    s, lo, hi = _number(share), _number(low), _number(high)
    q = str(qualifier or "")
    if q in ("more_than", "at_least") and lo is not None:
        return (lo, 100.0)
    if q in ("less_than", "up_to") and hi is not None:
        return (0.0, hi)
    if q in ("range", "majority") and lo is not None and hi is not None:
        return (min(lo, hi), max(lo, hi))
    if s is not None:
        return (s, s)
    if lo is not None or hi is not None:
        return (lo if lo is not None else 0.0, hi if hi is not None else 100.0)
    return None


def difference(bounds: tuple[float, float] | None, figure: float) -> float | None:
    """Claim minus figure in percentage points: 0 when the figure lies within the claim's bounds,
    else the distance from the nearer bound (positive: the claim is higher). None without bounds.

    Example:
        >>> difference((61.0, 61.0), 69.2), difference((60.0, 100.0), 69.2), difference((0.0, 50.0), 69.2)
        (-8.2, 0.0, -19.2)
    """
    if bounds is None:
        return None
    lo, hi = bounds
    if figure < lo:
        return round(lo - figure, 2)
    if figure > hi:
        return round(hi - figure, 2)
    return 0.0


def comparable_claim(*, negated: object = False, time_ref: str = "", year: object = "") -> bool:
    """Whether a claim is compared with figures at all: not when negated ("no longer holds 90 %"),
    not a forecast (``time_ref`` ``forecast``), not an earlier figure without a year (``previous``)."""
    if str(negated).strip().casefold() in ("true", "1", "yes"):
        return False
    t = str(time_ref or "").strip().casefold()
    if t == "forecast":
        return False
    return not (t == "previous" and _year(year) is None)


def matching_references(
    holder: str,
    holder_id: str,
    commodity: str,
    metric: str,
    year: object = None,
    *,
    scope: str = "",
    references: tuple[Reference, ...] | None = None,
) -> list[Reference]:
    """Every official figure a claim is compared with (rules in the module docstring), most recent
    year first, then by source and metric. Non-official rows are never returned.

    Args:
        year: the claim's year, else the article's (``"2024"``, ``2024``, ``"2024-06-12"``; empty: any year).
        references: the figures (default: :func:`load_reference`; none when that file is missing).
    """
    if references is None:
        try:
            references = load_reference()
        except ResourceError:
            return []
    allowed = comparable_metrics(metric)
    if not commodity or not holder or not allowed:
        return []
    claim_scope = (scope or "global").casefold()
    y = _year(year)
    out = []
    for ref in references:
        if not ref.official or ref.metric not in allowed:
            continue
        same_holder = (ref.holder_id == holder_id) if (ref.holder_id and holder_id) else (
            ref.holder.casefold() == str(holder).casefold())
        if not same_holder or ref.commodity.casefold() != str(commodity).casefold():
            continue
        if ref.scope.casefold() != claim_scope or (y is not None and abs(ref.year - y) > MAX_YEAR_GAP):
            continue
        out.append(ref)
    return sorted(out, key=lambda r: (-r.year, r.source, r.metric, r.share))


def compare_claim(
    holder: str,
    holder_id: str,
    commodity: str,
    metric: str,
    year: object,
    share: object,
    *,
    low: object = None,
    high: object = None,
    qualifier: str = "",
    scope: str = "",
    references: tuple[Reference, ...] | None = None,
) -> list[tuple[Reference, float | None]]:
    """Each matching official figure with the claim's ``diff_pp`` from it (None for a claim without a value)."""
    bounds = claim_bounds(share, low, high, qualifier)
    return [(ref, difference(bounds, ref.share))
            for ref in matching_references(holder, holder_id, commodity, metric, year, scope=scope,
                                           references=references)]


def summarize(matches: list[tuple[Reference, float | None]], year: object = None) -> dict:
    """The claims.csv reference columns (:data:`CLAIM_REFERENCE_COLUMNS`) from :func:`compare_claim`.

    * ``n_references``: how many official figures match; ``reference_min``/``reference_max``: their range.
    * ``reference_share``/``reference_source``/``reference_year``/``diff_pp``: the figure the claim is
      closest to and the claim's difference from it (the smallest difference: the claim is at least
      this far from every official figure); ties go to the year nearest ``year``, then the latest
      year, then the source name. Without a claimed value: the nearest-year figure, ``diff_pp`` empty.
    * ``max_abs_diff_pp``: the largest absolute difference from any of them.
    * ``differs_from_all``: ``yes`` when the claim differs from every matching figure by more than
      :data:`DIFF_THRESHOLD_PP` points, ``no`` when not, empty when there is no figure or no value.
    """
    if not matches:
        return dict(EMPTY_SUMMARY)
    y = _year(year)
    diffs = [d for _, d in matches if d is not None]

    def key(item: tuple[Reference, float | None]) -> tuple:
        ref, d = item
        return (abs(d) if d is not None else 0.0, abs(ref.year - y) if y is not None else 0, -ref.year,
                ref.source, ref.metric)

    best, best_diff = min(matches, key=key)
    shares = [ref.share for ref, _ in matches]
    return {
        "reference_share": best.share,
        "reference_source": best.source,
        "reference_year": str(best.year),
        "diff_pp": best_diff,
        "n_references": len(matches),
        "reference_min": min(shares),
        "reference_max": max(shares),
        "max_abs_diff_pp": max(abs(d) for d in diffs) if diffs else None,
        "differs_from_all": ("yes" if min(abs(d) for d in diffs) > DIFF_THRESHOLD_PP else "no") if diffs else "",
    }


def match_reference(
    holder: str,
    holder_id: str,
    commodity: str,
    metric: str,
    year: object,
    share: object,
    *,
    scope: str = "",
    low: object = None,
    high: object = None,
    qualifier: str = "",
    references: tuple[Reference, ...] | None = None,
) -> dict:
    """The claims.csv reference columns for one claim (:func:`summarize` of :func:`compare_claim`).

    Example:
        >>> refs = (Reference("China", "CHN", "rare earths", "mining", 69.2, 2024, "global", "USGS", "c"),)
        >>> match_reference("China", "", "rare earths", "output", 2024, 61.0, references=refs)["diff_pp"]
        -8.2
    """
    matches = compare_claim(holder, holder_id, commodity, metric, year, share, low=low, high=high,
                            qualifier=qualifier, scope=scope, references=references)
    return summarize(matches, year)
