"""The journal's logged pain in the recommendation itself (issue #16, SPEC §3.3, §7.3, §7.5):
a pain of 7/10 or more in the last 14 days, or pain rising week on week, makes
``referral.required`` with the journal's reasons, through ``recommend_with_progress`` (the one
path of the app and the CLI), and holds the answer as a red flag does."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from recommender import parse_profile, recommend
from recommender.cli import main
from recommender.journal import (
    compute_progress,
    open_journal,
    recommend_with_progress,
)
from recommender.rules.sources import JOURNAL_PAIN_REFER, SEVERITY_REFERRAL
from recommender.rules.texts import REFERRAL_HOLD

from .helpers import TODAY, retest, sessions_in_weeks

BRIDGE = {"exercise_id": "glute_bridge", "sets": 3, "reps": 15}
#: heel striking in a 16 mm shoe with knee pain: without a referral some of the shortlist
#: needs a gradual transition (a drop more than 4 mm lower)
RUNNER = {"runner_id": "journal-referral", "knee": {"pain": True, "severity": 4},
          "gait": {"foot_strike": "heel"}, "current_shoe": {"drop_mm": 16},
          "running": {"weekly_km": 30, "runs_per_week": 4}}


def journal_progress(db_path: Path, pains: list[tuple[int, int]], today: date = TODAY):
    """A real journal file with a session of ``pain`` ``days_ago`` for each pair."""
    with open_journal(db_path, create=True, today=lambda: today) as j:
        for days_ago, pain in pains:
            j.add_session(date=today - timedelta(days=days_ago), pain=pain, exercises=[BRIDGE])
        return compute_progress(j.rows(), j.today())


def test_the_thresholds_are_declared_in_rules() -> None:
    from recommender.journal import progress

    assert progress.PAIN_REFER == JOURNAL_PAIN_REFER == 7
    assert JOURNAL_PAIN_REFER < SEVERITY_REFERRAL  # pain under load, not the overall rating


def test_without_the_journal_the_runner_needs_no_referral() -> None:
    rec = recommend(parse_profile(RUNNER))
    assert not rec.referral.required and rec.referral.reasons == []
    assert any(s.transition.needed for s in rec.recommendations)  # what the hold switches off
    # no outside reasons: the very same answer
    assert recommend(parse_profile(RUNNER), referral_reasons=()).to_json() == rec.to_json()


def test_a_logged_pain_of_7_requires_a_clinician_in_the_recommendation(db_path: Path) -> None:
    progress = journal_progress(db_path, [(10, 2), (3, 7)])
    rec = recommend_with_progress(RUNNER, progress)
    assert rec.referral.required
    (reason,) = rec.referral.reasons
    day = (TODAY - timedelta(days=3)).isoformat()
    assert reason.startswith("Logged in your journal: pain 7/10 strength session on " + day)
    assert reason.endswith("see a clinician before changing shoes or training.")
    assert rec.referral.note == REFERRAL_HOLD
    # held as for a red flag: the list is for after clearance, nothing "start now"
    assert rec.recommendations  # the list stays, labelled by the note
    assert not rec.transition.needed and "see a clinician first" in rec.transition.advice
    assert all(not s.transition.needed for s in rec.recommendations)
    assert len(rec.load.advice) == 1 and "Until a clinician has seen your knee" in \
        rec.load.advice[0]
    d = rec.to_dict()["referral"]
    assert d["required"] is True and d["reasons"] == [reason]


def test_a_logged_pain_of_6_does_not(db_path: Path) -> None:
    progress = journal_progress(db_path, [(10, 6), (3, 6)])
    rec = recommend_with_progress(RUNNER, progress)
    assert not rec.referral.required and rec.referral.reasons == []
    assert any(s.transition.needed for s in rec.recommendations)


def test_a_pain_of_7_more_than_14_days_ago_does_not(db_path: Path) -> None:
    rec = recommend_with_progress(RUNNER, journal_progress(db_path, [(14, 9), (2, 1)]))
    assert not rec.referral.required


def test_pain_rising_over_two_weeks_requires_a_clinician(db_path: Path) -> None:
    progress = journal_progress(db_path, [(12, 1), (9, 2), (4, 4), (1, 4)])
    rec = recommend_with_progress(RUNNER, progress)
    assert rec.referral.required
    (reason,) = rec.referral.reasons
    assert "pain rising: 4.0/10 on average over the last 7 days against 1.5/10" in reason


def test_a_run_with_pain_the_next_morning_counts(db_path: Path) -> None:
    with open_journal(db_path, create=True, today=lambda: TODAY) as j:
        j.add_run(date=TODAY - timedelta(days=1), km=8, pain_during=3, pain_next_morning=7)
        progress = compute_progress(j.rows(), j.today())
    rec = recommend_with_progress(RUNNER, progress)
    assert rec.referral.required
    assert "the morning after a run" in rec.referral.reasons[0]


def test_red_flags_and_journal_reasons_are_both_listed(db_path: Path) -> None:
    progress = journal_progress(db_path, [(1, 8)])
    rec = recommend_with_progress({**RUNNER, "red_flags": ["locking"]}, progress)
    assert rec.referral.required
    assert [r.split(":")[0] for r in rec.referral.reasons] == ["Red flag", "Logged in your journal"]


def test_the_gate_still_comes_from_the_journal(db_path: Path) -> None:
    """recommend_with_progress is apply_progress too: the weeks and the re-test, with the
    gate's progress in ``unlock_when`` ("4 of 6 weeks, balance 22 of 30 s")."""
    from recommender.journal import JournalRows

    rows = JournalRows(sessions_in_weeks(range(1, 5)),
                       (retest(TODAY, left_s=22, right_s=35),), ())
    rec = recommend_with_progress(RUNNER, compute_progress(rows, TODAY))
    assert not rec.gate.stability_allowed
    text = " | ".join(rec.gate.unlock_when)
    assert "(you have 4)" in text and "(you held 22 s)" in text
    assert [p.phase for p in rec.programme if p.current] == ["build"]


# ------------------------------------------------------------------------------ the CLI
def _profile(tmp_path: Path) -> Path:
    path = tmp_path / "runner.json"
    path.write_text(json.dumps(RUNNER), encoding="utf-8")
    return path


def test_cli_recommend_with_a_journal(capsys, tmp_path: Path) -> None:
    db = tmp_path / "knee.journal"
    journal_progress(db, [(2, 7)], today=date.today())
    profile = _profile(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["recommend", str(profile), "--journal", str(db)])
    assert exc.value.code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["referral"]["required"] is True
    assert "Logged in your journal: pain 7/10" in out["referral"]["reasons"][0]
    with pytest.raises(SystemExit) as exc:
        main(["recommend", str(profile)])
    assert exc.value.code == 0
    assert json.loads(capsys.readouterr().out)["referral"]["required"] is False


def test_cli_recommend_with_a_missing_or_foreign_journal_exits_2(capsys, tmp_path: Path) -> None:
    profile = _profile(tmp_path)
    notes = tmp_path / "notes.txt"
    notes.write_text("mine\n", encoding="utf-8")
    for bad, words in ((tmp_path / "none.journal", "no journal here"),
                       (notes, "not a gaitkeeper journal")):
        with pytest.raises(SystemExit) as exc:
            main(["recommend", str(profile), "--journal", str(bad)])
        assert exc.value.code == 2
        captured = capsys.readouterr()
        assert captured.out == "" and "--journal" in captured.err and words in captured.err
    assert notes.read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "none.journal").exists()


def test_cli_journal_show_names_the_referral(capsys, tmp_path: Path) -> None:
    db = tmp_path / "knee.journal"
    journal_progress(db, [(1, 7)], today=date.today())
    profile = _profile(tmp_path)
    for args in (["journal", "add", "profile", "--db", str(db), "--profile", str(profile)],
                 ["journal", "show", "--db", str(db)]):
        with pytest.raises(SystemExit) as exc:
            main(args)
        assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "See a clinician first:" in out and "Logged in your journal: pain 7/10" in out
    with pytest.raises(SystemExit):
        main(["journal", "show", "--db", str(db), "--format", "json"])
    gate = json.loads(capsys.readouterr().out)["gate"]
    assert gate["referral"]["required"] is True
