"""Readers of each corpus file format: the seed's text layout, JSON, JSON Lines, CSV and HTML.

Each parser yields ``(line, fields)`` for every record, or a :class:`~supplywatch.corpus.model.Problem`
naming the file and line of a record it cannot read.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator

from supplywatch.corpus.model import Problem

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


def _record_fields(obj: dict) -> dict:
    """Pick the known fields out of a JSON object or CSV row (case-insensitive keys)."""
    lower = {str(k).strip().lower(): v for k, v in obj.items() if k is not None}
    text = lower.get("text")
    if text in (None, ""):
        text = lower.get("body")
    out = {"text": "" if text is None else str(text)}
    for key in ("date", "title", "source", "url", "id"):
        v = lower.get(key)
        if v not in (None, ""):
            out[key] = v if key == "date" else str(v)
    meta = _meta_fields(lower)
    if meta:
        out["meta"] = meta
    return out


_KNOWN_FIELDS = frozenset(("text", "body", "date", "title", "source", "url", "id", "meta"))
_META_KEY_RE = re.compile(r"[^a-z0-9]+")


def _meta_fields(lower: dict) -> dict[str, str]:
    """Extra fields of a record (``places``, ``topics``...) as metadata strings; lists joined by ``;``.

    Example:
        >>> _meta_fields({"text": "x", "places": ["usa", "uk"], "Lewis Split": "train"})
        {'places': 'usa;uk', 'lewis_split': 'train'}
    """
    meta: dict[str, str] = {}
    for key, value in lower.items():
        name = _META_KEY_RE.sub("_", key).strip("_")
        if not name or key in _KNOWN_FIELDS or isinstance(value, dict):
            continue
        if isinstance(value, (list, tuple)):
            value = ";".join(str(v) for v in value if v is not None)
        meta[name] = "" if value is None else str(value)
    return meta


def _parse_jsonl(text: str, rel: str) -> Iterator[tuple[int, dict] | Problem]:
    return _parse_json_lines(enumerate(text.splitlines(), start=1), rel)


def _parse_json_lines(lines: Iterable[tuple[int, str]], rel: str) -> Iterator[tuple[int, dict] | Problem]:
    for lineno, line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(rel, lineno, "error", f"malformed JSON line ({exc.msg} at column {exc.colno}); line skipped")
            continue
        if not isinstance(obj, dict):
            yield Problem(rel, lineno, "error", f"expected a JSON object, got {type(obj).__name__}; line skipped")
            continue
        yield lineno, _record_fields(obj)


def _parse_json(text: str, rel: str) -> Iterator[tuple[int, dict] | Problem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # Many ".json" exports are really JSON Lines.
        if text.lstrip().startswith("{") and "\n{" in text:
            yield from _parse_jsonl(text, rel)
            return
        yield Problem(rel, exc.lineno, "error", f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); file skipped")
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        yield Problem(rel, None, "error", "expected a JSON object or a list of objects; file skipped")
        return
    for i, obj in enumerate(data, start=1):
        if not isinstance(obj, dict):
            yield Problem(rel, None, "error", f"record {i}: expected an object, got {type(obj).__name__}; skipped")
            continue
        yield i, _record_fields(obj)


def _parse_csv(text: str, rel: str) -> Iterator[tuple[int, dict] | Problem]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield Problem(rel, 1, "error", f"unreadable CSV header ({exc}); file skipped")
        return
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    if "text" not in names and "body" not in names:
        yield Problem(rel, 1, "error", f"CSV has no 'text' or 'body' column (columns: {', '.join(names)}); file skipped")
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Problem(rel, reader.line_num, "error", f"malformed CSV row ({exc}); row skipped")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            yield Problem(
                rel, reader.line_num, "error",
                f"malformed CSV row: {len(row)} fields where the header has {len(names)}; row skipped",
            )
            continue
        yield reader.line_num, _record_fields(dict(zip(names, row)))


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
