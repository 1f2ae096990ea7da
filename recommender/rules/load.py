"""Load management and pain monitoring (SPEC §7.3 ``load``): education and load advice are
core care for patellofemoral pain, not an extra (esculier2018, willy2019).

Every runner in pain gets the pain rule and the advice that applies to them, with their own
numbers; with a referral only the hold applies (nothing reads as "start now").
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R
from .expr import F, _has, num
from .sources import (
    HIGH_WEEKLY_KM,
    LOAD_BUILD_PCT,
    LOAD_RISE_PCT,
    PAIN_MAX_DURING,
    PAIN_OK_DURING,
    cite,
)


@dataclass(frozen=True, eq=False)
class LoadAdvice:
    id: str
    when: pl.Expr
    text: pl.Expr
    sources: tuple[str, ...]


_pain = pl.col(F.has_pain) & ~pl.col(F.referral)
_sev = pl.col(R.severity)
_km = pl.col(R.weekly_km)
_pct = pl.col(R.recent_load_increase_pct)
_runs_hurt = _has(R.aggravators, "running")
_severe = (_sev.fill_null(0) >= 6) | (_runs_hurt & (_sev.fill_null(0) >= 4))
_before_rise = _km / (1 + _pct / 100)

LOAD_ADVICE: tuple[LoadAdvice, ...] = (
    LoadAdvice("referral_hold", pl.col(F.referral), pl.lit(
        "Until a clinician has seen your knee: no running that hurts. Pain-free walking, "
        "cycling or swimming keep you moving."), cite("spec")),
    LoadAdvice("cut_half", _pain & _severe, pl.when(_km.is_not_null()).then(pl.format(
        "Cut your running to about half — around {} km a week instead of {} — for 1–2 weeks, "
        "all easy and on flat ground.", num((_km * 0.5).round(0)), num(_km)))
        .otherwise(pl.lit("Cut your running to about half for 1–2 weeks, all easy and on flat "
                          "ground.")), cite("esculier2018", "willy2019")),
    LoadAdvice("cut_some", _pain & ~_severe, pl.when(_km.is_not_null()).then(pl.format(
        "Keep running, but about a quarter less (around {} km a week) and at an easy pace while "
        "the knee settles.", num((_km * 0.75).round(0))))
        .otherwise(pl.lit("Keep running, but about a quarter less and at an easy pace while the "
                          "knee settles.")), cite("esculier2018", "willy2019")),
    LoadAdvice("overuse", _pain & (_pct.fill_null(0) >= LOAD_RISE_PCT) & _km.is_not_null(),
               pl.format("Your weekly volume rose {} % in 4 weeks: the base to return to is "
                         "about {} km a week, what you ran before the rise; build from there by "
                         f"no more than about {LOAD_BUILD_PCT} % a week.", num(_pct),
                         num(_before_rise.round(0))), cite("esculier2018", "product")),
    LoadAdvice("high_volume", _pain & (_km.fill_null(0) >= HIGH_WEEKLY_KM), pl.format(
        "At {} km a week, keep one or two fully easy days between harder sessions and drop "
        "intervals and hill repeats until the knee is quiet.", num(_km)), cite("product")),
    LoadAdvice("cross_train", _pain, pl.lit(
        "Swap the running you drop for cycling, swimming, pool running or the elliptical — "
        "whatever stays pain-free — to keep your fitness."), cite("esculier2018", "willy2019")),
    LoadAdvice("hills", _pain, pl.when(_has(R.aggravators, "downhill")).then(pl.lit(
        "Downhills hurt you: avoid downhill running and steep hills for now and walk the "
        "descents; they load the front of the knee most.")).otherwise(pl.lit(
        "Keep to flat routes for now: downhills and steep hills load the front of the knee "
        "most.")), cite("willy2019", "article")),
    LoadAdvice("stairs", _pain & _has(R.aggravators, "stairs"), pl.lit(
        "On stairs, lead with the good leg going up and the sore leg going down, and use the "
        "rail."), cite("product")),
    LoadAdvice("sitting", _pain & _has(R.aggravators, "prolonged_sitting"), pl.lit(
        "When sitting for long, stretch the leg out now and then and stand up every 30–45 "
        "minutes."), cite("article")),
    LoadAdvice("deep_knee", _pain & (_has(R.aggravators, "squatting")
                                     | _has(R.aggravators, "kneeling")), pl.lit(
        "Avoid deep squats and kneeling for now; squat only to a pain-free depth in your "
        "exercises."), cite("collins2018")),
    LoadAdvice("graded_return", _pain, pl.lit(
        f"Graded return: when a week of runs stays at {PAIN_OK_DURING}/10 or less and the knee "
        f"is settled next morning, add about {LOAD_BUILD_PCT} % the next week; back off a step "
        "if it flares."), cite("silbernagel2007", "esculier2018")),
    LoadAdvice("build_gradually", ~pl.col(F.has_pain) & ~pl.col(F.referral), pl.lit(
        f"Keep increases gradual — about {LOAD_BUILD_PCT} % a week, with an easier week every "
        "3–4 weeks."), cite("product")),
)

PAIN_RULE = (f"Pain monitoring: pain during a run up to about {PAIN_OK_DURING}/10 is acceptable "
             f"(never above {PAIN_MAX_DURING}/10) if it has settled by the next morning and does "
             "not build from week to week. If it does, drop back to the last amount that felt "
             "fine.")
PAIN_RULE_SOURCES = cite("silbernagel2007", "esculier2018")
