"""The bottom layer: one base error for every input problem, and the problem row.

Every error a user can cause derives from :class:`GaitkeeperError`; the command line turns
any of them into exit 2 with its message (SPEC §5), the app shows them as text or a table.
Nothing here imports any other part of the package (or polars).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

#: The columns of a problem report (the rejects file, the app's problem table).
PROBLEM_COLUMNS = ("file", "row", "column", "value", "rule")


class GaitkeeperError(ValueError):
    """Bad input or arguments: the message names the file, row, column or field."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One violation: where (file, 1-based data row, column), the raw value and the rule."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        val = "" if self.value is None else f" (value {self.value[:80]!r})"
        return f"{where}: {self.rule}{val}"


class ReadProblem(GaitkeeperError):
    """A file cannot be read at all; the message names the file and, where known, the line."""

    def __init__(self, file: str, message: str):
        self.file = file
        self.message = message
        super().__init__(f"{file}: {message}")


class FileProblem(ReadProblem):
    """The file reads, but as a whole cannot be used (columns missing, unknown or doubled)."""


@dataclass(frozen=True, slots=True)
class FieldError:
    """One profile field that broke its rule (the dotted JSON path or the flat column)."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ProfileError(GaitkeeperError):
    """A profile broke one or more rules; ``errors`` names every field."""

    def __init__(self, errors: list[FieldError], source: str | None = None):
        self.errors = errors
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + "; ".join(str(e) for e in errors))


class CatalogError(GaitkeeperError):
    """The catalog cannot be used; ``problems`` lists every failure."""

    def __init__(self, message: str, problems: pl.DataFrame | None = None):
        self.problems = problems
        super().__init__(message)


class BatchError(GaitkeeperError):
    """A batch run cannot go on (bad arguments, unusable files, no valid rows, strict mode)."""
