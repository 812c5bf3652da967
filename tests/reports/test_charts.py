"""Charts: tables in, Figures out, in one style; readable from one article to thousands; PNG + CSV saved."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from supplywatch.reports import charts

SEED_CLAIMS = pd.DataFrame({
    "holder": ["China", "China"], "share": [61.0, 92.0], "share_low": [61.0, 92.0], "share_high": [61.0, 92.0],
    "metric": ["mining", "refining"], "commodity": ["rare earths", "rare earths"], "scope": ["global", "global"],
    "negated": [False, False], "reference_share": [69.0, None], "diff_pp": [-8.0, None],
})


def test_date_frequency_follows_the_span():
    assert charts.date_frequency(pd.to_datetime(["2025-01-01", "2025-01-30"])) == "D"
    assert charts.date_frequency(pd.to_datetime(["2025-01-01", "2025-06-30"])) == "W"
    assert charts.date_frequency(pd.to_datetime(["2020-01-01", "2025-06-30"])) == "MS"
    assert charts.date_frequency(pd.to_datetime(["1987-02-26", "1987-10-20"])) == "MS"  # Reuters-21578: 9 months


def test_timeline_fills_gaps_and_skips_undated():
    docs = pd.DataFrame({"doc_id": list("abcd"), "date": ["2025-06-12", "2025-06-12", "", "2025-06-15"]})
    data = charts.timeline_data(docs)
    assert data["period"].tolist() == ["2025-06-12", "2025-06-13", "2025-06-14", "2025-06-15"]
    assert data["articles"].tolist() == [2, 0, 0, 1]


def test_timeline_of_thousands_bins_by_month():
    dates = pd.date_range("2019-01-01", "2024-12-31", periods=5000).strftime("%Y-%m-%d")
    data = charts.timeline_data(pd.DataFrame({"doc_id": range(5000), "date": dates}))
    assert len(data) == 72 and data["articles"].sum() == 5000
    assert isinstance(charts.timeline_chart(data, title="t"), Figure)


def test_count_data_keeps_top_n_and_says_how_many_are_left_out():
    frame = pd.DataFrame({"actor": [f"actor {i:04d}" for i in range(3000)] + ["China"] * 5})
    data = charts.count_data(frame, "actor", top_n=10, value_name="mentions")
    assert len(data) == 10 and data.iloc[0].tolist()[:2] == ["China", 5]
    assert data.attrs["n_other"] == 2991
    fig = charts.bar_chart(data, label="actor", value="mentions", title="Mentions")
    assert "2991 more not shown" in fig.axes[0].get_title(loc="left")


@pytest.mark.parametrize("empty", [pd.DataFrame(), None])
def test_every_chart_draws_an_empty_table_with_a_message(empty):
    figs = [
        charts.bar_chart(charts.count_data(empty, "actor"), label="actor", value="count", title="x",
                         empty_message="no mentions found"),
        charts.timeline_chart(charts.timeline_data(empty), title="x"),
        charts.lines_chart(charts.series_over_time_data(empty, empty, by="actor"), title="x"),
        charts.heatmap_chart(charts.matrix_data(empty)),
        charts.tone_chart(empty),
        charts.claims_chart(charts.claims_reference_data(empty)),
        charts.stage_chart(charts.stage_share_data(empty)),
    ]
    texts = [t.get_text() for fig in figs for t in fig.axes[0].texts]
    assert "no mentions found" in texts and len(texts) == len(figs)


def test_charts_accept_an_axes_and_never_touch_pyplot():
    before = plt.get_fignums()
    fig = Figure()
    ax = fig.add_subplot()
    out = charts.bar_chart(pd.DataFrame({"a": ["x"], "n": [1]}), label="a", value="n", title="t", ax=ax)
    assert out is fig and plt.get_fignums() == before


def test_matrix_is_symmetric_and_limited():
    pairs = pd.DataFrame({"actor_a": ["China", "China", "India"], "actor_b": ["India", "US", "US"],
                          "n_sentences": [3, 1, 2]})
    data = charts.matrix_data(pairs, top_n=2)
    wide = data.pivot(index="actor_a", columns="actor_b", values="n_sentences")
    assert list(wide.index) == ["China", "India"] and wide.loc["China", "India"] == wide.loc["India", "China"] == 3


def test_stage_shares_sum_to_100_and_skip_negated_claims():
    claims = pd.concat([SEED_CLAIMS, SEED_CLAIMS.iloc[[0]].assign(share=10.0, negated=True)], ignore_index=True)
    data = charts.stage_share_data(claims)
    assert data[["holder", "stage", "holder_share", "rest_of_world"]].values.tolist() == [
        ["China", "mining", 61.0, 39.0], ["China", "refining", 92.0, 8.0]]


def test_stage_shares_use_todays_figures_and_labels_name_earlier_ones():
    """'rose to 24 from 19 per cent': the 19 (time_ref previous) and a forecast are not today's share."""
    claims = pd.concat([SEED_CLAIMS.assign(time_ref="current"),
                        SEED_CLAIMS.iloc[[0]].assign(share=19.0, time_ref="previous"),
                        SEED_CLAIMS.iloc[[0]].assign(share=30.0, time_ref="forecast")], ignore_index=True)
    data = charts.stage_share_data(claims)
    assert data[["stage", "holder_share"]].values.tolist() == [["mining", 61.0], ["refining", 92.0]]
    labels = charts.claims_reference_data(claims)["label"].tolist()
    assert labels[2].endswith("(earlier figure)") and labels[3].endswith("(forecast)")
    assert not labels[0].endswith(")")


def test_claims_vs_reference_plots_shares_and_reference_marks():
    data = charts.claims_reference_data(SEED_CLAIMS)
    assert data["share"].tolist() == [61.0, 92.0] and data["reference_share"].iloc[0] == 69.0
    fig = charts.claims_chart(data)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("mining" in label for label in labels)


def test_save_chart_writes_png_and_csv_byte_for_byte_reproducibly(tmp_path):
    data = charts.stage_share_data(SEED_CLAIMS)
    png1, csv1 = charts.save_chart(charts.stage_chart(data), data, tmp_path / "a" / "stage")
    png2, _ = charts.save_chart(charts.stage_chart(data), data, tmp_path / "b" / "stage")
    assert png1.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png1.read_bytes() == png2.read_bytes()
    assert pd.read_csv(csv1)["holder_share"].tolist() == [61.0, 92.0]
    assert b"tIME" not in png1.read_bytes() and b"Software" not in png1.read_bytes()


def test_house_style_applies_inside_charts_only():
    fig = charts.bar_chart(pd.DataFrame({"a": ["x"], "n": [1]}), label="a", value="n", title="t")
    assert not fig.axes[0].spines["top"].get_visible()
    assert plt.rcParams["axes.spines.top"] is True
    assert np.isclose(fig.dpi, charts.DPI)


def test_stage_chart_keeps_chain_stages_only_in_chain_order():
    claims = pd.DataFrame({
        "holder": ["China"] * 4, "share": [92.0, 100.0, 61.0, 40.0],
        "metric": ["refining", "market", "mining", "exports"], "negated": [False] * 4, "scope": ["global"] * 4,
    })
    data = charts.stage_share_data(claims)
    assert data[["stage", "holder_share"]].values.tolist() == [["mining", 61.0], ["refining", 92.0]]


# ------------------------------------------------------------------ readable at a glance (issue 15)


def _render(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()  # lay the figure out as saving it does
    return fig


def test_count_axes_have_whole_number_ticks():
    data = pd.DataFrame({"holder": ["China"], "claims": [3]})
    ax = _render(charts.bar_chart(data, label="holder", value="claims", title="Claims by holder")).axes[0]
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)  # no "0.5 claims"


def test_one_bar_is_not_a_slab():
    data = pd.DataFrame({"holder": ["China"], "claims": [3]})
    ax = _render(charts.bar_chart(data, label="holder", value="claims", title="Claims by holder")).axes[0]
    bar = ax.patches[0]
    height_share = bar.get_height() / (ax.get_ylim()[1] - ax.get_ylim()[0])
    assert height_share <= 1 / charts.MIN_BAR_SLOTS


def test_a_time_axis_for_one_date_spans_that_date():
    docs = pd.DataFrame({"doc_id": ["a"], "date": ["2025-06-12"]})
    ax = _render(charts.timeline_chart(charts.timeline_data(docs), title="Articles")).axes[0]
    low, high = ax.get_xlim()
    assert high - low <= 5  # days, not years
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2025-06-12"]
    mentions = pd.DataFrame({"doc_id": ["a", "a"], "actor": ["China", "India"]})
    over_time = charts.series_over_time_data(mentions, docs, by="actor")
    fig = _render(charts.lines_chart(over_time, title="Mentions over time"))
    assert "2025-06-12: one period only" in fig.axes[0].get_title(loc="left")


def test_claim_labels_sit_right_of_the_bar_and_the_reference_mark():
    data = charts.claims_reference_data(SEED_CLAIMS)
    ax = _render(charts.claims_chart(data)).axes[0]
    labels = {t.get_text(): t for t in ax.texts}
    label = labels["61 %  (official 69 %)"]
    renderer = ax.figure.canvas.get_renderer()
    box = label.get_window_extent(renderer)
    (diamonds,) = [c for c in ax.collections if c.__class__.__name__ == "PathCollection"]
    marks = diamonds.get_offsets()  # the official figures' diamonds, in data coordinates
    mark_x = ax.transData.transform(marks[0])[0]
    assert box.x0 > mark_x + 4  # the label starts right of the diamond (its half-width is ~4 px)


def test_alt_text_names_the_chart_and_its_top_values():
    data = pd.DataFrame({"actor": ["China", "India", "Japan", "Chile"], "mentions": [10, 8, 4, 1]})
    fig = charts.bar_chart(data, label="actor", value="mentions", title="Mentions by actor")
    assert charts.chart_alt(fig, data) == "Chart: Mentions by actor. Top values: China 10, India 8, Japan 4 (4 rows)."


def test_rest_of_the_world_takes_only_global_claims_and_labels_the_others_with_their_scope():
    claims = pd.DataFrame({
        "holder": ["China", "Petrozed", "Zedco"], "share": [61.0, 20.0, 50.0], "negated": [False] * 3,
        "metric": ["mining", "output", "refining"], "scope": ["global", "Norland", ""],
    })
    world = charts.stage_share_data(claims)
    assert world[["holder", "scope", "stage", "holder_share", "rest_of_world"]].values.tolist() == [
        ["China", "global", "mining", 61.0, 39.0]]
    others = charts.stage_share_data(claims, scope="other")
    assert others[["holder", "scope", "stage", "holder_share"]].values.tolist() == [
        ["Petrozed", "Norland", "production", 20.0], ["Zedco", "not stated", "refining", 50.0]]
    chart = charts.stage_chart(charts.stage_share_data(claims, scope="all"))
    labels = [t.get_text() for t in chart.axes[0].get_yticklabels()]
    assert sorted(labels) == ["China · mining", "Petrozed · production · in Norland", "Zedco · refining · scope not stated"]
    with pytest.raises(ValueError, match="scope must be"):
        charts.stage_share_data(claims, scope="world")


def test_claims_vs_reference_draws_the_range_of_official_figures():
    claims = SEED_CLAIMS.assign(reference_min=[62.0, None], reference_max=[69.2, None], n_references=[3, 0])
    data = charts.claims_reference_data(claims)
    assert data[["reference_min", "reference_max"]].iloc[0].tolist() == [62.0, 69.2]
    assert data[["reference_min", "reference_max"]].iloc[1].isna().all()
    ax = charts.claims_chart(data).axes[0]
    (segments,) = [c for c in ax.collections if c.__class__.__name__ == "LineCollection"]
    assert [tuple(p[:, 0]) for p in segments.get_segments()] == [(62.0, 69.2)]
