"""Text analysis with NLTK, fully offline: no NLTK downloader data is ever needed.

Sentence splitting uses Punkt with its parameters set in code (abbreviations such as U.S., Mr.,
Corp., Jan., No. never end a sentence); paragraphs (blank lines) always end one. Punkt is not asked
about a paragraph in which it could find no possible break, its break decisions are memoised by
context, and its own regular expressions run on :mod:`re` rather than NLTK's time-limited ``regex``
wrapper: the sentences are exactly Punkt's (a test compares them with a plain tokenizer).

Example:
    >>> [s.text for s in split_sentences("Mr. Lin met U.S. officials. They talked.")]
    ['Mr. Lin met U.S. officials.', 'They talked.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

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
#: Characters that ``str.isspace`` (and :mod:`re`'s ``\\s``) count as white space but the ``regex``
#: engine NLTK runs Punkt's patterns with does not; the only difference between the two engines'
#: ``\\s`` (checked over all of Unicode when this was written; a test checks it).
_ODD_SPACE_RE = re.compile(r"[\x1c-\x1f]")
_RE_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE


def _stdlib(pattern) -> re.Pattern:
    """One of NLTK's time-limited ``regex`` patterns compiled by :mod:`re` (same source and flags)."""
    return re.compile(pattern.pattern, pattern.flags & _RE_FLAGS)


class _StdlibLanguageVars(PunktLanguageVars):
    """Punkt's own language variables, their three patterns compiled by :mod:`re`.

    NLTK compiles them with the ``regex`` engine and runs every match under a time limit, which
    costs more than the matching on news paragraphs. Their sources use only ``\\s``/``\\S``,
    literal classes, lazy and greedy repeats and lookaheads, which both engines read alike; the one
    difference, ``\\s`` on :data:`_ODD_SPACE_RE` characters, is kept away: a text holding one is
    split by the plain tokenizer. (:data:`MAX_PUNKT_CHARS` still bounds each input.)"""

    __slots__ = ()
    re_boundary_realignment = _stdlib(PunktLanguageVars.re_boundary_realignment)

    def _word_tokenizer_re(self):
        pattern = super()._word_tokenizer_re()
        if not isinstance(pattern, re.Pattern):
            pattern = self._re_word_tokenizer = _stdlib(pattern)
        return pattern

    def period_context_re(self):
        pattern = super().period_context_re()
        if not isinstance(pattern, re.Pattern):
            pattern = self._re_period_context = _stdlib(pattern)
        return pattern


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    """The tokenizer :func:`sentence_spans` uses: Punkt with :func:`sentence_tokenizer`'s parameters,
    :class:`_StdlibLanguageVars`, and its decisions remembered.

    Punkt decides each possible break from its context string alone ("said. The", "U.S. Treasury"),
    with fixed parameters, so ``text_contains_sentbreak`` is memoised for the last
    :data:`BREAK_CACHE_SIZE` contexts (many recur: in Reuters-21578 18,054 distinct of 32,139)."""
    tok = PunktSentenceTokenizer(_parameters(), lang_vars=_StdlibLanguageVars())
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
    those of ``sentence_tokenizer().span_tokenize`` on each paragraph (piece), whitespace-trimmed.

    Three paragraphs in four have no :data:`_BREAK_CANDIDATE_RE` match (one sentence, or an end mark
    only inside a number like 5.93) and are not handed to Punkt: its answer is known, the one slice
    up to ``len(chunk.rstrip())`` from its ``_slices_from_text``. (Every end character Punkt
    considers is followed by a non-word mark or by white space and a non-space, so it lies before
    the trailing white space ``rstrip`` removes, unless a character of :data:`_ODD_SPACE_RE` is
    involved; such texts all go to the plain tokenizer.)"""
    odd = _ODD_SPACE_RE.search(text) is not None
    tok = sentence_tokenizer() if odd else _tokenizer()
    spans: list[tuple[int, int]] = []
    for para in PARAGRAPH_RE.finditer(text):
        chunk = para.group()
        for offset, piece in ((0, chunk),) if len(chunk) <= MAX_PUNKT_CHARS else _pieces(chunk):
            base = para.start() + offset
            stripped = piece.rstrip()
            if odd or _BREAK_CANDIDATE_RE.search(stripped) is not None:
                spans.extend(_spans(tok, piece, base))
                continue
            lead = len(stripped) - len(stripped.lstrip())
            if lead < len(stripped):
                spans.append((base + lead, base + len(stripped)))
    return spans


#: Where Punkt could see a possible break: a sentence-end character followed by anything but an ASCII
#: letter or digit. Punkt's own candidates (``period_context_re``: an end character followed by a
#: non-word mark, or by white space and a token) are a subset, so a chunk without a match here,
#: after its trailing white space, is one sentence for Punkt.
_BREAK_CANDIDATE_RE = re.compile(r"[.?!][^0-9A-Za-z]")


def _spans(tok: PunktSentenceTokenizer, chunk: str, base: int) -> list[tuple[int, int]]:
    """Punkt's sentences of ``chunk`` as whitespace-trimmed spans offset by ``base``."""
    spans = []
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
