"""Project resources (gazetteer, topic lexicon, reference figures) read once per file version.

Each loader reads and validates its file on first use and keeps the result until the file changes
(path, modification time and size are the key), so editing ``data/actors.yaml`` in JupyterLab takes
effect on the next call without restarting the kernel.

Example:
    >>> from supplywatch.claims.topics import read_topics
    >>> load_versioned(read_topics, "data/topics.yaml", missing="no lexicon")   # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from supplywatch.exceptions import ResourceError

T = TypeVar("T")


@lru_cache(maxsize=32)
def _read(reader: Callable[[str], T], path: str, mtime_ns: int, size: int) -> T:
    return reader(path)


def load_versioned(reader: Callable[[str], T], path: str | os.PathLike, *, missing: str) -> T:
    """``reader(path)``, cached until the file changes.

    Args:
        reader: reads and validates the file (raises the resource's own error on bad content).
        path: the file.
        missing: the message of the :class:`ResourceError` raised when the file does not exist.
    """
    p = Path(path)
    try:
        stat = p.stat()
    except OSError:
        raise ResourceError(missing) from None
    return _read(reader, str(p.resolve()), stat.st_mtime_ns, stat.st_size)


def load_yaml(text: str):
    """YAML ``text`` as Python data through PyYAML's *safe* loader: libyaml's (``CSafeLoader``) when PyYAML
    was built with it (the same data, several times faster: ~0.2 s less per process for
    ``data/actors.yaml``), else the pure-Python one.

    Raises:
        yaml.YAMLError: invalid YAML (``problem_mark`` gives the line, as with ``yaml.safe_load``).
    """
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def read_yaml_resource(path: str | os.PathLike, what: str, restore: str):
    """The data of the YAML file ``path`` (``what``: "the name rules", for the messages).

    Raises:
        ResourceError: the file cannot be read (the message says to restore ``restore``) or is not valid
            YAML (the message names the line).
    """
    import yaml

    path = Path(path)
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"{path}: cannot read {what} ({exc}); restore {restore}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise ResourceError(f"{path}:{line} invalid YAML ({getattr(exc, 'problem', exc)}); fix the syntax") from None
