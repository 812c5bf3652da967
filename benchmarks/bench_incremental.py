"""Benchmark incremental analysis: a corpus that grows, re-analysed with the article store.

Run by ``make bench`` (after ``bench_analyze.py``), or alone::

    .venv/bin/python benchmarks/bench_incremental.py --reuters-jsonl DIR [--bbc DIR] [--work DIR]

Two cases, each measured in fresh processes (so no in-process cache helps either side):

* **Reuters-21578 + 1 %**: the collection's JSON Lines (``supplywatch import reuters21578``) without
  its last 1 % of articles is analysed with the store (filling it); those articles are then added
  as a new file (as a daily ``supplywatch fetch`` adds one) and the corpus is analysed again.
* **BBC News + 30**: the BBC folder without 30 articles spread over its five sections is analysed;
  the 30 files are put back (in the middle of the folders, not at the end) and it is analysed again.

Each re-analysis is timed (the ``analyze_corpus`` call) and divided by a ``--no-cache`` run of the
grown corpus; its tables are compared with that run's (sha256 of every table's CSV). Targets
(issue 17): Reuters <= 0.10x, BBC <= 0.25x, tables identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_BBC = HERE.parent.parent / "shared" / "corpora" / "bbc"


def _child(corpus: Path, cache: str) -> dict:
    from supplywatch.analysis.pipeline import analyze_corpus

    t0 = time.perf_counter()
    result = analyze_corpus(corpus, cache=False if cache == "none" else cache)
    seconds = time.perf_counter() - t0
    digest = hashlib.sha256()
    for name, frame in result.tables.items():
        digest.update(name.encode() + b"\0" + frame.to_csv(index=False, lineterminator="\n").encode() + b"\0")
    return {"seconds": seconds, "docs": len(result.documents), "digest": digest.hexdigest()}


def _run(corpus: Path, cache: Path | None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--corpus", str(corpus),
           "--cache", str(cache) if cache else "none"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"incremental benchmark child failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _case(label: str, corpus: Path, cache: Path, grow, target: float) -> tuple[str, float, bool]:
    shutil.rmtree(cache, ignore_errors=True)
    fill = _run(corpus, cache)
    added = grow()
    again = _run(corpus, cache)
    full = _run(corpus, None)
    ratio = again["seconds"] / full["seconds"]
    same = again["digest"] == full["digest"]
    print(f"{label}: first run with the store {fill['seconds']:.2f} s ({fill['docs']:,} articles); "
          f"{added} added -> re-analysis {again['seconds']:.2f} s vs --no-cache {full['seconds']:.2f} s "
          f"({full['docs']:,} articles): {ratio:.3f}x; tables identical: {'yes' if same else 'NO'}", flush=True)
    return f"{label}: re-analysis <= {target:.2f}x a full run, tables identical", ratio, same


def reuters_case(jsonl: Path, work: Path) -> tuple[str, float, bool]:
    corpus = work / "inc-reuters"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    files = sorted(jsonl.glob("*.jsonl"))
    total = sum(1 for f in files for line in f.open(encoding="utf-8") if line.strip())
    n_new = max(1, round(total * 0.01))
    for f in files[:-1]:
        shutil.copy(f, corpus / f.name)
    lines = [line for line in files[-1].read_text(encoding="utf-8").splitlines() if line.strip()]
    held = lines[-n_new:]
    (corpus / files[-1].name).write_text("\n".join(lines[:-n_new]) + "\n", encoding="utf-8")

    def grow() -> str:
        (corpus / "zz-added.jsonl").write_text("\n".join(held) + "\n", encoding="utf-8")
        return f"{n_new} articles (1 %)"

    return _case("Reuters-21578 + 1 %", corpus, work / "inc-cache-reuters", grow, 0.10)


def bbc_case(bbc: Path, work: Path, n: int = 30) -> tuple[str, float, bool]:
    corpus = work / "inc-bbc"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(bbc, corpus)
    files = sorted(p for p in corpus.rglob("*.txt"))
    step = len(files) // n
    held = {p: p.read_bytes() for p in files[step // 2::step][:n]}
    for p in held:
        p.unlink()

    def grow() -> str:
        for p, data in held.items():
            p.write_bytes(data)
        return f"{len(held)} articles spread over the sections"

    return _case(f"BBC News + {n}", corpus, work / "inc-cache-bbc", grow, 0.25)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", default="none", help=argparse.SUPPRESS)
    parser.add_argument("--reuters-jsonl", type=Path, help="Reuters-21578 as JSON Lines (supplywatch import reuters21578)")
    parser.add_argument("--bbc", type=Path, default=DEFAULT_BBC, help="the BBC News folder (default ../shared/corpora/bbc)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.corpus, args.cache)))
        return 0
    tmp = None
    work = args.work
    if work is None:
        tmp = tempfile.mkdtemp(prefix="sw-bench-inc-")
        work = Path(tmp)
    checks = []
    try:
        print("incremental analysis (article store; each figure a fresh process, analyze_corpus call only):")
        if args.reuters_jsonl and args.reuters_jsonl.is_dir():
            checks.append(reuters_case(args.reuters_jsonl, work) + (0.10,))
        else:
            print("  Reuters-21578 JSON Lines not given (--reuters-jsonl): case skipped")
        if args.bbc.is_dir():
            checks.append(bbc_case(args.bbc, work) + (0.25,))
        else:
            print(f"  BBC News not found at {args.bbc}: case skipped")
        for label, ratio, same, limit in checks:
            ok = ratio <= limit and same
            print(f"  {'PASS' if ok else 'FAIL'}  {label}: {ratio:.3f}x")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
