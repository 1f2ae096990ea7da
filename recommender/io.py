"""I/O at the edges: readers (CSV, Parquet, JSON lines), validation of whole files, atomic
writers and spreadsheet-safe CSV.

Readers read every CSV cell as text so that no bad value can crash the reader; typing and
value rules happen in :mod:`recommender.tables` and :mod:`recommender.schemas`, which name
the file, row, column and value of every problem.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from .tables import ROW, with_row_numbers

if TYPE_CHECKING:
    from .schemas import Validated

CSV_SUFFIXES = (".csv", ".txt")
PARQUET_SUFFIXES = (".parquet", ".pq")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ReadProblem(ValueError):
    """A file cannot be read at all; the message names the file and, where known, the line."""

    def __init__(self, file: str, message: str):
        self.file = file
        self.message = message
        super().__init__(f"{file}: {message}")


class FileProblem(ReadProblem):
    """The file reads, but as a whole cannot be used (columns missing, unknown or doubled)."""


def file_format(path: str | os.PathLike[str]) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    raise ReadProblem(str(path), f"unsupported file type {suffix or '(none)'!r}: "
                                 "use .csv, .parquet or .jsonl")


def file_hash(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def _first_bad_utf8_line(path: str) -> int | None:
    with open(path, "rb") as fh:
        for lineno, line in enumerate(fh, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return lineno
    return None


def _first_ragged_line(path: str) -> int | None:
    import csv

    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = csv.reader(fh)
        header = next(rows, [])
        for row in rows:
            if len(row) != len(header):
                return rows.line_num
    return None


def _clean_columns(frame: pl.DataFrame, path: str = "") -> pl.DataFrame:
    doubled = sorted({m.group(1) for c in frame.columns
                      if (m := re.match(r"^(.*)_duplicated_\d+$", c)) and m.group(1) in frame.columns})
    if doubled:  # the CSV reader renames a repeated header; say what the file really has
        raise FileProblem(path, f"duplicated column(s): {', '.join(doubled)}")
    renames = {c: c.lstrip("\ufeff").strip() for c in frame.columns}
    if any(k != v for k, v in renames.items()):
        frame = frame.rename(renames)
    return frame


def _check_path(path: str) -> None:
    p = Path(path)
    if not p.exists():
        raise ReadProblem(path, "no such file")
    if p.is_dir():
        raise ReadProblem(path, "is a directory, not a file")
    if p.stat().st_size == 0:
        raise ReadProblem(path, "is empty")


def _csv_options() -> dict:
    return {"infer_schema": False, "has_header": True, "raise_if_empty": True,
            "truncate_ragged_lines": False}


def _explain_csv_error(path: str, exc: Exception) -> ReadProblem:
    text = str(exc)
    low = text.lower()
    if isinstance(exc, (TypeError, AttributeError)):  # a bug of ours, not a bad file
        raise exc
    if "invalid utf-8" in low or "invalid utf8" in low or "utf-8 sequence" in low:
        line = _first_bad_utf8_line(path)
        where = f" (first at line {line})" if line else ""
        return ReadProblem(path, f"not valid UTF-8 text{where}; save the file as UTF-8")
    if "empty" in low:
        return ReadProblem(path, "has no header row")
    if "fields" in low:
        line = _first_ragged_line(path)
        where = f"line {line} has" if line else "a line has"
        return ReadProblem(path, f"{where} a different number of fields than the header")
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return ReadProblem(path, f"cannot be read as CSV: {first[:200]}")


def read_raw(path: str | os.PathLike[str]) -> pl.DataFrame:
    """Read a whole CSV (as text), Parquet or JSON-lines file, with ``__row`` numbers."""
    path = str(path)
    fmt = file_format(path)
    _check_path(path)
    if fmt == "jsonl":
        return _read_jsonl_flat(path)
    try:
        frame = pl.read_csv(path, **_csv_options()) if fmt == "csv" else pl.read_parquet(path)
    except Exception as exc:  # polars/arrow raise many types; all mean "unreadable"
        if fmt == "csv":
            raise _explain_csv_error(path, exc) from None
        raise ReadProblem(path, f"cannot be read as Parquet: {str(exc).splitlines()[0][:200]}") from None
    frame = _clean_columns(frame, path)
    if not frame.columns:
        raise ReadProblem(path, "has no columns")
    return with_row_numbers(frame)


def iter_raw_batches(path: str | os.PathLike[str], batch_rows: int) -> Iterator[pl.DataFrame]:
    """Stream a large file in frames of about ``batch_rows`` rows, with ``__row`` numbers."""
    path = str(path)
    fmt = file_format(path)
    _check_path(path)
    offset = 0
    if fmt == "jsonl":
        frame = _read_jsonl_flat(path)
        for start in range(0, frame.height, batch_rows):
            yield frame.slice(start, batch_rows)
        return
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
            batches = pf.iter_batches(batch_size=batch_rows)
            for rb in batches:
                frame = _clean_columns(pl.from_arrow(rb), path)  # type: ignore[arg-type]
                yield with_row_numbers(frame, offset)
                offset += frame.height
        except Exception as exc:
            raise ReadProblem(path, f"cannot be read as Parquet: {str(exc).splitlines()[0][:200]}") from None
        return
    try:
        header = pl.read_csv(path, n_rows=0, **_csv_options()).columns
        lf = pl.scan_csv(path, **_csv_options())
        for frame in lf.collect_batches(chunk_size=batch_rows):
            frame = _clean_columns(frame, path)
            if not frame.columns:
                raise ReadProblem(path, "has no columns")
            yield with_row_numbers(frame, offset)
            offset += frame.height
    except ReadProblem:
        raise
    except Exception as exc:
        raise _explain_csv_error(path, exc) from None
    if offset == 0 and not header:
        raise ReadProblem(path, "has no columns")


def _read_jsonl_flat(path: str) -> pl.DataFrame:
    """JSON lines of nested profiles → flat typed rows; an unparsable line becomes a row
    whose problems are carried in the ``__errors`` column (dotted field: message)."""
    from .profile import RUNNER_SPECS, ProfileError, parse_profile, profile_to_flat
    from .tables import frame_schema

    rows: list[dict] = []
    errors: list[str | None] = []
    numbers: list[int] = []
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise ReadProblem(path, exc.strerror or str(exc)) from None
    empty = {s.name: ([] if s.kind in ("list", "strlist") else None) for s in RUNNER_SPECS}
    with fh:
        try:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                numbers.append(lineno)
                try:
                    prof = parse_profile(json.loads(line))
                except json.JSONDecodeError as exc:
                    rows.append(empty)
                    errors.append(f"(line): not valid JSON: {exc.msg}")
                    continue
                except ProfileError as exc:
                    rows.append(empty)
                    errors.append(" | ".join(str(e) for e in exc.errors))
                    continue
                flat = profile_to_flat(prof)
                rows.append({k: (list(v) if isinstance(v, tuple) else v) for k, v in flat.items()})
                errors.append(None)
        except UnicodeDecodeError:
            line = _first_bad_utf8_line(path)
            raise ReadProblem(path, f"not valid UTF-8 text (first at line {line})") from None
    if not rows:
        raise ReadProblem(path, "has no JSON lines")
    frame = pl.DataFrame(rows, schema=frame_schema(RUNNER_SPECS), orient="row")
    return frame.with_columns(
        pl.Series(ROW, numbers, dtype=pl.Int64),
        pl.Series("__errors", errors, dtype=pl.String),
    )


def validate_raw(raw: pl.DataFrame, kind: str, *, file: str,
                 catalog_ids: list[str] | None = None) -> Validated:
    """Validate an already-read frame; JSON-lines parse errors join the problems."""
    from .schemas import Validated, validate_frame
    from .tables import PROBLEM_SCHEMA

    if "__errors" not in raw.columns:
        return validate_frame(raw, kind, file=file, catalog_ids=catalog_ids)
    broken = raw.filter(pl.col("__errors").is_not_null())
    result = validate_frame(raw.filter(pl.col("__errors").is_null()).drop("__errors"), kind,
                            file=file, catalog_ids=catalog_ids)
    if broken.height == 0:
        return result
    parsed = broken.select(
        pl.lit(file).alias("file"),
        pl.col(ROW).alias("row"),
        pl.col("__errors").str.split(" | ").alias("err"),
    ).explode("err").select(
        "file", "row",
        pl.col("err").str.extract(r"^([^:]+):", 1).alias("column"),
        pl.lit(None, dtype=pl.String).alias("value"),
        pl.col("err").str.replace(r"^[^:]+:\s*", "").alias("rule"),
    ).cast(PROBLEM_SCHEMA)  # type: ignore[arg-type]
    problems = pl.concat([result.problems, parsed]).sort("row", "column")
    return Validated(frame=result.frame, problems=problems, n_rows=raw.height)


# ------------------------------------------------------------------------------ writing
def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix a quote to text cells that a spreadsheet would run as a formula
    (those starting with ``= + - @``, tab or carriage return). Numbers are left alone."""
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype == pl.String:
            c = pl.col(name)
            risky = c.str.contains(r"^[=+\-@\t\r]")
            exprs.append(pl.when(risky).then(pl.lit("'") + c).otherwise(c).alias(name))
    return frame.with_columns(exprs) if exprs else frame


def _csv_ready(frame: pl.DataFrame) -> pl.DataFrame:
    lists = [n for n, d in frame.schema.items() if isinstance(d, pl.List)]
    if lists:
        frame = frame.with_columns(pl.col(n).list.join(";") for n in lists)
    return frame


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` only if the
    block finishes. On any exit otherwise (error, Ctrl-C) the temporary file is removed and
    an existing ``target`` is untouched."""
    target = Path(target)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ReadProblem(str(target), f"output directory {str(directory)!r} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def write_csv_safe(frame: pl.DataFrame, path: str | os.PathLike[str]) -> None:
    """Atomic, spreadsheet-safe CSV for people."""
    with atomic_path(path) as tmp:
        neutralise_formulas(_csv_ready(frame)).write_csv(tmp)


def csv_safe_bytes(frame: pl.DataFrame) -> bytes:
    """The same spreadsheet-safe CSV, in memory (app downloads)."""
    return neutralise_formulas(_csv_ready(frame)).write_csv().encode("utf-8")


def write_table(frame: pl.DataFrame, path: str | os.PathLike[str]) -> None:
    """Atomic write by extension: Parquet, or spreadsheet-safe CSV."""
    fmt = file_format(path)
    if fmt == "parquet":
        with atomic_path(path) as tmp:
            frame.write_parquet(tmp, row_group_size=50_000)  # streamable in chunks
    elif fmt == "csv":
        write_csv_safe(frame, path)
    else:
        raise ReadProblem(str(path), "write .csv or .parquet")
