"""The package's shape: stages as subpackages, imports one way, no cycles, small modules.

The layer contract lives in pyproject.toml (``[tool.importlinter]``); these tests run
``lint-imports`` on it, show that it fails on an upward import, and check what import-linter does
not: no import cycle at all (imports inside functions count: grimp reads every import statement),
every module belongs to a layer, and no module is over 600 lines.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

from supplywatch.config import PACKAGE_DIR, PROJECT_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
STAGES = ("corpus", "text", "actors", "claims", "analysis", "reports")
MAX_LINES = 600


def _contract_modules() -> set[str]:
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    names: set[str] = set()
    for layer in layers:
        for part in layer.replace("|", ":").split(":"):
            names.add(part.strip())
    return names


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each one cycle or more."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.find_modules_directly_imported_by(v)):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_lint_imports_keeps_every_contract():
    proc = subprocess.run([str(LINT_IMPORTS), "--config", str(PROJECT_ROOT / "pyproject.toml")],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_the_layer_contract_fails_on_an_upward_import(tmp_path):
    """A copy of the package where the text stage imports the reports stage (inside a function,
    where a deferred import would hide it from a reader) must break the contract."""
    copy = tmp_path / "src" / "supplywatch"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    trie = copy / "text" / "trie.py"
    trie.write_text(trie.read_text(encoding="utf-8")
                    + "\n\ndef _upward():\n    from supplywatch.reports import render  # noqa: F401\n",
                    encoding="utf-8")
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path / "src"), "HOME": str(tmp_path)}
    proc = subprocess.run([str(LINT_IMPORTS), "--config", str(tmp_path / "pyproject.toml"), "--no-cache"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "supplywatch.text.trie -> supplywatch.reports" in proc.stdout.replace("\n", " ") or "BROKEN" in proc.stdout


def test_no_import_cycle_even_inside_functions():
    graph = grimp.build_graph("supplywatch", cache_dir=None)
    assert len(graph.modules) > 40
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(module)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.a")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert _cycles(graph) == [["pkg.a", "pkg.b"]]


def test_stages_are_subpackages_and_every_module_is_in_a_layer():
    for stage in STAGES:
        assert (PACKAGE_DIR / stage / "__init__.py").is_file(), stage
    layered = _contract_modules()
    top_level = {f"supplywatch.{p.stem}" for p in PACKAGE_DIR.glob("*.py") if p.stem not in ("__init__", "__main__")}
    top_level |= {f"supplywatch.{p.name}" for p in PACKAGE_DIR.iterdir() if (p / "__init__.py").is_file()}
    assert top_level - layered == set(), "add these modules to a layer in pyproject.toml"


@pytest.mark.parametrize("path", sorted(PACKAGE_DIR.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_no_module_over_600_lines(path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(PACKAGE_DIR)} has {n} lines: split it by concern"
