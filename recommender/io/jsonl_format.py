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
from ..validate.coerce import ROW
from ..validate.profile import loads_strict, parse_profile
from ._base import Format, Source, first_bad_utf8_line, lines_of

ERRORS = "__errors"



def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEP.join("" if v is None else str(v) for v in value)
    if isinstance(value, (dict,)):
        return json.dumps(value)[:200]
    return str(value)


def _runner_rows(lines: list[tuple[int, str]]) -> pl.DataFrame:
    empty = {s.name: ([] if s.kind in ("list", "strlist") else None) for s in RUNNER_SPECS}
    rows: list[dict] = []
    errors: list[str | None] = []
    for _, line in lines:
        try:
            prof = parse_profile(loads_strict(line))
        except ValueError as exc:
            if isinstance(exc, ProfileError):
                errors.append(" | ".join(str(e) for e in exc.errors))
            else:
                errors.append(f"(line): {exc}")
            rows.append(empty)
            continue
        rows.append({k: (list(v) if isinstance(v, tuple) else v)
                     for k, v in profile_to_flat(prof).items()})
        errors.append(None)
    return pl.DataFrame(rows, schema=frame_schema(RUNNER_SPECS), orient="row").with_columns(
        pl.Series(ERRORS, errors, dtype=pl.String))


def _flat_rows(lines: list[tuple[int, str]]) -> pl.DataFrame:
    rows: list[dict[str, str | None]] = []
    errors: list[str | None] = []
    for _, line in lines:
        try:
            obj = loads_strict(line)
        except ValueError as exc:
            rows.append({})
            errors.append(f"(line): {exc}")
            continue
        if not isinstance(obj, dict):
            rows.append({})
            errors.append("(line): expected a JSON object")
            continue
        rows.append({str(k).strip(): _cell(v) for k, v in obj.items()})
        errors.append(None)
    columns = list(dict.fromkeys(k for r in rows for k in r))
    frame = pl.DataFrame({c: [r.get(c) for r in rows] for c in columns},
                         schema={c: pl.String for c in columns})
    return frame.with_columns(pl.Series(ERRORS, errors, dtype=pl.String))


def _lines(source: Source, name: str) -> Iterator[tuple[int, str]]:
    try:
        for lineno, raw in enumerate(lines_of(source), start=1):
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            if line.strip():
                yield lineno, line
    except UnicodeDecodeError:
        bad = first_bad_utf8_line(source)
        raise ReadProblem(name, f"not valid UTF-8 text (first at line {bad})") from None
    except OSError as exc:
        raise ReadProblem(name, exc.strerror or str(exc)) from None


def _frame(lines: list[tuple[int, str]], kind: str) -> pl.DataFrame:
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
