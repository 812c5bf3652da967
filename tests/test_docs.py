"""The README names only targets and files that exist (docs that cannot drift from the code)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from supplywatch.config import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_every_make_target_in_the_readme_exists_and_is_listed_by_help():
    documented = set(re.findall(r"`make ([a-z-]+)", README))
    proc = subprocess.run(["make", "-s", "help"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    listed = set(re.findall(r"make (\S+)", proc.stdout))
    assert documented, "the README documents no make target"
    assert documented <= listed, f"README names targets make does not have: {documented - listed}"
    assert listed <= documented, f"targets missing from the README: {listed - documented}"


def test_files_the_readme_names_exist():
    named = set(re.findall(r"`((?:data|notebooks|scripts|benchmarks|seeds|src/supplywatch)/[\w./-]+)`", README))
    assert named, "the README names no project file"
    generated = ("data/cache",)  # git-ignored, made on first use
    missing = sorted(p for p in named if not (PROJECT_ROOT / p).exists() and not p.startswith(generated))
    assert not missing, f"README names files that do not exist: {missing}"
