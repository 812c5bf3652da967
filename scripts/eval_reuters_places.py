"""Country mentions vs Reuters-21578 PLACES labels: document-level precision and recall.

For every article with a non-empty PLACES field, the gold set is its PLACES codes mapped to
gazetteer country ids (``usa`` -> USA, ``west-germany`` -> DEU, ``ussr`` -> SUN); codes that are
not countries (``netherlands-antilles`` is a former territory) are dropped from the gold set and
counted in the report. The predicted set is every country-type actor the mention extractor finds in
the article text (names, aliases, demonyms, metonyms). Articles without PLACES are unlabelled and
skipped. Precision and recall are micro-averaged over (article, country) pairs. With
``--with-country``, the countries of recognised organisations count too (the ``country`` column of
``mentions.csv``: "U.S. Treasury" -> USA, see the README's *Country roll-up*).

Note what the figures measure: PLACES lists the countries an article is *about* (often the
dateline's country, which the text may never name: "LONDON, March 3 -" is stripped from the body),
while mentions count every country named. Lower precision is partly a label artefact.

Usage:
    python scripts/eval_reuters_places.py [PATH] [--gazetteer FILE] [--with-country] [--json OUT]

PATH is the collection folder or one ``.sgm`` file (default ``../shared/corpora/reuters21578``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from supplywatch.actors.mentions import find_mentions
from supplywatch.config import PROJECT_ROOT
from supplywatch.actors.gazetteer import Gazetteer, load_gazetteer

DEFAULT_PATH = PROJECT_ROOT.parent / "shared" / "corpora" / "reuters21578"

#: Reuters place codes whose name differs from the gazetteer's (lower case, '-' for spaces).
PLACE_CODES = {
    "antigua": "ATG", "guinea-bissau": "GNB", "trinidad-tobago": "TTO", "western-samoa": "WSM",
    "yemen-arab-republic": "YEM", "yemen-demo-republic": "YEM", "usa": "USA", "uk": "GBR",
    "ussr": "SUN", "west-germany": "DEU", "east-germany": "DDR",
}


def place_country(code: str, gazetteer: Gazetteer) -> str | None:
    """The gazetteer country id of a Reuters PLACES code, or None for a non-country place."""
    if code in PLACE_CODES:
        return PLACE_CODES[code]
    actor = gazetteer.lookup(code.replace("-", " ")) or gazetteer.lookup(code)
    return actor.id if actor is not None and actor.type == "country" else None


def evaluate(path: str | Path = DEFAULT_PATH, *, gazetteer: Gazetteer | None = None,
             with_country: bool = False) -> dict:
    """Run mention extraction over the collection and score country sets against PLACES.

    ``with_country``: an organisation's ``country`` (a gazetteer country id) counts as found too."""
    from supplywatch.corpus.reuters import iter_reuters

    gazetteer = gazetteer or load_gazetteer()
    tp = fp = fn = 0
    tp_x = fp_x = fn_x = 0  # the same without USA (most US articles never name the US: dateline only)
    n_docs = n_labelled = 0
    dropped: Counter = Counter()
    missed: Counter = Counter()
    extra: Counter = Counter()
    started = time.perf_counter()
    for doc in iter_reuters(path):
        n_docs += 1
        codes = [c for c in (doc.meta.get("places") or "").split(";") if c]
        if not codes:
            continue
        n_labelled += 1
        gold = set()
        for code in codes:
            country = place_country(code, gazetteer)
            if country is None:
                dropped[code] += 1
            else:
                gold.add(country)
        # what `supplywatch analyze` reads and finds: the headline and the text, recognised names included
        mentions = find_mentions(doc.analysed_text, gazetteer, recognise=True)
        found = {m.actor_id for m in mentions if m.actor_type == "country"}
        if with_country:
            found |= {m.country for m in mentions if m.country and m.actor_type != "country"
                      and getattr(gazetteer.get(m.country), "type", None) == "country"}
        tp += len(gold & found)
        fp += len(found - gold)
        fn += len(gold - found)
        gold_x, found_x = gold - {"USA"}, found - {"USA"}
        tp_x += len(gold_x & found_x)
        fp_x += len(found_x - gold_x)
        fn_x += len(gold_x - found_x)
        missed.update(gold - found)
        extra.update(found - gold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "path": str(path), "with_country": with_country, "documents": n_docs, "labelled_documents": n_labelled,
        "true_positives": tp, "false_positives": fp, "false_negatives": fn,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "precision_without_usa": round(tp_x / (tp_x + fp_x), 4) if tp_x + fp_x else 0.0,
        "recall_without_usa": round(tp_x / (tp_x + fn_x), 4) if tp_x + fn_x else 0.0,
        "non_country_places_dropped": dict(sorted(dropped.items())),
        "most_missed": dict(missed.most_common(10)), "most_extra": dict(extra.most_common(10)),
        "seconds": round(time.perf_counter() - started, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--gazetteer", type=Path, default=None)
    parser.add_argument("--with-country", action="store_true",
                        help="count the country of recognised organisations (mentions' country column) too")
    parser.add_argument("--json", type=Path, default=None, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"{args.path}: not found; pass the Reuters-21578 folder or one .sgm file", file=sys.stderr)
        return 2
    report = evaluate(args.path, gazetteer=load_gazetteer(args.gazetteer), with_country=args.with_country)
    text = json.dumps(report, indent=2, sort_keys=False)
    print(text)
    if args.json:
        from supplywatch.io import atomic_write_text

        atomic_write_text(args.json, text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
