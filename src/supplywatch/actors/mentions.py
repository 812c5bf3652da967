"""Actor mentions: every place an article names a gazetteer actor, and who is named together.

Counting method (one mention per row of the ``mentions`` table):

* **Longest non-overlapping match.** All names, aliases, demonyms, metonyms, people's surnames and
  the gazetteer's ``non_actors`` phrases are compiled once into one regular expression (a trie of
  alternatives) run over the whole lower-cased article. Scanning left to right, the longest name
  starting at a position wins and nothing inside it counts again: "Chinese Foreign Ministry" is the
  ministry only, not also the demonym "Chinese"; "Indian Ocean" (a non-actor) is nothing.
* **Word boundaries and possessives.** A match must start and end at a word boundary; a following
  ``'s`` / ``’s`` is allowed (China's counts as China; the surface is "China").
* **Case.** Short all-capital aliases (``US``, ``EU``, ``UK``, ``AP``) match only in exactly that
  case, and not inside all-capital text (a headline "TALKS WITH US"); dotted forms (``U.S.``) are
  exempt. Other names may be written with more capitals than in the gazetteer but never fewer
  ("china" the porcelain is not China).
* **Metonyms** (Beijing for China) count only when the capital acts as an agent: not after a
  place preposition ("talks in London", "sources in New Delhi", "flew to Beijing"), not in
  "Beijing-based", not as a dateline at the start of a line ("TOKYO, March 3 -"), and not as the
  second member of "in Beijing and Washington".
* **People.** A full name (or alias) is a ``name``/``alias`` mention. A surname alone (``Lin``,
  ``Trump's``) is a ``backref`` to the one person of that surname named earlier in the same
  article; if two people with that surname were named earlier it is ambiguous and not counted.
  Without an earlier full mention it counts (as ``alias``) only for people marked
  ``surname_alone`` (Trump, Xi) or after a title ("Prime Minister May", "Mrs May"). Surnames that
  are also common words ("May", "Sun", "He") need a title before them, or for months and nouns a
  speech verb after them ("Sun said"); pronoun-like ones (He) need a title.
* **Hyphenated proper names**: a name followed by a hyphen and a capitalised word that names no
  actor is part of a longer name ("Georgia-Pacific Corp"); "China-Japan talks" and "U.S.-China"
  still count both.
* **Currencies** are not the country: "the U.S. dollar", "the Chinese yuan", "Australian dollars"
  (a country's name, alias or demonym followed by a currency word) are not counted.
* **Role phrases** ("Chinese Foreign Ministry spokesperson Lin Jian") yield every actor they name:
  the organisation and the person.
* **Recognised actors** (``origin`` ``recognised``): people, organisations and places the gazetteer
  lacks, found by the recogniser (:mod:`supplywatch.actors.recognise`) and grouped into actors with
  their back-references (:mod:`supplywatch.actors.recognised`). The gazetteer wins where it knows a
  name. ``find_mentions(..., recognise=True)`` and the ``mentions`` table include them.
* **Context** (:mod:`supplywatch.actors.context`): a capital counts as its government only as a
  political agent, a country's name only outside longer names: not "Real Madrid", "Berlin Film
  Festival", "Tokyo shares", "Little Britain", "UK-based", "listed in Luxembourg".

Example:
    >>> from supplywatch.actors.gazetteer import Actor, Gazetteer
    >>> gaz = Gazetteer([Actor("USA", "United States", "country", "USA", aliases=("US",))])
    >>> [(m.surface, m.kind) for m in find_mentions("Tell us about the US.", gaz)]
    [('US', 'alias')]
"""

from __future__ import annotations

import bisect
import operator

import pandas as pd

from supplywatch.actors.comentions import last_names, pair_table
from supplywatch.actors.gazetteer import Gazetteer
from supplywatch.actors.matcher import Mention, fullness, matcher_for
from supplywatch.actors.name_rules import default_name_rules
from supplywatch.actors.recognise import load_recogniser
from supplywatch.actors.recognised import recognised_mentions

#: Columns of the mentions table, in order.
MENTION_COLUMNS = [
    "doc_id", "sentence_id", "actor", "actor_id", "actor_type", "country", "kind", "surface", "start", "end",
    "origin",
]
#: Columns of the co-mentions table, in order.
COMENTION_COLUMNS = ["actor_a_id", "actor_a", "actor_b_id", "actor_b", "n_sentences", "n_documents"]
#: A mention's ``(start, end)`` (a Mention is a named tuple).
_SPAN = operator.itemgetter(Mention._fields.index("start"), Mention._fields.index("end"))
#: A mention's values in the order of ``MENTION_COLUMNS[2:]``.
_ROW_VALUES = operator.itemgetter(*[Mention._fields.index(f) for f in MENTION_COLUMNS[2:]])


def find_mentions(text: str, gazetteer: Gazetteer, *, recognise: bool = False) -> list[Mention]:
    """All actor mentions in ``text``, in order (the gazetteer's matcher is compiled once and reused).

    With ``recognise=True`` the recogniser's actors are added (``origin="recognised"``) and a country
    inside a longer recognised name ("Bank of Japan") no longer counts; the default gives the
    gazetteer's mentions only.

    Example:
        >>> from supplywatch.actors.gazetteer import Actor, Gazetteer
        >>> gaz = Gazetteer([Actor("CHN", "China", "country", "CHN", metonyms=("Beijing",))])
        >>> [m.kind for m in find_mentions("Beijing said talks in Beijing went well.", gaz)]
        ['metonym']
    """
    matcher = matcher_for(gazetteer)
    found = matcher.find(text)
    if not recognise:
        return found
    kept, recognised = recognised_mentions(text, found, matcher.candidates(text), load_recogniser(),
                                           default_name_rules(), matcher.cues)
    if not recognised:
        return kept
    return sorted(kept + [_known_by_gazetteer(m, gazetteer) for m in recognised], key=_SPAN)


def _known_by_gazetteer(m: Mention, gazetteer: Gazetteer) -> Mention:
    """A recognised name the gazetteer knows, in any case ("Opec", "Nato"; "Japan" left after "While"
    was cleaned off the front), is a mention of the gazetteer's actor: the gazetteer wins."""
    actor = gazetteer.lookup(m.surface)
    if actor is None:
        return m
    kind = "name" if " ".join(m.surface.split()).casefold() == actor.name.casefold() else "alias"
    return Mention(actor.id, actor.name, actor.type, actor.country, kind, m.surface, m.start, m.end)


def mention_rows(doc_id: str, text: str, sentences, gazetteer: Gazetteer, *, recognise: bool = True) -> list[dict]:
    """Mentions of one document as rows with the :data:`MENTION_COLUMNS` (recognised actors included)."""
    starts = [s.start for s in sentences]
    values = _ROW_VALUES
    rows = []
    for m in find_mentions(text, gazetteer, recognise=recognise):
        index = bisect.bisect_right(starts, m.start) - 1
        sentence_id = sentences[index].sentence_id if index >= 0 else 0
        rows.append(dict(zip(MENTION_COLUMNS, (doc_id, sentence_id, *values(m)))))
    return rows


def extract_mentions(doc, sentences, resources, rows) -> dict[str, list[dict]]:
    """Pipeline extractor: the ``mentions`` table of one article."""
    return {"mentions": mention_rows(doc.doc_id, doc.text, sentences, resources.gazetteer)}


def comentions(mentions: pd.DataFrame) -> pd.DataFrame:
    """Actor pairs named in the same sentence: sentences and documents they share.

    Each unordered pair appears once (``actor_a_id < actor_b_id``); sorted by ``n_sentences``
    descending, then ids.

    Example:
        >>> m = pd.DataFrame({"doc_id": ["d", "d"], "sentence_id": [0, 0], "actor_id": ["CHN", "IND"],
        ...                   "actor": ["China", "India"]})
        >>> comentions(m)[["actor_a", "actor_b", "n_sentences"]].values.tolist()
        [['China', 'India', 1]]
    """
    if mentions is None or mentions.empty:
        return pd.DataFrame(columns=COMENTION_COLUMNS)
    names = last_names(mentions)
    # integer codes instead of strings: the self-join holds a row per pair of actors in a sentence,
    # and string columns would copy their text into every row. Codes of the actors follow the
    # order of their ids (sort=True), so "a < b" between codes is "a < b" between ids.
    docs, _ = pd.factorize(mentions["doc_id"])
    actors, ids = pd.factorize(mentions["actor_id"], sort=True)
    seen = pd.DataFrame({"doc": docs, "sentence": mentions["sentence_id"].to_numpy(), "actor": actors})
    seen = seen[seen["actor"] >= 0]  # a missing actor_id (code -1) never pairs, as NaN < x is False
    seen = seen.drop_duplicates()  # one row per (sentence, actor), joined with itself: each pair once
    pairs = seen.merge(seen, on=["doc", "sentence"], suffixes=("_a", "_b"))
    del seen
    pairs = pairs[pairs["actor_a"] < pairs["actor_b"]]
    if pairs.empty:
        return pd.DataFrame(columns=COMENTION_COLUMNS)
    counted = pairs.groupby(["actor_a", "actor_b"], sort=False).agg(
        n_sentences=("sentence", "size"), n_documents=("doc", "nunique")).reset_index()
    del pairs
    a_ids = pd.Series(ids.take(counted["actor_a"].to_numpy()), index=counted.index)
    b_ids = pd.Series(ids.take(counted["actor_b"].to_numpy()), index=counted.index)
    return pair_table(a_ids, b_ids, counted["n_sentences"], counted["n_documents"], names, COMENTION_COLUMNS)


def unify_recognised(mentions: pd.DataFrame) -> pd.DataFrame:
    """One name and one type per recognised actor in the whole corpus: ``actor`` becomes the fullest name
    any article gave the ``actor_id`` (most words, then longest, then alphabetical), ``actor_type`` the
    type most of its mentions have (ties: alphabetical). Gazetteer rows are unchanged.

    Example:
        >>> m = pd.DataFrame({"actor_id": ["new:ortega", "new:ortega"], "actor": ["Ortega", "Maria Ortega"],
        ...                   "actor_type": ["person", "person"], "origin": ["recognised"] * 2})
        >>> unify_recognised(m)["actor"].tolist()
        ['Maria Ortega', 'Maria Ortega']
    """
    if "origin" not in mentions.columns:
        return mentions
    recognised = mentions["origin"] == "recognised"
    if not recognised.any():
        return mentions
    part = mentions.loc[recognised, ["actor_id", "actor", "actor_type"]]
    names: dict[str, str] = {}
    distinct = part[["actor_id", "actor"]].drop_duplicates()  # each (id, name) once: the fullest is a maximum
    for actor_id, name in zip(distinct["actor_id"].tolist(), distinct["actor"].tolist()):
        best = names.get(actor_id)
        if best is None or fullness(name) > fullness(best):
            names[actor_id] = name
    counts = part.groupby(["actor_id", "actor_type"], sort=True).size()
    types: dict[str, str] = {}
    best: dict[str, int] = {}
    for (actor_id, actor_type), n in zip(counts.index.tolist(), counts.tolist()):  # sorted: the first of the
        if n > best.get(actor_id, 0):                                               # most frequent wins ties
            types[actor_id], best[actor_id] = actor_type, n
    mentions = mentions.copy(deep=False)  # copy-on-write: only the two columns set below are copied
    mentions.loc[recognised, "actor"] = part["actor_id"].map(names)
    mentions.loc[recognised, "actor_type"] = part["actor_id"].map(types)
    return mentions


def aggregate_comentions(tables: dict[str, pd.DataFrame], resources) -> dict[str, pd.DataFrame]:
    """Pipeline aggregator: the ``comentions`` table, and the mentions table in a stable order with one
    name and type per recognised actor (:func:`unify_recognised`)."""
    from supplywatch.actors.comentions import COUNTS, NAMES, comentions_from, unify_with

    mentions = tables.get("mentions")
    if mentions is None or mentions.empty:
        mentions = pd.DataFrame(columns=MENTION_COLUMNS)
    else:  # names and pair counts kept as the mentions streamed in (MentionAggregates), when there
        names = tables.get(NAMES)
        mentions = unify_recognised(mentions) if names is None else unify_with(mentions, names)
        mentions = mentions.sort_values(["doc_id", "start", "end"], kind="stable").reset_index(drop=True)
    counts = tables.get(COUNTS)
    return {"mentions": mentions,
            "comentions": comentions(mentions) if counts is None else comentions_from(counts, mentions, COMENTION_COLUMNS)}
