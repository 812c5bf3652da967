"""What a reviewer sees in a render (issue 15): key findings first, empty runs marked, charts that
describe themselves, quiet logs, rows to check, a readable index, and the whole-run timeout under load."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import subprocess
import time

import pytest
from _render_runs import FIXTURE_NOTEBOOKS, run_cli, seed_runs

from supplywatch.config import NOTEBOOKS_DIR, PROJECT_ROOT
from supplywatch.reports.index import list_runs

NOTEBOOK_NAMES = ["01-corpus-overview", "02-actor-mentions", "03-market-shares"]


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    out, _ = seed_runs(tmp_path_factory)
    run = list_runs(out)[0]
    return out, run, out / run["run_id"]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", html, flags=re.S)))


# ------------------------------------------------------------------ the seed render


@pytest.mark.slow
def test_each_report_opens_with_its_key_findings(seed):
    out, run, run_dir = seed
    for name in NOTEBOOK_NAMES:
        text = _text((run_dir / f"{name}.html").read_text(encoding="utf-8"))
        assert text.index("Key findings") < text.index("Parameters") < text.index("Inputs and outputs"), name
    market = _text((run_dir / "03-market-shares.html").read_text(encoding="utf-8"))
    assert "3 market-share claims by 1 holder; 2 can be set against an official figure." in market
    assert "0 of them differ from every official figure by more than 5 percentage points" in market
    assert ("The largest gap to the closest official figure: China mining rare earths: 61 % claimed vs "
            "62–69.2 % official (-1 points from the closest).") in market
    mentions = _text((run_dir / "02-actor-mentions.html").read_text(encoding="utf-8"))
    assert "China is mentioned most: 10 of 34 mentions" in mentions
    overview = _text((run_dir / "01-corpus-overview.html").read_text(encoding="utf-8"))
    assert "1 article, published on 2025-06-12." in overview


@pytest.mark.slow
def test_the_index_shows_each_reports_headline_and_the_corpus_by_path(seed):
    out, run, _ = seed
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "China is mentioned most: 10 of 34 mentions" in index
    assert "3 market-share claims by 1 holder" in index
    assert run["headline"] == "1 article, published on 2025-06-12."
    assert str(PROJECT_ROOT / "seeds") in index.replace("<wbr>", "")  # the corpus by its absolute path
    assert run["corpus_hash"][:12] in index and "1 article(s)" in index
    assert "break-all" not in index and f'<code class="nowrap">{run["run_id"]}</code>' in index
    assert "/<wbr>seeds" in index  # a long path wraps at a slash, never inside a name


@pytest.mark.slow
def test_no_text_that_is_only_true_for_the_seed(seed):
    _, _, run_dir = seed
    for name in NOTEBOOK_NAMES:
        html = (run_dir / f"{name}.html").read_text(encoding="utf-8")
        assert "seed corpus in seconds" not in html
        assert not re.search(r"<td>\s*(None|nan|NaN)\s*</td>", html), name


@pytest.mark.slow
def test_every_chart_has_alt_text_and_links_its_csv(seed):
    _, _, run_dir = seed
    for name in NOTEBOOK_NAMES:
        html = (run_dir / f"{name}.html").read_text(encoding="utf-8")
        alts = re.findall(r'<img[^>]+alt="([^"]*)"', html)
        links = re.findall(r'Chart data: <a href="(figures/[^"]+\.csv)"', html)
        assert alts and len(alts) == len(re.findall(r"<img", html)) == len(links), name
        assert all(a.startswith("Chart: ") for a in alts)
        assert not re.search(r"(&#x27;|&#39;|')Chart: ", html)  # shown as alt text only, never as an output
        assert all((run_dir / link).is_file() for link in links)
    html = (run_dir / "02-actor-mentions.html").read_text(encoding="utf-8")
    assert 'alt="Chart: Mentions by actor. Top values: China 10, India 8, United States 4 (11 rows)."' in html


@pytest.mark.slow
def test_the_run_folder_holds_the_analysis_tables_and_the_reports_link_them(seed):
    _, run, run_dir = seed
    for table in ("documents", "mentions", "claims", "quotes", "tone", "terms"):
        assert (run_dir / "analysis" / f"{table}.csv").is_file(), table
        assert f"analysis/{table}.csv" in run["analysis_tables"]
    assert 'href="analysis/mentions.csv"' in (run_dir / "02-actor-mentions.html").read_text(encoding="utf-8")
    assert 'href="analysis/claims.csv"' in (run_dir / "03-market-shares.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_render_log_is_quiet(seed):
    _, _, run_dir = seed
    log = (run_dir / "render.log").read_text(encoding="utf-8")
    assert "without encryption" not in log and "Alternative text is missing" not in log
    assert "Executing notebook with kernel: supplywatch" in log  # the project's kernel


# ------------------------------------------------------------------ empty runs, reuse lines


@pytest.mark.slow
def test_a_run_whose_filters_leave_no_article_is_empty_and_keeps_latest(tmp_path):
    good = run_cli("render", "seeds", "--out", str(tmp_path), "--notebooks", "01-*")
    assert good.returncode == 0, good.stdout + good.stderr
    (good_run,) = list_runs(tmp_path)
    empty = run_cli("render", "seeds", "--out", str(tmp_path), "--notebooks", "01-*", "-p", "since", "2030-01-01")
    assert empty.returncode == 1
    assert re.search(r"run \S+: empty \(no article left after the filters \(since=2030-01-01\)", empty.stdout)
    run = list_runs(tmp_path)[0]
    assert run["status"] == "empty" and run["n_articles"] == 0 and run["n_documents"] == 1
    assert (tmp_path / "latest").resolve().name == good_run["run_id"]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<span class="empty">empty</span>' in index and "0 article(s) after the filters, of 1" in index


def test_a_reused_run_leaves_a_line_in_the_index(tmp_path):
    args = ("render", "seeds", "--out", str(tmp_path), "--notebooks-dir", str(FIXTURE_NOTEBOOKS),
            "--notebooks", "01-*", "-p", "label", "x")
    first = run_cli(*args)
    assert first.returncode == 0, first.stdout + first.stderr
    again = run_cli(*args)
    assert again.returncode == 0 and "reused run" in again.stdout
    (run,) = list_runs(tmp_path)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<tr class="reuse"><td class="nowrap">\d{4}-\d\d-\d\dT[\d:]+Z</td><td colspan="5">reused run\s*'
                     rf'<a href="{run["run_id"]}/index.html">', index)


# ------------------------------------------------------------------ papermill used directly, make lab


@pytest.mark.slow
@pytest.mark.parametrize("parameters, fragment", [
    ({"top_n": "lots"}, "'top_n' (notebook parameters): 'lots' is not a valid int"),
    ({"actors": "Chna"}, "closest names: China"),
    ({"top_n": 0}, "at least 1"),
])
def test_papermill_used_directly_gets_the_same_checks(tmp_path, parameters, fragment):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as err:
        papermill.execute_notebook(str(NOTEBOOKS_DIR / "02-actor-mentions.ipynb"), str(tmp_path / "out.ipynb"),
                                   parameters={**parameters, "output_dir": str(tmp_path)}, cwd=str(tmp_path),
                                   progress_bar=False)
    assert err.value.ename == "ParameterError" and fragment in err.value.evalue


def test_make_lab_runs_as_root_and_takes_lab_args():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}  # also under `make test`
    proc = subprocess.run(["make", "-n", "lab", "LAB_ARGS=--port=8899 --no-browser"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=60, env=env)
    (command,) = [line for line in proc.stdout.splitlines() if "jupyter lab" in line]
    assert "jupyter lab --notebook-dir=notebooks" in command and command.endswith("--port=8899 --no-browser")
    assert "--MappingKernelManager.default_kernel_name=supplywatch" in command
    assert ("--allow-root" in command) == (os.geteuid() == 0)


# ------------------------------------------------------------------ analyze: duplicates in one line


def test_analyze_summarises_duplicates_in_one_line(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(4):
        (corpus / f"copy{i}.txt").write_text("date: 2025-06-12\n\nChina spoke to India.\n", encoding="utf-8")
    proc = run_cli("analyze", str(corpus), "--out", str(tmp_path / "tables"), "--no-cache")
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "duplicate" in line]
    assert lines == [f"3 exact duplicate file(s) skipped (kept once; each listed in {tmp_path / 'tables' / 'load_report.csv'})"]
    assert (tmp_path / "tables" / "load_report.csv").read_text(encoding="utf-8").count("exact duplicate of") == 3


# ------------------------------------------------------------------ the whole-run timeout under load


def _burn(stop_at: float) -> None:  # pragma: no cover - runs in a child
    while time.monotonic() < stop_at:
        pass


@pytest.mark.slow
def test_the_whole_run_timeout_reports_timeout_and_stops_promptly_under_cpu_load(tmp_path):
    ctx = multiprocessing.get_context("fork")
    stop_at = time.monotonic() + 120
    burners = [ctx.Process(target=_burn, args=(stop_at,), daemon=True) for _ in range(2 * (os.cpu_count() or 1))]
    for b in burners:
        b.start()
    try:
        started = time.monotonic()
        proc = run_cli("render", "seeds", "--out", str(tmp_path), "--notebooks-dir", str(FIXTURE_NOTEBOOKS),
                       "--notebooks", "09-*", "--timeout", "4")
        wall = time.monotonic() - started
    finally:
        for b in burners:
            b.kill()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    (run,) = list_runs(tmp_path)
    assert run["status"] == "timeout" and run["notebooks"][0]["status"] == "timeout", run
    assert "timeout" in proc.stdout
    # the limit is 4 s, counted from the start of the run (parameters checked, inputs hashed); stopping
    # the worker and its kernel takes a few seconds more. (The wall time also holds Python's start-up
    # and `import supplywatch`, ~2 s on an idle machine and several times that with every core busy.)
    assert run["duration_s"] < 4 + 6, run["duration_s"]
    assert wall < 240, wall
    hangs = json.loads((tmp_path / run["run_id"] / "run.json").read_text())["notebooks"][0]
    assert "timeout" in hangs["error"]
