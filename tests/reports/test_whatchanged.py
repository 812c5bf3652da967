"""What changed, in use: render, add an article, render again; the index, report 01 and the CLI say so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from _render_runs import run_cli

from supplywatch.cli import main
from supplywatch.config import SEEDS_DIR
from supplywatch.reports.digest import write_snapshot
from supplywatch.reports.digestview import what_changed_html
from supplywatch.reports.index import list_runs
from supplywatch.reports.digest import KINDS, read_digest
from supplywatch.reports.whatchanged import compare_runs, make_run_digest, previous_run

NEW_ARTICLE = ("date 2025-06-13\ntitle: Lynas expands\n\nLynas said on Friday that it controls 12 per cent of "
               "global rare earth refining, and Glencore said it would buy more of its output.\n")


@pytest.fixture(scope="module")
def two_renders(tmp_path_factory):
    """The seed rendered (notebook 01 only), then again with one new article."""
    root = tmp_path_factory.mktemp("whatchanged")
    corpus, out = root / "corpus", root / "reports"
    shutil.copytree(SEEDS_DIR, corpus)
    first = run_cli("render", str(corpus), "--out", str(out), "--notebooks", "01-*")
    assert first.returncode == 0, first.stdout + first.stderr
    (corpus / "lynas.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    second = run_cli("render", str(corpus), "--out", str(out), "--notebooks", "01-*")
    assert second.returncode == 0, second.stdout + second.stderr
    runs = list_runs(out)  # newest first
    return out, runs[1]["run_id"], runs[0]["run_id"]


@pytest.mark.slow
def test_first_render_has_nothing_to_compare(two_renders):
    out, first, _ = two_renders
    digest = json.loads((out / first / "digest.json").read_text(encoding="utf-8"))
    assert digest["status"] == "first_run" and digest["previous_run"] is None
    assert "nothing to compare yet" in (out / first / "01-corpus-overview.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_second_render_names_the_new_company_and_claim(two_renders):
    out, first, second = two_renders
    digest = json.loads((out / second / "digest.json").read_text(encoding="utf-8"))
    assert digest["status"] == "compared" and digest["previous_run"]["run_id"] == first
    assert {"Lynas", "Glencore"} <= {a["actor"] for a in digest["new_actors"]}
    assert [(c["holder"], c["metric"], c["value"]) for c in digest["new_claims"]] == [("Lynas", "refining", 12.0)]
    assert [a["doc_id"] for a in digest["articles_new"]] == ["lynas"]
    index = (out / "index.html").read_text(encoding="utf-8")
    report = (out / second / "01-corpus-overview.html").read_text(encoding="utf-8")
    for page in (index, report):
        assert "What changed" in page and "Lynas" in page and "Glencore" in page
    assert index.index("What changed") < index.index("run(s), newest first")  # at the top
    assert f'href="{second}/digest.json"' in index


@pytest.mark.slow
def test_cli_digest_compares_any_two_runs(two_renders, capsys):
    out, first, second = two_renders
    assert main(["digest", first, second, "--out", str(out), "--json"]) == 0
    digest = json.loads(capsys.readouterr().out)
    assert digest == compare_runs(first, second, out=out)
    assert "Lynas" in {a["actor"] for a in digest["new_actors"]}
    assert main(["digest", second, first, "--out", str(out)]) == 0  # backwards: the article is gone
    captured = capsys.readouterr()
    text = captured.out
    assert "Articles gone: 1" in text and "doc_id=lynas" in text
    assert "is newer than RUN_B" in captured.err  # said, so a reversed cron line is noticed
    assert main(["digest", first, "no-such-run", "--out", str(out)]) == 2
    assert "no run 'no-such-run'" in capsys.readouterr().err


def _fake_run(out: Path, run_id: str, *, corpus: str, parameters: dict, status: str = "ok", snapshot=True) -> None:
    folder = out / run_id
    folder.mkdir(parents=True)
    (folder / "run.json").write_text(json.dumps({"run_id": run_id, "status": status, "started": run_id,
                                                 "corpus_abs": corpus, "parameters": parameters}))
    if snapshot:
        write_snapshot(folder, {})


def test_previous_run_is_the_newest_good_run_of_the_same_corpus_and_parameters(tmp_path):
    _fake_run(tmp_path, "2025-01", corpus="/c", parameters={"top_n": 5})
    _fake_run(tmp_path, "2025-02", corpus="/c", parameters={"top_n": 5})
    _fake_run(tmp_path, "2025-03", corpus="/c", parameters={"top_n": 5}, status="failed")
    _fake_run(tmp_path, "2025-04", corpus="/c", parameters={"top_n": 9})
    _fake_run(tmp_path, "2025-05", corpus="/other", parameters={"top_n": 5})
    _fake_run(tmp_path, "2025-06", corpus="/c", parameters={"top_n": 5}, snapshot=False)
    assert previous_run(tmp_path, corpus_abs="/c", parameters={"top_n": 5})["run_id"] == "2025-02"
    assert previous_run(tmp_path, corpus_abs="/c", parameters={"top_n": 9})["run_id"] == "2025-04"
    assert previous_run(tmp_path, corpus_abs="/c", parameters={}) is None


def test_a_run_from_before_digests_cannot_be_compared(tmp_path, capsys):
    _fake_run(tmp_path, "old", corpus="/c", parameters={}, snapshot=False)
    _fake_run(tmp_path, "new", corpus="/c", parameters={})
    assert main(["digest", "old", "new", "--out", str(tmp_path)]) == 2
    assert "rendered before supplywatch wrote digests" in capsys.readouterr().err


def test_what_changed_escapes_corpus_text():
    digest = {"status": "compared", "message": "1 change(s).", "previous_run": {"run_id": "a", "started": "s"},
              "articles": 1, "stories": 1, "counts": {"articles_new": 1},
              "articles_new": [{"doc_id": "x", "date": "", "title": "<script>alert(1)</script>"}]}
    for kind in ("new_actors", "new_claims", "changed_figures", "mention_spikes", "articles_changed", "articles_gone"):
        digest["counts"][kind], digest[kind] = 0, []
    page = what_changed_html(digest)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "No digest here" in what_changed_html(None)


def test_a_failed_digest_is_written_with_the_same_fields(tmp_path):
    summary = make_run_digest({"run_dir": str(tmp_path), "corpus": str(tmp_path / "missing"), "parameters": {},
                               "run": {"run_id": "r"}, "previous": "", "previous_run": None})
    digest = read_digest(tmp_path)
    assert summary["status"] == digest["status"] == "error" and "could not be made" in digest["message"]
    assert digest["schema_version"] == 1 and set(digest["counts"]) == set(KINDS)
    assert all(digest[kind] == [] for kind in KINDS) and "rules" in digest and digest["articles"] == 0
