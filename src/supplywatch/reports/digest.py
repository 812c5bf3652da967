"""What changed since the last run: a snapshot per run and a digest comparing two snapshots.

Every ``supplywatch render`` writes, into its run folder,

* ``snapshot/``: the few facts a later run compares against, as CSV (after the run's date, topic and
  actor filters): ``documents.csv`` (doc_id, sha256, date, title, story_id, n_copies),
  ``actors.csv`` (mentions, articles and distinct stories per actor), ``mentions_by_date.csv``
  (the same per publication date) and ``claims.csv`` (holder, metric, commodity, share, ...);
* ``digest.json``: what changed against the **previous successful run of the same corpus folder
  with the same parameters** (schema :data:`SCHEMA_VERSION`, see :func:`compare` and the README).

``supplywatch digest RUN_A RUN_B`` compares any two runs of an output folder the same way.

Example:
    >>> digest = compare(load_snapshot("reports/RUN_A"), load_snapshot("reports/RUN_B"))  # doctest: +SKIP
    >>> digest["counts"]                                                                  # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from supplywatch.exceptions import SupplywatchError

#: ``schema`` field of every digest.json.
SCHEMA = "supplywatch-digest"
#: Bumped only when a field changes meaning or disappears (new fields may be added within a version).
SCHEMA_VERSION = 1
#: The digest's file name inside a run folder.
DIGEST_FILE = "digest.json"
#: The snapshot's folder inside a run folder.
SNAPSHOT_DIR = "snapshot"
#: A figure "changed" when its value moved by at least this many percentage points.
MIN_CHANGE_PP = 1.0
#: Mention spikes: the latest day with dated articles against the mean of the days before it.
SPIKE_WINDOW_DAYS = 7
#: ... with at least this many mentions on the latest day ...
SPIKE_MIN_MENTIONS = 3
#: ... and at least this many times the trailing mean.
SPIKE_RATIO = 2.0
#: At most this many items per list in digest.json (``counts`` always has the full numbers).
MAX_ITEMS = 1000
#: The digest's lists, in the order they are shown.
KINDS = ("new_actors", "new_claims", "changed_figures", "mention_spikes", "articles_new",
         "articles_changed", "articles_gone")

_SNAPSHOT_FILES = ("documents", "actors", "mentions_by_date", "claims")
_DOC_COLUMNS = ["doc_id", "sha256", "date", "title", "story_id", "n_copies"]
_ACTOR_COLUMNS = ["actor_key", "actor_id", "actor", "actor_type", "mentions", "articles", "stories",
                  "first_doc_id", "first_date"]
_BY_DATE_COLUMNS = ["actor_key", "date", "mentions", "articles", "stories"]
_CLAIM_COLUMNS = ["holder_key", "holder", "holder_id", "metric", "commodity", "scope", "share", "qualifier",
                  "time_ref", "negated", "doc_id", "story_id", "sentence"]


class DigestError(SupplywatchError):
    """A run cannot be compared (no snapshot, unreadable files): the message says which and why."""


# --------------------------------------------------------------------------------------------
# Snapshots


def _key(ident: Any, name: Any) -> str:
    """An actor's or holder's key: the gazetteer id, else ``name:`` and the name in lower case."""
    ident = "" if ident is None or (isinstance(ident, float) and math.isnan(ident)) else str(ident).strip()
    return ident if ident else "name:" + " ".join(str(name or "").split()).casefold()


def snapshot_tables(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The snapshot of an analysis (its tables after the report's filters): four small tables.

    Mentions are counted per actor (key: gazetteer id, else ``name:<name>``) with the distinct
    articles and distinct stories (near-duplicate groups, ``story_id``) that name it.
    """
    docs = tables.get("documents", pd.DataFrame()).copy()
    for column in _DOC_COLUMNS:
        if column not in docs:
            docs[column] = docs["doc_id"] if column == "story_id" and "doc_id" in docs else (1 if column == "n_copies" else "")
    docs = docs[_DOC_COLUMNS].fillna({"date": "", "title": "", "sha256": ""}).sort_values("doc_id")
    lookup = docs.set_index("doc_id")[["date", "story_id"]]
    mentions = tables.get("mentions", pd.DataFrame())
    if len(mentions):
        m = mentions[["doc_id", "actor_id", "actor", "actor_type"]].copy()
        m["actor_key"] = [_key(i, n) for i, n in zip(m["actor_id"], m["actor"])]
        m = m.join(lookup, on="doc_id")
        m["date"] = m["date"].fillna("")
        m["story_id"] = m["story_id"].fillna(m["doc_id"])
        actors = m.groupby("actor_key", sort=True).agg(
            actor_id=("actor_id", "first"), actor=("actor", "first"), actor_type=("actor_type", "first"),
            mentions=("doc_id", "size"), articles=("doc_id", "nunique"), stories=("story_id", "nunique"),
            first_doc_id=("doc_id", "min"),
            first_date=("date", lambda d: min((x for x in d if x), default=""))).reset_index()
        dated = m[m["date"] != ""]
        by_date = dated.groupby(["actor_key", "date"], sort=True).agg(
            mentions=("doc_id", "size"), articles=("doc_id", "nunique"),
            stories=("story_id", "nunique")).reset_index()
    else:
        actors, by_date = pd.DataFrame(columns=_ACTOR_COLUMNS), pd.DataFrame(columns=_BY_DATE_COLUMNS)
    claims = tables.get("claims", pd.DataFrame())
    if len(claims):
        c = claims.copy()
        for column in _CLAIM_COLUMNS:
            if column not in c and column not in ("holder_key", "story_id"):
                c[column] = ""
        c["holder_key"] = [_key(i, n) for i, n in zip(c["holder_id"], c["holder"])]
        c = c.join(lookup[["story_id"]], on="doc_id")
        c["story_id"] = c["story_id"].fillna(c["doc_id"])
        c = c[_CLAIM_COLUMNS].sort_values(["holder_key", "metric", "commodity", "doc_id"], kind="stable")
    else:
        c = pd.DataFrame(columns=_CLAIM_COLUMNS)
    return {"documents": docs.reset_index(drop=True), "actors": actors[_ACTOR_COLUMNS],
            "mentions_by_date": by_date[_BY_DATE_COLUMNS], "claims": c.reset_index(drop=True)}


def write_snapshot(run_dir: str | os.PathLike, tables: Mapping[str, pd.DataFrame]) -> Path:
    """Write :func:`snapshot_tables` as CSV into ``run_dir/snapshot/``; return the folder."""
    from supplywatch.io import write_csv

    folder = Path(run_dir) / SNAPSHOT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in snapshot_tables(tables).items():
        write_csv(frame, folder / f"{name}.csv")
    return folder


def load_snapshot(run_dir: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """A run's snapshot tables.

    Raises:
        DigestError: the run folder has no ``snapshot/`` (rendered before digests existed, or not a
            run folder) or a file in it cannot be read.
    """
    folder = Path(run_dir) / SNAPSHOT_DIR
    if not folder.is_dir():
        raise DigestError(f"{run_dir} has no {SNAPSHOT_DIR}/ folder: it is not a run folder, or it was rendered "
                          "before supplywatch wrote digests; render the corpus again to compare with it")
    out = {}
    for name in _SNAPSHOT_FILES:
        path = folder / f"{name}.csv"
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (OSError, ValueError) as exc:
            raise DigestError(f"cannot read {path} ({exc}); render the corpus again") from None
        for column in ("mentions", "articles", "stories", "n_copies"):
            if column in frame:
                frame[column] = pd.to_numeric(frame[column], errors="coerce").fillna(0).astype("int64")
        if "share" in frame:
            frame["share"] = pd.to_numeric(frame["share"], errors="coerce")
        out[name] = frame
    return out


# --------------------------------------------------------------------------------------------
# Comparing two snapshots


def _number(value: Any, digits: int = 2) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else round(value, digits)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = frame.to_dict("records")
    for row in rows:
        for k, v in row.items():
            if isinstance(v, float) and math.isnan(v):
                row[k] = None
            elif hasattr(v, "item"):  # numpy scalars -> Python
                row[k] = v.item()
    return rows


def _affirmed(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims that state a figure: negated claims left out."""
    if claims.empty:
        return claims
    negated = claims["negated"].astype(str).str.lower().isin(("true", "1", "yes"))
    return claims[~negated]


def _today(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims about the present: the earlier figure of a change ("down from 98 per cent", ``time_ref``
    ``previous``) and forecasts are left out (a snapshot written before ``time_ref`` existed keeps all)."""
    if claims.empty or "time_ref" not in claims:
        return claims
    return claims[claims["time_ref"].fillna("").astype(str).isin(("", "current"))]


def _claim_values(claims: pd.DataFrame) -> pd.DataFrame:
    c = _affirmed(claims).copy()
    c["value"] = [_number(s) for s in c["share"]] if len(c) else []
    c["value_key"] = [f"{v:g}" if v is not None else f"({q})" for v, q in zip(c["value"], c["qualifier"])] if len(c) else []
    return c


def new_claims(previous: pd.DataFrame, current: pd.DataFrame) -> list[dict[str, Any]]:
    """Claims (holder, metric, commodity, value) in ``current`` that ``previous`` does not have (claims
    about the present only: earlier figures and forecasts are not news of a share)."""
    cur, prev = _claim_values(_today(current)), _claim_values(_today(previous))
    if cur.empty:
        return []
    keys = ["holder_key", "metric", "commodity", "value_key"]
    seen = set(map(tuple, prev[keys].values.tolist())) if len(prev) else set()
    groups = cur.groupby(keys, sort=True).agg(
        holder=("holder", "first"), holder_id=("holder_id", "first"), value=("value", "first"),
        qualifier=("qualifier", "first"), scope=("scope", "first"), claims=("doc_id", "size"),
        stories=("story_id", "nunique"), doc_id=("doc_id", "min"), sentence=("sentence", "first")).reset_index()
    fresh = groups[[tuple(k) not in seen for k in groups[keys].values.tolist()]]
    return _records(fresh[["holder", "holder_id", "metric", "commodity", "value", "qualifier", "scope", "claims",
                           "stories", "doc_id", "sentence"]])


def _figures(claims: pd.DataFrame) -> pd.DataFrame:
    """Per holder, metric and commodity: the median over distinct stories of each story's mean share."""
    c = _claim_values(_today(claims))
    c = c[c["value"].notna()] if len(c) else c
    if c.empty:
        return pd.DataFrame(columns=["holder_key", "metric", "commodity", "holder", "holder_id", "value", "stories"])
    keys = ["holder_key", "metric", "commodity"]
    per_story = c.groupby(keys + ["story_id"], sort=True).agg(
        value=("value", "mean"), holder=("holder", "first"), holder_id=("holder_id", "first")).reset_index()
    return per_story.groupby(keys, sort=True).agg(
        holder=("holder", "first"), holder_id=("holder_id", "first"), value=("value", "median"),
        stories=("story_id", "nunique")).reset_index()


def changed_figures(previous: pd.DataFrame, current: pd.DataFrame, *, min_pp: float = MIN_CHANGE_PP) -> list[dict[str, Any]]:
    """Figures (holder, metric, commodity) whose value moved by at least ``min_pp`` points (today's
    figures only, ``time_ref`` ``current``: "down from 98 per cent" is not the holder's share now)."""
    keys = ["holder_key", "metric", "commodity"]
    both = _figures(current).merge(_figures(previous), on=keys, suffixes=("", "_previous"))
    if both.empty:
        return []
    both["change_pp"] = (both["value"] - both["value_previous"]).round(2)
    moved = both[both["change_pp"].abs() >= min_pp - 1e-9].copy()
    moved["value"] = moved["value"].round(2)
    moved["previous_value"] = moved["value_previous"].round(2)
    moved = moved.assign(size=moved["change_pp"].abs()).sort_values(["size"] + keys, ascending=[False, True, True, True])
    return _records(moved.rename(columns={"stories_previous": "previous_stories"})[
        ["holder", "holder_id", "metric", "commodity", "previous_value", "value", "change_pp", "previous_stories",
         "stories"]])


def new_actors(previous: pd.DataFrame, current: pd.DataFrame) -> list[dict[str, Any]]:
    """Actors ``current`` mentions that ``previous`` never did (first seen), most mentioned first."""
    seen = set(previous["actor_key"]) if len(previous) else set()
    fresh = current[~current["actor_key"].isin(seen)] if len(current) else current
    if fresh.empty:
        return []
    fresh = fresh.sort_values(["mentions", "actor_key"], ascending=[False, True])
    return _records(fresh[["actor", "actor_id", "actor_type", "mentions", "articles", "stories", "first_doc_id",
                           "first_date"]])


def mention_spikes(by_date: pd.DataFrame, actors: pd.DataFrame, latest: str, *, window: int = SPIKE_WINDOW_DAYS,
                   min_mentions: int = SPIKE_MIN_MENTIONS, ratio: float = SPIKE_RATIO) -> list[dict[str, Any]]:
    """Actors mentioned unusually often on the latest day (``latest``, YYYY-MM-DD) of the run.

    Rule: mentions on ``latest`` >= ``min_mentions`` and >= ``ratio`` x the trailing mean, the mean
    of the actor's mentions per day over the ``window`` calendar days before ``latest`` (days without
    a mention count as 0). ``ratio`` in the result is ``None`` when the trailing mean is 0.
    """
    if not latest or by_date.empty:
        return []
    try:
        day = date.fromisoformat(latest)
    except ValueError:
        return []
    first = (day - timedelta(days=window)).isoformat()
    today = by_date[by_date["date"] == latest]
    before = by_date[(by_date["date"] >= first) & (by_date["date"] < latest)].groupby("actor_key")["mentions"].sum()
    names = actors.set_index("actor_key") if len(actors) else pd.DataFrame()
    items = []
    for row in today.itertuples(index=False):
        mean = float(before.get(row.actor_key, 0)) / window
        if row.mentions >= min_mentions and row.mentions >= ratio * mean:
            info = names.loc[row.actor_key] if row.actor_key in names.index else {}
            items.append({"actor": info.get("actor", row.actor_key), "actor_id": info.get("actor_id", ""),
                          "actor_type": info.get("actor_type", ""), "period": latest, "mentions": int(row.mentions),
                          "stories": int(row.stories), "trailing_mean": round(mean, 2),
                          "ratio": round(row.mentions / mean, 2) if mean else None})
    return sorted(items, key=lambda i: (-(i["ratio"] or math.inf), -i["mentions"], str(i["actor"])))


def article_changes(previous: pd.DataFrame, current: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Articles new, changed (same doc_id, other sha256) and gone between two documents tables."""
    prev = previous.set_index("doc_id")
    cur = current.set_index("doc_id")
    new = cur.index.difference(prev.index)
    gone = prev.index.difference(cur.index)
    common = cur.index.intersection(prev.index)
    changed = common[(cur.loc[common, "sha256"] != prev.loc[common, "sha256"]).to_numpy()]
    return {
        "articles_new": [{"doc_id": d, "title": cur.at[d, "title"], "date": cur.at[d, "date"]} for d in new],
        "articles_changed": [{"doc_id": d, "title": cur.at[d, "title"], "previous_sha256": prev.at[d, "sha256"],
                              "sha256": cur.at[d, "sha256"]} for d in changed],
        "articles_gone": [{"doc_id": d, "title": prev.at[d, "title"], "date": prev.at[d, "date"]} for d in gone],
    }


def _latest_date(documents: pd.DataFrame) -> str:
    dates = [d for d in documents.get("date", []) if d]
    return max(dates) if dates else ""


def _run_info(run: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not run:
        return None
    return {k: run.get(k, "") for k in ("run_id", "started", "corpus", "corpus_hash", "n_documents")}


def compare(previous: Mapping[str, pd.DataFrame] | None, current: Mapping[str, pd.DataFrame], *,
            run: Mapping[str, Any] | None = None, previous_run: Mapping[str, Any] | None = None,
            parameters: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The digest (a JSON-ready dict, schema :data:`SCHEMA_VERSION`) of ``current`` against ``previous``.

    ``previous`` None gives a first-run digest (status ``first_run``, every list empty).
    """
    counts = {kind: 0 for kind in KINDS}
    lists: dict[str, list] = {kind: [] for kind in KINDS}
    latest = _latest_date(current["documents"])
    if previous is None:
        status = "first_run"
        message = "First run of this corpus folder with these parameters: nothing to compare yet."
    else:
        lists["new_actors"] = new_actors(previous["actors"], current["actors"])
        lists["new_claims"] = new_claims(previous["claims"], current["claims"])
        lists["changed_figures"] = changed_figures(previous["claims"], current["claims"])
        lists["mention_spikes"] = mention_spikes(current["mentions_by_date"], current["actors"], latest)
        lists.update(article_changes(previous["documents"], current["documents"]))
        counts = {kind: len(lists[kind]) for kind in KINDS}
        status = "compared"
        since = f"run {previous_run['run_id']}" if previous_run else "the previous run"
        total = sum(counts.values())
        message = (f"{total} change(s) since {since}." if total else f"Nothing changed since {since}.")
    docs = current["documents"]
    digest: dict[str, Any] = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "status": status,
        "message": message,
        "run": _run_info(run),
        "previous_run": _run_info(previous_run),
        "parameters": dict(parameters or {}),
        "rules": {"min_change_pp": MIN_CHANGE_PP, "spike_window_days": SPIKE_WINDOW_DAYS,
                  "spike_min_mentions": SPIKE_MIN_MENTIONS, "spike_ratio": SPIKE_RATIO, "latest_period": latest,
                  "max_items": MAX_ITEMS},
        "articles": int(len(docs)),
        "stories": int(docs["story_id"].nunique()) if len(docs) else 0,
        "counts": counts,
    }
    digest["truncated"] = {kind: max(0, len(lists[kind]) - MAX_ITEMS) for kind in KINDS}
    for kind in KINDS:
        digest[kind] = lists[kind][:MAX_ITEMS]
    return digest


def digest_json(digest: Mapping[str, Any]) -> str:
    """The digest as JSON text (UTF-8, keys in schema order, two-space indent, newline at the end)."""
    return json.dumps(digest, ensure_ascii=False, indent=2, default=str) + "\n"


def write_digest(run_dir: str | os.PathLike, digest: Mapping[str, Any]) -> Path:
    """Write ``digest.json`` into ``run_dir`` atomically."""
    from supplywatch.io import atomic_write_text

    return atomic_write_text(Path(run_dir) / DIGEST_FILE, digest_json(digest))


def read_digest(run_dir: str | os.PathLike) -> dict[str, Any] | None:
    """A run folder's digest.json, or None when it has none (or it is unreadable)."""
    try:
        return json.loads((Path(run_dir) / DIGEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
