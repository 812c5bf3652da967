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
import multiprocessing
import os
import secrets
import shutil
import signal
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supplywatch.config import NOTEBOOKS_DIR, REPORTS_DIR, SEEDS_DIR
from supplywatch.exceptions import CorpusError, RenderError
from supplywatch.hashing import file_sha256
from supplywatch.provenance import git_commit, input_fingerprint, package_versions
from supplywatch.reports.index import RUN_FILE, list_runs, point_latest, prune_runs, write_index, write_run_index
from supplywatch.reports.lock import RenderLock
from supplywatch.reports.params import read_params_file, validate_parameters

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
        return 0 if self.status == "ok" else 1


def _utc(ts: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


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
# Work done in worker processes (forked, so they start instantly with everything imported)


def _terminate_handler(signum: int, frame: Any) -> None:  # pragma: no cover - runs in a worker
    raise KeyboardInterrupt(f"stopped by signal {signum} (run timeout)")


def _warm_analysis(task: dict[str, Any]) -> dict[str, Any]:
    """Analyse the corpus once (the notebooks' kernels then find it cached); return its summary."""
    from supplywatch.analysis.pipeline import analyze_corpus

    try:
        result = analyze_corpus(task["corpus"], gazetteer=task["gazetteer"] or None,
                                fields=[f for f in str(task.get("fields") or "").split(",") if f.strip()])
    except CorpusError as exc:  # no article loaded (or a bad field mapping): refused, nothing published
        return {"refused": str(exc)}
    summary = {"corpus_hash": result.corpus_hash, "n_documents": int(len(result.documents)),
               "load_problems": len(result.report.problems)}
    if task.get("digest"):  # the run's snapshot and digest.json, before the notebooks show them
        from supplywatch.reports.whatchanged import make_run_digest

        digest = dict(task["digest"])
        digest["run"] = {**digest["run"], "corpus_hash": result.corpus_hash, "n_documents": summary["n_documents"]}
        summary["digest"] = make_run_digest(digest)
    return summary


def _execute_notebook(task: dict[str, Any]) -> dict[str, Any]:
    """Run one notebook with papermill, then convert it to HTML. Returns the notebook's record."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    record = dict(task["record"])
    record["started"] = _utc()
    t0 = time.monotonic()
    try:
        papermill.execute_notebook(
            task["input"], task["output"], parameters=task["parameters"], cwd=task["cwd"],
            execution_timeout=task["cell_timeout"], progress_bar=False, log_output=False,
            request_save_on_cell_execute=True,
        )
        record["status"] = "ok"
    except PapermillExecutionError as exc:
        record["status"] = "failed"
        record["error"] = f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    except KeyboardInterrupt as exc:
        record["status"] = "timeout"
        record["error"] = str(exc)
    except Exception as exc:  # kernel died, cell timeout (nbclient raises it), bad notebook
        record["status"] = "timeout" if type(exc).__name__ == "CellTimeoutError" else "failed"
        record["error"] = f"{type(exc).__name__}: {exc}".strip()
    record["finished"] = _utc()
    record["duration_s"] = round(time.monotonic() - t0, 2)
    _write_html(task, record)
    return record


def _write_html(task: dict[str, Any], record: dict[str, Any]) -> None:
    from supplywatch.io import atomic_write_text
    from supplywatch.reports.html import notebook_to_html

    if not Path(task["output"]).exists():
        record["html"] = ""
        return
    provenance = dict(task["provenance"])
    provenance.update({"notebook": record["name"], "notebook sha256": record["sha256"],
                       "notebook status": record["status"] + (f" ({record['error']})" if record.get("error") else ""),
                       "parameters": task["parameters"], "notebook started": record["started"],
                       "notebook finished": record["finished"]})
    try:
        html = notebook_to_html(task["output"], provenance=provenance, show_code=task["show_code"])
        atomic_write_text(Path(task["cwd"]) / record["html"], html)
    except Exception as exc:
        record["status"] = "failed"
        record["error"] = (record.get("error", "") + f"; HTML conversion failed: {exc}").lstrip("; ")
        record["html"] = ""


def _die_with_parent() -> None:  # pragma: no cover - runs in a worker
    """Ask Linux to send this worker SIGTERM when the render process dies, even by ``kill -9``.

    Without it a killed render would leave its workers (and their kernels) running for as long as a
    notebook takes. Elsewhere (no ``prctl``) this does nothing.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


def _worker(func: Callable[[Any], Any], arg: Any, conn: Any, log_file: str) -> None:  # pragma: no cover
    signal.signal(signal.SIGTERM, _terminate_handler)
    _die_with_parent()
    log_fd = os.open(log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(log_fd, 2)  # the kernels' own warnings go to the run's log, not the terminal
    os.close(log_fd)
    handler = logging.FileHandler(log_file)
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"))
    logging.getLogger().handlers[:] = [handler]
    logging.getLogger().setLevel(logging.INFO)
    try:
        conn.send(("ok", func(arg)))
    except BaseException as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class _Job:
    """One worker process and the pipe its result comes back on."""

    def __init__(self, func: Callable[[Any], Any], arg: Any, log_file: Path) -> None:
        ctx = multiprocessing.get_context("fork")
        self.recv, send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_worker, args=(func, arg, send, str(log_file)), daemon=False)
        self.process.start()
        send.close()
        self.result: tuple[str, Any] | None = None

    def poll(self, timeout: float = 0.0) -> bool:
        """True once the worker has finished (result or crash)."""
        if self.result is None and self.recv.poll(timeout):
            try:
                self.result = self.recv.recv()
            except EOFError:
                self.result = ("error", f"worker exited with code {self.process.exitcode}")
        if self.result is None and not self.process.is_alive():
            self.process.join()
            if not self.recv.poll(0):
                self.result = ("error", f"worker died (exit code {self.process.exitcode})")
        return self.result is not None

    def stop(self) -> None:
        """Ask the worker to stop (its kernel is shut down), then kill it if it does not."""
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(10)
            if self.process.is_alive():
                self.process.kill()
        self.process.join()


def _run_jobs(tasks: list[dict[str, Any]], *, jobs: int, deadline: float, log_file: Path) -> list[dict[str, Any]]:
    """Execute notebook tasks, ``jobs`` at a time, stopping everything at ``deadline``."""
    pending = list(enumerate(tasks))
    running: dict[int, _Job] = {}
    records: dict[int, dict[str, Any]] = {}
    while pending or running:
        while pending and len(running) < jobs and time.monotonic() < deadline:
            i, task = pending.pop(0)
            log.info("executing %s", task["record"]["name"])
            running[i] = _Job(_execute_notebook, task, log_file)
        for i, job in list(running.items()):
            if job.poll(0.05):
                kind, value = job.result  # type: ignore[misc]
                job.process.join()
                records[i] = value if kind == "ok" else {**tasks[i]["record"], "status": "failed", "error": value}
                log.info("%s: %s", records[i]["name"], records[i]["status"])
                del running[i]
        if time.monotonic() >= deadline:
            for i, job in running.items():
                job.stop()
                rec = job.result[1] if job.result and job.result[0] == "ok" else None
                records[i] = rec or {**tasks[i]["record"], "status": "timeout",
                                     "error": "the whole-run timeout expired while it ran"}
                if not rec:
                    _write_html(tasks[i], {**records[i], "started": "", "finished": _utc()})
                    records[i]["html"] = tasks[i]["record"]["html"] if (Path(tasks[i]["cwd"]) / tasks[i]["record"]["html"]).exists() else ""
            running.clear()
            for i, task in pending:
                records[i] = {**task["record"], "status": "not run", "error": "the whole-run timeout expired first"}
            pending.clear()
    return [records[i] for i in range(len(tasks))]


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
        ParameterError: an unknown parameter or a value of the wrong type (nothing has run).
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
                if not (out / "index.html").exists():
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


def _render_new(corpus: Path, out: Path, nb_paths: list[Path], per_notebook: dict[str, dict[str, Any]],
                chosen: dict[str, Any], inputs: dict[str, Any], *, show_code: bool, keep: int | None,
                cell_timeout: float, timeout: float, jobs: int | None, echo: Callable[[str], None],
                gazetteer: str = "") -> RenderResult:
    t0 = time.monotonic()
    deadline = t0 + timeout
    started = _utc()
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
        warm = _Job(_warm_analysis, {"corpus": str(corpus.resolve()), "gazetteer": gazetteer,
                                     "fields": chosen.get("fields", ""), "digest": digest}, log_file)
        import nbconvert  # noqa: F401  (imported once here, while the corpus is analysed, for the workers)
        import papermill  # noqa: F401

        while not warm.poll(0.05):
            if time.monotonic() >= deadline:
                warm.stop()
                warm.result = ("error", "the whole-run timeout expired during the analysis")
        kind, summary = warm.result  # type: ignore[misc]
        if kind == "ok" and "refused" in summary:
            log.error("render refused: %s", summary["refused"])
            shutil.rmtree(tmp, ignore_errors=True)
            raise CorpusError(f"{summary['refused']}; nothing was published")
        if kind != "ok":
            log.error("analysis failed: %s", summary)
            summary = {"corpus_hash": "", "n_documents": 0, "load_problems": 0, "analysis_error": summary}
        provenance = {"run": run_id, "run started": started, "corpus": str(corpus.resolve()),
                      "corpus hash": summary["corpus_hash"], "articles": summary["n_documents"],
                      "git commit": git_commit() or "(not a git checkout)",
                      "package versions": package_versions()}
        tasks = []
        for nb in nb_paths:
            params = {"corpus": str(corpus.resolve()), "output_dir": ".", **per_notebook[str(nb)]}
            tasks.append({
                "input": str(nb), "output": str(tmp / nb.name), "cwd": str(tmp), "parameters": params,
                "cell_timeout": cell_timeout, "show_code": show_code, "provenance": provenance,
                "record": {"name": nb.stem, "file": nb.name, "html": nb.stem + ".html", "sha256": file_sha256(nb),
                           "status": "pending"},
            })
        # one more worker than cores: while one kernel starts up (waiting on I/O), the others compute
        n_jobs = max(1, min(jobs or (os.cpu_count() or 1) + 1, len(tasks)))
        records = _run_jobs(tasks, jobs=n_jobs, deadline=deadline, log_file=log_file) if kind == "ok" else [
            {**t["record"], "status": "not run", "error": "the corpus analysis failed"} for t in tasks]
        statuses = {r["status"] for r in records}
        status = "ok" if statuses == {"ok"} else ("timeout" if "timeout" in statuses else "failed")
        if "the whole-run timeout" in str(summary.get("analysis_error", "")) or any(
                "the whole-run timeout" in str(r.get("error", "")) for r in records):
            status = "timeout"  # the deadline passed during the analysis or before a notebook could start
        run = {
            "run_id": run_id, "status": status, "started": started, "finished": _utc(),
            "duration_s": round(time.monotonic() - t0, 2), "corpus": str(corpus), "corpus_abs": str(corpus.resolve()),
            "corpus_hash": summary["corpus_hash"], "n_documents": summary["n_documents"],
            "load_problems": summary["load_problems"], "parameters": chosen,
            "notebooks": records, "package_versions": provenance["package versions"],
            "git_commit": provenance["git commit"], "inputs": inputs,
            "options": {"cell_timeout_s": cell_timeout, "timeout_s": timeout, "show_code": show_code, "jobs": n_jobs},
            "error": "; ".join(f"{r['name']}: {r.get('error', '')}" for r in records if r["status"] != "ok"),
        }
        if kind != "ok":
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
    echo(f"run {run_id}: {status} in {run['duration_s']:.1f} s -> {final}/ (index: {out / 'index.html'})")
    return RenderResult(run_id, final, status, notebooks=records)


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


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``supplywatch render`` to the CLI's sub-commands."""
    p = sub.add_parser(
        "render", help="run the notebooks and write HTML reports",
        description="Run every notebook on CORPUS with papermill and write self-contained HTML reports, "
                    "figures, tables and run.json into OUT/<run-id>/; update OUT/index.html and OUT/latest. "
                    "Exit codes: 0 ok (or reused), 1 a notebook failed or timed out, 2 could not start or "
                    "could not write: bad parameters, gazetteer, corpus or --notebooks pattern, OUT unusable "
                    "or vanished, or another render holds OUT.",
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
