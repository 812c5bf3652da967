"""Time ``supplywatch render`` of the seed against the papermill and nbconvert command-line tools.

The baseline is what a user would script by hand: for each notebook, ``papermill`` (a new Python
process, a new kernel) then ``jupyter nbconvert --to html`` (another process). Ours runs in one
process: the analysis once, the notebooks in parallel worker processes, nbconvert in-process.
Both use the same notebooks, parameters and analysis cache; each is timed ``--repeat`` times and the
best time kept. Target: ours takes at most half as long (ratio <= 0.5).

Usage:
    python benchmarks/render_bench.py [--corpus seeds] [--repeat 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from supplywatch.config import NOTEBOOKS_DIR, SEEDS_DIR

BIN = Path(sys.executable).parent


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")


def time_ours(corpus: Path, work: Path) -> float:
    start = time.perf_counter()
    _run([str(BIN / "supplywatch"), "render", str(corpus), "--out", str(work / "ours"), "--force"])
    return time.perf_counter() - start


def time_cli(corpus: Path, work: Path) -> float:
    out = work / "cli"
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for nb in sorted(NOTEBOOKS_DIR.glob("[0-9]*.ipynb")):
        executed = out / nb.name
        _run([str(BIN / "papermill"), str(nb), str(executed), "-p", "corpus", str(corpus),
              "-p", "output_dir", str(out), "--cwd", str(out), "--no-progress-bar"])
        _run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SEEDS_DIR)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _run([str(BIN / "supplywatch"), "analyze", str(args.corpus), "--out", str(work / "warm")])  # warm the cache
        cli = min(time_cli(args.corpus.resolve(), work) for _ in range(args.repeat))
        ours = min(time_ours(args.corpus.resolve(), work) for _ in range(args.repeat))
    ratio = ours / cli
    print(f"papermill + nbconvert CLIs, one notebook at a time: {cli:6.2f} s")
    print(f"supplywatch render:                                 {ours:6.2f} s")
    print(f"ratio: {ratio:.2f} (target <= 0.50) {'OK' if ratio <= 0.5 else 'SLOWER THAN TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
