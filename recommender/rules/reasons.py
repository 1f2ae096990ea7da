"""Plain-language reasons per recommended shoe: what makes this shoe fit this runner, and
(:data:`RELATIVE`) what sets it apart from the other shoes on the list. Context shared by
every shoe (the strength gate) is said once at the top of the answer, not on each card."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R, S
from .expr import F, P, num
from .roles import ROLE_WORDS
from .sources import CALF_MIN_DROP_MM, cite

_support = pl.col(S.support)
_drop = pl.col(P.drop)
_needs = pl.col(F.needs_support)
_cur = pl.col(F.current_drop)
_d = num(_drop)
_role = pl.col(S.role).replace_strict(ROLE_WORDS, return_dtype=pl.String)
_role_cap = pl.concat_str([_role.str.slice(0, 1).str.to_uppercase(), _role.str.slice(1)])
_mass = pl.col(R.body_mass_kg)
_km = pl.col(R.weekly_km)

REASONS: tuple[pl.Expr, ...] = (
    # role and plate
    pl.when(pl.col(S.plate) == "carbon").then(pl.format(
        "{} with a carbon plate: stiff and fast, for race day", _role_cap))
    .when(pl.col(S.plate) == "plastic").then(pl.format(
        "{} with a stiffening plate (not carbon)", _role_cap))
    .otherwise(_role_cap),
    # support, only where it tells this shoe apart
    pl.when(_needs & (_support == "neutral")).then(pl.lit(
        "Neutral platform to take the insole: the smaller step before a stability shoe"))
    .when(_needs & (_support == "stability")).then(pl.lit(
        "Stability shoe: the next step if an insole is not enough"))
    .when(_needs & (_support == "motion_control")).then(pl.lit(
        "Motion control: the firmest correction, only if an insole and a stability shoe fall "
        "short"))
    .when(pl.col(F.established) & (_support != "neutral")).then(pl.format(
        "{}: allowed now, though nothing in your profile calls for extra support",
        _support.str.replace("_", " ").str.to_titlecase())),
    # drop, against the runner's own shoe and needs
    pl.when(pl.col(F.wants_lower) & _cur.is_not_null() & (_drop < _cur)).then(pl.format(
        "{} mm drop: a step down from your {} mm, toward landing under your body", _d, num(_cur)))
    .when(pl.col(F.wants_lower) & _cur.is_null() & (_drop <= pl.col(F.drop_target) + 1)).then(
        pl.format("{} mm drop: lower drops help against heel striking and overstriding", _d))
    .when(pl.col(F.calf_protect) & (_drop >= CALF_MIN_DROP_MM)).then(pl.format(
        "{} mm drop keeps extra load off your calves", _d))
    .when(_cur.is_not_null() & ((_drop - _cur).abs() <= 2)).then(pl.format(
        "{} mm drop: close to your current {} mm", _d, num(_cur)))
    .when(_cur.is_not_null() & (_drop > _cur)).then(pl.format(
        "{} mm drop: higher than your {} mm, easier on calves and Achilles", _d, num(_cur)))
    .otherwise(pl.format("{} mm drop", _d)),
    # cushioning and stack, fitted to the runner's load
    pl.when(pl.col(R.cushioning_pref) == pl.col(S.cushioning)).then(pl.format(
        "{} cushioning ({} mm heel stack), as you prefer",
        pl.col(S.cushioning).str.to_titlecase(), num(pl.col(P.heel))))
    .when(pl.col(F.heavy) & pl.col(S.cushioning).is_in(["soft", "max"])).then(pl.format(
        "{} cushioning, {} mm under the heel: protection for your {} kg",
        pl.col(S.cushioning).str.to_titlecase(), num(pl.col(P.heel)), num(_mass)))
    .when(pl.col(F.high_volume) & pl.col(S.cushioning).is_in(["soft", "max"])).then(pl.format(
        "{} cushioning, {} mm under the heel: protection for {} km a week",
        pl.col(S.cushioning).str.to_titlecase(), num(pl.col(P.heel)), num(_km)))
    .otherwise(pl.format("{} cushioning, {} mm heel stack",
                         pl.col(S.cushioning).str.to_titlecase(), num(pl.col(P.heel)))),
    # weight: durability for heavy or high-mileage runners; lightness only for fast use
    pl.when((pl.col(F.heavy) | pl.col(F.high_volume)) & (pl.col(P.weight) >= 250)).then(
        pl.format("{} g: a sturdy daily-trainer build that lasts under more load",
                  num(pl.col(P.weight))))
    .when((pl.col(F.heavy) | pl.col(F.high_volume)) & (pl.col(P.weight) < 230)).then(
        pl.format("Light build ({} g): expect it to wear sooner under your load",
                  num(pl.col(P.weight))))
    .when(pl.col(F.use).is_in(["workout", "race"]) & (pl.col(P.weight) < 230)).then(
        pl.format("Light ({} g) for faster running", num(pl.col(P.weight)))),
    # version
    pl.when(pl.col(S.superseded_by).is_not_null()).then(pl.lit(
        "Last season's version (a newer one is out): often discounted")),
    # terrain, width, price, brand — each only when the runner asked
    pl.when((pl.col(R.terrain) == "mixed") & (pl.col(S.terrain) == "trail")).then(
        pl.lit("Trail shoe: grips off-road and still handles the road sections")),
    pl.when(pl.col(R.width) != "standard").then(
        pl.format("Made in {} width", pl.col(R.width).str.replace("_", " "))),
    pl.when(pl.col(R.max_price_usd).is_not_null()).then(
        pl.format("${}, within your ${} budget", num(pl.col(P.price)),
                  num(pl.col(R.max_price_usd)))),
    pl.when(pl.col(R.brands).list.eval(pl.element().str.to_lowercase())
            .list.contains(pl.col(S.brand).str.to_lowercase()).fill_null(False)).then(
        pl.format("{}, a brand you like", pl.col(S.brand))),
)
REASON_SOURCES = cite("article", "malisoux2016_drop", "nigg2015", "tenforde2023", "product")


@dataclass(frozen=True)
class Relative:
    """A reason that compares a shoe with the others on the same list: said of the one shoe
    that is strictly the lowest (``min``) or highest (``max``) on ``column``."""

    id: str
    column: str
    best: str  # "min" or "max"
    text: str  # with {value}


#: Compared over the first this-many shoes of each runner's list (the shortlist a runner
#: reads), so the default top 5 is the head of a longer list, word for word.
RELATIVE_OVER = 5
#: Evaluated over each runner's shortlist (:mod:`recommender.core.ranking`).
RELATIVE: tuple[Relative, ...] = (
    Relative("lowest_drop", P.drop, "min", "Lowest drop on your list ({value} mm)"),
    Relative("highest_drop", P.drop, "max", "Highest drop on your list ({value} mm)"),
    Relative("most_cushion", P.heel, "max", "Most cushion on your list ({value} mm heel)"),
    Relative("lightest", P.weight, "min", "Lightest on your list ({value} g)"),
    Relative("cheapest", P.price, "min", "Least expensive on your list (${value})"),
)
