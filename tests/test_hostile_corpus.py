"""Hostile input for the loader: markup payloads in every field, control and bidi characters, a 10 MB
article, 10,000 tiny articles, deep folders, symlink loops, odd file names. Nothing crashes, nothing
is lost without a Problem saying so.

:func:`build_hostile_corpus` and :func:`write_hostile_gazetteer` also feed the rendered-report tests
(tests/test_hostile_browser.py): every payload there must show up as text and never run.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from pathlib import Path

import pytest

from supplywatch.corpus.model import LoadReport
from supplywatch.corpus.loader import iter_corpus, load_corpus

# ------------------------------------------------------------------ payloads

#: Each payload, if it ever became markup, sets ``data-pwned`` on <body> (or opens a dialog).
PAYLOADS: dict[str, str] = {
    "script": "<script>document.body.dataset.pwned='script'</script>",
    "img": "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">",
    "svg": "<svg onload=\"document.body.setAttribute('data-pwned','svg')\">",
    "breakout": "\"><script>document.body.dataset.pwned='breakout'</script>",
    "single_breakout": "'><img src=x onerror=alert('single')>",
    "entity": "&lt;script&gt;document.body.dataset.pwned='entity'&lt;/script&gt;",
    "iframe": "<iframe src=\"javascript:document.body.dataset.pwned='iframe'\"></iframe>",
    "js_url": "javascript:document.body.dataset.pwned='url'",
    "mathtext": "US$ 5bn $\\frac{1}{$ Daily",  # matplotlib mathtext used to raise on this label
}
#: Payloads without a double quote or a full stop (they sit inside quotations and claim sentences).
QUOTE_PAYLOAD = "<img src=x onerror=document.body.setAttribute('data-pwned','quote')>"
CLAIM_PAYLOAD = "<svg onload=document.body.setAttribute('data-pwned','claim')>"
#: File and folder names hold no '/', so these payloads do without one.
NAME_PAYLOAD = "<svg onload=document.body.setAttribute('data-pwned','fname')>"
DIR_PAYLOAD = "<img src=x onerror=document.body.setAttribute('data-pwned','dir')>"
DATE_PAYLOAD = "<img src=x onerror=alert('date')>"
#: A user gazetteer's actor whose name and alias are markup.
ACTOR_NAME = "Zorblatt<img src=x onerror=document.body.setAttribute('data-pwned','actor')> Mining"
ACTOR_ALIAS = "Zorb\"><script>document.body.dataset.pwned='alias'</script>"
BIDI = "\u202egnp.exe\u202c"  # right-to-left override: shows as "exe.png"
CONTROL = "\x07\x1b[31m\x0b"
#: What the HTML article's entity-encoded title and text decode to (text, to be escaped again).
HTML_TITLE_DECODED = "<script>document.body.dataset.pwned='htmltitle'</script>"
HTML_DECODED = "<img src=x onerror=alert('html')>"

HOSTILE_TITLE = f"{PAYLOADS['script']} Gallium talks {BIDI}"
HOSTILE_SOURCE = PAYLOADS["breakout"]
HOSTILE_BODY = (
    f"{ACTOR_NAME} holds 70 per cent of global gallium refining, {CLAIM_PAYLOAD} analysts said.\n\n"
    f"\"Prices of gallium will rise {QUOTE_PAYLOAD} soon, very soon,\" Lin Jian said on Monday.\n\n"
    f"Gallium {PAYLOADS['entity']} is scarce{CONTROL} and {BIDI} China agreed with {ACTOR_ALIAS}.\n\n"
    f"Gallium {PAYLOADS['img']} and {PAYLOADS['svg']} and {PAYLOADS['iframe']} are text here.\n"
)


def write_hostile_gazetteer(path: Path) -> Path:
    """A small user gazetteer whose actor names are markup (quoted for YAML with json.dumps)."""
    path.write_text(
        "actors:\n"
        f"  - {{id: zorblatt, name: {json.dumps(ACTOR_NAME)}, type: company, aliases: [{json.dumps(ACTOR_ALIAS)}]}}\n"
        "  - {id: lin-jian, name: Lin Jian, type: person, affiliation: CHN}\n"
        "  - {id: CHN, name: China, type: country, demonyms: [Chinese], metonyms: [Beijing]}\n",
        encoding="utf-8")
    return path


def build_hostile_corpus(root: Path) -> Path:
    """The small hostile corpus every report test renders: returns the corpus folder.

    The folder's own name is a payload (it reaches the index and the provenance), one file name is
    another, and every field the reports show (title, source, text, quotes, claim sentences, actor
    names, dates in problem messages) carries one.
    """
    corpus = root / f"corpus {DIR_PAYLOAD}"
    corpus.mkdir(parents=True)
    (corpus / "evil article.txt").write_text(
        f"title: {HOSTILE_TITLE}\nsource: {HOSTILE_SOURCE}\nurl: {PAYLOADS['js_url']}\ndate: 2025-06-12\n\n"
        + HOSTILE_BODY, encoding="utf-8")
    (corpus / f"ünïcödé 文章 {NAME_PAYLOAD}.txt").write_text(
        f"title: Naïve café {PAYLOADS['svg']}\nsource: {PAYLOADS['mathtext']}\ndate: 2025-06-13\n\n"
        "Chinese exporters of gallium met in Beijing on Tuesday. China mines 98 per cent of the world's gallium.\n",
        encoding="utf-8")
    (corpus / "bad date.txt").write_text(f"date: {DATE_PAYLOAD}\n\nGallium output rose in China.\n",
                                         encoding="utf-8")
    deep = corpus / "a b" / "ç" / "deeper"
    deep.mkdir(parents=True)
    (deep / "feed.jsonl").write_text(json.dumps({
        "id": "r1", "title": PAYLOADS["img"], "source": PAYLOADS["single_breakout"], "url": PAYLOADS["js_url"],
        "date": "2025-06-14", "text": f"China said {PAYLOADS['entity']} it holds 80 per cent of gallium exports.",
    }) + "\n", encoding="utf-8")
    (deep / "page.html").write_text(
        "<html><head><title>&lt;script&gt;document.body.dataset.pwned='htmltitle'&lt;/script&gt;</title>"
        "<script>document.body.dataset.pwned='raw-html-script'</script></head><body>"
        "<p>China restricted gallium &lt;img src=x onerror=alert('html')&gt; exports and holds 90 per cent "
        "of the market.</p>"
        "</body></html>", encoding="utf-8")
    return corpus


def expected_texts() -> dict[str, list[str]]:
    """Payload strings each report must show as text (what the notebook puts on the page)."""
    return {
        "01-corpus-overview": [HOSTILE_TITLE.replace(BIDI, "").strip(), HOSTILE_SOURCE, NAME_PAYLOAD,
                               PAYLOADS["mathtext"], PAYLOADS["img"], DATE_PAYLOAD[:30], HTML_TITLE_DECODED],
        "02-actor-mentions": [ACTOR_NAME, QUOTE_PAYLOAD],
        "03-market-shares": [ACTOR_NAME, CLAIM_PAYLOAD, PAYLOADS["entity"], HTML_DECODED],
    }


# ------------------------------------------------------------------ the small hostile corpus


def test_every_payload_survives_loading_as_plain_text(tmp_path):
    corpus = build_hostile_corpus(tmp_path)
    loaded = load_corpus(corpus)
    docs = loaded.documents.set_index("doc_id")
    evil = docs.loc["evil article"]
    assert evil["title"] == HOSTILE_TITLE  # markup and bidi characters kept as text, word for word
    assert evil["source"] == HOSTILE_SOURCE and evil["url"] == PAYLOADS["js_url"]
    for payload in (ACTOR_NAME, CLAIM_PAYLOAD, QUOTE_PAYLOAD, PAYLOADS["entity"], PAYLOADS["iframe"], BIDI):
        assert payload in evil["text"]
    assert f"ünïcödé 文章 {NAME_PAYLOAD}" in docs.index
    assert docs.loc["a b/ç/deeper/feed/r1", "title"] == PAYLOADS["img"]
    html_doc = docs.loc["a b/ç/deeper/page"]
    assert HTML_DECODED in html_doc["text"] and html_doc["title"] == HTML_TITLE_DECODED  # entities decoded: text, still escaped later
    assert "raw-html-script" not in html_doc["text"]  # a real <script> element is not article text
    problems = [p for p in loaded.report.problems if p.path == "bad date.txt"]
    assert problems and DATE_PAYLOAD[:30] in problems[0].message


def test_control_characters_go_and_everything_else_stays(tmp_path):
    corpus = build_hostile_corpus(tmp_path)
    for doc in iter_corpus(corpus):
        for field in (doc.text, doc.title, doc.source, doc.url):
            assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in field), (doc.doc_id, field)
        assert "\n" not in doc.title
    text = load_corpus(corpus / "evil article.txt").documents.iloc[0]["text"]
    assert "scarce[31m and" in text  # ESC, BEL and VT dropped, the visible rest kept
    assert unicodedata.normalize("NFC", text) == text


def test_names_with_spaces_and_non_ascii_and_deep_folders_load(tmp_path):
    root = tmp_path / "c"
    deep = root.joinpath(*[f"level {i} ü" for i in range(40)])
    deep.mkdir(parents=True)
    (deep / "tief unten.txt").write_text("China mined gallium.\n", encoding="utf-8")
    (root / "naïve café – 日本語.md").write_text("India bought magnets.\n", encoding="utf-8")
    (root / "line\nbreak\ttab \u202eevil.txt").write_text("Japan sold gallium.\n", encoding="utf-8")
    report = LoadReport(root=str(root))
    ids = sorted(d.doc_id for d in iter_corpus(root, report))
    assert ids == ["/".join(f"level {i} ü" for i in range(40)) + "/tief unten", "line\nbreak\ttab \u202eevil",
                   "naïve café – 日本語"]
    assert report.problems == [] and set(report.files.values()) == {"ok"}


def test_a_file_symlink_loop_is_reported_not_fatal(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "good.txt").write_text("China mined gallium.\n", encoding="utf-8")
    (root / "a.txt").symlink_to(root / "b.txt")
    (root / "b.txt").symlink_to(root / "a.txt")
    report = LoadReport(root=str(root))
    assert [d.doc_id for d in iter_corpus(root, report)] == ["good"]
    assert report.files["a.txt"] == "error" and report.files["b.txt"] == "error"
    assert all("unreadable" in p.message for p in report.problems)


def test_a_folder_symlink_loop_terminates(tmp_path):
    root = tmp_path / "c"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "x.txt").write_text("China mined gallium.\n", encoding="utf-8")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "self").symlink_to(root / "self", target_is_directory=True)  # dangling self-loop
    docs = list(iter_corpus(root))
    assert [d.doc_id for d in docs] == ["sub/x"]


def test_a_symlinked_folder_is_never_skipped_silently(tmp_path):
    root = tmp_path / "c"
    archive = tmp_path / "archive-2024"
    archive.mkdir()
    (archive / "jan.txt").write_text("China mined gallium in January.\n", encoding="utf-8")
    root.mkdir()
    (root / "2024").symlink_to(archive, target_is_directory=True)
    report = LoadReport(root=str(root))
    docs = list(iter_corpus(root, report))
    # either its articles load, or a Problem names the folder: never neither
    assert docs or any("2024" in p.path for p in report.problems)


# ------------------------------------------------------------------ size


@pytest.fixture(scope="module")
def big_article(tmp_path_factory) -> Path:
    """One 10 MB article (a plain paragraph repeated, with a unique first and last line)."""
    root = tmp_path_factory.mktemp("big")
    para = ("China accounts for 61 per cent of global mined rare earth production and 92 per cent of "
            "refined output, the agency said on Thursday. India wants its own supply chain.\n\n")
    body = "FIRST LINE of the big one.\n\n" + para * (10_000_000 // len(para)) + "LAST LINE of the big one.\n"
    (root / "big.txt").write_text("title: one huge article\n\n" + body, encoding="utf-8")
    return root / "big.txt"


@pytest.mark.slow
def test_a_10_mb_article_loads_whole(big_article):
    corpus = load_corpus(big_article)
    assert corpus.report.problems == []
    (doc,) = corpus.documents.itertuples()
    assert doc.n_chars > 9_900_000 and doc.title == "one huge article"
    assert doc.text.startswith("FIRST LINE") and doc.text.endswith("LAST LINE of the big one.")
    assert doc.sha256 == hashlib.sha256(big_article.read_bytes()).hexdigest()


@pytest.mark.slow
def test_10000_tiny_articles_all_load(tmp_path):
    root = tmp_path / "tiny"
    for folder in range(10):
        sub = root / f"batch {folder}"
        sub.mkdir(parents=True)
        for i in range(1000):
            (sub / f"{i:04d}.txt").write_text(f"Article {folder}-{i}: China exported {i} tonnes.\n",
                                              encoding="ascii")
    report = LoadReport(root=str(root))
    ids = [d.doc_id for d in iter_corpus(root, report)]
    assert len(ids) == len(set(ids)) == 10_000
    assert report.problems == [] and len(report.files) == 10_000
    assert ids[0] == "batch 0/0000" and ids[-1] == "batch 9/0999"


@pytest.mark.slow
def test_10000_tiny_articles_analyse(tmp_path):
    from supplywatch.analysis.pipeline import analyze_corpus

    root = tmp_path / "tiny.jsonl"
    with root.open("w", encoding="utf-8") as fh:
        for i in range(10_000):
            fh.write(json.dumps({"id": i, "text": f"China holds {i % 90 + 1} per cent of gallium refining, "
                                                  f"report {i} said."}) + "\n")
    result = analyze_corpus(root, cache=False)
    assert len(result.documents) == 10_000
    claims = result.tables["claims"]
    assert len(claims) == 10_000 and set(claims["holder"]) == {"China"}
    mentions = result.tables["mentions"]
    assert (mentions["actor_id"] == "CHN").sum() == 10_000


def test_hostile_corpus_analyses_without_raising(tmp_path):
    from supplywatch.analysis.pipeline import analyze_corpus

    corpus = build_hostile_corpus(tmp_path)
    gazetteer = write_hostile_gazetteer(tmp_path / "actors.yaml")
    result = analyze_corpus(corpus, gazetteer=gazetteer, cache=False)
    mentions = result.tables["mentions"]
    assert ACTOR_NAME in set(mentions["actor"])
    assert (mentions.loc[mentions["actor_id"] == "zorblatt", "surface"] == ACTOR_ALIAS).any()
    claims = result.tables["claims"]
    assert ((claims["holder"] == ACTOR_NAME) & (claims["share"].astype(float) == 70.0)).any()
    assert claims["sentence"].str.contains(CLAIM_PAYLOAD, regex=False).any()
    quotes = result.tables["quotes"]
    assert quotes["quote"].str.contains(QUOTE_PAYLOAD, regex=False).any()
    assert os.fspath(corpus).endswith(DIR_PAYLOAD)
