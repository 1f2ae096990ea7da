"""What a store learns beyond the matches: coverage per runner segment (per store when the
inventory names its stores), and for each runner a store does not serve, their best catalog
pick and the nearest eligible model in stock there.

A runner is *served* by a store when at least one of their matches there scores at least
``min_score`` (:data:`recommender.rules.sources.MIN_MATCH_SCORE` by default): a poorer match
is still listed in the scored output, but does not count as coverage. Runners a store does
not serve are split in two: no shoe in the whole catalog passes their own filters (terrain,
width, price, plated, the strength gate — no stock can fix that), and the rest, whom the
store could serve by stocking another model, size or width."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from ..core.features import derive
from ..core.ranking import best_and_eligible
from ..rules.segments import SEGMENT_IDS, SEGMENTS, unmatched_note
from ..rules.sources import MIN_MATCH_SCORE
from ..spec.vocab import B, R, S

#: The store_id of the coverage rows that count a runner served by any of the stores
#: (written only when the inventory has more than one store).
ANY_STORE = "(any store)"
_MATCHED = "__matched"
_NO_SHOE = "__no_catalog_shoe"


def segment_exprs() -> list[pl.Expr]:
    return [s.value.alias(s.id) for s in SEGMENTS]


def count_schema(stores: bool) -> dict[str, pl.DataType]:
    return {**({B.store_id: pl.String} if stores else {}),  # type: ignore[dict-item]
            **{s: pl.String for s in SEGMENT_IDS}, B.runners: pl.Int64,
            B.runners_with_match: pl.Int64, B.no_catalog_shoe: pl.Int64}


def alternative_schema(stores: bool) -> dict[str, pl.DataType]:
    """Columns of ``<out>.unmatched.csv``: one row per runner (per store) not served."""
    return {R.runner_id: pl.String, **({B.store_id: pl.String} if stores else {}),
            **{s: pl.String for s in SEGMENT_IDS}, B.best_pick: pl.String,
            B.best_pick_name: pl.String, B.nearest: pl.String, B.nearest_name: pl.String,
            B.best_in_stock_score: pl.Float64, B.note: pl.String}  # type: ignore[dict-item]


ALTERNATIVE_SCHEMA = alternative_schema(False)


def empty_alternatives(stores: bool = False) -> pl.DataFrame:
    return pl.DataFrame(schema=alternative_schema(stores))


def empty_counts(stores: bool = False) -> pl.DataFrame:
    return pl.DataFrame(schema=count_schema(stores))


def chunk_coverage(runners: pl.DataFrame, catalog: pl.DataFrame, scored: pl.DataFrame, *,
                   stocked: pl.DataFrame, distances: Callable[[], pl.DataFrame],
                   stores: list[str] | None = None, min_score: float = MIN_MATCH_SCORE
                   ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One chunk of validated runners and their scored rows → (counts per store and
    combination of segments, the runners not served with their alternatives).

    ``stocked``: the models in stock (``shoe_id``, with ``store_id`` when ``stores``);
    ``distances``: called only when a runner is not served (``similarity``). The counts are
    small (memory does not grow with the number of runners); :func:`coverage` sums them."""
    keys = [B.store_id] if stores is not None else []
    # what is read of the scored rows (their texts may arrive as Categorical): each
    # (runner, store)'s first row, its best score
    scored = scored.filter(pl.col("rank") == 1).select(R.runner_id, *keys, "score") \
        .cast({k: pl.String for k in keys})
    segs = derive(runners, catalog).select(R.runner_id, *segment_exprs()).collect()
    # one flag per store: the runner has a match there at or above the minimum score
    good = scored.filter(pl.col("score") >= min_score)
    served = {None: _MATCHED} if stores is None else \
        {store: f"{_MATCHED}{i}" for i, store in enumerate(stores)}
    ids = pl.col(R.runner_id)
    flags = segs.with_columns(
        ids.is_in((good if store is None else good.filter(pl.col(B.store_id) == store))
                  .get_column(R.runner_id).implode()).alias(flag)
        for store, flag in served.items())
    missing = pl.concat([
        flags.filter(~pl.col(flag)).select(
            R.runner_id, *([pl.lit(store, pl.String).alias(B.store_id)] if keys else []),
            *SEGMENT_IDS)
        for store, flag in served.items()])
    if missing.height:
        alts = _alternatives(runners.filter(ids.is_in(
            missing.get_column(R.runner_id).unique().implode())), missing, catalog, scored,
            stocked, distances, keys)
        no_shoe = alts.filter(pl.col(B.best_pick).is_null()).get_column(R.runner_id)
    else:
        alts = empty_alternatives(stores is not None)
        no_shoe = pl.Series(R.runner_id, [], dtype=pl.String)
    # every count of the chunk in one group_by over its runners (per store: a column)
    anywhere = pl.any_horizontal(list(served.values())).alias(_MATCHED + "any")
    sums = flags.with_columns(ids.is_in(no_shoe.implode()).alias(_NO_SHOE), anywhere) \
        .group_by(*SEGMENT_IDS).agg(pl.len().alias(B.runners), pl.col(_NO_SHOE).sum(),
                                    *[pl.col(f).sum() for f in served.values()],
                                    pl.col(_MATCHED + "any").sum())
    rows = {**served, **({ANY_STORE: _MATCHED + "any"}
                         if stores is not None and len(stores) > 1 else {})}
    schema = count_schema(stores is not None)
    return pl.concat([
        sums.select(*([pl.lit(store, pl.String).alias(B.store_id)] if keys else []),
                    *SEGMENT_IDS, B.runners, pl.col(flag).alias(B.runners_with_match),
                    pl.col(_NO_SHOE).alias(B.no_catalog_shoe)).cast(schema)  # type: ignore[arg-type]
        for store, flag in rows.items()]), alts


def _alternatives(runners: pl.DataFrame, missing: pl.DataFrame, catalog: pl.DataFrame,
                  scored: pl.DataFrame, stocked: pl.DataFrame,
                  distances: Callable[[], pl.DataFrame], keys: list[str]) -> pl.DataFrame:
    """For each (runner, store) not served: the runner's best catalog pick (same rules,
    stock ignored), the model in stock there (any size) nearest to it in spec among the
    shoes eligible for the runner — never a locked stability shoe — and their best match
    there when it scored below the minimum."""
    # One pass over the catalog: each runner's best pick, and which of the models in stock
    # are eligible for them (the candidates for the nearest).
    best, elig = best_and_eligible(runners, catalog,
                                   stocked.get_column(S.shoe_id).unique().to_list())
    best = best.lazy().rename({S.shoe_id: B.best_pick})
    elig = elig.lazy()
    pairs = missing.lazy().select(R.runner_id, *keys, *SEGMENT_IDS).join(
        best, on=R.runner_id, how="left")
    # (runner, store) → the stocked models eligible for the runner → their distance to the
    # runner's best pick; the nearest (ties: shoe_id) per (runner, store).
    near = pairs.select(R.runner_id, *keys, B.best_pick) \
        .join(elig.select(R.runner_id, pl.col(S.shoe_id).alias("other_id")), on=R.runner_id) \
        .join(stocked.lazy().rename({S.shoe_id: "other_id"}), on=[*keys, "other_id"]) \
        .join(distances().lazy(), left_on=[B.best_pick, "other_id"],
              right_on=[S.shoe_id, "other_id"]) \
        .group_by(R.runner_id, *keys).agg(
            pl.col("other_id").sort_by("distance", "other_id").first().alias(B.nearest))
    here = scored.lazy().select(R.runner_id, *keys,
                                pl.col("score").alias(B.best_in_stock_score))
    names = catalog.lazy().select(S.shoe_id, pl.concat_str(
        [S.brand, S.model, pl.col(S.version).cast(pl.String)], separator=" ").alias("__name"))
    out = pairs.join(near, on=[R.runner_id, *keys], how="left") \
        .join(here, on=[R.runner_id, *keys], how="left") \
        .join(names.rename({S.shoe_id: B.best_pick, "__name": B.best_pick_name}),
              on=B.best_pick, how="left") \
        .join(names.rename({S.shoe_id: B.nearest, "__name": B.nearest_name}),
              on=B.nearest, how="left")
    schema = alternative_schema(bool(keys))
    return out.with_columns(unmatched_note()).select(list(schema)).collect() \
        .cast(schema)  # type: ignore[arg-type]


def coverage(counts: pl.DataFrame) -> pl.DataFrame:
    """Per (store and) segment: runners, runners served (at least one match at or above the
    minimum score), share, and the runners not served split into those no catalog shoe fits
    and those the store could serve (``runners - served - no catalog shoe``)."""
    keys = [B.store_id] if B.store_id in counts.columns else []
    sums = [pl.col(B.runners).sum(), pl.col(B.runners_with_match).sum(),
            pl.col(B.no_catalog_shoe).sum()]
    cols = [*keys, B.segment, B.value, B.runners, B.runners_with_match, B.no_catalog_shoe]
    rows = [counts.group_by(*keys, name).agg(*sums).select(
                *keys, pl.lit(name).alias(B.segment), pl.col(name).alias(B.value),
                *cols[len(keys) + 2:]) for name in SEGMENT_IDS]
    total = counts.group_by(*keys).agg(*sums).select(
        *keys, pl.lit("all").alias(B.segment), pl.lit("all runners").alias(B.value),
        *cols[len(keys) + 2:]) if keys else counts.select(
        pl.lit("all").alias(B.segment), pl.lit("all runners").alias(B.value), *sums)
    out = pl.concat([total, *rows]).with_columns(
        pl.col(B.runners).cast(pl.Int64), pl.col(B.runners_with_match).cast(pl.Int64),
        pl.col(B.no_catalog_shoe).cast(pl.Int64),
    )
    return out.select(
        *keys, B.segment, B.value, B.runners, B.runners_with_match,
        (pl.col(B.runners_with_match) / pl.col(B.runners)).round(4).alias(B.share),
        B.no_catalog_shoe,
        (pl.col(B.runners) - pl.col(B.runners_with_match) - pl.col(B.no_catalog_shoe))
        .alias(B.store_could_fix),
    ).sort(*keys, pl.col(B.segment) != "all", B.segment, B.share, B.value)


def not_served(cov: pl.DataFrame) -> tuple[int, int]:
    """(runners served by no store, of those: no catalog shoe passes their filters), from
    :func:`coverage` (the ``(any store)`` rows when there are several stores)."""
    overall = cov.filter(pl.col(B.segment) == "all")
    if B.store_id in cov.columns and overall.height > 1:
        overall = overall.filter(pl.col(B.store_id) == ANY_STORE)
    if overall.height == 0:
        return 0, 0
    return (overall.item(0, B.runners) - overall.item(0, B.runners_with_match),
            overall.item(0, B.no_catalog_shoe))
