"""The report filters (date window, topic, actors) applied to every table a report shows.

:func:`load_report_data` analyses the corpus (cached by the pipeline) and keeps the articles the
filters select; every table is then computed from the kept articles only:

* per-article tables (``documents``, ``mentions``, ``quotes``, ``claims``, ``sentence_tone``) keep
  the kept articles' rows;
* ``comentions`` and ``tone`` are computed again from the kept articles' mentions and sentence tone;
* ``terms`` (top terms, collocations) are computed again from the kept articles' texts and
  ``unknown_actors`` from their recognised mentions, with the same functions the pipeline uses;
* keyword in context reads the kept articles' texts only.

With ``actors`` set, the kept articles are those that mention one of the actors, and the actor
tables keep those actors' rows (a co-mention pair when one of its two actors is wanted).

Example:
    >>> data = load_report_data("", since="2025-06-01", until="2025-06-30")   # doctest: +SKIP
    >>> data.n_documents, data.n_documents_loaded                                # doctest: +SKIP
    (12, 40)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from supplywatch.config import SEEDS_DIR

#: Per-article tables, their actor columns (id first) for the ``actors`` filter.
ACTOR_COLUMNS: dict[str, tuple[str, ...]] = {"mentions": ("actor_id",), "quotes": ("speaker_id",),
                                             "claims": ("holder_id",), "claim_references": ("holder_id",),
                                             "tone": ("actor_id",), "comentions": ("actor_a_id", "actor_b_id")}


@dataclass
class ReportData:
    """The analysis tables after the notebook's filters, plus what the filters did."""

    tables: dict[str, pd.DataFrame]
    texts: Mapping[str, str]
    corpus: str
    corpus_hash: str
    #: Articles the corpus holds (before the filters).
    n_documents_loaded: int
    notes: list[str] = field(default_factory=list)
    load_problems: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The user's gazetteer file the analysis used ("" for the bundled data/actors.yaml).
    gazetteer: str = ""
    #: The filters set (``since``, ``until``, ``topic``, ``actors``; empty ones left out).
    filters: dict[str, str] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        """A table by name; an empty frame when the analysis does not (yet) produce it."""
        frame = self.tables.get(name)
        return frame.copy() if frame is not None else pd.DataFrame()

    @property
    def documents(self) -> pd.DataFrame:
        return self.table("documents")

    @property
    def n_documents(self) -> int:
        """Articles after the filters."""
        frame = self.tables.get("documents")
        return 0 if frame is None else len(frame)

    @property
    def empty(self) -> bool:
        """True when the filters leave no article."""
        return self.n_documents == 0


def resolve_corpus(corpus: str) -> str:
    """The corpus path; empty means the bundled seeds/."""
    return str(corpus) if str(corpus or "").strip() else str(SEEDS_DIR)


def _documents_on_topic(texts: Mapping[str, str], doc_ids, topic: str) -> set[str]:
    from supplywatch.claims.topics import load_topics
    from supplywatch.reports.checks import topic_ids

    topics = load_topics()
    ids = topic_ids(topic, topics)
    wanted = [t for t in topics.topics if t.id in ids]
    # a quick pass for any of the topic's phrases; only the articles it finds go through the full
    # lexicon match (longest match, non-topics such as "palm oil" for oil)
    phrases = sorted({re.escape(v) for t in wanted for v in t.variants}, key=len, reverse=True)
    exact = sorted({re.escape(v) for t in wanted for v in t.case_variants}, key=len, reverse=True)
    loose = re.compile(r"\b(?:" + "|".join(phrases) + r")", re.I) if phrases else None
    strict = re.compile(r"\b(?:" + "|".join(exact) + r")\b") if exact else None
    found = set()
    for d in doc_ids:
        text = texts[d]
        if (loose and loose.search(text)) or (strict and strict.search(text)):
            if any(m.topic.id in ids for m in topics.find(text)):
                found.add(d)
    return found


def _recompute(tables: dict[str, pd.DataFrame], texts: Mapping[str, str], gazetteer: str) -> None:
    """Tables aggregated over articles, computed again from the kept articles (in place)."""
    from supplywatch.actors.mentions import comentions
    from supplywatch.text.terms import TERM_COLUMNS, content_tokens, terms_table
    from supplywatch.text.tone import actor_tone

    if "mentions" in tables:
        tables["comentions"] = comentions(tables["mentions"])
        tables["tone"] = actor_tone(tables["mentions"], tables.get("sentence_tone"))
    if "terms" in tables:
        tables["terms"] = (terms_table(content_tokens(texts[d]) for d in sorted(texts)) if texts
                           else pd.DataFrame(columns=TERM_COLUMNS))
    if "unknown_actors" in tables:  # the kept articles' recognised mentions, ranked as the pipeline does
        from supplywatch.actors.gazetteer import load_gazetteer
        from supplywatch.actors.unknown import candidates, unknown_actors
        from supplywatch.text.sentences import split_sentences

        gaz = load_gazetteer(gazetteer or None)
        mentions = tables.get("mentions")
        rows: list[dict] = []
        if mentions is not None and not mentions.empty and "origin" in mentions:
            recognised = mentions[mentions["origin"] == "recognised"]
            for doc_id, group in recognised.groupby("doc_id", sort=True):
                rows += candidates(doc_id, group.to_dict("records"), split_sentences(texts[doc_id]), gaz)
        tables["unknown_actors"] = unknown_actors(pd.DataFrame(rows))


def _by_severity(problems: pd.DataFrame) -> pd.DataFrame:
    """Load problems with errors first, then warnings, then skipped files (each by path and line)."""
    if problems.empty or "severity" not in problems:
        return problems
    rank = problems["severity"].map({"error": 0, "warning": 1}).fillna(2)
    return (problems.assign(_rank=rank).sort_values(["_rank", "path", "line"], kind="stable")
            .drop(columns="_rank").reset_index(drop=True))


def _keep_actors(tables: dict[str, pd.DataFrame], ids: set[str]) -> None:
    for name, columns in ACTOR_COLUMNS.items():
        frame = tables.get(name)
        if frame is None or frame.empty:
            continue
        mask = pd.Series(False, index=frame.index)
        for column in columns:
            if column in frame:
                mask |= frame[column].astype(str).isin(ids)
        tables[name] = frame[mask].reset_index(drop=True)


def load_report_data(corpus: str = "", *, since: str = "", until: str = "", actors: str = "",
                     topic: str = "", gazetteer: str = "", fields: str = "") -> ReportData:
    """Analyse ``corpus`` (cached by the pipeline) and apply the notebook's filters to every table.

    Args:
        corpus: folder or file of articles; empty for the bundled seeds/.
        since, until: keep articles dated in this window (``YYYY-MM-DD``, inclusive); with a window
            set, undated articles are left out (and the notes say how many).
        actors: comma-separated actor names, aliases or ids (case-insensitive): keeps the articles
            that mention one of them, and their rows in the actor tables.
        topic: any spelling of a topic in data/topics.yaml; keeps articles that name it (or a sub-topic).
        gazetteer: the user's own actor gazetteer (YAML file); empty for the bundled data/actors.yaml.
        fields: record field mapping for JSON/CSV files, ``"text=body,date=published"`` (the
            ``--field`` options of ``supplywatch render``); empty for the usual field names.

    Raises:
        ParameterError: an unknown topic or actor (see :mod:`supplywatch.reports.checks`).
        CorpusError: no article in the corpus loads, or a bad field mapping.
    """
    from supplywatch.analysis.pipeline import analyze_corpus
    from supplywatch.reports.checks import resolve_actors

    gazetteer = str(gazetteer or "").strip()
    wanted = set(resolve_actors(actors, gazetteer).values())
    path = resolve_corpus(corpus)
    result = analyze_corpus(path, gazetteer=gazetteer or None,
                            fields=[f.strip() for f in str(fields or "").split(",") if f.strip()])
    tables = {name: frame.copy() for name, frame in result.tables.items()}
    docs = tables["documents"]
    filters = {k: str(v).strip() for k, v in (("since", since), ("until", until), ("topic", topic),
                                               ("actors", actors)) if str(v or "").strip()}
    notes: list[str] = []
    keep = pd.Series(True, index=docs.index)
    if since or until:
        dates = docs["date"].fillna("").astype(str)
        dated = dates != ""
        if (~dated).any():
            notes.append(f"{int((~dated).sum())} undated article(s) left out by the date window")
        keep &= dated & (dates >= (since or "0000")) & (dates <= (until or "9999"))
    if topic:
        on_topic = _documents_on_topic(result.texts, docs.loc[keep, "doc_id"], topic)
        notes.append(f"{len(on_topic)} article(s) name the topic {topic!r}")
        keep &= docs["doc_id"].isin(on_topic)
    if wanted:
        mentions = tables.get("mentions", pd.DataFrame(columns=["doc_id", "actor_id"]))
        naming = set(mentions.loc[mentions["actor_id"].isin(wanted), "doc_id"])
        keep &= docs["doc_id"].isin(naming)
        notes.append(f"{len(naming)} article(s) mention {', '.join(sorted(wanted))}")
    if keep.all():  # no filter, or one that keeps everything: the pipeline's tables as they are
        texts = result.texts
    else:
        kept = set(docs.loc[keep, "doc_id"])
        for name, frame in tables.items():
            if "doc_id" in frame:
                tables[name] = frame[frame["doc_id"].isin(kept)].reset_index(drop=True)
        texts = {d: result.texts[d] for d in sorted(kept)}
        _recompute(tables, texts, gazetteer)
        notes.append(f"{len(kept)} of {len(docs)} article(s) kept by the filters; every table, term, "
                     "collocation, keyword line and tone score below is computed from them only")
    if wanted:
        _keep_actors(tables, wanted)
    return ReportData(tables=tables, texts=texts, corpus=path, corpus_hash=result.corpus_hash,
                      n_documents_loaded=len(docs), notes=notes, load_problems=_by_severity(result.report.to_frame()),
                      gazetteer=gazetteer, filters=filters)
