"""Readers of each corpus file format: the seed's text layout, JSON, JSON Lines, CSV and HTML.

(Feeds: :mod:`.feeds`; multi-article exports: :mod:`.exports`; Word/RTF: :mod:`.office`;
record fields: :mod:`.records`; CSV dialects: :mod:`.csvfiles`.)

Each parser yields ``(line, fields)`` for every record, or a :class:`~supplywatch.corpus.model.Problem`
naming the file and line of a record it cannot read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from supplywatch.corpus.csvfiles import parse_csv
from supplywatch.corpus.model import Problem
from supplywatch.corpus.records import FieldMap, json_records, no_text_message, record_fields

_HEADER_RE = re.compile(r"^\s*(title|source|url|date|author)\s*:\s*(.*?)\s*$", re.I)
_DATE_PREFIX_RE = re.compile(r"^\s*date[:\s]\s*(\d{4}-\d{2}-\d{2})\b[ \t]*", re.I)


def _parse_text(text: str) -> dict:
    """Split the seed format into header fields and body."""
    fields: dict[str, str] = {}
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _DATE_PREFIX_RE.match(line)
        if m and "date" not in fields:
            fields["date"] = m.group(1)
            rest = line[m.end():]
            if rest.strip():
                lines[i] = rest
                break
            i += 1
            continue
        m = _HEADER_RE.match(line)
        if m and m.group(1).lower() not in fields and (m.group(1).lower() != "date" or m.group(2)):
            fields[m.group(1).lower()] = m.group(2)
            i += 1
            continue
        if not line.strip() and fields and i < 8:
            i += 1
            continue
        break
    body_lines = lines[i:]
    if "title" not in fields:
        # BBC layout: a headline line, a blank line, then paragraphs.
        while body_lines and not body_lines[0].strip():
            body_lines.pop(0)
        if (
            len(body_lines) >= 3
            and body_lines[0].strip()
            and not body_lines[1].strip()
            and len(body_lines[0].strip()) <= 150
            # ends like a sentence: a full stop, colon or comma, possibly inside quotes; a headline
            # may end with a closing quote or a question (BBC: Economy 'stronger than forecast')
            and not re.search(r"[.:;,][\"”’']*\s*$", body_lines[0].strip())
        ):
            fields["title"] = body_lines[0].strip()
            body_lines = body_lines[2:]
    fields["text"] = "\n".join(body_lines)
    return fields


def parse_json(text: str, rel: str, fields: FieldMap | None = None) -> Iterator[tuple[int, dict] | Problem]:
    """Records of a ``.json`` file (layouts: :func:`~supplywatch.corpus.records.json_records`) as
    ``(record number, fields)``; a ``.json`` that is really JSON Lines is read as such."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # Many ".json" exports are really JSON Lines.
        if text.lstrip().startswith("{") and "\n{" in text:
            yield from parse_json_lines(enumerate(text.splitlines(), start=1), rel, fields)
            return
        yield Problem(rel, exc.lineno, "error", f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); file skipped")
        return
    records, layout = json_records(data)
    if records is None:
        yield Problem(rel, None, "error", "expected a JSON object or a list of objects; file skipped")
        return
    yield Problem(rel, None, "info", f"layout: {layout}, {len(records)} record(s)")
    parsed: list[tuple[int, dict]] = []
    for i, obj in enumerate(records, start=1):
        if not isinstance(obj, dict):
            yield Problem(rel, None, "error", f"record {i}: expected an object, got {type(obj).__name__}; skipped")
            continue
        parsed.append((i, record_fields(obj, fields)))
    if len(parsed) > 1 and all(f["missing_text"] for _, f in parsed):
        keys = sorted({k for _, f in parsed for k in f["flat_keys"]})
        yield Problem(rel, None, "error", f"no record has a text field ({len(parsed)} records); "
                      + no_text_message(dict.fromkeys(keys), fields).replace("the record's", "the records'")
                      .replace("; skipped", "; file skipped"))
        return
    yield from parsed


def parse_json_lines(lines: Iterable[tuple[int, str]], rel: str,
                     fields: FieldMap | None = None) -> Iterator[tuple[int, dict] | Problem]:
    """Records of JSON Lines as ``(line number, fields)``; a malformed line is a Problem."""
    for lineno, line in lines:
        if line.strip():
            yield parse_json_line(lineno, line, rel, fields)


def parse_json_line(lineno: int, line: str, rel: str,
                    fields: FieldMap | None = None) -> tuple[int, dict] | Problem:
    """One non-blank line of JSON Lines as ``(line number, fields)``, or the Problem of a malformed line."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Problem(rel, lineno, "error", f"malformed JSON line ({exc.msg} at column {exc.colno}); line skipped")
    if not isinstance(obj, dict):
        return Problem(rel, lineno, "error", f"expected a JSON object, got {type(obj).__name__}; line skipped")
    return lineno, record_fields(obj, fields)


def parse_csv_records(text: str, rel: str, *, tsv: bool = False,
                      fields: FieldMap | None = None) -> Iterator[tuple[int, dict] | Problem]:
    """Rows of a CSV/TSV file as ``(line, fields)`` (dialects and broken rows: :mod:`.csvfiles`)."""
    for item in parse_csv(text, rel, tsv=tsv, fields=fields):
        yield item if isinstance(item, Problem) else (item[0], record_fields(item[1], fields))


_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""")


def declared_charset(raw: bytes) -> str | None:
    """The charset an HTML page declares (``<meta charset>`` or ``http-equiv`` Content-Type, or an
    XML declaration) in its first 4 KiB, or None.

    Example:
        >>> declared_charset(b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
        'windows-1252'
    """
    head = raw[:4096]
    m = _XML_ENCODING_RE.match(head) or _CHARSET_RE.search(head)
    return m.group(1).decode("ascii") if m else None


def _parse_html(text: str) -> dict:
    import trafilatura  # imported lazily: only HTML corpora pay for it

    body = trafilatura.extract(
        text, output_format="txt", include_comments=False, include_tables=False, favor_recall=True,
    )
    # extensive=False: only dates the page declares (meta tags, <time>), never a guess from the text
    meta = trafilatura.extract_metadata(text, extensive=False)
    fields: dict = {"text": body or ""}
    if meta is not None:
        for key in ("title", "date", "url"):
            value = getattr(meta, key, None)
            if value:
                fields[key] = value
        if getattr(meta, "sitename", None):
            fields["source"] = meta.sitename
    if not fields["text"]:
        # Very short pages fall below trafilatura's thresholds: take the paragraphs' text.
        from lxml import html as lxml_html

        try:
            tree = lxml_html.fromstring(text)
        except Exception:  # noqa: BLE001 - lxml raises several types for junk
            return fields
        for bad in tree.xpath("//script|//style|//nav|//header|//footer|//aside|//noscript|//form"):
            bad.drop_tree()
        paras = [p.text_content().strip() for p in tree.xpath("//p|//h1|//h2|//h3|//li")]
        fields["text"] = "\n".join(p for p in paras if p)
    # Extracted lines are paragraphs; a repeated headline is not article text.
    lines = [ln for ln in fields["text"].split("\n") if ln.strip()]
    if lines and fields.get("title") and lines[0].strip() == str(fields["title"]).strip():
        lines = lines[1:]
    fields["text"] = "\n\n".join(lines)
    return fields


# --------------------------------------------------------------------------------------------
# Loading
