"""Writers: atomic (a temporary file beside the target, renamed only when complete) and
spreadsheet-safe (text cells a spreadsheet would run as a formula are neutralised)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from ..errors import ReadProblem
from .registry import file_format

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stale(directory: Path, name: str) -> list[Path]:
    """Temporary files of earlier runs for ``name`` whose process is gone (killed)."""
    out = []
    for tmp in directory.glob(f".{name}.*.part"):
        parts = tmp.name[len(name) + 2:].split(".")
        try:
            pid = int(parts[0])
        except (ValueError, IndexError):
            continue
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            out.append(tmp)
        except PermissionError:  # alive, someone else's
            pass
    return out


def check_outputs(outputs: list[str], inputs: list[str]) -> None:
    """Before anything is read: every output can be written, and none is an input (an
    output that *is* an input would destroy it). Raises :class:`ReadProblem`."""
    resolved_inputs = {}
    for i in inputs:
        with contextlib.suppress(OSError):
            resolved_inputs[Path(i).resolve()] = i
    for out in outputs:
        p = Path(out)
        if p.is_dir():
            raise ReadProblem(out, "is a directory; name a file to write")
        directory = p.parent if str(p.parent) else Path(".")
        if not directory.is_dir():
            raise ReadProblem(out, f"output directory {str(directory)!r} does not exist")
        if not os.access(directory, os.W_OK | os.X_OK):
            raise ReadProblem(out, f"output directory {str(directory)!r} is not writable")
        target = p.resolve()
        if target in resolved_inputs:
            raise ReadProblem(out, f"is the input {resolved_inputs[target]!r}: writing it "
                                   "would destroy it; name another output")


class StagedOutputs:
    """Several outputs that appear together or not at all.

    ``add(target)`` gives a temporary path beside ``target`` (``.<name>.<pid>.<n>.part``);
    when the block ends without error every temporary file is given the permissions any
    new file of the user gets (the umask) and renamed onto its target; on any error or
    interrupt every temporary file is removed and existing targets are untouched.
    Temporary files left by a killed run are removed when the same target is staged again.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []

    def add(self, target: str | os.PathLike[str]) -> Path:
        target = Path(target)
        directory = target.parent if str(target.parent) else Path(".")
        if not directory.is_dir():
            raise ReadProblem(str(target), f"output directory {str(directory)!r} does not exist")
        if target.is_dir():
            raise ReadProblem(str(target), "is a directory; name a file to write")
        for old in _stale(directory, target.name):
            with contextlib.suppress(OSError):
                old.unlink()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".part",
                                   dir=directory)
        os.close(fd)
        self._staged.append((Path(tmp), target))
        return Path(tmp)

    def write_csv(self, frame: pl.DataFrame, target: str | os.PathLike[str]) -> None:
        tmp = self.add(target)
        neutralise_formulas(_csv_ready(frame)).write_csv(tmp)

    def __enter__(self) -> StagedOutputs:
        return self

    def _discard(self) -> None:
        for tmp, _ in self._staged:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self._discard()
            return
        mode = 0o666 & ~_umask()
        try:
            for tmp, _ in self._staged:
                os.chmod(tmp, mode)
            for tmp, target in self._staged:
                os.replace(tmp, target)
        except BaseException:
            self._discard()
            raise


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` only if the
    block finishes. On any exit otherwise (error, Ctrl-C) the temporary file is removed and
    an existing ``target`` is untouched."""
    with StagedOutputs() as staged:
        yield staged.add(target)


def write_csv_safe(frame: pl.DataFrame, path: str | os.PathLike[str]) -> None:
    """Atomic, spreadsheet-safe CSV for people."""
    with StagedOutputs() as staged:
        staged.write_csv(frame, path)


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
