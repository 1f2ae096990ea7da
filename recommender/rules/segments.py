"""Store segments and the notes on runners a store cannot serve (SPEC §6): the words a
store manager reads in the coverage and unmatched files."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import B, R
from .expr import F
from .sources import cite


@dataclass(frozen=True, eq=False)
class Segment:
    id: str
    value: pl.Expr  # over the derived runner features: the segment this runner is in
    sources: tuple[str, ...]


_size = pl.col(R.shoe_size_us)
SEGMENTS: tuple[Segment, ...] = (
    Segment("gate", pl.when(pl.col(F.established)).then(pl.lit("unlocked"))
            .otherwise(pl.lit("strength first")), cite("article", "spec")),
    Segment("terrain", pl.col(R.terrain), cite("spec")),
    Segment("width", pl.col(R.width), cite("spec")),
    Segment("size_band", pl.when(_size.is_null()).then(pl.lit("unknown"))
            .when(_size < 7.5).then(pl.lit("up to 7"))
            .when(_size < 9.5).then(pl.lit("7.5-9"))
            .when(_size < 11.5).then(pl.lit("9.5-11"))
            .otherwise(pl.lit("11.5 and up")), cite("product")),
    Segment("drop_need", pl.when(pl.col(F.wants_lower)).then(pl.lit("lower drop"))
            .when(pl.col(F.calf_protect)).then(pl.lit("8 mm or more"))
            .otherwise(pl.lit("keep drop")), cite("article", "malisoux2016_drop")),
)
SEGMENT_IDS = tuple(s.id for s in SEGMENTS)

#: Columns of a runner with no in-stock match (read by :data:`UNMATCHED_NOTES`).
BEST_PICK = B.best_pick
NEAREST = B.nearest
_best, _near = pl.col(BEST_PICK), pl.col(NEAREST)
_poor = pl.col(B.best_in_stock_score)  # their best match in stock, when below the minimum

#: First match wins: why a runner has no in-stock match, in a store manager's words.
UNMATCHED_NOTES: tuple[tuple[pl.Expr, str], ...] = (
    (_best.is_null(), "no catalog shoe passes this runner's filters"),
    (_poor.is_not_null(), "matches in stock score below the minimum score (a poor fit)"),
    (_near.is_null(), "nothing eligible in stock in any size"),
    (_near == _best, "best pick is stocked, but not in this size and width"),
    (pl.lit(True), "nearest eligible model in stock; check sizes and widths"),
)


def unmatched_note() -> pl.Expr:
    expr = pl.when(UNMATCHED_NOTES[0][0]).then(pl.lit(UNMATCHED_NOTES[0][1]))
    for cond, text in UNMATCHED_NOTES[1:]:
        expr = expr.when(cond).then(pl.lit(text))
    return expr.alias(B.note)
