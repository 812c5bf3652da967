"""The output folder's table of contents: ``DIR/index.html``, ``DIR/latest``, pruning old runs.

Every run folder holds a ``run.json``; the index is rebuilt from them after each render, newest
first, escaped by jinja2's autoescaping (corpus paths and parameter values are user input).
``DIR/latest`` is a relative symlink to the newest successful run; ``DIR/latest.txt`` names it too
and ``DIR/latest.html`` redirects to it, for file systems and mail clients without symlinks.

Example:
    >>> runs = list_runs("reports")          # doctest: +SKIP
    >>> write_index("reports", runs)         # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from supplywatch.exceptions import RenderError
from supplywatch.io import atomic_write_text

RUN_FILE = "run.json"
LATEST = "latest"

def _wbr(path: object) -> Markup:
    """A path, escaped, that may wrap after each ``/`` (never inside a folder's name)."""
    return Markup("/<wbr>").join(escape(part) for part in str(path).split("/"))


_ENV = jinja2.Environment(autoescape=True)
_ENV.filters["wbr"] = _wbr
_INDEX = _ENV.from_string("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>supplywatch reports</title>
<style>
body { font: 14px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 1280px; padding: 0 1em; color: #222; }
h1 { color: #1f5a8a; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .4em .6em; text-align: left; vertical-align: top; }
th { background: #f4f6f8; }
code { font-size: 12px; }
.nowrap { white-space: nowrap; }
.param { display: inline-block; white-space: nowrap; margin-right: .6em; }
.path { overflow-wrap: normal; }
.headline { display: inline-block; color: #333; font-size: 13px; margin: 0 0 .4em 0; }
.ok { color: #2b7a3d; font-weight: bold; }
.failed, .timeout, .empty { color: #b23a48; font-weight: bold; }
.latest { background: #eef5fb; }
.reuse td { color: #555; background: #fafafa; font-size: 13px; }
</style>
</head>
<body>
<h1>supplywatch reports</h1>
{{ what_changed }}
<p>{{ runs|length }} run(s), newest first.
{%- if latest %} Latest successful run: <a href="{{ latest }}/index.html">{{ latest }}</a>.{% endif %}</p>
{#- extra sections at the top of the index (e.g. "What changed", issue 16): pass them as `sections`,
    each {"id", "title", "html"} with html already escaped (Markup) #}
{%- for section in sections %}
<section id="{{ section.id }}"><h2>{{ section.title }}</h2>{{ section.html }}</section>
{%- endfor %}
<table>
<thead><tr><th>started (UTC)</th><th>run</th><th>corpus</th><th>parameters</th><th>status</th><th>reports</th></tr></thead>
<tbody>
{%- for row in rows %}
{%- if row.kind == "reuse" %}
<tr class="reuse"><td class="nowrap">{{ row.time }}</td><td colspan="5">reused run
<a href="{{ row.run_id }}/index.html"><code class="nowrap">{{ row.run_id }}</code></a>: corpus, notebooks, parameters,
package and data unchanged since it finished{% if row.finished %} ({{ row.finished }}){% endif %}</td></tr>
{%- else %}
{%- set run = row.run %}
<tr class="{{ 'latest' if run.run_id == latest else '' }}">
<td class="nowrap">{{ run.started }}</td>
<td><code class="nowrap">{{ run.run_id }}</code></td>
<td><span class="path">{{ (run.corpus_abs or run.corpus)|wbr }}</span><br><code title="corpus hash (SHA-256)">{{ run.corpus_hash[:12] }}</code>
 · {{ run.n_articles }} article(s){% if run.n_articles != run.n_documents %} after the filters, of {{ run.n_documents }}{% endif %}</td>
<td>{% for k, v in run.parameters.items() %}<code class="param">{{ k }}={{ v }}</code> {% else %}defaults{% endfor %}</td>
<td><span class="{{ run.status }}">{{ run.status }}</span>{% if run.error %}<br>{{ run.error }}{% endif %}</td>
<td>{% for nb in run.notebooks %}{% if nb.html %}<a href="{{ run.run_id }}/{{ nb.html }}">{{ nb.name }}</a>{% else %}{{ nb.name }}{% endif %}
 <span class="{{ nb.status }}">{{ nb.status }}</span><br>{% if nb.headline %}<span class="headline">{{ nb.headline }}</span><br>{% endif %}{% endfor %}
<a href="{{ run.run_id }}/run.json">run.json</a> · <a href="{{ run.run_id }}/render.log">log</a>
{%- if run.analysis_tables %} · <a href="{{ run.run_id }}/analysis/">analysis tables</a>{% endif %}</td>
</tr>
{%- endif %}
{%- endfor %}
</tbody>
</table>
</body>
</html>
""")

_RUN_INDEX = jinja2.Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>run {{ run.run_id }}</title>
<style>body { font: 14px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 900px; padding: 0 1em; }</style>
</head><body>
<h1>Run {{ run.run_id }} <small>({{ run.status }})</small></h1>
<p>Corpus {{ run.corpus }} · started {{ run.started }} · finished {{ run.finished }}</p>
{% if run.error %}<p><strong>{{ run.status }}:</strong> {{ run.error }}</p>{% endif %}
<ul>{% for nb in run.notebooks %}<li>{% if nb.html %}<a href="{{ nb.html }}">{{ nb.name }}</a>{% else %}{{ nb.name }}{% endif %}
 — {{ nb.status }}{% if nb.headline %}: {{ nb.headline }}{% endif %}</li>{% endfor %}</ul>
{% if run.analysis_tables %}<p>Analysis tables (every row the reports are computed from, after the filters):
{% for t in run.analysis_tables %}<a href="{{ t }}">{{ t }}</a>{% if not loop.last %} · {% endif %}{% endfor %}</p>{% endif %}
<p><a href="run.json">run.json</a> · <a href="render.log">log</a> · <a href="../index.html">all runs</a></p>
</body></html>
""")

_REDIRECT = jinja2.Environment(autoescape=True).from_string(
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    '<meta http-equiv="refresh" content="0; url={{ target }}/index.html"><title>latest run</title></head>'
    '<body><p>Latest successful run: <a href="{{ target }}/index.html">{{ target }}</a></p></body></html>\n'
)


def safe_run_id(run_id: str) -> str:
    """``run_id`` if it names one folder directly inside the output folder, else :class:`RenderError`.

    A run id is a single path component: no ``/`` or ``\\``, not ``.``/``..``, not hidden, no NUL, so
    nothing derived from it (``DIR/<run-id>``, ``latest``, pruning) can reach outside ``DIR``.

    Example:
        >>> safe_run_id("20250612T101500Z-3f9a1c")
        '20250612T101500Z-3f9a1c'
    """
    if (not isinstance(run_id, str) or not run_id or run_id.startswith(".") or any(c in run_id for c in "/\\\0")
            or len(run_id) > 200):
        raise RenderError(f"run id {run_id!r} is not a plain folder name inside the output folder; refused")
    return run_id


def read_run(folder: str | os.PathLike) -> dict[str, Any] | None:
    """A run folder's ``run.json``, or None if it has none (or it is unreadable)."""
    try:
        return json.loads((Path(folder) / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def list_runs(out_dir: str | os.PathLike) -> list[dict[str, Any]]:
    """Every finished run in ``out_dir`` (folders with a run.json), newest first."""
    out = Path(out_dir)
    runs = []
    if out.is_dir():
        for child in out.iterdir():
            if child.is_dir() and not child.is_symlink() and not child.name.startswith("."):
                run = read_run(child)
                if run and run.get("run_id") == child.name:
                    runs.append(run)
    return sorted(runs, key=lambda r: (r.get("started", ""), r["run_id"]), reverse=True)


def newest_successful(runs: list[dict[str, Any]]) -> str | None:
    return next((r["run_id"] for r in runs if r.get("status") == "ok"), None)


def write_run_index(run_dir: str | os.PathLike, run: dict[str, Any]) -> Path:
    """``<run>/index.html``: the run's notebooks with their status."""
    return atomic_write_text(Path(run_dir) / "index.html", _RUN_INDEX.render(run=_view(run)))


def _view(run: dict[str, Any]) -> dict[str, Any]:
    view = dict(run)
    view.setdefault("corpus_hash", "")
    view.setdefault("n_documents", "?")
    view.setdefault("n_articles", view["n_documents"])
    view.setdefault("parameters", {})
    view.setdefault("headline", "")
    view["notebooks"] = [dict(nb) for nb in run.get("notebooks", [])]
    return view


#: One JSON line per reused run (time, run id), so the index shows a scheduled render that changed nothing.
REUSES_FILE = "reuses.jsonl"


def record_reuse(out_dir: str | os.PathLike, run: dict[str, Any], when: str | None = None) -> None:
    """Note in ``DIR/reuses.jsonl`` that ``run`` was reused now (the run folder is never touched)."""
    import time

    line = {"time": when or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "run_id": safe_run_id(run["run_id"]),
            "finished": run.get("finished", "")}
    with open(Path(out_dir) / REUSES_FILE, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, sort_keys=True) + "\n")


def list_reuses(out_dir: str | os.PathLike, runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reuse lines of runs still present, newest first (unreadable lines are skipped)."""
    present = {r["run_id"] for r in runs}
    found = []
    try:
        lines = (Path(out_dir) / REUSES_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and item.get("run_id") in present and isinstance(item.get("time"), str):
            found.append(item)
    return sorted(found, key=lambda r: r["time"], reverse=True)


def write_index(out_dir: str | os.PathLike, runs: list[dict[str, Any]] | None = None, *,
                sections: list[dict[str, Any]] | None = None) -> Path:
    """Rebuild ``DIR/index.html`` from every run's run.json and the reuse lines, newest first.

    ``sections`` are shown above the table of runs (each ``{"id", "title", "html"}``, ``html``
    already escaped, e.g. a ``markupsafe.Markup``): the place for a "What changed" digest.
    """
    runs = list_runs(out_dir) if runs is None else runs
    latest = newest_successful(runs)
    rows = [{"kind": "run", "time": r.get("started", ""), "run": _view(r)} for r in runs]
    rows += [{"kind": "reuse", **item} for item in list_reuses(out_dir, runs)]
    rows.sort(key=lambda row: row["time"], reverse=True)
    html = _INDEX.render(rows=rows, runs=runs, latest=latest, sections=sections or [],
                         what_changed=_what_changed(out_dir, latest))
    return atomic_write_text(Path(out_dir) / "index.html", html)


def _what_changed(out_dir: str | os.PathLike, latest: str | None) -> Markup | str:
    """The latest successful run's "What changed" section (escaped by its own template), or ""."""
    from supplywatch.reports.digest import read_digest
    from supplywatch.reports.digestview import what_changed_html

    digest = read_digest(Path(out_dir) / latest) if latest else None
    return Markup(what_changed_html(digest, href=f"{latest}/digest.json")) if digest else ""


def point_latest(out_dir: str | os.PathLike, run_id: str) -> None:
    """Make ``DIR/latest`` point at ``run_id`` (atomic symlink swap) and write the fallbacks."""
    out = Path(out_dir)
    safe_run_id(run_id)
    atomic_write_text(out / "latest.txt", run_id + "\n")
    atomic_write_text(out / "latest.html", _REDIRECT.render(target=run_id))
    tmp = out / f".latest.{os.getpid()}"
    try:
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(run_id, tmp, target_is_directory=True)
        if (out / LATEST).is_dir() and not (out / LATEST).is_symlink():
            shutil.rmtree(out / LATEST)
        os.replace(tmp, out / LATEST)
    except OSError:
        # no symlinks here (some network or Windows file systems): latest.txt / latest.html remain
        if tmp.is_symlink():
            tmp.unlink()


def prune_runs(out_dir: str | os.PathLike, keep: int) -> list[str]:
    """Delete all but the ``keep`` newest runs; never the newest successful one. Returns ids removed."""
    runs = list_runs(out_dir)
    protected = newest_successful(runs)
    kept = {r["run_id"] for r in runs[:max(keep, 0)]}
    removed = []
    for run in runs:
        if run["run_id"] not in kept and run["run_id"] != protected:
            safe_run_id(run["run_id"])
            shutil.rmtree(Path(out_dir) / run["run_id"], ignore_errors=True)
            removed.append(run["run_id"])
    return removed
