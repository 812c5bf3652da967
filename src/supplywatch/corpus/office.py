"""Word (``.docx``) and RTF (``.rtf``) files as plain text, for the article and export readers.

DOCX is read with python-docx: body paragraphs in order, one per line, and table rows as their
cells joined by TAB (Factiva's tables of field codes read as ``HD<TAB>headline``); headers,
footers, comments and images are not read. RTF is read with striprtf (text only; tables as
``|``-separated cells). Both are maintained libraries pinned in requirements.txt.

Example:
    >>> rtf_text(r"{\\rtf1\\ansi{\\b China} said.\\par Next line.\\par}")
    'China said.\\nNext line.'
"""

from __future__ import annotations

import io


def docx_text(raw: bytes) -> str:
    """The text of a Word document (see the module doc).

    Raises:
        ValueError: the bytes are not a readable DOCX file (the message says why).
    """
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ValueError(f"not a readable Word document ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # noqa: BLE001 - python-docx raises its own types for broken packages
        raise ValueError(f"not a readable Word document ({type(exc).__name__}: {exc})") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    text = cell.text.strip()
                    if not cells or cells[-1] != text:  # merged cells repeat their text
                        cells.append(text)
                lines.append("\t".join(cells))
    return "\n".join(lines)


def rtf_text(text: str) -> str:
    """The text of an RTF document (striprtf), line ends normalised, trailing blanks trimmed."""
    from striprtf.striprtf import rtf_to_text

    plain = rtf_to_text(text, errors="ignore")
    return "\n".join(line.rstrip() for line in plain.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()
