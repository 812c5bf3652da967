"""Text analysis: Punkt sentences, NLTK tokens, stop words, term counts, collocations, KWIC."""

from __future__ import annotations

import pytest

from supplywatch.exceptions import ResourceError
from supplywatch.gazetteer import load_gazetteer
from supplywatch.pipeline import analyze_corpus
from supplywatch.terms import (collocations, content_tokens, kwic, kwic_table, load_stopwords, term_frequencies,
                               terms_table, word_tokens)
from supplywatch.text import split_sentences


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
    assert list(kwic(text, "exports", window=6)) == [("curbs ", "exports", ". Beij")]
    rows = list(kwic(text, "China", window=5, gazetteer=load_gazetteer()))
    assert [r[1] for r in rows] == ["China", "Beijing"]  # the actor: name + metonym, not the place or 'china'
    table = kwic_table({"b": text, "a": "Rare earths."}, "rare earths", window=3)
    assert table.values.tolist() == [["a", "", "Rare earths", "."]]


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
