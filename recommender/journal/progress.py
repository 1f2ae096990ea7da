"""Progress from the journal's rows: pure, no I/O, the same rows and day give the same answer.

Definitions (SPEC §7.5 "a week counts when it has at least 2 logged sessions"):

- A *week* is an ISO week (Monday to Sunday). A week *counts* when it holds at least
  :data:`SESSIONS_PER_WEEK` logged sessions (rows, so two sessions on one day count twice).
- ``weeks_consistent``: the number of consecutive counting weeks ending with the current
  week if it already counts, else ending with the previous week (the current week is still
  under way, so not having two sessions yet does not break the streak). A past week with
  fewer than two sessions breaks it; 0 when neither the current nor the previous week counts.
- ``weeks_total``: every counting week, consecutive or not.
- ``adherence_30d``: the number of distinct days with at least one session among the last 30
  days (today and the 29 before).
- ``retest_due``: the latest re-test is more than 6 weeks (42 days) old, or there is none
  and ``weeks_total`` has reached 6.
- ``referral_advised``: any pain value (a session's pain, a run's pain during or the next
  morning, each dated by the day logged) of :data:`PAIN_REFER` or more in the last 14 days;
  or pain *rising*: the mean of every pain value of the last 7 days (today and the 6 before)
  is at least :data:`PAIN_RISE` points above the mean of the 7 days before those, each window
  holding at least :data:`PAIN_RISE_MIN_VALUES` values.
- ``phase``: from ``weeks_consistent`` through :data:`PHASES` (rules.programme's phases, so
  the recommendation's ``programme`` marks the same phase ``current``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

# SPEC §3.1 strength gate thresholds, declared once in rules.sources (Ferber 2015: 6 weeks;
# the article: 30 s of single-leg balance); the tests check the gate opens at exactly these.
# The programme's phases are rules.programme's; the pain that requires a clinician first is
# rules.sources' JOURNAL_PAIN_* (Silbernagel 2007 pain-monitoring model, EVIDENCE.md).
from ..rules.programme import PHASES as PROGRAMME_PHASES
from ..rules.sources import (
    BALANCE_MIN_S,
    GATE_WEEKS,
    JOURNAL_PAIN_REFER,
    JOURNAL_PAIN_RISE,
    JOURNAL_PAIN_RISE_MIN_VALUES,
    JOURNAL_PAIN_WINDOW_DAYS,
)
from .records import JournalRows

#: SPEC §7.5: a week counts when it has at least this many logged sessions.
SESSIONS_PER_WEEK = 2
#: A re-test older than this is due again (one gate period, SPEC §3.1).
RETEST_EVERY_DAYS = 7 * GATE_WEEKS
#: A logged pain of 7/10 or more in the last 14 days, or pain rising by 2 points week on
#: week: a clinician first. Declared in rules.sources; ``recommend_with_progress`` makes it
#: the recommendation's ``referral.required`` (as a red flag, SPEC §3.3 / §7.3).
PAIN_REFER = JOURNAL_PAIN_REFER
PAIN_WINDOW_DAYS = JOURNAL_PAIN_WINDOW_DAYS
PAIN_RISE = JOURNAL_PAIN_RISE
PAIN_RISE_MIN_VALUES = JOURNAL_PAIN_RISE_MIN_VALUES
ADHERENCE_DAYS = 30


@dataclass(frozen=True, slots=True)
class Phase:
    id: str  # rules.programme's phase id: settle, build, strengthen, maintain
    label: str
    from_weeks: int
    until_weeks: int | None  # exclusive; None: open-ended
    focus: str = ""
    exercises: tuple[str, ...] = ()

    def weeks_text(self) -> str:
        if self.until_weeks is None:
            return f"week {self.from_weeks} on"
        return f"weeks {self.from_weeks}–{self.until_weeks}"


#: The programme's phases (rules.programme, SPEC §7.3 ``programme``) by weeks of consistent
#: work: the same table the recommendation's ``programme`` marks ``current`` from
#: ``strength.weeks_consistent``, so the journal and the plan agree on the phase.
PHASES: tuple[Phase, ...] = tuple(
    Phase(ph.id, f"phase {i}: {ph.id}", ph.start_week,
          nxt.start_week if nxt is not None else None, ph.focus, ph.exercises)
    for i, (ph, nxt) in enumerate(zip(PROGRAMME_PHASES, (*PROGRAMME_PHASES[1:], None),
                                      strict=True), start=1))


def phase_for(weeks: int) -> Phase:
    for ph in PHASES:
        if weeks >= ph.from_weeks and (ph.until_weeks is None or weeks < ph.until_weeks):
            return ph
    raise ValueError(f"weeks must be at least 0, got {weeks}")


@dataclass(frozen=True, slots=True)
class Progress:
    today: date
    sessions_total: int
    sessions_this_week: int
    weeks_consistent: int
    weeks_total: int
    adherence_30d: int
    latest_retest: date | None
    single_leg_squat_ok: bool | None
    squat_failed_sides: tuple[str, ...]
    single_leg_balance_s: float | None
    balance_weaker_side: str | None
    extension_deficit: str | None
    retest_due: bool
    retest_reason: str | None
    referral_advised: bool
    referral_reasons: tuple[str, ...]
    phase: Phase

    @property
    def strength_time_met(self) -> bool:
        return self.weeks_consistent >= GATE_WEEKS

    def to_dict(self) -> dict[str, object]:
        return {
            "today": self.today.isoformat(),
            "sessions_total": self.sessions_total,
            "sessions_this_week": self.sessions_this_week,
            "weeks_consistent": self.weeks_consistent,
            "weeks_total": self.weeks_total,
            "adherence_30d": self.adherence_30d,
            "latest_retest": self.latest_retest.isoformat() if self.latest_retest else None,
            "single_leg_squat_ok": self.single_leg_squat_ok,
            "squat_failed_sides": list(self.squat_failed_sides),
            "single_leg_balance_s": self.single_leg_balance_s,
            "balance_weaker_side": self.balance_weaker_side,
            "extension_deficit": self.extension_deficit,
            "retest_due": self.retest_due,
            "retest_reason": self.retest_reason,
            "referral_advised": self.referral_advised,
            "referral_reasons": list(self.referral_reasons),
            "phase": self.phase.id,
        }


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def weeks_with_sessions(session_days: Iterable[date]) -> Counter[date]:
    """Sessions per ISO week, keyed by the week's Monday."""
    return Counter(week_start(d) for d in session_days)


def consistent_streak(per_week: Counter[date], today: date) -> int:
    """Consecutive counting weeks ending with the current week, or the previous one."""
    week = week_start(today)
    if per_week[week] < SESSIONS_PER_WEEK:
        week -= timedelta(weeks=1)
    streak = 0
    while per_week[week] >= SESSIONS_PER_WEEK:
        streak += 1
        week -= timedelta(weeks=1)
    return streak


def daily_sessions(rows: JournalRows, today: date, days: int = ADHERENCE_DAYS) -> list[tuple[date, int]]:
    """(day, sessions logged) for each of the last ``days`` days, oldest first."""
    counts = Counter(s.date for s in rows.sessions)
    return [(d, counts[d]) for d in (today - timedelta(days=i) for i in range(days - 1, -1, -1))]


def pain_values(rows: JournalRows) -> list[tuple[date, int, str]]:
    """Every logged pain value: (day, pain 0–10, what it was logged for), oldest first."""
    out = [(s.date, s.pain, "strength session") for s in rows.sessions]
    for r in rows.runs:
        out.append((r.date, r.pain_during, "during a run"))
        if r.pain_next_morning is not None:
            out.append((r.date, r.pain_next_morning, "the morning after a run"))
    return sorted(out, key=lambda t: t[0])


def _mean(values: list[int]) -> float:
    return sum(values) / len(values)


def referral_reasons(rows: JournalRows, today: date) -> tuple[str, ...]:
    recent = [(d, p, what) for d, p, what in pain_values(rows)
              if 0 <= (today - d).days < PAIN_WINDOW_DAYS]
    reasons = [f"pain {p}/10 {what} on {d.isoformat()} (a pain of {PAIN_REFER}/10 or more "
               f"in the last {PAIN_WINDOW_DAYS} days)" for d, p, what in recent if p >= PAIN_REFER]
    last = [p for d, p, _ in recent if (today - d).days < 7]
    before = [p for d, p, _ in recent if (today - d).days >= 7]
    if len(last) >= PAIN_RISE_MIN_VALUES and len(before) >= PAIN_RISE_MIN_VALUES \
            and _mean(last) >= _mean(before) + PAIN_RISE:
        reasons.append(f"pain rising: {_mean(last):.1f}/10 on average over the last 7 days "
                       f"against {_mean(before):.1f}/10 the 7 days before")
    return tuple(reasons)


def compute_progress(rows: JournalRows, today: date) -> Progress:
    """The runner's progress on ``today`` from the journal's rows (entries after ``today``
    are ignored)."""
    rows = JournalRows(
        sessions=tuple(s for s in rows.sessions if s.date <= today),
        retests=tuple(r for r in rows.retests if r.date <= today),
        runs=tuple(r for r in rows.runs if r.date <= today),
        snapshots=rows.snapshots,
    )
    per_week = weeks_with_sessions(s.date for s in rows.sessions)
    streak = consistent_streak(per_week, today)
    total = sum(1 for n in per_week.values() if n >= SESSIONS_PER_WEEK)
    latest = max(rows.retests, key=lambda r: (r.date, r.id or 0), default=None)
    squat_ok = failed = balance = weaker = deficit = None
    if latest is not None:
        failed = tuple(side for side, ok in (("left", latest.squat_left_ok),
                                             ("right", latest.squat_right_ok)) if not ok)
        squat_ok = not failed
        weaker, balance = min((("left", latest.balance_left_s), ("right", latest.balance_right_s)),
                              key=lambda t: t[1])
        deficit = latest.extension_deficit
    due_reason = None
    if latest is not None and (today - latest.date).days > RETEST_EVERY_DAYS:
        due_reason = (f"the last re-test was on {latest.date.isoformat()}, more than "
                      f"{GATE_WEEKS} weeks ago")
    elif latest is None and total >= GATE_WEEKS:
        due_reason = f"{total} weeks of sessions and no re-test yet"
    reasons = referral_reasons(rows, today)
    return Progress(
        today=today,
        sessions_total=len(rows.sessions),
        sessions_this_week=per_week[week_start(today)],
        weeks_consistent=streak,
        weeks_total=total,
        adherence_30d=sum(1 for _, n in daily_sessions(rows, today) if n),
        latest_retest=latest.date if latest else None,
        single_leg_squat_ok=squat_ok,
        squat_failed_sides=failed or (),
        single_leg_balance_s=balance,
        balance_weaker_side=weaker,
        extension_deficit=deficit,
        retest_due=due_reason is not None,
        retest_reason=due_reason,
        referral_advised=bool(reasons),
        referral_reasons=reasons,
        phase=phase_for(streak),
    )


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


def progress_lines(progress: Progress, *, referral: bool = True) -> list[str]:
    """Human-readable progress toward each gate criterion, then the rest; first the pain
    findings that send the runner to a clinician, unless ``referral=False`` (a page that
    shows the recommendation's own referral)."""
    p = progress
    lines = [f"see a clinician before training on: {r}" for r in p.referral_reasons] \
        if referral else []
    if p.weeks_consistent < GATE_WEEKS:
        lines.append(f"{p.weeks_consistent} of {GATE_WEEKS} weeks of consistent strength work")
    else:
        lines.append(f"{p.weeks_consistent} weeks of consistent strength work "
                     f"({GATE_WEEKS} needed): done")
    lines.append(f"this week: {p.sessions_this_week} of {SESSIONS_PER_WEEK} sessions logged")
    if p.single_leg_balance_s is None:
        lines.append("balance: no re-test logged yet")
    elif p.single_leg_balance_s < BALANCE_MIN_S:
        lines.append(f"balance {_num(p.single_leg_balance_s)} of {_num(BALANCE_MIN_S)} s on the "
                     f"weaker leg ({p.balance_weaker_side})")
    else:
        lines.append(f"balance {_num(p.single_leg_balance_s)} s on the weaker leg "
                     f"({_num(BALANCE_MIN_S)} needed): done")
    if p.single_leg_squat_ok is None:
        lines.append("single-leg squat: no re-test logged yet")
    elif p.single_leg_squat_ok:
        lines.append("single-leg squat: passed on both legs")
    else:
        sides = " and the ".join(p.squat_failed_sides)
        lines.append(f"single-leg squat: not yet passed on the {sides}")
    if p.extension_deficit not in (None, "none"):
        legs = "both knees" if p.extension_deficit == "both" else f"the {p.extension_deficit} knee"
        lines.append(f"knee extension: {legs} did not fully straighten at the last re-test")
    lines.append(f"{p.phase.label} ({p.phase.weeks_text()}): {p.phase.focus}")
    lines.append(f"sessions on {p.adherence_30d} of the last {ADHERENCE_DAYS} days")
    if p.retest_due:
        lines.append(f"re-test due: {p.retest_reason}")
    return lines
