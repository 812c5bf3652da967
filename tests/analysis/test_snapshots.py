"""The streaming aggregates the article store snapshots: a restored snapshot fed the rest of the
corpus gives the same tables as one aggregate fed everything."""

from __future__ import annotations

import pickle
import random

import pandas as pd

from supplywatch.text.ngrams import GramCounts, TermCounts


def _articles(n: int, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(300)]
    return [[rng.choice(words[: 20 + i % 280]) for _ in range(rng.randint(0, 60))] for i in range(n)]


def _frames(counts: TermCounts) -> list[pd.DataFrame]:
    return [counts.table(min_freq=2), counts.term_frequencies(),
            counts.collocations(2, min_freq=1, documents=True), counts.collocations(3, min_freq=1, documents=True)]


def test_restored_term_counts_fed_a_few_articles_equal_counting_everything(monkeypatch):
    monkeypatch.setattr(GramCounts, "MIN_MERGE", 64)  # small totals: the binary-search merge is used
    articles = _articles(900)
    whole = TermCounts()
    for tokens in articles:
        whole.add(tokens)
    for cut in (850, 890, 899):
        part = TermCounts()
        for tokens in articles[:cut]:
            part.add(tokens)
        restored = pickle.loads(pickle.dumps(part))
        assert not any(g._pending for g in restored._grams.values())  # pickled merged
        for tokens in articles[cut:]:
            restored.add(tokens)
        for got, want in zip(_frames(restored), _frames(whole)):
            pd.testing.assert_frame_equal(got, want)
        # the snapshot itself is unchanged by what the restored copy counted
        again = pickle.loads(pickle.dumps(part))
        assert again.term_frequencies()["n"].sum() == sum(len(t) for t in articles[:cut])


def _candidate_rows(n_docs: int, seed: int = 3) -> list[list[dict]]:
    rng = random.Random(seed)
    names = {f"new:a{i}": [f"A{i}", f"A{i} Corp", f"The A{i} Group"] for i in range(40)}
    docs = []
    for d in range(n_docs):
        rows = []
        for actor_id in rng.sample(sorted(names), rng.randint(0, 5)):
            rows.append({"doc_id": f"d{d:04d}", "actor_id": actor_id, "name": rng.choice(names[actor_id]),
                         "actor_type": rng.choice(["company", "organisation", "person"]),
                         "n": rng.randint(1, 3), "sentence_id": rng.randint(0, 9), "sentence": f"s{d}"})
        docs.append(rows)
    return docs


def test_restored_unknown_actors_fed_a_few_articles_equal_counting_everything():
    from supplywatch.actors.unknown import UnknownAccumulator

    docs = _candidate_rows(300)
    whole = UnknownAccumulator()
    for rows in docs:
        whole.add(rows)
    want = whole.tables()["unknown_actors"]
    part = UnknownAccumulator()
    for rows in docs[:280]:
        part.add(rows)
    before = part.tables()["unknown_actors"]
    restored = pickle.loads(pickle.dumps(part))
    for rows in docs[280:]:
        restored.add(rows)
    pd.testing.assert_frame_equal(restored.tables()["unknown_actors"], want)
    twice = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(part))))  # a snapshot of a restored one
    for rows in docs[280:290]:
        twice.add(rows)
    twice = pickle.loads(pickle.dumps(twice))
    for rows in docs[290:]:
        twice.add(rows)
    pd.testing.assert_frame_equal(twice.tables()["unknown_actors"], want)
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(part)).tables()["unknown_actors"], before)
    assert not want.equals(before)  # the last articles changed some actors' rows


def test_the_top_collocations_are_those_of_sorting_every_ngram():
    counts = TermCounts()
    for tokens in _articles(400):
        counts.add(tokens)
    for n in (2, 3):
        every = counts.collocations(n, min_freq=1, top=10 ** 9, documents=True)
        for top in (1, 7, 50):
            pd.testing.assert_frame_equal(counts.collocations(n, min_freq=1, top=top, documents=True),
                                          every.head(top).reset_index(drop=True))


def _fed_in_order_and_shuffled(make, items):
    """``make()`` twice: one fed ``items`` in order, one fed them shuffled (``add`` each)."""
    shuffled = items[:]
    random.Random(5).shuffle(shuffled)
    in_order, mixed = make(), make()
    for item in items:
        in_order.add(item)
    for item in shuffled:
        mixed.add(item)
    return in_order, mixed


def test_orderless_term_counts_and_unknown_actors_do_not_depend_on_the_order():
    from supplywatch.actors.unknown import UnknownAccumulator
    from supplywatch.text.terms import TermsAccumulator

    assert TermsAccumulator.orderless and UnknownAccumulator.orderless
    a, b = _fed_in_order_and_shuffled(TermCounts, _articles(600))
    for got, want in zip(_frames(b), _frames(a)):
        pd.testing.assert_frame_equal(got, want)
    x, y = _fed_in_order_and_shuffled(UnknownAccumulator, _candidate_rows(300))
    pd.testing.assert_frame_equal(y.tables()["unknown_actors"], x.tables()["unknown_actors"])


def test_subtracted_term_counts_equal_counting_the_rest(monkeypatch):
    import pyarrow as pa

    from supplywatch.text.terms import TermsAccumulator

    monkeypatch.setattr(GramCounts, "MIN_MERGE", 64)
    articles = _articles(700)
    gone = set(range(5, 700, 9)) | {0, 699}
    whole, rest = TermCounts(), TermCounts()
    for i, tokens in enumerate(articles):
        whole.add(tokens)
        if i not in gone:
            rest.add(tokens)
    restored = pickle.loads(pickle.dumps(whole))
    acc = TermsAccumulator()
    acc.counts = restored
    assert acc.retract(pa.table({"doc_id": [str(i) for i in sorted(gone)],
                                 "tokens": [" ".join(articles[i]) for i in sorted(gone)]}))
    assert len(restored) == len(rest)
    for got, want in zip(_frames(restored), _frames(rest)):
        pd.testing.assert_frame_equal(got, want)
    # words only the retracted articles had are gone from the frequencies
    assert set(restored.term_frequencies()["term"]) == set(rest.term_frequencies()["term"])
    # taking back what was never counted changes nothing
    other = TermCounts()
    other.add(["never", "counted", "here"])
    before = [f.copy() for f in _frames(restored)]
    assert not restored.subtract(other)
    for got, want in zip(_frames(restored), before):
        pd.testing.assert_frame_equal(got, want)


def test_arrow_fed_term_counts_equal_the_python_path():
    import pyarrow as pa

    articles = _articles(700) + [[]]
    joined = [" ".join(t) for t in articles] + [None]
    a, b = TermCounts(), TermCounts()
    a.add_joined(j or "" for j in joined)
    b.add_joined_arrow(pa.chunked_array([pa.array(joined[:333]), pa.array(joined[333:])]))
    assert len(a) == len(b) == 702
    for got, want in zip(_frames(b), _frames(a)):
        pd.testing.assert_frame_equal(got, want)


def test_the_top_terms_are_those_of_sorting_every_word():
    counts = TermCounts()
    for tokens in _articles(400):
        counts.add(tokens)
    every = counts.term_frequencies()
    assert len(every) > 250
    for top in (1, 7, 50, 250, 10 ** 6):
        pd.testing.assert_frame_equal(counts.term_frequencies(top=top), every.head(top).reset_index(drop=True))
