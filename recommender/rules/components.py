"""Scoring components (0..1) over runner × shoe pairs, each with a default weight."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R, S
from .expr import F, P
from .sources import cite

_support = pl.col(S.support)

# ------------------------------------------------------------- scoring components (0..1)
@dataclass(frozen=True, eq=False)
class Component:
    name: str
    value: pl.Expr  # 0..1
    weight: float  # default weight (tunable: ShoeScorer)
    sources: tuple[str, ...]


_needs = pl.col(F.needs_support)
_drop = pl.col(S.drop_mm)
_target = pl.col(F.drop_target)
_CUSH_ORDER = {"firm": 0, "balanced": 1, "soft": 2, "max": 3}
_cush_rank = pl.col(S.cushioning).replace_strict(_CUSH_ORDER, return_dtype=pl.Int64)
_pref_rank = pl.col(R.cushioning_pref).replace_strict(_CUSH_ORDER, default=None,
                                                      return_dtype=pl.Int64)
_DROP_SCALE_MM = 6.0

COMPONENTS: tuple[Component, ...] = (
    # Rule 2: with a need for support after the gate, stability and neutral+insole are
    # preferred and a neutral shoe with an insole ranks before a firm motion-control shoe.
    # Without a need, neutral fits best (ryan2011: motion control gave the most pain).
    Component("support", pl.when(_needs).then(
        _support.replace_strict({"stability": 1.0, "neutral": 0.95, "motion_control": 0.5},
                                return_dtype=pl.Float64))
        .otherwise(_support.replace_strict({"neutral": 1.0, "stability": 0.6, "motion_control": 0.3},
                                           return_dtype=pl.Float64)),
        0.30, cite("article", "ryan2011", "malisoux2016_mc", "nielsen2014")),
    # Rule 7: closeness to the target drop; below the floor for this runner is penalised.
    Component("drop", ((1 - (_drop - _target).abs() / _DROP_SCALE_MM).clip(0, 1)
                       * pl.when(_drop < pl.col(F.drop_floor)).then(0.25).otherwise(1.0)),
              0.30, cite("article", "malisoux2016_drop")),
    # Comfort filter: the runner's own preference; without one, moderate cushioning.
    Component("cushioning", pl.when(_pref_rank.is_not_null()).then(
        (1 - (_cush_rank - _pref_rank).abs() * 0.4).clip(0, 1))
        .otherwise(_cush_rank.replace_strict({0: 0.6, 1: 1.0, 2: 1.0, 3: 0.8},
                                             return_dtype=pl.Float64)),
        0.15, cite("nigg2015")),
    Component("weight", (1 - (pl.col(S.weight_g) - 180) / 220).clip(0, 1), 0.07, cite("product")),
    Component("terrain", pl.when(pl.col(R.terrain) == "mixed").then(
        pl.when(pl.col(S.terrain) == "trail").then(1.0).otherwise(0.85)).otherwise(1.0),
        0.05, cite("product")),
    Component("price", pl.when(pl.col(R.max_price_usd).is_not_null()).then(
        (1 - 0.5 * pl.col(P.price) / pl.col(R.max_price_usd)).clip(0, 1))
        .otherwise((1 - (pl.col(P.price) - 100) / 200).clip(0, 1)),
        0.05, cite("product")),
    Component("brand", pl.when(pl.col(R.brands).list.len().fill_null(0) > 0).then(
        pl.when(pl.col(R.brands).list.eval(pl.element().str.to_lowercase())
                .list.contains(pl.col(S.brand).str.to_lowercase()))
        .then(1.0).otherwise(0.4)).otherwise(1.0),
        0.08, cite("nigg2015")),
)
COMPONENT_NAMES = tuple(c.name for c in COMPONENTS)
DEFAULT_WEIGHTS = {c.name: c.weight for c in COMPONENTS}


