"""Benchmark ``analyze`` on the full Reuters-21578 corpus against a plain NLTK baseline and a floor.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_analyze.py``). Every measured
configuration runs in its own fresh Python process, which reports its wall time and its peak
resident memory (``ru_maxrss`` of itself and of its largest child, i.e. a pool worker), so one
configuration's memory never leaks into another's figure.

Configurations (all read the same JSON Lines corpus that ``supplywatch import reuters21578`` wrote):

* ``baseline`` — plain NLTK: Punkt sentence splitting (the project's tokenizer, same
  abbreviations) plus ``NLTKWordTokenizer`` over every sentence of every article; nothing else.
* ``floor`` — reading the text plus one Aho-Corasick pass (pyahocorasick) of every gazetteer
  surface form over it: the least any actor analysis can cost.
* ``matcher`` — the two multi-pattern matchers the issue asks to compare, on the same lower-cased
  texts: the project's one trie-shaped regex, and pyahocorasick's longest matches plus the
  word-boundary check the regex makes.
* ``analyze 1 job`` / ``analyze N jobs`` — ``analyze_corpus(..., cache=False)``: loading, every
  extractor and aggregator, every table.
* ``analyze x2`` — the collection twice, as distinct documents (ids suffixed), 1 job.
* ``warm`` — ``analyze_corpus`` again with an unchanged corpus and the cache filled (fresh process,
  time of the call, plus the whole process including Python start-up and imports).
* ``near-duplicates`` — inside ``analyze 1 job``: the seconds spent computing MinHash signatures,
  building the LSH index, checking candidates and naming stories (timers around those functions),
  as a share of the whole analysis (issue 16: at most 10 %).
* ``stages`` — where the time goes: split_sentences and each extractor/aggregator timed on the first
  2,000 articles in one process.

Targets (issue 6): 1 job <= 1.25x baseline; all cores <= 0.75x baseline; peak memory < 1 GiB;
doubling <= 2.1x time and <= 1.2x memory; warm re-run < 3 s.

Options: ``--reuters DIR`` (default ../shared/corpora/reuters21578), ``--work DIR`` (scratch folder,
default a temporary one), ``--skip-double``, ``--stages-only``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
DEFAULT_REUTERS = PROJECT.parent / "shared" / "corpora" / "reuters21578"
MIB = 1024 * 1024


# ----------------------------------------------------------------------------------------------
# Children: each measured configuration runs in a fresh process and prints one JSON line.


def _iter_texts(corpus: Path):
    for file in sorted(corpus.glob("*.jsonl")):
        with file.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)["text"]


def _child(kind: str, corpus: Path, jobs: int, cache: str | None) -> dict:
    t0 = time.perf_counter()
    n_docs = n_chars = 0
    extra: dict = {}
    if kind == "baseline":
        from nltk.tokenize import NLTKWordTokenizer

        from supplywatch.text.sentences import sentence_tokenizer

        punkt, words = sentence_tokenizer(), NLTKWordTokenizer()
        t0 = time.perf_counter()
        n_tokens = 0
        for text in _iter_texts(corpus):
            n_docs += 1
            n_chars += len(text)
            for sentence in punkt.tokenize(text):
                n_tokens += len(words.tokenize(sentence))
        extra["tokens"] = n_tokens
    elif kind == "floor":
        import ahocorasick

        from supplywatch.actors.gazetteer import load_gazetteer

        automaton = ahocorasick.Automaton()
        for actor in load_gazetteer():
            for form, _ in actor.surface_forms():
                automaton.add_word(form.lower(), form)
        automaton.make_automaton()
        t0 = time.perf_counter()
        hits = 0
        for text in _iter_texts(corpus):
            n_docs += 1
            n_chars += len(text)
            hits += sum(1 for _ in automaton.iter(text.lower()))
        extra["hits"] = hits
    elif kind == "matcher":
        # issue 6: "pyahocorasick or one compiled regex; measure which". Both find the gazetteer's
        # keys in the lower-cased text (word-bounded, longest non-overlapping), before any case rule.
        import ahocorasick

        from supplywatch.actors.matcher import _lower_same_length, matcher_for
        from supplywatch.actors.gazetteer import load_gazetteer

        matcher = matcher_for(load_gazetteer())
        texts = [_lower_same_length(t) for t in _iter_texts(corpus)]
        n_docs, n_chars = len(texts), sum(map(len, texts))
        automaton = ahocorasick.Automaton()
        for key in matcher.keys:
            if key:
                automaton.add_word(key, len(key))
        automaton.make_automaton()
        t1 = time.perf_counter()
        ac_hits = 0
        for text in texts:
            size = len(text)
            for end, length in automaton.iter_long(text):
                start = end - length + 1
                if (start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")) and (
                        end + 1 >= size or not (text[end + 1].isalnum() or text[end + 1] == "_")):
                    ac_hits += 1
        extra["ahocorasick_seconds"] = time.perf_counter() - t1
        t0 = time.perf_counter()  # "seconds" of this child: the regex pass, timed last
        extra["regex_hits"] = sum(1 for text in texts for _ in matcher.regex.finditer(text))
        extra["ahocorasick_hits"] = ac_hits
    elif kind in ("analyze", "warm"):
        from supplywatch.analysis.pipeline import analyze_corpus

        spent = _time_near_duplicates() if kind == "analyze" and jobs == 1 else None
        t0 = time.perf_counter()
        result = analyze_corpus(corpus, jobs=jobs, cache=cache if cache else False)
        n_docs = len(result.documents)
        n_chars = int(result.documents["n_chars"].sum())
        extra["rows"] = {name: len(frame) for name, frame in result.tables.items()}
        if spent is not None:
            extra["near_duplicate_seconds"] = spent["seconds"]
    else:
        raise SystemExit(f"unknown child kind {kind!r}")
    seconds = time.perf_counter() - t0
    return {
        "kind": kind, "jobs": jobs, "seconds": seconds, "docs": n_docs, "chars": n_chars,
        "rss_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "rss_child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
        **extra,
    }


def _run(kind: str, corpus: Path, *, jobs: int = 1, cache: Path | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--corpus", str(corpus),
           "--jobs", str(jobs)]
    if cache:
        cmd += ["--cache", str(cache)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark child {kind} failed (exit {proc.returncode})")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_wall"] = wall
    return out


# ----------------------------------------------------------------------------------------------
# Stages: where does analyze spend its time?


def _time_near_duplicates() -> dict[str, float]:
    """Put timers around the near-duplicate steps (with 1 job they all run in this process)."""
    from supplywatch.analysis import neardup

    spent = {"seconds": 0.0}

    def timed(func):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                spent["seconds"] += time.perf_counter() - t
        return wrapper

    neardup.extract_signatures = timed(neardup.extract_signatures)
    neardup.aggregate_stories = timed(neardup.aggregate_stories)
    for name in ("__init__", "add", "tables"):
        setattr(neardup.NearDuplicates, name, timed(getattr(neardup.NearDuplicates, name)))
    return spent


def stages(corpus: Path, n: int = 2000) -> list[tuple[str, float]]:
    """Seconds per stage (sentence split, each extractor, each aggregator) on the first n articles."""
    import pandas as pd

    from supplywatch.analysis import document
    from supplywatch.corpus.loader import iter_corpus
    from supplywatch.text.sentences import split_sentences

    docs = []
    for doc in iter_corpus(corpus):
        docs.append(doc)
        if len(docs) >= n:
            break
    resources = document.Resources()
    timings: dict[str, float] = {"split_sentences": 0.0}
    collected: dict[str, list] = {}
    # warm up lazily loaded resources so they are not charged to the first article
    first = docs[0]
    sentences = split_sentences(first.text)
    rows: dict = {}
    for extract in document._extractors():
        for name, table in extract(first, sentences, resources, rows).items():
            rows.setdefault(name, []).extend(table)
    for start in range(0, len(docs), 64):  # chunk extractors: a chunk of 64 articles at a time
        for extract in document._chunk_extractors():
            t = time.perf_counter()
            out = extract(docs[start:start + 64], resources)
            key = f"extract {extract.__module__.rsplit('.', 1)[-1]}.{extract.__name__} (chunks)"
            timings[key] = timings.get(key, 0.0) + time.perf_counter() - t
            for name, table in out.items():
                collected.setdefault(name, []).extend(table)
    for doc in docs:
        t = time.perf_counter()
        sentences = split_sentences(doc.text)
        timings["split_sentences"] += time.perf_counter() - t
        rows = {}
        for extract in document._extractors():
            t = time.perf_counter()
            out = extract(doc, sentences, resources, rows)
            key = f"extract {extract.__module__.rsplit('.', 1)[-1]}.{extract.__name__}"
            timings[key] = timings.get(key, 0.0) + time.perf_counter() - t
            for name, table in out.items():
                rows.setdefault(name, []).extend(table)
        for name, table in rows.items():
            collected.setdefault(name, []).extend(table)
    tables = {"documents": pd.DataFrame([d.as_row() for d in docs])}
    streamed = {acc.consumes for acc in document._accumulators()}
    tables.update({name: pd.DataFrame(r) for name, r in collected.items() if name not in streamed})
    for acc in document._accumulators():
        t = time.perf_counter()
        accumulator = acc(resources)
        accumulator.add(collected.get(acc.consumes, []))
        extra = ({"texts": {d.doc_id: d.text for d in docs}}
                 if getattr(acc, "needs_texts", False) else {})
        tables.update(accumulator.tables(**extra))
        timings[f"accumulate {acc.__module__.rsplit('.', 1)[-1]}.{acc.__name__}"] = time.perf_counter() - t
    for aggregate in document._aggregators():
        t = time.perf_counter()
        tables.update(aggregate(tables, resources))
        timings[f"aggregate {aggregate.__module__.rsplit('.', 1)[-1]}.{aggregate.__name__}"] = time.perf_counter() - t
    return sorted(timings.items(), key=lambda kv: -kv[1])


# ----------------------------------------------------------------------------------------------
# Parent


def _prepare(reuters: Path, work: Path) -> tuple[Path, Path, float]:
    from supplywatch.corpus.reuters import import_reuters

    single, double = work / "reuters", work / "reuters-x2"
    t0 = time.perf_counter()
    if not single.is_dir():
        import_reuters(reuters, single)
    import_seconds = time.perf_counter() - t0
    if not double.is_dir():
        for copy in ("a", "b"):
            target = double / copy
            target.mkdir(parents=True)
            for file in sorted(single.glob("*.jsonl")):
                with file.open(encoding="utf-8") as src, (target / file.name).open("w", encoding="utf-8") as dst:
                    for line in src:
                        record = json.loads(line)
                        record["id"] = f"{record['id']}-{copy}"  # distinct documents, same text
                        dst.write(json.dumps(record, ensure_ascii=False) + "\n")
    return single, double, import_seconds


def _mib(n: float) -> str:
    return f"{n / MIB:,.0f}"


def _line(label: str, r: dict, baseline: float | None = None, floor: float | None = None) -> str:
    rate = r["docs"] / r["seconds"] if r["seconds"] else float("inf")
    mbs = r["chars"] / 1e6 / r["seconds"] if r["seconds"] else float("inf")
    peak = r["rss_self"] + (r["rss_child"] * max(r["jobs"] - 1, 0) if r["jobs"] > 1 else 0)
    ratios = ""
    if baseline:
        ratios += f"{r['seconds'] / baseline:>8.2f}x"
    else:
        ratios += f"{'':>9}"
    if floor:
        ratios += f"{r['seconds'] / floor:>8.1f}x"
    else:
        ratios += f"{'':>9}"
    worker = _mib(r["rss_child"]) if r["jobs"] > 1 else "-"
    return (f"{label:<22}{r['docs']:>8,}{r['seconds']:>9.2f}{rate:>10,.0f}{mbs:>8.2f}"
            f"{_mib(r['rss_self']):>9}{worker:>9}{_mib(peak):>9}{ratios}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--cache", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--reuters", type=Path, default=DEFAULT_REUTERS, help="Reuters-21578 folder (.sgm files)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (kept; default: a temporary one)")
    parser.add_argument("--skip-double", action="store_true", help="skip the doubled-corpus run")
    parser.add_argument("--stages-only", action="store_true", help="only time the stages on 2,000 articles")
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(_child(args.child, args.corpus, args.jobs, args.cache)))
        return 0

    if not args.reuters.is_dir():
        print(f"Reuters-21578 not found at {args.reuters}; pass --reuters DIR", file=sys.stderr)
        return 2
    tmp = None
    work = args.work
    if work is None:
        tmp = tempfile.mkdtemp(prefix="sw-bench-")
        work = Path(tmp)
    work.mkdir(parents=True, exist_ok=True)
    try:
        single, double, import_seconds = _prepare(args.reuters, work)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        print(f"supplywatch benchmark — {time.strftime('%Y-%m-%d %H:%M')} — {platform.node()} "
              f"({platform.processor() or platform.machine()}, {cores} cores, Python {platform.python_version()})")
        print(f"corpus: Reuters-21578 ({args.reuters}); import to JSON Lines {import_seconds:.1f} s")
        if not args.stages_only:
            results = {}
            results["baseline"] = _run("baseline", single)
            results["floor"] = _run("floor", single)
            results["matcher"] = _run("matcher", single)
            results["analyze1"] = _run("analyze", single, jobs=1)
            results["analyzeN"] = _run("analyze", single, jobs=cores)
            if not args.skip_double:
                results["double"] = _run("analyze", double, jobs=1)
            cache = work / "cache"
            shutil.rmtree(cache, ignore_errors=True)
            _run("warm", single, cache=cache)  # fills the cache
            results["warm"] = _run("warm", single, cache=cache)
            base, floor = results["baseline"]["seconds"], results["floor"]["seconds"]
            print()
            print(f"{'configuration':<22}{'docs':>8}{'seconds':>9}{'docs/s':>10}{'MB/s':>8}"
                  f"{'RSS MiB':>9}{'worker':>9}{'peak≤':>9}{'/base':>9}{'/floor':>9}")
            print(f"{'plain NLTK baseline':<22}" + _line("", results["baseline"])[22:])
            print(f"{'floor (read+AC pass)':<22}" + _line("", results["floor"])[22:])
            print(_line("analyze, 1 job", results["analyze1"], base, floor))
            print(_line(f"analyze, {cores} jobs", results["analyzeN"], base, floor))
            if "double" in results:
                print(_line("analyze x2, 1 job", results["double"], base, floor))
            print(_line("warm re-run (cached)", results["warm"], base, floor))
            m = results["matcher"]
            print(f"gazetteer pass over every article: one trie-shaped regex "
                  f"{m['seconds']:.2f} s ({m['regex_hits']:,} hits), pyahocorasick iter_long + word "
                  f"boundaries {m['ahocorasick_seconds']:.2f} s ({m['ahocorasick_hits']:,} hits)")
            nd = results["analyze1"].get("near_duplicate_seconds")
            if nd is not None:
                print(f"near-duplicates inside analyze, 1 job (signatures, LSH, exact check, stories): {nd:.2f} s "
                      f"of {results['analyze1']['seconds']:.2f} s = {nd / results['analyze1']['seconds']:.1%}")
            rows = results["analyze1"].get("rows", {})
            print("tables: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()))
            print()
            a1, aN = results["analyze1"], results["analyzeN"]
            peak_n = aN["rss_self"] + aN["rss_child"] * max(aN["jobs"] - 1, 0)
            checks = [
                ("1 job / baseline <= 1.25", a1["seconds"] / base, 1.25),
                (f"{cores} jobs / baseline <= 0.75", aN["seconds"] / base, 0.75),
                ("peak memory 1 job < 1024 MiB", a1["rss_self"] / MIB, 1024),
                (f"peak memory {cores} jobs (parent + workers) < 1024 MiB", peak_n / MIB, 1024),
            ]
            if "double" in results:
                d = results["double"]
                checks += [
                    ("doubling: time ratio <= 2.1", d["seconds"] / a1["seconds"], 2.1),
                    ("doubling: memory ratio <= 1.2", d["rss_self"] / a1["rss_self"], 1.2),
                ]
            if nd is not None:
                checks.append(("near-duplicates / analyze 1 job <= 0.10 (issue 16)", nd / a1["seconds"], 0.10))
            w = results["warm"]
            checks += [
                ("warm re-run: analyze_corpus call < 3 s", w["seconds"], 3.0),
                ("warm re-run: whole process (start-up + imports) < 3 s", w["process_wall"], 3.0),
            ]
            for label, value, limit in checks:
                print(f"  {'PASS' if value <= limit else 'FAIL'}  {label}: {value:,.2f}")
            print()
        print("stages on the first 2,000 articles (1 process, seconds):")
        for name, seconds in stages(single):
            print(f"  {seconds:8.2f}  {name}")
        incremental = HERE / "bench_incremental.py"
        if incremental.is_file() and not args.stages_only:
            print(flush=True)
            subprocess.run([sys.executable, str(incremental), "--reuters-jsonl", str(single),
                            "--work", str(work)], check=False)
        render_bench = HERE / "render_bench.py"
        if render_bench.is_file():
            print("\nrender comparison (benchmarks/render_bench.py):", flush=True)
            subprocess.run([sys.executable, str(render_bench)], check=False)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
