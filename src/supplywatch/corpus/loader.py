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
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import pandas as pd

from supplywatch.config import (
    CSV_EXTENSIONS,
    FEED_EXTENSIONS,
    HTML_EXTENSIONS,
    OFFICE_EXTENSIONS,
    SUPPORTED_EXTENSIONS,
    TEXT_EXTENSIONS,
)
from supplywatch.corpus.cleaning import binary_kind, clean_field, clean_text, decode_bytes, looks_binary
from supplywatch.corpus.dates import DAY_FIRST_DEFAULT, DateOrder, decide_order, parse_date
from supplywatch.corpus.exports import split_export
from supplywatch.corpus.feeds import parse_feed
from supplywatch.corpus.formats import (
    _parse_html,
    _parse_text,
    declared_charset,
    parse_csv_records,
    parse_json,
    parse_json_line,
)
from supplywatch.corpus.office import docx_text, rtf_text
from supplywatch.corpus.records import FieldMap
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


def _doc_id(rel: str, key: str | None, *, keep_extension: bool = False) -> str:
    """``folder/stem`` (``folder/stem/key`` for a record); the extension is kept when another
    file of the folder has the same stem (``lynas.txt`` and ``lynas.html``: ``lynas.txt``,
    ``lynas.html``)."""
    stem = _stem(rel, keep_extension)
    return f"{stem}/{key}" if key is not None else stem


@lru_cache(maxsize=1024)
def _stem(rel: str, keep_extension: bool) -> str:
    """``rel`` without its extension unless kept (the same for every record of a file: cached)."""
    return rel if keep_extension or "." not in Path(rel).name else rel.rsplit(".", 1)[0]


def _make_document(fields: dict, *, doc_id: str, path: str, sha: str, rel: str, line: int | None,
                   problems: list[Problem], decode_warning: str | None,
                   day_first: bool = DAY_FIRST_DEFAULT) -> Document | None:
    text, publisher = clean_text(str(fields.get("text") or ""))
    notes = [decode_warning] if decode_warning else []
    if decode_warning:
        problems.append(Problem(rel, line, "warning", decode_warning))
    if fields.get("missing_text"):
        problems.append(Problem(rel, line, "error", fields["missing_text"]))
        return None
    if fields.get("error"):
        problems.append(Problem(rel, line, "error", f"{fields['error']}; skipped"))
        return None
    if not text:
        problems.append(Problem(rel, line, "error", "no article text after cleaning; skipped"))
        return None
    for warning in fields.get("warnings") or ():
        problems.append(Problem(rel, line, "warning", warning))
        notes.append(warning)
    raw_date = fields.get("date", "")
    parsed = parse_date(raw_date, day_first=day_first)
    if parsed is None:
        msg = f"unparseable date {str(raw_date)[:40]!r}; date left empty"
        problems.append(Problem(rel, line, "warning", msg))
        notes.append(msg)
        parsed = ""
    title, _ = clean_text(str(fields.get("title") or ""))
    return Document(
        doc_id=doc_id, path=path, text=text, sha256=sha, date=parsed, title=" ".join(title.split()),
        source=clean_field(fields.get("source") or publisher or ""), url=clean_field(fields.get("url", "")),
        problems=notes, meta={k: clean_field(v) for k, v in (fields.get("meta") or {}).items()},
    )


def iter_file(path: Path, root: Path, *, fields: FieldMap | None = None,
              keep_extension: bool = False) -> Iterator[Document | Problem]:
    """Parse one file into Documents, yielding a Problem for everything that goes wrong.

    ``fields`` maps article fields to record keys (``--field text=body``); ``keep_extension`` keeps
    the extension in the doc_id (set by :func:`iter_corpus` when two files share a stem).
    """
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
    ids = {"keep_extension": keep_extension}
    if ext == ".jsonl":
        yield from _iter_jsonl_file(path, rel, fields, ids)
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield Problem(rel, None, "error", f"unreadable file ({exc.strerror or exc}); check permissions")
        return
    if not raw.strip():
        yield Problem(rel, None, "error", "empty file; skipped")
        return
    kind = binary_kind(raw)
    if ext == ".docx" and kind and ("zip" in kind or "Word document" in kind):
        kind = None
    if kind:
        yield Problem(rel, None, "error", f"binary file: {kind} by its signature, not text; skipped")
        return
    if ext != ".docx" and looks_binary(raw):
        yield Problem(rel, None, "error", "binary data, not text; skipped")
        return
    sha = hashlib.sha256(raw).hexdigest()
    if ext in FEED_EXTENSIONS:
        yield from _records(parse_feed(raw, rel, xml_extension=ext == ".xml"), rel, None, ids)
        return
    if ext == ".docx":
        try:
            text, warning = docx_text(raw), None
        except ValueError as exc:
            yield Problem(rel, None, "error", f"{exc}; skipped")
            return
    else:
        text, warning = decode_bytes(raw, declared_charset(raw) if ext in HTML_EXTENSIONS else None)
    if ext == ".rtf" or (ext in TEXT_EXTENSIONS and text.lstrip().startswith("{\\rtf")):  # RTF saved as .txt
        text = rtf_text(text)
    if ext in HTML_EXTENSIONS:
        yield from _single(_parse_html(text), rel, sha, warning, ids)
        return
    if ext in TEXT_EXTENSIONS or ext in OFFICE_EXTENSIONS:
        layout, articles = split_export(text)
        if layout is None:
            yield from _single(_parse_text(text), rel, sha, warning, ids)
            return
        if warning:
            yield Problem(rel, None, "warning", warning)
        if not any(a.get("text") for a in articles):
            why = next((a["error"] for a in articles if a.get("error")), "no article text between the markers")
            yield Problem(rel, None, "warning", f"looks like a {layout} export but no article could be split "
                          f"({why}; layouts read: see the README's format table); loaded as one article")
            yield from _single(_parse_text(text), rel, sha, None, ids)
            return
        yield Problem(rel, None, "info", f"{layout} export: {len(articles)} article(s)")
        yield from _records(((n, a) for n, a in enumerate(articles, start=1)), rel, warning, ids)
        return
    if warning:
        yield Problem(rel, None, "warning", warning)
    if ext in CSV_EXTENSIONS:
        items = parse_csv_records(text, rel, tsv=ext == ".tsv", fields=fields)
    else:
        items = parse_json(text, rel, fields)
    yield from _records(items, rel, warning, ids)


def _single(fields: dict, rel: str, sha: str, warning: str | None, ids: dict) -> Iterator[Document | Problem]:
    """A file holding one article."""
    problems: list[Problem] = []
    order = decide_order([fields.get("date", "")])
    doc = _make_document(fields, doc_id=_doc_id(rel, None, keep_extension=ids["keep_extension"]), path=rel,
                         sha=sha, rel=rel, line=None, problems=problems, decode_warning=warning,
                         day_first=order.day_first)
    if order.warning() and doc is not None and doc.date:
        problems.append(Problem(rel, None, "warning", order.warning()))
    yield from problems
    if doc:
        yield doc


def _records(items: Iterable[tuple[int, dict] | Problem], rel: str, warning: str | None,
             ids: dict) -> Iterator[Document | Problem]:
    """Documents of a file of records (JSON, CSV, feed items, export articles); numeric dates are
    read in the order the file's own values decide (:func:`~supplywatch.corpus.dates.decide_order`)."""
    records: list[tuple[int, dict]] = []
    for item in items:
        if isinstance(item, Problem):
            yield item
        else:
            records.append(item)
    order = decide_order(f.get("date", "") for _, f in records)
    if order.warning():
        yield Problem(rel, None, "warning", order.warning())
    elif order.describe():
        yield Problem(rel, None, "info", order.describe())
    for item in records:
        yield from _record_document(item, rel, warning, ids, order.day_first)


#: How a record's known fields are serialised for its sha256 (``json.dumps(..., sort_keys=True,
#: default=str)``, the encoder built once).
_RECORD_JSON = json.JSONEncoder(sort_keys=True, default=str)


def _record_document(item: tuple[int, dict], rel: str, warning: str | None, ids: dict,
                     day_first: bool = DAY_FIRST_DEFAULT) -> Iterator[Document | Problem]:
    """One record of a JSON/JSONL/CSV/feed/export file as a Document (and its problems)."""
    number, fields = item
    line = fields.get("line", number)
    key = str(fields.get("id") or number)
    known = {k: v for k, v in fields.items() if k in ("text", "title", "date", "source", "url", "id")}
    rec_sha = hashlib.sha256(_RECORD_JSON.encode(known).encode()).hexdigest()
    problems: list[Problem] = []
    doc = _make_document(fields, doc_id=_doc_id(rel, key, keep_extension=ids["keep_extension"]), path=rel,
                         sha=rec_sha, rel=rel, line=line, problems=problems, decode_warning=None, day_first=day_first)
    yield from problems
    if doc:
        if warning:
            doc.problems.insert(0, warning)
        yield doc


_NUMERIC_VALUE_RE = re.compile(rb'"\s*:\s*"(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}[^"]{0,30})"')


def _jsonl_date_order(path: Path) -> DateOrder:
    """The numeric-date order of a JSON Lines file, from a quick scan of its values (no JSON parsing)."""
    values = []
    with path.open("rb") as fh:
        for raw in fh:
            values.extend(m.decode("ascii", "replace") for m in _NUMERIC_VALUE_RE.findall(raw))
    return decide_order(values)


def _iter_jsonl_file(path: Path, rel: str, fields: FieldMap | None, ids: dict) -> Iterator[Document | Problem]:
    """Stream a JSON Lines file line by line: memory is bounded by the longest line, not the file.

    Each line is decoded on its own (UTF-8, else the fallback encoding with a warning).
    """
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Problem(rel, None, "error", f"unreadable file ({exc.strerror or exc}); check permissions")
        return
    with fh:
        head = fh.read(8192)
        kind = binary_kind(head)
        if kind or looks_binary(head):
            yield Problem(rel, None, "error", f"binary file: {kind} by its signature, not text; skipped" if kind
                          else "binary data, not text; skipped")
            return
        fh.seek(0)
        order = _jsonl_date_order(path)
        if order.warning():
            yield Problem(rel, None, "warning", order.warning())
        elif order.describe():
            yield Problem(rel, None, "info", order.describe())
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
            item = parse_json_line(lineno, line, rel, fields)
            if isinstance(item, Problem):
                yield item
            else:
                yield from _record_document(item, rel, warning, ids, order.day_first)
        if not content:
            yield Problem(rel, None, "error", "empty file; skipped")


def _guarded(items: Iterator[Document | Problem], rel: str) -> Iterator[Document | Problem]:
    """Yield from ``items``; an exception becomes one error Problem (one broken file never sinks the corpus)."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - one broken file never sinks the corpus
        yield Problem(rel, None, "error", f"could not be parsed ({type(exc).__name__}: {exc})")


def _shared_stems(folder: Path) -> set[str]:
    """Stems that several readable files of one folder share (``lynas.txt`` and ``lynas.html``)."""
    try:
        names = [n for n in os.listdir(folder) if not n.startswith(".")]
    except OSError:
        return set()
    counts = Counter(n.rsplit(".", 1)[0] for n in names
                     if "." in n and "." + n.rsplit(".", 1)[1].lower() in SUPPORTED_EXTENSIONS)
    return {stem for stem, k in counts.items() if k > 1}


def iter_corpus(path: str | os.PathLike, report: LoadReport | None = None, *,
                fields: FieldMap | None = None,
                read_file: Callable[..., Iterable[Document | Problem]] | None = None,
                ) -> Iterator[Document]:
    """Stream the documents of a corpus; problems go into ``report``.

    Exact duplicates (same sha256) are yielded once; later copies are reported as skipped.
    ``read_file(file, base, rel, read, variant=...)`` replaces the reading of one file: it returns
    the file's Documents and Problems in order, as ``read()`` (the loader's own reading) gives them;
    the analysis store replays unchanged files with it. ``variant`` (a string) names what besides the
    file's bytes shapes its items here (whether its doc_ids keep the extension); the field mapping is
    the caller's to key on. The duplicate check and the ``~2`` doc_id suffix apply after it.

    **doc_id** is unique: the path relative to the corpus root without its extension (``business/001``;
    ``feed/x1`` for record ``x1`` of ``feed.jsonl``), with the extension kept when two files of one
    folder share a stem (``lynas.txt``, ``lynas.html``; ``a.csv/2``, ``a.jsonl/2``); an id still taken
    (a record id used twice in one file, a folder ``a/`` beside ``a.csv``) gets ``~2``, ``~3``... in
    load order, with a warning.

    Args:
        fields: article field -> record key for JSON/CSV records (``--field text=body``).

    Raises:
        CorpusError: the path does not exist.
    """
    root = Path(path)
    if not root.exists():
        raise CorpusError(f"corpus path {str(root)!r} does not exist; give a folder or a file of articles")
    report = report if report is not None else LoadReport(root=str(root))
    base = root if root.is_dir() else root.parent
    seen: dict[str, str] = {}
    used_ids: set[str] = set()
    shared: dict[Path, set[str]] = {}
    for file in _iter_files(root):
        rel = file.relative_to(base).as_posix()
        status = "ok"
        n = 0
        if file.parent not in shared:
            shared = {file.parent: _shared_stems(file.parent) if root.is_dir() else set()}
        keep = "." in file.name and file.name.rsplit(".", 1)[0] in shared[file.parent]

        def read(file=file, rel=rel, keep=keep):
            return _guarded(iter_file(file, base, fields=fields, keep_extension=keep), rel)

        # the variant names what else shapes the file's items (a replay is only valid for the same)
        items = read_file(file, base, rel, read, variant=f"keep_extension={keep}") if read_file else read()
        for item in items:  # streamed: large JSONL files stay lean
            if isinstance(item, Problem):
                if item.severity == "info":
                    report.notes.setdefault(rel, []).append(item.message)
                    continue
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
            if item.doc_id in used_ids:
                k = 2
                while f"{item.doc_id}~{k}" in used_ids:
                    k += 1
                msg = f"doc_id {item.doc_id!r} is already used by an earlier article; this one is {item.doc_id}~{k}"
                report.add(Problem(rel, None, "warning", msg))
                item.problems.append(msg)
                item.doc_id = f"{item.doc_id}~{k}"
                status = "warning" if status == "ok" else status
            used_ids.add(item.doc_id)
            seen[item.sha256] = item.doc_id
            n += 1
            report.n_documents += 1
            yield item
        if n and status in ("error", "skipped"):
            status = "partial"
        report.files[rel] = status


def load_corpus(path: str | os.PathLike, *, progress: bool = False, fields: FieldMap | None = None) -> Corpus:
    """Load a folder (recursively) or a single file into a documents table.

    Args:
        path: folder or file.
        progress: show a progress bar (only when stderr is a terminal).
        fields: article field -> record key for JSON/CSV records (``--field text=body``).

    Returns:
        Corpus with ``documents`` (one row per article; columns :data:`DOCUMENT_COLUMNS`) and
        ``report`` (every problem, with file and line).
    """
    report = LoadReport(root=str(path))
    docs = iter_corpus(path, report, fields=fields)
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
