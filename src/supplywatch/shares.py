"""Market-share claims: who the news says holds what share of which market (the ``claims`` table).

A claim is a sentence stating that a *holder* (country, bloc, company, group of producers)
accounts for, controls, produces, supplies, holds or exports a fraction of a whole that others share
too: world or regional production, mining, refining, output, supply, exports, imports, consumption,
reserves, capacity, sales, "the market". The rule layer works per sentence:

1. :func:`supplywatch.quantities.find_quantities` finds every share phrase and normalises it.
2. Non-claims are dropped first: changes ("rose 10 per cent", "a 5 % rise", "by 3 %", the old value
   in "from 60 per cent"), rates (interest, tax, tariff, inflation, yield, margin, discount,
   probability, ...), polls ("of respondents"), ownership ("a 20 pct stake", "20 pct of XYZ Corp",
   "of the shares"), the make-up of one's own total ("40 pct of its sales", "of the company's
   revenue", "of net sales"), aims ("aims to raise its share to 70 %") and conditions ("would
   reduce Brazil's share to 28.8 pct").
3. A quantity is a claim only with a *whole* that is a market: "of global production", "of the
   world's cobalt", "of Estonia's forest machinery market", "of rare earths", a share construction
   ("market share of 24 %", "a 10.75 percent market share", "China's share of world mining is
   60 %"), a monopoly held by someone, or a second figure in a list after a claim ("A had a market
   share of 41 % and B 32 %").
4. The holder is the nearest actor to the left in subject position (an actor mention from
   :mod:`supplywatch.actors`, a group such as "Chinese producers", or a capitalised name the
   gazetteer lacks), skipping names after a preposition, in parentheses or a comma-delimited
   relative clause, and the source of an "according to"; "it"/"its"/"the company" resolve to the
   most recent holder; "70 % of X comes from Congo" takes the holder on the right.
5. A supplier's share of someone's own supply ("Japan imports 60 % of its rare earths from China",
   "relies on China for 70 % of its imports") is a claim for the supplier (metric ``imports``, scope
   the importer): :func:`_supplier_claim`.

``start``/``end`` are character offsets **into the sentence** (``sentence[start:end]`` is the share
phrase, hedge included).

Example:
    >>> [(c.holder, c.share, c.metric) for c in find_claims("Chile accounts for 24% of world copper output.")]
    [('Chile', 24.0, 'output')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .quantities import Quantity, find_quantities
from .spans import SpanIndex

#: Columns of claims.csv, in order.
CLAIM_COLUMNS = [
    "doc_id", "sentence_id", "holder", "holder_id", "share", "share_low", "share_high", "qualifier",
    "metric", "commodity", "scope", "year", "attribution", "negated", "sentence", "start", "end",
    "reference_share", "reference_source", "reference_year", "diff_pp",
]

#: Metrics a claim can have, and the words that name each (most specific first).
METRIC_WORDS: dict[str, str] = {
    "mining": r"mining|mined|mine\s+(?:production|output|supply)|extraction|extracted|ore\s+production",
    "refining": r"refining|refined|refineries|refinery|processing|processed|separation|smelting|smelted|"
    r"purification|chemical\s+processing",
    "reserves": r"reserves|resources",
    "capacity": r"capacity|capacities",
    "exports": r"exports|exported|export\s+(?:market|volumes?|shipments?)|shipments|seaborne\s+trade",
    "imports": r"imports|imported|purchases",
    "consumption": r"consumption|consumed|demand|usage|use",
    "production": r"production|produced|manufacturing|manufactured|generation|made",
    "output": r"output",
    "supply": r"supply|supplies|supplied|sourcing",
    "sales": r"sales|sold|deliveries|shipments",
    "market": r"market|markets|trade|business|industry|sector",
}
METRICS = (*METRIC_WORDS, "other")
_METRIC_RES = {m: re.compile(rf"\b(?:{w})\b", re.IGNORECASE) for m, w in METRIC_WORDS.items()}
_VERB_METRIC = [
    ("mining", re.compile(r"\b(?:mines?|mined|mining|extracts?)\b", re.I)),
    ("refining", re.compile(r"\b(?:refines?|refined|process|processes|processed|smelts?|smelted)\b", re.I)),
    ("exports", re.compile(r"\b(?:exports?|exported|ships?|shipped)\b", re.I)),
    ("imports", re.compile(r"\b(?:imports?|imported|buys|bought)\b", re.I)),
    ("consumption", re.compile(r"\b(?:consumes?|consumed|uses|used)\b", re.I)),
    ("production", re.compile(r"\b(?:produces?|produced|makes|made|manufactures?|manufactured|generates?|generated|"
                              r"pumps?|pumped|grows?|grown)\b", re.I)),
    ("supply", re.compile(r"\b(?:supplies|supplied|provides?|provided)\b", re.I)),
    ("sales", re.compile(r"\b(?:sells|sold)\b", re.I)),
]

_I = re.IGNORECASE
_PREPOSITIONS = frozenset(
    """of to from in with for by at on into against than about across between among including like as
    onto toward towards via versus vs within without per""".split()
)
_GLOBAL_RE = re.compile(r"\b(?:global(?:ly)?|world(?:'s|’s)?|worldwide|international|planet(?:'s|’s)?)\b", _I)
_POLL_RE = re.compile(
    r"\b(?:respondents|those\s+(?:polled|surveyed|asked|questioned)|people\s+(?:polled|surveyed|asked)|"
    r"voters|adults|americans|britons|participants|the\s+public|households|citizens|residents|"
    r"survey|poll|polled|surveyed|the\s+votes?|votes\s+cast|ballots?)\b",
    _I,
)
_OWN_TOTAL_RE = re.compile(
    r"\b(?:revenues?|turnover|profits?|earnings|income|net\s+sales|total\s+sales|group\s+sales|"
    r"operating\s+(?:profit|income|loss)|ebitda|ebit|order\s*(?:book|intake|s)|orders|backlog|portfolio|"
    r"assets|costs?|expenses|expenditure|budget|spending|workforce|staff|employees|payroll|dividends?|"
    r"funds|funding|investments?|financing|loans?|debt|cash|profitability|pre-tax|pretax|gdp|"
    r"wealth|the\s+population|population|land|territory|electricity\s+mix|energy\s+mix)\b",
    _I,
)
_OWNERSHIP_RE = re.compile(
    r"\b(?:shares|stock|share\s+capital|capital|voting|votes|equity|stake|the\s+(?:company|firm|group|bank|"
    r"venture|joint\s+venture|business|unit|subsidiary|enterprise|operator|partnership|project|mine|"
    r"plant|fund|consortium|entity)|joint\s+venture|subsidiary|subsidiaries|unit|division|affiliate|shareholders?|"
    r"holding|outstanding|interests)\b"
    r"|\b(?:corp|corporation|inc|ltd|plc|llc|oyj|oy|ab|asa|ag|sa|spa|nv|bv|gmbh|co|holdings)\b\.?",
    _I,
)
_POSSESSIVE_PRONOUN_RE = re.compile(r"^(?:all\s+of\s+)?(?:its|their|our|his|her|my|your)\b", _I)
_COMPANY_SALES_RE = re.compile(
    r"(?:\b(?:its|their|our|the\s+(?:company|group|firm)(?:\s?['’]s)?)\s+(?:\w+\s+){0,2}sales\b"
    r"|\bsales\s+(?:at|of|for)\s+[A-Z]|^(?:the\s+)?(?:[A-Z][\w-]*\s*){1,3}\s?['’]s\s+(?:\w+\s+){0,2}sales\b"
    r"|^(?:net\s+|total\s+)?sales\b(?!\s+(?:in|of)\b))",
)
_MARKET_NOUN_RE = re.compile(
    r"\b(?:" + "|".join(w for m, w in METRIC_WORDS.items()) + r"|trade|shipments|purchases|deliveries)\b",
    _I,
)
_WHOLE_STOP_RE = re.compile(
    r"[,;:()\[\]\"“”]|\s(?:but|while|whereas|which|who|that|as|after|before|because|since|compared|versus|"
    r"against|up\s+from|down\s+from|according|said|says|and\s+(?:is|are|was|were|has|have|had|its|their|"
    r"the\s+rest|controls?|accounts?|holds?|produces?|has|have|had|owns?|is|are|was|were|also|a|an|its|their))\b"
    r"|\s(?:over|under|by|through|until|during|within|via|for)\s"
    r"|\s(?:is|are|was|were|will|would|has|have|had|go|goes|went|come|comes|came|can|could|must|should|may|"
    r"might|remains?|remained)\b|\s(?:from|to)\s+(?:about\s+|around\s+)?\d"
    r"|\.(?:\s|$)",
    _I,
)
_CHANGE_LEFT_RE = re.compile(
    r"\b(?:rose|rise[sn]?|rising|fell|fall(?:s|en|ing)?|up|down|increased?|increases|increasing|"
    r"decreased?|decreases|decreasing|grew|grow(?:s|n|ing)?|jump(?:ed|s|ing)?|climb(?:ed|s|ing)?|"
    r"gain(?:ed|s|ing)?|lost|los(?:e|es|ing)|drop(?:ped|s|ping)?|declin(?:ed|es|e|ing)|slipp?ed|slid|"
    r"surg(?:ed|es|ing)|soar(?:ed|s|ing)|plung(?:ed|es|ing)|plummet(?:ed|s|ing)|tumbl(?:ed|es|ing)|"
    r"eas(?:ed|es|ing)|advanc(?:ed|es|ing)|rallied|shed|added|adds|cut|cuts|cutting|rais(?:ed|es|ing)|"
    r"lower(?:ed|s|ing)?|higher|boost(?:ed|s|ing)?|reduc(?:ed|es|e|ing)|expand(?:ed|s|ing)|contracted|"
    r"shr[ai]nk|shrunk|improv(?:ed|es|ing)|widen(?:ed|s|ing)|narrow(?:ed|s|ing)|slump(?:ed|s|ing)?|sank|"
    r"dipp?ed|spiked|firmed|weakened|strengthened|appreciated|depreciated|hik(?:ed|es|ing)|trimm?ed|"
    r"slash(?:ed|es|ing)?|beat|outperform(?:ed|s)?|underperform(?:ed|s)?|"
    r"(?:increase|rise|growth|decline|drop|fall|gain|jump|reduction|cut|hike|decrease|loss|surge|slump|"
    r"change|return|appreciation|depreciation|devaluation|rebound|recovery|premium|discount)\s+of)"
    r"\s+(?:by\s+)?(?:a\s+further\s+|another\s+|an?\s+|just\s+)?$|\bby\s+$"
    r"|\b(?:restrict|limit|cap|curb)\w*\s+(?:\w+\s+){0,3}to\s+$",
    _I,
)
_CHANGE_RIGHT_RE = re.compile(
    r"^[\s-]*(?:rises?|increases?|gains?|jumps?|drops?|declines?|falls?|growth|hikes?|cuts?|reductions?|"
    r"surges?|slumps?|decreases?|higher|lower|more|less|fewer|cheaper|dearer|up\b|down\b|stronger|weaker|"
    r"year[\s-]on[\s-]year|y/y|yoy|on\s+(?:the\s+)?(?:year|quarter|month|week|day)|a\s+year\s+(?:earlier|ago)|"
    r"from\s+a\s+year|annual(?:ly|i[sz]ed)?|per\s+(?:year|annum)|a\s+year|compound|cagr|"
    r"premium|discount|off\b|interest|tax|tariffs?|dut(?:y|ies)|levy|yield|dividend|margin|chance|"
    r"probability|likelihood|odds|owned|-owned|owner|stake|holding|interest\s+in|share\s+capital|"
    r"return|rate|inflation|commission|fee|royalty|votes?|approval|turnout|efficien|utili[sz]ation|"
    r"occupancy|unemploy|jobless|pay\s+rise|salary|wage|of\s+(?:the\s+)?(?:respondents|voters|those|people|"
    r"adults|americans|participants|shares|votes|share\s+capital|voting))",
    _I,
)
_RATE_LEFT_RE = re.compile(
    r"\b(?:interest|rates?|tax(?:es)?|vat|tariffs?|dut(?:y|ies)|levy|levies|inflation|cpi|yields?|coupon|"
    r"dividends?|discounts?|margins?|premiums?|commissions?|fees?|royalt(?:y|ies)|probability|chances?|"
    r"likelihood|odds|unemployment|jobless|gdp|growth|returns?|stakes?|owns|owned|ownership|shareholding|"
    r"equity|voting|votes?|poll(?:s|ed)?|survey(?:s|ed)?|respondents|approval|turnout|utili[sz]ation|"
    r"occupancy|efficiency|accuracy|mortgages?|apr|bonus|wages?|salar(?:y|ies)|deficit|payout|"
    r"valuation|forecast\s+error|recycl(?:ed|ing)|reclaimed|self-sufficiency|operating\s+at|running\s+at|"
    r"requirement|ratio|threshold|limit|cap|ceiling|target(?:s|ed|ing)?|quota|recovery|grade|purity|content|"
    r"concentration|moisture|humidity|accuracy|stake|probability|bid|offer|tender)\b",
    _I,
)
_PRIOR_LEFT_RE = re.compile(
    r"\b(?:from|up\s+from|down\s+from|against|compared\s+(?:with|to)|versus|vs\.?|than|previously|"
    r"previous|earlier|before)\s+$",
    _I,
)
_SHARE_LEFT_RE = re.compile(
    r"(?P<share>(?:\b(?:market|global|world|worldwide|domestic|overall|combined|national|export|import|"
    r"production|output|supply|mining|refining|sales)\s+)*share\b(?!s|\s+(?:price|capital|of\s+voting)))"
    r"(?P<gap>[^;]{0,120})$",
    _I,
)
_LINK_END_RE = re.compile(
    r"\b(?:of|at|to|is|was|are|were|be|been|being|reached|reaches|reach|hit|hits|totall?ed|totals|"
    r"totall?ing|amounted\s+to|amounts\s+to|amounting\s+to|stood\s+at|stands\s+at|standing\s+at|"
    r"remained\s+at|remains\s+at|remain\s+at|remained|remains|equals|equalled|equaled|estimated\s+at|"
    r"put\s+at|seen\s+at|of\s+some|now|than|around|about|roughly)\s*$|[:=]\s*$",
    _I,
)
_SHARE_RIGHT_RE = re.compile(
    r"^\s?-?\s?(?P<adj>(?:(?:global|world|worldwide|domestic|overall|national|local|combined|total|"
    r"[A-Z][\w.-]*)\s+)*)(?P<market>market\s+)?share\b(?!s|holder|\s+(?:price|capital|issue))"
    r"(?P<rest>\s+(?:of|in)\s+(?P<whole>[^,;.]{1,120}))?",
)
_MONOPOLY_LEFT_RE = re.compile(
    r"\b(?:holds?|held|holding|has|had|have|having|enjoys?|enjoyed|enjoying|maintains?|maintained|"
    r"retains?|retained|wields?|wielded|exercises?|with|established|built|created|controls?|"
    r"gained|secured)\s+(?:\w+\s+)?$|(?:'s|’s)\s+$|\bits\s+$",
    _I,
)
_NEGATION_RE = re.compile(r"\b(?:not|never|no\s+longer|neither|nor|hardly)\b|n['’]t\b", _I)
_YEAR_RE = re.compile(r"(?<![\d,.$€£])(?:19[5-9]\d|20[0-4]\d)(?![\d,]|\s*(?:%|per\s*cent|percent|pct))")
_ATTR_LEAD_RE = re.compile(
    r"\b(?:according\s+to|citing|cited\s+by|data\s+(?:from|by)|figures\s+(?:from|by)|estimates\s+(?:from|by)|"
    r"(?:a\s+)?report\s+(?:from|by)|research\s+(?:from|by)|analysis\s+(?:from|by)|calculations\s+(?:from|by)|"
    r"source:)\s+(?P<src>[^,;:()]{2,100})",
    _I,
)
_ATTR_TRIM_RE = re.compile(
    r"^(?:the\s+|data\s+(?:from|by)\s+(?:the\s+)?|figures\s+(?:from|by)\s+(?:the\s+)?|estimates\s+(?:from|by)\s+"
    r"(?:the\s+)?|a\s+(?:new\s+|recent\s+)?report\s+(?:from|by)\s+(?:the\s+)?)+|"
    r"(?:\s+(?:estimates?|data|figures|calculations|statistics|report|reports|analysis|research|said|says|"
    r"showed|shows|show))+\.?\s*$|\s+(?:on|in|last|this|published|released)\b.*$",
    _I,
)
_ATTR_SAID_RE = re.compile(
    r"\b(?:said|says|estimated|estimates|reported|reports|calculated|calculates|data\s+show(?:s|ed)?|"
    r"figures\s+show(?:s|ed)?)\b",
    _I,
)
_SPEAKER_AFTER_RE = re.compile(
    r"\s*(?:officials?|sources?|analysts?|traders?|experts?|economists?|dealers?|spokes\w+|executives?|"
    r"ministers?|diplomats?|authorities|negotiators?|delegates?|lawmakers|legislators)\b",
    _I,
)
_PRONOUN_RE = re.compile(
    r"\b(?:it|its|they|their|the\s+(?:country|nation|company|firm|group|kingdom|state|republic|bloc|miner|"
    r"producer|region|island|continent|cartel|organi[sz]ation|carmaker|automaker|giant|mining\s+giant|"
    r"emirate|government))\b(?!\s+(?:is|was)\s+(?:expected|likely|estimated|thought|believed))",
    _I,
)
_GROUP_HEAD = (
    r"(?:producers|producing\s+(?:countries|nations)|miners|mining\s+companies|companies|firms|refiners|"
    r"smelters|suppliers|exporters|importers|manufacturers|makers|carmakers|automakers|chipmakers|"
    r"steelmakers|processors|members|member\s+(?:states|countries)|countries|nations|states|mills|"
    r"operators|growers|farmers|traders|utilities|allies|partners|rivals|competitors|brands|chains|retailers|"
    r"banks|carriers|airlines|groups|players|vendors|brewers|breweries|shipbuilders|shipyards|"
    r"stockbrokers|brokers|insurers|lenders|shipowners|refineries|oil\s+majors|majors)"
)
_GROUP_LOWER = (
    r"(?:(?:rare[\s-]earths?|steel|oil|gas|coal|copper|lithium|cobalt|nickel|graphite|solar|battery|chip|"
    r"car|auto|mining|state-owned|state|big|major|large|small|private|independent|domestic|leading|top|"
    r"other|non-\w+|member|producing|exporting|western|eastern|gulf)\s+){0,2}"
)
_GROUP_RE = re.compile(
    rf"(?P<g>(?:(?:the\s+)?(?:\w+\s+)?(?:top|largest|biggest|leading|main|major)\s+(?:\w+\s+){{0,2}}"
    rf"|(?<![\w'’-])(?:[A-Z][\w.+&'’-]*\s+){{1,3}}{_GROUP_LOWER}){_GROUP_HEAD})\b"
)
_NAME_RE = re.compile(
    r"(?<![\w'’.-])(?:[A-Z][\w&'’.-]*|\d+[A-Z][\w-]*)(?:\s+(?:(?:of|de|du|des|la|le|van|von|&)\s+)?"
    r"(?:[A-Z][\w&'’.-]*))*"
)
_NAME_STOP = frozenset(
    """the a an it its this that these those in on at for from with by about according after before but and
    or however meanwhile while although though as if when since last next some most more less nearly
    almost over under around roughly only just also yet still there here we they he she i you our their
    his her my your all both each every many much such other another than then now today yesterday
    already even global world total exports imports sales production output demand supply prices shares
    analysts officials experts reports mr mrs ms dr prof sir president minister chairman ceo chief
    spokesman spokeswoman spokesperson ambassador secretary vice premier foreign deputy senior general
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec reuters
    reuter eur usd mn bn mln bln dlrs pct per cent percent q1 q2 q3 q4 h1 h2 new rare however under
    between among despite during including without within so because what which who whose where why how
    one two three four five six seven eight nine ten half chinese american european indian russian
    japanese western eastern northern southern exchange market share group company nevertheless
    moreover furthermore previously currently separately additionally overall instead similarly likewise
    consequently therefore thus hence again recently later finally first second third fourth firstly
    secondly thirdly lastly notably meanwhile elsewhere domestically globally traditionally typically
    historically together combined altogether based""".split()
)
_GROUP_FIRST_OK = frozenset(
    "chinese american european indian russian japanese western eastern northern southern global world".split()
)
_TITLE_RE = re.compile(
    r"^(?:mr|mrs|ms|dr|prof|sir|president|minister|chairman|ceo|spokesman|spokeswoman|spokesperson|"
    r"ambassador|secretary|premier|senator|governor)\b\.?",
    _I,
)


@dataclass(frozen=True)
class Holder:
    """A possible holder in a sentence: display name, gazetteer id ("" if unknown) and span."""

    name: str
    id: str
    start: int
    end: int
    kind: str  # mention | group | name | pronoun
    actor_type: str = ""


@dataclass
class Claim:
    """One market-share claim in a sentence (offsets into the sentence)."""

    holder: str
    holder_id: str
    share: float | None
    share_low: float | None
    share_high: float | None
    qualifier: str
    metric: str
    commodity: str
    scope: str
    year: str
    attribution: str
    negated: bool
    start: int
    end: int
    phrase: str = ""
    holder_span: tuple[int, int] = field(default=(-1, -1), repr=False)


# --------------------------------------------------------------------------- helpers


def _word_before(text: str, pos: int) -> str:
    m = re.search(r"([\w'’]+)\W*$", text[:pos])
    return m.group(1).lower() if m else ""


def _prep_before(text: str, start: int) -> bool:
    """True when the name at ``start`` follows a preposition (skipping the/a/an and 's-owners)."""
    before = text[:start]
    before = re.sub(r"(?:\b(?:the|a|an)\s+)+$", "", before, flags=_I)
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


def _regions(text: str) -> list[tuple[int, int]]:
    """Spans of parenthesised asides and comma-delimited relative/appositive clauses."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text)]
    spans += [
        (m.start(), m.end())
        for m in re.finditer(
            r",\s*(?:which|who|whose|whom|where|(?:controlled|owned|based|headquartered|run|led|backed|"
            r"operated|part|formerly|known|president|chairman|chief|head|director|minister|spokes\w+|secretary|"
            r"governor|analyst|economist)\b|(?:a|an)\s+(?:unit|division|subsidiary|part|member)\b)[^,;]*(?:,|$)",
            text, _I)
    ]
    return spans


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
    from .topics import load_topics

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
    and or does did do not will would could may might should can must
""".split())


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
    mention_list = [m for m in mentions if str(m.get("actor_type", "")) != "person"]
    for g in _GROUP_RE.finditer(sentence):
        s, e = g.start("g"), g.end("g")
        located = re.match(r"\s+(?:based\s+)?in\s+(?:the\s+)?", sentence[e:], _I)
        if located:  # "Battery makers in South Korea": the group of that country (its id)
            place = next((m for m in mention_list if int(m["start"]) == e + located.end()
                          and str(m.get("actor_type", "")) in ("country", "bloc")), None)
            if place is not None:
                e = int(place["end"])
        surface = re.sub(r"^the\s+", "", sentence[s:e], flags=_I)
        s = e - len(surface)
        first = surface.split()[0].lower() if surface.split() else ""
        inner = [m for m in mention_list if s <= int(m["start"]) and int(m["end"]) <= e]
        if first in _NAME_STOP and first not in _GROUP_FIRST_OK and not inner and not re.search(
            r"\b(?:top|largest|biggest|leading|main|major)\b", surface, _I
        ):
            continue  # "In producers", "The companies": not a named group
        hid = str(inner[0].get("actor_id", "")) if inner else ""
        out.append(Holder(surface, hid, s, e, "group", "group"))
        taken.append((s, e))
    for m in mention_list:
        s, e = int(m["start"]), int(m["end"])
        if s < 0 or e > len(sentence) or _overlaps((s, e), taken):
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
        while words and words[0].lower().rstrip(".") in _NAME_STOP and not re.fullmatch(r"[A-Z]\.", words[0]):
            s += len(words[0])
            s += len(sentence[s:]) - len(sentence[s:].lstrip())
            words = words[1:]
        cut = [i for i, w in enumerate(words) if re.match(r"[A-Z][\w.]*-[a-z]", w)]
        if cut:  # "Kuala Lumpur-based ATPC" -> "ATPC"; "Seven-month" -> nothing
            words = words[cut[-1] + 1:]
            if not words:
                continue
            s = sentence.index(words[0], s)
        if (
            len(words) == 1 and s == len(sentence) - len(sentence.lstrip())
            and re.fullmatch(r"[A-Z][a-z]+(?:ed|ing)", words[0]) and re.match(r"\s+[a-z]", sentence[e:])
            and (lookup is None or _safe_lookup(lookup, words[0]) is None)
        ):
            continue  # "Imported cars", "Existing policy": a sentence-initial adjective
        if (
            len(words) == 1 and s == len(sentence) - len(sentence.lstrip())
            and not re.search(r"['’]s?$", sentence[s:e])  # "China's share ...": a possessive name
            and (m_next := re.match(r"\s+([a-z][\w-]*)", sentence[e:])) is not None
            and m_next.group(1) not in _HOLDER_VERBS
            and (lookup is None or _safe_lookup(lookup, words[0]) is None)
        ):
            continue  # "Car sales in China account for ...": a sentence-initial common noun, not a name
        surface = re.sub(r"(?:['’]s?|(?<![A-Z]\.[A-Z])\.)$", "", sentence[s:e])
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
    m = _ATTR_LEAD_RE.search(sentence)
    if m:
        s, e = m.start("src"), m.end("src")
        inside = [h for h in named if s <= h.start < e and h.kind != "pronoun"]
        if inside:
            first = min(inside, key=lambda h: h.start)
            return first.name, (m.start(), e)
        src = _ATTR_TRIM_RE.sub("", m.group("src").strip()).strip()
        src = " ".join(src.split()[:6])
        return src, (m.start(), e)
    for said in _ATTR_SAID_RE.finditer(sentence):
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


def _whole(right: str) -> str:
    m = re.match(r"\s*of\s+", right, _I)
    if not m:
        return ""
    rest = right[m.end():]
    if re.match(r"(?:which|whom|them|it|these|those|this|that|whose)\b", rest, _I):
        return ""
    stop = _WHOLE_STOP_RE.search(rest)
    rest = rest[: stop.start()] if stop else rest
    verb_and = re.search(r"\s(?:and|or)\s+(?:\w+\s+){0,3}?(?:rose|fell|rises|falls|grew|increased|decreased|declined|"
                         r"jumped|dropped|climbed|is|are|was|were|has|have|had|will|would|accounted|accounts|"
                         r"controls?|holds?|produces?|owns?|exports?\s+to)\b", rest, _I)
    rest = rest[: verb_and.start()] if verb_and else rest
    return " ".join(rest.split()[:14])


def classify_whole(whole: str, *, has_topic: bool = False) -> str:
    """What an "of ..." phrase after a share is a share of.

    Returns ``market`` (a whole others share: a claim), ``own_total`` (the make-up of one's own
    total), ``ownership``, ``poll`` or ``none``.

    Example:
        >>> [classify_whole(w) for w in ("global mined production", "its revenue", "XYZ Corp", "respondents")]
        ['market', 'own_total', 'ownership', 'poll']
    """
    w = whole.strip()
    if not w:
        return "none"
    if _POLL_RE.search(w):
        return "poll"
    if _POSSESSIVE_PRONOUN_RE.match(w):
        own_market = re.match(r"(?:all\s+of\s+)?(?:its|their)\s+(?:own\s+)?(?:domestic|home|local)\s+market\b", w, _I)
        return "market" if own_market else "own_total"
    if _OWN_TOTAL_RE.search(w):
        return "own_total"
    if _COMPANY_SALES_RE.search(w) and not _GLOBAL_RE.search(w):
        return "own_total"
    if _OWNERSHIP_RE.search(w) and not re.search(r"\bmarkets?\b", w, _I):
        return "ownership"
    if _MARKET_NOUN_RE.search(w) or has_topic or re.search(
        r"\b(?:global|world(?:'s|’s)?)\s+total\b|\bthe\s+world(?:'s|’s)\s+\w+", w, _I
    ):
        return "market"
    if re.match(r"(?:the\s+)?[A-Z]", w):
        return "ownership"  # "20 pct of XYZ" / "13.6 % of Lewa": a named company, no market word
    return "none"


def metric_of(*texts: str) -> str:
    """The metric named in the given texts (whole phrase first), or ``other``.

    Example:
        >>> metric_of("global mined rare earth production"), metric_of("the global output")
        ('mining', 'output')
    """
    for text in texts:
        if not text:
            continue
        for metric, rx in _METRIC_RES.items():
            if rx.search(text):
                return metric
    return "other"


def _verb_metric(text: str) -> str:
    for metric, rx in _VERB_METRIC:
        if rx.search(text):
            return metric
    return ""


def _scope(whole: str, whole_span: tuple[int, int], sentence: str, holders: Sequence[Holder],
           holder: Holder | None = None) -> str:
    if _GLOBAL_RE.search(whole):
        return "global"
    inside = [h for h in holders if whole_span[0] <= h.start < whole_span[1] and h.kind in ("mention", "name")
              and h.actor_type in ("country", "bloc", "") and (holder is None or h.start >= holder.end)]
    if inside:
        return inside[0].name
    if re.search(r"\b(?:domestic|home)\s+market\b", whole, _I):
        return "domestic"
    return ""


def _clause_left(left: str) -> str:
    cut = max(left.rfind(";"), left.rfind(":"))
    return left[cut + 1:] if cut >= 0 else left


#: An aim, not a state: "aims to raise its share to 70 percent", "plans to supply a third of ...".
_TARGET_LEFT_RE = re.compile(
    r"\b(?:aims?|aiming|aimed|plans?|planning|planned|targets?|targeting|wants?|wanted|seeks?|seeking|sought|"
    r"hopes?|hoping|hoped|intends?|intending|strives?|striving|bids?|vows?|vowed|pledged?|pledges)\s+to\b"
    r"|\b(?:goal|aim|ambition|target|bid|plan|push)\s+(?:of|to)\b",
    _I,
)


#: A condition, not a state: "which would reduce Brazil's share to 28.8 pct", "could regain about half".
_HYPOTHETICAL_LEFT_RE = re.compile(r"\b(?:would|could|might)\s+(?:\S+\s+){0,4}$", _I)


def _is_nonclaim_context(sentence: str, q: Quantity) -> str:
    """Why a quantity is not a share claim by its immediate context ("" if it may be one)."""
    left = sentence[: q.start]
    right = sentence[q.end:]
    if q.kind == "percent" or q.kind == "fraction":
        if _CHANGE_LEFT_RE.search(left):
            return "change"
        if _PRIOR_LEFT_RE.search(left):
            return "prior value"
        if _CHANGE_RIGHT_RE.match(right):
            return "change or rate"
        if re.match(r"\s*(?:percentage\s+)?points?\b", right, _I):
            return "points"
        clause = re.split(r"[,;:()]|\b(?:and|but|while|whereas)\b", left)[-1]
        window = " ".join(clause.split()[-6:])
        if _RATE_LEFT_RE.search(window) and not re.search(r"\bshare\b", window, _I):
            return "rate"
        if _TARGET_LEFT_RE.search(clause):
            return "target"
        if _HYPOTHETICAL_LEFT_RE.search(clause):
            return "hypothetical"
    return ""


# --------------------------------------------------------------------------- claim finder


def find_claims(
    sentence: str,
    *,
    mentions: Sequence[Mapping[str, Any]] = (),
    previous_holder: Holder | Callable[[], Holder | None] | None = None,
    previous_topic: str = "",
    topics: Any = None,
    lookup: Callable[[str], Any] | None = None,
    quantities: Sequence[Quantity] | None = None,
) -> list[Claim]:
    """The market-share claims in one sentence.

    Args:
        sentence: the sentence text (any string; never raises on odd input).
        mentions: actor mention dicts with offsets into ``sentence`` (see :func:`holder_candidates`).
        previous_holder: the most recent holder in the article's earlier sentences ("It accounts ..."),
            or a function giving it (called only when a pronoun needs it).
        previous_topic: the commodity named in the previous sentence(s), used if this one names none.
        topics: a :class:`supplywatch.topics.Topics` (default: ``data/topics.yaml``).
        lookup: ``Gazetteer.lookup`` for names the mentions missed.
        quantities: the sentence's :func:`find_quantities`, when the caller has them already.

    Returns:
        the claims, in sentence order; ``sentence[c.start:c.end] == c.phrase``.

    Example:
        >>> c = find_claims("OPEC members supply about a third of world oil.")[0]
        >>> (c.holder, c.share, c.qualifier, c.scope, c.commodity)
        ('OPEC members', 33.3, 'about', 'global', 'crude oil')
    """
    quantities = find_quantities(sentence) if quantities is None else quantities
    if not quantities:
        return []
    topics = topics if topics is not None else _default_topics()
    topic_matches = topics.find(sentence)
    topic_spans = [(t.start, t.end) for t in topic_matches]
    candidates = holder_candidates(sentence, mentions, topic_spans=topic_spans, lookup=lookup)
    person_mentions = [m for m in mentions if str(m.get("actor_type", "")) == "person"]
    attribution, attr_span = find_attribution(sentence, candidates, person_mentions)
    regions = _regions(sentence)
    claims: list[Claim] = []
    prev_claim: Claim | None = None
    prev_q: Quantity | None = None
    for q in quantities:
        claim = _claim_for(
            sentence, q, candidates=candidates, attr_span=attr_span, regions=regions, topic_matches=topic_matches,
            prev_claim=prev_claim, prev_q=prev_q, previous_holder=previous_holder, previous_topic=previous_topic,
        )
        prev_q = q
        if claim is not None:
            claim.attribution = attribution
            claims.append(claim)
            prev_claim = claim
    return claims


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
        if _prep_before(sentence, h.start):
            return False
        if h.kind != "pronoun" and _possessive_modifier(sentence, h.end):
            return False
        if _SPEAKER_AFTER_RE.match(sentence[h.end:]):
            return False  # "U.S. officials say ...": the speakers' country, not the holder
        return True

    left = [h for h in candidates if eligible(h)]
    holding_region = [r for r in regions if r[0] <= q.start and q.end <= r[1]]
    if holding_region:
        r0 = min(r[0] for r in holding_region)
        inside = [h for h in candidates if h.start >= r0 and h.end <= q.start and h.kind != "pronoun"
                  and not (attr_span and attr_span[0] <= h.start < attr_span[1])]
        if not inside:
            # "Comibol, which produces 80 pct ...": the antecedent right before the clause, or nobody
            if not re.match(r",\s*(?:which|who|that)\b", sentence[r0:], _I):
                return None  # "Brazil, where commodities account for 50 pct of exports": no holder
            before = [h for h in candidates if h.kind != "pronoun" and 0 <= r0 - h.end <= 2]
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
        ]
        if earlier:
            return earlier[-1]
        return previous_holder() if callable(previous_holder) else previous_holder
    # passive: "70 per cent of the world's cobalt comes from Congo"
    for h in candidates:
        if h.start >= q.end and h.kind != "pronoun":
            between = sentence[q.end:h.start]
            if re.search(r"\b(?:comes?|came|coming|is|are|was|were|originat\w*|sourced|mined|produced|refined|"
                         r"processed|made|located|found|held|controlled)\b[^;]*\b(?:from|in|by)\s+(?:the\s+)?$",
                         between, _I) and ";" not in between:
                return h
            break
    return None


def _coordinated(sentence: str, pick: Holder, candidates: Sequence[Holder]) -> Holder:
    """"Indigo and Somoncom had ..." / "Elisa 's and DNA 's joint share": both holders, as one."""
    for h in candidates:
        if h.end <= pick.start and h.kind != "pronoun" and re.fullmatch(
            r"(?:\s?['’]s?)?\s+(?:and|&)\s+", sentence[h.end: pick.start]
        ):
            ids = "+".join(x.id for x in (h, pick)) if h.id and pick.id else ""
            return Holder(f"{h.name} and {pick.name}", ids, h.start, pick.end, "group", "group")
    return pick


def _claim_for(
    sentence: str, q: Quantity, *, candidates: Sequence[Holder], attr_span: tuple[int, int] | None,
    regions: list[tuple[int, int]], topic_matches: Sequence[Any], prev_claim: Claim | None,
    prev_q: Quantity | None, previous_holder: Holder | Callable[[], Holder | None] | None, previous_topic: str,
) -> Claim | None:
    if _is_nonclaim_context(sentence, q):
        return None
    left, right = sentence[: q.start], sentence[q.end:]
    whole = _whole(right)
    if not whole and q.kind == "fraction" and re.search(r"\b(?:out\s+of|in)\b", q.text, _I):
        whole = _whole(" of " + right)  # "nine out of ten magnets sold worldwide"
    whole_start = q.end + (right.find(whole) if whole else 0)
    whole_span = (whole_start, whole_start + len(whole))
    whole_topics = [
        t for t in topic_matches if whole_span[0] <= t.start < whole_span[1]
        and not (t.surface[:1].isupper() and sentence[:t.start].strip())
        and re.match(
            r"\s*(?:$|[,;]|(?:of|in|from|used|mined|produced|refined|exported|imported|sold|consumed|market|"
            + "|".join(METRIC_WORDS.values()) + r")\b)", sentence[t.end: whole_span[1]], _I)
    ]
    kind = classify_whole(whole, has_topic=bool(whole_topics))
    if kind == "own_total":
        # "Japan imports 60 % of its rare earths from China": China's share of Japan's imports
        return _supplier_claim(sentence, q, whole_span, candidates=candidates, topic_matches=topic_matches,
                               previous_topic=previous_topic, attr_span=attr_span, regions=regions,
                               previous_holder=previous_holder)
    if kind in ("ownership", "poll"):
        return None
    signal = ""
    metric_text = ""
    forced_holder: Holder | None = None
    if kind == "market":
        signal = "whole"
        metric_text = whole
    share_right = _SHARE_RIGHT_RE.match(right)
    if not signal and share_right and q.kind in ("percent", "fraction"):
        sub = share_right.group("whole") or ""
        sub_kind = classify_whole(_whole(" of " + sub)) if sub else "none"
        if share_right.group("market") or sub_kind == "market" or re.search(r"\bmarket\b", share_right.group("adj") or "", _I):
            if sub_kind not in ("own_total", "ownership", "poll"):
                signal = "share"
                metric_text = sub if sub_kind == "market" else "market"
                whole = sub
                whole_start = q.end + share_right.start("whole") if sub else q.end
                whole_span = (whole_start, whole_start + len(sub))
    if not signal and q.kind in ("percent", "fraction"):
        clause = _clause_left(left)
        if prev_q is not None and prev_q.end > len(left) - len(clause) and not (
            _is_nonclaim_context(sentence, prev_q) in ("change", "change or rate", "prior value")
        ):
            clause = left[prev_q.end:]
        sm = _SHARE_LEFT_RE.search(clause)
        if sm and _LINK_END_RE.search(left):
            gap = sm.group("gap")
            sub = _whole(gap)
            sub_kind = classify_whole(sub) if sub else "none"
            is_market_share = bool(re.search(r"\bmarket\b", sm.group("share"), _I))
            gap_start = len(left) - len(clause) + sm.start("gap")
            share_of = re.match(r"\s+of\s+(?:the\s+)?", gap, _I)
            first = [h for h in candidates if share_of and h.start == gap_start + share_of.end() and h.kind != "pronoun"]
            share_abs = len(left) - len(clause) + sm.start("share")
            owner_before = re.search(r"(?:['’]s?|\bits|\btheir)\s+(?:\w+\s+){0,2}$", left[:share_abs], _I)
            if is_market_share and first and not owner_before:
                # "the market share of Tallink ... totalled 55 percent": holder right after "share of"
                forced_holder = first[0]
                sub_kind = "market"
            if sub_kind in ("own_total", "ownership", "poll"):
                return None
            # "with a share of 85 per cent in magnet production": the whole follows the figure
            right_whole = "" if sub else _whole(re.sub(r"^\s*(?:in|of)\s+", " of ", right, count=1, flags=_I))
            right_market = bool(right_whole) and re.match(r"\s*(?:in|of)\s", right, _I) is not None \
                and classify_whole(right_whole) == "market"
            if is_market_share or sub_kind == "market" or right_market or re.search(
                    r"(?:'s|’s|\bits|\btheir)\s+(?:\w+\s+)?$", left[: len(left) - len(clause) + sm.start()], _I):
                signal = "share"
                metric_text = sub or right_whole or sm.group("share")
                whole = sub or right_whole
                sub_off = gap.find(sub) if sub else 0
                whole_span = (gap_start + sub_off, gap_start + sub_off + len(sub))
                if forced_holder is not None:
                    metric_text = "market " + sub[forced_holder.end - whole_span[0]:] if sub else "market"
    if not signal and q.kind == "monopoly":
        if _MONOPOLY_LEFT_RE.search(left) or re.match(r"\s+(?:on|over|of|in)\b", right, _I):
            signal = "monopoly"
            mono_whole = _whole(re.sub(r"^\s*(?:on|over)\s+", " of ", right))
            metric_text = mono_whole
    if not signal and prev_claim is not None and prev_q is not None and q.kind == "percent" and not whole:
        between = sentence[prev_q.end: q.start]
        if not re.search(r"\d", between) and len(between.split()) <= 16 and ";" not in between[:-2]:
            inner = [h for h in candidates if prev_q.end <= h.start and h.end <= q.start and h.kind != "pronoun"
                     and not _prep_before(sentence, h.start)]
            if inner:
                signal = "list"
                forced_holder = inner[-1]
    if not signal:
        return None
    holder = forced_holder or _resolve_holder(
        sentence, q, candidates, attr_span=attr_span, regions=regions, previous_holder=previous_holder
    )
    if holder is None or not holder.name:
        return None
    between_holder = sentence[holder.end: q.start] if holder.end <= q.start else ""
    if signal == "list" and prev_claim is not None:
        # "Congo mines 70 % of the world's cobalt, while China refines about 75 %": a verb of its own wins
        metric = _verb_metric(between_holder) or prev_claim.metric
        commodity, scope = prev_claim.commodity, prev_claim.scope
    else:
        metric = metric_of(metric_text)
        if metric == "other":
            metric = _verb_metric(between_holder) or metric_of(between_holder)
        if metric == "other" and holder.start >= q.end:  # "80 % of the world's cobalt is refined in China"
            metric = _verb_metric(sentence[q.end: holder.start]) or "other"
        if metric == "other" and signal in ("share", "monopoly"):
            metric = "market"
        scope = _scope(whole, whole_span, sentence, candidates, forced_holder)
        if not scope and signal == "share" and share_right:
            adj = share_right.group("adj") or ""
            scope = "global" if _GLOBAL_RE.search(adj) else scope
        if not scope and signal == "share":
            after = re.match(r"\s*(?:market\s+share\s+)?in\s+(?:the\s+)?", right[share_right.end():] if share_right else right, _I)
            if after:
                pos = q.end + (share_right.end() if share_right else 0) + after.end()
                here = [h for h in candidates if h.start == pos and h.kind in ("mention", "name")]
                scope = here[0].name if here else ""
        if not scope and _GLOBAL_RE.search(between_holder + " " + sentence[q.end: q.end + 40]) and signal == "share":
            scope = "global"
        commodity = _commodity(q, whole_span, topic_matches, previous_topic)
    year = _year(sentence, q)
    negated = bool(_NEGATION_RE.search(between_holder))
    return Claim(
        holder=holder.name, holder_id=holder.id, share=q.value, share_low=q.low, share_high=q.high,
        qualifier=q.qualifier, metric=metric, commodity=commodity, scope=scope, year=year, attribution="",
        negated=negated, start=q.start, end=q.end, phrase=q.text, holder_span=(holder.start, holder.end),
    )


#: Verbs that take a share of one's own supply from a supplier: "imports 80 % of its ... from China".
_TAKES_FROM_RE = re.compile(
    r"\b(?:imports?|imported|importing|sources?|sourced|sourcing|buy|buys|bought|buying|get|gets|got|getting|receives?|"
    r"received|receiving|purchases?|purchased|purchasing|obtains?|obtained|obtaining|procures?|procured|"
    r"procuring)\s+$", _I)
#: "relies on China for 70 % of its ...", "is dependent on China for ...".
_RELIES_ON_RE = re.compile(
    r"\b(?:rel(?:y|ies|ied|ying)|depend(?:s|ed|ing)?|dependent|reliant)\s+(?:\w+\s+)?(?:up)?on\s+(?:the\s+)?$", _I)


def _supplier_claim(sentence: str, q: Quantity, whole_span: tuple[int, int], *, candidates: Sequence[Holder],
                    topic_matches: Sequence[Any], previous_topic: str, attr_span: tuple[int, int] | None,
                    regions: list[tuple[int, int]],
                    previous_holder: Holder | Callable[[], Holder | None] | None) -> Claim | None:
    """A supplier's share of an importer's own supply, or None.

    "Japan imports about 60 % of its rare earths from China" and "The US relies on China for 70 %
    of its rare earth imports" claim that China supplies that share of Japan's (the US's) imports:
    holder China, metric ``imports``, scope the importer. Any other "N % of its ..." is the make-up
    of the subject's own total, not a claim.
    """
    left = sentence[: q.start]

    def supplier(h: Holder) -> bool:
        return h.kind in ("mention", "name", "group") and h.actor_type not in ("person", "media", "agency")

    holder: Holder | None = None
    # "relies on China for 70 % ...": the name right before "for", after "relies on"
    named = next((h for h in reversed(candidates) if h.end <= q.start and re.fullmatch(r"\s+for\s+", left[h.end:])), None)
    if named is not None and _RELIES_ON_RE.search(left[: named.start]):
        holder = named if supplier(named) else None
    elif _TAKES_FROM_RE.search(left):
        # "from" in the same phrase: "..., mostly from the Middle East" names where most of it comes from
        after = re.match(r"[^,;:!?()]*?\bfrom\s+(?:the\s+)?", sentence[q.end:], _I)
        if after is not None:
            at = q.end + after.end()
            holder = next((h for h in candidates if h.start == at and supplier(h)), None)
    if holder is None:
        return None
    whole = sentence[whole_span[0]: whole_span[1]]
    supplies = [t for t in topic_matches if whole_span[0] <= t.start < max(whole_span[1], whole_span[0] + 1)]
    if not supplies and not re.search(r"\b(?:imports?|supplies|supply|needs|requirements|purchases)\b", whole, _I):
        return None  # "gets 40 % of its revenue from China": a market for its sales, not a supplier
    importer = _resolve_holder(sentence, q, [h for h in candidates if h is not holder], attr_span=attr_span,
                               regions=regions, previous_holder=previous_holder)
    return Claim(
        holder=holder.name, holder_id=holder.id, share=q.value, share_low=q.low, share_high=q.high,
        qualifier=q.qualifier, metric="imports",
        commodity=_commodity(q, whole_span, topic_matches, previous_topic),
        scope=importer.name if importer is not None and importer.kind != "pronoun" else "",
        year=_year(sentence, q), attribution="", negated=bool(_NEGATION_RE.search(left)),
        start=q.start, end=q.end, phrase=q.text, holder_span=(holder.start, holder.end),
    )


def _commodity(q: Quantity, whole_span: tuple[int, int], topic_matches: Sequence[Any], previous_topic: str) -> str:
    inside = [t for t in topic_matches if whole_span[0] <= t.start < max(whole_span[1], whole_span[0] + 1)]
    if inside:
        return inside[0].topic.name
    if topic_matches:
        nearest = min(topic_matches, key=lambda t: min(abs(t.start - q.end), abs(q.start - t.end)))
        return nearest.topic.name
    return previous_topic


def _year(sentence: str, q: Quantity) -> str:
    years = list(_YEAR_RE.finditer(sentence))
    if not years:
        return ""
    best = min(years, key=lambda m: min(abs(m.start() - q.end), abs(q.start - m.end())))
    return best.group()


# --------------------------------------------------------------------------- pipeline extractor


def _sentence_mentions(mentions: SpanIndex | Sequence[Mapping[str, Any]], start: int, end: int) -> list[dict]:
    """The mentions inside ``[start, end)`` with offsets made relative to ``start``."""
    index = mentions if isinstance(mentions, SpanIndex) else SpanIndex(mentions)
    return [{**m, "start": int(m["start"]) - start, "end": int(m["end"]) - start} for m in index.within(start, end)]


def _subject(candidates: Sequence[Holder], sentence: str) -> Holder | None:
    for h in candidates:
        if h.kind in ("mention", "group", "name") and h.actor_type not in ("person", "media", "agency") \
                and not _prep_before(sentence, h.start):
            return h
    return None


def claims_for_document(
    doc_id: str,
    text: str,
    sentences: Sequence[Any],
    *,
    mentions: Sequence[Mapping[str, Any]] = (),
    topics: Any = None,
    lookup: Callable[[str], Any] | None = None,
    doc_year: str = "",
) -> list[dict]:
    """claims.csv rows for one article (reference columns included), sorted by sentence and offset.

    Args:
        doc_id: the article id.
        text: the article text (mention offsets are into it).
        sentences: :class:`supplywatch.text.Sentence` objects of the text.
        mentions: the article's mention rows (offsets into ``text``).
        topics: the topic lexicon (default ``data/topics.yaml``).
        lookup: ``Gazetteer.lookup`` for capitalised names.
        doc_year: the article's year, for matching a claim without a stated year to a reference figure.
    """
    from .reference import match_reference

    topics = topics if topics is not None else _default_topics()
    rows: list[dict] = []
    # Most sentences hold no share phrase: topics, mentions and subjects are computed lazily, only
    # for sentences with a quantity and the sentences a pronoun or a commodity may refer back to.
    quantities = [find_quantities(sent.text) for sent in sentences]
    mention_index = SpanIndex(mentions)
    topic_memo: dict[int, list] = {}
    mention_memo: dict[int, list[dict]] = {}
    claims_at: dict[int, list[Claim]] = {}

    def topics_of(i: int) -> list:
        if i not in topic_memo:
            topic_memo[i] = topics.find(sentences[i].text)
        return topic_memo[i]

    def mentions_of(i: int) -> list[dict]:
        if i not in mention_memo:
            mention_memo[i] = _sentence_mentions(mention_index, sentences[i].start, sentences[i].end)
        return mention_memo[i]

    def previous_holder(i: int) -> Holder | None:
        """The holder a pronoun in sentence i refers to: the last claim's holder or the latest subject."""
        for j in range(i - 1, -1, -1):
            if claims_at.get(j):
                last = claims_at[j][-1]
                return Holder(last.holder, last.holder_id, -1, -1, "mention")
            subj = _subject(holder_candidates(sentences[j].text, mentions_of(j),
                                              topic_spans=[(t.start, t.end) for t in topics_of(j)]),
                            sentences[j].text)
            if subj is not None:
                return subj
        return None

    for i, sent in enumerate(sentences):
        if not quantities[i]:
            continue
        prev_topic = next((found[-1].topic.name for found in (topics_of(j) for j in (i - 1, i - 2) if j >= 0)
                           if found), "")
        claims = find_claims(sent.text, mentions=mentions_of(i), previous_holder=lambda i=i: previous_holder(i),
                             quantities=quantities[i],
                             previous_topic=prev_topic, topics=topics, lookup=lookup)
        claims_at[i] = claims
        for c in claims:
            ref = match_reference(c.holder, c.holder_id, c.commodity, c.metric, c.year or doc_year, c.share,
                                  scope=c.scope)
            rows.append({
                "doc_id": doc_id, "sentence_id": sent.sentence_id, "holder": c.holder, "holder_id": c.holder_id,
                "share": c.share, "share_low": c.share_low, "share_high": c.share_high, "qualifier": c.qualifier,
                "metric": c.metric, "commodity": c.commodity, "scope": c.scope, "year": c.year,
                "attribution": c.attribution, "negated": c.negated, "sentence": sent.text, "start": c.start,
                "end": c.end, **ref,
            })
    rows.sort(key=lambda r: (r["sentence_id"], r["start"], r["end"]))
    return rows


def extract(doc: Any, sentences: Sequence[Any], resources: Any, rows: Mapping[str, list[dict]]) -> dict[str, list[dict]]:
    """Pipeline extractor: the ``claims`` table rows of one article.

    Reads the article's ``mentions`` (from :mod:`supplywatch.actors`, run earlier) and the gazetteer
    in ``resources`` for names the mentions missed.
    """
    lookup = None
    try:
        lookup = resources.gazetteer.lookup
    except Exception:  # no gazetteer available: surface names, empty ids
        lookup = None
    year = (getattr(doc, "date", "") or "")[:4]
    table = claims_for_document(
        doc.doc_id, doc.text, sentences, mentions=rows.get("mentions", []), lookup=lookup,
        doc_year=year if year.isdigit() else "",
    )
    return {"claims": table}


def aggregate_claims(tables: Mapping[str, Any], resources: Any) -> dict[str, Any]:
    """Aggregator: the claims table with its columns in order, sorted (also when empty)."""
    import pandas as pd

    frame = tables.get("claims")
    if frame is None or len(frame) == 0:
        frame = pd.DataFrame(columns=CLAIM_COLUMNS)
    frame = frame[CLAIM_COLUMNS + [c for c in frame.columns if c not in CLAIM_COLUMNS]]
    frame = frame.sort_values(["doc_id", "sentence_id", "start", "end"], kind="stable").reset_index(drop=True)
    return {"claims": frame}
