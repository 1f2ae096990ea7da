"""My progress: the runner's own journal (SPEC §7.5), composed from ``recommender.journal``.

Nothing is written until the runner names a path, ticks the consent box and clicks
"Create journal". The path is only ever what they typed; no upload names a file here.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import altair as alt
import polars as pl
import streamlit as st

from recommender import Profile, Recommendation, parse_profile
from recommender.journal import (
    BALANCE_MIN_S,
    EXTENSION_DEFICITS,
    Journal,
    JournalError,
    Progress,
    compute_progress,
    daily_sessions,
    export_json,
    forget,
    open_journal,
    pain_values,
    progress_lines,
    recommend_with_progress,
)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
NOT_TESTED = "not tested"
NOT_YET = "not yet known"


#: Without a plan from the finder: a runner with knee pain who has told nothing else.
DEFAULT_PROFILE = {"knee": {"pain": True}}


def journal_plan(profile: Profile, progress: Progress) -> Recommendation:
    """The runner's recommendation with the journal applied: the gate from the logged weeks
    and re-test, the programme's current phase, and the logged pain as the referral."""
    return recommend_with_progress(profile, progress)


def session_exercises(plan: Recommendation) -> tuple[list[str], list[str]]:
    """(the plan's exercises, those of its current programme phase): the choices of
    "Log a session" and the ones ticked to start with."""
    options = [e.id for e in plan.exercises]
    current = next((ph.exercises for ph in plan.programme if ph.current), [])
    return options, [e for e in current if e in options] or options


def plan_recommendation() -> Recommendation | None:
    """The runner's recommendation, when another page left one in this session."""
    found = st.session_state.get("recommendation")
    if isinstance(found, Recommendation):
        return found
    for value in st.session_state.values():
        if isinstance(value, Recommendation):
            return value
    return None


def choose_journal() -> Path:
    st.text_input("Journal file on this computer", key="journal-path",
                  placeholder="~/gaitkeeper-journal.sqlite",
                  help="A file path of your choice. gaitkeeper creates it only when you ask.")
    text = (st.session_state.get("journal-path") or "").strip()
    if not text:
        st.info("Type where your journal should live (or where it already is).")
        st.stop()
    path = Path(text).expanduser()
    if path.exists():
        return path
    st.write(f"There is no journal at `{path}` yet.")
    consent = st.checkbox("Keep a journal of my sessions, re-tests, runs and pain in this file "
                          "on this computer", key="journal-consent")
    if st.button("Create journal", key="journal-create", disabled=not consent,
                 icon=":material/add:"):
        try:
            open_journal(path, create=True).close()
        except JournalError as exc:
            st.error(str(exc))
            st.stop()
        st.success(f"Created your journal at `{path}`.")
        return path
    st.stop()
    raise AssertionError("unreachable")


def log_session(j: Journal, options: list[str], ticked: list[str],
                names: dict[str, str] | None = None) -> None:
    st.subheader("Today's strength session")
    st.date_input("Date", value=date.today(), max_value=date.today(), key="session-date")
    shown = names or {}
    st.multiselect("Exercises done", options=options, default=ticked, key="session-exercises",
                   format_func=lambda e: shown.get(e, e),
                   help="Ticked: this phase of your programme.")
    sets, reps = st.columns(2)
    sets.number_input("Sets", min_value=1, max_value=20, value=3, step=1, key="session-sets")
    reps.number_input("Reps", min_value=1, max_value=200, value=15, step=1, key="session-reps")
    st.slider("Knee pain during the session (0–10)", 0, 10, 0, key="session-pain")
    st.text_input("Note (optional)", key="session-note", max_chars=500)
    if st.button("Log session", key="log-session", icon=":material/fitness_center:"):
        ss = st.session_state
        try:
            j.add_session(date=ss["session-date"], pain=ss["session-pain"],
                          note=ss["session-note"] or None,
                          exercises=[{"exercise_id": e, "sets": int(ss["session-sets"]),
                                      "reps": int(ss["session-reps"])}
                                     for e in ss["session-exercises"]])
        except JournalError as exc:
            st.error(str(exc))
        else:
            st.success("Session logged.")


def log_retest(j: Journal) -> None:
    st.subheader("Self-test re-test")
    st.date_input("Date", value=date.today(), max_value=date.today(), key="retest-date")
    left, right = st.columns(2)
    left.radio("Single-leg squat, left", ("pass", "fail"), key="retest-squat-left",
               horizontal=True)
    right.radio("Single-leg squat, right", ("pass", "fail"), key="retest-squat-right",
                horizontal=True)
    left.number_input("Balance, left (s)", 0.0, 600.0, 0.0, step=1.0, key="retest-balance-left")
    right.number_input("Balance, right (s)", 0.0, 600.0, 0.0, step=1.0,
                       key="retest-balance-right")
    st.selectbox("Knee that will not fully straighten", (NOT_TESTED, *EXTENSION_DEFICITS),
                 key="retest-extension")
    if st.button("Log re-test", key="log-retest", icon=":material/checklist:"):
        ss = st.session_state
        ext = ss["retest-extension"]
        try:
            j.add_retest(date=ss["retest-date"], squat_left_ok=ss["retest-squat-left"] == "pass",
                         squat_right_ok=ss["retest-squat-right"] == "pass",
                         balance_left_s=float(ss["retest-balance-left"]),
                         balance_right_s=float(ss["retest-balance-right"]),
                         extension_deficit=None if ext == NOT_TESTED else ext)
        except JournalError as exc:
            st.error(str(exc))
        else:
            st.success("Re-test logged.")


def log_run(j: Journal) -> None:
    st.subheader("A run")
    st.date_input("Date", value=date.today(), max_value=date.today(), key="run-date")
    st.number_input("Distance (km)", 0.1, 300.0, 5.0, step=0.5, key="run-km")
    st.slider("Knee pain during the run (0–10)", 0, 10, 0, key="run-pain-during")
    st.selectbox("Knee pain the next morning", (NOT_YET, *range(11)), key="run-pain-next")
    if st.button("Log run", key="log-run", icon=":material/directions_run:"):
        ss = st.session_state
        nxt = ss["run-pain-next"]
        try:
            j.add_run(date=ss["run-date"], km=float(ss["run-km"]),
                      pain_during=ss["run-pain-during"],
                      pain_next_morning=None if nxt == NOT_YET else int(nxt))
        except JournalError as exc:
            st.error(str(exc))
        else:
            st.success("Run logged.")


def adherence_chart(days: list[tuple[date, int]]) -> alt.Chart:
    frame = pl.DataFrame({
        "day": [d for d, _ in days],
        "weekday": [WEEKDAYS[d.weekday()] for d, _ in days],
        "week": [d.isocalendar().week for d, _ in days],
        "sessions": [n for _, n in days],
    })
    return alt.Chart(frame).mark_rect(stroke="white").encode(
        x=alt.X("weekday:O", sort=list(WEEKDAYS), title=None),
        y=alt.Y("week:O", title="ISO week"),
        color=alt.Color("sessions:Q", title="Sessions", scale=alt.Scale(scheme="greens",
                                                                       domainMin=0)),
        tooltip=[alt.Tooltip("day:T", title="Day"), alt.Tooltip("sessions:Q", title="Sessions")],
    ).properties(height=alt.Step(28))


def pain_chart(values: list[tuple[date, int, str]]) -> alt.Chart:
    frame = pl.DataFrame({"day": [d for d, _, _ in values], "pain": [p for _, p, _ in values],
                          "logged for": [w for _, _, w in values]})
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("day:T", title=None), y=alt.Y("pain:Q", title="Pain (0–10)",
                                              scale=alt.Scale(domain=[0, 10])),
        color=alt.Color("logged for:N", title=None),
        tooltip=["day:T", "pain:Q", "logged for:N"])


def balance_chart(j: Journal) -> alt.Chart:
    retests = j.retests()
    frame = pl.DataFrame({
        "day": [r.date for r in retests for _ in (0, 1)],
        "leg": [leg for _ in retests for leg in ("left", "right")],
        "seconds": [s for r in retests for s in (r.balance_left_s, r.balance_right_s)],
    })
    line = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("day:T", title=None), y=alt.Y("seconds:Q", title="Single-leg balance (s)"),
        color=alt.Color("leg:N", title=None), tooltip=["day:T", "leg:N", "seconds:Q"])
    target = alt.Chart(pl.DataFrame({"target": [BALANCE_MIN_S]})).mark_rule(
        strokeDash=[4, 4]).encode(y="target:Q")
    return line + target


# ------------------------------------------------------------------------------- the page
st.title("My progress")
st.caption("Log your strength sessions, self-test re-tests and runs. Your journal is a file on "
           "this computer that only you choose to keep; the strength gate then opens from the "
           "work you logged.")

# In its own container: once the journal exists, the consent and "Created" lines are gone,
# and without the container every widget below would move up and be drawn anew (the old
# pain slider stayed on screen beside the new one in Chromium).
with st.container(key="journal-setup"):
    path = choose_journal()
try:
    journal = open_journal(path)
except JournalError as exc:
    st.error(str(exc))
    st.stop()

with journal:
    rec = plan_recommendation()
    profile = rec.profile if rec is not None else parse_profile(DEFAULT_PROFILE)
    before = journal_plan(profile, compute_progress(journal.rows(), date.today()))
    summary = st.container(key="progress-summary")
    log_tab, retest_tab, run_tab, data_tab = st.tabs(
        ["Log a session", "Log a re-test", "Log a run", "Your data"])
    with log_tab:
        log_session(journal, *session_exercises(before),
                    names={e.id: e.name for e in before.exercises})
    with retest_tab:
        log_retest(journal)
    with run_tab:
        log_run(journal)

    rows = journal.rows()
    progress = compute_progress(rows, date.today())
    plan = journal_plan(profile, progress)
    with summary:
        st.subheader("Toward the strength gate")
        if plan.referral.required:
            # the recommendation's own referral: the journal's pain and the profile's red
            # flags, with the hold on the whole plan (SPEC §7.3)
            with st.container(key="progress-referral"):
                st.error("**See a clinician first.** " + (plan.referral.note or ""))
                st.markdown("\n".join(f"- {r}" for r in plan.referral.reasons))
        st.markdown("\n".join(f"- {line}" for line in progress_lines(progress, referral=False)))
        if rec is not None:
            gate = plan.gate
            if gate.stability_allowed:
                st.success("With what you logged, stability shoes and insoles are eligible.")
            else:
                st.warning("With what you logged, the gate is still locked: "
                           + "; ".join(gate.unlock_when))
        cal, pain, bal = st.columns(3)
        with cal:
            st.caption("Sessions, last 30 days")
            st.altair_chart(adherence_chart(daily_sessions(rows, date.today())),
                            width="stretch", key="chart-adherence")
        with pain:
            st.caption("Pain")
            values = pain_values(rows)
            if values:
                st.altair_chart(pain_chart(values), width="stretch", key="chart-pain")
            else:
                st.write("No pain logged yet.")
        with bal:
            st.caption(f"Balance (target {BALANCE_MIN_S:g} s)")
            if rows.retests:
                st.altair_chart(balance_chart(journal), width="stretch",
                                key="chart-balance")
            else:
                st.write("No re-test logged yet.")

    with data_tab:
        st.download_button("Download my journal (JSON)",
                           json.dumps(export_json(journal), indent=2, ensure_ascii=False) + "\n",
                           file_name="gaitkeeper-journal.json", mime="application/json",
                           key="journal-download", on_click="ignore",
                           icon=":material/download:")
        st.divider()
        confirm = st.checkbox(f"Delete `{path}` and everything in it, for good",
                              key="forget-confirm")
        delete = st.button("Delete journal", key="journal-forget", disabled=not confirm,
                           type="primary", icon=":material/delete_forever:")

if delete:
    try:
        forget(path)
    except JournalError as exc:
        st.error(str(exc))
    else:
        st.session_state.pop("forget-confirm", None)
        st.success(f"Deleted `{path}`.")
