"""CSV: read as text (every cell a string, so codes keep their leading zeros), whole or in
batches, with unreadable files explained (encoding, ragged lines)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import polars as pl

from ..errors import ReadProblem
from ._base import (
    Format,
    Source,
    clean_columns,
    first_bad_utf8_line,
    first_line,
    lines_of,
    numbered,
)


def _options() -> dict:
    return {"infer_schema": False, "has_header": True, "raise_if_empty": True,
            "truncate_ragged_lines": False}


def _first_ragged_line(source: Source) -> int | None:
    text = (line.decode("utf-8-sig", "replace") for line in lines_of(source))
    rows = csv.reader(text)
    header = next(rows, [])
    for row in rows:
        if len(row) != len(header):
            return rows.line_num
    return None


def _explain(path: str, exc: Exception, source: Source | None = None) -> ReadProblem:
    source = path if source is None else source
    if isinstance(exc, (TypeError, AttributeError)):  # a bug of ours, not a bad file
        raise exc
    low = str(exc).lower()
    if "invalid utf-8" in low or "invalid utf8" in low or "utf-8 sequence" in low:
        line = first_bad_utf8_line(source)
        where = f" (first at line {line})" if line else ""
        return ReadProblem(path, f"not valid UTF-8 text{where}; save the file as UTF-8")
    if "empty" in low:
        return ReadProblem(path, "has no header row")
    if "fields" in low:
        line = _first_ragged_line(source)
        where = f"line {line} has" if line else "a line has"
        return ReadProblem(path, f"{where} a different number of fields than the header")
    return ReadProblem(path, f"cannot be read as CSV: {first_line(exc)}")


def read(source: Source, kind: str, name: str) -> pl.DataFrame:
    try:
        frame = pl.read_csv(io.BytesIO(source) if isinstance(source, bytes) else source,
                            **_options())
    except Exception as exc:  # polars raises many types; all mean "unreadable"
        raise _explain(name, exc, source) from None
    return numbered(clean_columns(frame, name))


def batches(path: str, kind: str, rows: int) -> Iterator[pl.DataFrame]:
    offset = 0
    try:
        header = pl.read_csv(path, n_rows=0, **_options()).columns
        for frame in pl.scan_csv(path, **_options()).collect_batches(chunk_size=rows):
            frame = clean_columns(frame, path)
            yield numbered(frame, offset)
            offset += frame.height
    except ReadProblem:
        raise
    except Exception as exc:
        raise _explain(path, exc) from None
    if offset == 0 and not header:
        raise ReadProblem(path, "has no columns")


def count(path: str) -> int | None:
    with open(path, "rb") as fh:
        return max(sum(buf.count(b"\n") for buf in iter(lambda: fh.read(1 << 20), b"")) - 1, 0)


FORMAT = Format("csv", (".csv", ".txt"), read, batches, count)
