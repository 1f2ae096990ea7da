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
from ..validate.coerce import ERRORS, with_row_numbers
from ..validate.messages import too_long

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
    b"PAR1": "a Parquet file (name it .parquet)",
}
SNIFF_BYTES = 65_536

#: The largest input file read (bytes), and for Parquet the largest decompressed data:
#: ``$GAITKEEPER_MAX_INPUT_BYTES`` or 2 GB. Bigger files are refused before reading.
DEFAULT_MAX_INPUT_BYTES = 2 * 1024**3
#: The longest cell read from any file: a longer cell rejects its row, naming the column
#: (the cell is cut to a short prefix as soon as its batch is read).
MAX_FIELD_CHARS = 10_000


def max_input_bytes() -> int:
    """The input size limit: ``$GAITKEEPER_MAX_INPUT_BYTES`` (bytes) or 2 GB."""
    raw = os.environ.get("GAITKEEPER_MAX_INPUT_BYTES", "").strip()
    if not raw:
        return DEFAULT_MAX_INPUT_BYTES
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ReadProblem("GAITKEEPER_MAX_INPUT_BYTES",
                          f"must be a positive whole number of bytes, not {raw[:40]!r}")
    return value


def check_size(name: str, size: int, what: str = "") -> None:
    limit = max_input_bytes()
    if size > limit:
        raise ReadProblem(name, f"is {what}{size:,} bytes, more than the limit of {limit:,} "
                                "bytes (set GAITKEEPER_MAX_INPUT_BYTES to allow more)")


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
    if _binary_share(head) > 0.10:
        raise ReadProblem(name, "is not a text file (binary data); export it as a plain "
                                ".csv (UTF-8)")
    if b"\r" in head and b"\n" not in head and head.count(b"\r") > 1:
        raise ReadProblem(name, "ends its lines with a bare carriage return (CR); save it "
                                "with LF or CRLF line ends")


def _binary_share(head: bytes) -> float:
    """The share of characters that are not text: undecodable bytes and control
    characters other than tab, CR, LF and form feed. A Latin-1 file has a few; a binary
    file has many."""
    if not head:
        return 0.0
    text = head.decode("utf-8", "replace")
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\r\n\f"))
    return bad / len(text)


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
    check_size(path, size)
    sniff(path, head, text=text)


def check_bytes(name: str, data: bytes, *, text: bool) -> None:
    if not data:
        raise ReadProblem(name, "is empty")
    check_size(name, len(data))
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
    """Header names less a BOM and surrounding spaces, in lower case (every column name of
    gaitkeeper is lower case: ``SKU `` reads as ``sku``); a repeated header is an error (the
    CSV reader would silently rename it), also when two differ only in case or spaces."""
    doubled = sorted({m.group(1) for c in frame.columns
                      if (m := re.match(r"^(.*)_duplicated_\d+$", c)) and m.group(1) in frame.columns})
    if doubled:
        raise FileProblem(path, f"duplicated column(s): {', '.join(doubled)}")
    renames = {c: c.lstrip("\ufeff").strip().lower() for c in frame.columns}
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
    return bound_fields(with_row_numbers(frame, offset))


def bound_fields(frame: pl.DataFrame) -> pl.DataFrame:
    """A text cell longer than :data:`MAX_FIELD_CHARS` is cut to its first 80 characters
    and its row carries a problem naming the column (in :data:`ERRORS`): the row is
    rejected, and no huge string outlives the batch it came in."""
    texts = [n for n, d in frame.schema.items() if d == pl.String and n != ERRORS]
    if not texts or frame.height == 0:
        return frame
    # bytes first (cheap): a cell of at most MAX_FIELD_CHARS bytes cannot be too long
    long_any = frame.select(pl.any_horizontal(
        pl.col(n).str.len_bytes() > MAX_FIELD_CHARS for n in texts).fill_null(False).any()).item()
    if not long_any:
        return frame
    rule = too_long(MAX_FIELD_CHARS)
    flags = [(pl.col(n).str.len_chars() > MAX_FIELD_CHARS).fill_null(False) for n in texts]
    msgs = [pl.when(f).then(pl.lit(f"{n}: {rule}")) for n, f in zip(texts, flags, strict=True)]
    errors = pl.concat_str(msgs, separator=" | ", ignore_nulls=True)
    if ERRORS in frame.columns:
        errors = pl.concat_str([pl.col(ERRORS), errors], separator=" | ", ignore_nulls=True)
    errors = pl.when(errors == "").then(None).otherwise(errors)
    cut = [pl.when(f).then(pl.col(n).str.slice(0, 80) + pl.lit("…")).otherwise(pl.col(n))
           .alias(n) for n, f in zip(texts, flags, strict=True)]
    return frame.with_columns(*cut, errors.alias(ERRORS))


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]
