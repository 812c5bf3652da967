"""Load a corpus of news articles: a folder (recursively) or a single file.

Supported formats:

* ``.txt`` / ``.md``: the seed's format. An optional leading ``date YYYY-MM-DD`` header (possibly
  on the same line as the text) and optional ``title:`` / ``source:`` / ``url:`` / ``date:`` header
  lines, then the article. Without a title header, a short first line followed by a blank line and
  not ending like a sentence is taken as the headline (the BBC News layout).
* ``.jsonl`` / ``.json``: objects with ``text`` or ``body`` and optional ``date``, ``title``,
  ``source``, ``url``, ``id``; any other field (``places``, ``topics``...) is kept as
  ``Document.meta`` and becomes a ``meta_<field>`` column (lists joined with ``;``). A ``.json``
  file holds one object, a list, or ``{"articles": [...]}``.
* ``.csv``: the same columns, one article per row.
* ``.html`` / ``.htm``: the visible article text and title, extracted with trafilatura.

Bad input never sinks the corpus and is never silent: each problem is a :class:`Problem` naming the
file (and line), collected in a :class:`LoadReport`.

Example:
    >>> corpus = load_corpus("seeds")          # doctest: +SKIP
    >>> corpus.documents[["doc_id", "date", "source"]]   # doctest: +SKIP
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from .config import (
    CSV_EXTENSIONS,
    FALLBACK_ENCODING,
    HTML_EXTENSIONS,
    JSON_EXTENSIONS,
    SUPPORTED_EXTENSIONS,
    TEXT_EXTENSIONS,
)
from .exceptions import CorpusError

#: Columns of the documents table, in order.
DOCUMENT_COLUMNS = [
    "doc_id", "path", "date", "title", "source", "url", "text", "sha256", "n_chars", "problems",
]
#: Extra metadata columns some importers add (kept when present).
META_PREFIX = "meta_"

#: File names that document a corpus rather than belong to it.
_DOC_FILE_RE = re.compile(r"^(readme|license|licence|source|sha256sums|md5sums|changelog)(\..*)?$", re.I)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    ``severity`` is ``warning`` (the article loaded, with a caveat), ``error`` (a file or record
    could not be loaded) or ``skipped`` (not an article: unsupported extension, duplicate).
    """

    path: str
    line: int | None
    severity: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


@dataclass
class Document:
    """One article, cleaned and ready for analysis."""

    doc_id: str
    path: str
    text: str
    sha256: str
    date: str = ""
    title: str = ""
    source: str = ""
    url: str = ""
    problems: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def n_chars(self) -> int:
        return len(self.text)

    def as_row(self) -> dict:
        row = {
            "doc_id": self.doc_id, "path": self.path, "date": self.date, "title": self.title,
            "source": self.source, "url": self.url, "text": self.text, "sha256": self.sha256,
            "n_chars": self.n_chars, "problems": "; ".join(self.problems),
        }
        for key, value in self.meta.items():
            row[META_PREFIX + key] = value
        return row


@dataclass
class LoadReport:
    """Everything that went wrong (or was skipped) while loading, plus per-file status."""

    root: str
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # relative path -> status
    n_documents: int = 0

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def ok(self) -> bool:
        return not self.problems

    def by_file(self) -> dict[str, list[Problem]]:
        out: dict[str, list[Problem]] = {}
        for p in self.problems:
            out.setdefault(p.path, []).append(p)
        return out

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(p) for p in self.problems], columns=["path", "line", "severity", "message"])


@dataclass
class Corpus:
    """A loaded corpus: the documents table and the load report."""

    documents: pd.DataFrame
    report: LoadReport

    @property
    def corpus_hash(self) -> str:
        return corpus_hash(self.documents)


def corpus_hash(documents: pd.DataFrame) -> str:
    """A stable hash of a corpus: sha256 over the sorted (doc_id, sha256) pairs."""
    h = hashlib.sha256()
    for doc_id, sha in sorted(zip(documents["doc_id"], documents["sha256"])):
        h.update(f"{doc_id}\t{sha}\n".encode())
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# Cleaning


_BOILERPLATE_LINE_RE = re.compile(
    r"^\s*(advertisement|advertisements|story continues below(?: this)? ad(?:vertisement)?|"
    r"scroll to continue(?: with content)?|continue reading(?: below)?|also read:?.*|read more:?.*|"
    r"click here to .*|subscribe (?:now|to our newsletter).*)\s*$",
    re.I,
)
#: Syndication disclaimers; the named publisher becomes ``source`` when no header gives one.
_SYNDICATION_RE = re.compile(
    r"\(?\s*(?:except for the headline, )?this (?:story|article|report) has not been edited by "
    r"(?P<pub>[^.()]{2,80}?) staff and (?:has been|is) (?:published|auto-generated|generated) "
    r"from an? syndicated (?:news )?feed\.?\s*\)?",
    re.I,
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS_RE = re.compile(r"\n{3,}")


def clean_text(text: str) -> tuple[str, str]:
    """Drop boilerplate and normalise whitespace; keep the wording otherwise intact.

    Returns the cleaned text and the publisher named by a syndication disclaimer ("" if none).

    Example:
        >>> clean_text("Hello  world.\\n\\nADVERTISEMENT\\n\\nBye.")
        ('Hello world.\\n\\nBye.', '')
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL_RE.sub("", text)
    publisher = ""
    m = _SYNDICATION_RE.search(text)
    if m:
        publisher = m.group("pub").strip()
        text = _SYNDICATION_RE.sub("", text)
    lines = []
    for line in text.split("\n"):
        line = _SPACES_RE.sub(" ", line).strip()
        if _BOILERPLATE_LINE_RE.match(line):
            continue
        lines.append(line)
    cleaned = _BLANKS_RE.sub("\n\n", "\n".join(lines)).strip()
    return cleaned, publisher


# --------------------------------------------------------------------------------------------
# Dates

_DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%d-%m-%Y", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y",
    "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d-%b-%Y", "%Y%m%d",
)


def parse_date(value: object) -> str | None:
    """Normalise a date to ``YYYY-MM-DD``; ``""`` for empty input, ``None`` if unparseable.

    Example:
        >>> parse_date("12 June 2025"), parse_date("2025-06-12T10:00:00Z"), parse_date("soon")
        ('2025-06-12', '2025-06-12', None)
    """
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    s = str(value).strip()
    if not s:
        return ""
    m = re.match(r"^(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}", s)
    if m:
        s = m.group(1)
    m = re.match(r"^(\d{1,2}-[A-Za-z]{3}-\d{4})\s+\d", s)  # Reuters: 26-FEB-1987 15:01:01.79
    if m:
        s = m.group(1)
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(s, fmt)
        except ValueError:
            continue
        if 1800 <= parsed.year <= 2200:
            return parsed.strftime("%Y-%m-%d")
    return None


# --------------------------------------------------------------------------------------------
# Decoding


def decode_bytes(raw: bytes) -> tuple[str, str | None]:
    """Decode as UTF-8 (BOM allowed); fall back to the declared encoding with a warning message."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        text = raw.decode(FALLBACK_ENCODING, errors="replace")
        return text, (
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            f"decoded as {FALLBACK_ENCODING}"
        )


def looks_binary(raw: bytes) -> bool:
    """True for data that is not text: NUL bytes or mostly control bytes in the first 8 KiB."""
    head = raw[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(head) > 0.1


# --------------------------------------------------------------------------------------------
# Parsers: each yields (record_key, line, fields) or Problems


_HEADER_RE = re.compile(r"^\s*(title|source|url|date|author)\s*:\s*(.*?)\s*$", re.I)
_DATE_PREFIX_RE = re.compile(r"^\s*date[:\s]\s*(\d{4}-\d{2}-\d{2})\b[ \t]*", re.I)


def _parse_text(text: str) -> dict:
    """Split the seed format into header fields and body."""
    fields: dict[str, str] = {}
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _DATE_PREFIX_RE.match(line)
        if m and "date" not in fields:
            fields["date"] = m.group(1)
            rest = line[m.end():]
            if rest.strip():
                lines[i] = rest
                break
            i += 1
            continue
        m = _HEADER_RE.match(line)
        if m and m.group(1).lower() not in fields and (m.group(1).lower() != "date" or m.group(2)):
            fields[m.group(1).lower()] = m.group(2)
            i += 1
            continue
        if not line.strip() and fields and i < 8:
            i += 1
            continue
        break
    body_lines = lines[i:]
    if "title" not in fields:
        # BBC layout: a headline line, a blank line, then paragraphs.
        while body_lines and not body_lines[0].strip():
            body_lines.pop(0)
        if (
            len(body_lines) >= 3
            and body_lines[0].strip()
            and not body_lines[1].strip()
            and len(body_lines[0].strip()) <= 150
            # ends like a sentence: a full stop, colon or comma, possibly inside quotes; a headline
            # may end with a closing quote or a question (BBC: Economy 'stronger than forecast')
            and not re.search(r"[.:;,][\"”’']*\s*$", body_lines[0].strip())
        ):
            fields["title"] = body_lines[0].strip()
            body_lines = body_lines[2:]
    fields["text"] = "\n".join(body_lines)
    return fields


def _record_fields(obj: dict) -> dict:
    """Pick the known fields out of a JSON object or CSV row (case-insensitive keys)."""
    lower = {str(k).strip().lower(): v for k, v in obj.items() if k is not None}
    text = lower.get("text")
    if text in (None, ""):
        text = lower.get("body")
    out = {"text": "" if text is None else str(text)}
    for key in ("date", "title", "source", "url", "id"):
        v = lower.get(key)
        if v not in (None, ""):
            out[key] = v if key == "date" else str(v)
    meta = _meta_fields(lower)
    if meta:
        out["meta"] = meta
    return out


_KNOWN_FIELDS = frozenset(("text", "body", "date", "title", "source", "url", "id", "meta"))
_META_KEY_RE = re.compile(r"[^a-z0-9]+")


def _meta_fields(lower: dict) -> dict[str, str]:
    """Extra fields of a record (``places``, ``topics``...) as metadata strings; lists joined by ``;``.

    Example:
        >>> _meta_fields({"text": "x", "places": ["usa", "uk"], "Lewis Split": "train"})
        {'places': 'usa;uk', 'lewis_split': 'train'}
    """
    meta: dict[str, str] = {}
    for key, value in lower.items():
        name = _META_KEY_RE.sub("_", key).strip("_")
        if not name or key in _KNOWN_FIELDS or isinstance(value, dict):
            continue
        if isinstance(value, (list, tuple)):
            value = ";".join(str(v) for v in value if v is not None)
        meta[name] = "" if value is None else str(value)
    return meta


def _parse_jsonl(text: str, rel: str) -> Iterator[tuple[int, dict] | Problem]:
    return _parse_json_lines(enumerate(text.splitlines(), start=1), rel)


def _parse_json_lines(lines: Iterable[tuple[int, str]], rel: str) -> Iterator[tuple[int, dict] | Problem]:
    for lineno, line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(rel, lineno, "error", f"malformed JSON line ({exc.msg} at column {exc.colno}); line skipped")
            continue
        if not isinstance(obj, dict):
            yield Problem(rel, lineno, "error", f"expected a JSON object, got {type(obj).__name__}; line skipped")
            continue
        yield lineno, _record_fields(obj)


def _parse_json(text: str, rel: str) -> Iterator[tuple[int, dict] | Problem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # Many ".json" exports are really JSON Lines.
        if text.lstrip().startswith("{") and "\n{" in text:
            yield from _parse_jsonl(text, rel)
            return
        yield Problem(rel, exc.lineno, "error", f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); file skipped")
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        yield Problem(rel, None, "error", "expected a JSON object or a list of objects; file skipped")
        return
    for i, obj in enumerate(data, start=1):
        if not isinstance(obj, dict):
            yield Problem(rel, None, "error", f"record {i}: expected an object, got {type(obj).__name__}; skipped")
            continue
        yield i, _record_fields(obj)


def _parse_csv(text: str, rel: str) -> Iterator[tuple[int, dict] | Problem]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield Problem(rel, 1, "error", f"unreadable CSV header ({exc}); file skipped")
        return
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    if "text" not in names and "body" not in names:
        yield Problem(rel, 1, "error", f"CSV has no 'text' or 'body' column (columns: {', '.join(names)}); file skipped")
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Problem(rel, reader.line_num, "error", f"malformed CSV row ({exc}); row skipped")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            yield Problem(
                rel, reader.line_num, "error",
                f"malformed CSV row: {len(row)} fields where the header has {len(names)}; row skipped",
            )
            continue
        yield reader.line_num, _record_fields(dict(zip(names, row)))


def _parse_html(text: str) -> dict:
    import trafilatura  # imported lazily: only HTML corpora pay for it

    body = trafilatura.extract(
        text, output_format="txt", include_comments=False, include_tables=False, favor_recall=True,
    )
    # extensive=False: only dates the page declares (meta tags, <time>), never a guess from the text
    meta = trafilatura.extract_metadata(text, extensive=False)
    fields: dict = {"text": body or ""}
    if meta is not None:
        for key in ("title", "date", "url"):
            value = getattr(meta, key, None)
            if value:
                fields[key] = value
        if getattr(meta, "sitename", None):
            fields["source"] = meta.sitename
    if not fields["text"]:
        # Very short pages fall below trafilatura's thresholds: take the paragraphs' text.
        from lxml import html as lxml_html

        try:
            tree = lxml_html.fromstring(text)
        except Exception:  # noqa: BLE001 - lxml raises several types for junk
            return fields
        for bad in tree.xpath("//script|//style|//nav|//header|//footer|//aside|//noscript|//form"):
            bad.drop_tree()
        paras = [p.text_content().strip() for p in tree.xpath("//p|//h1|//h2|//h3|//li")]
        fields["text"] = "\n".join(p for p in paras if p)
    # Extracted lines are paragraphs; a repeated headline is not article text.
    lines = [ln for ln in fields["text"].split("\n") if ln.strip()]
    if lines and fields.get("title") and lines[0].strip() == str(fields["title"]).strip():
        lines = lines[1:]
    fields["text"] = "\n\n".join(lines)
    return fields


# --------------------------------------------------------------------------------------------
# Loading


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


def iter_corpus(path: str | os.PathLike, report: LoadReport | None = None) -> Iterator[Document]:
    """Stream the documents of a corpus; problems go into ``report``.

    Exact duplicates (same sha256) are yielded once; later copies are reported as skipped.

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
        for item in _guarded(iter_file(file, base), rel):  # streamed: large JSONL files stay lean
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
        from .progress import progress_bar

        docs = progress_bar(docs, desc="loading", unit="doc")
    rows = [d.as_row() for d in docs]
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=DOCUMENT_COLUMNS)
    extra = [c for c in frame.columns if c not in DOCUMENT_COLUMNS]
    frame = frame[DOCUMENT_COLUMNS + extra]
    frame["n_chars"] = frame["n_chars"].astype("int64")
    return Corpus(documents=frame, report=report)
