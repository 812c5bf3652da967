"""Lexicon rules on the recogniser's names: non-actors dropped, parties and clubs typed as organisations.

The CRF (:mod:`supplywatch.actors.recognise`) was trained on Reuters wire copy and labels what is
capitalised like a name; some kinds of words it gets wrong in general news, whatever the sentence:

* **Not actors** (``not_names`` in ``data/ner_rules.yaml``): holidays and festivals ("Christmas",
  "New Year"), calendar words ("Spring"), awards and events ("Oscar", "Six Nations"), products and
  formats ("PC", "DVD", "Xbox"), chemical elements and commodities ("Gallium", "Brent"), titles and
  religion or regional adjectives ("MP", "Muslim", "Welsh"). Such a name becomes ``MISC``: it is no
  mention, and a country inside it does not count either, as for the recogniser's own MISC names.
* **Parties** (``parties``, and names ending in a ``party_words`` word: "Scottish Conservatives") are
  organisations, whatever label the CRF gave ("Tory" as a place, "Labour" as a company).
* **Clubs** (``clubs``, and names ending in a ``club_words`` word or starting with a
  ``club_first_words`` one: "Leeds United", "Real Madrid") are organisations **in a sports report**
  (the test of :meth:`supplywatch.actors.context.ArticleContext.sports_report`) or, as
  :func:`supplywatch.actors.recognised.recognised_mentions` applies it, before a sport head ("Chelsea
  winger"), and not right after "in" or "near" ("the match in Cardiff"); elsewhere "Liverpool" is left
  to the recogniser.

A listed entry matches the name as written (case matters), its plural with ``s`` ("PCs", "Oscars"),
and the name without a leading "The" ("The Oscars").

Example:
    >>> rules = NameRules.from_mapping({"not_names": {"holidays": ["Christmas"]}, "parties": ["Tory"]})
    >>> rules.relabel("Christmas", "PER", lambda: False, "")
    ('MISC', None)
    >>> rules.relabel("Tory", "LOC", lambda: False, "")
    ('ORG', 'organisation')
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supplywatch.config import DATA_DIR
from supplywatch.exceptions import ResourceError
from supplywatch.resources import load_versioned, read_yaml_resource

#: The rule file (yours to edit; see its header).
NAME_RULES_FILE = DATA_DIR / "ner_rules.yaml"
_LIST_KEYS = ("parties", "party_words", "clubs", "club_words", "club_first_words")
#: Words right before a club's name that make it the town ("the match in Cardiff").
PLACE_BEFORE = frozenset(("in", "near"))


@dataclass(frozen=True)
class NameRules:
    """The lists of ``data/ner_rules.yaml`` (exact strings; see the module docstring)."""

    not_names: frozenset[str] = frozenset()
    parties: frozenset[str] = frozenset()
    party_words: frozenset[str] = frozenset()
    clubs: frozenset[str] = frozenset()
    club_words: frozenset[str] = frozenset()
    club_first_words: frozenset[str] = frozenset()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, where: str = "<name rules>") -> NameRules:
        """Build the rules from parsed YAML; raise ResourceError naming ``where`` on a bad entry."""
        if not isinstance(data, Mapping):
            raise ResourceError(f"{where}: the file must be a mapping (not_names, {', '.join(_LIST_KEYS)})")
        unknown = sorted(set(data) - {"not_names", *_LIST_KEYS})
        if unknown:
            raise ResourceError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; "
                                f"allowed: not_names, {', '.join(_LIST_KEYS)}")
        groups = data.get("not_names") or {}
        if not isinstance(groups, Mapping):
            raise ResourceError(f"{where}: 'not_names' must map a kind (holidays, products, ...) to a list")
        lists: dict[str, frozenset[str]] = {}
        not_names: set[str] = set()
        for key, value in [*((f"not_names.{k}", v) for k, v in groups.items()),
                           *((k, data.get(k)) for k in _LIST_KEYS)]:
            value = value or []
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ResourceError(f"{where}: '{key}' must be a list of names, got {value!r}")
            names = frozenset(" ".join(v.split()) for v in value)
            if key.startswith("not_names."):
                not_names |= names
            else:
                lists[key] = names
        return cls(not_names=frozenset(not_names), **lists)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_kinds", {})

    def kind(self, name: str) -> str:
        """``"not_name"``, ``"party"``, ``"club"`` (a club's name, whatever the article) or ``""`` for a
        name as written (results cached per name, at most 100,000)."""
        kinds = self._kinds
        got = kinds.get(name)
        if got is None:
            last = name.rsplit(" ", 1)[-1]
            if self._listed(name, self.not_names):
                got = "not_name"
            elif self._listed(name, self.parties) or (" " in name and last in self.party_words):
                got = "party"
            elif self._listed(name, self.clubs) or (" " in name and (
                    last in self.club_words or name.split(" ", 1)[0] in self.club_first_words)):
                got = "club"
            else:
                got = ""
            if len(kinds) < 100_000:
                kinds[name] = got
        return got

    def _listed(self, name: str, names: frozenset[str]) -> bool:
        return name in names or (name[-1:] == "s" and len(name) > 2 and name[:-1] in names) or (
            name.startswith("The ") and self._listed(name[4:], names))

    def relabel(self, name: str, label: str, sports: Callable[[], bool], before: str) -> tuple[str, str | None]:
        """``(label, actor type or None)`` for a recognised name: ``MISC`` for a non-actor, ``ORG`` and
        ``organisation`` for a party or (``sports()`` true) a club, else the label unchanged and None.

        Args:
            name: the name as written (one space between words).
            label: the recogniser's label (PER, ORG, LOC).
            sports: called at most once, only for a club-like name: whether the article is a sports report.
            before: the word right before the name, lower case ("in": a club's name is the town).
        """
        kind = self.kind(name)
        if kind == "not_name":
            return "MISC", None
        if kind == "party" or (kind == "club" and before not in PLACE_BEFORE and sports()):
            return "ORG", "organisation"
        return label, None


def read_name_rules(path: str | os.PathLike) -> NameRules:
    """Read and validate a rule file (no caching)."""
    data = read_yaml_resource(path, "the name rules", "data/ner_rules.yaml")
    return NameRules.from_mapping(data or {}, where=str(path))


_DEFAULT: NameRules | None = None


def default_name_rules() -> NameRules:
    """The rules of ``data/ner_rules.yaml``, read once per process (as the recogniser's model is): the
    mentions stage asks for them once per article."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_name_rules()
    return _DEFAULT


def load_name_rules(path: str | os.PathLike | None = None) -> NameRules:
    """The rules (default ``data/ner_rules.yaml``), cached until the file changes.

    Raises:
        ResourceError: the file is missing, not YAML, or holds something other than lists of names.
    """
    path = Path(path) if path is not None else NAME_RULES_FILE
    return load_versioned(read_name_rules, path,
                          missing=f"{path}: name rule file not found; restore data/ner_rules.yaml from the repository")
