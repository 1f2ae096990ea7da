"""Rule 2 and the insole advice, first match wins (SPEC §3.1–3.2).

The seed's rule stays (an insole only once the strength work is established, except
orthotics a clinician prescribed), and the evidence is stated honestly: prefabricated
insoles can give short-term relief (collins2018), and foot shape alone, without knee pain,
prescribes nothing (ryan2011, nielsen2014).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R
from .expr import F, _flag
from .sources import cite


@dataclass(frozen=True, eq=False)
class InsoleAdvice:
    id: str
    when: pl.Expr
    recommended: bool
    text: pl.Expr
    sources: tuple[str, ...]


#: Filled in by the plan with the runner's support needs ("over-pronation with knee pain").
NEEDS_COLUMN = "support_needs"

INSOLE_ADVICE: tuple[InsoleAdvice, ...] = (
    InsoleAdvice("prescribed_in_use",
                 _flag(R.orthotics_prescribed) & pl.col(R.orthotics_uses).fill_null(True), True,
                 pl.lit("Keep using the orthotics your clinician prescribed: they are the "
                        "exception to strength before stability. Stability shoes stay locked "
                        "until the strength work is established."),
                 cite("spec", "article")),
    InsoleAdvice("prescribed_not_in_use", _flag(R.orthotics_prescribed), True,
                 pl.lit("Your clinician prescribed orthotics, which you are not using now: they "
                        "stay allowed (the exception to strength before stability) — ask your "
                        "clinician whether to wear them again."),
                 cite("spec", "article")),
    InsoleAdvice("needed", pl.col(F.needs_support), True,
                 pl.format("Your strength base is established; for {}, try an insole in your "
                           "first pick, a neutral shoe — the smaller step before a stability "
                           "shoe.", pl.col(NEEDS_COLUMN).list.join(" and ")),
                 cite("article", "willy2019", "collins2018")),
    InsoleAdvice("locked", ~pl.col(F.established), False,
                 pl.lit("Not yet: do the hip, glute and core work first — insoles and stability "
                        "shoes can hide weak hips and glutes, so gaitkeeper keeps them for after "
                        "the strength work. The evidence is kinder to "
                        "insoles than that: prefabricated insoles can ease pain in the short "
                        "term (Collins 2018). If pain stops you running now, ask a "
                        "physiotherapist whether a short-term insole makes sense for you."),
                 cite("article", "collins2018", "crossley2016")),
    InsoleAdvice("not_needed", pl.lit(True), False,
                 pl.lit("Not needed: nothing in your profile calls for extra arch support (foot "
                        "shape alone, without knee pain, is not a reason)."),
                 cite("ryan2011", "nielsen2014")),
)


def insole_exprs() -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(id, recommended, text) of the first advice that applies, per runner."""
    first = INSOLE_ADVICE[0]
    ids = pl.when(first.when).then(pl.lit(first.id))
    rec = pl.when(first.when).then(pl.lit(first.recommended))
    text = pl.when(first.when).then(first.text)
    for a in INSOLE_ADVICE[1:]:
        ids = ids.when(a.when).then(pl.lit(a.id))
        rec = rec.when(a.when).then(pl.lit(a.recommended))
        text = text.when(a.when).then(a.text)
    return ids, rec, text
