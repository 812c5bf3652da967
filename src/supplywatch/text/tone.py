"""Tone: VADER sentence scores through NLTK, and each actor's mean tone.

The scorer is NLTK's :class:`~nltk.sentiment.vader.SentimentIntensityAnalyzer`; its lexicon is the
``vader_lexicon.txt`` shipped inside the pinned ``vaderSentiment`` pip package (located with
:mod:`importlib.resources`), never NLTK downloader data. NLTK 3.10's path guard refuses to
``nltk.data.load`` files outside its data folders, so the lexicon text is read here and handed to
NLTK's class, which parses and scores exactly as usual.

Only sentences that mention an actor are scored (the per-actor table needs nothing else), and scores
are cached per sentence text.

Example:
    >>> round(sentence_scores("Talks went well.")["compound"], 2)   # doctest: +SKIP
    0.27
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import methodcaller

import pandas as pd

from supplywatch.exceptions import ResourceError

#: Columns of the per-sentence tone table.
SENTENCE_TONE_COLUMNS = ["doc_id", "sentence_id", "compound", "pos", "neu", "neg"]
#: Columns of the per-actor tone table.
TONE_COLUMNS = ["actor_id", "actor", "actor_type", "n_sentences", "n_documents", "mean_compound",
                "mean_pos", "mean_neg", "share_negative", "share_positive"]
#: VADER's usual thresholds for a positive / negative sentence.
POSITIVE, NEGATIVE = 0.05, -0.05


def lexicon_text() -> str:
    """The VADER lexicon text from the installed ``vaderSentiment`` package.

    Raises:
        ResourceError: the package or its ``vader_lexicon.txt`` is missing.
    """
    from importlib.resources import files

    try:
        resource = files("vaderSentiment") / "vader_lexicon.txt"
        return resource.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        raise ResourceError(
            f"VADER lexicon not found ({exc}): tone needs vader_lexicon.txt from the vaderSentiment "
            f"package; install it with `pip install -r requirements.txt` (vaderSentiment is pinned there)"
        ) from None


class _PunctuatedWords:
    """What NLTK's ``SentiText._words_plus_punc`` builds, looked up instead of built.

    NLTK makes a dict of every word of the sentence with every punctuation mark before and after it
    (2 x 11 entries per word), only to look up each token once. Words here never contain punctuation,
    so a token ``word + mark`` (or ``mark + word``) splits in at most one way: checking the marks at
    the token's ends gives the same answers, several times faster.
    """

    def __init__(self, words: set[str], marks: list[str]) -> None:
        self._words = words
        self._marks = marks
        self._mark_chars = frozenset("".join(marks))

    def get(self, token: str) -> str | None:
        if not token or (token[-1] not in self._mark_chars and token[0] not in self._mark_chars):
            return None  # most tokens: no mark at either end
        for mark in self._marks:  # "word!" wins over "!word", as dict.update did in NLTK
            if token.endswith(mark) and token[: -len(mark)] in self._words:
                return token[: -len(mark)]
        for mark in self._marks:
            if token.startswith(mark) and token[len(mark):] in self._words:
                return token[len(mark):]
        return None

    def __contains__(self, token: str) -> bool:
        return self.get(token) is not None

    def __getitem__(self, token: str) -> str:
        word = self.get(token)
        if word is None:
            raise KeyError(token)
        return word


def _punctuation_table(pattern) -> dict[int, None] | None:
    """A ``str.translate`` table deleting what VADER's ``REGEX_REMOVE_PUNCTUATION`` removes, or None
    when NLTK's pattern is not the one-character class of :data:`string.punctuation` it has been."""
    import string

    if getattr(pattern, "pattern", None) != f"[{re.escape(string.punctuation)}]" or getattr(pattern, "flags", 0) & re.I:
        return None
    return dict.fromkeys(map(ord, string.punctuation))


@lru_cache(maxsize=1)
def analyzer():
    """NLTK's VADER analyzer with the vaderSentiment lexicon (built once).

    Scoring is NLTK's own ``polarity_scores``, with the same results (tests compare them with a
    plain NLTK analyzer) and three shortcuts around it:

    * its tokenisation helper is replaced by an equivalent lookup (:class:`_PunctuatedWords`);
    * its punctuation removal (a one-character-class regular expression, run by NLTK under a time
      limit) is the equivalent ``str.translate``;
    * a sentence none of whose tokens can be a lexicon word is scored without the word-by-word
      pass: each of VADER's tokens is a whitespace-separated token of two or more characters,
      possibly less one punctuation mark at an end (:class:`_PunctuatedWords`), so when neither the
      token nor the token stripped of punctuation is in the lexicon (lower-cased), every word's
      valence is 0 (only lexicon words get one; boosters, negations and idioms only modify those),
      and VADER's ``score_valence`` is given those zeros directly.
    """
    import string

    from nltk.sentiment import vader
    from nltk.sentiment.vader import SentimentIntensityAnalyzer, VaderConstants

    drop = _punctuation_table(VaderConstants.REGEX_REMOVE_PUNCTUATION)
    strip = methodcaller("strip", string.punctuation)

    class _SentiText(vader.SentiText):
        def _words_plus_punc(self):
            if drop is not None:
                no_punc_text = self.text.translate(drop)
            else:
                no_punc_text = self.REGEX_REMOVE_PUNCTUATION.sub("", self.text)
            return _PunctuatedWords({w for w in no_punc_text.split() if len(w) > 1}, list(self.PUNC_LIST))

    class _Analyzer(SentimentIntensityAnalyzer):
        def __init__(self, text: str) -> None:  # same fields as NLTK's __init__, lexicon given as text
            self.lexicon_file = "\n".join(line for line in text.splitlines() if line.strip())
            self.lexicon = self.make_lex_dict()
            self.constants = VaderConstants()

        def polarity_scores(self, text: str) -> dict[str, float]:
            if isinstance(text, str):
                words = self.lexicon.keys()
                tokens = text.split()  # one-character tokens too: they only make the test stricter
                if words.isdisjoint(map(str.lower, tokens)) and words.isdisjoint(
                        map(str.lower, map(strip, tokens))):
                    return self.score_valence([0] * sum(len(t) > 1 for t in tokens), text)
            # NLTK's method builds ``vader.SentiText`` by its module name; lend it ours for the call
            original = vader.SentiText
            vader.SentiText = _SentiText
            try:
                return super().polarity_scores(text)
            finally:
                vader.SentiText = original

    return _Analyzer(lexicon_text())


@lru_cache(maxsize=65536)
def sentence_scores(sentence: str) -> dict[str, float]:
    """VADER scores (``neg``, ``neu``, ``pos``, ``compound``) of one sentence, cached by its text."""
    return analyzer().polarity_scores(sentence)


def extract_sentence_tone(doc, sentences, resources, rows) -> dict[str, list[dict]]:
    """Pipeline extractor: tone of the sentences that mention a gazetteer actor (reads ``rows["mentions"]``;
    recognised actors are not scored: their sentences would double VADER's share of ``analyze``)."""
    ids = sorted({m["sentence_id"] for m in rows.get("mentions", []) if m.get("origin", "gazetteer") == "gazetteer"})
    out = []
    for sentence_id in ids:
        scores = sentence_scores(sentences[sentence_id].text)
        out.append({"doc_id": doc.doc_id, "sentence_id": sentence_id, "compound": scores["compound"],
                    "pos": scores["pos"], "neu": scores["neu"], "neg": scores["neg"]})
    return {"sentence_tone": out}


def actor_tone(mentions: pd.DataFrame, sentence_tone: pd.DataFrame) -> pd.DataFrame:
    """Per-actor mean tone over the distinct sentences that mention the actor (gazetteer actors: rows
    whose ``origin`` is ``recognised`` are left out).

    Example:
        >>> m = pd.DataFrame({"doc_id": ["d", "d"], "sentence_id": [0, 0], "actor_id": ["CHN", "CHN"],
        ...                   "actor": ["China"] * 2, "actor_type": ["country"] * 2})
        >>> s = pd.DataFrame({"doc_id": ["d"], "sentence_id": [0], "compound": [0.5], "pos": [.3], "neu": [.7], "neg": [0.]})
        >>> actor_tone(m, s)[["actor", "n_sentences", "mean_compound"]].values.tolist()
        [['China', 1, 0.5]]
    """
    if mentions is not None and "origin" in mentions.columns:
        mentions = mentions[mentions["origin"] == "gazetteer"]
    if mentions is None or mentions.empty or sentence_tone is None or sentence_tone.empty:
        return pd.DataFrame(columns=TONE_COLUMNS)
    pairs = mentions[["doc_id", "sentence_id", "actor_id", "actor", "actor_type"]].drop_duplicates(
        ["doc_id", "sentence_id", "actor_id"])
    joined = pairs.merge(sentence_tone, on=["doc_id", "sentence_id"], how="inner")
    joined["negative"] = joined["compound"] <= NEGATIVE
    joined["positive"] = joined["compound"] >= POSITIVE
    grouped = joined.groupby(["actor_id", "actor", "actor_type"], sort=True).agg(
        n_sentences=("compound", "size"), n_documents=("doc_id", "nunique"),
        mean_compound=("compound", "mean"), mean_pos=("pos", "mean"), mean_neg=("neg", "mean"),
        share_negative=("negative", "mean"), share_positive=("positive", "mean"),
    ).reset_index()
    for col in ("mean_compound", "mean_pos", "mean_neg", "share_negative", "share_positive"):
        grouped[col] = grouped[col].astype(float).round(4)
    return grouped.sort_values(["n_sentences", "actor_id"], ascending=[False, True],
                               kind="stable").reset_index(drop=True)[TONE_COLUMNS]


def aggregate_tone(tables: dict[str, pd.DataFrame], resources) -> dict[str, pd.DataFrame]:
    """Pipeline aggregator: the ``tone`` table (and ``sentence_tone`` in a stable order)."""
    sentence_tone = tables.get("sentence_tone")
    if sentence_tone is None or sentence_tone.empty:
        sentence_tone = pd.DataFrame(columns=SENTENCE_TONE_COLUMNS)
    else:
        sentence_tone = sentence_tone.sort_values(["doc_id", "sentence_id"], kind="stable").reset_index(drop=True)
    return {"sentence_tone": sentence_tone, "tone": actor_tone(tables.get("mentions"), sentence_tone)}
