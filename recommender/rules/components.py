"""Scoring components (0..1) over runner × shoe pairs, each with a default weight.

The score is the weighted mean of the components that apply to the runner: a preference
the runner did not state (budget, brands) carries no weight at all — a neutral value, never
a bonus. Shoe numbers are read on the runner's own line (``P.drop``, ``P.weight``,
``P.heel``: women's figures where the catalog gives them, SPEC §7.2).

Calibration (tested in ``tests/rules/test_calibration.py``): the components spread over the
catalog (a knee-pain runner's #1 and #10 are points apart, not 95–98 for everyone), and for
a typical knee-pain runner the best daily trainer outscores every racer by at least 10
points even before the ``role`` filter removes racers.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R, S
from .expr import F, P
from .roles import role_fit
from .sources import cite

_support = pl.col(S.support)


@dataclass(frozen=True, eq=False)
class Component:
    name: str
    value: pl.Expr  # 0..1
    weight: float  # default weight (tunable: ShoeScorer)
    sources: tuple[str, ...]
    applies: pl.Expr | None = None  # null: always; else the component counts only where true


_needs = pl.col(F.needs_support)
_drop = pl.col(P.drop)
_target = pl.col(F.drop_target)
_CUSH_ORDER = {"firm": 0, "balanced": 1, "soft": 2, "max": 3}
_cush_rank = pl.col(S.cushioning).replace_strict(_CUSH_ORDER, return_dtype=pl.Int64)
_pref_rank = pl.col(R.cushioning_pref).replace_strict(_CUSH_ORDER, default=None,
                                                      return_dtype=pl.Int64)
_DROP_SCALE_MM = 6.0
_loaded = pl.col(F.heavy) | pl.col(F.high_volume) | (pl.col(F.use) == "long")
_light_runner = pl.col(F.light)

#: Cushioning that fits a runner who states no preference (comfort filter, nigg2015): more
#: protection for heavier runners, high weekly volume and long runs (product choice).
CUSHION_FIT = {
    "loaded": {"firm": 0.2, "balanced": 0.65, "soft": 1.0, "max": 1.0},
    "light": {"firm": 0.6, "balanced": 1.0, "soft": 0.95, "max": 0.7},
    "default": {"firm": 0.4, "balanced": 0.9, "soft": 1.0, "max": 0.85},
}
#: The weight a shoe for this use sits around (grams on the runner's line); heavier runners
#: favour a sturdier build (product choice).
TARGET_WEIGHT_G = {"daily": 260.0, "long": 270.0, "trail": 290.0, "workout": 225.0,
                   "race": 195.0}
HEAVY_EXTRA_G = 25.0
_target_weight = (pl.col(F.use).replace_strict(TARGET_WEIGHT_G, return_dtype=pl.Float64)
                  + pl.when(pl.col(F.heavy)).then(HEAVY_EXTRA_G).otherwise(0.0))
_fragile = (pl.col(F.heavy) | pl.col(F.high_volume)) & (pl.col(P.weight) < 230)


def _cushion_table(name: str) -> pl.Expr:
    return pl.col(S.cushioning).replace_strict(CUSHION_FIT[name], return_dtype=pl.Float64)


COMPONENTS: tuple[Component, ...] = (
    # Rule 2: with a need for support after the gate, the neutral shoe that takes the insole
    # comes first, stability next, motion control last (the smaller step first); without a
    # need, neutral fits best (ryan2011: motion control gave the most pain).
    Component("support", pl.when(_needs).then(
        _support.replace_strict({"neutral": 1.0, "stability": 0.7, "motion_control": 0.35},
                                return_dtype=pl.Float64))
        .otherwise(_support.replace_strict({"neutral": 1.0, "stability": 0.55,
                                            "motion_control": 0.25}, return_dtype=pl.Float64)),
        0.22, cite("article", "ryan2011", "malisoux2016_mc", "nielsen2014")),
    # Rule 7: closeness to the target drop; below the soft floor (8 mm for calves) is penalised.
    Component("drop", ((1 - (_drop - _target).abs() / _DROP_SCALE_MM).clip(0, 1)
                       * pl.when(_drop < pl.col(F.drop_soft_floor)).then(0.3).otherwise(1.0)),
              0.22, cite("article", "malisoux2016_drop")),
    # SPEC §7.2: what the shoe is for against what the runner wants it for.
    Component("role", role_fit(), 0.16, cite("tenforde2023", "product")),
    # The runner's own preference when stated (comfort filter), else a fit to their load.
    Component("cushioning", pl.when(_pref_rank.is_not_null()).then(
        (1 - (_cush_rank - _pref_rank).abs() * 0.35).clip(0, 1))
        .when(_loaded).then(_cushion_table("loaded"))
        .when(_light_runner).then(_cushion_table("light"))
        .otherwise(_cushion_table("default")), 0.14, cite("nigg2015", "product")),
    # Close to the weight a shoe for this use sits around; a light, fragile build for a
    # heavy or high-mileage runner is marked down (durability, product choice).
    Component("weight", (1 - (pl.col(P.weight) - _target_weight).abs() / 120).clip(0, 1)
              * pl.when(_fragile).then(0.6).otherwise(1.0), 0.10, cite("product")),
    # Mixed terrain: a trail shoe grips off-road and still runs the road sections.
    Component("terrain", pl.when(pl.col(S.terrain) == "trail").then(1.0).otherwise(0.6),
              0.08, cite("product"), applies=pl.col(R.terrain) == "mixed"),
    # At equal fit the current version is preferred over last season's.
    Component("version", pl.when(pl.col(S.superseded_by).is_null()).then(1.0).otherwise(0.5),
              0.05, cite("product")),
    Component("price", (1 - 0.6 * pl.col(P.price) / pl.col(R.max_price_usd)).clip(0, 1),
              0.04, cite("product"), applies=pl.col(R.max_price_usd).is_not_null()),
    Component("brand",
              pl.when(pl.col(R.brands).list.eval(pl.element().str.to_lowercase())
                      .list.contains(pl.col(S.brand).str.to_lowercase())).then(1.0)
              .otherwise(0.3),
              0.05, cite("nigg2015"), applies=pl.col(R.brands).list.len().fill_null(0) > 0),
)
COMPONENT_NAMES = tuple(c.name for c in COMPONENTS)
DEFAULT_WEIGHTS = {c.name: c.weight for c in COMPONENTS}
