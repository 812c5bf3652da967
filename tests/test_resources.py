"""Resources are read once per file version: an edit takes effect on the next call."""

from __future__ import annotations

import os

import pytest

from supplywatch.exceptions import ResourceError
from supplywatch.resources import load_versioned


def test_read_once_then_again_after_an_edit(tmp_path):
    calls = []

    def reader(path: str) -> str:
        calls.append(path)
        return open(path, encoding="utf-8").read()

    f = tmp_path / "r.txt"
    f.write_text("one", encoding="utf-8")
    assert load_versioned(reader, f, missing="x") == "one"
    assert load_versioned(reader, f, missing="x") == "one"
    assert len(calls) == 1
    f.write_text("two!", encoding="utf-8")
    os.utime(f, ns=(1, 2_000_000_000))
    assert load_versioned(reader, f, missing="x") == "two!"
    assert len(calls) == 2


def test_missing_file_is_a_resource_error_with_the_message(tmp_path):
    with pytest.raises(ResourceError, match="lexicon not found"):
        load_versioned(str, tmp_path / "nope.yaml", missing="lexicon not found: nope.yaml")
