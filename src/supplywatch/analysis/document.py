"""Per-article analysis: every extractor run over one document, with the resources loaded once.

Per-article work is a pure function of the article (and the resources loaded once), so it can run
on any number of workers. Each extractor takes ``(document, sentences, resources, rows)`` and
returns a dict ``{table name: [row dicts]}``; ``rows`` holds what earlier extractors produced for
the same article (the claims extractor reads the article's mentions from it). Each aggregator takes
the per-article tables (as DataFrames) and returns further corpus-level tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from supplywatch.corpus.model import Document
from supplywatch.text.sentences import Sentence, split_sentences

Rows = dict[str, list[dict]]


@dataclass
class Resources:
    """Everything the extractors share, loaded once per process on first use."""

    gazetteer_path: Path | None = None

    @cached_property
    def gazetteer(self):
        from supplywatch.actors.gazetteer import load_gazetteer

        return load_gazetteer(self.gazetteer_path)


Extractor = Callable[[Document, list[Sentence], Resources, Rows], Rows]
Aggregator = Callable[[dict[str, pd.DataFrame], Resources], dict[str, pd.DataFrame]]


def _extractors() -> list[Extractor]:
    """Per-article extractors, in the order their tables are written."""
    from supplywatch.actors.mentions import extract_mentions
    from supplywatch.actors.quotes import extract_quotes
    from supplywatch.actors.unknown import extract_unknown
    from supplywatch.claims.finder import extract as extract_claims
    from supplywatch.text.terms import extract_tokens
    from supplywatch.text.tone import extract_sentence_tone

    # mentions first: later extractors read rows["mentions"]
    return [extract_mentions, extract_quotes, extract_sentence_tone, extract_tokens, extract_unknown, extract_claims]


def _chunk_extractors() -> list[Callable]:
    """Extractors that take a whole chunk of documents at once (``(docs, resources) -> {table: rows}``,
    one row per article): work that is cheap per chunk but costly per article, such as the NumPy pass
    that computes every article's MinHash signature (:mod:`supplywatch.analysis.neardup`)."""
    from supplywatch.analysis.neardup import extract_signatures

    return [extract_signatures]


def _accumulators() -> list[type]:
    """Streaming aggregates: each consumes one private per-article table chunk by chunk, as the
    engine delivers it (so that table is never held whole), and gives corpus-level tables at the end.

    An accumulator class has a ``consumes`` attribute (the table name), is built with the
    resources, and has ``add(part)`` (an Arrow table or a list of row dicts, in corpus order) and
    ``tables() -> {name: DataFrame}``. One with ``needs_texts = True`` gets ``tables(texts=...)``:
    the article texts as analysed (headline and body; spooled, read on demand). One with
    ``observes = True`` watches a table that is kept as well (the mentions) and is used only by
    runs with the article store, to be snapshotted (:mod:`supplywatch.analysis.incremental`); a
    plain run leaves that table to its aggregator, which gives the same tables. One with
    ``orderless = True`` promises that its tables depend only on which articles it was fed, not on
    their order, so the store may restore a snapshot taken over another order of (part of) the corpus
    and feed it the missing articles; a test feeds each one shuffled articles. Accumulator tables
    whose names start with ``_`` are for the aggregators only and are not part of the result.
    """
    from supplywatch.actors.comentions import MentionAggregates
    from supplywatch.actors.unknown import UnknownAccumulator
    from supplywatch.analysis.neardup import NearDuplicates
    from supplywatch.text.terms import TermsAccumulator

    return [TermsAccumulator, UnknownAccumulator, NearDuplicates, MentionAggregates]


def _aggregators() -> list[Aggregator]:
    """Corpus-level tables computed from the per-article ones."""
    from supplywatch.actors.mentions import aggregate_comentions
    from supplywatch.actors.quotes import aggregate_quotes
    from supplywatch.analysis.neardup import aggregate_stories
    from supplywatch.claims.finder import aggregate_claims
    from supplywatch.text.tone import aggregate_tone

    return [aggregate_stories, aggregate_comentions, aggregate_quotes, aggregate_tone, aggregate_claims]


def analyze_document(doc: Document, resources: Resources) -> Rows:
    """All per-article rows for one document (a pure function of the document and resources).

    The headline is text too: the extractors read :attr:`Document.analysed_text` (headline, blank
    line, text), so a one-sentence headline is sentence 0 and every offset indexes that string;
    ``body_start`` in the documents table tells headline rows (``start < body_start``) from the rest.
    """
    if doc.body_start:
        doc = replace(doc, text=doc.analysed_text, title="")
    sentences = split_sentences(doc.text)
    rows: Rows = {}
    for extract in _extractors():
        for name, table in extract(doc, sentences, resources, rows).items():
            rows.setdefault(name, []).extend(table)
    return rows
