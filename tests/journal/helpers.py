"""Builders for the journal tests: rows of sessions, re-tests and runs on chosen days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from recommender.journal import JournalRows, Retest, Run, Session, SessionExercise

#: A Wednesday (ISO week 50 of 2026): the injected "today" of the library tests.
TODAY = date(2026, 12, 9)
MONDAY = TODAY - timedelta(days=TODAY.weekday())
BRIDGE = SessionExercise("glute_bridge", 3, 15)


def session(day: date, pain: int = 2) -> Session:
    return Session(date=day, pain=pain, exercises=(BRIDGE,))


def week_days(weeks_back: int, n: int = 2) -> list[date]:
    """``n`` session days (Monday, Thursday, Saturday…) of the ISO week ``weeks_back``
    before the current one (0 = the current week)."""
    monday = MONDAY - timedelta(weeks=weeks_back)
    return [monday + timedelta(days=d) for d in (0, 3, 5, 6)[:n]]


def sessions_in_weeks(weeks: Iterable[int], per_week: int = 2) -> tuple[Session, ...]:
    return tuple(session(d) for w in weeks for d in week_days(w, per_week))


def rows(sessions: Iterable[Session] = (), retests: Iterable[Retest] = (),
         runs: Iterable[Run] = ()) -> JournalRows:
    return JournalRows(tuple(sessions), tuple(retests), tuple(runs))


def retest(day: date, left_ok: bool = True, right_ok: bool = True, left_s: float = 40,
           right_s: float = 40, deficit: str | None = None) -> Retest:
    return Retest(day, left_ok, right_ok, left_s, right_s, deficit)
