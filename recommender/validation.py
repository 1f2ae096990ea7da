"""Validate a file of any kind and render the report a person reads (``gaitkeeper validate``,
the app's upload checks)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import polars as pl

from .catalog import Catalog, load_catalog
from .io import ReadProblem, read_raw, validate_raw
from .tables import ROW


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


def validate_path(path: str | os.PathLike[str], kind: str,
                  catalog: Catalog | str | os.PathLike[str] | None = None) -> Report:
    """Validate ``path`` as ``kind``. Inventory shoe_ids and runners' current shoe_ids are
    checked against the catalog (default: the shipped one). A file that cannot be used at
    all raises :class:`ReadProblem`."""
    path = str(path)
    if kind not in ("shoes", "inventory", "runners"):
        raise ReadProblem(path, f"unknown kind {kind!r}: use shoes, inventory or runners")
    raw = read_raw(path)
    if raw.height == 0:
        raise ReadProblem(path, "has a header but no data rows")
    ids = None
    if kind != "shoes":
        cat = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
        ids = cat.ids
    result = validate_raw(raw, kind, file=path, catalog_ids=ids)
    return Report(path, kind, result.n_rows, result.problems, result.frame.drop(ROW))
