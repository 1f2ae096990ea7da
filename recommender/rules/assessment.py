"""Pain patterns that may not be runner's knee (SPEC §7.3 ``assessment``): they deserve an
assessment; the plan still helps, labelled accordingly (EVIDENCE.md "Pain pattern")."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R
from .expr import _flag, _has, _is
from .sources import ADOLESCENT_MAX_AGE, JOINT_AGE, LOAD_RISE_PCT, cite


@dataclass(frozen=True, eq=False)
class Pattern:
    id: str
    when: pl.Expr
    reason: str
    sources: tuple[str, ...]


_age = pl.col(R.age)
_below = _is(R.knee_location, "below_kneecap")
_adolescent = (_age <= ADOLESCENT_MAX_AGE).fill_null(False)
_loading = (_has(R.aggravators, "squatting") | _has(R.aggravators, "stairs")
            | _has(R.aggravators, "running") | _has(R.aggravators, "kneeling"))

PATTERNS: tuple[Pattern, ...] = (
    Pattern("possible_itbs", _is(R.knee_location, "lateral") & (
        _has(R.aggravators, "downhill")
        | (pl.col(R.recent_load_increase_pct).fill_null(0) >= LOAD_RISE_PCT)),
        "Pain on the outside of the knee that is worse downhill or after a jump in training "
        "is typical of iliotibial band syndrome rather than runner's knee: have it assessed.",
        cite("evidence_patterns")),
    Pattern("possible_patellar_tendinopathy", _below & _loading & ~_adolescent,
            "Pain just below the kneecap that comes with loading (squats, stairs, running) can "
            "be patellar tendinopathy, which is treated differently: have it assessed.",
            cite("evidence_patterns")),
    Pattern("possible_osgood_schlatter", _below & _adolescent,
            "In a growing runner, pain below the kneecap can be Osgood–Schlatter disease "
            "(the tendon's attachment on the shin): have it checked by a clinician.",
            cite("evidence_patterns")),
    Pattern("new_hip_shift", _is(R.hip_alignment, "uneven_new"),
            "A new change in how your hips or legs line up should be assessed by a "
            "physiotherapist before you load it harder.",
            cite("article")),
    Pattern("joint_assessment", _flag(R.grinding) & (_age >= JOINT_AGE).fill_null(False),
            "Grinding with knee pain after 50 can come from the joint itself (such as "
            "osteoarthritis): worth a clinical assessment.", cite("product")),
)
ASSESSMENT_NOTE = ("This plan can still help, but it is written for runner's knee: read it "
                   "as a start while you arrange the assessment.")
