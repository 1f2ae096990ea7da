"""Read and validate a table file of any kind, and the report a person reads
(``gaitkeeper validate``, the app's upload checks)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from ..errors import ReadProblem
from ..validate.coerce import ROW
from .registry import read_raw

if TYPE_CHECKING:
    from ..validate.schemas import Validated

KINDS = ("shoes", "inventory", "runners")


@dataclass(frozen=True)
class Report:
    file: str
    kind: str
    n_rows: int
    problems: pl.DataFrame  # file, row, column, value, rule
    frame: pl.DataFrame  # the valid rows, typed (``row`` holds each one's row number)

    @property
    def ok(self) -> bool:
        return self.problems.height == 0

    def render(self, limit: int | None = None) -> str:
        """Every problem, one line each (or the first ``limit``)."""
        bad_rows = self.problems.get_column("row").drop_nulls().n_unique()
        lines = [f"{self.file}: {self.problems.height} problem(s) in {bad_rows} of "
                 f"{self.n_rows} row(s) ({self.kind})"]
        shown = self.problems if limit is None else self.problems.head(limit)
        for r in shown.iter_rows(named=True):
            line = f" (line {r['row'] + 1})" if self.file.lower().endswith(".csv") else ""
            where = "file" if r["row"] is None else f"row {r['row']}{line}"
            value = "" if r["value"] is None else f" — value {r['value'][:80]!r}"
            lines.append(f"  {where}, column {r['column']}: {r['rule']}{value}")
        if limit is not None and self.problems.height > limit:
            lines.append(f"  … and {self.problems.height - limit} more")
        return "\n".join(lines)


def validate_raw(raw: pl.DataFrame, kind: str, *, file: str,
                 catalog_ids: list[str] | None = None) -> Validated:
    """Validate an already-read frame; rows the reader could not read (a JSON line that
    does not parse, a cell too long) are rejected with their reading problems."""
    from ..validate.schemas import validate_frame

    return validate_frame(raw, kind, file=file, catalog_ids=catalog_ids)


def validate_path(path: str | os.PathLike[str], kind: str,
                  catalog_ids: list[str] | None = None) -> Report:
    """Validate ``path`` as ``kind``; inventory shoe_ids and runners' current shoe_ids are
    checked against ``catalog_ids`` when given. A file that cannot be used at all raises
    :class:`ReadProblem`."""
    path = str(path)
    if kind not in KINDS:
        raise ReadProblem(path, f"unknown kind {kind!r}: use {', '.join(KINDS)}")
    raw = read_raw(path, kind)
    if raw.height == 0:
        raise ReadProblem(path, "has a header but no data rows")
    result = validate_raw(raw, kind, file=path, catalog_ids=catalog_ids)
    return Report(path, kind, result.n_rows, result.problems, result.frame.drop(ROW))
