"""Kinds of recogniser errors fixed by rules (data/ner_rules.yaml, supplywatch.actors.name_rules) and the
country roll-up of recognised organisations, each kind on several sentences through the real recogniser
and gazetteer (``find_mentions(..., recognise=True)``). Sentences marked BBC or Reuters are copied from
BBC News (../shared/corpora/bbc) or Reuters-21578 and were checked by hand; the others are ours."""

from __future__ import annotations

import pytest

from supplywatch.actors.gazetteer import load_gazetteer
from supplywatch.actors.mentions import find_mentions
from supplywatch.actors.name_rules import NameRules, load_name_rules
from supplywatch.exceptions import ResourceError


def _recognised(text: str) -> dict[str, tuple[str, str]]:
    """surface -> (actor_type, country) of the recognised mentions (the last one if repeated)."""
    return {m.surface: (m.actor_type, m.country) for m in find_mentions(text, load_gazetteer(), recognise=True)
            if m.origin == "recognised"}


# (source, text, surfaces that must not be recognised as actors)
NOT_ACTORS = [
    ("BBC", "Shops all over the UK reported strong sales on the last Saturday before Christmas with some "
            "claiming record-breaking numbers of festive shoppers.", ["Christmas"]),
    ("ours", "Christmas sales at the chain fell, the retailer said.", ["Christmas"]),
    ("ours", "Sales of PCs rose in the last quarter, while the PC market in Europe slowed, Gartner said.",
     ["PC", "PCs"]),
    ("ours", "The film won four Oscars, and its star collected an Oscar for best actress.", ["Oscar", "Oscars"]),
    ("ours", "Gallium prices doubled after China restricted exports, traders said.", ["Gallium"]),
    ("ours", "Cobalt and Lithium led the rally, while Palladium slipped.", ["Cobalt", "Lithium", "Palladium"]),
    ("ours", "The Six Nations starts next month, the Welsh Rugby Union said.", ["Six Nations"]),
    ("ours", "Microsoft's Xbox sold well over the New Year, the company said.", ["Xbox", "New Year"]),
]


@pytest.mark.parametrize("source, text, absent", NOT_ACTORS, ids=[t[:30] for _s, t, _a in NOT_ACTORS])
def test_holidays_events_products_and_commodities_are_no_actors(source, text, absent):
    found = _recognised(text)
    assert not set(absent) & set(found), found


# (source, text, surfaces recognised as organisations: parties)
PARTIES = [
    ("BBC", "All three parties have been wooing older voters with both the Tories and Lib Dems pledging "
            "higher pensions.", ["Tories", "Lib Dems"]),
    ("BBC", "Tory leader Michael Howard said the deal laid to rest decades of argument.", ["Tory"]),
    ("BBC", "He promised the most positive campaign Labour has ever run. But Tory co-chairman Liam Fox said "
            "Labour's plans showed Mr Blair was running scared.", ["Tory", "Labour"]),
    ("ours", "The Conservatives and the Liberal Democrats attacked the plans, while UKIP said nothing.",
     ["Conservatives", "Liberal Democrats", "UKIP"]),
    ("ours", "Republicans in the Senate blocked the bill, and the Democrats vowed to try again.",
     ["Republicans", "Democrats"]),
    ("ours", "Plaid Cymru and the Social Democrats said they would vote against it.",
     ["Plaid Cymru", "Social Democrats"]),
    ("ours", "Officials of the Christian Democrats met the Greens on Monday.", ["Christian Democrats", "Greens"]),
]


@pytest.mark.parametrize("source, text, parties", PARTIES, ids=[t[:30] for _s, t, _p in PARTIES])
def test_parties_are_organisations(source, text, parties):
    found = _recognised(text)
    assert {p: found.get(p, ("missing",))[0] for p in parties} == {p: "organisation" for p in parties}


SPORTS = ("The striker scored both goals and the coach praised his squad. The league leaders meet again in "
          "the cup final next season, and the players say the title race is on.")
# (source, text, surface -> expected type; None: not recognised at all)
CLUBS = [
    ("ours", "Chelsea beat Arsenal 2-0. " + SPORTS, {"Chelsea": "organisation", "Arsenal": "organisation"}),
    ("ours", "Leeds United lost 3-1 to Sheffield Wednesday. " + SPORTS,
     {"Leeds United": "organisation", "Sheffield Wednesday": "organisation"}),
    ("ours", "Real Madrid and Inter Milan drew 1-1. " + SPORTS, {"Real Madrid": "organisation"}),
    ("BBC", "Injured Chelsea winger Arjen Robben has insisted that he only has himself to blame.",
     {"Chelsea": "organisation", "Arjen Robben": "person"}),
    ("BBC", "Other change to the Ireland side from last weekend's win in Rome sees Wasps flanker Johnny "
            "O'Connor replacing Denis Leamy.", {"Wasps": "organisation"}),
    # not a sports report, no sport head: the city stays as the recogniser typed it
    ("ours", "Liverpool City Council said the new museum would open next year.",
     {"Liverpool City Council": "organisation"}),
]


@pytest.mark.parametrize("source, text, expected", CLUBS, ids=[t[:30] for _s, t, _e in CLUBS])
def test_clubs_in_sports_reports_are_organisations(source, text, expected):
    found = _recognised(text)
    assert {k: found.get(k, (None,))[0] for k in expected} == expected


def test_a_club_name_in_a_place_phrase_or_outside_sport_is_not_forced():
    found = _recognised("If England win in Cardiff, a fourth title is within reach. " + SPORTS)
    assert found.get("Cardiff", ("place",))[0] != "organisation"
    found = _recognised("Liverpool and Manchester are the two cities bidding for the new hospital, the "
                        "Department of Health said.")
    assert found.get("Liverpool", ("place",))[0] != "organisation"


# (source, text, surface -> (type, country)); the country inside the name is no mention of its own
COUNTRIES = [
    ("Reuters", "Balladur's comments came after U.S. Treasury Secretary James Baker said on Sunday that the "
                "dollar was too low.", {"U.S. Treasury": ("agency", "USA")}),
    ("Reuters", "Algeria under the Export Enhancement Program, EEP, the U.S. Agriculture Department said.",
     {"U.S. Agriculture Department": ("agency", "USA")}),
    ("Reuters", "But a Japanese Finance Ministry official said the dollar was stable.",
     {"Japanese Finance Ministry": ("agency", "JPN")}),
    ("Reuters", "Both organisations called for stepped-up Bank of Japan intervention to stabilise exchange "
                "rates.", {"Bank of Japan": ("company", "JPN")}),
    ("ours", "A West German Economics Ministry spokesman said growth would slow.",
     {"West German Economics Ministry": ("agency", "DEU")}),
    ("ours", "The Indian Commerce Ministry and the French Foreign Ministry said talks would resume.",
     {"Indian Commerce Ministry": ("agency", "IND"), "French Foreign Ministry": ("agency", "FRA")}),
    # no country in the name: the column stays empty
    ("ours", "In a statement, the Ministry of Mines said exports would resume.",
     {"Ministry of Mines": ("agency", "")}),
]


@pytest.mark.parametrize("source, text, expected", COUNTRIES, ids=[t[:30] for _s, t, _e in COUNTRIES])
def test_recognised_government_bodies_roll_up_to_their_country(source, text, expected):
    mentions = find_mentions(text, load_gazetteer(), recognise=True)
    found = {m.surface: (m.actor_type, m.country) for m in mentions if m.origin == "recognised"}
    assert {k: found.get(k) for k in expected} == expected
    for name in expected:  # the country (or demonym) inside the name is not counted again
        start = text.index(name)
        assert not [m for m in mentions if m.origin != "recognised" and start <= m.start < start + len(name)]


def test_the_country_goes_to_every_mention_of_the_actor_in_the_article():
    text = "The U.S. Treasury Department sold bonds. Later the U.S. Treasury Department said demand was strong."
    rows = [m for m in find_mentions(text, load_gazetteer(), recognise=True) if m.origin == "recognised"]
    assert rows and {m.country for m in rows} == {"USA"}


def test_rules_match_plurals_and_a_leading_the():
    rules = NameRules.from_mapping({"not_names": {"events": ["Oscar"], "products": ["PC"]},
                                    "parties": ["Tories"], "party_words": ["Democrats"],
                                    "clubs": ["Chelsea"], "club_words": ["United"]})
    assert [rules.kind(n) for n in ("Oscar", "Oscars", "The Oscars", "PCs", "Pc", "Tories", "Liberal Democrats",
                                    "Democrats", "Chelsea", "Leeds United", "United", "Oscarss")] == [
        "not_name", "not_name", "not_name", "not_name", "", "party", "party", "", "club", "club", "", ""]
    assert rules.relabel("Chelsea", "PER", lambda: False, "") == ("PER", None)
    assert rules.relabel("Chelsea", "PER", lambda: True, "in") == ("PER", None)
    assert rules.relabel("Chelsea", "PER", lambda: True, "") == ("ORG", "organisation")


@pytest.mark.parametrize("data, message", [
    ({"not_name": []}, "unknown key"),
    ({"not_names": ["Christmas"]}, "must map a kind"),
    ({"parties": "Labour"}, "must be a list"),
    ({"not_names": {"holidays": [""]}}, "must be a list"),
])
def test_bad_rule_files_are_refused_with_the_fix(data, message):
    with pytest.raises(ResourceError, match=message):
        NameRules.from_mapping(data)


def test_the_shipped_rule_file_loads_and_keeps_its_kinds_apart():
    rules = load_name_rules()
    assert {"Christmas", "PC", "Gallium", "Oscar", "MP"} <= rules.not_names
    assert {"Labour", "Tory", "Tories", "Democrats"} <= rules.parties
    assert not rules.not_names & (rules.parties | rules.clubs), "a name is in two lists"


@pytest.mark.parametrize("text, name, word", [
    ("RipGuard DVD blocks copies. Copies could be burned onto a blank DVD.", "RipGuard DVD", "DVD"),  # BBC tech/043
    ("Pope Easter spoke. The Easter holiday began.", "Pope Easter", "Easter"),
    ("Gallium Partners Ltd cut output. Gallium prices rose.", "Gallium Partners Ltd", "Gallium"),
])
def test_a_non_name_is_never_a_surname_or_short_form(text, name, word):
    from supplywatch.actors.recognised import link

    entity = [(0, len(name), "ORG" if name.endswith("Ltd") else "PER")]
    assert [r[2] for r in link(text, entity, lambda a, b: False)] == ["name", "backref"]  # without the rule
    assert [r[2] for r in link(text, entity, lambda a, b: False, not_names=frozenset({word}))] == ["name"]
