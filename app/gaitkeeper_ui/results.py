"""The shoe finder's answer: referral first, then the strength gate, the shoes, the charts,
what is locked and why, and the plan. Everything shown is a field of the library's
:class:`~recommender.engine.Recommendation`."""

from __future__ import annotations

import json
import re

import polars as pl
import streamlit as st

from recommender import Profile, Recommendation
from recommender.app_support import split_exclusions
from recommender.catalog import Catalog
from recommender.recommend.report import render_markdown
from recommender.rules import GATE_WEEKS, SAME_MODEL_RULE_ID
from recommender.spec.profile import profile_to_dict

from . import charts
from .common import DISCLAIMER, humanize, shoe_labels

_SUPPORT_COLORS = {"neutral": "green", "stability": "orange", "motion_control": "red"}


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {i}" for i in items)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "runner"


def render_referral(rec: Recommendation) -> None:
    if rec.referral.required:
        st.error("**See a clinician first.** Before you change shoes or training, get this "
                 "knee checked:\n\n" + _bullets(rec.referral.reasons)
                 + "\n\nThe plan below is for after you have been checked.",
                 icon=":material/emergency:")


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
        if g.orthotics_allowed and not g.stability_allowed:
            st.info("Your clinician-prescribed orthotics stay allowed.", icon=":material/medical_services:")
    with right:
        weeks = profile.strength.weeks_consistent or 0
        st.progress(min(weeks / GATE_WEEKS, 1.0),
                    text=f"Strength work: {weeks} of {GATE_WEEKS} weeks")
        st.caption(f"Consistent hip, glute and core work for {GATE_WEEKS} weeks is one of the "
                   "criteria; the single-leg self-tests are the others.")


def render_causes(rec: Recommendation) -> None:
    if not rec.likely_causes:
        return
    st.subheader("What is likely behind it")
    cols = st.columns(min(len(rec.likely_causes), 3))
    for i, cause in enumerate(rec.likely_causes):
        with cols[i % len(cols)].container(border=True):
            st.markdown(f"**{cause.label}**")
            st.caption(_bullets([humanize(e) for e in cause.evidence]))


def render_shoes(rec: Recommendation, cat: Catalog) -> None:
    labels = shoe_labels(cat)
    st.subheader("Top shoes for you", anchor="shoes")
    if not rec.recommendations:
        st.warning("No catalog shoe passes your filters: loosen the price, width or plate "
                   "preferences.")
        return
    per_row = 3
    for start in range(0, len(rec.recommendations), per_row):
        cols = st.columns(per_row)
        for col, (i, shoe) in zip(cols, enumerate(rec.recommendations[start:start + per_row],
                                                  start + 1), strict=False):
            with col.container(border=True, key=f"shoe-card-{i}"):
                st.markdown(f"##### {i}. {labels.get(shoe.shoe_id, shoe.shoe_id)}")
                st.markdown(
                    f":{_SUPPORT_COLORS.get(shoe.support, 'gray')}-badge[{humanize(shoe.support)}]"
                    f" :gray-badge[{humanize(shoe.terrain)}] :blue-badge[Score {shoe.score:.0f}/100]")
                st.markdown(f"**{shoe.drop_mm:g} mm** drop · **{shoe.heel_stack_mm:g} mm** heel "
                            f"stack · **${shoe.msrp_usd:g}**")
                st.markdown(_bullets(shoe.reasons))
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**Why they scored as they did**")
        st.altair_chart(charts.components_chart(rec, labels), width="stretch",
                        key="chart-components")
        st.caption("Each bar is a shoe's score, split into the points each part of the fit "
                   "adds. Hover for the 0–1 fit of each part.")
    with right:
        st.markdown("**The whole catalog: drop vs heel stack**")
        st.altair_chart(charts.catalog_scatter(rec, cat), width="stretch", key="chart-catalog")


def render_locked(rec: Recommendation, cat: Catalog) -> None:
    locked, others = split_exclusions(rec.excluded)
    if not locked and not others:
        return
    labels = shoe_labels(cat)
    st.subheader("Locked for now", anchor="locked")
    if locked:
        st.markdown(f"**{len(locked)} stability or motion-control shoe(s)** are held back by "
                    "*strength before stability*: a corrective shoe can hide weak hips and "
                    "glutes, so the strength work comes first. They unlock when the criteria "
                    "above are met.")
        frame = pl.DataFrame({"Shoe": [labels.get(e.shoe_id, e.shoe_id) for e in locked],
                              "Rule": [e.rule for e in locked],
                              "Why": [e.reason for e in locked]})
        with st.container(key="locked-shoes"):
            st.dataframe(frame, hide_index=True, height=250)
    else:
        st.markdown("Nothing is locked by the strength gate.")
    versions = others.pop(SAME_MODEL_RULE_ID, 0)
    if others:
        st.caption("Also left out by your answers: " + ", ".join(
            f"{n} by {humanize(rule)}" for rule, n in others.items()) + ".")
    if versions:
        st.caption(f"{versions} other version(s) of the models above are not listed: only "
                   "the best-scoring version of each model is shown.")


def render_plan(rec: Recommendation, cat: Catalog) -> None:
    labels = shoe_labels(cat)
    st.subheader("Insoles")
    (st.success if rec.insoles.recommended else st.info)(rec.insoles.reason)

    st.subheader("Running form", anchor="form")
    if rec.form_cues:
        for cue in rec.form_cues:
            st.markdown(f"- {cue.text}")
    else:
        st.markdown("Nothing in your answers calls for a form change.")

    st.subheader("Your exercise plan", anchor="exercises")
    cols = st.columns(2)
    for i, ex in enumerate(rec.exercises):
        with cols[i % 2].container(border=True, key=f"exercise-{ex.id}"):
            st.markdown(f"**{ex.name}**  \n:green[{ex.dose}]")
            st.caption(ex.why)
            if ex.targets:
                st.caption("Areas: " + ", ".join(ex.targets))

    st.subheader("Changing shoes")
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**Transition**")
        (st.warning if rec.transition.needed else st.markdown)(rec.transition.advice)
    with right:
        st.markdown("**Rotation**")
        if rec.rotation:
            st.markdown(f"Second shoe: **{labels.get(rec.rotation.shoe_id, rec.rotation.shoe_id)}**")
            st.markdown(rec.rotation.reason)
        else:
            st.markdown("No second shoe with a different drop passes your filters.")


def render_downloads(rec: Recommendation, profile: Profile) -> None:
    st.subheader("Take it with you")
    name = _slug(rec.runner_id)
    c1, c2, c3 = st.columns(3)
    c1.download_button("Plan (Markdown)", render_markdown(rec), file_name=f"gaitkeeper-{name}.md",
                       mime="text/markdown", key="download-plan-md", on_click="ignore",
                       icon=":material/description:", width="stretch")
    c2.download_button("Plan (JSON)", rec.to_json(), file_name=f"gaitkeeper-{name}.json",
                       mime="application/json", key="download-plan-json", on_click="ignore",
                       icon=":material/data_object:", width="stretch")
    c3.download_button("Your answers (profile JSON)",
                       json.dumps(profile_to_dict(profile), indent=2, ensure_ascii=False) + "\n",
                       file_name=f"profile-{name}.json", mime="application/json",
                       key="download-profile-results", on_click="ignore",
                       icon=":material/person:", width="stretch")
    st.caption(f"{DISCLAIMER} Catalog version {rec.catalog_version}.")


def render_recommendation(rec: Recommendation, profile: Profile, cat: Catalog) -> None:
    render_referral(rec)
    render_gate(rec, profile)
    render_causes(rec)
    render_shoes(rec, cat)
    render_locked(rec, cat)
    render_plan(rec, cat)
    render_downloads(rec, profile)
