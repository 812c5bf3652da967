"""Writing output files atomically: a reader never sees half a file, a failure never leaves one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


def _default_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give (0666 less the umask); mkstemp gives 0600."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _default_mode())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 text atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_csv(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a table as UTF-8 CSV with LF line ends, atomically and reproducibly (no index)."""
    return atomic_write_text(path, frame.to_csv(index=False, lineterminator="\n"))
