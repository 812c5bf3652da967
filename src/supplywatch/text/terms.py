"""Term frequencies, collocations and keyword-in-context, with NLTK and the project's stop words.

* Tokens: the tokens of NLTK's :class:`~nltk.tokenize.RegexpTokenizer` with a word pattern
  (data-free, one pass over the whole article; no per-sentence tokenisation): numbers are dropped,
  words are lower-cased, possessive ``'s`` is cut, and stop words from ``data/stopwords_en.txt``
  are removed. For precise Penn-Treebank tokens of a sentence use :func:`word_tokens` (NLTK's
  ``NLTKWordTokenizer``).
* Term frequencies: the counts of an NLTK ``FreqDist`` over all articles, plus the number of
  articles each term occurs in.
* Collocations: bigrams and trigrams ranked by NLTK's likelihood ratio (robust at low counts),
  kept only above a frequency floor (default 3; 2 for corpora under 20 articles). Token streams
  are per sentence-free article, so n-grams never join two articles; they may cross a sentence end.
  The scores are exactly those of NLTK's collocation finders (tests check it on real articles);
  :class:`TermCounts` computes them for all n-grams at once from integer-coded tokens, fed one
  article at a time, so a corpus's tokens are never held as strings.
* Keyword in context: :func:`kwic` returns ``(left, match, right)`` triples like textacy's
  ``keyword_in_context``, for any word, phrase, regex or actor (all the actor's names).

Example:
    >>> content_tokens("China's rare earth exports rose.", stopwords=frozenset({"rose"}))
    ['china', 'rare', 'earth', 'exports']
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Iterable
from functools import lru_cache
from itertools import filterfalse
from pathlib import Path

import pandas as pd

from supplywatch.config import STOPWORDS_FILE
from supplywatch.exceptions import ResourceError
from supplywatch.text.ngrams import TERM_COLUMNS, TOP_COLLOCATIONS, TOP_TERMS, TermCounts  # noqa: F401 - re-exported

_TOKEN_PATTERN = r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]"


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


_TOKEN_RE = re.compile(_TOKEN_PATTERN)
#: A possessive ``'s`` at the end of a (lower-cased, space-joined) token, with any quote or hyphen before it.
_POSSESSIVE_RE = re.compile(r"['\-]*'s(?= |$)")


def content_tokens(text: str, *, stopwords: frozenset[str] | None = None) -> list[str]:
    """Lower-cased word tokens of ``text`` without stop words and possessive ``'s``.

    The tokens are those of NLTK's ``RegexpTokenizer(_TOKEN_PATTERN)`` (a test checks it), matched
    with :mod:`re` directly: NLTK 3.9 wraps the pattern in a time-limited ``regex`` matcher that is
    several times slower. Lower-casing and the possessive cut run once over the joined tokens.
    """
    return _content_words(text, stopwords).split()


def _content_words(text: str, stopwords: frozenset[str] | None = None) -> str:
    """:func:`content_tokens` joined by spaces (built without a Python loop over the tokens)."""
    drop = _dropped(load_stopwords() if stopwords is None else frozenset(stopwords))
    joined = " ".join(_TOKEN_RE.findall(text)).lower().replace("’", "'")
    if "'" in joined:
        joined = _POSSESSIVE_RE.sub("", joined)  # "china's" -> "china"; "x-'s" -> "x"
    return " ".join(filterfalse(drop.__contains__, joined.split()))


@lru_cache(maxsize=8)
def _dropped(stopwords: frozenset[str]) -> frozenset[str]:
    """The tokens :func:`content_tokens` drops: stop words, and the one-character tokens (a token
    starts with an ASCII letter and keeps it, lower-cased, so one character is a letter a-z)."""
    return stopwords | frozenset(string.ascii_lowercase)


def _counts(token_lists: Iterable[list[str]] | "TermCounts") -> "TermCounts":
    if isinstance(token_lists, TermCounts):
        return token_lists
    counts = TermCounts()
    for tokens in token_lists:
        counts.add(tokens)
    return counts


def term_frequencies(token_lists: Iterable[list[str]]) -> pd.DataFrame:
    """Term counts and document counts (one token list per article), most frequent first.

    Example:
        >>> term_frequencies([["rare", "earth", "rare"], ["earth"]]).values.tolist()
        [['earth', 2, 2], ['rare', 2, 1]]
    """
    return _counts(token_lists).term_frequencies()


def collocations(token_lists: Iterable[list[str]], *, n: int = 2, min_freq: int = 3,
                 measure: str = "likelihood_ratio", top: int = TOP_COLLOCATIONS) -> pd.DataFrame:
    """Bigram (``n=2``) or trigram (``n=3``) collocations scored by an NLTK association measure.

    The scores are those of NLTK's ``BigramCollocationFinder`` / ``TrigramCollocationFinder``
    built ``from_documents(token_lists)`` with ``apply_freq_filter(min_freq)`` (a test checks they
    are identical), computed for all n-grams at once (see :class:`TermCounts`).

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
    return _counts(token_lists).collocations(n, min_freq=min_freq, measure=measure, top=top)


def terms_table(token_lists: Iterable[list[str]], *, min_freq: int | None = None) -> pd.DataFrame:
    """The ``terms`` table: top terms, bigram and trigram collocations (see the module docstring)."""
    return _counts(token_lists).table(min_freq=min_freq)


#: Bits per word id in a packed trigram key; past 2**21 distinct words keys become (hi, lo) pairs.


def extract_tokens(doc, sentences, resources, rows) -> dict[str, list[dict]]:
    """Pipeline extractor: the article's content tokens (a private partial table, ``_doc_tokens``),
    space-joined: compact to send back from a worker, consumed chunk by chunk by :class:`TermCounts`."""
    return {"_doc_tokens": [{"doc_id": doc.doc_id, "tokens": _content_words(doc.text)}]}


class TermsAccumulator:
    """Streaming aggregate for the pipeline: consumes ``_doc_tokens`` parts as they arrive (the
    tokens are never kept as a table) and gives the ``terms`` table at the end."""

    consumes = "_doc_tokens"
    #: Its table depends only on which articles were counted, not on their order (counts; ties by term).
    orderless = True

    def __init__(self, resources=None) -> None:
        self.counts = TermCounts()

    def add(self, part) -> None:
        from supplywatch.parts import part_column

        if hasattr(part, "column_names") and "tokens" in part.column_names:
            self.counts.add_joined_arrow(part.column("tokens"))
        else:
            self.counts.add_joined(part_column(part, "tokens"))

    def retract(self, part) -> bool:
        """Take back articles :meth:`add` counted (their rows again); False when it cannot."""
        gone = TermsAccumulator()
        gone.add(part)
        return self.counts.subtract(gone.counts)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"terms": self.counts.table()}
