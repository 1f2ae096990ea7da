"""Safety invariants checked over the vectorised path (features → pairs → plan), with
oracles written from SPEC §3 here, independently of ``recommender.rules``.

``check(runners, catalog)`` returns a dict of violation counts (all zero when the engine
keeps its promises) plus the numbers checked.
"""

from __future__ import annotations

import polars as pl

from ..core.features import derive
from ..core.pairs import COMPONENT_PREFIX, score_pairs
from ..core.plan import TARGETS, evaluate
from ..rules.expr import F, P
from ..spec.vocab import RED_FLAGS, R, S

FOAM_OK = {"glutes", "hips", "quads", "calves"}


def oracle_established() -> pl.Expr:
    """SPEC §3.1, written out: strong or >= 6 weeks, squat not failed, balance absent or >= 30."""
    weeks = pl.col(R.strength_weeks)
    # "strong" with 0 weeks of the work: the safe reading keeps the gate locked (SPEC §7.3)
    time_ok = ((pl.col(R.strength_status) == "strong").fill_null(False)
               & ~(weeks == 0).fill_null(False)) | (weeks.fill_null(0) >= 6)
    squat_ok = pl.col(R.single_leg_squat_ok).is_null() | pl.col(R.single_leg_squat_ok)
    balance_ok = pl.col(R.single_leg_balance_s).is_null() | (pl.col(R.single_leg_balance_s) >= 30)
    return time_ok & squat_ok & balance_ok


def oracle_referral() -> pl.Expr:
    """SPEC §3.3: any red flag or severity >= 8."""
    flag = pl.col(R.red_flags).list.set_intersection(list(RED_FLAGS)).list.len() > 0
    return flag | (pl.col(R.severity).fill_null(0) >= 8)


def check(runners: pl.DataFrame, catalog: pl.DataFrame) -> dict[str, int]:
    feats = derive(runners, catalog).with_columns(
        oracle_established().alias("o_established"), oracle_referral().alias("o_referral"))
    fr = feats.collect()
    pairs = fr.lazy().join(catalog.lazy().with_columns(pl.col(S.msrp_usd).alias(P.price)),
                           how="cross")
    comps = [c for c in score_pairs(pairs).collect_schema().names() if c.startswith(COMPONENT_PREFIX)]
    use = pl.col(R.use).fill_null("daily")
    scored = score_pairs(pairs, explain=True).select(
        "o_established", P.eligible, S.support, P.score, *comps, S.role, S.plate,
        use.alias("o_use"), pl.col(F.referral), P.transition_needed).collect()
    plan = evaluate(fr.lazy())
    pain = pl.col(R.knee_pain).fill_null(False) | (pl.col(R.severity).fill_null(0) >= 1)
    pains = fr.select(R.runner_id, pain.alias("o_pain")).join(plan, on=R.runner_id)
    hip = pl.any_horizontal([pl.col(f"exercise:{e}") for e in HIP_WORK])
    knee = pl.any_horizontal([pl.col(f"exercise:{e}") for e in LOADED_KNEE_WORK])
    foam = plan.get_column(f"{TARGETS}foam_rolling").explode().drop_nulls().unique().to_list()
    return {
        "runners": fr.height,
        "pairs": scored.height,
        "gate_violations": scored.filter(
            pl.col(P.eligible) & ~pl.col("o_established") & (pl.col(S.support) != "neutral")).height,
        "gate_feature_mismatch": fr.filter(pl.col(F.established) != pl.col("o_established")).height,
        "insole_violations": fr.filter(pl.col(F.insole) & ~pl.col("o_established")
                                       & ~pl.col(R.orthotics_prescribed).fill_null(False)).height,
        "referral_mismatch": fr.filter(pl.col(F.referral) != pl.col("o_referral")).height,
        "score_out_of_range": scored.filter(pl.col(P.score).is_null() | (pl.col(P.score) < 0)
                                            | (pl.col(P.score) > 100)).height,
        # a null component does not apply to the runner (an unstated preference)
        "component_out_of_range": scored.filter(pl.any_horizontal(
            [(pl.col(c) < 0) | (pl.col(c) > 1) for c in comps])).height,
        # SPEC §7.2: a race shoe is ranked only for use race; no plated racer for daily use
        "racer_for_daily_use": scored.filter(
            pl.col(P.eligible) & (((pl.col(S.role) == "race") & (pl.col("o_use") != "race"))
                                  | ((pl.col(S.plate) == "carbon")
                                     & pl.col("o_use").is_in(["daily", "long", "trail"])))).height,
        # SPEC §7.3: referral ⇒ no transition advice as if to start now
        "referral_with_transition": scored.filter(
            pl.col(F.referral) & pl.col(P.transition_needed)).height,
        # SPEC §7.3: pain ⇒ load advice, and hip and loaded knee work
        "pain_without_load_advice": pains.filter(
            pl.col("o_pain") & (pl.col("load_advice").list.len() == 0)).height,
        "pain_without_hip_and_knee_work": pains.filter(pl.col("o_pain") & ~(hip & knee)).height,
        "foam_rolling_bad_target": len(set(foam) - FOAM_OK),
        "plan_rows_mismatch": abs(plan.height - fr.height),
    }


VIOLATIONS = ("gate_violations", "gate_feature_mismatch", "insole_violations",
              "referral_mismatch", "score_out_of_range", "component_out_of_range",
              "racer_for_daily_use", "referral_with_transition", "pain_without_load_advice",
              "pain_without_hip_and_knee_work", "foam_rolling_bad_target", "plan_rows_mismatch")
#: Hip work and loaded knee work, written from EVIDENCE.md (Crossley 2016, Collins 2018).
HIP_WORK = ("monster_walk", "glute_bridge", "single_leg_balance", "core_program")
LOADED_KNEE_WORK = ("wall_sit", "squat_pain_free", "step_down", "leg_press_or_extension")
