"""Broken gazetteers and topic lexicons: every error names the file, the entry and the fix.

Covers the four mistakes users make most when they extend a resource: invalid YAML, a duplicate id,
one name claimed by two entries, and an unknown type (gazetteer) or key/value type (lexicon); and
that the CLI turns them into a one-line message with exit code 2 before anything runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _render_runs import run_cli

from supplywatch.exceptions import GazetteerError, ResourceError
from supplywatch.actors.gazetteer import load_gazetteer
from supplywatch.claims.topics import load_topics

GOOD_ACTOR = "  - {id: AAA, name: Aland, type: country}\n"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ the gazetteer

GAZETTEER_CASES = {
    # name: (file body, the entry it must name, fragments of the problem and of the fix)
    "invalid-yaml": ("actors:\n" + GOOD_ACTOR + "  - {id: BBB, name: B: land, type: country\n",
                     "line 3", ["invalid YAML", "fix the syntax"]),
    "duplicate-id": ("actors:\n" + GOOD_ACTOR + "  - {id: AAA, name: Other land, type: country}\n",
                     "entry AAA (position 2)", ["duplicate id 'AAA'", "first used by entry 1", "rename one"]),
    "alias-twice": ("actors:\n" + GOOD_ACTOR + "  - {id: BBB, name: Bland, type: country, aliases: [Aland]}\n",
                    "entry BBB (position 2)", ["'Aland' is already claimed by actor 'AAA'", "remove it from one"]),
    "alias-twice-case": ("actors:\n" + GOOD_ACTOR + "  - {id: BBB, name: Bland, type: country, aliases: [ALAND]}\n",
                         "entry BBB (position 2)", ["already claimed by actor 'AAA'"]),
    "unknown-type": ("actors:\n" + GOOD_ACTOR + "  - {id: ccc, name: Cee Corp, type: corporation}\n",
                     "entry ccc (position 2)", ["unknown type 'corporation'", "allowed: country", "company"]),
}


@pytest.mark.parametrize("case", sorted(GAZETTEER_CASES))
def test_gazetteer_errors_name_the_file_the_entry_and_the_fix(tmp_path, case):
    body, entry, fragments = GAZETTEER_CASES[case]
    path = _write(tmp_path, f"my actors {case}.yaml", body)
    with pytest.raises(GazetteerError) as info:
        load_gazetteer(path)
    message = str(info.value)
    assert str(path) in message
    assert entry in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert "\n" not in message  # one line: it is printed after "supplywatch: error:"


def test_a_fixed_gazetteer_loads_at_once(tmp_path):
    path = _write(tmp_path, "actors.yaml", "actors:\n" + GOOD_ACTOR + "  - {id: ccc, name: Cee Corp, type: corporation}\n")
    with pytest.raises(GazetteerError):
        load_gazetteer(path)
    path.write_text("actors:\n" + GOOD_ACTOR + "  - {id: ccc, name: Cee Corp, type: company}\n", encoding="utf-8")
    assert load_gazetteer(path).lookup("cee corp").id == "ccc"  # no stale cache of the broken file


def test_analyze_with_a_broken_gazetteer_exits_2_with_one_clear_line(tmp_path):
    path = _write(tmp_path, "actors.yaml", GAZETTEER_CASES["duplicate-id"][0])
    proc = run_cli("analyze", "seeds", "--out", str(tmp_path / "tables"), "--gazetteer", str(path), "--no-cache")
    assert proc.returncode == 2
    assert proc.stderr.startswith("supplywatch: error: ") and "Traceback" not in proc.stderr
    assert str(path) in proc.stderr and "duplicate id 'AAA'" in proc.stderr
    assert not (tmp_path / "tables").exists()


def test_render_with_a_broken_gazetteer_exits_2_before_anything_runs(tmp_path):
    path = _write(tmp_path, "actors.yaml", GAZETTEER_CASES["unknown-type"][0])
    proc = run_cli("render", "seeds", "--out", str(tmp_path / "out"), "-p", "gazetteer", str(path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert str(path) in proc.stderr and "unknown type 'corporation'" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_render_with_a_missing_gazetteer_exits_2(tmp_path):
    proc = run_cli("render", "seeds", "--out", str(tmp_path / "out"), "-p", "gazetteer", str(tmp_path / "nope.yaml"))
    assert proc.returncode == 2 and "gazetteer file not found" in proc.stderr
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ the topic lexicon

GOOD_TOPIC = "  - {id: gallium, name: gallium, variants: [gallium]}\n"
TOPIC_CASES = {
    "invalid-yaml": ("topics:\n" + GOOD_TOPIC + "  - {id: tin, name: t: in, variants: [tin]}\n",
                     "line 3", ["not valid YAML", "fix the syntax"]),
    "duplicate-id": ("topics:\n" + GOOD_TOPIC + "  - {id: gallium, name: gallium metal, variants: [Ga metal]}\n",
                     "topic 'gallium' (topics[1])", ["duplicate id 'gallium'", "rename one"]),
    "variant-twice": ("topics:\n" + GOOD_TOPIC + "  - {id: ga_metal, name: gallium metal, variants: [Gallium, Ga metal]}\n",
                      "topic 'ga_metal' (topics[1])", ["'Gallium' is already claimed by topic 'gallium'",
                                                       "remove it from one"]),
    "non-topic-is-variant": ("topics:\n" + GOOD_TOPIC + "non_topics: [gallium]\n",
                             "non_topics phrase 'gallium'", ["variant of topic 'gallium'", "remove it from one list"]),
    "unknown-key": ("topics:\n" + GOOD_TOPIC + "  - {id: tin, name: tin, varients: [tin]}\n",
                    "topics[1]", ["unknown key(s) ['varients']", "allowed:", "'variants'"]),
    "wrong-value-type": ("topics:\n" + GOOD_TOPIC + "  - {id: tin, name: tin, variants: tin}\n",
                         "topic 'tin' (topics[1])", ["'variants' must be a list of non-empty strings"]),
}


@pytest.mark.parametrize("case", sorted(TOPIC_CASES))
def test_topic_lexicon_errors_name_the_file_the_entry_and_the_fix(tmp_path, case):
    body, entry, fragments = TOPIC_CASES[case]
    path = _write(tmp_path, f"topics {case}.yaml", body)
    with pytest.raises(ResourceError) as info:
        load_topics(path)
    message = str(info.value)
    assert str(path) in message
    assert entry in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_a_good_lexicon_still_matches_after_validation(tmp_path):
    path = _write(tmp_path, "topics.yaml", "topics:\n" + GOOD_TOPIC
                  + "  - {id: ga_metal, name: gallium metal, variants: [gallium metal]}\nnon_topics: [gallium arsenide]\n")
    found = [m.topic.id for m in load_topics(path).find("Gallium metal and gallium, not gallium arsenide.")]
    assert found == ["ga_metal", "gallium"]
