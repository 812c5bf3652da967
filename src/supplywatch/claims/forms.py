"""Claim forms beyond "holder verb N % of a whole": time reference, continuations, monopolies, suppliers.

Pure functions over a sentence, its quantities and its holder candidates; :mod:`supplywatch.claims.finder`
(the claim finder) calls them. Offsets are into the sentence.

* :func:`time_ref` -- ``current``, ``previous`` (the old figure of a change: "rose to 31 % from 26 %")
  or ``forecast`` ("is expected to slip to about 30 pct next year", "will account for").
* :func:`list_leader` -- the holder of a continuation: "followed by X with 14 %", "ahead of X (11 %)",
  "led by X with 11 %" (names after these prepositions are holders, unlike "in X").
* :func:`remainder_claims` -- "Y supplies the rest/remainder/balance": 100 minus the stated shares.
* :func:`monopoly_holder` -- "X, which monopolises ...", "... is monopolised by X", "gas monopoly X",
  "X, the state-controlled gas monopoly".
* :func:`supplier_subject` -- "Imports from X make up a third of Y's supply", "Supplies from X account for
  45 % of all gas imported by Y": holder X, scope Y.
* :func:`named_goods` -- the goods a whole names when the topic lexicon has none ("the world's jade").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_I = re.IGNORECASE

#: Words before a figure (between the holder and it) that make it a forecast.
_FORECAST_LEFT_RE = re.compile(
    r"\b(?:will(?!\s+now\b)|wo\s+n't|won't|shall|'ll|expected|expects?|expecting|forecasts?|forecasted|projected|projects|"
    r"predicted|predicts?|set\s+to|likely\s+to|poised\s+to|on\s+(?:course|track)\s+to|going\s+to|"
    r"post-merger|after\s+the\s+(?:merger|deal|purchase|acquisition|takeover))\b",
    _I,
)
#: A possibility or an aim is not a current share either ("could enable X to control", "plans to take"),
#: when in the figure's own clause: "They could not say how much ... but said at least 40 pct ...".
_POSSIBLE_LEFT_RE = re.compile(
    r"\b(?:would|could|might|(?:plans?|planning|aims?|aiming|intends?|hopes?|hoping|wants?|seeks?|seeking)\s+to)\b"
    r"(?![^,;:()]*(?:,|;|:|\(|\)|\b(?:and|but|while|whereas)\b))",
    _I,
)
#: Words after a figure that make it a forecast ("... 30 pct next year", "14 per cent by 2030").
_FORECAST_RIGHT_RE = re.compile(
    r"^[^.;:]{0,50}?\b(?:next\s+year|in\s+(?:the\s+)?coming\s+years|by\s+(?:the\s+)?(?:end\s+of\s+)?(?:next|19\d\d|20\d\d|"
    r"mid-?\s*(?:19|20)\d\d|the\s+mid)|after\s+the\s+(?:merger|deal|purchase|acquisition|takeover))\b",
    _I,
)
#: A sentence about the past: "Previously the ministry monopolised ...".
_PAST_START_RE = re.compile(r"\s*(?:previously|formerly|historically|in\s+the\s+past|until\s+(?:recently|then|\d{4}))\b", _I)
_LOSE_RE = re.compile(r"\b(?:lose|losing|give\s+up|relinquish|surrender|cede|retain|retaining|keep|keeping|"
                      r"maintain|maintaining)\b", _I)
#: A verb whose object is the holder of the figure after it: "set to enable EA to monopolise", "would
#: give Gazprom control of 8 %": the words before the verb (from the clause start) count too.
_CAUSATIVE_LEFT_RE = re.compile(
    r"\b(?:enabl\w*|allow\w*|let|lets|letting|help\w*|permit\w*|make|makes|making|leav\w*|giv\w*|see|sees|"
    r"seeing|caus\w*)\s+(?:the\s+|a\s+|an\s+)?$", _I)
#: Past markers: "used to control", "once held", "the former monopoly".
_PAST_LEFT_RE = re.compile(r"\b(?:used\s+to|once|former|formerly|erstwhile|previously\s+held|until\s+\w+\s+held)\s+(?:\w+\s+){0,3}$", _I)


def time_ref(sentence: str, q_start: int, q_end: int, holder_end: int = -1, *, prior: bool = False,
             holder_start: int = -1) -> str:
    """``current``, ``previous`` or ``forecast`` for the figure at ``[q_start, q_end)``.

    ``prior`` marks the old value of a change ("from 26 per cent", "against 9 pct a year earlier").
    Forecast words count between the holder (``holder_end``; the clause start when the holder is
    after the figure) and the figure, or within a few words after it; when the holder is the object
    of a verb such as enable/allow/give (``holder_start``), also from the start of its clause
    ("it is set to enable EA to monopolise ..."). Possibilities and aims (would, could, might,
    plans to, aims to) count as forecasts.

    Example:
        >>> s = "Korvan's share is expected to slip to about 30 pct next year."
        >>> time_ref(s, s.index("about"), s.index(" next"), 6)
        'forecast'
    """
    if prior:
        return "previous"
    left = sentence[:q_start]
    if _PAST_START_RE.match(sentence):
        return "previous"
    cut = max(left.rfind(";"), left.rfind(":"), holder_end if 0 <= holder_end <= q_start else -1)
    window = left[cut + 1:] if cut >= 0 else left
    if 0 < holder_start <= q_start and _CAUSATIVE_LEFT_RE.search(sentence, 0, holder_start):
        before = sentence[:holder_start]
        window = before[max(before.rfind(","), before.rfind(";"), before.rfind(":")) + 1:] + window
    if _PAST_LEFT_RE.search(window):
        return "previous"
    if _LOSE_RE.search(window):
        return "current"  # "will lose their monopoly": they hold it now
    if _FORECAST_LEFT_RE.search(window) or _POSSIBLE_LEFT_RE.search(window) \
            or _FORECAST_RIGHT_RE.match(sentence[q_end:]):
        return "forecast"
    return "current"


#: Prepositions after which a name holds the next figure: "followed by X with 14 %".
_LEADER_RE = re.compile(
    r"\b(?:followed|trailed|chased|led|headed|tracked)\s+(?:closely\s+)?by\s+(?:the\s+)?"
    r"(?:[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*\s?(?:'s|’s)\s+)?$|\b(?:ahead\s+of|behind|"
    r"before|then|next\s+(?:came|comes|is|was))\s+(?:the\s+)?$",
    _I,
)


def list_leader(sentence: str, q_start: int, candidates: Sequence[Any]) -> Any | None:
    """The holder named right before a figure in a continuation, or None.

    "..., followed by Ionex with 14 per cent", "ahead of Tevia (11 per cent)", "led by Lukoil with
    11% of the market": the name after followed by/led by/ahead of, when only "with", "at", "on" or an
    opening parenthesis separate it from the figure.
    """
    for h in reversed(candidates):
        if h.end > q_start or h.kind == "pronoun":
            continue
        gap = sentence[h.end:q_start]
        if not re.fullmatch(r"(?:['’]s)?\s*(?:,\s*)?(?:\(\s*|(?:with|at|on|holding|having)\s+(?:[^,;()]{0,60}?\s+"
                            r"(?:for|at|with|of)\s+)?(?:an?\s+|its\s+)?)", gap, _I):
            return None
        if _LEADER_RE.search(sentence[:h.start]) or re.search(r"\(\s*$", gap):
            return h
        return None
    return None


_REMAINDER_RE = re.compile(
    r"\b(?:supplies|supplied|supply|accounts?\s+for|accounted\s+for|holds?|held|has|had|have|makes?\s+up|made\s+up|"
    r"provides?|provided|produces?|produced|controls?|controlled|takes?|took|shares?|shared|mines?|mined|refines?|"
    r"refined|exports?|exported|ships?|shipped|gets?|got)\s+(?:most\s+of\s+|much\s+of\s+|nearly\s+all\s+of\s+)?"
    r"(?P<rest>(?:the|all\s+the|all\s+of\s+the)\s+(?:rest|remainder|balance|remaining\s+(?:share|volume|output)))\b",
    _I,
)


def remainder_spans(sentence: str) -> list[tuple[int, int, int]]:
    """``(verb_start, start, end)`` of "supplies the rest/remainder/balance" phrases; start/end span "the rest"."""
    if not re.search(r"\b(?:rest|remainder|balance|remaining)\b", sentence, _I):
        return []
    return [(m.start(), m.start("rest"), m.end("rest")) for m in _REMAINDER_RE.finditer(sentence)]


def remainder_share(stated: Sequence[float | None]) -> float | None:
    """100 minus the shares stated before (None when one is unknown or they reach 100)."""
    if not stated or any(s is None for s in stated):
        return None
    rest = round(100.0 - sum(stated), 2)  # type: ignore[arg-type]
    return rest if 0 < rest < 100 else None


#: "monopoly" as a noun before or after a name: "gas monopoly Gazprom", "Gazprom, the gas monopoly,".
_MONOPOLY_NOUN_AFTER_RE = re.compile(r"^(?:[\s-]+[a-z][\w-]*){0,2}\s+(?:(?:company|firm|group|operator|producer|"
                                     r"supplier|utility|carrier|distributor)\s+)?[<(]?$")


def monopoly_holder(sentence: str, q: Any, candidates: Sequence[Any]) -> tuple[Any | None, str]:
    """The holder of a monopoly phrase and the form (``verb``, ``passive``, ``noun``), or (None, "").

    * "X, which monopolises nickel smelting": the antecedent of the relative clause, or the subject;
    * "... is monopolised by X": the name after "by";
    * "gas monopoly X", "the monopoly salt producer X": the name right after;
    * "X, the (state-controlled) gas monopoly(,)" and "X is the monopoly supplier": the name before.
    """
    text = q.text.lower()
    named = [h for h in candidates if h.kind != "pronoun"]
    if text.startswith("monopoli"):
        if re.match(r"\s+by\s+(?:the\s+)?", sentence[q.end:], _I):
            at = q.end + re.match(r"\s+by\s+(?:the\s+)?", sentence[q.end:], _I).end()
            after = [h for h in named if h.start == at]
            return (after[0], "passive") if after else (None, "")
        if re.search(r"\b(?:is|are|was|were|been|being)\s+$", sentence[:q.start], _I):
            return None, ""
        rel = re.search(r"(?P<name>)\s*,\s*(?:which|who|that)\s+(?:\w+\s+){0,2}$", sentence[:q.start], _I)
        if rel:
            before = [h for h in named if 0 <= rel.start() - h.end <= 1]
            return (before[-1], "verb") if before else (None, "")
        before = [h for h in named if h.end <= q.start]
        return (before[-1], "verb") if before else (None, "")
    if re.match(r"[A-Z]", q.text) and re.match(r"\s+[A-Z]", sentence[q.end:]):
        return None, ""  # "the State Tobacco Monopoly Administration": part of a name
    # noun: a name right after "monopoly" (at most a modifier noun and a head noun between)
    for h in named:
        if h.start >= q.end and _MONOPOLY_NOUN_AFTER_RE.match(sentence[q.end:h.start]) is not None:
            return h, "noun"
        if h.start >= q.end:
            break
    # appositive: "X, the state-controlled gas monopoly" / "X is the country's monopoly supplier"
    left = sentence[:q.start]
    app = re.search(r"(?:,\s*|\s+(?:is|was|remains|became)\s+)(?:the\s+|a\s+|an\s+|its\s+|[A-Z][\w.-]*(?:'s|’s)\s+)?"
                    r"(?:[\w-]+\s+){0,4}$", left, _I)
    if app:
        before = [h for h in named if 0 <= app.start() - h.end <= 1]
        if before:
            return before[-1], "noun"
    # "the state would retain its monopoly on cigarette distribution": "its" -> the subject
    return None, ""


_CARRIER_RE = re.compile(
    r"\b(?P<what>imports?|shipments?|supplies|deliveries|purchases|cargoes|sales|exports?|flows?|arrivals|"
    r"volumes?|goods|products|oil|gas|crude|coal|grain|beef|wheat)\s+(?:\w+\s+)?from\s+(?:the\s+)?$",
    _I,
)
_CARRIER_HEAD_RE = re.compile(r"^\s*(?:vessels|ships|tankers|cargoes|shipments|deliveries|goods)\b", _I)


def supplier_subject(sentence: str, candidates: Sequence[Any]) -> Any | None:
    """The supplier named in a subject "imports from X" / "supplies from X" / "X vessels", or None."""
    for h in candidates:
        if h.kind == "pronoun" or h.actor_type in ("person", "media", "agency"):
            continue
        if _CARRIER_RE.search(sentence[:h.start]):
            return h
        if _CARRIER_HEAD_RE.match(sentence[h.end:]) and not re.search(
                r"\b(?:of|to|from|in|by|for|with|at|on)\s+(?:the\s+)?$", sentence[:h.start], _I):
            return h  # "Norland vessels delivered about a quarter of Southland's coal imports"
    return None


_GOODS_DROP_RE = re.compile(
    r"^(?:(?:the|a|an|all|of|world(?:'s|’s)?|global|worldwide|international|total|overall|combined|entire|whole|"
    r"annual|yearly|known|current|domestic|local|national|regional|european|asian|american|[A-Z][\w.-]*(?:'s|’s|')|"
    r"its|their|that|this|these|those|\w+(?:'s|’s)|seaborne|mined|refined|(?-i:[A-Z][a-z]+(?:an|ish|ese|ch|ic|i))|"
    r"primary|raw|finished|public|private|commercial|retail|wholesale|state(?:-[\w-]+)?|government(?:-[\w-]+)?|"
    r"near|virtual|effective|de\s+facto|former)\s+)+",
    _I,
)


def named_goods(whole: str, metric_words: str) -> str:
    """The goods a market whole names in lower-case words, e.g. ``jade`` in "the world's jade".

    The goods are a noun phrase of one or two words: modifiers of a market or metric noun ("Brazil's
    beer market", "the digital TV market": an acronym in it is kept) or the head of the whole ("the
    world's jade", "all Dutch cheese"), never a verb ("the audience fell") or a modifier whose head is
    a name ("the Xbox market" gives nothing).

    Returns "" when the whole names only a metric or a market ("global refining", "the market").
    """
    w = _GOODS_DROP_RE.sub("", whole.strip())
    stop_re = re.compile(rf"\b(?:(?P<metric>{metric_words}|market|markets|share|output|total|sector|industry|business|"
                         r"trade|supply|supplies|demand|exports?|imports?|production|reserves|resources|capacity|sales|"
                         r"distribution|retailing|marketing|landscape|segment|space|arena)|"
                         r"(?P<acronym>[A-Z][A-Z0-9]{1,4}s?)|in|by|from|that|which|[A-Z][\w-]*|\d[\d,.]*)\b")
    pos, stop = 0, None
    while True:
        stop = stop_re.search(w, pos)
        if stop is None or not stop.group("acronym") or not w[:stop.start()].strip():
            break
        pos = stop.end()  # "digital TV": an acronym after lower-case words is part of the goods
    head = stop is None or not stop.group("metric")  # the goods end the phrase: they are its head
    w = (w[:stop.start()] if stop is not None else w).strip(" -,'’")
    words = w.split()
    if not words or len(words) > 2 or not re.fullmatch(r"[a-z][a-z-]+", words[0]) \
            or not all(re.fullmatch(r"[a-z][a-z-]+|[A-Z][A-Z0-9]{1,4}s?", x) for x in words) \
            or _NOT_GOODS_RE.search(w) or (head and _VERB_FORM_RE.fullmatch(words[-1])):
        return ""
    return w


def monopoly_goods(sentence: str, q_start: int, metric_words: str) -> str:
    """The goods of a monopoly noun named right before it: "Russian gas monopoly Gazprom" -> ``gas``,
    "the state salt monopoly" -> ``salt`` ("" when none; ``q_start`` is where "monopoly" starts)."""
    if not re.match(r"monopol", sentence[q_start:q_start + 7], _I):
        return ""  # "holds a monopoly", "its monopoly": a determiner, no goods before it
    m = re.search(r"(?:^|\b(?:the|a|an|of|by|for|with|and|to|in|on|as|its|their|his|her)\s+|['’]s?\s+|"
                  r"\b[A-Z][\w-]*\s+|[,;:(]\s*)((?:(?!(?:the|a|an|of|by|for|with|and|to|in|on|as|its|their|his|her)\s)"
                  r"[a-z][\w-]*\s+){1,3})$", sentence[:q_start])
    if m is None or any(_VERB_FORM_RE.fullmatch(w) or w.endswith("s") and "-" not in w for w in m.group(1).split()[:-1]) \
            or _VERB_FORM_RE.fullmatch(m.group(1).split()[-1]):
        return ""  # "Gazprom retained effective monopoly": a verb, no goods
    return named_goods(m.group(1), metric_words)


#: A verb where a noun should end the goods: "the audience fell", "the audience soared".
_VERB_FORM_RE = re.compile(
    r"[a-z]+ed|fell|rose|grew|sank|shrank|slid|stood|fall|falls|rises?|grows?|stands|remains|soars|jumps|climbs|"
    r"drops|dips|slips|hits?|reach(?:es)?|is|are|was|were|has|had|have|will|would|could|can|may|might")


#: Words that are no goods: times, people, money, parts of a total.
_NOT_GOODS_RE = re.compile(
    r"\b(?:years?|months?|weeks?|days?|quarters?|time|couple|period|rest|remainder|balance|people|employees|workers|"
    r"members|customers|clients|users|subscribers|households|money|funds|cash|profits?|revenues?|income|earnings|"
    r"graduates|students|women|men|children|adults|voters|economy|gdp|population|workforce|staff|jobs|"
    r"turnover|costs?|debt|loans?|deposits?|assets|shares|stock|votes?|seats|respondents|total|figure|amount|"
    r"number|volume|increase|rise|fall|drop|growth|decline|this|that|these|those|it|them|audiences?|viewers|viewing|"
    r"listeners|listening|readers|readership|visitors|traffic|attention|public|"
    r"with|to|for|of|on|at|as|and|or|than|into|against|over|under)\b", _I)  # function words: no noun phrase
