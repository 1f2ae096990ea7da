"""What a store learns beyond the matches: coverage per runner segment, and for each runner
with no in-stock match, their best catalog pick and the nearest eligible model in stock."""

from __future__ import annotations

import polars as pl

from ..core.features import derive
from ..core.ranking import rank_catalog
from ..rules.segments import BEST_PICK, NEAREST, SEGMENT_IDS, SEGMENTS, unmatched_note
from ..spec.vocab import R, S


def segment_exprs() -> list[pl.Expr]:
    return [s.value.alias(s.id) for s in SEGMENTS]


def segment_counts(runners: pl.DataFrame, catalog: pl.DataFrame,
                   matched: pl.Expr) -> pl.DataFrame:
    """Runners and runners with a match per combination of segments (small: memory does
    not grow with the number of runners)."""
    return derive(runners, catalog).select(*segment_exprs(), matched.alias("matched")) \
        .group_by(*SEGMENT_IDS).agg(pl.len().alias("runners"),
                                    pl.col("matched").sum().alias("runners_with_match")).collect()


def coverage(counts: pl.DataFrame) -> pl.DataFrame:
    """Per segment: runners, runners with at least one in-stock match, share."""
    rows = [counts.group_by(name).agg(pl.col("runners").sum(), pl.col("runners_with_match").sum())
            .select(pl.lit(name).alias("segment"), pl.col(name).alias("value"), "runners",
                    "runners_with_match") for name in SEGMENT_IDS]
    total = counts.select(pl.lit("all").alias("segment"), pl.lit("all runners").alias("value"),
                          pl.col("runners").sum(), pl.col("runners_with_match").sum())
    return pl.concat([total, *rows]).with_columns(
        pl.col("runners").cast(pl.Int64), pl.col("runners_with_match").cast(pl.Int64),
    ).with_columns(
        (pl.col("runners_with_match") / pl.col("runners")).round(4).alias("share")
    ).sort(pl.col("segment") != "all", "segment", "share", "value")


ALTERNATIVE_SCHEMA = {R.runner_id: pl.String, **{s: pl.String for s in SEGMENT_IDS},
                      BEST_PICK: pl.String, NEAREST: pl.String, "note": pl.String}


def empty_alternatives() -> pl.DataFrame:
    return pl.DataFrame(schema=ALTERNATIVE_SCHEMA)


def nearest_alternatives(runners: pl.DataFrame, catalog: pl.DataFrame, stocked: pl.DataFrame,
                         distances: pl.DataFrame) -> pl.DataFrame:
    """For runners with no in-stock match: their segment, their best catalog pick (same
    rules, stock ignored) and the in-stock model (any size) nearest to it in spec
    (``similarity``), among the shoes eligible for them — never a locked stability shoe."""
    segs = derive(runners, catalog).select(R.runner_id, *segment_exprs())
    elig = rank_catalog(runners, catalog).lazy()
    best = elig.filter(pl.col("rank") == 1).select(
        R.runner_id, pl.col(S.shoe_id).alias(BEST_PICK))
    near = best.join(distances.lazy(), left_on=BEST_PICK, right_on=S.shoe_id) \
        .join(elig.select(R.runner_id, pl.col(S.shoe_id).alias("other_id")),
              on=[R.runner_id, "other_id"]) \
        .join(stocked.lazy().rename({S.shoe_id: "other_id"}), on="other_id") \
        .sort([R.runner_id, "distance", "other_id"]) \
        .group_by(R.runner_id, maintain_order=True).first() \
        .select(R.runner_id, pl.col("other_id").alias(NEAREST))
    out = segs.join(best, on=R.runner_id, how="left").join(near, on=R.runner_id, how="left")
    return out.with_columns(unmatched_note()).select(list(ALTERNATIVE_SCHEMA)).collect()
