"""Cleaning article text, normalising dates, and decoding raw bytes.

:func:`clean_text` keeps the wording intact and drops only boilerplate lines and syndication
disclaimers; :func:`parse_date` normalises a date to ``YYYY-MM-DD``; :func:`decode_bytes` decodes
UTF-8 with a declared fallback; :func:`looks_binary` tells data that is not text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from supplywatch.config import (
    FALLBACK_ENCODING,
)
from supplywatch.corpus.dates import parse_date  # noqa: F401  (re-exported: the public name lives here too)

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
#: Words every :data:`_SYNDICATION_RE` match contains, matched the same way (a quick test first:
#: the full pattern, with its optional start, is slow to search for).
_SYNDICATION_HINT_RE = re.compile(r" has not been edited by ", re.I)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Invisible characters removed in every format: soft hyphen, zero-width space, zero-width
#: non-joiner and joiner, word joiner, invisible operators, zero-width no-break space (a BOM inside
#: the text), Mongolian vowel separator. "Can\u00adada" is "Canada" again.
INVISIBLE_RE = re.compile("[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
#: What ``_SPACES_RE.sub(" ", text)`` changes: a run of two or more spaces, or one space that is not
#: " " (substituting these alone gives the same text, without rewriting every single space).
_SPACES_TO_CHANGE_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_BLANKS_RE = re.compile(r"\n{3,}")
#: The spaces of :data:`_SPACES_RE` other than " ".
_ODD_SPACE_RE = re.compile("[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
#: Words every :data:`_BOILERPLATE_LINE_RE` match contains (in lower case): an ASCII text without
#: any of them has no boilerplate line, and its lines are only stripped.
_BOILERPLATE_WORDS = ("advertisement", "continue", "also read", "read more", "click here to", "subscribe")


def _has_boilerplate_word(lower: str) -> bool:
    for word in _BOILERPLATE_WORDS:
        if word in lower:
            return True
    return False


def clean_field(value: object) -> str:
    """A one-line metadata value (source, url, author): invisible and control characters removed,
    whitespace runs made one space.

    Example:
        >>> clean_field("  Reu\\u200bters\\n Wire ")
        'Reuters Wire'
    """
    text = "" if value is None else str(value)
    if not (text.isascii() and text.isprintable()):  # else no invisible or control character
        text = _CONTROL_RE.sub("", INVISIBLE_RE.sub("", text))
    return " ".join(text.split())


def clean_text(text: str) -> tuple[str, str]:
    """Drop boilerplate and normalise whitespace; keep the wording otherwise intact.

    Invisible characters (:data:`INVISIBLE_RE`: soft hyphens, zero-width spaces and joiners, word
    joiners) are removed, so a word split by one reads as the word.

    Returns the cleaned text and the publisher named by a syndication disclaimer ("" if none).

    Example:
        >>> clean_text("Hello  world.\\n\\nADVERTISEMENT\\n\\nBye.")
        ('Hello world.\\n\\nBye.', '')
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():  # the invisible characters are not ASCII
        text = unicodedata.normalize("NFC", INVISIBLE_RE.sub("", text))
    text = _CONTROL_RE.sub("", text)
    # ASCII text (the common case) is matched case-insensitively by its lower() and skips the slow
    # patterns when the words they need are absent
    ascii_text = text.isascii()
    lower = text.lower() if ascii_text else ""
    publisher = ""
    hint = " has not been edited by " in lower if ascii_text else _SYNDICATION_HINT_RE.search(text)
    m = _SYNDICATION_RE.search(text) if hint else None
    if m:
        publisher = m.group("pub").strip()
        text = _SYNDICATION_RE.sub("", text)
        lower = text.lower() if ascii_text else ""
    # _SPACES_TO_CHANGE_RE changes a text only when two spaces follow each other or a space is not
    # " " (in ASCII text: a tab); the common text has neither and skips the slow pattern
    if "  " in text or ("\t" in text if ascii_text else _ODD_SPACE_RE.search(text)):
        text = _SPACES_TO_CHANGE_RE.sub(" ", text)  # the spaces never include a line break
        lower = text.lower() if ascii_text else ""
    if ascii_text and not _has_boilerplate_word(lower):
        # no line to drop; the only whitespace left in a line is single spaces (control characters
        # are gone, tabs and runs made one space), so stripping each line is removing the spaces
        # beside line breaks (those at either end go with the final strip())
        cleaned = text.replace(" \n", "\n").replace("\n ", "\n")
    else:
        lines = [line.strip() for line in text.split("\n")]
        cleaned = "\n".join(line for line in lines if not _BOILERPLATE_LINE_RE.match(line))
    if "\n\n\n" in cleaned:
        cleaned = _BLANKS_RE.sub("\n\n", cleaned)
    return cleaned.strip(), publisher


# --------------------------------------------------------------------------------------------
# Decoding


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def bom_encoding(raw: bytes) -> str | None:
    """The UTF-16/32 encoding a byte-order mark announces (Excel's "Unicode text"), or None."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    return None


def decode_bytes(raw: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """Decode raw bytes; returns the text and a warning message (None when the decoding is sure).

    Order: a UTF-16/32 byte-order mark; UTF-8 (BOM allowed); the charset the file itself declares
    (``declared``, e.g. an HTML ``<meta charset>``), without a warning when the bytes are valid in it;
    otherwise :data:`~supplywatch.config.FALLBACK_ENCODING` with a warning naming the first bad byte.

    Example:
        >>> decode_bytes("café".encode("cp1252"), "windows-1252")
        ('café', None)
    """
    bom = bom_encoding(raw)
    if bom:
        text = raw.decode(bom, errors="replace")
        return text.lstrip("\ufeff"), (None if "\ufffd" not in text else f"invalid {bom} data replaced by \ufffd")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError:
            declared = None
    if declared and codecs.lookup(declared).name != "utf-8":
        try:
            return raw.decode(declared), None
        except UnicodeDecodeError:
            pass
    text = raw.decode(FALLBACK_ENCODING, errors="replace")
    return text, (
        f"not valid UTF-8 (byte 0x{raw[first_bad]:02x} at offset {first_bad})"
        + (f" nor valid {declared} as the file declares" if declared else "")
        + f"; decoded as {FALLBACK_ENCODING}"
    )


#: Control bytes counted by :func:`looks_binary` (all below 32 but tab, line feed and form feed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12))


def looks_binary(raw: bytes) -> bool:
    """True for data that is not text: NUL bytes or mostly control bytes in the first 8 KiB
    (text with a UTF-16/32 byte-order mark is text)."""
    head = raw[:8192]
    if bom_encoding(head):
        return False
    if b"\x00" in head:
        return True
    # the share of control bytes is taken over the text as it will be read (no UTF-8 byte-order mark,
    # one byte per line break), so line endings or a BOM never decide whether a file is text
    body = head.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if not body:
        return False
    controls = len(body) - len(body.translate(None, _CONTROL_BYTES))
    return controls / len(body) > 0.1


#: Signatures made only of printable ASCII that are still sure (a text never starts like this).
_ASCII_SIGNATURES = ("pdf", "gif", "ps")


def binary_kind(raw: bytes) -> str | None:
    """What binary format the bytes are, by their signature (:mod:`filetype`), e.g. ``"PDF document
    (application/pdf)"``; None for text. Also finds files without NUL bytes (a PDF, a GIF header).

    Signatures of printable ASCII only (``MZ``, ``BM``) are trusted only for the formats in
    :data:`_ASCII_SIGNATURES`, so an article that starts with "MZ Mining" stays an article.

    Example:
        >>> binary_kind(b"%PDF-1.7\\n1 0 obj"), binary_kind(b"MZ Mining said")
        ('PDF document (application/pdf)', None)
    """
    head = raw[:8192]
    if bom_encoding(head):
        return None
    printable = all(32 <= b < 127 or b in (9, 10, 13) for b in head[:8])
    if printable and not head.startswith((b"%PDF", b"GIF8", b"%!")):
        return None  # text (the common case) never reaches the signature matchers
    import filetype

    kind = filetype.guess(head)
    if kind is None or (printable and kind.extension not in _ASCII_SIGNATURES):
        return None
    return f"{_KIND_NAMES.get(kind.extension, kind.extension.upper() + ' file')} ({kind.mime})"


_KIND_NAMES = {
    "pdf": "PDF document", "png": "PNG image", "jpg": "JPEG image", "gif": "GIF image", "zip": "ZIP archive",
    "docx": "Word document", "doc": "Word 97-2003 document", "xlsx": "Excel workbook", "xls": "Excel 97-2003 workbook",
    "pptx": "PowerPoint presentation", "odt": "OpenDocument text", "epub": "EPUB book", "gz": "gzip archive",
    "rtf": "RTF document", "ps": "PostScript document", "webp": "WebP image", "tif": "TIFF image", "bmp": "BMP image",
    "mp3": "MP3 audio", "mp4": "MP4 video", "exe": "Windows program", "elf": "Linux program", "sqlite": "SQLite database",
}


# --------------------------------------------------------------------------------------------
# Parsers: each yields (record_key, line, fields) or Problems
