"""The digest: every kind of change, from small corpora the tests write, through the real analysis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from supplywatch.analysis.pipeline import analyze_corpus
from supplywatch.reports.digest import (
    KINDS,
    SCHEMA_VERSION,
    DigestError,
    compare,
    digest_json,
    load_snapshot,
    mention_spikes,
    write_snapshot,
)

RARE = "China accounts for {share} per cent of global mined rare earth production, the IEA said."
TOP_KEYS = ["schema", "schema_version", "status", "message", "run", "previous_run", "parameters", "rules",
            "articles", "stories", "counts", "truncated", *KINDS]


def _article(root: Path, name: str, text: str, *, date: str = "2025-06-10", title: str = "") -> None:
    head = f"date {date}\n" + (f"title: {title}\n" if title else "")
    (root / f"{name}.txt").write_text(f"{head}\n{text}\n", encoding="utf-8")


def _snapshot(corpus: Path, run_dir: Path) -> dict:
    """The real path: analyse, write the snapshot as CSV, read it back."""
    write_snapshot(run_dir, analyze_corpus(corpus, cache=False).tables)
    return load_snapshot(run_dir)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    _article(root, "rare", RARE.format(share=61), title="Rare earths")
    _article(root, "talks", "India said it would talk to China about trade on Monday.", title="Talks")
    return root


def test_first_run_has_nothing_to_compare(corpus, tmp_path):
    digest = compare(None, _snapshot(corpus, tmp_path / "run1"), run={"run_id": "run1"})
    assert digest["status"] == "first_run" and "nothing to compare yet" in digest["message"]
    assert all(digest[kind] == [] and digest["counts"][kind] == 0 for kind in KINDS)
    assert list(digest) == TOP_KEYS and digest["schema_version"] == SCHEMA_VERSION == 1


def test_new_actor_and_new_claim(corpus, tmp_path):
    before = _snapshot(corpus, tmp_path / "run1")
    _article(corpus, "lynas", "Lynas controls 12 per cent of global rare earth refining, Glencore said.",
             date="2025-06-11", title="Lynas")
    digest = compare(before, _snapshot(corpus, tmp_path / "run2"), run={"run_id": "run2"},
                     previous_run={"run_id": "run1"})
    actors = {a["actor"]: a for a in digest["new_actors"]}
    assert {"Lynas", "Glencore"} <= set(actors) and "China" not in actors
    assert actors["Lynas"]["actor_type"] == "company" and actors["Lynas"]["first_doc_id"] == "lynas"
    claims = [(c["holder"], c["metric"], c["commodity"], c["value"]) for c in digest["new_claims"]]
    assert claims == [("Lynas", "refining", "rare earths", 12.0)]
    assert digest["articles_new"] == [{"doc_id": "lynas", "title": "Lynas", "date": "2025-06-11"}]
    assert digest["changed_figures"] == [] and digest["articles_changed"] == digest["articles_gone"] == []
    assert digest["status"] == "compared" and "since run run1" in digest["message"]


def test_changed_figure_moves_by_a_point_or_more(corpus, tmp_path):
    before = _snapshot(corpus, tmp_path / "run1")
    _article(corpus, "rare", RARE.format(share=70), title="Rare earths")
    after = _snapshot(corpus, tmp_path / "run2")
    digest = compare(before, after)
    assert [(f["holder"], f["metric"], f["commodity"], f["previous_value"], f["value"], f["change_pp"])
            for f in digest["changed_figures"]] == [("China", "mining", "rare earths", 61.0, 70.0, 9.0)]
    assert [c["value"] for c in digest["new_claims"]] == [70.0]
    assert [a["doc_id"] for a in digest["articles_changed"]] == ["rare"]
    _article(corpus, "rare", RARE.format(share=70.5), title="Rare earths")  # half a point: not a change
    assert compare(after, _snapshot(corpus, tmp_path / "run3"))["changed_figures"] == []


def test_an_earlier_figure_of_a_change_is_not_todays_figure(corpus, tmp_path):
    """'now produces about 80 per cent ... down from 98 per cent': the 98 is time_ref previous; the
    digest's figures and new claims read today's shares only (the 98 once moved a figure to 89)."""
    before = _snapshot(corpus, tmp_path / "run1")
    _article(corpus, "rare", "China now accounts for about 70 per cent of global mined rare earth "
             "production, down from 98 per cent in 2010, the IEA said.", title="Rare earths")
    after = _snapshot(corpus, tmp_path / "run2")
    assert sorted(after["claims"]["time_ref"]) == ["current", "previous"]
    digest = compare(before, after)
    assert [(f["previous_value"], f["value"]) for f in digest["changed_figures"]] == [(61.0, 70.0)]
    assert [c["value"] for c in digest["new_claims"]] == [70.0]


def test_articles_changed_gone_and_new(corpus, tmp_path):
    before = _snapshot(corpus, tmp_path / "run1")
    (corpus / "talks.txt").unlink()
    _article(corpus, "rare", RARE.format(share=61) + " Prices rose.", title="Rare earths")
    _article(corpus, "other", "Prices were little changed on Monday.", title="Quiet")
    digest = compare(before, _snapshot(corpus, tmp_path / "run2"))
    assert [a["doc_id"] for a in digest["articles_changed"]] == ["rare"]
    changed = digest["articles_changed"][0]
    assert changed["previous_sha256"] != changed["sha256"] and len(changed["sha256"]) == 64
    assert [(a["doc_id"], a["title"]) for a in digest["articles_gone"]] == [("talks", "Talks")]
    assert [a["doc_id"] for a in digest["articles_new"]] == ["other"]
    assert digest["counts"]["articles_gone"] == 1 and digest["new_claims"] == []


def test_mention_spike_on_the_latest_day(tmp_path):
    root = tmp_path / "daily"
    root.mkdir()
    for day in range(1, 8):  # India and China once a day for a week
        _article(root, f"d{day}", "India and China held talks.", date=f"2025-06-0{day}")
    _article(root, "d8", "India said India would act. India and India's partners agreed. China noted it.",
             date="2025-06-08")
    snap = _snapshot(root, tmp_path / "run")
    digest = compare(snap, snap)
    assert [(s["actor"], s["period"], s["mentions"], s["trailing_mean"], s["ratio"])
            for s in digest["mention_spikes"]] == [("India", "2025-06-08", 4, 1.0, 4.0)]
    assert digest["rules"]["latest_period"] == "2025-06-08"
    assert digest["new_actors"] == digest["new_claims"] == digest["articles_new"] == []
    # the rule's thresholds: 4 mentions is no spike at ratio 5, nor under a minimum of 5
    by_date, actors = snap["mentions_by_date"], snap["actors"]
    assert mention_spikes(by_date, actors, "2025-06-08", ratio=5.0) == []
    assert mention_spikes(by_date, actors, "2025-06-08", min_mentions=5) == []
    assert mention_spikes(by_date, actors, "") == []


def test_syndicated_copies_count_once_as_stories(tmp_path):
    root = tmp_path / "copies"
    root.mkdir()
    story = ("Lynas Rare Earths said on Friday that it controls 12 per cent of global rare earth refining, "
             "and that its plant in Malaysia would double output by 2027 after a new supply deal with Japan. "
             "The company said the expansion would cost about 500 million Australian dollars and that "
             "customers in Europe and the United States had signed long-term contracts for the oxides.")
    _article(root, "wire1", story, title="Lynas expands")
    _article(root, "wire2", story.replace("on Friday", "on Saturday"), title="Lynas expands")
    snap = _snapshot(root, tmp_path / "run")
    assert snap["documents"]["story_id"].tolist() == ["wire1", "wire1"]
    lynas = snap["actors"].set_index("actor").loc["Lynas"]
    # each copy names Lynas in its headline and its text: 4 mentions, 2 articles, 1 story
    assert (lynas["mentions"], lynas["articles"], lynas["stories"]) == (4, 2, 1)
    digest = compare(None, snap)
    assert (digest["articles"], digest["stories"]) == (2, 1)


def test_digest_json_is_stable_and_complete(corpus, tmp_path):
    before = _snapshot(corpus, tmp_path / "run1")
    _article(corpus, "lynas", "Lynas controls 12 per cent of global rare earth refining.", title="Lynas <b>")
    after = _snapshot(corpus, tmp_path / "run2")
    text = digest_json(compare(before, after, run={"run_id": "b"}, previous_run={"run_id": "a"}))
    assert text == digest_json(compare(before, after, run={"run_id": "b"}, previous_run={"run_id": "a"}))
    back = json.loads(text)
    assert list(back) == TOP_KEYS and set(back["counts"]) == set(KINDS) == set(back["truncated"])
    assert back["run"]["run_id"] == "b" and back["previous_run"]["run_id"] == "a"
    assert back["articles_new"][0]["title"] == "Lynas <b>"  # JSON keeps corpus text as it is


def test_a_run_without_snapshot_is_a_clear_error(tmp_path):
    with pytest.raises(DigestError, match="no snapshot/ folder"):
        load_snapshot(tmp_path)
