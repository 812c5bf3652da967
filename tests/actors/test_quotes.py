"""Quotes: patterns, quote marks, speaker resolution and the seed's two quotes."""

from __future__ import annotations

from supplywatch.actors.mentions import mention_rows
from supplywatch.actors.gazetteer import load_gazetteer
from supplywatch.analysis.pipeline import analyze_corpus
from supplywatch.actors.quotes import find_quotes, quote_spans
from supplywatch.text.sentences import split_sentences


def _quotes(text: str) -> list[tuple[str, str, str, str]]:
    sentences = split_sentences(text)
    mentions = mention_rows("d", text, sentences, load_gazetteer())
    found = find_quotes(text, mentions, sentences=sentences)
    for q in found:
        assert text[q["start"]:q["end"]] == q["quote"]
    return [(q["speaker"], q["speaker_id"], q["quote"], q["pattern"]) for q in found]


def test_seed_quotes(seed_file):
    quotes = analyze_corpus(seed_file).tables["quotes"]
    assert quotes["speaker"].tolist() == ["Lin Jian", "Donald Trump"]
    assert quotes["speaker_id"].tolist() == ["lin-jian", "donald-trump"]
    assert quotes["quote"].iloc[0].startswith("We are willing to enhance dialogue")
    assert quotes["quote"].iloc[1] == "is done"
    assert "common concerns" not in " ".join(quotes["quote"])  # scare quote, generic speaker


def test_mismatched_and_curly_marks():
    assert quote_spans('"a b c” and “d e f" and "g"') == [(1, 6), (13, 18), (25, 26)]


def test_after_pattern_with_role_phrase_and_backref():
    text = "Lin Jian spoke on Monday. “Exports will resume soon,” Lin said."
    assert _quotes(text) == [("Lin Jian", "lin-jian", "Exports will resume soon,", "after")]


def test_said_x_after_quote():
    text = '"We will not back down," said Donald Trump.'
    assert _quotes(text) == [("Donald Trump", "donald-trump", "We will not back down,", "after")]


def test_before_pattern():
    text = 'Lynas chief Amanda Lacaze said: "We are ready to supply the market."'
    # the speaker is the person (recognised: the gazetteer lacks her), not her company
    assert _quotes(text) == [("Amanda Lacaze", "new:amanda-lacaze", "We are ready to supply the market.", "before")]
    assert _quotes(text.replace("Amanda Lacaze ", "")) == [
        ("Lynas", "lynas", "We are ready to supply the market.", "before")]


def test_according_to():
    text = 'Supplies are "extremely tight for the rest of the year", according to the International Energy Agency.'
    assert _quotes(text) == [("International Energy Agency", "IEA", "extremely tight for the rest of the year",
                              "according_to")]


def test_unresolved_speaker_keeps_phrase_for_full_quotes_only():
    text = '"Prices will keep rising this year," an industry analyst said. They called it “a mess”.'
    assert _quotes(text) == [("industry analyst", "", "Prices will keep rising this year,", "after")]


def test_no_quote_marks_no_quotes():
    assert _quotes("China said exports would resume.") == []


def test_the_quick_test_before_the_speaker_search_never_drops_a_match():
    """_attribution searches _BEFORE_RE only where _BEFORE_TAIL_RE matches: every match has its tail."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from supplywatch.actors.quotes import _BEFORE_RE, _BEFORE_TAIL_RE

    words = st.sampled_from(["Lin", " ", "  ", "said", "says", "told", "that", "on", "Monday", ":", ",", "\n",
                             "also", "has", "the", "minister", ".", "reporters", "said:", "\t"])
    heads = ["Lin said: ", "The minister has also warned that", "He said on Monday,", "Nothing here"]

    @settings(max_examples=500, deadline=None)
    @given(st.lists(words, max_size=14).map("".join))
    def check(head):
        if _BEFORE_RE.search(head):
            assert _BEFORE_TAIL_RE.search(head)

    for head in heads:
        assert bool(_BEFORE_RE.search(head)) == bool(_BEFORE_TAIL_RE.search(head)) == (head != "Nothing here")
    check()
