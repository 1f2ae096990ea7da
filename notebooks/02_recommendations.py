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
# - **the plan for the whole cohort at once** — `plan_cohort` gives every runner's gate,
#   referral and insole decision, and one row per cause, cue, exercise and gate criterion;
# - **shoe recommendations** — `recommend()` per runner on a seeded sample (`n_runners`);
# - **a what-if** — the same sample with 0 → 12 weeks of strength work (the profile's
#   answers changed and re-parsed with `parse_profile`), re-recommended week by week.
#
# Segments: gate state (from the plan), terrain, width and size band (the store's
# coverage segments, `recommender.rules.SEGMENTS`, where they read only the runner's own
# answers) and the direction of the plan's drop target against the current shoe.

# %%
import json
from pathlib import Path

import altair as alt
import polars as pl
from IPython.display import Markdown, display

from recommender import (
    DATA_DIR,
    Profile,
    load_catalog,
    load_profile,
    parse_profile,
    plan_cohort,
    profile_from_flat,
    profile_to_dict,
    recommend,
    validate_path,
)
from recommender.rules import GATE_CRITERIA, GATE_RULE_ID
from recommender.rules import SEGMENTS as STORE_SEGMENTS
from recommender.spec.vocab import SUPPORTS, R

# %% tags=["parameters"]
n_runners = 300  # runners given a full recommend() (seeded sample of the cohort)
n_whatif = 60  # runners followed through the strength what-if (taken from that sample)
whatif_weeks = list(range(0, 13))  # weeks of consistent hip/glute/core work to try
top = 5  # shoes per recommendation
seed = 20261125
n_ranking = 300  # first runners of runners.csv in the ranking before/after (issue 12)
before_path = "data/ranking_before_v1.json"  # the v1 numbers (from notebooks/ or the root)


# %%
def share(expr: pl.Expr) -> pl.Expr:
    """Share of rows where a boolean column is true (nulls count as false)."""
    return expr.fill_null(False).mean()


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f} %"


def nested(row: dict) -> dict:
    """A flat runner row (SPEC §2.2) → the nested JSON object of SPEC §2.1."""
    return profile_to_dict(profile_from_flat({k: v for k, v in row.items() if v is not None}))


def with_answers(data: dict, **changes: object) -> dict:
    """A copy of a nested profile with dotted-path answers changed (checked on parsing)."""
    out = json.loads(json.dumps(data))
    for dotted, value in changes.items():
        *heads, leaf = dotted.split(".")
        node = out
        for head in heads:
            node = node.setdefault(head, {})
        node[leaf] = value
    return out


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
# `plan_cohort` returns one row per runner (gate state `stability_allowed`, referral,
# insole decision, drop target) and long tables of causes, cues, exercises and gate
# criteria. The segments are built from the plan and the runners' own answers.

# %%
plans = plan_cohort(runners, catalog)
# the current shoe's drop: as stated, else the catalog's for the named current shoe
current = runners.join(
    catalog.frame.select(pl.col("shoe_id").alias(R.current_shoe_id),
                         pl.col("drop_mm").alias("catalog_drop")),
    on=R.current_shoe_id, how="left").select(
    R.runner_id, pl.coalesce(R.current_drop_mm, "catalog_drop").alias("current_drop"))
# store segments that read only the runner's answers (no derived feature)
own = [seg for seg in STORE_SEGMENTS
       if set(seg.value.meta.root_names()) <= set(runners.columns)]
cohort = (plans.runners
          .join(runners.select(R.runner_id, *[seg.value.alias(seg.id) for seg in own]),
                on=R.runner_id, how="left")
          .join(current, on=R.runner_id, how="left")
          .with_columns(
              pl.when(pl.col("stability_allowed")).then(pl.lit("unlocked"))
              .otherwise(pl.lit("strength first")).alias("gate"),
              pl.when(pl.col("current_drop").is_null()).then(pl.lit("current unknown"))
              .when(pl.col("drop_target_mm") < pl.col("current_drop")).then(pl.lit("lower"))
              .when(pl.col("drop_target_mm") > pl.col("current_drop")).then(pl.lit("higher"))
              .otherwise(pl.lit("keep")).alias("drop_target")))
SEGMENTS = ["gate", *[seg.id for seg in own], "drop_target"]
print(f"segments: {', '.join(SEGMENTS)}")
n = cohort.height
headline = cohort.select(
    pl.len().alias("runners"),
    share(~pl.col("stability_allowed")).alias("gate locked"),
    share(pl.col("referral")).alias("referral"),
    share(pl.col("insole")).alias("insole"),
    share(pl.col("has_pain")).alias("knee pain"),
)
display(headline)
H = headline.row(0, named=True)

# %% [markdown]
# Which gate criteria are unmet (`CohortPlan.gate`, one row per runner and criterion
# declared in `recommender.rules.GATE_CRITERIA`; a runner can miss more than one):

# %%
def unmet_counts(gate: pl.DataFrame) -> dict[str, int]:
    counts = dict(gate.filter(~pl.col("met")).group_by("criterion").len().iter_rows())
    return {c.id: int(counts.get(c.id, 0)) for c in GATE_CRITERIA}


unmet = pl.DataFrame({
    "criterion": [c.id for c in GATE_CRITERIA],
    "runners not meeting it": list(unmet_counts(plans.gate).values()),
}).with_columns((pl.col("runners not meeting it") / n).round(3).alias("share"))
display(unmet)

# %% [markdown]
# Gate-locked share by segment:

# %%
locked_by_segment = pl.concat([
    cohort.group_by(seg).agg(pl.len().alias("runners"),
                             share(~pl.col("stability_allowed")).alias("locked"))
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
causes = plans.shares("causes").with_columns(pl.lit("cause").alias("kind"))
cues = plans.shares("cues").with_columns(pl.lit("form cue").alias("kind"))
exercises = plans.shares("exercises").with_columns(pl.lit("exercise").alias("kind"))
found = pl.concat([causes, cues, exercises])
display(alt.Chart(found).mark_bar()
        .encode(x=alt.X("share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
                y=alt.Y("id:N", sort="-x", title=None),
                row=alt.Row("kind:N", title=None),
                tooltip=["id", "runners", alt.Tooltip("share:Q", format=".1%")])
        .properties(width=340, height=alt.Step(15))
        .resolve_scale(y="independent"))
cohort_cause_count = cohort.select(R.runner_id).join(
    plans.causes.group_by(R.runner_id).agg(pl.len().alias("causes")), on=R.runner_id,
    how="left").with_columns(pl.col("causes").fill_null(0))
print(f"likely causes per runner: median {cohort_cause_count['causes'].median():g}, "
      f"max {cohort_cause_count['causes'].max()}")

# %% [markdown]
# ## Shoe recommendations for a seeded sample (`recommend()` per runner)

# %%
sample = runners.sample(n=min(n_runners, runners.height), seed=seed).sort(R.runner_id)
answers = [nested(row) for row in sample.iter_rows(named=True)]
profiles = [parse_profile(a) for a in answers]


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
recs = recs.join(cohort.select(R.runner_id, "current_drop", "drop_target_mm", *SEGMENTS),
                 on=R.runner_id, how="left").with_columns(
    (pl.col("top_drop") - pl.col("current_drop")).alias("drop_change"))
display(recs.select(R.runner_id, "gate", "referral", "insole", "top_shoe", "top_support",
                    "top_drop", "current_drop", "drop_change", "transition").head(8))

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
# Recommended drop by the plan's drop target (lower than, equal to or higher than the
# current shoe), and the change from the current shoe:

# %%
drops = (recs.filter(pl.col("top_drop").is_not_null())
         .group_by("drop_target")
         .agg(pl.len().alias("runners"),
              pl.col("current_drop").median().alias("median current drop"),
              pl.col("top_drop").median().alias("median recommended drop"),
              pl.col("drop_change").mean().round(2).alias("mean change"),
              share(pl.col("drop_change") < 0).alias("lower"),
              share(pl.col("drop_change") == 0).alias("same"),
              share(pl.col("drop_change") > 0).alias("higher"),
              share(pl.col("transition")).alias("transition advised"))
         .sort("drop_target"))
display(drops)
display(alt.Chart(recs.filter(pl.col("drop_change").is_not_null())
                  .group_by("drop_change", "drop_target").agg(pl.len().alias("runners")))
        .mark_bar(size=9)
        .encode(x=alt.X("drop_change:Q", title="recommended − current drop (mm)",
                        scale=alt.Scale(nice=False, padding=8)),
                y=alt.Y("runners:Q", title="runners"),
                color=alt.Color("drop_target:N", title="drop target"),
                tooltip=["drop_target", "drop_change", "runners"])
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
base = answers[: min(n_whatif, len(answers))]
rows, gate_rows = [], []
for weeks in whatif_weeks:
    status = "weak" if weeks == 0 else "building"
    week_profiles = [parse_profile(with_answers(
        a, **{"strength.weeks_consistent": weeks, "strength.status": status})) for a in base]
    for p in week_profiles:
        rows.append({"weeks": weeks, **summarise(recommend(p, catalog, top=top))})
    gate_rows.append({"weeks": weeks, **unmet_counts(plan_cohort(week_profiles, catalog).gate)})
whatif = pl.DataFrame(rows)
still_unmet = pl.DataFrame(gate_rows)
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
# ## Ranking quality, before vs after (issue 12)
#
# Four measures of the shortlists, on the shipped example profiles (`DATA_DIR / "profiles"`)
# and the first `n_ranking` runners of `DATA_DIR / "runners.csv"` (parsed as above), top
# `top`:
#
# - **daily shortlists with a racer** — share of the non-empty shortlists of runners whose
#   use is `daily` that hold a shoe with role `race` or `trail_race`, or a carbon plate;
# - **median #1 − #5 gap** — median score difference between the first and the fifth pick
#   (shortlists with five picks; scores on the engine's 0–100 scale);
# - **distinct reason lists per top 5** — mean number of different per-shoe reason lists;
# - **superseded share** — share of all picks whose catalog row has a newer version
#   (`superseded_by`).
#
# *Before* is the v1 engine (commit `53d5939`) on its own shipped profiles and the first 300
# rows of its own sample cohort, measured once and kept with how it was measured in
# `notebooks/data/ranking_before_v1.json`; its picks are classified with this catalog's
# role, plate and `superseded_by`. v1 had no `use` answer, so all its shortlists count as
# daily; the *after, daily only* column restricts the current run the same way.

# %%
RACE_ROLES = ("race", "trail_race")
FACTS = {r["shoe_id"]: r for r in catalog.frame.select(
    "shoe_id", "role", "plate", "superseded_by").iter_rows(named=True)}
example_paths = sorted((DATA_DIR / "profiles").glob("*.json"))
ranking_profiles = [load_profile(path) for path in example_paths] + [
    parse_profile(nested(row)) for row in runners.head(n_ranking).iter_rows(named=True)]


def shortlist_row(profile: Profile) -> dict:
    shoes = recommend(profile, catalog, top=top).recommendations
    facts = [FACTS[s.shoe_id] for s in shoes]
    return {
        R.runner_id: profile.runner_id,
        "use": profile.preferences.use,
        "n_shoes": len(shoes),
        "racer": any(f["role"] in RACE_ROLES or f["plate"] == "carbon" for f in facts),
        "racer_role": any(f["role"] in RACE_ROLES for f in facts),
        "gap_1_5": shoes[0].score - shoes[top - 1].score if len(shoes) >= top else None,
        "distinct_reasons": len({tuple(s.reasons) for s in shoes}),
        "superseded": sum(bool(f["superseded_by"]) for f in facts),
    }


def ranking_metrics(frame: pl.DataFrame) -> dict:
    daily = frame.filter(pl.col("use") == "daily")
    rounded = lambda x, k=4: None if x is None else round(float(x), k)  # noqa: E731
    return {
        "daily_with_racer_share": rounded(daily["racer"].mean()),
        "daily_with_racer_role_only_share": rounded(daily["racer_role"].mean()),
        "median_gap_1_5": rounded(frame["gap_1_5"].median(), 2),
        "mean_distinct_reason_lists": rounded(frame["distinct_reasons"].mean(), 3),
        "superseded_share": rounded(frame["superseded"].sum() / max(frame["n_shoes"].sum(), 1)),
    }


shortlists = pl.DataFrame([shortlist_row(p) for p in ranking_profiles],
                          schema_overrides={"gap_1_5": pl.Float64})
ranked = shortlists.filter(pl.col("n_shoes") > 0)
ranked_daily = ranked.filter(pl.col("use") == "daily")
after = ranking_metrics(ranked)
after_daily = ranking_metrics(ranked_daily)
before_file = next((p for p in (Path(before_path), Path("notebooks") / before_path)
                    if p.is_file()), None)
if before_file is None:
    raise FileNotFoundError(f"{before_path}: the v1 numbers (issue 12) are missing")
before = json.loads(before_file.read_text(encoding="utf-8"))
B = before["metrics"]
print(f"before: {before['measured']['engine']}, measured {before['measured']['date']}; "
      f"{before['runners']} runners, {before['daily_shortlists']} shortlists, "
      f"{before['picks']} picks, {before['unknown_role_picks']} of unknown role")
print(f"after: recommender (this checkout); {len(ranking_profiles)} runners "
      f"({len(example_paths)} examples + {len(ranking_profiles) - len(example_paths)} of the "
      f"cohort), {ranked.height} non-empty shortlists ({ranked_daily.height} daily), "
      f"{ranked['n_shoes'].sum()} picks")
LABELS = {
    "daily_with_racer_share": "daily shortlists with a racer (role or carbon plate)",
    "daily_with_racer_role_only_share": "daily shortlists with a race/trail_race role",
    "median_gap_1_5": "median score gap #1 − #5",
    "mean_distinct_reason_lists": "distinct reason lists per top 5 (mean)",
    "superseded_share": "share of picks that are superseded versions",
}
comparison = pl.DataFrame({
    "measure": list(LABELS.values()),
    "before (v1)": [B[k] for k in LABELS],
    "after": [after[k] for k in LABELS],
    "after, daily only": [after_daily[k] for k in LABELS],
}, schema_overrides={c: pl.Float64 for c in ("before (v1)", "after", "after, daily only")})
with pl.Config(fmt_str_lengths=60, tbl_width_chars=120):
    display(comparison)
# the figures the tests check (tests/notebooks/test_notebooks.py), as one JSON object
ranking = {"before": B, "after": after, "after_daily": after_daily,
           "before_commit": before["measured"]["commit"], "after_runners": len(ranking_profiles),
           "after_shortlists": ranked.height, "after_daily_shortlists": ranked_daily.height}
display({"application/json": ranking}, raw=True)

# %% [markdown]
# ## Conclusions

# %%
c_top = causes.row(0, named=True)
e_top = exercises.row(0, named=True)
q_top = cues.row(0, named=True)
locked_seg = locked_by_segment.sort("locked", descending=True).row(0, named=True)
G = {r["gate"]: r for r in support_by_gate.iter_rows(named=True)}
unlocked, locked = G.get("unlocked"), G.get("strength first")
lower_need = drops.filter(pl.col("drop_target") == "lower")
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
        f"- Runners whose plan targets a lower drop ({low['runners']}) go from a median "
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


def moved(b: float | None, a: float | None, fmt) -> str:
    if b is None or a is None:
        return f"{'n/a' if b is None else fmt(b)} → {'n/a' if a is None else fmt(a)}"
    word = "up" if a > b else "down" if a < b else "unchanged"
    return f"{fmt(b)} → **{fmt(a)}** ({word})"


points = lambda x: f"{x:.2f} points"  # noqa: E731
lines.append(
    f"- Ranking quality, v1 ({before['measured']['commit'][:7]}, {before['daily_shortlists']} "
    f"shortlists) → now ({ranked.height} shortlists, {ranked_daily.height} daily): daily "
    f"shortlists with a racer {moved(B['daily_with_racer_share'], after['daily_with_racer_share'], pct)}; "
    f"median #1 − #5 gap {moved(B['median_gap_1_5'], after['median_gap_1_5'], points)}; "
    f"distinct reason lists per top {top} "
    f"{moved(B['mean_distinct_reason_lists'], after['mean_distinct_reason_lists'], '{:.2f}'.format)}; "
    f"superseded versions among the picks "
    f"{moved(B['superseded_share'], after['superseded_share'], pct)} (daily only: "
    f"{pct(after_daily['superseded_share'])}). v1's picks are classified with today's catalog, "
    f"which lists versions v1 did not know, so part of its superseded share is the newer "
    f"catalog, not the ranking.")
display(Markdown("\n".join(lines)))
