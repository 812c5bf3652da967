"""data/reference_shares.csv against the USGS chapter we hold: every row marked ``checked`` is recomputed.

The source is ``../shared/corpora/usgs_mcs2025_rare_earths`` (USGS Mineral Commodity Summaries 2025,
Rare Earths, pp. 144-145), in two independent text conversions of the PDF: "marker" (Markdown, pipe
tables) and PyPDF2 (raw text). Footnote markers are fused to the numbers there ("14270,000" is
footnote 14 + 270,000): :data:`FOOTNOTES` says which marker each country's cells carry, read off the
chapter's footnotes 12 (estimated from China's import data) and 14 (production quota).
"""

from __future__ import annotations

import re

import pytest

from supplywatch.claims.reference import load_reference

pytestmark = pytest.mark.corpus

#: The footnote marker fused to each country's mine-production cells (none: "").
FOOTNOTES = {"United States": "", "Australia": "12", "Burma": "12", "China": "14"}
#: Our holder names for the chapter's country names.
HOLDERS = {"United States": "United States", "Australia": "Australia", "Burma": "Myanmar", "China": "China"}
YEARS = (2023, 2024)


def _cell(text: str, footnote: str) -> int:
    """A table cell as a number, after removing its fused footnote marker."""
    text = text.strip()
    assert text.startswith(footnote), (text, footnote)
    return int(text[len(footnote):].replace(",", ""))


@pytest.fixture(scope="module")
def chapter(shared_corpora):
    root = shared_corpora / "usgs_mcs2025_rare_earths"
    return {"marker": (root / "mcs2025-rare-earths.marker.md").read_text(encoding="utf-8"),
            "pypdf2": (root / "mcs2025-rare-earths.pypdf2.txt").read_text(encoding="utf-8")}


def _mine_production(text: str, kind: str) -> dict[str, tuple[int, int]]:
    """``country -> (2023, 2024)`` mine production (t REO) and ``World total`` from one conversion."""
    out = {}
    for country in [*FOOTNOTES, "World total (rounded)"]:
        if kind == "marker":
            m = re.search(rf"^\|\s*{re.escape(country)}\s*\|\s*([\d,]+)\s*\|\s*([\d,]+)\s*\|", text, re.M)
        else:
            m = re.search(rf"^{re.escape(country)}\s+([\d,]+)\s+([\d,]+)\s", text, re.M)
        assert m, f"{country} not found in the {kind} conversion"
        note = FOOTNOTES.get(country, "")
        out[country] = (_cell(m.group(1), note), _cell(m.group(2), note))
    return out


@pytest.mark.parametrize("kind", ["marker", "pypdf2"])
def test_both_conversions_give_the_same_world_mine_production_table(chapter, kind):
    table = _mine_production(chapter[kind], kind)
    assert table["China"] == (255_000, 270_000)
    assert table["World total (rounded)"] == (376_000, 390_000)
    assert table == _mine_production(chapter["marker"], "marker")


def test_every_checked_mine_production_share_is_recomputed_from_the_chapter(chapter):
    table = _mine_production(chapter["marker"], "marker")
    world = dict(zip(YEARS, table["World total (rounded)"]))
    expected = {(HOLDERS[c], y): round(100 * t / world[y], 1)
                for c, cells in table.items() if c in HOLDERS for y, t in zip(YEARS, cells)}
    rows = [r for r in load_reference() if r.verification == "checked" and r.metric == "mining"]
    assert len(rows) == len(expected) == 8
    for r in rows:
        assert (r.commodity, r.scope, r.source) == ("rare earths", "global", "USGS Mineral Commodity Summaries 2025")
        assert r.share == expected[(r.holder, r.year)], r
        assert f"= {r.share} %" in r.citation and "Checked" in r.citation


def test_every_checked_import_source_share_is_in_the_chapter_text(chapter):
    for kind in ("marker", "pypdf2"):
        text = re.sub(r"\s+", " ", chapter[kind])
        m = re.search(r"Rare ?-?earth compounds and metals: (China,\s?9 70%; Malaysia, 13%; Japan, 6%; "
                      r"Estonia ?, 5%; and other, 6%)", text)
        assert m, f"import sources not found in the {kind} conversion"
    stated = {"China": 70.0, "Malaysia": 13.0, "Japan": 6.0, "Estonia": 5.0}
    rows = [r for r in load_reference() if r.verification == "checked" and r.metric == "imports"]
    assert {r.holder: r.share for r in rows} == stated
    assert {(r.scope, r.year, r.commodity) for r in rows} == {("United States", 2023, "rare earths")}


def test_nothing_else_claims_to_be_checked():
    """Only the rare-earths chapter is here: every other figure says it was not checked."""
    for r in load_reference():
        if r.verification == "checked":
            assert r.commodity == "rare earths" and r.source.startswith("USGS") and r.metric in ("mining", "imports")
        else:
            assert "Not checked here" in r.citation or "Not an official figure" in r.citation, r
