"""Notebook parameters: read each notebook's ``parameters`` cell and check values against it.

A notebook declares its parameters the papermill way, in one cell tagged ``parameters``::

    top_n: int = 15  # how many actors, terms or sources each chart keeps

:func:`notebook_parameters` reads names, types, defaults and help with :mod:`ast` (the same
information ``papermill --help-notebook`` prints, without importing papermill, so checking is
instant). :func:`validate_parameters` converts command-line strings to the declared types and stops
with a :class:`~supplywatch.exceptions.ParameterError` naming the bad parameter and the allowed ones
before anything runs.

Example:
    >>> specs = notebook_parameters("notebooks/01-corpus-overview.ipynb")   # doctest: +SKIP
    >>> specs["top_n"].type_name, specs["top_n"].default                      # doctest: +SKIP
    ('int', 15)
"""

from __future__ import annotations

import ast
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from supplywatch.exceptions import ParameterError
from supplywatch.resources import load_yaml

#: Parameters whose string value must be a date (``YYYY-MM-DD``) or empty.
DATE_PARAMETERS = frozenset({"since", "until"})
#: Parameters ``supplywatch render`` sets itself (from CORPUS and the run folder).
RESERVED_PARAMETERS = frozenset({"corpus", "output_dir"})

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TYPES: dict[str, type | tuple[type, ...]] = {"int": int, "float": float, "str": str, "bool": bool,
                                              "list": list, "dict": dict}


@dataclass(frozen=True)
class ParameterSpec:
    """One parameter of a notebook: name, declared type, default and help text."""

    name: str
    type_name: str
    default: Any
    help: str = ""


def _parameters_cell(notebook: dict, path: Path) -> str:
    for cell in notebook.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else source
    raise ParameterError(f"{path}: no cell tagged 'parameters' (tag one cell 'parameters' to declare them)")


def notebook_parameters(path: str | os.PathLike) -> dict[str, ParameterSpec]:
    """The parameters a notebook declares, in order (name -> :class:`ParameterSpec`).

    Raises:
        ParameterError: the notebook has no ``parameters`` cell or a default is not a literal.
    """
    path = Path(path)
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ParameterError(f"{path}: cannot read the notebook ({exc})") from exc
    source = _parameters_cell(notebook, path)
    lines = source.splitlines()
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(f"{path}: parameters cell line {exc.lineno}: {exc.msg}") from exc
    specs: dict[str, ParameterSpec] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, annotation = node.target.id, ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, annotation = node.targets[0].id, ""
        else:
            continue
        try:
            default = ast.literal_eval(node.value)
        except ValueError as exc:
            raise ParameterError(f"{path}: parameter {name!r} (line {node.lineno}) needs a literal default, "
                                 f"not {ast.unparse(node.value)!r}") from exc
        type_name = annotation or (type(default).__name__ if default is not None else "NoneType")
        line = lines[(node.end_lineno or node.lineno) - 1]
        comment = line.split("#", 1)[1].strip() if "#" in line else ""
        specs[name] = ParameterSpec(name=name, type_name=type_name, default=default, help=comment)
    return specs


def convert_value(value: Any, spec: ParameterSpec, source: str) -> Any:
    """``value`` converted to the spec's type; strings from the command line are parsed.

    Raises:
        ParameterError: naming the parameter, the value and the type it must have.
    """
    expected = _TYPES.get(spec.type_name.split("[")[0])
    wrong = ParameterError(
        f"parameter {spec.name!r} ({source}): {value!r} is not a valid {spec.type_name}"
        + (f" ({spec.help})" if spec.help else "")
    )
    if isinstance(value, (date, datetime)) and spec.type_name == "str":
        value = value.strftime("%Y-%m-%d")  # YAML reads 2025-06-01 as a date
    if expected is None:
        return value
    if isinstance(value, str) and expected is not str:
        text = value.strip()
        if expected is bool:
            lowered = text.lower()
            if lowered in ("true", "yes", "1", "on"):
                return True
            if lowered in ("false", "no", "0", "off"):
                return False
            raise wrong
        if expected in (int, float):
            try:
                return expected(text)
            except ValueError as exc:
                raise wrong from exc
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError) as exc:
            raise wrong from exc
        if not isinstance(parsed, expected):
            raise wrong
        return parsed
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise wrong
    if spec.name in DATE_PARAMETERS and isinstance(value, str) and value:
        if not _DATE_RE.match(value):
            raise ParameterError(f"parameter {spec.name!r} ({source}): {value!r} is not a date; use YYYY-MM-DD "
                                 "or an empty string for no limit")
        try:
            date.fromisoformat(value)
        except ValueError as exc:
            raise ParameterError(f"parameter {spec.name!r} ({source}): {value!r} is not a real date") from exc
    return value


def describe(specs: Mapping[str, ParameterSpec]) -> str:
    """One line per parameter: ``name (type, default ...): help``."""
    return "\n".join(f"  {s.name} ({s.type_name}, default {s.default!r}): {s.help}" for s in specs.values())


def describe_notebooks(notebooks: Iterable[str | os.PathLike]) -> str:
    """Every parameter the notebooks declare, once, with the notebooks that take it (for ``--help``)."""
    taken: dict[str, list[str]] = {}
    specs: dict[str, ParameterSpec] = {}
    for nb in notebooks:
        for name, spec in notebook_parameters(nb).items():
            specs.setdefault(name, spec)
            taken.setdefault(name, []).append(Path(nb).name.split("-", 1)[0])
    n_notebooks = max((len(v) for v in taken.values()), default=0)
    lines = []
    for name, spec in specs.items():
        if name in RESERVED_PARAMETERS:
            continue
        only = "" if len(taken[name]) == n_notebooks else f" [notebook {', '.join(taken[name])} only]"
        lines.append(f"  {name} ({spec.type_name}, default {spec.default!r}){only}: {spec.help}")
    return "\n".join(lines)


def validate_parameters(values: Mapping[str, Any], notebooks: Iterable[str | os.PathLike], *,
                        source: str = "-p") -> dict[str, dict[str, Any]]:
    """Check ``values`` against every notebook's parameters cell; return each notebook's values.

    A name must be declared by at least one notebook; it is passed to the notebooks that declare it,
    converted to the declared type. Reserved names (``corpus``, ``output_dir``) come from the CLI.

    Raises:
        ParameterError: naming the unknown parameter or the bad value, and listing the allowed ones.

    Example:
        >>> validate_parameters({"top_n": "5"}, ["notebooks/01-corpus-overview.ipynb"])  # doctest: +SKIP
        {'notebooks/01-corpus-overview.ipynb': {'top_n': 5}}
    """
    per_notebook = {str(nb): notebook_parameters(nb) for nb in notebooks}
    allowed: dict[str, ParameterSpec] = {}
    for specs in per_notebook.values():
        for name, spec in specs.items():
            allowed.setdefault(name, spec)
    settable = {n: s for n, s in allowed.items() if n not in RESERVED_PARAMETERS}
    for name in values:
        if name in RESERVED_PARAMETERS:
            raise ParameterError(f"parameter {name!r} ({source}) is set by supplywatch render itself "
                                 "(CORPUS argument / --out); remove it")
        if name not in allowed:
            raise ParameterError(f"unknown parameter {name!r} ({source}); allowed parameters:\n{describe(settable)}")
    out: dict[str, dict[str, Any]] = {}
    for nb, specs in per_notebook.items():
        out[nb] = {name: convert_value(value, specs[name], source) for name, value in values.items() if name in specs}
    return out


def read_params_file(path: str | os.PathLike) -> dict[str, Any]:
    """Parameters from a YAML file holding one mapping ``name: value``.

    Raises:
        ParameterError: the file is missing, not YAML, or not a mapping of names to values.
    """
    import yaml

    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ParameterError(f"{path}: cannot read the parameters file ({exc})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ParameterError(f"{path}: a parameters file holds one mapping 'name: value' per line")
    return data
