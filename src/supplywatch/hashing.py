"""File and folder hashes (sha256) used by the cache, the render's provenance and the corpus loader.

A ground module: every stage may use it.
"""

from __future__ import annotations

import hashlib
import os
import time
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


#: Files whose hash :func:`file_sha256` remembers in this process (by path, size, modification and
#: status-change time and inode), so the analysis cache and the article store read a corpus file once.
MEMO_FILES = 4096
#: A file changed this recently (seconds) is hashed every time: its times may not show a second change.
MEMO_AFTER_SECONDS = 2.0
_memo: dict[tuple, str] = {}


def file_sha256(path: str | os.PathLike) -> str:
    """sha256 (hex) of a file's bytes.

    Raises:
        OSError: the file cannot be read.
    """
    st = os.stat(path)
    known = (os.fspath(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    digest = _memo.get(known)
    if digest is not None:
        return digest
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    digest = h.hexdigest()
    if time.time() - max(st.st_mtime, st.st_ctime) > MEMO_AFTER_SECONDS:
        if len(_memo) >= MEMO_FILES:
            _memo.clear()
        _memo[known] = digest
    return digest


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
