"""Unknown actors: capitalised multi-word names the gazetteer lacks, ranked with an example."""

from __future__ import annotations

import pandas as pd

from supplywatch.actors.gazetteer import load_gazetteer
from supplywatch.actors.unknown import candidates, unknown_actors


def _names(text: str) -> list[str]:
    return [c["name"] for c in candidates(text, load_gazetteer())]


def test_unknown_names_found_known_skipped():
    text = ("Shenghe Resources and Baotou Steel Union signed a deal. The Bank of Japan watched. "
            "Chinese Foreign Ministry spokesperson Lin Jian spoke in New Delhi.")
    assert _names(text) == ["Baotou Steel Union", "Bank of Japan"]


def test_titles_and_sentence_initial_words_stripped():
    assert _names("In Beijing, President Wang Xiaoming of Rare Metals Group spoke.") == [
        "Wang Xiaoming of Rare Metals Group"]
    assert _names("Vice Minister said so. On Monday it rained.") == []


def test_all_caps_headline_skipped():
    assert _names("RARE EARTH PRICES SOAR AS EXPORTS HALT") == []


def test_ranking_and_example():
    partial = pd.DataFrame({
        "doc_id": ["b", "a", "a"], "sentence_id": [0, 3, 1], "name": ["Acme Mining", "Acme Mining", "Zeta Corp"],
        "sentence": ["B0", "A3", "A1"],
    })
    table = unknown_actors(partial)
    assert table.values.tolist() == [["Acme Mining", 2, 2, "a", "A3"], ["Zeta Corp", 1, 1, "a", "A1"]]


def test_streamed_unknown_actors_equal_the_whole_table_ranking(reuters_docs):
    """Fed chunk by chunk (Arrow parts and raw rows), the accumulator gives unknown_actors() exactly."""
    import pyarrow as pa

    from supplywatch.actors.gazetteer import load_gazetteer
    from supplywatch.actors.unknown import UnknownAccumulator, unknown_actors

    gazetteer = load_gazetteer()
    rows = [{"doc_id": d.doc_id, **c} for d in reuters_docs for c in candidates(d.text, gazetteer)]
    assert len(rows) > 1000
    acc = UnknownAccumulator()
    for i in range(0, len(rows), 500):
        part = rows[i:i + 500]
        acc.add(pa.Table.from_pylist(part) if i % 1000 == 0 else part)
    expected = unknown_actors(pd.DataFrame(rows))
    got = acc.tables()["unknown_actors"]
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert (got["n_documents"] < got["n_mentions"]).any()  # repeated names inside one article count once
    assert UnknownAccumulator().tables()["unknown_actors"].columns.tolist() == list(expected.columns)
