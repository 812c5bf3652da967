"""Stage 3b, claims: market-share claims: who the news says holds what share of which market (the ``claims`` table).

A claim is a sentence stating that a *holder* (country, bloc, company, group of producers)
accounts for, controls, produces, supplies, holds or exports a fraction of a whole that others share
too: world or regional production, mining, refining, output, supply, exports, imports, consumption,
reserves, capacity, sales, "the market". The rule layer works per sentence:

1. :func:`supplywatch.claims.quantities.find_quantities` finds every share phrase and normalises it.
2. Non-claims are dropped first: changes ("rose 10 per cent", "a 5 % rise", "by 3 %", the old value
   in "from 60 per cent"), rates (interest, tax, tariff, inflation, yield, margin, discount,
   probability, ...), polls ("of respondents"), ownership ("a 20 pct stake", "20 pct of XYZ Corp",
   "of the shares"), the make-up of one's own total ("40 pct of its sales", "of the company's
   revenue", "of net sales"), aims ("aims to raise its share to 70 %") and conditions ("would
   reduce Brazil's share to 28.8 pct").
3. A quantity is a claim only with a *whole* that is a market: "of global production", "of the
   world's cobalt", "of Estonia's forest machinery market", "of rare earths", a share construction
   ("market share of 24 %", "a 10.75 percent market share", "China's share of world mining is
   60 %"), a monopoly held by someone, or a second figure in a list after a claim ("A had a market
   share of 41 % and B 32 %").
4. The holder is the nearest actor to the left in subject position (an actor mention from
   :mod:`supplywatch.actors.mentions`, a group such as "Chinese producers", or a capitalised name the
   gazetteer lacks), skipping names after a preposition, in parentheses or a comma-delimited
   relative clause, and the source of an "according to"; "it"/"its"/"the company" resolve to the
   most recent holder; "70 % of X comes from Congo" takes the holder on the right.
5. A supplier's share of someone's own supply ("Japan imports 60 % of its rare earths from China",
   "relies on China for 70 % of its imports") is a claim for the supplier (metric ``imports``, scope
   the importer): :mod:`supplywatch.claims.suppliers`.

``start``/``end`` are character offsets **into the sentence** (``sentence[start:end]`` is the share
phrase, hedge included).

Modules: :mod:`.quantities` (share phrases), :mod:`.topics` (the commodity lexicon),
:mod:`.patterns` (vocabulary and records), :mod:`.holders`, :mod:`.wholes`, :mod:`.suppliers`,
:mod:`.finder` (sentences and articles -> claims), :mod:`.reference` (official figures, matching rules),
:mod:`.reference_check` (the claims table against them: ``claim_references``).
"""

from __future__ import annotations

from supplywatch.claims.finder import claims_for_document, find_claims
from supplywatch.claims.patterns import CLAIM_COLUMNS, Claim, Holder
from supplywatch.claims.quantities import Quantity, find_quantities

__all__ = [
    "CLAIM_COLUMNS",
    "Claim",
    "Holder",
    "Quantity",
    "claims_for_document",
    "find_claims",
    "find_quantities",
]
