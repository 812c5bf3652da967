"""Train the actor recogniser on CoNLL-2003 and write ``data/ner_model.crfsuite`` + ``data/ner_lexicon.json``.

Run with ``make ner-model`` (or ``.venv/bin/python scripts/train_ner.py``). Reproducible: the files are
read in order, the lexicon is sorted, and CRFsuite's L-BFGS training has no random step, so the same
inputs give the same model bytes (the script prints the SHA-256 of both files).

Data: CoNLL-2003 English (``../shared/corpora/conll2003``, see its SOURCE.md): ``eng.train`` trains,
``eng.testa`` is the tuning set whose scores the script prints. ``eng.testb`` is never read here (it is
for ``benchmarks/bench_conll.py``, the reported figure).

Options: ``--conll DIR``, ``--out DIR`` (default ``data/``), ``--c1``/``--c2`` (L1/L2 weights),
``--iterations``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_CONLL = PROJECT.parent / "shared" / "corpora" / "conll2003"
MODEL_FILE = "ner_model.crfsuite"
LEXICON_FILE = "ner_lexicon.json"
#: A chunk seen at least this often as a single word and never in a name is skipped at run time.
NEVER_MIN = 3


def read_conll(path: Path) -> list[tuple[str, list[tuple[int, int, str]], dict[int, str]]]:
    """Documents of a CoNLL-2003 file: ``(text, gold entities, BIO label per token start)``.

    The text is each sentence's tokens joined by single spaces, sentences joined by newlines, so gold
    spans are character offsets in it. IOB1 tags become entities ``(start, end, type)`` and BIO labels.
    """
    docs = []
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            if current:
                sentences.append(current)
                current = []
            if sentences:
                docs.append(_document(sentences))
            sentences = []
        elif not line.strip():
            if current:
                sentences.append(current)
                current = []
        else:
            parts = line.split()
            current.append((parts[0], parts[-1]))
    if current:
        sentences.append(current)
    if sentences:
        docs.append(_document(sentences))
    return docs


def _document(sentences):
    pieces: list[str] = []
    pos = 0
    gold: list[tuple[int, int, str]] = []
    labels: dict[int, str] = {}
    for index, sentence in enumerate(sentences):
        if index:
            pieces.append("\n")
            pos += 1
        entity = None
        previous = None
        for t, (word, tag) in enumerate(sentence):
            if t:
                pieces.append(" ")
                pos += 1
            start, end = pos, pos + len(word)
            pieces.append(word)
            pos = end
            if tag == "O":
                if entity:
                    gold.append(tuple(entity))
                entity = previous = None
                labels[start] = "O"
                continue
            bio, kind = tag.split("-")
            if bio == "B" or kind != previous or entity is None:
                if entity:
                    gold.append(tuple(entity))
                entity = [start, end, kind]
                labels[start] = "B-" + kind
            else:
                entity[1] = end
                labels[start] = "I-" + kind
            previous = kind
        if entity:
            gold.append(tuple(entity))
    return "".join(pieces), gold, labels


def build_lexicon(docs) -> tuple[frozenset[str], frozenset[str]]:
    """Lower-case words of the training text, and chunks never part of a name (seen >= NEVER_MIN times)."""
    from supplywatch.actors.recognise import CHUNK_RE

    lower = Counter()
    for text, _gold, _labels in docs:
        lower.update(re.findall(r"(?<![\w-])[a-z][a-z'-]*", text))
    lower_words = frozenset(lower)
    seen: Counter = Counter()
    named: Counter = Counter()
    for text, _gold, labels in docs:
        for match in CHUNK_RE.finditer(text):
            chunk = match.group()
            if " " in chunk:
                continue
            seen[chunk] += 1
            if labels.get(match.start(), "O") != "O":
                named[chunk] += 1
    never = frozenset(w for w, n in seen.items() if n >= NEVER_MIN and not named[w])
    return lower_words, never


def training_sequences(docs, recogniser):
    """``(items, labels)`` per document, built by the same code the analysis runs."""
    for text, _gold, labels in docs:
        items, chunks = recogniser.sequence(text)
        if not items:
            continue
        y = ["O"] * len(items)
        for index, start, spans, _opener in chunks:
            for i, (a, _b) in enumerate(spans):
                y[index + i] = labels.get(start + a, "O")
        yield items, y


def score(docs, recogniser) -> dict[str, tuple[float, float, float]]:
    """Entity-level precision, recall, F1 per PER/ORG/LOC and micro (MISC dropped on both sides)."""
    gold_all, pred_all = set(), set()
    for i, (text, gold, _labels) in enumerate(docs):
        gold_all |= {(i, s, e, t) for s, e, t in gold if t != "MISC"}
        pred_all |= {(i, s, e, t) for s, e, t in recogniser.entities(text) if t != "MISC"}
    out = {}
    for kind in ("PER", "ORG", "LOC", None):
        g = {x for x in gold_all if kind is None or x[3] == kind}
        p = {x for x in pred_all if kind is None or x[3] == kind}
        tp = len(g & p)
        precision = tp / len(p) if p else 0.0
        recall = tp / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[kind or "micro"] = (precision, recall, f1)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conll", type=Path, default=DEFAULT_CONLL)
    parser.add_argument("--out", type=Path, default=PROJECT / "data")
    parser.add_argument("--c1", type=float, default=0.1)
    parser.add_argument("--c2", type=float, default=0.05)
    parser.add_argument("--iterations", type=int, default=300)
    args = parser.parse_args(argv)
    train_file = args.conll / "eng.train"
    if not train_file.is_file():
        print(f"error: {train_file} not found; pass --conll DIR (the folder holding eng.train and eng.testa)",
              file=sys.stderr)
        return 2
    import pycrfsuite

    from supplywatch.actors.recognise import Recogniser

    t0 = time.perf_counter()
    train = read_conll(train_file)
    lower_words, never = build_lexicon(train)
    recogniser = Recogniser(None, lower_words, never)
    trainer = pycrfsuite.Trainer(verbose=False)
    for items, labels in training_sequences(train, recogniser):
        trainer.append(items, labels)
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
                        "feature.possible_transitions": True})
    args.out.mkdir(parents=True, exist_ok=True)
    model = args.out / MODEL_FILE
    lexicon = args.out / LEXICON_FILE
    trainer.train(str(model))
    lexicon.write_text(json.dumps({"source": "CoNLL-2003 eng.train (lower-case words; chunks never in a name)",
                                   "lower": sorted(lower_words), "never": sorted(never)},
                                  ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"trained on {len(train)} documents in {time.perf_counter() - t0:.1f} s")
    for path in (model, lexicon):
        print(f"  {path.relative_to(PROJECT) if path.is_relative_to(PROJECT) else path}  {path.stat().st_size:,} bytes  "
              f"sha256 {hashlib.sha256(path.read_bytes()).hexdigest()[:16]}")
    testa = args.conll / "eng.testa"
    if testa.is_file():
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model))
        recogniser.tagger = tagger
        print("eng.testa (tuning set), recogniser alone, entity-level:")
        for kind, (p, r, f) in score(read_conll(testa), recogniser).items():
            print(f"  {kind:6s} P={p:.3f} R={r:.3f} F1={f:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
