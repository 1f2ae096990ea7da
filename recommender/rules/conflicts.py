"""Answers that contradict each other (SPEC §7.3 ``conflicts``): each is named, and the safe
reading wins — never silently ignored."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R
from .expr import F, _flag, num
from .sources import cite


@dataclass(frozen=True, eq=False)
class Conflict:
    id: str
    fields: tuple[str, ...]
    when: pl.Expr
    message: pl.Expr
    sources: tuple[str, ...]


_sev = pl.col(R.severity)
CONFLICTS: tuple[Conflict, ...] = (
    Conflict("pain_and_severity", ("knee.pain", "knee.severity"),
             (pl.col(R.knee_pain) == False).fill_null(False) & (_sev.fill_null(0) >= 1),  # noqa: E712
             pl.format("You said no knee pain but rated it {}/10: gaitkeeper reads that as pain "
                       "(the safe reading).", _sev), cite("spec")),
    Conflict("strong_without_weeks", ("strength.status", "strength.weeks_consistent"),
             (pl.col(R.strength_status) == "strong").fill_null(False)
             & (pl.col(R.strength_weeks) == 0).fill_null(False),
             pl.lit("You called your strength strong but have done 0 weeks of the hip, glute "
                    "and core work: the strength gate stays locked until the work is done "
                    "(the safe reading)."), cite("spec", "ferber2015")),
    Conflict("no_km_but_runs", ("running.weekly_km", "running.runs_per_week"),
             (pl.col(R.weekly_km) == 0).fill_null(False)
             & (pl.col(R.runs_per_week).fill_null(0) > 0),
             pl.format("0 km a week but {} runs a week: gaitkeeper counts you as running "
                       "regularly (the cautious reading for shoe drop).",
                       pl.col(R.runs_per_week)), cite("malisoux2016_drop")),
    Conflict("toes_and_heel", ("gait.on_toes", "gait.foot_strike"),
             _flag(R.on_toes) & (pl.col(R.foot_strike) == "heel").fill_null(False),
             pl.lit("You run on the balls of your feet but land on your heel: both form cues "
                    "are kept; a phone video of your running would settle it."),
             cite("article")),
    Conflict("prescribed_not_used", ("orthotics.uses", "orthotics.clinician_prescribed"),
             (pl.col(R.orthotics_uses) == False).fill_null(False)  # noqa: E712
             & _flag(R.orthotics_prescribed),
             pl.lit("Your clinician prescribed orthotics but you do not use them: they stay "
                    "allowed; ask your clinician whether to wear them again."), cite("spec")),
    Conflict("current_shoe_numbers", ("current_shoe.shoe_id", "current_shoe.drop_mm"),
             pl.col("__cat_drop_stated").fill_null(False),
             pl.format("Your current shoe is in the catalog with a {} mm drop, but you also gave "
                       "{} mm: the catalog's number is used.", num(pl.col(F.current_drop)),
                       num(pl.col(R.current_drop_mm))), cite("product")),
)
#: Column that ``core.features.derive`` sets when a catalog shoe and a stated drop disagree.
CAT_DROP_STATED = "__cat_drop_stated"
