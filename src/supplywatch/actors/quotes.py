"""Direct quotations and who said them.

Quote marks: straight ``"``, curly ``“ ”`` and mismatched pairs (``"...”``) are all accepted; marks are
paired in order within a paragraph. Attribution, tried in this order:

1. after the quote: ``"...," X said`` / ``"...," said X`` (the ``after`` pattern);
2. before the quote: ``X said: "..."`` / ``X said that "..."`` (``before``);
3. ``according to X`` in the same sentence (``according_to``);
4. a speech verb earlier in the quote's sentence with its subject before it: ``US President Donald
   Trump on Wednesday announced that a deal with China "is done"`` (``verb_in_sentence``).

The speaker phrase is resolved to a gazetteer actor through the article's mentions (a person is
preferred to an organisation, an organisation to a country; a surname back-reference such as
"Lin said" resolves to Lin Jian). An unresolved speaker keeps its phrase ("a foreign ministry
statement") with an empty ``speaker_id``.

Scare quotes: a quoted fragment shorter than four words that ends without punctuation
(“common concerns”) is a quotation only when its speaker resolves to a gazetteer actor; otherwise it is a
scare quote or a title and is not listed. So the seed's “common concerns”, attributed to
"a foreign ministry statement", is not a quote, while Trump's "is done" is.

Example:
    >>> [q["quote"] for q in find_quotes('"Prices will rise," Lin said.', [])]
    ['Prices will rise,']
"""

from __future__ import annotations

import bisect
import re

from supplywatch.text.sentences import PARAGRAPH_RE
from supplywatch.text.spans import SpanIndex

#: Columns of the quotes table, in order.
QUOTE_COLUMNS = ["doc_id", "sentence_id", "speaker", "speaker_id", "quote", "start", "end", "pattern"]

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|noted|notes|announced|announces|declared|"
    "warned|warns|insisted|insists|argued|argues|explained|wrote|writes|asked|asks|replied|responded|"
    "commented|remarked|stressed|emphasised|emphasized|claimed|claims|maintained|acknowledged|"
    "urged|reiterated|confirmed|predicted|tweeted|posted"
)
_QUOTE_MARKS = "\"“”"
_MARK_RE = re.compile(r"[\"“”]")
_SPK = r"[^\n,;:.!?\"“”]{1,100}?"
_AFTER_RE = re.compile(
    rf"^[\s,]*(?:(?:{SPEECH_VERBS})\s+(?P<spk1>{_SPK})(?=\s*(?:[,.;:!?\"“”]|$)|\s+(?:on|in|at|during|after|before|when|while|to|from|as)\b)"
    rf"|(?P<spk2>{_SPK})\s+(?:(?:has|had|have|also|then|later)\s+)?(?:{SPEECH_VERBS})\b)"
)
_BEFORE_RE = re.compile(
    rf"(?P<spk>[^\n,;:.!?\"“”]{{1,100}}?)\s+(?:(?:has|had|also|then|later)\s+)?(?:{SPEECH_VERBS})(?:\s+(?:that|on\s+\w+))?\s*[:,]?\s*$"
)
_ACCORDING_RE = re.compile(r"\baccording to\s+(?P<spk>[^\n,;.!?\"“”]{1,100})", re.IGNORECASE)
_VERB_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
_TYPE_RANK = {"person": 0, "organisation": 1, "agency": 1, "company": 1, "media": 2, "bloc": 3, "country": 3}
_LEADING_RE = re.compile(r"^(?:and|but|while|as|the|a|an)\s+", re.IGNORECASE)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Inner spans ``(start, end)`` of quoted passages: marks paired in order within each paragraph."""
    spans = []
    for para in PARAGRAPH_RE.finditer(text):
        marks = [m.start() + para.start() for m in _MARK_RE.finditer(para.group())]
        for open_at, close_at in zip(marks[0::2], marks[1::2]):
            if text[open_at] == "”" and text[close_at] == "“":
                continue  # reversed curly marks: not a quote
            if close_at - open_at > 1:
                spans.append((open_at + 1, close_at))
    return spans


def _speaker(phrase_start: int, phrase_end: int, mentions: SpanIndex) -> dict | None:
    inside = mentions.within(phrase_start, phrase_end)
    if not inside:
        return None
    return min(inside, key=lambda m: (_TYPE_RANK.get(m["actor_type"], 9), -m["end"]))


def _is_fragment(quote: str) -> bool:
    return len(quote.split()) < 4 and not quote.rstrip().endswith((",", ".", "?", "!", "…"))


def find_quotes(text: str, mentions: list[dict], *, sentences=None) -> list[dict]:
    """Quotes of one document as dicts (``speaker``, ``speaker_id``, ``quote``, ``start``, ``end``,
    ``pattern``, ``sentence_id``) given the document's mention rows (see the module docstring)."""
    sentences = sentences or []
    starts = [s.start for s in sentences]
    mention_index = SpanIndex(mentions)
    out = []
    for start, end in quote_spans(text):
        index = bisect.bisect_right(starts, start) - 1
        sentence = sentences[index] if index >= 0 else None
        s_start = sentence.start if sentence else 0
        s_end = max(sentence.end if sentence else len(text), end + 1)
        close = end + 1
        found = None
        tail = text[close:min(len(text), close + 160)]
        match = _AFTER_RE.match(tail)
        if match:
            group = "spk1" if match.group("spk1") else "spk2"
            found = ("after", close + match.start(group), close + match.end(group))
        if found is None:
            head_start = max(s_start, start - 1 - 160)
            head = text[head_start:start - 1]
            match = _BEFORE_RE.search(head)
            if match:
                found = ("before", head_start + match.start("spk"), head_start + match.end("spk"))
        if found is None:
            sentence_text = text[s_start:s_end]
            match = _ACCORDING_RE.search(sentence_text)
            if match:
                found = ("according_to", s_start + match.start("spk"), s_start + match.end("spk"))
        if found is None:
            head = text[s_start:start - 1]
            verbs = list(_VERB_RE.finditer(head))
            if verbs:
                found = ("verb_in_sentence", s_start, s_start + verbs[-1].start())
        if found is None:
            continue
        pattern, p_start, p_end = found
        actor = _speaker(p_start, p_end, mention_index)
        quote = text[start:end]
        if actor is None and (_is_fragment(quote) or pattern == "verb_in_sentence"):
            continue
        phrase = _LEADING_RE.sub("", " ".join(text[p_start:p_end].split()))
        out.append({
            "sentence_id": sentence.sentence_id if sentence else 0,
            "speaker": actor["actor"] if actor else phrase,
            "speaker_id": actor["actor_id"] if actor else "",
            "quote": quote, "start": start, "end": end, "pattern": pattern,
        })
    return out


def extract_quotes(doc, sentences, resources, rows) -> dict[str, list[dict]]:
    """Pipeline extractor: the ``quotes`` table of one article (reads ``rows["mentions"]``)."""
    quotes = find_quotes(doc.text, rows.get("mentions", []), sentences=sentences)
    return {"quotes": [{"doc_id": doc.doc_id, **{k: q[k] for k in QUOTE_COLUMNS[1:]}} for q in quotes]}


def aggregate_quotes(tables, resources) -> dict:
    """Pipeline aggregator: the ``quotes`` table with fixed columns in a stable order."""
    import pandas as pd

    quotes = tables.get("quotes")
    if quotes is None or quotes.empty:
        return {"quotes": pd.DataFrame(columns=QUOTE_COLUMNS)}
    quotes = quotes.reindex(columns=QUOTE_COLUMNS).sort_values(["doc_id", "start"], kind="stable")
    return {"quotes": quotes.reset_index(drop=True)}
