"""The "My progress" page through Streamlit's AppTest: nothing is created before consent and
a click; a logged session shows in the progress lines; the journal can be deleted."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from recommender import parse_profile, recommend
from recommender.journal import open_journal

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "app" / "views" / "progress.py"
TIMEOUT = 60


def page() -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def text_of(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def create(at: AppTest, path: Path) -> AppTest:
    ok(at.text_input(key="journal-path").set_value(str(path)).run())
    assert not path.exists()
    assert at.button(key="journal-create").disabled  # no consent yet
    ok(at.checkbox(key="journal-consent").check().run())
    assert not path.exists()  # consent alone creates nothing
    return ok(at.button(key="journal-create").click().run())


def test_create_log_a_session_and_see_the_progress_line(tmp_path: Path) -> None:
    path = tmp_path / "my.journal"
    at = page()
    assert at.text_input(key="journal-path").value == ""
    at = create(at, path)
    assert path.exists()
    assert "0 of 6 weeks of consistent strength work" in text_of(at)
    assert "this week: 0 of 2 sessions logged" in text_of(at)

    # the default programme's exercises are offered, all ticked
    chosen = at.multiselect(key="session-exercises").value
    assert "glute_bridge" in chosen and "monster_walk" in chosen
    at.multiselect(key="session-exercises").set_value(["glute_bridge", "core_program"])
    at.number_input(key="session-sets").set_value(2)
    at.number_input(key="session-reps").set_value(12)
    at.slider(key="session-pain").set_value(3)
    ok(at.button(key="log-session").click().run())
    assert "Session logged." in [s.value for s in at.success]
    assert "this week: 1 of 2 sessions logged" in text_of(at)
    assert "sessions on 1 of the last 30 days" in text_of(at)

    with open_journal(path) as j:
        (s,) = j.sessions()
    assert s.pain == 3 and s.date == date.today()
    assert [(e.exercise_id, e.sets, e.reps) for e in s.exercises] == \
        [("glute_bridge", 2, 12), ("core_program", 2, 12)]


def test_retest_run_and_referral_advice(tmp_path: Path) -> None:
    path = tmp_path / "my.journal"
    at = create(page(), path)
    at.radio(key="retest-squat-left").set_value("fail")
    at.number_input(key="retest-balance-left").set_value(22.0)
    at.number_input(key="retest-balance-right").set_value(35.0)
    ok(at.button(key="log-retest").click().run())
    assert "balance 22 of 30 s on the weaker leg (left)" in text_of(at)
    assert "single-leg squat: not yet passed on the left" in text_of(at)
    at.number_input(key="run-km").set_value(6.0)
    at.slider(key="run-pain-during").set_value(8)
    at.run()
    at.button(key="log-run").click().run()
    assert not at.exception
    assert any("See a clinician" in e.value for e in at.error)
    with open_journal(path) as j:
        assert [(r.km, r.pain_during, r.pain_next_morning) for r in j.runs()] == [(6.0, 8, None)]


def test_the_gate_from_the_plan_in_the_session(tmp_path: Path) -> None:
    path = tmp_path / "my.journal"
    with open_journal(path, create=True) as j:
        monday = date.today() - timedelta(days=date.today().weekday())
        for w in range(1, 7):
            for d in (0, 2):
                j.add_session(date=monday - timedelta(weeks=w) + timedelta(days=d), pain=1,
                              exercises=[{"exercise_id": "glute_bridge", "sets": 3,
                                          "reps": 15}])
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.session_state["recommendation"] = recommend(
        parse_profile({"knee": {"pain": True, "severity": 3}, "tight": ["hamstrings"]}))
    ok(at.run())
    ok(at.text_input(key="journal-path").set_value(str(path)).run())
    assert "6 weeks of consistent strength work (6 needed): done" in text_of(at)
    assert any("stability shoes and insoles are eligible" in s.value for s in at.success)
    # the plan's exercises are offered (by name), not the default programme
    assert "Hamstring stretch" in at.multiselect(key="session-exercises").options


def test_a_file_that_is_not_a_journal_is_shown_and_untouched(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine\n", encoding="utf-8")
    at = page()
    at.text_input(key="journal-path").set_value(str(notes)).run()
    assert any("not a gaitkeeper journal" in e.value for e in at.error)
    assert notes.read_text(encoding="utf-8") == "mine\n"


def test_delete_needs_confirmation(tmp_path: Path) -> None:
    path = tmp_path / "my.journal"
    at = create(page(), path)
    assert at.button(key="journal-forget").disabled
    ok(at.checkbox(key="forget-confirm").check().run())
    ok(at.button(key="journal-forget").click().run())
    assert not path.exists()
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    assert any("Deleted" in s.value for s in at.success)


# ------------------------------------------------ the journal's pain in the recommendation
def _journal_with_pains(path: Path, pains: list[tuple[int, int]]) -> None:
    with open_journal(path, create=True) as j:
        for days_ago, pain in pains:
            j.add_session(date=date.today() - timedelta(days=days_ago), pain=pain,
                          exercises=[{"exercise_id": "glute_bridge", "sets": 3, "reps": 15}])


def _page_with_plan(path: Path) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.session_state["recommendation"] = recommend(
        parse_profile({"knee": {"pain": True, "severity": 3}}))
    ok(at.run())
    at.text_input(key="journal-path").set_value(str(path)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _referral_box(at: AppTest) -> str:
    return "\n".join([e.value for e in at.error] + [m.value for m in at.markdown])


@pytest.mark.parametrize(("pains", "required", "words"), [
    ([(9, 2), (2, 7)], True, "Logged in your journal: pain 7/10 strength session on "),
    ([(9, 6), (2, 6)], False, None),
    ([(12, 1), (9, 2), (4, 4), (1, 4)], True, "Logged in your journal: pain rising: 4.0/10"),
])
def test_the_journal_pain_is_the_plans_referral(tmp_path: Path, pains, required, words) -> None:
    path = tmp_path / "my.journal"
    _journal_with_pains(path, pains)
    at = _page_with_plan(path)
    errors = [e.value for e in at.error]
    assert any("See a clinician first" in e for e in errors) is required, errors
    text = _referral_box(at)
    if required:
        assert words in text
        assert "nothing here is meant to start now" in text  # the hold on the whole plan
        assert not any(line.startswith("- see a clinician") for line in text.splitlines())
    else:
        assert "Logged in your journal" not in text


def test_the_session_ticks_the_current_phase_of_the_programme(tmp_path: Path) -> None:
    """The programme advances from the log: after 2 logged weeks the "build" phase's
    exercises are ticked, the plan's others still offered."""
    path = tmp_path / "my.journal"
    monday = date.today() - timedelta(days=date.today().weekday())
    with open_journal(path, create=True) as j:
        for w in (1, 2):
            for d in (0, 2):
                j.add_session(date=monday - timedelta(weeks=w) + timedelta(days=d), pain=1,
                              exercises=[{"exercise_id": "glute_bridge", "sets": 3,
                                          "reps": 15}])
    at = _page_with_plan(path)
    chosen = at.multiselect(key="session-exercises").value
    options = at.multiselect(key="session-exercises").options
    assert "step_down" in chosen and "squat_pain_free" in chosen  # build
    assert "wall_sit" not in chosen and "Wall sit" in options  # settle's, still offered
    assert "phase 2: build (weeks 2–6)" in text_of(at)
