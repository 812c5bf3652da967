"""Recognised actors: the recogniser's names as mentions beside the gazetteer's, grouped into actors.

Rules (per article; the README's "Recognised actors" section has the same with examples):

* **The gazetteer wins** where it knows a name. The recogniser does not look at a chunk the gazetteer
  matched exactly, and a recognised name that overlaps a gazetteer mention is dropped, except when it
  contains the mention and is longer by whole words, and the mention is a country or bloc (by name,
  alias, demonym or metonym): "Bank of Japan", "U.S. Treasury", "German Finance Ministry". Then the
  longer name counts and the country does not, as in the gazetteer's own longest-match rule; a longer
  name of another kind (an event, a work: "Japan Open") likewise hides the country. A capital the
  gazetteer read as a place ("talks in London") stays uncounted.
* **Cleaning**: a title before a person's name ("Mr", "Sir", "President") and a word opening the
  sentence before a name ("Five", "The", "Combining") are not part of the name.
* **Back-references**, as for the gazetteer's people: a surname alone after the full name in the same
  article ("Maria Ortega ... Ortega said"; also the headline's "Ortega" before it); a company's name
  without its legal suffix or a leading part of that ("Norsk Metals ASA" ... "Norsk Metals",
  "Albemarle Corp." ... "Albemarle"); an acronym defined in parentheses right after a name ("the Metals
  Export Council (MEC) ... MEC said"). They are ``backref`` (``acronym``) mentions of the same actor,
  also where the recogniser did not tag them. A surname or short form shared by two names is ambiguous
  and not linked.
* **One name, one type** in an article: each name takes the label most of its occurrences got, and
  all names of one actor the label of most of them.
* **Ids and names**: ``actor_id`` is ``new:`` plus a slug of the fullest name (for organisations
  without legal suffix): ``new:maria-ortega``, ``new:albemarle``, the same in every article; ``actor``
  is the fullest name in the article (the pipeline then takes the fullest in the corpus).
  ``actor_type``: ``person``; ``place``; for organisations ``company`` (a legal suffix, or by default),
  ``agency`` (Ministry, Department, Commission, Agency, Government, ...) or ``organisation`` (Party,
  Union, Council, Association, "House of", ...). ``origin`` is ``recognised``.
* **Lexicon rules** (:mod:`supplywatch.actors.name_rules`, ``data/ner_rules.yaml``): holidays,
  events, products, commodities and titles are no names (as MISC: "Christmas", "PC", "Gallium"), nor
  surnames or short forms of one ("DVD" after "RipGuard DVD"); parties are organisations ("Tory",
  "Labour"), and clubs too in a sports report or before a sport head ("Chelsea winger"); "the Tories
  and Lib Dems" is two names.
* **Government bodies**: a name with an agency head word (Ministry, Department ...) is an organisation
  even when the recogniser called it MISC ("German Economics Ministry"), and a country's name or
  demonym right before it belongs to it ("Japanese" + "Finance Ministry": one name).
* **Country roll-up**: a recognised organisation (company, agency, organisation) whose name holds a
  gazetteer country or bloc by name, alias or demonym ("U.S. Treasury", "U.S. Agriculture
  Department", "Japanese Finance Ministry", "Bank of Japan") keeps its own actor, but its ``country``
  is that country's code (``USA``, ``JPN``), on every mention of the actor in the article, as the
  gazetteer's ministries have their ``affiliation``; analysts can roll mentions up by country. A
  capital inside a name ("Washington Post") gives none; people and places, and organisations naming
  no country, have an empty ``country``.

Example:
    >>> rows = link("Maria Ortega met MEC staff. Ortega said so.", [(0, 12, "PER")], lambda a, b: False)
    >>> [(r[2], r[3]) for r in rows]
    [('name', 'new:maria-ortega'), ('backref', 'new:maria-ortega')]
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from supplywatch.actors.context import ArticleContext, ContextCues
from supplywatch.actors.matcher import Mention, fullness
from supplywatch.actors.name_rules import PLACE_BEFORE, NameRules

#: Legal suffixes of company names (lower case, without a final period).
LEGAL_SUFFIXES = frozenset("""corp corporation inc incorporated co company ltd limited plc llc lp ag sa
s.a nv n.v bv b.v asa as ab oy oyj spa s.p.a gmbh se kk cos""".split())
_AGENCY_HEADS = frozenset("""ministry department agency commission bureau office authority administration
board treasury court police army navy customs service secretariat directorate inspectorate government
cabinet""".split())
_ORGANISATION_HEADS = frozenset("""party union association federation council committee organisation
organization institute university league club foundation society fund alliance front movement
parliament senate congress assembly church group coalition chamber""".split())
_COMPANY_WORDS = frozenset("""corp corporation inc co ltd plc llc ag sa nv asa ab gmbh holdings holding
bancorp bank airlines airways motors industries petroleum oil energy mining metals steel chemicals
electric systems technologies communications partners capital securities investments""".split())
_PERSON_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())
_ACRONYM_RE = re.compile(r"\(\s*([A-Z][A-Z&.\-]{1,9})\s*\)")
_LABEL_TYPE = {"PER": "person", "LOC": "place"}
_PLACE_LIKE = frozenset(("country", "bloc"))
_ORGANISATION_TYPES = frozenset(("company", "agency", "organisation"))
#: The two words after a name, after a possessive ("Chelsea winger", "Arsenal's manager").
_NEXT_WORDS_RE = re.compile(r"(?:['’]s?)?[ \t]+([A-Za-z][\w-]*)(?:[ \t]+([A-Za-z][\w-]*))?")


_NOT_SLUG_RE = re.compile(r"[^a-z0-9]+")
_SLUGS: dict[str, str] = {}
_ORG_TYPES: dict[str, str] = {}


def slug(name: str) -> str:
    """Lower-case ASCII words joined by ``-`` ("María Ortega" -> "maria-ortega")."""
    got = _SLUGS.get(name)
    if got is None:
        ascii_name = name if name.isascii() else (
            unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii"))
        got = _NOT_SLUG_RE.sub("-", ascii_name.lower()).strip("-")
        if len(_SLUGS) < 100_000:
            _SLUGS[name] = got
    return got


def strip_legal(words: list[str]) -> list[str]:
    """Words of an organisation's name without trailing legal suffixes (and commas before them)."""
    out = list(words)
    while len(out) > 1 and out[-1].lower().rstrip(".,") in LEGAL_SUFFIXES:
        out.pop()
        out[-1] = out[-1].rstrip(",")
    return out


def organisation_type(name: str) -> str:
    """``company``, ``agency`` or ``organisation`` from the words of an organisation's name
    (a legal suffix: company; a government head word: agency; Party, Union, Council ..., "House of":
    organisation; otherwise company)."""
    got = _ORG_TYPES.get(name)
    if got is None:
        words = [w.lower().rstrip(".,") for w in name.split()]
        if not LEGAL_SUFFIXES.isdisjoint(words[1:]):
            got = "company"
        elif not _AGENCY_HEADS.isdisjoint(words):
            got = "agency"
        elif not _ORGANISATION_HEADS.isdisjoint(words) or words[:2] == ["house", "of"]:
            got = "organisation"  # "House of Lords", "House of Representatives": a chamber
        else:
            got = "company"
        if len(_ORG_TYPES) < 100_000:
            _ORG_TYPES[name] = got
    return got


#: Titles before a person's name, not part of it ("Mr Fogg", "Sir Clive Woodward").
TITLES = frozenset("""mr mr. mrs mrs. ms ms. dr dr. sir dame lord lady prof prof. president premier
chancellor minister senator sen. governor gov. judge coach captain general gen. rev. father sister
brother king queen prince princess sheikh""".split())
#: Words opening a sentence before a name, not part of it ("Five Bank of America units ...").
_OPENERS = frozenset("""the a an this that these those but and or as if when while after before since
for with without although though meanwhile however also then so yet still even only both some
one two three four five six seven eight nine ten most many several few other more such each every any
no not there here""".split())
_CONNECTORS = frozenset("of and de & van the for der den da della du la von y del di dos le".split())


def _trim(text: str, start: int, end: int, label: str, common: frozenset[str]) -> tuple[int, int]:
    """A recognised name without a leading title (people) or a sentence's opening word, and without
    trailing punctuation ("Blair&" of a stray "Blair&#191;s" in the source file)."""
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ".)"):
        end -= 1
    while True:
        space = text.find(" ", start, end)
        if space < 0:
            return start, end
        first = text[start:space].lower()
        if (label == "PER" and first in TITLES) or ((first in _OPENERS or (
                first.endswith(("ing", "ly")) and first in common)) and _sentence_start(text, start)):
            start = space + 1
            while start < end and text[start] == " ":
                start += 1
            continue
        return start, end


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3):start].rstrip(" \t")
    return not before or before[-1] in ".!?\n\"'“‘:"


def _defines(acronym: str, name: str) -> bool:
    """The acronym spells the initials of the name (capitalised words, or all words)."""
    letters = acronym.replace(".", "").replace("-", "").replace("&", "")
    words = strip_legal(name.split())
    capitals = "".join(w[0] for w in words if w[0].isupper() or w[0].isdigit())
    return letters == capitals or letters == "".join(w[0] for w in words if w[0].isalnum()).upper()


def _occurrences(text: str, word: str, start: int) -> list[tuple[int, int]]:
    """Exact-case, whole-word occurrences of ``word`` in ``text`` from ``start``."""
    out = []
    size = len(text)
    at = text.find(word, start)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "-&")) and (
                end >= size or not (text[end].isalnum() or text[end] in "-&")):
            out.append((at, end))
        at = text.find(word, end)
    return out


_ORG_KEYS: dict[str, str] = {}


def _actor_key(name: str, organisation: bool) -> str:
    """The slug of an actor's id: the name's, an organisation's without its legal suffix."""
    if not organisation:
        return slug(name)
    got = _ORG_KEYS.get(name)
    if got is None:
        got = slug(" ".join(strip_legal(name.split())))
        if len(_ORG_KEYS) < 100_000:
            _ORG_KEYS[name] = got
    return got


def link(text: str, entities: list[tuple[int, int, str]], taken,
         common: frozenset[str] = frozenset(),
         types: dict[tuple[int, int], str] | None = None,
         not_names: frozenset[str] = frozenset()) -> list[tuple[int, int, str, str, str, str]]:
    """Group one article's recognised names into actors and add their back-references.

    Args:
        text: the article.
        entities: ``(start, end, label)`` from the recogniser (PER/ORG/LOC only), in text order, none
            overlapping a gazetteer mention.
        taken: ``taken(start, end) -> bool``: the span overlaps a gazetteer mention or a recognised
            name (asked for back-references found by search).
        common: words common in lower case (a sentence's opening "Combining" is cut off a name).
        types: an organisation's type fixed by a lexicon rule (:mod:`supplywatch.actors.name_rules`:
            parties, clubs), by the entity's ``(start, end)``; an actor with such a name takes it.
        not_names: words that are no name (products, holidays ...): never a surname or short form
            searched for ("DVD" after "RipGuard DVD").

    Returns:
        ``(start, end, kind, actor_id, actor, actor_type)`` in text order; ``kind`` is ``name``,
        ``backref`` or ``acronym``.
    """
    if not entities:
        return []
    entries = []  # (start, end, label, name)
    surnames: dict[str, set[str]] = {}
    shorts: dict[str, set[str]] = {}
    votes: dict[str, dict[str, int]] = {}
    seen: set[tuple[str, str]] = set()  # (name, label) pairs whose surname and short forms are noted
    fixed: dict[str, str] = {}  # name -> its type from a lexicon rule
    for s, e, label in entities:
        if types:
            fixed_type = types.get((s, e))
        name = text[s:e]
        if " " in name:
            s, e = _trim(text, s, e, label, common)
            name = " ".join(text[s:e].split())
            if (name, label) not in seen:  # a name's surname and short forms are the same each time
                seen.add((name, label))
                words = name.split()
                if label == "PER" and len(words) > 1:
                    core = words[:-1] if words[-1].lower() in _PERSON_SUFFIXES and len(words) > 2 else words
                    surnames.setdefault(core[-1], set()).add(name)
                elif label == "ORG":
                    stripped = strip_legal(words)
                    if len(stripped) < len(words):  # "Norsk Metals ASA": "Norsk Metals", "Norsk"
                        for n in range(1, len(stripped) + 1):
                            short = stripped[:n]
                            if short[-1].lower() in _CONNECTORS or (n == 1 and short[0].lower() in common):
                                continue
                            shorts.setdefault(" ".join(short), set()).add(name)
        entries.append((s, e, label, name))
        if types and fixed_type is not None:
            fixed[name] = fixed_type
        count = votes.get(name)
        if count is None:
            votes[name] = {label: 1}
        else:
            count[label] = count.get(label, 0) + 1
    label_of = {name: next(iter(v)) if len(v) == 1 else max(v, key=v.get) for name, v in votes.items()}
    acronyms: dict[str, str] = {}
    if "(" in text:
        ends = {e: name for _s, e, label, name in entries if label != "PER"}
        for match in _ACRONYM_RE.finditer(text):
            at = match.start()
            while at > 0 and text[at - 1] in " \t":
                at -= 1
            name = ends.get(at)
            if name is not None and _defines(match.group(1), name):
                acronyms.setdefault(match.group(1), name)
    members: dict[str, list] = {}  # target name -> [(start, end, kind, label)]
    assigned: dict[str, str] = {}  # name -> the target its own occurrences went to
    for s, e, label, name in entries:
        count = votes[name]
        if len(count) > 1 and count[label] < count[label_of[name]]:
            label = label_of[name]  # one name, one type: the label most of its occurrences got
        target, kind = name, "name"
        if name in surnames and name not in shorts and len(surnames[name]) == 1:
            target, kind, label = next(iter(surnames[name])), "backref", "PER"
        elif name in acronyms:
            target, kind = acronyms[name], "acronym"
            label = label_of[target]
        elif name in shorts and len(shorts[name]) == 1:
            target, kind, label = next(iter(shorts[name])), "backref", "ORG"
        members.setdefault(target, []).append((s, e, kind, label))
        assigned.setdefault(name, target)
    # back-references the recogniser did not tag: surnames, short forms, acronyms after the full name
    searches = [(w, next(iter(n)), "backref") for w, n in surnames.items() if len(n) == 1 and w not in shorts
                and assigned.get(next(iter(n))) == next(iter(n))  # not a "person" that is a company's name
                and w not in not_names]
    searches += [(w, next(iter(n)), "backref") for w, n in shorts.items() if len(n) == 1 and w not in surnames
                 and w not in not_names]
    searches += [(w, n, "acronym") for w, n in acronyms.items()]
    if searches:
        spans = [(s, e) for s, e, _l, _n in entries]
        first = {}
        for s, _e, _l, name in entries:
            first.setdefault(name, s)
        for word, target, kind in searches:
            start = first[target]
            target = assigned.get(target, target)  # a full name that is itself a short form of another
            for a, b in _occurrences(text, word, start):
                if taken(a, b) or any(s < b and a < e for s, e in spans):
                    continue
                spans.append((a, b))
                members.setdefault(target, []).append(
                    (a, b, kind, "PER" if kind == "backref" and word in surnames else label_of[target]))
    # actors: one per key (slug of the fullest name; organisations without legal suffix), one type each
    keyed: dict[str, list] = {}
    for target, found in members.items():
        key = _actor_key(target, label_of[target] == "ORG")
        if key:
            keyed.setdefault(key, []).append((target, found))
    rows = []
    for key, groups in keyed.items():
        if len(groups) == 1:
            fullest = groups[0][0]
        else:
            fullest = max((t for t, _f in groups), key=fullness)
        labels: dict[str, int] = {}
        for _t, found in groups:
            for member in found:
                labels[member[3]] = labels.get(member[3], 0) + 1
        if len(labels) == 1:
            label = next(iter(labels))
        else:
            top = max(labels.values())
            label = label_of[fullest] if labels.get(label_of[fullest]) == top else min(
                lab for lab, n in labels.items() if n == top)
        actor_type = organisation_type(fullest) if label == "ORG" else _LABEL_TYPE[label]
        if fixed and label == "ORG":
            actor_type = next((fixed[t] for t, _f in groups if t in fixed), actor_type)
        for _target, found in groups:
            for s, e, kind, _lab in found:
                rows.append((s, e, kind, "new:" + key, fullest, actor_type))
    rows.sort()
    return rows


_KINDS: dict[str, str] = {}
_KINDS_RULES: list = [None]  # the rules _KINDS holds the kinds of


def _kinds_of(rules: NameRules) -> dict[str, str]:
    """The cache of :func:`_kind` (name -> kind, at most 100,000), emptied when the rules change."""
    if rules is not _KINDS_RULES[0]:
        _KINDS.clear()
        _KINDS_RULES[0] = rules
    return _KINDS


def _kind(rules: NameRules, name: str) -> str:
    """The rules' kind of a recognised name, also without a sentence's opening word ("But Tory"), put in
    the cache (:func:`_kinds_of` must have been called with the same rules)."""
    key = name
    if "  " in name or "\n" in name:
        name = " ".join(name.split())
    kind = rules.kind(name)
    if not kind and " " in name:
        first, rest = name.split(" ", 1)
        if first.lower() in _OPENERS:
            kind = rules.kind(rest)
    if len(_KINDS) < 100_000:
        _KINDS[key] = kind
    return kind


def _split_pairs(text: str, found: list[tuple[int, int, str]], rules: NameRules) -> list[tuple[int, int, str]]:
    """A name "X and Y" whose two members are both listed names ("the Tories and Lib Dems", "Chelsea and
    Arsenal") is two names."""
    out = []
    for s, e, label in found:
        at = text.find(" and ", s, e)
        if at > s and rules.kind(text[s:at]) and rules.kind(text[at + 5:e]):
            out += ((s, at, label), (at + 5, e, label))
        else:
            out.append((s, e, label))
    return out


def recognised_mentions(text: str, gazetteer_mentions: list[Mention], candidates, recogniser,
                        rules: NameRules | None = None, cues: ContextCues | None = None,
                        ) -> tuple[list[Mention], list[Mention]]:
    """The recognised mentions of one article and the gazetteer mentions that still count.

    Args:
        text: the article.
        gazetteer_mentions: the gazetteer's mentions of the article, in order (``Matcher.find``).
        candidates: the matcher's accepted candidates ``(start, end, key, form)`` (their spans are not
            tagged again).
        recogniser: a :class:`supplywatch.actors.recognise.Recogniser`.
        rules: the lexicon rules (:class:`supplywatch.actors.name_rules.NameRules`; none by default).
        cues: the context cues (:class:`supplywatch.actors.context.ContextCues`): a club's name is an
            organisation in a sports report or before a sport head ("Chelsea winger"); without cues never.

    Returns:
        ``(gazetteer mentions kept, recognised mentions)``, each in text order: a gazetteer country inside
        a longer recognised name is not kept, and a recognised organisation holding one has that
        country in ``country`` (see the module docstring).
    """
    skip = {(s, e) for s, e, _k, form in candidates if form is not None}
    found = recogniser.entities(text, skip=skip)
    if not found:
        return gazetteer_mentions, []
    gaz = gazetteer_mentions
    starts = [m.start for m in gaz]
    drop: set[int] = set()
    names: list[tuple[int, int, str]] = []
    types: dict[tuple[int, int], str] = {}
    countries: list[tuple[int, int, str]] = []  # gazetteer countries inside a recognised organisation
    kinds: dict[tuple[int, int], str] = {}
    if rules is not None:
        found = _split_pairs(text, found, rules)
        cached = _kinds_of(rules).get
        for s, e, _label in found:
            name = text[s:e]
            kind = cached(name)
            if kind is None:
                kind = _kind(rules, name)
            if kind:
                kinds[(s, e)] = kind
    clubs: set[str] = set()  # club names the article uses as clubs
    if cues is not None and "club" in kinds.values():
        sport = None
        for (s, e), kind in kinds.items():
            if kind == "club":
                before = text[max(0, s - 6):s].rsplit(None, 1)
                if before and before[-1].lower() in PLACE_BEFORE:
                    continue  # "the match in Cardiff": the town
                words = _NEXT_WORDS_RE.match(text, e)
                head = cues.head(words.groups()) if words else None
                if head is None or head[0] != "sport":
                    if sport is None:
                        sport = ArticleContext(text, cues).sports_report()
                    if not sport:
                        continue
                clubs.add(text[s:e])
    for s, e, label in found:
        name = text[s:e]
        kind = kinds.get((s, e)) if kinds else None
        if kind == "not_name":
            label = "MISC"
        elif kind == "party" or (kind == "club" and name in clubs):
            label = "ORG"
            types[(s, e)] = "organisation"
        if label != "PER" and " " in name and organisation_type(name) == "agency":
            # a government body: "German Economics Ministry" is no event (MISC); "Japanese" + "Finance
            # Ministry" is one name, the ministry of Japan
            label = "ORG"
            i = bisect.bisect_left(starts, s) - 1
            if i >= 0:
                m = gaz[i]
                if (m.end < s and m.actor_type in _PLACE_LIKE and m.kind != "metonym" and s - m.end <= 2
                        and not text[m.end:s].strip(" ")):
                    s = m.start
        i = bisect.bisect_left(starts, s)
        while i > 0 and gaz[i - 1].end > s:
            i -= 1
        inside, clash = [], False
        while i < len(gaz) and gaz[i].start < e:
            m = gaz[i]
            if m.end > s:
                if s <= m.start and m.end <= e and m.end - m.start < e - s and m.actor_type in _PLACE_LIKE:
                    inside.append(i)
                else:
                    clash = True
            i += 1
        if clash:
            continue  # the gazetteer wins
        if inside:
            covered = sum(len(text[gaz[k].start:gaz[k].end].split()) for k in inside)
            if len(text[s:e].split()) <= covered:
                continue  # "Iran-Iraq": not longer by a whole word
            drop.update(inside)
            if label == "ORG":  # "U.S. Treasury", "Bank of Japan": the country it belongs to
                countries += [(gaz[k].start, gaz[k].end, gaz[k].country) for k in inside
                              if gaz[k].kind != "metonym" and gaz[k].country]
        if label != "MISC":
            names.append((s, e, label))
    kept = [m for i, m in enumerate(gaz) if i not in drop] if drop else gaz
    if not names:
        return kept, []
    spans = sorted([(m.start, m.end) for m in kept] + [(s, e) for s, e, _l in names])
    span_starts = [a for a, _b in spans]

    def taken(a: int, b: int) -> bool:  # the spans do not overlap: only the last one starting before b can
        i = bisect.bisect_left(span_starts, b)
        return i > 0 and spans[i - 1][1] > a

    rows = link(text, names, taken, recogniser.lower_words, types,
                rules.not_names if rules is not None else frozenset())
    country_of: dict[str, str] = {}
    for a, b, code in countries:  # the actor whose name holds the country (trimmed names still do)
        for s, e, kind, actor_id, _actor, actor_type in rows:
            if kind == "name" and s <= a and b <= e and actor_type in _ORGANISATION_TYPES:
                country_of.setdefault(actor_id, code)
                break
    return kept, [Mention(actor_id, actor, actor_type, country_of.get(actor_id, "") if country_of else "",
                          kind, text[s:e], s, e, "recognised")
                  for s, e, kind, actor_id, actor, actor_type in rows]
