"""Derived runner features (rules 1, 2, 7): evaluated in order over a frame of runners."""

from __future__ import annotations

import polars as pl

from ..spec.vocab import R
from .expr import F, Trigger, _flag, _has, _is, _t, has_pain, heel_strike, overstriding, valgus
from .gate import GATE_CRITERIA
from .referral import REFERRALS
from .sources import (
    ASSUMED_BODY_MASS_KG,
    ASSUMED_CURRENT_DROP_MM,
    BALANCE_MIN_S,
    CALF_MIN_DROP_MM,
    DROP_STEP_MM,
    HEAVY_RUNNER_KG,
    HIGH_VOLUME_KM,
    LIGHT_RUNNER_KG,
    REGULAR_MIN_DROP_MM,
    REGULAR_RUNS_PER_WEEK,
    cite,
)

#: Rule 2: after the gate, support is preferred for these (each with its words).
#: Foot posture alone, without knee pain, prescribes nothing (ryan2011, nielsen2014).
SUPPORT_NEEDS: tuple[Trigger, ...] = (
    _t(_is(R.pronation, "over") & pl.col(F.has_pain), "over-pronation with knee pain"),
    _t(_is(R.arch, "flat") & pl.col(F.has_pain), "flat arches with knee pain"),
    _t(valgus & pl.col(F.has_pain), "knee drift with knee pain"),
)
SUPPORT_NEED_SOURCES = cite("article", "willy2019", "malisoux2016_mc", "ryan2011", "nielsen2014")


# ------------------------------------------------------- derived runner features (rules 1, 2, 7)
_current_drop = pl.col(F.current_drop)
# Regular runners are not moved below 4 mm (malisoux2016_drop: low drop hurt regular runners);
# one already in a lower drop is moved up to 4 mm (the higher drop spares calves and Achilles).
_floor_regular = pl.when(pl.col(F.regular)).then(REGULAR_MIN_DROP_MM).otherwise(0.0)
# On the toes or tight calves: 8 mm or more is favoured (a soft floor, SPEC §3.7).
_soft_floor = pl.max_horizontal(
    pl.col(F.drop_floor), pl.when(pl.col(F.calf_protect)).then(CALF_MIN_DROP_MM).otherwise(0.0))
_base = _current_drop.fill_null(ASSUMED_CURRENT_DROP_MM)

#: (column, expression), evaluated in order; later ones may use earlier ones.
FEATURES: tuple[tuple[str, pl.Expr], ...] = (
    (F.has_pain, has_pain.fill_null(False)),
    (F.referral, pl.any_horizontal([r.when for r in REFERRALS])),
    (F.established, pl.all_horizontal([c.met for c in GATE_CRITERIA])),
    # SPEC §3.1 exception: prescribed orthotics stay allowed; stability shoes stay locked.
    (F.orthotics_allowed, pl.col(F.established) | _flag(R.orthotics_prescribed)),
    # Unknown runs per week counts as regular: the cautious side of malisoux2016_drop.
    (F.regular, pl.col(R.runs_per_week).fill_null(REGULAR_RUNS_PER_WEEK) >= REGULAR_RUNS_PER_WEEK),
    (F.wants_lower, pl.col(F.has_pain) & (heel_strike | overstriding)),
    (F.calf_protect, _flag(R.on_toes) | _has(R.tight, "calves")),
    (F.drop_floor, _floor_regular),
    (F.drop_soft_floor, _soft_floor),
    (F.drop_target, pl.min_horizontal(
        pl.lit(12.0),
        pl.max_horizontal(
            _soft_floor,
            pl.when(pl.col(F.wants_lower)).then(_base - DROP_STEP_MM).otherwise(_base)),
    )),
    # SPEC §7.2: the size scale and the use of the shoe.
    (F.line, pl.coalesce(pl.col(R.shoe_line),
                         pl.when(pl.col(R.sex) == "female").then(pl.lit("womens"))
                         .otherwise(pl.lit("mens")))),
    (F.use, pl.col(R.use).fill_null("daily")),
    (F.heavy, pl.col(R.body_mass_kg).fill_null(0) >= HEAVY_RUNNER_KG),
    (F.light, pl.col(R.body_mass_kg).fill_null(ASSUMED_BODY_MASS_KG) < LIGHT_RUNNER_KG),
    (F.high_volume, pl.col(R.weekly_km).fill_null(0) >= HIGH_VOLUME_KM),
    # Rule 2: after the gate, support is preferred for over-pronation, flat arches or
    # persisting knee valgus with knee pain.
    (F.needs_support, pl.col(F.established) & pl.any_horizontal([n.when for n in SUPPORT_NEEDS])),
    (F.insole, pl.col(F.needs_support) | _flag(R.orthotics_prescribed)),
    # Hip work stays while in pain, after the gate too (combined hip and knee work:
    # crossley2016, collins2018; "you don't stop the strength work when it feels better").
    (F.hip_programme, ~pl.col(F.established) | valgus | pl.col(F.has_pain)
     | (pl.col(R.strength_status) == "weak").fill_null(False)
     | (~pl.col(R.single_leg_squat_ok).fill_null(True))
     | (pl.col(R.single_leg_balance_s).fill_null(BALANCE_MIN_S) < BALANCE_MIN_S)),
)


