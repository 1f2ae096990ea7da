"""The strength gate opened from what was logged: ``recommend(apply_progress(profile, p))``
at the 5/6-week boundary (SPEC §3.1, §7.5), and the re-test answers carried into the
profile through ``parse_profile``."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from recommender import DATA_DIR, Profile, ProfileError, parse_profile, recommend
from recommender.journal import (
    BALANCE_MIN_S,
    GATE_WEEKS,
    apply_progress,
    compute_progress,
    open_journal,
)
from recommender.spec.profile import profile_to_dict

from .helpers import TODAY, retest, rows, sessions_in_weeks, week_days

PROFILES = Path(DATA_DIR) / "profiles"
#: knee pain, nothing failing, no weeks typed: the gate waits only for the weeks
RUNNER = {"runner_id": "journal-runner", "knee": {"pain": True, "severity": 4},
          "gait": {"pronation": "over"}}
BRIDGE = {"exercise_id": "glute_bridge", "sets": 3, "reps": 15}


def log_weeks(db_path: Path, weeks: int) -> None:
    with open_journal(db_path, create=True, today=lambda: TODAY) as j:
        for w in range(1, weeks + 1):
            for day in week_days(w):
                j.add_session(date=day, pain=2, exercises=[BRIDGE])


@pytest.mark.parametrize(("weeks", "allowed"), [(GATE_WEEKS - 1, False), (GATE_WEEKS, True)])
def test_gate_opens_at_six_logged_weeks(db_path: Path, weeks: int, allowed: bool) -> None:
    log_weeks(db_path, weeks)
    with open_journal(db_path) as j:
        progress = compute_progress(j.rows(), TODAY)
    assert progress.weeks_consistent == weeks
    profile = apply_progress(parse_profile(RUNNER), progress)
    assert profile.strength.weeks_consistent == weeks
    rec = recommend(profile)
    assert rec.gate.stability_allowed is allowed
    assert (rec.gate.unlock_when == []) is allowed
    if not allowed:
        assert f"you have {weeks}" in rec.gate.unlock_when[0]
    # without the journal the same runner is locked
    assert recommend(parse_profile(RUNNER)).gate.stability_allowed is False


def test_a_broken_week_keeps_the_gate_locked() -> None:
    sessions = [*sessions_in_weeks(range(1, 4)), *sessions_in_weeks([4], per_week=1),
                *sessions_in_weeks(range(5, 8))]
    progress = compute_progress(rows(sessions), TODAY)
    assert progress.weeks_total == 6 and progress.weeks_consistent == 3
    assert not recommend(apply_progress(parse_profile(RUNNER), progress)).gate.stability_allowed


@pytest.mark.parametrize(("weaker", "allowed"), [(BALANCE_MIN_S - 1, False), (BALANCE_MIN_S, True)])
def test_balance_of_the_weaker_leg_from_the_latest_retest(weaker: float, allowed: bool) -> None:
    progress = compute_progress(
        rows(sessions_in_weeks(range(1, 7)), retests=[retest(TODAY, left_s=45, right_s=weaker)]),
        TODAY)
    profile = apply_progress(parse_profile(RUNNER), progress)
    assert profile.strength.single_leg_balance_s == weaker
    assert recommend(profile).gate.stability_allowed is allowed


def test_failed_squat_and_deficit_come_from_the_journal() -> None:
    progress = compute_progress(
        rows(sessions_in_weeks(range(1, 9)),
             retests=[retest(TODAY - timedelta(days=2), left_ok=False, deficit="left")]),
        TODAY)
    profile = apply_progress(parse_profile(RUNNER), progress)
    assert profile.strength.single_leg_squat_ok is False
    assert profile.knee.extension_deficit == "left"
    rec = recommend(profile)
    assert rec.gate.stability_allowed is False
    assert any("single-leg squat" in u for u in rec.gate.unlock_when)
    assert "terminal_knee_extension" in [e.id for e in rec.exercises]


def test_the_journal_overrides_typed_weeks_and_keeps_everything_else() -> None:
    typed = parse_profile({**RUNNER, "strength": {"weeks_consistent": 10, "status": "building"},
                           "tight": ["calves"], "knee": {**RUNNER["knee"],
                                                         "extension_deficit": "right"}})
    progress = compute_progress(rows(sessions_in_weeks([1, 2])), TODAY)
    out = apply_progress(typed, progress)
    assert out.strength.weeks_consistent == 2
    assert out.strength.status == "building"
    assert out.knee.extension_deficit == "right"  # no re-test: the runner's own answer stays
    assert out.tight == ("calves",) and out.runner_id == "journal-runner"
    assert out.strength.single_leg_balance_s is None


def test_an_empty_journal_changes_nothing() -> None:
    prof = parse_profile({**RUNNER, "strength": {"weeks_consistent": 7}})
    assert apply_progress(prof, compute_progress(rows(), TODAY)) == prof


def test_profile_to_dict_round_trips_the_shipped_profiles() -> None:
    paths = sorted(PROFILES.glob("*.json"))
    assert len(paths) >= 3
    for path in paths:
        prof = parse_profile(json.loads(path.read_text(encoding="utf-8")))
        assert isinstance(prof, Profile)
        assert parse_profile(profile_to_dict(prof)) == prof, path.name


def test_apply_progress_result_is_checked_by_parse_profile() -> None:
    bad = compute_progress(rows(), TODAY)
    bad = type(bad)(**{**{f: getattr(bad, f) for f in bad.__dataclass_fields__},
                       "single_leg_balance_s": 900.0})
    with pytest.raises(ProfileError, match=r"strength\.single_leg_balance_s"):
        apply_progress(parse_profile(RUNNER), bad)
