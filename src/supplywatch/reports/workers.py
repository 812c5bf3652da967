"""The worker processes of a render: the corpus analysis and one notebook each, under a deadline.

Workers are forked (they start at once with everything imported). Each sends its result back on a
pipe; :func:`run_jobs` runs notebook workers ``jobs`` at a time and, at the whole-run deadline,
stops every running worker *and its kernel* (the kernel runs in its own session, so the worker's
process tree is collected and killed) within a few seconds, whatever the load of the machine.

Kernels are started with CurveZMQ transport encryption where the kernelspec supports it (the
``python3`` and ``supplywatch`` kernelspecs of ipykernel 7 do), so no kernel warns that it "is running
over TCP without encryption".
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("supplywatch.reports.render")

#: Seconds a stopped worker gets to shut its kernel down before it and its kernel are killed.
STOP_GRACE_S = 2.0
#: Error of a notebook that did not run because the deadline came first.
NOT_RUN_DEADLINE = "the whole-run timeout expired before it started"


def utc(ts: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _terminate_handler(signum: int, frame: Any) -> None:  # pragma: no cover - runs in a worker
    raise KeyboardInterrupt(f"stopped by signal {signum} (run timeout)")


def kernel_manager_class():
    """A kernel manager that asks for CurveZMQ transport encryption where the kernelspec allows it."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class EncryptedKernelManager(AsyncKernelManager):
        @default("transport_encryption")
        def _default_transport_encryption(self) -> str:
            import zmq

            return "auto" if zmq.has("curve") else "disabled"

    return EncryptedKernelManager


def kernel_for(notebook: str | os.PathLike) -> str:
    """The kernel a notebook runs on: the kernelspec its metadata names (the project's ``supplywatch``
    kernel that ``make venv`` installs) when it is installed, else ``python3`` (this interpreter's)."""
    import json

    from jupyter_client.kernelspec import find_kernel_specs

    try:
        wanted = json.loads(Path(notebook).read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"]
    except (OSError, ValueError, KeyError, TypeError):
        wanted = ""
    installed = find_kernel_specs()
    if wanted in installed:
        return wanted
    if wanted:
        log.info("%s asks for kernel %r, which is not installed here (make venv installs it); using python3",
                 Path(notebook).name, wanted)
    return "python3"


def warm_analysis(task: dict[str, Any]) -> dict[str, Any]:
    """Analyse the corpus once (the notebooks' kernels then find it cached), apply the filters, write
    the filtered analysis tables as CSV into ``task['analysis_dir']``; return a summary.

    Returns:
        ``corpus_hash``, ``n_documents`` (the corpus), ``n_articles`` (after the filters),
        ``load_problems``, ``tables`` (the CSV files written, relative to the run folder) and, with
        ``task['digest']``, ``digest`` (:func:`supplywatch.reports.whatchanged.make_run_digest`); or
        ``{"refused": why}`` when no article loads.
    """
    from supplywatch.exceptions import CorpusError
    from supplywatch.io import write_csv
    from supplywatch.reports.filters import load_report_data

    try:
        data = load_report_data(task["corpus"], gazetteer=task["gazetteer"], fields=task.get("fields", ""),
                                **task["filters"])
    except CorpusError as exc:  # no article loaded (or a bad field mapping): refused, nothing published
        return {"refused": str(exc)}
    folder = Path(task["analysis_dir"])
    written = []
    for name in sorted(data.tables):
        if not name.startswith("_"):
            written.append(write_csv(data.tables[name], folder / f"{name}.csv"))
    written.append(write_csv(data.load_problems, folder / "load_report.csv"))
    summary = {"corpus_hash": data.corpus_hash, "n_documents": data.n_documents_loaded,
               "n_articles": data.n_documents, "load_problems": int(len(data.load_problems)),
               "tables": [f"{folder.name}/{p.name}" for p in written]}
    if task.get("digest"):  # the run's snapshot and digest.json, before the notebooks show them
        from supplywatch.reports.whatchanged import make_run_digest

        digest = dict(task["digest"])
        digest["run"] = {**digest["run"], "corpus_hash": data.corpus_hash, "n_documents": data.n_documents_loaded}
        summary["digest"] = make_run_digest(digest, data=data)
    return summary


def execute_notebook(task: dict[str, Any]) -> dict[str, Any]:
    """Run one notebook with papermill, then convert it to HTML. Returns the notebook's record."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    record = dict(task["record"])
    record["started"] = utc()
    t0 = time.monotonic()
    try:
        papermill.execute_notebook(
            task["input"], task["output"], parameters=task["parameters"], cwd=task["cwd"],
            execution_timeout=task["cell_timeout"], progress_bar=False, log_output=False,
            request_save_on_cell_execute=True, kernel_name=kernel_for(task["input"]),
            kernel_manager_class=kernel_manager_class(),
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
    record["finished"] = utc()
    record["duration_s"] = round(time.monotonic() - t0, 2)
    write_html(task, record)
    return record


def write_html(task: dict[str, Any], record: dict[str, Any]) -> None:
    """The executed notebook as HTML beside it (``record['html']`` is "" when there is none)."""
    from supplywatch.io import atomic_write_text
    from supplywatch.reports.html import notebook_to_html

    if not Path(task["output"]).exists():
        record["html"] = ""
        return
    provenance = dict(task["provenance"])
    provenance.update({"notebook": record["name"], "notebook sha256": record["sha256"],
                       "notebook status": record["status"] + (f" ({record['error']})" if record.get("error") else ""),
                       "parameters": task["parameters"], "notebook started": record.get("started", ""),
                       "notebook finished": record.get("finished", "")})
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


def _descendants(pid: int) -> list[Any]:
    try:
        import psutil

        return psutil.Process(pid).children(recursive=True)
    except Exception:  # psutil missing, or the process is gone
        return []


class Job:
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

    def terminate(self) -> None:
        """Ask the worker to stop (SIGTERM: it shuts its kernel down); remember its process tree."""
        self._tree = _descendants(self.process.pid) if self.process.is_alive() else []
        if self.process.is_alive():
            self.process.terminate()

    def reap(self, until: float) -> None:
        """Wait for a terminated worker until ``until`` (monotonic), then kill it and every process
        it started (the kernel runs in its own session, so it does not die with the worker)."""
        tree = getattr(self, "_tree", [])
        self.process.join(max(0.0, until - time.monotonic()))
        if self.process.is_alive():
            tree += _descendants(self.process.pid)
            self.process.kill()
        self.process.join()
        for child in tree:
            try:
                child.kill()
            except Exception:  # already gone
                pass

    def stop(self, grace: float = STOP_GRACE_S) -> None:
        """Stop the worker and its kernel within ``grace`` seconds."""
        self.terminate()
        self.reap(time.monotonic() + grace)


def run_jobs(tasks: list[dict[str, Any]], *, jobs: int, deadline: float, log_file: Path) -> list[dict[str, Any]]:
    """Execute notebook tasks, ``jobs`` at a time, stopping everything at ``deadline``.

    A notebook running at the deadline is stopped and marked ``timeout`` (its partly executed copy
    stays; the worker converts it to HTML if it can within :data:`STOP_GRACE_S`); one not yet started
    is marked ``timeout`` with :data:`NOT_RUN_DEADLINE`.
    """
    pending = list(enumerate(tasks))
    running: dict[int, Job] = {}
    records: dict[int, dict[str, Any]] = {}
    while pending or running:
        while pending and len(running) < jobs and time.monotonic() < deadline:
            i, task = pending.pop(0)
            log.info("executing %s", task["record"]["name"])
            running[i] = Job(execute_notebook, task, log_file)
        for i, job in list(running.items()):
            if job.poll(0.05):
                kind, value = job.result  # type: ignore[misc]
                job.process.join()
                records[i] = value if kind == "ok" else {**tasks[i]["record"], "status": "failed", "error": value}
                log.info("%s: %s", records[i]["name"], records[i]["status"])
                del running[i]
        if time.monotonic() >= deadline:
            log.info("whole-run timeout: stopping %d running notebook(s), %d not started", len(running), len(pending))
            for job in running.values():  # SIGTERM to every worker at once, then one grace period for all
                job.terminate()
            until = time.monotonic() + STOP_GRACE_S
            for i, job in running.items():
                job.reap(until)
                log.info("%s stopped", tasks[i]["record"]["name"])
                job.poll(0)
                rec = job.result[1] if job.result and job.result[0] == "ok" else None
                records[i] = rec or {**tasks[i]["record"], "status": "timeout",
                                     "error": "the whole-run timeout expired while it ran"}
                if not rec:  # killed before it wrote its HTML: the partly executed .ipynb stays
                    html = Path(tasks[i]["cwd"]) / tasks[i]["record"]["html"]
                    records[i]["html"] = tasks[i]["record"]["html"] if html.exists() else ""
            running.clear()
            for i, task in pending:
                records[i] = {**task["record"], "status": "timeout", "error": NOT_RUN_DEADLINE, "html": ""}
            pending.clear()
    return [records[i] for i in range(len(tasks))]
