"""Claims beyond one figure for one holder: the old figure of a change, the remainder, monopolies and
shares derived from two quantities (see :mod:`supplywatch.claims.forms` for the phrase rules).

Each function takes the sentence, its quantities or claims and its holder candidates and returns
:class:`~supplywatch.claims.patterns.Claim` records (offsets into the sentence), or None/[].
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from supplywatch.claims.forms import (
    monopoly_goods,
    monopoly_holder,
    named_goods,
    remainder_share,
    remainder_spans,
    time_ref,
)
from supplywatch.claims.holders import _resolve_holder
from supplywatch.claims.patterns import _GLOBAL_RE, _I, _METRIC_ALTERNATION, _NEGATION_RE, Claim, Holder
from supplywatch.claims.quantities import Quantity
from supplywatch.claims.wholes import _HYPOTHETICAL_LEFT_RE, _TARGET_LEFT_RE, _verb_metric, _year, metric_of

def _prior_claim(sentence: str, quantities: Sequence[Quantity], i: int, claim_at: Mapping[int, Claim],
                 candidates: Sequence[Holder]) -> Claim | None:
    """The earlier figure of a change as a claim of its own (``time_ref`` ``previous``), or a figure
    "compared with 18.6 % for the US" for another holder; None when no claim is next to it."""
    q = quantities[i]
    base = None
    nxt = quantities[i + 1] if i + 1 < len(quantities) else None
    order = (i + 1, i - 1) if nxt is not None and re.fullmatch(r"\s*(?:to|and)\s+", sentence[q.end: nxt.start], _I) \
        else (i - 1, i + 1)  # "had dropped from 25 pct to 20 pct": the old value of the figure after it
    for j in order:
        c = claim_at.get(j)
        if c is not None and ";" not in sentence[min(c.end, q.end): max(c.start, q.start)]:
            base = c
            break
    if base is None:
        return None
    other = re.match(r"\s*(?:for|by|at)\s+(?:the\s+)?", sentence[q.end:], _I)
    named = [h for h in candidates if other and h.start == q.end + other.end() and h.kind in ("mention", "name", "group")]
    holder_name, holder_id, span, when = base.holder, base.holder_id, base.holder_span, "previous"
    if named:  # "China accounted for 20.1 % of Japan's trade, compared with 18.6 % for the US"
        holder_name, holder_id, span, when = named[0].name, named[0].id, (named[0].start, named[0].end), base.time_ref
    return replace(base, share=q.value, share_low=q.low, share_high=q.high, qualifier=q.qualifier, start=q.start,
                   end=q.end, phrase=q.text, holder=holder_name, holder_id=holder_id, holder_span=span,
                   time_ref=when, year=_year(sentence, q), part_quantity="", whole_quantity="")


def _remainder_claims(sentence: str, claims: Sequence[Claim], candidates: Sequence[Holder], *,
                      attr_span: tuple[int, int] | None, regions: list[tuple[int, int]]) -> list[Claim]:
    """"Norland has 64 %; Southland supplies the rest": Southland 36, qualifier ``remainder``."""
    out = []
    for verb_start, s, e in remainder_spans(sentence):
        stated = [c for c in claims if c.end <= verb_start and c.time_ref == "current"]
        share = remainder_share([c.share for c in stated])
        if share is None:
            continue
        pseudo = Quantity(verb_start, e, share, share, share, "remainder", "remainder", sentence[verb_start:e])
        holder = _resolve_holder(sentence, pseudo, candidates, attr_span=attr_span, regions=regions,
                                 previous_holder=None)
        if holder is None or holder.kind == "pronoun" or any(holder.name == c.holder for c in stated):
            continue
        base = stated[-1]
        out.append(replace(base, holder=holder.name, holder_id=holder.id, share=share, share_low=share,
                           share_high=share, qualifier="remainder", start=s, end=e, phrase=sentence[s:e],
                           holder_span=(holder.start, holder.end), negated=False))
    return out


def _derived_claim(sentence: str, q: Quantity, *, candidates: Sequence[Holder], attr_span: tuple[int, int] | None,
                   regions: list[tuple[int, int]], topic_matches: Sequence[Any],
                   previous_holder: Holder | Callable[[], Holder | None] | None) -> Claim | None:
    """"China mined 270,000 tonnes of the world's 390,000 tonnes": 69.2, qualifier ``derived``."""
    holder = _resolve_holder(sentence, q, candidates, attr_span=attr_span, regions=regions,
                             previous_holder=previous_holder)
    if holder is None or not holder.name or holder.end > q.start:
        return None
    between = sentence[holder.end: q.start]
    if _TARGET_LEFT_RE.search(between) or _HYPOTHETICAL_LEFT_RE.search(between):
        return None
    tail = re.match(r"\s+of\s+[^,;.]{1,60}", sentence[q.end:])
    whole_text = q.text[len(q.part):] + (tail.group() if tail else "")
    span = (q.start, q.end + (tail.end() if tail else 0))
    metric = metric_of(whole_text)
    if metric == "other":
        metric = _verb_metric(between) or metric_of(between)
    inside = [t for t in topic_matches if span[0] <= t.start < span[1]]
    commodity = inside[0].topic.name if inside else ""
    return Claim(
        holder=holder.name, holder_id=holder.id, share=q.value, share_low=q.low, share_high=q.high,
        qualifier="derived", metric=metric, commodity=commodity, scope="global" if _GLOBAL_RE.search(whole_text) else "",
        year=_year(sentence, q), attribution="", negated=bool(_NEGATION_RE.search(between)), start=q.start, end=q.end,
        phrase=q.text, holder_span=(holder.start, holder.end), part_quantity=q.part, whole_quantity=q.whole,
        time_ref=time_ref(sentence, q.start, q.end, holder.end, holder_start=holder.start),
    )


def _monopoly_claim(sentence: str, q: Quantity, *, candidates: Sequence[Holder], topic_matches: Sequence[Any]
                    ) -> Claim | None:
    """A monopoly written as a verb or a noun next to its holder (see :func:`claimforms.monopoly_holder`)."""
    if q.text[:1].isupper() and q.start > 0 or (q.text.lower().endswith("monopolies")):
        return None  # "the Monopolies and Mergers Commission", "action on monopolies": no holder's monopoly
    clause = re.split(r"[;:]", sentence[: q.start])[-1]
    if _HYPOTHETICAL_LEFT_RE.search(clause) or _TARGET_LEFT_RE.search(clause):
        return None  # "would not result in Fujitsu monopolising ..."
    holder, form = monopoly_holder(sentence, q, candidates)
    if holder is None or not holder.name or holder.kind == "pronoun" or holder.actor_type in ("person", "media"):
        return None
    if re.search(r"\b(?:anti|break\w*\s+up|end(?:ed|s|ing)?|abolish\w*|dismantl\w*|against)\b[\s-]*(?:\w+\s+){0,2}$",
                 sentence[: q.start], _I):
        return None
    if form == "verb":
        obj = re.match(r"\s+(?:the\s+)?([^,;.]{1,80})", sentence[q.end:])
        span = (q.end + obj.start(1), q.end + obj.end(1)) if obj else (q.end, q.end)
    elif form == "passive":
        clause_start = max(sentence.rfind(",", 0, q.start), sentence.rfind(";", 0, q.start), -1) + 1
        span = (clause_start, q.start)
    else:  # noun: the words around "monopoly" in its noun phrase ("state salt monopoly", "monopoly fertilizer producer")
        np_start = max(sentence.rfind(",", 0, q.start) + 1, q.start - 40)
        span = (np_start, min(len(sentence), max(q.end, holder.start if holder.start > q.end else q.end + 40)))
    text = sentence[span[0]: span[1]]
    inside = [t for t in topic_matches if span[0] <= t.start < span[1]]
    goods = "" if inside else (named_goods(text, _METRIC_ALTERNATION) if form == "verb"
                               else monopoly_goods(sentence, q.start, _METRIC_ALTERNATION))
    scope = ""
    places = [h for h in candidates if span[0] <= h.start < span[1] and h is not holder
              and h.actor_type in ("country", "bloc") and h.kind in ("mention", "name")]
    if places:
        scope = places[0].name
    metric = metric_of(text)
    if metric in ("other", "market") and form == "verb":
        metric = _verb_metric(text) or metric
    return Claim(
        holder=holder.name, holder_id=holder.id, share=100.0, share_low=100.0, share_high=100.0, qualifier="monopoly",
        metric="market" if metric == "other" else metric, commodity=inside[0].topic.name if inside else goods,
        scope=scope, year=_year(sentence, q), attribution="", negated=bool(_NEGATION_RE.search(
            sentence[holder.end: q.start] if holder.end <= q.start else "")),
        start=q.start, end=q.end, phrase=q.text, holder_span=(holder.start, holder.end),
        time_ref=time_ref(sentence, q.start, q.end, holder.end if holder.end <= q.start else -1,
                          holder_start=holder.start),
    )
