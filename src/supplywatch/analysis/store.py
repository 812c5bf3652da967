"""The article store: per-article analysis rows kept between runs, so a re-run analyses only what changed.

Every article gets a key (:func:`article_key`): sha256 over what the loader made of it (doc_id,
path, content hash, date, title, source, url, metadata, problems). The store keeps, per analysis
version (:func:`supplywatch.analysis.cache.resources_key`: package version and source, every file
under ``data/``, the gazetteer, the extractors, accumulators and aggregators), three things:

* **segments**: the per-article rows of every table (mentions, quotes, tokens, ...) of the articles
  one run analysed, as uncompressed Arrow IPC files (fast to read back) with a ``_key`` column;
  ``index.json`` maps each article key to its segment;
* **file replays**: what the loader read from one corpus file (its Documents and Problems, in
  order), keyed by the file's sha256, so an unchanged file is not parsed again (a quick check on
  path, size, modification and status-change time (ctime, which no tool sets back) and inode skips even the hashing);
* **snapshots**: the streaming aggregates (term counts, unknown actors, near-duplicate signatures,
  co-mention counts and recognised names) after the whole corpus of a run, keyed by the chain
  hash of its article keys in order, with the list of those keys beside it: a corpus that only
  grew at the end feeds them only the new articles, and one that grew in the middle (or lost
  articles but kept every article of the snapshot) feeds the order-independent ones only the
  articles the snapshot lacks (:mod:`supplywatch.analysis.incremental`).

Layout: ``ROOT/<version>/index.json``, ``ROOT/<version>/seg/<id>/``, ``ROOT/<version>/files/``,
``ROOT/<version>/snap/``, and ``ROOT/.lock``.

Concurrency and crashes: everything is written to a temporary name and renamed into place;
``index.json`` is replaced atomically after the files it names exist, under an exclusive ``flock``
on ``ROOT/.lock`` (writers merge their additions into the newest index, never overwrite another's).
Readers take no lock: a file that vanished under them (evicted by another process) is a miss and
those articles are analysed again. A killed run leaves at most unreferenced temporary folders,
removed by a later commit.

Bounds (eviction): at most :data:`MAX_BYTES` (``SUPPLYWATCH_STORE_MAX_BYTES``) per store; when a
commit goes over, the least recently used segments, file replays and snapshots are removed first;
only the newest :data:`MAX_SNAPSHOTS` snapshots and :data:`MAX_VERSIONS` analysis versions are kept.
An evicted article is simply analysed again when it is next seen.

Snapshots are pickles of supplywatch's own aggregate objects: the store trusts its folder like any
cache (it is written only by supplywatch; do not load a store someone else gave you).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pickle
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa

from supplywatch.analysis.spool import read_part, write_part
from supplywatch.corpus.model import Document, Problem
from supplywatch.hashing import file_sha256, parts_sha256
from supplywatch.parts import rows_to_table

#: Bump when the stored layout changes.
STORE_FORMAT = 6
#: Bytes kept per store (segments, file replays, snapshots) before the least recently used go.
MAX_BYTES = int(os.environ.get("SUPPLYWATCH_STORE_MAX_BYTES", 4 * 1024 ** 3))
#: Snapshots of the streaming aggregates kept per version.
MAX_SNAPSHOTS = 2
#: Analysis versions kept (the current one and the most recently used others).
MAX_VERSIONS = 2
#: File replays per pack file (bytes of text, about).
PACK_BYTES = 32 * 1024 * 1024
#: Packs of file replays kept in memory while a corpus is read.
PACKS_IN_MEMORY = 4
#: A file modified this recently (seconds) is hashed even when path, size and mtime match.
RACY_SECONDS = 2.0
#: Temporary folders older than this (seconds) are left-overs of killed runs.
STALE_TMP_SECONDS = 3600.0
KEY_COLUMN = "_key"


_KEY_ATTRIBUTE = "_article_key"
_ROW_ATTRIBUTE = "_stored_row"


def remember_key(doc: Document, key: str) -> None:
    """Keep a replayed article's key on it (computed when its file was first read).

    The key holds while the article keeps the doc_id and problems it was read with: the loader
    renames a doc_id already taken (``~2``) after reading, and then the key is computed again.
    """
    object.__setattr__(doc, _KEY_ATTRIBUTE, (key, doc.doc_id, len(doc.problems)))


def _unchanged(doc: Document, remembered) -> bool:
    return remembered is not None and remembered[1] == doc.doc_id and remembered[2] == len(doc.problems)


def article_key(doc: Document) -> str:
    """The article's identity for the store: sha256 of everything the loader made of it.

    ``doc.sha256`` already covers the text (the file's or record's bytes); the other fields are
    hashed too, so an article that moved or was relabelled is a different article.
    """
    known = getattr(doc, _KEY_ATTRIBUTE, None)
    if _unchanged(doc, known):
        return known[0]
    blob = json.dumps([doc.doc_id, doc.path, doc.sha256, doc.date, doc.title, doc.source, doc.url,
                       list(doc.problems), sorted(doc.meta.items())], ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def chain_hash(keys: Iterable[str]) -> str:
    """sha256 over article keys in order (identifies a corpus prefix for a snapshot)."""
    h = hashlib.sha256()
    for key in keys:
        h.update(key.encode("ascii"))
    return h.hexdigest()


class ArticleStore:
    """Per-article rows, file replays and aggregate snapshots of one analysis version under ``root``.

    Args:
        root: the store folder (``data/cache/articles`` by default in :func:`analyze_corpus`).
        version: the analysis version (:func:`supplywatch.analysis.cache.resources_key`).
        max_bytes: the size bound (see module docstring).
    """

    def __init__(self, root: str | os.PathLike, version: str, *, max_bytes: int = MAX_BYTES) -> None:
        self.root = Path(root)
        self.version = version
        self.dir = self.root / version[:32]
        self.max_bytes = max_bytes
        self.index = self._read_index()
        self._used_segments: set[str] = set()
        self._used_files: set[str] = set()
        self._used_packs: set[str] = set()
        self._pending_rows: list[dict] = []   # file replays not yet written to a pack
        self._pending_files: dict[str, None] = {}
        self._pending_docs: list[dict] = []   # their documents rows (as the engine spools them)
        self._doc_rows: dict[str, pa.Table] = {}
        self._pending_size = 0
        self._written: dict[str, dict] = {}   # content key -> {"pack": id}, registered at commit
        self._new_quick: dict[str, str] = {}
        self._packs: dict[str, tuple[dict[str, list], dict[str, list[int]]]] = {}
        self._pack_sizes: dict[str, int] = {}
        self._now = time.time()

    # ---- index ------------------------------------------------------------------------------

    def _read_index(self) -> dict:
        try:
            data = json.loads((self.dir / "index.json").read_text(encoding="utf-8"))
            if data.get("format") == STORE_FORMAT and data.get("version") == self.version:
                return data
        except (OSError, ValueError, AttributeError):
            pass
        return _empty_index(self.version)

    def has(self, key: str) -> bool:
        return key in self.index["articles"]

    # ---- file replays ----------------------------------------------------------------------

    def read_file(self, file: Path, base: Path, rel: str, read, variant: str = "") -> Iterator[Document | Problem]:
        """The loader's items for one corpus file: replayed when stored, else read (and stored at commit).

        ``read()`` gives the loader's own items (:func:`supplywatch.corpus.loader.iter_corpus`);
        ``variant`` names what else shapes them (part of the file's replay key).
        """
        try:
            st = file.stat()
        except OSError:
            yield from read()
            return
        # ctime too: an edit that keeps the size and sets the modification time back still changes it
        quick = _sha(rel, variant, str(st.st_size), str(st.st_mtime_ns), str(st.st_ctime_ns), str(st.st_ino))
        content = self.index["quick"].get(quick)
        if content is None or content not in self.index["files"]:
            try:
                content = _sha(rel, variant, file_sha256(file))
            except OSError:
                yield from read()
                return
            if self._now - st.st_mtime > RACY_SECONDS:
                self._new_quick[quick] = content
        items = self._replay(content)
        if items is not None:
            self._used_files.add(content)
            yield from items
            return
        items = list(read())
        if content not in self._written and content not in self._pending_files:
            for it in items:
                row = _replay_row(content, it)
                if isinstance(it, Document):
                    row["docrow"] = len(self._pending_docs)
                    doc_row = it.as_row()
                    doc_row.pop("text")
                    self._pending_docs.append(doc_row)
                self._pending_rows.append(row)
            self._pending_files[content] = None
            self._pending_size += sum(len(it.text) + 300 if isinstance(it, Document) else 300 for it in items)
            if self._pending_size >= PACK_BYTES:
                self._flush_pack()
        yield from items

    def _replay(self, content: str) -> list[Document | Problem] | None:
        pack = self.index["files"].get(content, {}).get("pack")
        if pack is None:
            return None
        packed = self._pack(pack)
        if packed is None:
            return None
        cols, grouped = packed
        kinds, docrows, keys = cols["kind"], cols["docrow"], cols["key"]
        with_rows = pack in self._doc_rows
        items: list[Document | Problem] = []
        for i in grouped.get(content, ()):
            if kinds[i] == "problem":
                items.append(Problem(cols["path"][i], cols["line"][i], cols["severity"][i], cols["message"][i]))
                continue
            problems, meta = cols["problems"][i], cols["meta"][i]
            doc = Document(doc_id=cols["doc_id"][i], path=cols["path"][i], text=cols["text"][i],
                           sha256=cols["sha256"][i], date=cols["date"][i], title=cols["title"][i],
                           source=cols["source"][i], url=cols["url"][i],
                           problems=[] if problems == "[]" else json.loads(problems),
                           meta={} if meta == "{}" else json.loads(meta))
            if keys[i]:
                remember_key(doc, keys[i])
            if docrows[i] is not None and with_rows:
                object.__setattr__(doc, _ROW_ATTRIBUTE, (pack, docrows[i], doc.doc_id, len(doc.problems)))
            items.append(doc)
        return items

    def replayed(self, doc: Document) -> bool:
        """Whether the article's documents row can be cut from the stored rows (:meth:`documents_part`):
        it was replayed and still has the doc_id it was stored with (the loader renames a taken one)."""
        ref = getattr(doc, _ROW_ATTRIBUTE, None)
        return ref is not None and ref[0] in self._doc_rows and _unchanged(doc, ref[1:])

    def documents_part(self, chunk: list[Document]) -> pa.Table | None:
        """The documents-table part of a chunk of replayed articles, cut from the stored rows (the
        same table :func:`supplywatch.analysis.engine.spool_documents` builds, without Python rows);
        None when an article of the chunk was not replayed."""
        from supplywatch.corpus.model import META_PREFIX

        if not chunk or not all(self.replayed(doc) for doc in chunk):
            return None
        refs = [getattr(doc, _ROW_ATTRIBUTE)[:2] for doc in chunk]
        runs: list[list] = []  # consecutive stored rows of one pack: [pack, first row, count]
        for pack, i in refs:
            if runs and runs[-1][0] == pack and runs[-1][1] + runs[-1][2] == i:
                runs[-1][2] += 1
            else:
                runs.append([pack, i, 1])
        try:
            table = pa.concat_tables([self._doc_rows[pack].slice(i, n) for pack, i, n in runs],
                                     promote_options="permissive").combine_chunks()  # own, compact buffers
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None
        columns = list(_DOC_COLUMNS)
        for doc in chunk:  # as rows_to_table: the columns in the order the rows first name them
            columns.extend(META_PREFIX + k for k in doc.meta if META_PREFIX + k not in columns)
        if any(c not in table.column_names for c in columns):
            return None
        return table.select(columns)

    def _pack(self, pack: str) -> tuple[dict[str, list], dict[str, list[int]]] | None:
        """A pack of file replays: its columns (as lists) and each file's row numbers (the last
        :data:`PACKS_IN_MEMORY` read stay in memory)."""
        if pack in self._packs:
            self._packs[pack] = self._packs.pop(pack)  # most recently used last
            return self._packs[pack]
        try:
            table = read_part(self.dir / "files" / f"{pack}.arrow")
            if any(name not in table.column_names for name in _REPLAY_SCHEMA.names):
                return None
            cols = table.to_pydict()  # columns at once: several times faster than a dict per row
        except (OSError, pa.ArrowException):
            return None
        try:
            self._doc_rows[pack] = read_part(self.dir / "files" / f"{pack}.docs.arrow")
        except (OSError, pa.ArrowException):
            self._doc_rows.pop(pack, None)  # replayed, but the documents rows are built again
        grouped: dict[str, list[int]] = {}
        for i, file in enumerate(cols["file"]):
            grouped.setdefault(file, []).append(i)
        self._packs[pack] = (cols, grouped)
        while len(self._packs) > PACKS_IN_MEMORY:
            self._packs.pop(next(iter(self._packs)))  # its documents rows stay: chunks may still use them
        self._used_packs.add(pack)
        return self._packs[pack]

    def _flush_pack(self) -> None:
        """Write the pending file replays as one pack (registered in the index at commit)."""
        if not self._pending_rows:
            return
        rows, contents, docs = self._pending_rows, self._pending_files, self._pending_docs
        self._pending_rows, self._pending_files, self._pending_size, self._pending_docs = [], {}, 0, []
        pack = uuid.uuid4().hex[:16]
        target = self.dir / "files" / f"{pack}.arrow"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".tmp-{pack}.arrow")
            write_part(pa.Table.from_pylist(rows, schema=_REPLAY_SCHEMA), tmp)
            size = tmp.stat().st_size
            doc_rows = rows_to_table(docs)
            if isinstance(doc_rows, pa.Table):  # else replayed without them (rows Arrow cannot type)
                docs_tmp = target.with_name(f".tmp-{pack}.docs.arrow")
                write_part(doc_rows, docs_tmp)
                size += docs_tmp.stat().st_size
                os.replace(docs_tmp, target.with_name(f"{pack}.docs.arrow"))
            os.replace(tmp, target)
            self._pack_sizes[pack] = size
            self._written.update((c, {"pack": pack}) for c in contents)
        except (OSError, pa.ArrowException, TypeError, ValueError, OverflowError):
            pass  # not stored: those files are read again next time

    # ---- segments ----------------------------------------------------------------------------

    def new_segment(self):
        """A :class:`supplywatch.analysis.segment.SegmentWriter` for this run's new articles."""
        from supplywatch.analysis.segment import SegmentWriter

        return SegmentWriter(self)

    def read_rows(self, keys: Iterable[str], *, skip_tables: dict[str, set[str]] | None = None,
                  only: set[str] | None = None) -> tuple[dict[str, list[pa.Table]], list[str], set[str]]:
        """The stored rows of ``keys``: ``({table: [Arrow parts with _key]}, table order, keys missing)``.

        ``skip_tables[name]`` names keys whose rows of table ``name`` are not needed (a snapshot
        already holds them); ``only``, when given, names the tables to read. Keys not stored, or
        whose segment cannot be read, are returned as missing.
        """
        wanted: dict[str, set[str]] = {}
        missing: set[str] = set()
        for key in keys:
            seg = self.index["articles"].get(key)
            if seg is None:
                missing.add(key)  # not stored (or evicted)
            else:
                wanted.setdefault(seg, set()).add(key)
        out: dict[str, list[pa.Table]] = {}
        order: list[str] = []
        for seg in sorted(wanted, key=lambda s: self.index["segments"].get(s, {}).get("created", 0)):
            keys_here = wanted[seg]
            try:
                manifest = json.loads((self.dir / "seg" / seg / "manifest.json").read_text(encoding="utf-8"))
                parts: dict[str, list[pa.Table]] = {}
                value_sets: dict[int, pa.Array] = {}
                for name, files in manifest["tables"].items():
                    if only is not None and name not in only:
                        continue
                    skip = (skip_tables or {}).get(name)
                    needed = keys_here - skip if skip else keys_here
                    if not needed:
                        continue
                    tables = [read_part(self.dir / "seg" / seg / f) for f in files]
                    if len(needed) == manifest.get("n"):  # every article of the segment: no filter
                        parts[name] = tables
                        continue
                    values = value_sets.get(len(needed)) if needed is keys_here else None
                    if values is None:
                        values = pa.array(sorted(needed), pa.string())
                        if needed is keys_here:
                            value_sets[len(needed)] = values
                    parts[name] = [_select(t, values) for t in tables]
            except (OSError, ValueError, KeyError, pa.ArrowException):
                missing |= keys_here
                continue
            for name in manifest["tables"]:
                if name not in order:
                    order.append(name)
            for name, tables in parts.items():
                out.setdefault(name, []).extend(tables)
            self._used_segments.add(seg)
        return out, order, missing

    # ---- snapshots --------------------------------------------------------------------------

    def snapshots(self) -> list[dict]:
        """Stored snapshots, newest first: ``{"id", "n", "chain"}``."""
        return sorted(self.index["snapshots"], key=lambda s: -s.get("used", 0))

    def snapshot_keys(self, snap: dict) -> list[str] | None:
        """The article keys a snapshot counted, in its run's corpus order (None when unreadable)."""
        try:
            keys = (self.dir / "snap" / f"{snap['id']}.keys").read_text(encoding="ascii").split()
        except (OSError, ValueError):
            return None
        return keys if len(keys) == int(snap.get("n", -1)) else None

    def load_snapshot(self, snap: dict):
        try:
            with open(self.dir / "snap" / f"{snap['id']}.pickle", "rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return None

    # ---- commit ------------------------------------------------------------------------------

    @contextmanager
    def _locked(self):
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def commit(self, segment=None, *, snapshot=None, order_keys: list[str] | None = None,
               used_snapshot: str | None = None) -> None:
        """Publish a run's new segment, file replays and snapshot; mark what it used; evict.

        Never raises for a full or read-only disk: the store is a cache, the analysis result stands.
        """
        try:
            self._commit(segment, snapshot, order_keys, used_snapshot)
        except OSError:
            if segment is not None:
                segment.discard()

    def _commit(self, segment, snapshot, order_keys, used_snapshot) -> None:
        snap_entry = None
        if snapshot is not None and order_keys is not None:
            snap_entry = self._write_snapshot(snapshot, order_keys)
        self._flush_pack()
        with self._locked():
            index = self._read_index()  # another process may have committed since we read it
            now = time.time()
            if segment is not None and segment.keys:
                seg_id, size = segment.publish()
                if seg_id:
                    index["segments"][seg_id] = {"bytes": size, "created": now, "used": now}
                    for key in segment.keys:
                        index["articles"][key] = seg_id
            for seg in self._used_segments:
                if seg in index["segments"]:
                    index["segments"][seg]["used"] = now
            index["files"].update(self._written)
            for pack, size in self._pack_sizes.items():
                index["packs"][pack] = {"bytes": size, "used": now}
            for pack in self._used_packs:
                if pack in index["packs"]:
                    index["packs"][pack]["used"] = now
            index["quick"].update(self._new_quick)
            if snap_entry is not None:
                index["snapshots"] = [s for s in index["snapshots"] if s["id"] != snap_entry["id"]]
                index["snapshots"].append(dict(snap_entry, used=now))
            for snap in index["snapshots"]:
                if snap["id"] == used_snapshot:
                    snap["used"] = now
            self._evict(index)
            _atomic_json(self.dir / "index.json", index)
            self.index = index
            self._prune_versions()
        self._used_segments.clear()
        self._used_files.clear()
        self._used_packs.clear()
        self._written.clear()
        self._new_quick.clear()
        self._pack_sizes.clear()

    def _write_snapshot(self, snapshot, order_keys: list[str]) -> dict | None:
        chain = chain_hash(order_keys)
        target = self.dir / "snap" / f"{chain[:32]}.pickle"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".tmp-{uuid.uuid4().hex}.pickle")
            with open(tmp, "wb") as fh:
                pickle.dump(snapshot, fh, protocol=pickle.HIGHEST_PROTOCOL)
            keys_tmp = target.with_name(f".tmp-{uuid.uuid4().hex}.keys")
            keys_tmp.write_text("\n".join(order_keys), encoding="ascii")
            os.replace(keys_tmp, target.with_suffix(".keys"))  # before the pickle: a snapshot always has its keys
            os.replace(tmp, target)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            return None  # an aggregate that cannot be pickled: no snapshot, full feeding next time
        return {"id": chain[:32], "n": len(order_keys), "chain": chain,
                "bytes": target.stat().st_size + target.with_suffix(".keys").stat().st_size}

    def _evict(self, index: dict) -> None:
        """Drop the oldest snapshots beyond MAX_SNAPSHOTS, then LRU entries while over max_bytes."""
        snaps = sorted(index["snapshots"], key=lambda s: -s.get("used", 0))
        for old in snaps[MAX_SNAPSHOTS:]:
            self._remove_snapshot(old["id"])
        index["snapshots"] = snaps[:MAX_SNAPSHOTS]
        entries = ([("seg", k, v) for k, v in index["segments"].items()]
                   + [("pack", k, v) for k, v in index["packs"].items()]
                   + [("snap", s["id"], s) for s in index["snapshots"]])
        total = sum(v.get("bytes", 0) for _, _, v in entries)
        for kind, name, meta in sorted(entries, key=lambda e: e[2].get("used", 0)):
            if total <= self.max_bytes:
                break
            total -= meta.get("bytes", 0)
            if kind == "seg":
                shutil.rmtree(self.dir / "seg" / name, ignore_errors=True)
                del index["segments"][name]
            elif kind == "pack":
                (self.dir / "files" / f"{name}.arrow").unlink(missing_ok=True)
                (self.dir / "files" / f"{name}.docs.arrow").unlink(missing_ok=True)
                del index["packs"][name]
            else:
                self._remove_snapshot(name)
                index["snapshots"] = [s for s in index["snapshots"] if s["id"] != name]
        live = set(index["segments"])
        index["articles"] = {k: s for k, s in index["articles"].items() if s in live}
        referenced = set(index["articles"].values())
        for name in [s for s in index["segments"] if s not in referenced]:  # superseded by a later run's
            shutil.rmtree(self.dir / "seg" / name, ignore_errors=True)
            del index["segments"][name]
        packs = set(index["packs"])
        index["files"] = {c: f for c, f in index["files"].items() if f.get("pack") in packs}
        index["quick"] = {q: c for q, c in index["quick"].items() if c in index["files"]}
        self._remove_stale_tmp()

    def _remove_snapshot(self, snap_id: str) -> None:
        (self.dir / "snap" / f"{snap_id}.pickle").unlink(missing_ok=True)
        (self.dir / "snap" / f"{snap_id}.keys").unlink(missing_ok=True)

    def _remove_stale_tmp(self) -> None:
        cutoff = time.time() - STALE_TMP_SECONDS
        for folder in (self.dir / "seg", self.dir / "files", self.dir / "snap"):
            if not folder.is_dir():
                continue
            for path in folder.glob(".tmp-*"):
                try:
                    if path.stat().st_mtime < cutoff:
                        shutil.rmtree(path) if path.is_dir() else path.unlink()
                except OSError:
                    pass

    def _prune_versions(self) -> None:
        versions = [p for p in self.root.iterdir() if p.is_dir() and (p / "index.json").is_file()]
        versions.sort(key=lambda p: (p == self.dir, (p / "index.json").stat().st_mtime), reverse=True)
        for old in versions[MAX_VERSIONS:]:
            shutil.rmtree(old, ignore_errors=True)


_REPLAY_SCHEMA = pa.schema([
    ("file", pa.string()), ("kind", pa.string()), ("doc_id", pa.string()), ("path", pa.string()),
    ("text", pa.string()), ("sha256", pa.string()), ("date", pa.string()), ("title", pa.string()),
    ("source", pa.string()), ("url", pa.string()), ("problems", pa.string()), ("meta", pa.string()),
    ("line", pa.int64()), ("severity", pa.string()), ("message", pa.string()), ("key", pa.string()),
    ("docrow", pa.int64())])
#: The documents-table columns every article has, in :meth:`Document.as_row` order (text aside).
_DOC_COLUMNS = ("doc_id", "path", "date", "title", "source", "url", "sha256", "n_chars", "problems", "body_start")


def _replay_row(content: str, item: Document | Problem) -> dict:
    if isinstance(item, Problem):
        return {"file": content, "kind": "problem", "path": item.path, "line": item.line,
                "severity": item.severity, "message": item.message}
    return {"file": content, "kind": "doc", "doc_id": item.doc_id, "path": item.path, "text": item.text,
            "sha256": item.sha256, "date": item.date, "title": item.title, "source": item.source,
            "url": item.url, "problems": json.dumps(list(item.problems)),
            "meta": json.dumps(dict(item.meta), ensure_ascii=False), "key": article_key(item)}


def _select(table: pa.Table, keys: pa.Array) -> pa.Table:
    import pyarrow.compute as pc

    if KEY_COLUMN not in table.column_names:
        return table.slice(0, 0)
    return table.filter(pc.is_in(table.column(KEY_COLUMN), value_set=keys))


def _empty_index(version: str) -> dict:
    return {"format": STORE_FORMAT, "version": version, "articles": {}, "segments": {}, "files": {},
            "packs": {}, "quick": {}, "snapshots": []}


_sha = parts_sha256  # the store/cache key of several strings


def _atomic_json(path: Path, data: dict) -> None:
    from supplywatch.io import atomic_write_text

    atomic_write_text(path, json.dumps(data, separators=(",", ":")))
