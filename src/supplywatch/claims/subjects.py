"""The subject of an earlier sentence: what a later "it", "its" or "the company" refers to.

:func:`_subject` is called by :func:`supplywatch.claims.finder.claims_for_document` for the sentences
before one whose holder is a pronoun.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from supplywatch.claims.holders import _prep_before
from supplywatch.claims.patterns import Holder


#: What may stand before a sentence's subject: opening phrases up to a comma ("In January, 1987,", "However,"),
#: then determiners, capitalised words, possessives and hyphenated modifiers ("South Korea's", "the
#: state-owned"), never a verb: "He said the company plans to use India ..." has no named subject.
_SUBJECT_PREFIX_RE = re.compile(
    r"(?:[^,;]{0,80},\s*){0,3}(?:[\"“'‘(]?\s*(?:the|a|an|[A-Z][\w.&'’-]*|[a-z]+-[\w-]+|state|rival|fellow|its|their)"
    r"(?:\s?['’]s?)?,?\s+)*[\"“'‘(]?\s*")

#: A possessive naming another actor: "South Korea's Hyundai Motor", "South Korea's top car maker" (but
#: "Lenovo's profit ...": Lenovo is what a later "the company" means).
_OWNER_OF_ANOTHER_RE = re.compile(
    r"\s?['’]s?\s+(?:[A-Z]|(?:[\w-]+\s+){0,3}(?:company|firm|group|maker|carmaker|producer|miner|bank|carrier|"
    r"operator|airline|brewer|retailer|supplier|exporter|manufacturer|giant|rival|unit|subsidiary)\b)")


def _subject(candidates: Sequence[Holder], sentence: str) -> Holder | None:
    """The sentence's named subject: the first candidate in subject position, or None (also when the
    subject is a pronoun or an unnamed noun: the sentence names no new referent for a later "it";
    and in an all-capitals headline, where capitals mark no name)."""
    if not any(c.islower() for c in sentence):
        return None
    for h in candidates:
        if h.kind == "pronoun" or _prep_before(sentence, h.start) or _OWNER_OF_ANOTHER_RE.match(sentence, h.end):
            if h.kind == "pronoun" and _SUBJECT_PREFIX_RE.fullmatch(sentence, 0, h.start):
                return None  # "It said ...", "The company didn't ...": the subject is an earlier referent
            continue  # "South Korea's Hyundai Motor", "South Korea's top car maker": another company
        if not _SUBJECT_PREFIX_RE.fullmatch(sentence, 0, h.start):
            return None
        if h.kind in ("mention", "group", "name") and h.actor_type not in ("person", "media", "agency"):
            return h
        return None
    return None
