"""One article whose analysis raises never sinks the corpus: it is reported, kept, and the rest is analysed."""

from __future__ import annotations

from pathlib import Path

import pytest

from supplywatch.analysis import document
from supplywatch.analysis.pipeline import analyze_corpus

MARKER = "Zanzibar-trigger"


def _corpus(root: Path) -> Path:
    root.mkdir()
    (root / "a.txt").write_text("China said it controls 90 % of rare earth refining.\n", encoding="utf-8")
    (root / "b.txt").write_text(f"India signed a deal with Australia. {MARKER}\n", encoding="utf-8")
    (root / "c.txt").write_text("Japan and Vietnam agreed to develop a rare earth mine.\n", encoding="utf-8")
    return root


@pytest.fixture
def breaking_extractor(monkeypatch):
    """An extractor that raises on the article holding MARKER (as a bug in any extractor would)."""
    real = document._extractors

    def breaking(doc, sentences, resources, rows):
        if MARKER in doc.text:
            raise ValueError("extractor bug on this article")
        return {}

    monkeypatch.setattr(document, "_extractors", lambda: [*real(), breaking])


def _check(result) -> None:
    docs = result.tables["documents"]
    assert sorted(docs["doc_id"]) == ["a", "b", "c"]  # the failed article is kept
    mentions = result.tables["mentions"]
    assert set(mentions["doc_id"]) == {"a", "c"}  # the others analysed, the failed one without rows
    assert {"China", "Japan", "Vietnam"} <= set(mentions["actor"])
    (problem,) = [p for p in result.report.problems if "analysis failed" in p.message]
    assert problem.path == "b.txt" and problem.severity == "error"
    assert "article b" in problem.message and "ValueError: extractor bug on this article" in problem.message
    assert not result.report.ok


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_article_is_reported_and_the_rest_analysed(tmp_path, breaking_extractor, jobs):
    _check(analyze_corpus(_corpus(tmp_path / "corpus"), cache=False, jobs=jobs))


def test_with_the_article_store_the_failure_is_reported_again_and_tables_equal_a_plain_run(tmp_path, breaking_extractor):
    corpus = _corpus(tmp_path / "corpus")
    cache = tmp_path / "cache"
    first = analyze_corpus(corpus, cache=cache)
    _check(first)
    (corpus / "d.txt").write_text("Germany asked the European Commission to stockpile gallium.\n", encoding="utf-8")
    grown = analyze_corpus(corpus, cache=cache)  # the store: only new or not yet stored articles analysed
    plain = analyze_corpus(corpus, cache=False)
    assert [p.message for p in grown.report.problems] == [p.message for p in plain.report.problems]
    assert any("analysis failed" in p.message for p in grown.report.problems)
    for name, frame in plain.tables.items():
        assert grown.tables[name].to_csv(index=False) == frame.to_csv(index=False), name


def test_the_cli_exits_with_the_problem_listed_and_writes_the_tables(tmp_path, breaking_extractor, capsys):
    from supplywatch.cli import main

    out = tmp_path / "tables"
    code = main(["analyze", str(_corpus(tmp_path / "corpus")), "--out", str(out), "--no-cache"])
    assert code == 0 and (out / "mentions.csv").is_file()
    assert "analysis failed" in (out / "load_report.csv").read_text(encoding="utf-8")
    assert main(["analyze", str(tmp_path / "corpus"), "--out", str(out), "--no-cache", "--strict"]) == 1


def test_a_broken_resource_still_stops_the_whole_run(tmp_path, monkeypatch):
    from supplywatch.exceptions import ResourceError

    def broken(doc, sentences, resources, rows):
        raise ResourceError("data/topics.yaml: line 3: invalid YAML")

    monkeypatch.setattr(document, "_extractors", lambda: [broken])
    with pytest.raises(ResourceError, match="topics.yaml"):
        analyze_corpus(_corpus(tmp_path / "corpus"), cache=False)
