"""Importers: turn public news archives into corpora supplywatch loads.

Reuters-21578 (Distribution 1.0) ships as 22 SGML files (``reut2-000.sgm`` … ``reut2-021.sgm``),
latin-1, 1,000 ``<REUTERS>`` records each. :func:`iter_reuters` streams them as
:class:`~supplywatch.corpus.Document` objects; :func:`import_reuters` writes them as JSON Lines
(one ``.jsonl`` per ``.sgm``) that :func:`supplywatch.corpus.load_corpus` reads back with the same
``doc_id`` values and the collection's own labels as ``meta_*`` columns.

Counting rules:

* A record without ``<BODY>`` (the 2,535 BRIEF/UNPROC records: a headline or nothing) is not an
  article: it is skipped and counted in :class:`ReutersStats` (``no_body``).
* ``&lt;`` / ``&gt;`` / ``&amp;`` and numeric entities ``&#N;`` are decoded; control characters
  they produce are then removed by :func:`supplywatch.corpus.clean_text`.
* The body's hard-wrapped lines are re-flowed: an indented line starts a new paragraph, other lines
  continue the current one. The closing ``Reuter`` sign-off line is dropped (it is not news text).
* ``<DATE>`` has leading blanks and trailing time noise (``26-FEB-1987 15:01:01.79``); the day is
  kept as ``YYYY-MM-DD``.
* ``<PLACES>``/``<ORGS>``/``<PEOPLE>``/``<TOPICS>`` become ``;``-joined lower-case codes
  (``"usa;uk"``, ``""`` when empty) and ``LEWISSPLIT`` becomes ``lewissplit`` (``train``/``test``/
  ``not-used``).

The BBC News folders need no importer: :func:`supplywatch.corpus.load_corpus` reads them as they
are (headline on line 1, then a blank line).

Example:
    >>> docs = iter_reuters("../shared/corpora/reuters21578/reut2-000.sgm")  # doctest: +SKIP
    >>> next(docs).doc_id, next(docs).meta["places"]                          # doctest: +SKIP
    ('reut2-000/1', 'usa')
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from supplywatch.corpus.cleaning import clean_text
from supplywatch.corpus.model import Document
from supplywatch.exceptions import CorpusError

#: Value of ``Document.source`` for every Reuters-21578 article.
REUTERS_SOURCE = "Reuters"
#: Label fields kept as metadata, in order.
REUTERS_LABELS = ("places", "orgs", "people", "topics")
#: The encoding of the Reuters-21578 files (only one non-ASCII byte, 0xFC in reut2-017.sgm).
REUTERS_ENCODING = "latin-1"

_RECORD_RE = re.compile(r"<REUTERS\b(?P<attrs>[^>]*)>(?P<body>.*?)</REUTERS>", re.S)
_ATTR_RE = re.compile(r'(\w+)="([^"]*)"')
_D_RE = re.compile(r"<D>(.*?)</D>", re.S)
_DATE_RE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})")
_MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}
_SIGNOFF_RE = re.compile(r"(?:^|\s+)reuter\s*$", re.I)
_TAG_RE = {
    name: re.compile(rf"<{name}>(.*?)</{name}>", re.S)
    for name in ("DATE", "TITLE", "DATELINE", "BODY", "PLACES", "ORGS", "PEOPLE", "TOPICS")
}


@dataclass
class ReutersStats:
    """What an import saw: records read, articles yielded, records skipped and why."""

    records: int = 0
    articles: int = 0
    no_body: int = 0
    empty_body: int = 0
    bad_date: int = 0
    files: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return self.no_body + self.empty_body


def _unescape(text: str) -> str:
    """Decode SGML entities (``&lt;``, ``&amp;``, ``&#3;``)."""
    return html.unescape(text) if "&" in text else text


def _reflow(body: str) -> str:
    """Join hard-wrapped lines into paragraphs; an indented or blank line starts a new one."""
    paragraphs: list[list[str]] = []
    for line in body.split("\n"):
        if not line.strip():
            paragraphs.append([])
            continue
        if not paragraphs or line[:1] in (" ", "\t"):
            paragraphs.append([line.strip()])
        else:
            paragraphs[-1].append(line.strip())
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


def reuters_date(value: str) -> str:
    """``' 26-FEB-1987 15:01:01.79'`` -> ``'1987-02-26'``; ``""`` when no day can be read.

    Example:
        >>> reuters_date("  3-MAR-1987  09:15:05.40")
        '1987-03-03'
    """
    m = _DATE_RE.search(value)
    if not m or m.group(2).upper() not in _MONTHS:
        return ""
    day, month, year = int(m.group(1)), _MONTHS[m.group(2).upper()], int(m.group(3))
    if not 1 <= day <= 31:
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def _labels(record: str, tag: str) -> str:
    m = _TAG_RE[tag].search(record)
    if not m:
        return ""
    return ";".join(_unescape(d).strip().lower() for d in _D_RE.findall(m.group(1)) if d.strip())


def _sgm_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise CorpusError(
            f"Reuters-21578 path {str(path)!r} does not exist; give the folder holding reut2-*.sgm or one .sgm file"
        )
    files = sorted(path.glob("*.sgm"))
    if not files:
        raise CorpusError(f"no .sgm files in {str(path)!r}; expected reut2-000.sgm … reut2-021.sgm")
    return files


def parse_reuters_record(record: str, attrs: str, *, stem: str, stats: ReutersStats | None = None) -> Document | None:
    """One ``<REUTERS>`` record (inner SGML and tag attributes) as a Document, or None without a body.

    Example:
        >>> rec = "<DATE>26-FEB-1987 15:01</DATE><TEXT><TITLE>T</TITLE><BODY>A &lt;B> c.\\nReuter\\n&#3;</BODY></TEXT>"
        >>> parse_reuters_record(rec, ' NEWID="7" LEWISSPLIT="TRAIN"', stem="x").text
        'A <B> c.'
    """
    stats = stats if stats is not None else ReutersStats()
    stats.records += 1
    attr = dict(_ATTR_RE.findall(attrs))
    new_id = attr.get("NEWID", str(stats.records))
    body_m = _TAG_RE["BODY"].search(record)
    if not body_m:
        stats.no_body += 1
        return None
    body = _reflow(_unescape(body_m.group(1)).replace("\x03", ""))
    text, _ = clean_text(_SIGNOFF_RE.sub("", body))
    if not text:
        stats.empty_body += 1
        return None
    title_m = _TAG_RE["TITLE"].search(record)
    title, _ = clean_text(_unescape(title_m.group(1)) if title_m else "")
    date_m = _TAG_RE["DATE"].search(record)
    day = reuters_date(date_m.group(1)) if date_m else ""
    if not day:
        stats.bad_date += 1
    meta = {name: _labels(record, name.upper()) for name in REUTERS_LABELS}
    meta["lewissplit"] = attr.get("LEWISSPLIT", "").lower()
    dateline_m = _TAG_RE["DATELINE"].search(record)
    # where the story was filed ("SALVADOR, Feb 26 -" -> "SALVADOR"): metadata, not article text
    meta["dateline"] = " ".join(_unescape(dateline_m.group(1)).split(",")[0].split()) if dateline_m else ""
    stats.articles += 1
    return Document(
        doc_id=f"{stem}/{new_id}",
        path=f"{stem}.sgm",
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        date=day,
        title=" ".join(title.split()),
        source=REUTERS_SOURCE,
        meta=meta,
    )


def iter_reuters(path: str | os.PathLike, *, stats: ReutersStats | None = None) -> Iterator[Document]:
    """Stream the articles of Reuters-21578: a folder of ``reut2-*.sgm`` files or one file.

    Records without a ``<BODY>`` are skipped and counted in ``stats`` (pass a
    :class:`ReutersStats` to read the counts afterwards). Files are read one at a time.

    Raises:
        CorpusError: the path does not exist or holds no ``.sgm`` file.

    Example:
        >>> stats = ReutersStats()
        >>> n = sum(1 for _ in iter_reuters("reuters21578", stats=stats))  # doctest: +SKIP
        >>> n, stats.no_body                                                # doctest: +SKIP
        (19043, 2535)
    """
    stats = stats if stats is not None else ReutersStats()
    for file in _sgm_files(Path(path)):
        stats.files.append(file.name)
        try:
            raw = file.read_text(encoding=REUTERS_ENCODING)
        except OSError as exc:
            raise CorpusError(f"cannot read {str(file)!r} ({exc.strerror or exc}); check permissions") from exc
        stem = file.stem
        for m in _RECORD_RE.finditer(raw):
            doc = parse_reuters_record(m.group("body"), m.group("attrs"), stem=stem, stats=stats)
            if doc is not None:
                yield doc


def document_record(doc: Document) -> dict:
    """A Document as one JSON Lines object (``id`` is the part of ``doc_id`` after the file stem)."""
    record = {
        "id": doc.doc_id.rsplit("/", 1)[-1],
        "date": doc.date,
        "title": doc.title,
        "source": doc.source,
        "text": doc.text,
    }
    record.update(doc.meta)
    return record


def import_reuters(path: str | os.PathLike, out: str | os.PathLike) -> ReutersStats:
    """Write Reuters-21578 as JSON Lines under ``out``: ``reut2-000.jsonl`` … one per ``.sgm``.

    Loading ``out`` with :func:`supplywatch.corpus.load_corpus` gives the same ``doc_id`` values as
    :func:`iter_reuters` (``reut2-000/1``) and the labels as ``meta_places`` etc.

    Example:
        >>> import_reuters("../shared/corpora/reuters21578", "corpora/reuters")  # doctest: +SKIP
        ReutersStats(records=21578, articles=19043, no_body=2535, ...)
    """
    from supplywatch.io import atomic_write_text

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CorpusError(f"--out {str(out)!r} is a file; give a folder for the .jsonl files")
    out.mkdir(parents=True, exist_ok=True)
    stats = ReutersStats()
    for file in _sgm_files(Path(path)):
        lines = [
            json.dumps(document_record(doc), ensure_ascii=False)
            for doc in iter_reuters(file, stats=stats)
        ]
        atomic_write_text(out / f"{file.stem}.jsonl", "".join(line + "\n" for line in lines))
    return stats


# --------------------------------------------------------------------------------------------
# Command line: ``supplywatch import reuters21578 PATH --out DIR``


def _cmd_import_reuters(args) -> int:
    stats = import_reuters(args.path, args.out)
    print(
        f"{stats.articles} article(s) from {stats.records} record(s) in {len(stats.files)} file(s) "
        f"written to {args.out}; skipped {stats.no_body} record(s) without a BODY"
        + (f" and {stats.empty_body} with an empty one" if stats.empty_body else "")
        + (f"; {stats.bad_date} without a readable DATE" if stats.bad_date else "")
    )
    return 0


def register_cli(sub) -> None:
    """Add ``supplywatch import reuters21578 PATH --out DIR`` to the command line's sub-parsers."""
    imp = sub.add_parser("import", help="turn a public news archive into a corpus",
                         description="Turn a public news archive into a corpus supplywatch loads.")
    imp_sub = imp.add_subparsers(dest="import_command", metavar="ARCHIVE")
    imp_sub.required = True
    reuters = imp_sub.add_parser(
        "reuters21578", help="Reuters-21578 SGML files -> JSON Lines",
        description="Read the Reuters-21578 reut2-*.sgm files (a folder or one file) and write one "
                    ".jsonl per .sgm to --out, with date, title and the PLACES/ORGS/PEOPLE/TOPICS "
                    "labels as metadata. Records without a BODY are skipped and counted.",
    )
    reuters.add_argument("path", metavar="PATH", help="folder holding reut2-*.sgm, or one .sgm file")
    reuters.add_argument("--out", required=True, metavar="DIR", help="folder for the .jsonl files")
    reuters.set_defaults(func=_cmd_import_reuters)
