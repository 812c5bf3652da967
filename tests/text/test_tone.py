"""Tone: VADER through NLTK with the vaderSentiment lexicon, per-actor means."""

from __future__ import annotations

import pandas as pd
import pytest

from supplywatch.text import tone
from supplywatch.exceptions import ResourceError
from supplywatch.analysis.pipeline import analyze_corpus


def test_lexicon_comes_from_vadersentiment_package():
    assert len(tone.analyzer().lexicon) > 7000
    assert tone.analyzer().lexicon["good"] > 0


def test_sentence_scores_signs():
    assert tone.sentence_scores("The talks were a great success.")["compound"] > 0.5
    assert tone.sentence_scores("Shortages caused massive pollution and disruption.")["compound"] < -0.3
    assert tone.sentence_scores("Exports rose 5 per cent.")["compound"] == 0.0


def test_missing_lexicon_is_a_resource_error(monkeypatch):
    import importlib.resources

    def no_package(name):
        raise ModuleNotFoundError(f"No module named {name!r}")

    monkeypatch.setattr(importlib.resources, "files", no_package)
    with pytest.raises(ResourceError, match="vaderSentiment"):
        tone.lexicon_text()


def test_actor_tone_means_over_distinct_sentences():
    mentions = pd.DataFrame({
        "doc_id": ["a", "a", "a", "b"], "sentence_id": [0, 0, 1, 0],
        "actor_id": ["CHN", "CHN", "CHN", "IND"], "actor": ["China"] * 3 + ["India"],
        "actor_type": ["country"] * 4,
    })
    sentences = pd.DataFrame({"doc_id": ["a", "a", "b"], "sentence_id": [0, 1, 0], "compound": [0.6, -0.2, -0.5],
                              "pos": [0.4, 0.0, 0.0], "neu": [0.6, 0.8, 0.6], "neg": [0.0, 0.2, 0.4]})
    table = tone.actor_tone(mentions, sentences)
    china = table.set_index("actor_id").loc["CHN"]
    assert china["n_sentences"] == 2 and china["mean_compound"] == pytest.approx(0.2)
    assert china["share_negative"] == pytest.approx(0.5)
    assert table["actor_id"].tolist() == ["CHN", "IND"]


def test_seed_tone_table(seed_file):
    tables = analyze_corpus(seed_file).tables
    table = tables["tone"].set_index("actor_id")
    assert table.loc["CHN", "n_sentences"] == 9  # sentences 0, 1, 3, 5 (Chinese), 8, 11, 12, 14, 15
    assert table.loc["IEA", "mean_compound"] > 0
    assert set(tables["sentence_tone"]["sentence_id"]) <= set(tables["mentions"]["sentence_id"])


def _plain_nltk_analyzer():
    from nltk.sentiment import vader

    from supplywatch.text.tone import lexicon_text

    class Plain(vader.SentimentIntensityAnalyzer):
        def __init__(self, text):
            self.lexicon_file = "\n".join(line for line in text.splitlines() if line.strip())
            self.lexicon = self.make_lex_dict()
            self.constants = vader.VaderConstants()

    return Plain(lexicon_text())


PUNCTUATED = [
    "Great!!! :) but NOT good...", "!wow, that's bad?!", "cat! !cat ,cat, --- :( :D", "It is GOOD!!!",
    "China's curbs are a “serious threat”, officials warned.", "No, it's not bad; it's kind of great?!?",
    "The deal \"is done\", Trump said -- happily!", "U.S. exports fell sharply, hurting profits.",
]
#: Sentences without a lexicon word (scored without VADER's word-by-word pass), and near misses.
NEUTRAL = [
    "", "a", "--", "Exports rose 5 pct.", "Exports rose 5 pct!!!", "Why?? Exports rose?!?", "\"Tokyo,\" he said.",
    "'(Reuters)'", "kind of", "not very", "I I I", "!!!good", "good", "GOOD.", "“good”", "no!", "Fine, thanks",
]


def test_fast_tokenisation_scores_exactly_like_nltk():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from supplywatch.text.tone import analyzer

    plain = _plain_nltk_analyzer()
    for sentence in PUNCTUATED + NEUTRAL:
        assert analyzer().polarity_scores(sentence) == plain.polarity_scores(sentence), sentence

    words = st.sampled_from(["good", "bad", "not", "very", "GREAT", "cat", "but", ":)", "kind", "of", "no",
                             "rose", "Tokyo", "pct", "a", "5", "“", "(", "‘"])
    marks = st.sampled_from(["", "!", "?", "!!", "?!", ",", ".", "...", "'", '"', "!?!", "(", ")", "--"])
    token = st.tuples(marks, words, marks).map("".join)

    @settings(max_examples=400, deadline=None)
    @given(st.lists(token, max_size=12).map(" ".join))
    def same(sentence):
        assert analyzer().polarity_scores(sentence) == plain.polarity_scores(sentence)

    same()
