"""Parquet: typed columns, read whole or row group by row group (bounded memory).

Parquet compresses inside the file, so the size of the file says little: the decompressed
size its footer declares is held to the same limit as any input
(:func:`~._base.max_input_bytes`), before a byte of data is decompressed."""

from __future__ import annotations

import io
from collections.abc import Iterator

import polars as pl

from ..errors import ReadProblem
from ._base import Format, Source, check_size, clean_columns, first_line, numbered


def _unreadable(path: str, exc: Exception) -> ReadProblem:
    return ReadProblem(path, f"cannot be read as Parquet: {first_line(exc)}")


def _open(source: Source, name: str):
    """The file's footer, checked: readable, and not decompressing past the limit."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        meta = pf.metadata
        unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    except Exception as exc:  # a corrupt footer, not Parquet at all, …
        raise _unreadable(name, exc) from None
    check_size(name, unpacked, "decompressed to ")
    return pf


def read(source: Source, kind: str, name: str) -> pl.DataFrame:
    _open(source, name)
    try:
        frame = pl.read_parquet(io.BytesIO(source) if isinstance(source, bytes) else source)
    except Exception as exc:
        raise _unreadable(name, exc) from None
    return numbered(clean_columns(frame, name))


def batches(path: str, kind: str, rows: int) -> Iterator[pl.DataFrame]:
    offset = 0
    pf = _open(path, path)
    try:
        for rb in pf.iter_batches(batch_size=rows):
            frame = clean_columns(pl.from_arrow(rb), path)  # type: ignore[arg-type]
            yield numbered(frame, offset)
            offset += frame.height
    except ReadProblem:
        raise
    except Exception as exc:
        raise _unreadable(path, exc) from None


def count(path: str) -> int | None:
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows
    except Exception:
        return None


FORMAT = Format("parquet", (".parquet", ".pq"), read, batches, count, text=False)
