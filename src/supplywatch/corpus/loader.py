"""Load a corpus of news articles: a folder (recursively) or a single file.

See :mod:`supplywatch.corpus` for the formats. Bad input never sinks the corpus and is never silent:
each problem is a :class:`~supplywatch.corpus.model.Problem` naming the file (and line), collected in
a :class:`~supplywatch.corpus.model.LoadReport`.

Example:
    >>> corpus = load_corpus("seeds")          # doctest: +SKIP
    >>> corpus.documents[["doc_id", "date", "source"]]   # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pandas as pd

from supplywatch.config import (
    CSV_EXTENSIONS,
    HTML_EXTENSIONS,
    SUPPORTED_EXTENSIONS,
    TEXT_EXTENSIONS,
)
from supplywatch.corpus.cleaning import clean_text, decode_bytes, looks_binary, parse_date
from supplywatch.corpus.formats import (
    _parse_csv,
    _parse_html,
    _parse_json,
    _parse_json_lines,
    _parse_jsonl,
    _parse_text,
)
from supplywatch.corpus.model import DOCUMENT_COLUMNS, Corpus, Document, LoadReport, Problem
from supplywatch.exceptions import CorpusError

#: File names that document a corpus rather than belong to it.
_DOC_FILE_RE = re.compile(r"^(readme|license|licence|source|sha256sums|md5sums|changelog)(\..*)?$", re.I)


def _iter_files(root: Path) -> Iterator[Path]:
    """Every file under root, sorted, not following symlinked folders (no loops)."""
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        # os.walk lists a symlinked folder but does not enter it; yield it so it is reported
        linked = [d for d in dirnames if (here / d).is_symlink()]
        dirnames[:] = [d for d in dirnames if d not in linked]
        for name in sorted(filenames + linked):
            yield here / name


def _doc_id(rel: str, key: str | None) -> str:
    stem = rel.rsplit(".", 1)[0] if "." in Path(rel).name else rel
    return f"{stem}/{key}" if key is not None else stem


def _make_document(fields: dict, *, doc_id: str, path: str, sha: str, rel: str, line: int | None,
                   problems: list[Problem], decode_warning: str | None) -> Document | None:
    text, publisher = clean_text(fields.get("text", ""))
    notes = [decode_warning] if decode_warning else []
    if decode_warning:
        problems.append(Problem(rel, line, "warning", decode_warning))
    if not text:
        problems.append(Problem(rel, line, "error", "no article text after cleaning; skipped"))
        return None
    raw_date = fields.get("date", "")
    parsed = parse_date(raw_date)
    if parsed is None:
        msg = f"unparseable date {str(raw_date)[:40]!r}; date left empty"
        problems.append(Problem(rel, line, "warning", msg))
        notes.append(msg)
        parsed = ""
    title, _ = clean_text(str(fields.get("title", "")))
    return Document(
        doc_id=doc_id, path=path, text=text, sha256=sha, date=parsed, title=title.replace("\n", " "),
        source=str(fields.get("source") or publisher or "").strip(), url=str(fields.get("url", "")).strip(),
        problems=notes, meta=dict(fields.get("meta") or {}),
    )


def iter_file(path: Path, root: Path) -> Iterator[Document | Problem]:
    """Parse one file into Documents, yielding a Problem for everything that goes wrong."""
    rel = path.relative_to(root).as_posix() if path != root else path.name
    ext = path.suffix.lower()
    if path.name.startswith("."):
        return
    if path.is_symlink() and path.is_dir():
        yield Problem(rel, None, "skipped", "symlinked folder not followed (links can loop); "
                                            "copy it into the corpus or analyse it as a corpus of its own")
        return
    if _DOC_FILE_RE.match(path.name):
        yield Problem(rel, None, "skipped", "documentation file, not an article")
        return
    if ext not in SUPPORTED_EXTENSIONS:
        yield Problem(rel, None, "skipped", f"unsupported extension {ext or '(none)'!r}; supported: {', '.join(SUPPORTED_EXTENSIONS)}")
        return
    if ext == ".jsonl":
        yield from _iter_jsonl_file(path, rel)
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield Problem(rel, None, "error", f"unreadable file ({exc.strerror or exc}); check permissions")
        return
    if not raw.strip():
        yield Problem(rel, None, "error", "empty file; skipped")
        return
    if looks_binary(raw):
        yield Problem(rel, None, "error", "binary data, not text; skipped")
        return
    sha = hashlib.sha256(raw).hexdigest()
    text, warning = decode_bytes(raw)
    problems: list[Problem] = []
    path_str = rel

    if ext in TEXT_EXTENSIONS or ext in HTML_EXTENSIONS:
        fields = _parse_text(text) if ext in TEXT_EXTENSIONS else _parse_html(text)
        doc = _make_document(fields, doc_id=_doc_id(rel, None), path=path_str, sha=sha, rel=rel,
                             line=None, problems=problems, decode_warning=warning)
        yield from problems
        if doc:
            yield doc
        return

    parser = _parse_csv if ext in CSV_EXTENSIONS else (_parse_jsonl if ext == ".jsonl" else _parse_json)
    if warning:
        yield Problem(rel, None, "warning", warning)
    for item in parser(text, rel):
        if isinstance(item, Problem):
            yield item
            continue
        yield from _record_document(item, rel, warning)


def _record_document(item: tuple[int, dict], rel: str, warning: str | None) -> Iterator[Document | Problem]:
    """One record of a JSON/JSONL/CSV file as a Document (and its problems)."""
    lineno, fields = item
    key = str(fields.get("id", lineno))
    known = {k: v for k, v in fields.items() if k != "meta"}  # labels do not make a new article
    rec_sha = hashlib.sha256(json.dumps(known, sort_keys=True, default=str).encode()).hexdigest()
    problems: list[Problem] = []
    doc = _make_document(fields, doc_id=_doc_id(rel, key), path=rel, sha=rec_sha, rel=rel,
                         line=lineno, problems=problems, decode_warning=None)
    yield from problems
    if doc:
        if warning:
            doc.problems.insert(0, warning)
        yield doc


def _iter_jsonl_file(path: Path, rel: str) -> Iterator[Document | Problem]:
    """Stream a JSON Lines file line by line: memory is bounded by the longest line, not the file.

    Each line is decoded on its own (UTF-8, else the fallback encoding with a warning).
    """
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Problem(rel, None, "error", f"unreadable file ({exc.strerror or exc}); check permissions")
        return
    with fh:
        if looks_binary(fh.read(8192)):
            yield Problem(rel, None, "error", "binary data, not text; skipped")
            return
        fh.seek(0)
        content = False
        warned = False
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            content = True
            line, warning = decode_bytes(raw)
            if warning and not warned:
                yield Problem(rel, lineno, "warning", warning)
                warned = True
            for item in _parse_json_lines([(lineno, line)], rel):
                if isinstance(item, Problem):
                    yield item
                else:
                    yield from _record_document(item, rel, warning)
        if not content:
            yield Problem(rel, None, "error", "empty file; skipped")


def _guarded(items: Iterator[Document | Problem], rel: str) -> Iterator[Document | Problem]:
    """Yield from ``items``; an exception becomes one error Problem (one broken file never sinks the corpus)."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - one broken file never sinks the corpus
        yield Problem(rel, None, "error", f"could not be parsed ({type(exc).__name__}: {exc})")


def iter_corpus(path: str | os.PathLike, report: LoadReport | None = None, *,
                read_file: Callable[..., Iterable[Document | Problem]] | None = None,
                ) -> Iterator[Document]:
    """Stream the documents of a corpus; problems go into ``report``.

    Exact duplicates (same sha256) are yielded once; later copies are reported as skipped.
    ``read_file(file, base, rel, read)`` replaces the reading of one file: it returns the file's
    Documents and Problems in order, as ``read()`` (the loader's own reading) gives them; the
    analysis store replays unchanged files with it.

    Raises:
        CorpusError: the path does not exist.
    """
    root = Path(path)
    if not root.exists():
        raise CorpusError(f"corpus path {str(root)!r} does not exist; give a folder or a file of articles")
    report = report if report is not None else LoadReport(root=str(root))
    base = root if root.is_dir() else root.parent
    seen: dict[str, str] = {}
    for file in _iter_files(root):
        rel = file.relative_to(base).as_posix()
        status = "ok"
        n = 0
        items = (read_file(file, base, rel, lambda: _guarded(iter_file(file, base), rel)) if read_file
                 else _guarded(iter_file(file, base), rel))
        for item in items:  # streamed: large JSONL files stay lean
            if isinstance(item, Problem):
                report.add(item)
                if item.severity == "error" and status == "ok":
                    status = "error"
                elif item.severity == "skipped" and status == "ok":
                    status = "skipped"
                elif item.severity == "warning" and status == "ok":
                    status = "warning"
                continue
            first = seen.get(item.sha256)
            if first is not None:
                report.add(Problem(rel, None, "skipped", f"exact duplicate of {first}; kept once"))
                status = "duplicate" if status == "ok" else status
                continue
            seen[item.sha256] = item.doc_id
            n += 1
            report.n_documents += 1
            yield item
        if n and status in ("error", "skipped"):
            status = "partial"
        report.files[rel] = status


def load_corpus(path: str | os.PathLike, *, progress: bool = False) -> Corpus:
    """Load a folder (recursively) or a single file into a documents table.

    Args:
        path: folder or file.
        progress: show a progress bar (only when stderr is a terminal).

    Returns:
        Corpus with ``documents`` (one row per article; columns :data:`DOCUMENT_COLUMNS`) and
        ``report`` (every problem, with file and line).
    """
    report = LoadReport(root=str(path))
    docs = iter_corpus(path, report)
    if progress:
        from supplywatch.progress import progress_bar

        docs = progress_bar(docs, desc="loading", unit="doc")
    rows = [d.as_row() for d in docs]
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=DOCUMENT_COLUMNS)
    extra = [c for c in frame.columns if c not in DOCUMENT_COLUMNS]
    frame = frame[DOCUMENT_COLUMNS + extra]
    frame["n_chars"] = frame["n_chars"].astype("int64")
    return Corpus(documents=frame, report=report)
