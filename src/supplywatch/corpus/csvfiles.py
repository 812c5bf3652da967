"""CSV and TSV files: the delimiter is detected, broken rows and quotes are reported by line.

* **Delimiter**: ``,``, ``;`` (European Excel), TAB or ``|``. The header line decides when one
  candidate splits it into a column the loader reads (``text``, ``body``...); otherwise
  :class:`csv.Sniffer` decides from the first 64 KiB; otherwise ``,`` (``.tsv``: TAB). The file's
  line in ``corpus check`` says which delimiter was used and how it was found.
* A byte-order mark and CRLF line ends are read as nothing and as line ends.
* **Unterminated quote**: a ``"`` that is never closed makes the csv module read the rest of the
  file as one field. That row is reported with the line it starts on ("the rest of the file was
  read as one field") and skipped, and the rows after that line are read again, so only the broken
  row is lost.
* A row with more or fewer fields than the header is reported with its line and skipped.
* A header split by another character ("title^text") is an error that says so; a file with a header
  and no rows gets a warning; a column whose first values are all dates but that is not read as the
  date ("Datum") gets a warning naming the ``--field date=COLUMN`` that would read it.

Example:
    >>> [i for i in parse_csv("title;text\\r\\nA;Hello\\r\\n", "a.csv") if isinstance(i, tuple)]
    [(2, {'title': 'A', 'text': 'Hello'})]
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator

from supplywatch.corpus.cleaning import parse_date
from supplywatch.corpus.model import Problem
from supplywatch.corpus.records import FIELD_ALIASES, FALLBACK_TEXT, FieldMap

DELIMITERS = (",", ";", "\t", "|")
_NAMES = {",": "comma ','", ";": "semicolon ';'", "\t": "TAB", "|": "pipe '|'"}
_SAMPLE = 65536
#: Rows looked at to tell whether an unmapped column holds dates.
_DATE_SAMPLE = 20


def _foreign_delimiter(names: list[str], text_keys: list[str]) -> str | None:
    """The character that seems to split a one-column header ("title^text") into known field names."""
    if len(names) != 1:
        return None
    for char in sorted(set(re.findall(r"[^\w\s\"']", names[0]))):
        if set(p.strip() for p in names[0].split(char)) & set(text_keys):
            return char
    return None


def _date_columns(text: str, delimiter: str, names: list[str]) -> list[tuple[str, str]]:
    """Columns not read as the date whose first values all parse as dates: ``(column, example)``."""
    rows = [r for r in itertools.islice(_reader(text, delimiter), 1, 1 + _DATE_SAMPLE) if len(r) == len(names)]
    found = []
    for i, name in enumerate(names):
        values = [r[i].strip() for r in rows if r[i].strip()]
        if values and all(parse_date(v) for v in values):
            found.append((name, values[0]))
    return found


def _split_header(line: str, delimiter: str) -> list[str]:
    try:
        return [c.strip().lower() for c in next(csv.reader([line], delimiter=delimiter))]
    except (csv.Error, StopIteration):
        return []


def detect_delimiter(text: str, *, default: str = ",", fields: FieldMap | None = None) -> tuple[str, str]:
    """The delimiter of a CSV text and how it was found (``"header"``, ``"sniffed"``, ``"default"``).

    Example:
        >>> detect_delimiter("title\\ttext\\nA\\tx, y; z\\n")
        ('\\t', 'header')
    """
    first = text.split("\n", 1)[0].rstrip("\r").lstrip("\ufeff")
    wanted = set(FIELD_ALIASES["text"]) | set(FALLBACK_TEXT) | ({fields["text"]} if fields and "text" in fields else set())
    if not any(d in first for d in DELIMITERS):
        return default, "header"  # one column: nothing in the rows can change that
    hits = [d for d in DELIMITERS if len(cols := _split_header(first, d)) > 1 and wanted & set(cols)]
    if len(hits) == 1:
        return hits[0], "header"
    if len(hits) > 1:  # several split off a text column: the one giving the most columns
        return max(hits, key=lambda d: len(_split_header(first, d))), "header"
    try:
        sniffed = csv.Sniffer().sniff(text[:_SAMPLE], delimiters="".join(DELIMITERS)).delimiter
        if sniffed in DELIMITERS:
            return sniffed, "sniffed"
    except csv.Error:
        pass
    return default, "default"


def _reader(text: str, delimiter: str) -> csv.reader:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def parse_csv(text: str, rel: str, *, tsv: bool = False,
              fields: FieldMap | None = None) -> Iterator[tuple[int, dict] | Problem]:
    """Rows of a CSV/TSV text as ``(line, {column: value})``, with Problems for what goes wrong.

    An ``info`` Problem names the delimiter; the header row is line 1.
    """
    text = text.lstrip("\ufeff")
    delimiter, how = detect_delimiter(text, default="\t" if tsv else ",", fields=fields)
    how_found = {"header": "from the header line", "sniffed": "found by csv.Sniffer", "default": "the default"}[how]
    yield Problem(rel, None, "info", f"delimiter {_NAMES[delimiter]}, {how_found}")
    lines = io.StringIO(text, newline="").readlines()
    reader = _reader(text, delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield Problem(rel, 1, "error", f"unreadable CSV header ({exc}); file skipped")
        return
    names = [h.strip().lower() for h in header]
    text_keys = [fields["text"]] if fields and "text" in fields else list(FIELD_ALIASES["text"] + FALLBACK_TEXT)
    if not any(k in names for k in text_keys):
        what = f"no column {fields['text']!r} (--field text={fields['text']})" if fields and "text" in fields else \
            "no text column (text, body, content...)"
        foreign = _foreign_delimiter(names, text_keys)
        if foreign:
            yield Problem(rel, 1, "error", f"{what}: the header line {header[0]!r} seems to be split by "
                                           f"{foreign!r}, which is not a delimiter supplywatch reads; save the "
                                           "file with comma, semicolon, TAB or pipe delimiters; file skipped")
            return
        yield Problem(rel, 1, "error", f"{what}; the columns are: {', '.join(n or '(empty)' for n in names)} "
                                       f"(read with delimiter {_NAMES[delimiter]}); name the text column with "
                                       "--field text=COLUMN; file skipped")
        return
    date_keys = [fields["date"]] if fields and "date" in fields else list(FIELD_ALIASES["date"])
    if not any(k in names for k in date_keys):
        for name, example in _date_columns(text, delimiter, names):
            yield Problem(rel, 1, "warning", f"column {name!r} holds dates (e.g. {example!r}) but is not read as "
                                             f"the article date (kept as meta_{name}); map it with --field "
                                             f"date={name}")
    read_any = False
    offset = 0  # lines of the file before the text the reader reads (after a broken row)
    while True:
        start = offset + reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            if not read_any:
                yield Problem(rel, 1, "warning", "no rows after the header line: the file holds no article")
            return
        except csv.Error as exc:
            read_any = True
            yield Problem(rel, offset + reader.line_num, "error", f"malformed CSV row ({exc}); row skipped")
            continue
        end = offset + reader.line_num
        if end > start and sum(line.count('"') for line in lines[start - 1:end]) % 2 == 1:
            read_any = True
            yield Problem(rel, start, "error",
                          f"a quote opened in the row on line {start} is never closed: the rest of the file "
                          f"(lines {start}-{end}) was read as one field; row skipped, the lines after it read "
                          "again; close or remove the quote")
            offset = start
            reader = _reader("".join(lines[start:]), delimiter)
            continue
        if not any(cell.strip() for cell in row):
            continue
        read_any = True
        if len(row) != len(names):
            yield Problem(rel, end, "error",
                          f"malformed CSV row: {len(row)} fields where the header has {len(names)} "
                          f"(delimiter {_NAMES[delimiter]}); row skipped")
            continue
        yield end, dict(zip(names, row))
