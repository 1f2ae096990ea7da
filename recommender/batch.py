"""Batch scoring of a store's inventory against its customers (SPEC §6).

:func:`score_chunk` is the pure heart: a chunk of validated runners × the in-stock offers →
each runner's top N rows. It calls the same ``derive`` and ``score_pairs`` as the
single-runner engine, and the local and Ray engines both call it.
:func:`score_inventory` streams the runners file in chunks (memory does not grow with the
number of runners), quarantines invalid rows, writes the output atomically and reports
coverage per runner segment.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .catalog import Catalog, load_catalog
from .features import derive
from .io import (
    ReadProblem,
    atomic_path,
    file_format,
    iter_raw_batches,
    neutralise_formulas,
    read_raw,
    validate_raw,
    write_csv_safe,
)
from .knowledge import F, P
from .scoring import pair_inputs, score_pairs
from .tables import PROBLEM_SCHEMA, ROW
from .vocab import InvCol, R, S

OUTPUT_COLUMNS = ("runner_id", "rank", "shoe_id", "sku", "score", "support", "drop_mm",
                  "gate_locked", "referral")
OUTPUT_SCHEMA = {"runner_id": pl.String, "rank": pl.Int32, "shoe_id": pl.String,
                 "sku": pl.String, "score": pl.Float64, "support": pl.String,
                 "drop_mm": pl.Float64, "gate_locked": pl.Boolean, "referral": pl.Boolean}
SEGMENTS = ("gate", "terrain", "width", "size_band", "drop_need")
_OFFER_SIZE = "__offer_size"
_OFFER_WIDTH = "__offer_width"
DEFAULT_CHUNK = 50_000


class BatchError(ValueError):
    """The run cannot go on (bad arguments, unusable files, no valid rows, strict mode)."""


# ------------------------------------------------------------------------------ offers
def prepare_offers(inventory: pl.DataFrame, catalog: Catalog) -> pl.DataFrame:
    """Validated inventory → one offer per in-stock (shoe, size, width): the SKU with the
    most pairs (ties: lowest SKU), its price (store price, else MSRP) and the catalog spec."""
    stock = inventory.filter(pl.col(InvCol.quantity) > 0).sort(
        [InvCol.shoe_id, InvCol.size_us, InvCol.width, InvCol.quantity, InvCol.sku],
        descending=[False, False, False, True, False])
    best = stock.group_by([InvCol.shoe_id, InvCol.size_us, InvCol.width], maintain_order=True).first()
    return best.join(catalog.frame, on=S.shoe_id, how="inner").select(
        pl.col(InvCol.size_us).alias(_OFFER_SIZE),
        pl.col(InvCol.width).alias(_OFFER_WIDTH),
        pl.col(InvCol.sku),
        pl.coalesce(InvCol.price_usd, S.msrp_usd).alias(P.price),
        *[pl.col(c) for c in catalog.frame.columns if c != S.source],
    ).sort(_OFFER_SIZE, _OFFER_WIDTH, S.shoe_id)


# ---------------------------------------------------------------------- the pure chunk
SCORE_SLICE = 5_000  # runners scored at once: bounds the runner × offer pairs in memory


def score_chunk(runners: pl.DataFrame, offers: pl.DataFrame, catalog: pl.DataFrame, top: int,
                weights: Mapping[str, float] | None = None) -> pl.DataFrame:
    """Validated runners (canonical columns) × offers → each runner's top ``top`` in-stock
    matches in their size and width, rows sorted by runner_id then rank. Pure.

    Runners are scored :data:`SCORE_SLICE` at a time, so memory depends on the slice, not
    on the chunk: about 60 in-stock offers per size and width make ~50 pairs per runner."""
    shoes = _prune(offers.lazy(), _OFFER_SIZE, _OFFER_WIDTH, InvCol.sku, S.support, S.drop_mm)
    return _ranked_in_slices(runners, catalog, shoes, top, weights, in_stock=True)


def rank_catalog(runners: pl.DataFrame, catalog: Catalog | pl.DataFrame, top: int | None = None,
                 weights: Mapping[str, float] | None = None) -> pl.DataFrame:
    """Validated runners × the whole catalog, stock ignored: every runner's eligible shoes
    ranked by the same rules as ``recommend`` (all versions of a model kept). Columns
    ``runner_id, rank, shoe_id, score, support, drop_mm, gate_locked, referral``; ``top``
    keeps the first N per runner (default: all). For cohort analysis and the runners a
    store cannot serve."""
    frame = catalog.frame if isinstance(catalog, Catalog) else catalog
    shoes = _prune(frame.lazy().with_columns(pl.col(S.msrp_usd).alias(P.price)), S.support,
                   S.drop_mm)
    out = _ranked_in_slices(runners, frame, shoes, top or frame.height, weights, in_stock=False)
    return out.drop(InvCol.sku)


def _ranked_in_slices(runners: pl.DataFrame, catalog: pl.DataFrame, shoes: pl.LazyFrame,
                      top: int, weights: Mapping[str, float] | None, *, in_stock: bool
                      ) -> pl.DataFrame:
    parts = [_rank_slice(runners.slice(i, SCORE_SLICE), catalog, shoes, top, weights, in_stock)
             for i in range(0, max(runners.height, 1), SCORE_SLICE)]
    return pl.concat(parts).sort(R.runner_id, "rank") if len(parts) > 1 else parts[0]


def _rank_slice(runners: pl.DataFrame, catalog: pl.DataFrame, shoes: pl.LazyFrame, top: int,
                weights: Mapping[str, float] | None, in_stock: bool) -> pl.DataFrame:
    feats = _prune(derive(runners, catalog), R.shoe_size_us, R.width, F.referral)
    if in_stock:  # the runner's own size and width only
        pairs = feats.join(shoes, left_on=[R.shoe_size_us, R.width],
                           right_on=[_OFFER_SIZE, _OFFER_WIDTH], how="inner")
    else:
        pairs = feats.join(shoes.with_columns(pl.lit(None, pl.String).alias(InvCol.sku)),
                           how="cross")
    scored = score_pairs(pairs, weights).filter(pl.col(P.eligible))
    ranked = scored.select(
        R.runner_id, S.shoe_id, InvCol.sku, P.score, S.support, S.drop_mm,
        (~pl.col(F.established)).alias("gate_locked"), pl.col(F.referral).alias("referral"),
    ).sort([R.runner_id, P.score, S.shoe_id], descending=[False, True, False])
    ranked = ranked.with_columns(
        (pl.int_range(pl.len()).over(R.runner_id) + 1).cast(pl.Int32).alias("rank")
    ).filter(pl.col("rank") <= top)
    return ranked.select(OUTPUT_COLUMNS).collect().sort(R.runner_id, "rank")


def _prune(lf: pl.LazyFrame, *keep: str) -> pl.LazyFrame:
    """Only the columns the pair expressions read (plus ``keep``): nothing else is copied
    onto every runner × shoe pair."""
    needed = pair_inputs() | {R.runner_id, S.shoe_id, *keep}
    return lf.select([c for c in lf.collect_schema().names() if c in needed])


def segment_exprs() -> list[pl.Expr]:
    """Runner segments a store manager recognises (on the derived features)."""
    size = pl.col(R.shoe_size_us)
    return [
        pl.when(pl.col(F.established)).then(pl.lit("unlocked")).otherwise(pl.lit("strength first"))
        .alias("gate"),
        pl.col(R.terrain).alias("terrain"),
        pl.col(R.width).alias("width"),
        pl.when(size.is_null()).then(pl.lit("unknown"))
        .when(size < 7.5).then(pl.lit("up to 7"))
        .when(size < 9.5).then(pl.lit("7.5-9"))
        .when(size < 11.5).then(pl.lit("9.5-11"))
        .otherwise(pl.lit("11.5 and up")).alias("size_band"),
        pl.when(pl.col(F.wants_lower)).then(pl.lit("lower drop"))
        .when(pl.col(F.calf_protect)).then(pl.lit("8 mm or more"))
        .otherwise(pl.lit("keep drop")).alias("drop_need"),
    ]


# ------------------------------------------------------------------------- the run
@dataclass
class Summary:
    runners_read: int = 0
    runners_scored: int = 0
    runners_rejected: int = 0
    runners_without_match: int = 0
    inventory_rows: int = 0
    inventory_rejected: int = 0
    rows_written: int = 0
    pairs_scored: int = 0
    seconds: float = 0.0
    outputs: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        return (f"scored {self.runners_scored} runner(s), rejected {self.runners_rejected} "
                f"runner row(s) and {self.inventory_rejected} inventory row(s); "
                f"{self.runners_without_match} runner(s) with no in-stock match; "
                f"{self.rows_written} row(s) written in {self.seconds:.1f} s")


def side_paths(out: str | os.PathLike[str]) -> dict[str, Path]:
    out = Path(out)
    return {
        "rejects": out.with_name(out.name + ".rejects.csv"),
        "coverage": out.with_name(out.name + ".coverage.csv"),
        "unmatched": out.with_name(out.name + ".unmatched.csv"),
    }


ChunkScorer = Callable[[Iterator[pl.DataFrame], pl.DataFrame, pl.DataFrame, int],
                       Iterator[tuple[pl.DataFrame, pl.DataFrame]]]


def local_engine(chunks: Iterator[pl.DataFrame], offers: pl.DataFrame, catalog: pl.DataFrame,
                 top: int) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """Score chunk after chunk in this process: yields (runners, their top rows)."""
    for chunk in chunks:
        yield chunk, score_chunk(chunk, offers, catalog, top)


def load_inventory(path: str, catalog: Catalog) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    raw = read_raw(path)
    if raw.height == 0:
        raise ReadProblem(path, "has a header but no data rows")
    result = validate_raw(raw, "inventory", file=path, catalog_ids=catalog.ids)
    return result.frame.drop(ROW), result.problems, raw.height


class _Dedup:
    """runner_id must be unique across the whole file, not only within a chunk: the first
    row with an id wins; later ones are rejected."""

    def __init__(self) -> None:
        self.seen = pl.Series("h", [], dtype=pl.UInt64)

    def split(self, frame: pl.DataFrame, file: str) -> tuple[pl.DataFrame, pl.DataFrame]:
        hashes = frame.get_column(R.runner_id).hash(seed=7)
        dup = hashes.is_in(self.seen.implode())
        self.seen = pl.concat([self.seen, hashes.filter(~dup).alias("h")])
        rejected = frame.filter(dup).select(
            pl.lit(file).alias("file"), pl.col(ROW).alias("row"),
            pl.lit(R.runner_id).alias("column"), pl.col(R.runner_id).alias("value"),
            pl.lit("must be unique (already used by an earlier row)").alias("rule"))
        return frame.filter(~dup), rejected.cast(PROBLEM_SCHEMA)  # type: ignore[arg-type]


def score_inventory(
    inventory: str | os.PathLike[str],
    runners: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    catalog: Catalog | str | os.PathLike[str] | None = None,
    top: int = 5,
    strict: bool = False,
    chunk_size: int = DEFAULT_CHUNK,
    engine: str = "local",
    progress: bool | None = None,
    on_progress: ProgressCallback | None = None,
) -> Summary:
    """Score every valid runner against the in-stock inventory; see the module docstring.

    ``progress``: a rich bar on stderr (default: only on a TTY); ``on_progress``: called
    after each chunk with (runners read, estimated total or None).

    Writes ``out`` (Parquet or CSV by extension) and, beside it, ``.rejects.csv``,
    ``.coverage.csv`` and ``.unmatched.csv`` — all atomically, all only if the run
    completes. Raises :class:`BatchError` or :class:`ReadProblem` on unusable input.
    """
    started = time.perf_counter()
    inventory, runners, out = str(inventory), str(runners), str(out)
    if top < 1:
        raise BatchError("--top must be at least 1")
    out_fmt = file_format(out)
    if out_fmt not in ("parquet", "csv"):
        raise BatchError(f"{out}: the output must be .parquet or .csv")
    if not Path(out).parent.is_dir() and str(Path(out).parent) not in ("", "."):
        raise BatchError(f"{out}: output directory {str(Path(out).parent)!r} does not exist")
    cat = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
    inv, inv_problems, inv_rows = load_inventory(inventory, cat)
    summary = Summary(inventory_rows=inv_rows,
                      inventory_rejected=inv_problems.get_column("row").n_unique())
    if strict and inv_problems.height:
        raise BatchError(f"{inventory}: {summary.inventory_rejected} invalid inventory row(s) "
                         f"(--strict); first: {_first(inv_problems)}")
    offers = prepare_offers(inv, cat)
    if offers.height == 0:
        raise BatchError(f"{inventory}: no valid in-stock rows to score against")
    paths = side_paths(out)
    problems: list[pl.DataFrame] = [inv_problems]
    segments: list[pl.DataFrame] = []
    dedup = _Dedup()
    bar = _Progress(runners, enabled=progress, callback=on_progress)

    def valid_chunks() -> Iterator[pl.DataFrame]:
        for raw in iter_raw_batches(runners, chunk_size):
            summary.runners_read += raw.height
            result = validate_raw(raw, "runners", file=runners, catalog_ids=cat.ids)
            frame, dupes = dedup.split(result.frame, runners)
            problems.extend([result.problems, dupes])
            if strict and (result.problems.height or dupes.height):
                first = result.problems if result.problems.height else dupes
                raise BatchError(f"{runners}: invalid runner row(s) (--strict); first: "
                                 f"{_first(first)}")
            frame = frame.drop(ROW)
            summary.runners_scored += frame.height
            bar.advance(raw.height)
            yield frame

    scorer = _engine(engine)
    stocked = offers.select(S.shoe_id).unique()
    distances = None
    unmatched: list[pl.DataFrame] = []
    with atomic_path(out) as tmp:
        writer = _ChunkWriter(tmp, out_fmt)
        try:
            for chunk, result in scorer(valid_chunks(), offers, cat.frame, top):
                writer.write(result)
                summary.rows_written += result.height
                matched = pl.col(R.runner_id).is_in(result.get_column(R.runner_id).implode())
                segments.append(segment_counts(chunk, cat.frame, matched))
                missing = chunk.filter(~matched)
                if missing.height:
                    if distances is None:
                        from .similarity import shoe_space

                        distances = shoe_space(cat).distance_frame()
                    unmatched.append(nearest_alternatives(missing, cat.frame, stocked, distances))
        finally:
            writer.close()
            bar.close()
        if summary.runners_read == 0:
            raise BatchError(f"{runners}: no runner rows")
        if summary.runners_scored == 0:
            raise BatchError(f"{runners}: no valid runner rows (see the problems: "
                             f"`gaitkeeper validate {runners} --kind runners`); nothing written")
        all_problems = pl.concat(problems).sort("file", "row", "column", nulls_last=False)
        runner_problems = all_problems.filter(pl.col("file") == runners)
        summary.runners_rejected = runner_problems.get_column("row").n_unique()
        coverage = _coverage(pl.concat(segments))
        alternatives = pl.concat(unmatched) if unmatched else _empty_alternatives()
        summary.runners_without_match = alternatives.height
        write_csv_safe(all_problems.rename({"rule": "reason"}), paths["rejects"])
        write_csv_safe(coverage, paths["coverage"])
        write_csv_safe(alternatives.sort(R.runner_id), paths["unmatched"])
    summary.seconds = time.perf_counter() - started
    summary.outputs = {"scored": out, **{k: str(v) for k, v in paths.items()}}
    return summary


def _first(problems: pl.DataFrame) -> str:
    r = problems.row(0, named=True)
    return f"row {r['row']}, column {r['column']}: {r['rule']}"


def _engine(name: str) -> ChunkScorer:
    if name == "local":
        return local_engine
    if name == "ray":
        from .distributed import ray_engine

        return ray_engine
    raise BatchError(f"unknown engine {name!r}: use local or ray")


class _ChunkWriter:
    """Appends chunks to Parquet row groups or CSV, remembering which runners matched."""

    def __init__(self, path: Path, fmt: str):
        self.path, self.fmt = path, fmt
        self._pq = None
        self._csv = None

    def write(self, frame: pl.DataFrame) -> None:
        frame = frame.cast(OUTPUT_SCHEMA)  # type: ignore[arg-type]
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            table = frame.to_arrow()
            if self._pq is None:
                self._pq = pq.ParquetWriter(str(self.path), table.schema, compression="zstd")
            self._pq.write_table(table)
        else:
            if self._csv is None:
                self._csv = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
                self._csv.write(",".join(OUTPUT_COLUMNS) + "\n")
            self._csv.write(neutralise_formulas(frame).write_csv(include_header=False))

    def close(self) -> None:
        if self.fmt == "parquet":
            if self._pq is None:  # no rows at all: still a valid, empty table
                pl.DataFrame(schema=OUTPUT_SCHEMA).write_parquet(self.path)
            else:
                self._pq.close()
        else:
            if self._csv is None:
                self.path.write_text(",".join(OUTPUT_COLUMNS) + "\n", encoding="utf-8")
            else:
                self._csv.close()


def segment_counts(runners: pl.DataFrame, catalog: pl.DataFrame,
                   matched: pl.Expr) -> pl.DataFrame:
    """Runners and runners with a match per combination of segments (small: memory does
    not grow with the number of runners)."""
    return derive(runners, catalog).select(*segment_exprs(), matched.alias("matched")) \
        .group_by(*SEGMENTS).agg(pl.len().alias("runners"),
                                 pl.col("matched").sum().alias("runners_with_match")).collect()


def _coverage(counts: pl.DataFrame) -> pl.DataFrame:
    """Per segment: runners, runners with at least one in-stock match, share."""
    rows = [counts.group_by(name).agg(pl.col("runners").sum(), pl.col("runners_with_match").sum())
            .select(pl.lit(name).alias("segment"), pl.col(name).alias("value"), "runners",
                    "runners_with_match") for name in SEGMENTS]
    total = counts.select(pl.lit("all").alias("segment"), pl.lit("all runners").alias("value"),
                          pl.col("runners").sum(), pl.col("runners_with_match").sum())
    return pl.concat([total, *rows]).with_columns(
        pl.col("runners").cast(pl.Int64), pl.col("runners_with_match").cast(pl.Int64),
    ).with_columns(
        (pl.col("runners_with_match") / pl.col("runners")).round(4).alias("share")
    ).sort(pl.col("segment") != "all", "segment", "share", "value")


ALTERNATIVE_SCHEMA = {R.runner_id: pl.String, **{s: pl.String for s in SEGMENTS},
                      "best_catalog_pick": pl.String, "nearest_in_stock": pl.String,
                      "note": pl.String}


def _empty_alternatives() -> pl.DataFrame:
    return pl.DataFrame(schema=ALTERNATIVE_SCHEMA)


def nearest_alternatives(runners: pl.DataFrame, catalog: pl.DataFrame, stocked: pl.DataFrame,
                         distances: pl.DataFrame) -> pl.DataFrame:
    """For runners with no in-stock match: their segment, their best catalog pick (same
    rules, stock ignored) and the in-stock model (any size) nearest to it in spec
    (``similarity``), among the shoes eligible for them — never a locked stability shoe."""
    segs = derive(runners, catalog).select(R.runner_id, *segment_exprs())
    elig = rank_catalog(runners, catalog).lazy()
    best = elig.filter(pl.col("rank") == 1).select(
        R.runner_id, pl.col(S.shoe_id).alias("best_catalog_pick"))
    near = best.join(distances.lazy(), left_on="best_catalog_pick", right_on=S.shoe_id) \
        .join(elig.select(R.runner_id, pl.col(S.shoe_id).alias("other_id")),
              on=[R.runner_id, "other_id"]) \
        .join(stocked.lazy().rename({S.shoe_id: "other_id"}), on="other_id") \
        .sort([R.runner_id, "distance", "other_id"]) \
        .group_by(R.runner_id, maintain_order=True).first() \
        .select(R.runner_id, pl.col("other_id").alias("nearest_in_stock"))
    out = segs.join(best, on=R.runner_id, how="left").join(near, on=R.runner_id, how="left")
    return out.with_columns(
        pl.when(pl.col("best_catalog_pick").is_null())
        .then(pl.lit("no catalog shoe passes this runner's filters"))
        .when(pl.col("nearest_in_stock").is_null())
        .then(pl.lit("nothing eligible in stock in any size"))
        .when(pl.col("nearest_in_stock") == pl.col("best_catalog_pick"))
        .then(pl.lit("best pick is stocked, but not in this size and width"))
        .otherwise(pl.lit("nearest eligible model in stock; check sizes and widths"))
        .alias("note")).select(list(ALTERNATIVE_SCHEMA)).collect()


ProgressCallback = Callable[[int, int | None], None]


class _Progress:
    """A rich progress bar on stderr for interactive runs (silent when not a TTY), and/or
    a callback ``(runners read so far, estimated total or None)`` for other front ends."""

    def __init__(self, runners_file: str, enabled: bool | None,
                 callback: ProgressCallback | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._progress = None
        self._callback = callback
        self._done = 0
        self._total = _estimate_rows(runners_file) if (self.enabled or callback) else None
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


def _estimate_rows(path: str) -> int | None:
    try:
        if file_format(path) == "parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        with open(path, "rb") as fh:
            return max(sum(buf.count(b"\n") for buf in iter(lambda: fh.read(1 << 20), b"")) - 1, 0)
    except Exception:
        return None
