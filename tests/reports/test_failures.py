"""Failure injection around ``supplywatch render``: kill -9 mid-run, two renders at once, an output
folder that is unusable or vanishes, a hanging notebook, hostile parameter values, paths that try
to leave the output folder. Nothing earlier is lost, nothing half-written is published, every
failure is reported with a clear message and the exit code the README promises.

Read-only folders: the tests run as root, which ignores permission bits, so "read-only" is made
three ways: a path whose parent is a regular file, an ``--out`` that is a file, and (where
``chattr`` works, i.e. ext2/3/4, xfs, btrfs with CAP_LINUX_IMMUTABLE) an immutable folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from _render_runs import FIXTURE_NOTEBOOKS, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from supplywatch.config import PROJECT_ROOT
from supplywatch.exceptions import RenderError
from supplywatch.reports.params import read_params_file, validate_parameters
from supplywatch.reports.index import list_runs, point_latest, prune_runs, write_index

HOSTILE_VALUE = ('x"); open("PWNED", "w").write("1") #\n\'\'\'\n"""\n'
                 "naïve café 中文 – \u202eevil\u202c \\ \\n {label} $HOME %s \t end")


def _render_args(out: Path, *extra: str) -> list[str]:
    return ["render", "seeds", "--out", str(out), "--notebooks-dir", str(FIXTURE_NOTEBOOKS), *extra]


def _start(out: Path, *extra: str) -> subprocess.Popen:
    """A render in the background, in its own session (so a test can always clean it up)."""
    return subprocess.Popen([sys.executable, "-m", "supplywatch", *_render_args(out, *extra)], cwd=PROJECT_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _wait_for(predicate, timeout: float = 120.0, what: str = "condition") -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _executing(out: Path, name: str) -> bool:
    for log in out.glob(".tmp-*/render.log"):
        if f"executing {name}" in log.read_text(errors="replace") and any(out.glob(f".tmp-*/{name}.ipynb")):
            return True
    return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and not p.is_symlink()}


# ------------------------------------------------------------------ kill -9, stale lock, concurrency


@pytest.mark.slow
def test_a_render_killed_mid_way_loses_nothing_and_the_next_render_succeeds(tmp_path):
    out = tmp_path / "out"
    first = run_cli(*_render_args(out, "--notebooks", "01-*"))
    assert first.returncode == 0, first.stdout + first.stderr
    (good,) = list_runs(out)
    before = _snapshot(out / good["run_id"])
    index_before = (out / "index.html").read_bytes()

    victim = _start(out, "--notebooks", "09-*")  # hangs inside its notebook
    try:
        _wait_for(lambda: _executing(out, "09-hangs"), what="the notebook to start")
        helpers = _descendants(victim.pid)
        assert helpers, "the render should run its notebook in worker processes"
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        # the workers and kernels notice their render died and stop; none is left running
        _wait_for(lambda: not any(_alive(pid) for pid in helpers), timeout=60, what="the orphaned workers to stop")
    finally:
        _kill_group(victim)

    assert list_runs(out) == [good]  # the half-written run is not published
    assert list(out.glob(".tmp-*"))  # ... it is left hidden, for the next render to clear
    assert _snapshot(out / good["run_id"]) == before
    assert (out / "index.html").read_bytes() == index_before
    assert (out / "latest").resolve().name == good["run_id"]

    again = run_cli(*_render_args(out, "--notebooks", "01-*", "--force"))  # the dead holder's lock is gone
    assert again.returncode == 0, again.stdout + again.stderr
    runs = list_runs(out)
    assert len(runs) == 2 and runs[1] == good and runs[0]["status"] == "ok"
    assert not list(out.glob(".tmp-*"))
    assert (out / "latest").resolve().name == runs[0]["run_id"]
    assert _snapshot(out / good["run_id"]) == before


@pytest.mark.slow
def test_two_renders_started_together_never_interleave(tmp_path):
    out = tmp_path / "out"
    procs = {label: _start(out, "--notebooks", "01-*", "--force", "-p", "label", label) for label in ("AAA", "BBB")}
    try:
        results = {label: (p.wait(timeout=300), *p.communicate()) for label, p in procs.items()}
    finally:
        for p in procs.values():
            _kill_group(p)
    codes = sorted(code for code, _, _ in results.values())
    assert codes in ([0, 0], [0, 2]), results
    for code, _, stderr in results.values():
        if code == 2:
            assert "another supplywatch render is writing to" in stderr and "holder: pid" in stderr
    runs = list_runs(out)
    assert len(runs) == codes.count(0)
    for run in runs:  # each run holds only its own notebooks' output, all of it
        label = run["parameters"]["label"]
        table = pd.read_csv(out / run["run_id"] / "tables" / "01-fixture.csv", keep_default_na=False)
        assert table["label"].tolist() == [label] * 3
        log = (out / run["run_id"] / "render.log").read_text()
        assert f"run {run['run_id']}" in log and all(f"run {r['run_id']}" not in log for r in runs if r != run)
    assert not list(out.glob(".tmp-*"))


# ------------------------------------------------------------------ unusable output folders


def test_an_output_path_under_a_regular_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be\n")
    proc = run_cli(*_render_args(blocker / "reports", "--notebooks", "01-*"))
    assert proc.returncode == 2
    assert "output folder" in proc.stderr and "unusable" in proc.stderr and "Traceback" not in proc.stderr
    assert blocker.read_text() == "a file where a folder should be\n"


def test_an_output_path_that_is_a_file_is_a_clear_error(tmp_path):
    target = tmp_path / "reports"
    target.write_text("keep me\n")
    proc = run_cli(*_render_args(target, "--notebooks", "01-*"))
    assert proc.returncode == 2 and "unusable" in proc.stderr and "Traceback" not in proc.stderr
    assert target.read_text() == "keep me\n"


@pytest.fixture()
def immutable_folder(tmp_path):
    """A folder even root cannot write into (``chattr +i``), or skip where that is unavailable."""
    folder = tmp_path / "frozen"
    folder.mkdir()
    (folder / "keep.txt").write_text("old report\n")
    chattr = shutil.which("chattr")
    if not chattr or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here (needs ext4/xfs/btrfs and CAP_LINUX_IMMUTABLE)")
    try:
        yield folder
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_a_read_only_output_folder_is_a_clear_error(immutable_folder):
    proc = run_cli(*_render_args(immutable_folder, "--notebooks", "01-*"))
    assert proc.returncode == 2
    assert "unusable" in proc.stderr and str(immutable_folder) in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in immutable_folder.iterdir()) == ["keep.txt"]


@pytest.mark.slow
def test_an_output_folder_that_vanishes_mid_run_is_a_clear_error(tmp_path):
    out = tmp_path / "out"
    proc = _start(out, "--notebooks", "09-*", "--cell-timeout", "5")
    try:
        _wait_for(lambda: _executing(out, "09-hangs"), what="the notebook to start")
        shutil.rmtree(out)
        code = proc.wait(timeout=120)
        stdout, stderr = proc.communicate()
    finally:
        _kill_group(proc)
    assert code == 2, stdout + stderr
    assert "vanished" in stderr and "nothing was published" in stderr and "Traceback" not in stderr
    assert list_runs(out) == []


# ------------------------------------------------------------------ a hanging notebook


@pytest.mark.slow
def test_a_hanging_notebook_is_stopped_and_reported_everywhere(tmp_path):
    out = tmp_path / "out"
    started = time.monotonic()
    proc = run_cli(*_render_args(out, "--notebooks", "09-*", "--cell-timeout", "2"))
    assert time.monotonic() - started < 200  # stopped, not the 600 s the cell sleeps
    assert proc.returncode == 1
    assert any(line.startswith("timeout") and "09-hangs" in line for line in proc.stdout.splitlines())
    (run,) = list_runs(out)
    assert run["status"] == "timeout" and "09-hangs" in run["error"]
    (nb,) = run["notebooks"]
    assert nb["status"] == "timeout" and nb["error"]
    index = (out / "index.html").read_text()
    assert '<span class="timeout">timeout</span>' in index
    assert "timeout" in (out / run["run_id"] / "index.html").read_text()
    report = (out / run["run_id"] / nb["html"]).read_text()
    assert "notebook status" in report and "timeout" in report  # the executed copy says what happened
    assert not (out / "latest").exists()  # a failed run never becomes "latest"


# ------------------------------------------------------------------ parameters are data, never code


@pytest.mark.slow
def test_hostile_parameter_values_reach_the_notebook_exactly(tmp_path):
    out = tmp_path / "out"
    proc = run_cli(*_render_args(out, "--notebooks", "01-*", "-p", "label", HOSTILE_VALUE))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (run,) = list_runs(out)
    table = pd.read_csv(out / run["run_id"] / "tables" / "01-fixture.csv", keep_default_na=False)
    assert table["label"].tolist() == [HOSTILE_VALUE] * 3
    assert run["parameters"]["label"] == HOSTILE_VALUE
    assert not list(PROJECT_ROOT.glob("PWNED")) and not list((out / run["run_id"]).rglob("PWNED"))


def test_a_params_file_value_survives_yaml_and_validation(tmp_path):
    import yaml

    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump({"label": HOSTILE_VALUE, "top_n": 2}, allow_unicode=True), encoding="utf-8")
    values = read_params_file(path)
    (checked,) = validate_parameters(values, [FIXTURE_NOTEBOOKS / "01-ok.ipynb"]).values()
    assert checked == {"label": HOSTILE_VALUE, "top_n": 2}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_papermill_injects_any_string_as_a_literal(value):
    """What render hands papermill becomes a string literal: executing the injected cell assigns it."""
    from papermill.translators import PythonTranslator

    code = PythonTranslator.codify({"label": value, "corpus": value})
    namespace: dict = {}
    exec(compile(code, "<injected-parameters>", "exec"), {"__builtins__": {}}, namespace)  # no builtins: no effects
    assert namespace == {"label": value, "corpus": value}


# ------------------------------------------------------------------ nothing leaves the output folder


@pytest.mark.parametrize("pattern", ["../*.ipynb", "../../notebooks/0*.ipynb", "/etc/*.ipynb", "sub/../0*.ipynb"])
def test_notebook_patterns_that_are_paths_are_refused(tmp_path, pattern):
    proc = run_cli(*_render_args(tmp_path / "out", "--notebooks", pattern))
    assert proc.returncode == 2
    assert "not a path" in proc.stderr and "--notebooks-dir" in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("run_id", ["../escaped", "..", "a/../../b", "/tmp/elsewhere", ".hidden", "x\\..\\y"])
def test_run_ids_that_leave_the_output_folder_are_refused(tmp_path, run_id):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(RenderError, match="refused"):
        point_latest(out, run_id)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"] and not any(out.iterdir())


def test_a_forged_run_json_cannot_point_outside_the_output_folder(tmp_path):
    out = tmp_path / "out"
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("do not delete\n")
    forged = out / "forged"
    forged.mkdir(parents=True)
    (forged / "run.json").write_text(json.dumps({"run_id": "../victim", "status": "failed", "started": "0"}))
    assert list_runs(out) == []  # a run.json must name its own folder
    assert prune_runs(out, 0) == []
    index = write_index(out).read_text()
    assert "victim" not in index
    assert (victim / "precious.txt").read_text() == "do not delete\n"
