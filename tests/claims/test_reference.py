"""Reference figures: the bundled CSV, its validation, and matching claims to the closest figure."""

from __future__ import annotations

import pytest

from supplywatch.exceptions import ResourceError
from supplywatch.claims.reference import Reference, load_reference, match_reference, read_reference


def test_bundled_figures_include_iea_and_usgs_rare_earths():
    refs = load_reference()
    china = {(r.source.split()[0], r.metric, r.share, r.year) for r in refs
             if r.holder_id == "CHN" and r.commodity == "rare earths" and r.scope == "global"}
    assert ("IEA", "mining", 61.0, 2024) in china
    assert ("IEA", "refining", 92.0, 2024) in china
    assert ("USGS", "mining", 69.2, 2024) in china
    assert round(270_000 / 390_000 * 100, 1) == 69.2
    assert all(r.citation and r.source for r in refs)


REFS = (
    Reference("China", "CHN", "rare earths", "mining", 69.2, 2024, "global", "USGS", "c"),
    Reference("China", "CHN", "rare earths", "mining", 62.0, 2023, "global", "IEA", "c"),
    Reference("China", "CHN", "rare earths", "refining", 92.0, 2023, "global", "IEA", "c"),
    Reference("China", "CHN", "rare earths", "imports", 70.0, 2023, "United States", "USGS", "c"),
)


@pytest.mark.parametrize(
    ("metric", "year", "share", "scope", "source", "ref_share", "diff"),
    [("mining", "2024", 61.0, "", "USGS", 69.2, -8.2),          # same family, nearest year
     ("mining", "2023", 61.0, "global", "IEA", 62.0, -1.0),
     ("refining", "2024", 90.0, "global", "IEA", 92.0, -2.0),   # only refining figures
     ("output", "2023", 92.0, "global", "IEA", 92.0, 0.0),      # generic metric: closest stage
     ("imports", "2023", 75.0, "United States", "USGS", 70.0, 5.0)],
)
def test_match_closest(metric, year, share, scope, source, ref_share, diff):
    got = match_reference("China", "CHN", "rare earths", metric, year, share, scope=scope, references=REFS)
    assert (got["reference_source"], got["reference_share"]) == (source, ref_share)
    assert got["diff_pp"] == pytest.approx(diff)


@pytest.mark.parametrize(
    ("holder", "holder_id", "commodity", "metric"),
    [("India", "IND", "rare earths", "mining"), ("China", "CHN", "cobalt", "mining"),
     ("China", "CHN", "rare earths", "exports"), ("China", "", "", "mining")],
)
def test_no_match_gives_empty_columns(holder, holder_id, commodity, metric):
    got = match_reference(holder, holder_id, commodity, metric, "2024", 50.0, references=REFS)
    assert got == {"reference_share": None, "reference_source": "", "reference_year": "", "diff_pp": None}


def test_name_match_without_ids_and_majority_without_diff():
    got = match_reference("china", "", "rare earths", "mining", "", None, references=REFS)
    assert got["reference_share"] is not None and got["diff_pp"] is None


@pytest.mark.parametrize(
    ("row", "message"),
    [("China,CHN,rare earths,mining,abc,2024,global,S,c", "not a number"),
     ("China,CHN,rare earths,mining,120,2024,global,S,c", "outside 0-100"),
     ("China,CHN,rare earths,mining,50,20x4,global,S,c", "four-digit year"),
     ("China,CHN,rare earths,mining,50,2024,global,S,", "'citation' is empty")],
)
def test_validation_names_file_and_line(tmp_path, row, message):
    path = tmp_path / "ref.csv"
    path.write_text("holder,holder_id,commodity,metric,share,year,scope,source,citation\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ResourceError) as err:
        read_reference(path)
    assert message in str(err.value) and f"{path}, line 2" in str(err.value)
