"""The shoe finder's answer. Order: referral first (and then the rest of the plan, marked
for after a clinician has cleared the runner), what the plan assumed or could not use, the
top picks, "why not my shoe?", the strength gate, then the causes and the plan, the
charts, what was left out, and the downloads. Everything shown is a field of the library's
:class:`~recommender.Recommendation` (the SPEC §7.3 additions are read defensively from
``to_dict()`` so the page works before and after they land)."""

from __future__ import annotations

import json
import re
from typing import Any

import polars as pl
import streamlit as st

from recommender import Profile, Recommendation
from recommender.app_support import (
    STEPS,
    field_spec,
    rule_words,
    runner_row,
    runners_csv,
    summarise_exclusions,
    why_not,
)
from recommender.catalog import Catalog
from recommender.rules import GATE_WEEKS
from recommender.spec.profile import profile_to_dict
from recommender.spec.vocab import S

from . import pdf
from .common import DISCLAIMER, humanize, shoe_labels

_SUPPORT_COLORS = {"neutral": "green", "stability": "orange", "motion_control": "red"}
ROLE_WORDS = {"daily": "Daily trainer", "max_cushion": "Max cushion", "uptempo": "Uptempo",
              "race": "Race", "trail": "Trail", "trail_race": "Trail race"}


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {i}" for i in items)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "runner"


def step_of(path: str) -> str:
    for i, s in enumerate(STEPS, 1):
        if path in s.paths:
            return f"step {i}, {s.title}"
    return "the questionnaire"


def render_referral(rec: Recommendation) -> None:
    st.error("### See a clinician first\nBefore you change shoes or training, get this knee "
             "checked:\n\n" + _bullets(rec.referral.reasons)
             + "\n\nEverything below is for **after** a clinician has checked you.",
             icon=":material/emergency:")


def render_notes(answers: Any, assumed: list[tuple[str, Any]], data: dict[str, Any]) -> None:
    """Answers that need a fix (left out), answers that contradict each other, and the
    defaults the plan assumed."""
    from .questionnaire import _choice_format, question

    if answers.errors:
        st.warning("**Not used in this plan until fixed** — everything else is:\n\n" + _bullets(
            [f"{question(p).label} ({step_of(p)}): {m}" for p, m in answers.errors.items()]),
            icon=":material/edit:")
    conflicts = data.get("conflicts") or []
    if conflicts:
        st.warning("**Answers that contradict each other:**\n\n" + _bullets(
            [c.get("message", "") for c in conflicts]), icon=":material/compare_arrows:")
    if assumed:
        st.caption("Assumed because you did not say: " + "; ".join(
            f"{question(p).label.rstrip('?')} → **{_choice_format(p)(v)}**" for p, v in assumed)
            + ". Answer these to sharpen the plan.")


def render_shoes(rec: Recommendation, cat: Catalog, data: dict[str, Any]) -> None:
    labels = shoe_labels(cat)
    heading = ("Shoes for after your check-up" if rec.referral.required else
               "Your top shoes")
    st.subheader(heading, anchor="shoes")
    if not rec.recommendations:
        st.warning("No catalog shoe passes your filters: loosen the price, width, plate or "
                   "use preferences.")
        return
    extra = {r.get("shoe_id"): r for r in data.get("recommendations") or []}
    widths = dict(zip(cat.frame.get_column(S.shoe_id).to_list(),
                      cat.frame.get_column(S.widths).to_list(), strict=True))
    advice = {(r.get("transition") or {}).get("advice") for r in extra.values()}
    same_advice = len(advice) <= 1  # then it is said once, under "Changing shoes"
    per_row = 3
    for start in range(0, len(rec.recommendations), per_row):
        cols = st.columns(per_row)
        for col, (i, shoe) in zip(cols, enumerate(rec.recommendations[start:start + per_row],
                                                  start + 1), strict=False):
            more = extra.get(shoe.shoe_id) or {}
            with col.container(border=True, key=f"shoe-card-{i}"):
                st.markdown(f"##### {i}. {labels.get(shoe.shoe_id, shoe.shoe_id)}")
                role = more.get("role")
                st.markdown(
                    f":{_SUPPORT_COLORS.get(shoe.support, 'gray')}-badge[{humanize(shoe.support)}]"
                    f" :gray-badge[{humanize(shoe.terrain)}]"
                    + (f" :violet-badge[{ROLE_WORDS.get(role, humanize(role))}]" if role else "")
                    + f" :blue-badge[Score {shoe.score:.0f}/100]")
                st.markdown(f"**{shoe.drop_mm:g} mm** drop · **{shoe.heel_stack_mm:g} mm** heel "
                            f"stack · **${shoe.msrp_usd:g}** · widths: "
                            + ", ".join(humanize(w) for w in widths.get(shoe.shoe_id) or []))
                st.markdown(_bullets(shoe.reasons))
                transition = more.get("transition") or {}
                if transition.get("advice") and not rec.referral.required and not same_advice:
                    (st.warning if transition.get("needed") else st.caption)(
                        transition["advice"])


def render_why_not(rec: Recommendation, cat: Catalog) -> None:
    labels = shoe_labels(cat)
    with st.expander("Why not my shoe?", icon=":material/help:"):
        pick = st.selectbox("Look up any shoe in the catalog", [None, *cat.ids],
                            key="why-not-shoe", placeholder="Choose a shoe",
                            format_func=lambda v: "Choose a shoe" if v is None else labels[v])
        if pick:
            answer = why_not(rec, pick)
            name = labels.get(pick, pick)
            if answer.status == "recommended":
                st.success(f"**{name}** is number {answer.rank} on your list.")
            elif answer.status == "excluded":
                st.warning(f"**{name}** is left out:\n\n" + _bullets(answer.reasons))
            else:
                st.info(f"**{name}** is eligible for you. " + " ".join(answer.reasons))


def render_gate(rec: Recommendation, profile: Profile) -> None:
    g = rec.gate
    st.subheader("Strength before stability", anchor="gate")
    left, right = st.columns([3, 2], gap="large")
    with left:
        if g.stability_allowed:
            st.success("**Unlocked:** stability shoes and insoles are eligible if your feet or "
                       "knees need them.", icon=":material/lock_open:")
        else:
            st.warning("**Locked for now:** stability and motion-control shoes and insoles "
                       "wait until your strength work is established.", icon=":material/lock:")
        st.markdown(g.reason)
        if g.unlock_when:
            st.markdown("**What unlocks it:**\n\n" + _bullets(g.unlock_when))
        if g.orthotics_allowed and not g.stability_allowed and profile.orthotics.uses:
            st.info("Your clinician-prescribed orthotics stay allowed.",
                    icon=":material/medical_services:")
    with right:
        weeks = profile.strength.weeks_consistent
        if weeks is None:
            st.progress(0.0, text=f"Strength work: not answered ({GATE_WEEKS} weeks needed)")
        elif weeks >= GATE_WEEKS:
            st.progress(1.0, text=f"Strength work: {weeks} weeks — the {GATE_WEEKS} needed "
                        "are done")
        else:
            st.progress(weeks / GATE_WEEKS, text=f"Strength work: {weeks} of {GATE_WEEKS} weeks")
        st.caption(f"Consistent hip, glute and core work for {GATE_WEEKS} weeks is one of the "
                   "criteria; the single-leg self-tests are the others.")


def render_causes(rec: Recommendation) -> None:
    if not rec.likely_causes:
        return
    from .questionnaire import _choice_format, question

    st.subheader("What is likely behind it")
    lines = []
    for c in rec.likely_causes:
        lines.append(f"- **{c.label}**"
                     + (" :orange-badge[Not answered yet]" if c.assumed else "")
                     + f" — {'; '.join(c.evidence)}")
        if c.defaults:  # the library decides what rests on a default; the page only says it
            said = "; ".join(f"{question(p).label.rstrip('?')} → **{_choice_format(p)(d)}** "
                             f"({step_of(p)})" for p, d in
                             ((p, field_spec(p).default) for p in c.defaults))
            lines.append(f"  - *Not answered yet — based on the default:* {said}"
                         if c.assumed else f"  - *Partly based on a default:* {said}")
    st.markdown("\n".join(lines))


def render_plan(rec: Recommendation, cat: Catalog, data: dict[str, Any]) -> None:
    labels = shoe_labels(cat)
    assessment = data.get("assessment") or {}
    if assessment.get("advised"):
        st.warning("**Worth a professional assessment:**\n\n"
                   + _bullets(assessment.get("reasons") or []), icon=":material/stethoscope:")

    st.subheader("Your exercise plan", anchor="exercises")
    cols = st.columns(2)
    for i, ex in enumerate(rec.exercises):
        with cols[i % 2].container(border=True, key=f"exercise-{ex.id}"):
            st.markdown(f"**{ex.name}**  \n:green[{ex.dose}]")
            st.caption(ex.why)
            if ex.targets:
                st.caption("Areas: " + ", ".join(ex.targets))
    names = {e.id: e.name for e in rec.exercises}
    programme = data.get("programme") or []
    if programme:
        st.markdown("**How it progresses**")
        st.dataframe(pl.DataFrame({
            "Phase": [str(p.get("phase", "")) for p in programme],
            "Weeks": [str(p.get("weeks", "")) for p in programme],
            "Sessions a week": [str(p.get("sessions_per_week", "")) for p in programme],
            "Exercises": [", ".join(names.get(x, humanize(x)) for x in p.get("exercises") or [])
                          for p in programme]}), hide_index=True)

    load = data.get("load") or {}
    if load.get("advice") or load.get("pain_rule"):
        st.subheader("Training load and pain")
        if load.get("advice"):
            st.markdown(_bullets(load["advice"]))
        if load.get("pain_rule"):
            st.info(load["pain_rule"], icon=":material/monitor_heart:")

    st.subheader("Running form", anchor="form")
    if rec.form_cues:
        st.markdown(_bullets([c.text for c in rec.form_cues]))
    else:
        st.markdown("Nothing in your answers calls for a form change.")

    st.subheader("Insoles")
    (st.success if rec.insoles.recommended else st.info)(rec.insoles.reason)

    st.subheader("Changing shoes")
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**Transition**")
        if rec.referral.required:
            st.markdown("After your clinician has cleared you.")
        else:
            (st.warning if rec.transition.needed else st.markdown)(rec.transition.advice)
    with right:
        st.markdown("**Rotation**")
        if rec.rotation:
            st.markdown(f"Second shoe: **{labels.get(rec.rotation.shoe_id, rec.rotation.shoe_id)}**")
            st.markdown(rec.rotation.reason)
        else:
            st.markdown("No second shoe with a different drop passes your filters.")


def render_charts(rec: Recommendation, cat: Catalog) -> None:
    from . import charts

    if not rec.recommendations:
        return
    labels = shoe_labels(cat)
    with st.expander("How the top shoes scored, and the whole catalog",
                     icon=":material/bar_chart:"):
        st.altair_chart(charts.components_chart(rec, labels), width="stretch",
                        key="chart-components")
        st.caption("Each bar is a shoe's score, split into the points each part of the fit "
                   "adds. The table below lists the same numbers.")
        with st.container(key="points-table"):
            st.dataframe(charts.points_table(rec, labels), hide_index=True)
        st.markdown("**The whole catalog: drop vs heel stack**")
        st.altair_chart(charts.catalog_scatter(rec, cat), width="stretch", key="chart-catalog")


def render_left_out(rec: Recommendation, cat: Catalog) -> None:
    labels = shoe_labels(cat)
    model_of = {r[S.shoe_id]: f"{r[S.brand]} {r[S.model]}" for r in
                cat.frame.select(S.shoe_id, S.brand, S.model).iter_rows(named=True)}
    ex = summarise_exclusions(rec, model_of)
    if not rec.excluded:
        return
    st.subheader("What was left out, and why", anchor="locked")
    if ex.locked:
        st.markdown(f"**Locked for now — {len(ex.locked)} stability or motion-control shoe(s)** "
                    "that would otherwise fit you are held back by *strength before stability*: "
                    "a corrective shoe can hide weak hips and glutes, so the strength work comes "
                    "first. They unlock when the criteria above are met.")
        frame = pl.DataFrame({"Shoe": [labels.get(e.shoe_id, e.shoe_id) for e in ex.locked],
                              "Why": [e.reason for e in ex.locked]})
        with st.container(key="locked-shoes"):
            st.dataframe(frame, hide_index=True, height=250)
    elif rec.gate.stability_allowed:
        st.markdown("Nothing is locked: strength before stability is met.")
    else:
        st.markdown("No stability shoe that would otherwise fit you is locked.")
    if ex.left_out_shoes:
        st.caption(f"{ex.left_out_shoes} shoe(s) do not fit your answers (some for more than "
                   "one reason): " + ", ".join(f"{n} {rule_words(rule)}"
                                                for rule, n in ex.left_out.items()) + ".")
    if ex.versions_of_shown or ex.versions_other:
        parts = []
        if ex.versions_of_shown:
            parts.append(f"{ex.versions_of_shown} other version(s) of the shoes above")
        if ex.versions_other:
            parts.append(f"{ex.versions_other} version(s) of other models")
        st.caption(" and ".join(parts) + " are not listed: one version per model, the "
                   "best-scoring one.")


def render_downloads(rec: Recommendation, profile: Profile) -> None:
    st.subheader("Take it with you")
    name = _slug(rec.runner_id)
    markdown = rec.to_markdown()
    c1, c2, c3, c4 = st.columns(4)
    # deferred: the PDF (about half a second of layout) is made only when it is clicked,
    # not on every rerun of the plan
    c1.download_button("Plan (PDF)", (lambda: pdf.markdown_to_pdf(markdown))
                       if pdf.available() else b"",
                       file_name=f"gaitkeeper-{name}.pdf", mime="application/pdf",
                       key="download-plan-pdf", on_click="ignore", disabled=not pdf.available(),
                       icon=":material/picture_as_pdf:", width="stretch",
                       help=None if pdf.available() else "Install the app extra (fpdf2).")
    c2.download_button("Plan (Markdown)", markdown, file_name=f"gaitkeeper-{name}.md",
                       mime="text/markdown", key="download-plan-md", on_click="ignore",
                       icon=":material/description:", width="stretch")
    c3.download_button("Plan (JSON)", rec.to_json(), file_name=f"gaitkeeper-{name}.json",
                       mime="application/json", key="download-plan-json", on_click="ignore",
                       icon=":material/data_object:", width="stretch")
    c4.download_button("My profile as a store runners row (CSV)", runners_csv([runner_row(profile)]),
                       file_name=f"runner-{name}.csv", mime="text/csv",
                       key="download-runner-row", on_click="ignore", icon=":material/table:",
                       width="stretch",
                       help="One row for a store's runners file (Store inventory page).")
    st.download_button("My answers (profile JSON)",
                       json.dumps(profile_to_dict(profile), indent=2, ensure_ascii=False) + "\n",
                       file_name=f"profile-{name}.json", mime="application/json",
                       key="download-profile-results", on_click="ignore",
                       icon=":material/person:")
    st.caption(f"{DISCLAIMER} Catalog version {rec.catalog_version}.")


def render_recommendation(rec: Recommendation, profile: Profile, cat: Catalog,
                          answers: Any = None, assumed: list[tuple[str, Any]] | None = None
                          ) -> None:
    data = rec.to_dict()
    if rec.referral.required:
        render_referral(rec)
        body = st.expander("The plan for after you have been checked", expanded=False,
                           icon=":material/event_upcoming:")
    else:
        body = st.container()
    with body:
        if answers is not None:
            render_notes(answers, assumed or [], data)
        render_shoes(rec, cat, data)
        render_why_not(rec, cat)
        render_gate(rec, profile)
        render_causes(rec)
        render_plan(rec, cat, data)
        render_charts(rec, cat)
        render_left_out(rec, cat)
    render_downloads(rec, profile)
