"""The actor gazetteer: who supplywatch recognises in the news, loaded from a YAML file users own.

The default file is ``data/actors.yaml``; ``supplywatch analyze --gazetteer FILE`` (or
``analyze_corpus(..., gazetteer=FILE)``) uses another one. The file holds two top-level keys:

``actors`` (a list), each entry a mapping with

* ``id`` (required): a short unique key. Countries use their ISO 3166 alpha-3 code (``CHN``),
  blocs a short code (``EU``), everything else a slug (``lin-jian``).
* ``name`` (required): the display name, also matched in text.
* ``type`` (required): one of :data:`ACTOR_TYPES`.
* ``affiliation``: the ISO alpha-3 code or bloc id the actor belongs to (a country's own code
  for countries; ``CHN`` for the Chinese Foreign Ministry).
* ``aliases``: other names matched in text (``US``, ``U.S.``, ``United States of America``).
  Short all-capital aliases (five letters or fewer, such as ``US``, ``EU``) match case-sensitively;
  other names may be written with more capitals than listed but never fewer.
* ``demonyms`` (countries and blocs): adjectives/nouns such as ``Chinese``; a plural with ``s`` is
  added automatically (``Indians``) unless the demonym ends in ``s``, ``sh``, ``ch`` or ``ese``.
* ``metonyms``: capitals or seats standing for the actor (``Beijing``, ``Brussels``, ``Kremlin``);
  they count only when not used as a place (see :mod:`supplywatch.actors`).
* ``roles`` (people): free-text roles (``spokesperson``); informative only.
* ``surname`` (people): the name used alone to refer back to the person; default: the last word
  of ``name``. Set it for names written family-name first (``Lin`` for ``Lin Jian``).
* ``surname_alone`` (people, default false): true if the bare surname identifies the person even
  when the article has not named them in full first (``Trump``).

``non_actors`` (optional): phrases that contain an actor's name but are not that actor
(``Indian Ocean``, ``South China Sea``, ``New Mexico``); they are matched and discarded, so the
longest-match rule keeps them from producing mentions.

Example:
    >>> gaz = load_gazetteer()                       # doctest: +SKIP
    >>> gaz.lookup("u.s.").name                      # doctest: +SKIP
    'United States'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supplywatch.config import GAZETTEER_FILE
from supplywatch.exceptions import GazetteerError
from supplywatch.resources import load_versioned, load_yaml

#: The actor types the gazetteer accepts.
ACTOR_TYPES = ("country", "bloc", "person", "organisation", "company", "agency", "media")

_ALLOWED_KEYS = {
    "id", "name", "type", "affiliation", "aliases", "demonyms", "metonyms", "roles", "surname",
    "surname_alone", "note",
}
_LIST_KEYS = ("aliases", "demonyms", "metonyms", "roles")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


@dataclass(frozen=True)
class Actor:
    """One actor of the gazetteer.

    Example:
        >>> Actor(id="CHN", name="China", type="country", affiliation="CHN").country
        'CHN'
    """

    id: str
    name: str
    type: str
    affiliation: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    surname: str | None = None
    surname_alone: bool = False

    @property
    def country(self) -> str:
        """The ISO alpha-3 code or bloc id the actor belongs to ("" if unknown)."""
        return self.affiliation or ""

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """Every ``(form, kind)`` this actor is matched by: name, aliases, demonyms, metonyms."""
        yield self.name, "name"
        for alias in self.aliases:
            yield alias, "alias"
        for demonym in self.demonyms:
            yield demonym, "demonym"
            plural = _plural(demonym)
            if plural:
                yield plural, "demonym"
        for metonym in self.metonyms:
            yield metonym, "metonym"


def _plural(demonym: str) -> str | None:
    low = demonym.lower()
    if not demonym[:1].isupper() or low.endswith(("s", "sh", "ch", "ese", "x", "z")):
        return None
    return demonym + "s"


@dataclass
class Gazetteer:
    """The loaded gazetteer: actors by id, plus the non-actor phrases.

    Example:
        >>> gaz = Gazetteer([Actor("CHN", "China", "country", "CHN", aliases=("PRC",))])
        >>> gaz.lookup("prc").id
        'CHN'
    """

    actors: list[Actor]
    non_actors: tuple[str, ...] = ()
    path: Path | None = None
    _by_id: dict[str, Actor] = field(init=False, repr=False)
    _by_form: dict[str, Actor] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {a.id: a for a in self.actors}
        self._by_form = {}
        for actor in self.actors:
            for form in (actor.name, *actor.aliases):
                self._by_form.setdefault(form.casefold(), actor)
        for actor in self.actors:  # ids last, so a name never loses to an id
            self._by_form.setdefault(actor.id.casefold(), actor)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.actors)

    def __len__(self) -> int:
        return len(self.actors)

    def __getitem__(self, actor_id: str) -> Actor:
        return self._by_id[actor_id]

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._by_id

    def get(self, actor_id: str) -> Actor | None:
        """The actor with this id, or None."""
        return self._by_id.get(actor_id)

    def lookup(self, name: str) -> Actor | None:
        """The actor whose name, alias or id is ``name`` (case-insensitive), or None.

        A trailing possessive (``China's``) and surrounding whitespace are ignored.

        Example:
            >>> Gazetteer([Actor("IND", "India", "country", "IND")]).lookup(" INDIA’s ").name
            'India'
        """
        key = " ".join(name.split()).casefold()
        found = self._by_form.get(key)
        if found is None and key.endswith(("'s", "’s")):
            found = self._by_form.get(key[:-2])
        return found

    def by_type(self, actor_type: str) -> list[Actor]:
        """All actors of one type, in file order."""
        return [a for a in self.actors if a.type == actor_type]



def _where(path: Path | None, index: int | None = None, entry: Any = None) -> str:
    where = str(path) if path else "<gazetteer>"
    if index is not None:
        label = entry.get("id") if isinstance(entry, dict) and entry.get("id") else f"#{index + 1}"
        where += f": actors entry {label} (position {index + 1})"
    return where


def _str_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GazetteerError(f"{where}: '{key}' must be a list of non-empty strings, got {value!r}; "
                             f"write e.g. {key}: [\"First\", \"Second\"]")
    return tuple(" ".join(v.split()) for v in value)


def parse_actor(entry: Any, *, where: str) -> Actor:
    """Validate one ``actors`` entry and build the :class:`Actor`; raise GazetteerError naming ``where``."""
    if not isinstance(entry, dict):
        raise GazetteerError(f"{where}: each actor must be a mapping with id, name and type, got {entry!r}")
    unknown = sorted(set(entry) - _ALLOWED_KEYS)
    if unknown:
        raise GazetteerError(f"{where}: unknown field(s) {', '.join(map(repr, unknown))}; "
                             f"allowed: {', '.join(sorted(_ALLOWED_KEYS))}")
    for key in ("id", "name", "type"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise GazetteerError(f"{where}: '{key}' is required and must be a non-empty string "
                                 f"(got {entry.get(key)!r})")
    actor_id = entry["id"].strip()
    if not _ID_RE.match(actor_id):
        raise GazetteerError(f"{where}: id {actor_id!r} may hold only letters, digits, '_', '-', '.'")
    actor_type = entry["type"].strip()
    if actor_type not in ACTOR_TYPES:
        raise GazetteerError(f"{where}: unknown type {actor_type!r}; allowed: {', '.join(ACTOR_TYPES)}")
    affiliation = entry.get("affiliation")
    if affiliation is not None and (not isinstance(affiliation, str) or not affiliation.strip()):
        raise GazetteerError(f"{where}: 'affiliation' must be an ISO alpha-3 code or bloc id, got {affiliation!r}")
    surname = entry.get("surname")
    if surname is not None and (not isinstance(surname, str) or not surname.strip()):
        raise GazetteerError(f"{where}: 'surname' must be a non-empty string, got {surname!r}")
    if "surname_alone" in entry and not isinstance(entry["surname_alone"], bool):
        raise GazetteerError(f"{where}: 'surname_alone' must be true or false, got {entry['surname_alone']!r}")
    lists = {key: _str_list(entry.get(key), key, where) for key in _LIST_KEYS}
    name = " ".join(entry["name"].split())
    if actor_type == "person" and surname is None:
        surname = name.split()[-1]
    if actor_type == "country" and affiliation is None:
        affiliation = actor_id
    return Actor(
        id=actor_id, name=name, type=actor_type,
        affiliation=affiliation.strip() if affiliation else None,
        aliases=lists["aliases"], demonyms=lists["demonyms"], metonyms=lists["metonyms"],
        roles=lists["roles"], surname=surname.strip() if surname else None,
        surname_alone=bool(entry.get("surname_alone", False)),
    )


def parse_gazetteer(data: Any, *, path: Path | None = None) -> Gazetteer:
    """Validate parsed YAML data and build a :class:`Gazetteer` (see the module docstring for the format)."""
    where = _where(path)
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise GazetteerError(f"{where}: the file must be a mapping with an 'actors:' list "
                             f"(and optionally 'non_actors:'); see data/actors.yaml for the format")
    unknown = sorted(set(data) - {"actors", "non_actors"})
    if unknown:
        raise GazetteerError(f"{where}: unknown top-level key(s) {', '.join(map(repr, unknown))}; "
                             f"allowed: actors, non_actors")
    actors: list[Actor] = []
    ids: dict[str, int] = {}
    forms: dict[str, tuple[str, str]] = {}
    for index, entry in enumerate(data["actors"]):
        here = _where(path, index, entry)
        actor = parse_actor(entry, where=here)
        if actor.id in ids:
            raise GazetteerError(f"{here}: duplicate id {actor.id!r} (first used by entry {ids[actor.id] + 1}); "
                                 f"ids must be unique, rename one")
        ids[actor.id] = index
        for form, kind in actor.surface_forms():
            key = form.casefold()
            owner = forms.get(key)
            if owner is not None and owner[0] != actor.id:
                raise GazetteerError(
                    f"{here}: {kind} {form!r} is already claimed by actor {owner[0]!r} (as {owner[1]}); "
                    f"a name may belong to one actor only: remove it from one of them")
            forms.setdefault(key, (actor.id, kind))
        actors.append(actor)
    for actor in actors:
        if actor.affiliation and actor.affiliation not in ids and not re.fullmatch(r"[A-Z]{3}", actor.affiliation):
            raise GazetteerError(f"{_where(path, ids[actor.id], {'id': actor.id})}: affiliation "
                                 f"{actor.affiliation!r} is neither an actor id nor an ISO alpha-3 code")
    non_actors = _str_list(data.get("non_actors"), "non_actors", where)
    for phrase in non_actors:
        if phrase.casefold() in forms:
            raise GazetteerError(f"{where}: non_actors phrase {phrase!r} is also a name of actor "
                                 f"{forms[phrase.casefold()][0]!r}; remove it from one list")
    return Gazetteer(actors, non_actors, path)


def read_gazetteer(path: str | os.PathLike) -> Gazetteer:
    """Read and validate a gazetteer file (no caching)."""
    import yaml

    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GazetteerError(f"{path}: gazetteer file not found; pass an existing YAML file "
                             f"(the default is {GAZETTEER_FILE})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{path}: cannot read the gazetteer ({exc}); it must be a UTF-8 YAML file") from None
    try:
        data = load_yaml(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise GazetteerError(f"{path}:{line} invalid YAML ({getattr(exc, 'problem', exc)}); "
                             f"fix the syntax (indentation, quotes, colons)") from None
    return parse_gazetteer(data, path=path)


def load_gazetteer(path: str | os.PathLike | None = None) -> Gazetteer:
    """Load the gazetteer (default ``data/actors.yaml``), validated and cached until the file changes.

    Raises:
        GazetteerError: the file is missing, not valid YAML, or an entry is malformed (the message
            names the file, the entry and the fix).

    Example:
        >>> load_gazetteer().lookup("Beijing") is None   # metonyms are not names   # doctest: +SKIP
        True
    """
    path = Path(path) if path is not None else GAZETTEER_FILE
    if not path.is_file():
        return read_gazetteer(path)  # raises the GazetteerError that says what to do
    return load_versioned(read_gazetteer, path, missing=f"gazetteer not found: {path}")
