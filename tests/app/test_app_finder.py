"""The shoe finder, driven through Streamlit's AppTest: one step at a time, widgets set by
their stable keys, the script reruns, and the rendered elements are checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from recommender import load_profile, recommend
from recommender.app_support import STEPS, decode_answers

ROOT = Path(__file__).resolve().parents[2]
PLAN = len(STEPS)
STEP_OF = {p: i for i, s in enumerate(STEPS) for p in s.paths}


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


def go(at: AppTest, step: int) -> AppTest:
    at.session_state["finder-step"] = step
    return at.run()


def answer(at: AppTest, path: str, value, kind: str = "radio") -> AppTest:
    go(at, STEP_OF[path])
    getattr(at, kind)(key="q-" + path.replace(".", "-")).set_value(value)
    return at.run()


def qa(at: AppTest) -> dict:
    """The answers kept in the page address."""
    value = at.query_params["a"]
    return decode_answers(value if isinstance(value, str) else value[0])


def plan(at: AppTest) -> AppTest:
    return go(at, PLAN)


def texts(at: AppTest) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption]
                    + [w.value for w in at.warning] + [e.value for e in at.error]
                    + [i.value for i in at.info] + [s.value for s in at.success])


def test_one_step_at_a_time_with_progress_and_buttons(new_app):
    at = new_app()
    nav = at.pills[0]
    assert nav.options[:3] == ["1. About you", "2. Running", "3. Knee symptoms"]
    assert nav.options[-1] == "★ Your plan"
    assert "Step 1 of 8" in at.get("progress")[0].proto.text
    assert at.button(key="finder-back-bottom").disabled
    at.button(key="finder-next-bottom").click().run()
    assert at.session_state["finder-step"] == 1
    assert "Step 2 of 8" in at.get("progress")[0].proto.text
    at.button(key="finder-back-bottom").click().run()
    assert at.session_state["finder-step"] == 0
    # the name is empty, nothing preselected: every choice starts at "Don't know"
    assert at.text_input(key="q-runner_id").value == ""
    go(at, STEP_OF["running.terrain"])
    assert at.radio(key="q-running-terrain").value == "Don't know"
    go(at, STEP_OF["strength.status"])
    assert at.radio(key="q-strength-status").value == "Don't know"
    go(at, STEP_OF["width"])
    assert at.radio(key="q-width").value == "Don't know"
    assert at.radio(key="q-preferences-use").value == "Don't know"
    # a finished step is marked
    at = answer(at, "knee.pain", "No")
    assert any(o.startswith("✓ 3.") or o.startswith("◐ 3.") for o in at.pills[0].options)


def test_self_tests_have_how_to_text_and_pictures(new_app):
    at = go(new_app(), STEP_OF["knee.extension_deficit"])
    text = " ".join(m.value for m in at.markdown)
    for words in ("left with right", "5 times", "30 s", "stand still", "is that new?"):
        assert words in text
    assert "article" not in text and "her physical" not in text and "author" not in text
    assert at.radio(key="q-hips-alignment").options[-1] == "Don't know"
    assert any("Wet footprints" in str(e.proto) for e in at.get("image"))  # the pictures
    go(at, STEP_OF["gait.foot_strike"])
    assert any("Where the foot lands first" in str(e.proto) for e in at.get("image"))


def test_nothing_answered_shows_no_plan(new_app):
    at = plan(new_app())
    assert not at.exception
    assert "Nothing answered yet" in texts(at)
    assert not cards(at)
    assert "Weak hips" not in texts(at)


def test_plan_puts_top_picks_first_and_names_assumptions(new_app):
    at = plan(answer(new_app(), "knee.pain", "Yes"))
    assert not at.exception
    shown = cards(at)
    assert len(shown) == 5
    for card in shown:
        assert ":green-badge[Neutral]" in card[1], card
    heads = [s.value for s in at.subheader]
    assert heads[0] == "Your top shoes"
    assert heads.index("Your top shoes") < heads.index("What is likely behind it")
    assert "Assumed because you did not say" in texts(at)
    assert "**Road**" in texts(at) and "**Weak, or not training it yet**" in texts(at)
    assert [p.value for p in at.get("progress")][-1] == 0  # the gate's weeks bar
    assert "not answered" in at.get("progress")[-1].proto.text


def causes_markdown(at: AppTest) -> str:
    """The markdown under "What is likely behind it"."""
    return next(m.value for m in at.markdown if "Hip, glute and core strength" in m.value)


def test_a_cause_resting_on_a_default_says_so(new_app):
    """#17: strength unanswered, so "weak" is the default: the cause is marked, with the
    question it rests on; answered weak, the same cause stands without the marker."""
    at = plan(answer(new_app(), "knee.pain", "Yes"))
    rec = at.session_state["recommendation"]
    hip = next(c for c in rec.likely_causes if c.id == "hip_weakness")
    assert hip.assumed and hip.defaults == ["strength.status"]
    shown = causes_markdown(at)
    assert ":orange-badge[Not answered yet]" in shown
    assert "Not answered yet — based on the default" in shown
    assert "**Weak, or not training it yet**" in shown and "Strength work" in shown

    at = plan(answer(at, "strength.status", "Weak, or not training it yet"))
    rec = at.session_state["recommendation"]
    hip = next(c for c in rec.likely_causes if c.id == "hip_weakness")
    assert not hip.assumed and hip.defaults == []
    shown = causes_markdown(at)
    assert "Not answered yet" not in shown and "based on the default" not in shown


def test_weeks_over_the_goal_are_not_8_of_6(new_app):
    at = answer(new_app(), "knee.pain", "Yes")
    at = answer(at, "strength.weeks_consistent", 8, "number_input")
    at = plan(at)
    bar = at.get("progress")[-1].proto.text
    assert "8 of 6" not in bar and "8 weeks" in bar


def test_left_out_counts_do_not_overlap_or_contradict(new_app):
    at = answer(new_app(), "knee.pain", "Yes")
    at = answer(at, "running.terrain", "trail")
    at = plan(at)
    text = texts(at)
    assert "Nothing is locked" not in text or "Locked for now" not in text
    assert "by Terrain" not in text and "strength_before_stability" not in text
    try:
        locked = at.get_by_key("locked-shoes").dataframe[0].value
    except KeyError:  # no trail stability shoe would otherwise fit
        assert "No stability shoe that would otherwise fit you is locked" in text
        return
    from recommender.catalog import load_catalog

    terrain = dict(load_catalog().frame.select("shoe_id", "terrain").iter_rows())
    names = {f"{r[1]} {r[2]} {r[3]}": r[0] for r in load_catalog().frame.select(
        "shoe_id", "brand", "model", "version").iter_rows()}
    assert {terrain[names[s]] for s in locked["Shoe"]} <= {"trail"}  # no road shoes
    assert "Rule" not in locked.columns


def test_a_bad_answer_is_named_in_its_step_and_the_plan_stays(new_app):
    at = answer(new_app(), "knee.pain", "Yes")
    at = answer(at, "shoe_size_us", 9.3, "number_input")
    assert any("not" in e.value and "9.3" in e.value for e in at.error)  # inline, on the step
    at = answer(at, "age", 5, "number_input")
    assert any("Not used until fixed" in e.value for e in at.error)
    at = plan(at)
    assert len(cards(at)) == 5  # the plan is still there
    note = " ".join(w.value for w in at.warning)
    assert "Not used in this plan until fixed" in note
    assert "step 8, Shoes & fit" in note and "step 1, About you" in note
    assert not at.download_button(key="profile-download").disabled


def test_out_of_range_numbers_are_named_not_silently_unknown(new_app):
    at = answer(new_app(), "gait.cadence_spm", 90, "number_input")
    assert any("Not used until fixed" in e.value and "120" in e.value for e in at.error)
    at = answer(at, "running.weekly_km", -5.0, "number_input")
    assert sum("Not used until fixed" in e.value for e in at.error) == 1


def test_red_flags_are_checkboxes_with_none_of_these_and_feedback(new_app):
    at = go(new_app(), STEP_OF["red_flags"])
    assert at.checkbox(key="q-red_flags-none").label == "None of these"
    at.checkbox(key="q-red_flags-none").check().run()
    assert any("none of the red flags" in s.value for s in at.success)
    at = answer(at, "knee.pain", "Yes")
    go(at, STEP_OF["red_flags"])
    at.checkbox(key="q-red_flags-none").uncheck()
    at.checkbox(key="q-red_flags-locking").check()
    at.checkbox(key="q-red_flags-night_pain").check().run()
    assert any("See a clinician" in e.value for e in at.error)  # feedback on the step itself
    at = plan(at)
    first = at.error[0].value
    assert "See a clinician first" in first
    assert "the knee locks or catches" in first and "pain at night or at rest" in first
    # the rest of the plan is below, folded away, for after the check-up
    assert any("after you have been checked" in e.label for e in at.expander)


def test_severe_pain_alone_refers(new_app):
    at = answer(new_app(), "knee.pain", "Yes")
    at = answer(at, "knee.severity", 9, "select_slider")
    assert any("8/10 or more" in e.value for e in at.error)
    at = plan(at)
    assert "Pain severity 9/10" in at.error[0].value


def test_follow_ups_only_when_they_apply(new_app):
    at = answer(new_app(), "knee.pain", "No")
    with pytest.raises(KeyError):
        at.get_by_key("q-knee-severity")
    at = answer(at, "orthotics.uses", "No")
    with pytest.raises(KeyError):
        at.get_by_key("q-orthotics-clinician_prescribed")
    # a picked current shoe: its drop and support come from the catalog, not the fallbacks
    at = answer(at, "current_shoe.drop_mm", 4.0, "number_input")
    at = answer(at, "current_shoe.shoe_id", "brooks-adrenaline-gts-23", "selectbox")
    with pytest.raises(KeyError):
        at.get_by_key("q-current_shoe-drop_mm")
    decoded = qa(at)
    assert decoded["current_shoe.drop_mm"] == 4.0  # remembered, but not used:
    used = at.session_state["finder-profile"]
    assert used["current_shoe"] == {"shoe_id": "brooks-adrenaline-gts-23"}
    # "use insoles: no" drops "prescribed: yes"
    at = answer(at, "orthotics.uses", "Yes")
    at = answer(at, "orthotics.clinician_prescribed", "Yes")
    at = answer(at, "orthotics.uses", "No")
    assert "clinician_prescribed" not in at.session_state["finder-profile"].get("orthotics", {})


def test_plan_matches_the_library(new_app):
    at = answer(new_app(), "knee.pain", "Yes")
    at = answer(at, "gait.overstriding", "Yes")
    at = answer(at, "running.runs_per_week", 4, "number_input")
    at = answer(at, "current_shoe.drop_mm", 12.0, "number_input")
    at = answer(at, "running.terrain", "trail")
    at = plan(at)
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
    assert spec["encoding"]["color"]["legend"]["orient"] == "bottom"
    assert at.get_by_key("points-table") is not None  # numbers without hovering
    assert "Land with your foot under your body" in texts(at)


def test_why_not_my_shoe(new_app):
    at = plan(answer(new_app(), "knee.pain", "Yes"))
    at.selectbox(key="why-not-shoe").set_value("asics-gel-kayano-31").run()
    assert any("is left out" in w.value and "strength" in w.value.lower() for w in at.warning)
    top = recommend({"knee": {"pain": True}}).recommendations[0].shoe_id
    at.selectbox(key="why-not-shoe").set_value(top).run()
    assert any("number 1 on your list" in s.value for s in at.success)


def test_units_and_size_systems(new_app):
    at = new_app()
    at.segmented_control(key="finder-units").set_value("imperial").run()
    at = answer(at, "running.weekly_km", 20.0, "number_input")
    assert "(mi)" in at.number_input(key="q-running-weekly_km").label
    assert qa(at)["running.weekly_km"] == pytest.approx(32.2)
    at = answer(at, "body_mass_kg", 154.0, "number_input")
    assert qa(at)["body_mass_kg"] == pytest.approx(69.9)
    at.segmented_control(key="finder-units").set_value("metric").run()
    go(at, STEP_OF["running.weekly_km"])
    assert at.number_input(key="q-running-weekly_km").value == pytest.approx(32.2)
    # EU 40 on the women's line is US 8.5
    at = answer(at, "shoe_line", "womens")
    at.segmented_control(key="finder-size-system").set_value("eu").run()
    at.number_input(key="q-shoe_size_us").set_value(40.0).run()
    assert qa(at)["shoe_size_us"] == 8.5
    at = answer(at, "preferences.use", "long")
    assert qa(at)["preferences.use"] == "long"


def test_answers_are_kept_in_the_address_and_restored(new_app):
    at = answer(new_app(), "knee.pain", "Yes")
    at = answer(at, "running.weekly_km", 42.0, "number_input")
    encoded = at.query_params["a"]
    encoded = encoded if isinstance(encoded, str) else encoded[0]
    fresh = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=60)
    fresh.query_params["a"] = encoded
    fresh.query_params["s"] = "1"
    fresh.run()
    assert not fresh.exception
    assert fresh.session_state["finder-step"] == 1
    assert fresh.number_input(key="q-running-weekly_km").value == 42.0
    go(fresh, STEP_OF["knee.pain"])
    assert fresh.radio(key="q-knee-pain").value == "Yes"


def test_profile_upload_with_errors_lists_every_field(new_app):
    at = new_app()
    bad = {"knee": {"severity": 11, "pain": "yes"}, "shoe_colour": "red"}
    at.file_uploader(key="profile-upload").set_value(
        ("mine.json", json.dumps(bad).encode(), "application/json")).run()
    assert not at.exception
    message = next(e.value for e in at.error if "could not be loaded" in e.value)
    assert "3 problem(s)" in message
    assert "knee.severity: 11 is above the maximum 10" in message


def test_profile_upload_fills_the_questionnaire(new_app):
    at = new_app()
    path = ROOT / "data" / "profiles" / "author_amanda.json"
    at.file_uploader(key="profile-upload").set_value(
        (path.name, path.read_bytes(), "application/json")).run()
    assert not at.exception
    assert any("Loaded the profile of author-amanda" in s.value for s in at.success)
    go(at, STEP_OF["knee.pain"])
    assert at.radio(key="q-knee-pain").value == "Yes"
    assert at.select_slider(key="q-knee-severity").value == 5
    go(at, STEP_OF["current_shoe.shoe_id"])
    assert at.selectbox(key="q-current_shoe-shoe_id").value == "saucony-kinvara-14"
    expected = recommend(load_profile(str(path)))
    at = plan(at)
    assert [c[0].split(". ", 1)[1] for c in cards(at)] == [
        f"{s.brand} {s.model} {s.version}" for s in expected.recommendations]
    labels = [b.label for b in at.download_button]
    assert {"Plan (PDF)", "Plan (Markdown)", "My profile as a store runners row (CSV)"} <= set(labels)
    pdf = at.get_by_key("download-plan-pdf")
    assert not pdf.disabled


def test_answers_survive_a_visit_to_another_page(new_app):
    at = answer(new_app(), "knee.pain", "Yes")
    at = answer(at, "running.weekly_km", 42.0, "number_input")
    at.switch_page("views/progress.py").run()
    assert not at.exception
    at.switch_page("views/finder.py").run()
    go(at, STEP_OF["running.weekly_km"])
    assert at.number_input(key="q-running-weekly_km").value == 42.0


def test_example_profile_loads_and_start_over_asks_first(new_app):
    at = new_app()
    at.selectbox(key="profile-example").set_value("red_flag_swelling")
    at.button(key="profile-load-example").click().run()
    assert not at.exception
    assert at.session_state["q-red_flags-significant_swelling"]
    at = plan(at)
    assert "significant swelling" in at.error[0].value
    at.button(key="profile-reset").click().run()
    assert at.session_state["q-red_flags-significant_swelling"]  # not yet: asks first
    at.button(key="profile-reset-confirm").click().run()
    go(at, STEP_OF["knee.pain"])
    assert at.radio(key="q-knee-pain").value == "Don't know"
    assert at.session_state["q-red_flags-significant_swelling"] is False
