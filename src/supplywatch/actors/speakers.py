"""Who a quote's speaker phrase is: cleaning the phrase, and resolving "he"/"she" to a person.

Speaker phrases come from the quote patterns of :mod:`supplywatch.actors.quotes` ("he", "Mr Blair",
"a BBC spokeswoman", "the report", "but"). This module decides what they are:

* **Not speakers**: conjunctions and other function words left where the subject was elided ("...
  conceded there were "grey areas" but said: ..." gives "but"), and documents ("the report said",
  "the statement added"). A conjunction's quote goes to the person who is the subject of the
  sentence when the article's mentions name one before it; otherwise, as a document's, it keeps an
  empty speaker. Auxiliaries after the speaker are cut ("he will say" is "he").
* **Case**: pronouns and common nouns are case-folded ("He" and "he" are one speaker; "Analysts"
  at the start of a sentence is "analysts"); names keep their capitals.
* **Pronouns** ("he said", "she added") resolve to the most recent compatible person named before
  them in the article, outside quotation marks, or stay unresolved. Persons are the article's
  person mentions (gazetteer and recognised), names after a title ("Mr Blair", "Baroness Morgan")
  and earlier named speakers ("said Oleg Maximov"). Gender is known from titles (Mr, Sir, Lord:
  he; Mrs, Ms, Miss, Lady, Dame, Baroness: she), for a surname once any mention of it has one;
  no first-name list is used. Never guess: a pronoun stays unresolved when the most recent
  compatible person's gender is unknown and another person who may be meant was named earlier,
  when the most recent speaker is an unnamed one ("a spokesman said ... he added"), or when a
  capitalised name the article does not resolve (possibly a person) stands between.

Example:
    >>> clean_phrase("but"), clean_phrase("He will"), clean_phrase("the report")
    (None, 'he', None)
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

#: Words that are no speaker on their own (an elided subject, a stray function word).
NOT_SPEAKERS = frozenset("""
    and but or nor yet so while whereas although though as because if when then also which who whom
    that this these those there here it's what where how why one ones latter former both
""".split())
#: Documents that "say" things: not speakers.
DOCUMENTS = frozenset("""
    report reports statement statements study studies survey surveys document documents letter letters
    book books website websites filing filings memo memos release releases figures data poll polls
    research analysis paper papers notice minutes ruling judgment judgement review proposal proposals plan
    plans bill draft text message messages note notes article articles guidance summary manifesto
    submission documents communique communiqué prospectus forecast forecasts
""".split())
#: Pronouns and common speaker nouns, case-folded wherever they start the phrase.
_FOLD = frozenset("""
    he she it they we i you his her their its our my spokesman spokeswoman spokesperson spokespeople
    analyst analysts official officials company firm group government ministry source sources expert
    experts economist economists police researchers critics observers residents witnesses lawyer lawyers
    executive executives director directors chairman chief manager managers organisers organizers
    officers traders dealers investors bankers diplomats aides insiders campaigners commentators
    supporters opponents statement spokesmen
""".split())
#: Capitalised words that start a sentence rather than a name.
_FUNCTION_WORDS = frozenset("""
    the a an but and or so yet on in at for of to by with from as if when while after before since
    several some many most all both each every no this that these those his her their its our my
    meanwhile however although though despite during former ex last next new
""".split())
#: Last words of capitalised runs that name no person: organisations, places, events, works.
_NOT_PERSON_HEADS = frozenset("""
    party parties office programme program league games awards award inquiry bill act group research
    alliance corp corporation inc ltd plc bank park road street boulevard square slam nations europe
    america government ministry department council committee commission authority agency union
    association institute university college school hospital club cup championship championships
    open trophy series show times post news radio television tv live wales england scotland ireland
    britain kingdom states city house court assembly parliament senate congress board fund trust
    company airlines motors media records studios questions day week year minister secretary
    chancellor president
""".split())
PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
_TITLE_GENDER = {
    "mr": "m", "mr.": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m", "mister": "m",
    "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f", "lady": "f", "dame": "f",
    "baroness": "f", "queen": "f", "princess": "f",
}
_LEADING_RE = re.compile(r"^(?:(?:and|but|while|as|so|then|yet|the|a|an)\s+)+", re.IGNORECASE)
_TRAILING_RE = re.compile(
    r"(?:\s+(?:will|would|could|can|may|might|should|must|shall|has|had|have|did|does|do|is|was|also|then|"
    r"later|once|again|too|further|however|previously|earlier|simply|quickly|recently|today))+$",
    re.IGNORECASE)
_TITLED_RE = re.compile(
    r"\b(Mr|Mrs|Ms|Miss|Sir|Lord|Lady|Dame|Baroness|Mr\.|Mrs\.|Ms\.|Dr|Dr\.|Prof|Prof\.|Professor)"
    r"\s+((?:[A-Z][\w'’-]+\s+)*[A-Z][\w'’-]+)")
_POSSESSIVE_RE = re.compile(r"['’]s?(?!\w)")
_REPORTING = (r"(?:said|says|told|tells|added|adds|stated|explained|argued|warned|insisted|noted|claimed|"
              r"announced|wrote|writes|admitted|conceded|replied|acknowledged|suggested|stressed|maintained)")
#: A person who reports: "Carpenter said", "Mr Howard, the Tory leader, told", "Dr Paniccia also said".
_REPORTS_AFTER_RE = re.compile(r"(?:\s*,[^,.!?\"“”]{1,60},)?\s+(?:\w+ly\s+|also\s+)?" + _REPORTING + r"\b")
#: A person named right after a reporting verb, ending the clause: "said awards pundit Tom O'Neil."
#: (not "said Tory policies", "said that working with Hill was").
_NAME_ENDS_CLAUSE_RE = re.compile(r"\s*(?:[,.;:!?]|$)")
_REPORTS_BEFORE_RE = re.compile(r"\b" + _REPORTING + r"(?:\s+[\w'’-]+){0,4}\s+$")
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’]?\s+[\"“]?[A-Z]")
_NAME_TAIL_RE = re.compile(r"((?:[A-Z][\w'’.-]*\s+)*[A-Z][\w'’-]+)$")
_CAP_RUN_RE = re.compile(r"(?<![\w'’])[A-Z][a-z][\w'’-]*(?:\s+(?:[A-Z][a-z][\w'’-]*|de|van|von|bin|al|da|di|le|la))*"
                         r"\s+[A-Z][a-z][\w'’-]+")


def clean_phrase(phrase: str) -> str | None:
    """The speaker phrase without leading conjunctions/articles and trailing auxiliaries, case-folded
    when it is a pronoun or common noun; None when what is left is no speaker (see module doc)."""
    phrase = " ".join(phrase.split())
    phrase = _TRAILING_RE.sub("", _LEADING_RE.sub("", phrase)).strip(" ,;:-–—")
    if not phrase:
        return None
    words = phrase.split()
    low = [w.lower().strip("'’") for w in words]
    if all(w in NOT_SPEAKERS for w in low):
        return None
    if low[-1] in DOCUMENTS and not any(w[:1].isupper() for w in words[1:]):
        return None  # "the report", "its latest statement", but not "the Beige Book report"
    if low[0] in _FOLD and not any(w[:1].isupper() for w in words[1:]):
        return phrase.lower()
    return phrase


def is_pronoun(phrase: str) -> bool:
    """Whether a cleaned speaker phrase is "he" or "she"."""
    return phrase in ("he", "she")


def name_in_phrase(phrase: str) -> str | None:
    """The name a speaker phrase ends with ("Lib Dem spokesman Mark Oaten" -> "Mark Oaten"), or None
    for a descriptive speaker ("a BBC spokeswoman", "analysts")."""
    if phrase[:1].islower() and not re.search(r"\s[A-Z]", phrase):
        return None
    match = _NAME_TAIL_RE.search(phrase)
    if not match:
        return None
    name = match.group(1)
    if name.lower() in _FOLD or name.lower() in NOT_SPEAKERS:
        return None
    return name


@dataclass
class _Person:
    start: int
    end: int
    name: str
    actor_id: str
    key: str             # identity: actor id, else the surname (last word, lower case)
    gender: str | None   # "m", "f" or None
    named: bool = True   # False: an unnamed speaker ("a spokesman"): unknown identity
    possessive: bool = False  # "Mr Blair's insistence": not the subject of what follows
    reports: bool = False     # the subject of a reporting verb ("Carpenter said that ..."): salient


def _surname(name: str) -> str:
    return name.split()[-1].lower().strip("'’").removesuffix("'s").removesuffix("’s") if name.split() else ""


class PersonIndex:
    """The persons an article names, in order, for resolving pronoun speakers (one per article).

    Args:
        text: the article text.
        mentions: the article's mention rows (dicts with ``start``, ``end``, ``actor``, ``actor_id``,
            ``actor_type``); persons are those with ``actor_type == "person"``.
        quotes: inner spans of quoted passages; names inside them are not antecedents.
    """

    def __init__(self, text: str, mentions, quotes: list[tuple[int, int]]) -> None:
        self.text = text
        self.quotes = sorted(quotes)
        self._quote_starts = [s for s, _ in self.quotes]
        self._mentions = mentions
        self._pending: list[tuple] = []  # speakers seen before the index was needed
        self._built = False
        self.people: list[_Person] = []
        self.explained: list[tuple[int, int]] = []
        self._genders: dict[str, str | None] = {}

    def _build(self) -> None:
        """Collect the persons (on the first pronoun: most articles have none to resolve)."""
        self._built = True
        text, mentions = self.text, self._mentions
        people: list[_Person] = []
        explained: list[tuple[int, int]] = []
        for m in mentions:
            try:
                start, end = int(m["start"]), int(m["end"])
            except (KeyError, TypeError, ValueError):
                continue
            explained.append((start, end))
            if m.get("actor_type") == "person" and not self._quoted(start):
                people.append(_Person(start, end, str(m["actor"]), str(m["actor_id"]),
                                      str(m["actor_id"]), None, possessive=_POSSESSIVE_RE.match(text, end) is not None))
        for match in _TITLED_RE.finditer(text):
            if self._quoted(match.start()):
                continue
            name = match.group(2)
            possessive = name.endswith(("'s", "’s")) or _POSSESSIVE_RE.match(text, match.end()) is not None
            name = re.sub(r"['’]s$", "", name)
            gender = _TITLE_GENDER.get(match.group(1).lower())
            people.append(_Person(match.start(), match.end(), f"{match.group(1)} {name}", "",
                                  _surname(name), gender, possessive=possessive))
            explained.append((match.start(), match.end()))
        self.explained = sorted(explained)
        for p in people:
            p.reports = (_REPORTS_AFTER_RE.match(text, p.end) is not None
                         or (_REPORTS_BEFORE_RE.search(text, max(0, p.start - 60), p.start) is not None
                             and _NAME_ENDS_CLAUSE_RE.match(text, p.end) is not None))
        self.people = people
        self._link()
        pending, self._pending = self._pending, []
        for args in pending:
            self.add_speaker(*args)

    def _quoted(self, pos: int) -> bool:
        i = bisect.bisect_right(self._quote_starts, pos) - 1
        return i >= 0 and pos < self.quotes[i][1]

    def _link(self) -> None:
        """Give a person mention the key and gender its surname has elsewhere ("Mr Blair" is he)."""
        by_surname: dict[str, str] = {}
        for p in self.people:
            if p.actor_id and p.key == p.actor_id:
                by_surname.setdefault(_surname(p.name), p.actor_id)
        for p in self.people:
            if not p.actor_id and p.key in by_surname:
                p.key = by_surname[p.key]
        genders: dict[str, set] = {}
        for p in self.people:
            if p.gender:
                genders.setdefault(p.key, set()).add(p.gender)
        self._genders = {k: next(iter(v)) if len(v) == 1 else None for k, v in genders.items()}

    def add_speaker(self, start: int, end: int, phrase: str, actor_id: str = "") -> None:
        """Record a quote's speaker (named or not) at its position, as the quotes are read in order."""
        if not self._built:
            self._pending.append((start, end, phrase, actor_id))
            return
        name = name_in_phrase(phrase) if not actor_id else phrase
        if name is None:
            self.people.append(_Person(start, end, phrase, "", f"unnamed:{start}", None, named=False))
            return
        key = actor_id or _surname(name)
        gender = None
        first = name.split()[0].lower()
        if first in _TITLE_GENDER:
            gender = _TITLE_GENDER[first]
        for p in self.people:  # the same person named before under another form
            if not p.actor_id and p.named and p.key == key:
                key = p.key
        self.people.append(_Person(start, end, name, actor_id, key, gender, reports=True))
        if gender and key not in self._genders:
            self._genders[key] = gender

    def _gender(self, p: _Person) -> str | None:
        return p.gender or self._genders.get(p.key)

    def _unexplained_name_between(self, start: int, end: int) -> bool:
        """A capitalised name between two positions that no mention or title explains."""
        for match in _CAP_RUN_RE.finditer(self.text, start, end):
            words = match.group().split()
            while words and words[0].lower() in _FUNCTION_WORDS:
                words.pop(0)  # "But Davies", "The Times": a capitalised first word of a sentence
            if len(words) < 2 or words[-1].lower().strip("'’s") in _NOT_PERSON_HEADS:
                continue  # one word left, or an organisation, place or event ("Home Office")
            s, e = match.span()
            if self._quoted(s):
                continue
            if not any(a <= s < b or s <= a < e for a, b in self.explained):
                return True
        return False

    def resolve(self, pronoun: str, pos: int) -> tuple[str, str] | None:
        """``(speaker name, actor_id or "")`` for "he"/"she" at ``pos``, or None when unsure."""
        want = PRONOUNS.get(pronoun)
        if want is None:
            return None
        if not self._built:
            self._build()
        earlier = sorted((p for p in self.people if p.end <= pos), key=lambda p: p.start, reverse=True)
        for i, p in enumerate(earlier):
            if not p.named:
                return None  # "a spokesman said ... he added": the unnamed speaker, not someone earlier
            if p.possessive:
                continue  # "Mr Blair's insistence", "Lord Scarman's work": not the one speaking
            gender = self._gender(p)
            if gender is not None and gender != want:
                continue
            if self._unexplained_name_between(p.end, pos):
                return None
            if gender is None:
                others = {q.key for q in earlier[i + 1:] if q.named and q.key != p.key
                          and self._gender(q) in (None, want)}
                if others:
                    # unknown gender and someone else may be meant: the reporting subject of that
                    # sentence is the likelier one ("Carpenter said that working with Hill ...")
                    subject = None if p.reports else self._reporting_subject(earlier[i + 1:], p, want)
                    if subject is None and not p.reports:
                        return None
                    p = subject or p
            return self._display(p), p.actor_id if p.actor_id else self._actor_id(p.key)
        return None

    def _reporting_subject(self, before: list[_Person], p: _Person, want: str) -> _Person | None:
        """The nearest person before ``p`` in ``p``'s sentence who reports (subject of "said",
        "told" ...) and may be meant (gender unknown or ``want``), or None."""
        for q in before:
            if _SENTENCE_END_RE.search(self.text, q.end, p.start):
                return None
            if q.named and q.reports and not q.possessive and self._gender(q) in (None, want):
                return q
        return None

    def _display(self, p: _Person) -> str:
        if p.actor_id:
            return p.name
        for q in self.people:  # a linked gazetteer/recognised person: their name
            if q.actor_id and q.key == p.key:
                return q.name
        return p.name

    def _actor_id(self, key: str) -> str:
        for q in self.people:
            if q.actor_id and q.key == key:
                return q.actor_id
        return ""
