"""The journal's records and the checks every value passes before it is stored.

Pure: no I/O. Each ``check_*`` function takes raw values (from the command line, the app or
an imported JSON file) and returns a typed, frozen record, or raises :class:`JournalError`
naming the field (``session.pain: 11 is above the maximum 10``). Nothing is guessed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import GaitkeeperError
from ..spec.vocab import EXTENSION_DEFICITS  # knee.extension_deficit values (SPEC §2.1)

#: An exercise id: any lower-case slug. The engine's ids (``glute_bridge``, ``monster_walk``…,
#: SPEC §3.6) are slugs; a runner may also log work the engine did not prescribe.
EXERCISE_ID = re.compile(r"[a-z0-9_]{1,64}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EXERCISE_SPEC = re.compile(
    r"(?P<id>[^:\s]+):(?P<sets>\d+)[xX×](?P<reps>\d+)(?:@(?P<kg>\d+(?:\.\d+)?))?")

PAIN_MAX = 10
SETS_MAX = 20
REPS_MAX = 200
LOAD_MAX_KG = 500.0
BALANCE_MAX_S = 600.0  # SPEC §2.1 strength.single_leg_balance_s
RUN_MAX_KM = 300.0  # SPEC §2.1 running.weekly_km: one run is never more than a week's maximum
NOTE_MAX_CHARS = 500


class JournalError(GaitkeeperError):
    """A journal file or value is not acceptable; the message names the path or field."""

    def __init__(self, message: str, *, field: str | None = None, path: str | None = None):
        self.field = field
        self.path = path
        head = f"{field}: " if field else ""
        super().__init__(head + message)


@dataclass(frozen=True, slots=True)
class SessionExercise:
    exercise_id: str
    sets: int
    reps: int
    load_kg: float | None = None


@dataclass(frozen=True, slots=True)
class Session:
    date: date
    pain: int
    exercises: tuple[SessionExercise, ...]
    note: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Retest:
    date: date
    squat_left_ok: bool
    squat_right_ok: bool
    balance_left_s: float
    balance_right_s: float
    #: ``None`` in entries made before the schema recorded it (not tested).
    extension_deficit: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Run:
    date: date
    km: float
    pain_during: int
    #: ``None`` when the runner logged the run before the next morning.
    pain_next_morning: int | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class ProfileSnapshot:
    date: date
    #: The profile as nested JSON (SPEC §2.1), already validated with ``parse_profile``.
    profile: Mapping[str, Any]
    id: int | None = None


@dataclass(frozen=True, slots=True)
class JournalRows:
    """Everything in a journal, oldest first: the input of :func:`compute_progress`."""

    sessions: tuple[Session, ...] = ()
    retests: tuple[Retest, ...] = ()
    runs: tuple[Run, ...] = ()
    snapshots: tuple[ProfileSnapshot, ...] = ()


# ------------------------------------------------------------------------------ values
def check_date(value: Any, field: str, today: date) -> date:
    """An ISO ``YYYY-MM-DD`` text (or a :class:`datetime.date`), not after ``today``."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise JournalError(f"{value!r} is not a calendar date", field=field) from None
    else:
        raise JournalError(f"expected a date as YYYY-MM-DD, got {value!r}", field=field)
    if day > today:
        raise JournalError(f"{day.isoformat()} is in the future (today is {today.isoformat()})",
                           field=field)
    return day


def _number(value: Any, field: str, lo: float, hi: float, *, whole: bool,
            lo_exclusive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise JournalError(f"expected a number, got {value!r}", field=field)
    if isinstance(value, float) and not math.isfinite(value):
        raise JournalError(f"{value!r} is not a finite number", field=field)
    if whole and not float(value).is_integer():
        raise JournalError(f"expected a whole number, got {value!r}", field=field)
    text = _fmt(value)
    if lo_exclusive and value <= lo:
        raise JournalError(f"{text} must be above {_fmt(lo)}", field=field)
    if value < lo:
        raise JournalError(f"{text} is below the minimum {_fmt(lo)}", field=field)
    if value > hi:
        raise JournalError(f"{text} is above the maximum {_fmt(hi)}", field=field)
    return value


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def check_int(value: Any, field: str, lo: int, hi: int) -> int:
    return int(_number(value, field, lo, hi, whole=True))


def check_float(value: Any, field: str, lo: float, hi: float, *,
                lo_exclusive: bool = False) -> float:
    return float(_number(value, field, lo, hi, whole=False, lo_exclusive=lo_exclusive))


def check_pain(value: Any, field: str) -> int:
    return check_int(value, field, 0, PAIN_MAX)


def check_bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise JournalError(f"expected true or false, got {value!r}", field=field)
    return value


def check_choice(value: Any, field: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise JournalError(f"{value!r} is not one of {', '.join(choices)}", field=field)
    return value


def check_note(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise JournalError(f"expected text, got {value!r}", field=field)
    text = value.strip()
    if len(text) > NOTE_MAX_CHARS:
        raise JournalError(f"is {len(text)} characters long; at most {NOTE_MAX_CHARS}",
                           field=field)
    return text or None


def check_exercise_id(value: Any, field: str) -> str:
    if not isinstance(value, str) or not EXERCISE_ID.fullmatch(value):
        raise JournalError(f"{value!r} is not an exercise id (lower-case letters, digits and "
                           "_, e.g. glute_bridge)", field=field)
    return value


# ----------------------------------------------------------------------------- records
def check_exercise(value: Any, field: str) -> SessionExercise:
    """A mapping ``{exercise_id, sets, reps, load_kg?}`` or a :class:`SessionExercise`."""
    if isinstance(value, SessionExercise):
        value = {"exercise_id": value.exercise_id, "sets": value.sets, "reps": value.reps,
                 "load_kg": value.load_kg}
    if not isinstance(value, Mapping):
        raise JournalError(f"expected an object, got {value!r}", field=field)
    _no_unknown(value, field, ("exercise_id", "sets", "reps", "load_kg"))
    load = value.get("load_kg")
    return SessionExercise(
        exercise_id=check_exercise_id(value.get("exercise_id"), f"{field}.exercise_id"),
        sets=check_int(value.get("sets"), f"{field}.sets", 1, SETS_MAX),
        reps=check_int(value.get("reps"), f"{field}.reps", 1, REPS_MAX),
        load_kg=None if load is None else check_float(load, f"{field}.load_kg", 0, LOAD_MAX_KG),
    )


def parse_exercise_spec(text: str, field: str = "exercise") -> SessionExercise:
    """``glute_bridge:3x15`` or ``monster_walk:2x20@5`` → :class:`SessionExercise`."""
    m = _EXERCISE_SPEC.fullmatch(text.strip())
    if not m:
        raise JournalError(f"{text!r} is not ID:SETSxREPS[@KG] (e.g. glute_bridge:3x15 or "
                           "monster_walk:2x20@5)", field=field)
    kg = m["kg"]
    return check_exercise({"exercise_id": m["id"], "sets": int(m["sets"]),
                           "reps": int(m["reps"]), "load_kg": None if kg is None else float(kg)},
                          field)


def check_session(*, date: Any, pain: Any, exercises: Sequence[Any], note: Any = None,
                  today: Any, field: str = "session") -> Session:
    if isinstance(exercises, (str, bytes, Mapping)) or not isinstance(exercises, Sequence):
        raise JournalError(f"expected a list, got {exercises!r}", field=f"{field}.exercises")
    if not exercises:
        raise JournalError("log at least one exercise", field=f"{field}.exercises")
    checked = tuple(check_exercise(e, f"{field}.exercises[{i}]") for i, e in enumerate(exercises))
    return Session(date=check_date(date, f"{field}.date", today),
                   pain=check_pain(pain, f"{field}.pain"), exercises=checked,
                   note=check_note(note, f"{field}.note"))


def check_retest(*, date: Any, squat_left_ok: Any, squat_right_ok: Any, balance_left_s: Any,
                 balance_right_s: Any, extension_deficit: Any = None, today: Any,
                 field: str = "retest") -> Retest:
    return Retest(
        date=check_date(date, f"{field}.date", today),
        squat_left_ok=check_bool(squat_left_ok, f"{field}.squat_left_ok"),
        squat_right_ok=check_bool(squat_right_ok, f"{field}.squat_right_ok"),
        balance_left_s=check_float(balance_left_s, f"{field}.balance_left_s", 0, BALANCE_MAX_S),
        balance_right_s=check_float(balance_right_s, f"{field}.balance_right_s", 0,
                                    BALANCE_MAX_S),
        extension_deficit=None if extension_deficit is None else check_choice(
            extension_deficit, f"{field}.extension_deficit", EXTENSION_DEFICITS),
    )


def check_run(*, date: Any, km: Any, pain_during: Any, pain_next_morning: Any = None,
              today: Any, field: str = "run") -> Run:
    return Run(
        date=check_date(date, f"{field}.date", today),
        km=check_float(km, f"{field}.km", 0, RUN_MAX_KM, lo_exclusive=True),
        pain_during=check_pain(pain_during, f"{field}.pain_during"),
        pain_next_morning=None if pain_next_morning is None
        else check_pain(pain_next_morning, f"{field}.pain_next_morning"),
    )


def check_snapshot(*, date: Any, profile: Any, today: Any,
                   field: str = "profile_snapshot") -> ProfileSnapshot:
    """The profile is checked by the engine's own parser, so every SPEC §2.1 rule applies."""
    from ..spec.profile import Profile
    from ..validate.profile import parse_profile

    day = check_date(date, f"{field}.date", today)
    if isinstance(profile, Profile):
        from ..spec.profile import profile_to_dict

        data = profile_to_dict(profile)
    elif isinstance(profile, Mapping):
        data = dict(profile)
    else:
        raise JournalError(f"expected a profile object, got {type(profile).__name__}",
                           field=f"{field}.profile")
    try:
        parse_profile(data)
    except GaitkeeperError as exc:
        raise JournalError(str(exc), field=f"{field}.profile") from None
    return ProfileSnapshot(date=day, profile=data)


def _no_unknown(value: Mapping[str, Any], field: str, allowed: tuple[str, ...]) -> None:
    for key in value:
        if key not in allowed:
            raise JournalError(f"unknown field (allowed: {', '.join(allowed)})",
                               field=f"{field}.{key}")
