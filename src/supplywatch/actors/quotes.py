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

from supplywatch.actors.speakers import PersonIndex, clean_phrase, is_pronoun
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
    rf"^[ \t,]*(?:(?:{SPEECH_VERBS})\s+(?P<spk1>{_SPK})(?=\s*(?:[,.;:!?\"“”]|$)|\s+(?:on|in|at|during|after|before|when|while|to|from|as)\b)"
    rf"|(?P<spk2>{_SPK})\s+(?:(?:has|had|have|also|then|later)\s+)?(?:{SPEECH_VERBS})\b)"
)
_BEFORE_RE = re.compile(
    rf"(?P<spk>[^\n,;:.!?\"“”]{{1,100}}?)\s+(?:(?:has|had|also|then|later)\s+)?(?:{SPEECH_VERBS})(?:\s+(?:that|on\s+\w+))?\s*[:,]?\s*$"
)
#: What every :data:`_BEFORE_RE` match ends with: a quick test before the slow search (which tries
#: every start of the speaker phrase).
_BEFORE_TAIL_RE = re.compile(rf"(?:{SPEECH_VERBS})(?:\s+(?:that|on\s+\w+))?\s*[:,]?\s*$")
_ACCORDING_RE = re.compile(r"\baccording to\s+(?P<spk>[^\n,;.!?\"“”]{1,100})", re.IGNORECASE)
_VERB_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
_TYPE_RANK = {"person": 0, "organisation": 1, "agency": 1, "company": 1, "media": 2, "bloc": 3, "country": 3}
_LEADING_RE = re.compile(r"^(?:and|but|while|as|the|a|an)\s+", re.IGNORECASE)
_PRONOUN_START_RE = re.compile(r"(?:He|She|It|They|We)\b")
_NAME_SAID_RE = re.compile(rf"(?:(?:Mr|Mrs|Ms|Dr|Sir|Lord)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s+(?:{SPEECH_VERBS})\b")


def _opens(text: str, at: int) -> bool:
    """A straight mark that can only open a quotation: after a space, before a letter or digit."""
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    return text[at] != "”" and before.isspace() and after.isalnum()


def quotations(text: str) -> list[list[tuple[int, int]]]:
    """Quotations as lists of inner spans ``(start, end)``: one span per paragraph it runs over.

    Marks are paired in order within a paragraph. A paragraph left with an unpaired last mark whose
    next paragraph opens with a quote mark starts a quotation that runs on (news style: each
    paragraph of a long quotation opens with a mark, only the last closes); the next paragraph's
    first quoted span continues it. A mark that can only open a quotation ('them. "Once') while one
    is open closes the open one there and continues the same quotation.
    """
    out: list[list[tuple[int, int]]] = []
    if '"' not in text and "“" not in text and "”" not in text:
        return out
    paragraphs = list(PARAGRAPH_RE.finditer(text))
    open_chain: list[tuple[int, int]] | None = None
    for index, para in enumerate(paragraphs):
        marks = [m.start() + para.start() for m in _MARK_RE.finditer(para.group())]
        chain = open_chain if open_chain is not None and marks and not text[para.start():marks[0]].strip() else None
        if open_chain is not None and chain is None:
            out.append(open_chain)  # it did not run on: keep what was quoted so far
        open_chain = None
        i = 0
        while i < len(marks):
            open_at = marks[i]
            close_at = marks[i + 1] if i + 1 < len(marks) else None
            if close_at is None:
                nxt = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
                if nxt is not None and nxt.group().lstrip()[:1] in _QUOTE_MARKS:
                    piece_end = para.end()
                    while piece_end > open_at + 1 and text[piece_end - 1].isspace():
                        piece_end -= 1
                    if piece_end - open_at > 1:
                        open_chain = (chain or []) + [(open_at + 1, piece_end)]
                    chain = None
                break
            if text[open_at] == "”" and text[close_at] == "“":
                i += 1  # reversed curly marks: not a quote; the second mark may open one
                continue
            if text[close_at] == '"' and _opens(text, close_at) and text[:close_at].rstrip()[-1:] in ".!?":
                # 'them. "Once': the quotation went on without a closing mark
                piece = (open_at + 1, close_at - 1)
                chain = (chain or []) + [piece]
                i += 1
                continue
            if close_at - open_at > 1:
                chain = (chain or []) + [(open_at + 1, close_at)]
                out.append(chain)
            elif chain:
                out.append(chain)
            chain = None
            i += 2
        if chain:
            out.append(chain)
    if open_chain:
        out.append(open_chain)
    return out


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Inner spans ``(start, end)`` of quoted passages, in order (see :func:`quotations`)."""
    return sorted(span for chain in quotations(text) for span in chain)


def _speaker(phrase_start: int, phrase_end: int, mentions: SpanIndex) -> dict | None:
    inside = mentions.within(phrase_start, phrase_end)
    if not inside:
        return None
    return min(inside, key=lambda m: (_TYPE_RANK.get(m["actor_type"], 9), -m["end"]))


def _is_fragment(quote: str) -> bool:
    return len(quote.split()) < 4 and not quote.rstrip().endswith((",", ".", "?", "!", "…"))


def _attribution(text: str, start: int, end: int, sentence, *, first: bool) -> tuple[str, int, int] | None:
    """``(pattern, phrase start, phrase end)`` for the quoted span ``text[start:end]``, or None.

    Only the ``after`` pattern is tried for a quotation's later paragraphs (``first=False``): the
    text before them belongs to the quotation, not to a speaker.
    """
    s_start = sentence.start if sentence else 0
    s_end = max(sentence.end if sentence else len(text), end + 1)
    close = end + 1
    tail = text[close:min(len(text), close + 160)]
    match = _AFTER_RE.match(tail)
    if match and not (match.group("spk2") and _new_sentence(text, start, end, close + match.start("spk2"))):
        group = "spk1" if match.group("spk1") else "spk2"
        return "after", close + match.start(group), close + match.end(group)
    if not first:
        return None
    head_start = max(s_start, start - 1 - 160)
    head = text[head_start:start - 1]
    match = _BEFORE_RE.search(head) if _BEFORE_TAIL_RE.search(head) else None
    if match:
        return "before", head_start + match.start("spk"), head_start + match.end("spk")
    match = _ACCORDING_RE.search(text[s_start:s_end])
    if match:
        return "according_to", s_start + match.start("spk"), s_start + match.end("spk")
    verbs = list(_VERB_RE.finditer(text[s_start:start - 1]))
    if verbs:
        return "verb_in_sentence", s_start, s_start + verbs[-1].start()
    return None


def _new_sentence(text: str, start: int, end: int, phrase_start: int) -> bool:
    """The quote closed a sentence ('."') and a capitalised word starts the next one: '"... end." The
    company says ...' is not '"...," the company says'."""
    return text[start:end].rstrip()[-1:] in ".!?" and text[phrase_start:phrase_start + 1].isupper() \
        and not _PRONOUN_START_RE.match(text, phrase_start) and not _NAME_SAID_RE.match(text, phrase_start)


def find_quotes(text: str, mentions: list[dict], *, sentences=None) -> list[dict]:
    """Quotes of one document as dicts (``speaker``, ``speaker_id``, ``quote``, ``start``, ``end``,
    ``pattern``, ``sentence_id``) given the document's mention rows (see the module docstring).

    A quotation over several paragraphs gives one dict per paragraph, all credited to the speaker
    who opened it (``pattern`` ``continued`` after the first). ``speaker_start``/``speaker_end`` give
    where the speaker phrase the attribution read lies (not a table column).
    """
    chains = quotations(text)
    if not chains:
        return []
    sentences = sentences or []
    starts = [s.start for s in sentences]
    mention_index = SpanIndex(mentions)
    people = PersonIndex(text, mentions, [span for chain in chains for span in chain])
    out = []
    for chain in chains:
        found = None
        for position, (start, end) in enumerate(chain):
            index = bisect.bisect_right(starts, start) - 1
            sentence = sentences[index] if index >= 0 else None
            found = _attribution(text, start, end, sentence, first=position == 0)
            if found is not None:
                break
        if found is None:
            continue
        pattern, p_start, p_end = found
        speaker, speaker_id = _resolve(text, p_start, p_end, mention_index, people, sentences, starts)
        quote_text = " ".join(text[s:e] for s, e in chain)
        if not speaker_id and (_is_fragment(quote_text) or pattern == "verb_in_sentence"):
            continue
        for position, (start, end) in enumerate(chain):
            index = bisect.bisect_right(starts, start) - 1
            out.append({
                "sentence_id": sentences[index].sentence_id if index >= 0 else 0,
                "speaker": speaker, "speaker_id": speaker_id,
                "quote": text[start:end], "start": start, "end": end,
                "pattern": pattern if position == 0 else "continued",
                "speaker_start": p_start, "speaker_end": p_end,
            })
    return out


def _resolve(text: str, p_start: int, p_end: int, mention_index: SpanIndex, people: PersonIndex,
             sentences, starts) -> tuple[str, str]:
    """``(speaker, speaker_id)`` of the phrase ``text[p_start:p_end]`` (see :mod:`.speakers`)."""
    actor = _speaker(p_start, p_end, mention_index)
    if actor is not None:
        people.add_speaker(p_start, p_end, actor["actor"], actor["actor_id"]) if actor["actor_type"] == "person" \
            else None
        return actor["actor"], actor["actor_id"]
    raw = " ".join(text[p_start:p_end].split())
    phrase = clean_phrase(raw)
    if phrase is None:
        if _LEADING_RE.match(raw + " ") and raw.split()[0].lower() in ("and", "but", "while", "then", "yet", "or"):
            return _sentence_subject(text, p_start, mention_index, sentences, starts)
        return "", ""
    if is_pronoun(phrase):
        resolved = people.resolve(phrase, p_start)
        if resolved is not None:
            people.add_speaker(p_start, p_end, resolved[0], resolved[1])
            return resolved
        return phrase, ""  # unresolved: the blockers that stopped it stay for the next pronoun
    people.add_speaker(p_start, p_end, phrase)
    return phrase, ""


def _sentence_subject(text: str, p_start: int, mention_index: SpanIndex, sentences, starts) -> tuple[str, str]:
    """The person (else organisation) named first in the sentence before an elided subject ("X
    conceded ... but said"), or no speaker."""
    index = bisect.bisect_right(starts, p_start) - 1
    s_start = sentences[index].start if index >= 0 else max(0, text.rfind("\n", 0, p_start) + 1)
    inside = [m for m in mention_index.within(s_start, p_start) if m["actor_type"] not in ("country", "bloc")]
    if not inside:
        return "", ""
    best = min(inside, key=lambda m: (_TYPE_RANK.get(m["actor_type"], 9), int(m["start"])))
    return best["actor"], best["actor_id"]


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
