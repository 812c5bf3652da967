"""Load a corpus of news articles: a folder (recursively) or a single file.

Supported formats (the README's format table says exactly what each reads):

* ``.txt`` / ``.md``: the seed's format. An optional leading ``date YYYY-MM-DD`` header (possibly
  on the same line as the text) and optional ``title:`` / ``source:`` / ``url:`` / ``date:`` header
  lines, then the article. Without a title header, a short first line followed by a blank line and
  not ending like a sentence is taken as the headline (the BBC News layout).
* ``.jsonl`` / ``.json``: records (also NewsAPI, Event Registry, JSON Feed layouts) whose fields are
  found by name or by a ``--field`` mapping (:mod:`.records`); other fields become ``meta_<field>``.
* ``.csv`` / ``.tsv``: the same fields, one article per row, delimiter detected (:mod:`.csvfiles`).
* ``.html`` / ``.htm``: the visible article text and title, extracted with trafilatura.
* ``.rss`` / ``.atom`` / ``.xml``: one article per feed item (:mod:`.feeds`).
* ``.docx`` / ``.rtf`` (:mod:`.office`), and ``.txt``: LexisNexis, Nexis Uni and Factiva exports are
  split into their articles (:mod:`.exports`).

Dates: :mod:`.dates`. doc_ids are unique (:func:`~supplywatch.corpus.loader.iter_corpus`).

Bad input never sinks the corpus and is never silent: each problem is a :class:`Problem` naming the
file (and line), collected in a :class:`LoadReport`.

Modules, in data-flow order: :mod:`.model` (the records), :mod:`.cleaning` (text, bytes),
:mod:`.dates`, :mod:`.records`, :mod:`.csvfiles`, :mod:`.formats`, :mod:`.feeds`, :mod:`.office`,
:mod:`.exports` (one reader per format family), :mod:`.loader` (files -> documents),
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
