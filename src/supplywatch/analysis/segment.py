"""A segment of the article store: the per-article rows of the articles one run analysed.

Parts arrive chunk by chunk (tables with a ``_key`` column) and are spooled to Arrow IPC files in a
temporary folder of the store; :meth:`SegmentWriter.publish` moves the folder into place under a
new id when the run commits (see :mod:`supplywatch.analysis.store`).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid

import pyarrow as pa


class SegmentWriter:
    """The new articles' rows of one run, written to a temporary folder as they arrive."""

    def __init__(self, store: ArticleStore) -> None:
        from supplywatch.analysis.spool import Spool

        self.store = store
        self.keys: list[str] = []
        self.tmp = store.dir / "seg" / f".tmp-{uuid.uuid4().hex}"
        self.ok = True
        self._names: list[str] = []
        try:
            self.spool = Spool(self.tmp, ipc=True)
        except Exception:  # noqa: BLE001 - the store is a cache: never stop the analysis for it
            self.spool, self.ok = None, False

    def add(self, keys: list[str], part: dict) -> None:
        """One chunk's part (tables with a ``_key`` column) for the articles ``keys``."""
        if not self.ok:
            return
        for name, table in part.items():
            if not isinstance(table, pa.Table):
                self.ok = False  # rows Arrow cannot type: not stored (analysed again next time)
                return
            if name not in self._names:
                self._names.append(name)
            try:
                self.spool.add(name, table)
            except Exception:  # noqa: BLE001 - SpoolError (disk full): give up storing, keep analysing
                self.ok = False
                return
        self.keys.extend(keys)

    def publish(self) -> tuple[str | None, int]:
        """Move the segment into place; its id and size (``None`` when it could not be stored)."""
        if not self.ok or self.spool is None:
            self.discard()
            return None, 0
        try:
            self.spool.close()
            tables = {}
            for name in self._names:
                files = self.spool.files(name)
                if files is None:
                    self.discard()
                    return None, 0
                tables[name] = [f.name for f in files]
        except Exception:  # noqa: BLE001 - see add()
            self.discard()
            return None, 0
        seg_id = uuid.uuid4().hex[:16]
        (self.tmp / "manifest.json").write_text(json.dumps({"tables": tables, "n": len(self.keys)}), encoding="utf-8")
        size = sum(p.stat().st_size for p in self.tmp.iterdir())
        os.replace(self.tmp, self.store.dir / "seg" / seg_id)
        return seg_id, size

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
