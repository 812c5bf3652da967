"""The analysis cache: unchanged inputs are never analysed twice.

An analysis is stored under :data:`supplywatch.config.CACHE_DIR` (``data/cache/``, git-ignored) as
one uncompressed Arrow IPC (Feather) file per table (about 4x faster to write and 10x faster to read
back than uncompressed Parquet, at about twice the bytes), keyed by everything that can change its result:

* the corpus: first a quick fingerprint (every file's relative path, size, modification and status-change times),
  and when that misses, the content hash (sha256 of every file's bytes), so a ``touch`` or a fresh
  copy of the same files still hits;
* the resources: the gazetteer in use (the bundled ``data/actors.yaml`` or the user's file) and
  every other file under ``data/`` (lexicons, stop words, topics, reference figures);
* the code: the package version, a hash of the package's source files, and the extractors and
  aggregators wired into the pipeline.

Delete ``data/cache/`` (``make clean``) to drop it; pass ``cache=False`` / ``--no-cache`` to bypass
it. The newest :data:`MAX_ENTRIES` analyses are kept.

Example:
    >>> cache = AnalysisCache()
    >>> cache.load("seeds") is None or True      # doctest: +SKIP
    True
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pyarrow as pa

from supplywatch import config
from supplywatch.analysis.spool import read_part, write_part
from supplywatch.corpus.model import LoadReport, Problem
from supplywatch.hashing import file_sha256, parts_sha256, tree_sha256

#: Bump when the stored layout changes.
CACHE_FORMAT = 2
#: Analyses kept; older ones are removed when a new one is stored.
MAX_ENTRIES = 8

#: Stored analyses are uncompressed Arrow IPC files (``.arrow``, :func:`supplywatch.analysis.spool.write_part`):
#: the cache is local and bounded by MAX_ENTRIES, and reading it back is what an exact hit costs.
_TEXTS = "_texts.arrow"
_PROBLEMS = "_problems.arrow"
_MANIFEST = "manifest.json"


_sha = parts_sha256  # the store/cache key of several strings


def _files(root: Path) -> list[Path]:
    from supplywatch.corpus.loader import _iter_files

    return list(_iter_files(root))


def _callable_id(func: Callable) -> str:
    """The extractor's importable name; its code is covered by the hash of the package's sources.

    (Never ``repr`` of code objects: it holds memory addresses, different in every process.)
    """
    return f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', repr(func))}"


def _package_version() -> str:
    try:
        from importlib.metadata import version

        return version("supplywatch")
    except Exception:  # noqa: BLE001 - not installed as a distribution
        return "unknown"


def resources_key(gazetteer: str | os.PathLike | None = None, fields: Mapping[str, str] | None = None) -> str:
    """Hash of everything besides the corpus that shapes an analysis (see module docstring)."""
    from supplywatch.analysis import document

    parts = [f"format={CACHE_FORMAT}", f"version={_package_version()}",
             f"src:{tree_sha256(config.PACKAGE_DIR, suffixes=('.py',))}",
             f"data:{tree_sha256(config.DATA_DIR, skip=[config.CACHE_DIR]) if Path(config.DATA_DIR).is_dir() else ''}"]
    if gazetteer:
        parts.append(f"gazetteer:{file_sha256(gazetteer)}")
    if fields:
        parts.append("fields:" + ",".join(f"{k}={v}" for k, v in sorted(fields.items())))
    parts += [f"extractor:{_callable_id(f)}" for f in document._extractors()]
    parts += [f"chunk extractor:{_callable_id(f)}" for f in document._chunk_extractors()]
    parts += [f"accumulator:{_callable_id(f)}" for f in document._accumulators()]
    parts += [f"aggregator:{_callable_id(f)}" for f in document._aggregators()]
    return _sha(*parts)


def corpus_fingerprint(path: str | os.PathLike) -> str:
    """Quick corpus identity from file metadata only: relative path, size, mtime and ctime of every file."""
    root = Path(path)
    base = root if root.is_dir() else root.parent
    parts = [str(root.resolve())]
    for file in _files(root):
        try:
            st = file.stat()
        except OSError:  # a dangling link or unreadable file: the loader reports it
            parts.append(f"{file.relative_to(base).as_posix()}:unreadable")
            continue
        # ctime too: an edit that keeps the size and sets the modification time back still changes it
        parts.append(f"{file.relative_to(base).as_posix()}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}")
    return _sha(*parts)


def _content_part(file: Path, base: Path) -> str:
    try:
        return f"{file.relative_to(base).as_posix()}:{file_sha256(file)}"
    except OSError:
        return f"{file.relative_to(base).as_posix()}:unreadable"


def corpus_content_hash(path: str | os.PathLike) -> str:
    """Corpus identity from content: sha256 of every file's bytes with its relative path."""
    root = Path(path)
    base = root if root.is_dir() else root.parent
    return _sha(*(_content_part(f, base) for f in _files(root)))


class AnalysisCache:
    """Analyses stored as Parquet under ``root`` (default ``data/cache/analysis``).

    Args:
        root: the cache folder (created when something is stored).
        gazetteer: the user's gazetteer, if any (part of the key).
        fields: the record field mapping (``--field``), if any (part of the key).
    """

    def __init__(self, root: str | os.PathLike | None = None, *, gazetteer: str | os.PathLike | None = None,
                 fields: Mapping[str, str] | None = None) -> None:
        self.root = Path(root) if root else Path(config.CACHE_DIR) / "analysis"
        self.gazetteer = gazetteer
        self.fields = dict(fields or {})
        self._rkey: str | None = None

    @property
    def rkey(self) -> str:
        if self._rkey is None:
            self._rkey = resources_key(self.gazetteer, self.fields)
        return self._rkey

    # ---- keys ---------------------------------------------------------------------------

    def quick_key(self, path: str | os.PathLike) -> str:
        return _sha("quick", corpus_fingerprint(path), self.rkey)

    def content_key(self, path: str | os.PathLike) -> str:
        return _sha("content", corpus_content_hash(path), self.rkey)

    def documents_key(self, corpus_hash: str) -> str:
        """Key for an already loaded corpus (its :func:`supplywatch.corpus.corpus_hash`)."""
        return _sha("documents", corpus_hash, self.rkey)

    def _pointer(self, quick: str) -> Path:
        return self.root / "quick" / f"{quick}.json"

    def _entry(self, key: str) -> Path:
        return self.root / key

    # ---- lookup ---------------------------------------------------------------------------

    def lookup_path(self, path: str | os.PathLike):
        """The cached analysis of the corpus at ``path`` and its content key (``None`` on a miss).

        Returns:
            ``(result or None, content key, quick key)``; the content is hashed only on a quick miss.
        """
        quick = self.quick_key(path)
        pointer = self._pointer(quick)
        if pointer.is_file():
            try:
                key = json.loads(pointer.read_text(encoding="utf-8"))["entry"]
            except (OSError, ValueError, KeyError):
                key = None
            if key:
                result = self.load(key, root=str(path))
                if result is not None:
                    return result, key, quick
        key = self.content_key(path)
        result = self.load(key, root=str(path))
        if result is not None:
            self._write_pointer(quick, key)
        return result, key, quick

    def load(self, key: str, *, root: str = ""):
        """The stored analysis ``key`` as an :class:`~supplywatch.analysis.pipeline.AnalysisResult`, or None."""
        from supplywatch.analysis.result import AnalysisResult
        from supplywatch.parts import to_frame

        entry = self._entry(key)
        manifest_path = entry / _MANIFEST
        if not manifest_path.is_file():
            return None
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            tables = {name: to_frame(read_part(entry / f"{i:03d}.arrow"))
                      for i, name in enumerate(manifest["tables"])}
            texts_table = read_part(entry / _TEXTS)
            problems = read_part(entry / _PROBLEMS).to_pylist()
        except (OSError, ValueError, KeyError, pa.ArrowException):
            return None  # a damaged entry is a miss; it is overwritten on the next store
        texts = dict(zip(texts_table.column("doc_id").to_pylist(), texts_table.column("text").to_pylist()))
        report = LoadReport(root=root or manifest.get("root", ""))
        report.problems = [Problem(p["path"], p["line"], p["severity"], p["message"]) for p in problems]
        report.files = dict(manifest.get("files", {}))
        report.n_documents = int(manifest.get("n_documents", 0))
        report.notes = {k: list(v) for k, v in manifest.get("notes", {}).items()}
        try:
            os.utime(manifest_path)  # most recently used entries survive pruning
        except OSError:
            pass
        return AnalysisResult(tables=tables, report=report, corpus_hash=manifest["corpus_hash"], texts=texts)

    # ---- store ----------------------------------------------------------------------------

    def store(self, result, key: str, *, quick: str | None = None) -> Path | None:
        """Store ``result`` under ``key``; return the entry folder (None when a table cannot be stored)."""
        try:
            arrow = [pa.Table.from_pandas(frame, preserve_index=False) for frame in result.tables.values()]
        except (pa.ArrowException, TypeError, ValueError):
            return None
        entry = self._entry(key)
        tmp = self.root / f".tmp-{key[:16]}-{os.getpid()}-{time.monotonic_ns()}"
        tmp.mkdir(parents=True, exist_ok=True)
        try:
            for i, table in enumerate(arrow):
                write_part(table, tmp / f"{i:03d}.arrow")
            texts = result.texts
            write_part(texts.to_arrow() if hasattr(texts, "to_arrow") else  # spooled: no Python strings
                       pa.table({"doc_id": pa.array(list(texts), pa.string()),
                                 "text": pa.array(list(texts.values()), pa.string())}), tmp / _TEXTS)
            problems = result.report.problems
            write_part(pa.table({
                "path": pa.array([p.path for p in problems], pa.string()),
                "line": pa.array([p.line for p in problems], pa.int64()),
                "severity": pa.array([p.severity for p in problems], pa.string()),
                "message": pa.array([p.message for p in problems], pa.string()),
            }), tmp / _PROBLEMS)
            manifest = {
                "format": CACHE_FORMAT, "tables": list(result.tables), "corpus_hash": result.corpus_hash,
                "root": result.report.root, "files": result.report.files,
                "n_documents": result.report.n_documents, "notes": result.report.notes, "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
            }
            (tmp / _MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
            if entry.exists():
                shutil.rmtree(entry, ignore_errors=True)
            os.replace(tmp, entry)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            return None if not entry.is_dir() else entry
        if quick:
            self._write_pointer(quick, key)
        self.prune()
        return entry

    def _write_pointer(self, quick: str, key: str) -> None:
        from supplywatch.io import atomic_write_text

        try:
            atomic_write_text(self._pointer(quick), json.dumps({"entry": key}))
        except OSError:
            pass

    def prune(self, keep: int = MAX_ENTRIES) -> None:
        """Remove all but the ``keep`` most recently used analyses (and pointers to removed ones)."""
        entries = [p for p in self.root.iterdir() if p.is_dir() and (p / _MANIFEST).is_file()]
        entries.sort(key=lambda p: (p / _MANIFEST).stat().st_mtime, reverse=True)
        for old in entries[keep:]:
            shutil.rmtree(old, ignore_errors=True)
        quick_dir = self.root / "quick"
        if quick_dir.is_dir():
            for pointer in quick_dir.glob("*.json"):
                try:
                    if not (self.root / json.loads(pointer.read_text(encoding="utf-8"))["entry"]).is_dir():
                        pointer.unlink()
                except (OSError, ValueError, KeyError):
                    pointer.unlink(missing_ok=True)
