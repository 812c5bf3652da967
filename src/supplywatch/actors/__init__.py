"""Stage 3a, actors: who the news talks about.

:mod:`.gazetteer` (the actor list, ``data/actors.yaml``) -> :mod:`.matcher` (one compiled matcher,
with :mod:`.context` deciding when a name or capital is not the country);
:mod:`.recognise` (a CRF tagger for names the gazetteer lacks, ``data/ner_model.crfsuite``) ->
:mod:`.recognised` (those names as mentions, grouped into actors with back-references) ->
:mod:`.mentions` (the ``mentions`` and ``comentions`` tables) -> :mod:`.quotes` (who said what, with
:mod:`.speakers`), :mod:`.unknown` (recognised actors the gazetteer lacks, ranked), :mod:`.kwic`
(actor-aware keyword in context).
"""

from __future__ import annotations

from supplywatch.actors.gazetteer import Actor, Gazetteer, load_gazetteer
from supplywatch.actors.mentions import MENTION_COLUMNS, comentions, find_mentions
from supplywatch.actors.quotes import find_quotes

__all__ = [
    "Actor",
    "Gazetteer",
    "MENTION_COLUMNS",
    "comentions",
    "find_mentions",
    "find_quotes",
    "load_gazetteer",
]
