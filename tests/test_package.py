"""Importing supplywatch has no side effects: no downloads, no logging set-up, no file writes."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = r"""
import logging, socket, sys, builtins
def no_network(*a, **k):
    raise AssertionError("network access during import")
socket.socket.connect = no_network
socket.create_connection = no_network
opened = []
real_open = builtins.open
def spy_open(file, mode="r", *a, **k):
    if any(m in mode for m in "wax+"):
        opened.append(str(file))
    return real_open(file, mode, *a, **k)
builtins.open = spy_open
before = list(logging.root.handlers)
import supplywatch
import supplywatch.cli, supplywatch.text, supplywatch.analysis.pipeline, supplywatch.corpus
assert logging.root.handlers == before, logging.root.handlers
assert not opened, opened
print("clean", supplywatch.__version__)
"""


def test_import_has_no_side_effects(tmp_path):
    env = dict(os.environ, HOME=str(tmp_path / "home"), NLTK_DATA=str(tmp_path / "nltk_data"))
    (tmp_path / "home").mkdir()
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("clean")
    leftovers = sorted(p.name for p in tmp_path.rglob("*") if p.name != "home")
    assert leftovers == [], leftovers
