"""The plan, evaluated for a frame of runners: referral, gate, likely causes, form cues,
exercises and insoles (SPEC §3 rules 1–6), from the declarations in ``knowledge``.

:func:`evaluate` returns one wide row per runner (booleans and texts), so a cohort can be
analysed in one frame; the engine turns a row into the typed result.
"""

from __future__ import annotations

import polars as pl

from ..rules.assessment import PATTERNS
from ..rules.causes import CAUSES
from ..rules.conflicts import CONFLICTS
from ..rules.cues import CUES
from ..rules.exercises import EXERCISES
from ..rules.expr import F
from ..rules.features import SUPPORT_NEEDS
from ..rules.gate import GATE_CRITERIA
from ..rules.insoles import NEEDS_COLUMN, insole_exprs
from ..rules.load import LOAD_ADVICE
from ..rules.programme import PHASES
from ..rules.referral import REFERRALS
from ..spec.vocab import R
from ._polars import collect_small

CAUSE = "cause:"
EVIDENCE = "evidence:"
CUE = "cue:"
CUE_TEXT = "cue_text:"
EXERCISE = "exercise:"
TARGETS = "targets:"
GATE_UNMET = "gate_unmet"
REFERRAL_REASONS = "referral_reasons"
GATE = "gate:"  # one boolean column per gate criterion: met or not
SUPPORT_NEED_TEXTS = NEEDS_COLUMN
INSOLE_ID, INSOLE_RECOMMENDED, INSOLE_TEXT = "insole_id", "insole_recommended", "insole_text"
LOAD = "load_advice"
ASSESSMENT = "assessment_reasons"
CONFLICT = "conflict:"  # one boolean column per conflict
CONFLICT_TEXT = "conflict_text:"
PHASE = "phase:"  # one boolean column per programme phase


def _texts(pairs: list[tuple[pl.Expr, pl.Expr]]) -> pl.Expr:
    return pl.concat_list(
        [pl.when(cond).then(text.cast(pl.String)) for cond, text in pairs]
    ).list.drop_nulls()


def _plan_exprs() -> list[pl.Expr]:
    exprs: list[pl.Expr] = [
        _texts([(r.when, r.reason) for r in REFERRALS]).alias(REFERRAL_REASONS),
        _texts([(~c.met, c.unmet) for c in GATE_CRITERIA]).alias(GATE_UNMET),
        _texts([(n.when, n.evidence) for n in SUPPORT_NEEDS]).alias(SUPPORT_NEED_TEXTS),
    ]
    exprs += [
        _texts([(a.when, a.text) for a in LOAD_ADVICE]).alias(LOAD),
        _texts([(a.when, pl.lit(a.reason)) for a in PATTERNS]).alias(ASSESSMENT),
    ]
    for c in CONFLICTS:
        exprs.append(c.when.fill_null(False).alias(f"{CONFLICT}{c.id}"))
        exprs.append(c.message.alias(f"{CONFLICT_TEXT}{c.id}"))
    for ph in PHASES:
        exprs.append(ph.when.fill_null(False).alias(f"{PHASE}{ph.id}"))
    for c in GATE_CRITERIA:
        exprs.append(c.met.fill_null(False).alias(f"{GATE}{c.id}"))
    for cause in CAUSES:
        evidence = _texts([(t.when, t.evidence) for t in cause.triggers])
        exprs.append(evidence.alias(f"{EVIDENCE}{cause.id}"))
    for cue in CUES:
        exprs.append(cue.when.fill_null(False).alias(f"{CUE}{cue.id}"))
        exprs.append(cue.text.alias(f"{CUE_TEXT}{cue.id}"))
    for ex in EXERCISES:
        exprs.append(ex.when.fill_null(False).alias(f"{EXERCISE}{ex.id}"))
        if ex.targets is not None:
            exprs.append(ex.targets.alias(f"{TARGETS}{ex.id}"))
    return exprs


_PLAN = _plan_exprs()
_CAUSE_FLAGS = [(pl.col(f"{EVIDENCE}{c.id}").list.len() > 0).alias(f"{CAUSE}{c.id}")
                for c in CAUSES]


def evaluate(features: pl.LazyFrame) -> pl.DataFrame:
    """Features (from ``features.derive``) → one row per runner with every plan item."""
    keep = [R.runner_id, F.referral, F.established, F.orthotics_allowed, F.insole,
            F.needs_support, F.current_drop, F.drop_target, F.has_pain, R.strength_weeks,
            R.orthotics_prescribed, R.orthotics_uses]
    ids, rec, text = insole_exprs()
    out = collect_small(features.select(*keep, *_PLAN).with_columns(_CAUSE_FLAGS).with_columns(
        ids.alias(INSOLE_ID), rec.alias(INSOLE_RECOMMENDED), text.alias(INSOLE_TEXT)))
    return out if out.height < 2 else out.sort(R.runner_id)
