"""Score ``supplywatch analyze`` on CoNLL-2003 English NER (eng.testb): entity-level P/R/F1.

Run with ``make bench-ner`` (or ``.venv/bin/python benchmarks/bench_conll.py [--split eng.testa]``).

Each CoNLL document becomes one article: its tokens joined by single spaces, its sentences by newlines,
so every gold entity is a character span of the article text. The articles are written as a JSON Lines
corpus in a temporary folder and analysed by the real command line (``supplywatch analyze --no-cache``);
the rows of ``mentions.csv`` are then mapped to CoNLL types and compared with the gold entities:

* ``person`` -> PER; ``company``, ``organisation``, ``agency``, ``media``, ``bloc`` -> ORG;
  ``country``, ``place`` -> LOC; a ``metonym`` (a capital for its government) -> LOC, as CoNLL tags
  capitals; a ``demonym`` ("Chinese") is CoNLL's MISC and dropped.
* Gold MISC entities are dropped too (MISC is not scored). A predicted entity counts when its span and
  type equal a gold entity's (exact boundaries).
* **Countries**: the gold LOC entities whose text the gazetteer resolves to a country
  (``Gazetteer.lookup``: a name or alias, e.g. "U.S.", "Britain") against the predicted LOC spans whose
  text resolves to a country.

Prints P/R/F1 for PER, ORG, LOC, micro and countries (``--json FILE`` also writes them). eng.testb is
the reported test set; eng.testa was used for tuning and eng.train for training (scripts/train_ner.py).
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
DEFAULT_CONLL = PROJECT.parent / "shared" / "corpora" / "conll2003"
TYPE_OF = {"person": "PER", "company": "ORG", "organisation": "ORG", "agency": "ORG", "media": "ORG",
           "bloc": "ORG", "country": "LOC", "place": "LOC"}
KINDS = ("PER", "ORG", "LOC")


def _scripts():
    sys.path.insert(0, str(PROJECT / "scripts"))
    import train_ner  # the CoNLL reader shared with the training script

    return train_ner


def _prf(gold: set, pred: set) -> dict:
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "gold": len(gold), "predicted": len(pred), "correct": tp}


def _article_id(doc_id: str) -> str:
    """The JSON record's id (the loader prefixes the file's stem: ``eng.testb/eng.testb-007``)."""
    return doc_id.rsplit("/", 1)[-1]


def predicted(mentions_csv: Path) -> dict[str, list[tuple[int, int, str]]]:
    """``doc_id -> [(start, end, CoNLL type)]`` from an analysis' mentions table (see the module doc)."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    with mentions_csv.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["kind"] == "demonym":
                continue
            kind = "LOC" if row["kind"] == "metonym" else TYPE_OF.get(row["actor_type"])
            if kind:
                out.setdefault(_article_id(row["doc_id"]), []).append((int(row["start"]), int(row["end"]), kind))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conll", type=Path, default=DEFAULT_CONLL, help="folder holding eng.testb")
    parser.add_argument("--split", default="eng.testb", help="eng.testb (reported) or eng.testa (tuning)")
    parser.add_argument("--json", type=Path, default=None, help="also write the scores here")
    args = parser.parse_args(argv)
    source = args.conll / args.split
    if not source.is_file():
        print(f"error: {source} not found; pass --conll DIR (CoNLL-2003, see ../shared/corpora)", file=sys.stderr)
        return 2
    from supplywatch.actors.gazetteer import load_gazetteer

    docs = _scripts().read_conll(source)
    with tempfile.TemporaryDirectory(prefix="bench-conll-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        ids = [f"{args.split}-{i:03d}" for i in range(len(docs))]
        with (corpus / f"{args.split}.jsonl").open("w", encoding="utf-8") as fh:
            for doc_id, (text, _gold, _labels) in zip(ids, docs):
                fh.write(json.dumps({"id": doc_id, "text": text}) + "\n")
        out = Path(tmp) / "tables"
        t0 = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("supplywatch")), "analyze", str(corpus), "--out",
                        str(out), "--no-cache"], check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - t0
        pred = predicted(out / "mentions.csv")
        with (out / "documents.csv").open(encoding="utf-8", newline="") as fh:
            loaded = {_article_id(row["doc_id"]): int(row["n_chars"]) for row in csv.DictReader(fh)}
    changed = [d for d, (text, _g, _l) in zip(ids, docs) if loaded.get(d) != len(text)]
    gazetteer = load_gazetteer()

    def is_country(text: str) -> bool:
        actor = gazetteer.lookup(text)
        return actor is not None and actor.type == "country"

    gold_all, pred_all, gold_c, pred_c = set(), set(), set(), set()
    for doc_id, (text, gold, _labels) in zip(ids, docs):
        for s, e, kind in gold:
            if kind in KINDS:
                gold_all.add((doc_id, s, e, kind))
                if kind == "LOC" and is_country(text[s:e]):
                    gold_c.add((doc_id, s, e))
        for s, e, kind in pred.get(doc_id, []):
            pred_all.add((doc_id, s, e, kind))
            if kind == "LOC" and is_country(text[s:e]):
                pred_c.add((doc_id, s, e))
    scores = {kind: _prf({g for g in gold_all if g[3] == kind}, {p for p in pred_all if p[3] == kind})
              for kind in KINDS}
    scores["micro"] = _prf(gold_all, pred_all)
    scores["countries"] = _prf(gold_c, pred_c)
    print(f"CoNLL-2003 {args.split}: {len(docs)} documents, analysed in {seconds:.1f} s "
          f"(supplywatch analyze, 1 job, no cache); texts changed by loading: {len(changed)}")
    print(f"{'':10s} {'P':>6s} {'R':>6s} {'F1':>6s} {'gold':>6s} {'pred':>6s}")
    for name, s in scores.items():
        print(f"{name:10s} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['gold']:6d} {s['predicted']:6d}")
    if args.json:
        args.json.write_text(json.dumps({"split": args.split, "seconds": seconds, "scores": scores}, indent=2),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
