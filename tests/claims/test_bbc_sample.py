"""Precision and recall of the claim finder on a hand-labelled BBC News business sample.

The fixture (``tests/fixtures/claims_bbc_business.tsv``) holds every sentence of
``../shared/corpora/bbc/business`` that the finder flagged before or after issue 13, plus 50 random
sentences with "%", "per cent" or "pct" it did not flag, each labelled by hand (see the file's
header). The sentences are in the fixture, so the test needs no corpus. The floors are the figures
in the README's claims section: a change that loses a right claim or adds a wrong one fails here.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from supplywatch.actors.gazetteer import load_gazetteer
from supplywatch.actors.mentions import find_mentions
from supplywatch.claims.finder import find_claims

FIXTURE = Path(__file__).parent.parent / "fixtures" / "claims_bbc_business.tsv"

#: The README's figures (claims section, "Measured accuracy"); the test fails below them.
PRECISION_FLOOR = 1.0
RECALL_FLOOR = 1.0
HOLDER_FLOOR = 1.0


def _norm(holder: str) -> str:
    h = holder.lower().replace("’", "'")
    h = re.sub(r"\b(?:the|corp|corporation|inc|ltd|plc|co|group)\b\.?", " ", h)
    return " ".join(re.sub(r"[^\w&+ ]", " ", h).split())


def _expected(cell: str) -> list[tuple[set[str], float, str]]:
    if cell.strip() == "-":
        return []
    out = []
    for part in cell.split(" | "):
        holder, value = part.rsplit("=", 1)
        value, _, when = value.partition("@")
        out.append(({_norm(h) for h in holder.split("/")}, float(value), when or "current"))
    return out


def _rows() -> list[tuple[str, str, str, list]]:
    rows = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        part, source, sentence, expected = line.split("\t")
        rows.append((part, source, sentence, _expected(expected)))
    return rows


def score(rows, gazetteer) -> dict:
    """Value precision/recall (a claim's share matches a labelled share of its sentence) and holder
    and time_ref accuracy over the matched values."""
    tp = fp = fn = holder_ok = when_ok = 0
    errors = []
    for _, source, sentence, gold in rows:
        mentions = [{"actor": m.actor, "actor_id": m.actor_id, "actor_type": m.actor_type, "kind": m.kind,
                     "start": m.start, "end": m.end} for m in find_mentions(sentence, gazetteer)]
        got = find_claims(sentence, mentions=mentions, lookup=gazetteer.lookup)
        want = Counter(round(v, 1) for _, v, _ in gold)
        have = Counter(round(c.share, 1) for c in got if c.share is not None)
        tp += sum((want & have).values())
        fp += sum((have - want).values())
        fn += sum((want - have).values())
        unused = list(gold)
        for c in got:
            match = next((g for g in unused if c.share is not None and round(c.share, 1) == round(g[1], 1)), None)
            if match is None:
                continue
            unused.remove(match)
            holder_ok += _norm(c.holder) in match[0]
            when_ok += c.time_ref == match[2]
        if want != have:
            errors.append((source, [(c.holder, c.share) for c in got]))
    return {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
            "holder": holder_ok / tp if tp else 1.0, "time_ref": when_ok / tp if tp else 1.0, "tp": tp, "fp": fp,
            "fn": fn, "errors": errors}


def test_fixture_is_the_documented_sample():
    rows = _rows()
    parts = Counter(part for part, *_ in rows)
    assert parts == {"A": 32, "B": 50}
    assert sum(len(gold) for *_, gold in rows) >= 20
    assert all(source.startswith("bbc/business/") for _, source, _, _ in rows)


def test_precision_recall_and_holders_stay_at_the_readme_figures():
    s = score(_rows(), load_gazetteer())
    assert s["precision"] >= PRECISION_FLOOR, s
    assert s["recall"] >= RECALL_FLOOR, s
    assert s["holder"] >= HOLDER_FLOOR, s


@pytest.mark.parametrize("source", [src for part, src, _, gold in _rows() if part == "B" and not gold])
def test_unflagged_non_claims_stay_unflagged(source):
    """Part B sentences are all non-claims (changes, rates, stakes, own totals): none may be flagged."""
    gazetteer = load_gazetteer()
    sentence = next(s for _, src, s, _ in _rows() if src == source)
    mentions = [{"actor": m.actor, "actor_id": m.actor_id, "actor_type": m.actor_type, "start": m.start,
                 "end": m.end} for m in find_mentions(sentence, gazetteer)]
    assert find_claims(sentence, mentions=mentions, lookup=gazetteer.lookup) == []
