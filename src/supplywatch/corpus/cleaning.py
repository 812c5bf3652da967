"""Cleaning article text, normalising dates, and decoding raw bytes.

:func:`clean_text` keeps the wording intact and drops only boilerplate lines and syndication
disclaimers; :func:`parse_date` normalises a date to ``YYYY-MM-DD``; :func:`decode_bytes` decodes
UTF-8 with a declared fallback; :func:`looks_binary` tells data that is not text.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from supplywatch.config import (
    FALLBACK_ENCODING,
)

_BOILERPLATE_LINE_RE = re.compile(
    r"^\s*(advertisement|advertisements|story continues below(?: this)? ad(?:vertisement)?|"
    r"scroll to continue(?: with content)?|continue reading(?: below)?|also read:?.*|read more:?.*|"
    r"click here to .*|subscribe (?:now|to our newsletter).*)\s*$",
    re.I,
)
#: Syndication disclaimers; the named publisher becomes ``source`` when no header gives one.
_SYNDICATION_RE = re.compile(
    r"\(?\s*(?:except for the headline, )?this (?:story|article|report) has not been edited by "
    r"(?P<pub>[^.()]{2,80}?) staff and (?:has been|is) (?:published|auto-generated|generated) "
    r"from an? syndicated (?:news )?feed\.?\s*\)?",
    re.I,
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS_RE = re.compile(r"\n{3,}")


def clean_text(text: str) -> tuple[str, str]:
    """Drop boilerplate and normalise whitespace; keep the wording otherwise intact.

    Returns the cleaned text and the publisher named by a syndication disclaimer ("" if none).

    Example:
        >>> clean_text("Hello  world.\\n\\nADVERTISEMENT\\n\\nBye.")
        ('Hello world.\\n\\nBye.', '')
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL_RE.sub("", text)
    publisher = ""
    m = _SYNDICATION_RE.search(text)
    if m:
        publisher = m.group("pub").strip()
        text = _SYNDICATION_RE.sub("", text)
    lines = []
    for line in text.split("\n"):
        line = _SPACES_RE.sub(" ", line).strip()
        if _BOILERPLATE_LINE_RE.match(line):
            continue
        lines.append(line)
    cleaned = _BLANKS_RE.sub("\n\n", "\n".join(lines)).strip()
    return cleaned, publisher


# --------------------------------------------------------------------------------------------
# Dates

_DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%d-%m-%Y", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y",
    "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d-%b-%Y", "%Y%m%d",
)


def parse_date(value: object) -> str | None:
    """Normalise a date to ``YYYY-MM-DD``; ``""`` for empty input, ``None`` if unparseable.

    Example:
        >>> parse_date("12 June 2025"), parse_date("2025-06-12T10:00:00Z"), parse_date("soon")
        ('2025-06-12', '2025-06-12', None)
    """
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    s = str(value).strip()
    if not s:
        return ""
    m = re.match(r"^(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}", s)
    if m:
        s = m.group(1)
    m = re.match(r"^(\d{1,2}-[A-Za-z]{3}-\d{4})\s+\d", s)  # Reuters: 26-FEB-1987 15:01:01.79
    if m:
        s = m.group(1)
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(s, fmt)
        except ValueError:
            continue
        if 1800 <= parsed.year <= 2200:
            return parsed.strftime("%Y-%m-%d")
    return None


# --------------------------------------------------------------------------------------------
# Decoding


def decode_bytes(raw: bytes) -> tuple[str, str | None]:
    """Decode as UTF-8 (BOM allowed); fall back to the declared encoding with a warning message."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        text = raw.decode(FALLBACK_ENCODING, errors="replace")
        return text, (
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            f"decoded as {FALLBACK_ENCODING}"
        )


def looks_binary(raw: bytes) -> bool:
    """True for data that is not text: NUL bytes or mostly control bytes in the first 8 KiB."""
    head = raw[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(head) > 0.1


# --------------------------------------------------------------------------------------------
# Parsers: each yields (record_key, line, fields) or Problems
