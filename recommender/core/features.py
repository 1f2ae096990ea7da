"""Runner-level features: the declared ``knowledge.FEATURES`` evaluated over a frame of
runners (one runner is a frame of one)."""

from __future__ import annotations

import polars as pl

from ..rules.expr import F
from ..rules.features import FEATURES
from ..spec.vocab import R, S


def derive(runners: pl.DataFrame | pl.LazyFrame, catalog: pl.DataFrame) -> pl.LazyFrame:
    """Add the ``F.*`` columns. The current shoe's drop and support come from the profile,
    or else from the catalog entry named by ``current_shoe.shoe_id``."""
    current = catalog.lazy().select(
        pl.col(S.shoe_id).alias(R.current_shoe_id),
        pl.col(S.drop_mm).alias("__cat_drop"),
        pl.col(S.support).alias("__cat_support"),
    )
    lf = runners.lazy().join(current, on=R.current_shoe_id, how="left").with_columns(
        pl.coalesce(R.current_drop_mm, "__cat_drop").alias(F.current_drop),
        pl.coalesce(R.current_support, "__cat_support").alias(F.current_support),
    ).drop("__cat_drop", "__cat_support")
    for name, expr in FEATURES:
        lf = lf.with_columns(expr.alias(name))
    return lf
