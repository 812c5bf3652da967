"""The digest of runs: made during a render, compared from the command line.

* :func:`previous_run`: the run a new render is compared with (newest successful run of the same
  corpus folder with the same parameters that has a snapshot).
* :func:`make_run_digest`: called by the render (in the analysis worker) to write the run's snapshot
  and ``digest.json`` before the notebooks run (they show it: :mod:`supplywatch.reports.digestview`).
* ``supplywatch digest RUN_A RUN_B``: compares any two runs of an output folder
  (:func:`compare_runs`).

Example:
    >>> compare_runs("20250612T101500Z-3f9a1c", "20250613T101500Z-77ab01", out="reports")  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from supplywatch.reports.digest import (
    SNAPSHOT_DIR,
    DigestError,
    compare,
    digest_json,
    load_snapshot,
    snapshot_tables,
    write_digest,
    write_snapshot,
)
from supplywatch.reports.digestview import summary_lines

def previous_run(out: str | os.PathLike, *, corpus_abs: str, parameters: Mapping[str, Any]) -> dict[str, Any] | None:
    """The newest successful run in ``out`` of the same corpus folder with the same parameters and a snapshot."""
    from supplywatch.reports.index import list_runs

    wanted = json.loads(json.dumps(dict(parameters), default=str))
    for run in list_runs(out):
        if (run.get("status") == "ok" and run.get("corpus_abs") == corpus_abs
                and json.loads(json.dumps(run.get("parameters", {}), default=str)) == wanted
                and (Path(out) / run["run_id"] / SNAPSHOT_DIR).is_dir()):
            return run
    return None


def make_run_digest(task: Mapping[str, Any], data: Any = None) -> dict[str, Any]:
    """Write the run's snapshot and digest.json (called by the render before the notebooks run).

    ``task``: ``run_dir``, ``corpus``, ``parameters`` (the render's), ``run`` (run_id, started, corpus,
    corpus_hash, n_documents), ``previous`` (the previous run folder or "") and ``previous_run`` (its
    run.json). The report filters (since, until, actors, topic, gazetteer) apply as in the notebooks.
    ``data``: the run's filtered :class:`supplywatch.reports.filters.ReportData` when the caller has
    it (else it is loaded here). Returns ``{"status", "counts"}``; a failure is written as a digest
    with status ``error``.
    """
    from supplywatch.reports.filters import load_report_data

    params = task.get("parameters", {})
    filters = {k: str(params.get(k, "")) for k in ("since", "until", "actors", "topic", "gazetteer")}
    try:
        data = data if data is not None else load_report_data(task["corpus"], **filters)
        write_snapshot(task["run_dir"], data.tables)
        current = load_snapshot(task["run_dir"])
        previous = load_snapshot(task["previous"]) if task.get("previous") else None
        digest = compare(previous, current, run=task.get("run"), previous_run=task.get("previous_run"),
                         parameters=params)
    except Exception as exc:  # noqa: BLE001 - the digest must never sink the run; it says what failed
        digest = compare(None, snapshot_tables({}), run=task.get("run"), parameters=params)  # same fields
        digest.update(status="error", message=f"the digest could not be made: {type(exc).__name__}: {exc}")
    write_digest(task["run_dir"], digest)
    return {"status": digest["status"], "counts": digest["counts"]}


def _run_folder(out: Path, run: str) -> Path:
    path = Path(run)
    if path.is_dir() and ((path / SNAPSHOT_DIR).exists() or (path / "run.json").exists()):
        return path  # a run folder given by its path
    from supplywatch.reports.index import read_run, safe_run_id

    folder = out / safe_run_id(run)
    if not folder.is_dir():
        raise DigestError(f"no run {run!r}: neither a run folder nor a run id in {out} "
                          f"(run ids are the folder names listed in {out / 'index.html'})")
    if read_run(folder) is None:
        raise DigestError(f"{folder} has no run.json: not a finished run of supplywatch render")
    return folder


def compare_runs(run_a: str, run_b: str, *, out: str | os.PathLike = "reports") -> dict[str, Any]:
    """The digest of run ``run_b`` against run ``run_a`` (run ids in ``out``, or run folders).

    Raises:
        DigestError: a run is missing or has no snapshot.
    """
    from supplywatch.reports.index import read_run

    out = Path(out)
    a, b = _run_folder(out, run_a), _run_folder(out, run_b)
    run_info_a, run_info_b = read_run(a) or {"run_id": a.name}, read_run(b) or {"run_id": b.name}
    return compare(load_snapshot(a), load_snapshot(b), run=run_info_b, previous_run=run_info_a,
                   parameters=run_info_b.get("parameters", {}))


def _cmd_digest(args: argparse.Namespace) -> int:
    digest = compare_runs(args.run_a, args.run_b, out=args.out)
    earlier, later = (digest.get("previous_run") or {}).get("started", ""), (digest.get("run") or {}).get("started", "")
    if earlier and later and earlier > later:  # the arguments read as "what changed from B back to A"
        print(f"note: RUN_A ({args.run_a}, started {earlier}) is newer than RUN_B ({args.run_b}, started "
              f"{later}); the digest below is what changed going back in time. Give the earlier run first.",
              file=sys.stderr)
    if args.json:
        sys.stdout.write(digest_json(digest))
    else:
        print("\n".join(summary_lines(digest)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``supplywatch digest`` to the CLI's sub-commands."""
    from supplywatch.config import REPORTS_DIR

    p = sub.add_parser(
        "digest", help="what changed between two runs of an output folder",
        description="Compare run RUN_B with the earlier run RUN_A (run ids in --out, or run folders): new actors, "
                    "new claims, changed figures, mention spikes, articles new, changed or gone. Prints a summary, "
                    "or with --json the digest in the schema of digest.json. Exit codes: 0 done, 2 a run is "
                    "missing or was rendered before digests existed.",
    )
    p.add_argument("run_a", metavar="RUN_A", help="the earlier run (run id or folder)")
    p.add_argument("run_b", metavar="RUN_B", help="the later run (run id or folder)")
    p.add_argument("--out", default=str(REPORTS_DIR), metavar="DIR",
                   help="the output folder holding the runs (default: reports/)")
    p.add_argument("--json", action="store_true", help="print the digest as JSON (the schema of digest.json)")
    p.set_defaults(func=_cmd_digest)
