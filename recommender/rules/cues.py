"""Rule 5: running-form cues."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R
from .expr import F, _flag, heel_strike, overstriding, valgus
from .sources import CADENCE_CAP_SPM, CADENCE_RISE, LOW_CADENCE_SPM, cite

_cad = pl.col(R.cadence_spm)

# --------------------------------------------------------------------- rule 5: form cues
@dataclass(frozen=True, eq=False)
class Cue:
    id: str
    when: pl.Expr
    text: pl.Expr
    sources: tuple[str, ...]


_lo, _hi = CADENCE_RISE
_hi_target = pl.min_horizontal((_cad * (1 + _hi)).round(0), pl.lit(CADENCE_CAP_SPM)).cast(pl.Int64)
_lo_target = pl.min_horizontal((_cad * (1 + _lo)).round(0), _hi_target).cast(pl.Int64)
CUES: tuple[Cue, ...] = (
    Cue("land_under_body", overstriding | (heel_strike & pl.col(F.has_pain)),
        pl.lit("Land with your foot under your body, not out in front: the reach causes a "
               "braking effect that sends pressure up to the knee."),
        cite("article", "willson2014")),
    # +5–10 %, never above CADENCE_CAP_SPM (no 200+ spm targets); a runner already at the
    # cap who overstrides is told to shorten the step, with no number.
    Cue("increase_cadence",
        (_cad.fill_null(LOW_CADENCE_SPM) < LOW_CADENCE_SPM) | overstriding,
        pl.when(_cad.is_not_null() & (_cad < CADENCE_CAP_SPM)).then(pl.format(
            "Take quicker, shorter steps: raise your cadence 5–10 %, from {} to about {}–{} "
            "steps per minute, over a few weeks.", _cad, _lo_target, _hi_target))
        .when(_cad.is_not_null()).then(pl.lit(
            "Shorten your step so the foot lands under you; your cadence is already high, so "
            "keep it where it is."))
        .otherwise(pl.lit("Take quicker, shorter steps: raise your cadence by 5–10 % over a few "
                          "weeks (count your steps for 30 s and double it).")),
        cite("heiderscheit2011", "lenhart2014")),
    # Willy 2019: gait retraining for poorly controlled knee valgus while running.
    Cue("knee_alignment", valgus,
        pl.lit("Keep the knee in line over your second toe as you land — check on a phone video "
               "or in a shop window; a slightly wider step helps. Practise it on easy runs."),
        cite("willy2019", "article")),
    Cue("relax_calves", _flag(R.on_toes),
        pl.lit("Let the foot land softly under you instead of running on the balls of your feet: "
               "overworked calves pull on the knee."),
        cite("article", "vannatta2015")),
    Cue("arm_swing_forward", _flag(R.arm_crossing),
        pl.lit("Swing your arms forward and back, not across your body: crossing arms twist the "
               "hips, and the twist travels down to the knees."),
        cite("article")),
)


