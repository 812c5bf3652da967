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

from supplywatch.config import CACHE_DIR, DATA_DIR, PACKAGE_DIR, PROJECT_ROOT, VERSION
from supplywatch.hashing import file_sha256, tree_sha256

#: Packages whose versions every run records.
PACKAGES = ("supplywatch", "pandas", "matplotlib", "nltk", "papermill", "nbconvert", "nbclient", "ipykernel",
            "vaderSentiment", "pyyaml", "jinja2")


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
    package_dir = PACKAGE_DIR
    parts: dict[str, Any] = {
        "corpus_files_sha256": tree_sha256(corpus),
        "notebooks_sha256": {Path(nb).name: file_sha256(nb) for nb in notebooks},
        "parameters": {k: parameters[k] for k in sorted(parameters)},
        "supplywatch_version": VERSION,
        "package_versions": package_versions(),
        "package_source_sha256": tree_sha256(package_dir, suffixes=(".py", ".j2", ".html", ".css")),
        "data_sha256": tree_sha256(DATA_DIR, skip=[CACHE_DIR]) if DATA_DIR.is_dir() else "",
        "options": dict(options or {}),
    }
    blob = json.dumps(parts, sort_keys=True, default=str).encode()
    parts["fingerprint"] = hashlib.sha256(blob).hexdigest()
    return parts
