"""Writers: atomic (a temporary file beside the target, renamed only when complete) and
spreadsheet-safe (text cells a spreadsheet would run as a formula are neutralised)."""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from ..errors import ReadProblem
from .registry import file_format

#: What a spreadsheet may run as a formula when a cell starts with it: ``= + - @``, tab and
#: carriage return (OWASP), ``|`` (DDE payloads) and the full-width ``＝ ＋ － ＠`` that some
#: spreadsheets (Japanese and Chinese input methods) turn into their ASCII forms.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "|", "＝", "＋", "－", "＠")
_RISKY = "^[" + "".join("\\-" if p == "-" else p for p in FORMULA_PREFIXES) + "]"


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix a quote to text cells that a spreadsheet would run as a formula (those
    starting with any of :data:`FORMULA_PREFIXES`). Numbers are left alone."""
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype == pl.String:
            c = pl.col(name)
            risky = c.str.contains(_RISKY)
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


#: errno values that mean the disk (or the file size the process may write) is full.
_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_FULL_WORDS = ("no space left", "file too large", "disk quota")


def disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (an ``OSError``, or a writer library's error wrapping one) says the
    disk or the process's file size limit is full."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _FULL:
            return True
        if any(w in str(exc).lower() for w in _FULL_WORDS):
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


class OutputProblem(ReadProblem):
    """An output cannot be written (a directory, read-only, an input, a full disk)."""


def _stale(directory: Path, name: str) -> list[Path]:
    """Temporary files of earlier runs for ``name`` whose process is gone (killed)."""
    out = []
    for tmp in directory.glob(f".{glob.escape(name)}.*.part"):
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


def _real(path: str | os.PathLike[str]) -> Path:
    """Where a write to ``path`` lands: through a symbolic link to its target."""
    return Path(os.path.realpath(path))


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def check_outputs(outputs: list[str], inputs: list[str]) -> None:
    """Before anything is read: every output can be written, and none is an input (an
    output that *is* an input would destroy it), also through a symbolic or hard link.
    Raises :class:`OutputProblem` (a :class:`ReadProblem`)."""
    by_path: dict[Path, str] = {}
    by_inode: dict[tuple[int, int], str] = {}
    for i in inputs:
        by_path[_real(i)] = i
        if (ident := _identity(Path(i))) is not None:
            by_inode[ident] = i
    for out in outputs:
        p = Path(out)
        target = _real(p)
        if target.is_dir():
            raise OutputProblem(out, "is a directory; name a file to write")
        source = by_path.get(target) or by_inode.get(_identity(target) or (-1, -1))
        if source is not None:
            raise OutputProblem(out, f"is the input {source!r}: writing it would destroy "
                                     "it; name another output")
        directory = target.parent
        if not directory.is_dir():
            raise OutputProblem(out, f"output directory {str(directory)!r} does not exist")
        if not os.access(directory, os.W_OK | os.X_OK):
            raise OutputProblem(out, f"output directory {str(directory)!r} is not writable")
        if target.exists() and not (target.stat().st_mode & 0o222):
            raise OutputProblem(out, "exists and is read-only; make it writable or name "
                                     "another output")


@contextlib.contextmanager
def _locked(directories: list[Path]) -> Iterator[None]:
    """Hold an exclusive lock on each directory (sorted, so two runs cannot deadlock):
    two runs committing into the same place take turns, so one wins whole."""
    import fcntl

    fds = []
    try:
        for d in sorted(set(directories)):
            try:
                fd = os.open(d, os.O_RDONLY)
            except OSError:
                continue
            fds.append(fd)
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        for fd in fds:
            os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP wait until the outputs are all renamed (or all put
    back): an interrupt can never leave half the outputs new."""
    import signal
    import threading

    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class StagedOutputs:
    """Several outputs that appear together or not at all.

    ``add(target)`` gives a temporary path beside ``target`` (``.<name>.<pid>.<n>.part``;
    through a symbolic link, beside its target); when the block ends without error every
    temporary file is given the permissions any new file of the user gets (the umask) and
    renamed onto its target. The renames hold a lock on the directory (a second run
    writing the same outputs waits its turn) and keep interrupts until done; if one fails,
    the targets already replaced are put back. On any error or interrupt every temporary
    file is removed and existing targets are untouched. Temporary files left by a killed
    run are removed when the same target is staged again. A full disk raises
    :class:`OutputProblem` naming the file being written.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []
        self.writing: str | None = None  # the target being written (for messages)

    def add(self, target: str | os.PathLike[str]) -> Path:
        shown = str(target)
        target = _real(target)
        directory = target.parent
        if not directory.is_dir():
            raise OutputProblem(shown, f"output directory {str(directory)!r} does not exist")
        if target.is_dir():
            raise OutputProblem(shown, "is a directory; name a file to write")
        for old in _stale(directory, target.name):
            with contextlib.suppress(OSError):
                old.unlink()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".part",
                                   dir=directory)
        os.close(fd)
        self._staged.append((Path(tmp), target))
        self.writing = shown
        return Path(tmp)

    @contextlib.contextmanager
    def writing_to(self, shown: str | os.PathLike[str]) -> Iterator[None]:
        """Name ``shown`` if the disk fills up in this block: for writers in other threads,
        where :attr:`writing` may name what another thread writes."""
        try:
            yield
        except Exception as exc:
            if disk_full(exc):
                raise _no_space(str(shown), exc) from None
            raise

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
            if exc is not None and disk_full(exc):
                raise _no_space(self.writing or "(output)", exc) from None
            return
        mode = 0o666 & ~_umask()
        try:
            for tmp, _ in self._staged:
                os.chmod(tmp, mode)
            with _signals_held(), _locked([t.parent for _, t in self._staged]):
                self._commit()
        except BaseException:
            self._discard()
            raise

    def _commit(self) -> None:
        """Rename every temporary file onto its target; if one rename fails, put the
        targets already replaced back as they were."""
        backups: list[tuple[Path, Path | None]] = []  # (target, its old content or None)
        try:
            for tmp, target in self._staged:
                backup = None
                if target.exists():
                    backup = tmp.with_name(tmp.name[:-len(".part")] + ".old.part")
                    with contextlib.suppress(FileNotFoundError):
                        backup.unlink()
                    os.link(target, backup)  # the old content, kept until all are in place
                backups.append((target, backup))
                _replace(tmp, target)
        except BaseException:
            for target, backup in reversed(backups):
                with contextlib.suppress(OSError):
                    if backup is None:
                        target.unlink()
                    else:
                        os.replace(backup, target)
            raise
        finally:
            for _, backup in backups:
                if backup is not None:
                    with contextlib.suppress(FileNotFoundError):
                        backup.unlink()


def _replace(tmp: Path, target: Path) -> None:
    os.replace(tmp, target)


def _no_space(shown: str, exc: BaseException) -> OutputProblem:
    return OutputProblem(shown, f"no space left writing it ({_reason(exc)}); nothing was "
                                "written")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__


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
