"""Reports at scale: `supplywatch render` on all 19,043 Reuters-21578 articles stays readable.

Charts keep the top N, timelines bin by month, and tables show their first rows with a link to the
CSV that holds every row. Needs ../shared/corpora (skips with a reason where it is absent).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from _render_runs import run_cli

from supplywatch.reports.nbtools import MAX_ROWS

pytestmark = pytest.mark.slow

TOP_N = 15  # the notebooks' default top_n


class _Tables(HTMLParser):
    """Rows of every <table> in a page, and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[int] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.rows.append(0)
        elif tag == "tr" and self.rows:
            self.rows[-1] += 1
        elif tag == "a":
            self.links += [v for k, v in attrs if k == "href" and v]


@pytest.fixture(scope="module")
def reuters_run(shared_corpora: Path, tmp_path_factory) -> Path:
    from supplywatch.corpus.reuters import import_reuters

    corpus = tmp_path_factory.mktemp("reuters") / "corpus"
    stats = import_reuters(shared_corpora / "reuters21578", corpus)
    assert stats.articles == 19_043
    out = tmp_path_factory.mktemp("reuters-reports")
    proc = run_cli("render", str(corpus), "--out", str(out), "--force", timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return (out / "latest").resolve()


def test_every_report_is_rendered_and_small(reuters_run: Path) -> None:
    pages = sorted(reuters_run.glob("*.html"))
    assert [p.stem for p in pages] == ["01-corpus-overview", "02-actor-mentions", "03-market-shares", "index"]
    for page in pages:
        assert page.stat().st_size < 2_000_000, f"{page.name}: {page.stat().st_size:,} bytes"


def test_tables_show_their_first_rows_and_link_the_full_csv(reuters_run: Path) -> None:
    notes = 0
    for page in sorted(reuters_run.glob("0*.html")):
        text = page.read_text(encoding="utf-8")
        parser = _Tables()
        parser.feed(text)
        assert parser.rows and max(parser.rows) <= MAX_ROWS + 1, f"{page.name}: a table shows too many rows"
        for shown, total, href in re.findall(r"([\d,]+) of ([\d,]+) rows shown; the CSV file <a href=\"([^\"]+)\"", text):
            notes += 1
            csv = reuters_run / href
            assert csv.is_file(), f"{page.name}: the link {href} is broken"
            assert not Path(href).is_absolute() and ".." not in href  # the run folder moves as one
            assert int(shown.replace(",", "")) == MAX_ROWS
            assert len(pd.read_csv(csv, keep_default_na=False)) == int(total.replace(",", ""))
        for href in parser.links:
            if href.endswith(".csv"):
                assert (reuters_run / href).is_file(), f"{page.name}: the link {href} is broken"
    assert notes >= 5  # articles, mentions by kind, co-mentions, quotes, claims ...
    articles = pd.read_csv(reuters_run / "tables" / "01-articles.csv", keep_default_na=False)
    assert len(articles) == 19_043


def test_charts_keep_the_top_n_and_bin_by_month(reuters_run: Path) -> None:
    figures = reuters_run / "figures"
    for name in ("01-top-terms", "02-mentions-by-actor", "02-quotes-by-speaker", "02-tone-by-actor",
                 "03-claims-by-holder"):
        data = pd.read_csv(figures / f"{name}.csv")
        assert 0 < len(data) <= TOP_N, name
    timeline = pd.read_csv(figures / "01-articles-over-time.csv", parse_dates=["period"])
    assert (timeline["period"].dt.day == 1).all() and len(timeline) == 9  # Feb..Oct 1987, one bar a month
    assert timeline["articles"].sum() == 19_043
    over_time = pd.read_csv(figures / "02-mentions-over-time.csv")
    assert len(over_time) == 9 and len(over_time.columns) <= 1 + 6  # period + the six most mentioned
    heatmap = pd.read_csv(figures / "02-comentions-heatmap.csv")
    assert heatmap["actor_a"].nunique() <= 12
