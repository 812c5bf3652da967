"""The files analysts really have (issue 14): CSV dialects, unique doc_ids, news-API JSON, feeds,
dates, invisible characters, binary files by signature, declared HTML charsets. Every fixture is
written by the test itself; each test goes through the real loader."""

from __future__ import annotations

import json
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from supplywatch.corpus.dates import decide_order, parse_date
from supplywatch.corpus.loader import iter_corpus, load_corpus
from supplywatch.corpus.model import LoadReport
from supplywatch.corpus.records import FieldMap
from supplywatch.exceptions import CorpusError

from conftest import write


def _load(root: Path, **kw):
    corpus = load_corpus(root, **kw)
    return corpus.documents.set_index("doc_id"), corpus.report


def _problems(report: LoadReport, path: str) -> list[str]:
    return [f"{p.severity}: {p.message}" + (f" (line {p.line})" if p.line else "") for p in report.problems
            if p.path == path]


# ---------------------------------------------------------------- CSV dialects


def test_european_excel_csv_semicolon_bom_crlf(tmp_path):
    raw = ("title;text;date\r\nNickel;\"Nickel, a metal; it rallied.\";25/06/2025\r\n"
           "Cobalt;Cobalt fell.;06/07/2025\r\n").encode("utf-8-sig")
    write(tmp_path / "excel.csv", raw)
    docs, report = _load(tmp_path)
    assert docs.loc["excel/2", "text"] == "Nickel, a metal; it rallied."
    assert docs.loc["excel/2", "title"] == "Nickel"
    assert docs.loc["excel/3", "date"] == "2025-07-06"  # day-first, decided by 25/06/2025
    assert report.problems == []
    assert any("semicolon" in n for n in report.notes["excel.csv"])


@pytest.mark.parametrize("name", ["tabs.csv", "tabs.tsv"])
def test_tab_separated_files(tmp_path, name):
    write(tmp_path / name, "title\ttext\nGallium\tGallium, germanium; antimony: all curbed.\n")
    docs, report = _load(tmp_path)
    assert docs.iloc[0]["text"] == "Gallium, germanium; antimony: all curbed."
    assert any("TAB" in n for n in report.notes[name])


def test_a_one_column_csv_is_not_split_at_the_commas_of_its_text(tmp_path):
    write(tmp_path / "one.csv", 'text\n"Nickel, a metal, rallied."\nCobalt; zinc and tin fell.\n')
    docs, report = _load(tmp_path)
    assert list(docs["text"]) == ["Nickel, a metal, rallied.", "Cobalt; zinc and tin fell."]
    assert report.problems == []


def test_a_header_split_by_an_unread_character_says_so(tmp_path):
    write(tmp_path / "caret.csv", "title^text\nNickel^Nickel rallied.\n")
    docs, report = _load(tmp_path)
    (problem,) = [p for p in report.problems if p.path == "caret.csv"]
    assert problem.severity == "error" and problem.line == 1
    assert "split by '^'" in problem.message and "--field" not in problem.message
    assert len(docs) == 0


def test_a_csv_with_only_a_header_is_a_warning_not_ok(tmp_path):
    write(tmp_path / "empty.csv", "title,text,date\n")
    write(tmp_path / "good.csv", "title,text\nA,Cobalt fell.\n")
    docs, report = _load(tmp_path)
    (problem,) = [p for p in report.problems if p.path == "empty.csv"]
    assert problem.severity == "warning" and "no rows after the header" in problem.message
    assert not report.ok and len(docs) == 1


@pytest.mark.parametrize("column, value", [("Datum", "12.03.2024"), ("Fecha", "3 de marzo de 2024"),
                                           ("Veröffentlicht", "2024-03-12")])
def test_a_date_column_under_another_name_gets_a_warning_naming_the_field_option(tmp_path, column, value):
    write(tmp_path / "de.csv", f"Titel;Text;{column}\nKobalt;Kobalt fiel.;{value}\nNickel;Nickel stieg.;{value}\n")
    docs, report = _load(tmp_path)
    (problem,) = [p for p in report.problems if p.path == "de.csv"]
    assert problem.severity == "warning"
    assert f"--field date={column.lower()}" in problem.message and repr(value) in problem.message
    assert list(docs["text"]) == ["Kobalt fiel.", "Nickel stieg."]  # still loaded, the date left out


def test_a_mapped_or_aliased_date_column_and_non_date_columns_get_no_warning(tmp_path):
    write(tmp_path / "a.csv", "title,text,date,year,price\nA,Cobalt fell.,2024-03-12,2024,45.000\n")
    _, report = _load(tmp_path)
    assert report.problems == []


def test_unterminated_quote_is_reported_with_its_line_and_later_rows_load(tmp_path):
    write(tmp_path / "broken.csv", 'title,text\nA,"China said\nB,India bought magnets.\nC,Japan sold gallium.\n')
    docs, report = _load(tmp_path)
    (problem,) = [p for p in report.problems if p.path == "broken.csv"]
    assert problem.severity == "error" and problem.line == 2
    assert "never closed" in problem.message and "rest of the file" in problem.message
    assert set(docs["text"]) == {"India bought magnets.", "Japan sold gallium."}
    assert report.files["broken.csv"] == "partial"


# ---------------------------------------------------------------- doc_id


def test_same_stem_in_one_folder_gives_distinct_doc_ids(tmp_path):
    write(tmp_path / "lynas.txt", "title: Lynas text\n\nLynas mined rare earths in Australia.\n")
    write(tmp_path / "lynas.html", "<html><head><title>Lynas page</title></head><body>"
                                   "<p>Lynas refined rare earths in Malaysia.</p></body></html>")
    write(tmp_path / "a.csv", "text\nCobalt output rose.\n")
    write(tmp_path / "a.jsonl", json.dumps({"text": "Nickel output fell."}) + "\n"
                                + json.dumps({"text": "Tin output held."}) + "\n")
    write(tmp_path / "sub" / "alone.txt", "Copper prices rose.\n")
    docs, report = _load(tmp_path)
    assert sorted(docs.index) == ["a.csv/2", "a.jsonl/1", "a.jsonl/2", "lynas.html", "lynas.txt", "sub/alone"]
    assert docs.loc["lynas.txt", "title"] == "Lynas text" and docs.loc["lynas.html", "title"] == "Lynas page"
    assert docs.index.is_unique


def test_a_record_id_used_twice_gets_a_suffix_and_a_warning(tmp_path):
    write(tmp_path / "feed.json", json.dumps([{"id": "x", "text": "China said one thing."},
                                              {"id": "x", "text": "India said another."}]))
    docs, report = _load(tmp_path)
    assert sorted(docs.index) == ["feed/x", "feed/x~2"]
    assert any("already used" in m for m in _problems(report, "feed.json"))


# ---------------------------------------------------------------- news APIs


NEWSAPI = {
    "status": "ok", "totalResults": 2,
    "articles": [
        {"source": {"id": "reuters", "name": "Reuters"}, "author": "Jane Doe",
         "title": "China curbs gallium exports", "description": "Beijing acts.",
         "url": "https://example.org/a", "urlToImage": None, "publishedAt": "2025-06-12T23:30:00-05:00",
         "content": "China said on Thursday it would curb gallium exports from August… [+2345 chars]"},
        {"source": {"id": None, "name": "Mining Weekly"}, "author": None, "title": "India buys magnets",
         "description": "Only a teaser about India.", "url": "https://example.org/b",
         "publishedAt": "2025-06-13T08:00:00Z", "content": None},
    ],
}


def test_newsapi_export_loads_flattened_and_flags_truncation(tmp_path):
    write(tmp_path / "newsapi.json", json.dumps(NEWSAPI))
    docs, report = _load(tmp_path)
    a = docs.loc["newsapi/1"]
    assert (a["source"], a["date"], a["url"]) == ("Reuters", "2025-06-12", "https://example.org/a")
    assert a["text"] == "China said on Thursday it would curb gallium exports from August…"
    assert a["meta_truncated_chars"] == "2345" and "truncated" in a["problems"]
    assert a["meta_source_id"] == "reuters" and a["meta_author"] == "Jane Doe"
    b = docs.loc["newsapi/2"]
    assert b["text"] == "Only a teaser about India." and "description" in b["problems"]
    for column in docs.columns:  # nested values are flattened, never a Python dict
        assert not docs[column].astype(str).str.contains("{'", regex=False).any(), column
    assert any("NewsAPI" in n for n in report.notes["newsapi.json"])
    assert any("truncated" in m for m in _problems(report, "newsapi.json"))


def test_event_registry_export_loads(tmp_path):
    write(tmp_path / "er.json", json.dumps({"articles": {"results": [
        {"uri": "8123", "lang": "eng", "dateTime": "2025-06-12T10:00:00Z", "date": "2025-06-12",
         "title": "Rare earth talks", "body": "China and India held rare earth talks.",
         "source": {"uri": "reuters.com", "title": "Reuters"}, "authors": [{"name": "A. Writer"}],
         "url": "https://example.org/er"}], "totalResults": 1, "page": 1}}))
    docs, report = _load(tmp_path)
    doc = docs.loc["er/8123"]
    assert (doc["text"], doc["source"], doc["date"]) == ("China and India held rare earth talks.", "Reuters", "2025-06-12")
    assert doc["meta_source_uri"] == "reuters.com" and doc["meta_authors"] == "A. Writer"
    assert report.problems == []


def test_a_file_without_a_text_field_lists_its_fields_and_a_mapping_reads_it(tmp_path):
    write(tmp_path / "odd.json", json.dumps([{"words": "China mined gallium.", "when": "2025-06-12", "head": "G"},
                                             {"words": "India bought it.", "when": "2025-06-13", "head": "H"}]))
    docs, report = _load(tmp_path)
    assert docs.empty
    (problem,) = report.problems
    assert "no record has a text field" in problem.message
    assert "head, when, words" in problem.message and "--field text=" in problem.message
    docs, report = _load(tmp_path, fields=FieldMap.parse(["text=words", "date=when", "title=head"]))
    assert list(docs["text"]) == ["China mined gallium.", "India bought it."]
    assert list(docs["date"]) == ["2025-06-12", "2025-06-13"] and list(docs["title"]) == ["G", "H"]
    assert report.problems == []


def test_a_bad_field_mapping_is_refused():
    with pytest.raises(CorpusError, match="unknown article field 'txt'"):
        FieldMap.parse(["txt=body"])
    with pytest.raises(CorpusError, match="needs a record key"):
        FieldMap.parse(["text"])


def test_fetch_helper_records_load_with_their_provenance_as_meta(tmp_path):
    write(tmp_path / "fetched.jsonl", json.dumps({
        "url": "https://example.org/f", "title": "Gallium", "date": "2025-06-12", "source": "Example Wire",
        "text": "China curbed gallium exports.", "fetched_at": "2025-06-12T10:00:00Z",
        "feed": "https://example.org/rss"}) + "\n")
    docs, report = _load(tmp_path)
    doc = docs.loc["fetched/1"]
    assert (doc["url"], doc["title"], doc["source"], doc["date"]) == (
        "https://example.org/f", "Gallium", "Example Wire", "2025-06-12")
    assert doc["meta_fetched_at"] == "2025-06-12T10:00:00Z" and doc["meta_feed"] == "https://example.org/rss"
    assert report.problems == []


# ---------------------------------------------------------------- feeds


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Mining Wire</title><link>https://example.org</link>
<item><title>China &amp; rare earths</title><link>https://example.org/a</link><guid>urn:a</guid>
<pubDate>Thu, 12 Jun 2025 23:30:00 -0500</pubDate><description>&lt;p&gt;Short teaser&lt;/p&gt;</description>
<content:encoded><![CDATA[<p>China controls <b>90%</b> of refining.</p><script>alert(1)</script><p>India reacts.</p>]]></content:encoded>
<category>metals</category></item>
<item><title>Only a description</title><link>https://example.org/b</link>
<pubDate>Fri, 13 Jun 2025 01:00:00 +0900</pubDate><description>Japan buys &lt;i&gt;gallium&lt;/i&gt;.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>
<entry><title type="html">Gallium &lt;i&gt;curbs&lt;/i&gt;</title><link href="https://example.org/c"/><id>urn:c</id>
<updated>2025-06-12T23:30:00-05:00</updated><summary>teaser</summary>
<content type="html">&lt;p&gt;Full &amp;amp; final text about China.&lt;/p&gt;</content></entry></feed>"""


def test_rss_and_atom_items_are_articles(tmp_path):
    write(tmp_path / "wire.rss", RSS)
    write(tmp_path / "atom.atom", ATOM)
    write(tmp_path / "sitemap.xml", '<?xml version="1.0"?><urlset><url><loc>https://x</loc></url></urlset>')
    docs, report = _load(tmp_path)
    a = docs.loc["wire/1"]
    assert a["text"] == "China controls 90% of refining.\n\nIndia reacts."  # content, markup stripped
    assert (a["title"], a["source"], a["url"], a["date"]) == (
        "China & rare earths", "Mining Wire", "https://example.org/a", "2025-06-12")  # the day as written
    assert a["meta_guid"] == "urn:a" and a["meta_categories"] == "metals"
    b = docs.loc["wire/2"]
    assert b["text"] == "Japan buys gallium." and b["date"] == "2025-06-13" and "description" in b["problems"]
    c = docs.loc["atom/1"]
    assert (c["title"], c["text"], c["date"]) == ("Gallium curbs", "Full & final text about China.", "2025-06-12")
    assert report.files["sitemap.xml"] == "skipped"
    assert "not an RSS or Atom feed" in _problems(report, "sitemap.xml")[0]


# ---------------------------------------------------------------- dates


def test_numeric_dates_are_ordered_per_file_from_their_values(tmp_path):
    write(tmp_path / "us.csv", "text,date\nChina said.,06/11/2025\nIndia said.,06/25/2025\n")
    write(tmp_path / "eu.csv", "text,date\nJapan said.,06/11/2025\nKorea said.,25/06/2025\n")
    write(tmp_path / "undecided.csv", "text,date\nBrazil said.,06/11/2025\n")
    docs, report = _load(tmp_path)
    assert docs.loc["us/2", "date"] == "2025-06-11"  # month-first: 06/25/2025 decides
    assert docs.loc["eu/2", "date"] == "2025-11-06"  # day-first: 25/06/2025 decides
    assert docs.loc["undecided/2", "date"] == "2025-11-06"  # the README's convention: day-first
    assert any("month-first" in n for n in report.notes["us.csv"])
    (warning,) = _problems(report, "undecided.csv")
    assert "could be day-first or month-first" in warning and "convention" in warning
    assert _problems(report, "us.csv") == [] and _problems(report, "eu.csv") == []


@pytest.mark.parametrize("value,expected", [
    ("Thu, 12 Jun 2025 23:30:00 -0500", "2025-06-12"), ("2025-06-12T23:30:00-05:00", "2025-06-12"),
    ("2025-06-12T23:30:00Z", "2025-06-12"), ("June 12, 2025 Thursday", "2025-06-12"),
    ("12 June 2025 10:00 GMT", "2025-06-12"), ("12. Juni 2025", "2025-06-12"), ("06/13/2025 Friday", "2025-06-13"),
    ("1 of 5", None), ("next Thursday", None),
])
def test_dates_in_any_zone_keep_the_day_as_written(value, expected):
    assert parse_date(value) == expected


def test_conflicting_date_orders_warn():
    order = decide_order(["25/06/2025", "06/25/2025", "06/11/2025"])
    assert order.conflict and "both orders" in order.warning()


# ---------------------------------------------------------------- invisible characters


@pytest.mark.parametrize("name,payload", [
    ("a.txt", "title: Can\u00adada talks\n\nCan\u00adada and Bra\u200bzil met Indo\u2060nesia.\n"),
    ("a.json", json.dumps({"title": "Can\u00adada talks", "text": "Can\u00adada and Bra\u200bzil met Indo\u2060nesia."})),
    ("a.csv", "title,text\nCan\u00adada talks,Can\u00adada and Bra\u200bzil met Indo\u2060nesia.\n"),
    ("a.html", "<html><head><title>Can\u00adada talks</title></head><body><p>Can&shy;ada and Bra\u200bzil met "
               "Indo&#8288;nesia.</p></body></html>"),
    ("a.rss", "<rss version='2.0'><channel><title>W</title><item><title>Can\u00adada talks</title><description>"
              "Can\u00adada and Bra\u200czil met Indo\u200dnesia.</description></item></channel></rss>"),
])
def test_invisible_characters_are_removed_in_every_format(tmp_path, name, payload):
    write(tmp_path / name, payload)
    doc = load_corpus(tmp_path).documents.iloc[0]
    assert doc["text"] == "Canada and Brazil met Indonesia."
    assert doc["title"] == "Canada talks"


# ---------------------------------------------------------------- binary files


def _docx_bytes() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name,raw,kind", [
    ("report.txt", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n", "PDF"),
    ("photo.html", b"\x89PNG\r\n\x1a\n" + b"IHDR" * 20, "PNG"),
    ("photo.json", b"\xff\xd8\xff\xe0 JFIF" + b"x" * 40, "JPEG"),
    ("anim.csv", b"GIF89a" + b"text-like bytes " * 5, "GIF"),
    ("bundle.jsonl", b"PK\x03\x04" + b"zipped " * 10, "ZIP"),
    ("saved.txt", _docx_bytes(), "Word document"),
])
def test_binary_files_are_skipped_by_signature_with_their_type(tmp_path, name, raw, kind):
    write(tmp_path / name, raw)
    write(tmp_path / "good.txt", "MZ Mining said China mined gallium.\n")  # a text starting like a signature
    docs, report = _load(tmp_path)
    assert list(docs.index) == ["good"]
    (message,) = _problems(report, name)
    assert message.startswith("error: binary file") and kind in message


# ---------------------------------------------------------------- HTML charsets


def test_html_is_decoded_by_its_declared_charset_without_a_warning(tmp_path):
    page = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>"
            "<title>Caf\xe9 talks in Z\xfcrich</title></head><body><p>Caf\xe9 owners in Z\xfcrich bought "
            "rare earth magnets \u2013 at \u20ac5 each.</p></body></html>")
    write(tmp_path / "page.html", page.encode("cp1252"))
    docs, report = _load(tmp_path)
    doc = docs.iloc[0]
    assert "Café owners in Zürich" in doc["text"] and "€5" in doc["text"]
    assert doc["title"] == "Café talks in Zürich"
    assert report.problems == []


def test_utf16_text_with_a_byte_order_mark_is_text(tmp_path):
    write(tmp_path / "excel.txt", "China mined gallium.\n".encode("utf-16"))
    docs, report = _load(tmp_path)
    assert docs.iloc[0]["text"] == "China mined gallium." and report.problems == []


# ---------------------------------------------------------------- never raises


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_FRAGMENTS = st.lists(st.sampled_from([
    "1 of 2 DOCUMENTS", "End of Document", "Body", "HD ", "AN Document X", "PD 12 June 2025", "453 words",
    "Document ABCDEFGHIJKLMNOPQRST", "LENGTH: 3 words", "LOAD-DATE: x", "<rss version='2.0'>", "<item>", "</item>",
    "<channel>", "<title>", "{\\rtf1", "\\par", "}", '"', ";", "\t", ",", "\n", "\r\n", "06/11/2025", "text",
    "China", "\u00ad", "\u200b", "\x00", "é", "[+12 chars]", "{", '{"articles": [', "]}",
]), max_size=60).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_FRAGMENTS | st.binary(max_size=400).map(lambda b: b.decode("latin-1")),
       ext=st.sampled_from([".rss", ".atom", ".xml", ".rtf", ".docx", ".tsv", ".csv", ".txt", ".json"]))
def test_new_formats_never_raise_on_any_input(tmp_path_factory, data, ext):
    root = tmp_path_factory.mktemp("c")
    (root / f"a{ext}").write_text(data, encoding="utf-8", errors="surrogatepass")
    report = LoadReport(root=str(root))
    for doc in iter_corpus(root, report):
        assert doc.text and doc.text == doc.text.strip()
    assert set(report.files) == {f"a{ext}"}
    assert not any("could not be parsed" in p.message for p in report.problems), report.problems


def test_line_endings_and_a_bom_never_decide_whether_a_file_is_text():
    """The control-byte share is taken over the text as read: CRLF or a UTF-8 BOM adds no 'text' bytes
    (found by the line-ending property test: a file near the 10 % limit loaded only with CRLF + BOM)."""
    from supplywatch.corpus.cleaning import looks_binary

    article = "date 2025-06-12 0\x1f\x1f\x80\x80\n\n00\x1f\x1f\x80\x80\n"
    variants = [article.encode("utf-8"), article.replace("\n", "\r\n").encode("utf-8"),
                article.replace("\n", "\r").encode("utf-8"), b"\xef\xbb\xbf" + article.encode("utf-8"),
                b"\xef\xbb\xbf" + article.replace("\n", "\r\n").encode("utf-8")]
    assert len({looks_binary(v) for v in variants}) == 1
    assert looks_binary(b"date 2025-06-12\r\n" + b"\x01\x02\x03\x04" * 3 + b"\r\n") is True
    assert looks_binary("China mines 61 per cent.\r\n".encode()) is False


def test_load_report_lines_are_whole_numbers(tmp_path):
    """A reviewer reads "line 3", not "3.0", in load_report.csv and report 01."""
    (tmp_path / "bad.jsonl").write_text('{"text": "China mines."}\n{bad\n', encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    report = LoadReport(root=str(tmp_path))
    list(iter_corpus(tmp_path, report))
    frame = report.to_frame()
    assert str(frame["line"].dtype) == "Int64"
    assert frame.set_index("path").loc["bad.jsonl", "line"] == 2
    assert "3.0" not in frame.to_csv(index=False) and ",2," in frame.to_csv(index=False)
