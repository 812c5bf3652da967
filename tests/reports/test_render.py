"""supplywatch render, as users run it: the seed end to end, failures, reuse, the lock, timeouts."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from _render_runs import FIXTURE_NOTEBOOKS, run_cli, seed_runs

from supplywatch.reports.html import external_references
from supplywatch.reports.lock import RenderLock
from supplywatch.exceptions import LockError
from supplywatch.reports.index import list_runs

NOTEBOOK_NAMES = ["01-corpus-overview", "02-actor-mentions", "03-market-shares"]


@pytest.fixture(scope="session")
def seed(tmp_path_factory):
    out, procs = seed_runs(tmp_path_factory)
    runs = list_runs(out)
    assert len(runs) == 2
    return out, runs


def _fixture_render(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_cli("render", "seeds", "--out", str(out), "--notebooks-dir", str(FIXTURE_NOTEBOOKS), *extra)


# ------------------------------------------------------------------ the seed, end to end


@pytest.mark.slow
def test_seed_render_writes_a_complete_run(seed):
    out, runs = seed
    run_dir = out / runs[0]["run_id"]
    for name in NOTEBOOK_NAMES:
        assert (run_dir / f"{name}.ipynb").is_file() and (run_dir / f"{name}.html").is_file()
    pngs = sorted((run_dir / "figures").glob("*.png"))
    assert pngs and all(p.with_suffix(".csv").is_file() for p in pngs)
    assert (run_dir / "tables" / "02-mentions-by-actor-and-kind.csv").is_file()
    run = json.loads((run_dir / "run.json").read_text())
    assert run["status"] == "ok" and [nb["status"] for nb in run["notebooks"]] == ["ok"] * 3
    assert len(run["corpus_hash"]) == 64 and run["n_documents"] == 1
    assert {"pandas", "papermill", "supplywatch"} <= set(run["package_versions"])
    assert "git_commit" in run and run["started"] <= run["finished"]
    assert "executing 01-corpus-overview" in (run_dir / "render.log").read_text()
    assert not list(out.glob(".tmp-*"))


@pytest.mark.slow
def test_index_lists_runs_newest_first_and_latest_points_at_the_newest(seed):
    out, runs = seed
    index = (out / "index.html").read_text()
    listing = index[index.index("run(s), newest first"):]  # after the "What changed" section, which names both
    assert listing.index(runs[0]["run_id"]) < listing.index(runs[1]["run_id"])
    for name in NOTEBOOK_NAMES:
        assert f'href="{runs[0]["run_id"]}/{name}.html"' in index
    assert (out / "latest").resolve() == (out / runs[0]["run_id"]).resolve()
    assert (out / "latest.txt").read_text().strip() == runs[0]["run_id"]


@pytest.mark.slow
def test_seed_report_shows_the_actor_counts(seed):
    from supplywatch.analysis.pipeline import analyze_corpus

    out, runs = seed
    mentions = analyze_corpus("seeds").tables["mentions"]
    expected = mentions["actor"].value_counts()
    chart = pd.read_csv(out / runs[0]["run_id"] / "figures" / "02-mentions-by-actor.csv")
    assert chart.iloc[0]["actor"] == "China"
    assert dict(zip(chart["actor"], chart["mentions"])) == {a: expected[a] for a in chart["actor"]}
    html = (out / runs[0]["run_id"] / "02-actor-mentions.html").read_text()
    assert "Who is mentioned most" in html and f"China is mentioned most: {expected['China']}" in html


@pytest.mark.slow
def test_seed_report_shows_chinas_61_and_92_percent_claims(seed):
    out, runs = seed
    claims = pd.read_csv(out / runs[0]["run_id"] / "tables" / "03-claims.csv")
    if claims.empty and "share" not in claims:
        pytest.skip("the claims extractor is not wired into the pipeline yet")
    china = claims[claims["holder"] == "China"]
    assert {61.0, 92.0} <= set(china["share"].astype(float))
    stages = pd.read_csv(out / runs[0]["run_id"] / "figures" / "03-share-by-stage.csv")
    assert {61.0, 92.0} <= set(stages["holder_share"])
    html = (out / runs[0]["run_id"] / "03-market-shares.html").read_text()
    assert "61" in html and "92" in html


@pytest.mark.slow
def test_html_is_self_contained_with_provenance(seed):
    out, runs = seed
    for name in NOTEBOOK_NAMES:
        html = (out / runs[0]["run_id"] / f"{name}.html").read_text()
        assert external_references(html) == []
        assert re.search(r'<img[^>]+src="data:image/png;base64,', html)
        assert not re.search(r'<img[^>]+src="(?!data:)', html)
        assert 'id="provenance"' in html and runs[0]["corpus_hash"] in html
        assert "import supplywatch" not in html and "from supplywatch" not in html  # code hidden


def _normalise(text: str, runs: list[dict]) -> str:
    for run in runs:
        text = text.replace(run["run_id"], "RUN-ID")
    text = re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "TIMESTAMP", text)
    # "What changed" compares with the previous run (the first has none): history, not the inputs
    text = re.sub(r'<section class="sw-digest".*?</section>', "WHAT-CHANGED", text, flags=re.S)
    return re.sub(r"-dirty\b", "", text)


@pytest.mark.slow
def test_two_forced_renders_are_reproducible(seed):
    out, runs = seed
    a, b = (out / r["run_id"] for r in runs)
    tables = sorted(p.relative_to(a) for p in a.glob("tables/*.csv")) + sorted(p.relative_to(a) for p in a.glob("figures/*"))
    assert tables == sorted(p.relative_to(b) for p in b.glob("tables/*.csv")) + sorted(p.relative_to(b) for p in b.glob("figures/*"))
    for rel in tables:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    for name in NOTEBOOK_NAMES:
        html_a, html_b = ((d / f"{name}.html").read_text() for d in (a, b))
        assert html_a != html_b  # the run ids and times differ ...
        assert _normalise(html_a, runs) == _normalise(html_b, runs)  # ... and nothing else


# ------------------------------------------------------------------ parameters, failures, reuse, lock


def test_unknown_parameter_fails_before_anything_runs(tmp_path):
    proc = run_cli("render", "seeds", "--out", str(tmp_path / "out"), "-p", "nonexistent", "1")
    assert proc.returncode == 2
    assert "unknown parameter 'nonexistent'" in proc.stderr
    for name in ("since", "until", "actors", "topic", "top_n"):
        assert name in proc.stderr
    assert not (tmp_path / "out").exists()


def test_wrong_type_fails_naming_the_parameter(tmp_path):
    proc = run_cli("render", "seeds", "--out", str(tmp_path), "-p", "top_n", "lots")
    assert proc.returncode == 2 and "'top_n'" in proc.stderr and "int" in proc.stderr


@pytest.mark.slow
def test_failing_notebook_leaves_a_failed_run_and_the_previous_run_intact(tmp_path):
    good = _fixture_render(tmp_path, "--notebooks", "01-*")
    assert good.returncode == 0, good.stderr
    (good_run,) = list_runs(tmp_path)
    before = {p: p.read_bytes() for p in (tmp_path / good_run["run_id"]).rglob("*") if p.is_file()}

    bad = _fixture_render(tmp_path, "--notebooks", "0[12]-*")
    assert bad.returncode == 1
    assert "fixture notebook failed on purpose" in bad.stdout
    failed = list_runs(tmp_path)[0]
    assert failed["status"] == "failed" and failed["run_id"] != good_run["run_id"]
    assert [nb["status"] for nb in failed["notebooks"]] == ["ok", "failed"]
    executed = (tmp_path / failed["run_id"] / "02-raises.ipynb").read_text()
    assert "RuntimeError" in executed
    assert "fixture notebook failed on purpose" in (tmp_path / failed["run_id"] / "02-raises.html").read_text()
    assert before == {p: p.read_bytes() for p in (tmp_path / good_run["run_id"]).rglob("*") if p.is_file()}
    index = (tmp_path / "index.html").read_text()
    assert failed["run_id"] in index and '<span class="failed">failed</span>' in index
    assert (tmp_path / "latest").resolve().name == good_run["run_id"]


@pytest.mark.slow
def test_unchanged_inputs_reuse_the_last_run_unless_forced(tmp_path):
    first = _fixture_render(tmp_path, "--notebooks", "01-*", "-p", "label", "x")
    assert first.returncode == 0, first.stderr
    again = _fixture_render(tmp_path, "--notebooks", "01-*", "-p", "label", "x")
    assert again.returncode == 0 and "reused run" in again.stdout
    assert len(list_runs(tmp_path)) == 1
    changed = _fixture_render(tmp_path, "--notebooks", "01-*", "-p", "label", "y")
    assert "reused" not in changed.stdout and len(list_runs(tmp_path)) == 2
    forced = _fixture_render(tmp_path, "--notebooks", "01-*", "-p", "label", "y", "--force", "--keep", "2")
    assert "reused" not in forced.stdout
    runs = list_runs(tmp_path)
    assert len(runs) == 2 and "pruned old run" in forced.stdout
    table = pd.read_csv(tmp_path / runs[0]["run_id"] / "tables" / "01-fixture.csv")
    assert table["label"].tolist() == ["y"] * 3


def test_a_second_render_exits_with_a_clear_message_while_the_lock_is_held(tmp_path):
    with RenderLock(tmp_path):
        proc = run_cli("render", "seeds", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "another supplywatch render" in proc.stderr and f"pid {os.getpid()}" in proc.stderr
    assert not list_runs(tmp_path)


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from supplywatch.reports.lock import RenderLock\n"
        f"RenderLock({str(tmp_path)!r}).acquire(); print('locked', flush=True); time.sleep(60)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockError, match=f"pid {holder.pid}"):
            RenderLock(tmp_path).acquire()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with RenderLock(tmp_path) as lock:  # the OS dropped the dead holder's lock
        assert f"pid {os.getpid()}" in lock.path.read_text()


def test_a_run_arriving_before_the_holder_wrote_its_pid_still_names_it(tmp_path):
    """The holder writes its pid just after taking the lock; a run in between waits for it."""
    import fcntl
    import threading

    lock_file = tmp_path / ".render.lock"
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # locked, still empty
        writer = threading.Timer(0.2, lambda: os.pwrite(fd, b"pid 4242 since 2026-01-01T00:00:00Z\n", 0))
        writer.start()
        with pytest.raises(LockError, match="holder: pid 4242 since"):
            RenderLock(tmp_path).acquire()
        writer.join()
    finally:
        os.close(fd)


@pytest.mark.slow
def test_a_hanging_cell_times_out_and_the_run_fails(tmp_path):
    proc = _fixture_render(tmp_path, "--notebooks", "09-*", "--cell-timeout", "3")
    assert proc.returncode == 1
    (run,) = list_runs(tmp_path)
    assert run["status"] == "timeout" and run["notebooks"][0]["status"] == "timeout"
    assert (tmp_path / run["run_id"] / "09-hangs.ipynb").is_file()


@pytest.mark.slow
def test_the_whole_run_timeout_stops_a_hanging_run(tmp_path):
    started = time.monotonic()
    proc = _fixture_render(tmp_path, "--notebooks", "09-*", "--timeout", "4")
    assert proc.returncode == 1 and time.monotonic() - started < 120
    (run,) = list_runs(tmp_path)
    assert run["status"] == "timeout"


@pytest.mark.slow
def test_corpus_text_is_escaped_in_the_html(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(
        "title: <script>alert('title')</script> China news\ndate: 2025-06-12\n\n"
        "China said <script>alert('body')</script> it holds 70 per cent of refining. <img src=x onerror=alert(1)>\n",
        encoding="utf-8")
    proc = run_cli("render", str(corpus), "--out", str(tmp_path / "out"), "--notebooks", "01-*",
                   "-p", "keyword", "China")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (run,) = list_runs(tmp_path / "out")
    html = (tmp_path / "out" / run["run_id"] / "01-corpus-overview.html").read_text()
    assert "alert(" in html  # the text is there ...
    assert "<script>alert" not in html and "<img src=x" not in html  # ... but never as markup
    assert "&lt;script&gt;alert(" in html
