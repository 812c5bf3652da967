"""Text analysis: Punkt sentences, NLTK tokens, stop words, term counts, collocations, KWIC."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from supplywatch.exceptions import ResourceError
from supplywatch.actors.gazetteer import load_gazetteer
from supplywatch.analysis.pipeline import analyze_corpus
from supplywatch.text.terms import (
    TermCounts,
    TermsAccumulator,
    collocations,
    content_tokens,
    load_stopwords,
    term_frequencies,
    terms_table,
    word_tokens,
)
from supplywatch.actors.kwic import kwic, kwic_table
from supplywatch.text.sentences import split_sentences


def test_abbreviations_do_not_end_sentences():
    text = "Mr. Lin met U.S. officials on Jan. 5 at Acme Corp. in the No. 2 hall. They talked."
    assert [s.text for s in split_sentences(text)] == [
        "Mr. Lin met U.S. officials on Jan. 5 at Acme Corp. in the No. 2 hall.", "They talked."]


def test_word_tokens_offline():
    assert word_tokens("Exports didn't rise.") == ["Exports", "did", "n't", "rise", "."]
    assert word_tokens("Exports rose 5%.") == ["Exports", "rose", "5", "%", "."]


def test_stopwords_file_and_content_tokens():
    stop = load_stopwords()
    assert {"the", "and", "said"} <= stop and "china" not in stop
    assert content_tokens("The US said China’s rare-earth exports rose 5 per cent.") == [
        "china", "rare-earth", "exports", "rose"]


def test_missing_stopwords_file(tmp_path):
    with pytest.raises(ResourceError, match="stop-word list"):
        load_stopwords(tmp_path / "none.txt")


def test_term_frequencies_counts_and_documents():
    table = term_frequencies([["rare", "earth", "rare"], ["earth"]])
    assert table.values.tolist() == [["earth", 2, 2], ["rare", 2, 1]]


def test_collocations_floor_and_measures():
    docs = [["rare", "earth", "magnets", "exports"], ["rare", "earth", "prices"], ["rare", "earth", "magnets"],
            ["copper", "prices"]]
    bigrams = collocations(docs, n=2, min_freq=2)
    assert bigrams["term"].tolist()[0] == "rare earth"
    assert "copper prices" not in bigrams["term"].tolist()  # below the floor
    assert collocations(docs, n=3, min_freq=2, measure="pmi")["term"].tolist() == ["rare earth magnets"]
    with pytest.raises(ValueError, match="measure"):
        collocations(docs, measure="chi")


def test_terms_table_kinds():
    table = terms_table([["rare", "earth", "magnets"]] * 3)
    assert set(table["kind"]) == {"term", "bigram", "trigram"}
    assert table[table["kind"] == "trigram"]["term"].tolist() == ["rare earth magnets"]


def test_kwic_term_and_actor():
    text = "China curbs exports. Beijing said talks in Beijing helped; china cups aside."
    assert list(kwic(text, "exports", window=6)) == [("curbs ", "exports", ". ")]  # no half word
    rows = list(kwic(text, "China", window=5, gazetteer=load_gazetteer()))
    assert [r[1] for r in rows] == ["China", "Beijing"]  # the actor: name + metonym, not the place or 'china'
    table = kwic_table({"b": text, "a": "Rare earths."}, "rare earths", window=3)
    assert table.values.tolist() == [["a", "", "Rare earths", "."]]
    limited = kwic_table({"b": text, "a": "Rare earths.", "c": text}, "exports", window=3, limit=1)
    assert limited.values.tolist() == [["b", " ", "exports", ". "]]


def test_seed_terms_table(seed_file):
    terms = analyze_corpus(seed_file).tables["terms"]
    top = terms[terms["kind"] == "term"].iloc[0]
    assert (top["term"], top["n"]) == ("china", 8)
    assert "rare earth" in terms[terms["kind"] == "bigram"]["term"].tolist()


@pytest.mark.parametrize("n", [2, 3])
def test_collocations_equal_nltks_own_finder(n):
    """Our C-speed counting gives exactly the scores of NLTK's from_documents finder."""
    from nltk.collocations import (BigramAssocMeasures, BigramCollocationFinder, TrigramAssocMeasures,
                                   TrigramCollocationFinder)

    docs = [content_tokens(t) for t in (
        "Rare earth exports from China fell. Rare earth magnets are scarce; rare earth prices rose.",
        "China's rare earth exports and rare earth magnets dominate. Magnet makers buy rare earth oxide.",
        "Gallium and germanium exports face licences. Rare earth magnets and gallium exports too.",
    )]
    ours = collocations(docs, n=n, min_freq=2, top=1000)
    finder_cls, measures = ((BigramCollocationFinder, BigramAssocMeasures) if n == 2
                            else (TrigramCollocationFinder, TrigramAssocMeasures))
    finder = finder_cls.from_documents(docs)
    finder.apply_freq_filter(2)
    expected = {" ".join(g): round(float(s), 4) for g, s in finder.score_ngrams(measures.likelihood_ratio)}
    assert expected, "fixture too small to produce collocations"
    assert dict(zip(ours["term"], ours["score"])) == expected


def test_content_tokens_are_nltk_regexp_tokens_lowered_without_stopwords(reuters_docs):
    """The fast path (re + one lower-casing) gives exactly the per-token NLTK RegexpTokenizer result."""
    from supplywatch.text.terms import _TOKEN_PATTERN
    from nltk.tokenize import RegexpTokenizer

    stop = load_stopwords()
    nltk_tokenizer = RegexpTokenizer(_TOKEN_PATTERN)

    def reference(text):
        out = []
        for token in nltk_tokenizer.tokenize(text):
            token = token.lower().replace("’", "'")
            token = token[:-2] if token.endswith("'s") else token
            token = token.strip("'-")
            if len(token) > 1 and token not in stop:
                out.append(token)
        return out

    texts = [d.text for d in reuters_docs] + ["O’Neil’s x-'s Exxon's a''s U.S.'s rock'n'roll's"]
    assert [content_tokens(t) for t in texts] == [reference(t) for t in texts]
    assert content_tokens("O’Neil’s x-'s a''s") == ["o'neil"]


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("measure", ["likelihood_ratio", "pmi"])
def test_scores_are_nltks_floats_on_real_articles(reuters_docs, n, measure):
    """Vectorised scores equal NLTK's finder exactly (unrounded floats) on 925 real articles."""
    from nltk.collocations import BigramCollocationFinder, TrigramCollocationFinder
    from nltk.metrics import BigramAssocMeasures, TrigramAssocMeasures

    docs = [content_tokens(d.text) for d in reuters_docs]
    counts = TermCounts()
    for tokens in docs:
        counts.add(tokens)
    finder_cls, measures = ((BigramCollocationFinder, BigramAssocMeasures) if n == 2
                            else (TrigramCollocationFinder, TrigramAssocMeasures))
    finder = finder_cls.from_documents(docs)
    finder.apply_freq_filter(3)
    expected = dict(finder.score_ngrams(getattr(measures, measure)))
    assert len(expected) > 500
    assert counts.scores(n, min_freq=3, measure=measure) == expected


def test_term_counts_match_nltk_freqdist_and_document_counts(reuters_docs):
    from collections import Counter

    from nltk.probability import FreqDist

    docs = [content_tokens(d.text) for d in reuters_docs]
    table = term_frequencies(docs)
    freq = FreqDist(t for tokens in docs for t in tokens)
    in_docs = Counter(t for tokens in docs for t in set(tokens))
    assert dict(zip(table["term"], table["n"])) == dict(freq)
    assert dict(zip(table["term"], table["n_documents"])) == dict(in_docs)
    assert table["n"].is_monotonic_decreasing


def test_collocation_document_counts_and_no_ngram_across_articles():
    docs = [["rare", "earth"], ["earth", "magnets"], ["rare", "earth", "magnets"], ["rare", "earth"]]
    table = terms_table(docs, min_freq=2)
    bigrams = table[table["kind"] == "bigram"].set_index("term")
    assert bigrams.loc["rare earth", "n"] == 3 and bigrams.loc["rare earth", "n_documents"] == 3
    assert bigrams.loc["earth magnets", "n"] == 2 and bigrams.loc["earth magnets", "n_documents"] == 2
    assert "earth earth" not in bigrams.index  # "earth" ending one article and starting the next


def test_terms_accumulator_streams_parts_to_the_same_table(reuters_docs):
    import pyarrow as pa

    joined = [" ".join(content_tokens(d.text)) for d in reuters_docs]
    acc = TermsAccumulator()
    for i in range(0, len(joined), 64):  # chunk by chunk, as the engine delivers them
        acc.add(pa.table({"doc_id": [str(j) for j in range(i, i + 64)][:len(joined[i:i + 64])],
                          "tokens": joined[i:i + 64]}))
    acc.add([{"doc_id": "x", "tokens": ""}])  # raw rows (a part Arrow could not type) and an empty article
    whole = terms_table([t.split() for t in joined] + [[]])
    assert acc.tables()["terms"].equals(whole)
    assert set(whole["kind"]) == {"term", "bigram", "trigram"}


def test_term_counts_in_small_batches_with_wide_trigram_keys_give_the_same_table(reuters_docs, monkeypatch):
    """Many batches and merges, and trigram keys widened mid-stream (as past 2**21 distinct words),
    change nothing: the same table as one pass."""
    import supplywatch.text.ngrams as ngrams

    docs = [content_tokens(d.text) for d in reuters_docs[:300]]
    expected = terms_table(docs)
    monkeypatch.setattr(ngrams.TermCounts, "BATCH", 7)
    monkeypatch.setattr(ngrams.GramCounts, "MIN_MERGE", 50)
    monkeypatch.setattr(ngrams, "_TRIGRAM_BITS", 9)  # widen once the vocabulary passes 512 words
    counts = TermCounts()
    for tokens in docs:
        counts.add(tokens)
    assert counts._wide and counts._grams[3].keys.dtype.names == ("hi", "lo")
    pd.testing.assert_frame_equal(counts.table(), expected)


def test_term_counts_read_between_additions_stay_current():
    counts = TermCounts()
    counts.add(["rare", "earth"])
    assert term_frequencies(counts)["n"].sum() == 2
    for _ in range(TermCounts.BATCH):  # enough to flush a batch inside add()
        counts.add(["rare"])
    table = term_frequencies(counts)
    assert table.values.tolist()[0] == ["rare", TermCounts.BATCH + 1, TermCounts.BATCH + 1]


def test_a_paragraph_of_megabytes_on_one_line_is_split_like_short_ones():
    """NLTK runs Punkt's regexes under a time limit that an 11 MB one-line article exceeded (the whole
    corpus failed). Long paragraphs are read in pieces cut after a sentence end: same sentences."""
    from supplywatch.text.sentences import MAX_PUNKT_CHARS, sentence_spans

    unit = "China mines 61 per cent of rare earths, the U.S. Geological Survey said. Prices rose! "
    text = unit * (3 * MAX_PUNKT_CHARS // len(unit) + 5)
    spans = sentence_spans(text.rstrip())
    assert len(spans) == 2 * (3 * MAX_PUNKT_CHARS // len(unit) + 5)
    assert {text[s:e] for s, e in spans} == {unit.split(" Prices")[0], "Prices rose!"}
    short = sentence_spans(unit.rstrip())
    assert [text[s:e] for s, e in spans[:2]] == [unit[s:e] for s, e in short]


def test_a_long_paragraph_without_sentence_ends_is_cut_at_spaces():
    from supplywatch.text.sentences import MAX_PUNKT_CHARS, sentence_spans

    text = ("word " * (MAX_PUNKT_CHARS // 2)).rstrip()
    spans = sentence_spans(text)
    assert "".join(text[s:e] + " " for s, e in spans).rstrip() == text  # nothing lost, no word cut


def test_kwic_never_cuts_a_word_at_its_edges():
    """A reviewer read "elevant countries" and "caused w" in report 01."""
    lines = list(kwic("The relevant countries said rare earths caused worries today.", "rare earths", window=15))
    assert lines == [("countries said ", "rare earths", " caused worries")]
    assert list(kwic("Exports of rare earths fell.", "rare earths", window=11)) == [("Exports of ", "rare earths", " fell.")]


def _plain_punkt_spans(text):
    """Spans as a plain Punkt tokenizer gives them, paragraph by paragraph, trimmed."""
    from supplywatch.text.sentences import PARAGRAPH_RE, _pieces, sentence_tokenizer

    spans = []
    for para in PARAGRAPH_RE.finditer(text):
        for offset, chunk in _pieces(para.group()):
            for start, end in sentence_tokenizer().span_tokenize(chunk):
                piece = chunk[start:end]
                lead, trail = len(piece) - len(piece.lstrip()), len(piece) - len(piece.rstrip())
                if end - trail > start + lead:
                    spans.append((para.start() + offset + start + lead, para.start() + offset + end - trail))
    return spans


SENTENCE_CASES = [
    "Prices rose 5.93 pct.", "He said: \"No.\"", "It ended. (Really.) Then", "U.S. officials met.  ",
    "Wait... what?! Yes.", "end. \x1c", "a.\x1d b", "  lead. ", "5.93 mln vs 5.81.\n\nNext one. And two.",
    "“Stop.” he said.", "a.) b", "x!'", "Mr. Lin. Jan. 5", "", "\n\n", ".", "a.b.c. d",
]


def test_sentence_spans_are_plain_punkts():
    """Paragraphs Punkt is not asked about, and its memoised decisions, give exactly Punkt's spans."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from supplywatch.text.sentences import sentence_spans

    for text in SENTENCE_CASES:
        assert sentence_spans(text) == _plain_punkt_spans(text), text
    pieces = st.sampled_from(list("aB1 .?!\n\"'()[]:;,-\x1c\x1d\u00a0\u2019\u201d\t")
                             + ["U.S.", "Mr.", " The", "said", "  ", "\n\n", "...", "5.93"])

    @settings(max_examples=400, deadline=None)
    @given(st.lists(pieces, max_size=30).map("".join))
    def same(text):
        assert sentence_spans(text) == _plain_punkt_spans(text)

    same()


def test_punkts_patterns_read_alike_in_re_and_regex():
    """The split runs Punkt's own patterns on re; the engines' \\s differ only on _ODD_SPACE_RE."""
    import sys

    import regex

    from supplywatch.text.sentences import _ODD_SPACE_RE, _StdlibLanguageVars

    everything = "".join(map(chr, range(sys.maxunicode + 1))).replace("\ud800", "")
    differ = set(re.findall(r"\s", everything)) ^ set(regex.findall(r"\s", everything))
    assert differ and all(_ODD_SPACE_RE.fullmatch(c) for c in differ)
    lang = _StdlibLanguageVars()
    for pattern in (lang.period_context_re(), lang._word_tokenizer_re(), lang.re_boundary_realignment):
        assert isinstance(pattern, re.Pattern)
