"""Charts for the reports: functions take tables and return matplotlib Figures.

Every chart is built on a bare :class:`matplotlib.figure.Figure` (no pyplot, no global state, never
shown), in one house style (:func:`house_style`), and stays readable from one article to thousands:
bar charts keep the top N and say how many they left out, timelines pick day, week or month bins
from the span of the dates. Each chart has a ``*_data`` function giving the numbers it plots, so
:func:`save_chart` can write them as CSV beside the PNG.

Example:
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2025-06-12", "2025-06-14"]})
    >>> data = timeline_data(docs)
    >>> list(data.columns)
    ['period', 'articles']
    >>> fig = timeline_chart(data, title="Articles over time")
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from supplywatch.io import atomic_write_bytes, write_csv

#: The house style: applied to every chart through :func:`house_style`.
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "axes.axisbelow": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "axes.prop_cycle": matplotlib.cycler(color=[
        "#1f5a8a", "#d9822b", "#3a8f5c", "#b23a48", "#7a5c99", "#8c7b5a", "#4d4d4d", "#2aa1b3",
    ]),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "svg.hashsalt": "supplywatch",
    # labels are corpus text: "$" is a dollar sign, never TeX math (mathtext would raise on "$\\frac{$")
    "text.parse_math": False,
}
#: Colours with a meaning.
ACCENT = "#1f5a8a"
MUTED = "#bbbbbb"
REFERENCE = "#b23a48"
#: Fixed resolution of saved PNGs (part of what makes them byte-for-byte reproducible).
DPI = 100
#: Default number of bars/series a chart keeps.
TOP_N = 15

F = TypeVar("F", bound=Callable[..., Figure])


def house_style(func: F) -> F:
    """Decorator: build the chart inside the house style's rc context."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with matplotlib.rc_context(STYLE):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _figure(ax: Axes | None, *, width: float = 7.5, height: float = 4.0) -> tuple[Figure, Axes]:
    """A new Figure with one Axes, or the Figure of the Axes given."""
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def _bar_height(n: int) -> float:
    """Figure height that keeps horizontal bars readable for 1..N bars."""
    return min(max(2.6, 0.32 * n + 1.6), 12.0)


def _bar_figure(data: pd.DataFrame | None, ax: Axes | None, *, title: str,
                empty_message: str) -> tuple[Figure, Axes, int]:
    """A figure sized for ``len(data)`` horizontal bars; with no data it shows ``empty_message``."""
    n = 0 if data is None else len(data)
    fig, ax = _figure(ax, height=_bar_height(n))
    if not n:
        _empty(ax, empty_message, title)
    return fig, ax, n


def _empty(ax: Axes, message: str, title: str) -> None:
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#666666")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def _shorten(label: object, width: int = 40) -> str:
    text = str(label)
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------------------------
# The numbers each chart plots


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
    ``output`` counts as production), in chain order; negated claims and other metrics (market,
    exports, ...) are left out, and several claims for one stage are averaged.

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


# --------------------------------------------------------------------------------------------
# Charts


@house_style
def bar_chart(data: pd.DataFrame, *, label: str, value: str, title: str, xlabel: str = "",
              ax: Axes | None = None, empty_message: str = "nothing to show") -> Figure:
    """Horizontal bars, largest on top, one per row of ``data`` (see :func:`count_data`).

    Example:
        >>> fig = bar_chart(pd.DataFrame({"actor": ["China"], "count": [9]}), label="actor",
        ...                 value="count", title="Mentions")
    """
    fig, ax, n = _bar_figure(data, ax, title=title, empty_message=empty_message)
    if not n:
        return fig
    labels = [_shorten(v) for v in data[label]][::-1]
    values = data[value].to_numpy()[::-1]
    bars = ax.barh(range(n), values, color=ACCENT)
    ax.set_yticks(range(n), labels)
    ax.bar_label(bars, labels=[f"{v:g}" for v in values], padding=3, fontsize=9)
    ax.margins(x=0.12)
    n_other = int(data.attrs.get("n_other", 0))
    ax.set_title(title + (f" (top {n}; {n_other} more not shown)" if n_other else ""))
    ax.set_xlabel(xlabel or value)
    return fig


@house_style
def timeline_chart(data: pd.DataFrame, *, title: str, value: str = "articles", ax: Axes | None = None,
                   empty_message: str = "no dated articles") -> Figure:
    """Counts per period as bars (from :func:`timeline_data`)."""
    fig, ax = _figure(ax, height=3.4)
    if data is None or data.empty:
        _empty(ax, empty_message, title)
        return fig
    x = pd.to_datetime(data["period"])
    width = max(((x.max() - x.min()).days / max(len(x), 1)) * 0.8, 0.8) if len(x) > 1 else 0.8
    ax.bar(x, data[value], width=width, color=ACCENT)
    ax.set_title(title)
    ax.set_ylabel(value)
    ax.grid(axis="y")
    ax.grid(axis="x", visible=False)
    ax.yaxis.get_major_locator().set_params(integer=True)
    if len(x) == 1:
        ax.set_xlim(x.iloc[0] - pd.Timedelta(days=3), x.iloc[0] + pd.Timedelta(days=3))
    for tick in ax.get_xticklabels():
        tick.set_rotation(30)
        tick.set_horizontalalignment("right")
    return fig


@house_style
def lines_chart(data: pd.DataFrame, *, title: str, ylabel: str = "mentions", ax: Axes | None = None,
                empty_message: str = "no dated mentions") -> Figure:
    """One line per column of a wide table from :func:`series_over_time_data`."""
    fig, ax = _figure(ax, height=3.6)
    series = [c for c in (data.columns if data is not None else []) if c != "period"]
    if data is None or data.empty or not series:
        _empty(ax, empty_message, title)
        return fig
    x = pd.to_datetime(data["period"])
    for column in series:
        ax.plot(x, data[column], marker="o", markersize=3, linewidth=1.6, label=_shorten(column, 28))
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    for tick in ax.get_xticklabels():
        tick.set_rotation(30)
        tick.set_horizontalalignment("right")
    return fig


@house_style
def heatmap_chart(data: pd.DataFrame, *, a: str = "actor_a", b: str = "actor_b", value: str = "n_sentences",
                  title: str = "Co-mentions", ax: Axes | None = None,
                  empty_message: str = "no two actors mentioned in one sentence") -> Figure:
    """A square heat map of a long-form matrix (from :func:`matrix_data`), counts written in cells."""
    keys = list(dict.fromkeys(data[a])) if data is not None and not data.empty else []
    side = min(max(3.0, 0.45 * len(keys) + 2.0), 11.0)
    fig, ax = _figure(ax, width=side + 1.5, height=side)
    if not keys:
        _empty(ax, empty_message, title)
        return fig
    wide = data.pivot(index=a, columns=b, values=value).reindex(index=keys, columns=keys).fillna(0)
    image = ax.imshow(wide.to_numpy(), cmap="Blues", vmin=0)
    ax.set_xticks(range(len(keys)), [_shorten(k, 20) for k in keys], rotation=45, ha="right")
    ax.set_yticks(range(len(keys)), [_shorten(k, 20) for k in keys])
    ax.grid(False)
    top = wide.to_numpy().max() or 1
    for i, row in enumerate(wide.to_numpy()):
        for j, v in enumerate(row):
            if v:
                ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=8,
                        color="white" if v > top * 0.6 else "black")
    fig.colorbar(image, ax=ax, shrink=0.7, label=value)
    ax.set_title(title)
    return fig


@house_style
def tone_chart(data: pd.DataFrame, *, label: str = "actor", value: str = "mean_compound",
               title: str = "Tone of sentences mentioning each actor", ax: Axes | None = None,
               empty_message: str = "no mentions found") -> Figure:
    """Diverging bars around 0 (VADER compound, -1..1): negative red, positive blue."""
    fig, ax, n = _bar_figure(data, ax, title=title, empty_message=empty_message)
    if not n:
        return fig
    values = pd.to_numeric(data[value], errors="coerce").fillna(0).to_numpy()[::-1]
    bars = ax.barh(range(n), values, color=[REFERENCE if v < 0 else ACCENT for v in values])
    ax.set_yticks(range(n), [_shorten(v) for v in data[label]][::-1])
    ax.bar_label(bars, labels=[f"{v:+.2f}" for v in values], padding=3, fontsize=9)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_xlim(-1.1, 1.1)
    ax.set_xlabel("mean VADER compound score (-1 negative … +1 positive)")
    ax.set_title(title)
    return fig


@house_style
def claims_chart(data: pd.DataFrame, *, title: str = "Shares claimed vs official figures",
                 ax: Axes | None = None, empty_message: str = "no market-share claims found") -> Figure:
    """One bar per claim (stated share, with its range); the official figures it matches as red
    diamonds joined by a line, from the lowest to the highest (one diamond when they agree)."""
    fig, ax, n = _bar_figure(data, ax, title=title, empty_message=empty_message)
    if not n:
        return fig
    rows = data.iloc[::-1].reset_index(drop=True)
    share = rows["share"].fillna(0)
    bars = ax.barh(range(n), share, color=ACCENT, label="stated in the news")
    low, high = rows["share_low"], rows["share_high"]
    ranged = low.notna() & high.notna() & (low != high)
    if ranged.any():
        ax.errorbar(share[ranged], rows.index[ranged],
                    xerr=[share[ranged] - low[ranged], high[ranged] - share[ranged]],
                    fmt="none", ecolor="#333333", capsize=3)
    low_ref = rows["reference_min"] if "reference_min" in rows else rows["reference_share"]
    high_ref = rows["reference_max"] if "reference_max" in rows else rows["reference_share"]
    has = low_ref.notna() & high_ref.notna()
    if has.any():
        ax.hlines(rows.index[has], low_ref[has], high_ref[has], color=REFERENCE, linewidth=2.5, zorder=3)
        ax.scatter(pd.concat([low_ref[has], high_ref[has]]), list(rows.index[has]) * 2, marker="D",
                   color=REFERENCE, zorder=3, label="official figures (lowest to highest)")
    ax.bar_label(bars, labels=[f"{v:g} %" for v in share], padding=3, fontsize=9)
    ax.set_yticks(range(n), [_shorten(v, 45) for v in rows["label"]])
    ax.set_xlim(0, 105)
    ax.set_xlabel("share (%)")
    fig.legend(frameon=False, fontsize=8, loc="outside lower center", ncols=2)
    ax.set_title(title)
    return fig


@house_style
def stage_chart(data: pd.DataFrame, *, title: str = "Share by stage vs rest of the world (global claims)",
                ax: Axes | None = None, empty_message: str = "no shares by stage stated") -> Figure:
    """Stacked 100 % bars: the holder's share (dark) and the rest (grey), per stage; a bar whose claim
    is about another market than the world (``scope`` column) is labelled with it."""
    fig, ax, n = _bar_figure(data, ax, title=title, empty_message=empty_message)
    if not n:
        return fig
    rows = data.iloc[::-1].reset_index(drop=True)
    scopes = rows["scope"].fillna("").astype(str) if "scope" in rows else pd.Series("global", index=rows.index)
    labels = [f"{h} · {s}" + ("" if sc in ("", "global") else " · scope not stated" if sc == "not stated"
                              else f" · in {sc}") for h, s, sc in zip(rows["holder"], rows["stage"], scopes)]
    all_global = scopes.isin(["", "global"]).all()
    held = ax.barh(range(n), rows["holder_share"], color=ACCENT, label="holder")
    rest = ax.barh(range(n), rows["rest_of_world"], left=rows["holder_share"], color=MUTED,
                   label="rest of the world" if all_global else "the rest (of the world, or of the market named)")
    ax.bar_label(held, labels=[f"{v:g} %" for v in rows["holder_share"]], label_type="center", color="white", fontsize=9)
    ax.bar_label(rest, labels=[f"{v:g} %" for v in rows["rest_of_world"]], label_type="center", fontsize=9)
    ax.set_yticks(range(n), [_shorten(v, 40) for v in labels])
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of global total (%)" if all_global else "share of the total named (%)")
    fig.legend(frameon=False, fontsize=8, loc="outside lower center", ncols=2)
    ax.set_title(title)
    return fig


# --------------------------------------------------------------------------------------------
# Saving


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, byte-for-byte reproducible (fixed dpi, no timestamp metadata)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return buffer.getvalue()


def save_chart(fig: Figure, data: pd.DataFrame, path_stem: str | os.PathLike) -> tuple[Path, Path]:
    """Write ``<stem>.png`` and ``<stem>.csv`` (the plotted numbers) atomically; return both paths.

    Example:
        >>> save_chart(fig, data, "reports/figures/articles-over-time")   # doctest: +SKIP
    """
    stem = Path(path_stem)
    png = atomic_write_bytes(stem.with_name(stem.name + ".png"), figure_png(fig))
    csv = write_csv(data if data is not None else pd.DataFrame(), stem.with_name(stem.name + ".csv"))
    return png, csv
