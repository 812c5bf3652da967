"""The claim finder: every market-share claim of a sentence and of an article (the ``claims`` table).

See :mod:`supplywatch.claims` for the rule layer. ``start``/``end`` are character offsets **into the
sentence** (``sentence[start:end]`` is the share phrase, hedge included).

Example:
    >>> [(c.holder, c.share, c.metric) for c in find_claims("Chile accounts for 24% of world copper output.")]
    [('Chile', 24.0, 'output')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from supplywatch.claims.holders import (
    _default_topics,
    _prep_before,
    _regions,
    _resolve_holder,
    _sentence_mentions,
    find_attribution,
    holder_candidates,
)
from supplywatch.claims.patterns import (
    CLAIM_COLUMNS,
    Claim,
    Holder,
    METRIC_WORDS,
    _GLOBAL_RE,
    _I,
    _LINK_END_RE,
    _METRIC_ALTERNATION,
    _MONOPOLY_LEFT_RE,
    _NEGATION_RE,
    _SHARE_LEFT_RE,
    _SHARE_RIGHT_RE,
)
from supplywatch.claims.quantities import Quantity, find_quantities
from supplywatch.claims.reference import CLAIM_REFERENCE_COLUMNS
from supplywatch.claims.subjects import _subject
from supplywatch.claims.suppliers import _supplier_claim
from supplywatch.claims.wholes import (
    _PROVIDES_LEFT_RE,
    _ROLE_LEFT_RE,
    _SUPPLY_VERB_LEFT_RE,
    _buyer,
    _clause_left,
    _commodity,
    _is_nonclaim_context,
    _place_before,
    _scope,
    _verb_metric,
    _whole,
    _year,
    classify_whole,
    metric_of,
)
from supplywatch.text.spans import SpanIndex
from supplywatch.claims.forms import list_leader, monopoly_goods, named_goods, supplier_subject, time_ref
from supplywatch.claims.continuations import _derived_claim, _monopoly_claim, _prior_claim, _remainder_claims


def find_claims(
    sentence: str,
    *,
    mentions: Sequence[Mapping[str, Any]] | Callable[[], Sequence[Mapping[str, Any]]] = (),
    previous_holder: Holder | Callable[[], Holder | None] | None = None,
    previous_topic: str | Callable[[], str] = "",
    topics: Any = None,
    lookup: Callable[[str], Any] | None = None,
    quantities: Sequence[Quantity] | None = None,
    topic_matches: Sequence[Any] | Callable[[], Sequence[Any]] | None = None,
) -> list[Claim]:
    """The market-share claims in one sentence.

    Args:
        sentence: the sentence text (any string; never raises on odd input).
        mentions: actor mention dicts with offsets into ``sentence`` (see :func:`holder_candidates`),
            or a function giving them (called only when a figure may be a claim).
        previous_holder: the most recent holder in the article's earlier sentences ("It accounts ..."),
            or a function giving it (called only when a pronoun needs it).
        previous_topic: the commodity named in the previous sentence(s), used if this one names none
            (or a function giving it, called only then).
        topics: a :class:`supplywatch.claims.topics.Topics` (default: ``data/topics.yaml``).
        lookup: ``Gazetteer.lookup`` for names the mentions missed.
        quantities: the sentence's :func:`find_quantities`, when the caller has them already.
        topic_matches: ``topics.find(sentence)`` (or a function giving it), when the caller has it.

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
    # A figure whose immediate context rules it out ("rose 5 pct", "a 3 % rate") gives no claim, and
    # neither the old figure of a change nor a remainder is a claim without one, so a sentence whose
    # figures are all ruled out needs no holders, topics or attribution.
    whys = [_is_nonclaim_context(sentence, q) for q in quantities]
    if all(whys):
        return []
    if callable(mentions):
        mentions = mentions()
    if callable(topic_matches):
        topic_matches = topic_matches()
    if topic_matches is None:
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
    claim_at: dict[int, Claim] = {}
    priors: list[int] = []
    for i, q in enumerate(quantities):
        why = whys[i]
        if why == "prior value":
            priors.append(i)  # "rose to 31 % from 26 %": the old figure, read once the others are known
            prev_q = q
            continue
        claim = None if why else _claim_for(
            sentence, q, candidates=candidates, attr_span=attr_span, regions=regions, topic_matches=topic_matches,
            prev_claim=prev_claim, prev_q=prev_q, previous_holder=previous_holder, previous_topic=previous_topic,
            checked=True,
        )
        prev_q = q
        if claim is not None:
            claim.attribution = attribution
            claims.append(claim)
            claim_at[i] = claim
            prev_claim = claim
    for i in priors:
        extra = _prior_claim(sentence, quantities, i, claim_at, candidates)
        if extra is not None:
            claims.append(extra)
    claims.extend(_remainder_claims(sentence, claims, candidates, attr_span=attr_span, regions=regions))
    return sorted(claims, key=lambda c: (c.start, c.end))


def _claim_for(
    sentence: str, q: Quantity, *, candidates: Sequence[Holder], attr_span: tuple[int, int] | None,
    regions: list[tuple[int, int]], topic_matches: Sequence[Any], prev_claim: Claim | None,
    prev_q: Quantity | None, previous_holder: Holder | Callable[[], Holder | None] | None,
    previous_topic: str | Callable[[], str],
    checked: bool = False,
) -> Claim | None:
    if not checked and _is_nonclaim_context(sentence, q):
        return None
    if q.kind == "derived":
        return _derived_claim(sentence, q, candidates=candidates, attr_span=attr_span, regions=regions,
                              topic_matches=topic_matches, previous_holder=previous_holder)
    if q.kind == "monopoly" and q.text.lower().startswith("monopoli") or (
            q.kind == "monopoly" and not _MONOPOLY_LEFT_RE.search(sentence[: q.start])
            and not re.match(r"\s+(?:on|over|of|in)\b", sentence[q.end:], _I)):
        return _monopoly_claim(sentence, q, candidates=candidates, topic_matches=topic_matches)
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
    if kind == "none" and any(whole_span[0] <= t.start < whole_span[1] for t in topic_matches) \
            and supplier_subject(sentence, [h for h in candidates if h.end <= q.start]) is not None:
        kind = "market"  # "Shipments from Norland account for 60% of the nickel Southland buys abroad"
    if kind == "none" and whole.strip() and _SUPPLY_VERB_LEFT_RE.search(left) \
            and named_goods(whole, _METRIC_ALTERNATION):
        kind = "market"  # "Wessanen, which produces around 10 pct of all Dutch cheese"
    if kind == "own_total" and supplier_subject(sentence, [h for h in candidates if h.end <= q.start]) is not None:
        kind = "market"  # "U.S. goods accounted for about 19 pct of the company's imports"
    if kind == "own_total" and re.search(r"\b(?:supply|supplies|imports|needs|requirements|purchases)\b", whole, _I) \
            and _PROVIDES_LEFT_RE.search(left):
        kind = "market"  # "Southwestern producers account for 46 pct of its total available gas supply"
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
    goods_whole: str | None = None  # a monopoly's goods, when its object or the words before it name them
    goods_span = whole_span
    if kind == "market":
        signal = "whole"
        metric_text = whole
    share_right = _SHARE_RIGHT_RE.match(right)
    if not signal and share_right and q.kind in ("percent", "fraction"):
        sub = share_right.group("whole") or ""
        # "a 95% share of the handheld gaming market and said it ...": the whole ends where _whole ends it
        sub = _whole(" of " + sub) if sub else ""
        sub_kind = classify_whole(sub) if sub else "none"
        if share_right.group("market") or sub_kind == "market" or re.search(r"\bmarket\b", share_right.group("adj") or "", _I) \
                or (not sub and _ROLE_LEFT_RE.search(_clause_left(left))):
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
            named_owner = bool(share_of) and any(  # "The U.S. share of the contracts"
                h.kind in ("mention", "name") and re.fullmatch(r"\s+(?:\w+\s+)?", left[h.end: share_abs])
                for h in candidates if h.end <= share_abs)
            if is_market_share or sub_kind == "market" or right_market or named_owner or re.search(
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
            if mono_whole and not whole:  # "its monopoly on cigarette distribution": the goods are its whole
                goods_whole = mono_whole
                goods_start = q.end + right.find(mono_whole)
                goods_span = (goods_start, goods_start + len(mono_whole))
            elif not whole:  # "its gas monopoly in Russia"
                goods_whole = monopoly_goods(sentence, q.start, _METRIC_ALTERNATION)
    leader = list_leader(sentence, q.start, candidates) if q.kind in ("percent", "fraction") else None
    if leader is not None and (signal or prev_claim is not None):
        # "..., followed by Ionex with 14 per cent", "led by Lukoil with 11% of the market"
        forced_holder = leader
        if not signal:
            signal = "list"
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
    supplier = None
    if forced_holder is None and signal == "whole":
        supplier = supplier_subject(sentence, [h for h in candidates if h.end <= q.start])
        forced_holder = supplier
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
        if metric != "market" and _SERVICE_VERB_LEFT_RE.search(between_holder):
            # "underwriting half of all US house purchases": the holder finances that market, it does
            # not import (sell, consume) the goods: its share of the market it serves
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
        if not scope and re.fullmatch(r"(?:the\s+)?(?:\w+\s+)?market", whole.strip(), _I):
            # "the biggest seller in Portugal, with over a third of the market": the market is Portugal's
            scope = _place_before(sentence, holder, q, candidates)
        if supplier is not None:
            # "Imports from Chile make up a third of Japan's copper supply": Chile's share of Japan's imports
            metric = "imports"
            scope = _buyer(sentence, q, whole_span, candidates, supplier) or scope
        if goods_whole is not None:
            commodity = _commodity(q, goods_span, topic_matches, previous_topic, whole=goods_whole)
        else:
            commodity = _commodity(q, whole_span, topic_matches, previous_topic, whole=whole)
    year = _year(sentence, q)
    negated = bool(_NEGATION_RE.search(between_holder))
    return Claim(
        holder=holder.name, holder_id=holder.id, share=q.value, share_low=q.low, share_high=q.high,
        qualifier=q.qualifier, metric=metric, commodity=commodity, scope=scope, year=year, attribution="",
        negated=negated, start=q.start, end=q.end, phrase=q.text, holder_span=(holder.start, holder.end),
        time_ref=time_ref(sentence, q.start, q.end, holder.end if holder.end <= q.start else -1,
                          holder_start=holder.start),
    )


#: Verbs of a service to a market right before the figure: the whole's metric noun is the market's
#: activity, not the holder's ("underwriting half of all US house purchases").
_SERVICE_VERB_LEFT_RE = re.compile(
    r"\b(?:underwrit\w+|financ(?:es|ed|ing)|fund(?:s|ed|ing)|lend(?:s|ing)?|lent|insur(?:es|ed|ing)|insure|"
    r"guarantee(?:s|d|ing)?|brokers?|broker(?:ed|ing)|arrang(?:es|ed|ing)|advis(?:es|ed|ing)|"
    r"clear(?:s|ed|ing)|settl(?:es|ed|ing))\s+(?:\w+\s+)?$",
    _I,
)


def claims_for_document(
    doc_id: str,
    text: str,
    sentences: Sequence[Any],
    *,
    mentions: Sequence[Mapping[str, Any]] = (),
    topics: Any = None,
    lookup: Callable[[str], Any] | None = None,
) -> list[dict]:
    """claims.csv rows for one article, sorted by sentence and offset; the reference columns are
    filled for the whole corpus by :func:`aggregate_claims`.

    Args:
        doc_id: the article id.
        text: the article text (mention offsets are into it).
        sentences: :class:`supplywatch.text.Sentence` objects of the text.
        mentions: the article's mention rows (offsets into ``text``).
        topics: the topic lexicon (default ``data/topics.yaml``).
        lookup: ``Gazetteer.lookup`` for capitalised names.
    """
    topics = topics if topics is not None else _default_topics()
    rows: list[dict] = []
    # Most sentences hold no share phrase: topics, mentions and subjects are computed lazily, only
    # for sentences with a figure that may be a claim (see find_claims) and the sentences a pronoun
    # or a commodity may refer back to.
    quantities = [find_quantities(sent.text) for sent in sentences]
    mention_index: list[SpanIndex] = []  # built on first use
    topic_memo: dict[int, list] = {}
    mention_memo: dict[int, list[dict]] = {}
    claims_at: dict[int, list[Claim]] = {}

    def topics_of(i: int) -> list:
        if i not in topic_memo:
            topic_memo[i] = topics.find(sentences[i].text)
        return topic_memo[i]

    def mentions_of(i: int) -> list[dict]:
        if i not in mention_memo:
            if not mention_index:
                mention_index.append(SpanIndex(mentions))
            mention_memo[i] = _sentence_mentions(mention_index[0], sentences[i].start, sentences[i].end)
        return mention_memo[i]

    def previous_topic(i: int) -> str:
        """The last commodity named in the two sentences before sentence i."""
        return next((found[-1].topic.name for found in (topics_of(j) for j in (i - 1, i - 2) if j >= 0) if found), "")

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
        claims = find_claims(sent.text, mentions=lambda i=i: mentions_of(i),
                             previous_holder=lambda i=i: previous_holder(i), quantities=quantities[i],
                             topic_matches=lambda i=i: topics_of(i), previous_topic=lambda i=i: previous_topic(i),
                             topics=topics, lookup=lookup)
        claims_at[i] = claims
        for c in claims:
            rows.append({
                "doc_id": doc_id, "sentence_id": sent.sentence_id, "holder": c.holder, "holder_id": c.holder_id,
                "share": c.share, "share_low": c.share_low, "share_high": c.share_high, "qualifier": c.qualifier,
                "metric": c.metric, "commodity": c.commodity, "scope": c.scope, "year": c.year,
                "time_ref": c.time_ref, "part_quantity": c.part_quantity, "whole_quantity": c.whole_quantity,
                "attribution": c.attribution, "negated": c.negated, "sentence": sent.text, "start": c.start,
                "end": c.end,
            })
    rows.sort(key=lambda r: (r["sentence_id"], r["start"], r["end"]))
    return rows


def extract(doc: Any, sentences: Sequence[Any], resources: Any, rows: Mapping[str, list[dict]]) -> dict[str, list[dict]]:
    """Pipeline extractor: the ``claims`` table rows of one article.

    Reads the article's ``mentions`` (from :mod:`supplywatch.actors`, run earlier) and the gazetteer
    in ``resources`` for names the mentions missed. Mention rows of actors the gazetteer lacks
    (``origin`` = ``recognised``, in ``mentions`` or in a ``recognised_mentions`` table with the same
    columns) are holders like gazetteer mentions; where both cover a span the gazetteer's wins.
    """
    lookup = None
    try:
        lookup = resources.gazetteer.lookup
    except Exception:  # no gazetteer available: surface names, empty ids
        lookup = None
    table = claims_for_document(
        doc.doc_id, doc.text, sentences, mentions=[*rows.get("mentions", []), *rows.get("recognised_mentions", [])],
        lookup=lookup,
    )
    return {"claims": table}


def aggregate_claims(tables: Mapping[str, Any], resources: Any) -> dict[str, Any]:
    """Aggregator: the claims table with its columns in order, sorted (also when empty), its reference
    columns filled, and ``claim_references`` (one row per claim and matching official figure): see
    :func:`supplywatch.claims.reference_check.reference_tables`. A claim without a year is compared
    with the figures near its article's year (from the ``documents`` table)."""
    import pandas as pd

    from supplywatch.claims.reference_check import reference_tables

    frame = tables.get("claims")
    if frame is None or len(frame) == 0:
        frame = pd.DataFrame(columns=[c for c in CLAIM_COLUMNS if c not in CLAIM_REFERENCE_COLUMNS])
    frame, pairs = reference_tables(frame, tables.get("documents"))
    frame = frame[CLAIM_COLUMNS + [c for c in frame.columns if c not in CLAIM_COLUMNS]]
    frame = frame.sort_values(["doc_id", "sentence_id", "start", "end"], kind="stable").reset_index(drop=True)
    return {"claims": frame, "claim_references": pairs}
