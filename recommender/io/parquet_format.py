"""Parquet: typed columns, read whole or row group by row group (bounded memory)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import polars as pl

from ..errors import ReadProblem
from ._base import Format, Source, clean_columns, first_line, numbered


def _unreadable(path: str, exc: Exception) -> ReadProblem:
    return ReadProblem(path, f"cannot be read as Parquet: {first_line(exc)}")


def read(source: Source, kind: str, name: str) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(io.BytesIO(source) if isinstance(source, bytes) else source)
    except Exception as exc:
        raise _unreadable(name, exc) from None
    return numbered(clean_columns(frame, name))


def batches(path: str, kind: str, rows: int) -> Iterator[pl.DataFrame]:
    import pyarrow.parquet as pq

    offset = 0
    try:
        pf = pq.ParquetFile(path)
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
