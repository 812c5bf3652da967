"""Market-share claims: the number layer, claim rules, holders, pipeline wiring and real text."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supplywatch.claims.quantities import find_quantities
from supplywatch.claims.reference import CLAIM_REFERENCE_COLUMNS
from supplywatch.claims.patterns import CLAIM_COLUMNS
from supplywatch.claims.finder import claims_for_document, find_claims
from supplywatch.claims.wholes import classify_whole
from supplywatch.claims.holders import holder_candidates
from supplywatch.text.sentences import split_sentences

FIXTURES = Path(__file__).parents[1] / "fixtures"

# --------------------------------------------------------------------------- quantities

QUANTITY_CASES = [
    # text, phrase, value, low, high, qualifier
    ("61 per cent", "61 per cent", 61.0, 61.0, 61.0, "exact"),
    ("61 percent", "61 percent", 61.0, 61.0, 61.0, "exact"),
    ("61 pct", "61 pct", 61.0, 61.0, 61.0, "exact"),
    ("61pc", "61pc", 61.0, 61.0, 61.0, "exact"),
    ("61%", "61%", 61.0, 61.0, 61.0, "exact"),
    ("61.5 %", "61.5 %", 61.5, 61.5, 61.5, "exact"),
    ("an 11.09-per-cent share", "11.09-per-cent", 11.09, 11.09, 11.09, "exact"),
    ("sixty per cent", "sixty per cent", 60.0, 60.0, 60.0, "exact"),
    ("forty-five percent", "forty-five percent", 45.0, 45.0, 45.0, "exact"),
    ("60-70 per cent", "60-70 per cent", 65.0, 60.0, 70.0, "range"),
    ("60 to 70 percent", "60 to 70 percent", 65.0, 60.0, 70.0, "range"),
    ("between 60 and 70 percent", "between 60 and 70 percent", 65.0, 60.0, 70.0, "range"),
    ("20 % -40 %", "20 % -40 %", 30.0, 20.0, 40.0, "range"),
    ("about 61%", "about 61%", 61.0, 61.0, 61.0, "about"),
    ("around 61%", "around 61%", 61.0, 61.0, 61.0, "about"),
    ("roughly 61%", "roughly 61%", 61.0, 61.0, 61.0, "about"),
    ("some 61%", "some 61%", 61.0, 61.0, 61.0, "about"),
    ("approximately 61%", "approximately 61%", 61.0, 61.0, 61.0, "about"),
    ("nearly 61%", "nearly 61%", 61.0, None, 61.0, "nearly"),
    ("almost 61%", "almost 61%", 61.0, None, 61.0, "nearly"),
    ("close to 61%", "close to 61%", 61.0, None, 61.0, "nearly"),
    ("more than 61%", "more than 61%", 61.0, 61.0, None, "more_than"),
    ("over 61%", "over 61%", 61.0, 61.0, None, "more_than"),
    ("at least 61%", "at least 61%", 61.0, 61.0, None, "at_least"),
    ("up to 61%", "up to 61%", 61.0, None, 61.0, "up_to"),
    ("less than 61%", "less than 61%", 61.0, None, 61.0, "less_than"),
    ("half of it", "half", 50.0, 50.0, 50.0, "exact"),
    ("a third of it", "a third", 33.3, 33.3, 33.3, "exact"),
    ("two-thirds of it", "two-thirds", 66.7, 66.7, 66.7, "exact"),
    ("a quarter of it", "a quarter", 25.0, 25.0, 25.0, "exact"),
    ("three-quarters of it", "three-quarters", 75.0, 75.0, 75.0, "exact"),
    ("about a third of it", "about a third", 33.3, 33.3, 33.3, "about"),
    ("nine out of ten", "nine out of ten", 90.0, 90.0, 90.0, "exact"),
    ("one in five", "one in five", 20.0, 20.0, 20.0, "exact"),
    ("the majority of it", "the majority", None, 50.0, 100.0, "majority"),
    ("the bulk of it", "the bulk", None, 50.0, 100.0, "majority"),
    ("nearly all of it", "nearly all", 100.0, None, 100.0, "nearly"),
    ("a monopoly", "a monopoly", 100.0, 100.0, 100.0, "monopoly"),
    ("a near-monopoly", "a near-monopoly", 100.0, 100.0, 100.0, "monopoly"),
]


@pytest.mark.parametrize(("text", "phrase", "value", "low", "high", "qualifier"), QUANTITY_CASES)
def test_quantity_forms(text, phrase, value, low, high, qualifier):
    qs = find_quantities(text)
    assert len(qs) == 1, qs
    q = qs[0]
    assert (q.text, q.value, q.low, q.high, q.qualifier) == (phrase, value, low, high, qualifier)
    assert text[q.start:q.end] == q.text


@pytest.mark.parametrize(
    "text",
    ["first half of 2024", "in the first quarter", "anti-monopoly law", "a quarter of a million", "1990 per cent",
     "2,050%", "the Monopolies Commission probe"],
)
def test_quantity_non_forms(text):
    assert [q.text for q in find_quantities(text) if q.kind != "monopoly" or "anti" in text] == []


# --------------------------------------------------------------------------- claims: one row each

CLAIM_CASES = [
    # sentence, expected fields of the only claim
    ("According to the International Energy Agency, China accounts for 61 per cent of global mined rare earth production.",
     dict(holder="China", share=61.0, qualifier="exact", metric="mining", scope="global", commodity="rare earths",
          attribution="International Energy Agency")),
    ("China controls 92 per cent of global rare earth refining, the IEA said.",
     dict(holder="China", share=92.0, metric="refining", scope="global", attribution="IEA")),
    ("Chile produces roughly a quarter of the world's copper.",
     dict(holder="Chile", share=25.0, qualifier="about", metric="production", scope="global", commodity="copper")),
    ("Indonesia now accounts for more than half of global nickel supply.",
     dict(holder="Indonesia", share=50.0, share_low=50.0, share_high=None, qualifier="more_than", metric="supply",
          commodity="nickel")),
    ("OPEC members pump roughly 40 percent of the world's crude oil.",
     dict(holder="OPEC members", share=40.0, qualifier="about", commodity="crude oil", scope="global")),
    ("Congo supplies between 60 and 70 percent of global cobalt.",
     dict(holder="Congo", share=65.0, share_low=60.0, share_high=70.0, qualifier="range", metric="supply")),
    ("Congo supplies 60-70 per cent of global cobalt.",
     dict(holder="Congo", share=65.0, qualifier="range", commodity="cobalt")),
    ("Saudi Arabia ships about 17pc of China's crude imports.",
     dict(holder="Saudi Arabia", share=17.0, metric="imports", scope="China")),
    ("Brazil exports 61 pct of the world's coffee.",
     dict(holder="Brazil", share=61.0, metric="exports", commodity="coffee")),
    ("Nokia controls more than 50 percent of phone sales in India.",
     dict(holder="Nokia", share=50.0, qualifier="more_than", metric="sales", scope="India")),
    ("Its rival holds 61.5 % of the domestic market.", None),
    ("China holds at least 40% of global graphite capacity.",
     dict(holder="China", share=40.0, qualifier="at_least", metric="capacity", commodity="graphite")),
    ("Ukraine supplies up to 10 per cent of world wheat exports.",
     dict(holder="Ukraine", share=10.0, qualifier="up_to", metric="exports", commodity="wheat")),
    ("Russia provides less than 5 per cent of global uranium enrichment capacity.",
     dict(holder="Russia", share=5.0, qualifier="less_than")),
    ("China accounts for nearly 90 per cent of global rare earth magnet production.",
     dict(holder="China", share=90.0, qualifier="nearly", commodity="rare earth magnets")),
    ("Ivory Coast produces two-thirds of the world's cocoa.",
     dict(holder="Ivory Coast", share=66.7, commodity="cocoa")),
    ("Taiwan makes three-quarters of the world's advanced chips.",
     dict(holder="Taiwan", share=75.0, commodity="semiconductors")),
    ("Chinese producers supply nine out of ten magnets sold worldwide.",
     dict(holder="Chinese producers", share=90.0, commodity="rare earth magnets")),
    ("China mines the majority of the world's tungsten.",
     dict(holder="China", share=None, share_low=50.0, share_high=100.0, qualifier="majority", metric="mining")),
    ("China produces the bulk of global antimony supply.",
     dict(holder="China", qualifier="majority", commodity="antimony")),
    ("China refines nearly all of the world's gallium.",
     dict(holder="China", share=100.0, qualifier="nearly", commodity="gallium")),
    ("China holds a near-monopoly on germanium refining.",
     dict(holder="China", share=100.0, qualifier="monopoly", commodity="germanium")),
    ("A squeeze on rare earth metals over which China holds a monopoly hit carmakers.",
     dict(holder="China", share=100.0, qualifier="monopoly", commodity="rare earths")),
    ("Samsung had a market share of 24 % in 2023.",
     dict(holder="Samsung", share=24.0, metric="market", year="2023")),
    ("Ragutis held an 11.09-per-cent market share.",
     dict(holder="Ragutis", share=11.09, metric="market")),
    ("About 70 per cent of the world's cobalt comes from Congo.",
     dict(holder="Congo", share=70.0, qualifier="about", commodity="cobalt", scope="global")),
    ("Comibol, which produces more than 80 pct of Bolivia's total exports, cut jobs.",
     dict(holder="Comibol", share=80.0, metric="exports", scope="Bolivia")),
    ("China does not account for 90 per cent of world graphite output.",
     dict(holder="China", share=90.0, negated=True)),
    ("Chinese refiners process nearly 90% of the world's rare earths.",
     dict(holder="Chinese refiners", share=90.0, qualifier="nearly", metric="refining", scope="global")),
    ("OPEC pumps around a third of the world's oil.",
     dict(holder="OPEC", share=33.3, qualifier="about", metric="production", commodity="crude oil")),
    ("Malaysia dominates the market, with a share of 85 per cent in glove production.",
     dict(holder="Malaysia", share=85.0, metric="production")),
    # a supplier's share of an importer's own supply: the supplier holds it, the importer is the scope
    ("Japan imports about 60 per cent of its rare earths from China.",
     dict(holder="China", share=60.0, qualifier="about", metric="imports", scope="Japan", commodity="rare earths")),
    ("The US relies on China for 70% of its rare earth imports.",
     dict(holder="China", share=70.0, metric="imports", commodity="rare earths")),
    ("Germany is heavily dependent on Russia for more than half of its natural gas supply.",
     dict(holder="Russia", share=50.0, qualifier="more_than", metric="imports", scope="Germany",
          commodity="natural gas")),
    ("Toyota buys a third of its cobalt from Glencore.",
     dict(holder="Glencore", share=33.3, metric="imports", scope="Toyota", commodity="cobalt")),
    ("European carmakers get 90 percent of their magnets from China.",
     dict(holder="China", share=90.0, metric="imports", scope="European carmakers", commodity="rare earth magnets")),
]


@pytest.mark.parametrize(("sentence", "expected"), CLAIM_CASES)
def test_claim_rows(sentence, expected):
    claims = find_claims(sentence)
    if expected is None:  # a pronoun-like holder without an earlier sentence: no holder, no claim
        assert claims == []
        return
    assert len(claims) == 1, claims
    c = claims[0]
    for key, value in expected.items():
        assert getattr(c, key) == value, (key, getattr(c, key), value)
    assert sentence[c.start:c.end] == c.phrase


def test_two_claims_two_metrics():
    s = ("According to the International Energy Agency, China accounts for 61 per cent of global mined rare earth "
         "production but controls 92 per cent of the global output.")
    got = [(c.holder, c.share, c.metric, c.scope, c.attribution) for c in find_claims(s)]
    assert got == [
        ("China", 61.0, "mining", "global", "International Energy Agency"),
        ("China", 92.0, "output", "global", "International Energy Agency"),
    ]


def test_list_of_holders_inherits_the_market():
    s = "Motorola accounted for 11.5 percent of the South Korean handset market, Samsung held 55 percent and LG 19 percent."
    got = [(c.holder, c.share, c.metric, c.commodity) for c in find_claims(s)]
    assert got == [("Motorola", 11.5, "market", "mobile phones"), ("Samsung", 55.0, "market", "mobile phones"),
                   ("LG", 19.0, "market", "mobile phones")]


@pytest.mark.parametrize(("sentence", "holder", "holder_id"), [
    ("Battery makers in South Korea hold 25% of the global market.", "Battery makers in South Korea", "KOR"),
    ("Mining companies in Chile produce about a quarter of the world's copper.", "Mining companies in Chile", "CHL"),
    ("Chinese producers in Malaysia supply 10% of the world's rare earths.", "Chinese producers in Malaysia", "CHN"),
])
def test_a_group_located_in_a_country_is_that_countrys_group(sentence, holder, holder_id):
    from supplywatch.actors.mentions import find_mentions
    from supplywatch.actors.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    mentions = [{"actor": m.actor, "actor_id": m.actor_id, "actor_type": m.actor_type, "start": m.start,
                 "end": m.end} for m in find_mentions(sentence, gazetteer)]
    (claim,) = find_claims(sentence, mentions=mentions, lookup=gazetteer.lookup)
    assert (claim.holder, claim.holder_id) == (holder, holder_id)


def test_a_listed_holder_with_a_verb_of_its_own_gets_that_metric():
    s = "Congo mines some 70% of the world's cobalt, while China refines about 75%."
    got = [(c.holder, c.share, c.metric, c.commodity, c.scope) for c in find_claims(s)]
    assert got == [("Congo", 70.0, "mining", "cobalt", "global"), ("China", 75.0, "refining", "cobalt", "global")]


@pytest.mark.parametrize(("sentence", "metric"), [
    ("About 80% of the world's cobalt is refined in China.", "refining"),
    ("Nearly 90% of rare earth magnets are made in China.", "production"),
    ("Some 70% of the world's cobalt is mined in Congo.", "mining"),
])
def test_passive_holder_takes_the_metric_of_the_verb(sentence, metric):
    (claim,) = find_claims(sentence)
    assert (claim.holder in ("China", "Congo"), claim.metric) == (True, metric)


# --------------------------------------------------------------------------- non-claims, by kind

NON_CLAIMS = [
    ("target", "China aims to raise its share of the battery market to 70 percent by 2030."),
    ("target", "Brussels wants European refiners to supply 40 per cent of the bloc's lithium needs."),
    ("hypothetical", "The quota plan would reduce Brazil's share to 28.8 pct of the world coffee market."),
    ("hypothetical", "Analysts said the merged group could have about 24 pct of the global delivery business."),
    ("hypothetical", "China might control half of the world's lithium refining."),
    ("growth", "Sales rose 10 per cent to 2.1 billion euros."),
    ("growth", "Shares of Nokia were up 5 pct."),
    ("growth", "Output fell by 12 per cent in the first half."),
    ("growth", "The company reported a 5.4-per-cent rise in beer sales."),
    ("growth", "Exports grew 8 percent year-on-year."),
    ("prior value", "Its market share widened to 48.51 percent from 48.31 percent a year earlier."),
    ("interest", "The central bank raised its key interest rate to 5.5 per cent."),
    ("tax", "The government set a corporate tax of 25 per cent."),
    ("tariff", "Washington imposed a 25 per cent tariff on steel."),
    ("inflation", "Inflation eased to 2.1 pct in March."),
    ("stake", "Glencore holds a 20 pct stake in the miner."),
    ("stake", "Glencore holds 20 pct of XYZ Corp."),
    ("stake", "Alma Media raised its holding in Talentum to 30.65 % of the shares."),
    ("stake", "The group bought a 35 % share of the new joint venture company."),
    ("own total", "Exports are 40 pct of the company's sales."),
    ("own total", "Asia accounted for 40 pct of its revenue."),
    ("own total", "Exports accounted for 65.4 % of net sales."),
    ("own total", "Russia accounted for 9 % of the Lagardere magazine division's revenue."),
    ("own total", "China exports 70 per cent of its rare earth output to Japan."),
    ("own total", "The company gets 40% of its revenue from China."),
    ("own total", "India imports 90 per cent of its crude oil needs, mostly from the Middle East."),
    ("own total", "Japan imports 60 per cent of its rare earths."),
    ("poll", "Around 60 per cent of respondents said prices would rise."),
    ("probability", "Analysts put the probability of a recession at 40 per cent."),
    ("discount", "The shares were offered at a 15 percent discount."),
    ("margin", "The operating margin improved to 12.5 % of turnover."),
    ("no market", "The Russian government will contribute 20 % of the necessary funds."),
    ("no holder", "Electric vehicles account for 20 per cent of global car sales."),
    ("where-clause", "Ecuador, where oil accounts for up to two-thirds of total exports, was hit hard."),
    ("points", "China's share fell 3 percentage points."),
]


@pytest.mark.parametrize(("kind", "sentence"), NON_CLAIMS)
def test_non_claims(kind, sentence):
    assert find_claims(sentence) == [], kind


@pytest.mark.parametrize(
    ("whole", "kind"),
    [("global mined production", "market"), ("the world's cobalt", "market"), ("Estonia 's forest machinery market", "market"),
     ("its revenue", "own_total"), ("net sales", "own_total"), ("the company 's sales", "own_total"),
     ("XYZ Corp", "ownership"), ("the shares", "ownership"), ("respondents", "poll"), ("the necessary funds", "own_total"), ("this", "none")],
)
def test_classify_whole(whole, kind):
    assert classify_whole(whole) == kind


# --------------------------------------------------------------------------- real-style fixture (precision/recall)


def _fixture_rows() -> list[tuple[str, set[tuple[str, float]]]]:
    rows = []
    for line in (FIXTURES / "share_sentences.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sentence, expected = line.split("\t")
        want = set()
        if expected.strip() != "-":
            for part in expected.split(" | "):
                holder, share = part.rsplit("=", 1)
                want.add((holder.strip(), float(share)))
        rows.append((sentence, want))
    return rows


def test_fixture_f1_on_value_and_holder():
    tp = fp = fn = 0
    errors = []
    for sentence, want in _fixture_rows():
        got = {(c.holder, c.share) for c in find_claims(sentence)}
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        if got != want:
            errors.append((sentence, got, want))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall)
    assert len(_fixture_rows()) >= 40
    assert f1 >= 0.9, (f1, errors)


@pytest.mark.parametrize(("sentence", "want"), [r for r in _fixture_rows() if not r[1]])
def test_fixture_non_claims_each(sentence, want):
    assert find_claims(sentence) == []


# --------------------------------------------------------------------------- holders and context


def _mention(sentence: str, surface: str, actor: str, actor_id: str, actor_type: str = "country") -> dict:
    start = sentence.index(surface)
    return {"actor": actor, "actor_id": actor_id, "actor_type": actor_type, "start": start,
            "end": start + len(surface), "surface": surface}


def test_mentions_give_gazetteer_name_and_id():
    s = "Beijing accounts for 61 per cent of global mined rare earth production."
    c = find_claims(s, mentions=[_mention(s, "Beijing", "China", "CHN")])[0]
    assert (c.holder, c.holder_id) == ("China", "CHN")


def test_people_are_never_holders():
    s = "Lin said China controls 92 per cent of rare earth refining."
    mentions = [_mention(s, "Lin", "Lin Jian", "lin-jian", "person"), _mention(s, "China", "China", "CHN")]
    assert [(c.holder, c.holder_id) for c in find_claims(s, mentions=mentions)] == [("China", "CHN")]


def test_unknown_company_falls_back_to_surface_name():
    s = "Lynas Rare Earths supplies 5 per cent of global rare earth output."
    c = find_claims(s, mentions=[], lookup=lambda name: None)[0]
    assert (c.holder, c.holder_id) == ("Lynas Rare Earths", "")


def test_group_holder_takes_the_inner_actor_id():
    s = "Chinese producers control 90 per cent of magnet output."
    c = find_claims(s, mentions=[_mention(s, "Chinese", "China", "CHN")])[0]
    assert (c.holder, c.holder_id) == ("Chinese producers", "CHN")


def test_holder_candidates_skip_titles_and_stop_words():
    names = [h.name for h in holder_candidates("The report says Mr Smith met OPEC members and Glencore.")]
    assert "OPEC members" in names and "Glencore" in names
    assert not any(n.startswith(("The", "Mr")) for n in names)


def test_pronoun_resolves_to_earlier_holder_in_article():
    text = "Congo is the top cobalt producer. It accounts for about 70 per cent of global supply."
    rows = claims_for_document("d1", text, split_sentences(text), mentions=[])
    assert [(r["holder"], r["share"], r["commodity"], r["sentence_id"]) for r in rows] == [
        ("Congo", 70.0, "cobalt", 1)
    ]


def test_commodity_named_a_sentence_earlier():
    text = "Graphite prices jumped. China controls 90 per cent of global refining."
    rows = claims_for_document("d1", text, split_sentences(text), mentions=[])
    assert [(r["holder"], r["commodity"], r["metric"]) for r in rows] == [("China", "graphite", "refining")]


def test_claims_for_document_offsets_slice_the_sentence():
    text = "China accounts for 69 per cent of global rare earth mining in 2024."
    rows = claims_for_document("d1", text, split_sentences(text), mentions=[])
    assert len(rows) == 1
    r = rows[0]
    assert r["sentence"][r["start"]:r["end"]] == "69 per cent"
    # the reference columns are filled for the whole table by aggregate_claims (tests/claims/test_reference.py)
    assert set(CLAIM_COLUMNS) - set(CLAIM_REFERENCE_COLUMNS) <= set(r)


# --------------------------------------------------------------------------- the seed, through the real pipeline


@pytest.fixture(scope="module")
def seed_result(seed_file):
    from supplywatch.analysis.pipeline import analyze_corpus

    return analyze_corpus(seed_file, cache=False)


@pytest.fixture(scope="module")
def seed_claims(seed_result) -> pd.DataFrame:
    return seed_result.tables["claims"]


def test_seed_has_exactly_three_china_claims(seed_claims):
    df = seed_claims
    assert list(df.columns[: len(CLAIM_COLUMNS)]) == CLAIM_COLUMNS
    assert len(df) == 3
    assert set(df["holder"]) == {"China"} and set(df["holder_id"]) == {"CHN"}
    by_share = {row.share: row for row in df.itertuples()}
    assert set(by_share) == {61.0, 92.0, 100.0}
    m61, m92, mono = by_share[61.0], by_share[92.0], by_share[100.0]
    assert (m61.metric, m61.commodity, m61.scope, m61.attribution) == (
        "mining", "rare earths", "global", "International Energy Agency")
    assert m92.metric in ("output", "refining") and m92.scope == "global"
    assert m92.attribution == "International Energy Agency"
    assert (mono.qualifier, mono.commodity) == ("monopoly", "rare earths")
    assert "over which China holds a monopoly" in mono.sentence
    for row in df.itertuples():
        assert row.sentence[row.start:row.end] in ("61 per cent", "92 per cent", "a monopoly")
    assert m61.diff_pp == pytest.approx(m61.share - m61.reference_share)


def test_seed_claims_are_set_against_every_official_figure_not_the_news_quote(seed_result):
    claims, pairs = seed_result.tables["claims"], seed_result.tables["claim_references"]
    m61 = claims[claims["share"] == 61.0].iloc[0]
    assert (m61.n_references, m61.reference_min, m61.reference_max, m61.max_abs_diff_pp, m61.differs_from_all) == (
        3, 62.0, 69.2, 8.2, "no")
    assert (m61.reference_source, m61.reference_year, m61.diff_pp) == (
        "IEA Global Critical Minerals Outlook 2024", "2023", -1.0)
    figures = pairs[pairs["start"] == m61.start]
    assert figures[["reference_source", "reference_year", "reference_share", "diff_pp"]].values.tolist() == [
        ["USGS Mineral Commodity Summaries 2025", 2024, 69.2, -8.2],
        ["IEA Global Critical Minerals Outlook 2024", 2023, 62.0, -1.0],
        ["USGS Mineral Commodity Summaries 2025", 2023, 67.8, -6.8]]
    assert not pairs["reference_source"].str.contains("quoted").any()
    monopoly = claims[claims["qualifier"] == "monopoly"].iloc[0]  # metric market: nothing to compare with
    assert (monopoly.n_references, monopoly.reference_source, monopoly.differs_from_all) == (0, "", "")


def test_seed_claims_csv_is_written_sorted(seed_file, tmp_path):
    from supplywatch.analysis.pipeline import analyze_corpus, write_tables

    write_tables(analyze_corpus(seed_file, cache=False), tmp_path)
    df = pd.read_csv(tmp_path / "claims.csv")
    assert len(df) == 3
    keys = list(zip(df["doc_id"], df["sentence_id"], df["start"]))
    assert keys == sorted(keys)


# --------------------------------------------------------------------------- properties

_share_text = st.lists(
    st.sampled_from(["China", "accounts for", "61 per cent", "of global", "output", "about", "half", ",", "it",
                     "a monopoly", "over which", "rose", "to", "from", "%", "60-70", "between", "and", "pct", "its",
                     "market share", "Inc.", "(", ")", "which", "nine out of ten", "the majority of", "'s"]),
    max_size=25,
).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), _share_text))
def test_never_raises_and_offsets_slice_the_phrase(text):
    for c in find_claims(text):
        assert text[c.start:c.end] == c.phrase
        assert c.qualifier in ("exact", "about", "nearly", "more_than", "less_than", "at_least", "up_to",
                               "range", "monopoly", "majority")
        assert c.share is None or 0 <= c.share <= 100


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=400), _share_text.map(lambda t: t + ". It controls 40 % of the market.")))
def test_document_rows_slice_their_sentence(text):
    for r in claims_for_document("d", text, split_sentences(text), mentions=[]):
        assert r["sentence"][r["start"]:r["end"]]
        # a figure, a fraction or a number word ("TEN%", "sixty per cent")
        assert re.search(r"\d|half|third|quarter|majority|bulk|all|monopol|most|lion|out of|\bin\b|one|two|three|four|"
                         r"five|six|seven|eight|nine|ten|eleven|twelve|teen|twenty|thirty|forty|fifty|sixty|seventy|"
                         r"eighty|ninety|hundred", r["sentence"][r["start"]:r["end"]], re.I)


# --------------------------------------------------------------------------- real corpus


def test_runs_over_a_reuters_file_without_error(shared_corpora):
    from supplywatch.corpus.reuters import iter_reuters

    n_docs = n_claims = 0
    for doc in iter_reuters(shared_corpora / "reuters21578" / "reut2-000.sgm"):
        rows = claims_for_document(doc.doc_id, doc.text, split_sentences(doc.text), mentions=[])
        for r in rows:
            assert r["sentence"][r["start"]:r["end"]]
        n_docs += 1
        n_claims += len(rows)
    assert n_docs > 500
    assert n_claims < n_docs  # claims are rare in general news: no flood of false positives


@pytest.mark.parametrize(("sentence", "holders"), [
    ("Car sales in China account for a third of the global market.", []),
    ("Livent controls 10 pct of the lithium market.", ["Livent"]),
    ("Livent now holds 10 pct of the lithium market.", ["Livent"]),
])
def test_sentence_initial_common_noun_is_not_a_holder(sentence, holders):
    assert [c.holder for c in find_claims(sentence)] == holders


def test_supplier_share_of_us_imports_matches_the_usgs_import_sources(tmp_path):
    """"The US relies on China for 70 % of its rare earth imports": China's share of US imports, set
    against the USGS import-source figure (China 70 %, 2020-23) with the importer as scope."""
    from supplywatch.analysis.pipeline import analyze_corpus

    (tmp_path / "a.jsonl").write_text(
        '{"id": "a", "date": "2024-05-01", "text": "The US relies on China for 70% of its rare earth imports. '
        'Japan imports about 60 per cent of its rare earths from China."}\n', encoding="utf-8")
    claims = analyze_corpus(tmp_path, cache=False).tables["claims"]
    rows = claims[["holder", "share", "metric", "scope", "reference_share", "diff_pp"]].values.tolist()
    assert rows[0] == ["China", 70.0, "imports", "United States", 70.0, 0.0]
    assert rows[1][:4] == ["China", 60.0, "imports", "Japan"] and pd.isna(rows[1][4])
