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


def _renamed(exc: ReadProblem, name: str | None) -> ReadProblem:
    """The same problem, naming the file the user knows (an upload's own name, never the
    temporary path it was saved under)."""
    if not name or exc.file == name:
        return exc
    new = type(exc)(name, exc.message.replace(exc.file, name))
    return new


def read_raw(path: str | os.PathLike[str], kind: str, name: str | None = None) -> pl.DataFrame:
    """Read a whole file as raw rows of ``kind`` (with ``__row`` numbers); problems name
    ``name`` (default: the path)."""
    path = str(path)
    try:
        fmt = format_of(path)
        check_path(path, text=fmt.text)
        return fmt.read(path, kind, path)
    except ReadProblem as exc:
        raise _renamed(exc, name) from None


def read_upload(name: str, data: bytes, kind: str) -> pl.DataFrame:
    """An upload's bytes, read in memory as the file ``name`` (its suffix picks the
    format; problems name it). Nothing is written to disk."""
    fmt = format_of(name)
    check_bytes(name, data, text=fmt.text)
    return fmt.read(data, kind, name)


def iter_raw_batches(path: str | os.PathLike[str], kind: str, batch_rows: int,
                     name: str | None = None) -> Iterator[pl.DataFrame]:
    """Stream a large file in frames of about ``batch_rows`` rows (with ``__row``);
    problems name ``name`` (default: the path)."""
    path = str(path)
    try:
        fmt = format_of(path)
        check_path(path, text=fmt.text)
        yield from fmt.batches(path, kind, batch_rows)
    except ReadProblem as exc:
        raise _renamed(exc, name) from None


def check_input(path: str | os.PathLike[str], name: str | None = None) -> None:
    """The cheap checks of an input before anything is read or written: it exists, is a
    file, is within the size limit, and a text format is text."""
    path = str(path)
    try:
        check_path(path, text=format_of(path).text)
    except ReadProblem as exc:
        raise _renamed(exc, name) from None


def count_rows(path: str | os.PathLike[str]) -> int | None:
    """The number of data rows, cheaply (for progress), or ``None``."""
    try:
        return format_of(path).count(str(path))
    except Exception:
        return None
