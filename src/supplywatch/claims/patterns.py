"""The claim vocabulary: table columns, metric words, the regular expressions of claim and non-claim
phrases, and the :class:`Holder` and :class:`Claim` records the extractor produces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from supplywatch.claims.reference import CLAIM_REFERENCE_COLUMNS

#: Columns of claims.csv, in order.
CLAIM_COLUMNS = [
    "doc_id", "sentence_id", "holder", "holder_id", "share", "share_low", "share_high", "qualifier",
    "metric", "commodity", "scope", "year", "time_ref", "attribution", "negated", "part_quantity", "whole_quantity",
    "sentence", "start", "end",
    *CLAIM_REFERENCE_COLUMNS,
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
_METRIC_ALTERNATION = "|".join(METRIC_WORDS.values())
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


def ascii_folded(rx: re.Pattern[str]) -> re.Pattern[str]:
    """``rx`` (compiled with IGNORECASE, no letter in it upper-case) without that flag.

    On lower-cased ASCII text it matches exactly where and as ``rx`` matches on the text itself
    (``str.lower`` keeps ASCII offsets), and runs several times faster: Python's engine skips the
    branches of an alternation by their first character only when the case is fixed.

    Raises:
        ValueError: when ``rx`` is not case-insensitive or names an upper-case letter or a case switch.

    Example:
        >>> ascii_folded(re.compile(r"\\bpct\\b", re.I)).search("5 PCT".lower()) is not None
        True
    """
    letters = re.sub(r"\\.|\(\?P(?:<\w+>|=\w+\))", "", rx.pattern)  # escapes (\s, \b, \W ...), group names
    if not rx.flags & re.IGNORECASE or any(c.isupper() for c in letters) or "(?-" in rx.pattern \
            or re.search(r"\\[xuUN0-9]", rx.pattern):
        raise ValueError(f"not a lower-case case-insensitive pattern: {rx.pattern[:60]!r}")
    return re.compile(rx.pattern, rx.flags & ~re.IGNORECASE)
_PREPOSITIONS = frozenset(
    """of to from in with for by at on into against than about across between among including like as
    onto toward towards via versus vs within without per outside beyond excluding except besides beside behind
    near unlike""".split()
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
    r"holding|outstanding|interests|scheme|schemes)\b"
    r"|\b(?:corp|corporation|inc|ltd|plc|llc|oyj|oy|ab|asa|ag|sa|spa|nv|bv|gmbh|co|holdings)\b\.?",
    _I,
)
#: Wholes that count entities, not a market: "of the world's 500 largest companies".
_COUNTED_RE = re.compile(r"\b(?:\d+|top|largest|biggest|leading)\s+(?:\w+\s+)?(?:companies|firms|corporations|"
                         r"businesses|people|countries|members|cities|universities|banks|brands)\b", _I)
#: Wholes that are a value, not a market: "of the metal's current market value", "of the price".
_VALUE_RE = re.compile(r"\b(?:value|valuation|worth|prices?|cost|capitali[sz]ation)\b", _I)
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
    r"[,;:()\[\]\"“”]|\s[-–—]+\s|\s(?:but|while|whereas|which|who|that|as|after|before|because|since|compared|versus|"
    r"so(?!-)|otherwise|unless|if|when|where|although|though|whereby|"
    r"against|up\s+from|down\s+from|according|said|says|and\s+(?:is|are|was|were|has|have|had|its|their|"
    r"the\s+rest|controls?|accounts?|holds?|produces?|has|have|had|owns?|is|are|was|were|also|a|an|its|their))\b"
    r"|\s(?:over|under|by|through|until|during|within|via|for)\s"
    r"|\s(?:is|are|was|were|will|would|has|have|had|go|goes|went|come|comes|came|can|could|must|should|may|"
    r"might|remains?|remained)\b|\s(?:from|to)\s+(?:about\s+|around\s+)?\d"
    r"|(?-i:(?<![A-Z]))\.(?:\s|$)",
    _I,
)
_CHANGE_LEFT_RE = re.compile(
    r"\b(?:rose|rise[sn]?|rising|fell|fall(?:s|en|ing)?|(?<!make\s)(?<!makes\s)(?<!made\s)(?<!making\s)up|down|increased?|increases|increasing|"
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
    r"previous|earlier|before)\s+(?:(?:a|an|the)\s+)?(?:(?:record|all-time|historic|multi-year|\d+-year)\s+)?"
    r"(?:(?:low|high|peak|level)\s+(?:of\s+)?)?$",
    _I,
)
_SHARE_LEFT_RE = re.compile(
    r"(?P<share>(?:\b(?:market|global|world|worldwide|domestic|overall|combined|national|export|import|"
    r"production|output|supply|mining|refining|sales)\s+)*share\b(?!s|\s+(?:price|capital|of\s+voting|sales?|offers?|"
    r"issues?|buy-?backs?|deals?|index|trading|options?|schemes?|listing|placing|swaps?|holders?|register)))"
    r"(?P<gap>[^;]{0,120})$",
    _I,
)
_LINK_END_RE = re.compile(
    r"\b(?:of|at|to|is|was|are|were|be|been|being|reached|reaches|reach|hit|hits|totall?ed|totals|"
    r"totall?ing|amounted\s+to|amounts\s+to|amounting\s+to|stood\s+at|stands\s+at|standing\s+at|"
    r"remained\s+at|remains\s+at|remain\s+at|remained|remains|equals|equalled|equaled|estimated\s+at|"
    r"put\s+at|seen\s+at|of\s+some|now|than|around|about|roughly)\s*(?:(?:only|just|still|now|currently|already|"
    r"barely|merely)\s+)?[\"“]?\s*$|[:=]\s*$",
    _I,
)
_SHARE_RIGHT_RE = re.compile(
    r"^\s?-?\s?(?P<adj>(?:(?:global|world|worldwide|domestic|overall|national|local|combined|total|"
    r"[A-Z][\w.-]*)\s+)*)(?P<market>market\s+)?share\b(?!s|holder|\s+(?:price|capital|issue))"
    r"(?P<rest>\s+(?:of|in)\s+(?P<whole>(?:[^,;.]|(?<=[A-Z])\.){1,120}))?",
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
    r"ministers?|diplomats?|authorities|negotiators?|delegates?|lawmakers|legislators|study|studies|report|"
    r"reports|survey|surveys|data|figures|statistics|estimates?|research|index|researchers|spokes\w+)\b",
    _I,
)
_PRONOUN_RE = re.compile(
    r"\b(?:it|its|they|their|the\s+(?:country|nation|company|firm|group|kingdom|state|republic|bloc|miner|"
    r"producer|region|island|continent|cartel|organi[sz]ation|carmaker|automaker|giant|mining\s+giant|"
    r"emirate|government))\b(?!(?:\s+(?:is|was)|['’]s)\s+(?:\w+ly\s+)?(?:expected|likely|estimated|thought|believed|agreed|"
    r"understood|reported|said|clear|unclear|possible|feared|hoped|noted|known|true|important|necessary|unlikely))",
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
    rf"(?P<g>(?:(?<![\w'’])(?:the\s+)?(?:\w+\s+)?(?:top|largest|biggest|leading|main|major)\s+(?:\w+\s+){{0,2}}"
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
    historically together combined altogether based nonetheless nonethless whilst ultimately indeed besides
    admittedly interestingly importantly significantly surprisingly unsurprisingly crucially clearly perhaps
    certainly hitherto thereafter accordingly conversely nonetheless notwithstanding overall tv 3d dvd pc pcs
    internet web online mutual christmas easter no nos""".split()
)
_GROUP_FIRST_OK = frozenset(
    "chinese american european indian russian japanese western eastern northern southern global world".split()
)
_TITLE_RE = re.compile(
    r"^(?:mr|mrs|ms|dr|prof|sir|president|minister|chairman|chairwoman|ceo|spokesman|spokeswoman|spokesperson|"
    r"ambassador|secretary|premier|senator|governor|(?:house\s+)?speaker|chancellor|mayor|king|queen|prince|"
    r"congressman|congresswoman|representative|judge|general|admiral|sheikh|emir)\b\.?",
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
    time_ref: str = "current"
    part_quantity: str = ""
    whole_quantity: str = ""


# --------------------------------------------------------------------------- helpers
