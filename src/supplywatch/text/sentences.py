"""Text analysis with NLTK, fully offline: no NLTK downloader data is ever needed.

Sentence splitting uses Punkt with its parameters set in code (abbreviations such as U.S., Mr.,
Corp., Jan., No. never end a sentence); paragraphs (blank lines) always end one. Punkt is not asked
about a paragraph in which it could find no possible break, and its break decisions are memoised
by context: the sentences are exactly Punkt's (a test compares them with a plain tokenizer).

Example:
    >>> [s.text for s in split_sentences("Mr. Lin met U.S. officials. They talked.")]
    ['Mr. Lin met U.S. officials.', 'They talked.']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
    """The project's Punkt tokenizer (built once, on first use): NLTK's class with the project's
    abbreviations, nothing else (the benchmark's plain-NLTK baseline uses it too)."""
    return PunktSentenceTokenizer(_parameters())


def _parameters() -> PunktParameters:
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return params


#: How many break decisions :func:`_tokenizer` remembers (short context strings: a few MB at most).
BREAK_CACHE_SIZE = 1 << 15


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    """The tokenizer :func:`sentence_spans` uses: :func:`sentence_tokenizer`'s, remembering decisions.

    Punkt decides each possible break from its context string alone ("said. The", "U.S. Treasury"),
    with fixed parameters, so ``text_contains_sentbreak`` is memoised for the last
    :data:`BREAK_CACHE_SIZE` contexts (many recur: in Reuters-21578 18,054 distinct of 32,139)."""
    tok = PunktSentenceTokenizer(_parameters())
    tok.text_contains_sentbreak = lru_cache(maxsize=BREAK_CACHE_SIZE)(tok.text_contains_sentbreak)
    return tok


#: A paragraph: lines up to a blank line (sentences never cross one).
PARAGRAPH_RE = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")


#: Punkt reads at most this many characters at once. NLTK runs Punkt's regular expressions under a
#: time limit, which a paragraph of megabytes on one line exceeds (the whole analysis then failed);
#: a longer paragraph is cut after the last full stop, question or exclamation mark followed by a
#: space in the second half of each window (else at a space), and each piece is split on its own.
MAX_PUNKT_CHARS = 50_000
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)\]]*\s+")


def _pieces(chunk: str, limit: int = MAX_PUNKT_CHARS) -> list[tuple[int, str]]:
    """``(offset, piece)`` of a paragraph cut for Punkt (the paragraph itself when short enough)."""
    if len(chunk) <= limit:
        return [(0, chunk)]
    pieces, pos = [], 0
    while len(chunk) - pos > limit:
        end = pos + limit
        cut = None
        for match in _SENTENCE_END_RE.finditer(chunk, pos + limit // 2, end):
            cut = match.end()
        if cut is None:
            space = chunk.rfind(" ", pos + limit // 2, end)
            cut = space + 1 if space >= 0 else end
        pieces.append((pos, chunk[pos:cut]))
        pos = cut
    pieces.append((pos, chunk[pos:]))
    return pieces


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``; ``text[start:end]`` is each sentence.

    Paragraphs (blank lines) always end a sentence; a paragraph longer than
    :data:`MAX_PUNKT_CHARS` is read in pieces cut after a sentence end (:func:`_pieces`). The spans are
    those of ``sentence_tokenizer().span_tokenize`` on each paragraph (piece), whitespace-trimmed; a
    paragraph where Punkt can see no possible break is not handed to it (:func:`_spans`)."""
    tok = _tokenizer()
    spans: list[tuple[int, int]] = []
    for para in PARAGRAPH_RE.finditer(text):
        for offset, chunk in _pieces(para.group()):
            spans.extend(_spans(tok, chunk, para.start() + offset))
    return spans


#: Where Punkt could see a possible break: a sentence-end character followed by anything but an ASCII
#: letter or digit. Punkt's own candidates (``period_context_re``: an end character followed by a
#: non-word mark, or by white space and a token) are a subset, so a chunk without a match here,
#: after its trailing white space, is one sentence for Punkt.
_BREAK_CANDIDATE_RE = re.compile(r"[.?!][^0-9A-Za-z]")
#: Characters that ``str.isspace`` counts as white space but Punkt's regular expressions do not.
_ODD_SPACE_RE = re.compile(r"[\x1c-\x1f]")


def _spans(tok: PunktSentenceTokenizer, chunk: str, base: int) -> list[tuple[int, int]]:
    """Trimmed spans (offset by ``base``) of Punkt's sentences of ``chunk``.

    Three paragraphs in four have no :data:`_BREAK_CANDIDATE_RE` match (one sentence, or an end
    mark only inside a number like 5.93): Punkt's answer for them is known without asking it, as
    its ``_slices_from_text`` then gives the one slice up to ``len(chunk.rstrip())``. (Every end
    character Punkt considers is followed by a non-word mark or by white space and a non-space,
    so it lies before the trailing white space ``rstrip`` removes, unless a character of
    :data:`_ODD_SPACE_RE` is involved; such chunks go to Punkt.)"""
    stripped = chunk.rstrip()
    if _BREAK_CANDIDATE_RE.search(stripped) is None and _ODD_SPACE_RE.search(chunk) is None:
        # Punkt would find no possible break and give the chunk without its trailing white space
        found: Iterable[tuple[int, int]] = [(0, len(stripped))] if stripped else []
    else:
        found = tok.span_tokenize(chunk)
    spans = []
    for start, end in found:
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
