"""Feed files (``.rss``, ``.atom``, ``.xml``): RSS 0.9x/1.0/2.0 and Atom, read with feedparser.

One article per item (``<item>`` / ``<entry>``):

* **text**: the full content (``content:encoded``, Atom ``<content>``) when the item has one, else
  the description / summary; markup is stripped (paragraphs kept, scripts and styles dropped,
  entities decoded). An item with only a description gets a warning (a teaser, not the article).
* **title**: the item's title (markup stripped); **url**: its link; **source**: the feed's title;
  **date**: ``published`` (``pubDate``), else ``updated``, in any zone, kept as the day the feed
  wrote (see :mod:`supplywatch.corpus.dates`).
* ``guid``/``id``, ``author`` and categories become ``meta_guid``, ``meta_author``, ``meta_categories``.

A ``.xml`` file that is not a feed (a sitemap, any other XML) is skipped with a reason; a feed with
XML errors that feedparser recovers from loads with a warning.

Example:
    >>> rss = b'<rss version="2.0"><channel><title>W</title><item><title>T</title>'\\
    ...       b'<description>&lt;p&gt;China &lt;b&gt;said&lt;/b&gt;.&lt;/p&gt;</description></item></channel></rss>'
    >>> [i[1]["text"] for i in parse_feed(rss, "w.rss") if isinstance(i, tuple)]
    ['China said.']
"""

from __future__ import annotations

from collections.abc import Iterator

from supplywatch.corpus.model import Problem

#: Elements after which a line break separates the text (paragraphs stay paragraphs).
_BLOCKS = frozenset("p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre table tr section article header footer "
                    "figure figcaption dd dt".split())


def strip_markup(value: str) -> str:
    """The text of an HTML fragment: tags removed, entities decoded, block elements as paragraphs.

    Example:
        >>> strip_markup("<p>China <b>said</b> &amp; left.</p><script>x()</script><p>Next.</p>")
        'China said & left.\\n\\nNext.'
    """
    if "<" not in value and "&" not in value:
        return value.strip()
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        return value.strip()
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = ("\n" if el.tag.lower() == "br" else "\n\n") + (el.tail or "")
    text = root.text_content()
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _detail_text(detail: dict | None, value: str) -> str:
    kind = (detail or {}).get("type", "text/html")
    return strip_markup(value) if "html" in kind else value.strip()


def parse_feed(raw: bytes, rel: str, *, xml_extension: bool = False) -> Iterator[tuple[int, dict] | Problem]:
    """The items of an RSS/Atom feed as ``(item number, fields)``, with Problems (see the module doc).

    ``xml_extension``: the file is a ``.xml`` (anything else in XML is skipped, not an error).
    """
    import feedparser

    parsed = feedparser.parse(raw, sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not parsed.get("version") and not entries:
        why = parsed.get("bozo_exception")
        if xml_extension:
            yield Problem(rel, None, "skipped", "XML file that is not an RSS or Atom feed; not an article")
        else:
            yield Problem(rel, getattr(why, "getLineNumber", lambda: None)(), "error",
                          "not a readable RSS or Atom feed" + (f" ({why})" if why else "") + "; file skipped")
        return
    if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
        exc = parsed["bozo_exception"]
        if type(exc).__name__ not in ("CharacterEncodingOverride",):
            yield Problem(rel, getattr(exc, "getLineNumber", lambda: None)(), "warning",
                          f"the feed is not well-formed XML ({exc}); {len(entries)} item(s) recovered")
    feed = parsed.get("feed") or {}
    source = _detail_text(feed.get("title_detail"), feed.get("title", "")) if feed.get("title") else ""
    yield Problem(rel, None, "info", f"{parsed.get('version') or 'feed'}: {len(entries)} item(s)")
    if not entries:
        yield Problem(rel, None, "error", "the feed has no items; nothing to load")
        return
    for number, entry in enumerate(entries, start=1):
        fields: dict = {"warnings": [], "meta": {}}
        contents = [c for c in entry.get("content") or [] if c.get("value")]
        if contents:
            best = max(contents, key=lambda c: len(c.get("value", "")))
            fields["text"] = _detail_text(best, best["value"])
        elif entry.get("summary"):
            fields["text"] = _detail_text(entry.get("summary_detail"), entry["summary"])
            fields["warnings"].append("the item has no full content: its description was read as the text")
        else:
            fields["text"] = ""
        if entry.get("title"):
            fields["title"] = _detail_text(entry.get("title_detail"), entry["title"])
        fields["date"] = entry.get("published") or entry.get("updated") or entry.get("created") or ""
        if entry.get("link"):
            fields["url"] = entry["link"]
        if source:
            fields["source"] = source
        if entry.get("id"):
            fields["meta"]["guid"] = str(entry["id"])
        if entry.get("author"):
            fields["meta"]["author"] = str(entry["author"])
        tags = [t.get("term") for t in entry.get("tags") or [] if t.get("term")]
        if tags:
            fields["meta"]["categories"] = ";".join(tags)
        yield number, fields
