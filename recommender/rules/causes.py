"""Rule 4: likely causes, each with the profile evidence that triggers it."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R
from .expr import F, Trigger, _flag, _has, _is, _t, heel_strike, num, overstriding, valgus
from .sources import (
    BALANCE_MIN_S,
    HIGH_WEEKLY_KM,
    LOAD_RISE_PCT,
    LOW_CADENCE_SPM,
    WORN_SHOE_KM,
    cite,
)

_current_drop = pl.col(F.current_drop)

# ----------------------------------------------------------------------- rule 4: causes
@dataclass(frozen=True, eq=False)
class Cause:
    id: str
    label: str
    triggers: tuple[Trigger, ...]
    sources: tuple[str, ...]


_pct = pl.col(R.recent_load_increase_pct)
_km = pl.col(R.weekly_km)
_cad = pl.col(R.cadence_spm)
_deficit = pl.col(R.extension_deficit)

CAUSES: tuple[Cause, ...] = (
    Cause("overuse", "Overuse: load rose faster than the body adapted", (
        _t(_pct.fill_null(0) >= LOAD_RISE_PCT,
           pl.format("weekly volume up {}% over the last 4 weeks", num(_pct))),
        _t(_km.fill_null(0) >= HIGH_WEEKLY_KM, pl.format("high weekly volume ({} km)", num(_km))),
    ), cite("article", "product")),
    # Neal 2019: hip weakness was not a risk factor for future PFP — treat it, do not claim
    # it caused the pain; the label says what to build, not what to blame.
    Cause("hip_weakness", "Hip, glute and core strength to build", (
        _t((pl.col(R.strength_status) == "weak").fill_null(False),
           "no established hip, glute and core routine yet"),
        _t(~pl.col(R.single_leg_squat_ok).fill_null(True),
           "single-leg squat: the knee drifted in or 5 controlled reps were not possible"),
        _t(pl.col(R.single_leg_balance_s).fill_null(BALANCE_MIN_S) < BALANCE_MIN_S,
           pl.format("single-leg balance only {} s", num(pl.col(R.single_leg_balance_s)))),
        _t(valgus, "the knee drifts inward (valgus) when running or squatting"),
    ), cite("article", "willy2019", "crossley2016", "neal2019")),
    Cause("muscle_tightness", "Tight muscles pulling on the knee", tuple(
        _t(_has(R.tight, m), f"tight {m.replace('_', ' ')}")
        for m in ("hamstrings", "quadriceps", "calves", "hip_flexors")
    ), cite("article")),
    # A long-standing difference that never caused trouble is fine; a new one is not.
    Cause("hip_misalignment", "A new shift in hip alignment", (
        _t(_is(R.hip_alignment, "uneven_new"), "hips or pelvis newly uneven"),
    ), cite("article")),
    Cause("knee_extension_deficit", "The knee does not fully straighten", (
        _t(_is(R.extension_deficit, "left", "right", "both"),
           pl.format("reduced extension: {} knee", _deficit.replace("both", "each"))),
    ), cite("article")),
    Cause("foot_mechanics", "Foot mechanics: arches and pronation", (
        _t(_is(R.arch, "flat"), "flat arches"),
        _t(_is(R.arch, "high"), "high arches"),
        _t(_is(R.pronation, "over"), "over-pronation: the foot falls inward"),
    ), cite("article", "willy2019")),
    Cause("running_form", "Running form", (
        _t(overstriding, "overstriding: the foot lands in front of the body"),
        _t(heel_strike & pl.col(F.has_pain), "heel striking with knee pain"),
        _t(_flag(R.on_toes), "running on the balls of the feet (calves overworked)"),
        _t(_flag(R.arm_crossing), "arms swing across the body, twisting the hips"),
        _t(_cad.fill_null(LOW_CADENCE_SPM) < LOW_CADENCE_SPM,
           pl.format(f"cadence {{}} steps/min (below {LOW_CADENCE_SPM})", _cad)),
    ), cite("article", "heiderscheit2011", "willson2014")),
    Cause("footwear", "Footwear", (
        _t(_is(F.current_support, "stability", "motion_control") & ~pl.col(F.established),
           pl.format("a {} shoe before the strength work is done can hide weak hips and glutes",
                     pl.col(F.current_support).str.replace("_", " "))),
        _t(pl.col(R.current_km_used).fill_null(0) >= WORN_SHOE_KM,
           pl.format("current shoe has {} km on it", num(pl.col(R.current_km_used)))),
        _t(pl.col(F.wants_lower) & (_current_drop.fill_null(0) >= 10),
           pl.format("{} mm drop shoe with heel striking or overstriding", num(_current_drop))),
    ), cite("article", "product")),
)


