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
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from supplywatch.io import atomic_write_bytes, write_csv
from supplywatch.reports.chartdata import (  # noqa: F401  (the notebooks read the numbers through charts)
    CHAIN_STAGES, STAGES, TOP_N, claims_reference_data, count_data, date_frequency, matrix_data,
    series_over_time_data, stage_share_data, timeline_data)

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


#: Fewer bars than this keep the thickness of this many (a single bar is not a slab).
MIN_BAR_SLOTS = 5


def _bar_slots(ax: Axes, n: int) -> None:
    """Give ``n`` horizontal bars at least :data:`MIN_BAR_SLOTS` slots of height, bars at the top."""
    if n < MIN_BAR_SLOTS:
        ax.set_ylim(-0.5 - (MIN_BAR_SLOTS - n), n - 0.5)


def _integer_axis(axis: Any, values: Any) -> None:
    """Ticks at whole numbers only when the values are counts (no "0.5 claims")."""
    from matplotlib.ticker import MaxNLocator

    numbers = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    if len(numbers) and (numbers == numbers.round()).all():
        axis.set_major_locator(MaxNLocator(integer=True))


def _one_date_axis(ax: Axes, when: pd.Timestamp) -> None:
    """A time axis for a single date: that date's tick only, a day either side."""
    ax.set_xlim(when - pd.Timedelta(days=2), when + pd.Timedelta(days=2))
    ax.set_xticks([when], [when.strftime("%Y-%m-%d")])


def _date_ticks(ax: Axes) -> None:
    """Dates on the x axis as ``YYYY-MM-DD``, slanted so they never overlap."""
    from matplotlib.dates import AutoDateLocator, DateFormatter

    ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=10))
    ax.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))


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
    bars = ax.barh(range(n), values, color=ACCENT, height=0.7)
    ax.set_yticks(range(n), labels)
    ax.bar_label(bars, labels=[f"{v:g}" for v in values], padding=3, fontsize=9)
    ax.margins(x=0.12)
    _bar_slots(ax, n)
    _integer_axis(ax.xaxis, values)
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
    width = max(((x.max() - x.min()).days / max(len(x), 1)) * 0.8, 0.8) if len(x) > 1 else 0.4
    ax.bar(x, data[value], width=width, color=ACCENT)
    ax.set_title(title)
    ax.set_ylabel(value)
    ax.grid(axis="y")
    ax.grid(axis="x", visible=False)
    ax.yaxis.get_major_locator().set_params(integer=True)
    if len(x) == 1:
        _one_date_axis(ax, x.iloc[0])
    else:
        _date_ticks(ax)
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
    if len(x) == 1:  # one period: no line to draw; one bar per series, labelled, for that period
        values = data[series].iloc[0]
        bars = ax.barh(range(len(series)), values.to_numpy()[::-1], color=ACCENT, height=0.7)
        ax.set_yticks(range(len(series)), [_shorten(c, 28) for c in series][::-1])
        ax.bar_label(bars, labels=[f"{v:g}" for v in values.to_numpy()[::-1]], padding=3, fontsize=9)
        _bar_slots(ax, len(series))
        _integer_axis(ax.xaxis, values)
        ax.set_title(f"{title} ({data['period'].iloc[0]}: one period only)")
        ax.set_xlabel(ylabel)
        return fig
    for column in series:
        ax.plot(x, data[column], marker="o", markersize=3, linewidth=1.6, label=_shorten(column, 28))
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(bottom=0)
    _date_ticks(ax)
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
    bars = ax.barh(range(n), values, color=[REFERENCE if v < 0 else ACCENT for v in values], height=0.7)
    ax.set_yticks(range(n), [_shorten(v) for v in data[label]][::-1])
    _bar_slots(ax, n)
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
    ax.barh(range(n), share, color=ACCENT, label="stated in the news", height=0.7)
    low, high = rows["share_low"], rows["share_high"]
    ranged = low.notna() & high.notna() & (low != high)
    if ranged.any():
        ax.errorbar(share[ranged], rows.index[ranged],
                    xerr=[share[ranged] - low[ranged], high[ranged] - share[ranged]],
                    fmt="none", ecolor="#333333", capsize=3)
    one = rows["reference_share"]  # a table without the range columns: its one reference figure
    low_ref = rows["reference_min"].fillna(one) if "reference_min" in rows else one
    high_ref = rows["reference_max"].fillna(one) if "reference_max" in rows else one
    has = low_ref.notna() & high_ref.notna()
    if has.any():
        ax.hlines(rows.index[has], low_ref[has], high_ref[has], color=REFERENCE, linewidth=2.5, zorder=3)
        ax.scatter(pd.concat([low_ref[has], high_ref[has]]), list(rows.index[has]) * 2, marker="D",
                   color=REFERENCE, zorder=3, label="official figures (lowest to highest)")
    # the value label goes right of the bar, its range and the official figures, so none hides it
    right = pd.concat([share, high.fillna(0), high_ref.fillna(0)], axis=1).max(axis=1)
    for i, (value, lo, hi, end) in enumerate(zip(share, low_ref, high_ref, right)):
        official = "" if pd.isna(lo) else f"{lo:g} %" if lo == hi else f"{lo:g}–{hi:g} %"
        text = f"{value:g} %" + (f"  (official {official})" if official else "")
        ax.annotate(text, (end, i), xytext=(7, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(range(n), [_shorten(v, 45) for v in rows["label"]])
    _bar_slots(ax, n)
    ax.set_xlim(0, 135)
    ax.set_xticks(range(0, 101, 20))
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
    held = ax.barh(range(n), rows["holder_share"], color=ACCENT, label="holder", height=0.7)
    rest = ax.barh(range(n), rows["rest_of_world"], left=rows["holder_share"], color=MUTED, height=0.7,
                   label="rest of the world" if all_global else "the rest (of the world, or of the market named)")
    ax.bar_label(held, labels=[f"{v:g} %" for v in rows["holder_share"]], label_type="center", color="white", fontsize=9)
    ax.bar_label(rest, labels=[f"{v:g} %" for v in rows["rest_of_world"]], label_type="center", fontsize=9)
    ax.set_yticks(range(n), [_shorten(v, 40) for v in labels])
    _bar_slots(ax, n)
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of global total (%)" if all_global else "share of the total named (%)")
    fig.legend(frameon=False, fontsize=8, loc="outside lower center", ncols=2)
    ax.set_title(title)
    return fig


# --------------------------------------------------------------------------------------------
# Describing (alternative text) and saving


def _number(value: Any) -> str:
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)


#: Columns a chart plots when its table has several numbers (the tone chart plots the mean score).
_PLOTTED = ("mean_compound", "holder_share")
#: The column that names a row when there is one (else every text column, joined).
_LABELS = ("label", "actor", "holder", "term", "source", "speaker", "actor_type")


def chart_alt(fig: Figure, data: pd.DataFrame | None, *, top: int = 3) -> str:
    """Alternative text for a chart: its title and its largest values, from the numbers it plots.

    The label of a row is its text columns joined (``China · mining``); the value its first numeric
    column. A wide time series (``period`` and one column per series) gives each series' total.

    Example:
        >>> fig = bar_chart(pd.DataFrame({"actor": ["China", "India"], "n": [9, 4]}), label="actor",
        ...                 value="n", title="Mentions")
        >>> chart_alt(fig, pd.DataFrame({"actor": ["China", "India"], "n": [9, 4]}))
        'Chart: Mentions. Top values: China 9, India 4 (2 rows).'
    """
    titles = (ax.get_title(loc=loc) for ax in fig.axes for loc in ("left", "center", "right"))
    title = next((t for t in titles if t), "") or "untitled"
    text = f"Chart: {title}."
    if data is None or data.empty:
        return text + " No data."
    numeric = [c for c in data.columns if pd.api.types.is_numeric_dtype(data[c]) and not pd.api.types.is_bool_dtype(data[c])]
    numeric = [c for c in _PLOTTED if c in numeric] + [c for c in numeric if c not in _PLOTTED]
    labels = [c for c in data.columns if c not in numeric]
    named = [c for c in _LABELS if c in labels]
    labels = (named[:1] + (["stage"] if "stage" in labels else [])) if named else labels
    if "period" in data and len(numeric) > 1:  # wide series over time: totals per series
        totals = data[numeric].sum().sort_values(ascending=False, kind="stable")
        pairs = [f"{name} {_number(v)}" for name, v in totals.head(top).items()]
        return (text + f" Totals over {len(data)} period(s) from {data['period'].iloc[0]} to "
                f"{data['period'].iloc[-1]}: " + ", ".join(pairs) + ".")
    if not numeric:
        return text + f" {len(data)} rows."
    value = numeric[0]
    ranked = data.sort_values(value, ascending=False, kind="stable").head(top)
    pairs = [(" · ".join(str(row[c]) for c in labels) or "value") + f" {_number(row[value])}"
             for _, row in ranked.iterrows()]
    return text + " Top values: " + ", ".join(pairs) + f" ({len(data)} row{'s' if len(data) != 1 else ''})."


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
