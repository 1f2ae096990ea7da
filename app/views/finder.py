"""Shoe finder: one step at a time (progress, back and next), then the plan.

The questions come from ``recommender.app_support.STEPS``; the answers are checked field by
field (a bad answer is named under its question and left out, never blanking the plan), and
the plan is ``recommender.recommend`` of the valid answers. Answers are kept in the page
address so a reload keeps them (see ``gaitkeeper_ui.questionnaire``)."""

from __future__ import annotations

import json

import streamlit as st
from gaitkeeper_ui import questionnaire as q
from gaitkeeper_ui.common import catalog, example_profiles, page_header
from gaitkeeper_ui.results import render_recommendation

from recommender import ProfileError, Recommendation, parse_profile, recommend
from recommender.app_support import STEPS, assumed_defaults

cat = catalog()
q.init_state()
answers = q.current_answers()
st.session_state["finder-profile"] = answers.profile  # the profile the plan is built from
step = int(st.session_state.get(q.STEP, 0))

page_header("Shoe finder", "Running shoes and a strength and form plan for runners with knee "
            "pain, in about two minutes. Strength before stability: stability shoes and insoles "
            "wait until your hips, glutes and core are strong.")

# ---------------------------------------------------------------------- progress and steps
TITLES = [*(s.title for s in STEPS), "Your plan"]
MARKS = {"done": "✓ ", "started": "◐ ", "todo": ""}


def _label(i: int) -> str:
    if i == q.PLAN:
        return "★ Your plan"
    return f"{MARKS[q.step_state(i, answers)]}{i + 1}. {TITLES[i]}"


def _nav_changed() -> None:
    picked = st.session_state.get("finder-nav")
    if picked is not None:
        q.go_to(int(picked))


st.session_state["finder-nav"] = step
top_left, top_right = st.columns([4, 1], vertical_alignment="bottom")
with top_left:
    st.progress(min(step, q.PLAN) / q.PLAN,
                text=(f"Step {step + 1} of {q.PLAN}: **{TITLES[step]}**" if step < q.PLAN
                      else "**Your plan**")
                + f" · {answers.answered} of {answers.asked} questions answered")
with top_right:
    st.segmented_control("Units", list(q.UNIT_WORDS), key=q.UNITS, required=True,
                         format_func=q.UNIT_WORDS.__getitem__, on_change=q.change_units)
st.pills("Steps", list(range(q.PLAN + 1)), key="finder-nav", format_func=_label,
         on_change=_nav_changed, label_visibility="collapsed")


def _nav_buttons(where: str) -> None:
    back, nxt, plan = st.columns([1, 2, 2])
    back.button("Back", key=f"finder-back-{where}", on_click=q.go_to, args=(step - 1,),
                disabled=step == 0, icon=":material/arrow_back:", width="stretch")
    if step < q.PLAN - 1:
        nxt.button(f"Next: {TITLES[step + 1]}", key=f"finder-next-{where}", type="primary",
                   on_click=q.go_to, args=(step + 1,), icon=":material/arrow_forward:",
                   width="stretch")
        plan.button("Skip to my plan", key=f"finder-skip-{where}", on_click=q.go_to,
                    args=(q.PLAN,), icon=":material/fast_forward:", width="stretch")
    elif step == q.PLAN - 1:
        nxt.button("See my plan", key=f"finder-next-{where}", type="primary", on_click=q.go_to,
                   args=(q.PLAN,), icon=":material/task_alt:", width="stretch")


@st.cache_data(show_spinner=False, max_entries=256)
def _recommend(profile_json: str) -> Recommendation:
    return recommend(parse_profile(json.loads(profile_json)), catalog=cat)


# --------------------------------------------------------------------------------- a step
if step < q.PLAN:
    st.subheader(f"{step + 1}. {TITLES[step]}")
    with st.container(key=f"finder-step-{STEPS[step].id}"):
        q.render_step(step, cat, answers)
    _nav_buttons("bottom")
else:
    if answers.answered == 0:
        st.info("**Nothing answered yet.** gaitkeeper never guesses: answer a few questions "
                "first — at least whether your knee hurts (step 3) — and your plan appears here.",
                icon=":material/info:")
        st.button("Start with step 1", key="finder-start", type="primary", on_click=q.go_to,
                  args=(0,), icon=":material/arrow_forward:")
    else:
        try:
            profile = parse_profile(answers.profile)
            rec = _recommend(json.dumps(answers.profile, sort_keys=True))
        except ProfileError as exc:  # should not happen: check_answers left bad fields out
            st.error("Some answers need a fix:\n\n"
                     + "\n".join(f"- {e}" for e in exc.errors))
        else:
            st.session_state["recommendation"] = rec
            render_recommendation(rec, profile, cat, answers, assumed_defaults(answers.raw))
    _nav_buttons("plan")

# ---------------------------------------------------------------------- load, save, restart
examples = example_profiles()
with st.expander("Load, save or start over", icon=":material/folder_open:",
                 expanded=q.LOAD_MESSAGE in st.session_state
                 or bool(st.session_state.get("finder-confirm-reset"))):
    st.caption("Your answers stay in this browser tab and its address (so a reload keeps "
               "them); nothing is stored on the server. Save them as a file to come back later.")
    up, ex, save = st.columns(3, gap="large")
    with up:
        st.file_uploader("Load a saved profile (JSON)", type=["json"], key="profile-upload",
                         on_change=q.load_uploaded_profile,
                         help="A profile as described in the gaitkeeper spec (§2.1).")
    with ex:
        st.selectbox("Or start from an example", options=list(examples), key="profile-example",
                     format_func=lambda k: examples[k].get("_label") or k.replace("_", " ")
                     .capitalize())
        st.button("Load example", key="profile-load-example", on_click=lambda: q.load_profile_data(
            examples[st.session_state["profile-example"]],
            f"example {st.session_state['profile-example']}"), icon=":material/upload:")
    with save:
        st.download_button("Save my answers (profile JSON)",
                           json.dumps(answers.profile, indent=2, ensure_ascii=False) + "\n",
                           file_name="gaitkeeper-profile.json", mime="application/json",
                           key="profile-download", on_click="ignore",
                           icon=":material/download:")
        if answers.errors:
            st.caption(f"{len(answers.errors)} answer(s) that need a fix are not saved.")
        if st.session_state.get("finder-confirm-reset"):
            st.warning("Clear every answer?")
            yes, no = st.columns(2)
            yes.button("Yes, clear", key="profile-reset-confirm", on_click=q.reset_answers,
                       type="primary")
            no.button("Cancel", key="profile-reset-cancel",
                      on_click=lambda: st.session_state.pop("finder-confirm-reset", None))
        else:
            st.button("Start over", key="profile-reset", icon=":material/restart_alt:",
                      on_click=lambda: st.session_state.update({"finder-confirm-reset": True}))
    message = st.session_state.pop(q.LOAD_MESSAGE, None)
    if message:
        level, lines = message
        if level == "error":
            st.error(f"That profile could not be loaded — {len(lines)} problem(s):\n\n"
                     + "\n".join(f"- {line}" for line in lines))
        else:
            getattr(st, level)(lines[0])
