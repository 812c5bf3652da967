"""The analysis cache: warm runs return the stored tables; any changed input misses."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from supplywatch.analysis import engine
from supplywatch.analysis.cache import AnalysisCache, corpus_fingerprint, resources_key
from supplywatch.config import GAZETTEER_FILE
from supplywatch.corpus.loader import load_corpus
from supplywatch.analysis.pipeline import analyze_corpus


@pytest.fixture
def corpus(tmp_path: Path, seed_file: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copy(seed_file, root / seed_file.name)
    (root / "extra.jsonl").write_text(
        json.dumps({"id": "1", "text": "China's Ministry of Commerce said rare earth exports fell 8%.",
                    "topics": "rare-earths"}) + "\n{broken\n",
        encoding="utf-8",
    )
    return root


def _same(a, b) -> None:
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], obj=name)
    assert a.corpus_hash == b.corpus_hash
    assert a.texts == b.texts
    assert a.report.problems == b.report.problems
    assert a.report.files == b.report.files


def test_warm_run_returns_the_stored_tables(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    cache_dir = tmp_path / "cache"
    cold = analyze_corpus(corpus, cache=cache_dir)
    assert len(cold.documents) == 2 and any(p.line == 2 for p in cold.report.problems)
    assert len([p for p in cache_dir.iterdir() if (p / "manifest.json").is_file()]) == 1
    with monkeypatch.context() as m:
        m.setattr(engine, "analyze_stream", lambda *a, **k: pytest.fail("not served from the cache"))
        warm = analyze_corpus(corpus, cache=cache_dir)
    _same(cold, warm)
    assert warm.documents["meta_topics"].tolist().count("rare-earths") == 1


def test_touch_hits_through_the_content_hash_and_an_edit_misses(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    cache_dir = tmp_path / "cache"
    cold = analyze_corpus(corpus, cache=cache_dir)
    before = corpus_fingerprint(corpus)
    seed = next(corpus.glob("*.txt"))
    st = seed.stat()
    os.utime(seed, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert corpus_fingerprint(corpus) != before
    with monkeypatch.context() as m:
        m.setattr(engine, "analyze_stream", lambda *a, **k: pytest.fail("touch alone must not re-analyse"))
        _same(cold, analyze_corpus(corpus, cache=cache_dir))
    assert len(list((cache_dir / "quick").glob("*.json"))) == 2
    (corpus / "extra.jsonl").write_text(json.dumps({"id": "1", "text": "Japan cut tariffs."}) + "\n", encoding="utf-8")
    edited = analyze_corpus(corpus, cache=cache_dir)
    assert edited.corpus_hash != cold.corpus_hash
    assert "Japan cut tariffs." in edited.texts.values()


def test_gazetteer_and_data_files_are_part_of_the_key(tmp_path: Path) -> None:
    own = tmp_path / "actors.yaml"
    own.write_text(GAZETTEER_FILE.read_text(encoding="utf-8") + "\n# my edit\n", encoding="utf-8")
    assert resources_key(None) == resources_key(None)
    assert resources_key(own) != resources_key(None)


def test_loaded_corpus_and_no_cache(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    cache_dir = tmp_path / "cache"
    loaded = load_corpus(corpus)
    cold = analyze_corpus(loaded, cache=cache_dir)
    with monkeypatch.context() as m:
        m.setattr(engine, "analyze_stream", lambda *a, **k: pytest.fail("not served from the cache"))
        _same(cold, analyze_corpus(loaded, cache=cache_dir))
    with monkeypatch.context() as m:
        m.setattr(AnalysisCache, "__init__", lambda *a, **k: pytest.fail("cache=False must not touch the cache"))
        fresh = analyze_corpus(corpus, cache=False)
    _same(cold, fresh)


def test_a_damaged_entry_is_a_miss(corpus: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cold = analyze_corpus(corpus, cache=cache_dir)
    entry = next(p for p in cache_dir.iterdir() if (p / "manifest.json").is_file())
    (entry / "000.arrow").write_bytes(b"not arrow")
    again = analyze_corpus(corpus, cache=cache_dir)
    _same(cold, again)
    key = AnalysisCache(cache_dir).content_key(corpus)
    pd.read_feather(cache_dir / key / "000.arrow")  # rewritten


def test_prune_keeps_the_newest_entries(corpus: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    for i in range(3):
        (corpus / "extra.jsonl").write_text(json.dumps({"text": f"Version {i} of the story."}) + "\n", encoding="utf-8")
        analyze_corpus(corpus, cache=cache_dir)
    store = AnalysisCache(cache_dir)
    store.prune(keep=1)
    entries = [p for p in cache_dir.iterdir() if (p / "manifest.json").is_file()]
    assert len(entries) == 1
    assert len(list((cache_dir / "quick").glob("*.json"))) == 1


def test_resources_key_is_the_same_in_every_process():
    """A fresh process (a cron job, a render's kernel) must find what an earlier process stored."""
    import subprocess
    import sys

    code = "from supplywatch.analysis.cache import resources_key; print(resources_key())"
    keys = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           timeout=120).stdout.strip() for _ in range(2)}
    assert len(keys) == 1 and len(next(iter(keys))) == 64
