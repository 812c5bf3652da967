"""Text analysis with NLTK, fully offline: no NLTK downloader data is ever needed.

Sentence splitting uses Punkt with its parameters set in code (abbreviations such as U.S., Mr.,
Corp., Jan., No. never end a sentence); paragraphs (blank lines) always end one.

Example:
    >>> [s.text for s in split_sentences("Mr. Lin met U.S. officials. They talked.")]
    ['Mr. Lin met U.S. officials.', 'They talked.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

#: Abbreviations (lower case, without the final period) that never end a sentence.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sen rep gov gen col lt capt sgt adm cmdr maj rev hon pres st mt ft
    jr sr co corp inc ltd llc plc bros dept univ assn assoc est approx govt intl natl
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    no nos vol vols fig figs pp p op ed eds al etc cf vs v ca
    u.s u.s.a u.k u.n e.u u.a.e p.m a.m d.c n.y l.a s.a n.v a.g b.v s.p.a
    i.e e.g viz
    bln mln pct yr yrs avg
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont
    neb nev okla ore pa tenn tex va vt wash wis wyo
    """.split()
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: its index, character span in the document, and text."""

    sentence_id: int
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def sentence_tokenizer() -> PunktSentenceTokenizer:
    """The project's Punkt tokenizer (built once, on first use)."""
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


#: A paragraph: lines up to a blank line (sentences never cross one).
PARAGRAPH_RE = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``; ``text[start:end]`` is each sentence."""
    tok = sentence_tokenizer()
    spans: list[tuple[int, int]] = []
    for para in PARAGRAPH_RE.finditer(text):
        base = para.start()
        chunk = para.group()
        for start, end in tok.span_tokenize(chunk):
            piece = chunk[start:end]
            # trim surrounding whitespace so spans slice clean sentences
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            if end - trail > start + lead:
                spans.append((base + start + lead, base + end - trail))
    return spans


def split_sentences(text: str) -> list[Sentence]:
    """Split a document into :class:`Sentence` objects numbered from 0."""
    return [Sentence(i, s, e, text[s:e]) for i, (s, e) in enumerate(sentence_spans(text))]
