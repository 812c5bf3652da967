"""Multi-article exports from news databases: LexisNexis, Nexis Uni and Factiva.

An analyst's download from these services is one file holding many articles, each with header
lines that are not article text (load dates, copyright lines, classification codes; counted as
text they add agency and publisher mentions). :func:`split_export` recognises these layouts
(:data:`LAYOUTS`) in plain text (``.txt``), RTF (``.rtf``, read with striprtf) and Word
(``.docx``, read with python-docx; :mod:`supplywatch.corpus.office`):

``lexisnexis``
    LexisNexis Academic / classic text: articles start with ``N of M DOCUMENTS`` (also German
    ``Dokument N von M``, French ``Document N de M``); then the source, the date line (``January
    11, 2010 Monday``), edition lines, the headline, ``BYLINE:``/``SECTION:``/``LENGTH:`` lines,
    the body (hard-wrapped lines re-flowed into paragraphs), then ``LOAD-DATE:``, ``LANGUAGE:``,
    ``PUBLICATION-TYPE:`` and the copyright lines, which are dropped.
``nexis-uni``
    Nexis Uni / Lexis+ / Lexis Advance (DOCX, or its text): each article ends with ``End of
    Document``; the headline, source and date lines stand above ``Copyright``, ``Section:``,
    ``Length:``, ``Byline:`` lines and a line ``Body``; the body runs to ``Classification`` or the
    first of ``Load-Date:``/``Language:``/``Subject:``... The export's cover page (user name, job
    number, search terms) is dropped.
``factiva``
    Factiva "Full Article/Report plus Indexing": two-letter field codes (``HD`` headline, ``BY``,
    ``WC`` words, ``PD`` date, ``SN`` source, ``LA``, ``CY`` copyright, ``LP`` lead paragraph,
    ``TD`` text, ``CO``/``IN``/``NS``/``RE`` codes, ``AN`` accession number); text is ``LP`` + ``TD``.
``factiva-article``
    Factiva "Article Format": headline, optional byline, ``N words``, date, optional time, source,
    source code, language, copyright, body, and the closing ``Document <accession number>`` line;
    the "Search Summary" at the end of the export is dropped.

Every article gets its title, date, source; byline, section, length, language, edition and codes
become metadata. A file that looks like one of these exports but cannot be split is reported (a
warning) and read as one article, never silently.

Example:
    >>> text = "1 of 1 DOCUMENTS\\n\\n   The Times\\n\\n   June 12, 2025 Thursday\\n\\nChina acts\\n\\n" \\
    ...        "LENGTH: 9 words\\n\\nChina said it\\nwould act.\\n\\nLOAD-DATE: June 13, 2025\\n\\n" \\
    ...        "   Copyright 2025 Times Newspapers Ltd\\n"
    >>> layout, articles = split_export(text)
    >>> layout, articles[0]["title"], articles[0]["date"], articles[0]["text"]
    ('lexisnexis', 'China acts', 'June 12, 2025 Thursday', 'China said it would act.')
"""

from __future__ import annotations

import re

from supplywatch.corpus.dates import parse_date

#: The layouts :func:`split_export` reads.
LAYOUTS = ("lexisnexis", "nexis-uni", "factiva", "factiva-article")

_LN_START_RE = re.compile(r"^\s*(\d+) (?:of|OF) \d+ DOCUMENTS?\s*$|^\s*Dokument (\d+) von \d+\s*$|"
                          r"^\s*Document (\d+) de \d+\s*$")
_LN_FIELD_RE = re.compile(r"^([A-Z][A-Z-]{2,}(?: [A-Z][A-Z-]+)?):\s?(.*)$")
_LN_END_FIELDS = frozenset(("LOAD-DATE", "LANGUAGE", "PUBLICATION-TYPE", "JOURNAL-CODE", "GRAPHIC", "URL",
                            "SUBJECT", "ORGANIZATION", "PERSON", "GEOGRAPHIC", "COMPANY", "INDUSTRY", "TICKER",
                            "CORRECTION-DATE", "NOTES", "DOCUMENT-TYPE", "SPRACHE", "LANGUE", "UPDATE"))
_COPYRIGHT_RE = re.compile(r"^\s*(?:copyright\b|\(c\)|©|all rights reserved\b)", re.I)
_UNI_END_RE = re.compile(r"^\s*End of Document\s*$")
_UNI_FIELD_RE = re.compile(r"^([A-Z][A-Za-z-]+(?: [A-Z][A-Za-z-]+)?):\s?(.*)$")
_UNI_STOP = frozenset(("Classification",))
_UNI_END_FIELDS = frozenset(("Load-Date", "Language", "Publication-Type", "Subject", "Geographic", "Company",
                             "Industry", "Person", "Organization", "Ticker", "Graphic", "Notes", "Document-Type",
                             "Journal-Code", "Correction-Date", "Update"))
_FV_CODES = ("HD", "BY", "CR", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "VOL", "LA", "CY", "LP", "TD", "CT", "RF",
             "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN", "SE", "CLM", "ART")
_FV_RE = re.compile(r"^(" + "|".join(_FV_CODES) + r")(?:\s*[|\t:]\s*|\s+|$)(.*)$")
_FVA_END_RE = re.compile(r"^\s*Document ([A-Za-z0-9]{16,30})\s*$")
_WORDS_RE = re.compile(r"^\s*[\d,.]+ (?:words|Wörter|mots|palabras)\s*$", re.I)
_TIME_RE = re.compile(r"^\s*\d{1,2}[:.]\d{2}(?:\s*(?:[AP]M|GMT|UTC|ET|[A-Z]{2,4}))?\s*$", re.I)
_LN_START_ANY = re.compile(r"^[ \t]*(?:\d+ (?:of|OF) \d+ DOCUMENTS?|Dokument \d+ von \d+|Document \d+ de \d+)[ \t]*$",
                           re.M)
_UNI_END_ANY = re.compile(r"^[ \t]*End of Document[ \t]*$", re.M)
_FV_HD_ANY = re.compile(r"^HD(?:\s*[|\t:]\s*|\s+|$)", re.M)
_FV_CODE_ANY = re.compile(r"^(" + "|".join(_FV_CODES) + r")(?:\s*[|\t:]\s*|\s+|$)", re.M)
_FVA_END_ANY = re.compile(r"^[ \t]*Document [A-Za-z0-9]{16,30}[ \t]*$", re.M)
_WORDS_ANY = re.compile(r"^[ \t]*[\d,.]+ (?:words|Wörter|mots|palabras)[ \t]*$", re.M | re.I)
_LANGUAGES = frozenset("english german deutsch french français spanish español italian portuguese dutch "
                       "chinese japanese russian arabic".split())


def detect_layout(text: str) -> str | None:
    """The export layout a text looks like (one of :data:`LAYOUTS`), or None for an ordinary article."""
    # substring checks first: a plain article (even of 10 MB) is ruled out in milliseconds
    if ("DOCUMENT" in text or "Dokument " in text or "Document " in text) and _LN_START_ANY.search(text):
        return "lexisnexis"
    if "End of Document" in text and _UNI_END_ANY.search(text):
        return "nexis-uni"
    if (text.startswith("HD") or "\nHD" in text) and _FV_HD_ANY.search(text):
        codes = {m.group(1) for m in _FV_CODE_ANY.finditer(text)}
        if {"HD", "AN"} <= codes or {"HD", "PD", "SN"} <= codes:
            return "factiva"
    if "Document " in text and _FVA_END_ANY.search(text) and _WORDS_ANY.search(text):
        return "factiva-article"
    return None


def _reflow(lines: list[str]) -> str:
    """Blank-line paragraphs; the hard-wrapped lines inside one joined by spaces."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


def _line_paragraphs(lines: list[str]) -> str:
    """Each non-empty line a paragraph (DOCX exports: one paragraph per line)."""
    return "\n\n".join(line.strip() for line in lines if line.strip())


def _meta_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _segments(lines: list[str], starts: list[int]) -> list[tuple[int, list[str]]]:
    bounds = starts + [len(lines)]
    return [(bounds[i] + 1, lines[bounds[i]:bounds[i + 1]]) for i in range(len(starts))]


def _lexisnexis(lines: list[str]) -> list[dict]:
    starts = [i for i, line in enumerate(lines) if _LN_START_RE.match(line)]
    out = []
    for first_line, seg in _segments(lines, starts):
        art: dict = {"line": first_line, "meta": {}, "warnings": []}
        body: list[str] = []
        i = 1
        head: list[str] = []
        while i < len(seg) and len(head) < 12:  # source, date, edition lines: indented (centred)
            line = seg[i]
            if line.strip() and not line.startswith((" ", "\t")) and head:
                break
            if line.strip():
                head.append(line.strip())
            i += 1
        date_at = next((k for k, h in enumerate(head) if parse_date(h)), None)
        if date_at is not None:
            art["date"] = head[date_at]
            if date_at > 0:
                art["source"] = head[0]
            if head[date_at + 1:]:
                art["meta"]["edition"] = " ".join(head[date_at + 1:])
        elif head:
            art["source"] = head[0]
        title: list[str] = []
        while i < len(seg) and seg[i].strip() and not _LN_FIELD_RE.match(seg[i]):
            title.append(seg[i].strip())
            i += 1
        art["title"] = " ".join(title)
        in_body = False
        for line in seg[i:]:
            m = _LN_FIELD_RE.match(line)
            if m and (not in_body or m.group(1) in _LN_END_FIELDS):
                if m.group(1) in _LN_END_FIELDS:
                    if in_body or body:
                        in_body = None  # the trailer: the body is over
                    if m.group(1) not in ("LOAD-DATE", "UPDATE"):
                        art["meta"][_meta_key(m.group(1))] = m.group(2).strip()
                    continue
                art["meta"][_meta_key(m.group(1))] = m.group(2).strip()
                continue
            if in_body is None or _COPYRIGHT_RE.match(line):
                continue
            if line.strip():
                in_body = True
            if in_body:
                body.append(line)
        art["text"] = _reflow(body)
        out.append(art)
    return out


def _nexis_uni(lines: list[str]) -> list[dict]:
    ends = [i for i, line in enumerate(lines) if _UNI_END_RE.match(line)]
    out = []
    start = 0
    for end in ends:
        seg = lines[start:end]
        first_line = start + 1
        start = end + 1
        body_at = next((k for k, line in enumerate(seg) if line.strip() == "Body"), None)
        art: dict = {"line": first_line, "meta": {}, "warnings": []}
        if body_at is None:
            art["text"] = ""
            art["error"] = "no 'Body' line in this article of a Nexis Uni export"
            out.append(art)
            continue
        head = [line.strip() for line in seg[:body_at] if line.strip()]
        k = len(head) - 1
        while k >= 0 and (_UNI_FIELD_RE.match(head[k]) or _COPYRIGHT_RE.match(head[k])):
            m = _UNI_FIELD_RE.match(head[k])
            if m and not _COPYRIGHT_RE.match(head[k]):
                art["meta"][_meta_key(m.group(1))] = m.group(2).strip()
            k -= 1
        if k >= 0 and parse_date(head[k]):
            art["date"] = head[k]
            k -= 1
        if k >= 1:
            art["source"], art["title"] = head[k], head[k - 1]
        elif k == 0:
            art["title"] = head[0]
        body: list[str] = []
        for line in seg[body_at + 1:]:
            m = _UNI_FIELD_RE.match(line.strip())
            if line.strip() in _UNI_STOP or (m and m.group(1) in _UNI_END_FIELDS):
                break
            body.append(line)
        for line in seg[body_at + 1:]:
            m = _UNI_FIELD_RE.match(line.strip())
            if m and m.group(1) in _UNI_END_FIELDS and m.group(1) != "Load-Date":
                art["meta"].setdefault(_meta_key(m.group(1)), m.group(2).strip())
        art["text"] = _line_paragraphs([b for b in body if not _COPYRIGHT_RE.match(b)])
        out.append(art)
    return out


def _factiva(lines: list[str]) -> list[dict]:
    out: list[dict] = []
    art: dict | None = None
    code = ""
    values: dict[str, list[str]] = {}

    def finish() -> None:
        if art is None:
            return
        get = lambda c: " ".join(" ".join(values.get(c, [])).split())  # noqa: E731
        art["title"], art["date"], art["source"] = get("HD"), get("PD"), get("SN")
        paragraphs = [v for c in ("LP", "TD") for v in _reflow(values.get(c, [])).split("\n\n") if v]
        art["text"] = "\n\n".join(p for p in paragraphs if not _COPYRIGHT_RE.match(p))
        for c, name in (("BY", "byline"), ("WC", "length"), ("LA", "language"), ("ET", "time"), ("SC", "source_code"),
                        ("CO", "companies"), ("IN", "industries"), ("NS", "subjects"), ("RE", "regions"),
                        ("PUB", "publisher"), ("AN", "accession_number"), ("ED", "edition"), ("PG", "page")):
            if get(c):
                art["meta"][name] = get(c)
        if get("AN"):
            art["id"] = art["meta"]["accession_number"] = get("AN").removeprefix("Document ").strip()
        out.append(art)

    for n, line in enumerate(lines, start=1):
        m = _FV_RE.match(line)
        if m:
            code = m.group(1)
            if code == "HD" and (art is None or values.get("HD")):
                finish()
                art, values = {"line": n, "meta": {}, "warnings": []}, {}
            if art is None:
                art, values = {"line": n, "meta": {}, "warnings": []}, {}
            values.setdefault(code, [])
            if m.group(2).strip():
                values[code].append(m.group(2))
            elif code in ("LP", "TD") and values[code]:
                values[code].append("")
            continue
        if art is not None and code:
            values.setdefault(code, []).append(line)
    finish()
    return out


def _factiva_article(lines: list[str]) -> list[dict]:
    ends = [i for i, line in enumerate(lines) if _FVA_END_RE.match(line)]
    out = []
    start = 0
    for end in ends:
        seg = [line.strip() for line in lines[start:end]]
        first_line = start + 1
        start = end + 1
        art: dict = {"line": first_line, "meta": {"accession_number": _FVA_END_RE.match(lines[end]).group(1)},
                     "warnings": [], "id": _FVA_END_RE.match(lines[end]).group(1)}
        words_at = next((k for k, line in enumerate(seg) if _WORDS_RE.match(line)), None)
        if words_at is None:
            art["text"] = ""
            art["error"] = "no 'N words' line in this article of a Factiva export"
            out.append(art)
            continue
        head = [line for line in seg[:words_at] if line]
        if head:
            art["title"] = head[0]
            if len(head) > 1:
                art["meta"]["byline"] = " ".join(head[1:])
        art["meta"]["length"] = seg[words_at]
        rest = seg[words_at + 1:]
        k = 0
        while k < len(rest) and not rest[k]:
            k += 1
        if k < len(rest) and parse_date(rest[k]):
            art["date"] = rest[k]
            k += 1
        if k < len(rest) and _TIME_RE.match(rest[k]):
            art["meta"]["time"] = rest[k]
            k += 1
        if k < len(rest) and rest[k]:
            art["source"] = rest[k]
            k += 1
        if k < len(rest) and re.fullmatch(r"[A-Z0-9]{1,8}", rest[k] or ""):
            art["meta"]["source_code"] = rest[k]
            k += 1
        if k < len(rest) and rest[k].lower() in _LANGUAGES:
            art["meta"]["language"] = rest[k]
            k += 1
        while k < len(rest) and _COPYRIGHT_RE.match(rest[k]):
            k += 1
        art["text"] = _line_paragraphs([b for b in rest[k:] if not _COPYRIGHT_RE.match(b)])
        out.append(art)
    return out


_SPLITTERS = {"lexisnexis": _lexisnexis, "nexis-uni": _nexis_uni, "factiva": _factiva,
              "factiva-article": _factiva_article}


def split_export(text: str) -> tuple[str | None, list[dict]]:
    """Split an export into articles: ``(layout, [fields])``; ``(None, [])`` for an ordinary text.

    Each article is ``{"line": first line, "title", "date", "source", "text", "meta": {...},
    "warnings": [...], "id"?, "error"?}`` (``error`` when that article could not be read).
    A recognised layout that yields no article returns ``(layout, [])``: the caller warns.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    layout = detect_layout(text)
    if layout is None:
        return None, []
    return layout, _SPLITTERS[layout](text.split("\n"))
