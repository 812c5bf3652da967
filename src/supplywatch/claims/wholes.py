"""Wholes, metrics, scope, commodity and year of a share figure, and the contexts that are no claim.

A figure is a claim only with a *whole* that is a market ("of global production", "of the world's
cobalt", a share construction, a monopoly): :func:`classify_whole`; the metric comes from the words
of the whole or the verb (:func:`metric_of`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from supplywatch.claims.patterns import (
    Holder,
    _CHANGE_LEFT_RE,
    _CHANGE_RIGHT_RE,
    _COMPANY_SALES_RE,
    _COUNTED_RE,
    _GLOBAL_RE,
    _I,
    _MARKET_NOUN_RE,
    _METRIC_ALTERNATION,
    _METRIC_RES,
    _OWNERSHIP_RE,
    _OWN_TOTAL_RE,
    _POLL_RE,
    _POSSESSIVE_PRONOUN_RE,
    _PRIOR_LEFT_RE,
    _RATE_LEFT_RE,
    _VALUE_RE,
    _VERB_METRIC,
    _WHOLE_STOP_RE,
    _YEAR_RE,
    ascii_folded,
)
from supplywatch.claims.quantities import Quantity


_OF_RE = re.compile(r"\s*of\s+", _I)
_PRONOUN_WHOLE_RE = re.compile(r"(?:which|whom|them|it|these|those|this|that|whose)\b", _I)
#: "... and production rose": a clause of its own after the whole
_VERB_AND_RE = re.compile(
    r"\s(?:and|or)\s+(?:\w+\s+){0,3}?(?:rose|fell|rises|falls|grew|increased|decreased|declined|"
    r"jumped|dropped|climbed|is|are|was|were|has|have|had|will|would|accounted|accounts|"
    r"controls?|holds?|produces?|owns?|exports?\s+to|plans?|planned|said|says|expects?|expected|aims?|wants?|hopes?|"
    r"intends?|announced|reported)\b",
    _I,
)
_NEXT_SUBJECT_RE = re.compile(r"\s+(?:and|or)\s+[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*\s*$")


def _whole(right: str) -> str:
    m = _OF_RE.match(right)
    if not m:
        return ""
    rest = right[m.end():]
    if _PRONOUN_WHOLE_RE.match(rest):
        return ""
    stop = _WHOLE_STOP_RE.search(rest)
    rest = rest[: stop.start()] if stop else rest
    verb_and = _VERB_AND_RE.search(rest)
    rest = rest[: verb_and.start()] if verb_and else rest
    # "of the market and Omega has 17 pct": the next clause's subject is not part of the whole
    rest = _NEXT_SUBJECT_RE.sub("", rest)
    return " ".join(rest.split()[:14])


def classify_whole(whole: str, *, has_topic: bool = False) -> str:
    """What an "of ..." phrase after a share is a share of.

    Returns ``market`` (a whole others share: a claim), ``own_total`` (the make-up of one's own
    total), ``ownership``, ``poll`` or ``none``.

    Example:
        >>> [classify_whole(w) for w in ("global mined production", "its revenue", "XYZ Corp", "respondents")]
        ['market', 'own_total', 'ownership', 'poll']
    """
    w = re.sub(r"\b(?:19|20)\d\d(?:/\d\d)?\s+", "", whole.strip())  # "of total 1986 sales" = "of total sales"
    if not w:
        return "none"
    if _POLL_RE.search(w) or _COUNTED_RE.search(w):
        return "poll"
    if _VALUE_RE.search(w):
        return "none"
    if _POSSESSIVE_PRONOUN_RE.match(w):
        own_market = re.match(r"(?:all\s+of\s+)?(?:its|their)\s+(?:own\s+)?(?:domestic|home|local)\s+market\b", w, _I)
        return "market" if own_market else "own_total"
    if _OWN_TOTAL_RE.search(w):
        return "own_total"
    if _COMPANY_SALES_RE.search(w) and not _GLOBAL_RE.search(w):
        return "own_total"
    if _OWNERSHIP_RE.search(w) and not re.search(r"\bmarkets?\b", w, _I):
        return "ownership"
    if _MARKET_NOUN_RE.search(w) or has_topic or re.search(
        r"\b(?:global|world(?:'s|’s)?)\s+total\b|\bthe\s+world(?:'s|’s)\s+\w+", w, _I
    ):
        return "market"
    if re.match(r"(?:the\s+)?[A-Z]", w):
        return "ownership"  # "20 pct of XYZ" / "13.6 % of Lewa": a named company, no market word
    return "none"


def metric_of(*texts: str) -> str:
    """The metric named in the given texts (whole phrase first), or ``other``.

    Example:
        >>> metric_of("global mined rare earth production"), metric_of("the global output")
        ('mining', 'output')
    """
    for text in texts:
        if not text:
            continue
        for metric, rx in _METRIC_RES.items():
            if rx.search(text):
                return metric
    return "other"


def _verb_metric(text: str) -> str:
    for metric, rx in _VERB_METRIC:
        if rx.search(text):
            return metric
    return ""


def _scope(whole: str, whole_span: tuple[int, int], sentence: str, holders: Sequence[Holder],
           holder: Holder | None = None) -> str:
    if _GLOBAL_RE.search(whole):
        return "global"
    inside = [h for h in holders if whole_span[0] <= h.start < whole_span[1] and h.kind in ("mention", "name")
              and h.actor_type in ("country", "bloc", "") and (holder is None or h.start >= holder.end)]
    if inside:
        return inside[0].name
    if re.search(r"\b(?:domestic|home)\s+market\b", whole, _I):
        return "domestic"
    return ""


#: "X accounts for / makes up / provides N % of its supply": X supplies that share of someone's needs.
_PROVIDES_LEFT_RE = re.compile(
    r"\b(?:accounts?\s+for|accounted\s+for|accounting\s+for|makes?\s+up|made\s+up|provides?|provided|supplies|"
    r"supplied|represents?|represented|delivers?|delivered|meets?|met|covers?|covered)\s+(?:\w+\s+)?$",
    _I,
)
#: Verbs of making or selling goods right before a figure ("produces around 10 pct of all Dutch cheese").
_SUPPLY_VERB_LEFT_RE = re.compile(
    r"\b(?:produces?|produced|producing|supplies|supplied|supplying|mines?|mined|refines?|refined|exports?|exported|"
    r"makes?(?!\s+up)|made(?!\s+up)|sells?|sold|grows?|grew|manufactures?|manufactured|ships?|shipped|controls?|"
    r"controlled|"
    r"processes|processed|smelts?|smelted|pumps?|pumped)\s+(?:\w+\s+)?$",
    _I,
)
#: A leading role before "with a N % share": "the largest tin supplier", "market leader", "No. 2 producer".
_ROLE_LEFT_RE = re.compile(
    r"\b(?:largest|biggest|leading|top|dominant|main|No\.\s?\d|number\s+(?:one|two|three)|second|third|"
    r"second-largest|third-largest|second-biggest)\b[^,;]{0,50}\b(?:suppliers?|producers?|makers?|miners?|exporters?|"
    r"importers?|sellers?|players?|brands?|companies|company|firms?|groups?|carriers?|operators?|banks?|lenders?|"
    r"refiners?|smelters?|retailers?|airlines?|brewers?|insurers?|manufacturers?|vendors?)\b|\bmarket\s+leaders?\b",
    _I,
)


def _clause_left(left: str) -> str:
    cut = max(left.rfind(";"), left.rfind(":"))
    return left[cut + 1:] if cut >= 0 else left


#: An aim, not a state: "aims to raise its share to 70 percent", "plans to supply a third of ...".
_TARGET_LEFT_RE = re.compile(
    r"\b(?:aims?|aiming|aimed|plans?|planning|planned|targets?|targeting|wants?|wanted|seeks?|seeking|sought|"
    r"wish(?:es|ed|ing)?|"
    r"hopes?|hoping|hoped|intends?|intending|strives?|striving|bids?|vows?|vowed|pledged?|pledges)\s+to\b"
    r"|\b(?:goal|aim|ambition|target|bid|plan|push)\s+(?:of|to)\b",
    _I,
)
from supplywatch.claims.forms import named_goods


#: A condition, not a state: "which would reduce Brazil's share to 28.8 pct", "could regain about half".
_HYPOTHETICAL_LEFT_RE = re.compile(r"\b(?:would|could|might)\s+(?:\S+\s+){0,4}$", _I)


def _tail_start(text: str, chunks: int) -> int:
    """A position at or before the start of the last ``chunks`` whitespace-separated chunks of ``text``.

    A pattern match that ends at the end of ``text`` and spans at most ``chunks`` such chunks starts
    there or later, so searching from it (``pattern.search(text, pos)``: look-behinds and ``\\b``
    still see the text before) finds what a search of the whole text finds, without trying the
    pattern at every earlier position.
    """
    parts = text.rsplit(None, chunks)
    return len(parts[0]) if len(parts) > chunks else 0


#: A condition: "if they threaten to top 50 pct of U.S. consumption", "unless it wins 30 %".
_CONDITION_LEFT_RE = re.compile(r"\b(?:if|unless|whether)\s+(?:\S+\s+){0,6}$", _I)
_POINTS_RIGHT_RE = re.compile(r"\s*(?:percentage\s+)?points?\b", _I)
_SHARE_WORD_RE = re.compile(r"\bshare\b", _I)
_CLAUSE_SPLIT_RE = re.compile(r"[,;:()]|\b(?:and|but|while|whereas)\b")
#: The context patterns of _is_nonclaim_context, as compiled and for lower-cased ASCII text.
_CONTEXT_RES = (_CHANGE_LEFT_RE, _PRIOR_LEFT_RE, _CHANGE_RIGHT_RE, _POINTS_RIGHT_RE, _RATE_LEFT_RE, _SHARE_WORD_RE,
                _TARGET_LEFT_RE, _HYPOTHETICAL_LEFT_RE, _CONDITION_LEFT_RE)
_CONTEXT_RES_ASCII = tuple(ascii_folded(rx) for rx in _CONTEXT_RES)


def _is_nonclaim_context(sentence: str, q: Quantity) -> str:
    """Why a quantity is not a share claim by its immediate context ("" if it may be one)."""
    left = sentence[: q.start]
    right = sentence[q.end:]
    if q.kind == "percent" or q.kind == "fraction":
        folded = sentence.isascii()  # then the patterns run on lower-cased text (see ascii_folded)
        change_left, prior_left, change_right, points_right, rate_left, share_word, target_left, hypothetical, \
            condition = _CONTEXT_RES_ASCII if folded else _CONTEXT_RES
        low_left = left.lower() if folded else left
        # both patterns end at $ and span at most 5 and 6 chunks ("increase of by a further",
        # "compared with the all-time low of"): searched from the start of the last 8
        tail = _tail_start(left, 8)
        if change_left.search(low_left, tail):
            return "change"
        if prior_left.search(low_left, tail):
            return "prior value"
        low_right = right.lower() if folded else right
        if change_right.match(low_right):
            return "change or rate"
        if points_right.match(low_right):
            return "points"
        clause = _CLAUSE_SPLIT_RE.split(left)[-1]  # case-sensitive: "And" does not split
        if folded:
            clause = clause.lower()
        window = " ".join(clause.split()[-6:])
        if rate_left.search(window) and not share_word.search(window):
            return "rate"
        if target_left.search(clause):
            return "target"
        if hypothetical.search(clause) or condition.search(clause):
            return "hypothetical"
    return ""


# --------------------------------------------------------------------------- claim finder


def _commodity(q: Quantity, whole_span: tuple[int, int], topic_matches: Sequence[Any],
               previous_topic: str | Callable[[], str], whole: str = "") -> str:
    """The commodity of a claim: the topic inside its whole; else the goods the whole names in words
    the lexicon lacks ("the world's jade" -> ``jade``); else the topic nearest the figure in the
    sentence; else, only when the whole names no goods at all ("of global refining"), the topic of
    the previous sentence(s) (``previous_topic``, or a function giving it)."""
    inside = [t for t in topic_matches if whole_span[0] <= t.start < max(whole_span[1], whole_span[0] + 1)]
    if inside:
        return inside[0].topic.name
    goods = named_goods(whole, _METRIC_ALTERNATION) if whole else ""
    if goods:
        return goods
    if topic_matches:
        nearest = min(topic_matches, key=lambda t: min(abs(t.start - q.end), abs(q.start - t.end)))
        return nearest.topic.name
    return previous_topic() if callable(previous_topic) else previous_topic


def _year(sentence: str, q: Quantity) -> str:
    years = list(_YEAR_RE.finditer(sentence))
    if not years:
        return ""
    best = min(years, key=lambda m: min(abs(m.start() - q.end), abs(q.start - m.end())))
    return best.group()


# --------------------------------------------------------------------------- pipeline extractor


def _place_before(sentence: str, holder: Holder, q: Quantity, candidates: Sequence[Holder]) -> str:
    """The country after "in" between the holder and the figure ("biggest seller in Portugal, with ...")."""
    for h in candidates:
        if holder.end <= h.start and h.end <= q.start and h.kind in ("mention", "name") \
                and h.actor_type in ("country", "bloc") and re.search(r"\bin\s+(?:the\s+)?$", sentence[:h.start], _I):
            return h.name
    return ""


def _buyer(sentence: str, q: Quantity, whole_span: tuple[int, int], candidates: Sequence[Holder],
           supplier: Holder) -> str:
    """Who buys what a supplier ships: "of Japan's copper supply", "imported by Ukraine", "that China buys"."""
    after = sentence[q.end:]
    for h in candidates:
        if h is supplier or h.start < q.end or h.kind == "pronoun":
            continue
        gap = sentence[q.end:h.start]
        if re.search(r"(?:\b(?:of|by)\s+(?:the\s+)?(?:\w+\s+){0,2}$|\b(?:imported|bought|purchased|consumed|used)\s+by\s+"
                     r"(?:the\s+)?$|\b(?:that|which)\s+$)", gap, _I) and len(gap) < 80:
            return h.name
        break
    del after
    return ""
