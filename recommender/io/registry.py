"""The formats gaitkeeper reads, by suffix. Adding a format: write its module (a
:class:`~._base.Format`) and add it to :data:`FORMATS` here."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from ..errors import ReadProblem
from . import csv_format, jsonl_format, parquet_format
from ._base import Format, check_bytes, check_path

FORMATS: tuple[Format, ...] = (csv_format.FORMAT, parquet_format.FORMAT, jsonl_format.FORMAT)
_BY_SUFFIX = {s: f for f in FORMATS for s in f.suffixes}
SUFFIXES = tuple(_BY_SUFFIX)


def format_of(path: str | os.PathLike[str]) -> Format:
    suffix = Path(path).suffix.lower()
    fmt = _BY_SUFFIX.get(suffix)
    if fmt is None:
        raise ReadProblem(str(path), f"unsupported file type {suffix or '(none)'!r}: use "
                                     f"{', '.join(SUFFIXES)}")
    return fmt


def file_format(path: str | os.PathLike[str]) -> str:
    """The format's name (``csv``, ``parquet``, ``jsonl``) for a path, by suffix."""
    return format_of(path).name


def read_raw(path: str | os.PathLike[str], kind: str) -> pl.DataFrame:
    """Read a whole file as raw rows of ``kind`` (with ``__row`` numbers)."""
    path = str(path)
    fmt = format_of(path)
    check_path(path, text=fmt.text)
    return fmt.read(path, kind, path)


def read_upload(name: str, data: bytes, kind: str) -> pl.DataFrame:
    """An upload's bytes, read in memory as the file ``name`` (its suffix picks the
    format; problems name it). Nothing is written to disk."""
    fmt = format_of(name)
    check_bytes(name, data, text=fmt.text)
    return fmt.read(data, kind, name)


def iter_raw_batches(path: str | os.PathLike[str], kind: str,
                     batch_rows: int) -> Iterator[pl.DataFrame]:
    """Stream a large file in frames of about ``batch_rows`` rows (with ``__row``)."""
    path = str(path)
    fmt = format_of(path)
    check_path(path, text=fmt.text)
    yield from fmt.batches(path, kind, batch_rows)


def count_rows(path: str | os.PathLike[str]) -> int | None:
    """The number of data rows, cheaply (for progress), or ``None``."""
    try:
        return format_of(path).count(str(path))
    except Exception:
        return None
