"""Named-entity recognition for actors the gazetteer lacks: people, organisations and places.

Method (trained by ``scripts/train_ner.py``, ``make ner-model``; measured in the README):

1. **Candidate chunks.** One regular expression finds runs of capitalised words in the text, joined
   by spaces and, between two capitalised words, one connector (``of``, ``and``, ``de``, ``&``,
   ``van``, ``the``, ``for`` ...): "Bank of England", "Procter & Gamble", "Maria Ortega". Only these
   runs are looked at (about a fifth of the words of news text). A single word that training never saw
   as part of a name ("The", "March") and a sentence-initial single word that is common in lower case
   ("Analysts") are skipped before any feature is built.
2. **A linear-chain CRF** (CRFsuite, through ``python-crfsuite``) labels each word of a chunk with
   BIO tags over PER, ORG, LOC and MISC, so one chunk may hold several names or none ("U.S. Treasury
   Secretary James Baker" is ORG "U.S. Treasury" and PER "James Baker"). Features: the word, its shape
   (``Xx``, ``X.X.``), 3-letter prefix and suffix, whether the word occurs in lower case in the training
   text, its neighbours inside the chunk, and the two words either side of the chunk (with their shapes):
   "said", "in", "Mr", a score. All chunks of an article go to the tagger as one sequence, separated by a
   marker item, so CRFsuite is called once per article.
3. Chunk features are cached per chunk string, a word's own features (shared by every chunk holding
   it) per word, and word shapes per word, so the per-occurrence work is the context only.

The model (``data/ner_model.crfsuite``) and its lexicon (``data/ner_lexicon.json``: lower-case words and
never-a-name words, both counted on the training text) are trained on CoNLL-2003 ``eng.train``.

Example:
    >>> rec = load_recogniser()                                              # doctest: +SKIP
    >>> rec.entities("Maria Ortega, head of Norsk Metals ASA, said on Monday.")  # doctest: +SKIP
    [(0, 12, 'PER'), (22, 37, 'ORG')]
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

from supplywatch.config import DATA_DIR
from supplywatch.exceptions import ResourceError

#: The trained model and its lexicon (``make ner-model`` rebuilds both).
MODEL_FILE = DATA_DIR / "ner_model.crfsuite"
LEXICON_FILE = DATA_DIR / "ner_lexicon.json"

#: Entity labels the model gives (MISC: events, nationalities, titles of works, ...).
LABELS = ("PER", "ORG", "LOC", "MISC")

_UP = "A-ZÀ-ÖØ-Þ"
_WORD_REST = r"[\w'’&\-]*(?:\.(?=\w)[\w'’&\-]*)*\.?"  # a word after its capital
_WORD = rf"[{_UP}]{_WORD_REST}"
_CONNECTORS = r"(?:of|and|de|&|van|the|for|der|den|da|della|du|la|von|y|del|di|dos|le)"
#: A candidate chunk: capitalised words on one line, with at most one connector between two of them.
#: (The capital comes first and the character before it is looked behind at from after it, so the
#: regex engine can skip ahead to the next capital instead of trying every position.)
CHUNK_RE = re.compile(rf"[{_UP}](?<![\w'’&.\-].){_WORD_REST}"
                      rf"(?:[ \t]+(?:{_CONNECTORS}[ \t]+)?{_WORD})*")
#: Words whose final period is part of the word ("Corp.", "Mr."), lower case without the period.
ABBREVIATIONS = frozenset("""corp co inc ltd plc bros jr sr st mt ft mr mrs ms dr prof gen sen rep gov
col lt capt sgt adm maj rev hon dept univ assn intl natl no jan feb mar apr jun jul aug sep sept oct nov
dec ave""".split())
#: Abbreviations of wire-copy results tables ("Oper shr", "Avg shrs", "Qtly div"), never names.
TABLE_WORDS = frozenset("""Shr Shrs Oper Avg Revs Rev Qtr Qtly Div Mths Mth Dlrs Dlr Cts Pct Mln Bln Net Vs
Note Pay Prior Record Sales Oct Nov Dec Jan Feb Mar Apr Jun Jul Aug Sep Sept Six Nine Year Qtrly Loss
Profit Shrt Gross Tax Tonnes Wk""".split())
_PUNCT_END = ".,;:!?\"')]’”"
_PUNCT_START = "\"'(‘“["
_SENTENCE_OPENERS = frozenset(("<s>", ".", '"', "'", ":", "-", "(", "“", "‘", "?", "!"))
_SHAPE_UP = re.compile(rf"[{_UP}]+")
_SHAPE_LOW = re.compile(r"[a-zß-ÿ]+")
_SHAPE_DIG = re.compile(r"\d+")
_SEP = ["sep"]
#: "He'd", "It's", "We're": a pronoun or common word with a contraction, never a name.
_CONTRACTION_RE = re.compile(r"[A-Z][a-z]{0,5}['’](?:d|ll|re|ve|m|s|t)$")
#: Entries of the shape cache (words around a chunk); a full cache is emptied and refilled.
_CACHE_LIMIT = 4_096
#: Entries per generation of the chunk cache (chunk string -> spans and context-free features) and of the
#: word cache (chunk word -> its feature strings, shared by every chunk holding the word). A full
#: generation becomes the old one (the older is dropped) and a hit in the old one moves to the new, so
#: frequent entries stay and memory stays bounded however long the corpus: at most twice these entries,
#: about 0.9 KB per chunk and 0.6 KB per word (measured with tracemalloc on Reuters-21578), ~12 MiB in
#: all. Entries are tuples of strings, which the garbage collector stops tracking once built.
_CHUNK_CACHE = 4_096
_WORD_CACHE = 4_096
_SIZES = ("n=0", "n=1", "n=2", "n=3", "n=4")


class Recogniser:
    """A trained chunk tagger: :meth:`entities` gives ``(start, end, label)`` spans of a text.

    Args:
        tagger: an open ``pycrfsuite.Tagger`` (or anything with ``tag(items) -> labels``).
        lower_words: words seen in lower case in the training text (a feature, and a sentence-initial
            single word in this set is skipped).
        never: chunks (exact strings) that training saw often and never as part of a name; skipped.
    """

    def __init__(self, tagger, lower_words: frozenset[str], never: frozenset[str]) -> None:
        self.tagger = tagger
        self.lower_words = lower_words
        self.never = never | TABLE_WORDS
        self._chunks: dict[str, tuple] = {}
        self._chunks_old: dict[str, tuple] = {}
        self._words: dict[str, tuple] = {}
        self._words_old: dict[str, tuple] = {}
        self._shapes: dict[str, str] = {}

    # -- features --------------------------------------------------------------------------------
    def shape(self, word: str) -> str:
        """The word's shape: capitals ``X``, lower case ``x``, digit runs ``9`` ("U.S." -> "X.X.")."""
        got = self._shapes.get(word)
        if got is None:
            got = _shape(word)
            if len(self._shapes) >= _CACHE_LIMIT:
                self._shapes.clear()
            self._shapes[word] = got
        return got

    def _word(self, word: str) -> tuple:
        """A chunk word's context-free features, built once per word (see :data:`_WORD_CACHE`): ``(own
        features, lower case, shape, in lower case in training, the features of the word as a one-word
        chunk)``."""
        got = self._words.get(word)
        if got is None:
            got = self._words_old.get(word)
            if got is None:
                low = word.lower()
                shape = _shape(word)
                lower = low in self.lower_words
                own = (f"w={low}", f"sh={shape}", f"s3={low[-3:]}", f"p3={low[:3]}")
                if lower:
                    own += ("lc",)
                if word.isupper():
                    own += ("up",)
                got = (own, low, shape, lower, ("n=1", *own, "first", "last"))
            if len(self._words) >= _WORD_CACHE:
                self._words_old = self._words
                self._words = {}
            self._words[word] = got
        return got

    def _chunk(self, chunk: str) -> tuple:
        """``(number of words, word spans relative to the chunk, what was cut off the end, context-free
        features per word, first word in lower case in training, end of the last word)``."""
        parts = chunk.split()
        n = len(parts)
        if n == 1:  # most chunks; a chunk starts with its first word
            word, cut, tail = _cut(chunk, True)
            pieces = self._word(word)
            stop = len(chunk) - cut
            return 1, ((0, stop),), tail, (pieces[4],), pieces[3], stop
        spans = []
        pos = 0
        last = n - 1
        for i, part in enumerate(parts):
            at = chunk.index(part, pos)
            pos = at + len(part)
            parts[i], cut, tail = _cut(part, i == last)
            spans.append((at, pos - cut))
        word = self._word
        pieces = [word(p) for p in parts]
        size = _SIZES[n] if n < 5 else "n=5"
        feats = []
        for i in range(n):
            f = [size, *pieces[i][0]]
            if i:
                before = pieces[i - 1]
                f.append("pw=" + before[1])
                f.append("psh=" + before[2])
                if i >= 2:
                    f.append("pw2=" + pieces[i - 2][1])
            else:
                f.append("first")
            if i < last:
                after = pieces[i + 1]
                f.append("nw=" + after[1])
                f.append("nsh=" + after[2])
                if i + 2 < n:
                    f.append("nw2=" + pieces[i + 2][1])
            else:
                f.append("last")
            feats.append(tuple(f))
        return n, tuple(spans), tail, tuple(feats), pieces[0][3], spans[-1][1]

    def _remember(self, chunk: str) -> tuple:
        """The chunk's :meth:`_chunk` from the old generation of the cache or built, put in the new one."""
        info = self._chunks_old.get(chunk)
        if info is None:
            info = self._chunk(chunk)
        if len(self._chunks) >= _CHUNK_CACHE:
            self._chunks_old = self._chunks
            self._chunks = {}
        self._chunks[chunk] = info
        return info

    def sequence(self, text: str, *, skip: frozenset | set = frozenset()) -> tuple[list, list]:
        """The tagger's input for one text: ``(items, chunks)``, chunks as ``(first item, start, spans,
        opens a sentence)``; an item is a list or tuple of feature strings (a chunk's inner words are
        the chunk cache's tuples), and the separator between two chunks is ``["sep"]``.

        ``skip`` holds ``(start, end)`` spans not to tag (names the gazetteer already matched exactly).
        """
        items: list = []
        chunks: list[tuple[int, int, tuple, bool]] = []
        never = self.never
        shapes = self._shapes
        shape = self.shape
        for s, chunk in _pieces(text):
            if chunk in never or (("'" in chunk or "’" in chunk) and _CONTRACTION_RE.match(chunk)):
                continue
            n, spans, tail, feats, first_lower, stop = self._chunks.get(chunk) or self._remember(chunk)
            if skip and (s, s + stop) in skip:
                continue
            # the two words before the chunk, on its line, within 40 characters
            at = s - 40 if s > 40 else 0
            newline = text.rfind("\n", at, s)
            words_before = text[at if newline < 0 else newline + 1:s].rsplit(None, 2)
            if words_before:
                p1 = words_before[-1]
                p2 = words_before[-2] if len(words_before) > 1 else "<s>"
                if len(p1) > 1 and p1[-1] in _PUNCT_END and (
                        p1[-1] != "." or p1[:-1].lower() not in ABBREVIATIONS):
                    p2, p1 = p1[:-1], p1[-1]
                if len(p1) > 1 and p1[-1] in _PUNCT_START:
                    p1 = p1[-1]
                p1_shape = shapes.get(p1) or shape(p1)
                p1, p2 = p1.lower(), p2.lower()
            else:
                p1 = p2 = "<s>"
                p1_shape = "<x>"
            opener = p1 in _SENTENCE_OPENERS
            if first_lower and n == 1 and opener:
                continue  # "Analysts said": a common word opening a sentence
            # the two words after it, on its line, within 40 characters (what was cut off the chunk first)
            if tail is not None:
                at = s + stop + len(tail)
                newline = text.find("\n", at, at + 40)
                words_after = text[at:newline if newline >= 0 else at + 40].split(None, 1)
                n1 = tail
                n2 = words_after[0] if words_after else "</s>"
            else:
                at = s + len(chunk)
                newline = text.find("\n", at, at + 40)
                words_after = text[at:newline if newline >= 0 else at + 40].split(None, 2)
                if words_after:
                    n1 = words_after[0]
                    if len(n1) > 1 and n1[0] in _PUNCT_END:
                        n1 = n1[0]
                    elif len(n1) > 1 and n1[-1] in _PUNCT_END and (
                            n1[-1] != "." or n1[:-1].lower() not in ABBREVIATIONS):
                        n1 = n1[:-1]
                    n2 = words_after[1] if len(words_after) > 1 else "</s>"
                else:
                    n1 = n2 = "</s>"
            n1_shape = shapes.get(n1) or shape(n1)
            n1, n2 = n1.lower(), n2.lower()
            first = [*feats[0], f"p1={p1}", f"cn1={n1}", f"p1sh={p1_shape}", f"cn1sh={n1_shape}", f"p2={p2}",
                     f"p1p2={p2}|{p1}"]
            if p1 == "<s>":
                first.append("bos")
                if first_lower:
                    first.append("bos_lc")
            index = len(items)
            if n == 1:
                first += (f"n1={n1}", f"n1sh={n1_shape}", f"n2={n2}", f"n1n2={n1}|{n2}")
                items.append(first)
            else:
                items.append(first)
                if n > 2:
                    items += feats[1:-1]
                items.append([*feats[-1], f"n1={n1}", f"cp1={p1}", f"n1sh={n1_shape}", f"n2={n2}",
                              f"n1n2={n1}|{n2}"])
            items.append(_SEP)
            chunks.append((index, s, spans, opener))
        return items, chunks

    # -- tagging ---------------------------------------------------------------------------------
    def entities(self, text: str, *, skip: frozenset | set = frozenset()) -> list[tuple[int, int, str]]:
        """Named entities of ``text``: ``(start, end, label)`` with ``label`` in :data:`LABELS`, in order.

        ``text[start:end]`` is the name without a possessive ``'s`` or a sentence's final period.
        """
        items, chunks = self.sequence(text, skip=skip)
        if not items:
            return []
        labels = self.tagger.tag(items)
        out: list[tuple[int, int, str]] = []
        for index, s, spans, opener in chunks:
            if len(spans) == 1:  # most chunks: one word, mostly "O"
                label = labels[index]
                if label == "O":
                    continue
                a, b = spans[0]
                if opener and _lower_in(text, text[s + a:s + b].lower()):
                    continue  # "Rumors circulated": the word is in lower case elsewhere
                out.append((s + a, s + b, label[2:]))
                continue
            if opener and labels[index] != "O" and labels[index + 1][0] != "I":
                word = text[s + spans[0][0]:s + spans[0][1]]
                if _lower_in(text, word.lower()):
                    labels[index] = "O"  # "Rumors circulated": the word is in lower case elsewhere
            current = None
            for i, (a, b) in enumerate(spans):
                label = labels[index + i]
                if label == "O":
                    if current:
                        out.append(tuple(current))
                        current = None
                    continue
                kind = label[2:]
                if label[0] == "B" or current is None or current[2] != kind:
                    if current:
                        out.append(tuple(current))
                    current = [s + a, s + b, kind]
                else:
                    current[1] = s + b
            if current:
                out.append(tuple(current))
        never = self.never
        return [x for x in out if text[x[0]:x[1]] not in never]


def _pieces(text: str):
    """``(start, chunk)`` of every candidate chunk of ``text``, in order, cut by :func:`_split`."""
    for match in CHUNK_RE.finditer(text):
        chunk = match.group()
        if " " in chunk and (". " in chunk or "' " in chunk or "’ " in chunk or "'s " in chunk or "’s " in chunk):
            start = match.start()
            for offset, piece in _split(chunk):
                yield start + offset, piece
        else:
            yield match.start(), chunk


def _split(chunk: str) -> list[tuple[int, str]]:
    """A chunk cut after a word that ends a sentence ("Mr Blair. Liberal") or a possessive ("London's
    Brixton Academy"): ``(offset, piece)`` pairs."""
    pieces = []
    start = 0
    for match in re.finditer(r"\S+", chunk):
        word = match.group()
        if match.end() == len(chunk):
            break
        if word.endswith(("'s", "’s", "'", "’")) or (
                word.endswith(".") and len(word) > 2 and "." not in word[:-1]
                and word[:-1].lower() not in ABBREVIATIONS):
            pieces.append((start, chunk[start:match.end()]))
            start = match.end() + 1
            while chunk[start] in " \t":
                start += 1
    pieces.append((start, chunk[start:]))
    return pieces


def _cut(word: str, last: bool) -> tuple[str, int, str | None]:
    """A chunk's word without a possessive (``'s``, ``’s``, a plural's ``'``) and, the last word only,
    without a sentence's final period: ``(word, characters cut, what was cut)`` (``"'s"`` for both
    apostrophes; None when nothing was)."""
    tail = None
    cut = 0
    if last and word.endswith(".") and len(word) > 2 and "." not in word[:-1] and (
            word[:-1].lower() not in ABBREVIATIONS):
        word = word[:-1]  # a sentence's final period
        cut = 1
        tail = "."
    if len(word) > 2 and word.endswith(("'s", "’s")):
        return word[:-2], cut + 2, "'s"
    if len(word) > 2 and word[-1] in "'’":
        return word[:-1], cut + 1, "'"  # plural possessive: "the Sunday Times' list"
    return word, cut, tail


def _shape(word: str) -> str:
    if word.isascii() and word.isalpha():  # most words: the three substitutions' result directly
        if word.islower():
            return "x"
        if word.isupper():
            return "X"
        if word[0].isupper() and word[1:].islower():
            return "Xx"
    return _SHAPE_DIG.sub("9", _SHAPE_LOW.sub("x", _SHAPE_UP.sub("X", word)))


def _lower_in(text: str, word: str) -> bool:
    """``word`` (lower case) occurs in ``text`` as a whole word in lower case."""
    at = text.find(word)
    size = len(text)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not text[at - 1].isalpha()) and (end >= size or not text[end].isalpha()):
            return True
        at = text.find(word, end)
    return False


def read_lexicon(path: str | os.PathLike) -> tuple[frozenset[str], frozenset[str]]:
    """``(lower_words, never)`` from the model's JSON lexicon (keys ``lower`` and ``never``)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return frozenset(data["lower"]), frozenset(data["never"])


_DEFAULT: Recogniser | None = None


def load_recogniser(model: str | os.PathLike | None = None,
                    lexicon: str | os.PathLike | None = None) -> Recogniser:
    """The trained recogniser (``data/ner_model.crfsuite`` and ``data/ner_lexicon.json`` by default),
    loaded once per process (the default files) or per file version (files passed in).

    Raises:
        ResourceError: a file is missing or unreadable (the message says how to rebuild it).
    """
    global _DEFAULT
    if model is None and lexicon is None:
        if _DEFAULT is None:
            _DEFAULT = load_recogniser(MODEL_FILE, LEXICON_FILE)
        return _DEFAULT
    model = Path(model) if model is not None else MODEL_FILE
    lexicon = Path(lexicon) if lexicon is not None else LEXICON_FILE
    stamps = []
    for path in (model, lexicon):
        try:
            stat = path.stat()
        except OSError:
            raise ResourceError(f"{path}: recogniser file not found; rebuild it with `make ner-model` "
                                f"(needs ../shared/corpora/conll2003) or restore it from git") from None
        stamps.append((str(path.resolve()), stat.st_mtime_ns, stat.st_size))
    return _load(*stamps)


@lru_cache(maxsize=4)
def _load(model: tuple, lexicon: tuple) -> Recogniser:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(model[0])
        lower, never = read_lexicon(lexicon[0])
    except (OSError, ValueError, KeyError) as exc:
        raise ResourceError(f"{model[0]} / {lexicon[0]}: cannot read the recogniser ({exc}); rebuild it "
                            f"with `make ner-model`") from None
    return Recogniser(tagger, lower, never)
