"""Term frequencies, collocations and keyword-in-context, with NLTK and the project's stop words.

* Tokens: NLTK's :class:`~nltk.tokenize.RegexpTokenizer` (data-free, one pass over the whole
  article; no per-sentence tokenisation) keeps words, numbers are dropped, words are lower-cased,
  possessive ``'s`` is cut, and stop words from ``data/stopwords_en.txt`` are removed. For precise
  Penn-Treebank tokens of a sentence use :func:`word_tokens` (NLTK's ``NLTKWordTokenizer``).
* Term frequencies: an NLTK :class:`~nltk.probability.FreqDist` over all articles, plus the number
  of articles each term occurs in.
* Collocations: bigrams and trigrams ranked by NLTK's likelihood ratio (robust at low counts),
  kept only above a frequency floor (default 3; 2 for corpora under 20 articles). Token streams
  are per sentence-free article, so n-grams never join two articles; they may cross a sentence end.
* Keyword in context: :func:`kwic` returns ``(left, match, right)`` triples like textacy's
  ``keyword_in_context``, for any word, phrase, regex or actor (all the actor's names).

Example:
    >>> content_tokens("China's rare earth exports rose.", stopwords=frozenset({"rose"}))
    ['china', 'rare', 'earth', 'exports']
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .config import STOPWORDS_FILE
from .exceptions import ResourceError

#: Columns of the terms table, in order.
TERM_COLUMNS = ["kind", "term", "n", "n_documents", "score", "measure"]
#: How many rows of each kind the terms table keeps.
TOP_TERMS, TOP_COLLOCATIONS = 300, 100

_TOKEN_PATTERN = r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]"


@lru_cache(maxsize=1)
def _regexp_tokenizer():
    from nltk.tokenize import RegexpTokenizer

    return RegexpTokenizer(_TOKEN_PATTERN)


@lru_cache(maxsize=1)
def _word_tokenizer():
    from nltk.tokenize import NLTKWordTokenizer

    return NLTKWordTokenizer()


def word_tokens(sentence: str) -> list[str]:
    """Penn-Treebank-style tokens of one sentence (NLTK's ``NLTKWordTokenizer``; no data needed).

    Example:
        >>> word_tokens("China's exports rose.")
        ['China', "'s", 'exports', 'rose', '.']
    """
    return _word_tokenizer().tokenize(sentence)


@lru_cache(maxsize=8)
def load_stopwords(path: str | os.PathLike | None = None) -> frozenset[str]:
    """The stop-word list (default ``data/stopwords_en.txt``): one lower-case word a line, ``#`` comments.

    Raises:
        ResourceError: the file is missing or unreadable.
    """
    path = Path(path) if path is not None else STOPWORDS_FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"{path}: cannot read the stop-word list ({exc}); it must be a UTF-8 text file "
                            f"with one word per line (the project's copy is {STOPWORDS_FILE})") from None
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.lstrip().startswith("#"))


def content_tokens(text: str, *, stopwords: frozenset[str] | None = None) -> list[str]:
    """Lower-cased word tokens of ``text`` without stop words and possessive ``'s``."""
    stop = load_stopwords() if stopwords is None else stopwords
    out = []
    for token in _regexp_tokenizer().tokenize(text):
        token = token.lower().replace("’", "'")
        if token.endswith("'s"):
            token = token[:-2]
        token = token.strip("'-")
        if len(token) > 1 and token not in stop:
            out.append(token)
    return out


@lru_cache(maxsize=1)
def _count_dist():
    """An NLTK FreqDist that counts at C speed (its own ``__setitem__`` is Python code, which makes
    ``Counter.update`` take its slow path); the cached total is reset by ``update`` and ``del`` anyway."""
    from nltk.probability import FreqDist

    class CountDist(FreqDist):
        __setitem__ = dict.__setitem__

    return CountDist


def term_frequencies(token_lists: Iterable[list[str]]) -> pd.DataFrame:
    """Term counts (NLTK ``FreqDist``) and document counts, most frequent first."""
    freq = _count_dist()()
    docs: Counter = Counter()
    for tokens in token_lists:
        freq.update(tokens)
        docs.update(set(tokens))
    rows = [{"term": t, "n": n, "n_documents": docs[t]} for t, n in freq.items()]
    frame = pd.DataFrame(rows, columns=["term", "n", "n_documents"])
    return frame.sort_values(["n", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def collocations(token_lists: Iterable[list[str]], *, n: int = 2, min_freq: int = 3,
                 measure: str = "likelihood_ratio", top: int = TOP_COLLOCATIONS) -> pd.DataFrame:
    """Bigram (``n=2``) or trigram (``n=3``) collocations scored by an NLTK association measure.

    Args:
        token_lists: one token list per article.
        n: 2 or 3.
        min_freq: the frequency floor: rarer n-grams are dropped before scoring.
        measure: ``likelihood_ratio`` or ``pmi``.
        top: how many to keep.

    Example:
        >>> docs = [["rare", "earth", "exports"]] * 3
        >>> collocations(docs, min_freq=3)["term"].tolist()[:1]
        ['earth exports']
    """
    from nltk.collocations import (BigramAssocMeasures, BigramCollocationFinder, TrigramAssocMeasures,
                                   TrigramCollocationFinder)
    _CountDist = _count_dist()

    if n not in (2, 3):
        raise ValueError(f"collocations: n must be 2 or 3, got {n}")
    if measure not in ("likelihood_ratio", "pmi"):
        raise ValueError(f"collocations: measure must be 'likelihood_ratio' or 'pmi', got {measure!r}")
    # The counts NLTK's ``from_documents`` makes (n-grams never cross an article boundary), made with
    # C-speed Counter(zip(...)) per article instead of NLTK's Python loop over every window, straight
    # into FreqDists (see _CountDist: no copies of the big counters).
    # An n-gram can only reach the frequency floor if each of its words does, so words under the floor
    # are replaced by one placeholder before counting n-grams: the n-grams that survive the floor and
    # every count their scores use come out exactly as before, while the counters stay smaller.
    word_fd = _CountDist()
    for tokens in token_lists:
        word_fd.update(tokens)
    frequent = {w for w, c in word_fd.items() if c >= min_freq}
    rare = "\x00"  # never a token: tokens are words
    pair_fd, gap_fd, triple_fd = _CountDist(), _CountDist(), _CountDist()
    for tokens in token_lists:
        kept = [w if w in frequent else rare for w in tokens]
        pair_fd.update(zip(kept, kept[1:]))
        if n == 3:
            gap_fd.update(zip(kept, kept[2:]))
            triple_fd.update(zip(kept, kept[1:], kept[2:]))
    for counts in (pair_fd, gap_fd, triple_fd):
        for gram in [g for g in counts if rare in g]:
            del counts[gram]
    if n == 2:
        finder, measures = BigramCollocationFinder(word_fd, pair_fd), BigramAssocMeasures
    else:
        finder, measures = TrigramCollocationFinder(word_fd, pair_fd, gap_fd, triple_fd), TrigramAssocMeasures
    finder.apply_freq_filter(min_freq)
    ngram_fd = finder.ngram_fd
    scored = finder.score_ngrams(getattr(measures, measure)) if ngram_fd else []
    rows = [{"term": " ".join(gram), "n": ngram_fd[gram], "score": round(float(score), 4)} for gram, score in scored]
    frame = pd.DataFrame(rows, columns=["term", "n", "score"])
    frame = frame.sort_values(["score", "term"], ascending=[False, True], kind="stable").head(top)
    return frame.reset_index(drop=True)


def terms_table(token_lists: Collection[list[str]], *, min_freq: int | None = None) -> pd.DataFrame:
    """The ``terms`` table: top terms, bigram and trigram collocations (see the module docstring)."""
    if min_freq is None:
        min_freq = 2 if len(token_lists) < 20 else 3
    terms = term_frequencies(token_lists).head(TOP_TERMS)
    parts = [terms.assign(kind="term", score=float("nan"), measure="frequency")]
    for n, kind in ((2, "bigram"), (3, "trigram")):
        colls = collocations(token_lists, n=n, min_freq=min_freq)
        if not colls.empty:
            doc_counts: Counter = Counter()
            wanted = {tuple(term.split(" ")) for term in colls["term"]}
            for tokens in token_lists:  # n-grams as tuples, set operations in C
                doc_counts.update(set(zip(*(tokens[i:] for i in range(n)))) & wanted)
            colls["n_documents"] = colls["term"].map(
                {" ".join(gram): count for gram, count in doc_counts.items()}).fillna(0).astype(int)
        parts.append(colls.assign(kind=kind, measure="likelihood_ratio"))
    frame = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(
        not p.empty for p in parts) else pd.DataFrame(columns=TERM_COLUMNS)
    return frame.reindex(columns=TERM_COLUMNS)


def extract_tokens(doc, sentences, resources, rows) -> dict[str, list[dict]]:
    """Pipeline extractor: the article's content tokens (a private partial table, ``_doc_tokens``)."""
    return {"_doc_tokens": [{"doc_id": doc.doc_id, "tokens": " ".join(content_tokens(doc.text))}]}


def aggregate_terms(tables: dict[str, pd.DataFrame], resources) -> dict[str, pd.DataFrame]:
    """Pipeline aggregator: the ``terms`` table; removes the private ``_doc_tokens`` partial table."""
    partial = tables.pop("_doc_tokens", None)
    if partial is None or partial.empty:
        return {"terms": pd.DataFrame(columns=TERM_COLUMNS)}
    partial = partial.sort_values("doc_id", kind="stable")
    return {"terms": terms_table(_TokenLists(partial["tokens"].tolist()))}


class _TokenLists:
    """The articles' token lists, split from their stored strings anew on every pass.

    Holding one split list per article for a whole corpus costs several times the text; the term
    and collocation counts only ever need one article's list at a time.
    """

    def __init__(self, joined: list[str]) -> None:
        self._joined = joined

    def __len__(self) -> int:
        return len(self._joined)

    def __iter__(self):
        return (t.split() for t in self._joined)


def _term_regex(term: str, *, ignore_case: bool) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.IGNORECASE if ignore_case else 0)


def kwic(text: str, keyword: str | re.Pattern, *, window: int = 50, ignore_case: bool = True,
         gazetteer=None) -> Iterator[tuple[str, str, str]]:
    """Keyword in context: ``(left, match, right)`` for every occurrence of ``keyword`` in ``text``.

    ``keyword`` is a word or phrase (matched at word boundaries), a compiled regex, or, when a
    ``gazetteer`` is given and ``keyword`` names an actor, that actor: its mentions as found by
    :mod:`supplywatch.actors` (all names, aliases, demonyms, metonyms, back-references).
    Newlines in the context become spaces.

    Example:
        >>> list(kwic("Exports of rare earths fell.", "rare earths", window=11))
        [('Exports of ', 'rare earths', ' fell.')]
    """
    spans: list[tuple[int, int]]
    actor = gazetteer.lookup(keyword) if gazetteer is not None and isinstance(keyword, str) else None
    if actor is not None:
        from .actors import find_mentions

        spans = [(m.start, m.end) for m in find_mentions(text, gazetteer) if m.actor_id == actor.id]
    else:
        pattern = keyword if isinstance(keyword, re.Pattern) else _term_regex(keyword, ignore_case=ignore_case)
        spans = [m.span() for m in pattern.finditer(text)]
    for start, end in spans:
        left = text[max(0, start - window):start].replace("\n", " ")
        right = text[end:end + window].replace("\n", " ")
        yield left, text[start:end], right


def kwic_table(texts: dict[str, str], keyword: str, *, window: int = 50, gazetteer=None) -> pd.DataFrame:
    """KWIC over many documents as a table ``doc_id, left, match, right``, in document order."""
    rows = [{"doc_id": doc_id, "left": left, "match": match, "right": right}
            for doc_id in sorted(texts)
            for left, match, right in kwic(texts[doc_id], keyword, window=window, gazetteer=gazetteer)]
    return pd.DataFrame(rows, columns=["doc_id", "left", "match", "right"])
