"""The corpus data model: documents, problems, the load report, the corpus, and its hash.

A :class:`Document` is one article; a :class:`Problem` names a file (and line) and what was wrong
with it; a :class:`LoadReport` collects them; :func:`corpus_hash` identifies a loaded corpus.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

import pandas as pd

#: Columns of the documents table, in order.
DOCUMENT_COLUMNS = [
    "doc_id", "path", "date", "title", "source", "url", "text", "sha256", "n_chars", "problems",
    "body_start",
]
#: Extra metadata columns some importers add (kept when present).
META_PREFIX = "meta_"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    ``severity`` is ``warning`` (the article loaded, with a caveat), ``error`` (a file or record
    could not be loaded) or ``skipped`` (not an article: unsupported extension, duplicate). Readers
    also yield ``info`` (the CSV delimiter used, the export layout found): :func:`iter_corpus` files
    those under :attr:`LoadReport.notes`, never among the problems.
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

    @property
    def headline(self) -> str:
        """The title as analysed: one line; empty when the text already starts with it."""
        title = " ".join(self.title.split()) if isinstance(self.title, str) else ""
        return "" if not title or self.text.startswith(title) else title

    @property
    def body_start(self) -> int:
        """Where :attr:`text` starts in :attr:`analysed_text` (0 without a headline): a mention,
        claim or quote whose ``start`` is below it is in the headline."""
        headline = self.headline
        return len(headline) + 2 if headline else 0

    @property
    def analysed_text(self) -> str:
        """What the analysis reads: the headline, a blank line, then the text (headlines count: a
        claim in a title is a claim). Every offset in the analysis tables indexes this string."""
        headline = self.headline
        return f"{headline}\n\n{self.text}" if headline else self.text

    def as_row(self) -> dict:
        row = {
            "doc_id": self.doc_id, "path": self.path, "date": self.date, "title": self.title,
            "source": self.source, "url": self.url, "text": self.text, "sha256": self.sha256,
            "n_chars": self.n_chars, "problems": "; ".join(self.problems), "body_start": self.body_start,
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
    #: relative path -> what the reader found (delimiter, layout, date order): not problems
    notes: dict[str, list[str]] = field(default_factory=dict)

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

    def nothing_loaded(self) -> str:
        """Why a corpus gave no article: what was found and the first reasons, for the error message."""
        if not self.files:
            return (f"no article loaded from {self.root}: it holds no files (hidden files and folders are "
                    "not read); put .txt, .json, .jsonl, .csv, .html, .rss or .docx files in it")
        counts: dict[str, int] = {}
        for status in self.files.values():
            counts[status] = counts.get(status, 0) + 1
        found = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        reasons = []
        for path, problems in self.by_file().items():
            worst = next((p for p in problems if p.severity in ("error", "skipped")), problems[0])
            reasons.append(f"{path}: " + (f"line {worst.line}: " if worst.line else "") + worst.message)
            if len(reasons) == 3:
                break
        more = len(self.by_file()) - len(reasons)
        return (f"no article loaded from {self.root}: {len(self.files)} file(s) found ({found}); "
                + "; ".join(reasons) + (f"; and {more} more file(s)" if more > 0 else "")
                + f". Run `supplywatch corpus check {self.root}` for every file's status")

    def to_frame(self) -> pd.DataFrame:
        """One row per problem: ``path``, ``line`` (a whole number, blank where the file has none),
        ``severity``, ``message``."""
        frame = pd.DataFrame([asdict(p) for p in self.problems], columns=["path", "line", "severity", "message"])
        frame["line"] = pd.to_numeric(frame["line"], errors="coerce").astype("Int64")  # 3, not 3.0
        return frame


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
