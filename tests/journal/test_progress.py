"""The pure progress computation: the weeks streak, re-tests, adherence, referral advice and
the programme phase, and the lines shown to the runner."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta

import pytest

from recommender.journal import (
    GATE_WEEKS,
    PHASES,
    Progress,
    compute_progress,
    phase_for,
    progress_lines,
)
from recommender.journal.records import Run

from .helpers import (
    MONDAY,
    TODAY,
    retest,
    rows,
    session,
    sessions_in_weeks,
    week_days,
)


def progress_of(*args, today: date = TODAY, **kw) -> Progress:
    return compute_progress(rows(*args, **kw), today)


# ------------------------------------------------------------------------ weeks streak
@pytest.mark.parametrize("weeks", [0, 1, 5, 6, 13])
def test_streak_counts_consecutive_weeks_with_two_sessions(weeks: int) -> None:
    p = progress_of(sessions_in_weeks(range(1, weeks + 1)))
    assert p.weeks_consistent == weeks
    assert p.weeks_total == weeks


def test_a_week_with_one_session_breaks_the_streak() -> None:
    sessions = [*sessions_in_weeks([1, 2]), *sessions_in_weeks([3], per_week=1),
                *sessions_in_weeks([4, 5, 6])]
    p = progress_of(sessions)
    assert p.weeks_consistent == 2  # weeks 1 and 2 back; week 3 back had one session
    assert p.weeks_total == 5
    assert p.sessions_total == 11


def test_the_current_week_counts_once_it_has_two_sessions_and_does_not_break_before() -> None:
    past = sessions_in_weeks([1, 2, 3])
    assert progress_of(past).weeks_consistent == 3
    one_now = [*past, session(MONDAY)]
    assert progress_of(one_now).weeks_consistent == 3  # week under way: not broken yet
    assert progress_of(one_now).sessions_this_week == 1
    two_now = [*one_now, session(MONDAY + timedelta(days=1))]
    assert progress_of(two_now).weeks_consistent == 4


def test_a_missed_previous_week_resets_the_streak() -> None:
    p = progress_of(sessions_in_weeks([2, 3, 4, 5, 6, 7, 8]))
    assert p.weeks_consistent == 0
    assert p.weeks_total == 7


def test_two_sessions_on_one_day_count_as_two_logged_sessions() -> None:
    day = week_days(1)[0]
    assert progress_of([session(day), session(day)]).weeks_consistent == 1


def test_streak_crosses_the_iso_year_boundary() -> None:
    # ISO 2026-W53 runs from Mon 2026-12-28 to Sun 2027-01-03; today is in 2027-W02
    today = date(2027, 1, 13)
    days = [date(2026, 12, 22), date(2026, 12, 23), date(2026, 12, 28), date(2027, 1, 2),
            date(2027, 1, 4), date(2027, 1, 5)]
    p = progress_of([session(d) for d in days], today=today)
    assert p.weeks_consistent == 3


def test_entries_after_today_are_ignored() -> None:
    p = progress_of(sessions_in_weeks([1]), today=MONDAY - timedelta(weeks=2))
    assert p.sessions_total == 0 and p.weeks_consistent == 0


# ------------------------------------------------------------------------------ re-tests
def test_latest_retest_gives_squat_balance_of_the_weaker_leg_and_deficit() -> None:
    old = retest(TODAY - timedelta(days=20), left_s=50, right_s=50)
    new = retest(TODAY - timedelta(days=3), left_ok=False, right_ok=True, left_s=22,
                 right_s=35, deficit="right")
    p = progress_of(retests=[new, old])
    assert p.latest_retest == new.date
    assert p.single_leg_squat_ok is False and p.squat_failed_sides == ("left",)
    assert p.single_leg_balance_s == 22 and p.balance_weaker_side == "left"
    assert p.extension_deficit == "right"
    lines = progress_lines(p)
    assert "balance 22 of 30 s on the weaker leg (left)" in lines
    assert "single-leg squat: not yet passed on the left" in lines


def test_no_retest_means_unknown_not_failed() -> None:
    p = progress_of(sessions_in_weeks([1]))
    assert p.single_leg_squat_ok is None and p.single_leg_balance_s is None
    assert "single-leg squat: no re-test logged yet" in progress_lines(p)


@pytest.mark.parametrize(("age_days", "due"), [(42, False), (43, True)])
def test_retest_due_after_six_weeks(age_days: int, due: bool) -> None:
    p = progress_of(retests=[retest(TODAY - timedelta(days=age_days))])
    assert p.retest_due is due
    assert any(line.startswith("re-test due") for line in progress_lines(p)) is due


def test_retest_due_with_six_weeks_of_sessions_and_none_logged() -> None:
    assert not progress_of(sessions_in_weeks(range(1, 6))).retest_due
    p = progress_of(sessions_in_weeks(range(1, 7)))
    assert p.retest_due and "no re-test yet" in (p.retest_reason or "")


# ------------------------------------------------------------------- adherence, referral
def test_adherence_counts_days_with_a_session_in_the_last_30_days() -> None:
    days = [TODAY, TODAY, TODAY - timedelta(days=29), TODAY - timedelta(days=30),
            TODAY - timedelta(days=10)]
    assert progress_of([session(d) for d in days]).adherence_30d == 3


@pytest.mark.parametrize(("where", "advised"), [
    ("session", True), ("run_during", True), ("run_next_morning", True), ("old", False),
    ("six", False),
])
def test_pain_of_7_or_more_in_14_days_advises_referral(where: str, advised: bool) -> None:
    day = TODAY - timedelta(days=13)
    s = [session(day, pain=7 if where == "session" else 2)]
    if where == "old":
        s = [session(TODAY - timedelta(days=14), pain=9)]
    if where == "six":
        s = [session(day, pain=6)]
    runs = [Run(day, 5.0, 7 if where == "run_during" else 1,
                8 if where == "run_next_morning" else None)]
    p = progress_of(s, runs=runs)
    assert p.referral_advised is advised
    lines = progress_lines(p)
    assert any(line.startswith("see a clinician") for line in lines) is advised
    if advised:
        assert day.isoformat() in p.referral_reasons[0]


def test_rising_pain_advises_referral() -> None:
    before = [session(TODAY - timedelta(days=d), pain=2) for d in (8, 10, 12)]
    rising = [session(TODAY - timedelta(days=d), pain=4) for d in (1, 3)]
    p = progress_of([*before, *rising])
    assert p.referral_advised
    assert "pain rising" in p.referral_reasons[0]
    assert "4.0/10" in p.referral_reasons[0] and "2.0/10" in p.referral_reasons[0]
    slower = [session(TODAY - timedelta(days=d), pain=3) for d in (1, 3)]
    assert not progress_of([*before, *slower]).referral_advised  # +1 is not rising
    single = [session(TODAY - timedelta(days=1), pain=6)]
    assert not progress_of([*before, *single]).referral_advised  # one value is not a trend


# ------------------------------------------------------------------------------- phases
def test_phase_table_covers_every_week_once() -> None:
    assert PHASES[0].from_weeks == 0 and PHASES[-1].until_weeks is None
    for a, b in itertools.pairwise(PHASES):
        assert a.until_weeks == b.from_weeks
    assert [phase_for(w).id for w in (0, 1, 2, 5, 6, 11, 12, 100)] == \
        ["settle", "settle", "build", "build", "strengthen", "strengthen", "maintain",
         "maintain"]


def test_phases_are_the_programmes_own() -> None:
    """One table: the journal's phases are rules.programme's, boundaries and exercises."""
    from recommender.rules.programme import PHASES as PROGRAMME

    assert [(p.id, p.from_weeks, p.exercises) for p in PHASES] == \
        [(p.id, p.start_week, p.exercises) for p in PROGRAMME]


def test_phase_advances_with_logged_weeks() -> None:
    seen = [progress_of(sessions_in_weeks(range(1, w + 1))).phase.id for w in (1, 2, 6, 12)]
    assert seen == ["settle", "build", "strengthen", "maintain"]
    line = " ".join(progress_lines(progress_of(sessions_in_weeks(range(1, 7)))))
    assert "phase 3: strengthen (weeks 6–12): Heavier quadriceps" in line


# -------------------------------------------------------------------------------- lines
def test_progress_lines_toward_the_gate() -> None:
    p = progress_of(sessions_in_weeks(range(1, 5)))
    lines = progress_lines(p)
    assert lines[0] == f"4 of {GATE_WEEKS} weeks of consistent strength work"
    assert "this week: 0 of 2 sessions logged" in lines
    done = progress_of(sessions_in_weeks(range(1, 9)),
                       retests=[retest(TODAY, left_s=31, right_s=45)])
    lines = progress_lines(done)
    assert lines[0] == "8 weeks of consistent strength work (6 needed): done"
    assert "balance 31 s on the weaker leg (30 needed): done" in lines
    assert "single-leg squat: passed on both legs" in lines


def test_progress_is_frozen_and_serialisable() -> None:
    p = progress_of(sessions_in_weeks([1]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.weeks_consistent = 9  # type: ignore[misc]
    d = p.to_dict()
    assert d["weeks_consistent"] == 1 and d["phase"] == "settle" and d["today"] == TODAY.isoformat()
