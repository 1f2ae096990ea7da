"""Plain-language reasons per recommended shoe."""

from __future__ import annotations

import polars as pl

from ..spec.vocab import R, S
from .expr import F, P, num
from .sources import CALF_MIN_DROP_MM

_support = pl.col(S.support)
_drop = pl.col(S.drop_mm)
_needs = pl.col(F.needs_support)
_target = pl.col(F.drop_target)

# ------------------------------------------------------------------ reasons (per shoe)
_cur = pl.col(F.current_drop)
_d = num(_drop)
REASONS: tuple[pl.Expr, ...] = (
    # support
    pl.when(~pl.col(F.established) & (_support == "neutral")).then(pl.lit(
        "Neutral: strength before stability — stability shoes stay locked until your hip, "
        "glute and core work is established"))
    .when(_needs & (_support == "stability")).then(pl.lit(
        "Stability shoe: your strength base is established and your feet or knees still need "
        "a little help"))
    .when(_needs & (_support == "neutral")).then(pl.lit(
        "Neutral shoe to pair with an insole: the smaller step before a firm stability shoe"))
    .when(_needs & (_support == "motion_control")).then(pl.lit(
        "Motion control: the firmest correction, ranked after a neutral shoe with an insole"))
    .when(_support == "neutral").then(pl.lit(
        "Neutral: nothing in your profile calls for a corrective shoe"))
    .otherwise(pl.format("{}: allowed now, though nothing in your profile calls for correction",
                         _support.str.replace("_", " ").str.to_titlecase())),
    # drop
    pl.when(_drop < pl.col(F.drop_floor)).then(pl.format(
        "{} mm drop is lower than advised for you (at least {} mm)", _d, num(pl.col(F.drop_floor))))
    .when(pl.col(F.wants_lower) & _cur.is_not_null() & (_drop < _cur)).then(pl.format(
        "{} mm drop: a step down from your {} mm, toward landing under your body", _d, num(_cur)))
    .when(pl.col(F.wants_lower) & _cur.is_null() & (_drop <= _target + 1)).then(pl.format(
        "{} mm drop: a lower drop helps against heel striking and overstriding", _d))
    .when(pl.col(F.calf_protect) & (_drop >= CALF_MIN_DROP_MM)).then(pl.format(
        "{} mm drop keeps extra load off your calves", _d))
    .when(_cur.is_not_null() & ((_drop - _cur).abs() <= 2)).then(pl.format(
        "{} mm drop: close to your current {} mm, nothing to re-learn", _d, num(_cur)))
    .otherwise(pl.format("{} mm drop", _d)),
    # cushioning
    pl.when(pl.col(R.cushioning_pref) == pl.col(S.cushioning)).then(
        pl.format("{} cushioning, as you prefer", pl.col(S.cushioning).str.to_titlecase())),
    # terrain
    pl.when((pl.col(R.terrain) == "mixed") & (pl.col(S.terrain) == "trail")).then(
        pl.lit("Trail shoe: grips off-road and still handles the road sections")),
    # width
    pl.when(pl.col(R.width) != "standard").then(
        pl.format("Made in {} width", pl.col(R.width).str.replace("_", " "))),
    # price
    pl.when(pl.col(R.max_price_usd).is_not_null()).then(
        pl.format("${}, within your ${} budget", num(pl.col(P.price)), num(pl.col(R.max_price_usd)))),
    # brand
    pl.when(pl.col(R.brands).list.eval(pl.element().str.to_lowercase())
            .list.contains(pl.col(S.brand).str.to_lowercase()).fill_null(False)).then(
        pl.format("{}, a brand you like", pl.col(S.brand))),
    # weight
    pl.when(pl.col(S.weight_g) < 230).then(pl.format("Light: {} g", num(pl.col(S.weight_g)))),
)


