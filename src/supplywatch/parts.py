"""Parts: one chunk's rows of one table as a columnar Arrow table, and the helpers that read them.

The engine turns each chunk's row dicts into Arrow tables (:func:`rows_to_table`); the spool, the
streaming accumulators and the cache read them back (:func:`part_column`, :func:`concat_parts`,
:func:`to_frame`), so a fresh table and one read back from Parquet have identical dtypes
(:func:`normalize_frame`). A ground module: every stage may use it.
"""

from __future__ import annotations

from itertools import chain
from operator import itemgetter

import pandas as pd
import pyarrow as pa


def rows_to_table(rows: list[dict]) -> pa.Table | list[dict]:
    """Rows (dicts) as an Arrow table with the union of their keys in first-seen order.

    Returns the rows unchanged when Arrow cannot give a column one type (mixed int/str values).

    Example:
        >>> rows_to_table([{"a": 1}, {"a": 2, "b": "x"}]).column_names
        ['a', 'b']
    """
    keys = list(dict.fromkeys(chain.from_iterable(rows)))  # the union, first-seen order
    if len(keys) > 1 and all(len(row) == len(keys) for row in rows):
        # every row has every key (the usual case): transpose in C
        columns = dict(zip(keys, zip(*map(itemgetter(*keys), rows)))) if rows else {}
    else:
        columns = {key: [row.get(key) for row in rows] for key in keys}
    try:
        return pa.table(columns)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
        return rows


def part_column(part: pa.Table | list[dict], name: str) -> list:
    """One column of a chunk's part (an Arrow table or the raw rows) as a list; ``None`` where absent.

    Example:
        >>> part_column([{"a": 1}, {"b": 2}], "a")
        [1, None]
    """
    if isinstance(part, list):
        return [row.get(name) for row in part]
    return part.column(name).to_pylist() if name in part.column_names else [None] * part.num_rows


def concat_parts(parts: list) -> pd.DataFrame:
    """One DataFrame from Arrow parts (or raw row lists), in order."""
    tables = [p for p in parts if isinstance(p, pa.Table)]
    if len(tables) == len(parts):
        try:
            return to_frame(pa.concat_tables(tables, promote_options="permissive") if tables else pa.table({}))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
    rows: list[dict] = []
    for p in parts:
        rows.extend(p.to_pylist() if isinstance(p, pa.Table) else p)
    return pd.DataFrame(rows)


def to_frame(table: pa.Table) -> pd.DataFrame:
    """Arrow -> pandas the same way whether the table is fresh or read back from Parquet."""
    return table.to_pandas()


def normalize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Pass a DataFrame through Arrow so fresh and cached tables have identical dtypes.

    Returns the frame unchanged when Arrow cannot store it (it is then not cached).
    """
    try:
        return to_frame(pa.Table.from_pandas(frame, preserve_index=False))
    except (pa.ArrowException, TypeError, ValueError):  # any Arrow error: keep the frame as it is
        return frame
