"""Rule 3: red flags and severity that send the runner to a clinician first."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R
from .expr import _has
from .sources import SEVERITY_REFERRAL, cite


# -------------------------------------------------------------------- rule 3: referral
@dataclass(frozen=True, eq=False)
class Referral:
    id: str
    when: pl.Expr
    reason: pl.Expr
    sources: tuple[str, ...]


RED_FLAG_TEXT = {
    "recent_trauma": "a recent fall, blow or twist to the knee",
    "significant_swelling": "significant swelling",
    "locking": "the knee locks or catches",
    "giving_way": "the knee gives way",
    "night_pain": "pain at night or at rest",
    "fever_or_redness": "fever, heat or redness around the knee",
    "numbness": "numbness or tingling",
}
REFERRALS: tuple[Referral, ...] = (
    *(Referral(f"red_flag:{flag}", _has(R.red_flags, flag),
               pl.lit(f"Red flag: {text} — see a clinician before changing shoes or training."),
               cite("spec", "article"))
      for flag, text in RED_FLAG_TEXT.items()),
    Referral("severity", pl.col(R.severity).fill_null(0) >= SEVERITY_REFERRAL,
             pl.format(f"Pain severity {{}}/10 ({SEVERITY_REFERRAL} or more) — see a clinician "
                       "before changing shoes or training.", pl.col(R.severity)),
             cite("spec")),
)


