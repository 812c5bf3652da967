"""Key findings: sentences with numbers computed from the report's own tables."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from supplywatch.reports.filters import load_report_data
from supplywatch.reports.findings import claim_findings, corpus_findings, mention_findings


def _claims(rows):
    return pd.DataFrame(rows, columns=["holder", "share", "metric", "commodity", "reference_share", "diff_pp"])


def test_claim_findings_count_claims_gaps_and_the_largest_ones():
    claims = _claims([["China", 100.0, "market", "rare earths", 92.0, 8.0],
                      ["China", 61.0, "mining", "rare earths", 61.0, 0.0],
                      ["China", 70.0, "refining", "graphite", 93.0, -23.0],
                      ["Chile", 30.0, "mining", "lithium", math.nan, math.nan]])
    found = claim_findings(claims)
    assert 3 <= len(found) <= 6
    assert found[0] == "4 market-share claims by 2 holders; 3 can be set against an official figure."
    assert found[1].startswith("2 of them differ from every official figure by more than 5 percentage points; 1 is")
    assert found[2] == ("Largest gaps: China refining graphite: 70 % claimed vs 93 % official (-23 points); "
                        "China market rare earths: 100 % claimed vs 92 % official (+8 points).")
    assert found[3].startswith("1 claim has no official figure")


def test_claim_findings_use_a_per_claim_gap_to_every_reference_where_given():
    claims = _claims([["China", 100.0, "market", "rare earths", 92.0, 8.0]])
    # e.g. two official figures, 92 and 97: the claim is within 5 points of one of them
    found = claim_findings(claims, gap_of=lambda c: pd.Series([3.0], index=c.index))
    assert found[1].startswith("0 of them differ from every official figure")


def test_claim_findings_read_the_per_claim_comparison_with_every_official_figure():
    claims = _claims([["China", 70.0, "refining", "rare earths", 90.0, -20.0],
                      ["China", 61.0, "mining", "rare earths", 62.0, -1.0],
                      ["Chile", 30.0, "mining", "lithium", math.nan, math.nan]]).assign(
        n_references=[2, 3, 0], reference_min=[85.0, 62.0, math.nan], reference_max=[90.0, 69.2, math.nan],
        max_abs_diff_pp=[20.0, 8.2, math.nan], differs_from_all=["yes", "no", ""])
    found = claim_findings(claims)
    assert found[1] == ("1 of them differs from every official figure by more than 5 percentage points; "
                        "1 is within 5 points of at least one.")
    assert found[2] == ("Largest gaps: China refining rare earths: 70 % claimed vs 85–90 % official "
                        "(-20 points from the closest).")


def _corpus(tmp_path: Path, articles: dict[str, str]) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    for name, text in articles.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_mention_findings_compare_the_latest_period_with_the_one_before(tmp_path):
    corpus = _corpus(tmp_path, {
        "a.txt": "date: 2025-06-10\nsource: Wire One\n\nChina and India met. China spoke.\n",
        "b.txt": "date: 2025-06-11\nsource: Wire One\n\nChina, China and China again, and India.\n",
        "c.txt": "date: 2025-06-11\nsource: Daily Two\n\nIndia replied to China.\n"})
    data = load_report_data(str(corpus))
    found = mention_findings(data)
    assert found[0] == "China is mentioned most: 6 of 9 mentions (67%), ahead of India (3)."
    assert "China: 4 mentions in the latest day (from 2025-06-11) against 2 in the day before (+2)." in found
    overview = corpus_findings(data)
    assert overview[0] == "3 articles, published between 2025-06-10 and 2025-06-11."
    assert overview[1] == "They come from 2 named sources; the largest is Wire One with 2 articles (67%)."


def test_findings_name_ties_and_keep_two_actors_of_one_name_apart(tmp_path):
    """No winner is made of a tie; quotes count speakers of the gazetteer and the recogniser."""
    corpus = _corpus(tmp_path, {
        "a.txt": "date: 2025-06-10\nsource: Wire One\n\nChina and India met. \"We agree,\" Lin Jian said.\n",
        "b.txt": "date: 2025-06-10\nsource: Daily Two\n\nChina and India spoke. \"We will see,\" said Maria "
                 "Ortega, a trader.\n"})
    data = load_report_data(str(corpus))
    found = mention_findings(data)
    assert found[0].startswith("China and India are mentioned most, 2 times each")
    quoted = [f for f in found if f.startswith("Most quoted")]
    assert quoted == ["Most quoted actors, tied: Lin Jian and Maria Ortega (1 quote each of 2 attributed to a "
                      "named actor of the gazetteer or the recogniser)."]
    assert corpus_findings(data)[1].startswith("They come from 2 named sources; the largest is a tie between "
                                               "Daily Two and Wire One")
    from supplywatch.reports.findings import _counts_by_actor

    mentions = pd.DataFrame({"actor_id": ["IRL", "IRL", "new:ireland"], "actor": ["Ireland"] * 3,
                             "actor_type": ["country", "country", "person"]})
    assert _counts_by_actor(mentions).to_dict() == {"Ireland (country)": 2, "Ireland (person)": 1}


def test_findings_of_an_empty_selection_say_so(tmp_path):
    corpus = _corpus(tmp_path, {"a.txt": "date: 2025-06-10\n\nChina spoke.\n"})
    data = load_report_data(str(corpus), since="2026-01-01")
    for found in (corpus_findings(data), mention_findings(data)):
        assert found[0].startswith("No article is left after the filters (since 2026-01-01)")


def test_load_problems_are_counted_by_severity_and_listed_errors_first(tmp_path):
    corpus = _corpus(tmp_path, {"a.txt": "date: 2025-06-10\n\nChina mines rare earths.\n",
                                "b.txt": "date: 2025-06-10\n\nChina mines rare earths.\n",   # a duplicate
                                "c.jsonl": '{"text": "India spoke."}\n{bad\n'})
    data = load_report_data(str(corpus))
    assert data.load_problems["severity"].tolist() == ["error", "skipped"]
    line = [f for f in corpus_findings(data) if f.startswith("The loader reported")][0]
    assert "1 error(s): files or records not read; 1 skipped (duplicates, documentation files)" in line


def test_parameters_are_shown_as_typed_not_as_python_reprs(monkeypatch):
    """A reviewer read '' and a quoted path in the Parameters table."""
    from supplywatch.reports import nbtools

    shown = []
    monkeypatch.setattr(nbtools, "show_table", lambda frame, **kw: shown.append(frame))
    nbtools.show_parameters(corpus="/data/bbc", since="", top_n=15)
    assert shown[0]["value"].tolist() == ["/data/bbc", "(not set)", "15"]
