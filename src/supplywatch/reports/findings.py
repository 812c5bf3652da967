"""Key findings: three to six sentences with numbers, computed from a report's own tables.

Each report opens with them (before its parameters), and the index shows the first one (the
run's headline). Every number comes from the same filtered tables the report shows below, so a
reviewer can check each sentence against a table or CSV of the run.

* :func:`corpus_findings` (01): articles, span of dates, sources, most frequent word, load problems.
* :func:`mention_findings` (02): the most mentioned actors, the change against the previous period
  where the dates allow it, the most quoted speaker.
* :func:`claim_findings` (03): how many claims, how many differ from every official figure by more
  than :data:`GAP_PP` percentage points, the largest gaps, how many have no official figure.

Example:
    >>> claim_findings(pd.DataFrame())[0]
    'No market-share claim was found in these articles.'
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

#: A claim "differs" from an official figure when the gap is larger than this (percentage points).
GAP_PP = 5.0


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (plural or word + 's')}"


def _filters_text(filters: dict[str, str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in filters.items())


def empty_findings(data) -> list[str]:
    """The findings of a report whose filters leave no article."""
    return [f"No article is left after the filters ({_filters_text(data.filters) or 'none'}): "
            f"the corpus holds {_n(data.n_documents_loaded, 'article')}, none of them matches.",
            "Widen the date window, choose another topic or actor, or check the spelling."]


def corpus_findings(data, *, top_terms: pd.DataFrame | None = None) -> list[str]:
    """01 · Corpus overview: articles, dates, sources, the dominant word, load problems."""
    if data.empty:
        return empty_findings(data)
    docs = data.documents
    n = len(docs)
    scope = f" (of {data.n_documents_loaded:,} in the corpus, after the filters)" if data.filters else ""
    dates = docs["date"].fillna("").astype(str) if "date" in docs else pd.Series("", index=docs.index)
    dated = dates[dates != ""]
    sources = docs["source"].fillna("").astype(str).replace("", "(none)") if "source" in docs else pd.Series(dtype=str)
    counts = sources.value_counts()
    counts = counts.reindex(sorted(counts.index, key=lambda s: (-counts[s], s)))
    out = []
    if len(dated):
        first, last = dated.min(), dated.max()
        span = f"published on {first}" if first == last else f"published between {first} and {last}"
        undated = f"; {_n(n - len(dated), 'article')} undated" if len(dated) < n else ""
        out.append(f"{_n(n, 'article')}{scope}, {span}{undated}.")
    else:
        out.append(f"{_n(n, 'article')}{scope}; none carries a publication date, so nothing can be said over time.")
    known = counts.drop("(none)", errors="ignore")
    if len(known):
        known = known.reindex(sorted(known.index, key=lambda k: (-known[k], str(k))))
        tops = _tied(known)
        top = tops[0] if len(tops) == 1 else f"a tie between {_and(tops)}"
        out.append(f"They come from {_n(len(known), 'named source')}; the largest is {top} "
                   f"with {_n(int(known.iloc[0]), 'article')} ({known.iloc[0] / n:.0%})"
                   + (f"; {_n(int(counts.get('(none)', 0)), 'article')} name no source." if "(none)" in counts else "."))
    else:
        out.append("No article names its source (outlet).")
    if top_terms is not None and not top_terms.empty:
        row = top_terms.iloc[0]
        out.append(f"The most frequent content word is '{row['term']}' ({_n(int(row['n']), 'occurrence')} "
                   f"in {_n(int(row['n_documents']), 'article')}).")
    problems = data.load_problems
    if problems is not None and len(problems):
        severity = problems["severity"].fillna("").astype(str) if "severity" in problems else pd.Series([""] * len(problems))
        parts = [f"{int((severity == s).sum()):,} {label}" for s, label in
                 (("error", "error(s): files or records not read"), ("warning", "warning(s)"),
                  ("skipped", "skipped (duplicates, documentation files)")) if (severity == s).any()]
        out.append(f"The loader reported {_n(len(problems), 'problem')}: {'; '.join(parts) or 'see the list'} "
                   "(listed at the end of this report, errors and warnings first).")
    return out


def _period_change(mentions: pd.DataFrame, documents: pd.DataFrame, actor: str) -> str:
    """A sentence comparing ``actor``'s mentions in the latest period with the period before."""
    from supplywatch.reports.chartdata import date_frequency

    if "date" not in documents or documents.empty:
        return ""
    dated = mentions.merge(documents[["doc_id", "date"]], on="doc_id", how="left")
    dated["date"] = pd.to_datetime(dated["date"].replace("", None), errors="coerce", format="%Y-%m-%d")
    dated = dated.dropna(subset=["date"])
    if dated.empty:
        return "The articles carry no dates, so no change over time can be given."
    freq = date_frequency(dated["date"])
    unit = {"D": "day", "W": "week", "MS": "month"}[freq]
    periods = dated["date"].dt.to_period("M" if freq == "MS" else freq).dt.start_time
    last = periods.max()
    previous = last - (pd.offsets.MonthBegin(1) if freq == "MS" else pd.Timedelta(days=7 if freq == "W" else 1))
    if periods.min() == last:
        return (f"All dated mentions fall in one {unit} ({last:%Y-%m-%d}), so there is no previous {unit} "
                "to compare with.")
    mine = dated["actor"] == actor
    now, before = int((mine & (periods == last)).sum()), int((mine & (periods == previous)).sum())
    change = now - before
    trend = "no change" if change == 0 else f"{change:+d}"
    return (f"{actor}: {_n(now, 'mention')} in the latest {unit} (from {last:%Y-%m-%d}) against {before} "
            f"in the {unit} before ({trend}).")


def mention_findings(data) -> list[str]:
    """02 · Actor mentions: who is mentioned most, the change over the last period, who is quoted."""
    if data.empty:
        return empty_findings(data)
    mentions = data.table("mentions")
    if mentions.empty or "actor" not in mentions:
        return [f"No actor of the gazetteer is mentioned in the {_n(data.n_documents, 'article')}."]
    mentions = ranked_mentions(mentions)
    if mentions.empty:
        return [f"No actor is mentioned in the {_n(data.n_documents, 'article')} (only places)."]
    counts = _counts_by_actor(mentions)
    total = int(counts.sum())
    top = counts.index[0]
    tied = _tied(counts)
    others = ", ".join(f"{a} ({int(c):,})" for a, c in counts.iloc[len(tied):len(tied) + 2].items())
    lead = (f"{top} is mentioned most: {int(counts.iloc[0]):,} of {total:,} mentions ({counts.iloc[0] / total:.0%})"
            if len(tied) == 1 else
            f"{_and(tied)} are mentioned most, {int(counts.iloc[0]):,} times each of {total:,} mentions")
    out = [lead + (f", ahead of {others}." if others else "."),
           f"{_n(len(counts), 'actor')} are mentioned in {_n(int(mentions['doc_id'].nunique()), 'article')}."
           if len(counts) > 1 else f"1 actor is mentioned, in {_n(int(mentions['doc_id'].nunique()), 'article')}."]
    change = _period_change(mentions, data.documents, top)
    if change:
        out.append(change)
    quotes = data.table("quotes")
    if "speaker_id" in quotes:  # quotes attributed to a known actor (gazetteer or recognised), not "he"
        quotes = quotes[quotes["speaker_id"].fillna("").astype(str) != ""]
    if not quotes.empty and "speaker" in quotes:
        q = quotes["speaker"].fillna("").replace("", "(unnamed)").value_counts()
        q = q.reindex(sorted(q.index, key=lambda s: (-q[s], s)))
        who = _tied(q)
        label = f"Most quoted actor: {who[0]}" if len(who) == 1 else f"Most quoted actors, tied: {_and(who)}"
        out.append(f"{label} ({_n(int(q.iloc[0]), 'quote')}{' each' if len(who) > 1 else ''} of {len(quotes):,} "
                   "attributed to a named actor of the gazetteer or the recogniser).")
    return out


def ranked_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    """The mentions that rank actors: all but the recognised places (``actor_type`` ``place``: London,
    Europe), which say where things happen, not who acts (they stay in ``mentions.csv``)."""
    if "actor_type" not in mentions:
        return mentions
    return mentions[mentions["actor_type"] != "place"]


def _counts_by_actor(mentions: pd.DataFrame) -> pd.Series:
    """Mentions per actor, counted by ``actor_id`` (two actors of one name stay apart, the second
    labelled with its type) and sorted by count, then name."""
    if "actor_id" not in mentions:
        counts = mentions["actor"].value_counts()
        return counts.reindex(sorted(counts.index, key=lambda a: (-counts[a], a)))
    ids = mentions["actor_id"].fillna("").astype(str)
    names = mentions.groupby(ids)["actor"].first()
    types = mentions.groupby(ids)["actor_type"].first() if "actor_type" in mentions else None
    per_id = ids.value_counts()
    clash = names[names.duplicated(keep=False)].index
    labels = {i: (f"{names[i]} ({types[i]})" if i in clash and types is not None else str(names[i]))
              for i in per_id.index}
    counts = pd.Series({labels[i]: int(n) for i, n in per_id.items()})
    return counts.reindex(sorted(counts.index, key=lambda a: (-counts[a], a)))


def _tied(counts: pd.Series, most: int = 3) -> list[str]:
    """The labels sharing the top count (at most ``most`` named)."""
    return [str(k) for k, v in counts.items() if v == counts.iloc[0]][:most]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _gap_columns(claims: pd.DataFrame) -> pd.Series:
    """Per claim, the absolute gap (points) to its closest official figure; NaN when there is none."""
    return pd.to_numeric(claims.get("diff_pp", pd.Series(index=claims.index, dtype=float)), errors="coerce").abs()


def _official(row: pd.Series) -> str:
    """The official figure(s) a claim matches: ``92 %`` or the range ``62–69.2 %`` ("" if none)."""
    lo = row.get("reference_min", row.get("reference_share"))
    hi = row.get("reference_max", row.get("reference_share"))
    if lo is None or pd.isna(lo):
        lo = hi = row.get("reference_share")
    if lo is None or pd.isna(lo):
        return ""
    return f"{float(lo):g} %" if float(lo) == float(hi) else f"{float(lo):g}–{float(hi):g} %"


def _gap_text(row: pd.Series, signed: float) -> str:
    what = " ".join(str(row.get(c)) for c in ("metric", "commodity") if isinstance(row.get(c), str) and row.get(c))
    text = f"{row.get('holder', '?')} {what}".strip() + f": {float(row['share']):g} % claimed"
    official = _official(row)
    if official:
        text += f" vs {official} official"
    if pd.notna(signed):
        text += f" ({signed:+g} points from the closest)" if "–" in official else f" ({signed:+g} points)"
    return text


def claim_findings(claims: pd.DataFrame, *, gap_of: Callable[[pd.DataFrame], pd.Series] | None = None) -> list[str]:
    """03 · Market shares: number of claims, how many differ from every official figure, the largest gaps.

    With the claims table's per-claim reference columns (``differs_from_all``, ``diff_pp`` to the
    closest official figure, ``reference_min``/``reference_max``: :mod:`supplywatch.claims.reference`)
    the counts are those of :func:`supplywatch.reports.references.reference_summary`. ``gap_of`` may
    give, per claim, the absolute gap in points to the closest official figure (NaN: none) instead.
    """
    if claims is None or claims.empty:
        return ["No market-share claim was found in these articles."]
    n = len(claims)
    holders = claims["holder"].fillna("").astype(str).replace("", "(unnamed)").nunique() if "holder" in claims else 0
    gaps = (gap_of or _gap_columns)(claims)
    threshold = GAP_PP
    if gap_of is None and "differs_from_all" in claims:
        from supplywatch.reports.references import reference_summary

        summary = reference_summary(claims)
        flag = claims["differs_from_all"].fillna("").astype(str)
        compared, off, threshold = flag.isin(["yes", "no"]), flag == "yes", summary.threshold_pp
        with_ref, n_off = summary.n_compared, summary.n_differ
    else:
        compared, off = gaps.notna(), gaps > threshold
        with_ref, n_off = int(compared.sum()), int(off.sum())
    out = [f"{_n(n, 'market-share claim')} by {_n(holders, 'holder')}; {with_ref:,} can be set against an "
           "official figure."]
    signed = pd.to_numeric(claims.get("diff_pp", gaps), errors="coerce")
    if with_ref:
        n_near = with_ref - n_off
        out.append(f"{n_off:,} of them {'differs' if n_off == 1 else 'differ'} from every official figure by more "
                   f"than {threshold:g} percentage points; {n_near:,} {'is' if n_near == 1 else 'are'} within "
                   f"{threshold:g} points of at least one.")
        if n_off:
            order = gaps[off].sort_values(ascending=False, kind="stable").index[:3]
            out.append("Largest gaps: " + "; ".join(_gap_text(claims.loc[i], signed.loc[i]) for i in order) + ".")
        elif gaps[compared].notna().any():
            i = gaps[compared].sort_values(ascending=False, kind="stable").index[0]
            out.append(f"The largest gap to the closest official figure: {_gap_text(claims.loc[i], signed.loc[i])}.")
    if with_ref < n:
        out.append(f"{_n(n - with_ref, 'claim')} {'has' if n - with_ref == 1 else 'have'} no official figure "
                   "to compare with (the reference columns are blank).")
    return out


def headline(findings: list[str]) -> str:
    """The first finding: the sentence the index shows for a report."""
    return findings[0] if findings else ""
