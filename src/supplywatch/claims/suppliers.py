"""Supplier claims: a supplier's share of an importer's own supply.

"Japan imports 60 % of its rare earths from China" and "relies on China for 70 % of its imports" are
claims for the supplier (metric ``imports``, scope the importer).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from supplywatch.claims.holders import _resolve_holder
from supplywatch.claims.patterns import _I, _NEGATION_RE, Claim, Holder
from supplywatch.claims.quantities import Quantity
from supplywatch.claims.wholes import _commodity, _year

#: Verbs that take a share of one's own supply from a supplier: "imports 80 % of its ... from China".
_TAKES_FROM_RE = re.compile(
    r"\b(?:imports?|imported|importing|sources?|sourced|sourcing|buy|buys|bought|buying|get|gets|got|getting|receives?|"
    r"received|receiving|purchases?|purchased|purchasing|obtains?|obtained|obtaining|procures?|procured|"
    r"procuring)\s+$", _I)
#: "relies on China for 70 % of its ...", "is dependent on China for ...".
_RELIES_ON_RE = re.compile(
    r"\b(?:rel(?:y|ies|ied|ying)|depend(?:s|ed|ing)?|dependent|reliant)\s+(?:\w+\s+)?(?:up)?on\s+(?:the\s+)?$", _I)


def _supplier_claim(sentence: str, q: Quantity, whole_span: tuple[int, int], *, candidates: Sequence[Holder],
                    topic_matches: Sequence[Any], previous_topic: str | Callable[[], str],
                    attr_span: tuple[int, int] | None,
                    regions: list[tuple[int, int]],
                    previous_holder: Holder | Callable[[], Holder | None] | None) -> Claim | None:
    """A supplier's share of an importer's own supply, or None.

    "Japan imports about 60 % of its rare earths from China" and "The US relies on China for 70 %
    of its rare earth imports" claim that China supplies that share of Japan's (the US's) imports:
    holder China, metric ``imports``, scope the importer. Any other "N % of its ..." is the make-up
    of the subject's own total, not a claim.
    """
    left = sentence[: q.start]

    def supplier(h: Holder) -> bool:
        return h.kind in ("mention", "name", "group") and h.actor_type not in ("person", "media", "agency")

    holder: Holder | None = None
    # "relies on China for 70 % ...": the name right before "for", after "relies on"
    named = next((h for h in reversed(candidates) if h.end <= q.start and re.fullmatch(r"\s+for\s+", left[h.end:])), None)
    if named is not None and _RELIES_ON_RE.search(left[: named.start]):
        holder = named if supplier(named) else None
    elif _TAKES_FROM_RE.search(left):
        # "from" in the same phrase: "..., mostly from the Middle East" names where most of it comes from
        after = re.match(r"[^,;:!?()]*?\bfrom\s+(?:the\s+)?", sentence[q.end:], _I)
        if after is not None:
            at = q.end + after.end()
            holder = next((h for h in candidates if h.start == at and supplier(h)), None)
    if holder is None:
        return None
    whole = sentence[whole_span[0]: whole_span[1]]
    supplies = [t for t in topic_matches if whole_span[0] <= t.start < max(whole_span[1], whole_span[0] + 1)]
    if not supplies and not re.search(r"\b(?:imports?|supplies|supply|needs|requirements|purchases)\b", whole, _I):
        return None  # "gets 40 % of its revenue from China": a market for its sales, not a supplier
    importer = _resolve_holder(sentence, q, [h for h in candidates if h is not holder], attr_span=attr_span,
                               regions=regions, previous_holder=previous_holder)
    return Claim(
        holder=holder.name, holder_id=holder.id, share=q.value, share_low=q.low, share_high=q.high,
        qualifier=q.qualifier, metric="imports",
        commodity=_commodity(q, whole_span, topic_matches, previous_topic),
        scope=importer.name if importer is not None and importer.kind != "pronoun" else "",
        year=_year(sentence, q), attribution="", negated=bool(_NEGATION_RE.search(left)),
        start=q.start, end=q.end, phrase=q.text, holder_span=(holder.start, holder.end),
    )
