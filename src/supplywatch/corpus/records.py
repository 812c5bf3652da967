"""Records of JSON, JSON Lines and CSV files: which field is the text, the date, the title...

A record (a JSON object or a CSV row) is flattened first: nested objects become dotted keys
(``{"source": {"name": "Reuters"}}`` -> ``source.name``), lists of values are joined with ``;``
and lists of objects by their ``name`` (``title``, ``uri``...), so nothing reaches a table as a
Python dict. Keys are matched case-insensitively.

Each article field is then read from the first non-empty key of :data:`FIELD_ALIASES` (which
covers NewsAPI, Event Registry, news-please, JSON Feed and plain ``text``/``body`` records), or
from the key a :class:`FieldMap` names (``--field text=story``). Every other key becomes metadata
(``meta_<key>``, dots and other punctuation as ``_``).

Text cut by the source (NewsAPI ends ``content`` with ``"… [+1234 chars]"``) is flagged: the
marker is removed, the record gets a warning and ``meta_truncated_chars``.

Example:
    >>> rec = record_fields({"source": {"id": None, "name": "Reuters"}, "publishedAt": "2025-06-12T10:00:00Z",
    ...                      "content": "China said… [+1234 chars]", "title": "T"})
    >>> rec["source"], rec["date"], rec["text"], rec["meta"]["truncated_chars"]
    ('Reuters', '2025-06-12T10:00:00Z', 'China said…', '1234')
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

from supplywatch.exceptions import CorpusError

#: The article fields a record can give.
ARTICLE_FIELDS = ("text", "title", "date", "source", "url", "id")

#: Keys read for each article field (lower case, dotted for nested values), first non-empty wins.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "full_text", "fulltext", "article_text", "article", "maintext",
             "content_text", "story"),
    "title": ("title", "headline"),
    "date": ("date", "datetime", "publishedat", "published_at", "published", "pubdate", "date_publish",
             "date_published", "publication_date", "pub_date"),
    "source": ("source", "source.name", "source.title", "source_name", "publisher", "outlet", "sitename",
               "site_name", "source_domain", "source.uri"),
    "url": ("url", "link", "web_url", "href"),
    "id": ("id", "uri", "doc_id", "article_id"),
}
#: Keys read as the text only when no text key has a value (the record then gets a warning).
FALLBACK_TEXT = ("description", "summary", "abstract", "lead", "snippet")

#: The "[+1234 chars]" marker with which NewsAPI (and tools copying it) cut ``content``.
TRUNCATED_RE = re.compile(r"\s*\[\+\s*(\d+)\s*char(?:acter)?s?\]\s*$", re.I)
_META_KEY_RE = re.compile(r"[^a-z0-9]+")
_MAX_DEPTH = 4
#: Every key the text is read from when no field map names one (see :func:`has_text_field`).
_TEXT_KEYS = frozenset(FIELD_ALIASES["text"] + FALLBACK_TEXT)
#: Record key -> its normalised form (flattened key, metadata name): the same few keys recur in
#: every record of a corpus, so each is worked out once. Bounded: cleared when full.
_KEY_CACHE_SIZE = 4096
_flat_keys: dict[str, str] = {}
_meta_names: dict[str, str] = {}


class FieldMap(dict):
    """A user's field mapping: article field -> record key (``{"text": "story"}``).

    Built from ``--field FIELD=KEY`` options; a mapped field is read from that key only (nested
    keys dotted: ``--field source=publisher.name``).

    Raises:
        CorpusError: an option is not ``FIELD=KEY`` or names an unknown article field.

    Example:
        >>> FieldMap.parse(["text=Story", "date = meta.published"])
        {'text': 'story', 'date': 'meta.published'}
    """

    @classmethod
    def parse(cls, options: Iterable[str] | Mapping[str, str] | None) -> FieldMap:
        out = cls()
        if not options:
            return out
        items = options.items() if isinstance(options, Mapping) else (
            tuple(o.split("=", 1)) if "=" in o else (o, "") for o in options)
        for name, key in items:
            name, key = str(name).strip().lower(), str(key).strip().lower()
            if name not in ARTICLE_FIELDS:
                raise CorpusError(f"--field {name}={key}: unknown article field {name!r}; "
                                  f"use one of {', '.join(ARTICLE_FIELDS)} (e.g. --field text=body)")
            if not key:
                raise CorpusError(f"--field {name!r} needs a record key after '=' (e.g. --field {name}=body)")
            out[name] = key
        return out

    def describe(self) -> str:
        """``text=story, date=published`` (for cache keys and messages)."""
        return ", ".join(f"{k}={v}" for k, v in sorted(self.items()))


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _join(items: list) -> str:
    parts = []
    for item in items:
        if isinstance(item, Mapping):
            label = next((item[k] for k in ("name", "title", "label", "uri", "value", "id")
                          if isinstance(item.get(k), (str, int, float)) and str(item.get(k))), None)
            parts.append(str(label) if label is not None else json.dumps(item, ensure_ascii=False, sort_keys=True))
        elif isinstance(item, list):
            parts.append(json.dumps(item, ensure_ascii=False))
        elif item is not None:
            parts.append(_scalar(item))
    return ";".join(p for p in parts if p)


def _flat_key(key: object) -> str:
    if type(key) is not str:  # (1 and True are one dict key but not one name: only strings are cached)
        return str(key).strip().lower().lstrip("\ufeff")
    name = _flat_keys.get(key)
    if name is None:
        name = key.strip().lower().lstrip("\ufeff")
        if len(_flat_keys) >= _KEY_CACHE_SIZE:
            _flat_keys.clear()
        _flat_keys[key] = name
    return name


def _meta_name(key: str) -> str:
    name = _meta_names.get(key)
    if name is None:
        name = _META_KEY_RE.sub("_", key).strip("_")
        if len(_meta_names) >= _KEY_CACHE_SIZE:
            _meta_names.clear()
        _meta_names[key] = name
    return name


#: Value types flatten keeps as they are (checked by exact type first: the common case).
_PLAIN = frozenset((str, int, float, bool, type(None)))


def flatten(obj: Mapping, prefix: str = "", depth: int = 0) -> dict[str, object]:
    """Nested objects as dotted lower-case keys; lists as ``;``-joined text (see the module doc).

    Example:
        >>> flatten({"Source": {"id": None, "name": "Reuters"}, "authors": [{"name": "A"}, {"name": "B"}]})
        {'source.id': None, 'source.name': 'Reuters', 'authors': 'A;B'}
    """
    out: dict[str, object] = {}
    for key, value in obj.items():
        if key is None:
            continue
        name = prefix + (_flat_keys.get(key) or _flat_key(key))  # (only strings are cached)
        if type(value) in _PLAIN:
            out[name] = value
        elif isinstance(value, Mapping):
            if depth < _MAX_DEPTH:
                out.update(flatten(value, name + ".", depth + 1))
            else:
                out[name] = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        elif isinstance(value, (list, tuple)):
            out[name] = _join(list(value))
        else:
            out[name] = value
    return out


def _pick(flat: Mapping[str, object], field: str, fields: FieldMap | None) -> tuple[str | None, object]:
    if fields and field in fields:
        key = fields[field]
        return key, flat.get(key)
    for key in FIELD_ALIASES[field]:
        value = flat.get(key)
        if value not in (None, ""):
            return key, value
    return None, None


def has_text_field(flat: Mapping[str, object], fields: FieldMap | None = None) -> bool:
    """True when the record has a key the text is read from (even if its value is empty)."""
    if fields and "text" in fields:
        return fields["text"] in flat
    return not _TEXT_KEYS.isdisjoint(flat)


def no_text_message(flat: Mapping[str, object], fields: FieldMap | None = None) -> str:
    """The error for a record without a text field: which fields it has and how to map one."""
    names = ", ".join(sorted(flat)) or "(none)"
    if fields and "text" in fields:
        return (f"no field {fields['text']!r} (given with --field text={fields['text']}); "
                f"the record's fields are: {names}; skipped")
    return (f"no text field (looked for {', '.join(FIELD_ALIASES['text'][:3])}...); the record's fields are: "
            f"{names}; name the text field with --field text=FIELD; skipped")


def record_fields(obj: Mapping, fields: FieldMap | None = None) -> dict:
    """The article fields of one record, plus ``meta`` (every other field) and ``warnings``.

    Returns ``{"text": str, "title"?, "date"?, "source"?, "url"?, "id"?, "meta": {...},
    "warnings": [...], "missing_text": str, "flat_keys": [...]}``; text is ``""`` when the record has
    none, and ``missing_text`` the error for a record without any text field (``""`` otherwise).
    """
    flat = flatten(obj)
    out: dict = {"warnings": []}
    used: set[str] = set()
    for name in ARTICLE_FIELDS:
        key, value = _pick(flat, name, fields)
        if key is not None and value not in (None, ""):
            if name == "id" and "://" in str(value):
                continue  # a URL is no record key: the record's number is, and the URL stays metadata
            used.add(key)
            out[name] = value if name == "date" or type(value) is str else _scalar(value)
    if "text" not in out and not (fields and "text" in fields):
        for key in FALLBACK_TEXT:
            if flat.get(key) not in (None, ""):
                out["text"] = _scalar(flat[key])
                used.add(key)
                out["warnings"].append(f"no full text: the record's {key!r} field was read as the text")
                break
    out["missing_text"] = "" if has_text_field(flat, fields) else no_text_message(flat, fields)
    text = str(out.get("text", ""))
    meta: dict[str, str] = {}
    m = TRUNCATED_RE.search(text) if "[+" in text else None  # (the marker's own characters: a quick test)
    if m:
        text = text[:m.start()].rstrip()
        meta["truncated_chars"] = m.group(1)
        out["warnings"].append(
            f"text truncated by the source: {m.group(1)} more characters were not included "
            "(NewsAPI's free 'content' is cut this way); only the part given is analysed")
    out["text"] = text
    for key, value in flat.items():
        name = _meta_names.get(key) or _meta_name(key)
        if not name or key in used or name in meta:
            continue
        meta[name] = value if type(value) is str else _scalar(value)
    out["meta"] = meta
    out["flat_keys"] = sorted(flat)
    return out


def json_records(data: object) -> tuple[list | None, str]:
    """The records of a parsed ``.json`` file and the layout's name (None when none is recognised).

    Layouts: a list of objects; ``{"articles": [...]}`` (NewsAPI); ``{"articles": {"results": [...]}}``
    (Event Registry); ``{"results": [...]}``, ``{"items": [...]}`` (JSON Feed), ``{"data": [...]}``;
    one object (one article).

    Example:
        >>> json_records({"articles": {"results": [{"body": "x"}]}})
        ([{'body': 'x'}], 'Event Registry (articles.results[])')
    """
    if isinstance(data, list):
        return data, "a list of records"
    if not isinstance(data, dict):
        return None, ""
    articles = data.get("articles")
    if isinstance(articles, list):
        named = "NewsAPI (articles[])" if ("totalResults" in data or "status" in data) else "articles[]"
        return articles, named
    if isinstance(articles, dict) and isinstance(articles.get("results"), list):
        return articles["results"], "Event Registry (articles.results[])"
    for key, name in (("results", "results[]"), ("items", "JSON Feed (items[])"), ("data", "data[]")):
        if isinstance(data.get(key), list):
            return data[key], name
    return [data], "one record"
