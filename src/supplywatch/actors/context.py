"""Context for names and metonyms: when a country's name or its capital is not the country.

A capital (a gazetteer ``metonym``: Beijing, Madrid, Paris) counts as its government only as a
political agent ("Beijing tries to cool the economy", "welcomed by Beijing", "Moscow officials").
A country's name counts unless it is part of another proper name. The rules, in the order tried
(the cue words live in ``data/context_cues.yaml``, :class:`ContextCues`):

Names and aliases of countries (``Britain``, ``US``):

* **Inside a longer proper name**: right after a capitalised word that does not start the sentence
  ("Little Britain" the TV comedy, "Tate Britain", "Air India", "Northern Ireland", "Hotel
  Rwanda"), or right before a capitalised sport, culture or market head ("US Open", "Japan Cup").
  Possessives ("Brown's Britain"), months, headline lines and all-capital text are exempt.
* **"X-based"** and the other ``name_suffixes`` ("UK-based", "US-born"): a location, not the country.

Metonyms (capitals, and seats such as the Kremlin), besides the place rules of the matcher:

* **Inside a longer proper name**: after a capitalised word ("Real Madrid", "Atletico Madrid",
  "Denzel Washington"), before one ("Berlin Film Festival", "Jakarta Stock Exchange", "Beijing
  News", "Westminster Hour"), after a possessive before one ("Tokyo's Nikkei"), or after
  "Capitalised of" ("Palace of Westminster", "Archbishop of Westminster"). A political head after it
  ("the Beijing Government") keeps it.
* **A place word before a list**: "share prices in London, Frankfurt and Paris" (the list's first
  member follows "in").
* **A head word after it** (or after a list it ends: "the Amsterdam, Brussels and Paris
  exchanges"): sport ("Madrid midfielder"), culture ("the Bangkok festival"), market ("Tokyo shares
  fell") or local ("a Moscow court", "the Buenos Aires underground") heads. A political head
  ("Moscow officials") keeps it and stops the rules below.
* **A modifier** (capitals only, not seats): after a determiner or a possessive ("his Paris
  apartment", "the SEC's Washington headquarters", "a Brussels meeting") a capital describes a
  thing, unless a political head follows.
* **Sports reports** (capitals only): in an article with many ``sport_words`` a capital is a club,
  a team or a venue ("missing Madrid", "qualify for Madrid").
* **One sense per article**: once a capital is a club or an event in an article ("Real Madrid",
  "Berlin Film Festival"), its bare mentions there are that club or event too ("Madrid know my
  situation", "Berlin's top prize"), unless a political head follows.

Demonyms are never touched: "Spanish" stays a demonym of Spain.

Example:
    >>> cues = ContextCues.from_mapping({"sport_heads": ["midfielder"]})
    >>> ctx = ArticleContext("Madrid midfielder Guti said.", cues)
    >>> ctx.rejects(0, 6, "metonym", "country")
    'sport head'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supplywatch.config import CONTEXT_CUES_FILE
from supplywatch.exceptions import ResourceError
from supplywatch.resources import load_versioned, read_yaml_resource

_LIST_KEYS = ("political_heads", "role_heads", "sport_heads", "culture_heads", "market_heads", "local_heads",
              "name_suffixes", "company_suffixes", "seats", "sport_words")
_HEAD_KINDS = ("sport", "culture", "market", "local")

#: Words before a capital that make it a modifier of a noun ("his Paris apartment").
DETERMINERS = frozenset("the a an this that these those its his her their our my your whose every each".split())
_MONTHS_AND_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
#: Capitalised words that start a clause even mid-sentence, or are no part of a name.
_NOT_NAME_WORDS = frozenset("i i'm i've i'd i'll the a an and or of in on for to with by at from".split())
#: Words that make a region of the country, still the country ("Western Australia", "North Yemen").
_COMPASS = frozenset("""north south east west northern southern eastern western central northeastern
    northwestern southeastern southwestern upper lower greater mainland rural""".split())
_SENTENCE_END = ".!?:;\"“”‘’'([{—–-•*"

_WORD_RE = re.compile(r"[A-Za-z][\w’'.&-]*")
_CAP_WORD = r"[A-Z][\w’'.&-]*"
_NAME_RUN = rf"{_CAP_WORD}(?:[ \t]+{_CAP_WORD})*"
#: A list of capitalised names ending right where a name starts: "London, Frankfurt and ".
_LIST_BEFORE_RE = re.compile(rf"((?:{_NAME_RUN}(?:[ \t]*,[ \t]*|[ \t]+(?:and|or|&)[ \t]+))+)$")
#: The rest of a list after a name: ", Amsterdam and Lisbon".
_LIST_AFTER_RE = re.compile(rf"(?:(?:[ \t]*,[ \t]*|[ \t]+(?:and|or|&)[ \t]+)(?:the[ \t]+)?{_NAME_RUN})+")
_POSSESSIVE_RE = re.compile(r"['’]s?(?!\w)")
_LOWER_WORDS_RE = re.compile(r"[ \t]+([A-Za-z][\w-]*)(?:[ \t]+([A-Za-z][\w-]*))?(?:[ \t]+([A-Za-z][\w-]*))?")
_OF_BEFORE_RE = re.compile(rf"({_CAP_WORD})[ \t]+of[ \t]+(?:the[ \t]+)?$")
_TOKEN_RE = re.compile(r"[a-z]+(?:-[a-z]+)*")
_SUFFIX_RE = re.compile(r"[-–]([a-z]+)")
_CAP_AFTER_RE = re.compile(rf"[ \t]+({_CAP_WORD})")
_LISTING_STEMS = ("isted", "isting", "uoted", "uotation", "raded", "loated", "lotation")
_LISTING_BEFORE_RE = re.compile(
    r"\b(?:listed|listing|listings|quoted|quotation|traded|floated|flotation)"
    r"(?:[ \t]+(?:is|are|will|be|was|were|would|shall|also|only|to|its|shares|stock|primarily|mainly))*"
    r"[ \t]+(?:in|on)[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)
_NEXT_TOKEN_RE = re.compile(r"[ \t]+([A-Za-z][\w.]*)")
_CAPITAL_BEFORE_RE = re.compile(r"\bcapital,?[ \t]+$")
_LOWER_OF_BEFORE_RE = re.compile(r"\b([a-z]+)[ \t]+of[ \t]+(?:the[ \t]+)?$")
_IN_AFTER_RE = re.compile(r"[ \t]*,?[ \t]+in[ \t]+((?:the[ \t]+)?[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*)?)")


def text_before(text: str, pos: int, n: int) -> str:
    """The ``n`` characters before ``pos`` with the blanks right before ``pos`` removed."""
    return text[max(0, pos - n - 4):pos].rstrip(" \t")[-n:]


def prev_char(text: str, pos: int) -> str:
    """The last non-blank character before ``pos`` on the same line ("" if none)."""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return text[i] if i >= 0 and text[i] != "\n" else ""


@dataclass(frozen=True)
class ContextCues:
    """The cue word lists (lower case) of ``data/context_cues.yaml``; see the module docstring."""

    political_heads: frozenset[str] = frozenset()
    role_heads: frozenset[str] = frozenset()
    sport_heads: frozenset[str] = frozenset()
    culture_heads: frozenset[str] = frozenset()
    market_heads: frozenset[str] = frozenset()
    local_heads: frozenset[str] = frozenset()
    name_suffixes: frozenset[str] = frozenset()
    company_suffixes: frozenset[str] = frozenset()
    seats: frozenset[str] = frozenset()
    sport_words: frozenset[str] = frozenset()
    #: Sports-report threshold: this many sport words (counting repeats) in an article ...
    sport_min_words: int = 8
    #: ... and at least this many distinct ones.
    sport_min_distinct: int = 4
    _heads: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _first_words: frozenset[str] = field(default_factory=frozenset, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        heads: dict[str, str] = {}
        for kind in _HEAD_KINDS:  # a word in two lists keeps the first kind
            for phrase in getattr(self, f"{kind}_heads"):
                heads.setdefault(phrase, kind)
        for phrase in self.political_heads:
            heads[phrase] = "political"  # political wins: "the Beijing government"
        object.__setattr__(self, "_heads", heads)
        object.__setattr__(self, "_first_words", frozenset(phrase.split()[0] for phrase in heads))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, where: str = "<context cues>") -> ContextCues:
        """Build the cues from parsed YAML; raise ResourceError naming ``where`` on a bad entry."""
        if not isinstance(data, Mapping):
            raise ResourceError(f"{where}: the file must be a mapping of lists ({', '.join(_LIST_KEYS)})")
        unknown = sorted(set(data) - set(_LIST_KEYS))
        if unknown:
            raise ResourceError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; "
                                f"allowed: {', '.join(_LIST_KEYS)}")
        lists = {}
        for key in _LIST_KEYS:
            value = data.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ResourceError(f"{where}: '{key}' must be a list of words or phrases, got {value!r}")
            lists[key] = frozenset(" ".join(v.lower().split()) for v in value)
        return cls(**lists)

    def head(self, words: Iterable[str]) -> tuple[str, str] | None:
        """``(kind, phrase)`` of the longest cue phrase the words start with, or None."""
        words = [w.lower() for w in words if w]
        if not words or words[0] not in self._first_words:
            return None
        for n in range(min(3, len(words)), 0, -1):
            phrase = " ".join(words[:n])
            kind = self._heads.get(phrase)
            if kind is not None:
                return kind, phrase
        return None


def read_context_cues(path: str | os.PathLike) -> ContextCues:
    """Read and validate a cue file (no caching)."""
    data = read_yaml_resource(path, "the context cues", "data/context_cues.yaml")
    return ContextCues.from_mapping(data or {}, where=str(path))


def load_context_cues(path: str | os.PathLike | None = None) -> ContextCues:
    """The cue lists (default ``data/context_cues.yaml``), cached until the file changes.

    Raises:
        ResourceError: the file is missing, not YAML, or holds something other than word lists.
    """
    path = Path(path) if path is not None else CONTEXT_CUES_FILE
    return load_versioned(read_context_cues, path,
                          missing=f"{path}: context cue file not found; restore data/context_cues.yaml "
                                  f"from the repository")


def _sentence_initial(text: str, pos: int) -> bool:
    """Whether the word starting at ``pos`` opens a sentence, a line or a quotation."""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] == "\n" or text[i] in _SENTENCE_END


def _headline_line(text: str, start: int) -> bool:
    """The line holding ``start`` is written in title case or capitals (a headline, a list of names)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    if len(line) > 160 or line.rstrip().endswith("."):
        return False  # a headline has no full stop
    words = [w for w in _WORD_RE.findall(line) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.75


class ArticleContext:
    """The context rules over one article's text (built once per article by the matcher).

    Args:
        text: the article text (the same string the mention offsets index).
        cues: the cue lists.
        actor_keys: lower-cased gazetteer forms; a capitalised neighbour that is itself an actor's
            name ("EU", "Turkish") does not make a longer proper name.
    """

    def __init__(self, text: str, cues: ContextCues, actor_keys: frozenset[str] | set[str] = frozenset()):
        self.text = text
        self.cues = cues
        self.actor_keys = actor_keys
        self._sport: bool | None = None
        self._listing: bool | None = None  # whether the article lists or trades a security (most do not)
        self._sense: dict[str, str] = {}   # capital (lower case) -> club/event sense seen in the article
        self._kept: list[tuple[int, str]] = []
        self._names: set[str] = set()   # "little britain", "real madrid": longer names seen mid-sentence
        self._initial: list[tuple[int, str]] = []  # the same shape at the start of a sentence

    # -- the words around a name ----------------------------------------------------------------
    def _prev_word(self, start: int) -> str | None:
        """The word right before ``start`` on the same line (one run of spaces between), or None."""
        span = self._prev_word_span(start)
        return self.text[span[0]:span[1]] if span else None

    def _prev_word_span(self, start: int) -> tuple[int, int] | None:
        text = self.text
        j = start
        while j > 0 and text[j - 1] in " \t":
            j -= 1
        if j == start:
            return None
        k = j
        while k > 0 and (text[k - 1].isalnum() or text[k - 1] in "_’'.&-"):
            k -= 1
        return (k, j) if k < j else None

    def _capital_before(self, start: int) -> bool:
        """Cheap test: the word before (one space or tab between) starts with a capital letter."""
        text = self.text
        i = start - 1
        if i < 1 or text[i] not in " \t":
            return False
        k = max(text.rfind(" ", max(0, i - 40), i), text.rfind("\n", max(0, i - 40), i)) + 1
        return text[k:i].lstrip("\"“‘'([{")[:1].isupper()

    def _embedded_after_capital(self, start: int, end: int) -> bool:
        """Right after a capitalised word that is no sentence start, title, month or actor: "Real Madrid"."""
        if not self._capital_before(start):
            return False  # the usual case, a lower-case word before: no closer look
        word = self._prev_word(start)
        if not word or not word[0].isupper() or word[-1] in ".’'" or word.endswith(("'s", "’s")):
            return False
        if re.search(r"[-–][a-z]", word):
            return False  # a compound adjective, not a name's part: "Moscow-based", "Nazi-occupied"
        low = word.lower()
        if low in _MONTHS_AND_DAYS or low in _NOT_NAME_WORDS or low in self.actor_keys or low in _COMPASS:
            return False
        word_start = start - len(word) - len(self._prev_gap(start))
        phrase = f"{low} {self.text[start:end].lower()}"
        if _sentence_initial(self.text, word_start):
            # "But Madrid", "Yesterday Beijing"; "Little Britain stars ..." only if the article writes
            # "Little Britain" mid-sentence too (see dropped_by_sense)
            self._initial.append((start, phrase))
            return False
        if word.isupper() and self.text[start:end].isupper():
            return False  # all-capital text: a headline or a dateline
        if _headline_line(self.text, start):
            return False
        self._names.add(phrase)
        return True

    def _prev_gap(self, start: int) -> str:
        span = self._prev_word_span(start)
        return self.text[span[1]:start] if span else ""

    def _next_words(self, end: int) -> list[str]:
        """Up to three words after ``end`` (after a possessive), same line."""
        pos = end
        poss = _POSSESSIVE_RE.match(self.text, pos)
        if poss:
            pos = poss.end()
        match = _LOWER_WORDS_RE.match(self.text, pos)
        return [w for w in match.groups() if w] if match else []

    def _head_after(self, end: int) -> tuple[str, str, bool] | None:
        """``(kind, phrase, capitalised)`` of a cue head after the name or after a list it starts."""
        for pos in (end, self._list_end(end)):
            words = self._next_words(pos)
            if words:
                found = self.cues.head(words)
                if found is not None:
                    return found[0], found[1], words[0][0].isupper()
            if pos == end and self._list_end(end) == end:
                break
        return None

    def _list_end(self, end: int) -> int:
        match = _LIST_AFTER_RE.match(self.text, end)
        return match.end() if match else end

    def _list_start(self, start: int) -> int:
        before = self.text[max(0, start - 6):start].rstrip(" \t")
        if not before.endswith((",", " and", " or", "&")):
            return start  # not the second member of a list: no search needed
        match = _LIST_BEFORE_RE.search(self.text, max(0, start - 200), start)
        return match.start(1) if match else start

    def _capital_after(self, end: int) -> str | None:
        """The capitalised word right after the name (after a possessive too), same sentence."""
        pos = end
        poss = _POSSESSIVE_RE.match(self.text, pos)
        if poss:
            pos = poss.end()
        match = _CAP_AFTER_RE.match(self.text, pos)
        if not match or self.text[end:match.start(1)].strip(" \t'’s"):
            return None
        word = match.group(1)
        if word.lower() in _MONTHS_AND_DAYS or word.lower().rstrip(".") in self.actor_keys or word in ("I",):
            return None
        if word.isupper() and self.text[end - 1].isupper():
            return None
        return word

    # -- the rules -------------------------------------------------------------------------------
    def rejects(self, start: int, end: int, kind: str, actor_type: str) -> str | None:
        """Why the mention ``text[start:end]`` of ``kind`` is not the actor, or None if it counts.

        Args:
            start, end: the mention's offsets in the article text.
            kind: ``name``, ``alias``, ``demonym`` or ``metonym``.
            actor_type: the actor's type; name rules apply to countries only.
        Returns:
            a short reason ("inside a name", "sport head", ...) or None.
        """
        if kind == "metonym":
            return self._metonym(start, end)
        if kind in ("name", "alias") and actor_type == "country":
            return self._name(start, end)
        return None

    def _suffix(self, end: int) -> bool:
        text = self.text
        if end < len(text) and text[end] in "-–":
            match = _SUFFIX_RE.match(text, end)
            return bool(match) and match.group(1) in self.cues.name_suffixes
        return False

    def _company_unit(self, end: int) -> bool:
        """A legal suffix right after the name: "Chevron USA Inc", "Cargill U.K. Ltd" name a company's
        national unit, which says where it operates, as "Chevron's U.S. unit" does."""
        pos = end
        for _ in range(4):  # "Chevron USA Inc", "Bell Canada Enterprises Inc", "Pirelli UK International Finance BV"
            match = _NEXT_TOKEN_RE.match(self.text, pos)
            if match is None or not match.group(1)[0].isupper():
                return False
            if match.group(1).lower().rstrip(".") in self.cues.company_suffixes:
                return True
            pos = match.end()
        return False

    def _role_after(self, end: int) -> bool:
        """A role or office right after the name: "Manhattan U.S. Attorney", "Assistant U.S. Treasury
        Secretary" name the country's office, whatever precedes them."""
        words = self._next_words(end)
        return bool(words) and (words[0].lower() in self.cues.role_heads
                                or (self.cues.head(words) or ("",))[0] == "political")

    def _listing_venue(self, start: int) -> bool:
        """After "listed in", "listing is in", "quoted on", "traded in" (or before a list that follows
        them): the country or capital is where a security is listed, a market."""
        if not text_before(self.text, start, 6).endswith((" in", " on", " the", ",", " and", " or", "&")):
            return False  # "listed in X", "listing is in Luxembourg and X" need one of these right before
        if self._listing is None:
            self._listing = any(stem in self.text for stem in _LISTING_STEMS)
        if not self._listing:  # most articles never list a security
            return False
        list_start = self._list_start(start)
        return bool(_LISTING_BEFORE_RE.search(self.text, max(0, list_start - 80), list_start))

    def _name(self, start: int, end: int) -> str | None:
        text = self.text
        after = text[end:end + 2]
        if after[:1] not in "-–" and not (after[:1] in " \t" and after[1:].isupper()) \
                and not self._capital_before(start) and not self._listing_venue(start):
            return None  # the usual case: no hyphen, no capitalised word around, no listing in the article
        if self._suffix(end):
            return "x-based"
        if self._listing_venue(start):
            return "market venue"
        if self._embedded_after_capital(start, end) and not self._company_unit(end) and not self._role_after(end):
            return "inside a name"
        if _POSSESSIVE_RE.match(self.text, end):
            return None  # "Spain's Football Federation", "France's Cac index": the country's own
        if self._capital_after(end) is None:
            return None
        head = self._head_after(end)
        if head is not None and head[2] and head[0] in ("sport", "culture", "market"):
            return f"{head[0]} head"
        return None

    def _metonym(self, start: int, end: int) -> str | None:
        key = self.text[start:end].lower()
        seat = key in self.cues.seats
        if self._suffix(end):
            return "x-based"
        list_start = self._list_start(start)
        joined = re.search(r"(?:,|\band|\bor|&)[ \t]*$", self.text[max(0, start - 6):start])
        if list_start < start and joined and joined.group().startswith(",") and self._list_end(end) == end:
            list_start = start  # "relief in Indonesia, Downing Street said": a clause, not a list
        if list_start < start:
            from_word = self._prev_word(list_start)
            if from_word and from_word.lower() in _PLACE_WORDS:
                return "place list"
        if self._listing_venue(start):
            return "market venue"
        if self._embedded_after_capital(start, end):
            if not seat:
                self._sense[key] = "club"
            return "inside a name"
        near = self.text[max(0, start - 20):start]
        if ("capital" in near and _CAPITAL_BEFORE_RE.search(near)) or prev_char(self.text, start).isdigit():
            return "place"  # "in the Kenyan capital, Nairobi", "10 Downing Street"
        of_before = text_before(self.text, list_start, 8).endswith((" of", " of the"))
        local_of = of_before and _LOWER_OF_BEFORE_RE.search(self.text, max(0, list_start - 40), list_start)
        if local_of and self.cues.head([local_of.group(1)]) == ("local", local_of.group(1).lower()):
            return "place"  # "the streets of Brasilia", "the province of Buenos Aires"
        in_country = _IN_AFTER_RE.match(self.text, self._list_end(end))
        if in_country is not None and re.sub(r"^the\s+", "", in_country.group(1).lower()) in self.actor_keys:
            return "place"  # "Kabul in Afghanistan", "Riyadh in Saudi Arabia"
        of = of_before and _OF_BEFORE_RE.search(self.text, max(0, list_start - 60), list_start)
        if of and not _sentence_initial(self.text, of.start(1)) and of.group(1).lower() not in self.actor_keys:
            return "inside a name"
        head = self._head_after(end)
        political = head is not None and head[0] == "political"
        capital_next = self._capital_after(end)
        if seat and capital_next is not None and (head is None or head[0] not in ("sport", "culture", "market")):
            capital_next = None  # "White House Budget Chief", but "BBC Radio 4's Westminster Hour"
        if capital_next is not None and not political:
            if head is not None and head[0] in ("sport", "culture") and not seat:
                self._sense[key] = head[0]
            return "inside a name"
        if head is not None and not political and not seat:
            if head[0] in ("sport", "culture"):
                self._sense[key] = head[0]
            return f"{head[0]} head"
        if political:
            return None
        if seat:
            return None
        prev = self._prev_word(list_start)
        if prev is not None and (prev.lower() in DETERMINERS or prev.endswith(("'s", "’s", "s'"))):
            return "modifier"
        if self.sports_report():
            return "sports report"
        self._kept.append((start, key))
        return None

    def sports_report(self) -> bool:
        """Whether the article reads as a sports report (many ``sport_words``), computed once."""
        if self._sport is None:
            words = self.cues.sport_words
            hits = [t for t in _TOKEN_RE.findall(self.text.lower()) if t in words]
            self._sport = len(hits) >= self.cues.sport_min_words and len(set(hits)) >= self.cues.sport_min_distinct
        return self._sport

    def dropped_by_sense(self) -> set[int]:
        """Starts of kept mentions that one sense per article removes: a capital that is a club or an
        event elsewhere in the article, and a name at the start of a sentence inside the same longer
        name the article writes mid-sentence too ("Little Britain stars ..." after "hit Little Britain")."""
        dropped = {start for start, key in self._kept if key in self._sense}
        dropped.update(start for start, phrase in self._initial if phrase in self._names)
        return dropped


#: Words before a list of places ("share prices in London, Frankfurt and Paris").
_PLACE_WORDS = frozenset(
    """in at from to into near outside inside across around via toward towards through throughout
    within visit visits visited visiting between including include includes like as""".split()
)
