"""JSON lines: one object per line, streamed in batches. Runner files hold nested profiles
(SPEC §2.1, parsed by the one profile validator); every other kind holds flat objects whose
keys are the table's columns (values become text cells, checked like CSV). A line that
cannot be parsed becomes a row whose problems ride in ``__errors`` (``field: message``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from typing import Any

import polars as pl

from ..errors import ProfileError, ReadProblem
from ..spec.dtypes import frame_schema
from ..spec.profile import RUNNER_SPECS, profile_to_flat
from ..spec.vocab import LIST_SEP
from ..validate.coerce import ERRORS, ROW
from ..validate.messages import NOT_TEXT_CHARS
from ..validate.profile import loads_strict, parse_profile
from ._base import MAX_FIELD_CHARS, Format, Source, first_bad_utf8_line

#: The longest JSON line read (bytes); a longer line is a rejected row, skipped unread.
MAX_LINE_BYTES = 100 * MAX_FIELD_CHARS
_TOO_LONG = f"the line is longer than {MAX_LINE_BYTES:,} bytes"


def _safe(text: str) -> str:
    """Text that can be stored and shown: a lone surrogate (from a ``\\ud800`` escape)
    becomes its escape, never an exception further on."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")

__all__ = ["ERRORS", "FORMAT"]


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEP.join("" if v is None else str(v) for v in value[:1000])
    if isinstance(value, (dict,)):
        return json.dumps(value)[:200]
    return str(value)


def _runner_rows(lines: list[tuple[int, str | None]]) -> pl.DataFrame:
    empty = {s.name: ([] if s.kind in ("list", "strlist") else None) for s in RUNNER_SPECS}
    rows: list[dict] = []
    errors: list[str | None] = []
    for _, line in lines:
        if line is None:
            rows.append(empty)
            errors.append(f"(line): {_TOO_LONG}")
            continue
        try:
            prof = parse_profile(loads_strict(line))
        except ValueError as exc:
            if isinstance(exc, ProfileError):
                errors.append(_safe(" | ".join(str(e) for e in exc.errors)))
            else:
                errors.append(_safe(f"(line): {exc}"))
            rows.append(empty)
            continue
        rows.append({k: (list(v) if isinstance(v, tuple) else v)
                     for k, v in profile_to_flat(prof).items()})
        errors.append(None)
    return pl.DataFrame(rows, schema=frame_schema(RUNNER_SPECS), orient="row").with_columns(
        pl.Series(ERRORS, errors, dtype=pl.String))


def _flat_rows(lines: list[tuple[int, str | None]]) -> pl.DataFrame:
    rows: list[dict[str, str | None]] = []
    errors: list[str | None] = []
    for _, line in lines:
        if line is None:
            rows.append({})
            errors.append(f"(line): {_TOO_LONG}")
            continue
        try:
            obj = loads_strict(line)
        except ValueError as exc:
            rows.append({})
            errors.append(_safe(f"(line): {exc}"))
            continue
        if not isinstance(obj, dict):
            rows.append({})
            errors.append("(line): expected a JSON object")
            continue
        row: dict[str, str | None] = {}
        broken: list[str] = []
        for k, v in obj.items():
            key = _safe(str(k)).strip().lower()
            text = _cell(v)
            row[key] = None if text is None else _safe(text)
            if text is not None and row[key] != text:
                broken.append(key)
        if len(row) != len(obj):
            rows.append({})
            errors.append("(line): a key is given twice (keys differ only in case or spaces)")
            continue
        rows.append(row)
        errors.append(" | ".join(f"{k}: {NOT_TEXT_CHARS}" for k in broken) or None)
    columns = list(dict.fromkeys(k for r in rows for k in r))
    frame = pl.DataFrame({c: [r.get(c) for r in rows] for c in columns},
                         schema={c: pl.String for c in columns})
    return frame.with_columns(pl.Series(ERRORS, errors, dtype=pl.String))


def _raw_lines(source: Source) -> Iterator[bytes | None]:
    """The file's lines, each at most :data:`MAX_LINE_BYTES` long; a longer line is
    skipped unread (``None``), so no line is ever held whole beyond the limit."""
    import io

    fh = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
    with fh:
        while line := fh.readline(MAX_LINE_BYTES + 1):
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
                yield None
                continue
            yield line


def _lines(source: Source, name: str) -> Iterator[tuple[int, str | None]]:
    try:
        for lineno, raw in enumerate(_raw_lines(source), start=1):
            if raw is None:
                yield lineno, None
                continue
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            if line.strip():
                yield lineno, line
    except UnicodeDecodeError:
        bad = first_bad_utf8_line(source)
        raise ReadProblem(name, f"not valid UTF-8 text (first at line {bad})") from None
    except OSError as exc:
        raise ReadProblem(name, exc.strerror or str(exc)) from None


def _frame(lines: list[tuple[int, str | None]], kind: str) -> pl.DataFrame:
    frame = _runner_rows(lines) if kind == "runners" else _flat_rows(lines)
    return frame.with_columns(pl.Series(ROW, [n for n, _ in lines], dtype=pl.Int64))


def batches(path: Source, kind: str, rows: int, name: str | None = None
            ) -> Iterator[pl.DataFrame]:
    name = name or str(path)
    it = _lines(path, name)
    seen = False
    while chunk := list(islice(it, rows)):
        seen = True
        yield _frame(chunk, kind)
    if not seen:
        raise ReadProblem(name, "has no JSON lines")


def read(source: Source, kind: str, name: str) -> pl.DataFrame:
    parts = list(batches(source, kind, 50_000, name))
    return pl.concat(parts, how="diagonal_relaxed") if len(parts) > 1 else parts[0]


def count(path: str) -> int | None:
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip())


FORMAT = Format("jsonl", (".jsonl", ".ndjson"), read, batches, count)
