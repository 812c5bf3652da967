"""What the report notebooks call: load and filter the tables, show and save charts and tables.

The notebooks stay thin: one call loads the analysis filtered by the notebook's parameters
(:func:`load_report_data`), :class:`Outputs` saves every chart as PNG + CSV and every table as CSV
and shows them. Everything shown is escaped: corpus text reaches the HTML only through
``DataFrame.to_html(escape=True)`` or :func:`html.escape`, never as markup.

Example:
    >>> data = load_report_data("", since="2025-01-01", actors="China")   # doctest: +SKIP
    >>> out = Outputs("", prefix="02")                                      # doctest: +SKIP
    >>> out.table(data.table("mentions"), "mentions")                        # doctest: +SKIP
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from supplywatch.config import REPORTS_DIR, SEEDS_DIR
from supplywatch.exceptions import ParameterError

#: Where notebooks opened in JupyterLab write figures/ and tables/ when ``output_dir`` is empty.
LAB_OUTPUT_DIR = REPORTS_DIR / "lab"
#: Rows of a table shown in a report (the CSV always has all of them).
MAX_ROWS = 50


def _split(value: str) -> list[str]:
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


@dataclass
class ReportData:
    """The analysis tables after the notebook's filters, plus what the filters did."""

    tables: dict[str, pd.DataFrame]
    texts: Mapping[str, str]
    corpus: str
    corpus_hash: str
    n_documents_loaded: int
    notes: list[str] = field(default_factory=list)
    load_problems: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The user's gazetteer file the analysis used ("" for the bundled data/actors.yaml).
    gazetteer: str = ""

    def table(self, name: str) -> pd.DataFrame:
        """A table by name; an empty frame when the analysis does not (yet) produce it."""
        frame = self.tables.get(name)
        return frame.copy() if frame is not None else pd.DataFrame()

    @property
    def documents(self) -> pd.DataFrame:
        return self.table("documents")


def resolve_corpus(corpus: str) -> str:
    """The corpus path; empty means the bundled seeds/."""
    return str(corpus) if str(corpus or "").strip() else str(SEEDS_DIR)


def _topic_ids(topic: str) -> set[str]:
    from supplywatch.claims.topics import load_topics

    topics = load_topics()
    wanted = topic.strip().casefold()
    match = next((t for t in topics.topics if wanted in (t.id.casefold(), t.name.casefold())), None)
    if match is None:
        raise ParameterError(f"topic {topic!r} is not in the topic lexicon; use an id or name from "
                             f"data/topics.yaml, e.g. {', '.join(topics.names()[:8])}")
    return {match.id} | {t.id for t in topics.topics if getattr(t, "parent", None) == match.id}


def _documents_on_topic(texts: dict[str, str], topic: str) -> set[str]:
    from supplywatch.claims.topics import load_topics

    ids = _topic_ids(topic)
    topics = load_topics()
    return {doc_id for doc_id, text in texts.items() if any(m.topic.id in ids for m in topics.find(text))}


def _actor_mask(frame: pd.DataFrame, wanted: set[str], columns: tuple[str, ...]) -> pd.Series:
    mask = pd.Series(False, index=frame.index)
    for column in columns:
        if column in frame:
            mask |= frame[column].astype(str).str.casefold().isin(wanted)
    return mask


def load_report_data(corpus: str = "", *, since: str = "", until: str = "", actors: str = "",
                     topic: str = "", gazetteer: str = "", fields: str = "") -> ReportData:
    """Analyse ``corpus`` (cached by the pipeline) and filter the tables by the notebook parameters.

    Args:
        corpus: folder or file of articles; empty for the bundled seeds/.
        since, until: keep articles dated in this window (``YYYY-MM-DD``, inclusive); with a window
            set, undated articles are left out (and the notes say how many).
        actors: comma-separated actor names or ids (case-insensitive); keeps their mentions, quotes,
            claims and tone.
        topic: a topic id or name from data/topics.yaml; keeps articles that name it (or a sub-topic).
        gazetteer: the user's own actor gazetteer (YAML file); empty for the bundled data/actors.yaml.
        fields: record field mapping for JSON/CSV files, ``"text=body,date=published"`` (the
            ``--field`` options of ``supplywatch render``); empty for the usual field names.
    """
    from supplywatch.analysis.pipeline import analyze_corpus

    path = resolve_corpus(corpus)
    result = analyze_corpus(path, gazetteer=str(gazetteer).strip() or None, fields=_split(fields))
    tables = {name: frame.copy() for name, frame in result.tables.items()}
    docs = tables["documents"]
    notes: list[str] = []
    keep = pd.Series(True, index=docs.index)
    if since or until:
        dates = docs["date"].fillna("").astype(str)
        dated = dates != ""
        if (~dated).any():
            notes.append(f"{int((~dated).sum())} undated article(s) left out by the date window")
        keep &= dated & (dates >= (since or "0000")) & (dates <= (until or "9999"))
    if topic:
        on_topic = _documents_on_topic(result.texts, topic)
        notes.append(f"{len(on_topic)} article(s) name the topic {topic!r}")
        keep &= docs["doc_id"].isin(on_topic)
    kept_ids = set(docs.loc[keep, "doc_id"])
    if not keep.all():
        for name, frame in tables.items():
            if "doc_id" in frame:
                tables[name] = frame[frame["doc_id"].isin(kept_ids)].reset_index(drop=True)
        if "mentions" in tables and "comentions" in tables:
            from supplywatch.actors.mentions import comentions

            tables["comentions"] = comentions(tables["mentions"])
    wanted = {a.casefold() for a in _split(actors)}
    if wanted:
        for name, columns in {"mentions": ("actor", "actor_id"), "quotes": ("speaker", "speaker_id"),
                              "claims": ("holder", "holder_id"), "claim_references": ("holder", "holder_id"),
                              "tone": ("actor", "actor_id")}.items():
            if name in tables and not tables[name].empty:
                tables[name] = tables[name][_actor_mask(tables[name], wanted, columns)].reset_index(drop=True)
        if "comentions" in tables and not tables["comentions"].empty:
            frame = tables["comentions"]
            tables["comentions"] = frame[_actor_mask(frame, wanted, ("actor_a", "actor_a_id", "actor_b", "actor_b_id"))]
    if not keep.all() and "tone" in tables:
        notes.append("tone by actor is computed over the whole corpus (not re-computed for the filters)")
    # all articles kept: the result's (lazily read) texts as they are; else only the kept ones
    texts = result.texts if keep.all() else {k: v for k, v in result.texts.items() if k in kept_ids}
    return ReportData(tables=tables, texts=texts, corpus=path, corpus_hash=result.corpus_hash,
                      n_documents_loaded=len(docs), notes=notes, load_problems=result.report.to_frame(),
                      gazetteer=str(gazetteer).strip())


# --------------------------------------------------------------------------------------------
# Showing things (escaped)


def _display(obj: Any) -> None:
    from IPython.display import display

    display(obj)


def say(text: str) -> None:
    """Show a sentence (escaped: it may quote corpus text)."""
    from IPython.display import HTML

    _display(HTML(f"<p>{html.escape(str(text))}</p>"))


def table_html(frame: pd.DataFrame, *, max_rows: int = MAX_ROWS, csv: str = "") -> str:
    """A table as escaped HTML (every cell's text is escaped; no index).

    Past ``max_rows`` only the first rows are shown and a note says how many there are; ``csv`` (a
    relative link to the table's CSV file) is linked from that note, or under a complete table.

    Example:
        >>> "2 of 3 rows shown" in table_html(pd.DataFrame({"a": [1, 2, 3]}), max_rows=2, csv="tables/t.csv")
        True
    """
    shown = frame.head(max_rows).copy()
    for column in shown.columns[shown.dtypes == object]:  # None in an object column: blank, like NaN
        shown[column] = shown[column].where(shown[column].notna(), "")
    out = shown.to_html(index=False, escape=True, na_rep="", border=0, classes="sw-table")
    link = (f'<a href="{html.escape(csv, quote=True)}">{html.escape(csv)}</a>' if csv else "")
    if len(frame) > max_rows:
        where = f"the CSV file {link} has" if link else "the CSV has"
        out += (f'<p class="sw-truncated"><em>{max_rows:,} of {len(frame):,} rows shown; '
                f"{where} all of them.</em></p>")
    elif link:
        out += f'<p class="sw-csv"><em>As CSV: {link}</em></p>'
    return out


def show_table(frame: pd.DataFrame, *, max_rows: int = MAX_ROWS, empty: str = "nothing found", csv: str = "") -> None:
    """Show a table (escaped), or the ``empty`` message; ``csv`` links the full table's file."""
    from IPython.display import HTML

    if frame is None or frame.empty:
        say(empty)
    else:
        _display(HTML(table_html(frame, max_rows=max_rows, csv=csv)))


def _link(path: Path) -> str:
    """``path`` as a link relative to where the notebook runs (the kernel's working folder: the run
    folder in a render, the notebook's folder in JupyterLab), with forward slashes."""
    try:
        return Path(os.path.relpath(path.resolve(), Path.cwd().resolve())).as_posix()
    except ValueError:  # another drive (Windows): link the absolute path
        return path.resolve().as_uri()


def show_parameters(**parameters: Any) -> None:
    """The notebook's parameter values as a table (the code cells are hidden in reports)."""
    show_table(pd.DataFrame({"parameter": list(parameters), "value": [repr(v) for v in parameters.values()]}))


class Outputs:
    """Saves a notebook's charts (PNG + CSV) under ``figures/`` and tables (CSV) under ``tables/``.

    Args:
        output_dir: the folder; empty means ``reports/lab`` (the renderer passes its run folder).
        prefix: put before every file name (the notebook's number) so notebooks never collide.
    """

    def __init__(self, output_dir: str | os.PathLike = "", *, prefix: str) -> None:
        root = Path(output_dir) if str(output_dir or "").strip() else LAB_OUTPUT_DIR
        self.figures = root / "figures"
        self.tables = root / "tables"
        self.prefix = prefix
        #: Every file written, in order.
        self.saved: list[Path] = []
        self.figures.mkdir(parents=True, exist_ok=True)
        self.tables.mkdir(parents=True, exist_ok=True)

    def chart(self, fig: Any, data: pd.DataFrame, name: str, *, show: bool = True) -> None:
        """Save ``fig`` as PNG and ``data`` (the plotted numbers) as CSV, and show the PNG."""
        from IPython.display import Image

        from supplywatch.reports.charts import save_chart

        png, _ = save_chart(fig, data, self.figures / f"{self.prefix}-{name}")
        self.saved.append(png)
        if show:
            _display(Image(data=png.read_bytes(), format="png"))

    def table(self, frame: pd.DataFrame, name: str, *, show: bool = True, max_rows: int = MAX_ROWS,
              empty: str = "nothing found", columns: list[str] | None = None) -> None:
        """Save ``frame`` as CSV (all rows, all columns) and show it escaped (the first ``max_rows``;
        only ``columns`` where given, so a report stays readable while the CSV keeps everything),
        with a link to the CSV."""
        from supplywatch.io import write_csv

        path = write_csv(frame if frame is not None else pd.DataFrame(), self.tables / f"{self.prefix}-{name}.csv")
        self.saved.append(path)
        if show:
            shown = frame[[c for c in columns if c in frame]] if columns and frame is not None else frame
            show_table(shown, max_rows=max_rows, empty=empty, csv=_link(path))


# --------------------------------------------------------------------------------------------
# Terms, collocations, keyword in context (from the pipeline's ``terms`` table / supplywatch.text.terms)


def top_terms(data: ReportData, *, top_n: int) -> pd.DataFrame:
    """The ``top_n`` most frequent content words (``term``, ``n``, ``n_documents``)."""
    frame = data.table("terms")
    if frame.empty or "term" not in frame:
        return pd.DataFrame(columns=["term", "n", "n_documents"])
    if "kind" in frame:
        frame = frame[frame["kind"] == "term"]
    frame = frame.sort_values(["n", "term"], ascending=[False, True], kind="stable")
    return frame[["term", "n", "n_documents"]].head(top_n).reset_index(drop=True)


def collocations(data: ReportData, *, top_n: int) -> pd.DataFrame:
    """The ``top_n`` best-scoring bigram and trigram collocations of the ``terms`` table."""
    frame = data.table("terms")
    if frame.empty or "kind" not in frame:
        return pd.DataFrame(columns=["term", "kind", "n", "n_documents", "score"])
    frame = frame[frame["kind"].isin(["bigram", "trigram"])]
    frame = frame.sort_values(["score", "term"], ascending=[False, True], kind="stable")
    return frame[["term", "kind", "n", "n_documents", "score"]].head(top_n).reset_index(drop=True)


def keyword_in_context(data: ReportData, keyword: str, *, limit: int = MAX_ROWS, window: int = 60) -> pd.DataFrame:
    """Every occurrence of ``keyword`` (an actor: all its names) with ``window`` characters each side."""
    from supplywatch.actors.gazetteer import load_gazetteer
    from supplywatch.actors.kwic import kwic_table

    if not keyword or not data.texts:
        return pd.DataFrame(columns=["doc_id", "left", "match", "right"])
    gazetteer = load_gazetteer(data.gazetteer or None)
    return kwic_table(data.texts, keyword, window=window, gazetteer=gazetteer, limit=limit)
