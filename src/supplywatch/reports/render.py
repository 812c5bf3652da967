"""``supplywatch render``: run the notebooks with papermill and turn them into HTML reports.

One run, step by step:

1. Parameters (``-p NAME VALUE``, ``--params-file``) are checked against each notebook's
   ``parameters`` cell before anything runs (:mod:`supplywatch.reports.params`).
2. ``DIR/.render.lock`` is taken (:mod:`supplywatch.reports.lock`); a second render exits at once.
3. If the inputs (corpus files, notebooks, parameters, package, ``data/``) match the last
   successful run, that run is reused (unless ``force``).
4. The corpus is analysed once in a worker (so the notebooks' kernels find it cached), then the
   notebooks run in up to ``jobs`` worker processes at once, each with a real kernel, a per-cell
   timeout and, for the whole run, a deadline; each executed notebook becomes one self-contained
   HTML file (:mod:`supplywatch.reports.html`).
5. Everything is written into ``DIR/.tmp-<run-id>/`` and renamed to ``DIR/<run-id>/`` only when
   complete, with ``run.json`` (provenance) and ``render.log``; ``DIR/index.html`` and
   ``DIR/latest`` are updated (:mod:`supplywatch.reports.index`), old runs pruned with ``keep``.

A failing notebook keeps its executed copy with the error; the run is marked failed and the
exit code is 1. Earlier runs are never touched.

Example:
    >>> result = render("seeds", out="reports", parameters={"top_n": "10"})   # doctest: +SKIP
    >>> result.status, result.run_dir                                          # doctest: +SKIP
    ('ok', PosixPath('reports/20250612T101500Z-3f9a1c'))
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import shutil
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supplywatch.config import NOTEBOOKS_DIR, REPORTS_DIR, SEEDS_DIR
from supplywatch.exceptions import CorpusError, RenderError
from supplywatch.hashing import file_sha256
from supplywatch.provenance import git_commit, input_fingerprint, package_versions
from supplywatch.reports.checks import check_values
from supplywatch.reports.index import (RUN_FILE, list_runs, point_latest, prune_runs, record_reuse, write_index,
                                       write_run_index)
from supplywatch.reports.lock import RenderLock
from supplywatch.reports.params import describe_notebooks, read_params_file, validate_parameters
from supplywatch.reports.workers import NOT_RUN_DEADLINE, Job, run_jobs, utc, warm_analysis

#: The run's folder of analysis tables (every row the reports are computed from, after the filters).
ANALYSIS_DIR = "analysis"

#: Notebooks a render runs by default: numbered ones at the top of the notebooks folder.
DEFAULT_PATTERN = "[0-9]*.ipynb"
DEFAULT_CELL_TIMEOUT = 600.0
DEFAULT_TIMEOUT = 3600.0
LOG_NAME = "render.log"

log = logging.getLogger("supplywatch.reports.render")


@dataclass
class RenderResult:
    """What a render did: the run (new or reused), its status and each notebook's."""

    run_id: str
    run_dir: Path
    status: str
    reused: bool = False
    notebooks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 ok (or reused); 1 failed, timeout, or empty (the filters left no article)."""
        return 0 if self.status == "ok" else 1


def find_notebooks(notebooks_dir: str | os.PathLike = NOTEBOOKS_DIR, pattern: str = DEFAULT_PATTERN) -> list[Path]:
    """The notebooks a render runs, in name order (never ``exploratory/`` or checkpoints).

    Raises:
        RenderError: no notebook matches.
    """
    folder = Path(notebooks_dir)
    if not pattern or "/" in pattern or "\\" in pattern or pattern.startswith(".") or "\0" in pattern:
        raise RenderError(f"--notebooks {pattern!r}: give a file name pattern inside the notebooks folder "
                          f"(e.g. '0[12]-*.ipynb'), not a path; use --notebooks-dir DIR for another folder")
    found = sorted(p for p in folder.glob(pattern)
                   if p.suffix == ".ipynb" and p.is_file() and ".ipynb_checkpoints" not in p.parts
                   and "exploratory" not in p.relative_to(folder).parts)
    if not found:
        raise RenderError(f"no notebook matches {pattern!r} in {folder}; "
                          f"notebooks there: {', '.join(sorted(p.name for p in folder.glob('*.ipynb'))) or 'none'}")
    return found


# --------------------------------------------------------------------------------------------
# The render


def _reusable(out: Path, fingerprint: str) -> dict[str, Any] | None:
    for run in list_runs(out):
        if run.get("status") == "ok" and run.get("inputs", {}).get("fingerprint") == fingerprint:
            return run
    return None


def _clean_stale_temp(out: Path) -> None:
    """Remove half-written runs left by a killed render (we hold the lock, so none is live)."""
    for child in out.glob(".tmp-*"):
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)


def render(
    corpus: str | os.PathLike = SEEDS_DIR,
    *,
    out: str | os.PathLike = REPORTS_DIR,
    parameters: Mapping[str, Any] | None = None,
    params_file: str | os.PathLike | None = None,
    show_code: bool = False,
    force: bool = False,
    keep: int | None = None,
    cell_timeout: float = DEFAULT_CELL_TIMEOUT,
    timeout: float = DEFAULT_TIMEOUT,
    notebooks: str = DEFAULT_PATTERN,
    notebooks_dir: str | os.PathLike = NOTEBOOKS_DIR,
    jobs: int | None = None,
    echo: Callable[[str], None] = print,
) -> RenderResult:
    """Render every notebook on ``corpus`` into a new run folder under ``out`` (see module doc).

    Raises:
        CorpusError: the corpus path does not exist, or no article in it loads (nothing is published).
        ParameterError: an unknown parameter, a value of the wrong type, an unknown topic or actor,
            ``top_n`` below 1 (nothing has run; :mod:`supplywatch.reports.checks`).
        GazetteerError: the ``gazetteer`` parameter names a missing or invalid file (nothing has run).
        LockError: another render holds ``out``.
        RenderError: no notebooks, a ``notebooks`` pattern that is a path, or the output folder is
            unusable (a file in the way, read-only) or vanished during the run (nothing is published).
    """
    corpus_path = Path(corpus)
    if not corpus_path.exists():
        raise CorpusError(f"corpus {corpus} does not exist (give a folder or file of articles; default: seeds/)")
    nb_paths = find_notebooks(notebooks_dir, notebooks)
    values: dict[str, Any] = dict(read_params_file(params_file)) if params_file else {}
    values.update(parameters or {})
    per_notebook = validate_parameters(values, nb_paths, source="--params-file/-p")
    gazetteer = _check_gazetteer(per_notebook)
    chosen = {k: v for params in per_notebook.values() for k, v in params.items()}
    check_values(chosen, source="--params-file/-p")  # topic, actors, top_n, date window: before anything runs
    out = Path(out)
    with RenderLock(out):
        options: dict[str, Any] = {"show_code": show_code, "notebooks": [p.name for p in nb_paths]}
        if gazetteer:
            options["gazetteer_sha256"] = file_sha256(gazetteer)  # an edited gazetteer is a new input
        inputs = input_fingerprint(corpus_path, nb_paths, chosen, options=options)
        if not force:
            previous = _reusable(out, inputs["fingerprint"])
            if previous and (out / previous["run_id"]).is_dir():
                echo(f"reused run {previous['run_id']} (finished {previous.get('finished')}): corpus, notebooks, "
                     "parameters, package and data are unchanged; use --force to render again")
                record_reuse(out, previous)  # the index shows it: a daily run is visible even when nothing changed
                write_index(out)
                return RenderResult(previous["run_id"], out / previous["run_id"], "ok", reused=True,
                                    notebooks=previous.get("notebooks", []))
        return _render_new(corpus_path, out, nb_paths, per_notebook, chosen, inputs, show_code=show_code,
                           keep=keep, cell_timeout=cell_timeout, timeout=timeout, jobs=jobs, echo=echo,
                           gazetteer=gazetteer)


def _check_gazetteer(per_notebook: dict[str, dict[str, Any]]) -> str:
    """The ``gazetteer`` parameter as an absolute path, checked before anything runs ("" if not set).

    The notebooks run in the run folder, so a relative path is resolved here, against the current
    folder, and every notebook gets the absolute one.

    Raises:
        GazetteerError: the file is missing or invalid (the message names the file, entry and fix).
    """
    from supplywatch.actors.gazetteer import load_gazetteer

    given = {str(p["gazetteer"]).strip() for p in per_notebook.values() if "gazetteer" in p}
    given.discard("")
    if not given:
        return ""
    path = str(Path(given.pop()).resolve())
    load_gazetteer(path)
    for params in per_notebook.values():
        if "gazetteer" in params:
            params["gazetteer"] = path
    return path


def _unusable(out: Path, exc: OSError) -> RenderError:
    return RenderError(f"output folder {out} is unusable ({exc.strerror or exc}: {exc.filename or out}); "
                       "give --out a folder you can write to")


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _warm_task(corpus: Path, gazetteer: str, chosen: dict[str, Any], analysis_dir: Path,
               digest: dict[str, Any] | None = None) -> dict[str, Any]:
    filters = {k: str(chosen.get(k) or "") for k in ("since", "until", "topic", "actors")}
    return {"corpus": str(corpus.resolve()), "gazetteer": gazetteer, "filters": filters,
            "fields": str(chosen.get("fields") or ""), "analysis_dir": str(analysis_dir), "digest": digest}


def _filters_text(chosen: dict[str, Any]) -> str:
    return ", ".join(f"{k}={chosen[k]}" for k in ("since", "until", "topic", "actors") if chosen.get(k)) or "none"


def _render_new(corpus: Path, out: Path, nb_paths: list[Path], per_notebook: dict[str, dict[str, Any]],
                chosen: dict[str, Any], inputs: dict[str, Any], *, show_code: bool, keep: int | None,
                cell_timeout: float, timeout: float, jobs: int | None, echo: Callable[[str], None],
                gazetteer: str = "", t0: float | None = None) -> RenderResult:
    t0 = time.monotonic() if t0 is None else t0  # the run starts here: parameters checked, inputs hashed
    deadline = t0 + timeout
    started = utc()
    run_id = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(3)
    _clean_stale_temp(out)
    tmp = out / f".tmp-{run_id}"
    try:
        (tmp / "figures").mkdir(parents=True)
        (tmp / "tables").mkdir()
    except OSError as exc:
        raise _unusable(out, exc) from None
    tmp_inode = _inode(tmp)
    log_file = tmp / LOG_NAME
    handler = logging.FileHandler(log_file)
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        log.info("run %s: corpus %s, notebooks %s, parameters %s", run_id, corpus,
                 [p.name for p in nb_paths], chosen)
        from supplywatch.reports.whatchanged import previous_run

        previous = previous_run(out, corpus_abs=str(corpus.resolve()), parameters=chosen)
        digest = {"run_dir": str(tmp), "corpus": str(corpus.resolve()), "parameters": chosen,
                  "run": {"run_id": run_id, "started": started, "corpus": str(corpus)},
                  "previous": str(out / previous["run_id"]) if previous else "", "previous_run": previous}
        summary, kind, importer = _analyse(corpus, gazetteer, chosen, tmp / ANALYSIS_DIR, deadline, log_file, digest)
        if kind == "refused":
            log.error("render refused: %s", summary["refused"])
            shutil.rmtree(tmp, ignore_errors=True)
            raise CorpusError(f"{summary['refused']}; nothing was published")
        provenance = {"run": run_id, "run started": started, "corpus": str(corpus.resolve()),
                      "corpus hash": summary["corpus_hash"], "articles": summary["n_documents"],
                      "articles after the filters": summary.get("n_articles", summary["n_documents"]),
                      "git commit": git_commit() or "(not a git checkout)",
                      "package versions": package_versions()}
        tasks = [_task(nb, corpus, tmp, per_notebook, cell_timeout, show_code, provenance) for nb in nb_paths]
        # one more worker than cores: while one kernel starts up (waiting on I/O), the others compute
        n_jobs = max(1, min(jobs or (os.cpu_count() or 1) + 1, len(tasks)))
        if kind == "ok" and summary.get("n_articles", 1) == 0:
            reason = f"no article left after the filters ({_filters_text(chosen)})"
            records = [{**t["record"], "status": "not run", "error": reason, "html": ""} for t in tasks]
        elif kind == "ok" and not _notebook_tools_ready(importer, deadline):
            log.info("whole-run timeout: it expired while the notebook tools were imported")
            records = [{**t["record"], "status": "timeout", "error": NOT_RUN_DEADLINE, "html": ""} for t in tasks]
        elif kind == "ok":
            records = run_jobs(tasks, jobs=n_jobs, deadline=deadline, log_file=log_file)
        else:
            why = "the whole-run timeout expired during the analysis" if kind == "timeout" else "the corpus analysis failed"
            records = [{**t["record"], "status": "timeout" if kind == "timeout" else "not run", "error": why,
                        "html": ""} for t in tasks]
        status = _status(kind, summary, records)
        for rec in records:
            rec["headline"] = _headline(tmp, rec)
        run = {
            "run_id": run_id, "status": status, "started": started, "finished": utc(),
            "duration_s": round(time.monotonic() - t0, 2), "corpus": str(corpus), "corpus_abs": str(corpus.resolve()),
            "corpus_hash": summary["corpus_hash"], "n_documents": summary["n_documents"],
            "n_articles": summary.get("n_articles", summary["n_documents"]),
            "load_problems": summary["load_problems"], "parameters": chosen,
            "headline": next((r["headline"] for r in records if r.get("headline")), ""),
            "analysis_tables": summary.get("tables", []),
            "notebooks": records, "package_versions": provenance["package versions"],
            "git_commit": provenance["git commit"], "inputs": inputs,
            "options": {"cell_timeout_s": cell_timeout, "timeout_s": timeout, "show_code": show_code, "jobs": n_jobs},
            "error": "; ".join(f"{r['name']}: {r.get('error', '')}" for r in records if r["status"] != "ok"),
        }
        if status == "empty":
            run["error"] = f"no article left after the filters ({_filters_text(chosen)}); the corpus holds " \
                           f"{summary['n_documents']} article(s)"
            run["headline"] = run["error"]
        elif kind != "ok":
            run["error"] = f"analysis failed: {summary.get('analysis_error')}"
        if _inode(tmp) != tmp_inode:  # deleted, moved or unmounted while the notebooks ran
            raise RenderError(f"the output folder {out} vanished during run {run_id} (deleted, moved or "
                              "unmounted); nothing was published; render again into a folder that stays")
        from supplywatch.io import atomic_write_text

        atomic_write_text(tmp / RUN_FILE, json.dumps(run, indent=2, sort_keys=True, default=str) + "\n")
        write_run_index(tmp, run)
        log.info("run %s finished: %s", run_id, status)
    finally:
        log.removeHandler(handler)
        handler.close()
    final = out / run_id
    try:
        os.replace(tmp, final)
    except OSError as exc:
        raise _unusable(out, exc) from None
    if status == "ok":
        point_latest(out, run_id)
    if keep is not None:
        for removed in prune_runs(out, keep):
            echo(f"pruned old run {removed}")
    write_index(out)
    for rec in records:
        echo(f"{rec['status']:<8} {rec['name']}" + (f"  {rec.get('error', '')}" if rec["status"] != "ok" else ""))
    tail = f" ({run['error']})" if status == "empty" else ""
    echo(f"run {run_id}: {status}{tail} in {run['duration_s']:.1f} s -> {final}/ (index: {out / 'index.html'})")
    return RenderResult(run_id, final, status, notebooks=records)


def _import_notebook_tools() -> threading.Thread:
    """Import papermill and nbconvert in a thread while the corpus is analysed, so that notebook
    workers fork with them imported (seconds saved per notebook) without the import ever holding the
    run past its deadline: the thread is joined, up to the deadline, before any notebook worker forks."""
    def work() -> None:
        import nbconvert  # noqa: F401
        import papermill  # noqa: F401

    thread = threading.Thread(target=work, name="import-notebook-tools", daemon=True)
    thread.start()
    return thread


def _analyse(corpus: Path, gazetteer: str, chosen: dict[str, Any], analysis_dir: Path, deadline: float,
             log_file: Path, digest: dict[str, Any] | None = None) -> tuple[dict[str, Any], str, threading.Thread]:
    """Analyse the corpus in a worker (filters applied, tables written, the digest made); ``kind`` ok,
    error, timeout or refused (no article loads: ``summary["refused"]`` says why). The notebook tools
    are imported meanwhile; the third value is that thread (see :func:`_notebook_tools_ready`)."""
    warm = Job(warm_analysis, _warm_task(corpus, gazetteer, chosen, analysis_dir, digest), log_file)
    importer = _import_notebook_tools()  # started after the fork: no worker is forked while it runs
    while not warm.poll(0.05):
        if time.monotonic() >= deadline:
            log.info("whole-run timeout: stopping the corpus analysis")
            warm.stop()
            warm.result = ("timeout", "the whole-run timeout expired during the analysis")
    kind, summary = warm.result  # type: ignore[misc]
    if kind != "ok":
        log.error("analysis failed: %s", summary)
        summary = {"corpus_hash": "", "n_documents": 0, "load_problems": 0, "analysis_error": summary}
        return summary, "timeout" if kind == "timeout" else "error", importer
    return summary, "refused" if "refused" in summary else "ok", importer


def _task(nb: Path, corpus: Path, tmp: Path, per_notebook: dict[str, dict[str, Any]], cell_timeout: float,
          show_code: bool, provenance: dict[str, Any]) -> dict[str, Any]:
    params = {"corpus": str(corpus.resolve()), "output_dir": ".", **per_notebook[str(nb)]}
    return {
        "input": str(nb), "output": str(tmp / nb.name), "cwd": str(tmp), "parameters": params,
        "cell_timeout": cell_timeout, "show_code": show_code, "provenance": provenance,
        "record": {"name": nb.stem, "file": nb.name, "html": nb.stem + ".html", "sha256": file_sha256(nb),
                   "status": "pending"},
    }


def _notebook_tools_ready(importer: threading.Thread, deadline: float) -> bool:
    """Wait, at most until ``deadline``, for the import thread; False when the deadline came first."""
    importer.join(max(0.0, deadline - time.monotonic()))
    return not importer.is_alive()


def _status(kind: str, summary: dict[str, Any], records: list[dict[str, Any]]) -> str:
    """The run's status: ok, empty (the filters left no article), timeout, or failed."""
    if kind == "ok" and summary.get("n_articles", 1) == 0:
        return "empty"
    statuses = {r["status"] for r in records}
    if kind == "timeout" or "timeout" in statuses:
        return "timeout"
    return "ok" if statuses == {"ok"} else "failed"


def _headline(run_dir: Path, record: dict[str, Any]) -> str:
    """The first key finding a notebook saved (``tables/NN-key-findings.csv``), or ""."""
    import csv

    prefix = record["name"].split("-", 1)[0]
    try:
        with open(run_dir / "tables" / f"{prefix}-key-findings.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError:
        return ""
    return rows[0].get("finding", "") if rows else ""


# --------------------------------------------------------------------------------------------
# Command line


def _cmd_render(args: argparse.Namespace) -> int:
    parameters = dict(args.param or [])
    if args.field:  # --field text=body: the notebooks' `fields` parameter, checked before anything runs
        from supplywatch.corpus.records import FieldMap

        FieldMap.parse(args.field)
        parameters["fields"] = ",".join(args.field)
    result = render(
        args.corpus, out=args.out, parameters=parameters, params_file=args.params_file,
        show_code=args.show_code, force=args.force, keep=args.keep, cell_timeout=args.cell_timeout,
        timeout=args.timeout, notebooks=args.notebooks, notebooks_dir=args.notebooks_dir, jobs=args.jobs,
    )
    sys.stdout.flush()
    return result.exit_code


def _parameters_help() -> str:
    """The notebooks' parameters (from their parameters cells) for ``render --help``."""
    try:
        listing = describe_notebooks(find_notebooks())
    except Exception as exc:  # a broken notebook must not break --help
        return f"notebook parameters: cannot read them ({exc})"
    return ("notebook parameters (-p NAME VALUE; corpus and output_dir are set by render itself):\n" + listing
            + "\n\nExample: supplywatch render seeds -p since 2025-06-01 -p topic rare-earths -p actors China,India")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``supplywatch render`` to the CLI's sub-commands."""
    p = sub.add_parser(
        "render", help="run the notebooks and write HTML reports",
        description=textwrap.fill(
            "Run every notebook on CORPUS with papermill and write self-contained HTML reports, figures, tables, "
            "the analysis tables (OUT/<run-id>/analysis/) and run.json into OUT/<run-id>/; update OUT/index.html "
            "and OUT/latest. Exit codes: 0 ok (or reused), 1 a notebook failed or timed out, or the filters left "
            "no article (status empty; latest is not moved), 2 could not start or could not write: bad "
            "parameters (unknown name, wrong type, unknown topic or actor, top_n below 1), gazetteer, corpus or "
            "--notebooks pattern, OUT unusable or vanished, or another render holds OUT.", 100),
        epilog=_parameters_help(), formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("corpus", nargs="?", default=str(SEEDS_DIR), metavar="CORPUS",
                   help="corpus folder or file (default: the bundled seeds/)")
    p.add_argument("--out", default=str(REPORTS_DIR), metavar="DIR", help="output folder (default: reports/)")
    p.add_argument("-p", "--parameter", dest="param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="set a notebook parameter (repeatable); checked against the notebooks' parameters cells")
    p.add_argument("--params-file", metavar="YAML", help="parameters as a YAML mapping (-p overrides it)")
    p.add_argument("--field", action="append", default=[], metavar="FIELD=KEY",
                   help="read an article field from another record key in JSON/CSV files (sets the "
                        "notebooks' `fields` parameter), e.g. --field text=body")
    p.add_argument("--show-code", action="store_true", help="show the code cells in the HTML")
    p.add_argument("--force", action="store_true", help="render even if the inputs are unchanged")
    p.add_argument("--keep", type=int, metavar="N", help="keep only the N newest runs (never the newest good one)")
    p.add_argument("--cell-timeout", type=float, default=DEFAULT_CELL_TIMEOUT, metavar="S",
                   help=f"seconds one cell may run (default {DEFAULT_CELL_TIMEOUT:g})")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                   help=f"seconds the whole run may take (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--notebooks", default=DEFAULT_PATTERN, metavar="GLOB",
                   help=f"which notebooks to run (default {DEFAULT_PATTERN!r})")
    p.add_argument("--notebooks-dir", default=str(NOTEBOOKS_DIR), metavar="DIR",
                   help="folder of the notebooks (default: the project's notebooks/)")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="notebooks run at once (default: cores + 1)")
    p.set_defaults(func=_cmd_render)
