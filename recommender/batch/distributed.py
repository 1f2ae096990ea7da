"""Batch scoring on Ray Data, end to end on the workers (``--engine ray`` with Parquet
runners; issue 15 item 3).

The driver reads only metadata (the part files' footers: columns and row counts), the
catalog and the inventory; it never holds the runners. On the cluster:

1. **Read.** ``ray.data.read_parquet`` over the part files (one file, or every
   ``*.parquet``/``*.pq`` under a directory, sorted by path; local or any filesystem
   pyarrow supports, e.g. ``s3://``), with ``include_paths`` and ``include_row_hash``.
   Ray's ``row_hash`` is a bijective mix (splitmix64) of the file path's seed plus the row's
   position in the file; inverting it gives every row its exact 1-based row number in its
   part file, so problems name ``file`` and ``row`` exactly as the local reader does. A
   recovered row outside the file's row count means Ray changed the hash: the run stops
   with that message instead of reporting wrong rows.
2. **Uniqueness across the whole dataset** (a second, one-column pass). Every row's
   ``runner_id`` (as validation reads it: stripped, empty = missing) and position (part
   file in path order, then row) go to the object store; then one Ray task per hash bucket
   of the ids (as many as the cluster has CPUs) pulls its bucket's rows from every block
   and keeps the ids seen more than once with their first position — a hash shuffle on Ray
   core, several times faster here than ``Dataset.groupby`` for this one aggregate. The
   buckets' results go to the scoring workers as object references, never through the
   driver. Rule: **the first row with a runner_id wins; every later row with that id is
   rejected** (``must be unique``), whether or not the first row was valid itself. (The
   local engine applies the same rule within a chunk of ``--chunk-size`` rows, but across
   chunks only an earlier *valid* row counts; the two differ only for an id whose first
   row is invalid for another reason and lies in another chunk.)
3. **Validate and score in ``map_batches``** (batches of ``chunk_size`` rows): per part
   file in the batch, ``validate_raw(frame_with___row, "runners", file=part, catalog_ids)``,
   the repeats of step 2 quarantined, then the pure :func:`.chunk.score_chunk`, the
   coverage counts and, for runners not served, their alternatives
   (:func:`.coverage.chunk_coverage`). Each batch returns one Arrow table: its scored
   rows (``__kind = scored``) plus one ``side`` row carrying that batch's rejects, segment
   counts and unmatched runners (Arrow IPC) and its row counts.
4. The combined dataset is materialised once in the object store (spilled to disk when
   large): the driver pulls only the side rows and aggregates them (coverage is the same
   :func:`.coverage.coverage` of the summed counts); under ``--strict`` any reject stops
   the run here, before anything is written. The scored rows of each materialised block
   are written by a Ray task on the node that holds it (:func:`write_part`, one part per
   block, in input order) into a temporary directory beside the output. Not the dataset's
   ``write_parquet``: Ray 2.60's ``ParquetDatasink`` writes through
   ``pyarrow.dataset.write_dataset(use_threads=True)`` without ``preserve_order``, which
   shuffles a block's row groups within its file (seen on 2 cores: rows of batches 0, 1000,
   500), so the output would not be deterministic.

**Output.** ``--out scored.parquet`` names a *directory* of Parquet parts
(``part-000000.parquet`` …) — the layout Ray, Spark, pyarrow, polars, pandas and DuckDB all
read as one table (``pl.read_parquet("scored.parquet")``). Side files are written beside it
as for the local engine. Execution preserves order, so the parts hold the rows in input
order (each batch sorted by runner_id, rank); the output is deterministic, but compare
engines after sorting by ``runner_id, rank``. **Atomic:** the parts go to
``.<name>.<pid>.<token>.part/`` beside the output and the side files to temporary files;
only when everything is complete is the directory renamed into place (an existing output,
file or directory, is first renamed aside and removed afterwards), then the side files. A
failed or interrupted run removes its temporaries and leaves an existing output untouched;
a killed run's leftovers are removed by the next run to the same output. On a multi-node
cluster the output directory must be on storage every node mounts at the same path.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from ..catalog import Catalog, load_catalog
from ..errors import BatchError, GaitkeeperError, ReadProblem
from ..io.registry import read_raw
from ..io.tables import validate_raw
from ..io.write import StagedOutputs, check_outputs
from ..rules.sources import MIN_MATCH_SCORE
from ..spec.vocab import InvCol, R
from ..validate.coerce import PROBLEM_SCHEMA, ROW
from .chunk import output_schema, score_chunk
from .coverage import chunk_coverage, coverage, empty_alternatives, empty_counts, not_served
from .offers import prepare_offers, stocked_models, store_list

PARQUET_SUFFIXES = (".parquet", ".pq")
KIND, REJECTS, SEGMENTS, UNMATCHED, READ, SCORED = (
    "__kind", "__rejects", "__segments", "__unmatched", "__read", "__scored")
ORDER = "__order"  # the batch's first input position: blocks are put back in input order
SIDE_SCHEMA = {KIND: pl.String, REJECTS: pl.Binary, SEGMENTS: pl.Binary,
               UNMATCHED: pl.Binary, READ: pl.Int64, SCORED: pl.Int64, ORDER: pl.Int64}


def combined_schema(stores: bool) -> dict[str, Any]:
    """A batch's one Arrow table: the scored rows' columns, then the side columns."""
    return {**output_schema(stores), **SIDE_SCHEMA}
_PATH, _HASH, _FILE, _KEY, _POS, _FIRST = "path", "row_hash", "__file", "__key", "__pos", "__first"
_POS_BITS = 40  # position = part index << 40 | row: 2^40 rows per part, 2^23 parts


# ---------------------------------------------------------------------------------------
# Which runners sources this pipeline reads


def _is_uri(source: str) -> bool:
    return "://" in source


def is_parquet_dataset(source: str | os.PathLike[str]) -> bool:
    """A Parquet file (by suffix, local or URI) or a directory (local, or a URI ending in
    ``/``) of Parquet parts."""
    s = str(source)
    if s.lower().rstrip("/").endswith(PARQUET_SUFFIXES):
        return True
    if _is_uri(s):
        return s.endswith("/")
    return os.path.isdir(s)


@dataclass(frozen=True)
class Part:
    path: str  # as the filesystem names it (what Ray reports in ``path``)
    name: str  # as the user knows it (problems name it)
    rows: int
    plain_id: bool = True  # the file spells ``runner_id`` exactly (pass 1 reads it alone)


def _filesystem(source: str):
    import pyarrow.fs as pafs

    if _is_uri(source):
        try:
            return pafs.FileSystem.from_uri(source)
        except Exception as exc:
            raise ReadProblem(source, f"cannot be opened: {str(exc).splitlines()[0]}") from None
    return pafs.LocalFileSystem(), os.path.abspath(source)


def list_parts(source: str) -> tuple[Any, list[Part]]:
    """The part files of ``source`` (sorted by path), their row counts, and their columns
    checked — from the footers only."""
    import pyarrow.fs as pafs
    import pyarrow.parquet as pq

    from ..io._base import clean_columns
    from ..validate.schemas import check_columns

    fs, root = _filesystem(source)
    info = fs.get_file_info(root)
    if info.type == pafs.FileType.NotFound:
        raise ReadProblem(source, "no such file or directory")
    if info.type == pafs.FileType.File:
        found = [(root, source)]
    else:
        base = root.rstrip("/")
        entries = fs.get_file_info(pafs.FileSelector(base, recursive=True))
        found = []
        for e in entries:
            rel = e.path[len(base):].lstrip("/")
            if (e.type == pafs.FileType.File and rel.lower().endswith(PARQUET_SUFFIXES)
                    and not any(p.startswith((".", "_")) for p in rel.split("/"))):
                found.append((e.path, f"{source.rstrip('/')}/{rel}"))
        found.sort()
        if not found:
            raise ReadProblem(source, "is a directory with no .parquet part files")
    parts = []
    for path, name in found:
        try:
            with fs.open_input_file(path) as fh:
                meta = pq.ParquetFile(fh).metadata
                rows, names = meta.num_rows, meta.schema.to_arrow_schema().names
        except Exception as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
            raise ReadProblem(name, f"cannot be read as Parquet: {first}") from None
        columns = clean_columns(pl.DataFrame(schema={c: pl.Null for c in names}), name).columns
        check_columns(columns, "runners", name)
        parts.append(Part(path, name, rows, R.runner_id in names))
    return fs, parts


# ---------------------------------------------------------------------------------------
# Row numbers from Ray's row_hash


_M = (1 << 64) - 1
_INV1 = pow(0xBF58476D1CE4E5B9, -1, 1 << 64)
_INV2 = pow(0x94D049BB133111EB, -1, 1 << 64)


def _seed(path: str) -> int:
    return int.from_bytes(hashlib.md5(path.encode("utf-8"), usedforsecurity=False)
                          .digest()[:8], "little")


def _unmix(h: np.ndarray) -> np.ndarray:
    """The inverse of the splitmix64 finalizer Ray's ``row_hash`` applies."""
    h = h.astype(np.uint64, copy=True)
    with np.errstate(over="ignore"):
        h ^= (h >> np.uint64(31)) ^ (h >> np.uint64(62))
        h *= np.uint64(_INV2)
        h ^= (h >> np.uint64(27)) ^ (h >> np.uint64(54))
        h *= np.uint64(_INV1)
        h ^= (h >> np.uint64(30)) ^ (h >> np.uint64(60))
    return h


def positions(frame: pl.DataFrame, parts: list[Part]) -> pl.DataFrame:
    """``frame`` (with Ray's ``path`` and ``row_hash``) without them, plus ``__file`` (the
    part's index) and ``__row`` (1-based data row in that part)."""
    index = {p.path: i for i, p in enumerate(parts)}
    paths = frame.get_column(_PATH)
    hashes = frame.get_column(_HASH).cast(pl.UInt64).to_numpy()
    file_idx = np.empty(frame.height, dtype=np.int64)
    rows = np.empty(frame.height, dtype=np.int64)
    for path in paths.unique().to_list():
        if path not in index:
            raise RuntimeError(f"Ray read {path!r}, which is not one of the listed parts")
        i = index[path]
        mask = (paths == path).to_numpy()
        with np.errstate(over="ignore"):
            offset = _unmix(hashes[mask]) - np.uint64(_seed(path))
        if offset.size and int(offset.max()) >= parts[i].rows:
            raise RuntimeError(
                f"{parts[i].name}: Ray's row_hash no longer encodes the row position "
                "(this Ray version changed it), so rows cannot be numbered; use "
                "--engine local or a Ray version from 2.49 to 2.60")
        file_idx[mask] = i
        rows[mask] = offset.astype(np.int64) + 1
    return frame.drop(_PATH, _HASH).with_columns(
        pl.Series(_FILE, file_idx), pl.Series(ROW, rows))


def _key_expr() -> pl.Expr:
    """runner_id as validation reads it: text, stripped, empty = missing."""
    t = pl.col(R.runner_id).cast(pl.String).str.strip_chars()
    return pl.when(t == "").then(None).otherwise(t)


def _pos_expr() -> pl.Expr:
    return (pl.col(_FILE).cast(pl.Int64) * (1 << _POS_BITS)) + pl.col(ROW)


# ---------------------------------------------------------------------------------------
# Worker functions (run inside Ray tasks; pure but for a per-process cache)


@dataclass(frozen=True)
class Context:
    """Everything a worker needs, shipped once per task through the object store."""

    token: str
    parts: list[Part]
    offers: Any  # Arrow table
    catalog: Catalog  # path dropped: workers rebuild the similarity space from the frame
    top: int
    repeated: list[Any] = field(default_factory=list)  # object refs of (__key, __first)
    #: ``annotate(problems, raw, key_column)``: adds the rejects' ``key`` and ``raw``
    #: columns (``recommender.batch.run.annotate``, passed in to keep imports one-way)
    annotate: Callable[[pl.DataFrame, pl.DataFrame, str], pl.DataFrame] | None = None
    min_score: float = MIN_MATCH_SCORE  # a match counts toward coverage from this score


_CACHE: dict[str, dict[str, Any]] = {}


def _state(ctx: Context) -> dict[str, Any]:
    state = _CACHE.get(ctx.token)
    if state is None:
        _CACHE.clear()
        import ray

        tables = [pl.from_arrow(t) for t in ray.get(list(ctx.repeated))] if ctx.repeated else []
        tables = [t for t in tables if t.height]  # type: ignore[union-attr]
        repeated = (pl.concat(tables).select(_KEY, _FIRST) if tables  # type: ignore[arg-type]
                    else pl.DataFrame(schema={_KEY: pl.String, _FIRST: pl.Int64}))
        offers = pl.from_arrow(ctx.offers)
        stores = store_list(offers)  # type: ignore[arg-type]
        state = {"offers": offers, "repeated": repeated, "ids": ctx.catalog.ids,
                 "stocked": stocked_models(offers), "stores": stores,  # type: ignore[arg-type]
                 "schema": output_schema(stores is not None), "distances": None}
        _CACHE[ctx.token] = state
    return state


def key_batch(table, ctx: Context):
    """Pass 1: (runner_id key, position) of every row with an id."""
    from ..io._base import clean_columns

    frame = positions(clean_columns(pl.from_arrow(table), "runners"), ctx.parts)  # type: ignore[arg-type]
    return frame.select(_key_expr().alias(_KEY), _pos_expr().alias(_POS)) \
        .filter(pl.col(_KEY).is_not_null()).to_arrow()


def repeats_in_bucket(bucket: int, buckets: int, *tables):
    """The ids of one hash bucket seen more than once, with their first position."""
    frames = [pl.from_arrow(t) for t in tables if t.num_rows]
    if not frames:
        return pl.DataFrame(schema={_KEY: pl.String, _FIRST: pl.Int64}).to_arrow()
    frame = pl.concat(frames)  # type: ignore[arg-type]
    mine = frame.filter(pl.col(_KEY).hash(seed=7) % buckets == bucket)
    return mine.group_by(_KEY).agg(pl.len().alias("n"), pl.col(_POS).min().alias(_FIRST)) \
        .filter(pl.col("n") > 1).select(_KEY, _FIRST).to_arrow()


def _ipc(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_ipc(buf)
    return buf.getvalue()


def _from_ipc(data: bytes) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(data))


def _unique_problems(rows: pl.DataFrame, file: str) -> pl.DataFrame:
    from ..validate.messages import UNIQUE

    return rows.select(pl.lit(file).alias("file"), pl.col(ROW).alias("row"),
                       pl.lit(R.runner_id).alias("column"), pl.col(_KEY).alias("value"),
                       pl.lit(UNIQUE).alias("rule")).cast(PROBLEM_SCHEMA)  # type: ignore[arg-type]


def validate_batch(frame: pl.DataFrame, ctx: Context, repeated: pl.DataFrame,
                   ids: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Raw rows (with ``__file``, ``__row``) → (valid runners, problems): per part file,
    ``validate_raw``; then every row whose runner_id appeared on an earlier row anywhere
    in the dataset is quarantined."""
    from ..validate.messages import UNIQUE

    frame = frame.with_columns(_key_expr().alias(_KEY), _pos_expr().alias(_POS)) \
        .join(repeated, on=_KEY, how="left") \
        .with_columns((pl.col(_FIRST).is_not_null() & (pl.col(_POS) != pl.col(_FIRST)))
                      .alias("__dup")).sort(_FILE, ROW)
    valid, problems = [], []
    for (i,), group in frame.group_by(_FILE, maintain_order=True):
        name = ctx.parts[int(i)].name  # type: ignore[call-overload]
        raw = group.drop(_FILE, _KEY, _POS, _FIRST, "__dup")
        result = validate_raw(raw, "runners", file=name, catalog_ids=ids)
        dups = group.filter(pl.col("__dup"))
        found = result.problems
        if dups.height:
            flagged = found.filter(
                (pl.col("column") == R.runner_id) & (pl.col("rule") == UNIQUE)).get_column("row")
            extra = _unique_problems(dups.filter(~pl.col(ROW).is_in(flagged.implode())), name)
            found = pl.concat([found, extra])
            valid.append(result.frame.filter(~pl.col(ROW).is_in(dups.get_column(ROW).implode())))
        else:
            valid.append(result.frame)
        problems.append(ctx.annotate(found, raw, R.runner_id) if ctx.annotate else found)
    runners = pl.concat(valid, how="diagonal_relaxed") if valid else pl.DataFrame()
    found = pl.concat(problems) if problems else _no_problems(ctx)
    return runners.drop(ROW, strict=False), found


def _no_problems(ctx: Context) -> pl.DataFrame:
    empty = pl.DataFrame(schema=PROBLEM_SCHEMA)
    return ctx.annotate(empty, pl.DataFrame(), "") if ctx.annotate else empty


def score_batch(table, ctx: Context):
    """Pass 2: a batch of raw runner rows → its scored rows plus one side row."""
    from ..io._base import clean_columns

    state = _state(ctx)
    cat = ctx.catalog.frame
    raw = positions(clean_columns(pl.from_arrow(table), "runners"), ctx.parts)  # type: ignore[arg-type]
    runners, problems = validate_batch(raw, ctx, state["repeated"], state["ids"])
    stores = state["stores"] is not None
    if runners.height:
        scored = score_chunk(runners, state["offers"], cat, ctx.top).cast(state["schema"])
        segments, unmatched = chunk_coverage(
            runners, cat, scored, stocked=state["stocked"],
            distances=lambda: _distances(ctx, state), stores=state["stores"],
            min_score=ctx.min_score)
    else:
        scored = pl.DataFrame(schema=state["schema"])
        segments, unmatched = pl.DataFrame(), empty_alternatives(stores)
    side = pl.DataFrame({KIND: ["side"], REJECTS: [_ipc(problems)], SEGMENTS: [_ipc(segments)],
                         UNMATCHED: [_ipc(unmatched)], READ: [raw.height],
                         SCORED: [runners.height]})
    first = raw.select(_pos_expr().min()).item() if raw.height else -1
    out = pl.concat([scored.with_columns(pl.lit("scored").alias(KIND)), side],
                    how="diagonal_relaxed").with_columns(pl.lit(first, pl.Int64).alias(ORDER))
    return out.select([pl.col(c).cast(t) for c, t in combined_schema(stores).items()]).to_arrow()


def _distances(ctx: Context, state: dict[str, Any]) -> pl.DataFrame:
    if state["distances"] is None:
        from ..space import shoe_space

        state["distances"] = shoe_space(ctx.catalog).distance_frame()
    return state["distances"]


def scored_only(table, columns: list[str]):
    import pyarrow.compute as pc

    return table.filter(pc.equal(table[KIND], "scored")).select(columns)


def sides_only(table):
    import pyarrow.compute as pc

    return table.filter(pc.equal(table[KIND], "side")).select(
        [REJECTS, SEGMENTS, UNMATCHED, READ, SCORED])


def _bounds(table) -> tuple[int, int, bool]:
    """A materialised block's (first, last) batch order key and whether its batches are in
    order ((-1, -1, True) for a block of no batch)."""
    import numpy as np

    if table.num_rows == 0:
        return (-1, -1, True)
    order = table[ORDER].to_numpy()
    return (int(order.min()), int(order.max()), bool(np.all(order[1:] >= order[:-1])))


def scored_in_input_order(ray, combined, columns: list[str]) -> list:
    """The scored rows of ``combined`` as Arrow block refs in input order, one per block
    (each written as one part by :func:`write_part`).

    Ray Data keeps the materialised blocks' contents in order, but neither the order of the
    block list nor a later writer is relied on: the blocks are sorted by the first input
    position of their batches (``__order``). A block whose batches are out of order, or two
    blocks whose ranges interleave, is an error rather than a silent reordering (never
    seen: each block is one task's output)."""
    refs = list(combined.to_arrow_refs())
    bounds = ray.get([ray.remote(_bounds).remote(r) for r in refs])
    ordered = sorted(zip(bounds, range(len(refs)), refs, strict=True), key=lambda t: t[:2])
    kept = [(b, r) for b, _, r in ordered if b[0] >= 0]
    if not all(b[2] for b, _ in kept) or any(
            nxt[0][0] <= prev[0][1] for prev, nxt in itertools.pairwise(kept)):
        raise RuntimeError("Ray returned scored batches out of input order; "
                           "use --engine local")
    task = ray.remote(scored_only)
    return [task.remote(r, columns) for _, r in kept]


# ---------------------------------------------------------------------------------------
# The atomic output directory


class StagedDirectory:
    """A directory written in full beside ``target`` and renamed onto it on success."""

    def __init__(self, target: Path):
        self.target = target
        self.parent = target.parent if str(target.parent) else Path(".")
        for old in self._stale():
            _remove(old)
        self.tmp = self.parent / f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part"
        self._aside: Path | None = None

    def _stale(self) -> list[Path]:
        out = []
        for p in self.parent.glob(f".{self.target.name}.*.part"):
            try:
                pid = int(p.name[len(self.target.name) + 2:].split(".")[0])
            except ValueError:
                continue  # a side file's temporary, not ours
            if pid == os.getpid():
                continue
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                out.append(p)
            except PermissionError:
                pass
        return out

    def commit(self) -> None:
        """Rename the new directory onto the target; an existing target is moved aside
        first (and put back if the rename fails)."""
        if self.target.exists() or self.target.is_symlink():
            self._aside = self.parent / f".{self.target.name}.{os.getpid()}.old.part"
            os.replace(self.target, self._aside)
        try:
            os.replace(self.tmp, self.target)
        except BaseException:
            if self._aside is not None:
                os.replace(self._aside, self.target)
                self._aside = None
            raise

    def rollback(self) -> None:
        """After a commit, if the side files then failed: put the old output back."""
        _remove(self.target)
        if self._aside is not None:
            os.replace(self._aside, self.target)
            self._aside = None

    def finish(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self._aside is not None:
            _remove(self._aside)
            self._aside = None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def write_part(table, path: str, compression: str = "zstd") -> int:
    """Write one block's scored rows, in order, as the Parquet part ``path`` (run as a Ray
    task where the block lives); returns the rows written (an empty block writes nothing)."""
    import pyarrow.parquet as pq

    if table.num_rows:
        pq.write_table(table, path, compression=compression)
    return table.num_rows


# ---------------------------------------------------------------------------------------
# The driver


def _user_error(exc: BaseException) -> GaitkeeperError | None:
    """A worker's input error, however Ray wrapped it."""
    seen = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, GaitkeeperError):
            return e
        stack.extend([getattr(e, "cause", None), e.__cause__, e.__context__])
    return None


def _check_out(out: str, inputs: Iterable[str]) -> Path:
    if _is_uri(out):
        raise BatchError(f"{out}: the ray engine writes to a local or mounted path (every "
                         "node must see it at the same path), not a URI")
    target = Path(out)
    if target.suffix.lower() not in ("", *PARQUET_SUFFIXES):
        raise BatchError(f"{out}: the ray engine writes a directory of Parquet parts: name "
                         "it x.parquet (or a directory, e.g. scored/)")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise ReadProblem(out, f"output directory {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ReadProblem(out, f"output directory {str(parent)!r} is not writable")
    resolved = target.resolve()
    for i in inputs:
        if not _is_uri(i):
            p = Path(i).resolve()
            if resolved == p or resolved in p.parents:
                raise ReadProblem(out, f"is (or holds) the input {i!r}: writing it would "
                                       "destroy it; name another output")
    return target


def _first(problems: pl.DataFrame) -> str:
    r = problems.row(0, named=True)
    return f"{r['file']}: row {r['row']}, column {r['column']}: {r['rule']}"


def score_parquet_dataset(inventory: str | os.PathLike[str], runners: str | os.PathLike[str],
                          out: str | os.PathLike[str], *, summary: Any,
                          sides: dict[str, Path],
                          catalog: Catalog | str | os.PathLike[str] | None = None,
                          top: int = 5, strict: bool = False, chunk_size: int = 50_000,
                          progress: bool | None = None, on_progress=None,
                          annotate: Callable[[pl.DataFrame, pl.DataFrame, str], pl.DataFrame]
                          | None = None, min_score: float = MIN_MATCH_SCORE) -> Any:
    """Score a Parquet dataset of runners (a file or a directory of parts, any pyarrow
    filesystem) on Ray Data into the directory ``out`` and the side files ``sides``
    (``rejects``, ``coverage``, ``unmatched``). Fills and returns ``summary`` (a
    :class:`recommender.batch.Summary`)."""
    started = time.perf_counter()
    if top < 1:
        raise BatchError("--top must be at least 1")
    if chunk_size < 1:
        raise BatchError("chunk size must be at least 1")
    out, source, inv_name = str(out), str(runners), str(inventory)
    inputs = [inv_name, source, *([] if catalog is None or isinstance(catalog, Catalog)
                                  else [str(catalog)])]
    target = _check_out(out, inputs)
    check_outputs([str(p) for p in sides.values()], inputs=inputs)
    cat = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)

    fs, parts = list_parts(source)
    total = sum(p.rows for p in parts)
    if total == 0:
        raise BatchError(f"{source}: no runner rows")

    raw_inv = read_raw(inventory, "inventory")
    if raw_inv.height == 0:
        raise ReadProblem(inv_name, "has a header but no data rows")
    inv = validate_raw(raw_inv, "inventory", file=inv_name, catalog_ids=cat.ids)
    inv_problems = annotate(inv.problems, raw_inv, InvCol.sku) if annotate else inv.problems
    summary.inventory_rows = raw_inv.height
    summary.inventory_rejected = inv_problems.get_column("row").n_unique()
    if strict and inv_problems.height:
        raise BatchError(f"{inv_name}: {summary.inventory_rejected} invalid inventory row(s) "
                         f"(--strict); first: {_first(inv_problems)}")
    offers = prepare_offers(inv.frame.drop(ROW), cat)
    if offers.height == 0:
        raise BatchError(f"{inv_name}: no valid in-stock rows to score against")

    from ._ray import connect

    ray = connect()
    data_ctx = ray.data.DataContext.get_current()
    saved = (data_ctx.execution_options.preserve_order, data_ctx.enable_progress_bars)
    data_ctx.execution_options.preserve_order = True
    data_ctx.enable_progress_bars = sys.stderr.isatty() if progress is None else bool(progress)
    staged = StagedDirectory(target)
    committed = False
    try:
        ctx = Context(uuid.uuid4().hex, parts, offers.to_arrow(), replace(cat, path=None), top,
                      annotate=annotate, min_score=min_score)
        try:
            rejects, cov, alts, read, scored = _run(ray, fs, parts, ctx, chunk_size, strict,
                                                    staged)
        except GaitkeeperError:
            raise
        except Exception as exc:
            user = _user_error(exc)
            if user is not None:
                raise user from None
            raise
        summary.runners_read, summary.runners_scored = read, scored
        rejects = pl.concat([inv_problems, rejects]).sort("file", "row", "column",
                                                          nulls_last=False)
        summary.runners_rejected = rejects.filter(pl.col("file") != inv_name) \
            .select("file", "row").unique().height
        summary.runners_without_match, summary.runners_no_catalog_shoe = not_served(cov)
        summary.rows_written = _count_rows(staged.tmp)
        with StagedOutputs() as side_files:
            side_files.write_csv(rejects.rename({"rule": "reason"}), sides["rejects"])
            side_files.write_csv(cov, sides["coverage"])
            side_files.write_csv(alts, sides["unmatched"])
            staged.commit()  # the directory first: the side files follow only if it lands
            committed = True
    except BaseException:
        if committed:  # the side files could not be renamed: put the old output back
            staged.rollback()
        raise
    finally:
        staged.finish()
        data_ctx.execution_options.preserve_order, data_ctx.enable_progress_bars = saved
    if on_progress is not None:
        on_progress(summary.runners_read, total)
    summary.seconds = time.perf_counter() - started
    summary.outputs = {"scored": out, **{k: str(v) for k, v in sides.items()}}
    return summary


def _run(ray, fs, parts: list[Part], ctx: Context, chunk_size: int, strict: bool,
         staged: StagedDirectory):
    paths = [p.path for p in parts]

    def read(columns: list[str] | None = None):
        ds = ray.data.read_parquet(paths, filesystem=fs, include_paths=True,
                                   include_row_hash=True, file_extensions=None,
                                   partitioning=None)
        return ds.select_columns([*columns, _PATH, _HASH]) if columns else ds

    # pass 1: ids seen more than once, and where each was first seen — (key, position) of
    # every row, then one task per hash bucket of the keys (an all-to-all on Ray core:
    # each task pulls only its bucket's rows from every block); the results stay in the
    # object store and go to the workers by reference
    only_id = all(p.plain_id for p in parts)
    keys = read([R.runner_id] if only_id else None).map_batches(
        key_batch, fn_kwargs={"ctx": ctx}, batch_format="pyarrow",
        batch_size=chunk_size).materialize()
    blocks = list(keys.to_arrow_refs())
    buckets = max(1, min(64, int(ray.cluster_resources().get("CPU", 1))))
    task = ray.remote(repeats_in_bucket)
    repeated = [task.remote(b, buckets, *blocks) for b in range(buckets)]
    ctx = replace(ctx, repeated=repeated)

    # pass 2: validate, score, count on the workers; materialised once
    combined = read().map_batches(score_batch, fn_kwargs={"ctx": ctx},
                                  batch_format="pyarrow", batch_size=chunk_size).materialize()
    rejects, segments, unmatched = [], [], []
    n_read = n_scored = 0
    for batch in combined.map_batches(sides_only, batch_format="pyarrow") \
            .iter_batches(batch_format="pyarrow", batch_size=None):
        for row in batch.to_pylist():
            rejects.append(_from_ipc(row[REJECTS]))
            seg = _from_ipc(row[SEGMENTS])
            if seg.height:
                segments.append(seg)
            unmatched.append(_from_ipc(row[UNMATCHED]))
            n_read += row[READ]
            n_scored += row[SCORED]
    found = pl.concat(rejects).cast(PROBLEM_SCHEMA) if rejects \
        else _no_problems(ctx)  # type: ignore[arg-type]
    if strict and found.height:
        first = found.sort("file", "row", "column", nulls_last=False)
        raise BatchError(f"invalid runner row(s) (--strict); first: {_first(first)}")
    if n_scored == 0:
        raise BatchError(f"{parts[0].name if len(parts) == 1 else 'runners'}: no valid runner "
                         "rows (see the rejects: `gaitkeeper validate … --kind runners`); "
                         "nothing written")
    stores = store_list(pl.from_arrow(ctx.offers))  # type: ignore[arg-type]
    schema = output_schema(stores is not None)
    alts = pl.concat(unmatched) if unmatched else empty_alternatives(stores is not None)

    scored = scored_in_input_order(ray, combined, list(schema))
    staged.tmp.mkdir(parents=True, exist_ok=True)
    task = ray.remote(write_part)
    ray.get([task.remote(ref, str(staged.tmp / f"part-{i:06d}.parquet"))
             for i, ref in enumerate(scored)])
    if not any(staged.tmp.glob("*.parquet")):  # no rows at all: still a valid, empty table
        staged.tmp.mkdir(parents=True, exist_ok=True)
        pl.DataFrame(schema=schema).write_parquet(staged.tmp / "part-000000.parquet")
    os.chmod(staged.tmp, 0o777 & ~_umask())
    store_key = [InvCol.store_id] if stores is not None else []
    cov = coverage(pl.concat(segments) if segments else empty_counts(stores is not None))
    return found, cov, alts.sort(R.runner_id, *store_key), n_read, n_scored


def _count_rows(directory: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(p).metadata.num_rows for p in directory.glob("*.parquet"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
