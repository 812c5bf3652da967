"""The mentions' streaming aggregates (co-mention counts, recognised names) equal the whole-table functions."""

from __future__ import annotations

import pickle
import random

import pandas as pd
import pyarrow as pa

from supplywatch.actors.comentions import COUNTS, NAMES, MentionAggregates, comentions_from, unify_with
from supplywatch.actors.mentions import COMENTION_COLUMNS, comentions, unify_recognised


def _mentions(n_docs: int, seed: int = 5) -> pd.DataFrame:
    rng = random.Random(seed)
    known = [("CHN", "China", "country"), ("USA", "United States", "country"), ("EU", "European Union", "bloc")]
    new = {f"new:x{i}": [f"X{i}", f"X{i} Holdings", f"Xa{i}"] for i in range(25)}
    rows = []
    for d in range(n_docs):
        start = 0
        for sentence in range(rng.randint(0, 6)):
            for _ in range(rng.randint(0, 4)):
                if rng.random() < 0.4:
                    actor_id, actor, actor_type = rng.choice(known)
                    origin = "gazetteer"
                else:
                    actor_id = rng.choice(sorted(new))
                    actor, actor_type, origin = rng.choice(new[actor_id]), rng.choice(["company", "person"]), "recognised"
                rows.append({"doc_id": f"d{d:03d}", "sentence_id": sentence, "actor": actor, "actor_id": actor_id,
                             "actor_type": actor_type, "origin": origin, "start": start, "end": start + 3})
                start += 5
    return pd.DataFrame(rows)


def _fed(frame: pd.DataFrame, acc=None, docs=None) -> MentionAggregates:
    acc = acc or MentionAggregates()
    ids = sorted(frame["doc_id"].unique()) if docs is None else docs
    for i in range(0, len(ids), 7):  # parts of whole articles, some Arrow, some rows
        part = frame[frame["doc_id"].isin(ids[i:i + 7])]
        acc.add(pa.Table.from_pandas(part, preserve_index=False) if i % 2 else part.to_dict("records"))
    return acc


def _expected(frame: pd.DataFrame):
    unified = unify_recognised(frame).sort_values(["doc_id", "start", "end"], kind="stable").reset_index(drop=True)
    return unified, comentions(unified)


def _got(acc: MentionAggregates, frame: pd.DataFrame):
    out = acc.tables()
    unified = unify_with(frame, out[NAMES]).sort_values(["doc_id", "start", "end"], kind="stable")
    unified = unified.reset_index(drop=True)
    return unified, comentions_from(out[COUNTS], unified, COMENTION_COLUMNS)


def test_stream_equals_unify_and_comentions_of_the_whole_table():
    frame = _mentions(200)
    (want_m, want_c), (got_m, got_c) = _expected(frame), _got(_fed(frame), frame)
    pd.testing.assert_frame_equal(got_m, want_m)
    pd.testing.assert_frame_equal(got_c, want_c)
    assert len(want_c) > 20 and (want_c["n_documents"] < want_c["n_sentences"]).any()


def test_restored_stream_fed_the_rest_equals_the_whole():
    frame = _mentions(200)
    ids = sorted(frame["doc_id"].unique())
    restored = pickle.loads(pickle.dumps(_fed(frame, docs=ids[:180])))
    got = _got(_fed(frame, restored, docs=ids[180:]), frame)
    want = _expected(frame)
    pd.testing.assert_frame_equal(got[0], want[0])
    pd.testing.assert_frame_equal(got[1], want[1])


def test_fed_in_any_order_the_tables_are_the_same():
    """``orderless``: the article store may restore a snapshot taken over another order of the articles."""
    assert MentionAggregates.orderless
    frame = _mentions(200)
    ids = sorted(frame["doc_id"].unique())
    shuffled = ids[:]
    random.Random(11).shuffle(shuffled)
    want, got = _expected(frame), _got(_fed(frame, docs=shuffled), frame)
    pd.testing.assert_frame_equal(got[0], want[0])
    pd.testing.assert_frame_equal(got[1], want[1])


def test_retracted_articles_leave_the_tables_of_the_others():
    frame = _mentions(200)
    ids = sorted(frame["doc_id"].unique())
    gone = set(ids[3:40:4]) | {ids[-1]}
    rest = frame[~frame["doc_id"].isin(gone)].reset_index(drop=True)
    acc = pickle.loads(pickle.dumps(_fed(frame)))
    assert acc.retract(pa.Table.from_pandas(frame[frame["doc_id"].isin(gone)], preserve_index=False))
    want, got = _expected(rest), _got(acc, rest)
    pd.testing.assert_frame_equal(got[0], want[0])
    pd.testing.assert_frame_equal(got[1], want[1])
    assert not want[1].equals(_expected(frame)[1])  # the retracted articles did count


def test_retracting_what_was_never_counted_changes_nothing():
    frame = _mentions(60)
    ids = sorted(frame["doc_id"].unique())
    acc = _fed(frame[frame["doc_id"].isin(ids[:30])])
    before = pickle.dumps(acc)
    assert not acc.retract(frame[frame["doc_id"].isin(ids[40:])].to_dict("records"))
    assert pickle.dumps(acc) == before


def test_unify_with_gives_the_same_on_arrow_and_object_columns():
    frame = _mentions(120)
    names = _fed(frame).tables()[NAMES]
    arrow = unify_with(frame, names)
    plain = unify_with(frame.astype({c: object for c in ("origin", "actor_id", "actor", "actor_type")}), names)
    assert arrow["actor"].tolist() == plain["actor"].tolist()
    assert arrow["actor_type"].tolist() == plain["actor_type"].tolist()
    assert not arrow["actor"].equals(frame["actor"])  # some recognised names were unified


def test_pair_table_sorts_by_counts_then_ids_and_names_each_actor():
    from supplywatch.actors.comentions import pair_table

    a = pd.Series(["b", "a", "a", "c"])
    b = pd.Series(["c", "c", "b", "d"])
    table = pair_table(a, b, pd.Series([1, 2, 1, 1]), pd.Series([1, 1, 1, 1]),
                       {"a": "A", "b": "B", "c": "C"}, COMENTION_COLUMNS)
    assert table[["actor_a_id", "actor_b_id"]].values.tolist() == [["a", "c"], ["a", "b"], ["b", "c"], ["c", "d"]]
    assert table["actor_a"].tolist() == ["A", "A", "B", "C"] and table["actor_b"].isna().tolist() == [0, 0, 0, 1]
    with_missing = pair_table(pd.Series([None, "a"]), pd.Series(["b", "b"]), pd.Series([1, 1]),
                              pd.Series([1, 1]), {"a": "A"}, COMENTION_COLUMNS)
    assert with_missing["actor_b_id"].tolist() == ["b", "b"] and with_missing["actor_a_id"].tolist()[0] == "a"
