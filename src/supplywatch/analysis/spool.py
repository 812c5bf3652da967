"""Per-article tables streamed to Parquet while an analysis runs, so memory stays bounded.

The engines deliver one small part (an Arrow table) per table and chunk of articles. A
:class:`Spool` buffers the parts of each table and writes them to a Parquet file in its folder
whenever the buffer passes :attr:`Spool.FLUSH_BYTES`, so however long the corpus, only a few
megabytes of results are in memory while it is analysed. At the end each table is read back once
(:meth:`Spool.frame`): Parquet is compact and fast to read, and the tables are the result. With
``ipc=True`` the files are uncompressed Arrow IPC instead: about three times bigger, several times
faster to write and read (the article store's segments and its re-runs use them).

Article texts are spooled the same way and read back only when someone asks for them
(:class:`SpooledTexts`, a read-only mapping ``doc_id -> text``): the notebooks' KWIC and topic
filter do, the tables never do.

Parts keep corpus order. A part Arrow cannot type (a column holding numbers in one row and text
in another, from hostile input) stays in memory as rows; types are promoted across parts exactly
as :func:`supplywatch.parts.concat_parts` does (a column that is null in one chunk and text in
another is text).

Example:
    >>> spool = Spool()                                               # doctest: +SKIP
    >>> spool.add("mentions", part); spool.close()                     # doctest: +SKIP
    >>> spool.frame("mentions")                                       # doctest: +SKIP
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from supplywatch.exceptions import SpoolError

#: The spooled table of article texts (``doc_id``, ``text``).
TEXTS = "_texts"


class Spool:
    """Parquet files per table in a folder (a temporary one, removed with the spool, when None).

    Args:
        folder: where to write; created if needed. With None a temporary folder is made and
            removed when the spool (and every :class:`SpooledTexts` reading from it) is gone.
    """

    #: Buffered Arrow bytes of one table that trigger a write.
    FLUSH_BYTES = 2 * 1024 * 1024

    def __init__(self, folder: str | os.PathLike | None = None, *, ipc: bool = False) -> None:
        self._ipc = ipc  # uncompressed Arrow IPC files instead of Parquet: ~3x bigger, read back ~5x faster
        self._tmp = None
        try:
            if folder is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="supplywatch-spool-")
                folder = self._tmp.name
            self.folder = Path(folder)
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            where = folder or f"the temporary folder ({tempfile.gettempdir()})"
            raise SpoolError(f"cannot create the analysis spool in {where}: {exc.strerror or exc}; "
                             "set TMPDIR to a writable folder with free space") from None
        self._items: dict[str, list] = {}  # table -> [Path | pa.Table | list[dict]] in order
        self._buffer: dict[str, list[pa.Table]] = {}
        self._buffered: dict[str, int] = {}
        self._files = 0

    def names(self) -> list[str]:
        """Tables spooled so far, in first-seen order."""
        return list(self._items)

    def add(self, name: str, part: pa.Table | list[dict]) -> None:
        """Append one part (an Arrow table, or rows Arrow could not type) to table ``name``."""
        items = self._items.setdefault(name, [])
        if not isinstance(part, pa.Table):
            self._flush(name)
            items.append(part)
            return
        self._buffer.setdefault(name, []).append(part)
        self._buffered[name] = self._buffered.get(name, 0) + part.nbytes
        if self._buffered[name] >= self.FLUSH_BYTES:
            self._flush(name)

    def put(self, name: str, table: pa.Table | list[dict]) -> None:
        """Append a part that stays in memory (never written): for a table the caller already holds
        whole (the article store's rebuilt tables), writing it out and reading it back would only cost."""
        self._flush(name)
        self._items.setdefault(name, []).append(table)

    def _flush(self, name: str) -> None:
        parts = self._buffer.pop(name, [])
        self._buffered.pop(name, None)
        if not parts:
            return
        try:
            batches = [pa.concat_tables(parts, promote_options="permissive")]
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            batches = parts  # types that do not unify: write the parts one by one
        for table in batches:
            path = self.folder / f"{self._files:06d}-{_safe(name)}.{'arrow' if self._ipc else 'parquet'}"
            try:
                write_part(table, path)
            except OSError as exc:  # before ArrowException: Arrow's IO errors are OSErrors too
                raise SpoolError(f"cannot write {path} ({exc}); the analysis needs free space in "
                                 f"{self.folder} (set TMPDIR to another folder)") from None
            except (pa.ArrowException, TypeError, ValueError):  # a type Parquet cannot store: keep it
                self._items[name].append(table)
                continue
            self._files += 1
            self._items[name].append(path)

    def close(self) -> None:
        """Write every buffered part."""
        for name in list(self._buffer):
            self._flush(name)

    def files(self, name: str) -> list[Path] | None:
        """The Parquet files of table ``name`` in order; None when a part is held in memory (rows
        Arrow or Parquet could not store)."""
        self._flush(name)
        items = self._items.get(name, [])
        return list(items) if all(isinstance(i, Path) for i in items) else None

    def parts(self, name: str) -> Iterator[pa.Table | list[dict]]:
        """The parts of table ``name`` in order, read back from disk one at a time."""
        self._flush(name)
        for item in self._items.get(name, []):
            yield read_part(item) if isinstance(item, Path) else item

    def frame(self, name: str) -> pd.DataFrame:
        """Table ``name`` as one DataFrame (empty, without columns, when nothing was spooled)."""
        from supplywatch.parts import concat_parts

        return concat_parts(list(self.parts(name)))

    def texts(self) -> SpooledTexts:
        """The spooled article texts as a lazy mapping ``doc_id -> text``."""
        self._flush(TEXTS)
        return SpooledTexts(self, TEXTS)


def write_part(table: pa.Table, path: Path) -> None:
    """Write a part as Parquet, or as an uncompressed Arrow IPC file when ``path`` ends in ``.arrow``."""
    if path.suffix == ".arrow":
        import pyarrow.feather as feather

        feather.write_feather(table, path, compression="uncompressed")
    else:
        pq.write_table(table, path)


def read_part(path: Path) -> pa.Table:
    """A part written by :func:`write_part` (Parquet or Arrow IPC, by the file's suffix)."""
    if Path(path).suffix == ".arrow":
        import pyarrow.feather as feather

        return feather.read_table(path, memory_map=False)
    return pq.read_table(path)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:60] or "table"


class SpooledTexts(Mapping):
    """Article texts kept on disk by a :class:`Spool`, read (all at once) on first use.

    Equal to a plain dict with the same items; :meth:`to_arrow` gives them as an Arrow table
    without making Python strings (the cache stores them that way).
    """

    def __init__(self, spool: Spool, name: str = TEXTS) -> None:
        self._spool = spool  # keeps a temporary folder alive as long as the texts may be read
        self._name = name
        self._loaded: dict[str, str] | None = None

    def to_arrow(self) -> pa.Table:
        parts = [p if isinstance(p, pa.Table) else pa.Table.from_pylist(p) for p in self._spool.parts(self._name)]
        if not parts:
            return pa.table({"doc_id": pa.array([], pa.string()), "text": pa.array([], pa.string())})
        return pa.concat_tables(parts, promote_options="permissive")

    def _dict(self) -> dict[str, str]:
        if self._loaded is None:
            table = self.to_arrow()
            self._loaded = dict(zip(table.column("doc_id").to_pylist(), table.column("text").to_pylist()))
        return self._loaded

    def subset(self, doc_ids) -> dict[str, str]:
        """``doc_id -> text`` for the given ids only (absent ids left out), without reading every text
        into Python (the near-duplicate check needs a few hundred of them)."""
        import pyarrow.compute as pc

        if self._loaded is not None:
            return {d: self._loaded[d] for d in doc_ids if d in self._loaded}
        table = self.to_arrow()
        table = table.filter(pc.is_in(table.column("doc_id"), value_set=pa.array(list(doc_ids), pa.string())))
        return dict(zip(table.column("doc_id").to_pylist(), table.column("text").to_pylist()))

    def __getitem__(self, doc_id: str) -> str:
        return self._dict()[doc_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())

    def __repr__(self) -> str:
        state = f"{len(self._loaded)} texts" if self._loaded is not None else "not read yet"
        return f"<SpooledTexts in {self._spool.folder} ({state})>"
