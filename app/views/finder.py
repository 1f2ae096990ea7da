"""Shoe finder: a guided questionnaire → ``recommender.engine.recommend`` → the plan."""

from __future__ import annotations

import json

import streamlit as st
from gaitkeeper_ui import questionnaire as q
from gaitkeeper_ui.common import catalog, example_profiles, page_header
from gaitkeeper_ui.results import render_recommendation

from recommender import ProfileError, parse_profile, recommend
from recommender.app_support import STEPS
from recommender.spec.profile import profile_to_dict

cat = catalog()
q.init_state()

page_header("Shoe finder", "Running shoes and a strength and form plan for runners with knee "
            "pain. Strength before stability: stability shoes and insoles wait until your hips, "
            "glutes and core are strong.")

# ------------------------------------------------------------------ the answers, as a profile
answers_json = q.profile_dict()
profile = None
errors: list[str] = []
try:
    profile = parse_profile(answers_json)
except ProfileError as exc:
    errors = [str(e) for e in exc.errors]

# ------------------------------------------------------------------------- load and save
examples = example_profiles()
with st.expander("Load or save a profile", icon=":material/folder_open:",
                 expanded=q.LOAD_MESSAGE in st.session_state):
    up, ex, save = st.columns(3, gap="large")
    with up:
        st.file_uploader("Load a saved profile (JSON)", type=["json"], key="profile-upload",
                         on_change=q.load_uploaded_profile,
                         help="A profile as described in the gaitkeeper spec (§2.1).")
    with ex:
        st.selectbox("Or start from an example", options=list(examples), key="profile-example",
                     format_func=lambda k: examples[k].get("runner_id", k))
        st.button("Load example", key="profile-load-example", on_click=lambda: q.load_profile_data(
            examples[st.session_state["profile-example"]],
            f"example {st.session_state['profile-example']}"), icon=":material/upload:")
    with save:
        st.download_button("Save my answers (profile JSON)",
                           json.dumps(profile_to_dict(profile) if profile else answers_json,
                                      indent=2, ensure_ascii=False) + "\n",
                           file_name="gaitkeeper-profile.json", mime="application/json",
                           key="profile-download", on_click="ignore",
                           icon=":material/download:", disabled=profile is None)
        st.button("Start over", key="profile-reset", on_click=q.reset_answers,
                  icon=":material/restart_alt:")
    message = st.session_state.pop(q.LOAD_MESSAGE, None)
    if message:
        level, lines = message
        if level == "error":
            st.error(f"That profile could not be loaded — {len(lines)} problem(s):\n\n"
                     + "\n".join(f"- {line}" for line in lines))
        else:
            getattr(st, level)(lines[0])

known = q.answered_count()
st.caption(f"{known} of {len(q.ALL_PATHS)} questions answered. Every question is optional; "
           "go through the steps, then open **Your plan**.")

# ------------------------------------------------------------------------ the questionnaire
tabs = st.tabs([f"{i}. {s.title}" for i, s in enumerate(STEPS, 1)] + [":material/task_alt: Your plan"])
for i, (tab, step) in enumerate(zip(tabs, STEPS, strict=False), 1):
    with tab:
        q.render_step(step.id, cat)
        following = f"{i + 1}. {STEPS[i].title}" if i < len(STEPS) else "Your plan"
        st.caption(f"Next: **{following}** — or open **Your plan** at any time.")

with tabs[-1]:
    if errors:
        st.error("Some answers need a fix before gaitkeeper can answer:\n\n"
                 + "\n".join(f"- {e}" for e in errors))
    else:
        assert profile is not None
        try:
            rec = recommend(profile, catalog=cat)
        except ProfileError as exc:
            st.error("Some answers need a fix before gaitkeeper can answer:\n\n"
                     + "\n".join(f"- {e}" for e in exc.errors))
        else:
            render_recommendation(rec, profile, cat)
