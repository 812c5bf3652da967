"""The report filters apply to every table: terms, collocations, keyword in context, tone, co-mentions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from supplywatch.reports.filters import load_report_data
from supplywatch.reports.nbtools import collocations, keyword_in_context, table_html, top_terms

MAY = ("title: May article\ndate: 2025-05-10\n\n"
       "Zirconium smelters in India said zirconium output fell. India blamed the zirconium smelters for the "
       "terrible, awful losses. Zirconium smelters closed. India mourned a disaster.\n")
JUNE = ("title: June article\ndate: 2025-06-12\n\n"
        "China said rare earth exports rose. China welcomed the excellent, wonderful progress on rare earth "
        "exports. Rare earth exports from China are a great success for Japan and China.\n")


@pytest.fixture()
def two_months(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "may.txt").write_text(MAY, encoding="utf-8")
    (corpus / "june.txt").write_text(JUNE, encoding="utf-8")
    return corpus


def test_a_date_window_filters_terms_collocations_kwic_and_tone(two_months):
    everything = load_report_data(str(two_months))
    june = load_report_data(str(two_months), since="2025-06-01", until="2025-06-30")
    assert "zirconium" in set(top_terms(everything, top_n=50)["term"])
    assert june.n_documents == 1 and june.n_documents_loaded == 2
    terms = set(top_terms(june, top_n=50)["term"])
    assert "zirconium" not in terms and {"china", "exports"} <= terms  # the May-only word is gone
    pairs = set(collocations(june, top_n=50)["term"])
    assert "zirconium smelters" in set(collocations(everything, top_n=50)["term"])
    assert "zirconium smelters" not in pairs and "rare earth" in pairs
    assert keyword_in_context(june, "India").empty  # India is only named in May
    assert not keyword_in_context(everything, "India").empty
    tone = june.table("tone")
    assert set(tone["actor"]) == {"China", "Japan"} and (tone["mean_compound"] > 0).all()
    assert "India" in set(everything.table("tone")["actor"])
    assert not any("whole corpus" in note for note in june.notes)


def test_an_actor_filter_keeps_the_articles_naming_it(two_months):
    india = load_report_data(str(two_months), actors="India")
    assert india.documents["title"].tolist() == ["May article"]
    assert set(india.table("mentions")["actor"]) == {"India"}
    assert "china" not in set(top_terms(india, top_n=50)["term"])
    assert (india.table("tone")["mean_compound"] < 0).all()


def test_a_filter_that_keeps_nothing_gives_empty_tables(two_months):
    none = load_report_data(str(two_months), since="2030-01-01")
    assert none.empty and none.n_documents_loaded == 2
    assert top_terms(none, top_n=5).empty and none.table("mentions").empty and none.table("tone").empty


def test_a_missing_value_is_blank_in_every_table():
    html = table_html(pd.DataFrame({"reference_share": [None, 61.0], "source": [None, "IEA"]}, dtype=object))
    assert ">None<" not in html and ">nan<" not in html and ">NaN<" not in html
    assert "<td></td>" in html and "61.0" in html


def test_table_html_lets_column_names_break_and_wraps_the_table():
    frame = pd.DataFrame({"reference_min": [1.5], "note": ["a_b <i>x</i>"]})
    html = table_html(frame)
    assert html.startswith('<div class="sw-table-wrap">') and html.endswith("</div>")
    assert "<th>reference_<wbr>min</th>" in html
    assert "<td>a_b &lt;i&gt;x&lt;/i&gt;</td>" in html  # cells untouched and still escaped
