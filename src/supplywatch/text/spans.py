"""Finding the mentions inside a span of text, fast, for articles of any length.

Extractors ask "which mentions lie inside this sentence / this speaker phrase?" once per sentence
or quote. Scanning every mention of the article each time is quadratic in the article's length (a
10 MB article has tens of thousands of mentions); :class:`SpanIndex` sorts them once and answers
each question with a binary search.

Example:
    >>> idx = SpanIndex([{"start": 10, "end": 15}, {"start": 0, "end": 5}])
    >>> [m["start"] for m in idx.within(0, 12)]
    [0]
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from typing import Any


class SpanIndex:
    """Mention dicts (with integer-like ``start``/``end``) sorted by start, for span queries."""

    def __init__(self, items: Iterable[Mapping[str, Any]]) -> None:
        keyed = []
        for item in items:
            try:
                keyed.append((int(item["start"]), int(item["end"]), item))
            except (KeyError, TypeError, ValueError):
                continue  # malformed rows are ignored, as before
        keyed.sort(key=lambda k: (k[0], k[1]))
        self._starts = [k[0] for k in keyed]
        self._items = keyed
        self._longest = max((e - s for s, e, _ in keyed), default=0)

    def __len__(self) -> int:
        return len(self._items)

    def within(self, start: int, end: int) -> list[Mapping[str, Any]]:
        """The items lying wholly inside ``[start, end)``, in order of their start."""
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_right(self._starts, end)
        return [item for s, e, item in self._items[lo:hi] if e <= end]
