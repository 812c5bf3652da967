"""Notebook parameters: read from the parameters cell, checked before anything runs."""

from __future__ import annotations

from pathlib import Path

import papermill
import pytest

from supplywatch.config import NOTEBOOKS_DIR
from supplywatch.exceptions import ParameterError
from supplywatch.reports.params import notebook_parameters, read_params_file, validate_parameters

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9]*.ipynb"))
REQUIRED = {"corpus", "since", "until", "actors", "topic", "top_n", "output_dir"}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_our_reading_agrees_with_papermill(notebook: Path):
    ours = notebook_parameters(notebook)
    theirs = papermill.inspect_notebook(str(notebook))
    assert list(ours) == list(theirs)
    for name, spec in ours.items():
        assert spec.type_name == theirs[name]["inferred_type_name"]
        assert repr(spec.default) == theirs[name]["default"].replace('""', "''")
        assert spec.help and spec.help == theirs[name]["help"], f"{notebook.name}: {name} needs a help comment"
    assert REQUIRED <= set(ours)


def test_values_are_converted_to_the_declared_types():
    out = validate_parameters({"top_n": "5", "since": "2025-06-01", "actors": "China,India"}, NOTEBOOKS)
    assert all(v == {"top_n": 5, "since": "2025-06-01", "actors": "China,India"} for v in out.values())


def test_unknown_parameter_names_it_and_lists_the_allowed_ones():
    with pytest.raises(ParameterError) as err:
        validate_parameters({"nonexistent": "1"}, NOTEBOOKS)
    message = str(err.value)
    assert "'nonexistent'" in message
    assert all(name in message for name in ("since", "until", "actors", "topic", "top_n"))


@pytest.mark.parametrize("name, value, fragment", [
    ("top_n", "many", "not a valid int"),
    ("top_n", True, "not a valid int"),
    ("since", "12/06/2025", "YYYY-MM-DD"),
    ("until", "2025-02-30", "not a real date"),
    ("corpus", "elsewhere", "set by supplywatch render"),
])
def test_bad_values_are_refused(name, value, fragment):
    with pytest.raises(ParameterError, match=fragment):
        validate_parameters({name: value}, NOTEBOOKS)


def test_params_file_reads_yaml_dates_as_strings(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("since: 2025-06-01\ntop_n: 7\n", encoding="utf-8")
    values = read_params_file(path)
    out = validate_parameters(values, NOTEBOOKS[:1])
    assert out[str(NOTEBOOKS[0])] == {"since": "2025-06-01", "top_n": 7}


def test_params_file_must_be_a_mapping(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("- top_n\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="mapping"):
        read_params_file(path)
