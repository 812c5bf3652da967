"""Share quantities as news writes them: ``61 per cent``, ``about two-thirds``, ``60-70%``, ``a monopoly``.

This is the number layer of the market-share extractor (:mod:`supplywatch.claims.finder`): it finds every
phrase that *could* state a share and normalises it to a percent value, bounds and a qualifier. It
does not decide whether the phrase is a market-share claim; that needs the sentence around it.

Forms read (all regexes are compiled once, at import, without touching any file):

* numbers with a percent unit: ``61%``, ``61 %``, ``61.5 %``, ``61 per cent``, ``61 percent``,
  ``61 pct``, ``61pc``, ``11.09-per-cent``, ``sixty per cent``, ``forty-five percent``;
* ranges: ``60-70 per cent``, ``60%-70%``, ``60 to 70 percent``, ``between 60 and 70 percent``
  (``from 60 to 70 per cent`` is read as a change and gives 70);
* hedges before them: about/around/roughly/approximately/some/an estimated (``about``),
  nearly/almost/close to/just under (``nearly``), more than/over/above/in excess of (``more_than``),
  at least/no less than (``at_least``), up to/as much as/at most (``up_to``), less than/under/below
  (``less_than``);
* words: half, a third, two-thirds, a quarter, three-quarters, a fifth ... a tenth,
  ``nine out of ten``, ``four in five``;
* ``the majority``/``the bulk``/``most``/``the lion's share`` (qualifier ``majority``: 50-100),
  ``nearly all``/``almost all``/``virtually all`` (``nearly`` 100);
* ``monopoly``, ``near-monopoly``, ``virtual monopoly`` (qualifier ``monopoly``: 100).

Example:
    >>> [(q.value, q.qualifier) for q in find_quantities("nearly 61 per cent and two-thirds")]
    [(61.0, 'nearly'), (66.7, 'exact')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from supplywatch.claims.patterns import ascii_folded

#: The qualifiers a share can carry (the ``qualifier`` column of claims.csv).
QUALIFIERS = (
    "exact", "about", "nearly", "more_than", "less_than", "at_least", "up_to", "range", "monopoly", "majority",
    "derived", "remainder",
)


@dataclass(frozen=True)
class Quantity:
    """One share phrase: its span in the text, the percent value, bounds and qualifier.

    ``value`` is the point value in percent (the midpoint for a range, ``None`` for ``the
    majority``); ``low``/``high`` are the bounds the wording states (``None`` where it states none);
    ``kind`` is ``percent``, ``fraction``, ``majority`` or ``monopoly``; ``text[start:end]`` is the
    whole phrase including its hedge.

    Example:
        >>> q = find_quantities("at least 40%")[0]
        >>> (q.start, q.end, q.value, q.low, q.high, q.qualifier)
        (0, 12, 40.0, 40.0, None, 'at_least')
    """

    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    kind: str
    text: str
    part: str = ""
    whole: str = ""


_UNITS_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
    "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
    "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}

_WORD_NUM = (
    r"(?:(?:" + "|".join(_TENS_WORDS) + r")(?:[-\s](?:" + "|".join(list(_UNITS_WORDS)[:9]) + r"))?"
    r"|" + "|".join(sorted(_UNITS_WORDS, key=len, reverse=True)) + r"|one\s+hundred|a\s+hundred|hundred)"
)
#: Unicode vulgar fractions, alone ("⅔ of") or after digits ("61½ per cent").
VULGAR_FRACTIONS = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅖": 0.4, "⅗": 0.6, "⅘": 0.8,
                    "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875, "⅒": 0.1}
_VULGAR = "".join(VULGAR_FRACTIONS)
# digits, an optional decimal point or decimal comma ("61,5 %": one or two digits, so "1,500" is not
# read), or a vulgar fraction tail ("61½")
_NUM = rf"(?<![\w.,])\d{{1,3}}(?:\.\d+|,\d{{1,2}}(?!\d)|[{_VULGAR}])?(?![\d,])"
_UNIT = r"(?:\s?-?\s?(?:[%％]|per\s?-?\s?cent\b|percent\b|pct\b\.?|p\.\s?c\.|pc\b)|\s?[%％])"
_ANYNUM = rf"(?:{_NUM}|\b{_WORD_NUM}\b)"
_DASH = r"\s?(?:-|–|—|to)\s?"

#: Hedge words before a number (longest first) and the qualifier each gives.
HEDGES: dict[str, str] = {
    "just under": "nearly", "just below": "nearly", "just shy of": "nearly", "close to": "nearly",
    "just short of": "nearly", "short of": "nearly", "shy of": "nearly", "a little under": "nearly",
    "a little less than": "nearly", "slightly below": "nearly", "not far short of": "nearly",
    "comfortably over": "more_than", "a little above": "more_than", "a shade over": "more_than",
    "fully": "exact",
    "nearly": "nearly", "almost": "nearly", "approaching": "nearly", "not quite": "nearly",
    "more than": "more_than", "over": "more_than", "above": "more_than", "in excess of": "more_than",
    "upwards of": "more_than", "just over": "more_than", "just above": "more_than",
    "slightly more than": "more_than", "slightly over": "more_than", "well over": "more_than",
    "well above": "more_than", "a little over": "more_than", "a little more than": "more_than",
    "north of": "more_than", "greater than": "more_than", "higher than": "more_than", ">": "more_than",
    "at least": "at_least", "no less than": "at_least", "not less than": "at_least", "no fewer than": "at_least",
    "a minimum of": "at_least",
    "up to": "up_to", "as much as": "up_to", "as high as": "up_to", "as many as": "up_to",
    "at most": "up_to", "no more than": "up_to", "not more than": "up_to", "a maximum of": "up_to",
    "less than": "less_than", "fewer than": "less_than", "under": "less_than", "below": "less_than",
    "slightly less than": "less_than", "slightly under": "less_than", "lower than": "less_than",
    "<": "less_than",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about", "approx.": "about",
    "approx": "about", "some": "about", "an estimated": "about", "estimated": "about", "circa": "about",
    "an approximate": "about", "~": "about", "≈": "about", "ca.": "about",
}
_HEDGE_RE = "|".join(
    re.escape(h).replace(r"\ ", r"\s+") for h in sorted(HEDGES, key=len, reverse=True)
)
_HEDGE_BEFORE_RE = re.compile(rf"(?<![\w])(?P<hedge>{_HEDGE_RE})\s*$", re.IGNORECASE)
_HEDGE_BEFORE_ASCII_RE = ascii_folded(_HEDGE_BEFORE_RE)
_HEDGE_REACH = max(map(len, HEDGES)) + 12  # how far back a hedge may start (its length plus spaces)


class _Hedged:
    """A figure's match extended back over the hedge before it; quacks like the ``re.Match`` it wraps."""

    __slots__ = ("_m", "_hedge")

    def __init__(self, m: re.Match[str], hedge: re.Match[str] | None) -> None:
        self._m = m
        self._hedge = hedge

    def group(self, name: str) -> str | None:
        if name == "hedge":
            return self._hedge.group("hedge") if self._hedge else None
        return self._m.group(name)

    def start(self, name: str | None = None) -> int:
        if name is None:
            return self._hedge.start() if self._hedge else self._m.start()
        return self._m.start(name)

    def end(self, name: str | None = None) -> int:
        return self._m.end() if name is None else self._m.end(name)


def _with_hedge(text: str, m: re.Match[str], low: str | None = None) -> _Hedged:
    """Extend a figure's match back over a hedge word that ends right before it (``low``: the
    lower-cased text, given when the text is ASCII; the hedge is read lower-cased anyway)."""
    start = m.start()
    if not start:
        return _Hedged(m, None)
    if low is not None:
        return _Hedged(m, _HEDGE_BEFORE_ASCII_RE.search(low, max(0, start - _HEDGE_REACH), start))
    return _Hedged(m, _HEDGE_BEFORE_RE.search(text, max(0, start - _HEDGE_REACH), start))

# The share patterns match the figure itself; a hedge before it ("about", "more than") is found by
# looking back from the figure (see _with_hedge). Putting the optional hedge alternation first in the
# pattern would make the regex engine try every hedge at every character of every sentence.
_PERCENT_RE = re.compile(
    r"(?:"
    + rf"(?P<between>\bbetween\s+(?P<b1>{_ANYNUM}){_UNIT}?\s+and\s+(?P<b2>{_ANYNUM}){_UNIT})"
    + rf"|(?P<range>(?P<r1>{_NUM}){_UNIT}?{_DASH}(?P<r2>{_NUM}){_UNIT})"
    + rf"|(?P<single>(?P<n>{_ANYNUM}){_UNIT})"
    + r")",
    re.IGNORECASE,
)

_FRACTION_RE = re.compile(
    r"(?P<frac>"
    + r"(?P<num>\b(?:a|an|one|two|three|four|five|six|seven|eight|nine)\b)[\s-]+"
    + r"(?P<den>" + "|".join(sorted(_DENOMINATORS, key=len, reverse=True)) + r")\b"
    + r"|\b(?P<half>half)\b"
    + rf"|(?<![\d.,])(?P<vulgar>[{_VULGAR}])(?=\s+of\b)"
    + rf"|(?P<k>\b(?:{'|'.join(list(_UNITS_WORDS)[:10])}|\d{{1,2}}))\s+(?:out\s+of|in)\s+"
    + rf"(?P<of>(?:ten|five|four|three|two|twenty|hundred|a\s+hundred|\d{{1,3}}))\b(?!\s*(?:%|per|pct))"
    + r")",
    re.IGNORECASE,
)

_MAJORITY_RE = re.compile(
    r"(?<![\w-])(?P<phrase>(?:the\s+|a\s+)?(?:vast\s+|overwhelming\s+|large\s+|clear\s+)?majority"
    r"|(?:the\s+)?(?:vast\s+)?bulk"
    r"|the\s+lion(?:'|’)?s\s+share"
    r"|(?P<all>(?:nearly|almost|virtually|practically|essentially)\s+all)"
    r"|(?<!\bthe\s)most(?=\s+of\b))\b",  # not "make the most of"
    re.IGNORECASE,
)

_MONOPOLY_RE = re.compile(
    r"(?<![\w-])(?P<phrase>(?P<verb>monopoli[sz](?:es|ed|e|ing))"
    r"|(?:(?:a|an|the|its)\s+)?(?:(?:near|virtual|quasi|de\s+facto|effective|effectual|"
    r"total|complete|absolute)[\s-]+)?monopol(?:y|ies))\b(?![\s-]*(?:law|laws|commission|regulator|watchdog|"
    r"probe|investigation|case|charges|rules|act)\b)",
    re.IGNORECASE,
)
#: Cheap necessary conditions, checked on the lower-cased text with plain substring tests before
#: each pattern runs: a sentence without "%", "cent" or "pct" holds no percent figure, and so on.
#: Python's regex engine is slow on long case-insensitive alternations; most sentences hold no share
#: phrase at all, so this keeps the share patterns off them.
_PERCENT_HINTS = ("%", "％", "cent", "pct", "pc", "p.c.")
_FRACTION_HINTS = tuple(_DENOMINATORS) + ("half",)  # and a vulgar fraction (checked only in non-ASCII text)
_K_OF_N_HINT_RE = re.compile(r"\s(?:out\s+of|in)\s+(?:ten|five|four|three|two|twenty|hundred|a\s+hundred|\d)")
_MAJORITY_HINTS = ("majority", "bulk", "lion", "all", "most")


_HINT_RES: dict[tuple[str, ...], re.Pattern] = {}


def _has(low: str, hints: tuple[str, ...]) -> bool:
    """Whether any hint is a substring of ``low``: one compiled alternation per hint tuple, a single
    pass in C (the same answer as ``any(h in low for h in hints)``, without a generator per sentence)."""
    pattern = _HINT_RES.get(hints)
    if pattern is None:
        pattern = _HINT_RES[hints] = re.compile("|".join(re.escape(h) for h in hints))
    return pattern.search(low) is not None


_VULGAR_RE = re.compile(f"[{_VULGAR}]")

# Sharper necessary conditions for ASCII text, used there instead of the hints above (in ASCII text a
# case-insensitive match is a case-sensitive match of the lower-cased pattern in the lower-cased text,
# offset for offset). Each holds wherever the pattern it guards matches, so skipping that pattern
# when one fails never changes what is found.
#: every match of _PERCENT_RE starts at a digit or at a word boundary before a number word or "between"
_PERCENT_START_RE = re.compile(
    r"\d|\b(?=between|" + "|".join(sorted([*_TENS_WORDS, *_UNITS_WORDS], key=len, reverse=True))
    + r"|a\s+hundred|hundred)"
)
#: "<a/an/one..nine>[ -]<denominator>" (_FRACTION_RE's first form)
_NUMERATOR_DEN_RE = re.compile(
    r"\b(?:an?|one|two|three|four|five|six|seven|eight|nine)[\s-]+(?:"
    + "|".join(sorted(_DENOMINATORS, key=len, reverse=True)) + r")\b"
)
#: "<k> out of/in <n>" (_FRACTION_RE's last form; k ends in a digit or in the last letter of one..ten)
_K_OF_N_STRICT_RE = re.compile(
    r"[\deortxn]\s+(?:out\s+of|in)\s+(?:ten|five|four|three|two|twenty|hundred|a\s+hundred|\d)"
)
#: _K_OF_N_HINT_RE as two patterns led by a literal ("in", "out"), which the engine finds by a fast scan
_N_OF = r"\s+(?:ten|five|four|three|two|twenty|hundred|a\s+hundred|\d)"
_K_IN_N_HINT_RE = re.compile(r"in(?<=\sin)" + _N_OF)
_K_OUT_OF_N_HINT_RE = re.compile(r"out(?<=\sout)\s+of" + _N_OF)
#: the phrases of _MAJORITY_RE
_MAJORITY_ALL_RE = re.compile(r"(?:nearly|almost|virtually|practically|essentially)\s+all")
_MOST_OF_RE = re.compile(r"most\s+of")


def _fraction_possible(text: str, low: str) -> bool:
    """A necessary condition for a match of :data:`_FRACTION_RE` in ``text`` (``low`` lower-cased)."""
    if not text.isascii():
        return _has(low, _FRACTION_HINTS) or bool(_K_OF_N_HINT_RE.search(low)) or (
            not low.isascii() and _VULGAR_RE.search(low) is not None)
    if "half" in low:
        return True
    # a denominator (plurals contain their singular; "halves" contains "halv"), spelt out: faster than any()
    if ("third" in low or "quarter" in low or "fourth" in low or "fifth" in low or "sixth" in low
            or "seventh" in low or "eighth" in low or "ninth" in low or "tenth" in low or "halv" in low) \
            and _NUMERATOR_DEN_RE.search(low) is not None:
        return True
    return (_K_IN_N_HINT_RE.search(low) is not None or _K_OUT_OF_N_HINT_RE.search(low) is not None) \
        and _K_OF_N_STRICT_RE.search(low) is not None


def _majority_possible(text: str, low: str) -> bool:
    """A necessary condition for a match of :data:`_MAJORITY_RE` in ``text`` (``low`` lower-cased)."""
    if not text.isascii():
        return _has(low, _MAJORITY_HINTS)
    return ("majority" in low or "bulk" in low or "lion" in low
            or ("all" in low and _MAJORITY_ALL_RE.search(low) is not None)
            or ("most" in low and _MOST_OF_RE.search(low) is not None))


#: The share patterns for lower-cased ASCII text (see patterns.ascii_folded): same offsets, and every
#: group the readers below use is lower-cased by them anyway.
_PERCENT_ASCII_RE, _FRACTION_ASCII_RE, _MAJORITY_ASCII_RE, _MONOPOLY_ASCII_RE = (
    ascii_folded(rx) for rx in (_PERCENT_RE, _FRACTION_RE, _MAJORITY_RE, _MONOPOLY_RE))


def _percent_matches(text: str, low: str):
    """The matches of :data:`_PERCENT_RE` in ``text``, as ``finditer`` gives them: in ASCII text the
    pattern is tried (on ``low``) only where a match can start (:data:`_PERCENT_START_RE`), the
    leftmost success after the previous match's end being ``finditer``'s next match (no match is empty)."""
    if not text.isascii():
        yield from _PERCENT_RE.finditer(text)
        return
    end = 0
    for c in _PERCENT_START_RE.finditer(low):
        pos = c.start()
        if pos < end:
            continue
        m = _PERCENT_ASCII_RE.match(low, pos)
        if m is not None:
            end = m.end()
            yield m


_ANTI_MONOPOLY_RE = re.compile(r"anti[\s-]*$|break(?:ing|s)?\s+(?:up\s+)?$", re.IGNORECASE)
_ORDINAL_BEFORE_RE = re.compile(
    r"(?:first|second|third|fourth|last|final|latest|same|previous|fiscal|financial|calendar|"
    r"current|next|coming|past|\d(?:st|nd|rd|th))[\s-]*$",
    re.IGNORECASE,
)


_SPACES_RE = re.compile(r"\s+")
_DECIMAL_COMMA_RE = re.compile(r"\d{1,3},\d{1,2}")
_WORD_SPLIT_RE = re.compile(r"[-\s]")


def word_number(text: str) -> float | None:
    """The value of a number written in digits or English words (``forty-five`` -> 45.0).

    Example:
        >>> word_number("forty-five"), word_number("12.5"), word_number("lots")
        (45.0, 12.5, None)
    """
    t = _SPACES_RE.sub(" ", text.strip().lower())
    tail = 0.0
    if t[-1:] in VULGAR_FRACTIONS:
        tail, t = VULGAR_FRACTIONS[t[-1]], t[:-1]
        if not t:
            return None
    if _DECIMAL_COMMA_RE.fullmatch(t):  # decimal comma: "61,5"
        t = t.replace(",", ".")
    try:
        return float(t) + tail
    except ValueError:
        pass
    if t in ("hundred", "one hundred", "a hundred"):
        return 100.0
    if t in _UNITS_WORDS:
        return float(_UNITS_WORDS[t])
    parts = _WORD_SPLIT_RE.split(t)
    if parts and parts[0] in _TENS_WORDS:
        if len(parts) == 1:
            return float(_TENS_WORDS[parts[0]])
        if len(parts) == 2 and parts[1] in _UNITS_WORDS and _UNITS_WORDS[parts[1]] < 10:
            return float(_TENS_WORDS[parts[0]] + _UNITS_WORDS[parts[1]])
    return None


def _bounds(value: float, qualifier: str) -> tuple[float | None, float | None]:
    if qualifier in ("exact", "about"):
        return value, value
    if qualifier in ("more_than", "at_least"):
        return value, None
    if qualifier in ("nearly", "less_than", "up_to"):
        return None, value
    return value, value


def _hedged(text: str, m: _Hedged, value: float, kind: str) -> Quantity:
    hedge = m.group("hedge")
    qualifier = HEDGES.get(_SPACES_RE.sub(" ", hedge.lower()), "about") if hedge else "exact"
    if kind == "fraction":
        value = round(value, 1)
    low, high = _bounds(value, qualifier)
    return Quantity(m.start(), m.end(), value, low, high, qualifier, kind, text[m.start():m.end()])


def _percent(text: str, m: _Hedged) -> Quantity | None:
    if m.group("between"):
        lo, hi = word_number(m.group("b1")), word_number(m.group("b2"))
        if lo is None or hi is None or lo > hi or hi > 100:
            return None
        return Quantity(m.start(), m.end(), round((lo + hi) / 2, 2), lo, hi, "range", "percent",
                        text[m.start():m.end()])
    if m.group("range"):
        lo, hi = word_number(m.group("r1")), word_number(m.group("r2"))
        if lo is None or hi is None:
            return None
        dash = text[m.end("r1"):m.start("r2")]
        first_has_unit = bool(re.search(r"%|per|pc", dash, re.IGNORECASE))
        if re.search(r"\bto\b", dash) and (
            first_has_unit or re.search(r"\b(?:from|by)\s+$", text[: m.start("r1")], re.IGNORECASE)
        ):
            # "from 60 to 70 per cent", "by 2.2 % to 24.2 %": a change; the share is the second figure
            v = hi
            if v > 100:
                return None
            return Quantity(m.start("r2"), m.end(), v, v, v, "exact", "percent", text[m.start("r2"):m.end()])
        if lo >= hi or hi > 100:
            return None
        return Quantity(m.start(), m.end(), round((lo + hi) / 2, 2), lo, hi, "range", "percent",
                        text[m.start():m.end()])
    value = word_number(m.group("n"))
    if value is None or value > 100:
        return None
    return _hedged(text, m, value, "percent")


#: The unit written after the first figure of "from 11.2% to 9.6%".
_PRIOR_UNIT_RE = re.compile(r"\s?(?:%|％|per\s?cent|percent|pct|pc)\b|\s?(?:%|％)", re.IGNORECASE)


def _fraction(text: str, m: _Hedged) -> Quantity | None:
    if re.match(r"\s+(?:of\s+)?an?\s+(?:million|billion|trillion|thousand|century|mile|kilo|percentage|point)",
                text[m.end():], re.I):
        return None  # "a quarter of a million", "half a point"
    if m.group("vulgar"):
        return _hedged(text, m, 100.0 * VULGAR_FRACTIONS[m.group("vulgar")], "fraction")
    if m.group("half"):
        if _ORDINAL_BEFORE_RE.search(text[: m.start("half")]) or re.match(
            r"[\s-]*(?:year|yearly|time|hour|day|dozen|way|point|century|decade)", text[m.end():], re.I
        ):
            return None
        value = 50.0
    elif m.group("den"):
        before = text[: m.start("frac")]
        if _ORDINAL_BEFORE_RE.search(before) or re.match(r"\s*(?:of\s+)?(?:19|20)\d\d", text[m.end():]):
            return None
        num_word = m.group("num").lower()
        num = 1 if num_word in ("a", "an", "one") else _UNITS_WORDS[num_word]
        den = _DENOMINATORS[m.group("den").lower()]
        if num >= den or (m.group("den").lower().endswith("s") and num == 1):
            return None
        if m.group("den").lower() in ("quarter", "quarters") and not re.match(r"\s+of\b", text[m.end():]):
            return None  # "a quarter" alone is mostly a period of three months
        value = 100.0 * num / den
    else:
        k = word_number(m.group("k"))
        of = word_number(re.sub(r"^a\s+", "", m.group("of").lower()))
        if k is None or of is None or of == 0 or k > of:
            return None
        value = 100.0 * k / of
    return _hedged(text, m, value, "fraction")


#: An amount with a unit, as USGS and wire copy write production figures: "270,000 tonnes",
#: "2.6 million tonnes", "1.2 mln bpd", "97 million tons".
_AMOUNT = (
    r"(?<![\w.,])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?:\s?(?:million|billion|thousand|mln|bln|bn|m|k))?"
    r"\s?(?:metric\s+)?(?:tonnes|tons|tonne|ton|t|mt|barrels|bbl|bpd|barrels\s+per\s+day|bags|ounces|oz|carats|"
    r"units|vehicles|cars|kilograms|kg|kilos|pounds|lbs|cubic\s+(?:metres|meters|feet)|mw|gw|gigawatts|megawatts|"
    r"bales|bushels|litres|liters|hectolitres)\b"
)
_DERIVED_RE = re.compile(
    rf"(?P<part>{_AMOUNT})(?:\s+of\s+(?:\w+[\s-]){{0,2}}?\w+)?\s+"
    r"(?:of|out\s+of)\s+(?:(?:the|a|an)\s+)?"
    r"(?:world(?:'s|’s)?|global|worldwide|total|world\s+total|global\s+total|planet(?:'s|’s)?)"
    r"(?:\s+(?:total|output|production|supply|mine\s+production|mined\s+production|reserves|capacity|exports|imports|"
    r"consumption|demand))?(?:\s+of)?\s+(?:some\s+|about\s+|around\s+|roughly\s+)?"
    rf"(?P<whole>{_AMOUNT})",
    re.IGNORECASE,
)
#: Cheap necessary condition for :data:`_DERIVED_RE`: "of/out of (the/a) world/global/total".
_DERIVED_HINT_RE = re.compile(r"\bof\s+(?:(?:the|a|an)\s+)?(?:world|global|worldwide|total|planet)", re.IGNORECASE)
_AMOUNT_VALUE_RE = re.compile(r"(\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s?(million|billion|thousand|mln|bln|bn|m|k)?", re.I)
_SCALE = {"million": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bln": 1e9, "bn": 1e9, "thousand": 1e3, "k": 1e3}
_UNIT_FAMILY = {"tonnes": "t", "tons": "t", "tonne": "t", "ton": "t", "t": "t", "mt": "t", "barrels": "bbl", "bbl": "bbl",
                "kilograms": "kg", "kg": "kg", "kilos": "kg", "pounds": "lb", "lbs": "lb", "ounces": "oz", "oz": "oz",
                "liters": "l", "litres": "l", "megawatts": "mw", "mw": "mw", "gigawatts": "gw", "gw": "gw",
                "cars": "units", "vehicles": "units", "units": "units"}


def _amount(text: str) -> tuple[float, str] | None:
    m = _AMOUNT_VALUE_RE.match(text)
    if not m:
        return None
    value = float(m.group(1).replace(",", "")) * _SCALE.get((m.group(2) or "").lower(), 1.0)
    unit = text[m.end():].strip().lower().split()
    unit = [u for u in unit if u != "metric"]
    word = unit[0] if unit else ""
    return value, _UNIT_FAMILY.get(word, word)


def find_derived(text: str, low: str | None = None) -> list[Quantity]:
    """Shares stated as two quantities of one whole: "mined 270,000 tonnes of the world's 390,000 tonnes".

    Returns a :class:`Quantity` of kind and qualifier ``derived`` per pair, the share being
    ``100 * part / whole`` rounded to 0.1, with ``part`` and ``whole`` the amounts as written
    (same unit family: tonnes with tons, not tonnes with barrels). Cheap: runs only on text naming
    the world, global or total and a digit.

    Example:
        >>> q = find_derived("China mined 270,000 tonnes of the world's 390,000 tonnes.")[0]
        >>> (q.value, q.part, q.whole)
        (69.2, '270,000 tonnes', '390,000 tonnes')
    """
    low = text.lower() if low is None else low
    if ("world" not in low and "global" not in low and "total" not in low and "planet" not in low) \
            or _DERIVED_HINT_RE.search(low) is None:
        return []
    out = []
    for m in _DERIVED_RE.finditer(text):
        part, whole = _amount(m.group("part")), _amount(m.group("whole"))
        if not part or not whole or whole[0] <= 0 or part[0] >= whole[0] or part[1] != whole[1]:
            continue
        value = round(100.0 * part[0] / whole[0], 1)
        out.append(Quantity(m.start(), m.end(), value, value, value, "derived", "derived", text[m.start():m.end()],
                            part=m.group("part"), whole=m.group("whole")))
    return out


def find_quantities(text: str) -> list[Quantity]:
    """Every share phrase in ``text``, in text order, non-overlapping (percent forms win).

    Args:
        text: a sentence (any string; never raises).

    Returns:
        the :class:`Quantity` objects; ``text[q.start:q.end] == q.text`` for each.

    Example:
        >>> [q.text for q in find_quantities("between 60 and 70 percent, or a monopoly")]
        ['between 60 and 70 percent', 'a monopoly']
    """
    low = text.lower()
    ascii_text = text.isascii()  # then the patterns run on ``low`` (see _PERCENT_ASCII_RE)
    # _has(low, _PERCENT_HINTS), spelt out ("pct" contains "pc")
    percent_possible = "%" in low or "pc" in low or "cent" in low or "p.c." in low or "％" in low
    fraction_possible = _fraction_possible(text, low)
    majority_possible = _majority_possible(text, low)
    monopoly_possible = "monopol" in low
    derived = find_derived(text, low)
    if not (percent_possible or fraction_possible or majority_possible or monopoly_possible or derived):
        return []  # most sentences
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in (_percent_matches(text, low) if percent_possible else ()):
        q = _percent(text, _with_hedge(text, m, low if ascii_text else None))
        if q and free(q.start, q.end):
            found.append(q)
            taken.append((q.start, q.end))
            if m.group("range") and q.start == m.start("r2"):
                # "rose from 60 to 70 per cent": the earlier figure is a quantity of its own (a prior value)
                v = word_number(m.group("r1"))
                s1, e1 = m.start("r1"), m.end("r1")
                unit = _PRIOR_UNIT_RE.match(text, e1, m.start("r2"))
                e1 = unit.end() if unit else e1  # "from 11.2% to 9.6%": the phrase keeps its "%"
                if v is not None and v <= 100 and free(s1, e1):
                    found.append(Quantity(s1, e1, v, v, v, "exact", "percent", text[s1:e1]))
                    taken.append((s1, e1))
    fractions = (_FRACTION_ASCII_RE.finditer(low) if ascii_text else _FRACTION_RE.finditer(text)) \
        if fraction_possible else ()
    for m in fractions:
        q = _fraction(text, _with_hedge(text, m, low if ascii_text else None))
        if q and free(q.start, q.end):
            found.append(q)
            taken.append((q.start, q.end))
    majorities = (_MAJORITY_ASCII_RE.finditer(low) if ascii_text else _MAJORITY_RE.finditer(text)) \
        if majority_possible else ()
    for m in majorities:
        s, e = m.start(), m.end()
        if not free(s, e):
            continue
        if m.group("all"):
            found.append(Quantity(s, e, 100.0, None, 100.0, "nearly", "majority", text[s:e]))
        else:
            found.append(Quantity(s, e, None, 50.0, 100.0, "majority", "majority", text[s:e]))
        taken.append((s, e))
    monopolies = (_MONOPOLY_ASCII_RE.finditer(low) if ascii_text else _MONOPOLY_RE.finditer(text)) \
        if monopoly_possible else ()
    for m in monopolies:
        s, e = m.start(), m.end()
        if free(s, e) and not _ANTI_MONOPOLY_RE.search(text[:s]):
            found.append(Quantity(s, e, 100.0, 100.0, 100.0, "monopoly", "monopoly", text[s:e]))
            taken.append((s, e))
    for q in derived:
        if free(q.start, q.end):
            found.append(q)
            taken.append((q.start, q.end))
    return sorted(found, key=lambda q: q.start)
