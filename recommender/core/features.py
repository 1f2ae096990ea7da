"""Runner-level features: the declared ``knowledge.FEATURES`` evaluated over a frame of
runners (one runner is a frame of one)."""

from __future__ import annotations

import polars as pl

from ..rules.conflicts import CAT_DROP_STATED
from ..rules.expr import F
from ..rules.features import FEATURES
from ..spec.vocab import R, S


def derive(runners: pl.DataFrame | pl.LazyFrame, catalog: pl.DataFrame) -> pl.LazyFrame:
    """Add the ``F.*`` columns. The current shoe's drop and support come from the catalog
    entry named by ``current_shoe.shoe_id``, or else from the profile's own fields."""
    current = catalog.lazy().select(
        pl.col(S.shoe_id).alias(R.current_shoe_id),
        pl.col(S.drop_mm).alias("__cat_drop"),
        pl.col(S.support).alias("__cat_support"),
        pl.col(S.heel_stack_mm).alias(F.current_stack),
    )
    lf = runners.lazy().join(current, on=R.current_shoe_id, how="left").with_columns(
        # A shoe picked from the catalog wins over the "if not listed" fields (the maker's
        # numbers; a disagreement is named in rules.conflicts).
        pl.coalesce("__cat_drop", R.current_drop_mm).alias(F.current_drop),
        ((pl.col("__cat_drop") - pl.col(R.current_drop_mm)).abs() > 0.5).alias(CAT_DROP_STATED),
        pl.coalesce("__cat_support", R.current_support).alias(F.current_support),
    ).drop("__cat_drop", "__cat_support")
    for name, expr in FEATURES:
        lf = lf.with_columns(expr.alias(name))
    return lf
