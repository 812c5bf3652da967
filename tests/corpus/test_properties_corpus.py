"""Property-based tests: the corpus parser and sentence splitting never raise on arbitrary input,
offsets always slice their text, and results do not depend on line endings or a byte-order mark."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supplywatch.corpus.model import LoadReport
from supplywatch.corpus.cleaning import clean_text, parse_date
from supplywatch.corpus.loader import iter_corpus
from supplywatch.text.sentences import split_sentences

PROSE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400
) | st.lists(
    st.sampled_from(["China", "U.S.", "Mr.", "said", "61", "per cent", ".", ",", "\n", "\n\n", " ", "“", "”",
                     '"', "'", "Corp.", "Jan.", "No.", "!", "?", "\r\n", "\t", "\u202e", "\x00", "é"]),
    max_size=80,
).map("".join)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(PROSE)
def test_sentence_spans_slice_their_text(text):
    sents = split_sentences(text)
    last_end = 0
    for i, s in enumerate(sents):
        assert s.sentence_id == i
        assert text[s.start:s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert s.start >= last_end
        last_end = s.end


@SETTINGS
@given(PROSE)
def test_cleaning_is_idempotent_and_line_ending_blind(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned, _ = clean_text(text)
    assert clean_text(cleaned)[0] == cleaned
    assert clean_text(text.replace("\n", "\r\n"))[0] == cleaned
    assert clean_text("\ufeff" + text)[0] == cleaned
    assert "\r" not in cleaned and "\x00" not in cleaned


@SETTINGS
@given(st.text(max_size=40))
def test_parse_date_never_raises(value):
    out = parse_date(value)
    assert out is None or out == "" or (len(out) == 10 and out[4] == "-")


@SETTINGS
@given(raw=st.binary(max_size=600), ext=st.sampled_from([".txt", ".md", ".jsonl", ".json", ".csv", ".html"]))
def test_any_bytes_in_any_format_never_raise(tmp_path_factory, raw, ext):
    root: Path = tmp_path_factory.mktemp("c")
    (root / f"a{ext}").write_bytes(raw)
    report = LoadReport(root=str(root))
    docs = list(iter_corpus(root, report))
    for d in docs:
        assert d.text and d.text == d.text.strip()
    assert set(report.files) == {f"a{ext}"}


SPACED = st.lists(st.sampled_from(["a", " ", "  ", "\t", "\u00a0", "\u2003", "\u3000", "\n", "b.", "\u200b", "\x07"]),
                  max_size=40).map("".join)


@SETTINGS
@given(PROSE | SPACED)
def test_cleaning_shortcuts_only_skip_no_op_work(text):
    """clean_text and clean_field test cheaply whether a substitution can change anything; the
    slow forms give the same results."""
    from supplywatch.corpus import cleaning

    assert cleaning._SPACES_TO_CHANGE_RE.sub(" ", text) == cleaning._SPACES_RE.sub(" ", text)
    assert cleaning.clean_field(text) == " ".join(
        cleaning._CONTROL_RE.sub("", cleaning.INVISIBLE_RE.sub("", text)).split())
    for sample in (text, f"{text} (This story has not been edited by {text} staff and is published "
                         f"from a syndicated feed.) {text}"):
        if cleaning._SYNDICATION_RE.search(sample):
            assert cleaning._SYNDICATION_HINT_RE.search(sample)
