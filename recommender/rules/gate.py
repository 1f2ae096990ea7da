"""Rule 1: the strength gate (strength before stability), criterion by criterion."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R
from .expr import num
from .sources import BALANCE_MIN_S, GATE_WEEKS, cite


# --------------------------------------------------------------------- rule 1: the gate
@dataclass(frozen=True, eq=False)
class Criterion:
    """One condition of the strength gate; ``unmet`` is shown in ``gate.unlock_when``."""

    id: str
    met: pl.Expr
    unmet: pl.Expr
    sources: tuple[str, ...]


_weeks = pl.col(R.strength_weeks)
GATE_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "strength_time",
        # "strong" counts, unless the runner also says 0 weeks of the work: the safe reading
        # of that contradiction keeps the gate locked (rules.conflicts names it).
        ((pl.col(R.strength_status) == "strong").fill_null(False) & ~(_weeks == 0).fill_null(False))
        | (_weeks.fill_null(0) >= GATE_WEEKS),
        pl.format(f"{GATE_WEEKS} weeks of consistent hip, glute and core work ({{}}), "
                  "or a strength level you would call strong",
                  pl.when(_weeks.is_null()).then(pl.lit("you have not said how many"))
                  .otherwise(pl.format("you have {}", num(_weeks)))),
        cite("ferber2015", "article", "crossley2016"),
    ),
    Criterion(
        "single_leg_squat",
        pl.col(R.single_leg_squat_ok).fill_null(True),
        pl.lit("5 controlled single-leg squats on each leg without the knee drifting inward"),
        cite("willy2019", "article"),
    ),
    Criterion(
        "single_leg_balance",
        pl.col(R.single_leg_balance_s).fill_null(BALANCE_MIN_S) >= BALANCE_MIN_S,
        pl.format(f"{int(BALANCE_MIN_S)} s of "
                  "single-leg balance on the painful leg, eyes open (you held {} s)",
                  num((pl.col(R.single_leg_balance_s) * 100).floor() / 100)),
        cite("article"),
    ),
)
GATE_RULE_ID = "strength_before_stability"
GATE_SOURCES = cite("article", "crossley2016", "ferber2015")


