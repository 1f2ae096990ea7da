"""The shoe catalog: loaded once, validated by its pandera schema, identified by a hash.

Validating a file needs pandera (and so pandas), which costs most of a second to import.
A catalog file whose exact bytes already passed validation is remembered by its hash in a
small marker file (``$GAITKEEPER_CACHE_DIR`` or ``~/.cache/gaitkeeper``); the same bytes give
the same verdict, so the command line skips the import. Any change to the file is a new hash
and is validated again. Nothing else is cached and no user data is ever stored.

The shipped catalog carries its own verdict: ``data/shoes.csv.validated`` holds the hash of
the shipped file and the rules version it passed (the test suite validates the file with
pandera and checks the stamp is current), so even a first run on a new machine skips the
import for the shipped bytes. Any other file, or the shipped one edited, is validated.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .errors import CatalogError, ReadProblem
from .io import file_hash, read_raw
from .spec.vocab import SHOE_SPECS, S
from .validate.coerce import ROW, coerce, with_row_numbers

#: The shipped data folder (catalog, sample cohort and inventory, example profiles).
DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_CATALOG = DATA_DIR / "shoes.csv"
#: ``<file hash> <rules version>`` of the shipped catalog, which the test suite validated.
SHIPPED_STAMP = DATA_DIR / "shoes.csv.validated"


@dataclass(frozen=True)
class Catalog:
    frame: pl.DataFrame = field(repr=False)  # typed, sorted by shoe_id
    version: str
    path: str | None = None

    @property
    def ids(self) -> list[str]:
        return self.frame.get_column(S.shoe_id).to_list()

    def __len__(self) -> int:
        return self.frame.height


def default_catalog_path() -> Path:
    return Path(os.environ.get("GAITKEEPER_CATALOG", DEFAULT_CATALOG))


def _cache_dir() -> Path | None:
    """Where the marker goes; ``None`` when there is nowhere (no HOME and no passwd entry:
    the catalog is then validated every time, never a ``~`` directory in the cwd)."""
    if os.environ.get("GAITKEEPER_CACHE_DIR"):
        return Path(os.environ["GAITKEEPER_CACHE_DIR"])
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):
        return None
    return home / ".cache" / "gaitkeeper" if home.is_absolute() else None


def rules_version() -> str:
    """A fingerprint of the rules a catalog is checked against: the column specs and the
    validator's own source. Tightening any rule changes it, so a catalog that passed the
    old rules is validated again."""
    import hashlib

    h = hashlib.sha256(repr(SHOE_SPECS).encode())
    here = Path(__file__).resolve().parent / "validate"
    for name in ("schemas.py", "messages.py", "coerce.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:12]


def shipped_stamp() -> str:
    """What :data:`SHIPPED_STAMP` must hold for the shipped catalog as it is now."""
    return f"{file_hash(DEFAULT_CATALOG)} {rules_version()}\n"


def _known_valid(version: str) -> bool:
    marker = _marker(version)
    if marker is not None and marker.exists():
        return True
    try:
        return SHIPPED_STAMP.read_text().split() == [version, rules_version()]
    except OSError:
        return False


def _marker(version: str) -> Path | None:
    cache = _cache_dir()
    return None if cache is None else cache / f"catalog-valid-{version}-{rules_version()}"


_LOADED: dict[tuple[str, int, int], Catalog] = {}


def load_catalog(path: str | os.PathLike[str] | None = None) -> Catalog:
    """Read and validate the catalog (default: the shipped ``data/shoes.csv``)."""
    p = Path(path) if path is not None else default_catalog_path()
    try:
        st = p.stat()
    except OSError:
        raise CatalogError(f"{p}: no such catalog file") from None
    key = (str(p.resolve()), st.st_mtime_ns, st.st_size)
    if key in _LOADED:
        return _LOADED[key]
    version = file_hash(p)
    try:
        raw = read_raw(p, "shoes")
    except ReadProblem as exc:
        raise CatalogError(str(exc)) from None
    if raw.height == 0:
        raise CatalogError(f"{p}: the catalog has no rows")
    if _known_valid(version):
        frame, problems = coerce(raw, SHOE_SPECS, str(p))
    else:
        from .validate.schemas import validate_frame

        try:
            result = validate_frame(raw, "shoes", file=str(p))
        except ReadProblem as exc:
            raise CatalogError(str(exc)) from None
        frame, problems = result.frame, result.problems
    if problems.height:
        first = problems.row(0, named=True)
        raise CatalogError(
            f"{p}: {problems.height} problem(s) in the catalog, first: row {first['row']}, "
            f"column {first['column']}: {first['rule']} (value {first['value']!r}); "
            f"run `gaitkeeper validate {p} --kind shoes` for all of them", problems)
    _remember(version)
    catalog = Catalog(frame.drop(ROW).sort(S.shoe_id), version, str(p))
    _LOADED[key] = catalog
    return catalog


def catalog_from_frame(frame: pl.DataFrame, version: str = "in-memory") -> Catalog:
    """A catalog from an already-typed frame (tests, notebooks); validated with pandera."""
    from .validate.schemas import validate_frame

    result = validate_frame(with_row_numbers(frame), "shoes", file="(frame)")
    if result.problems.height:
        raise CatalogError(f"catalog frame has {result.problems.height} problem(s)", result.problems)
    return Catalog(result.frame.drop(ROW).sort(S.shoe_id), version, None)


def _remember(version: str) -> None:
    try:
        marker = _marker(version)
        if marker is None:
            return
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:  # a read-only home just means validating again next time
        pass
