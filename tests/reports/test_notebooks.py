"""The report notebooks as committed: no outputs, one tagged parameters cell, thin, no relative paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from supplywatch.config import NOTEBOOKS_DIR
from supplywatch.reports.params import notebook_parameters

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9]*.ipynb"))


def test_the_three_reports_exist_in_run_order():
    assert [p.stem for p in NOTEBOOKS] == ["01-corpus-overview", "02-actor-mentions", "03-market-shares"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs_and_with_one_parameters_cell(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert not any("injected-parameters" in c.get("metadata", {}).get("tags", []) for c in nb["cells"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_are_typed_and_documented(path: Path):
    specs = notebook_parameters(path)
    assert {"corpus", "since", "until", "actors", "topic", "top_n", "output_dir"} <= set(specs)
    for spec in specs.values():
        assert spec.type_name in {"str", "int", "float", "bool"}, spec
        assert len(spec.help) > 10, f"{path.name}: {spec.name} needs a trailing comment"
    assert specs["corpus"].default == "" and specs["output_dir"].default == ""


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_thin_and_free_of_relative_paths(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    source = "\n".join("".join(c["source"]) for c in nb["cells"])
    assert "../" not in source and "sys.path" not in source and "plt.show" not in source
    markdown = [("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert markdown[0].startswith("# ") and "**Purpose.**" in markdown[0]
    assert any(m.startswith("## Inputs and outputs") for m in markdown)
    findings = [m for m in markdown if m.startswith("## ") and "**Metric:**" in m]
    assert len(findings) >= 3  # one section per finding, each stating its metric in words
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert len("".join(cell["source"]).splitlines()) <= 25, "logic belongs in src/supplywatch"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_on_the_project_kernel_and_checks_its_parameters_first(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "supplywatch"  # `make venv` installs it in .venv
    code = [("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"]
    assert "check_parameters(" in code[1] and code[1].index("check_parameters(") < code[1].index("load_report_data(")
    assert "out.findings(" in code[1]  # the key findings are shown before anything else


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_key_findings_come_before_the_parameters(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    headings = [("".join(c["source"])).splitlines()[0] for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert headings[1] == "## Key findings" and headings.index("## Parameters") > 1
    text = json.dumps(nb)
    assert "seed corpus in seconds" not in text
