"""Claims against the official figures, for the reports: the counts, a sentence, readable tables.

The numbers come from the claims table's reference columns and ``claim_references``
(:mod:`supplywatch.claims.reference`, :mod:`supplywatch.claims.reference_check`); these functions only
count and lay them out. A missing figure is an empty cell, never "None" or "nan".

Example:
    >>> import pandas as pd
    >>> claims = pd.DataFrame({"holder": ["China", "China"], "metric": ["mining", "market"],
    ...     "commodity": ["rare earths"] * 2, "scope": ["global", ""], "share": [40.0, 100.0],
    ...     "n_references": [2, 0], "reference_min": [62.0, None], "reference_max": [69.2, None],
    ...     "diff_pp": [-22.0, None], "max_abs_diff_pp": [29.2, None], "differs_from_all": ["yes", ""]})
    >>> summary = reference_summary(claims)
    >>> (summary.n_claims, summary.n_compared, summary.n_differ)
    (2, 1, 1)
    >>> summary.sentence()
    '1 of 2 claims could be set against official figures; 1 of them differs from every official figure by more than 5 percentage points.'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from supplywatch.claims.reference import DIFF_THRESHOLD_PP


def _num(value: object) -> float | None:
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if out != out else out


def _fmt(value: object, suffix: str = "") -> str:
    """``61`` / ``69.2`` (+ suffix), or "" when missing."""
    v = _num(value)
    return "" if v is None else f"{v:g}{suffix}"


def _signed(value: object) -> str:
    """``+22.8`` / ``-1`` / ``0``, or "" when missing."""
    v = _num(value)
    return "" if v is None else ("0" if v == 0 else f"{v:+g}")


def _str(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def claim_label(row: object) -> str:
    """``holder · metric · commodity · scope`` of a claims row (mapping or namedtuple); "NOT " when negated."""
    get = row.get if isinstance(row, dict) else (lambda k, d="": getattr(row, k, d))
    parts = [_str(get(k, "")) for k in ("holder", "metric", "commodity", "scope")]
    text = " · ".join(p for p in parts if p)
    if _str(get("negated", "")).casefold() in ("true", "1", "yes"):
        text = "NOT " + text
    return text or "claim"


@dataclass
class ReferenceSummary:
    """How the claims compare with the official figures.

    ``n_compared`` counts claims with a value and at least one matching official figure; ``n_differ``
    those that differ from every one of them by more than ``threshold_pp`` percentage points;
    ``differing`` lists them (:func:`reference_spread_table` columns).
    """

    n_claims: int
    n_compared: int
    n_differ: int
    threshold_pp: float = DIFF_THRESHOLD_PP
    differing: pd.DataFrame = field(default_factory=pd.DataFrame)

    def sentence(self) -> str:
        """The finding in one sentence (the number of claims that differ from every official figure)."""
        if not self.n_claims:
            return "No market-share claims found, so none could be set against official figures."
        noun = "claim" if self.n_claims == 1 else "claims"
        if not self.n_compared:
            return (f"None of the {self.n_claims} {noun} could be set against an official figure "
                    f"(none in data/reference_shares.csv matches holder, commodity, metric, scope and year).")
        verb = "differs" if self.n_differ == 1 else "differ"
        return (f"{self.n_compared} of {self.n_claims} {noun} could be set against official figures; "
                f"{self.n_differ} of them {verb} from every official figure by more than "
                f"{self.threshold_pp:g} percentage points.")


def reference_spread_table(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per claim compared with official figures: what it states, how many figures match, their
    range and spread, its difference from the closest and the farthest one, and whether it differs
    from every one by more than the threshold. Strings, "" where a value is missing."""
    cols = ["claim", "stated", "official figures", "range", "spread (pp)", "diff from closest (pp)",
            "largest diff (pp)", f"differs from all by > {DIFF_THRESHOLD_PP:g} pp"]
    if claims is None or claims.empty or "n_references" not in claims:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in cols})
    compared = claims[pd.to_numeric(claims["n_references"], errors="coerce").fillna(0) > 0]
    rows = []
    for row in compared.to_dict("records"):
        lo, hi = _num(row.get("reference_min")), _num(row.get("reference_max"))
        stated = _fmt(row.get("share"), " %")
        rows.append([claim_label(row), stated, str(int(row["n_references"])),
                     "" if lo is None else (f"{lo:g} %" if lo == hi else f"{lo:g}–{hi:g} %"),
                     "" if lo is None else f"{round(hi - lo, 2):g}",
                     _signed(row.get("diff_pp")), _fmt(row.get("max_abs_diff_pp")), _str(row.get("differs_from_all"))])
    return pd.DataFrame(rows, columns=cols, dtype="str") if rows else pd.DataFrame({c: pd.Series(dtype="str") for c in cols})


def reference_figures_table(claim_references: pd.DataFrame) -> pd.DataFrame:
    """One row per claim and matching official figure: the claim, what it states, the figure's source,
    year, metric and value, whether this project checked it, and the claim's difference from it."""
    cols = ["claim", "stated", "source", "year", "metric", "official figure", "checked here", "diff (pp)"]
    if claim_references is None or claim_references.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in cols})
    rows = [[claim_label(r), _fmt(r.get("share"), " %"), _str(r.get("reference_source")), _str(r.get("reference_year")),
             _str(r.get("reference_metric")), _fmt(r.get("reference_share"), " %"),
             "yes" if _str(r.get("reference_verification")) == "checked" else "no", _signed(r.get("diff_pp"))]
            for r in claim_references.to_dict("records")]
    return pd.DataFrame(rows, columns=cols, dtype="str")


def reference_summary(claims: pd.DataFrame) -> ReferenceSummary:
    """Count the claims that could be compared and those that differ from every official figure.

    Args:
        claims: the claims table (with the reference columns of claims.csv).
    """
    if claims is None or claims.empty:
        return ReferenceSummary(0, 0, 0)
    if "differs_from_all" not in claims:
        return ReferenceSummary(len(claims), 0, 0)
    flag = claims["differs_from_all"].fillna("").astype(str)
    spread = reference_spread_table(claims[flag == "yes"])
    return ReferenceSummary(len(claims), int(flag.isin(["yes", "no"]).sum()), int((flag == "yes").sum()),
                            differing=spread)
