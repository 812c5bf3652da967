"""Publication dates: normalise to ``YYYY-MM-DD`` and decide day-first or month-first per file.

Rules (the README's "Dates" section states them for users):

* **The day as written.** A date with a time and a zone (``2025-06-12T23:30:00-05:00``,
  ``Thu, 12 Jun 2025 23:30:00 -0500``) keeps the calendar day the source wrote; it is never shifted
  to UTC, so an article is dated as its own outlet dated it.
* **Numeric dates** ``06/11/2025`` (also ``.`` or ``-`` between the fields, two-digit years read as
  2000–2069 / 1970–1999) are ambiguous. Each file decides its order from its own values
  (:func:`decide_order`): a first field above 12 means day-first, a second field above 12
  month-first. A file whose values never decide (or decide both ways) uses the convention
  :data:`DAY_FIRST_DEFAULT` (day-first) and the loader warns once for the file.
* ISO dates (``2025-06-12``, ``2025/06/12``, ``20250612``), named months in English (``12 June
  2025``, ``June 12, 2025 Thursday``, ``12-Jun-2025``), RFC 822 (e-mail and RSS, via
  :mod:`email.utils`) and the Reuters-21578 form (``26-FEB-1987 15:01:01.79``) are read directly;
  anything else goes to :mod:`dateparser` (absolute dates only: "next Thursday" is not a date).
* Years outside 1800–2200 are not dates.

Example:
    >>> parse_date("06/11/2025"), parse_date("06/11/2025", day_first=False)
    ('2025-11-06', '2025-06-11')
    >>> parse_date("Thu, 12 Jun 2025 23:30:00 -0500")
    '2025-06-12'
    >>> decide_order(["06/11/2025", "25/06/2025"]).day_first
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_tz
from functools import lru_cache

#: The convention for files whose numeric dates never show their order (the README states it).
DAY_FIRST_DEFAULT = True

_NUMERIC_RE = re.compile(
    r"^\s*(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})"
    r"(?:(?:\s+|T|,\s*)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?\s*$",
    re.I,
)
_ISO_RE = re.compile(
    r"^\s*(\d{4})([-/.]?)(\d{2})\2(\d{2})"
    r"(?:(?:[T ]|,\s*)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?\s*$",
    re.I,
)
_WEEKDAY_RE = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?,?", re.I)
_TIME_TAIL_RE = re.compile(
    r"(?:\s+|,\s*|T)\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*(?:Z|UTC|GMT|[A-Z]{2,4}|[+-]\d{2}:?\d{2}))*\s*$", re.I)
_REUTERS_RE = re.compile(r"^(\d{1,2}-[A-Za-z]{3}-\d{4})\s+\d")
#: Languages :mod:`dateparser` tries for month names that are not English.
DATEPARSER_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
_NAMED_FORMATS = (
    "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d-%b-%Y", "%d-%B-%Y",
    "%d. %B %Y", "%d %b. %Y", "%b. %d, %Y", "%B, %d %Y",
)


def _valid(year: int, month: int, day: int) -> str | None:
    if not 1800 <= year <= 2200:
        return None
    try:
        date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 70 else 1900
    return y


def numeric_fields(value: object) -> tuple[int, int] | None:
    """The first two fields of a numeric ``A/B/YYYY`` date, or None for any other form.

    Example:
        >>> numeric_fields("25.06.2025 10:00"), numeric_fields("2025-06-25")
        ((25, 6), None)
    """
    m = _NUMERIC_RE.match(str(value)) if value is not None else None
    return (int(m.group(1)), int(m.group(3))) if m else None


@dataclass(frozen=True)
class DateOrder:
    """How a file's numeric dates are read.

    ``day_first`` is the order used for ambiguous values; ``decided`` is True when the file's own
    values showed it; ``evidence`` quotes the deciding value; ``ambiguous`` counts values both
    orders could read (``06/11/2025``); ``conflict`` quotes a value that points the other way.
    """

    day_first: bool = DAY_FIRST_DEFAULT
    decided: bool = False
    evidence: str = ""
    ambiguous: int = 0
    conflict: str = ""

    def warning(self) -> str | None:
        """The warning a file gets when its order was not decided by its values (None if none needed)."""
        convention = "day-first (DD/MM/YYYY)" if DAY_FIRST_DEFAULT else "month-first (MM/DD/YYYY)"
        if self.conflict:
            return (f"numeric dates in both orders ({self.evidence!r} and {self.conflict!r}); "
                    f"{self.ambiguous} ambiguous date(s) read {convention}, the README's convention; "
                    "check the export's date format")
        if self.ambiguous and not self.decided:
            return (f"{self.ambiguous} numeric date(s) such as 06/11/2025 could be day-first or month-first and "
                    f"no date in this file decides; read {convention}, the README's convention")
        return None

    def describe(self) -> str:
        """One line for ``corpus check`` (empty when the file has no numeric dates)."""
        if not self.decided:
            return ""
        order = "day-first" if self.day_first else "month-first"
        return f"numeric dates read {order} (decided by {self.evidence!r})"


def decide_order(values: Iterable[object]) -> DateOrder:
    """Decide day-first or month-first from a file's date values (see the module rules).

    Example:
        >>> decide_order(["06/11/2025", "06/25/2025"]).day_first
        False
        >>> decide_order(["06/11/2025"]).warning() is not None
        True
    """
    day_first_by = month_first_by = ""
    ambiguous = 0
    for value in values:
        fields = numeric_fields(value)
        if fields is None:
            continue
        a, b = fields
        if a > 12 >= b:
            day_first_by = day_first_by or str(value).strip()
        elif b > 12 >= a:
            month_first_by = month_first_by or str(value).strip()
        elif a != b and a <= 12 and b <= 12:
            ambiguous += 1
    if day_first_by and month_first_by:
        return DateOrder(DAY_FIRST_DEFAULT, False, day_first_by, ambiguous, month_first_by)
    if day_first_by:
        return DateOrder(True, True, day_first_by, ambiguous)
    if month_first_by:
        return DateOrder(False, True, month_first_by, ambiguous)
    return DateOrder(DAY_FIRST_DEFAULT, False, "", ambiguous)


def parse_date(value: object, *, day_first: bool = DAY_FIRST_DEFAULT) -> str | None:
    """Normalise a date to ``YYYY-MM-DD``; ``""`` for empty input, ``None`` if unparseable.

    ``day_first`` orders ambiguous numeric dates (``06/11/2025``); a value whose fields show their
    order (``25/06/2025``) is read that way whatever ``day_first`` says.

    Example:
        >>> parse_date("12 June 2025"), parse_date("2025-06-12T10:00:00Z"), parse_date("soon")
        ('2025-06-12', '2025-06-12', None)
    """
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    text = str(value)
    return _parse_text_cached(text, day_first) if len(text) <= 200 else _parse_text(text, day_first)


def _parse_text(value: str, day_first: bool) -> str | None:
    """:func:`parse_date` of a string."""
    s = " ".join(value.split())
    if not s:
        return ""
    if len(s) > 80:
        return None
    if _WEEKDAY_RE.search(s):  # "06/13/2025 Friday", "Thursday, 2025-06-12"
        s = " ".join(_WEEKDAY_RE.sub(" ", s).split()).strip(" ,") or s
    m = _ISO_RE.match(s)
    if m:
        return _valid(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    m = _NUMERIC_RE.match(s)
    if m:
        a, b, year = int(m.group(1)), int(m.group(3)), _year(m.group(4))
        if a > 12 or (day_first and b <= 12):
            return _valid(year, b, a)
        return _valid(year, a, b)
    m = _REUTERS_RE.match(s)
    if m:
        s = m.group(1)
    named = _named(s)
    if named is not None:
        return named
    if re.search(r"\d{1,2}:\d{2}", s):
        parts = parsedate_tz(s)
        if parts and parts[0]:
            found = _valid(parts[0], parts[1], parts[2])
            if found:
                return found
    return _dateparser(s, day_first)


def _named(s: str) -> str | None:
    """English month names, with or without a weekday and a time: ``Thursday, June 12, 2025 10:00 GMT``."""
    if not re.search(r"[A-Za-z]{3}", s):
        return None
    core = _TIME_TAIL_RE.sub("", _WEEKDAY_RE.sub(" ", s))
    core = " ".join(core.replace(" ,", ",").split()).strip(" ,")
    for fmt in _NAMED_FORMATS:
        try:
            parsed = datetime.strptime(core, fmt)
        except ValueError:
            continue
        return _valid(parsed.year, parsed.month, parsed.day)
    return None


#: :func:`_parse_text` cached (a corpus repeats its dates; values of at most 200 characters, so the
#: cache stays under ~2 MB).
_parse_text_cached = lru_cache(maxsize=4096)(_parse_text)


@lru_cache(maxsize=4096)
def _dateparser(s: str, day_first: bool) -> str | None:
    """Last resort: :mod:`dateparser` for absolute dates in other forms and languages."""
    if not (re.search(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)", s) and re.search(r"[^\W\d_]{3}", s)):
        return None  # a year and a word (a month name): anything else is no date, and slow to rule out
    try:
        import dateparser

        parsed = dateparser.parse(s, languages=list(DATEPARSER_LANGUAGES), settings={
            "DATE_ORDER": "DMY" if day_first else "MDY", "PARSERS": ["absolute-time"],
            "REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DATES_FROM": "past",
        })
    except Exception:  # noqa: BLE001 - a date library's failure is an unparseable date, never a crash
        return None
    if parsed is None:
        return None
    return _valid(parsed.year, parsed.month, parsed.day)
