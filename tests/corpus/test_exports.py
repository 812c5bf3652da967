"""Multi-article exports (issue 14): LexisNexis, Nexis Uni and Factiva in plain text, RTF and DOCX.

The fixtures are hand-written in each service's layout (the classic LexisNexis one after the
public sample.TXT of the LexisNexisTools R package, the others after the services' documented
export formats); the test writes every file itself.
"""

from __future__ import annotations

import io

import pytest

from supplywatch.corpus.exports import detect_layout, split_export
from supplywatch.corpus.loader import load_corpus

from conftest import write

LEXIS = """


Download Request: Selected Items: 1-2
Time Of Request: Friday, March 20, 2025  16:51:31

Terms: (rare earth) and not (TYPE(web))

Source: The Times (London);Guardian


                               1 of 2 DOCUMENTS



                              The Times (London)

                            June 12, 2025 Thursday
                                   Edition 1;
                                    Ireland

China tightens grip on rare earth
refining

BYLINE: Tom Coghlan

SECTION: NEWS; Pg. 3

LENGTH: 453 words


China controls 90 per cent of rare earth refining, the International Energy
Agency said on Thursday.

India wants to build its own supply chain, officials in New Delhi said.

LOAD-DATE: June 13, 2025

LANGUAGE: ENGLISH

PUBLICATION-TYPE: Newspaper


                    Copyright 2025 Times Newspapers Limited
                              All Rights Reserved

                               2 of 2 DOCUMENTS



                                  Guardian.com

                            06/13/2025 Friday

Gallium curbs bite

BYLINE: Andrew Sparrow

LENGTH: 120 words

Japan bought gallium from Reuters-tracked suppliers.

LOAD-DATE: June 14, 2025

LANGUAGE: ENGLISH


                       Copyright 2025 Guardian Unlimited
                              All Rights Reserved
"""

UNI = """User Name: = analyst
Date and Time: = 2025-06-20
Job Number: = 12345
Documents (2)
1. China tightens grip on rare earth refining
Client/Matter: -None-
Search Terms: rare earth
Search Type: Terms and Connectors
Narrowed by:
Content Type
News
China tightens grip on rare earth refining
The Times (London)
June 12, 2025 Thursday
Copyright 2025 Times Newspapers Limited All Rights Reserved
Section: NEWS; Pg. 3
Length: 453 words
Byline: Tom Coghlan
Body
China controls 90 per cent of rare earth refining, the International Energy Agency said on Thursday.
India wants to build its own supply chain, officials in New Delhi said.
Classification
Language: ENGLISH
Publication-Type: Newspaper
Subject: RARE EARTHS (90%)
Load-Date: June 13, 2025
End of Document
Gallium curbs bite
Guardian.com
June 13, 2025 Friday
Copyright 2025 Guardian Unlimited All Rights Reserved
Length: 120 words
Byline: Andrew Sparrow
Body
Japan bought gallium from Reuters-tracked suppliers.
Load-Date: June 14, 2025
End of Document
"""

FACTIVA = """HD China tightens grip on rare earth refining
BY Tom Coghlan
WC 453 words
PD 12 June 2025
SN The Times
SC T
LA English
CY (c) 2025 Times Newspapers Limited. All rights reserved
LP China controls 90 per cent of rare earth refining, the International Energy Agency said on Thursday.

TD India wants to build its own supply chain, officials in New Delhi said.
CO iea : International Energy Agency
RE china : China | india : India
AN Document T000000020250612el6c00001

HD Gallium curbs bite
WC 120 words
PD 13 June 2025
SN Reuters News
LA English
CY (c) 2025 Thomson Reuters
LP Japan bought gallium from overseas suppliers.
AN Document LBA0000020250613el6d00002
"""

FACTIVA_ARTICLE = """China tightens grip on rare earth refining
By Tom Coghlan
453 words
12 June 2025
10:00
The Times
T
English
(c) 2025 Times Newspapers Limited. All rights reserved
China controls 90 per cent of rare earth refining, the International Energy Agency said on Thursday.
India wants to build its own supply chain, officials in New Delhi said.
Document T000000020250612el6c00001

Gallium curbs bite
120 words
13 June 2025
Reuters News
LBA
English
(c) 2025 Thomson Reuters
Japan bought gallium from overseas suppliers.
Document LBA0000020250613el6d00002

Search Summary
Text	rare earth
Date	In the last year
Source	All Sources
"""


#: Lines that are export furniture, never article text.
FURNITURE = ("LOAD-DATE", "Load-Date", "Copyright", "All Rights Reserved", "DOCUMENTS", "End of Document",
             "BYLINE", "LENGTH", "Search Summary", "Document T0000", "(c) 2025", "Job Number", "words")


def _rtf(text: str) -> str:
    body = text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
    return "{\\rtf1\\ansi\\deff0 " + body.replace("\n", "\\par\n") + "}"


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name,data,layout", [
    ("lexis.txt", LEXIS, "lexisnexis"),
    ("uni.txt", UNI, "nexis-uni"),
    ("uni.docx", None, "nexis-uni"),
    ("factiva.txt", FACTIVA, "factiva"),
    ("factiva.rtf", None, "factiva"),
    ("factiva-article.rtf", None, "factiva-article"),
    ("factiva-rtf-saved-as.txt", None, "factiva"),
])
def test_exports_split_into_articles_with_date_source_and_title(tmp_path, name, data, layout):
    if name == "uni.docx":
        data = _docx(UNI)
    elif name in ("factiva.rtf", "factiva-rtf-saved-as.txt"):
        data = _rtf(FACTIVA)
    elif name == "factiva-article.rtf":
        data = _rtf(FACTIVA_ARTICLE)
    write(tmp_path / name, data)
    corpus = load_corpus(tmp_path)
    docs = corpus.documents
    assert len(docs) == 2, corpus.report.problems
    first, second = docs.iloc[0], docs.iloc[1]
    assert first["title"] == "China tightens grip on rare earth refining"
    assert first["date"] == "2025-06-12"
    assert first["source"] in ("The Times (London)", "The Times")
    assert first["text"] == ("China controls 90 per cent of rare earth refining, the International Energy "
                             "Agency said on Thursday.\n\nIndia wants to build its own supply chain, "
                             "officials in New Delhi said.")
    assert second["title"] == "Gallium curbs bite" and second["date"] == "2025-06-13"
    for doc in (first, second):
        for furniture in FURNITURE:
            assert furniture not in doc["text"], (furniture, doc["text"])
    assert first["meta_byline"].endswith("Tom Coghlan")
    assert any(layout in note for note in corpus.report.notes[name])
    assert corpus.report.problems == []


def test_lexisnexis_us_dates_are_read_month_first_from_the_file():
    layout, articles = split_export(LEXIS)
    assert layout == "lexisnexis" and [a["date"] for a in articles] == ["June 12, 2025 Thursday", "06/13/2025 Friday"]


def test_a_lookalike_that_cannot_be_split_is_a_warning_and_loads_whole(tmp_path):
    write(tmp_path / "notes.txt", "Meeting notes\n\nChina and India talked about gallium.\n\nEnd of Document\n")
    corpus = load_corpus(tmp_path)
    (problem,) = corpus.report.problems
    assert problem.severity == "warning" and "looks like a nexis-uni export" in problem.message
    assert len(corpus.documents) == 1 and "China and India" in corpus.documents.iloc[0]["text"]


def test_ordinary_articles_are_not_exports(seed_file):
    assert detect_layout(seed_file.read_text(encoding="utf-8")) is None
    assert detect_layout("China said 453 words were enough.\nDocument ABC\n") is None
