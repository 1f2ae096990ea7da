"""Building blocks of the rule declarations: runner predicates over the flat runner
columns, the derived-feature and pair column names, and number formatting for texts.

Unknown answers are nulls; a condition on an unknown answer is false (nothing is guessed).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R


# ------------------------------------------------------------------- runner predicates
def _flag(col: str) -> pl.Expr:
    return pl.col(col).fill_null(False)


def _is(col: str, *values: str) -> pl.Expr:
    return pl.col(col).is_in(values).fill_null(False)


def _has(col: str, item: str) -> pl.Expr:
    return pl.col(col).list.contains(item).fill_null(False)


def num(expr: pl.Expr) -> pl.Expr:
    """A number as text, as a person writes it: ``6`` not ``6.0``, ``6.5``, ``129.99``
    (at most two decimals)."""
    r = expr.round(2)
    return (pl.when(r.round(0) == r).then(r.round(0).cast(pl.Int64).cast(pl.String))
            .otherwise(r.cast(pl.String)))


class F:
    """Derived runner columns (one row per runner), computed by ``features.derive``."""

    has_pain = "f_has_pain"
    referral = "f_referral"
    established = "f_established"
    orthotics_allowed = "f_orthotics_allowed"
    regular = "f_regular"
    current_drop = "f_current_drop"
    current_support = "f_current_support"
    wants_lower = "f_wants_lower_drop"
    calf_protect = "f_calf_protect"
    drop_floor = "f_drop_floor"
    drop_soft_floor = "f_drop_soft_floor"
    drop_target = "f_drop_target"
    needs_support = "f_needs_support"
    insole = "f_insole"
    hip_programme = "f_hip_programme"
    line = "f_line"
    use = "f_use"
    heavy = "f_heavy"
    light = "f_light"
    high_volume = "f_high_volume"
    current_stack = "f_current_stack"


class P:
    """Pair-level columns (runner × shoe)."""

    price = "price_usd"
    eligible = "eligible"
    score = "score"
    # the shoe's numbers on the runner's own line (SPEC §7.2: women's figures where given)
    drop = "p_drop_mm"
    weight = "p_weight_g"
    heel = "p_heel_stack_mm"
    transition_needed = "p_transition_needed"
    transition_advice = "p_transition_advice"



# Knee pain: stated, or implied by a severity of 1 or more. When the two contradict ("no
# pain" with severity 6) the safe reading wins: pain (the conflict is named, rules.conflicts).
has_pain = _flag(R.knee_pain) | (pl.col(R.severity).fill_null(0) >= 1)
heel_strike = _is(R.foot_strike, "heel")
overstriding = _flag(R.overstriding)
valgus = _flag(R.knee_valgus)


@dataclass(frozen=True, eq=False)
class Trigger:
    when: pl.Expr
    evidence: pl.Expr


def _t(when: pl.Expr, evidence: str | pl.Expr) -> Trigger:
    return Trigger(when, pl.lit(evidence) if isinstance(evidence, str) else evidence)
