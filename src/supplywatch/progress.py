"""A progress bar that shows on long runs at a terminal and stays quiet otherwise."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress_bar(items: Iterable[T], *, desc: str, unit: str = "it", total: int | None = None) -> Iterator[T]:
    """Wrap ``items`` in a tqdm bar when stderr is a terminal; otherwise yield them unchanged."""
    if not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, desc=desc, unit=unit, total=total, mininterval=0.5, delay=2.0, leave=False)
