"""The topic lexicon: loading, validation errors that name the file and entry, matching."""

from __future__ import annotations

import pytest

from supplywatch.exceptions import ResourceError
from supplywatch.claims.topics import load_topics, parse_topics, read_topics


def test_default_lexicon_covers_the_critical_minerals():
    topics = load_topics()
    names = set(topics.names())
    for name in ("rare earths", "gallium", "germanium", "graphite", "antimony", "tungsten", "lithium", "cobalt",
                 "nickel", "copper", "crude oil", "LNG", "wheat", "cocoa", "semiconductors"):
        assert name in names
    elements = [t for t in topics.topics if t.parent == "rare_earths" and t.id != "magnets"]
    assert len(elements) == 17


@pytest.mark.parametrize(
    ("text", "expected"),
    [("China's rare-earth magnets", [("magnets", "rare-earth magnets")]),
     ("REEs and dysprosium", [("rare_earths", "REEs"), ("dysprosium", "dysprosium")]),
     ("blue chips rallied", []),
     ("crude palm oil and crude steel", [("palm_oil", "crude palm oil"), ("steel", "crude steel")]),
     ("Condoleezza Rice", []),
     ("lead the way", []),
     ("refined lead output", [("lead", "refined lead")])],
)
def test_find(text, expected):
    assert [(m.topic.id, m.surface) for m in load_topics().find(text)] == expected


def test_matches_slice_the_text():
    text = "Supplies of Gallium, germanium and LNG tightened."
    for m in load_topics().find(text):
        assert text[m.start:m.end] == m.surface


@pytest.mark.parametrize(
    ("content", "message"),
    [("topics: 3", "'topics' list"),
     ("topics:\n  - {id: Bad Id, name: x, variants: [x]}", "topics[0]"),
     ("topics:\n  - {id: tin, name: tin, variants: [tin]}\n  - {id: tin, name: tin, variants: [tin]}", "duplicate id"),
     ("topics:\n  - {id: tin, name: tin}", "at least one phrase"),
     ("topics:\n  - {id: tin, name: tin, variants: [tin], colour: red}", "unknown key"),
     ("topics:\n  - {id: tin, name: tin, variants: [tin], parent: metals}", "parent 'metals'"),
     ("topics: [", "not valid YAML")],
)
def test_validation_errors_name_file_and_entry(tmp_path, content, message):
    path = tmp_path / "topics.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ResourceError) as err:
        read_topics(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(ResourceError, match="not found"):
        load_topics(tmp_path / "nope.yaml")


def test_parse_topics_plural_and_case_variants():
    t = parse_topics({"topics": [{"id": "lng", "name": "LNG", "case_variants": ["LNG"], "variants": ["liquefied natural gas"]}]})
    assert [m.surface for m in t.find("LNG cargoes, lng, liquefied natural gases")] == ["LNG", "liquefied natural gases"]
