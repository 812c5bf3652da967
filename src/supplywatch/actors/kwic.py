"""Keyword in context (KWIC): every occurrence of a word, phrase or actor with its left and right context.

An actor-aware concordance: when a gazetteer is given and the keyword names an actor, its mentions
(as found by :mod:`supplywatch.actors.mentions`) are the matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pandas as pd


def _term_regex(term: str, *, ignore_case: bool) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.IGNORECASE if ignore_case else 0)


def kwic(text: str, keyword: str | re.Pattern, *, window: int = 50, ignore_case: bool = True,
         gazetteer=None) -> Iterator[tuple[str, str, str]]:
    """Keyword in context: ``(left, match, right)`` for every occurrence of ``keyword`` in ``text``.

    ``keyword`` is a word or phrase (matched at word boundaries), a compiled regex, or, when a
    ``gazetteer`` is given and ``keyword`` names an actor, that actor: its mentions as found by
    :mod:`supplywatch.actors.mentions` (all names, aliases, demonyms, metonyms, back-references).
    Newlines in the context become spaces; a word the window would cut in half at either edge is
    left out.

    Example:
        >>> list(kwic("Exports of rare earths fell.", "rare earths", window=11))
        [('Exports of ', 'rare earths', ' fell.')]
    """
    spans: list[tuple[int, int]]
    actor = gazetteer.lookup(keyword) if gazetteer is not None and isinstance(keyword, str) else None
    if actor is not None:
        from .mentions import find_mentions

        spans = [(m.start, m.end) for m in find_mentions(text, gazetteer) if m.actor_id == actor.id]
    else:
        pattern = keyword if isinstance(keyword, re.Pattern) else _term_regex(keyword, ignore_case=ignore_case)
        spans = [m.span() for m in pattern.finditer(text)]
    for start, end in spans:
        a, b = max(0, start - window), min(len(text), end + window)
        if a > 0 and text[a - 1].isalnum():  # never show a word cut in half at either edge
            while a < start and text[a].isalnum():
                a += 1
        if b < len(text) and text[b].isalnum():
            while b > end and text[b - 1].isalnum():
                b -= 1
        yield text[a:start].replace("\n", " "), text[start:end], text[end:b].replace("\n", " ")


def kwic_table(texts: Mapping[str, str], keyword: str, *, window: int = 50, gazetteer=None,
               limit: int | None = None) -> pd.DataFrame:
    """KWIC over many documents as a table ``doc_id, left, match, right``, in document order.

    With ``limit``, stops after that many lines (a report's first lines of a big corpus need not
    search every article).
    """
    rows: list[dict] = []
    for doc_id in sorted(texts):
        for left, match, right in kwic(texts[doc_id], keyword, window=window, gazetteer=gazetteer):
            rows.append({"doc_id": doc_id, "left": left, "match": match, "right": right})
            if limit is not None and len(rows) >= limit:
                return pd.DataFrame(rows, columns=["doc_id", "left", "match", "right"])
    return pd.DataFrame(rows, columns=["doc_id", "left", "match", "right"])
