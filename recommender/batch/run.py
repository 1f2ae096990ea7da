"""Batch scoring of a store's inventory against its customers (SPEC §6).

:func:`score_inventory` takes frames or paths and returns a :class:`BatchResult` in memory
(the app, notebooks); :func:`write_outputs` writes one. :func:`score_inventory_files`
streams a runners file of any size chunk by chunk (memory does not grow with the number of
runners) straight into the output — the command line's path. Both run the same loop
(:class:`_Run`): validate each chunk, quarantine invalid rows, score with the chosen
backend, count coverage and find alternatives for runners with no match.

All outputs of a run appear together or not at all: every file is written to a temporary
file beside its target, and only when all are complete are they renamed into place.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ..catalog import Catalog, load_catalog
from ..errors import BatchError, ReadProblem, checkpoint, deferred_interrupts
from ..io.registry import check_input, count_rows, file_format, iter_raw_batches, read_raw
from ..io.tables import validate_raw
from ..io.write import StagedOutputs, check_outputs, neutralise_formulas
from ..rules.sources import MIN_MATCH_SCORE
from ..spec.vocab import InvCol, R
from ..validate.coerce import ERRORS, PROBLEM_SCHEMA, ROW, as_text, with_row_numbers
from ._local import prefetch
from .chunk import OUTPUT_SCHEMA, output_schema, texts_categorical
from .coverage import chunk_coverage, coverage, empty_alternatives, empty_counts, not_served
from .offers import prepare_offers, stocked_models, store_list

DEFAULT_CHUNK = 50_000
#: The columns of ``<out>.rejects.csv``: where and why, then the row's key (SKU or
#: runner_id) and its raw values (``column=value; …``, each value cut to 80 characters).
REJECT_COLUMNS = ("file", "row", "column", "value", "reason", "key", "raw")
RAW_VALUE_CHARS = 80
Source = str | os.PathLike[str] | pl.DataFrame
ProgressCallback = Callable[[int, int | None], None]
ChunkScorer = Callable[[Iterator[pl.DataFrame], pl.DataFrame, pl.DataFrame, int],
                       Iterator[tuple[pl.DataFrame, pl.DataFrame]]]


@dataclass
class Summary:
    runners_read: int = 0
    runners_scored: int = 0
    runners_rejected: int = 0
    runners_without_match: int = 0  # served by no store (no match at or above min_score)
    runners_no_catalog_shoe: int = 0  # of those: no catalog shoe passes their own filters
    inventory_rows: int = 0
    inventory_rejected: int = 0
    rows_written: int = 0
    seconds: float = 0.0
    outputs: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        return (f"scored {self.runners_scored} runner(s), rejected {self.runners_rejected} "
                f"runner row(s) and {self.inventory_rejected} inventory row(s); "
                f"{self.runners_without_match} runner(s) with no in-stock match "
                f"({self.runners_no_catalog_shoe} of them: no catalog shoe passes their "
                "filters); "
                f"{self.rows_written} row(s) written in {self.seconds:.1f} s")


@dataclass(frozen=True)
class BatchResult:
    """A whole run in memory: the matches, the rejected rows, coverage per segment and the
    runners with no match. :func:`write_outputs` writes it."""

    scored: pl.DataFrame
    rejects: pl.DataFrame
    coverage: pl.DataFrame
    unmatched: pl.DataFrame
    summary: Summary


def side_paths(out: str | os.PathLike[str]) -> dict[str, Path]:
    out = Path(out)
    return {
        "rejects": out.with_name(out.name + ".rejects.csv"),
        "coverage": out.with_name(out.name + ".coverage.csv"),
        "unmatched": out.with_name(out.name + ".unmatched.csv"),
    }


def _name(source: Source, given: str | None, what: str) -> str:
    if given:
        return given
    return f"({what} frame)" if isinstance(source, pl.DataFrame) else str(source)


def _engine(name: str) -> ChunkScorer:
    if name == "local":
        from ._local import local_engine

        return local_engine
    if name == "ray":
        from ._ray import ray_engine  # Ray is imported only when asked for

        return ray_engine
    raise BatchError(f"unknown engine {name!r}: use local or ray")


def _first(problems: pl.DataFrame) -> str:
    r = problems.row(0, named=True)
    return f"row {r['row']}, column {r['column']}: {r['rule']}"


def _raw(source: Source, kind: str, name: str) -> pl.DataFrame:
    if isinstance(source, pl.DataFrame):
        return source if ROW in source.columns else with_row_numbers(source)
    raw = read_raw(source, kind, name)
    if raw.height == 0:
        raise ReadProblem(name, "has a header but no data rows")
    return raw


def _with_name(frame: pl.DataFrame, name: str, path: str | None) -> pl.DataFrame:
    """Problems name the file the user knows (an upload's own name, never a temp path)."""
    if path is None or path == name:
        return frame
    return frame.with_columns(pl.lit(name).alias("file"))


def annotate(problems: pl.DataFrame, raw: pl.DataFrame, key: str) -> pl.DataFrame:
    """Problems with two more columns that say which row they are: ``key`` (the row's
    ``key`` column as written) and ``raw`` (its non-empty cells as ``column=value; …``,
    each value cut to :data:`RAW_VALUE_CHARS` characters)."""
    if problems.height == 0:
        return problems.with_columns(pl.lit(None, dtype=pl.String).alias("key"),
                                     pl.lit(None, dtype=pl.String).alias("raw"))
    sub = raw.filter(pl.col(ROW).is_in(problems.get_column("row").drop_nulls().implode()))
    cols = [c for c in sub.columns if c not in (ROW, ERRORS)]

    def text(c: str) -> pl.Expr:
        t = as_text(c, sub.schema[c])
        return (pl.when(t.str.len_chars() > RAW_VALUE_CHARS)
                .then(t.str.slice(0, RAW_VALUE_CHARS - 1) + pl.lit("…")).otherwise(t))

    parts = [pl.when(text(c).is_not_null() & (text(c) != ""))
             .then(pl.lit(f"{c}=") + text(c)) for c in cols]
    info = sub.select(
        pl.col(ROW).cast(pl.Int64).alias("row"),
        (text(key) if key in sub.columns else pl.lit(None, dtype=pl.String)).alias("key"),
        (pl.concat_str(parts, separator="; ", ignore_nulls=True) if parts
         else pl.lit(None, dtype=pl.String)).alias("raw"),
    )
    return problems.join(info, on="row", how="left", nulls_equal=True, maintain_order="left")


class _Dedup:
    """runner_id must be unique across the whole file, not only within a chunk: the first
    row with an id wins; later ones are rejected."""

    def __init__(self) -> None:
        self.seen = pl.Series("h", [], dtype=pl.UInt64)

    def split(self, frame: pl.DataFrame, file: str) -> tuple[pl.DataFrame, pl.DataFrame]:
        from ..validate.messages import UNIQUE

        hashes = frame.get_column(R.runner_id).hash(seed=7)
        dup = hashes.is_in(self.seen.implode())
        self.seen = pl.concat([self.seen, hashes.filter(~dup).alias("h")])
        rejected = frame.filter(dup).select(
            pl.lit(file).alias("file"), pl.col(ROW).alias("row"),
            pl.lit(R.runner_id).alias("column"), pl.col(R.runner_id).alias("value"),
            pl.lit(UNIQUE).alias("rule"))
        return frame.filter(~dup), rejected.cast(PROBLEM_SCHEMA)  # type: ignore[arg-type]


class _Run:
    """One run's state: the inventory's offers, and what the chunk loop gathers."""

    def __init__(self, inventory: Source, runners: Source, *, catalog, top: int, strict: bool,
                 chunk_size: int, engine: str, inventory_name: str | None,
                 runners_name: str | None, on_progress: ProgressCallback | None,
                 progress: bool | None = False, min_score: float = MIN_MATCH_SCORE):
        if not 0 <= min_score <= 100:
            raise BatchError("--min-score must be between 0 and 100")
        if top < 1:
            raise BatchError("--top must be at least 1")
        if chunk_size < 1:
            raise BatchError("chunk size must be at least 1")
        self.started = time.perf_counter()
        self.top, self.strict, self.chunk_size = top, strict, chunk_size
        self.min_score = min_score
        self.inv_name = _name(inventory, inventory_name, "inventory")
        self.run_name = _name(runners, runners_name, "runners")
        self.runners = runners
        self.scorer = _engine(engine)
        self.cat = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
        self.summary = Summary()
        self.problems: list[pl.DataFrame] = []
        self._sinks: tuple[Callable[[pl.DataFrame], None], Callable[[pl.DataFrame], None]
                           ] | None = None
        self._lock = threading.Lock()  # rejects come from the prefetch thread
        self._dedup = _Dedup()
        self._read_sizes: deque[int] = deque()  # raw rows per validated chunk, in order
        # The first runners are read and validated (in a thread, one chunk ahead) while the
        # inventory is: the run starts scoring as soon as the offers are ready.
        self._chunks = prefetch(self._valid_chunks())
        try:
            self._offers(inventory)
        except BaseException:
            self.close()
            raise
        total = (self.runners.height if isinstance(self.runners, pl.DataFrame)
                 else (count_rows(self.runners) if (progress or on_progress) else None))
        self.bar = _Progress(total, enabled=progress, callback=on_progress)

    def close(self) -> None:
        """Stop reading runners ahead (in the normal flow, not by the garbage collector)."""
        self._chunks.close()

    def _offers(self, inventory: Source) -> None:
        raw = _raw(inventory, "inventory", self.inv_name)
        result = validate_raw(raw, "inventory", file=self.inv_name, catalog_ids=self.cat.ids)
        inv_problems = annotate(result.problems, raw, InvCol.sku)
        self.summary.inventory_rows = raw.height
        self.summary.inventory_rejected = inv_problems.get_column("row").n_unique()
        if self.strict and inv_problems.height:
            raise BatchError(f"{self.inv_name}: {self.summary.inventory_rejected} invalid "
                             f"inventory row(s) (--strict); first: {_first(inv_problems)}")
        self.offers = prepare_offers(result.frame.drop(ROW), self.cat)
        if self.offers.height == 0:
            raise BatchError(f"{self.inv_name}: no valid in-stock rows to score against")
        self.stores = store_list(self.offers)  # None: the inventory names no store
        self.schema = output_schema(self.stores is not None)
        self.wire = texts_categorical(self.schema)  # chunks in flight (see the writer)
        self._reject(inv_problems, first=True)
        self.segments: list[pl.DataFrame] = []
        self.unmatched: list[pl.DataFrame] = []
        self._distances: pl.DataFrame | None = None
        self._stocked = stocked_models(self.offers)

    def stream_to(self, rejects: Callable[[pl.DataFrame], None],
                  unmatched: Callable[[pl.DataFrame], None]) -> None:
        """Hand rejected rows and unmatched runners to these writers chunk by chunk instead
        of keeping them (memory stays bounded however many rows are rejected)."""
        with self._lock:
            self._sinks = (rejects, unmatched)
            for frame in self.problems:
                rejects(frame.rename({"rule": "reason"}))
            self.problems = []

    def _reject(self, frame: pl.DataFrame, first: bool = False) -> None:
        with self._lock:
            if self._sinks is None:
                self.problems.insert(0 if first else len(self.problems), frame)
            elif frame.height:
                self._sinks[0](frame.sort("row", "column", nulls_last=False)
                               .rename({"rule": "reason"}))

    def _no_match(self, frame: pl.DataFrame) -> None:
        if self._sinks is None:
            self.unmatched.append(frame)
        else:
            self._sinks[1](frame)

    def _raw_chunks(self) -> Iterator[pl.DataFrame]:
        src = self.runners
        if isinstance(src, pl.DataFrame):
            raw = _raw(src, "runners", self.run_name)
            for i in range(0, raw.height, self.chunk_size):
                yield raw.slice(i, self.chunk_size)
            return
        yield from iter_raw_batches(src, "runners", self.chunk_size, self.run_name)

    def _valid_chunks(self) -> Iterator[pl.DataFrame]:
        for raw in self._raw_chunks():
            self.summary.runners_read += raw.height
            result = validate_raw(raw, "runners", file=self.run_name, catalog_ids=self.cat.ids)
            frame, dupes = self._dedup.split(result.frame, self.run_name)
            bad = pl.concat([result.problems, dupes])
            self.summary.runners_rejected += bad.get_column("row").n_unique()
            self._reject(annotate(bad, raw, R.runner_id))
            if self.strict and (result.problems.height or dupes.height):
                first = result.problems if result.problems.height else dupes
                raise BatchError(f"{self.run_name}: invalid runner row(s) (--strict); first: "
                                 f"{_first(first)}")
            frame = frame.drop(ROW)
            self.summary.runners_scored += frame.height
            self._read_sizes.append(raw.height)  # reported once scored, by the caller's thread
            yield frame

    def scored_chunks(self) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
        """(validated runners, their top rows typed as :attr:`wire`) chunk by chunk; the
        caller passes each pair to :meth:`cover`, in order."""
        scored = self.scorer(self._chunks, self.offers, self.cat.frame, self.top)
        try:
            for chunk, result in scored:
                # progress from this (the caller's) thread: a front end such as Streamlit
                # may only update its page from the thread that called
                self.bar.advance(self._read_sizes.popleft())
                result = result.cast(self.wire)  # type: ignore[arg-type]
                self.summary.rows_written += result.height
                yield chunk, result
        finally:
            close = getattr(scored, "close", None)
            if close is not None:  # in the normal flow, not by the garbage collector
                close()
            self.close()
            self.bar.close()
        if self.summary.runners_read == 0:
            raise BatchError(f"{self.run_name}: no runner rows")
        if self.summary.runners_scored == 0:
            raise BatchError(f"{self.run_name}: no valid runner rows (see the problems: "
                             f"`gaitkeeper validate {self.run_name} --kind runners`); "
                             "nothing written")

    def cover(self, chunk: pl.DataFrame, result: pl.DataFrame) -> None:
        """Count one chunk's coverage and hand on its runners not served (chunks in the
        order :meth:`scored_chunks` gave them, one at a time)."""
        counts, missing = chunk_coverage(
            chunk, self.cat.frame, result, stocked=self._stocked,
            distances=self._distance_frame, stores=self.stores, min_score=self.min_score)
        self.segments.append(counts)
        if missing.height:
            self._no_match(missing)

    def _distance_frame(self) -> pl.DataFrame:
        if self._distances is None:
            from ..space import shoe_space

            self._distances = shoe_space(self.cat).distance_frame()
        return self._distances

    def sides(self) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
        """(rejects, coverage, unmatched), once the chunks are done (rejects and unmatched
        are empty when they were streamed)."""
        rejects = pl.concat(self.problems) if self.problems else annotate(
            pl.DataFrame(schema=PROBLEM_SCHEMA), pl.DataFrame(), "")
        rejects = rejects.sort("file", "row", "column", nulls_last=False)
        stores = self.stores is not None
        cov = coverage(pl.concat(self.segments) if self.segments else empty_counts(stores))
        alts = pl.concat(self.unmatched) if self.unmatched else empty_alternatives(stores)
        self.summary.runners_without_match, self.summary.runners_no_catalog_shoe = \
            not_served(cov)
        self.summary.seconds = time.perf_counter() - self.started
        return rejects.rename({"rule": "reason"}), cov, alts.sort(
            R.runner_id, *([InvCol.store_id] if stores else []))


def score_inventory(inventory: Source, runners: Source, *,
                    catalog: Catalog | str | os.PathLike[str] | None = None, top: int = 5,
                    strict: bool = False, chunk_size: int = DEFAULT_CHUNK,
                    engine: str = "local", on_progress: ProgressCallback | None = None,
                    inventory_name: str | None = None,
                    runners_name: str | None = None,
                    min_score: float = MIN_MATCH_SCORE) -> BatchResult:
    """Score every valid runner against the in-stock inventory, in memory.

    ``inventory``/``runners``: a path or a frame (text or typed columns, SPEC §6/§2.2);
    ``*_name``: the name problems report (an upload's own file name). Raises
    :class:`BatchError` or :class:`ReadProblem` on unusable input; invalid rows are in
    ``rejects`` (or raise under ``strict``).

    The scored rows carry the §6 contract columns first, then ``store_id`` when the
    inventory names its stores (the top ``top`` is then per runner *per store*), then the
    readable match (brand, model, version, line, size_us, width, quantity, price_usd). A
    match counts toward coverage only at a score of at least ``min_score``."""
    run = _Run(inventory, runners, catalog=catalog, top=top, strict=strict,
               chunk_size=chunk_size, engine=engine, inventory_name=inventory_name,
               runners_name=runners_name, on_progress=on_progress, min_score=min_score)
    parts = []
    chunks = run.scored_chunks()
    try:
        for chunk, result in chunks:
            run.cover(chunk, result)
            parts.append(result.cast(run.schema))  # type: ignore[arg-type]
    finally:
        chunks.close()  # stops the reading ahead (in the normal flow)
    scored = pl.concat(parts) if parts else pl.DataFrame(schema=run.schema)
    rejects, cov, alts = run.sides()
    return BatchResult(scored.select(list(run.schema)), rejects, cov, alts, run.summary)


def write_outputs(result: BatchResult, out: str | os.PathLike[str]) -> dict[str, str]:
    """Write a :class:`BatchResult`: ``out`` (Parquet or CSV) and its side files, all or
    none."""
    paths = side_paths(out)
    with StagedOutputs() as staged:
        main = staged.add(out)
        _write_main(result.scored, main, file_format(out))
        for key, frame in (("rejects", result.rejects), ("coverage", result.coverage),
                           ("unmatched", result.unmatched)):
            staged.write_csv(frame, paths[key])
    return {"scored": str(out), **{k: str(v) for k, v in paths.items()}}


def score_inventory_files(inventory: str | os.PathLike[str], runners: str | os.PathLike[str],
                          out: str | os.PathLike[str], *,
                          catalog: Catalog | str | os.PathLike[str] | None = None,
                          top: int = 5, strict: bool = False, chunk_size: int = DEFAULT_CHUNK,
                          engine: str = "local", progress: bool | None = None,
                          on_progress: ProgressCallback | None = None,
                          min_score: float = MIN_MATCH_SCORE) -> Summary:
    """Score a runners file of any size into ``out`` and its side files, streaming: the
    matches go to the output chunk by chunk; all files appear together, only if the run
    completes (an existing output is untouched otherwise). ``progress``: a bar on stderr
    (default: only on a TTY)."""
    # --- Ray Data pipeline (issue 15 item 3): Parquet runners (a file or a directory of
    # parts) with --engine ray are read, validated and scored on the workers, and --out
    # x.parquet becomes a directory of parts. See recommender/batch/distributed.py.
    if engine == "ray" and Path(str(out)).suffix.lower() != ".csv":
        from .distributed import is_parquet_dataset, score_parquet_dataset

        if is_parquet_dataset(runners):
            return score_parquet_dataset(
                inventory, runners, out, summary=Summary(), sides=side_paths(out),
                catalog=catalog, top=top, strict=strict, chunk_size=chunk_size,
                progress=progress, on_progress=on_progress, annotate=annotate,
                min_score=min_score)
    # --- end of the Ray Data branch
    out = str(out)
    if file_format(out) not in ("parquet", "csv"):
        raise BatchError(f"{out}: the output must be .parquet or .csv")
    paths = side_paths(out)
    inputs = [str(inventory), str(runners),
              *([] if catalog is None or isinstance(catalog, Catalog) else [str(catalog)])]
    # before anything is read: the inputs are usable files and the outputs can be written
    # (never over an input), so a bad --out costs no time and destroys nothing
    for path in inputs[:2]:
        check_input(path)
    check_outputs([out, *map(str, paths.values())], inputs=inputs)
    # Interrupts are raised between chunks (errors.deferred_interrupts), and the deferral
    # ends before the renames: an interrupt is either before them (nothing changed) or
    # handled as before during them.
    with StagedOutputs() as staged, deferred_interrupts():
        run = _Run(inventory, runners, catalog=catalog, top=top, strict=strict,
                   chunk_size=chunk_size, engine=engine, inventory_name=None,
                   runners_name=None, on_progress=on_progress, progress=progress,
                   min_score=min_score)
        try:
            checkpoint()
            main = staged.add(out)
            rejects = _CsvSink(staged, paths["rejects"], REJECT_COLUMNS,
                               by=("file", "row", "column"), numeric=("row",))
            unmatched = _CsvSink(
                staged, paths["unmatched"],
                tuple(empty_alternatives(run.stores is not None).columns),
                by=(R.runner_id, *([InvCol.store_id] if run.stores is not None else [])))
            writer = _ChunkWriter(main, file_format(out), run.schema)
        except BaseException:
            run.close()
            raise
        run.stream_to(rejects.write, unmatched.write)

        def write(result: pl.DataFrame) -> None:
            with staged.writing_to(out):
                writer.write(result)

        # While a chunk is scored here, the one before has its coverage counted in one
        # thread and its rows written in another (at most one chunk pending: memory stays
        # bounded; each thread keeps the chunks' order); an error there is raised here.
        pending: list[Future] = []
        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gaitkeeper-cover") \
                    as covering, \
                    ThreadPoolExecutor(max_workers=1, thread_name_prefix="gaitkeeper-write") \
                    as writing:
                chunks = run.scored_chunks()
                try:
                    for chunk, result in chunks:
                        checkpoint()
                        for done in pending:
                            done.result()
                        pending = [covering.submit(run.cover, chunk, result),
                                   writing.submit(write, result)]
                finally:
                    chunks.close()  # stops the reading ahead (in the normal flow)
                    for done in pending:
                        done.result()
        finally:
            writer.close()
            rejects.close()
            unmatched.close()
        _, cov, _ = run.sides()
        rejects.sort()
        unmatched.sort()
        staged.write_csv(cov, paths["coverage"])
        checkpoint()
        staged.writing = None  # the renames: a failure there is not a full disk
    run.summary.outputs = {"scored": out, **{k: str(v) for k, v in paths.items()}}
    return run.summary


class _CsvSink:
    """A spreadsheet-safe CSV written chunk by chunk (header first, even when empty), its
    rows finally in the order ``by`` (stable; ``numeric`` keys compared as numbers, nulls
    first) — whatever order the chunks came in: any chunk size, any engine."""

    def __init__(self, staged: StagedOutputs, target: Path, columns: tuple[str, ...],
                 by: tuple[str, ...], numeric: tuple[str, ...] = ()):
        self.columns = columns
        self.rows = 0
        self._keys = [pl.col(c).cast(pl.Int64, strict=False) if c in numeric else pl.col(c)
                      for c in by]
        self._last: tuple | None = None  # the last key written so far
        self._in_order = True  # the chunks came in key order (e.g. runners sorted by id)
        self._staged, self._name = staged, str(target)
        self._fh = open(staged.add(target), "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._fh.write(pl.DataFrame(schema={c: pl.String for c in columns}).write_csv())

    def write(self, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        lists = [n for n, d in frame.schema.items() if isinstance(d, pl.List)]
        frame = frame.with_columns(pl.col(n).list.join(";") for n in lists)
        # each chunk sorted as written (after the formula guard), so the file needs no sort
        # at the end when the chunks themselves come in order
        frame = neutralise_formulas(frame.select(self.columns)).sort(
            self._keys, nulls_last=False, maintain_order=True)
        first, last = (_sort_key(k) for k in frame.select(self._keys)[[0, -1]].iter_rows())
        if self._last is not None and first < self._last:
            self._in_order = False
        self._last = last
        self.rows += frame.height
        with self._staged.writing_to(self._name):
            self._fh.write(frame.write_csv(include_header=False))

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()

    def sort(self) -> None:
        """Put the rows in order. Nothing to do when the chunks came in order; else polars'
        streaming sort of the file (its memory goes with this file's size)."""
        self.close()
        if self.rows < 2 or self._in_order:
            return
        path = Path(self._fh.name)
        tmp = path.with_name(path.name[:-len(".part")] + ".sorted.part")
        try:
            (pl.scan_csv(path, infer_schema=False)
             .sort(self._keys, nulls_last=False, maintain_order=True)
             .sink_csv(tmp))
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)


def _sort_key(values: tuple) -> tuple:
    """A row's sort key as Python compares it: nulls first, then values."""
    return tuple((0,) if v is None else (1, v) for v in values)


def _write_main(frame: pl.DataFrame, path: Path, fmt: str) -> None:
    writer = _ChunkWriter(path, fmt, dict(frame.schema))
    try:
        if frame.height:
            writer.write(frame)
    finally:
        writer.close()


class _ChunkWriter:
    """Appends chunks to Parquet row groups or CSV (``schema``: the run's output columns)."""

    def __init__(self, path: Path, fmt: str, schema: dict | None = None):
        self.path, self.fmt = path, fmt
        self.schema = dict(schema or OUTPUT_SCHEMA)
        self._pq = None
        self._csv = None

    def write(self, frame: pl.DataFrame) -> None:
        frame = frame.select(list(self.schema))
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            # The repeated texts (shoe, SKU, brand, …) go to Arrow as dictionaries (chunks
            # arrive so, :func:`.chunk.texts_categorical`) and Parquet's dictionary pages
            # are written from them directly. The Arrow schema is not stored, so every
            # reader sees plain strings, as declared. Min/max statistics for the runner_id
            # and the numbers (what a reader filters on), not for the repeated texts:
            # computing those was a quarter of the write time.
            wire = texts_categorical(self.schema)
            table = frame.cast(wire).to_arrow()  # type: ignore[arg-type]
            if self._pq is None:
                stats = [c for c, t in wire.items() if t != pl.Categorical]
                self._pq = pq.ParquetWriter(str(self.path), table.schema, compression="lz4",
                                            store_schema=False, write_statistics=stats)
            self._pq.write_table(table)
        else:
            frame = frame.cast(self.schema)  # type: ignore[arg-type]
            if self._csv is None:
                self._csv = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
                self._csv.write(",".join(self.schema) + "\n")
            self._csv.write(neutralise_formulas(frame).write_csv(include_header=False))

    def close(self) -> None:
        if self.fmt == "parquet":
            if self._pq is None:  # no rows at all: still a valid, empty table
                pl.DataFrame(schema=self.schema).write_parquet(self.path)
            else:
                self._pq.close()
                self._pq = None
        elif self._csv is None:
            self.path.write_text(",".join(self.schema) + "\n", encoding="utf-8")
        else:
            self._csv.close()
            self._csv = None


class _Progress:
    """A rich progress bar on stderr for interactive runs (silent when not a TTY), and/or
    a callback ``(runners read so far, estimated total or None)`` for other front ends."""

    def __init__(self, total: int | None, enabled: bool | None,
                 callback: ProgressCallback | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._progress = None
        self._callback = callback
        self._done = 0
        self._total = total
        if not self.enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self._progress = Progress("[progress.description]{task.description}", BarColumn(),
                                  MofNCompleteColumn(), TimeElapsedColumn(),
                                  console=Console(stderr=True), transient=True)
        self._progress.start()
        self._task = self._progress.add_task("scoring runners", total=self._total)

    def advance(self, n: int) -> None:
        self._done += n
        if self._progress is not None:
            self._progress.advance(self._task, n)
        if self._callback is not None:
            self._callback(self._done, self._total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
