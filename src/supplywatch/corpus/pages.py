"""Reading feeds and pages for :mod:`supplywatch.corpus.fetch`: RSS/Atom items, URL lists, article text.

Everything here parses bytes it is given; nothing opens a URL or a file by itself (feedparser is
handed bytes, never a URL), and nothing from a page runs: pages are parsed with lxml/trafilatura,
never rendered.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Item:
    """One article to fetch: its link and what the feed says about it."""

    url: str
    feed: str = ""
    feed_title: str = ""
    title: str = ""
    date: str = ""
    content_html: str = ""


def _struct_date(entry) -> str:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return time.strftime("%Y-%m-%d", value)
            except (TypeError, ValueError):
                continue
    return ""


def parse_feed(body: bytes, *, feed_url: str) -> tuple[str, list[Item]] | None:
    """The feed title and items of an RSS/Atom document, or None when ``body`` is not a feed.

    ``body`` is parsed as bytes (feedparser never opens a URL or file itself here).
    """
    import feedparser

    parsed = feedparser.parse(bytes(body))
    if not parsed.get("version") and not parsed.entries:
        return None
    title = str(parsed.feed.get("title", "") or "")
    items = []
    for entry in parsed.entries:
        link = str(entry.get("link", "") or "").strip()
        if not link:
            continue
        content = ""
        for part in entry.get("content", []) or []:
            if part.get("value"):
                content = part["value"]
                break
        items.append(Item(url=link, feed=feed_url, feed_title=title, title=str(entry.get("title", "") or ""),
                          date=_struct_date(entry), content_html=content or str(entry.get("summary", "") or "")))
    return title, items


def read_url_list(path: Path) -> list[tuple[int, str]]:
    """``(line number, URL)`` of a text file, one URL per line (numbers from 1); blank lines and lines
    starting with ``#`` are skipped."""
    urls = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if line:
            urls.append((number, line))
    return urls


def _decode(body: bytes, declared: str | None) -> str:
    """Decode an HTML body: a charset the server declared, one the page declares, else UTF-8/cp1252."""
    m = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", body[:4096], re.I)
    for encoding in ((m.group(1).decode("ascii") if m else None), declared, "utf-8"):
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment (a feed item's content), paragraphs on separate lines."""
    if "<" not in html:
        return html.strip()
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(f"<div>{html}</div>")
    except Exception:  # noqa: BLE001 - lxml raises several types for junk
        return re.sub(r"<[^>]+>", " ", html).strip()
    for bad in tree.xpath("//script|//style|//noscript|//iframe|//object|//form"):
        bad.drop_tree()
    blocks = [b.text_content().strip() for b in tree.xpath("//p|//li|//h1|//h2|//h3|//blockquote")]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) if blocks else tree.text_content().strip()


def extract_page(body: bytes, *, encoding: str | None = None) -> dict:
    """Title, date (``YYYY-MM-DD`` when the page declares one), site name and text of an HTML page."""
    from supplywatch.corpus.formats import _parse_html

    return _parse_html(_decode(body, encoding))


def is_html(content_type: str, body: bytes) -> bool:
    """True for an HTML page (by its content type, or its first bytes when the type says nothing)."""
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype in ("text/html", "application/xhtml+xml"):
        return True
    if not ctype or ctype in ("text/plain", "application/octet-stream"):
        return b"<html" in body[:2048].lower() or b"<!doctype html" in body[:2048].lower()
    return False
