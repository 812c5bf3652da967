"""The ``supplywatch`` command line (also ``python -m supplywatch``).

Every command defaults to the bundled seed corpus so a new user sees real output at once.
Exit codes: 0 success; 1 the job failed (or ``--strict`` found load problems); 2 bad usage or input
that stops the command before it starts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from supplywatch.config import SEEDS_DIR
from supplywatch.exceptions import CorpusError, SupplywatchError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _add_corpus_arg(p: argparse.ArgumentParser, *, optional: bool) -> None:
    if optional:
        p.add_argument("corpus", nargs="?", default=str(SEEDS_DIR), metavar="PATH",
                       help="corpus folder or file (default: the bundled seeds/)")
    else:
        p.add_argument("corpus", metavar="PATH", help="corpus folder or file")


def _add_field_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--field", action="append", default=[], metavar="FIELD=KEY",
                   help="read an article field from another record key in JSON/CSV files, e.g. "
                        "--field text=body --field date=published (nested keys dotted: source.name); "
                        "fields: text, title, date, source, url, id")


def _cmd_corpus_check(args: argparse.Namespace) -> int:
    from supplywatch.corpus.loader import iter_corpus
    from supplywatch.corpus.model import LoadReport
    from supplywatch.corpus.records import FieldMap

    report = LoadReport(root=args.corpus)
    n = sum(1 for _ in iter_corpus(args.corpus, report, fields=FieldMap.parse(args.field)))
    by_file = report.by_file()
    for rel, status in report.files.items():
        problems = by_file.get(rel, [])
        detail = "; ".join(
            [(f"line {p.line}: " if p.line else "") + p.message for p in problems]
            + report.notes.get(rel, [])
        )
        print(f"{status:<9} {rel}" + (f"  {detail}" if detail else ""))
    n_err = sum(1 for p in report.problems if p.severity == "error")
    n_warn = sum(1 for p in report.problems if p.severity == "warning")
    n_skip = sum(1 for p in report.problems if p.severity == "skipped")
    print(f"{n} article(s) loaded from {len(report.files)} file(s); "
          f"{n_err} error(s), {n_warn} warning(s), {n_skip} skipped")
    if not n:
        raise CorpusError(report.nothing_loaded() if not report.files else
                          f"no article loaded from {args.corpus}: every file above was skipped or has errors")
    return EXIT_FAILED if (args.strict and report.problems) else EXIT_OK


def _cmd_analyze(args: argparse.Namespace) -> int:
    from supplywatch.analysis.pipeline import analyze_corpus, write_tables

    result = analyze_corpus(args.corpus, gazetteer=args.gazetteer, progress=True, jobs=args.jobs,
                            engine=args.engine, scheduler=args.scheduler, cache=not args.no_cache,
                            fields=args.field)
    written = write_tables(result, args.out, parquet=args.parquet)
    duplicates = [p for p in result.report.problems if p.message.startswith("exact duplicate of")]
    for p in result.report.problems:
        if not p.message.startswith("exact duplicate of"):
            print(str(p), file=sys.stderr)
    if duplicates:  # one line, not one per copy: the details are in load_report.csv
        print(f"{len(duplicates)} exact duplicate file(s) skipped (kept once; each listed in "
              f"{Path(args.out) / 'load_report.csv'})", file=sys.stderr)
    print(f"{len(result.documents)} article(s) analysed; corpus {result.corpus_hash[:12]}; "
          f"wrote {len(written)} table(s) to {args.out}")
    return EXIT_FAILED if (args.strict and result.report.problems) else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="supplywatch",
        description="Who supply-chain news talks about, and what market shares it claims.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    corpus = sub.add_parser("corpus", help="inspect a corpus", description="Inspect a corpus.")
    corpus_sub = corpus.add_subparsers(dest="corpus_command", metavar="SUBCOMMAND")
    corpus_sub.required = True
    check = corpus_sub.add_parser(
        "check", help="list every file with its load status and problems",
        description="Print one line per file with its status (ok, warning, error, skipped, "
                    "duplicate, partial), its problems and what was read (delimiter, layout), then a "
                    "summary. Exit 2 when no article loads at all.",
    )
    _add_corpus_arg(check, optional=True)
    check.add_argument("--strict", action="store_true", help="exit 1 if any file has a problem")
    _add_field_arg(check)
    check.set_defaults(func=_cmd_corpus_check)

    analyze = sub.add_parser(
        "analyze", help="analyse a corpus and write its tables as CSV",
        description="Analyse a corpus and write documents.csv and every other table to --out.",
    )
    _add_corpus_arg(analyze, optional=True)
    analyze.add_argument("--out", required=True, metavar="DIR", help="folder for the tables")
    analyze.add_argument("--gazetteer", metavar="FILE", default=None,
                         help="your own actor gazetteer (default: data/actors.yaml)")
    analyze.add_argument("--strict", action="store_true", help="exit 1 if any file has a load problem")
    analyze.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                         help="local worker processes (default 1; 0 = all cores)")
    analyze.add_argument("--engine", choices=("local", "dask"), default="local",
                         help="local processes or a dask.distributed cluster (default: local)")
    analyze.add_argument("--scheduler", metavar="ADDRESS", default=None,
                         help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a 2-worker LocalCluster)")
    analyze.add_argument("--no-cache", action="store_true",
                         help="analyse again even when data/cache holds tables for these inputs")
    analyze.add_argument("--parquet", action="store_true", help="also write every table as .parquet")
    _add_field_arg(analyze)
    analyze.set_defaults(func=_cmd_analyze)

    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands():
    """Sub-commands defined in other modules (render, import, digest), and fetch."""
    from supplywatch.corpus.reuters import register_cli as register_import
    from supplywatch.reports.render import register as register_render
    from supplywatch.reports.whatchanged import register as register_digest

    return [register_import, register_render, register_digest, _register_fetch]


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"{text!r} is negative")
        return value

    return parse


def _register_fetch(sub) -> None:
    from supplywatch.corpus.http import FetchOptions

    d = FetchOptions()
    fetch = sub.add_parser(
        "fetch", help="fetch news articles from RSS/Atom feeds or URL lists into a corpus folder",
        description="Fetch every article of the feeds (or listed URLs) not fetched before, extract its text "
                    "with trafilatura and append it to CORPUS_DIR/fetched-YYYY-MM-DD.jsonl. Failed pages are "
                    "listed and retried on the next run; only http and https are followed.",
    )
    fetch.add_argument("sources", nargs="+", metavar="SOURCE",
                       help="an RSS/Atom feed URL, a saved feed file, or a text file listing feed or article URLs")
    fetch.add_argument("--out", required=True, metavar="CORPUS_DIR", help="the corpus folder to append to")
    fetch.add_argument("--timeout", type=_positive(float), default=d.timeout, metavar="S",
                       help=f"seconds to connect and per read (default {d.timeout:g})")
    fetch.add_argument("--retries", type=_positive(int), default=d.retries, metavar="N",
                       help=f"retries with exponential backoff after a network error or 429/5xx (default {d.retries})")
    fetch.add_argument("--delay", type=_positive(float), default=d.delay, metavar="S",
                       help=f"seconds between two requests to one host (default {d.delay:g}; robots.txt Crawl-delay wins)")
    fetch.add_argument("--max-mb", type=_positive(float), default=d.max_bytes / 1024 / 1024, metavar="MB",
                       help=f"size limit of one page; longer pages are cut and flagged (default {d.max_bytes // 2**20})")
    fetch.add_argument("--strict", action="store_true", help="exit 1 if any page failed or was refused")
    fetch.set_defaults(func=_cmd_fetch)


def _cmd_fetch(args: argparse.Namespace) -> int:
    from supplywatch.corpus.fetch import fetch
    from supplywatch.corpus.http import FetchOptions

    options = FetchOptions(timeout=max(args.timeout, 0.1), retries=args.retries, delay=args.delay,
                           max_bytes=max(1024, int(args.max_mb * 1024 * 1024)))
    report = fetch(args.sources, args.out, options=options, progress=True)
    for note in report.repaired:
        print(f"repaired: {note}", file=sys.stderr)
    for error in report.source_errors:
        print(f"source unreadable: {error}", file=sys.stderr)
    for o in report.failed:
        print(f"failed (retried next run): {o.url}: {o.reason}", file=sys.stderr)
    for o in report.refused:
        print(f"refused: {o.url}: {o.reason}", file=sys.stderr)
    where = f"; appended to {report.files[0]}" if report.files and report.added else ""
    print(report.summary() + where)
    if report.source_errors or (args.strict and (report.failed or report.refused)):
        return EXIT_FAILED
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SupplywatchError as exc:
        print(f"supplywatch: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("supplywatch: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
