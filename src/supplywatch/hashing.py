"""File and folder hashes (sha256) used by the cache, the render's provenance and the corpus loader.

A ground module: every stage may use it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path


def parts_sha256(*parts: str) -> str:
    """sha256 (hex) of strings joined unambiguously (each followed by a NUL byte): a cache or store key.

    Example:
        >>> parts_sha256("a", "b") != parts_sha256("ab")
        True
    """
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


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
