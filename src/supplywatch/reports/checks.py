"""Parameter values checked before anything runs: topic, actors, ``top_n``, dates.

:mod:`supplywatch.reports.params` checks names and types against each notebook's ``parameters``
cell; this module checks the *values* against the project's resources, with the same messages
whether the values come from ``supplywatch render -p``, a params file, papermill used directly or a
notebook edited in JupyterLab (the notebooks call :func:`check_parameters` first):

* ``topic``: any spelling the topic lexicon (``data/topics.yaml``) lists for a topic: its id
  (``rare_earths``), name (``rare earths``) or a variant (``rare-earths``, ``REE``), case, hyphens and
  spaces aside; an unknown topic is refused with the closest names.
* ``actors``: each comma-separated name must be an actor's name, alias or id in the gazetteer
  (case-insensitive); an unknown one is refused with the closest known names.
* ``top_n``: an integer of at least 1.
* ``since`` / ``until``: ``YYYY-MM-DD`` (or empty), ``since`` not after ``until``.

Every refusal is a :class:`~supplywatch.exceptions.ParameterError` (exit code 2 from the CLI).

Example:
    >>> resolve_topic("Rare-Earths").id                                      # doctest: +SKIP
    'rare_earths'
    >>> check_parameters(top_n="5", topic="rare-earths")["top_n"]            # doctest: +SKIP
    5
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from supplywatch.exceptions import ParameterError

#: The parameters every report notebook shares, with their declared types (a test checks that each
#: notebook's parameters cell declares exactly these types).
SHARED_TYPES: dict[str, str] = {"corpus": "str", "gazetteer": "str", "since": "str", "until": "str",
                                "actors": "str", "topic": "str", "top_n": "int", "output_dir": "str",
                                "keyword": "str"}


def _key(text: str) -> str:
    """A spelling reduced to letters and digits: ``Rare-Earths`` and ``rare_earths`` meet."""
    return re.sub(r"[\s_\-]+", " ", str(text).casefold()).strip()


def split_names(value: Any) -> list[str]:
    """The comma-separated names of an ``actors`` value, stripped, empty ones dropped."""
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


def _closest(word: str, choices: list[str], n: int = 5) -> list[str]:
    by_key: dict[str, str] = {}
    for choice in choices:
        by_key.setdefault(_key(choice), choice)
    close = difflib.get_close_matches(_key(word), list(by_key), n=n, cutoff=0.6)
    if len(close) < n:  # a prefix or part also helps ("neodym" -> neodymium)
        close += [k for k in by_key if _key(word) and _key(word) in k and k not in close][: n - len(close)]
    return [by_key[k] for k in close]


def resolve_topic(topic: str, topics=None):
    """The lexicon's :class:`~supplywatch.claims.topics.Topic` that ``topic`` names.

    Any spelling the lexicon lists counts: the id, the name, or a variant (ordinary variants with
    case, hyphens, underscores and spaces ignored, and a plural ``s``; ``case_variants`` exactly).

    Raises:
        ParameterError: no topic has that spelling (the message lists the closest ones).
    """
    from supplywatch.claims.topics import load_topics

    topics = topics or load_topics()
    wanted = _key(topic)
    exact = str(topic).strip()
    spellings: dict[str, Any] = {}
    for t in topics.topics:
        for form in (t.id, t.name, *t.variants):
            spellings.setdefault(_key(form), t)
            spellings.setdefault(_key(form) + "s", t)
    for t in topics.topics:
        if exact in t.case_variants:
            return t
    if wanted in spellings:
        return spellings[wanted]
    names = [t.name for t in topics.topics]
    close = _closest(topic, names + [v for t in topics.topics for v in t.variants])
    hint = f"closest: {', '.join(dict.fromkeys(close))}" if close else f"e.g. {', '.join(names[:8])}"
    raise ParameterError(f"parameter 'topic': {topic!r} is not in the topic lexicon (data/topics.yaml); "
                         f"{hint}. Use a topic's id, name or any variant listed there")


def topic_ids(topic: str, topics=None) -> set[str]:
    """The id of the topic ``topic`` names and the ids of its sub-topics (rare earths -> its elements)."""
    from supplywatch.claims.topics import load_topics

    topics = topics or load_topics()
    match = resolve_topic(topic, topics)
    return {match.id} | {t.id for t in topics.topics if t.parent == match.id}


def resolve_actors(actors: str, gazetteer: str = "") -> dict[str, str]:
    """``{given name: actor id}`` for each comma-separated name of ``actors``.

    A name is an actor's name, alias, id, demonym or metonym in the gazetteer (the bundled
    ``data/actors.yaml``, or the file ``gazetteer`` names), case-insensitive.

    Raises:
        ParameterError: a name is not in the gazetteer (the message lists the closest known names).
        GazetteerError: the gazetteer file is missing or invalid.
    """
    from supplywatch.actors.gazetteer import load_gazetteer

    names = split_names(actors)
    if not names:
        return {}
    gaz = load_gazetteer(str(gazetteer).strip() or None)
    found: dict[str, str] = {}
    forms: dict[str, Any] = {}
    for name in names:
        actor = gaz.lookup(name)
        if actor is None:  # a demonym or metonym ("Chinese", "Beijing") names its actor too
            if not forms:
                forms = {form.casefold(): a for a in gaz for form, _kind in a.surface_forms()}
            actor = forms.get(" ".join(name.split()).casefold())
        if actor is None:
            known = [a.name for a in gaz] + [alias for a in gaz for alias in a.aliases] + [a.id for a in gaz]
            close = _closest(name, known)
            where = str(gazetteer).strip() or "data/actors.yaml"
            raise ParameterError(
                f"parameter 'actors': {name!r} is not an actor in the gazetteer ({where})"
                + (f"; closest names: {', '.join(close)}" if close else "")
                + ". Give actor names, aliases or ids separated by commas, or add the actor to the gazetteer")
        found[name] = actor.id
    return found


def check_values(values: Mapping[str, Any], *, source: str = "-p") -> None:
    """Check the values of the shared parameters (already of their declared types).

    Raises:
        ParameterError: ``top_n`` below 1, ``since`` after ``until``, an unknown topic or actor.
        GazetteerError: the ``gazetteer`` file is missing or invalid.
    """
    if "top_n" in values and (isinstance(values["top_n"], bool) or not isinstance(values["top_n"], int)
                              or values["top_n"] < 1):
        raise ParameterError(f"parameter 'top_n' ({source}): {values['top_n']!r} is not allowed; give a whole "
                             "number of at least 1 (how many bars / rows each chart and ranking keeps)")
    since, until = str(values.get("since") or ""), str(values.get("until") or "")
    if since and until and since > until:
        raise ParameterError(f"parameters 'since' and 'until' ({source}): since {since} is after until {until}; "
                             "no article could be in that window")
    if str(values.get("topic") or "").strip():
        resolve_topic(str(values["topic"]))
    if split_names(values.get("actors")):
        resolve_actors(str(values["actors"]), str(values.get("gazetteer") or ""))


def check_parameters(**values: Any) -> dict[str, Any]:
    """Check a notebook's parameter values as ``supplywatch render`` does; return them converted.

    The report notebooks call this first, so papermill used directly (``papermill NB OUT -p top_n
    lots``) or a value edited in JupyterLab gets the same checks and messages as ``render``. Types
    come from :data:`SHARED_TYPES` (a test keeps them equal to the notebooks' parameters cells).

    Raises:
        ParameterError: a value of the wrong type or not allowed (see :func:`check_values`).

    Example:
        >>> check_parameters(top_n="5", since="")                                # doctest: +SKIP
        {'top_n': 5, 'since': ''}
    """
    from supplywatch.reports.params import ParameterSpec, convert_value

    source = "notebook parameters"
    out: dict[str, Any] = {}
    for name, value in values.items():
        type_name = SHARED_TYPES.get(name)
        if type_name is None:
            out[name] = value
            continue
        if value is None and type_name == "str":
            value = ""
        out[name] = convert_value(value, ParameterSpec(name, type_name, None), source)
    check_values(out, source=source)
    return out
