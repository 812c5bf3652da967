"""Reference figures: the bundled CSV, its validation, and setting a claim against every official figure."""

from __future__ import annotations

import pandas as pd
import pytest

from supplywatch.claims.reference import (
    CLAIM_REFERENCE_COLUMNS, DIFF_THRESHOLD_PP, EMPTY_SUMMARY, Reference, claim_bounds, comparable_claim, compare_claim,
    difference, load_reference, match_reference, read_reference,
)
from supplywatch.claims.reference_check import CLAIM_REFERENCES_COLUMNS, reference_tables
from supplywatch.exceptions import ResourceError


def test_bundled_figures_mark_news_quotes_non_official():
    refs = load_reference()
    china = {(r.source.split()[0], r.metric, r.share, r.year, r.official) for r in refs
             if r.holder_id == "CHN" and r.commodity == "rare earths" and r.scope == "global"}
    assert ("USGS", "mining", 69.2, 2024, True) in china
    assert ("IEA", "mining", 62.0, 2023, True) in china and ("IEA", "refining", 92.0, 2023, True) in china
    quoted = [r for r in refs if "quoted" in r.source]
    assert quoted and not any(r.official for r in quoted)
    assert all(r.citation and r.source and r.verification in ("checked", "unchecked") for r in refs)


# Several figures for one holder and commodity, in several years and from several sources, and two
# rows a news article attributes to the IEA (official=False: never compared).
REFS = (
    Reference("China", "CHN", "rare earths", "mining", 69.2, 2024, "global", "USGS", "c", True, "checked"),
    Reference("China", "CHN", "rare earths", "mining", 67.8, 2023, "global", "USGS", "c", True, "checked"),
    Reference("China", "CHN", "rare earths", "mining", 62.0, 2023, "global", "IEA", "c"),
    Reference("China", "CHN", "rare earths", "refining", 92.0, 2023, "global", "IEA", "c"),
    Reference("China", "CHN", "rare earths", "mining", 61.0, 2024, "global", "IEA quoted in news", "c", False),
    Reference("China", "CHN", "rare earths", "refining", 92.0, 2024, "global", "IEA quoted in news", "c", False),
    Reference("China", "CHN", "rare earths", "imports", 70.0, 2023, "United States", "USGS", "c", True, "checked"),
    Reference("China", "CHN", "gallium", "production", 98.7, 2024, "global", "USGS", "c"),
)
M24, M23, IEA_M, IEA_R = ("USGS", 2024, "mining", 69.2), ("USGS", 2023, "mining", 67.8), ("IEA", 2023, "mining", 62.0), \
    ("IEA", 2023, "refining", 92.0)


@pytest.mark.parametrize(
    ("case", "claim", "figures", "summary"),
    [
        # claim: (metric, year, share, low, high, qualifier, scope); figures: (source, year, metric, value, diff_pp);
        # summary: (n_references, reference_min, reference_max, diff_pp, max_abs_diff_pp, differs_from_all)
        ("the seed's 61: every official figure, the news quote left out",
         ("mining", "2025", 61.0, 61.0, 61.0, "exact", "global"),
         [(*M24, -8.2), (*IEA_M, -1.0), (*M23, -6.8)], (3, 62.0, 69.2, -1.0, 8.2, "no")),
        ("no scope counts as global", ("mining", "2024", 61.0, None, None, "exact", ""),
         [(*M24, -8.2), (*IEA_M, -1.0), (*M23, -6.8)], (3, 62.0, 69.2, -1.0, 8.2, "no")),
        ("far from every figure", ("mining", "2024", 40.0, 40.0, 40.0, "exact", "global"),
         [(*M24, -29.2), (*IEA_M, -22.0), (*M23, -27.8)], (3, 62.0, 69.2, -22.0, 29.2, "yes")),
        ("processing is refining", ("processing", "2024", 90.0, None, None, "exact", "global"),
         [(*IEA_R, -2.0)], (1, 92.0, 92.0, -2.0, 2.0, "no")),
        ("refining", ("refining", "2024", 80.0, None, None, "exact", "global"),
         [(*IEA_R, -12.0)], (1, 92.0, 92.0, -12.0, 12.0, "yes")),
        ("output: mine and refinery figures alike", ("output", "2024", 92.0, None, None, "exact", "global"),
         [(*M24, 22.8), (*IEA_M, 30.0), (*IEA_R, 0.0), (*M23, 24.2)], (4, 62.0, 92.0, 0.0, 30.0, "no")),
        ("a market share is compared with nothing", ("market", "2024", 61.0, None, None, "exact", "global"), [], None),
        ("other metric: nothing", ("other", "2024", 61.0, None, None, "exact", "global"), [], None),
        ("figures more than 3 years away are left out", ("mining", "2019", 61.0, None, None, "exact", "global"),
         [], None),
        ("3 years away is in", ("mining", "2021", 61.0, None, None, "exact", "global"),
         [(*M24, -8.2), (*IEA_M, -1.0), (*M23, -6.8)], (3, 62.0, 69.2, -1.0, 8.2, "no")),
        ("bounds: more than 60 % agrees with all", ("mining", "2024", 60.0, 60.0, None, "more_than", "global"),
         [(*M24, 0.0), (*IEA_M, 0.0), (*M23, 0.0)], (3, 62.0, 69.2, 0.0, 0.0, "no")),
        ("bounds: less than half", ("mining", "2024", 50.0, None, 50.0, "less_than", "global"),
         [(*M24, -19.2), (*IEA_M, -12.0), (*M23, -17.8)], (3, 62.0, 69.2, -12.0, 19.2, "yes")),
        ("the majority, no point value", ("mining", "2024", None, 50.0, 100.0, "majority", "global"),
         [(*M24, 0.0), (*IEA_M, 0.0), (*M23, 0.0)], (3, 62.0, 69.2, 0.0, 0.0, "no")),
        ("exactly 5 points is not more than 5", ("imports", "2023", 75.0, None, None, "exact", "United States"),
         [("USGS", 2023, "imports", 70.0, 5.0)], (1, 70.0, 70.0, 5.0, 5.0, "no")),
        ("import sources need the importer as scope", ("imports", "2023", 70.0, None, None, "exact", "global"), [], None),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_official_figure_that_matches(case, claim, figures, summary):
    metric, year, share, low, high, qualifier, scope = claim
    got = compare_claim("China", "CHN", "rare earths", metric, year, share, low=low, high=high, qualifier=qualifier,
                        scope=scope, references=REFS)
    assert [(r.source, r.year, r.metric, r.share, d) for r, d in got] == figures
    row = match_reference("China", "CHN", "rare earths", metric, year, share, low=low, high=high,
                          qualifier=qualifier, scope=scope, references=REFS)
    assert set(row) == set(CLAIM_REFERENCE_COLUMNS)
    if summary is None:
        assert row == EMPTY_SUMMARY
    else:
        keys = ["n_references", "reference_min", "reference_max", "diff_pp", "max_abs_diff_pp", "differs_from_all"]
        assert tuple(row[k] for k in keys) == summary
        # the closest figure is named, and diff_pp is the claim's difference from it
        assert row["diff_pp"] == next(d for r, d in got if r.share == row["reference_share"]
                                      and r.source == row["reference_source"])
        assert (row["differs_from_all"] == "yes") == all(abs(d) > DIFF_THRESHOLD_PP for _, d in got)


def test_mining_and_output_match_a_production_figure_but_refining_does_not():
    for metric in ("mining", "output", "production", "supply"):
        got = compare_claim("China", "CHN", "gallium", metric, "2024", 98.0, references=REFS)
        assert [(r.metric, r.share, d) for r, d in got] == [("production", 98.7, -0.7)], metric
    assert compare_claim("China", "CHN", "gallium", "refining", "2024", 98.0, references=REFS) == []


def test_news_quotes_are_never_compared_even_when_they_are_the_only_figures():
    quoted = tuple(r for r in REFS if not r.official)
    assert compare_claim("China", "CHN", "rare earths", "mining", "2024", 61.0, references=quoted) == []
    assert match_reference("China", "CHN", "rare earths", "mining", "2024", 61.0, references=quoted) == EMPTY_SUMMARY


def test_name_match_without_ids_and_the_nearest_year_breaks_ties():
    got = match_reference("china", "", "Rare Earths", "mining", "", 64.9, references=REFS)
    assert got["n_references"] == 3
    # 62.0 and 67.8 are both 2.9 points away: the latest year, then the source, decides
    assert (got["reference_source"], got["reference_year"], got["diff_pp"]) == ("IEA", "2023", 2.9)


@pytest.mark.parametrize(("share", "low", "high", "qualifier", "bounds"), [
    (61.0, 61.0, 61.0, "exact", (61.0, 61.0)), (60.0, 60.0, 60.0, "about", (60.0, 60.0)),
    (60.0, 60.0, None, "more_than", (60.0, 100.0)), (30.0, 30.0, None, "at_least", (30.0, 100.0)),
    (10.0, None, 10.0, "less_than", (0.0, 10.0)), (20.0, None, 20.0, "up_to", (0.0, 20.0)),
    (65.0, 60.0, 70.0, "range", (60.0, 70.0)), (None, 50.0, 100.0, "majority", (50.0, 100.0)),
    (70.0, None, 70.0, "nearly", (70.0, 70.0)), (100.0, 100.0, 100.0, "monopoly", (100.0, 100.0)),
    (None, None, None, "", None), (float("nan"), float("nan"), float("nan"), "exact", None),
])
def test_claim_bounds(share, low, high, qualifier, bounds):
    assert claim_bounds(share, low, high, qualifier) == bounds


def test_difference_is_zero_inside_the_bounds_and_signed_outside():
    assert [difference((60.0, 70.0), f) for f in (55.0, 60.0, 65.0, 70.0, 80.5)] == [5.0, 0.0, 0.0, 0.0, -10.5]
    assert difference(None, 50.0) is None


@pytest.mark.parametrize(("negated", "time_ref", "year", "compared"), [
    (False, "", "", True), (True, "", "2024", False), ("True", "current", "", False),
    (False, "current", "", True), (False, "forecast", "2026", False), (False, "previous", "", False),
    (False, "previous", "2023", True),
])
def test_which_claims_are_compared(negated, time_ref, year, compared):
    assert comparable_claim(negated=negated, time_ref=time_ref, year=year) is compared


# --------------------------------------------------------------------------- the whole table


def _claims(*rows: dict) -> pd.DataFrame:
    base = {"doc_id": "a", "sentence_id": 0, "start": 0, "end": 3, "holder": "China", "holder_id": "CHN",
            "share": 61.0, "share_low": 61.0, "share_high": 61.0, "qualifier": "exact", "metric": "mining",
            "commodity": "rare earths", "scope": "global", "year": "", "negated": False}
    return pd.DataFrame([{**base, "sentence_id": i, **row} for i, row in enumerate(rows)])


def test_reference_tables_fill_the_summary_and_list_every_figure():
    claims = _claims({}, {"share": 40.0, "share_low": 40.0, "share_high": 40.0, "doc_id": "old"},
                     {"metric": "market"}, {"negated": True}, {"time_ref": "forecast", "year": "2026"})
    documents = pd.DataFrame({"doc_id": ["a", "old"], "date": ["2025-06-12", "2012-01-05"]})
    filled, pairs = reference_tables(claims, documents, references=REFS)
    assert filled["n_references"].tolist() == [3, 0, 0, 0, 0]  # 2012 article: no figure within 3 years
    assert filled["differs_from_all"].tolist() == ["no", "", "", "", ""]
    assert filled.loc[0, "reference_source"] == "IEA" and filled.loc[0, "diff_pp"] == -1.0
    assert list(pairs.columns) == CLAIM_REFERENCES_COLUMNS
    assert pairs[["reference_source", "reference_year", "reference_share", "diff_pp"]].values.tolist() == [
        ["USGS", 2024, 69.2, -8.2], ["IEA", 2023, 62.0, -1.0], ["USGS", 2023, 67.8, -6.8]]
    assert set(pairs["compared_year"]) == {"2025"} and set(pairs["sentence_id"]) == {0}
    assert pairs["reference_verification"].tolist() == ["checked", "unchecked", "checked"]


def test_reference_tables_without_claims_keep_their_columns():
    filled, pairs = reference_tables(_claims().iloc[0:0], None, references=REFS)
    assert filled.empty and set(CLAIM_REFERENCE_COLUMNS) <= set(filled.columns)
    assert pairs.empty and list(pairs.columns) == CLAIM_REFERENCES_COLUMNS


# --------------------------------------------------------------------------- the file

HEADER = "holder,holder_id,commodity,metric,share,year,scope,source,official,verification,citation\n"


@pytest.mark.parametrize(
    ("row", "message"),
    [("China,CHN,rare earths,mining,abc,2024,global,S,yes,checked,c", "not a number"),
     ("China,CHN,rare earths,mining,120,2024,global,S,yes,checked,c", "outside 0-100"),
     ("China,CHN,rare earths,mining,50,20x4,global,S,yes,checked,c", "four-digit year"),
     ("China,CHN,rare earths,mining,50,2024,global,S,yes,checked,", "'citation' is empty"),
     ("China,CHN,rare earths,mining,50,2024,global,S,maybe,checked,c", "must be 'yes'"),
     ("China,CHN,rare earths,mining,50,2024,global,S,yes,sort of,c", "must be one of checked, unchecked")],
)
def test_validation_names_file_and_line(tmp_path, row, message):
    path = tmp_path / "ref.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(ResourceError) as err:
        read_reference(path)
    assert message in str(err.value) and f"{path}, line 2" in str(err.value)


def test_a_file_without_the_official_column_is_refused(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("holder,holder_id,commodity,metric,share,year,scope,source,citation\n"
                    "China,CHN,rare earths,mining,61,2024,global,news,c\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"missing column\(s\) \['official'\]"):
        read_reference(path)


def test_metric_synonyms_in_the_file_and_missing_verification(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("holder,holder_id,commodity,metric,share,year,scope,source,official,citation\n"
                    "China,CHN,rare earths,Processing,91,2024,,S,YES,c\n", encoding="utf-8")
    (ref,) = read_reference(path)
    assert (ref.metric, ref.scope, ref.official, ref.verification) == ("refining", "global", True, "unchecked")
