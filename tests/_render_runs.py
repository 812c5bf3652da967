"""Renders shared by test_render and test_browser: the seed rendered twice (forced), once per session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from supplywatch.config import PROJECT_ROOT

FIXTURE_NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
_CACHE: dict[str, tuple[Path, list[subprocess.CompletedProcess]]] = {}


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """``supplywatch ARGS`` as a user runs it (a fresh process), from the project root."""
    return subprocess.run([sys.executable, "-m", "supplywatch", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=timeout)


def seed_runs(tmp_path_factory) -> tuple[Path, list[subprocess.CompletedProcess]]:
    """Render the seed twice with --force into one output folder (cached for the session)."""
    if "seed" not in _CACHE:
        out = tmp_path_factory.mktemp("reports")
        procs = [run_cli("render", "seeds", "--out", str(out), "--force") for _ in range(2)]
        for proc in procs:
            assert proc.returncode == 0, proc.stdout + proc.stderr
        _CACHE["seed"] = (out, procs)
    return _CACHE["seed"]
