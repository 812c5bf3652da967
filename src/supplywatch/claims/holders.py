"""Holder finding: who a market-share figure belongs to.

The holder is the nearest actor to the left in subject position (an actor mention, a group such as
"Chinese producers", or a capitalised name the gazetteer lacks), skipping names after a
preposition, in parentheses or a comma-delimited relative clause, and the source of an
"according to"; pronouns resolve to the most recent holder (:func:`holder_candidates`,
:func:`find_attribution`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from supplywatch.claims.patterns import (
    _ATTR_LEAD_RE,
    _ATTR_SAID_RE,
    _ATTR_TRIM_RE,
    _GROUP_FIRST_OK,
    _GROUP_RE,
    _I,
    _NAME_RE,
    _NAME_STOP,
    _PREPOSITIONS,
    _PRONOUN_RE,
    _SPEAKER_AFTER_RE,
    _TITLE_RE,
    METRIC_WORDS,
    Holder,
    ascii_folded,
)
from supplywatch.claims.quantities import Quantity
from supplywatch.text.spans import SpanIndex


def _word_before(text: str, pos: int) -> str:
    m = re.search(r"([\w'’]+)\W*$", text[:pos])
    return m.group(1).lower() if m else ""


def _prep_before(text: str, start: int) -> bool:
    """True when the name at ``start`` follows a preposition (skipping the/a/an and 's-owners)."""
    before = text[:start]
    before = re.sub(r"(?:\b(?:the|a|an)\s+)+$", "", before, flags=_I)
    # "in South Australia", "in the New Territories": a compass word before the name is part of it
    before = re.sub(r"(?:\b(?:South|North|East|West|Central|Northern|Southern|Eastern|Western|Upper|Lower|New)\s+)+$",
                    "", before)
    return _word_before(before, len(before)) in _PREPOSITIONS


def _possessive_modifier(text: str, end: int) -> bool:
    """True for "Australia's biggest miner": a possessive not followed by a share/metric noun."""
    after = text[end:]
    m = re.match(r"\s?['’]s?\s", after) or re.match(r"['’]s\b", after)
    if not m:
        return False
    nxt = after[m.end(): m.end() + 60]
    return not re.match(
        r"\s*(?:\w+\s+){0,3}?(?:share|" + "|".join(METRIC_WORDS.values()) + r")\b|\s*(?:monopoly|dominance)",
        nxt,
        _I,
    )


#: A company's legal form after its name: "Co., Ltd.", "Corp.", "Inc", "plc", "(Group)".
_LEGAL_FORM = (
    r"(?:Co\.,?\s*Ltd\.?|Company\s+Limited|Co\.|Corp\.?|Corporation|Inc\.?|Incorporated|Ltd\.?|Limited|plc|PLC|Plc|"
    r"LLC|L\.L\.C\.|AG|SA|S\.A\.|NV|N\.V\.|BV|GmbH|AB|ASA|A/S|Oyj|Oy|SpA|S\.p\.A\.|SE|KK|K\.K\.|Bhd|Berhad|"
    r"Tbk|PJSC|OAO|OOO|JSC|Pty\.?\s+Ltd\.?|Holdings?)"
)
#: A formal company name: capitalised words, "(Group)"-style parentheses, "&"/"and"/"of", then a legal
#: form ("China Northern Rare Earth (Group) High-Tech Co., Ltd.", "Albemarle Corp.").
_FORMAL_NAME_RE = re.compile(
    r"(?<![\w'’.-])(?:[A-Z][\w&'’.-]*|\d+[A-Z][\w-]*)"
    r"(?:\s+(?:\([A-Z][\w .&-]*\)|(?:of|de|du|la|van|von|&|and)(?=\s+[A-Z])|[A-Z][\w&'’.-]*))*"
    rf",?\s+{_LEGAL_FORM}(?:\s*,?\s+{_LEGAL_FORM})*(?![\w-])"
)

_LEGAL_FORM_RE = re.compile(_LEGAL_FORM)
_LEGAL_FORM_TAIL_RE = re.compile(rf",?\s+{_LEGAL_FORM}.*$")
_BLANK_RE = re.compile(r"\s*")


def formal_names(text: str) -> list[tuple[int, int]]:
    """Spans of formal company names with their legal form (the trailing full stop of an abbreviation
    included unless it ends the sentence).

    Example:
        >>> s = "China Northern Rare Earth (Group) High-Tech Co., Ltd. accounts for 40 per cent."
        >>> [s[a:b] for a, b in formal_names(s)]
        ['China Northern Rare Earth (Group) High-Tech Co., Ltd.']
    """
    if not _LEGAL_FORM_RE.search(text):
        return []
    out = []
    for m in _FORMAL_NAME_RE.finditer(text):
        s, e = m.start(), m.end()
        words = text[s:e].split()
        # leading sentence words ("The", "In") are not part of the name
        while words and words[0].lower() in ("the", "in", "at", "for", "from", "with", "by", "and", "but", "as",
                                             "while", "whereas", "of", "on"):
            s = text.index(words[1], s + len(words[0])) if len(words) > 1 else e
            words = words[1:]
        if len(words) < 2 or e <= s:
            continue
        if text[e - 1] == "." and _BLANK_RE.fullmatch(text[e:]):
            e -= 1  # "... than Acme Corp." at the end: the full stop ends the sentence
        out.append((s, e))
    return out


def _regions(text: str) -> list[tuple[int, int]]:
    """Spans of parenthesised asides and comma-delimited relative/appositive clauses."""
    names = formal_names(text)
    spans = [(m.start(), m.end()) for m in _PARENTHESES_RE.finditer(text)
             if not any(a <= m.start() and m.end() <= b for a, b in names)]
    # appositives: "Lynas, the largest producer outside China, supplies ...", "X, the country's No. 2 producer,"
    spans += [(m.start(), m.end()) for m in _APPOSITIVE_RE.finditer(text)]
    spans += [(m.start(), m.end()) for m in _RELATIVE_CLAUSE_RE.finditer(text)]
    if "-" in text or "–" in text or "—" in text:
        spans += [(m.start(), m.end()) for m in _DASH_CLAUSE_RE.finditer(text)]
    return spans


_PARENTHESES_RE = re.compile(r"\([^()]*\)")
#: "Lynas, the largest producer outside China, supplies ...", "X, the country's No. 2 producer,"
_APPOSITIVE_RE = re.compile(
    r"(?<=[\w.)]),\s*(?:the|a|an|its|their|[A-Z][\w.-]*(?:'s|’s))\s+[^,;()]{1,120}?,(?=\s+[a-z])")
_RELATIVE_CLAUSE_RE = re.compile(
    r",\s*(?:which|who|whose|whom|where|(?:controlled|owned|based|headquartered|run|led|backed|"
    r"operated|part|formerly|known|president|chairman|chief|head|director|minister|spokes\w+|secretary|"
    r"governor|analyst|economist)\b|(?:a|an)\s+(?:unit|division|subsidiary|part|member)\b)[^,;]*(?:,|$)",
    _I,
)

#: A relative clause between spaced dashes: "The company - which controls half of ... - aims to".
_DASH_CLAUSE_RE = re.compile(r"\s[-–—]+\s*(?:which|who|whose|that)\b[^;–—]*?(?:\s[-–—]+\s|$)", _I)
#: The start of a relative clause: ", which", " - which".
_RELATIVE_START_RE = re.compile(r"(?:,|\s[-–—]+)\s*(?:which|who|that)\b", _I)


def _in_region(span: tuple[int, int], regions: list[tuple[int, int]], q: Quantity) -> bool:
    for a, b in regions:
        if a <= span[0] and span[1] <= b and not (a <= q.start and q.end <= b):
            return True
    return False


def _overlaps(a: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _safe_lookup(lookup: Callable[[str], Any], name: str) -> Any:
    try:
        return lookup(name)
    except Exception:  # a broken lookup must not stop extraction
        return None


@lru_cache(maxsize=1)
def _default_topics() -> Any:
    from supplywatch.claims.topics import load_topics

    return load_topics()


#: Words that may follow a one-word name at the start of a claim ("Livent controls ...",
#: "Albemarle now holds ..."); any other lower-case word makes that first word a common noun
#: heading a phrase ("Car sales ...", "Battery makers ...").
_HOLDER_VERBS = frozenset("""
    account accounts accounted accounting control controls controlled controlling hold holds held holding
    has had have having produce produces produced producing supply supplies supplied supplying
    export exports exported exporting import imports imported mine mines mined refine refines refined
    make makes made command commands commanded dominate dominates dominated own owns owned
    is was are were be been remains remained capture captures captured enjoy enjoys enjoyed boasts
    contribute contributes contributed generate generates generated ship ships shipped sell sells sold
    provide provides provided process processes processed pump pumps pumped grow grows grew
    buy buys bought source sources sourced get gets got purchase purchases purchased receive receives received
    obtain obtains obtained procure procures procured rely relies relied depend depends depended
    now alone currently still also already together reportedly itself accounted commands
    lead leads led ranks ranked came comes stands stood keeps kept retains retained takes took won wins gained gains
    delivered delivers carries carried
    and or does did do not will would could may might should can must
""".split())


#: Patterns of holder_candidates and formal_names, compiled once.
_LOCATED_IN_RE = re.compile(r"\s+(?:based\s+)?in\s+(?:the\s+)?", _I)
_LEADING_THE_RE = re.compile(r"^the\s+", _I)
_RANK_WORD_RE = re.compile(r"\b(?:top|largest|biggest|leading|main|major)\b", _I)
_NON_RE = re.compile(r"non[\s-]", _I)
_NON_BEFORE_RE = re.compile(r"\bnon-?\s*$", _I)
_CAPITALISED_AFTER_RE = re.compile(
    r"(?:\s+(?!(?:[A-Z][a-z]*\s+)*(?:Share|Shares|Minister|Ministry|President)\b)[A-Z][\w&-]+)+")
_CAPITALISED_BEFORE_RE = re.compile(r"(?<![\w.'’-])(?:[A-Z][\w&-]+\s+)+$")
_POSSESSIVE_END_RE = re.compile(r"['’]s?$")
_INITIAL_RE = re.compile(r"[A-Z]\.")
_HYPHENATED_NAME_RE = re.compile(r"[A-Z][\w.]*-[a-z]")
_PARTICIPLE_RE = re.compile(r"[A-Z][a-z]+(?:ed|ing)")
_LOWER_NEXT_RE = re.compile(r"\s+[a-z]")
_NEXT_WORD_RE = re.compile(r"\s+(\w+)")
_NEXT_LOWER_WORD_RE = re.compile(r"\s+([a-z][\w-]*)")
_REPORTING_VERB_RE = re.compile(r"[a-z]{3,}ed|said|says|told|reports")
_NAME_END_RE = re.compile(r"(?:['’]s?|(?<![A-Z]\.[A-Z])\.)$")


def holder_candidates(
    sentence: str,
    mentions: Sequence[Mapping[str, Any]] = (),
    *,
    topic_spans: Sequence[tuple[int, int]] = (),
    lookup: Callable[[str], Any] | None = None,
) -> list[Holder]:
    """Every possible holder in a sentence: actor mentions, groups, capitalised names, pronouns.

    Args:
        sentence: the sentence text.
        mentions: mention dicts (``actor``, ``actor_id``, ``actor_type``, ``start``, ``end``) with
            offsets into the **sentence**; people are never holders.
        topic_spans: commodity spans (a capitalised commodity is not a holder).
        lookup: ``Gazetteer.lookup`` to name a capitalised name the mentions missed.

    Example:
        >>> [h.name for h in holder_candidates("Chinese producers and Lynas Corp compete.")]
        ['Chinese producers', 'Lynas Corp']
    """
    out: list[Holder] = []
    taken: list[tuple[int, int]] = []
    # gazetteer mentions first, then recognised ones (origin "recognised": actors the gazetteer lacks)
    mention_list = sorted((m for m in mentions if str(m.get("actor_type", "")) != "person"),
                          key=lambda m: str(m.get("origin", "")) == "recognised")
    for s, e in formal_names(sentence):
        # "Albemarle Corp.", "China Northern Rare Earth (Group) High-Tech Co., Ltd.": one holder, the
        # gazetteer's (or recognised) company when a mention starts the name, else the name as written
        first = next((m for m in mention_list if int(m["start"]) == s
                      and str(m.get("actor_type", "")) not in ("country", "bloc")), None)
        surface = sentence[s:e]
        if first is not None:
            out.append(Holder(str(first.get("actor") or surface), str(first.get("actor_id") or ""), s, e, "mention",
                              str(first.get("actor_type", ""))))
        else:
            actor = _safe_lookup(lookup, _LEGAL_FORM_TAIL_RE.sub("", surface)) if lookup else None
            if actor is not None and getattr(actor, "type", "") not in ("person", "country", "bloc"):
                out.append(Holder(actor.name, actor.id, s, e, "mention", actor.type))
            else:
                out.append(Holder(surface, "", s, e, "name", "company"))
        taken.append((s, e))
    for g in _GROUP_RE.finditer(sentence):
        s, e = g.start("g"), g.end("g")
        located = _LOCATED_IN_RE.match(sentence[e:])
        if located:  # "Battery makers in South Korea": the group of that country (its id)
            place = next((m for m in mention_list if int(m["start"]) == e + located.end()
                          and str(m.get("actor_type", "")) in ("country", "bloc")), None)
            if place is not None:
                e = int(place["end"])
        surface = _LEADING_THE_RE.sub("", sentence[s:e])
        s = e - len(surface)
        first = surface.split()[0].lower() if surface.split() else ""
        inner = [m for m in mention_list if s <= int(m["start"]) and int(m["end"]) <= e]
        if first in _NAME_STOP and first not in _GROUP_FIRST_OK and not inner and not _RANK_WORD_RE.search(surface):
            continue  # "In producers", "The companies": not a named group
        if _overlaps((s, e), taken):
            continue
        hid = str(inner[0].get("actor_id", "")) if inner else ""
        if _NON_RE.match(surface):
            hid = ""  # "non-Chinese producers" are not China's
        out.append(Holder(surface, hid, s, e, "group", "group"))
        taken.append((s, e))
    for m in mention_list:
        s, e = int(m["start"]), int(m["end"])
        if s < 0 or e > len(sentence) or _overlaps((s, e), taken):
            continue
        if _NON_BEFORE_RE.search(sentence[:s]):
            continue  # "non-Chinese": not China
        if str(m.get("actor_type", "")) in ("country", "bloc"):
            # "British Telecom", "Cafe Peru": a company named after its country is not the country
            after = _CAPITALISED_AFTER_RE.match(sentence[e:])
            before = _CAPITALISED_BEFORE_RE.search(sentence[:s])
            words_after = after.group().split() if after else []
            words_before = before.group().split() if before else []
            if words_after and not any(w.lower() in _NAME_STOP or _TITLE_RE.match(w) for w in words_after) \
                    and not any(int(o["start"]) == e + after.start() + len(after.group()) - len(after.group().lstrip())
                                for o in mention_list):
                e2 = e + after.end()
                out.append(Holder(sentence[s:e2], "", s, e2, "name", "company"))
                taken.append((s, e2))
                continue
            if words_before and s - len(before.group()) > 0 and not any(
                    w.lower() in _NAME_STOP or _TITLE_RE.match(w) for w in words_before) \
                    and words_before[-1] not in ("South", "North", "East", "West", "Central", "New", "Northern",
                                                 "Southern", "Eastern", "Western", "Upper", "Lower"):
                s2 = s - len(before.group())
                out.append(Holder(sentence[s2:e], "", s2, e, "name", "company"))
                taken.append((s2, e))
                continue
        out.append(Holder(str(m.get("actor") or sentence[s:e]), str(m.get("actor_id") or ""), s, e, "mention",
                          str(m.get("actor_type", ""))))
        taken.append((s, e))
    for n in _NAME_RE.finditer(sentence):
        s, e = n.start(), n.end()
        words = sentence[s:e].split()
        if _TITLE_RE.match(sentence[s:e]):
            continue
        for i, w in enumerate(words[1:], start=1):  # "U.S. And the rest": a stop word ends the name
            if w.lower() in ("and", "but", "or", "the", "in", "on", "at", "for", "to", "from", "by", "with"):
                words = words[:i]
                e = s + len(" ".join(words))
                break
        for i, w in enumerate(words[:-1]):  # "the Maple Leaf's West German market": the owner ends the name
            if _POSSESSIVE_END_RE.search(w):
                words = words[: i + 1]
                e = s + len(" ".join(words))
                break
        while words and words[0].lower().rstrip(".") in _NAME_STOP and not _INITIAL_RE.fullmatch(words[0]):
            s += len(words[0])
            s += len(sentence[s:]) - len(sentence[s:].lstrip())
            words = words[1:]
        cut = [i for i, w in enumerate(words) if _HYPHENATED_NAME_RE.match(w)]
        if cut:  # "Kuala Lumpur-based ATPC" -> "ATPC"; "Seven-month" -> nothing
            words = words[cut[-1] + 1:]
            if not words:
                continue
            s = sentence.index(words[0], s)
        if (
            len(words) == 1 and s == len(sentence) - len(sentence.lstrip())
            and _PARTICIPLE_RE.fullmatch(words[0]) and _LOWER_NEXT_RE.match(sentence[e:])
            and _NEXT_WORD_RE.match(sentence[e:]).group(1) not in _HOLDER_VERBS  # "Petrozed controls ..."
            and (lookup is None or _safe_lookup(lookup, words[0]) is None)
        ):
            continue  # "Imported cars", "Existing policy": a sentence-initial adjective
        if (
            len(words) == 1 and s == len(sentence) - len(sentence.lstrip())
            and not _POSSESSIVE_END_RE.search(sentence[s:e])  # "China's share ...": a possessive name
            and (m_next := _NEXT_LOWER_WORD_RE.match(sentence[e:])) is not None
            and m_next.group(1) not in _HOLDER_VERBS
            and m_next.group(1) not in ("vessels", "ships", "tankers", "cargoes", "shipments", "deliveries")
            and not _REPORTING_VERB_RE.fullmatch(m_next.group(1))
            and (lookup is None or _safe_lookup(lookup, words[0]) is None)
        ):
            continue  # "Car sales in China account for ...": a sentence-initial common noun, not a name
        surface = _NAME_END_RE.sub("", sentence[s:e])
        e = s + len(surface)
        if not words or not surface or e <= s:
            continue

        if _overlaps((s, e), taken) or any(a <= s and e <= b for a, b in topic_spans):
            continue
        if all(w.lower().rstrip(".") in _NAME_STOP for w in surface.split()):
            continue
        name, hid, atype = surface, "", ""
        if lookup is not None:
            actor = _safe_lookup(lookup, surface)
            if actor is not None:
                if getattr(actor, "type", "") == "person":
                    continue
                name, hid, atype = actor.name, actor.id, actor.type
        out.append(Holder(name, hid, s, e, "name", atype))
        taken.append((s, e))
    for p in _PRONOUN_RE.finditer(sentence):
        if not _overlaps((p.start(), p.end()), taken):
            out.append(Holder(p.group().lower(), "", p.start(), p.end(), "pronoun"))
    return sorted(out, key=lambda h: h.start)


_ATTR_LEAD_ASCII_RE = ascii_folded(_ATTR_LEAD_RE)
_ATTR_SAID_ASCII_RE = ascii_folded(_ATTR_SAID_RE)


def find_attribution(
    sentence: str, candidates: Sequence[Holder] = (), mentions: Sequence[Mapping[str, Any]] = ()
) -> tuple[str, tuple[int, int] | None]:
    """Who the sentence says a figure comes from, and the span to keep out of holder search.

    Example:
        >>> find_attribution("According to the International Energy Agency, China mines 61%.")[0]
        'International Energy Agency'
    """
    named = [*candidates]
    for m in mentions:  # people can be sources
        named.append(Holder(str(m.get("actor", "")), str(m.get("actor_id", "")), int(m["start"]), int(m["end"]),
                            "mention", str(m.get("actor_type", ""))))
    # on ASCII text the patterns run on the lower-cased text (patterns.ascii_folded): same offsets
    folded = sentence.isascii()
    target = sentence.lower() if folded else sentence
    m = (_ATTR_LEAD_ASCII_RE if folded else _ATTR_LEAD_RE).search(target)
    if m:
        s, e = m.start("src"), m.end("src")
        inside = [h for h in named if s <= h.start < e and h.kind != "pronoun"]
        if inside:
            first = min(inside, key=lambda h: h.start)
            return first.name, (m.start(), e)
        src = _ATTR_TRIM_RE.sub("", sentence[s:e].strip()).strip()
        src = " ".join(src.split()[:6])
        return src, (m.start(), e)
    for said in (_ATTR_SAID_ASCII_RE if folded else _ATTR_SAID_RE).finditer(target):
        before = [h for h in named if h.kind != "pronoun" and 0 <= said.start() - h.end <= 3]
        after = [h for h in named if h.kind != "pronoun" and 0 <= h.start - said.end() <= 5
                 and re.fullmatch(r"\s*(?:the\s+)?", sentence[said.end():h.start], _I)]
        pick = before[-1:] or after[:1]
        if pick and said.group().lower() in ("said", "says") and pick[0].actor_type in ("country", "bloc"):
            # "China said it ..." is a statement, not a data source, unless nothing else is named
            return pick[0].name, None
        if pick:
            return pick[0].name, None
    return "", None


def _resolve_holder(
    sentence: str, q: Quantity, candidates: Sequence[Holder], *, attr_span: tuple[int, int] | None,
    regions: list[tuple[int, int]], previous_holder: Holder | Callable[[], Holder | None] | None,
) -> Holder | None:
    left_limit = max(sentence.rfind(";", 0, q.start), -1)

    def eligible(h: Holder) -> bool:
        if h.end > q.start or h.start <= left_limit:
            return False
        if attr_span and attr_span[0] <= h.start < attr_span[1]:
            return False
        if _in_region((h.start, h.end), regions, q):
            return False
        if _prep_before(sentence, h.start) or _in_prep_list(sentence, h, candidates):
            return False
        if h.kind != "pronoun" and _possessive_modifier(sentence, h.end):
            return False
        if _SPEAKER_AFTER_RE.match(sentence[h.end:]):
            return False  # "U.S. officials say ...": the speakers' country, not the holder
        if h.actor_type in ("country", "bloc") and re.search(r"(?:['’]s?)\s+$", sentence[:h.start]) \
                and re.match(r"\s+(?:\w+\s+)?(?:market\s+)?share\b", sentence[h.end:], _I):
            return False  # "the Maple Leaf's West German market share": a scope, the owner holds it
        if h.actor_type in ("country", "bloc") and re.match(
                r"\s+(?:company|firm|group|maker|producer|giant|operator|bank|carrier|brewer|unit|subsidiary|rival|"
                r"manufacturer|miner|insurer|retailer|supplier|exporter)\b", sentence[h.end:], _I):
            return False  # "the Finnish company": an unnamed company, not the country
        return True

    left = [h for h in candidates if eligible(h)]
    lower_subject = _LOWER_SUBJECT_RE.search(sentence[: q.start])
    if lower_subject is not None:
        # "companies which make more than 22% of ...", "governments accounting for 75 pct of ...": the
        # figure belongs to an unnamed plural noun, not to a name before it
        left = [h for h in left if h.start >= lower_subject.end()]
    subject_verb = _COORDINATED_VERB_RE.search(sentence[left_limit + 1: q.start])
    if left and subject_verb and left[-1].kind != "pronoun":
        # "CPA include the top producers of A, B and C and accounts for 80 pct": the subject, not C
        verb_at = left_limit + 1 + subject_verb.start()
        first = [h for h in left if h.end <= verb_at and h.kind != "pronoun"]
        clause_start = max(sentence.rfind(",", 0, first[0].start) if first else -1, left_limit)
        if first and first[0].start > clause_start:
            partner = [h for h in first[1:2] if re.fullmatch(r"(?:\s?['’]s?)?\s+(?:and|&)\s+", sentence[first[0].end: h.start])]
            if partner:  # "Indigo and Somoncom serve ... and had a market share of 27 %"
                a_, b_ = first[0], partner[0]
                ids = "+".join(x.id for x in (a_, b_)) if a_.id and b_.id else ""
                return Holder(f"{a_.name} and {b_.name}", ids, a_.start, b_.end, "group", "group")
            left = [first[0]]
    holding_region = [r for r in regions if r[0] <= q.start and q.end <= r[1]]
    if holding_region:
        r0 = min(r[0] for r in holding_region)
        inside = [h for h in candidates if h.start >= r0 and h.end <= q.start and h.kind != "pronoun"
                  and not (attr_span and attr_span[0] <= h.start < attr_span[1])]
        if not inside:
            # "Comibol, which produces 80 pct ...": the antecedent right before the clause, or nobody
            if not _RELATIVE_START_RE.match(sentence, r0):
                return None  # "Brazil, where commodities account for 50 pct of exports": no holder
            before = [h for h in candidates if 0 <= r0 - h.end <= 2]
            if before and before[-1].kind == "pronoun":
                # "The company - which controls half of ...": the antecedent is the company named before
                earlier = [h for h in candidates if h.end <= before[-1].start and h.kind != "pronoun"
                           and h.actor_type not in ("person", "media") and not _prep_before(sentence, h.start)]
                if earlier:
                    return earlier[-1]
                return previous_holder() if callable(previous_holder) else previous_holder
            if before and _prep_before(sentence, before[-1].start):
                # "the Olympic Dam mine in South Australia, which contains ...": the head before the place
                at = re.search(r"\s+\w+\s+(?:the\s+)?$", sentence[: before[-1].start])
                head = [h for h in candidates if h.kind != "pronoun" and at is not None
                        and 0 <= at.start() - h.end <= 8 and h.end <= at.start()]
                before = head or before
            return before[-1] if before else None
        left = inside
    speaker = [h for h in left if re.match(r"\s*(?:said|says|estimated|estimates|reported|reports|told|"
                                             r"calculated|believes|thinks|expects|predicts|forecasts?)\b",
                                             sentence[h.end:], _I)]
    left = [h for h in left if h not in speaker] or ([] if speaker and _PRONOUN_RE.search(sentence[:q.start]) is None
                                                      else left)
    if not left and speaker:
        return None
    if left:
        pick = left[-1]
        if pick.kind != "pronoun":
            return _coordinated(sentence, pick, candidates)
        earlier = [
            h for h in candidates
            if h.end <= pick.start and h.kind != "pronoun" and not _in_region((h.start, h.end), regions, q)
            and not (attr_span and attr_span[0] <= h.start < attr_span[1])
            and h.actor_type not in ("person", "media")
        ]
        # "Brazil had ..., Funaro said, although its share ...": not the speaker, when another name is there
        quiet = [h for h in earlier if not re.match(r"\s*(?:said|says|told|added|noted)\b", sentence[h.end:], _I)]
        earlier = quiet or earlier
        if earlier:
            return earlier[-1]
        resolved = previous_holder() if callable(previous_holder) else previous_holder
        if resolved is not None:
            return resolved
        # nobody for the pronoun ("They ... said at least 40 pct of coffee exports are carried by
        # Brazilian ships"): a holder on the right, as below
    # passive: "70 per cent of the world's cobalt comes from Congo"
    for h in candidates:
        if h.start >= q.end and h.kind != "pronoun":
            between = sentence[q.end:h.start]
            if re.search(r"\bin\s+(?:the\s+)?$", between, _I) and re.match(r"(?:['’]s?)?\s+hands\b", sentence[h.end:]) \
                    and ";" not in between:
                return h  # "two-thirds of the world's reserves in OPEC hands"
            if re.search(r"\b(?:comes?|came|coming|is|are|was|were|originat\w*|sourced|mined|produced|refined|"
                         r"processed|made|located|found|held|controlled)\b[^;]*\b(?:from|in|by)\s+(?:the\s+)?$",
                         between, _I) and ";" not in between:
                return h
            break
    return None


#: An unnamed plural subject right before the figure's verb: "companies which make", "governments
#: accounting for" (not after is/are: "X is one of the companies that ...").
_LOWER_SUBJECT_RE = re.compile(
    r"(?<!\bis\s)(?<!\bare\s)(?<!\bwas\s)(?<!\bof\s)(?<!\bthe\s)\b[a-z]{3,}s\s+(?:(?:which|who|that)\s+(?:\w+\s+){0,2}|"
    r"(?:accounting|representing|responsible)\s+for\s+)(?:\w+\s+){0,2}$"
)
#: A verb coordinated with an earlier one of the same subject: "... and accounts for", ", and controls".
_COORDINATED_VERB_RE = re.compile(
    r"(?:,\s*|\s)and\s+(?:also\s+|now\s+|still\s+)?(?:accounts?|accounted|controls?|controlled|holds?|held|has|had|"
    r"produces?|produced|supplies|supplied|exports?|exported|mines?|mined|refines?|refined|makes?|made|commands?|"
    r"dominates?|sells?|sold)\b[^,;]*$",
    _I,
)


def _in_prep_list(sentence: str, h: Holder, candidates: Sequence[Holder]) -> bool:
    """True for a later member of a list after a preposition: "producers of A, B and C" -> B, C."""
    current = h
    for hop in range(6):
        gap = re.search(r"(?:['’]s?)?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)(?:the\s+)?$", sentence[: current.start])
        if gap is None:
            return False
        if hop == 0 and re.fullmatch(r"\s*,\s*(?:the\s+)?", gap.group()) and not re.match(
                r"\s*(?:,\s*(?:the\s+)?[A-Z]|\s+(?:and|or|&)\s)", sentence[h.end:]):
            return False  # "According to the IEA, China accounts ...": a comma alone makes no list
        prev = [c for c in candidates if c.kind != "pronoun" and c.end <= gap.start() and gap.start() - c.end <= 3]
        if not prev:
            return False
        current = prev[-1]
        if _prep_before(sentence, current.start):
            return True
    return False


def _coordinated(sentence: str, pick: Holder, candidates: Sequence[Holder]) -> Holder:
    """"Indigo and Somoncom had ..." / "Elisa 's and DNA 's joint share": both holders, as one."""
    for h in candidates:
        if h.end <= pick.start and h.kind != "pronoun" and re.fullmatch(
            r"(?:\s?['’]s?)?\s+(?:and|&)\s+", sentence[h.end: pick.start]
        ):
            ids = "+".join(x.id for x in (h, pick)) if h.id and pick.id else ""
            return Holder(f"{h.name} and {pick.name}", ids, h.start, pick.end, "group", "group")
    return pick


def _sentence_mentions(mentions: SpanIndex | Sequence[Mapping[str, Any]], start: int, end: int) -> list[dict]:
    """The mentions inside ``[start, end)`` with offsets made relative to ``start``."""
    index = mentions if isinstance(mentions, SpanIndex) else SpanIndex(mentions)
    return [{**m, "start": int(m["start"]) - start, "end": int(m["end"]) - start} for m in index.within(start, end)]
