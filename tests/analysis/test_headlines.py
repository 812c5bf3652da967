"""Headlines are text too (issue 14): the analysis reads the headline, a blank line, then the text;
a claim or mention in a title counts, and every table's offsets index that analysed string."""

from __future__ import annotations

import json

from supplywatch.analysis.pipeline import analyze_corpus

from conftest import write

HEADLINE = "China controls 90% of rare earth refining, says IEA"


def test_a_claim_and_mentions_in_a_headline_count_and_offsets_slice_the_analysed_text(tmp_path):
    write(tmp_path / "a.json", json.dumps({"id": "h", "title": HEADLINE, "date": "2025-06-12",
                                           "text": "The agency published its report on Thursday. \"We need "
                                                   "more refiners,\" Fatih Birol said in Paris."}))
    result = analyze_corpus(tmp_path, cache=False)
    doc = result.documents.set_index("doc_id").loc["a/h"]
    body_start = int(doc["body_start"])
    assert body_start == len(HEADLINE) + 2
    text = result.texts["a/h"]
    assert text.startswith(HEADLINE + "\n\n")
    claims = result.tables["claims"]
    china = claims[claims["holder"] == "China"]
    assert len(china) == 1 and float(china.iloc[0]["share"]) == 90.0
    assert int(china.iloc[0]["start"]) < body_start  # the claim is in the headline
    mentions = result.tables["mentions"]
    assert ((mentions["actor_id"] == "CHN") & (mentions["sentence_id"] == 0)).any()
    for row in mentions.itertuples():  # every table's offsets index the analysed text
        assert text[row.start:row.end] == row.surface
    for row in result.tables["quotes"].itertuples():
        assert text[row.start:row.end].strip("\"“” ") in text


def test_a_title_repeated_as_the_first_line_is_not_counted_twice(tmp_path):
    write(tmp_path / "a.jsonl", json.dumps({"title": "China mines gallium",
                                            "text": "China mines gallium\n\nIt said so on Monday."}) + "\n")
    result = analyze_corpus(tmp_path, cache=False)
    assert int(result.documents.iloc[0]["body_start"]) == 0
    assert (result.tables["mentions"]["actor_id"] == "CHN").sum() == 1
