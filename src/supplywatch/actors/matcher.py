"""The gazetteer compiled into one matcher: every name, alias, demonym, metonym and surname as one
trie-shaped regular expression, with the case, metonym and surname rules of the counting method
(see :mod:`supplywatch.actors.mentions`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from supplywatch.actors.context import ArticleContext, load_context_cues
from supplywatch.actors.gazetteer import Actor, Gazetteer
from supplywatch.text.trie import trie_regex

#: Words after which a capital is a place, not the government ("talks in London").
PLACE_PREPOSITIONS = frozenset(
    """in at from to into near outside inside across around via toward towards through throughout
    within visit visits visited visiting leave leaves left leaving arrive arrives arrived arriving reach
    reached landed flew fly flying travel travelled traveled returned return based headquartered
    between""".split()
)
#: Titles and roles that, before a surname, make it a person ("Prime Minister May", "Mr Lin").
TITLES = frozenset(
    """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame president premier minister secretary
    chancellor ambassador spokesperson spokesman spokeswoman governor senator sen. rep. representative
    chairman chairwoman chair ceo envoy king queen prince lord general gen. adviser advisor""".split()
)
#: Verbs after a surname that make a common-word surname a person ("Sun said").
SPEECH_VERBS = frozenset("said says told added noted stated argued replied warned insisted wrote".split())
_MONTHS_AND_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
#: Surnames that are also ordinary English words (need a title or a speech verb).
_COMMON_WORDS = frozenset(
    """sun long young brown green white black gray grey rice bush cook king price rich hill wood stone
    park rose star bell best hope love young small little north south west east gold silver case""".split()
)
_PRONOUN_LIKE = frozenset(
    """he she it we us i you they him her his its our my me an a the be by do go no of on or so to up
    as at if in is am are was were will can might must shall""".split()
)

_APOS = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_DATELINE_TAIL_RE = re.compile(
    r"\s*(?:,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d|\(Reuters\)|[-—]\s)")
_WORD_BEFORE_RE = re.compile(r"([\w.]+)\W*$")
_WORD_AFTER_RE = re.compile(r"^(?:'s\b)?\W*(\w+)")


class Mention(NamedTuple):
    """One mention of an actor in a document (``text[start:end] == surface``).

    ``origin`` is ``gazetteer`` (matched in ``data/actors.yaml``) or ``recognised`` (found by the
    recogniser, :mod:`supplywatch.actors.recognised`). A named tuple, not a dataclass: an article has
    dozens and a corpus hundreds of thousands, and a tuple is made four times faster.
    """

    actor_id: str
    actor: str
    actor_type: str
    country: str
    kind: str
    surface: str
    start: int
    end: int
    origin: str = "gazetteer"


def fullness(name: str) -> tuple[int, int, str]:
    """Sort key of spellings of one actor's name: the fullest (``max``) has the most words, then is the
    longest, then is last alphabetically ("Acme Rare Metals Corp" over "Acme")."""
    return len(name.split()), len(name), name


@dataclass(frozen=True)
class _Form:
    form: str
    actor_id: str | None  # None for a non-actor phrase
    kind: str
    exact_case: bool


def _is_short_caps(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return bool(letters) and len(letters) <= 5 and all(c.isupper() for c in letters) and form == form.upper()


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.translate(_APOS)


class Matcher:
    """The gazetteer compiled into one multi-pattern matcher (built once per gazetteer).

    Example:
        >>> from supplywatch.actors.gazetteer import Actor, Gazetteer
        >>> m = Matcher(Gazetteer([Actor("CHN", "China", "country", "CHN", demonyms=("Chinese",))]))
        >>> [x.kind for x in m.find("Chinese exports from China’s ports")]
        ['demonym', 'name']
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.forms: dict[str, _Form] = {}
        self.surnames: dict[str, list[Actor]] = defaultdict(list)
        for actor in gazetteer:
            for form, kind in actor.surface_forms():
                key = form.translate(_APOS).lower()
                self.forms.setdefault(key, _Form(form.translate(_APOS), actor.id, kind, _is_short_caps(form)))
            if actor.type == "person" and actor.surname:
                self.surnames[actor.surname.translate(_APOS).lower()].append(actor)
        for phrase in gazetteer.non_actors:
            key = phrase.translate(_APOS).lower()
            self.forms.setdefault(key, _Form(phrase.translate(_APOS), None, "non_actor", False))
        keys = set(self.forms) | set(self.surnames)
        self.lengths = sorted({len(k) for k in keys}, reverse=True)
        #: key length -> the key lengths up to it, longest first (the lengths a match is tried at)
        self._lengths_upto = {n: [m for m in self.lengths if m <= n] for n in self.lengths}
        self.keys = keys
        body = trie_regex(sorted(k for k in keys if k)) or r"(?!x)x"  # an empty gazetteer matches nothing
        self.regex = re.compile(r"(?<!\w)(?:" + body + r")(?!\w)")
        # the same, but the character before the name is matched instead of looked behind at: the regex
        # engine then skips ahead to the next non-word character rather than trying every position.
        # It runs over the lower-cased text with one space in front (so position 0 has a character
        # before it): a match's start there is the name's start in the text.
        self._scanner = re.compile(r"\W(?:" + body + r")(?!\w)")
        self.cues = load_context_cues()
        self.actor_keys = frozenset(k for k, f in self.forms.items() if f.actor_id is not None)

    # -- case rules ----------------------------------------------------------------------------
    @staticmethod
    def _case_ok(surface: str, form: str, exact: bool) -> bool:
        if exact:
            return surface == form
        if len(surface) != len(form):
            return False
        return surface == form or all(not f.isupper() or s.isupper() for s, f in zip(surface, form))

    @staticmethod
    def _all_caps_context(text: str, start: int, end: int) -> bool:
        window = text[max(0, start - 40):start] + text[end:end + 40]
        letters = [c for c in window if c.isalpha()]
        return len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.8

    def _accept_form(self, text: str, key: str, start: int, end: int) -> _Form | None:
        form = self.forms.get(key)
        if form is None:
            return None
        surface = text[start:end].translate(_APOS)
        if not self._case_ok(surface, form.form, form.exact_case):
            return None
        if form.exact_case and "." not in form.form and self._all_caps_context(text, start, end):
            return None
        return form

    def _surname_ok(self, text: str, key: str, start: int, end: int) -> bool:
        people = self.surnames.get(key)
        if not people:
            return False
        surname = people[0].surname.translate(_APOS)
        return self._case_ok(text[start:end].translate(_APOS), surname, False) and not (
            text[start:end].isupper() and len(surname) > 1 and self._all_caps_context(text, start, end)
        )

    # -- scanning ------------------------------------------------------------------------------
    def candidates(self, text: str) -> list[tuple[int, int, str, _Form | None]]:
        """Accepted longest non-overlapping matches ``(start, end, key, form or None for a surname)``.

        The mention extractor and the unknown-actor finder both scan each article; the last article's
        result is kept (by identity of the text object) so the second asks for free. Do not mutate it.
        """
        last = getattr(self, "_last", None)  # one read: safe if threads share the matcher
        if last is not None and last[0] is text:
            return last[1]
        out = self._scan(text)
        self._last = (text, out)
        return out

    def _scan(self, text: str) -> list[tuple[int, int, str, _Form | None]]:
        lowered = _lower_same_length(text)
        spaced = " " + lowered  # spaced[i] is the character before lowered[i]
        out: list[tuple[int, int, str, _Form | None]] = []
        pos = 0
        search = self._scanner.search
        accept = self._accept
        while True:
            match = search(spaced, pos)
            if match is None:
                return out
            start = match.start()  # of the name in text (the match begins one character before it)
            hit = accept(text, lowered, start, match.end() - 1)
            if hit is None:
                pos = start + 1
                continue
            out.append(hit)
            pos = hit[1]

    def _accept(self, text: str, lowered: str, start: int, end: int):
        """The longest key at ``start`` (the regex matched up to ``end``) that the case and surname rules
        accept, as a candidate; shorter keys are tried only when the longest is refused."""
        size = len(lowered)
        keys = self.keys
        lengths = self._lengths_upto.get(end - start)
        if lengths is None:
            lengths = [n for n in self.lengths if n <= end - start]
        for length in lengths:
            stop = start + length
            key = lowered[start:stop]
            if key not in keys or (stop < size and (lowered[stop].isalnum() or lowered[stop] == "_")):
                continue
            hit = self._accept_key(text, key, start, stop)
            if hit is not None:
                return hit
        return None

    def _accept_key(self, text: str, key: str, start: int, stop: int):
        form = self._accept_form(text, key, start, stop)
        if form is not None:
            return start, stop, key, form
        if self._surname_ok(text, key, start, stop):
            return start, stop, key, None
        return None

    def find(self, text: str) -> list[Mention]:
        """All mentions in one document's text (see the module docstring for the rules)."""
        gaz = self.gazetteer
        mentions: list[Mention] = []
        named: dict[str, int] = {}  # person id -> order first named
        last_place_end = -10
        context = ArticleContext(text, self.cues, self.actor_keys)
        for start, end, key, form in self.candidates(text):
            if form is not None:
                if form.actor_id is None:
                    continue
                actor = gaz[form.actor_id]
                if form.kind == "metonym" and self._is_place(text, start, end, last_place_end):
                    last_place_end = end
                    continue
                if actor.type == "country" and form.kind != "metonym" and _currency_after(text, end):
                    continue  # "the U.S. dollar", "Chinese yuan": a currency, not the country acting
                if form.kind in ("name", "alias") and self._in_compound_name(text, end):
                    continue  # "Georgia-Pacific Corp": part of a company's name, not the country
                if context.rejects(start, end, form.kind, actor.type) is not None:
                    continue  # "Real Madrid", "Little Britain", "Tokyo shares", "UK-based"
                if actor.type == "person":
                    named.setdefault(actor.id, len(named))
                mentions.append(_mention(actor, form.kind, text, start, end))
                continue
            resolved = self._resolve_surname(text, key, start, end, named)
            if resolved is not None:
                actor, kind = resolved
                named.setdefault(actor.id, len(named))
                mentions.append(_mention(actor, kind, text, start, end))
        dropped = context.dropped_by_sense()
        if dropped:  # "Madrid know my situation" in an article about Real Madrid
            mentions = [m for m in mentions if m.start not in dropped]
        return mentions

    def _resolve_surname(self, text: str, key: str, start: int, end: int,
                         named: dict[str, int]) -> tuple[Actor, str] | None:
        people = self.surnames[key]
        before = _word_before(text, start)
        after = _word_after(text, end)
        if _NAME_GOES_ON_RE.match(text, end) and after not in SPEECH_VERBS and after not in _lower_words():
            return None  # "He Yadong", "Premier Li Keqiang": a given name follows, so another person
        titled = before in TITLES
        if key in _PRONOUN_LIKE or key in _MONTHS_AND_DAYS or key in _COMMON_WORDS:
            ok = titled or (key not in _PRONOUN_LIKE and after in SPEECH_VERBS)
            if not ok:
                return None
        earlier = [p for p in people if p.id in named]
        if len(earlier) == 1:
            return earlier[0], "backref"
        if len(earlier) > 1:
            return None  # two people of that surname named earlier: ambiguous, not counted
        alone = [p for p in people if p.surname_alone]
        if len(alone) == 1:
            return alone[0], "alias"
        if titled and len(people) == 1:
            return people[0], "alias"
        return None

    def _in_compound_name(self, text: str, end: int) -> bool:
        """The name is the first half of a hyphenated proper name whose second half names no actor
        ("Georgia-Pacific", "Jordan-Smith"); "China-Japan talks" and "U.S.-China" name two actors."""
        match = _HYPHEN_PART_RE.match(text, end)
        if match is None:
            return False
        part = match.group(1).translate(_APOS).lower()
        return part not in self.keys and part.rstrip(".") not in self.keys

    @staticmethod
    def _is_place(text: str, start: int, end: int, last_place_end: int) -> bool:
        if text[end:end + 1] == "-" and text[end + 1:end + 6].lower().startswith(("based", "area", "region")):
            return True
        before = _word_before(text, start)
        if before in PLACE_PREPOSITIONS:
            return True
        gap = text[last_place_end:start] if 0 <= last_place_end <= start else None
        if gap is not None and gap.strip().lower() in {"and", "or", ",", "and the", "or the"}:
            return True
        line_start = text.rfind("\n", 0, start) + 1
        if not text[line_start:start].strip() and (
            (text[start:end].isupper() and re.match(r"\s*(?:,|\(|-|—)", text[end:end + 3]))
            or _DATELINE_TAIL_RE.match(text[end:end + 30])
        ):
            return True  # a dateline: "BEIJING, June 12 (Reuters) -", "Beijing, June 12 -"
        return False


#: Words after a country's name that make it a currency ("the U.S. dollar", "the Chinese yuan").
CURRENCY_WORDS = frozenset("""
    dollar dollars yuan renminbi yen won rupee rupees rouble roubles ruble rubles peso pesos franc francs
    pound pounds rand lira dinar dinars riyal riyals rial dirham dirhams ringgit baht rupiah krona kronor
    krone kroner zloty forint shekel shekels naira cedi shilling shillings kwacha currency currencies
""".split())


_HYPHEN_PART_RE = re.compile(r"-([A-Z][A-Za-z.’']*)")
_NEXT_WORD_RE = re.compile(r"(?:['’]s)?[ \t]+([A-Za-z]+)")


def _currency_after(text: str, end: int) -> bool:
    """A currency word right after the name, in the same sentence ("the U.S. dollar", "Canada's dollar")."""
    match = _NEXT_WORD_RE.match(text, end)
    return match is not None and match.group(1).lower() in CURRENCY_WORDS


def _word_before(text: str, start: int) -> str:
    match = _WORD_BEFORE_RE.search(text[max(0, start - 40):start])
    return match.group(1).lower() if match else ""


#: A capitalised word right after a surname (same line, one space): the surname may start a longer
#: name. It does when that word is not a common word in lower case ("Yadong", not "Says" of a
#: title-case headline).
_NAME_GOES_ON_RE = re.compile(r" [A-Z][a-z]")


@lru_cache(maxsize=1)
def _lower_words() -> frozenset[str]:
    """Words seen in lower case in CoNLL-2003 eng.train (the recogniser's lexicon, data/ner_lexicon.json)."""
    from supplywatch.actors.recognise import LEXICON_FILE, read_lexicon

    return read_lexicon(LEXICON_FILE)[0]


def _word_after(text: str, end: int) -> str:
    match = _WORD_AFTER_RE.match(text[end:end + 40].translate(_APOS))
    return match.group(1).lower() if match else ""


def _mention(actor: Actor, kind: str, text: str, start: int, end: int) -> Mention:
    return Mention(actor.id, actor.name, actor.type, actor.country, kind, text[start:end], start, end)


def matcher_for(gazetteer: Gazetteer) -> Matcher:
    """The gazetteer's compiled :class:`Matcher`, built on first use and kept on the gazetteer object.

    Example:
        >>> from supplywatch.actors.gazetteer import Actor, Gazetteer
        >>> gaz = Gazetteer([Actor("CHN", "China", "country", "CHN")])
        >>> matcher_for(gaz) is matcher_for(gaz)
        True
    """
    matcher = gazetteer.__dict__.get("_matcher")
    if matcher is None:
        matcher = gazetteer.__dict__["_matcher"] = Matcher(gazetteer)
    return matcher
