# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 — The store: inventory × cohort
#
# `data/inventory_sample.csv` is a SYNTHETIC store; `data/runners.csv` its (synthetic)
# customers. This notebook
#
# 1. batch-scores the inventory against the cohort with `score_inventory` (a
#    `BatchResult` in memory: matches, coverage, unmatched, rejects), and writes it once
#    with `write_outputs` into a temporary folder to show the files a store receives;
# 2. finds the under-served segments in the coverage report;
# 3. chooses, greedily, K models to stock that reach the most runners. "Reached" means the
#    runner has at least one *eligible* model in their size and width (and, in a stricter
#    reading, one of their own top-ranked models) — eligibility and ranking are the
#    library's (`score_inventory` over a hypothetical inventory of every catalog model in
#    every size and width the store carries). Only the set cover is done here, in plain
#    Python: that is analysis, not a rule.

# %%
import tempfile
from pathlib import Path

import altair as alt
import polars as pl
from IPython.display import Markdown, display

from recommender import (
    ANY_STORE,
    DATA_DIR,
    load_catalog,
    score_inventory,
    validate_path,
    write_outputs,
)
from recommender.spec.vocab import SUPPORTS, R

# %% tags=["parameters"]
n_runners = 2000  # customers scored (seeded sample of data/runners.csv; 2000 = all)
top = 5  # matches per runner in the batch output
k_table = 15  # greedy picks listed in the table
good_rank = 10  # "good" match: one of the runner's top-N catalog models (library ranking)
seed = 7


# %%
def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f} %"


pl.Config.set_tbl_rows(30)
pl.Config.set_tbl_cols(16)
pl.Config.set_fmt_str_lengths(60)
INVENTORY = DATA_DIR / "inventory_sample.csv"
catalog = load_catalog(DATA_DIR / "shoes.csv")

# %% [markdown]
# ## The store's inventory (validated by the library)

# %%
inventory_report = validate_path(INVENTORY, "inventory", catalog=catalog)
inventory, inventory_problems = inventory_report.frame, inventory_report.problems
inventory_rows = inventory_report.n_rows
in_stock = inventory.filter(pl.col("quantity") > 0)
store = {
    "rows": inventory_rows,
    "rejected rows": inventory_problems.height,
    "models": inventory["shoe_id"].n_unique(),
    "models in stock": in_stock["shoe_id"].n_unique(),
    "SKUs out of stock": inventory.filter(pl.col("quantity") == 0).height,
    "pairs in stock": int(inventory["quantity"].sum()),
    "sizes": f"{inventory['size_us'].min():g}–{inventory['size_us'].max():g}",
    "widths": ", ".join(sorted(inventory["width"].unique())),
}
display(pl.DataFrame([store]))
stock_support = (inventory.join(catalog.frame.select("shoe_id", "support"), on="shoe_id")
                 .group_by("support").agg(pl.col("shoe_id").n_unique().alias("models"),
                                          pl.col("quantity").sum().alias("pairs"))
                 .sort("support"))
display(stock_support)

# %% [markdown]
# ## Batch scoring: `score_inventory`

# %%
report = validate_path(DATA_DIR / "runners.csv", "runners", catalog=catalog)
cohort = report.frame
runners = cohort.sample(n=min(n_runners, cohort.height), seed=seed).sort(R.runner_id)
result = score_inventory(INVENTORY, runners, catalog=catalog, top=top)
summary = result.summary
scored, coverage, unmatched, rejects = (result.scored, result.coverage, result.unmatched,
                                        result.rejects)
with tempfile.TemporaryDirectory(prefix="gaitkeeper-nb03-") as workdir:
    written = write_outputs(result, Path(workdir) / "scored.parquet")
    sizes = {Path(p).name: Path(p).stat().st_size for p in written.values()}
print(summary.text())
print(f"outputs (written, then removed with the temporary folder): "
      f"{', '.join(f'{name} ({size:,} B)' for name, size in sizes.items())}; "
      f"{rejects.height} rejected input cells")
display(scored.head(10))

# %% [markdown]
# The gate, checked on the store's output: a gate-locked runner's in-stock matches are
# never stability or motion-control shoes.

# %%
locked_supportive = scored.filter(pl.col("gate_locked") & (pl.col("support") != "neutral"))
print(f"gate-locked rows with a stability/motion-control shoe: {locked_supportive.height}")
top1 = scored.filter(pl.col("rank") == 1)
display(top1.group_by("gate_locked", "support").agg(pl.len().alias("runners"))
        .sort("gate_locked", "support"))

# %% [markdown]
# ## Coverage: which segments are under-served?
#
# `BatchResult.coverage` (written as `<out>.coverage.csv`) gives, per segment value, the runners and those with at least one
# in-stock match. Bars left of the dashed line (the whole cohort) are under-served. An inventory
# with several stores has rows per store and rows for `(any store)` (a runner served by at
# least one of them); this analysis is of the whole assortment, so it reads the latter.

# %%
if "store_id" in coverage.columns and coverage["store_id"].n_unique() > 1:
    per_store = coverage.filter(pl.col("segment") == "all").select("store_id", "runners",
                                                                    "runners_with_match", "share")
    display(per_store)
    coverage = coverage.filter(pl.col("store_id") == ANY_STORE).drop("store_id")
overall = coverage.filter(pl.col("segment") == "all").row(0, named=True)
by_segment = coverage.filter(pl.col("segment") != "all").with_columns(
    (pl.col("share") < overall["share"]).alias("under-served"),
    pl.lit(overall["share"]).alias("overall"))
base = alt.Chart()
bars = base.mark_bar().encode(
    x=alt.X("share:Q", title="runners with ≥ 1 in-stock match", axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, 1])),
    y=alt.Y("value:N", title=None),
    color=alt.Color("under-served:N", scale=alt.Scale(domain=[False, True],
                                                      range=["#4c78a8", "#e45756"])),
    tooltip=["segment", "value", "runners", "runners_with_match",
             alt.Tooltip("share:Q", format=".1%")])
rule = base.mark_rule(strokeDash=[4, 4], color="black").encode(x="overall:Q")
display(alt.layer(bars, rule, data=by_segment)
        .properties(width=320, height=alt.Step(16))
        .facet(row=alt.Row("segment:N", title=None))
        .resolve_scale(y="independent")
        .properties(title="coverage by segment (dashed: all runners)"))
under_served = by_segment.filter(pl.col("under-served")).sort("share")
display(under_served)

# %% [markdown]
# Runners without any in-stock match (`BatchResult.unmatched`, `<out>.unmatched.csv`): why, and which catalog
# models would have served them best.

# %%
display(unmatched.group_by("note").agg(pl.len().alias("runners")).sort("runners", descending=True))
wanted = (unmatched.filter(pl.col("best_catalog_pick").is_not_null())
          .group_by("best_catalog_pick").agg(pl.len().alias("runners"))
          .join(catalog.frame.select(pl.col("shoe_id").alias("best_catalog_pick"), "support",
                                     "drop_mm"), on="best_catalog_pick", how="left")
          .with_columns(pl.col("best_catalog_pick").is_in(inventory["shoe_id"].implode())
                        .alias("model in the store"))
          .sort("runners", "best_catalog_pick", descending=[True, False]))
display(wanted.head(10))

# %% [markdown]
# ## Which K models to stock? Greedy set cover
#
# Hypothetical offer: every catalog model in every (size, width) the store carries today,
# in the widths the model is made in, at MSRP. `score_inventory` over that inventory with
# `top` = catalog size returns every eligible in-size match per runner, ranked by the
# library's score. Two
# definitions of "reached" are covered:
#
# - **eligible** (the store's coverage report): at least one eligible model in size;
# - **good**: at least one of the runner's own top `good_rank` catalog models in size —
#   a stricter, analysis-only reading that asks for a shoe the engine ranks highly for
#   that runner, not merely one that passes the hard filters and the gate.

# %%
store_sizes = inventory.select("size_us").unique()
store_widths = inventory["width"].unique().implode()
hypothetical = (catalog.frame.select("shoe_id", pl.col("widths").alias("width"))
                .explode("width").filter(pl.col("width").is_in(store_widths))
                .join(store_sizes, how="cross")
                .with_columns(pl.format("HYP-{}-{}-{}", "shoe_id", "width", "size_us").alias("sku"),
                              pl.lit(1, dtype=pl.Int64).alias("quantity"),
                              pl.lit(None, dtype=pl.Float64).alias("price_usd"),
                              pl.lit(None, dtype=pl.String).alias("store_id"),
                              pl.lit("unisex").alias("line")))
ranked = score_inventory(hypothetical, runners, catalog=catalog, top=len(catalog),
                         inventory_name="hypothetical inventory").scored.select(
    R.runner_id, "shoe_id", "rank")
pair_sets = {"eligible": ranked, "good": ranked.filter(pl.col("rank") <= good_rank)}
# the eligible pairs for what is in stock today (store prices, stocked sizes only); a
# store discount can make a model eligible that is over a runner's budget at MSRP
stocked = score_inventory(inventory, runners, catalog=catalog, top=len(catalog),
                          inventory_name=INVENTORY.name).scored.select(R.runner_id, "shoe_id")
today = {"eligible": stocked[R.runner_id].n_unique() / runners.height,
         "good": pair_sets["good"].join(stocked, on=[R.runner_id, "shoe_id"])[R.runner_id]
         .n_unique() / runners.height}
print(f"{hypothetical.height} hypothetical SKUs; {ranked.height} eligible (runner, model) pairs; "
      f"in stock today: eligible {pct(today['eligible'])} (score_inventory said "
      f"{pct(overall['share'])}), good {pct(today['good'])}")


# %%
def greedy_cover(pairs: pl.DataFrame) -> pl.DataFrame:
    """Pick, one at a time, the model that reaches the most runners not yet reached
    (ties: the lower shoe_id), until no model adds anyone."""
    reach = {sid: set(ids) for sid, ids in
             pairs.group_by("shoe_id").agg(pl.col(R.runner_id)).iter_rows()}
    covered: set[str] = set()
    picks = []
    while True:
        gain, sid = min(((-len(ids - covered), sid) for sid, ids in reach.items()),
                        default=(0, None))
        if sid is None or gain == 0:
            break
        covered |= reach.pop(sid)
        picks.append({"k": len(picks) + 1, "shoe_id": sid, "new runners": -gain,
                      "share": len(covered) / runners.height})
    return pl.DataFrame(picks).join(
        catalog.frame.select("shoe_id", "support", "drop_mm", "terrain"), on="shoe_id",
        how="left").sort("k")


current_models = set(inventory["shoe_id"].unique())
results = {}
for name, pairs in pair_sets.items():
    curve_df = greedy_cover(pairs)
    full = pairs.filter(pl.col("shoe_id").is_in(list(current_models)))[R.runner_id].n_unique()
    k_same = min(len(current_models), curve_df.height)
    results[name] = {
        "curve": curve_df,
        "today": today[name],
        "today_full": full / runners.height,
        "k_today": curve_df.filter(pl.col("share") >= today[name])["k"].min(),
        "k_same": k_same,
        "share_same": curve_df.filter(pl.col("k") == k_same)["share"].item(),
        "ceiling": curve_df["share"].max(),
        "k_ceiling": curve_df.height,
    }
summary_table = pl.DataFrame([
    {"reached means": name, "in stock today": r["today"],
     f"today's {len(current_models)} models, every size": r["today_full"],
     "greedy K to match today": r["k_today"],
     f"greedy share with K = {len(current_models)}": r["share_same"],
     "ceiling (all models)": r["ceiling"], "models for the ceiling": r["k_ceiling"]}
    for name, r in results.items()])
display(summary_table)
display(results["good"]["curve"].head(k_table))

# %%
curves = pl.concat([r["curve"].with_columns(pl.lit(name).alias("reached means"))
                    for name, r in results.items()])
marks = pl.DataFrame([{"reached means": name, "share": r["today"]} for name, r in results.items()])
curve = (alt.Chart(curves).mark_line(point=alt.OverlayMarkDef(size=14))
         .encode(x=alt.X("k:Q", title="models stocked (greedy order)"),
                 y=alt.Y("share:Q", title="runners reached", axis=alt.Axis(format="%"),
                         scale=alt.Scale(domain=[0, 1])),
                 color=alt.Color("reached means:N"),
                 tooltip=["reached means", "k", "shoe_id", "support", "drop_mm", "new runners",
                          alt.Tooltip("share:Q", format=".1%")]))
today_rules = alt.Chart(marks).mark_rule(strokeDash=[5, 3]).encode(
    y="share:Q", color="reached means:N", tooltip=[alt.Tooltip("share:Q", format=".1%")])
display((curve + today_rules).properties(
    width=460, height=280,
    title="coverage curve (dashed: today's in-stock assortment)"))
good = results["good"]
picked_support = good["curve"].head(good["k_today"] or good["curve"].height).group_by(
    "support").agg(pl.len().alias("models")).sort("support")
display(picked_support)

# %% [markdown]
# ## Conclusions

# %%
worst = under_served.head(3).iter_rows(named=True)
support_mix = {r["support"]: r["models"] for r in picked_support.iter_rows(named=True)}
unmatched_notes = unmatched.group_by("note").len().sort("len", descending=True)
elig = results["eligible"]
lines = [
    f"- The store lists **{store['models']} models** ({inventory_rows} SKU rows, "
    f"{store['SKUs out of stock']} out of stock, {store['pairs in stock']} pairs). Scored "
    f"against {summary.runners_scored} runners: **{pct(overall['share'])}** have at least one "
    f"in-stock match in their size and width; {summary.runners_without_match} have none.",
    f"- Gate check on the output: {locked_supportive.height} rows give a locked runner a "
    "stability or motion-control shoe.",
    "- Most under-served segments (below the overall share): "
    + ("; ".join(f"{r['segment']} = {r['value']}: {pct(r['share'])} of {r['runners']}"
                 for r in worst) or "none") + ".",
]
if unmatched_notes.height:
    top_note = unmatched_notes.row(0, named=True)
    lines.append(f"- Most common reason for no match: \"{top_note['note']}\" "
                 f"({top_note['len']} runners).")
lines += [
    f"- Greedy stocking, *eligible* reading: **{elig['k_today']} models** in every store size "
    f"match today's in-stock coverage and {elig['k_ceiling']} reach the ceiling of "
    f"{pct(elig['ceiling'])}; the first pick alone ({elig['curve']['shoe_id'][0]}) reaches "
    f"{pct(elig['curve']['share'][0])}. Passing the hard filters and the gate is easy, so this "
    "reading says little about fit.",
    f"- *Good* reading (one of the runner's top {good_rank} catalog models): today's stock "
    f"reaches **{pct(good['today'])}**; the greedy order needs **{good['k_today']} models** "
    f"to match it and reaches its ceiling of {pct(good['ceiling'])} with {good['k_ceiling']} "
    f"models (the store stocks {len(current_models)}; fully stocked in every size they would "
    f"reach {pct(good['today_full'])}). The remaining "
    f"{pct(1 - good['ceiling'])} have no eligible catalog model in a store size and width.",
    f"- The first {good['k_today']} greedy picks (good reading) are "
    + ", ".join(f"{support_mix.get(s, 0)} {s.replace('_', ' ')}" for s in SUPPORTS) + ".",
]
display(Markdown("\n".join(lines)))
