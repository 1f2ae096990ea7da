"""Rule 3: red flags and severity that send the runner to a clinician first."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import RED_FLAGS, R
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
    # one referral per flag of the one red-flag vocabulary (spec.vocab.RED_FLAGS): a flag
    # without its words is an import-time KeyError, never a silent gap
    *(Referral(f"red_flag:{flag}", _has(R.red_flags, flag),
               pl.lit(f"Red flag: {RED_FLAG_TEXT[flag]} — see a clinician before changing shoes "
                      "or training."), cite("spec", "article"))
      for flag in RED_FLAGS),
    Referral("severity", pl.col(R.severity).fill_null(0) >= SEVERITY_REFERRAL,
             pl.format(f"Pain severity {{}}/10 ({SEVERITY_REFERRAL} or more) — see a clinician "
                       "before changing shoes or training.", pl.col(R.severity)),
             cite("spec")),
)


# ------------------------------------------------- rule 3 from the journal (SPEC §7.5)
#: Pain logged in the runner's journal (``JOURNAL_PAIN_*`` in rules.sources) requires a
#: clinician first exactly as a red flag does: the journal computes which entries cross the
#: thresholds, ``recommend(..., referral_reasons=…)`` holds the answer with these words.
JOURNAL_REFERRAL_ID = "journal_pain"
JOURNAL_REFERRAL_SOURCES = cite("silbernagel2007", "product")


def journal_referral_text(reason: str) -> str:
    """One journal finding (``Progress.referral_reasons``) as a referral reason of SPEC §4."""
    return (f"Logged in your journal: {reason} — see a clinician before changing shoes or "
            "training.")
