"""Unknown actors: capitalised multi-word names the gazetteer does not know, to grow it.

A candidate is a run of two or more capitalised words (``of``/``for``/``and``/``the``/``de``/``von``
... may join them: "Bank of Japan"). From each run, words the gazetteer matched (names, aliases,
demonyms, metonyms, places, non-actors) are cut out, leading function words ("The", "In") and titles
("President", "Vice Minister") are stripped, and what remains must still be two or more words.
All-capital sentences (headlines, tickers) are skipped. Candidates are ranked by how often they
occur, with an example sentence.

Example:
    >>> from supplywatch.actors.gazetteer import Gazetteer
    >>> [c["name"] for c in candidates("Officials said Rare Metals Group met.", Gazetteer([]))]
    ['Rare Metals Group']
"""

from __future__ import annotations

import re

import pandas as pd

from supplywatch.actors.matcher import matcher_for
from supplywatch.text.sentences import split_sentences

#: Columns of the unknown-actors table, in order.
UNKNOWN_COLUMNS = ["name", "n_mentions", "n_documents", "example_doc_id", "example_sentence"]

_CAP = r"[A-Z][A-Za-z'’&\-]*[A-Za-z]"
_RUN_RE = re.compile(rf"(?<![\w'’]){_CAP}(?:\s+(?:(?:of|for|and|the|de|du|la|von|van|der|al)\s+)?{_CAP})+")
_JOINERS = frozenset("of for and the de du la von van der al".split())
_LEADING = frozenset(
    """the a an in on at for from to of and but or as by with after before during while when if
    this that these those its his her their our its it he she they we president vice deputy minister
    ministers prime foreign secretary spokesperson spokesman spokeswoman ambassador chairman chief
    executive officer director premier governor senator mr mrs ms dr prof general state according
    however meanwhile also
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)


def _strip(words: list[str]) -> list[str]:
    while words and (words[0].lower() in _LEADING or words[0].lower() in _JOINERS):
        words = words[1:]
    while words and (words[-1].lower() in _JOINERS or words[-1].lower() in _LEADING):
        words = words[:-1]
    return words


_OF_BEFORE_RE = re.compile(r"[A-Z][\w'’&\-]*\s+(?:of|for|de|du|la|von|van|der|al)\s+$")


def _inside_name(text: str, start: int, end: int) -> bool:
    """A known name joined into a longer name by "of"/"de"...: "Bank of Japan" is not Japan here."""
    return bool(_OF_BEFORE_RE.search(text[max(0, start - 40):start]))


def _mostly_caps(text: str) -> bool:
    letters = sum(map(str.isalpha, text))  # map/sum run in C; a generator per character does not
    return letters >= 8 and sum(map(str.isupper, text)) / letters > 0.6


def candidates(text: str, gazetteer, *, sentences=None) -> list[dict]:
    """Unknown-name candidates of one document: dicts with ``name``, ``sentence_id``, ``sentence``."""
    sentences = sentences if sentences is not None else split_sentences(text)
    known = [(s, e) for s, e, _k, form in matcher_for(gazetteer).candidates(text)
             if form is not None and not _inside_name(text, s, e)]
    known_iter = 0
    out = []
    for sentence in sentences:
        if _mostly_caps(sentence.text):
            continue
        for run in _RUN_RE.finditer(sentence.text):
            start, end = sentence.start + run.start(), sentence.start + run.end()
            while known_iter < len(known) and known[known_iter][1] <= sentence.start:
                known_iter += 1
            cuts = [(s, e) for s, e in known[known_iter:] if s < end and e > start and s < sentence.end]
            pieces, pos = [], start
            for s, e in sorted(cuts):
                pieces.append(text[pos:max(pos, s)])
                pos = max(pos, e)
            pieces.append(text[pos:end])
            for piece in pieces:
                words = [w.rstrip("'’") for w in re.findall(r"[A-Za-z][A-Za-z'’&\-]*", piece)]
                words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
                words = _strip(words)
                capitals = [w for w in words if w[:1].isupper()]
                if len(capitals) < 2:
                    continue
                name = " ".join(words)
                if gazetteer.lookup(name) is not None:
                    continue
                out.append({"name": name, "sentence_id": sentence.sentence_id, "sentence": sentence.text})
    return out


def extract_unknown(doc, sentences, resources, rows) -> dict[str, list[dict]]:
    """Pipeline extractor: unknown-name candidates of one article (private partial table)."""
    found = candidates(doc.text, resources.gazetteer, sentences=sentences)
    return {"_unknown_candidates": [{"doc_id": doc.doc_id, **c} for c in found]}


def unknown_actors(partial: pd.DataFrame) -> pd.DataFrame:
    """Rank candidates: ``n_mentions`` (occurrences), ``n_documents``, first example (by doc, sentence)."""
    if partial is None or partial.empty:
        return pd.DataFrame(columns=UNKNOWN_COLUMNS)
    partial = partial.sort_values(["doc_id", "sentence_id"], kind="stable")
    grouped = partial.groupby("name", sort=True).agg(
        n_mentions=("doc_id", "size"), n_documents=("doc_id", "nunique"),
        example_doc_id=("doc_id", "first"), example_sentence=("sentence", "first"),
    ).reset_index()
    return grouped.sort_values(["n_mentions", "n_documents", "name"], ascending=[False, False, True],
                               kind="stable").reset_index(drop=True)[UNKNOWN_COLUMNS]


class UnknownAccumulator:
    """Streaming aggregate for the pipeline: the ``unknown_actors`` table from ``_unknown_candidates``
    parts as they arrive (the candidate rows, each with its sentence, are never kept as a table).

    Per name it keeps the counts and the example that comes first by ``(doc_id, sentence_id)``, the
    same as :func:`unknown_actors` over the whole table (a test checks it). An article's candidates
    always arrive together, so a new ``doc_id`` for a name is a new document.
    """

    consumes = "_unknown_candidates"

    def __init__(self, resources=None) -> None:
        self._names: dict[str, list] = {}  # name -> [n_mentions, n_documents, last doc, (doc, sentence_id), sentence]

    def add(self, part) -> None:
        from supplywatch.parts import part_column

        names = self._names
        for doc_id, name, sentence_id, sentence in zip(*(part_column(part, k) for k in
                                                         ("doc_id", "name", "sentence_id", "sentence"))):
            state = names.get(name)
            if state is None:
                names[name] = [1, 1, doc_id, (doc_id, sentence_id), sentence]
                continue
            state[0] += 1
            if doc_id != state[2]:
                state[1] += 1
                state[2] = doc_id
            if (doc_id, sentence_id) < state[3]:
                state[3], state[4] = (doc_id, sentence_id), sentence

    def tables(self) -> dict[str, pd.DataFrame]:
        if not self._names:
            return {"unknown_actors": pd.DataFrame(columns=UNKNOWN_COLUMNS)}
        frame = pd.DataFrame(
            [(name, n, docs, first[0], sentence) for name, (n, docs, _, first, sentence) in sorted(self._names.items())],
            columns=UNKNOWN_COLUMNS)
        frame = frame.sort_values(["n_mentions", "n_documents", "name"], ascending=[False, False, True],
                                  kind="stable").reset_index(drop=True)
        return {"unknown_actors": frame}
