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
# # 01 — The shoe catalog
#
# What gaitkeeper can recommend from: `data/shoes.csv`, loaded and validated by
# `recommender.load_catalog`. This notebook looks at
#
# 1. drop, stack and weight by support class, brand and terrain;
# 2. spec consistency: heel stack − forefoot stack against the stated drop;
# 3. agreement with the public third-party compilation
#    `../shared/reference/shoe_specs_public.csv` where the models overlap.
#
# Everything is computed from the files; nothing here decides anything about runners.

# %%
from pathlib import Path

import altair as alt
import polars as pl
from IPython.display import Markdown, display

from recommender import DATA_DIR, load_catalog
from recommender.rules import num
from recommender.spec.vocab import STACK_DROP_TOLERANCE_MM, SUPPORTS

# %% tags=["parameters"]
# Where the public reference lives, relative to the repository root (or absolute).
reference_path = "../shared/reference/shoe_specs_public.csv"
# Tolerances for calling a catalog value and a reference value "different"
# (the same ones data/CATALOG_NOTES.md used for its cross-check).
drop_tolerance_mm = 0.4
stack_tolerance_mm = 1.0
weight_tolerance_g = 15.0
price_tolerance_usd = 1.0


# %%
pl.Config.set_tbl_rows(30)
pl.Config.set_tbl_cols(16)
pl.Config.set_fmt_str_lengths(60)
ROOT = DATA_DIR.parent.parent  # the checkout: <root>/recommender/data
REFERENCE = Path(reference_path)
REFERENCE = (REFERENCE if REFERENCE.is_absolute() else ROOT / REFERENCE).resolve()
catalog = load_catalog(DATA_DIR / "shoes.csv")
shoes = catalog.frame
print(f"catalog {catalog.path}: {len(catalog)} models, version {catalog.version}")
print(f"reference file: {REFERENCE} ({'found' if REFERENCE.is_file() else 'NOT FOUND'})")

# %% [markdown]
# ## 1. What is in the catalog

# %%
overview = pl.DataFrame({
    "models": [shoes.height],
    "brands": [shoes.get_column("brand").n_unique()],
    "road": [shoes.filter(pl.col("terrain") == "road").height],
    "trail": [shoes.filter(pl.col("terrain") == "trail").height],
    **{s: [shoes.filter(pl.col("support") == s).height] for s in SUPPORTS},
    "drop range (mm)": [f"{shoes['drop_mm'].min():g}–{shoes['drop_mm'].max():g}"],
    "release years": [f"{shoes['release_year'].min()}–{shoes['release_year'].max()}"],
})
display(overview)

by_brand = (shoes.group_by("brand")
            .agg(pl.len().alias("models"),
                 *[(pl.col("support") == s).sum().alias(s) for s in SUPPORTS],
                 (pl.col("terrain") == "trail").sum().alias("trail"),
                 pl.col("drop_mm").median().alias("median drop (mm)"))
            .sort("models", "brand", descending=[True, False]))
display(by_brand)

# %% [markdown]
# ### Drop, stack and weight by support class, terrain and brand
#
# One long table (model × measure) feeds three box-plot panels. Motion-control models are
# few, so their boxes rest on a handful of points.

# %%
MEASURES = {"drop_mm": "drop (mm)", "heel_stack_mm": "heel stack (mm)",
            "weight_g": "weight (g)"}
long = shoes.unpivot(on=list(MEASURES), index=["shoe_id", "brand", "support", "terrain"],
                     variable_name="measure", value_name="value").with_columns(
    pl.col("measure").replace_strict(MEASURES))


def boxes(group: str, title: str, width: int = 160) -> alt.FacetChart:
    return (alt.Chart(long).mark_boxplot(extent="min-max", size=14)
            .encode(x=alt.X(f"{group}:N", title=None, sort="ascending"),
                    y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
                    color=alt.Color(f"{group}:N", legend=None),
                    tooltip=["shoe_id", "value"])
            .properties(width=width, height=180)
            .facet(column=alt.Column("measure:N", title=title))
            .resolve_scale(y="independent"))


display(boxes("support", "by support class"))
display(boxes("terrain", "by terrain", width=110))
display(boxes("brand", "by brand", width=300))

# %% [markdown]
# How drops are spread within each support class (count of models per stated drop):

# %%
drop_counts = shoes.group_by("support", "drop_mm").agg(pl.len().alias("models"))
display(alt.Chart(drop_counts).mark_bar()
        .encode(x=alt.X("drop_mm:O", title="stated drop (mm)"),
                y=alt.Y("models:Q", title="models"),
                color=alt.Color("support:N", sort=list(SUPPORTS)),
                tooltip=["support", "drop_mm", "models"])
        .properties(width=420, height=200))

support_summary = (shoes.group_by("support")
                   .agg(pl.len().alias("models"),
                        pl.col("drop_mm").median().alias("median drop"),
                        pl.col("heel_stack_mm").median().alias("median heel stack"),
                        pl.col("weight_g").median().alias("median weight"))
                   .sort("support"))
display(support_summary)

# %% [markdown]
# ## 2. Spec consistency: heel − forefoot against the stated drop
#
# The catalog schema allows |heel − forefoot − drop| ≤ `STACK_DROP_TOLERANCE_MM` (taken
# from `recommender.spec.vocab`, not restated here); the residual shows how close each row is.

# %%
consistency = shoes.select(
    "shoe_id", "brand", "drop_mm", "heel_stack_mm", "forefoot_stack_mm",
    (pl.col("heel_stack_mm") - pl.col("forefoot_stack_mm")).alias("stack_difference"),
).with_columns((pl.col("stack_difference") - pl.col("drop_mm")).round(2).alias("residual"))
n_exact = consistency.filter(pl.col("residual").abs() < 1e-9).height
n_within = consistency.filter(pl.col("residual").abs() <= STACK_DROP_TOLERANCE_MM).height
n_outside = consistency.height - n_within
display(consistency.group_by("residual").agg(pl.len().alias("models")).sort("residual"))
display(alt.Chart(consistency).mark_circle(size=45, opacity=0.6)
        .encode(x=alt.X("drop_mm:Q", title="stated drop (mm)"),
                y=alt.Y("stack_difference:Q", title="heel − forefoot stack (mm)"),
                color="brand:N", tooltip=["shoe_id", "drop_mm", "heel_stack_mm",
                                          "forefoot_stack_mm", "residual"])
        .properties(width=360, height=300, title="stack difference vs stated drop"))
display(consistency.filter(pl.col("residual") != 0).sort(pl.col("residual").abs(),
                                                         descending=True))

# %% [markdown]
# ## 3. Agreement with the public reference
#
# The reference (`shoe_specs_public.csv`, no licence stated) is used only to *check*. It
# carries deliberate errors, and the catalog's policy is **the maker wins**: where the two
# disagree the catalog keeps the maker's stated figure (each catalog row cites its source,
# and `data/CATALOG_NOTES.md` records how every disagreement was resolved). A disagreement
# below is therefore a prompt to re-check a row, not a correction.
#
# Matching: brand + the reference's `version` text (e.g. "GEL-Kayano 31", "Fresh Foam X
# 1080v13") against the catalog's brand + model + version, both normalised to lower-case
# letters and digits. A reference version without the family name gets it prefixed
# ("1080v15" → "Fresh Foam X 1080v15"); one with no number is version 1 ("Superblast").
# Only men's and unisex reference rows are compared (the catalog's reference size is
# men's US 9), men's first; weights are converted from ounces (1 oz = 28.3495 g).

# %%
def norm(text: pl.Expr) -> pl.Expr:
    return text.str.to_lowercase().str.replace_all(r"[^a-z0-9]", "")


OZ_TO_G = 28.3495
catalog_keys = shoes.select(
    "shoe_id", "support", "release_year", "msrp_usd", "drop_mm", "heel_stack_mm", "forefoot_stack_mm", "weight_g",
    (norm(pl.col("brand")) + "|" + norm(pl.col("model") + pl.col("version"))).alias("key"))

reference = None
if REFERENCE.is_file():
    reference = pl.read_csv(REFERENCE, infer_schema_length=None)
    print(f"reference rows: {reference.height}; audiences: "
          f"{dict(reference.group_by('audience').len().iter_rows())}")
else:
    display(Markdown(f"**The reference file `{REFERENCE}` is not present**: the cross-check "
                     "is skipped. The catalog figures above stand on their cited sources."))

# %%
if reference is not None:
    family_n, version_n = norm(pl.col("family")), norm(pl.col("version"))
    ref_version = (pl.when(version_n.str.contains(family_n, literal=True)).then(version_n)
                   .otherwise(family_n + version_n))
    ref_version = (pl.when(ref_version.str.contains(r"[0-9]$")).then(ref_version)
                   .otherwise(ref_version + "1"))
    ref = (reference.filter(pl.col("audience").is_in(["mens", "unisex"]))
           .with_columns((norm(pl.col("brand")) + "|" + ref_version).alias("key"),
                         (pl.col("weight_oz") * OZ_TO_G).round(0).alias("ref_weight_g"))
           .sort(pl.col("audience") != "mens")  # men's row first when both exist
           .unique("key", keep="first", maintain_order=True)
           .select("key", pl.col("brand").alias("ref_brand"), pl.col("version").alias("ref_version"),
                   pl.col("stability").alias("ref_support"), pl.col("drop_mm").alias("ref_drop_mm"),
                   pl.col("release_year").alias("ref_year"), pl.col("msrp_usd").alias("ref_msrp"),
                   pl.col("heel_stack_mm").alias("ref_heel_mm"),
                   pl.col("forefoot_stack_mm").alias("ref_forefoot_mm"), "ref_weight_g"))
    matched = catalog_keys.join(ref, on="key", how="inner").with_columns(
        (pl.col("drop_mm") - pl.col("ref_drop_mm")).alias("d_drop"),
        (pl.col("heel_stack_mm") - pl.col("ref_heel_mm")).alias("d_heel"),
        (pl.col("forefoot_stack_mm") - pl.col("ref_forefoot_mm")).alias("d_forefoot"),
        (pl.col("weight_g") - pl.col("ref_weight_g")).alias("d_weight"),
    ).with_columns(
        (pl.col("d_drop").abs() > drop_tolerance_mm).alias("drop differs"),
        ((pl.col("d_heel").abs() > stack_tolerance_mm)
         | (pl.col("d_forefoot").abs() > stack_tolerance_mm)).alias("stack differs"),
        (pl.col("d_weight").abs() > weight_tolerance_g).alias("weight differs"),
        # the reference has only neutral | stability; motion control counts as stability there
        (pl.col("ref_support")
         != pl.col("support").replace({"motion_control": "stability"})).alias("support differs"),
        (pl.col("release_year") != pl.col("ref_year")).alias("year differs"),
        ((pl.col("msrp_usd") - pl.col("ref_msrp")).abs() > price_tolerance_usd).alias("price differs"),
    )
    SPEC_FIELDS = ["drop differs", "stack differs", "weight differs"]
    FIELDS = [*SPEC_FIELDS, "support differs", "year differs", "price differs"]
    matched = matched.with_columns(pl.sum_horizontal(FIELDS).alias("fields differing"),
                                   pl.any_horizontal(SPEC_FIELDS).alias("spec differs"))
    unmatched_ref = ref.join(catalog_keys, on="key", how="anti")
    print(f"{matched.height} of {shoes.height} catalog models have a men's/unisex reference row; "
          f"{unmatched_ref.height} reference models are not in the catalog.")
    disagreements = matched.select(
        *[pl.col(f).sum().alias(f.replace(" differs", "")) for f in FIELDS],
        pl.col("spec differs").sum().alias("models: drop/stack/weight"),
        (pl.col("fields differing") > 0).sum().alias("models: any field"),
        pl.col("fields differing").sum().alias("field disagreements"))
    display(disagreements)

# %%
def text(column: str) -> pl.Expr:
    """Numbers as people write them (6, 6.5), via the library's own formatter."""
    col = pl.col(column)
    if column in ("msrp_usd", "ref_msrp"):  # prices keep their cents
        return pl.format("${}", col.cast(pl.Float64).round(2))
    return col if shoes.schema.get(column) == pl.String or column == "ref_support" \
        else num(col.cast(pl.Float64))


def differs(flag: str, label: str, ours: str, theirs: str) -> pl.Expr:
    return pl.when(pl.col(flag)).then(pl.format(f"{label} {{}} vs {{}}", text(ours), text(theirs)))


if reference is not None:
    detail = matched.filter(pl.col("fields differing") > 0).select(
        "shoe_id", "ref_version", "fields differing",
        pl.concat_list(
            differs("drop differs", "drop", "drop_mm", "ref_drop_mm"),
            pl.when(pl.col("stack differs")).then(pl.format(
                "stack {}/{} vs {}/{}", *map(text, ["heel_stack_mm", "forefoot_stack_mm",
                                                    "ref_heel_mm", "ref_forefoot_mm"]))),
            differs("weight differs", "weight g", "weight_g", "ref_weight_g"),
            differs("support differs", "support", "support", "ref_support"),
            differs("year differs", "year", "release_year", "ref_year"),
            differs("price differs", "MSRP", "msrp_usd", "ref_msrp"),
        ).list.drop_nulls().list.join("; ").alias("catalog vs reference"),
    ).sort("fields differing", "shoe_id", descending=[True, False])
    display(detail)

# %%
if reference is not None:
    DIFF_NAMES = {"d_drop": "drop (mm)", "d_heel": "heel stack (mm)",
                  "d_forefoot": "forefoot stack (mm)", "d_weight": "weight (g)"}
    diffs = matched.unpivot(on=list(DIFF_NAMES), index="shoe_id", variable_name="field",
                            value_name="catalog − reference").with_columns(
        pl.col("field").replace_strict(DIFF_NAMES))
    display(alt.Chart(diffs).mark_tick(thickness=2, size=16)
            .encode(x=alt.X("catalog − reference:Q", title=None),
                    tooltip=["shoe_id", "catalog − reference"])
            .properties(width=420, height=24)
            .facet(row=alt.Row("field:N", title=None, header=alt.Header(labelAngle=0,
                                                                         labelAlign="left")),
                   title="catalog minus reference, per matched model")
            .resolve_scale(x="independent"))
    scatter_base = alt.Chart(matched).encode(
        x=alt.X("ref_drop_mm:Q", title="reference drop (mm)"),
        y=alt.Y("drop_mm:Q", title="catalog drop (mm)"))
    display((scatter_base.mark_circle(size=60).encode(
        color=alt.Color("drop differs:N"), tooltip=["shoe_id", "drop_mm", "ref_drop_mm"])
        + alt.Chart(pl.DataFrame({"x": [0.0, 12.0]})).mark_line(strokeDash=[4, 4], color="grey")
        .encode(x="x:Q", y="x:Q")).properties(width=300, height=300, title="drop: catalog vs reference"))

# %% [markdown]
# The reference also contradicts **itself**: the same model's men's and women's rows
# sometimes state different drops (a drop is a property of the last, usually shared).

# %%
self_contradictions = None
if reference is not None:
    self_contradictions = (reference.filter(pl.col("audience").is_in(["mens", "womens"]))
                           .group_by("brand", "version")
                           .agg(pl.col("drop_mm").drop_nulls().n_unique().alias("drops"),
                                pl.col("drop_mm").drop_nulls().unique().sort()
                                .alias("stated drops"))
                           .filter(pl.col("drops") > 1).sort("brand", "version"))
    display(self_contradictions)

# %% [markdown]
# ## Conclusions

# %%
median = support_summary.rows_by_key("support", named=True, unique=True)
lines = [
    f"- The catalog holds **{shoes.height} models from {shoes['brand'].n_unique()} brands**: "
    + ", ".join(f"{shoes.filter(pl.col('support') == s).height} {s.replace('_', ' ')}"
                for s in SUPPORTS)
    + f"; {shoes.filter(pl.col('terrain') == 'trail').height} trail models; drops from "
    f"{shoes['drop_mm'].min():g} to {shoes['drop_mm'].max():g} mm.",
    "- Median drop / heel stack / weight by class: " + "; ".join(
        f"{s.replace('_', ' ')} {median[s]['median drop']:g} mm / "
        f"{median[s]['median heel stack']:g} mm / {median[s]['median weight']:g} g"
        for s in SUPPORTS if s in median) + ".",
    f"- Spec consistency: {n_exact} of {shoes.height} rows have heel − forefoot exactly equal "
    f"to the stated drop, {n_within} are within the ±{STACK_DROP_TOLERANCE_MM:g} mm the schema "
    f"allows, {n_outside} outside it.",
]
if reference is not None:
    d = disagreements.row(0, named=True)
    lines += [
        f"- Reference cross-check: **{matched.height} catalog models** matched a men's/unisex "
        f"reference row. Beyond tolerance (drop ±{drop_tolerance_mm:g} mm, stack "
        f"±{stack_tolerance_mm:g} mm, weight ±{weight_tolerance_g:g} g) the drop differs for "
        f"{d['drop']}, the stack for {d['stack']} and the weight for {d['weight']} models: "
        f"**{d['models: drop/stack/weight']} models disagree on drop, stack or weight**. "
        f"Adding support class ({d['support']}), release year ({d['year']}) and MSRP "
        f"(±${price_tolerance_usd:g}: {d['price']}) gives {d['field disagreements']} field "
        f"disagreements in {d['models: any field']} models.",
        "- Drop disagreements, largest first: " + ", ".join(
            f"{r['shoe_id']} {r['drop_mm']:g} vs {r['ref_drop_mm']:g} mm"
            for r in matched.filter(pl.col("drop differs"))
            .sort(pl.col("d_drop").abs(), "shoe_id", descending=[True, False])
            .iter_rows(named=True)) + ".",
        f"- The reference is not self-consistent either: {self_contradictions.height} models "
        "state a different drop for men and women.",
        "- Policy: **the maker wins**. No catalog value was taken from the reference; each "
        "disagreement is a prompt to re-check the row against its cited maker source.",
    ]
else:
    lines.append(f"- The reference file was **not found** at `{REFERENCE}`: no cross-check "
                 "was made in this run.")
display(Markdown("\n".join(lines)))
