"""Parameter values checked before anything runs: every topic spelling, unknown actors, top_n >= 1."""

from __future__ import annotations

import pytest
from _render_runs import run_cli

from supplywatch.claims.topics import load_topics
from supplywatch.exceptions import ParameterError
from supplywatch.reports.checks import (SHARED_TYPES, check_parameters, check_values, resolve_actors,
                                        resolve_topic)
from supplywatch.reports.params import notebook_parameters
from supplywatch.config import NOTEBOOKS_DIR


@pytest.mark.parametrize("spelling", ["rare earths", "rare-earths", "Rare_Earths", "rare earth elements", "REE",
                                      "RARE-EARTH"])
def test_a_topic_accepts_every_spelling_the_lexicon_lists(spelling):
    assert resolve_topic(spelling).id == "rare_earths"


def test_every_listed_variant_of_every_topic_resolves_to_its_topic():
    topics = load_topics()
    for topic in topics.topics:
        for spelling in (topic.id, topic.name, *topic.variants, *topic.case_variants):
            found = resolve_topic(spelling, topics)
            # a phrase listed for two topics resolves to the first; it must at least be one of them
            assert found.id == topic.id or spelling in (*found.variants, *found.case_variants, found.name)


def test_an_unknown_topic_is_refused_with_the_closest_spellings():
    with pytest.raises(ParameterError) as err:
        resolve_topic("rare-eart")
    assert "'rare-eart' is not in the topic lexicon" in str(err.value) and "rare earth" in str(err.value)


def test_actors_accept_names_aliases_ids_and_metonyms():
    assert resolve_actors("china, CHN, Beijing") == {"china": "CHN", "CHN": "CHN", "Beijing": "CHN"}


def test_an_unknown_actor_is_refused_with_the_closest_known_names():
    with pytest.raises(ParameterError) as err:
        resolve_actors("China,Chna")
    message = str(err.value)
    assert "'Chna' is not an actor in the gazetteer" in message and "closest names: China" in message


@pytest.mark.parametrize("value", [0, -5])
def test_top_n_must_be_at_least_one(value):
    with pytest.raises(ParameterError, match="'top_n'.*at least 1"):
        check_values({"top_n": value})


def test_a_window_that_ends_before_it_starts_is_refused():
    with pytest.raises(ParameterError, match="since 2025-03-01 is after until 2025-01-01"):
        check_values({"since": "2025-03-01", "until": "2025-01-01"})


def test_check_parameters_converts_papermill_strings_like_render():
    assert check_parameters(top_n="5", since="", topic="rare-earths")["top_n"] == 5
    with pytest.raises(ParameterError, match="'top_n' .*'lots' is not a valid int"):
        check_parameters(top_n="lots")


@pytest.mark.parametrize("path", sorted(NOTEBOOKS_DIR.glob("[0-9]*.ipynb")), ids=lambda p: p.stem)
def test_shared_types_match_the_notebooks_parameters_cells(path):
    for name, spec in notebook_parameters(path).items():
        if name in SHARED_TYPES:
            assert spec.type_name == SHARED_TYPES[name], (path.name, name)


@pytest.mark.parametrize("args, fragment", [
    (["-p", "top_n", "0"], "'top_n' (--params-file/-p): 0 is not allowed"),
    (["-p", "top_n", "-5"], "'top_n' (--params-file/-p): -5 is not allowed"),
    (["-p", "actors", "China,Chna"], "closest names: China"),
    (["-p", "topic", "unobtainium"], "is not in the topic lexicon"),
])
def test_render_refuses_bad_values_with_exit_2_before_anything_runs(tmp_path, args, fragment):
    proc = run_cli("render", "seeds", "--out", str(tmp_path / "out"), *args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert fragment in proc.stderr
    assert not (tmp_path / "out").exists()


def test_render_help_lists_the_notebook_parameters():
    proc = run_cli("render", "--help")
    assert proc.returncode == 0
    for line in ("top_n (int, default 15)", "since (str, default '')", "topic (str", "actors (str",
                 "keyword (str, default '') [notebook 01 only]"):
        assert line in proc.stdout, line
