"""Corpus loading: formats, cleaning, duplicates, and bad input that never sinks the corpus."""

from __future__ import annotations

import json

import pytest

from supplywatch.corpus.cleaning import clean_text, parse_date
from supplywatch.corpus.loader import iter_corpus, load_corpus
from supplywatch.corpus.model import LoadReport
from supplywatch.exceptions import CorpusError

from conftest import GOOD, write


# ---------------------------------------------------------------- the seed


def test_seed_loads_with_date_source_and_clean_text(seed_file):
    corpus = load_corpus(seed_file.parent)
    docs = corpus.documents
    assert len(docs) == 1
    doc = docs.iloc[0]
    assert doc.doc_id == "000_1104217bbaa1ffe6"
    assert doc.date == "2025-06-12"
    assert "Telegraph" in doc.source
    assert "ADVERTISEMENT" not in doc.text
    assert "syndicated feed" not in doc.text and "Except for the headline" not in doc.text
    assert doc.n_chars == len(doc.text)
    assert corpus.report.problems == []


def test_seed_keeps_every_sentence_of_the_story(seed_file):
    """Every paragraph of the raw file except the boilerplate survives, word for word."""
    raw = seed_file.read_text(encoding="utf-8")
    text = load_corpus(seed_file).documents.iloc[0].text
    paragraphs = [p.strip() for p in raw.split("\n\n") if p.strip()]
    story = [p for p in paragraphs if p != "ADVERTISEMENT" and not p.startswith("Except for the headline")]
    story[0] = story[0].removeprefix("date 2025-06-12 ")
    assert len(story) == 14
    for para in story:
        assert para in text, para[:60]
    assert text.startswith("China on Thursday hinted")
    assert text.endswith("according to industry sources in New Delhi.")


def test_seed_sha256_is_of_the_raw_bytes(seed_file):
    import hashlib

    doc = load_corpus(seed_file).documents.iloc[0]
    assert doc.sha256 == hashlib.sha256(seed_file.read_bytes()).hexdigest()


# ---------------------------------------------------------------- formats


def test_text_headers_and_date_on_its_own_line(tmp_path):
    write(tmp_path / "a.md", "title: Graphite curbs\nsource: Example Wire\nurl: https://example.org/a\n"
          "date: 12 June 2025\n\nBeijing announced new graphite export curbs.\n")
    doc = load_corpus(tmp_path).documents.iloc[0]
    assert (doc.title, doc.source, doc.url, doc.date) == (
        "Graphite curbs", "Example Wire", "https://example.org/a", "2025-06-12")
    assert doc.text == "Beijing announced new graphite export curbs."


def test_bbc_layout_headline_on_line_one(tmp_path):
    write(tmp_path / "business" / "001.txt",
          "Ad sales boost Time Warner profit\n\nQuarterly profits at US media giant TimeWarner jumped 76%.\n\n"
          "The firm is one of the biggest investors in Google.\n")
    doc = load_corpus(tmp_path).documents.iloc[0]
    assert doc.doc_id == "business/001"
    assert doc.title == "Ad sales boost Time Warner profit"
    assert doc.text.startswith("Quarterly profits")


def test_jsonl_json_and_csv_records(tmp_path):
    write(tmp_path / "feed.jsonl", json.dumps({"id": "x1", "body": "Lithium prices fell.", "date": "2024-03-01",
                                               "title": "Lithium", "source": "Wire", "url": "u"}) + "\n")
    write(tmp_path / "list.json", json.dumps({"articles": [{"text": "Cobalt output rose.", "date": "2024-03-02"}]}))
    write(tmp_path / "table.csv", "title,text,date\nNickel,\"Nickel, a metal, rallied.\",2024-03-03\n")
    docs = load_corpus(tmp_path).documents.set_index("doc_id")
    assert docs.loc["feed/x1", "text"] == "Lithium prices fell."
    assert docs.loc["feed/x1", "title"] == "Lithium"
    assert docs.loc["list/1", "date"] == "2024-03-02"
    assert docs.loc["table/2", "text"] == "Nickel, a metal, rallied."


def test_html_visible_text_and_title_without_scripts_or_navigation(tmp_path):
    write(tmp_path / "page.html",
          "<html><head><title>Rare earth deal</title><script>var x = 'SCRIPTTEXT';</script></head><body>"
          "<nav><a href='/'>Home</a> NAVTEXT</nav><article><h1>Rare earth deal</h1>"
          "<p>China on Thursday hinted at holding talks with India over rare earth exports.</p>"
          "<p>Lin Jian said the talks would continue next week in Beijing.</p></article>"
          "<footer>FOOTTEXT</footer></body></html>")
    doc = load_corpus(tmp_path).documents.iloc[0]
    assert doc.title == "Rare earth deal"
    assert "China on Thursday hinted" in doc.text and "Lin Jian said" in doc.text
    for junk in ("SCRIPTTEXT", "NAVTEXT", "<p>"):
        assert junk not in doc.text


def test_single_file_path(tmp_path):
    f = write(tmp_path / "one.txt", GOOD)
    docs = load_corpus(f).documents
    assert list(docs.doc_id) == ["one"]


# ---------------------------------------------------------------- cleaning and dates


def test_clean_text_drops_boilerplate_and_records_publisher():
    text, pub = clean_text("A  line.\r\n\r\n\r\nAdvertisement\n\nB line.\n(This story has not been edited by "
                           "NDTV staff and is auto-generated from a syndicated feed.)")
    assert text == "A line.\n\nB line."
    assert pub == "NDTV"


@pytest.mark.parametrize("value,expected", [
    ("2025-06-12", "2025-06-12"), ("12 June 2025", "2025-06-12"), ("June 12, 2025", "2025-06-12"),
    ("2025-06-12T09:30:00+05:30", "2025-06-12"), ("26-FEB-1987 15:01:01.79", "1987-02-26"),
    ("", ""), ("next Thursday", None), ("2025-13-45", None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


# ---------------------------------------------------------------- bad input


def test_bad_files_never_sink_the_corpus(hostile_corpus):
    corpus = load_corpus(hostile_corpus)
    docs = corpus.documents.set_index("doc_id")
    assert set(docs.index) == {"good", "latin1", "feed/1", "feed/3", "rows/2", "baddate"}
    assert "Café owners in Zürich" in docs.loc["latin1", "text"]
    assert docs.loc["baddate", "date"] == ""
    problems = {(p.path, p.line): p for p in corpus.report.problems}
    expect = {
        ("latin1.txt", None): ("warning", "not valid UTF-8"),
        ("empty.txt", None): ("error", "empty file"),
        ("binary.txt", None): ("error", "binary"),
        ("feed.jsonl", 2): ("error", "malformed JSON line"),
        ("rows.csv", 3): ("error", "malformed CSV row"),
        ("baddate.txt", None): ("warning", "unparseable date"),
        ("notes.docx", None): ("error", "not a readable Word document"),
        ("sub/copy.txt", None): ("skipped", "duplicate of good"),
        ("gone.txt", None): ("error", "unreadable"),
    }
    for key, (severity, words) in expect.items():
        assert key in problems, f"no problem reported for {key}"
        assert problems[key].severity == severity
        assert words in problems[key].message
    assert "cp1252" in problems[("latin1.txt", None)].message  # the fallback is declared
    assert "unparseable date" in docs.loc["baddate", "problems"]


def test_statuses_per_file(hostile_corpus):
    report = LoadReport(root=str(hostile_corpus))
    list(iter_corpus(hostile_corpus, report))
    assert report.files["good.txt"] == "ok"
    assert report.files["latin1.txt"] == "warning"
    assert report.files["empty.txt"] == "error"
    assert report.files["sub/copy.txt"] == "duplicate"
    assert report.files["feed.jsonl"] == "partial"


def test_missing_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")


def test_empty_folder_gives_an_empty_table_with_columns(tmp_path):
    docs = load_corpus(tmp_path).documents
    assert docs.empty and "doc_id" in docs.columns and "text" in docs.columns


def test_symlinked_folder_loop_terminates(tmp_path):
    write(tmp_path / "a" / "x.txt", GOOD)
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    docs = load_corpus(tmp_path).documents
    assert list(docs.doc_id) == ["a/x"]


def test_line_endings_and_bom_do_not_change_the_text(tmp_path):
    write(tmp_path / "lf" / "a.txt", GOOD)
    write(tmp_path / "crlf" / "a.txt", b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    lf = load_corpus(tmp_path / "lf").documents.iloc[0]
    crlf = load_corpus(tmp_path / "crlf").documents.iloc[0]
    assert (lf.text, lf.date) == (crlf.text, crlf.date)
