"""Incremental analysis: only new or changed articles are analysed, and the tables equal a --no-cache run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from supplywatch.analysis import store as store_mod
from supplywatch.analysis.cache import resources_key
from supplywatch.analysis.incremental import analyze_with_store
from supplywatch.analysis.pipeline import ARTICLES_DIR, analyze_corpus
from supplywatch.analysis.store import ArticleStore
from supplywatch.corpus.loader import iter_corpus
from supplywatch.corpus.model import LoadReport

ARTICLES = [
    "China said it would cut rare earth exports to Japan by 40 %, the Ministry of Commerce said.",
    "India and Australia signed a critical minerals deal; Lynas will supply 20 % of India's needs.",
    "The United States imports 80 % of its rare earths from China, the USGS said on Monday.",
    "Japan's Sumitomo and Vietnam agreed to develop a rare earth mine. Vietnam holds large reserves.",
    "MP Materials said it supplies about 15 % of the world's rare earth oxide. China disputes that.",
    "Germany and France asked the European Commission to stockpile gallium and germanium.",
    "Chile and Argentina control most lithium brine; Albemarle said demand fell in China.",
    "Russia's Nornickel said it produces 40 % of the world's palladium, Reuters reported.",
]


def _csvs(result) -> dict[str, bytes]:
    return {name: frame.to_csv(index=False, lineterminator="\n").encode() for name, frame in result.tables.items()}


def _assert_equal_to_no_cache(result, corpus: Path) -> None:
    plain = analyze_corpus(corpus, cache=False)
    assert list(result.tables) == list(plain.tables)
    mine, ref = _csvs(result), _csvs(plain)
    for name in ref:
        assert mine[name] == ref[name], f"table {name} differs from a --no-cache run"
    assert dict(result.texts) == dict(plain.texts)
    assert result.report.problems == plain.report.problems and result.report.files == plain.report.files


def _write_corpus(root: Path, n: int = 6) -> Path:
    for i in range(n):
        (root / f"{i:03d}.txt").parent.mkdir(parents=True, exist_ok=True)
        (root / f"{i:03d}.txt").write_text(f"date 2026-11-{i + 1:02d}\n{ARTICLES[i % len(ARTICLES)]} Item {i}.\n",
                                           encoding="utf-8")
    records = [{"id": f"r{i}", "date": "2026-11-20", "source": "Wire", "topics": "metals",
                "text": ARTICLES[(i + 3) % len(ARTICLES)] + f" Record {i}."} for i in range(4)]
    (root / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n{broken\n", encoding="utf-8")
    return root


class _Counter:
    """Counts the articles the engine analyses."""

    def __init__(self, monkeypatch) -> None:
        from supplywatch.analysis import document

        self.n = 0
        real = document.analyze_document

        def counting(doc, resources):
            self.n += 1
            return real(doc, resources)

        monkeypatch.setattr(document, "analyze_document", counting)


def _age(root: Path) -> None:
    """Make every file look old (the quick check trusts only files older than a couple of seconds)."""
    past = time.time() - 60
    for path in root.rglob("*"):
        os.utime(path, (past, past))


def test_rerun_analyses_only_new_and_changed_articles(tmp_path, monkeypatch):
    corpus = _write_corpus(tmp_path / "corpus")
    cache = tmp_path / "cache"
    counter = _Counter(monkeypatch)
    first = analyze_corpus(corpus, cache=cache)
    assert counter.n == 10
    _assert_equal_to_no_cache(first, corpus)

    counter.n = 0
    (corpus / "010.txt").write_text("date 2026-12-01\n" + ARTICLES[7] + "\n", encoding="utf-8")   # added at the end
    (corpus / "002b.txt").write_text("date 2026-12-01\n" + ARTICLES[5] + " New.\n", encoding="utf-8")  # in the middle
    grown = analyze_corpus(corpus, cache=cache)
    assert counter.n == 2 and len(grown.documents) == 12
    _assert_equal_to_no_cache(grown, corpus)

    counter.n = 0
    (corpus / "001.txt").unlink()                                                   # removed
    (corpus / "003.txt").write_text("date 2026-11-04\nChina banned gallium exports.\n", encoding="utf-8")  # changed
    changed = analyze_corpus(corpus, cache=cache)
    assert counter.n == 1 and len(changed.documents) == 11
    assert not changed.tables["mentions"]["doc_id"].eq("001").any()
    _assert_equal_to_no_cache(changed, corpus)


def test_growth_at_the_end_feeds_the_aggregates_only_the_new_articles(tmp_path):
    corpus = _write_corpus(tmp_path / "corpus")
    st = ArticleStore(tmp_path / "store", resources_key(None))
    report = LoadReport(root=str(corpus))
    stats: dict = {}
    analyze_with_store(iter_corpus(corpus, report, read_file=st.read_file), report, st, stats=stats)
    assert stats == {"articles": 10, "analysed": 10, "stored": 0, "snapshot": 0}
    (corpus / "zz-new.jsonl").write_text(json.dumps({"id": "n1", "text": ARTICLES[2]}) + "\n", encoding="utf-8")
    st = ArticleStore(tmp_path / "store", resources_key(None))
    report = LoadReport(root=str(corpus))
    grown = analyze_with_store(iter_corpus(corpus, report, read_file=st.read_file), report, st, stats=stats)
    assert stats == {"articles": 11, "analysed": 1, "stored": 10, "snapshot": 10}
    _assert_equal_to_no_cache(grown, corpus)


def test_unchanged_files_are_replayed_not_parsed(tmp_path, monkeypatch):
    from supplywatch.corpus import loader

    corpus = _write_corpus(tmp_path / "corpus")
    _age(corpus)
    cache = tmp_path / "cache"
    analyze_corpus(corpus, cache=cache)
    (corpus / "zz.txt").write_text("Vietnam and Japan agreed on rare earths.\n", encoding="utf-8")
    parsed = []
    real = loader.iter_file
    monkeypatch.setattr(loader, "iter_file", lambda path, base, **kw: parsed.append(path.name) or real(path, base, **kw))
    result = analyze_corpus(corpus, cache=cache)
    assert parsed == ["zz.txt"]
    _assert_equal_to_no_cache(result, corpus)


def test_store_is_bounded_and_evicts_least_recently_used(tmp_path):
    corpus = _write_corpus(tmp_path / "corpus")
    st = ArticleStore(tmp_path / "s", resources_key(None), max_bytes=1)  # everything is over the bound
    report = LoadReport(root=str(corpus))
    analyze_with_store(iter_corpus(corpus, report, read_file=st.read_file), report, st)
    index = json.loads((st.dir / "index.json").read_text())
    assert index["segments"] == {} and index["articles"] == {} and index["packs"] == {}
    assert not list((st.dir / "seg").iterdir())
    # an evicted article is simply analysed again, with the same tables
    st = ArticleStore(tmp_path / "s", resources_key(None), max_bytes=1)
    report = LoadReport(root=str(corpus))
    _assert_equal_to_no_cache(analyze_with_store(iter_corpus(corpus, report, read_file=st.read_file), report, st),
                              corpus)


def test_old_analysis_versions_are_removed(tmp_path):
    root = tmp_path / "s"
    corpus = _write_corpus(tmp_path / "corpus", n=2)
    for version in ("a" * 64, "b" * 64, "c" * 64):
        st = ArticleStore(root, version)
        report = LoadReport(root=str(corpus))
        analyze_with_store(iter_corpus(corpus, report, read_file=st.read_file), report, st)
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == ["b" * 32, "c" * 32]


def test_a_crash_before_the_index_is_written_loses_nothing(tmp_path, monkeypatch):
    corpus = _write_corpus(tmp_path / "corpus")
    cache = tmp_path / "cache"
    analyze_corpus(corpus, cache=cache)
    (corpus / "zz.txt").write_text("Chile said lithium output rose 10 %.\n", encoding="utf-8")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(store_mod, "_atomic_json", crash)
        with pytest.raises(KeyboardInterrupt):
            analyze_corpus(corpus, cache=cache)
    index = json.loads(next((cache / ARTICLES_DIR).glob("*/index.json")).read_text())
    assert len(index["articles"]) == 10  # the earlier run's, intact
    _assert_equal_to_no_cache(analyze_corpus(corpus, cache=cache), corpus)


_KILL_SCRIPT = """
import sys
from supplywatch.analysis.pipeline import analyze_corpus
analyze_corpus(sys.argv[1], cache=sys.argv[2])
"""


def test_killed_run_then_rerun_gives_the_same_tables(tmp_path):
    corpus = tmp_path / "corpus"
    for i in range(300):
        (corpus / f"{i:04d}.txt").parent.mkdir(parents=True, exist_ok=True)
        (corpus / f"{i:04d}.txt").write_text(" ".join(ARTICLES[j % 8] for j in range(i, i + 12)) + f" {i}.\n",
                                             encoding="utf-8")
    cache = tmp_path / "cache"
    proc = subprocess.Popen([sys.executable, "-c", _KILL_SCRIPT, str(corpus), str(cache)])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if list((cache / ARTICLES_DIR).glob("*/seg/.tmp-*/*.arrow")):
            break  # mid-run: the new segment is being written
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _assert_equal_to_no_cache(analyze_corpus(corpus, cache=cache), corpus)
    _assert_equal_to_no_cache(analyze_corpus(corpus, cache=cache), corpus)  # and from the whole-corpus cache


_READER_SCRIPT = """
import hashlib, sys
from supplywatch.analysis.pipeline import analyze_corpus
r = analyze_corpus(sys.argv[1], cache=sys.argv[2])
print(hashlib.sha256(b"".join(f.to_csv(index=False, lineterminator="\\n").encode() for f in r.tables.values())).hexdigest())
"""


def test_two_processes_share_the_store(tmp_path):
    corpus = _write_corpus(tmp_path / "corpus")
    cache = tmp_path / "cache"
    analyze_corpus(corpus, cache=cache)
    for i in range(3):  # both readers see a grown corpus: both read and both commit
        (corpus / f"new{i}.txt").write_text(f"{ARTICLES[i]} Fresh {i}.\n", encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, "-c", _READER_SCRIPT, str(corpus), str(cache)],
                              stdout=subprocess.PIPE, text=True) for _ in range(2)]
    digests = {p.communicate(timeout=300)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs)
    plain = analyze_corpus(corpus, cache=False)
    import hashlib

    expected = hashlib.sha256(b"".join(f.to_csv(index=False, lineterminator="\n").encode()
                                       for f in plain.tables.values())).hexdigest()
    assert digests == {expected}
    index = json.loads(next((cache / ARTICLES_DIR).glob("*/index.json")).read_text())
    assert len(index["articles"]) == 13


def test_loaded_corpus_goes_through_the_store(tmp_path):
    from supplywatch.corpus.loader import load_corpus

    corpus = _write_corpus(tmp_path / "corpus")
    loaded = load_corpus(corpus)
    result = analyze_corpus(loaded, cache=tmp_path / "cache")
    plain = analyze_corpus(loaded, cache=False)
    assert _csvs(result) == _csvs(plain)


def test_replayed_articles_spool_their_stored_documents_rows(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(70):
        (corpus / f"{i:03d}.txt").write_text(f"China cut rare earth exports by {i} %.\n", encoding="utf-8")
    # metadata fields in varying order and presence: the documents table keeps first-seen column order
    (corpus / "w.jsonl").write_text("\n".join(json.dumps({"id": str(i), "text": f"India and Japan {i}.",
                                                          **({"b": "x", "a": "y"} if i % 2 else {"a": "z"})})
                                              for i in range(80)) + "\n", encoding="utf-8")
    cache = tmp_path / "cache"
    analyze_corpus(corpus, cache=cache)
    used = []
    real = ArticleStore.documents_part
    monkeypatch.setattr(ArticleStore, "documents_part",
                        lambda self, chunk: used.append(real(self, chunk) is not None) or real(self, chunk))
    (corpus / "zz.txt").write_text("Vietnam and Japan agreed on rare earths.\n", encoding="utf-8")
    result = analyze_corpus(corpus, cache=cache)
    assert used == [True]  # the 150 replayed articles' stored rows as one slice; the new one from its row
    assert [c for c in result.documents.columns if c.startswith("meta_")] == ["meta_a", "meta_b"]
    _assert_equal_to_no_cache(result, corpus)


def test_headlines_sibling_files_and_taken_doc_ids_replay_as_loaded(tmp_path, monkeypatch):
    # what main's loader decides after reading a file must survive a replay: a headline analysed with
    # the text (body_start), a doc_id that keeps its extension once a same-stem file arrives, and a
    # record id used twice in one file (the second becomes ``~2`` after the file was read)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "lynas.txt").write_text("date 2026-11-02\n" + ARTICLES[1] + "\n", encoding="utf-8")
    records = [{"id": "x", "title": "China cuts rare earth exports to Japan", "date": "2026-11-20",
                "text": ARTICLES[0]},
               {"id": "x", "title": "Vietnam and Japan agree on rare earths", "date": "2026-11-21",
                "text": ARTICLES[3]}]
    (corpus / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    cache = tmp_path / "cache"
    counter = _Counter(monkeypatch)
    first = analyze_corpus(corpus, cache=cache)
    assert counter.n == 3
    assert sorted(first.documents["doc_id"]) == ["lynas", "wire/x", "wire/x~2"]
    assert (first.documents.set_index("doc_id")["body_start"] > 0).sum() == 2
    _assert_equal_to_no_cache(first, corpus)

    counter.n = 0
    (corpus / "lynas.html").write_text("<html><body><p>" + ARTICLES[4] + "</p></body></html>", encoding="utf-8")
    grown = analyze_corpus(corpus, cache=cache)
    assert sorted(grown.documents["doc_id"]) == ["lynas.html", "lynas.txt", "wire/x", "wire/x~2"]
    assert counter.n == 2  # lynas.html, and lynas.txt under its new doc_id; wire.jsonl's two are stored
    _assert_equal_to_no_cache(grown, corpus)

    counter.n = 0
    _age(corpus)
    (corpus / "zz.txt").write_text("date 2026-12-01\n" + ARTICLES[6] + "\n", encoding="utf-8")
    replayed = analyze_corpus(corpus, cache=cache)
    assert counter.n == 1
    _assert_equal_to_no_cache(replayed, corpus)


def _run_with_store(corpus: Path, root: Path, stats: dict):
    st = ArticleStore(root, resources_key(None))
    report = LoadReport(root=str(corpus))
    return analyze_with_store(iter_corpus(corpus, report, read_file=st.read_file), report, st, stats=stats)


def test_articles_inserted_in_the_middle_reuse_the_snapshot(tmp_path, monkeypatch):
    """A daily file that sorts before older ones: the order-independent aggregates start from the
    snapshot (only near-duplicate signatures are fed every article)."""
    from supplywatch.analysis.document import _accumulators

    corpus = _write_corpus(tmp_path / "corpus", n=12)
    stats: dict = {}
    _run_with_store(corpus, tmp_path / "store", stats)
    fed: dict[str, int] = {}
    for acc in _accumulators():
        real = acc.add
        monkeypatch.setattr(acc, "add", lambda self, part, real=real, name=acc.consumes: (
            fed.__setitem__(name, fed.get(name, 0) + len(part)), real(self, part))[1])
    (corpus / "004a.txt").write_text("date 2026-12-01\nIndonesia banned nickel ore exports, Reuters said.\n",
                                     encoding="utf-8")
    grown = _run_with_store(corpus, tmp_path / "store", stats)
    assert stats == {"articles": 17, "analysed": 1, "stored": 16, "snapshot": 16}
    assert fed["_doc_tokens"] == 1 and fed.get("_unknown_candidates", 0) <= 1  # one row per article at most
    assert fed["_minhash"] == 17  # in corpus order, so fed every article
    _assert_equal_to_no_cache(grown, corpus)


def test_changed_and_removed_articles_are_taken_back_from_the_snapshot(tmp_path, monkeypatch):
    from supplywatch.text.terms import TermsAccumulator

    corpus = _write_corpus(tmp_path / "corpus", n=12)
    stats: dict = {}
    _run_with_store(corpus, tmp_path / "store", stats)
    fed: list[int] = []
    real = TermsAccumulator.add
    monkeypatch.setattr(TermsAccumulator, "add", lambda self, part: (fed.append(len(part)), real(self, part))[1])
    (corpus / "002.txt").unlink()                                                        # removed
    (corpus / "005.txt").write_text("date 2026-11-06\nChina banned gallium exports to the US.\n",
                                    encoding="utf-8")                                   # changed
    (corpus / "000a.txt").write_text("date 2026-12-01\nJapan's JOGMEC bought a stake in Lynas.\n",
                                     encoding="utf-8")                                  # new, in the middle
    changed = _run_with_store(corpus, tmp_path / "store", stats)
    assert stats == {"articles": 16, "analysed": 2, "stored": 14, "snapshot": 14}
    assert sum(fed) == 2 + 2  # the two articles taken back (retract feeds a scratch counter), the two new
    _assert_equal_to_no_cache(changed, corpus)
    assert not changed.tables["mentions"]["doc_id"].eq("002").any()
    terms = changed.tables["terms"]
    assert "gallium" in set(terms["term"])


def test_evicted_rows_of_removed_articles_are_not_silently_kept_in_the_snapshot(tmp_path):
    """Segments evicted while the snapshot that counted their articles survives: a removed article
    cannot be taken back, so the aggregates are fed afresh instead of keeping its counts."""
    corpus = _write_corpus(tmp_path / "corpus", n=12)
    stats: dict = {}
    _run_with_store(corpus, tmp_path / "store", stats)
    st = ArticleStore(tmp_path / "store", resources_key(None))
    index = json.loads((st.dir / "index.json").read_text(encoding="utf-8"))
    assert index["snapshots"] and index["articles"]
    for seg in index["segments"]:  # what eviction does to segments (the snapshot is kept)
        import shutil

        shutil.rmtree(st.dir / "seg" / seg)
    index["segments"], index["articles"] = {}, {}
    (st.dir / "index.json").write_text(json.dumps(index), encoding="utf-8")
    (corpus / "002.txt").unlink()
    (corpus / "007.txt").write_text("date 2026-11-08\nKazakhstan raised uranium output.\n", encoding="utf-8")
    after = _run_with_store(corpus, tmp_path / "store", stats)
    assert stats["analysed"] == 15 and stats["snapshot"] == 0
    _assert_equal_to_no_cache(after, corpus)


def test_an_edit_that_keeps_size_and_modification_time_is_seen(tmp_path):
    corpus = _write_corpus(tmp_path / "corpus")
    _age(corpus)
    cache = tmp_path / "cache"
    first = analyze_corpus(corpus, cache=cache)
    assert "Japan" in set(first.tables["mentions"]["actor"])
    path = next(p for p in sorted(corpus.glob("*.txt")) if "Japan" in p.read_text(encoding="utf-8"))
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "Japan" in text
    with open(path, "r+b") as fh:  # rewritten in place: same inode, same size
        fh.write(text.replace("Japan", "Italy").encode("utf-8"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the old modification time
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    again = analyze_corpus(corpus, cache=cache)
    _assert_equal_to_no_cache(again, corpus)
    assert "Italy" in set(again.tables["mentions"]["actor"])
