"""The shoe finder, driven through Streamlit's AppTest: widgets are set by their stable keys,
the script reruns, and the rendered elements are checked."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from recommender import load_profile, recommend
from recommender.catalog import load_catalog
from recommender.rules import GATE_RULE_ID

ROOT = Path(__file__).resolve().parents[2]
CORRECTIVE = ("stability", "motion_control")


def cards(at: AppTest) -> list[list[str]]:
    """The markdown of each result card, in rank order."""
    out = []
    i = 1
    while True:
        try:
            block = at.get_by_key(f"shoe-card-{i}")
        except KeyError:
            return out
        out.append([m.value for m in block.markdown])
        i += 1


def plan_tab(at: AppTest):
    tab = at.tabs[-1]
    assert "Your plan" in tab.label
    return tab


def set_knee_pain(at: AppTest) -> AppTest:
    return at.radio(key="q-knee-pain").set_value("Yes").run()


def test_questionnaire_has_steps_and_self_test_instructions(new_app):
    at = new_app()
    labels = [t.label for t in at.tabs]
    assert labels[:8] == ["1. About you", "2. Running", "3. Knee symptoms", "4. Red flags",
                          "5. Self-tests", "6. Strength work", "7. Running form",
                          "8. Shoes & fit"]
    self_tests = at.tabs[4]
    text = " ".join(m.value for m in self_tests.markdown)
    for words in ("left with right", "5 times", "30 s", "falling inward", "is that new?"):
        assert words in text
    # every answer starts as "don't know" (or the field's documented default)
    assert at.radio(key="q-knee-pain").value == "Don't know"
    assert at.select_slider(key="q-knee-severity").value == "Don't know"
    assert at.number_input(key="q-running-weekly_km").value is None
    assert at.radio(key="q-hips-alignment").options[-1] == "Don't know"


def test_gate_locked_runner_sees_only_neutral_shoes_and_the_locked_section(new_app):
    at = set_knee_pain(new_app())
    assert not at.exception
    shown = cards(at)
    assert len(shown) == 5
    for card in shown:
        badges = card[1]
        assert ":green-badge[Neutral]" in badges, card
        assert "Stability" not in badges and "Motion control" not in badges, card
    # the gate: locked, with what unlocks it, and progress toward the weeks
    assert any("Locked for now" in w.value for w in at.warning)
    plan_md = " ".join(m.value for m in plan_tab(at).markdown)
    assert "What unlocks it" in plan_md and "6 weeks of consistent hip" in plan_md
    assert [p.value for p in at.get("progress")] == [0]
    # "Locked for now" lists every stability / motion-control shoe under the gate's rule
    assert "Locked for now" in [s.value for s in at.subheader]
    table = at.get_by_key("locked-shoes").dataframe[0].value
    cat = load_catalog()
    corrective = cat.frame.filter(pl.col("support").is_in(CORRECTIVE)).height
    assert corrective > 0
    assert len(table) == corrective
    assert set(table["Rule"]) == {GATE_RULE_ID}
    assert table["Why"].str.contains("strength before stability").all()
    # the plan is there too: exercises with doses, insoles not yet
    assert at.get_by_key("exercise-glute_bridge") is not None
    assert any(i.value.startswith("Not yet") for i in at.info)


def test_strong_runner_unlocks_the_gate(new_app):
    at = set_knee_pain(new_app())
    at.radio(key="q-strength-status").set_value("strong")
    at.number_input(key="q-strength-weeks_consistent").set_value(8).run()
    assert not at.exception
    assert any(s.value.startswith("**Unlocked:**") for s in at.success)
    assert [p.value for p in at.get("progress")] == [100]
    with pytest.raises(KeyError):
        at.get_by_key("locked-shoes")


def test_red_flag_shows_the_referral_banner_first(new_app):
    at = set_knee_pain(new_app())
    assert not at.error
    at.multiselect(key="q-red_flags").set_value(["locking", "night_pain"]).run()
    assert not at.exception
    first = plan_tab(at).children[0]
    assert first.type == "error"
    assert "See a clinician first" in first.value
    assert "the knee locks or catches" in first.value
    assert "pain at night or at rest" in first.value


def test_severe_pain_alone_refers(new_app):
    at = set_knee_pain(new_app())
    at.select_slider(key="q-knee-severity").set_value(9).run()
    first = plan_tab(at).children[0]
    assert first.type == "error" and "Pain severity 9/10" in first.value


def test_results_match_the_library_and_chart_every_recommendation(new_app):
    at = new_app()
    at.radio(key="q-knee-pain").set_value("Yes")
    at.radio(key="q-gait-overstriding").set_value("Yes")
    at.number_input(key="q-running-runs_per_week").set_value(4)
    at.number_input(key="q-current_shoe-drop_mm").set_value(12.0)
    at.radio(key="q-running-terrain").set_value("trail").run()
    assert not at.exception
    expected = recommend({"knee": {"pain": True}, "gait": {"overstriding": True},
                          "running": {"runs_per_week": 4, "terrain": "trail"},
                          "current_shoe": {"drop_mm": 12.0}})
    headings = [c[0] for c in cards(at)]
    assert len(headings) == len(expected.recommendations)
    for heading, shoe in zip(headings, expected.recommendations, strict=True):
        assert f"{shoe.model} {shoe.version}" in heading
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2
    spec = json.loads(charts[0].proto.spec)
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["sort"] == [h.split(". ", 1)[1] for h in headings]
    # form cues and the transition advice follow the answers
    plan_md = " ".join(m.value for m in plan_tab(at).markdown)
    assert "Land with your foot under your body" in plan_md
    shown = plan_md + " ".join(w.value for w in at.warning)
    assert expected.transition.advice in shown
    assert expected.rotation is not None and expected.rotation.reason in plan_md


def test_profile_upload_with_errors_lists_every_field(new_app):
    at = new_app()
    bad = {"knee": {"severity": 11, "pain": "yes"}, "shoe_colour": "red"}
    at.file_uploader(key="profile-upload").set_value(
        ("mine.json", json.dumps(bad).encode(), "application/json")).run()
    assert not at.exception
    message = next(e.value for e in at.error if "could not be loaded" in e.value)
    assert "3 problem(s)" in message
    assert "knee.severity: 11 is above the maximum 10" in message
    assert "knee.pain: expected true or false" in message
    assert "shoe_colour: unknown field" in message


def test_profile_upload_fills_the_questionnaire(new_app):
    at = new_app()
    path = ROOT / "data" / "profiles" / "author_amanda.json"
    at.file_uploader(key="profile-upload").set_value(
        (path.name, path.read_bytes(), "application/json")).run()
    assert not at.exception
    assert any("Loaded the profile of author-amanda" in s.value for s in at.success)
    assert at.radio(key="q-knee-pain").value == "Yes"
    assert at.select_slider(key="q-knee-severity").value == 5
    assert at.radio(key="q-knee-extension_deficit").value == "left"
    assert at.radio(key="q-hips-alignment").value == "uneven_longstanding"
    assert at.selectbox(key="q-current_shoe-shoe_id").value == "saucony-kinvara-14"
    assert at.number_input(key="q-strength-weeks_consistent").value == 2
    # the same answer as the library gives for the file
    expected = recommend(load_profile(str(path)))
    assert [c[0].split(". ", 1)[1] for c in cards(at)] == [
        f"{s.brand} {s.model} {s.version}" for s in expected.recommendations]


def test_answers_survive_a_visit_to_another_page(new_app):
    at = set_knee_pain(new_app())
    at.number_input(key="q-running-weekly_km").set_value(42.0).run()
    at.switch_page("views/catalog.py").run()
    assert not at.exception
    at.switch_page("views/finder.py").run()
    assert not at.exception
    assert at.radio(key="q-knee-pain").value == "Yes"
    assert at.number_input(key="q-running-weekly_km").value == 42.0


def test_example_profile_loads(new_app):
    at = new_app()
    at.selectbox(key="profile-example").set_value("red_flag_swelling")
    at.button(key="profile-load-example").click().run()
    assert not at.exception
    assert at.multiselect(key="q-red_flags").value == ["significant_swelling", "locking"]
    first = plan_tab(at).children[0]
    assert first.type == "error" and "significant swelling" in first.value


def test_start_over_returns_every_answer_to_dont_know(new_app):
    at = set_knee_pain(new_app())
    at.button(key="profile-reset").click().run()
    assert at.radio(key="q-knee-pain").value == "Don't know"

