"""Provenance of a render: what went in (hashes), which software, which commit.

:func:`input_fingerprint` is what decides whether a render can reuse the last one: it hashes the
corpus files, the notebooks, the parameters, the package version and source, and the project
resources in ``data/``. Any change gives a new fingerprint.

Example:
    >>> fp = input_fingerprint("seeds", ["notebooks/01-corpus-overview.ipynb"], {})   # doctest: +SKIP
    >>> len(fp["fingerprint"])                                                          # doctest: +SKIP
    64
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from .config import CACHE_DIR, DATA_DIR, PROJECT_ROOT

#: Packages whose versions every run records.
PACKAGES = ("supplywatch", "pandas", "matplotlib", "nltk", "papermill", "nbconvert", "nbclient", "ipykernel",
            "vaderSentiment", "pyyaml", "jinja2")


def file_sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def tree_sha256(root: str | os.PathLike, *, skip: Iterable[Path] = (), suffixes: tuple[str, ...] = ()) -> str:
    """sha256 over the relative paths and contents of every file under ``root`` (or of one file)."""
    root = Path(root)
    h = hashlib.sha256()
    if root.is_file():
        h.update(file_sha256(root).encode())
        return h.hexdigest()
    skipped = [Path(s).resolve() for s in skip]
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        resolved = path.resolve()
        if any(resolved.is_relative_to(s) for s in skipped) or "__pycache__" in path.parts:
            continue
        if suffixes and path.suffix not in suffixes:
            continue
        h.update(f"{path.relative_to(root).as_posix()}\t{file_sha256(path)}\n".encode())
    return h.hexdigest()


def package_versions() -> dict[str, str]:
    """Installed versions of the packages a render depends on, plus Python's."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_commit(root: str | os.PathLike = PROJECT_ROOT) -> str:
    """The checkout's commit (with ``-dirty`` if it has changes), or ``''`` outside git."""
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                                text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return commit + ("-dirty" if dirty else "")


def input_fingerprint(corpus: str | os.PathLike, notebooks: Iterable[str | os.PathLike],
                      parameters: Mapping[str, Any], *, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Hashes of everything a render's output depends on, and one ``fingerprint`` over them all."""
    from . import __version__

    package_dir = Path(__file__).resolve().parent
    parts: dict[str, Any] = {
        "corpus_files_sha256": tree_sha256(corpus),
        "notebooks_sha256": {Path(nb).name: file_sha256(nb) for nb in notebooks},
        "parameters": {k: parameters[k] for k in sorted(parameters)},
        "supplywatch_version": __version__,
        "package_versions": package_versions(),
        "package_source_sha256": tree_sha256(package_dir, suffixes=(".py", ".j2", ".html", ".css")),
        "data_sha256": tree_sha256(DATA_DIR, skip=[CACHE_DIR]) if DATA_DIR.is_dir() else "",
        "options": dict(options or {}),
    }
    blob = json.dumps(parts, sort_keys=True, default=str).encode()
    parts["fingerprint"] = hashlib.sha256(blob).hexdigest()
    return parts
