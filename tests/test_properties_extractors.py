"""Property-based tests for the extractors: arbitrary Unicode never raises in mention, quote, quantity
and claim extraction (nor in the whole per-article pipeline); every offset slices its own text; and
an article's results do not depend on its line endings or a byte-order mark (through the loader,
which normalises them). Sentence-splitting and loader properties live in test_properties_corpus.py.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from supplywatch.actors.mentions import find_mentions, mention_rows
from supplywatch.corpus.model import Document
from supplywatch.corpus.loader import load_corpus
from supplywatch.actors.gazetteer import load_gazetteer
from supplywatch.analysis.document import Resources, analyze_document
from supplywatch.claims.quantities import find_quantities
from supplywatch.actors.quotes import find_quotes
from supplywatch.claims.finder import claims_for_document
from supplywatch.text.sentences import split_sentences

#: Fragments that exercise the rules: actor names, metonyms, surnames, quote marks, share phrases,
#: abbreviations, markup, bidi and control characters, odd whitespace.
NEWSY = st.sampled_from([
    "China", "China's", "Chinese", "Beijing", "U.S.", "US", "EU", "India", "Lin Jian", "Lin", "Mr.", "Trump",
    "said", "told reporters", "according to", "holds", "accounts for", "controls", "70", "61.5", "per cent",
    "percent", "%", "two-thirds", "half", "a majority of", "nearly all", "a monopoly", "between 60 and 70",
    "of global", "rare earth", "gallium", "refining", "mining", "production", "in 2024", "not", ".", ",", ";",
    ":", "!", "?", "\"", "“", "”", "'", "’", "(", ")", "<script>", "&lt;", "\u202e", "\u200b", "\x00", "\t",
    " ", " ", " ", "\n", "\n\n", "\r\n", "é", "中国", "🙂", "\ufeff",
])
#: Real sentences every property is also checked on (so each runs on text with rows to find).
REAL = ("China holds 70 per cent of global gallium refining, analysts said.\n\n"
        "\"Prices will rise,\" Lin Jian said in Beijing.\r\nThe U.S. mines between 10 and 15 percent of "
        "rare earths, according to the USGS. India’s share is not 5%.")
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300) | st.lists(
    NEWSY, max_size=70).map(" ".join) | st.lists(NEWSY, max_size=70).map("".join)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])


def _mention_rows(text: str) -> tuple[list, list[dict]]:
    sentences = split_sentences(text)
    return sentences, mention_rows("d", text, sentences, load_gazetteer())


@SETTINGS
@given(TEXT)
@example(REAL)
def test_mentions_never_raise_and_slice_their_text(text):
    mentions = find_mentions(text, load_gazetteer())
    last = -1
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.surface
        assert m.start >= last  # in order, never overlapping
        last = m.end
    sentences, rows = _mention_rows(text)
    ids = {s.sentence_id for s in sentences} or {0}
    assert all(r["sentence_id"] in ids for r in rows)


@SETTINGS
@given(TEXT)
@example(REAL)
def test_quotes_never_raise_and_slice_their_text(text):
    sentences, mentions = _mention_rows(text)
    for q in find_quotes(text, mentions, sentences=sentences):
        assert 0 <= q["start"] < q["end"] <= len(text)
        assert text[q["start"]:q["end"]] == q["quote"]
        assert q["pattern"] in {"after", "before", "according_to", "verb_in_sentence"}
        assert q["speaker"].strip()
        if q["speaker_id"]:
            assert any(m["actor_id"] == q["speaker_id"] for m in mentions)


@SETTINGS
@given(TEXT)
@example(REAL)
def test_quantities_never_raise_and_slice_their_text(text):
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text
        for bound in (q.value, q.low, q.high):
            assert bound is None or 0 <= bound <= 100


@SETTINGS
@given(TEXT)
@example(REAL)
def test_claims_never_raise_and_slice_their_sentence(text):
    sentences, mentions = _mention_rows(text)
    by_id = {s.sentence_id: s for s in sentences}
    gazetteer = load_gazetteer()
    for row in claims_for_document("d", text, sentences, mentions=mentions, lookup=gazetteer.lookup):
        sentence = by_id[row["sentence_id"]]
        assert row["sentence"] == sentence.text == text[sentence.start:sentence.end]
        assert 0 <= row["start"] < row["end"] <= len(sentence.text)
        assert find_quantities(sentence.text)  # a claim always rests on a share phrase of its sentence
        for key in ("share", "share_low", "share_high"):
            value = row[key]
            assert value is None or value != value or 0 <= float(value) <= 100


@SETTINGS
@given(TEXT)
@example(REAL)
def test_the_whole_per_article_pipeline_never_raises(text):
    doc = Document(doc_id="d", path="d.txt", text=text, sha256="0")
    rows = analyze_document(doc, Resources())
    for table, table_rows in rows.items():
        for row in table_rows:
            assert isinstance(row, dict), table
            if "doc_id" in row:
                assert row["doc_id"] == "d"


def _analysis(path: Path) -> dict:
    (doc,) = (r for r in load_corpus(path).documents.to_dict("records"))
    document = Document(doc_id="d", path="d", text=doc["text"], sha256="0", date=doc["date"], title=doc["title"])
    return {"title": doc["title"], "date": doc["date"], "text": doc["text"],
            "rows": analyze_document(document, Resources())}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(st.lists(TEXT.map(lambda t: t.replace("\r", "").replace("\ufeff", "")), min_size=1, max_size=6))
def test_results_do_not_depend_on_line_endings_or_a_bom(tmp_path_factory, paragraphs):
    folder = tmp_path_factory.mktemp("eol")
    article = "date 2025-06-12 " + "\n\n".join(paragraphs) + "\n"
    variants = {
        "lf.txt": article.encode("utf-8"),
        "crlf.txt": article.replace("\n", "\r\n").encode("utf-8"),
        "cr.txt": article.replace("\n", "\r").encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + article.encode("utf-8"),
        "bom-crlf.txt": b"\xef\xbb\xbf" + article.replace("\n", "\r\n").encode("utf-8"),
    }
    results = {}
    for name, data in variants.items():
        (folder / name).write_bytes(data)
        corpus = load_corpus(folder / name)
        if corpus.documents.empty:  # nothing left after cleaning: then for every variant
            results[name] = None
            continue
        results[name] = _analysis(folder / name)
    first = results["lf.txt"]
    for name, result in results.items():
        assert result == first, name
