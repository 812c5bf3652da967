"""Issue 13 kinds, table-driven: one sentence of our own per kind, each with its expected rows.

Every sentence goes through the real path: gazetteer mentions from :mod:`supplywatch.actors`, then
:func:`supplywatch.claims.finder.find_claims` with the gazetteer's lookup, as ``supplywatch analyze``
runs them. A row lists the fields that must match (holder, share, qualifier, metric, commodity,
scope, time_ref ...), in the order the claims are found; an empty list means no claim at all.
"""

from __future__ import annotations

import pytest

from supplywatch.actors.gazetteer import load_gazetteer
from supplywatch.actors.mentions import find_mentions
from supplywatch.claims.finder import claims_for_document, find_claims
from supplywatch.claims.forms import named_goods, time_ref
from supplywatch.claims.quantities import find_derived, find_quantities
from supplywatch.text.sentences import split_sentences


def R(holder, share, qualifier="exact", metric=None, commodity=None, scope=None, time_ref="current", **kw):
    """An expected row: the fields given must match the claim's."""
    row = dict(holder=holder, share=share, qualifier=qualifier, time_ref=time_ref, **kw)
    if metric is not None:
        row["metric"] = metric
    if commodity is not None:
        row["commodity"] = commodity
    if scope is not None:
        row["scope"] = scope
    return row


KINDS = [
    # --- the earlier figure of a change, and forecasts: time_ref
    ("time_ref previous", "Vexor's share of the tin market climbed to 31 per cent from 26 per cent.",
     [R("Vexor", 31.0, metric="market", commodity="tin", scope=""), R("Vexor", 26.0, metric="market", commodity="tin", time_ref="previous")]),
    ("time_ref previous", "Dravo held 12 pct of the zinc market in 1986, against 9 pct a year earlier.",
     [R("Dravo", 12.0, metric="market", commodity="zinc"), R("Dravo", 9.0, time_ref="previous")]),
    ("time_ref previous", "Calder's market share slipped to 17.5 percent, down from 19 percent in 2022.",
     [R("Calder", 17.5, metric="market"), R("Calder", 19.0, time_ref="previous")]),
    ("time_ref forecast", "Korvan's share of the world nickel market is expected to slip to about 30 pct next year.",
     [R("Korvan", 30.0, "about", metric="market", commodity="nickel", scope="global", time_ref="forecast")]),
    ("time_ref forecast", "Analysts forecast that Peru will account for 14 per cent of global copper mining by 2030.",
     [R("Peru", 14.0, metric="mining", commodity="copper", scope="global", time_ref="forecast")]),
    # --- holders the gazetteer lacks: capitalised names in subject position
    ("unknown holder", "Quellmark controls about 15 per cent of the European fertiliser market.",
     [R("Quellmark", 15.0, "about", metric="market", commodity="fertilizers")]),
    ("unknown holder", "Tarrow Minerals now produces nearly a tenth of the world's vanadium.",
     [R("Tarrow Minerals", 10.0, "nearly", metric="production", commodity="vanadium", scope="global")]),
    # --- lists and continuations
    ("list", "Zentro holds about 38 pct of the copper market and Maxil has 21 pct.",
     [R("Zentro", 38.0, "about", metric="market", commodity="copper"), R("Maxil", 21.0, metric="market", commodity="copper")]),
    ("list", "Brightcell leads with 35 per cent of the battery market, followed by Ionex with 14 per cent.",
     [R("Brightcell", 35.0, commodity="batteries"), R("Ionex", 14.0, commodity="batteries")]),
    ("list", "Larsa controls 52 per cent of cobalt refining, ahead of Tevia (11 per cent) and Morland (5 per cent).",
     [R("Larsa", 52.0, metric="refining", commodity="cobalt"), R("Tevia", 11.0, metric="refining", commodity="cobalt"),
      R("Morland", 5.0, metric="refining", commodity="cobalt")]),
    ("remainder", "Kelvar is the largest tin supplier with a 70 pct share; Dunmore supplies the rest.",
     [R("Kelvar", 70.0, commodity="tin"), R("Dunmore", 30.0, "remainder", commodity="tin")]),
    ("remainder", "Varos mines 85 per cent of the region's bauxite and Telmar accounts for the remainder.",
     [R("Varos", 85.0, metric="mining", commodity="aluminium"), R("Telmar", 15.0, "remainder", commodity="aluminium")]),
    # --- monopoly forms
    ("monopoly verb", "Orvan, which monopolises nickel smelting in Peru, raised prices.",
     [R("Orvan", 100.0, "monopoly", metric="refining", commodity="nickel", scope="Peru")]),
    ("monopoly passive", "Cement distribution in the province is monopolised by Halcor.",
     [R("Halcor", 100.0, "monopoly")]),
    ("monopoly noun", "Workers at the state salt monopoly Salinex went on strike.",
     [R("Salinex", 100.0, "monopoly")]),
    ("monopoly noun", "South Africa's power monopoly Eskom cut supplies to smelters.",
     [R("Eskom", 100.0, "monopoly", scope="South Africa")]),
    ("monopoly noun", "Kovan, the monopoly fertilizer producer, raised urea prices.",
     [R("Kovan", 100.0, "monopoly", commodity="fertilizers")]),
    # --- supplier forms: holder the supplier, metric imports, scope the buyer
    ("supplier", "Imports from Chile make up about a third of Japan's copper supply.",
     [R("Chile", 33.3, "about", metric="imports", commodity="copper", scope="Japan")]),
    ("supplier", "Shipments from Indonesia account for 60% of the nickel that China buys abroad.",
     [R("Indonesia", 60.0, metric="imports", commodity="nickel", scope="China")]),
    ("supplier", "Australian vessels delivered about a quarter of India's coal imports last year.",
     [R("Australia", 25.0, "about", metric="imports", commodity="coal", scope="India")]),
    # --- words and number forms
    ("number form", "Tarvo supplies just short of 40 pct of global zinc.", [R("Tarvo", 40.0, "nearly", commodity="zinc")]),
    ("number form", "Marlin controls well over half of global lithium refining.", [R("Marlin", 50.0, "more_than", metric="refining")]),
    ("number form", "Grenco produces ⅔ of the world's tungsten.", [R("Grenco", 66.7, commodity="tungsten")]),
    ("number form", "Huxley holds 61½ per cent of the glass market.", [R("Huxley", 61.5)]),
    ("number form", "Corvin holds 45％ of the domestic cement market.", [R("Corvin", 45.0)]),
    ("number form", "Siltra holds 27,5 % of the European glass market.", [R("Siltra", 27.5)]),
    ("number form", "Porta holds 18 p.c. of the steel market.", [R("Porta", 18.0, commodity="steel")]),
    # --- shares as quantities of a whole
    ("derived", "Peru mined 2.6 million tonnes of the world's 22 million tonnes of copper in 2023.",
     [R("Peru", 11.8, "derived", metric="mining", commodity="copper", scope="global",
        part_quantity="2.6 million tonnes", whole_quantity="22 million tonnes")]),
    ("derived", "Guinea produced 97 million tons of bauxite out of a world total of 400 million tons.",
     [R("Guinea", 24.2, "derived", metric="production", commodity="aluminium", scope="global",
        part_quantity="97 million tons", whole_quantity="400 million tons")]),
    # --- appositives and "outside China"
    ("appositive", "Pilbaro, the biggest lithium refiner outside China, supplies about 9 per cent of the world's lithium.",
     [R("Pilbaro", 9.0, "about", metric="supply", commodity="lithium", scope="global")]),
    ("outside", "Non-Chinese producers supply 15 per cent of global graphite.",
     [R("Non-Chinese producers", 15.0, commodity="graphite", holder_id="")]),
    ("outside", "Mines outside China produced 30 per cent of the world's rare earths.", []),
    # --- formal company names
    ("formal name", "Jiangxi Tungsten Industry (Group) Holding Co., Ltd. accounts for about 20 per cent of China's tungsten output.",
     [R("Jiangxi Tungsten Industry (Group) Holding Co., Ltd.", 20.0, "about", metric="output", commodity="tungsten", scope="China")]),
    ("formal name", "Livent Corp. and Ganfeng account for more than 40 per cent of lithium hydroxide supply.",
     [R("Livent Corp. and Ganfeng Lithium", 40.0, "more_than", commodity="lithium")]),
    ("formal name", "Minmetals Rare Earth, the country's No. 3 producer, holds about 9 per cent of the market.",
     [R("Minmetals Rare Earth", 9.0, "about")]),
    # --- commodity: never carried over from an earlier sentence; new lexicon entries
    ("commodity", "Turkey mines about 60 per cent of the world's boron.", [R("Turkey", 60.0, "about", commodity="boron")]),
    ("commodity", "South Africa holds 70 per cent of global chromium reserves.", [R("South Africa", 70.0, metric="reserves", commodity="chromium")]),
    ("commodity", "Myanmar supplies about 70 per cent of the world's jade.", [R("Myanmar", 70.0, "about", commodity="jade")]),
    # --- junk holders
    ("junk holder", "Nonetheless, Brevik still controls 12 per cent of the steel market.", [R("Brevik", 12.0)]),
    ("junk holder", "Whilst rivals struggled, Ostra kept 22 per cent of the market.", [R("Ostra", 22.0)]),
    ("junk holder", "Ultimately, Corax holds 40 per cent of the coffee market.", [R("Corax", 40.0)]),
    ("junk holder", "TV ratings showed 3D films took 5% of the box office.", []),
    ("junk holder", "Mutual funds hold 30 per cent of the market.", []),
    ("possessive fragment", "Brazil's top three steelmakers, led by Usiminas with 25 per cent of the market, cut prices.",
     [R("Usiminas", 25.0)]),
    ("in-name", "Grindel is the biggest seller in Portugal, with over a third of the market.",
     [R("Grindel", 33.3, "more_than", scope="Portugal")]),
    # --- scope and metric
    ("scope", "Norcem controls a fifth of Norway's cement output.", [R("Norcem", 20.0, metric="output", scope="Norway")]),
]



@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def _mentions(sentence, gazetteer):
    return [{"actor": m.actor, "actor_id": m.actor_id, "actor_type": m.actor_type, "kind": m.kind,
             "start": m.start, "end": m.end} for m in find_mentions(sentence, gazetteer)]


def _rows(claims):
    return [dict(holder=c.holder, share=c.share, qualifier=c.qualifier, metric=c.metric, commodity=c.commodity,
                 scope=c.scope, time_ref=c.time_ref, holder_id=c.holder_id, part_quantity=c.part_quantity,
                 whole_quantity=c.whole_quantity) for c in claims]


@pytest.mark.parametrize(("kind", "sentence", "expected"), KINDS, ids=[f"{k}:{s[:40]}" for k, s, _ in KINDS])
def test_kind_gives_the_expected_rows(kind, sentence, expected, gazetteer):
    claims = find_claims(sentence, mentions=_mentions(sentence, gazetteer), lookup=gazetteer.lookup)
    got = _rows(claims)
    assert len(got) == len(expected), (kind, got)
    for row, want in zip(got, expected):
        assert {k: row[k] for k in want} == want, (kind, row)
    for c in claims:
        assert sentence[c.start:c.end] == c.phrase


def test_commodity_is_never_carried_over_from_an_earlier_sentence(gazetteer):
    """Boron after a rare-earth sentence is boron; goods outside the lexicon are written as named."""
    for text, want in [
        ("Rare earth prices fell sharply this week. Turkey mines about 60 per cent of the world's boron.", "boron"),
        ("Rare earth exports were curbed. Kazakhstan supplies a tenth of the world's jade.", "jade"),
    ]:
        mentions = [{"actor": m.actor, "actor_id": m.actor_id, "actor_type": m.actor_type, "start": m.start,
                     "end": m.end} for m in find_mentions(text, gazetteer)]
        rows = claims_for_document("d", text, split_sentences(text), mentions=mentions, lookup=gazetteer.lookup)
        assert [r["commodity"] for r in rows] == [want]
    # a whole that names no goods at all still takes the commodity of the sentence before
    text = "Graphite prices jumped. China controls 90 per cent of global refining."
    rows = claims_for_document("d", text, split_sentences(text), mentions=[])
    assert [(r["holder"], r["commodity"], r["time_ref"]) for r in rows] == [("China", "graphite", "current")]


@pytest.mark.parametrize(("text", "value"), [
    ("just short of 40 pct", 40.0), ("⅔ of it", 66.7), ("61½ per cent", 61.5), ("45％", 45.0), ("27,5 %", 27.5),
    ("18 p.c.", 18.0), ("well over half of it", 50.0),
])
def test_number_forms(text, value):
    (q,) = find_quantities(text)
    assert q.value == value and text[q.start:q.end] == q.text


@pytest.mark.parametrize("text", ["1,500 pct", "2,050%", "3,25,000 %"])
def test_thousands_commas_are_not_decimal_commas(text):
    assert [q.value for q in find_quantities(text)] == []


def test_a_change_from_one_figure_to_another_gives_both():
    assert [(q.text, q.value) for q in find_quantities("rose from 60 to 70 per cent")] == [
        ("60", 60.0), ("70 per cent", 70.0)]
    rows = [(c.holder, c.share, c.time_ref) for c in
            find_claims("China's share of global lithium refining rose to 70 per cent from 60 per cent.")]
    assert rows == [("China", 70.0, "current"), ("China", 60.0, "previous")]
    rows = [(c.holder, c.share, c.qualifier, c.time_ref) for c in
            find_claims("China's share of global rare earth mining has fallen from 90 per cent to about 60 per cent.")]
    assert rows == [("China", 90.0, "exact", "previous"), ("China", 60.0, "about", "current")]


def test_a_compared_figure_for_another_holder_is_that_holders_current_share(gazetteer):
    s = "Norway accounted for 20.1% of Sweden's fish imports in 2004, compared with 18.6% for Denmark."
    got = [(c.holder, c.share, c.time_ref) for c in find_claims(s, mentions=_mentions(s, gazetteer))]
    assert got == [("Norway", 20.1, "current"), ("Denmark", 18.6, "current")]


def test_derived_quantities_keep_both_amounts():
    (q,) = find_derived("China mined 270,000 tonnes of the world's 390,000 tonnes in 2024.")
    assert (q.value, q.qualifier, q.part, q.whole) == (69.2, "derived", "270,000 tonnes", "390,000 tonnes")
    assert find_derived("It shipped 5 tonnes of the world's 3 million barrels.") == []  # different units
    assert find_derived("It mined 500,000 tonnes of the world's 390,000 tonnes.") == []  # part above whole


def test_derived_rows_carry_the_amounts_in_the_claims_table():
    text = "China mined 270,000 tonnes of the world's 390,000 tonnes of rare earths in 2024."
    (row,) = claims_for_document("d", text, split_sentences(text), mentions=[])
    assert (row["share"], row["qualifier"], row["part_quantity"], row["whole_quantity"], row["metric"],
            row["commodity"], row["scope"], row["year"]) == (
        69.2, "derived", "270,000 tonnes", "390,000 tonnes", "mining", "rare earths", "global", "2024")


@pytest.mark.parametrize(("sentence", "want"), [
    ("Acme will hold 30 pct of the market.", "forecast"),
    ("Acme's share is set to reach 30 pct by 2030.", "forecast"),
    ("Acme will now control about 16% of the market.", "current"),
    ("Acme holds 30 pct of the market.", "current"),
    ("Previously Acme held 30 pct of the market.", "previous"),
])
def test_time_ref_words(sentence, want):
    q = find_quantities(sentence)[0]
    assert time_ref(sentence, q.start, q.end, 4) == want


@pytest.mark.parametrize(("whole", "goods"), [
    ("the world's jade", "jade"), ("Brazil's beer market", "beer"), ("global refining", ""), ("the market", ""),
    ("a couple of years", ""), ("all Dutch cheese", "cheese"),
])
def test_named_goods(whole, goods):
    assert named_goods(whole, "production|output|refining|mining") == goods


def test_recognised_mentions_are_holders_and_gazetteer_mentions_win(gazetteer):
    """Rows of actors the gazetteer lacks (origin "recognised", from the open-world recogniser) are
    holders exactly like gazetteer mentions."""
    s = "Zorvex Minerals controls about 15 per cent of global tin supply."
    recognised = [{"actor": "Zorvex Minerals", "actor_id": "", "actor_type": "company", "start": 0, "end": 15,
                   "origin": "recognised"}]
    (c,) = find_claims(s, mentions=recognised)
    assert (c.holder, c.holder_id, c.share) == ("Zorvex Minerals", "", 15.0)
    s = "China controls 90 per cent of global graphite refining."
    both = [{"actor": "Chyna Co", "actor_id": "", "actor_type": "company", "start": 0, "end": 5, "origin": "recognised"},
            {"actor": "China", "actor_id": "CHN", "actor_type": "country", "start": 0, "end": 5}]
    (c,) = find_claims(s, mentions=both)
    assert (c.holder, c.holder_id) == ("China", "CHN")
