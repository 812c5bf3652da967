"""Engines: one process, a local pool and a Dask LocalCluster give the same tables."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from supplywatch.cli import main
from supplywatch.corpus.model import LoadReport
from supplywatch.corpus.loader import iter_corpus
from supplywatch.analysis.engine import analyze_stream, check_options
from supplywatch.parts import normalize_frame, rows_to_table
from supplywatch.analysis.spool import Spool
from supplywatch.exceptions import ParameterError
from supplywatch.analysis.pipeline import analyze_corpus

ARTICLES = [
    ("Chile output", "Chile's state miner Codelco said copper output rose 5% in January. "
     "The Ministry of Mining said exports to China would grow.\n\nChina accounts for about half of "
     "global copper demand, analysts said."),
    ("EU rules", "The European Commission proposed new rules on critical raw materials on Thursday. "
     "\"We cannot depend on one supplier,\" Commissioner Thierry Breton told reporters in Brussels."),
    ("Rare earths", "China produces around 70% of the world's rare earths, according to the U.S. "
     "Geological Survey. Lynas, the Australian miner, is expanding a plant in Malaysia."),
    ("No actors", "Prices were little changed in quiet trade on Monday."),
]


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory, seed_file: Path) -> Path:
    root = tmp_path_factory.mktemp("engine_corpus")
    shutil.copy(seed_file, root / seed_file.name)
    with (root / "wire.jsonl").open("w", encoding="utf-8") as fh:
        for i, (title, text) in enumerate(ARTICLES * 10):  # 40 articles: several chunks
            fh.write(json.dumps({"id": str(i), "title": title, "date": "2025-06-0%d" % (i % 9 + 1),
                                 "text": f"{text} (Item {i}.)", "places": "chile;usa"}) + "\n")
    return root


def _analyze(corpus: Path, **options) -> dict[str, pd.DataFrame]:
    report = LoadReport(root=str(corpus))
    return analyze_stream(iter_corpus(corpus, report), report, chunk_size=7, **options).tables


def _assert_same(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    assert list(left) == list(right)
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name], obj=name)


@pytest.fixture(scope="module")
def one_process(small_corpus: Path) -> dict[str, pd.DataFrame]:
    tables = _analyze(small_corpus, jobs=1)
    assert len(tables["documents"]) == 41
    assert tables["documents"]["meta_places"].notna().sum() == 40
    return tables


def test_local_pool_equals_one_process(small_corpus: Path, one_process) -> None:
    _assert_same(one_process, _analyze(small_corpus, jobs=2))


def test_dask_two_worker_local_cluster_equals_local_engine(small_corpus: Path, one_process) -> None:
    pytest.importorskip("distributed")
    _assert_same(one_process, _analyze(small_corpus, engine="dask"))


def _plain_pipeline(path: Path) -> dict[str, pd.DataFrame]:
    """The obvious implementation, as an oracle: one article after another, rows into DataFrames."""
    from supplywatch.corpus.model import DOCUMENT_COLUMNS
    from supplywatch.analysis.document import (
        Resources,
        _accumulators,
        _aggregators,
        _chunk_extractors,
        analyze_document,
    )

    resources, docs, collected, texts, loaded = Resources(), [], {}, {}, []
    for doc in iter_corpus(path, LoadReport(root=str(path))):
        row = doc.as_row()
        row.pop("text")
        texts[doc.doc_id] = doc.analysed_text  # what the engine spools: the headline and the text
        docs.append(row)
        loaded.append(doc)
        for name, rows in analyze_document(doc, resources).items():
            collected.setdefault(name, []).extend(rows)
    for extract in _chunk_extractors():  # the whole corpus as one chunk
        for name, rows in extract(loaded, resources).items():
            collected.setdefault(name, []).extend(rows)
    frame = pd.DataFrame(docs)
    columns = [c for c in DOCUMENT_COLUMNS if c != "text"]
    columns += [c for c in frame.columns if c not in columns]  # importers' meta_* columns
    tables = {"documents": frame[columns].sort_values("doc_id", kind="stable").reset_index(drop=True)}
    streamed = {acc.consumes for acc in _accumulators() if not getattr(acc, "observes", False)}
    tables.update({name: pd.DataFrame(rows) for name, rows in collected.items() if name not in streamed})
    private = []
    for acc in _accumulators():  # fed the whole table at once: chunking must not change the result
        accumulator = acc(resources)
        accumulator.add(collected.get(acc.consumes, []))
        extra = {"texts": texts} if getattr(acc, "needs_texts", False) else {}
        out = accumulator.tables(**extra)
        tables.update(out)
        private.extend(name for name in out if name.startswith("_"))  # for the aggregators only
    for aggregate in _aggregators():
        tables.update(aggregate(tables, resources))
    for name in private:
        del tables[name]
    return tables


def test_engine_tables_match_the_plain_pipeline(small_corpus: Path, one_process) -> None:
    """Chunks, workers and Arrow change nothing: the engine gives the oracle's rows in its order."""
    plain = _plain_pipeline(small_corpus)
    assert list(plain) == list(one_process)
    for name, frame in plain.items():
        pd.testing.assert_frame_equal(normalize_frame(frame), one_process[name], check_dtype=False, obj=name)


def test_cli_analyze_with_jobs_and_parquet(small_corpus: Path, tmp_path: Path, one_process) -> None:
    out = tmp_path / "tables"
    assert main(["analyze", str(small_corpus), "--out", str(out), "--jobs", "2", "--no-cache", "--parquet"]) == 0
    mentions = [name for name in one_process if name != "documents"]
    for name in ["documents", *mentions]:
        assert (out / f"{name}.csv").is_file() and (out / f"{name}.parquet").is_file()
    back = pd.read_parquet(out / "documents.parquet")
    assert list(back["doc_id"]) == list(one_process["documents"]["doc_id"])


def test_options_are_checked() -> None:
    with pytest.raises(ParameterError, match="unknown engine 'spark'"):
        check_options(jobs=1, engine="spark", scheduler=None)
    with pytest.raises(ParameterError, match="needs --engine dask"):
        check_options(jobs=1, engine="local", scheduler="tcp://x:8786")
    with pytest.raises(ParameterError, match="positive number"):
        check_options(jobs=-2, engine="local", scheduler=None)
    assert check_options(jobs=0, engine="local", scheduler=None) >= 1
    with pytest.raises(ParameterError, match="unknown engine"):
        analyze_corpus("seeds", engine="spark", cache=False)


def test_rows_to_table_takes_the_union_of_keys_and_falls_back_on_mixed_types() -> None:
    table = rows_to_table([{"a": 1}, {"a": 2, "b": "x"}])
    assert table.column_names == ["a", "b"] and table.column("b").to_pylist() == [None, "x"]
    mixed = [{"a": 1}, {"a": "one"}]
    assert rows_to_table(mixed) == mixed


def test_spool_writes_parts_to_parquet_and_promotes_types_across_chunks(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(Spool, "FLUSH_BYTES", 1)  # every part goes to disk at once
    spool = Spool(tmp_path / "spool")
    spool.add("t", pa.table({"a": pa.array([None, None]), "n": [1, 2]}))
    spool.add("t", pa.table({"a": ["x", "y"], "n": [1.5, 2.5]}))
    spool.add("u", [{"v": 1}, {"v": "one"}])  # rows Arrow cannot type stay in memory, in order
    spool.close()
    assert len(list((tmp_path / "spool").glob("*-t.parquet"))) == 2
    assert spool.frame("t")["a"].tolist()[2:] == ["x", "y"]
    assert spool.frame("t")["n"].tolist() == [1.0, 2.0, 1.5, 2.5]
    assert spool.frame("u")["v"].tolist() == [1, "one"]
    assert spool.names() == ["t", "u"] and spool.frame("none").empty


def test_spool_buffers_small_parts_and_texts_are_read_only_when_asked(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    for i in range(3):
        spool.add("_texts", pa.table({"doc_id": [f"d{i}"], "text": [f"Text {i}."]}))
    assert not list((tmp_path / "spool").glob("*.parquet"))  # small parts wait in one buffer
    texts = spool.texts()
    assert len(list((tmp_path / "spool").glob("*.parquet"))) == 1
    assert "not read yet" in repr(texts)
    assert texts == {"d0": "Text 0.", "d1": "Text 1.", "d2": "Text 2."} and texts["d1"] == "Text 1."
    assert texts.to_arrow().column("doc_id").to_pylist() == ["d0", "d1", "d2"]


def test_temporary_spool_is_removed_when_the_result_is_gone(small_corpus: Path) -> None:
    import gc

    report = LoadReport(root=str(small_corpus))
    result = analyze_stream(iter_corpus(small_corpus, report), report, chunk_size=7)
    folder = result.texts._spool.folder
    assert folder.is_dir() and any(folder.glob("*.parquet"))
    assert len(result.texts) == 41
    del result
    gc.collect()
    assert not folder.exists()


def test_spool_errors_say_where_and_what_to_do(tmp_path: Path, monkeypatch) -> None:
    from supplywatch.exceptions import SpoolError

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(SpoolError, match=r"a-file/spool.*set TMPDIR to a writable folder"):
        Spool(blocker / "spool")

    spool = Spool(tmp_path / "spool")
    monkeypatch.setattr(Spool, "FLUSH_BYTES", 1)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("supplywatch.analysis.spool.pq.write_table", disk_full)
    with pytest.raises(SpoolError, match=r"cannot write .*mentions\.parquet .*No space left.*free space"):
        spool.add("mentions", pa.table({"a": [1]}))


def test_the_analysis_collects_garbage_less_often_and_restores_the_callers_thresholds(tmp_path, monkeypatch):
    import gc

    from supplywatch.analysis import engine
    from supplywatch.analysis.pipeline import analyze_corpus

    seen = []
    real = engine.analyze_stream

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "analyze_stream", spy)
    before = gc.get_threshold()
    gc.set_threshold(1234, 5, 6)
    try:
        result = analyze_corpus("seeds", cache=False)
        assert gc.get_threshold() == (1234, 5, 6)  # the caller's (a notebook kernel's) settings are back
        with pytest.raises(RuntimeError):
            with engine.fewer_collections():
                raise RuntimeError("an error inside")
        assert gc.get_threshold() == (1234, 5, 6)
    finally:
        gc.set_threshold(*before)
    assert seen == [engine.GC_THRESHOLDS] and len(result.documents) >= 1
