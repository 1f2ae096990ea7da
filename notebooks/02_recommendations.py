# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 — The engine across the sample cohort
#
# `data/runners.csv` holds SYNTHETIC runners (`gaitkeeper synth-runners`). Here the library
# is run over them, and only the library decides:
#
# - **the plan for the whole cohort at once** — `features.derive` + `plan.evaluate` give
#   one wide row per runner (gate, referral, causes, cues, exercises);
# - **shoe recommendations** — `recommend()` per runner on a seeded sample (`n_runners`);
# - **a what-if** — the same sample with 0 → 12 weeks of strength work
#   (`profile.replace`), re-recommended week by week.
#
# Segments are the library's own (`batch.segment_exprs`: gate, terrain, width, size band,
# drop need), so the numbers line up with the store's coverage report.

# %%

import altair as alt
import polars as pl
from IPython.display import Markdown, display

from recommender import DATA_DIR, load_catalog, recommend, validate_path
from recommender.batch import SEGMENTS
from recommender.batch.coverage import segment_exprs
from recommender.core import plan
from recommender.core.features import derive
from recommender.rules import CAUSES, CUES, EXERCISES, GATE_CRITERIA, GATE_RULE_ID
from recommender.rules.expr import F
from recommender.spec.profile import profiles_to_frame
from recommender.spec.vocab import SUPPORTS, R
from recommender.validate.profile import profile_from_flat, replace

# %% tags=["parameters"]
n_runners = 300  # runners given a full recommend() (seeded sample of the cohort)
n_whatif = 60  # runners followed through the strength what-if (taken from that sample)
whatif_weeks = list(range(0, 13))  # weeks of consistent hip/glute/core work to try
top = 5  # shoes per recommendation
seed = 20261125


# %%
def share(expr: pl.Expr) -> pl.Expr:
    """Share of rows where a boolean column is true (nulls count as false)."""
    return expr.fill_null(False).mean()


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f} %"


pl.Config.set_tbl_rows(30)
pl.Config.set_tbl_cols(16)
catalog = load_catalog(DATA_DIR / "shoes.csv")

# %% [markdown]
# ## The cohort, read and validated by the library

# %%
report = validate_path(DATA_DIR / "runners.csv", "runners", catalog=catalog)
print(report.render(limit=10))
runners = report.frame
print(f"{runners.height} valid runners of {report.n_rows} rows; "
      f"{report.problems.height} problems")

# %% [markdown]
# ## The plan for everyone at once
#
# `plan.evaluate` returns booleans per cause, cue and exercise, plus the gate state
# (`f_established`), the referral flag and the insole decision. The segments come from
# the same derived features.

# %%
features = derive(runners, catalog.frame)
cohort = plan.evaluate(features)
segments = features.select(R.runner_id, *segment_exprs()).collect()
cohort = cohort.join(segments, on=R.runner_id, how="left")
n = cohort.height
headline = cohort.select(
    pl.len().alias("runners"),
    share(~pl.col(F.established)).alias("gate locked"),
    share(pl.col(F.referral)).alias("referral"),
    share(pl.col(F.insole)).alias("insole"),
    share(pl.col(F.needs_support)).alias("needs support"),
    share(pl.col(F.has_pain)).alias("knee pain"),
)
display(headline)
H = headline.row(0, named=True)

# %% [markdown]
# Which gate criteria are unmet (from the criteria declared in `knowledge.GATE_CRITERIA`;
# a runner can miss more than one):

# %%
criteria = features.select(*[(~c.met).alias(c.id) for c in GATE_CRITERIA]).collect()
unmet = pl.DataFrame({
    "criterion": [c.id for c in GATE_CRITERIA],
    "runners not meeting it": [int(criteria[c.id].sum()) for c in GATE_CRITERIA],
}).with_columns((pl.col("runners not meeting it") / n).round(3).alias("share"))
display(unmet)

# %% [markdown]
# Gate-locked share by segment:

# %%
locked_by_segment = pl.concat([
    cohort.group_by(seg).agg(pl.len().alias("runners"),
                             share(~pl.col(F.established)).alias("locked"))
    .select(pl.lit(seg).alias("segment"), pl.col(seg).alias("value"), "runners", "locked")
    for seg in SEGMENTS if seg != "gate"
]).sort("segment", "value")
display(alt.Chart(locked_by_segment).mark_bar()
        .encode(x=alt.X("locked:Q", title="share gate-locked", axis=alt.Axis(format="%"),
                        scale=alt.Scale(domain=[0, 1])),
                y=alt.Y("value:N", title=None),
                row=alt.Row("segment:N", title=None),
                tooltip=["segment", "value", "runners", alt.Tooltip("locked:Q", format=".1%")])
        .properties(width=320, height=alt.Step(16))
        .resolve_scale(y="independent"))

# %% [markdown]
# ### Causes, form cues and exercises most often found

# %%
def frequencies(prefix: str, ids: list[str], kind: str) -> pl.DataFrame:
    return pl.DataFrame({
        "kind": kind, "id": ids,
        "runners": [int(cohort[f"{prefix}{i}"].sum()) for i in ids],
    }).with_columns((pl.col("runners") / n).alias("share")).sort("runners", descending=True)


causes = frequencies(plan.CAUSE, [c.id for c in CAUSES], "cause")
cues = frequencies(plan.CUE, [c.id for c in CUES], "form cue")
exercises = frequencies(plan.EXERCISE, [e.id for e in EXERCISES], "exercise")
found = pl.concat([causes, cues, exercises])
display(alt.Chart(found).mark_bar()
        .encode(x=alt.X("share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
                y=alt.Y("id:N", sort="-x", title=None),
                row=alt.Row("kind:N", title=None),
                tooltip=["id", "runners", alt.Tooltip("share:Q", format=".1%")])
        .properties(width=340, height=alt.Step(15))
        .resolve_scale(y="independent"))
cohort_cause_count = cohort.select(
    pl.sum_horizontal([pl.col(f"{plan.CAUSE}{c.id}") for c in CAUSES]).alias("causes"))
print(f"likely causes per runner: median {cohort_cause_count['causes'].median():g}, "
      f"max {cohort_cause_count['causes'].max()}")

# %% [markdown]
# ## Shoe recommendations for a seeded sample (`recommend()` per runner)

# %%
sample = runners.sample(n=min(n_runners, runners.height), seed=seed).sort(R.runner_id)
profiles = [profile_from_flat(row) for row in sample.iter_rows(named=True)]


def summarise(rec) -> dict:
    shoes = rec.recommendations
    first = shoes[0] if shoes else None
    return {
        R.runner_id: rec.runner_id,
        "stability_allowed": rec.gate.stability_allowed,
        "referral": rec.referral.required,
        "insole": rec.insoles.recommended,
        "n_shoes": len(shoes),
        "top_shoe": first.shoe_id if first else None,
        "top_support": first.support if first else None,
        "top_drop": first.drop_mm if first else None,
        "top_score": first.score if first else None,
        "supportive_in_top": sum(s.support != "neutral" for s in shoes),
        "transition": rec.transition.needed,
        "rotation": rec.rotation is not None,
        "gate_exclusions": sum(x.rule == GATE_RULE_ID for x in rec.excluded),
    }


recs = pl.DataFrame([summarise(recommend(p, catalog, top=top)) for p in profiles])
recs = recs.join(cohort.select(R.runner_id, F.current_drop, F.drop_target, *SEGMENTS),
                 on=R.runner_id, how="left").with_columns(
    (pl.col("top_drop") - pl.col(F.current_drop)).alias("drop_change"))
display(recs.select(R.runner_id, "gate", "referral", "insole", "top_shoe", "top_support",
                    "top_drop", F.current_drop, "drop_change", "transition").head(8))

# %% [markdown]
# The defining rule, checked on the output (not re-implemented): no gate-locked runner
# gets a stability or motion-control shoe anywhere in the top N.

# %%
violations = recs.filter(~pl.col("stability_allowed") & (pl.col("supportive_in_top") > 0))
print(f"locked runners with a stability/motion-control shoe recommended: {violations.height}")
no_shoe = recs.filter(pl.col("n_shoes") == 0)
print(f"runners with no eligible shoe at all: {no_shoe.height}")
locked_insole = recs.filter(~pl.col("stability_allowed") & pl.col("insole")).join(
    sample.select(R.runner_id, R.orthotics_prescribed), on=R.runner_id)
n_prescribed = int(locked_insole[R.orthotics_prescribed].fill_null(False).sum())
print(f"locked runners told to use an insole: {locked_insole.height}, of whom "
      f"{n_prescribed} have clinician-prescribed orthotics (the gate's exception)")

# %% [markdown]
# Support class of the top pick, by gate state and by terrain:

# %%
top_support = (recs.filter(pl.col("top_support").is_not_null())
               .group_by("gate", "terrain", "top_support").agg(pl.len().alias("runners")))
display(alt.Chart(top_support).mark_bar()
        .encode(x=alt.X("runners:Q", stack="normalize", title="share of runners",
                        axis=alt.Axis(format="%")),
                y=alt.Y("terrain:N", title=None),
                row=alt.Row("gate:N", title="gate"),
                color=alt.Color("top_support:N", sort=list(SUPPORTS), title="top pick"),
                tooltip=["gate", "terrain", "top_support", "runners"])
        .properties(width=320, height=alt.Step(18)))
support_by_gate = (recs.group_by("gate")
                   .agg(pl.len().alias("runners"),
                        *[share(pl.col("top_support") == s).alias(f"top {s}") for s in SUPPORTS],
                        share(pl.col("insole")).alias("insole"),
                        share(pl.col("supportive_in_top") > 0).alias("any supportive in top"))
                   .sort("gate"))
display(support_by_gate)

# %% [markdown]
# Recommended drop by drop need, and the change from the current shoe:

# %%
drops = (recs.filter(pl.col("top_drop").is_not_null())
         .group_by("drop_need")
         .agg(pl.len().alias("runners"),
              pl.col(F.current_drop).median().alias("median current drop"),
              pl.col("top_drop").median().alias("median recommended drop"),
              pl.col("drop_change").mean().round(2).alias("mean change"),
              share(pl.col("drop_change") < 0).alias("lower"),
              share(pl.col("drop_change") == 0).alias("same"),
              share(pl.col("drop_change") > 0).alias("higher"),
              share(pl.col("transition")).alias("transition advised"))
         .sort("drop_need"))
display(drops)
display(alt.Chart(recs.filter(pl.col("drop_change").is_not_null())
                  .group_by("drop_change", "drop_need").agg(pl.len().alias("runners")))
        .mark_bar(size=9)
        .encode(x=alt.X("drop_change:Q", title="recommended − current drop (mm)",
                        scale=alt.Scale(nice=False, padding=8)),
                y=alt.Y("runners:Q", title="runners"),
                color=alt.Color("drop_need:N", title="drop need"),
                tooltip=["drop_need", "drop_change", "runners"])
        .properties(width=420, height=220, title="top pick's drop vs the current shoe"))

# %% [markdown]
# ## What-if: 0 → 12 weeks of strength work
#
# The first `n_whatif` runners of the sample are replayed with `strength.weeks_consistent`
# set to each value of `whatif_weeks`; the scenario is that each starts with no routine
# (`status = weak` at week 0) and then builds it (`status = building` from week 1). Their
# single-leg squat and balance answers are kept as they are, so some stay locked whatever
# the weeks: the gate asks for strength *shown*, not only time spent.

# %%
base = profiles[: min(n_whatif, len(profiles))]
rows, gate_rows = [], []
for weeks in whatif_weeks:
    status = "weak" if weeks == 0 else "building"
    week_profiles = [replace(p, **{"strength.weeks_consistent": weeks, "strength.status": status})
                     for p in base]
    for p in week_profiles:
        rows.append({"weeks": weeks, **summarise(recommend(p, catalog, top=top))})
    week_features = derive(profiles_to_frame(week_profiles), catalog.frame)
    gate_rows.append(week_features.select(
        pl.lit(weeks).alias("weeks"),
        *[(~c.met).sum().alias(c.id) for c in GATE_CRITERIA]).collect())
whatif = pl.DataFrame(rows)
still_unmet = pl.concat(gate_rows)
trend = (whatif.group_by("weeks")
         .agg(share(pl.col("stability_allowed")).alias("gate open"),
              share(pl.col("insole")).alias("insole recommended"),
              share(pl.col("top_support") != "neutral").alias("top pick stability/MC"),
              share(pl.col("supportive_in_top") > 0).alias("any stability/MC in top"))
         .sort("weeks"))
display(trend)
display(alt.Chart(trend.unpivot(index="weeks", variable_name="measure", value_name="share"))
        .mark_line(point=True)
        .encode(x=alt.X("weeks:Q", title="weeks of consistent strength work"),
                y=alt.Y("share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
                color="measure:N", tooltip=["weeks", "measure", alt.Tooltip("share:Q", format=".1%")])
        .properties(width=420, height=240, title=f"{len(base)} runners, week by week"))
display(alt.Chart(whatif.filter(pl.col("top_support").is_not_null())
                  .group_by("weeks", "top_support").agg(pl.len().alias("runners")))
        .mark_bar()
        .encode(x=alt.X("weeks:O", title="weeks of consistent strength work"),
                y=alt.Y("runners:Q", stack="normalize", axis=alt.Axis(format="%"),
                        title="share of runners"),
                color=alt.Color("top_support:N", sort=list(SUPPORTS), title="top pick"),
                tooltip=["weeks", "top_support", "runners"])
        .properties(width=420, height=180, title="support class of the top pick"))
display(still_unmet)

# %% [markdown]
# ## Conclusions

# %%
c_top = causes.row(0, named=True)
e_top = exercises.row(0, named=True)
q_top = cues.row(0, named=True)
locked_seg = locked_by_segment.sort("locked", descending=True).row(0, named=True)
G = {r["gate"]: r for r in support_by_gate.iter_rows(named=True)}
unlocked, locked = G.get("unlocked"), G.get("strength first")
lower_need = drops.filter(pl.col("drop_need") == "lower drop")
first_week, last_week = trend.row(0, named=True), trend.row(-1, named=True)
opened = trend.filter(pl.col("gate open") > first_week["gate open"])
first_open = opened.row(0, named=True)["weeks"] if opened.height else None
last_unmet = still_unmet.row(-1, named=True)
lines = [
    f"- Cohort of **{n} valid synthetic runners** ({report.problems.height} validation "
    f"problems). **{pct(H['gate locked'])} are gate-locked** (strength not yet established), "
    f"{pct(H['referral'])} need a clinician referral first, {pct(H['insole'])} get an insole.",
    "- Unmet gate criteria: "
    + ", ".join(f"{r['criterion']} ({pct(r['share'])})" for r in unmet.iter_rows(named=True))
    + f". Highest locked share in a segment: {locked_seg['segment']} = {locked_seg['value']} "
    f"({pct(locked_seg['locked'])} of {locked_seg['runners']}).",
    f"- Most frequent likely cause: **{c_top['id']}** ({pct(c_top['share'])}); most frequent "
    f"exercise: **{e_top['id']}** ({pct(e_top['share'])}); most frequent form cue: "
    f"**{q_top['id']}** ({pct(q_top['share'])}).",
    f"- In the recommend() sample of {recs.height}: locked runners with a stability or "
    f"motion-control shoe in their top {top}: **{violations.height}**; runners with no "
    f"eligible shoe: {no_shoe.height}.",
]
if locked is not None:
    lines.append(
        f"- Locked runners ({locked['runners']}) get a neutral top pick "
        f"({pct(locked['top neutral'])}; the rest have no eligible shoe). "
        f"{pct(locked['insole'])} of them are told to use an insole — {n_prescribed} of those "
        f"{locked_insole.height} keep clinician-prescribed orthotics, the gate's one exception.")
if unlocked is not None:
    lines.append(
        f"- Among unlocked runners ({unlocked['runners']}) the top pick is stability "
        f"{pct(unlocked['top stability'])}, motion control {pct(unlocked['top motion_control'])}, "
        f"neutral {pct(unlocked['top neutral'])}; {pct(unlocked['insole'])} get an insole.")
if lower_need.height:
    low = lower_need.row(0, named=True)
    lines.append(
        f"- Runners who need a lower drop ({low['runners']}) go from a median "
        f"{low['median current drop']:g} mm to {low['median recommended drop']:g} mm (mean change "
        f"{low['mean change']:+.1f} mm); {pct(low['transition advised'])} are told to transition "
        "gradually.")
lines.append(
    f"- What-if ({len(base)} runners): the gate is open for {pct(first_week['gate open'])} at "
    f"week {first_week['weeks']} and {pct(last_week['gate open'])} at week {last_week['weeks']}"
    + (f", first rising at week {first_open}" if first_open is not None else "")
    + f"; insoles go from {pct(first_week['insole recommended'])} to "
    f"{pct(last_week['insole recommended'])}, a stability/MC top pick from "
    f"{pct(first_week['top pick stability/MC'])} to {pct(last_week['top pick stability/MC'])}. "
    f"At week {last_week['weeks']} still unmet: "
    + ", ".join(f"{c.id} {last_unmet[c.id]}" for c in GATE_CRITERIA) + " runners.")
display(Markdown("\n".join(lines)))
