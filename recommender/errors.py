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


# ------------------------------------------------------------------ interrupts at safe points
class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, like Ctrl-C: every ``finally`` and
    context manager runs (temporary outputs are removed)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_pending: list[tuple[int, object]] = []  # (signal, the handler it was deferred from)


def checkpoint() -> None:
    """Raise a deferred interrupt here (a safe point between chunks), if one came in."""
    if _pending:
        signum, handler = _pending.pop(0)
        _pending.clear()
        handler(signum, None)  # type: ignore[operator]  # raises KeyboardInterrupt/Terminated


class deferred_interrupts:  # a context manager, named like contextlib's
    """Within the block, Ctrl-C (and any SIGTERM/SIGHUP handler that raises) is noted and
    raised at the next :func:`checkpoint`, not wherever the interpreter happens to be. A
    KeyboardInterrupt raised inside a polars call that runs Python code (``collect_schema``
    building a dtype) panics polars' thread and prints a Rust backtrace; a long batch run
    checks between chunks instead. A second signal raises at once (a way out if a step
    hangs), and one still pending at the end of the block is raised there. Only in the main
    thread and only for handlers that raise; elsewhere it does nothing."""

    SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")

    def __enter__(self) -> deferred_interrupts:
        import signal
        import threading

        self._saved: dict[int, object] = {}
        if threading.current_thread() is not threading.main_thread():
            return self
        for name in self.SIGNALS:
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            current = signal.getsignal(signum)
            if current is signal.default_int_handler or getattr(current, "raises", False):
                self._saved[signum] = current
                signal.signal(signum, self._note)
        return self

    def _note(self, signum: int, frame: object) -> None:
        if _pending:  # the second one: now
            _pending.clear()
            self._saved[signum](signum, frame)  # type: ignore[operator]
        _pending.append((signum, self._saved[signum]))

    def __exit__(self, *exc: object) -> None:
        import signal

        for signum, handler in self._saved.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        if exc[0] is None:
            checkpoint()
        else:
            _pending.clear()
