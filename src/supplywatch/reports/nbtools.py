"""What the report notebooks call: load and filter the tables, show and save charts and tables.

The notebooks stay thin: one call checks the parameters (:func:`supplywatch.reports.checks.check_parameters`),
one loads the analysis filtered by them (:func:`load_report_data`, :mod:`supplywatch.reports.filters`),
:class:`Outputs` shows the key findings first and saves every chart as PNG + CSV (with alternative
text naming the chart and its top values, and a link to its CSV) and every table as CSV.
Everything shown is escaped: corpus text reaches the HTML only through
``DataFrame.to_html(escape=True)`` or :func:`html.escape`, never as markup.

Example:
    >>> data = load_report_data("", since="2025-01-01", actors="China")   # doctest: +SKIP
    >>> out = Outputs("", prefix="02")                                      # doctest: +SKIP
    >>> out.table(data.table("mentions"), "mentions")                        # doctest: +SKIP
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from supplywatch.config import REPORTS_DIR
# the notebooks import these from here (they live in the filters module)
from supplywatch.reports.filters import ReportData, load_report_data, resolve_corpus  # noqa: F401

#: Where notebooks opened in JupyterLab write figures/ and tables/ when ``output_dir`` is empty.
LAB_OUTPUT_DIR = REPORTS_DIR / "lab"
#: Rows of a table shown in a report (the CSV always has all of them).
MAX_ROWS = 50


# --------------------------------------------------------------------------------------------
# Showing things (escaped)


def _display(obj: Any) -> None:
    from IPython.display import display

    display(obj)


def say(text: str) -> None:
    """Show a sentence (escaped: it may quote corpus text)."""
    from IPython.display import HTML

    _display(HTML(f"<p>{html.escape(str(text))}</p>"))


_HEADER_RE = re.compile(r"(<th[^>]*>)([^<]*)(</th>)")


def table_html(frame: pd.DataFrame, *, max_rows: int = MAX_ROWS, csv: str = "") -> str:
    """A table as escaped HTML (every cell's text is escaped; no index).

    Past ``max_rows`` only the first rows are shown and a note says how many there are; ``csv`` (a
    relative link to the table's CSV file) is linked from that note, or under a complete table.

    Example:
        >>> "2 of 3 rows shown" in table_html(pd.DataFrame({"a": [1, 2, 3]}), max_rows=2, csv="tables/t.csv")
        True
    """
    shown = frame.head(max_rows).astype(object)
    shown = shown.where(shown.notna(), "")  # a missing value is blank in every table (never "None" or "nan")
    out = shown.to_html(index=False, escape=True, na_rep="", border=0, classes="sw-table")
    # a column name may break after "_" ("reference_<wbr>min"), and a table wider than the page scrolls
    # inside its own box, so the page keeps its width (the escaped cell texts never hold "<")
    out = _HEADER_RE.sub(lambda m: m.group(1) + m.group(2).replace("_", "_<wbr>") + m.group(3), out)
    out = f'<div class="sw-table-wrap">{out}</div>'
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
    """The notebook's parameter values as a table (the code cells are hidden in reports): values as a
    reader types them, an empty one as "(not set)"."""
    shown = [str(v) if str(v) != "" else "(not set)" for v in parameters.values()]
    show_table(pd.DataFrame({"parameter": list(parameters), "value": shown}))


#: Folder of a run holding the analysis tables the reports are computed from (``render`` writes it).
ANALYSIS_DIR = "analysis"


def show_inputs(names: list[str]) -> None:
    """The analysis tables a report reads, each linked to its CSV in the run's ``analysis/`` folder
    (every row, after the filters) where ``supplywatch render`` wrote them."""
    from IPython.display import HTML

    items = []
    for name in names:
        path = Path(ANALYSIS_DIR) / f"{name}.csv"
        if path.is_file():
            link = _link(path)
            items.append(f'<a href="{html.escape(link, quote=True)}"><code>{html.escape(link)}</code></a>')
        else:
            items.append(f"<code>{html.escape(name)}</code>")
    _display(HTML("<p>Analysis tables (every row, after the filters): " + ", ".join(items) + "</p>"))


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
        #: The alternative text of every chart shown, in order.
        self.alt_texts: list[str] = []
        self.figures.mkdir(parents=True, exist_ok=True)
        self.tables.mkdir(parents=True, exist_ok=True)

    def chart(self, fig: Any, data: pd.DataFrame, name: str, *, show: bool = True) -> None:
        """Save ``fig`` as PNG and ``data`` (the plotted numbers) as CSV; show the PNG with its
        alternative text (the chart's title and top values, kept in :attr:`alt_texts`) and a link to the CSV."""
        from IPython.display import HTML, Image

        from supplywatch.reports.charts import chart_alt, save_chart

        png, csv = save_chart(fig, data, self.figures / f"{self.prefix}-{name}")
        self.saved += [png, csv]
        alt = chart_alt(fig, data)
        self.alt_texts.append(alt)
        if show:
            _display(Image(data=png.read_bytes(), format="png", metadata={"alt": alt}))
            link = _link(csv)
            _display(HTML(f'<p class="sw-chart-data"><em>Chart data: <a href="{html.escape(link, quote=True)}">'
                          f"{html.escape(link)}</a></em></p>"))

    def findings(self, sentences: list[str], *, show: bool = True) -> None:
        """Save the key findings as ``tables/NN-key-findings.csv`` (the index reads the first as the
        report's headline) and show them as a list (escaped)."""
        from IPython.display import HTML

        from supplywatch.io import write_csv

        path = write_csv(pd.DataFrame({"finding": list(sentences)}), self.tables / f"{self.prefix}-key-findings.csv")
        self.saved.append(path)
        if show:
            items = "".join(f"<li>{html.escape(str(s))}</li>" for s in sentences)
            _display(HTML(f'<ul class="sw-findings">{items}</ul>'))

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
# Terms, collocations, keyword in context (from the pipeline's ``terms`` table / supplywatch.terms)


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
