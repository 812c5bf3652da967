"""Near-duplicate articles: grouped into stories through the real analysis path."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from supplywatch.analysis.neardup import NearDuplicates, extract_signatures, stories
from supplywatch.analysis.pipeline import analyze_corpus
from supplywatch.corpus.model import Document

STORY = ("China accounts for 61 per cent of global mined rare earth production but controls 92 per cent "
         "of the global output, the International Energy Agency said on Tuesday. Beijing tightened export "
         "licences for seven rare earth elements in April, and magnet makers in Japan and Germany said "
         "their stocks would last only weeks. India said it would build a strategic reserve of the "
         "metals and invited bids from miners in Australia and Canada for new supply agreements.")
EDITED = STORY.replace("on Tuesday", "on Wednesday")
OTHER = ("Congo mines about 70 per cent of the world's cobalt, while China refines about 75 per cent, "
         "the U.S. Geological Survey said. Glencore and CMOC ship most of the Congolese output to "
         "refiners in China, and battery makers in South Korea buy the refined metal from them.")


def _write(root: Path, name: str, date: str, title: str, text: str) -> None:
    (root / f"{name}.txt").write_text(f"date {date}\ntitle: {title}\n\n{text}\n", encoding="utf-8")


def test_copies_share_a_story_and_distinct_articles_do_not(tmp_path):
    _write(tmp_path, "a1", "2025-06-10", "IEA on rare earths", STORY)
    _write(tmp_path, "a2", "2025-06-11", "IEA on rare earths", EDITED)   # a copy, one word edited
    _write(tmp_path, "b1", "2025-06-10", "Cobalt", OTHER)
    _write(tmp_path, "c1", "2025-07-01", "IEA on rare earths", STORY)                  # same words, 3 weeks on
    result = analyze_corpus(tmp_path, cache=False)
    docs = result.documents.set_index("doc_id")
    assert docs.loc["a1", "story_id"] == docs.loc["a2", "story_id"] == "a1"
    assert docs.loc["a1", "n_copies"] == docs.loc["a2", "n_copies"] == 2
    assert docs.loc["b1", ["story_id", "n_copies"]].tolist() == ["b1", 1]
    assert docs.loc["c1", ["story_id", "n_copies"]].tolist() == ["c1", 1]   # dated more than 3 days apart
    pairs = result.tables["near_duplicates"]
    assert pairs[["doc_id_a", "doc_id_b"]].values.tolist() == [["a1", "a2"]]
    assert 0.8 <= pairs["jaccard"].iloc[0] < 1.0 and pairs["days_apart"].iloc[0] == 1


def test_every_engine_gives_the_same_stories(tmp_path):
    for i in range(70):  # several chunks; copies land in different chunks
        _write(tmp_path, f"s{i:03d}", "2025-06-10", f"Story {i}", f"Item {i}: {OTHER if i % 2 else STORY} Ref {i // 7}.")
    one = analyze_corpus(tmp_path, cache=False, jobs=1)
    two = analyze_corpus(tmp_path, cache=False, jobs=2)
    pd.testing.assert_frame_equal(one.documents, two.documents)
    pd.testing.assert_frame_equal(one.tables["near_duplicates"], two.tables["near_duplicates"])
    assert one.documents["story_id"].nunique() < 70


def test_stories_are_connected_components_named_by_their_first_article():
    pairs = pd.DataFrame({"doc_id_a": ["b", "c", "x"], "doc_id_b": ["c", "d", "y"]})
    frame = stories(["d", "c", "b", "a", "x", "y"], pairs).set_index("doc_id")
    assert frame.loc[["b", "c", "d"], "story_id"].tolist() == ["b", "b", "b"]
    assert frame.loc["a", "n_copies"] == 1 and frame.loc["y", "story_id"] == "x"


def test_without_texts_no_candidate_is_accepted():
    docs = [Document(doc_id=f"d{i}", path=f"d{i}.txt", text=STORY, sha256=str(i)) for i in range(2)]
    accumulators = [NearDuplicates(), NearDuplicates()]
    for acc in accumulators:
        acc.add(extract_signatures(docs)["_minhash"])
    assert accumulators[0].candidates() == [(0, 1)]
    assert accumulators[0].tables()["near_duplicates"].empty
    assert len(accumulators[1].tables(texts={d.doc_id: d.text for d in docs})["near_duplicates"]) == 1
    assert accumulators[1].signatures is None  # the signatures are freed once the pairs are known


def test_a_huge_bucket_is_compared_with_its_first_member_only(monkeypatch):
    import supplywatch.analysis.neardup as neardup

    monkeypatch.setattr(neardup, "MAX_BUCKET", 2)
    docs = [Document(doc_id=f"d{i}", path=f"d{i}.txt", text=STORY, sha256=str(i)) for i in range(4)]
    acc = NearDuplicates()
    acc.add(extract_signatures(docs)["_minhash"])
    assert acc.candidates() == [(0, 1), (0, 2), (0, 3)]
    pairs = acc.tables(texts={d.doc_id: d.text for d in docs})["near_duplicates"]
    assert stories([d.doc_id for d in docs], pairs)["story_id"].tolist() == ["d0"] * 4


# BBC News articles read by hand (README: "20 hand-checked pairs"): two pairs of lightly edited
# copies, and two different stories on one event (Jaccard 0.47).
BBC_SAME = [("entertainment/179", "entertainment/216"), ("tech/019", "tech/329")]
BBC_DIFFERENT = ("politics/327", "politics/328")


@pytest.mark.corpus
def test_bbc_copies_share_a_story_id(shared_corpora, tmp_path):
    bbc = shared_corpora / "bbc"
    names = [n for pair in BBC_SAME for n in pair] + list(BBC_DIFFERENT)
    for name in names:
        (tmp_path / Path(name).parent).mkdir(exist_ok=True)
        shutil.copy(bbc / f"{name}.txt", tmp_path / f"{name}.txt")
    docs = analyze_corpus(tmp_path, cache=False).documents.set_index("doc_id")
    for a, b in BBC_SAME:
        assert docs.loc[a, "story_id"] == docs.loc[b, "story_id"] == a
        assert docs.loc[a, "n_copies"] == 2
    a, b = BBC_DIFFERENT
    assert docs.loc[a, "story_id"] == a and docs.loc[b, "story_id"] == b
    assert docs["story_id"].nunique() == 4


def test_candidates_are_the_pairs_sharing_a_datasketch_lsh_bucket():
    from datasketch import LeanMinHash, MinHashLSH

    from supplywatch.analysis.neardup import LSH_BANDS, SCHEME, SEED

    words = STORY.split()
    texts = [" ".join(words[i % 7:] + words[:i % 7]) if i % 3 else STORY for i in range(40)]
    texts += [" ".join(words[: 10 + i]) for i in range(20)] + ["", "", "one two"]
    docs = [Document(doc_id=f"d{i:02d}", path=f"d{i}.txt", text=t, sha256=str(i)) for i, t in enumerate(texts)]
    acc = NearDuplicates()
    for start in range(0, len(docs), 16):
        acc.add(extract_signatures(docs[start:start + 16])["_minhash"])
    lsh = MinHashLSH(num_perm=40, params=LSH_BANDS)
    for i, raw in enumerate(extract_signatures(docs)["_minhash"]):
        lsh.insert(i, LeanMinHash(seed=SEED, hashvalues=np.frombuffer(raw["signature"], dtype="<u4"), scheme=SCHEME))
    expected = set()
    for table in lsh.hashtables:
        for key in table.keys():
            members = sorted(table.get(key))
            expected.update((a, b) for x, a in enumerate(members) for b in members[x + 1:])
    assert expected and acc.candidates() == sorted(expected)
