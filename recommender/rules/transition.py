"""Rules 7 and 9: the transition from the runner's current shoe to each recommended shoe,
direction-aware (a lower drop loads calves and Achilles; a higher drop does not), and
covering a change of support class and a big change of stack (SPEC §3.7, §7.3).

Each :class:`Step` is one piece of advice; a shoe's transition is every step that applies,
in order. With a referral nothing is advised as if to start now.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import S
from .expr import F, P, num
from .sources import STACK_CHANGE_MM, TRANSITION_MM, cite


@dataclass(frozen=True, eq=False)
class Step:
    id: str
    when: pl.Expr
    needed: bool  # does this step make the transition "needed" (SPEC §3.7)
    text: pl.Expr
    sources: tuple[str, ...]


_cur = pl.col(F.current_drop)
_new = pl.col(P.drop)
_diff = (_new - _cur)
_cur_support = pl.col(F.current_support)
_stack_diff = pl.col(P.heel) - pl.col(F.current_stack)
_known = _cur.is_not_null()

STEPS: tuple[Step, ...] = (
    Step("drop_lower", _known & (_diff < -TRANSITION_MM), True, pl.format(
        "The drop falls {} mm (from {} to {} mm): more work for your calves and Achilles. "
        "Alternate it with your current shoe on short easy runs and build over 4–6 weeks.",
        num(-_diff), num(_cur), num(_new)), cite("malisoux2016_drop", "article")),
    Step("drop_higher", _known & (_diff > TRANSITION_MM), True, pl.format(
        "The drop rises {} mm (from {} to {} mm): less load on calves and Achilles, but the "
        "heel sits higher and you may land further back on it. Use it on a few easy runs "
        "first and keep landing under your body.", num(_diff), num(_cur), num(_new)),
        cite("article")),
    Step("support_to_neutral",
         _cur_support.is_in(["stability", "motion_control"]).fill_null(False)
         & (pl.col(S.support) == "neutral"), True, pl.format(
             "From a {} shoe to a neutral one: start with short easy runs while the hip and "
             "glute work builds your own control.", _cur_support.str.replace("_", " ")),
         cite("article")),
    Step("support_to_corrective",
         (_cur_support == "neutral").fill_null(False)
         & pl.col(S.support).is_in(["stability", "motion_control"]), True, pl.format(
             "From a neutral shoe to a {} one: the firmer inner side can feel odd; wear it on "
             "a few easy runs first.", pl.col(S.support).str.replace("_", " ")),
         cite("article")),
    Step("stack_change", (_stack_diff.abs() >= STACK_CHANGE_MM).fill_null(False), True,
         pl.format("Much {} cushion underfoot ({} → {} mm at the heel): ease in over a few "
                   "runs.", pl.when(_stack_diff > 0).then(pl.lit("more")).otherwise(
                       pl.lit("less")), num(pl.col(F.current_stack)), num(pl.col(P.heel))),
         cite("product")),
)

#: Said when no step applies.
NO_STEP_KNOWN = pl.format(
    "Drop within {} mm of your current {} mm and the same kind of shoe: no special transition; "
    "still start with easy runs.", num(pl.lit(TRANSITION_MM)), num(_cur))
NO_STEP_UNKNOWN = pl.lit(
    "Your current shoe's drop is unknown: start the new shoe on short easy runs and build up "
    "over a few weeks.")
#: With a referral: nothing as if to start now (SPEC §7.3).
REFERRAL_HOLD = pl.lit(
    "Not yet: see a clinician first. Once you are cleared, introduce this shoe on short easy "
    "runs.")
TRANSITION_SOURCES = cite("malisoux2016_drop", "article", "spec")


def transition_exprs() -> tuple[pl.Expr, pl.Expr]:
    """(needed, advice) for each runner × shoe pair."""
    needed = pl.any_horizontal([s.when for s in STEPS if s.needed])
    steps = pl.concat_list([pl.when(s.when).then(s.text) for s in STEPS]).list.drop_nulls()
    advice = (pl.when(pl.col(F.referral)).then(REFERRAL_HOLD)
              .when(steps.list.len() > 0).then(steps.list.join(" "))
              .when(_known).then(NO_STEP_KNOWN)
              .otherwise(NO_STEP_UNKNOWN))
    return (needed & ~pl.col(F.referral)).alias(P.transition_needed), \
        advice.alias(P.transition_advice)
