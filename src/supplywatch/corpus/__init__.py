"""Load a corpus of news articles: a folder (recursively) or a single file.

Supported formats:

* ``.txt`` / ``.md``: the seed's format. An optional leading ``date YYYY-MM-DD`` header (possibly
  on the same line as the text) and optional ``title:`` / ``source:`` / ``url:`` / ``date:`` header
  lines, then the article. Without a title header, a short first line followed by a blank line and
  not ending like a sentence is taken as the headline (the BBC News layout).
* ``.jsonl`` / ``.json``: objects with ``text`` or ``body`` and optional ``date``, ``title``,
  ``source``, ``url``, ``id``; any other field (``places``, ``topics``...) is kept as
  ``Document.meta`` and becomes a ``meta_<field>`` column (lists joined with ``;``). A ``.json``
  file holds one object, a list, or ``{"articles": [...]}``.
* ``.csv``: the same columns, one article per row.
* ``.html`` / ``.htm``: the visible article text and title, extracted with trafilatura.

Bad input never sinks the corpus and is never silent: each problem is a :class:`Problem` naming the
file (and line), collected in a :class:`LoadReport`.

Modules, in data-flow order: :mod:`.model` (the records), :mod:`.cleaning` (text, dates, bytes),
:mod:`.formats` (one reader per format family), :mod:`.loader` (files -> documents),
:mod:`.reuters` (the Reuters-21578 importer).

Example:
    >>> corpus = load_corpus("seeds")          # doctest: +SKIP
    >>> corpus.documents[["doc_id", "date", "source"]]   # doctest: +SKIP
"""

from __future__ import annotations

from supplywatch.corpus.cleaning import clean_text, parse_date
from supplywatch.corpus.loader import iter_corpus, iter_file, load_corpus
from supplywatch.corpus.model import DOCUMENT_COLUMNS, META_PREFIX, Corpus, Document, LoadReport, Problem, corpus_hash

__all__ = [
    "Corpus",
    "DOCUMENT_COLUMNS",
    "Document",
    "LoadReport",
    "META_PREFIX",
    "Problem",
    "clean_text",
    "corpus_hash",
    "iter_corpus",
    "iter_file",
    "load_corpus",
    "parse_date",
]
