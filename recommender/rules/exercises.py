"""Rule 6: exercises, each with dose, why, when and sources."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ..spec.vocab import R
from .expr import F, _has, _is
from .sources import cite


# --------------------------------------------------------------------- rule 6: exercises
@dataclass(frozen=True, eq=False)
class Exercise:
    id: str
    name: str
    dose: str
    why: str
    when: pl.Expr
    sources: tuple[str, ...]
    targets: pl.Expr | None = field(default=None)


_hip = pl.col(F.hip_programme)
FOAM_ROLL_TARGETS = ("glutes", "hips", "quads", "calves")  # article: never the IT band
_pain = pl.col(F.has_pain)
EXERCISES: tuple[Exercise, ...] = (
    Exercise("monster_walk", "Monster walks",
             "Mini band around the ankles: 10 steps left, 10 right; 3 rounds, daily",
             "Strengthens the hip abductors, especially glute medius, which keep the pelvis level "
             "and the knee from drifting in.", _hip, cite("article", "willy2019")),
    Exercise("glute_bridge", "Glute bridges",
             "3 × 12, hold 2–3 s at the top, daily",
             "Glutes and core stabilise the pelvis and control the hip, taking strain off the knee.",
             _hip, cite("article", "crossley2016")),
    Exercise("single_leg_balance", "Single-leg balance",
             "Knee slightly bent, 3 × 30–60 s on each leg, daily",
             "Trains the muscles that steady the knee and your sense of where it is.",
             _hip, cite("article")),
    Exercise("core_program", "Daily core programme",
             "10 minutes a day for 30 days: hips, glutes and core, not just abs",
             "Core means glutes and hips too; together they give the stability that protects "
             "the knee. Keep going once it feels better.", _hip,
             cite("article", "ferber2015", "collins2018")),
    Exercise("straight_leg_raise", "Straight leg raises",
             "3 × 10 each leg, hold 3 s at the top",
             "Strong quadriceps help the kneecap track and lower the pressure behind it. Knee pain "
             "needs a plan, not just rest.", _pain, cite("article", "crossley2016", "winters2021")),
    Exercise("hamstring_stretch", "Hamstring stretch",
             "Hold 20–30 s each leg, 2–3 times, after runs",
             "Tight hamstrings change how the lower limb moves and can load the knee.",
             _has(R.tight, "hamstrings"), cite("article")),
    Exercise("terminal_knee_extension", "Terminal knee extension",
             "Band behind the knee, straighten fully against it: 3 × 15, daily",
             "Restores the last degrees of knee straightening that the article found missing.",
             _is(R.extension_deficit, "left", "right", "both"), cite("article")),
    Exercise("popliteus_stretch", "Popliteus stretch",
             "3 × 30 s on the knee that will not straighten, daily",
             "A tight popliteus at the back of the knee can block full extension.",
             _is(R.extension_deficit, "left", "right", "both"), cite("article")),
    Exercise("foam_rolling", "Foam rolling",
             "1–2 minutes per area, daily; never the IT band",
             "Loosens glutes, hips, quads and calves that can pull on the knee. Do not foam roll "
             "the IT band.",
             (pl.col(R.tight).list.len().fill_null(0) > 0) | _pain,
             cite("article"),
             targets=pl.concat_list([
                 pl.lit("glutes"),
                 pl.when(_has(R.tight, "hip_flexors") | _pain).then(pl.lit("hips")),
                 pl.when(_has(R.tight, "quadriceps") | _has(R.tight, "hamstrings") | _pain)
                 .then(pl.lit("quads")),
                 pl.when(pl.col(F.calf_protect) | _pain).then(pl.lit("calves")),
             ]).list.drop_nulls()),
)


