"""The exercise programme over weeks (SPEC §7.3 ``programme``): hip *and* loaded knee work
in every phase while in pain, progressive quadriceps loading 2–3 times a week, re-tests at
6 weeks, escalation if there is no improvement by 6–8 weeks, hip work kept as maintenance
(crossley2016, collins2018, willy2019, ferber2015; article: "you don't stop the strength
work when it feels better")."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R
from .expr import F
from .sources import GATE_WEEKS, cite


@dataclass(frozen=True, eq=False)
class Phase:
    id: str
    weeks: str  # as shown: "0–2"
    start_week: int  # the phase a runner is in, from their weeks of consistent work
    sessions_per_week: int
    exercises: tuple[str, ...]  # ids of rules.exercises, shown when the runner has them
    focus: str
    when: pl.Expr
    sources: tuple[str, ...]


_pain = pl.col(F.has_pain)
PHASES: tuple[Phase, ...] = (
    Phase("settle", "0–2", 0, 3,
          ("wall_sit", "straight_leg_raise", "glute_bridge", "monster_walk",
           "single_leg_balance", "core_program", "terminal_knee_extension"),
          "Calm the knee: isometric quadriceps work and hip activation, running cut back.",
          _pain, cite("collins2018", "esculier2018")),
    Phase("build", "2–6", 2, 3,
          ("squat_pain_free", "step_down", "glute_bridge", "monster_walk",
           "single_leg_balance", "core_program", "calf_raise"),
          f"Load the knee and hips progressively; at week {GATE_WEEKS} re-test the single-leg "
          "squat and 30 s balance.", _pain, cite("crossley2016", "ferber2015", "willy2019")),
    Phase("strengthen", "6–12", 6, 3,
          ("leg_press_or_extension", "step_down", "squat_pain_free", "glute_bridge",
           "monster_walk", "single_leg_balance", "calf_raise"),
          "Heavier quadriceps and hip loading. If the pain has not improved by week 6–8, see "
          "a physiotherapist rather than pushing on.", _pain,
          cite("collins2018", "winters2021")),
    Phase("maintain", "12+", 12, 2,
          ("squat_pain_free", "glute_bridge", "monster_walk", "single_leg_balance",
           "calf_raise"),
          "Keep the strength you built: two short sessions a week, for good.",
          pl.lit(True), cite("article", "crossley2016")),
)
PROGRAMME_WEEKS = pl.col(R.strength_weeks).fill_null(0)
