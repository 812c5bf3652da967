"""The reports' view of claims against official figures: counts, the finding sentence, tables with blank gaps."""

from __future__ import annotations

import pandas as pd
import pytest

from supplywatch.claims.reference import Reference
from supplywatch.claims.reference_check import reference_tables
from supplywatch.reports.nbtools import table_html
from supplywatch.reports.references import (
    claim_label, reference_figures_table, reference_spread_table, reference_summary,
)

REFS = (
    Reference("China", "CHN", "rare earths", "mining", 69.2, 2024, "global", "USGS", "c", True, "checked"),
    Reference("China", "CHN", "rare earths", "mining", 62.0, 2023, "global", "IEA", "c"),
    Reference("China", "CHN", "rare earths", "refining", 92.0, 2023, "global", "IEA", "c"),
    Reference("China", "CHN", "rare earths", "mining", 61.0, 2024, "global", "IEA quoted in news", "c", False),
)


def _claims() -> tuple[pd.DataFrame, pd.DataFrame]:
    base = {"doc_id": "a", "start": 0, "end": 3, "holder": "China", "holder_id": "CHN", "qualifier": "exact",
            "commodity": "rare earths", "scope": "global", "year": "2024", "negated": False}
    rows = [{"share": 61.0, "metric": "mining"}, {"share": 40.0, "metric": "mining"},
            {"share": 90.0, "metric": "processing"}, {"share": 100.0, "metric": "market", "scope": ""},
            {"share": 30.0, "metric": "mining", "negated": True}]
    claims = pd.DataFrame([{**base, "sentence_id": i, "share_low": r["share"], "share_high": r["share"], **r}
                           for i, r in enumerate(rows)])
    return reference_tables(claims, references=REFS)


def test_summary_counts_the_claims_that_differ_from_every_official_figure():
    claims, _ = _claims()
    summary = reference_summary(claims)
    assert (summary.n_claims, summary.n_compared, summary.n_differ) == (5, 3, 1)
    assert summary.sentence() == ("3 of 5 claims could be set against official figures; 1 of them differs from "
                                  "every official figure by more than 5 percentage points.")
    assert summary.differing["claim"].tolist() == ["China · mining · rare earths · global"]
    assert summary.differing["range"].tolist() == ["62–69.2 %"]


@pytest.mark.parametrize(("claims", "sentence"), [
    (pd.DataFrame(), "No market-share claims found, so none could be set against official figures."),
    (pd.DataFrame({"holder": ["India"], "differs_from_all": [""], "n_references": [0]}),
     "None of the 1 claim could be set against an official figure"),
])
def test_summary_without_comparisons_says_so(claims, sentence):
    assert reference_summary(claims).sentence().startswith(sentence)


def test_spread_table_shows_range_spread_and_both_differences():
    claims, _ = _claims()
    table = reference_spread_table(claims)
    assert table.values.tolist() == [
        ["China · mining · rare earths · global", "61 %", "2", "62–69.2 %", "7.2", "-1", "8.2", "no"],
        ["China · mining · rare earths · global", "40 %", "2", "62–69.2 %", "7.2", "-22", "29.2", "yes"],
        ["China · processing · rare earths · global", "90 %", "1", "92 %", "0", "-2", "2", "no"],
    ]


def test_figures_table_lists_every_official_figure_per_claim():
    _, pairs = _claims()
    table = reference_figures_table(pairs)
    assert table[["stated", "source", "year", "official figure", "checked here", "diff (pp)"]].values.tolist() == [
        ["61 %", "USGS", "2024", "69.2 %", "yes", "-8.2"], ["61 %", "IEA", "2023", "62 %", "no", "-1"],
        ["40 %", "USGS", "2024", "69.2 %", "yes", "-29.2"], ["40 %", "IEA", "2023", "62 %", "no", "-22"],
        ["90 %", "IEA", "2023", "92 %", "no", "-2"],
    ]
    assert "IEA quoted in news" not in set(table["source"])


def test_a_missing_figure_is_blank_in_the_shown_tables():
    claims, _ = _claims()
    shown = table_html(claims[["holder", "share", "reference_share", "reference_source", "n_references",
                               "reference_min", "diff_pp", "differs_from_all"]])
    assert ">None<" not in shown and ">nan<" not in shown and "<td></td>" in shown
    # an object column holding None (e.g. a frame built by hand) is blank too, not "None"
    assert "None" not in table_html(pd.DataFrame({"reference_share": [69.2, None], "flag": [True, None]}))


def test_claim_label_marks_negation():
    assert claim_label({"holder": "China", "metric": "mining", "negated": True}) == "NOT China · mining"


# --------------------------------------------------------------------------- report 03, rendered as users render it

CORPUS = (
    '{"id": "a1", "date": "2025-03-01", "text": "China accounts for 40 per cent of global rare earth mining. '
    'China controls 90 per cent of global rare earth processing. '
    'India holds 10 per cent of the global rare earths market."}\n'
    '{"id": "a2", "date": "2025-04-01", "text": "Vale produces 30 per cent of Brazil\'s nickel output. '
    'China no longer holds 95 per cent of global rare earth mining."}\n'
)


@pytest.fixture(scope="module")
def report03(tmp_path_factory):
    from _render_runs import run_cli

    root = tmp_path_factory.mktemp("refs")
    (root / "corpus").mkdir()
    (root / "corpus" / "news.jsonl").write_text(CORPUS, encoding="utf-8")
    proc = run_cli("render", str(root / "corpus"), "--out", str(root / "out"), "--notebooks", "03-*.ipynb")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return (root / "out" / "latest").resolve()


@pytest.mark.slow
def test_report_states_how_many_claims_differ_from_every_official_figure(report03):
    html = (report03 / "03-market-shares.html").read_text(encoding="utf-8")
    assert ("2 of 5 claims could be set against official figures; 1 of them differs from every official figure "
            "by more than 5 percentage points.") in html
    spread = pd.read_csv(report03 / "tables" / "03-claims-vs-official-figures.csv", dtype=str, keep_default_na=False)
    assert spread.values.tolist() == [
        ["China · mining · rare earths · global", "40 %", "3", "62–69.2 %", "7.2", "-22", "29.2", "yes"],
        ["China · refining · rare earths · global", "90 %", "1", "92 %", "0", "-2", "2", "no"]]


@pytest.mark.slow
def test_report_shows_every_official_figure_per_claim_and_blank_gaps(report03):
    figures = pd.read_csv(report03 / "tables" / "03-official-figures-per-claim.csv", dtype=str)
    assert figures[["stated", "source", "year", "official figure"]].values.tolist() == [
        ["40 %", "USGS Mineral Commodity Summaries 2025", "2024", "69.2 %"],
        ["40 %", "IEA Global Critical Minerals Outlook 2024", "2023", "62 %"],
        ["40 %", "USGS Mineral Commodity Summaries 2025", "2023", "67.8 %"],
        ["90 %", "IEA Global Critical Minerals Outlook 2024", "2023", "92 %"]]
    assert not figures["source"].str.contains("quoted").any()
    html = (report03 / "03-market-shares.html").read_text(encoding="utf-8")
    assert ">None<" not in html and ">nan<" not in html.lower()
    claims = pd.read_csv(report03 / "tables" / "03-claims.csv", keep_default_na=False, dtype=str)
    india = claims[claims["holder"] == "India"].iloc[0]
    assert (india["reference_share"], india["reference_min"], india["n_references"], india["differs_from_all"]) == (
        "", "", "0", "")


@pytest.mark.slow
def test_rest_of_the_world_chart_takes_only_global_claims(report03):
    stages = pd.read_csv(report03 / "figures" / "03-share-by-stage.csv")
    assert stages[["holder", "scope", "stage", "holder_share"]].values.tolist() == [
        ["China", "global", "mining", 40.0], ["China", "global", "refining", 90.0]]
    others = pd.read_csv(report03 / "tables" / "03-share-by-stage-other-scopes.csv")
    assert others[["holder", "scope", "stage", "holder_share"]].values.tolist() == [
        ["Vale", "Brazil", "production", 30.0]]
