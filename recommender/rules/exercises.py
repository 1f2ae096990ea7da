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
    """One exercise. ``kind``: ``hip`` (hip, glute and core strength), ``knee`` (loaded,
    progressive quadriceps work), ``knee_mobility``, ``calf``, ``mobility`` (stretching and
    rolling). ``when``: who gets it."""

    id: str
    name: str
    kind: str
    dose: str
    why: str
    when: pl.Expr
    sources: tuple[str, ...]
    targets: pl.Expr | None = field(default=None)


_hip = pl.col(F.hip_programme)
_pain = pl.col(F.has_pain)
_strong_painfree = pl.col(F.established) & ~_pain
FOAM_ROLL_TARGETS = ("glutes", "hips", "quads", "calves")  # article: never the IT band
#: Hip and glute work for every runner: the full programme while weak or in pain, a short
#: maintenance routine otherwise (article: "you don't stop the strength work").
_everyone = pl.lit(True)
EXERCISES: tuple[Exercise, ...] = (
    Exercise("monster_walk", "Monster walks", "hip",
             "Mini band around the ankles: 3 rounds of 10 steps each way, 3 times a week "
             "(2 as maintenance)",
             "Strengthens the hip abductors, especially glute medius, which keep the pelvis level "
             "and the knee from drifting in.", _everyone, cite("article", "willy2019")),
    Exercise("glute_bridge", "Glute bridges", "hip",
             "3 × 12, hold 2–3 s at the top, 3 times a week; move to single-leg bridges when 12 "
             "are easy",
             "Glutes and core stabilise the pelvis and control the hip, taking strain off the "
             "knee.", _everyone, cite("article", "crossley2016")),
    Exercise("single_leg_balance", "Single-leg balance", "hip",
             "Knee slightly bent, 3 × 30–60 s on each leg, most days",
             "Trains the muscles that steady the knee and your sense of where it is.",
             _everyone, cite("article")),
    Exercise("core_program", "Core programme", "hip",
             "10 minutes a day for 30 days: hips, glutes and core, not just abs; then 3 times a "
             "week",
             "Core means glutes and hips too; together they give the stability that protects "
             "the knee. Keep going once it feels better.", _hip,
             cite("article", "ferber2015", "collins2018")),
    Exercise("wall_sit", "Wall sit", "knee",
             "5 × 30–45 s at a depth that stays pain-free (pain no more than 3/10), 3 times a "
             "week; go lower as it allows",
             "Loads the quadriceps without moving the sore knee: a gentle start to the knee "
             "work, and it often eases pain for a while.", _pain,
             cite("collins2018", "crossley2016")),
    Exercise("straight_leg_raise", "Straight leg raises", "knee",
             "3 × 10 each leg, hold 3 s at the top, 3 times a week (first two weeks)",
             "Wakes up the quadriceps while loading the knee very little. Knee pain needs a "
             "plan, not just rest.", _pain, cite("article", "crossley2016", "winters2021")),
    Exercise("squat_pain_free", "Squat to a pain-free depth", "knee",
             "3 × 10–15, only as deep as stays at 3/10 or less, 3 times a week; add depth, then "
             "load, week by week",
             "Progressive, loaded quadriceps work is the core of patellofemoral rehab "
             "(combined with hip work).", _pain | _strong_painfree,
             cite("crossley2016", "collins2018", "willy2019")),
    Exercise("step_down", "Step-downs", "knee",
             "From a low step, slowly, knee over the second toe: 3 × 10 each leg, 3 times a "
             "week; raise the step as it gets easy",
             "Loads the quadriceps in a running-like single-leg position and trains the knee "
             "not to drift in.", _pain, cite("willy2019", "collins2018")),
    Exercise("leg_press_or_extension", "Leg press or knee extension", "knee",
             "In the pain-free range: 3 × 10–12, heavy enough that the last reps are hard, 2–3 "
             "times a week (from week 6)",
             "Heavier quadriceps loading once the knee tolerates it; strength keeps building "
             "after the pain settles.", _pain, cite("crossley2016", "collins2018")),
    Exercise("calf_raise", "Calf raises", "calf",
             "3 × 15 slow, on each leg, 3 times a week",
             "Strong calves take the load that running on your toes and tight calves put "
             "through the leg.", pl.col(F.calf_protect), cite("vannatta2015", "product")),
    Exercise("hamstring_stretch", "Hamstring stretch", "mobility",
             "Hold 20–30 s each leg, 2–3 times, after runs",
             "Tight hamstrings change how the lower limb moves and can load the knee.",
             _has(R.tight, "hamstrings"), cite("article")),
    Exercise("terminal_knee_extension", "Terminal knee extension", "knee_mobility",
             "Band behind the knee, straighten fully against it: 3 × 15, daily",
             "Restores the last degrees of knee straightening, which a sore knee often loses.",
             _is(R.extension_deficit, "left", "right", "both"), cite("article")),
    Exercise("popliteus_stretch", "Popliteus stretch", "knee_mobility",
             "3 × 30 s on the knee that will not straighten, daily",
             "A tight popliteus at the back of the knee can block full extension.",
             _is(R.extension_deficit, "left", "right", "both"), cite("article")),
    Exercise("foam_rolling", "Foam rolling", "mobility",
             "1–2 minutes per area, after runs; never the IT band",
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
EXERCISE_KINDS = ("hip", "knee", "knee_mobility", "calf", "mobility")
assert all(e.kind in EXERCISE_KINDS for e in EXERCISES)
