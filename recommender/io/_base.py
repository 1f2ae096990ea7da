"""What every reader shares: the format record, path checks, file sniffing, header clean-up
and row numbers. A new format is one module that builds a :class:`Format`, plus one line in
:mod:`.registry`."""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ..errors import FileProblem, ReadProblem
from ..validate.coerce import with_row_numbers

#: Bytes a file named as a table must not start with: archives and compressed files are
#: refused before any library decompresses them unasked (a 2 MB gzip can expand to GBs).
_MAGIC = {
    b"\x1f\x8b": "gzip-compressed",
    b"PK\x03\x04": "a zip archive (or an Excel workbook)",
    b"\x28\xb5\x2f\xfd": "zstd-compressed",
    b"BZh": "bzip2-compressed",
    b"\xfd7zXZ\x00": "xz-compressed",
    b"\xff\xfe": "UTF-16 text",
    b"\xfe\xff": "UTF-16 text",
}
SNIFF_BYTES = 65_536


#: What a reader reads: a path, or the bytes of an upload (never written to disk).
Source = str | bytes


@dataclass(frozen=True)
class Format:
    """One file format: its suffixes and how to read it whole, in batches, and count rows.

    ``read(source, kind, name)`` (a path, or an upload's bytes named ``name``) and
    ``batches(path, kind, rows)`` return raw frames (text or typed columns plus ``__row``);
    ``count(path)`` estimates the data rows (or ``None``)."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Source, str, str], pl.DataFrame]
    batches: Callable[[str, str, int], Iterator[pl.DataFrame]]
    count: Callable[[str], int | None]
    text: bool = True  # a text format: sniffed for NUL bytes and compression


def file_hash(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def sniff(name: str, head: bytes, *, text: bool) -> None:
    """A text format is not compressed, an archive, UTF-16 or binary."""
    if not text:
        return
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise ReadProblem(name, f"is {what}, not plain UTF-8 text; export or save it as "
                                    "a plain .csv (UTF-8) and try again")
    if b"\x00" in head:
        raise ReadProblem(name, "is not a text file (it contains NUL bytes); export it as a "
                                "plain .csv (UTF-8)")


def check_path(path: str, *, text: bool) -> None:
    """The path is a readable, non-empty file; a text format is not compressed or binary."""
    p = Path(path)
    if not p.exists():
        raise ReadProblem(path, "no such file")
    if p.is_dir():
        raise ReadProblem(path, "is a directory, not a file")
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise ReadProblem(path, f"cannot be read ({exc.strerror or exc})") from None
    if size == 0:
        raise ReadProblem(path, "is empty")
    sniff(path, head, text=text)


def check_bytes(name: str, data: bytes, *, text: bool) -> None:
    if not data:
        raise ReadProblem(name, "is empty")
    sniff(name, data[:SNIFF_BYTES], text=text)


def lines_of(source: Source) -> Iterator[bytes]:
    if isinstance(source, bytes):
        yield from io.BytesIO(source)
        return
    with open(source, "rb") as fh:
        yield from fh


def first_bad_utf8_line(source: Source) -> int | None:
    for lineno, line in enumerate(lines_of(source), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return lineno
    return None


def clean_columns(frame: pl.DataFrame, path: str = "") -> pl.DataFrame:
    """Header names as written, less a BOM and surrounding spaces; a repeated header is an
    error (the CSV reader would silently rename it)."""
    doubled = sorted({m.group(1) for c in frame.columns
                      if (m := re.match(r"^(.*)_duplicated_\d+$", c)) and m.group(1) in frame.columns})
    if doubled:
        raise FileProblem(path, f"duplicated column(s): {', '.join(doubled)}")
    renames = {c: c.lstrip("\ufeff").strip() for c in frame.columns}
    if any(k != v for k, v in renames.items()):
        stripped = list(renames.values())
        dupes = sorted({c for c in stripped if stripped.count(c) > 1})
        if dupes:
            raise FileProblem(path, f"duplicated column(s): {', '.join(dupes)}")
        frame = frame.rename(renames)
    if not frame.columns:
        raise ReadProblem(path, "has no columns")
    return frame


def numbered(frame: pl.DataFrame, offset: int = 0) -> pl.DataFrame:
    return with_row_numbers(frame, offset)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]
