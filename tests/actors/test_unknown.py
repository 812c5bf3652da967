"""Unknown actors: recognised actors the gazetteer lacks, ranked with their type and an example."""

from __future__ import annotations

import pandas as pd

from supplywatch.actors.gazetteer import load_gazetteer
from supplywatch.actors.mentions import mention_rows
from supplywatch.actors.unknown import UnknownAccumulator, candidates, unknown_actors
from supplywatch.text.sentences import split_sentences


def _candidates(text: str, doc_id: str = "d") -> list[dict]:
    sentences = split_sentences(text)
    gazetteer = load_gazetteer()
    return candidates(doc_id, mention_rows(doc_id, text, sentences, gazetteer), sentences, gazetteer)


def test_recognised_actors_not_in_the_gazetteer_are_candidates():
    text = ("Shenghe Resources and Baotou Steel Union signed a deal on Monday, Maria Ortega said. "
            "Chinese Foreign Ministry spokesperson Lin Jian spoke in Beijing.")
    found = {(c["name"], c["actor_type"]) for c in _candidates(text)}
    assert ("Baotou Steel Union", "organisation") in found
    assert ("Maria Ortega", "person") in found
    # gazetteer actors (the ministry, Lin Jian, China via its demonym) are never candidates
    assert not {name for name, _t in found} & {"Chinese Foreign Ministry", "Lin Jian", "Chinese", "Beijing"}


def test_a_name_the_gazetteer_knows_in_any_form_is_not_unknown():
    gazetteer = load_gazetteer()
    rows = [{"actor_id": "new:beijing", "actor": "Beijing", "actor_type": "place", "origin": "recognised",
             "sentence_id": 0},  # a metonym of China
            {"actor_id": "new:zeta-mining", "actor": "Zeta Mining", "actor_type": "company",
             "origin": "recognised", "sentence_id": 0},
            {"actor_id": "CHN", "actor": "China", "actor_type": "country", "origin": "gazetteer", "sentence_id": 0}]
    assert [c["name"] for c in candidates("d", rows, [], gazetteer)] == ["Zeta Mining"]


def test_ranking_name_type_and_example():
    partial = pd.DataFrame({
        "doc_id": ["b", "a", "a"], "sentence_id": [0, 1, 2],
        "actor_id": ["new:acme", "new:zeta", "new:acme"],
        "name": ["Acme", "Zeta", "Acme Mining Corp."],
        "actor_type": ["company", "place", "person"], "n": [2, 1, 1],
        "sentence": ["B0", "A1", "A2"],
    })
    assert unknown_actors(partial).values.tolist() == [
        ["Acme Mining Corp.", "new:acme", "company", 3, 2, "a", "A2"],
        ["Zeta", "new:zeta", "place", 1, 1, "a", "A1"],
    ]


def test_one_row_per_actor_and_article_with_its_count():
    rows = _candidates("Maria Ortega arrived on Monday. Ortega said talks went well. Ortega left.")
    assert [(r["actor_id"], r["n"], r["sentence_id"]) for r in rows] == [("new:maria-ortega", 3, 0)]


def test_streamed_unknown_actors_equal_the_whole_table_ranking(reuters_docs):
    """Fed chunk by chunk (Arrow parts and raw rows), the accumulator gives unknown_actors() exactly."""
    import pyarrow as pa

    rows = [c for d in reuters_docs[:300] for c in _candidates(d.text, d.doc_id)]
    assert len(rows) > 500
    acc = UnknownAccumulator()
    for i in range(0, len(rows), 500):
        part = rows[i:i + 500]
        acc.add(pa.Table.from_pylist(part) if i % 1000 == 0 else part)
    expected = unknown_actors(pd.DataFrame(rows))
    got = acc.tables()["unknown_actors"]
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert (got["n_documents"] < got["n_mentions"]).any()  # repeated names inside one article count once
    assert got["n_mentions"].sum() == sum(r["n"] for r in rows)
    assert set(got["actor_type"]) <= {"person", "company", "organisation", "agency", "place"}
    assert UnknownAccumulator().tables()["unknown_actors"].columns.tolist() == list(expected.columns)
