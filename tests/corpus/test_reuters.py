"""Importers: Reuters-21578 SGML -> Documents / JSON Lines; BBC folders and big JSONL load as they are."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from supplywatch.cli import main
from supplywatch.corpus.model import LoadReport
from supplywatch.corpus.loader import iter_corpus, load_corpus
from supplywatch.exceptions import CorpusError
from supplywatch.corpus.reuters import (
    ReutersStats,
    import_reuters,
    iter_reuters,
    parse_reuters_record,
    reuters_date,
)

# Two records in the collection's own layout: one article (entities, wrapped lines, sign-off, date
# noise, labels), one BRIEF record without a BODY.
SGM = """<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TEST" CGISPLIT="TRAINING-SET" OLDID="17" NEWID="41">
<DATE>  3-MAR-1987  09:15:05.40</DATE>
<TOPICS><D>copper</D><D>zinc</D></TOPICS>
<PLACES><D>chile</D><D>usa</D></PLACES>
<PEOPLE></PEOPLE>
<ORGS><D>ec</D></ORGS>
<EXCHANGES></EXCHANGES>
<COMPANIES></COMPANIES>
<UNKNOWN> &#5;&#5;&#5;C T
&#22;&#22;&#1;f0704&#31;reute</UNKNOWN>
<TEXT>&#2;
<TITLE>CHILE COPPER &amp; ZINC OUTPUT RISES</TITLE>
<DATELINE>    SANTIAGO, March 3 - </DATELINE><BODY>&lt;Codelco> said copper output
rose 5 pct in January, the company said.
    Zinc output at the mines
was steady.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="NOT-USED" CGISPLIT="TRAINING-SET" OLDID="18" NEWID="42">
<DATE>3-MAR-1987 09:16:00.00</DATE>
<TOPICS></TOPICS><PLACES><D>uk</D></PLACES><PEOPLE></PEOPLE><ORGS></ORGS>
<EXCHANGES></EXCHANGES><COMPANIES></COMPANIES>
<UNKNOWN>x</UNKNOWN>
<TEXT TYPE="BRIEF">&#2;
<TITLE>BRITISH STEEL BRIEF HEADLINE</TITLE>
&#3;</TEXT>
</REUTERS>
"""


@pytest.fixture
def sgm_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "reuters"
    folder.mkdir()
    (folder / "reut2-000.sgm").write_bytes(SGM.encode("latin-1"))
    return folder


def test_iter_reuters_decodes_entities_reflows_and_skips_records_without_body(sgm_dir: Path) -> None:
    stats = ReutersStats()
    docs = list(iter_reuters(sgm_dir, stats=stats))
    assert (stats.records, stats.articles, stats.no_body) == (2, 1, 1)
    doc = docs[0]
    assert doc.doc_id == "reut2-000/41"
    assert doc.date == "1987-03-03"
    assert doc.title == "CHILE COPPER & ZINC OUTPUT RISES"
    assert doc.source == "Reuters"
    assert doc.text == (
        "<Codelco> said copper output rose 5 pct in January, the company said.\n\n"
        "Zinc output at the mines was steady."
    )
    assert doc.meta == {"places": "chile;usa", "orgs": "ec", "people": "", "topics": "copper;zinc",
                        "lewissplit": "test", "dateline": "SANTIAGO"}


def test_reuters_date_ignores_blanks_and_time_noise() -> None:
    assert reuters_date("26-FEB-1987 15:01:01.79") == "1987-02-26"
    assert reuters_date(" 31-MAR-1987 605:12:19.12") == "1987-03-31"
    assert reuters_date("sometime") == ""


def test_record_without_text_counts_as_no_body() -> None:
    stats = ReutersStats()
    assert parse_reuters_record("<DATE>1-JAN-1987</DATE><TEXT></TEXT>", ' NEWID="9"', stem="x", stats=stats) is None
    assert stats.no_body == 1


def test_iter_reuters_missing_path_names_it(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="nowhere"):
        list(iter_reuters(tmp_path / "nowhere"))
    with pytest.raises(CorpusError, match="no .sgm files"):
        list(iter_reuters(tmp_path))


def test_import_command_round_trips_through_the_loader(sgm_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "corpus"
    assert main(["import", "reuters21578", str(sgm_dir), "--out", str(out)]) == 0
    assert "1 article(s) from 2 record(s)" in capsys.readouterr().out
    line = json.loads((out / "reut2-000.jsonl").read_text(encoding="utf-8"))
    assert line["id"] == "41" and line["places"] == "chile;usa"
    corpus = load_corpus(out)
    row = corpus.documents.iloc[0]
    original = next(iter_reuters(sgm_dir))
    assert row["doc_id"] == original.doc_id
    assert row["text"] == original.text
    assert row["date"] == "1987-03-03"
    assert row["meta_places"] == "chile;usa"
    assert row["meta_topics"] == "copper;zinc"
    assert row["meta_lewissplit"] == "test"


def test_real_reuters_file(shared_corpora: Path, tmp_path: Path) -> None:
    sgm = shared_corpora / "reuters21578" / "reut2-000.sgm"
    stats = ReutersStats()
    docs = list(iter_reuters(sgm, stats=stats))
    assert stats.records == 1000
    assert stats.articles + stats.no_body == 1000
    assert stats.articles == len(docs) == 925
    first = docs[0]
    assert (first.doc_id, first.date, first.title) == ("reut2-000/1", "1987-02-26", "BAHIA COCOA REVIEW")
    assert first.meta["places"] == "el-salvador;usa;uruguay" and first.meta["topics"] == "cocoa"
    assert first.text.startswith("Showers continued throughout the week in the Bahia cocoa zone")
    assert not any("&lt;" in d.text or "&#" in d.text or d.text.endswith("Reuter") for d in docs)
    assert all(d.date.startswith("1987-") for d in docs)
    import_reuters(sgm, tmp_path / "out")
    loaded = load_corpus(tmp_path / "out")
    assert loaded.report.ok
    assert list(loaded.documents["doc_id"]) == [d.doc_id for d in docs]


def test_bbc_folders_load_as_they_are(shared_corpora: Path) -> None:
    corpus = load_corpus(shared_corpora / "bbc")
    report = corpus.report
    duplicates = [p for p in report.problems if "exact duplicate" in p.message]
    assert len(duplicates) == 98
    assert len(corpus.documents) == 2225 - 98
    assert report.files["README.TXT"] == "skipped"
    warning = [p for p in report.problems if p.severity == "warning"]
    assert [p.path for p in warning] == ["sport/199.txt"]
    assert "decoded as" in warning[0].message
    chelsea = corpus.documents.set_index("doc_id").loc["sport/199"]
    assert chelsea["title"] and "£" in chelsea["text"]
    # line 1 is the headline, also when it ends with a quote or a question mark; only two
    # headlines end like a sentence ("'My memories of Marley...'") and stay in the text
    assert corpus.documents["title"].eq("").sum() <= 2
    assert corpus.documents.set_index("doc_id").loc["business/020", "title"] == "Call centre users 'lose patience'"


def test_jsonl_extra_fields_become_meta_columns(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": "Chile mined copper.", "places": ["chile", "usa"], "Lewis Split": "train"}) + "\n"
        + json.dumps({"id": "b", "text": "No labels here."}) + "\n",
        encoding="utf-8",
    )
    docs = load_corpus(path).documents.set_index("doc_id")
    assert docs.loc["c/a", "meta_places"] == "chile;usa"
    assert docs.loc["c/a", "meta_lewis_split"] == "train"
    assert docs.loc["c/b"].isna()["meta_places"]


def test_jsonl_streams_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    paragraph = "copper-exports-rose-4-pct;" * 3100  # ~80 KB, few spaces: cheap under tracemalloc
    with path.open("w", encoding="utf-8") as fh:
        for i in range(60):
            fh.write(json.dumps({"id": str(i), "text": f"Article {i}. {paragraph}"}) + "\n")
    size = path.stat().st_size
    assert size > 4_500_000
    report = LoadReport(root=str(path))
    tracemalloc.start()
    try:
        n = sum(1 for _ in iter_corpus(path, report))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == 60 and report.ok
    assert peak < size / 5, f"peak {peak:,} bytes while streaming a {size:,}-byte file"


def test_jsonl_bad_lines_are_reported_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"text": "Good one."}\n{oops\n{"text": "Caf\xe9 closed."}\n')
    report = LoadReport(root=str(path))
    docs = list(iter_corpus(path, report))
    assert [d.text for d in docs] == ["Good one.", "Café closed."]
    assert [(p.line, p.severity) for p in report.problems] == [(2, "error"), (3, "warning")]
