"""The numbers each chart plots: tables in, the plotted table out (saved as CSV beside each PNG).

:mod:`supplywatch.reports.charts` draws them; these functions only count, bin and reshape, so a
reviewer can check every bar against the CSV. Timelines pick day, week or month bins from the span
of the dates (:func:`date_frequency`); rankings keep the top N and say how many they left out.

Example:
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2025-06-12", "2025-06-14"]})
    >>> list(timeline_data(docs).columns)
    ['period', 'articles']
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: Default number of bars/series a chart keeps.
TOP_N = 15


def date_frequency(dates: Iterable[pd.Timestamp]) -> str:
    """Bin width for a timeline: ``D`` (span up to 45 days), ``W`` (up to half a year), ``MS`` (longer).

    So a timeline has at most about 45 daily, 27 weekly or any number of monthly bins: a year of
    wire copy (or Reuters-21578's eight months) is read month by month.

    Example:
        >>> date_frequency(pd.to_datetime(["2025-01-01", "2025-01-20"]))
        'D'
    """
    series = pd.Series(list(dates)).dropna()
    if series.empty:
        return "D"
    span = (series.max() - series.min()).days
    if span <= 45:
        return "D"
    if span <= 183:
        return "W"
    return "MS"


def timeline_data(frame: pd.DataFrame, *, date_column: str = "date", freq: str | None = None,
                  value_name: str = "articles") -> pd.DataFrame:
    """Rows per period (``period``, ``value_name``); undated rows are left out.

    Args:
        frame: any table with a ``YYYY-MM-DD`` date column (documents, or mentions joined with dates).
        freq: ``D``, ``W`` or ``MS``; chosen from the span when omitted (:func:`date_frequency`).
    """
    if frame is None or frame.empty or date_column not in frame:
        return pd.DataFrame({"period": pd.Series(dtype="str"), value_name: pd.Series(dtype="int64")})
    dates = pd.to_datetime(frame[date_column].replace("", None), errors="coerce", format="%Y-%m-%d").dropna()
    if dates.empty:
        return pd.DataFrame({"period": pd.Series(dtype="str"), value_name: pd.Series(dtype="int64")})
    freq = freq or date_frequency(dates)
    periods = dates.dt.to_period("M" if freq == "MS" else freq).dt.start_time
    full = pd.date_range(periods.min(), periods.max(), freq="W-MON" if freq == "W" else freq)
    counts = periods.value_counts().reindex(full, fill_value=0).sort_index()
    return pd.DataFrame({"period": [d.strftime("%Y-%m-%d") for d in counts.index],
                         value_name: counts.to_numpy(dtype="int64")})


def count_data(frame: pd.DataFrame, column: str, *, top_n: int = TOP_N, value_name: str = "count",
               weight: str | None = None) -> pd.DataFrame:
    """The ``top_n`` most frequent values of ``column`` (ties broken alphabetically).

    Returns columns ``column``, ``value_name`` and ``share`` (of all rows, 0..1), most frequent first;
    ``attrs['n_other']`` counts the values left out.

    Example:
        >>> count_data(pd.DataFrame({"actor": ["China", "India", "China"]}), "actor")["count"].tolist()
        [2, 1]
    """
    if frame is None or frame.empty or column not in frame:
        out = pd.DataFrame({column: pd.Series(dtype="str"), value_name: pd.Series(dtype="int64"),
                            "share": pd.Series(dtype="float64")})
        out.attrs["n_other"] = 0
        return out
    values = frame[column].fillna("").astype(str).replace("", "(none)")
    if weight:
        counts = frame[weight].groupby(values).sum()
    else:
        counts = values.value_counts()
    counts = counts.rename_axis(column).reset_index(name=value_name)
    counts = counts.sort_values([value_name, column], ascending=[False, True], kind="stable")
    total = counts[value_name].sum()
    counts["share"] = (counts[value_name] / total).round(4) if total else 0.0
    out = counts.head(top_n).reset_index(drop=True)
    out.attrs["n_other"] = max(len(counts) - top_n, 0)
    return out


def series_over_time_data(frame: pd.DataFrame, documents: pd.DataFrame, *, by: str, top_n: int = 6,
                          freq: str | None = None) -> pd.DataFrame:
    """Counts per period for the ``top_n`` most frequent values of ``by`` (wide: one column per value).

    ``frame`` (e.g. mentions) is joined to ``documents`` on ``doc_id`` for its date.
    """
    if frame is None or frame.empty or by not in frame or documents is None or documents.empty:
        return pd.DataFrame({"period": pd.Series(dtype="str")})
    dated = frame.merge(documents[["doc_id", "date"]], on="doc_id", how="left")
    dated["date"] = pd.to_datetime(dated["date"].replace("", None), errors="coerce", format="%Y-%m-%d")
    dated = dated.dropna(subset=["date"])
    if dated.empty:
        return pd.DataFrame({"period": pd.Series(dtype="str")})
    top = count_data(dated, by, top_n=top_n)[by].tolist()
    freq = freq or date_frequency(dated["date"])
    dated["period"] = dated["date"].dt.to_period("M" if freq == "MS" else freq).dt.start_time
    full = pd.date_range(dated["period"].min(), dated["period"].max(), freq="W-MON" if freq == "W" else freq)
    wide = (dated[dated[by].astype(str).isin(top)].groupby(["period", by]).size().unstack(by, fill_value=0)
            .reindex(index=full, columns=top, fill_value=0))
    wide.index = [d.strftime("%Y-%m-%d") for d in wide.index]
    return wide.rename_axis("period").reset_index()


def matrix_data(pairs: pd.DataFrame, *, a: str = "actor_a", b: str = "actor_b", value: str = "n_sentences",
                top_n: int = 12) -> pd.DataFrame:
    """A symmetric actor x actor matrix of the ``top_n`` actors with most co-mentions (long form).

    Returns columns ``a``, ``b``, ``value`` for every cell (zero-filled), ready for a heat map.
    """
    columns = {a: pd.Series(dtype="str"), b: pd.Series(dtype="str"), value: pd.Series(dtype="int64")}
    if pairs is None or pairs.empty or not {a, b, value} <= set(pairs.columns):
        return pd.DataFrame(columns)
    both = pd.concat([pairs[[a, b, value]], pairs[[b, a, value]].set_axis([a, b, value], axis=1)])
    totals = both.groupby(a)[value].sum().sort_values(ascending=False, kind="stable")
    totals = totals.reset_index().sort_values([value, a], ascending=[False, True], kind="stable")
    keep = totals[a].head(top_n).tolist()
    wide = (both[both[a].isin(keep) & both[b].isin(keep)].groupby([a, b])[value].sum().unstack(b, fill_value=0)
            .reindex(index=keep, columns=keep, fill_value=0))
    long = wide.stack().rename(value).reset_index()
    long.columns = [a, b, value]
    return long.astype({value: "int64"})


def claims_reference_data(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per share claim: its label, the share stated, the closest official figure and the range
    of all matching official figures (``reference_min``/``reference_max``; empty where none matches)."""
    cols = ["label", "share", "share_low", "share_high", "reference_share", "diff_pp", "reference_min",
            "reference_max", "n_references"]
    if claims is None or claims.empty or "share" not in claims:
        return pd.DataFrame({c: pd.Series(dtype="str" if c == "label" else "float64") for c in cols})
    frame = claims.copy()
    for c in cols[1:]:
        frame[c] = pd.to_numeric(frame[c], errors="coerce") if c in frame else float("nan")

    def label(row: pd.Series) -> str:
        parts = [row.get("holder", ""), row.get("metric", ""), row.get("commodity", ""), row.get("scope", "")]
        text = " · ".join(str(p) for p in parts if isinstance(p, str) and p)
        if bool(row.get("negated", False)) and str(row.get("negated")).lower() not in ("false", "0", ""):
            text = "NOT " + text
        when = str(row.get("time_ref", "") or "")
        if when in ("previous", "forecast"):  # "rose to 24 from 19 per cent": the 19 is the earlier figure
            text = f"{text} ({'earlier figure' if when == 'previous' else 'forecast'})"
        return text or "claim"

    frame["label"] = frame.apply(label, axis=1) if len(frame) else []
    return frame[cols].reset_index(drop=True)


#: Metric words that name a supply-chain stage, in chain order.
STAGES = {"mining": "mining", "mined": "mining", "extraction": "mining", "production": "production",
          "refining": "refining", "processing": "refining", "refined": "refining", "output": "production",
          "reserves": "reserves", "magnets": "magnets", "manufacturing": "manufacturing",
          "exports": "exports", "imports": "imports", "supply": "supply", "market": "market",
          "capacity": "capacity"}


#: The supply-chain stages the stage chart shows, in chain order.
CHAIN_STAGES = ("mining", "production", "refining", "magnets", "manufacturing")


def stage_share_data(claims: pd.DataFrame, *, holder: str | None = None, scope: str = "global") -> pd.DataFrame:
    """The holder's stated share against the rest, one row per holder, scope and stage.

    The stage is the claim's ``metric`` where it names a supply-chain stage (:data:`CHAIN_STAGES`;
    ``output`` counts as production), in chain order; negated claims, earlier figures and forecasts
    (``time_ref`` ``previous``/``forecast``) and other metrics (market, exports, ...) are left out, and
    several claims for one stage are averaged.

    Args:
        scope: ``global`` (the default: only claims about the world total, so the rest is the rest
            of the world), ``other`` (only the claims with another scope or none: the rest is the rest
            of that market) or ``all``.

    Returns columns ``holder``, ``scope`` (``global``, the market named, or ``not stated``),
    ``stage``, ``holder_share``, ``rest_of_world`` (percent, summing to 100: the rest of the scope).
    """
    if scope not in ("global", "other", "all"):
        raise ValueError(f"scope must be 'global', 'other' or 'all', not {scope!r}")
    cols = {"holder": pd.Series(dtype="str"), "scope": pd.Series(dtype="str"), "stage": pd.Series(dtype="str"),
            "holder_share": pd.Series(dtype="float64"), "rest_of_world": pd.Series(dtype="float64")}
    if claims is None or claims.empty or not {"holder", "share"} <= set(claims.columns):
        return pd.DataFrame(cols)
    frame = claims.copy()
    if "negated" in frame:
        frame = frame[~frame["negated"].astype(str).str.lower().isin(["true", "1"])]
    if "time_ref" in frame:  # today's shares only: an earlier figure or a forecast is not the holder's share now
        frame = frame[frame["time_ref"].fillna("").astype(str).isin(["", "current"])]
    if holder:
        frame = frame[frame["holder"].astype(str).str.casefold() == holder.casefold()]
    scopes = frame["scope"].fillna("").astype(str) if "scope" in frame else pd.Series("", index=frame.index)
    frame["scope"] = scopes.replace("", "not stated")
    is_global = frame["scope"].str.casefold() == "global"
    if scope == "global":
        frame = frame[is_global]
    elif scope == "other":
        frame = frame[~is_global]
    frame["share"] = pd.to_numeric(frame["share"], errors="coerce")
    metric = frame["metric"] if "metric" in frame else pd.Series("", index=frame.index)
    frame["stage"] = metric.fillna("").astype(str).str.lower().map(STAGES)
    # only stages of the supply chain: a monopoly of "the market" or a share of exports is no stage
    frame = frame[frame["stage"].isin(CHAIN_STAGES)].dropna(subset=["share"])
    if frame.empty:
        return pd.DataFrame(cols)
    out = (frame.groupby(["holder", "scope", "stage"], sort=True)["share"].mean().round(2)
           .reset_index(name="holder_share"))
    out["rest_of_world"] = (100 - out["holder_share"]).clip(lower=0).round(2)
    out["_order"] = out["stage"].map(CHAIN_STAGES.index)
    out = out.sort_values(["holder", "scope", "_order"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


