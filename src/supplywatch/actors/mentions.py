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

Example:
    >>> from supplywatch.actors.gazetteer import Actor, Gazetteer
    >>> gaz = Gazetteer([Actor("USA", "United States", "country", "USA", aliases=("US",))])
    >>> [(m.surface, m.kind) for m in find_mentions("Tell us about the US.", gaz)]
    [('US', 'alias')]
"""

from __future__ import annotations

import bisect
from collections import defaultdict

import pandas as pd

from supplywatch.actors.gazetteer import Gazetteer
from supplywatch.actors.matcher import Mention, matcher_for

#: Columns of the mentions table, in order.
MENTION_COLUMNS = [
    "doc_id", "sentence_id", "actor", "actor_id", "actor_type", "country", "kind", "surface", "start", "end",
]
#: Columns of the co-mentions table, in order.
COMENTION_COLUMNS = ["actor_a_id", "actor_a", "actor_b_id", "actor_b", "n_sentences", "n_documents"]


def find_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """All actor mentions in ``text``, in order (the gazetteer's matcher is compiled once and reused).

    Example:
        >>> from supplywatch.actors.gazetteer import Actor, Gazetteer
        >>> gaz = Gazetteer([Actor("CHN", "China", "country", "CHN", metonyms=("Beijing",))])
        >>> [m.kind for m in find_mentions("Beijing said talks in Beijing went well.", gaz)]
        ['metonym']
    """
    return matcher_for(gazetteer).find(text)


def mention_rows(doc_id: str, text: str, sentences, gazetteer: Gazetteer) -> list[dict]:
    """Mentions of one document as rows with the :data:`MENTION_COLUMNS`."""
    starts = [s.start for s in sentences]
    fields = MENTION_COLUMNS[2:]
    rows = []
    for m in find_mentions(text, gazetteer):
        index = bisect.bisect_right(starts, m.start) - 1
        sentence_id = sentences[index].sentence_id if index >= 0 else 0
        row = {"doc_id": doc_id, "sentence_id": sentence_id}
        row.update((k, getattr(m, k)) for k in fields)  # not dataclasses.asdict: it deep-copies every value
        rows.append(row)
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
    names = dict(zip(mentions["actor_id"], mentions["actor"]))
    sentences: dict[tuple[str, str], set] = defaultdict(set)
    docs: dict[tuple[str, str], set] = defaultdict(set)
    # sentences in order of first appearance (as groupby(sort=False)), in plain Python: a pandas
    # groupby with a Python function per sentence took seconds on a large corpus
    grouped: dict[tuple, set] = {}
    columns = (mentions[c].to_numpy(dtype=object).tolist() for c in ("doc_id", "sentence_id", "actor_id"))
    for doc_id, sentence_id, actor_id in zip(*columns):
        if pd.isna(doc_id) or pd.isna(sentence_id):  # groupby drops missing keys
            continue
        grouped.setdefault((doc_id, sentence_id), set()).add(actor_id)
    for (doc_id, sentence_id), found in grouped.items():
        ids = sorted(found)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                sentences[(a, b)].add((doc_id, sentence_id))
                docs[(a, b)].add(doc_id)
    rows = [
        {"actor_a_id": a, "actor_a": names[a], "actor_b_id": b, "actor_b": names[b],
         "n_sentences": len(sentences[(a, b)]), "n_documents": len(docs[(a, b)])}
        for (a, b) in sentences
    ]
    frame = pd.DataFrame(rows, columns=COMENTION_COLUMNS)
    return frame.sort_values(["n_sentences", "n_documents", "actor_a_id", "actor_b_id"],
                             ascending=[False, False, True, True], kind="stable").reset_index(drop=True)


def aggregate_comentions(tables: dict[str, pd.DataFrame], resources) -> dict[str, pd.DataFrame]:
    """Pipeline aggregator: the ``comentions`` table (and the mentions table in a stable order)."""
    mentions = tables.get("mentions")
    if mentions is None or mentions.empty:
        mentions = pd.DataFrame(columns=MENTION_COLUMNS)
    else:
        mentions = mentions.sort_values(["doc_id", "start", "end"], kind="stable").reset_index(drop=True)
    return {"mentions": mentions, "comentions": comentions(mentions)}
