"""The topic / commodity lexicon (``data/topics.yaml``): what a market-share claim is about.

The file is loaded lazily on first use and validated: an error names the file, the entry and the
bad value. Matching is on word boundaries; ordinary variants match case-insensitively (and with a
plural ``s``), ``case_variants`` with exactly their case; the longest match wins, and ``non_topics``
(``blue chips``) are matched and discarded.

Example:
    >>> topics = load_topics()                                  # doctest: +SKIP
    >>> [(m.topic.name, m.surface) for m in topics.find("China's rare-earth magnets")]  # doctest: +SKIP
    [('rare earth magnets', 'rare-earth magnets')]
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from supplywatch.config import TOPICS_FILE
from supplywatch.exceptions import ResourceError
from supplywatch.resources import load_versioned, load_yaml
from supplywatch.text.trie import trie_regex

_ID_RE = re.compile(r"^[a-z0-9_]+$")
_KEYS = {"id", "name", "group", "parent", "variants", "case_variants", "note"}


@dataclass(frozen=True)
class Topic:
    """One topic: id, display name, group, optional parent id and the phrases that name it."""

    id: str
    name: str
    group: str = ""
    parent: str | None = None
    variants: tuple[str, ...] = ()
    case_variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicMatch:
    """A topic named in a text: ``text[start:end] == surface``."""

    topic: Topic
    start: int
    end: int
    surface: str


def _norm(phrase: str) -> str:
    return re.sub(r"[\s-]+", " ", phrase.lower())


@dataclass(frozen=True)
class Topics:
    """The loaded lexicon: topics by id and a matcher over all their variants.

    Example:
        >>> t = Topics((Topic("cobalt", "cobalt", variants=("cobalt",)),))
        >>> [m.topic.id for m in t.find("Cobalt prices")]
        ['cobalt']
    """

    topics: tuple[Topic, ...]
    non_topics: tuple[str, ...] = ()
    path: str = ""

    @cached_property
    def by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    @cached_property
    def _matcher(self) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, Topic | None]]:
        owner: dict[str, Topic | None] = {}
        loose: list[str] = []
        exact: list[str] = []
        for topic in self.topics:
            for v in topic.variants:
                owner.setdefault(v.lower(), topic)
                loose.append(v)
            for v in topic.case_variants:
                owner.setdefault(v, topic)
                exact.append(v)
        for v in self.non_topics:
            owner[v.lower()] = None
            loose.append(v)

        def build(phrases: list[str], flags: int, plural: bool) -> re.Pattern[str]:
            # one trie-shaped alternation (see supplywatch.text.trie): the longest phrase wins, and the
            # cost per position does not grow with the size of the lexicon
            words = {" ".join(p.lower() if flags & re.IGNORECASE else p for p in re.split(r"[\s-]+", phrase.strip()) if p)
                     for phrase in phrases}
            body = trie_regex(sorted(words), char=lambda c: r"[\s-]+" if c == " " else re.escape(c),
                              ending=lambda w: r"(?:e?s)?" if plural and w[-1:].isalpha() else "")
            if not body:
                return re.compile(r"(?!x)x")
            return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)

        return build(loose, re.IGNORECASE, True), build(exact, 0, False), owner

    @cached_property
    def _loose_owner(self) -> dict[str, Topic | None]:
        return {_norm(k): t for k, t in reversed(list(self._matcher[2].items()))}

    def _owner(self, surface: str, *, exact: bool) -> Topic | None:
        if exact:
            return self._matcher[2].get(surface)
        key = _norm(surface)
        for candidate in (key, key[:-1], key[:-2]):
            if candidate in self._loose_owner:
                return self._loose_owner[candidate]
        return None

    def find(self, text: str) -> list[TopicMatch]:
        """Every topic named in ``text``, in order, longest match first where they overlap."""
        loose, exact, _ = self._matcher
        spans: list[tuple[int, int, str, bool]] = [(m.start(), m.end(), m.group(), False) for m in loose.finditer(text)]
        spans += [(m.start(), m.end(), m.group(), True) for m in exact.finditer(text)]
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        out: list[TopicMatch] = []
        last_end = -1
        for start, end, surface, is_exact in spans:
            if start < last_end:
                continue
            last_end = end
            topic = self._owner(surface, exact=is_exact)
            if topic is not None:
                out.append(TopicMatch(topic, start, end, surface))
        return out

    def get(self, topic_id: str) -> Topic | None:
        """The topic with this id, or ``None``."""
        return self.by_id.get(topic_id)

    def names(self) -> list[str]:
        """Display names of all topics, in file order (for notebook filters)."""
        return [t.name for t in self.topics]


def _str_tuple(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ResourceError(f"{where}: '{key}' must be a list of non-empty strings, got {value!r}")
    return tuple(v.strip() for v in value)


def parse_topics(data: Any, *, path: str = "<data>") -> Topics:
    """Validate the parsed YAML of a topic lexicon and build :class:`Topics`.

    Raises:
        ResourceError: naming the file, the entry (index and id) and what is allowed.

    Example:
        >>> parse_topics({"topics": [{"id": "tin", "name": "tin", "variants": ["tin"]}]}).names()
        ['tin']
    """
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise ResourceError(f"{path}: expected a mapping with a 'topics' list at the top level")
    topics: list[Topic] = []
    seen: set[str] = set()
    owners: dict[Any, str] = {}  # normalised variant -> the topic id that claims it
    for i, entry in enumerate(data["topics"]):
        where = f"{path}: topics[{i}]"
        if not isinstance(entry, dict):
            raise ResourceError(f"{where}: each topic must be a mapping, got {entry!r}")
        unknown = set(entry) - _KEYS
        if unknown:
            raise ResourceError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_KEYS)}")
        tid = entry.get("id")
        if not isinstance(tid, str) or not _ID_RE.match(tid):
            raise ResourceError(f"{where}: 'id' must be lower-case letters, digits or _, got {tid!r}")
        where = f"{path}: topic {tid!r} (topics[{i}])"
        if tid in seen:
            raise ResourceError(f"{where}: duplicate id {tid!r}; every topic id must be unique: rename one")
        seen.add(tid)
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ResourceError(f"{where}: 'name' must be a non-empty string, got {name!r}")
        variants = _str_tuple(entry.get("variants"), "variants", where)
        case_variants = _str_tuple(entry.get("case_variants"), "case_variants", where)
        if not variants and not case_variants:
            raise ResourceError(f"{where}: give at least one phrase in 'variants' or 'case_variants'")
        group = entry.get("group") or ""
        parent = entry.get("parent")
        if not isinstance(group, str) or (parent is not None and not isinstance(parent, str)):
            raise ResourceError(f"{where}: 'group' and 'parent' must be strings")
        for phrase, key in [(v, _norm(v)) for v in variants] + [(v, ("exact", v)) for v in case_variants]:
            other = owners.setdefault(key, tid)
            if other != tid:
                raise ResourceError(f"{where}: variant {phrase!r} is already claimed by topic {other!r}; a phrase "
                                    "may name one topic only: remove it from one of them")
        topics.append(Topic(tid, name.strip(), group, parent, variants, case_variants))
    for t in topics:
        if t.parent is not None and t.parent not in seen:
            raise ResourceError(f"{path}: topic {t.id!r}: parent {t.parent!r} is not a topic id in the file")
    non_topics = _str_tuple(data.get("non_topics"), "non_topics", path)
    for phrase in non_topics:
        if _norm(phrase) in owners:
            raise ResourceError(f"{path}: non_topics phrase {phrase!r} is also a variant of topic "
                                f"{owners[_norm(phrase)]!r}; remove it from one list")
    return Topics(tuple(topics), non_topics, path)


def read_topics(path: str | os.PathLike) -> Topics:
    """Read and validate a topic lexicon file (uncached)."""
    import yaml

    p = Path(path)
    try:
        data = load_yaml(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResourceError(f"topic lexicon not found: {p} (expected data/topics.yaml or a file you pass)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise ResourceError(f"{p}:{line} not valid YAML ({getattr(exc, 'problem', None) or exc}); "
                            "fix the syntax (indentation, quotes, colons)") from None
    return parse_topics(data, path=str(p))


def load_topics(path: str | os.PathLike | None = None) -> Topics:
    """The topic lexicon (``data/topics.yaml`` by default), loaded once per file version.

    Example:
        >>> "rare earths" in load_topics().names()                 # doctest: +SKIP
        True
    """
    p = Path(path) if path is not None else TOPICS_FILE
    return load_versioned(read_topics, p, missing=f"topic lexicon not found: {p} "
                                                  f"(expected data/topics.yaml or a file you pass)")
