"""Catalog: filter and sort the shoes, compare a few side by side (differences highlighted),
find similar ones (other versions of the same model left out)."""

from __future__ import annotations

import polars as pl
import streamlit as st
from gaitkeeper_ui.common import catalog, humanize, page_header, shoe_labels

from recommender.similarity import similar_shoes
from recommender.spec.vocab import SHOE_SPECS, S

cat = catalog()
labels = shoe_labels(cat)
URL = r"(https?://[^\s)]+)"

page_header("Catalog", f"{len(cat)} running shoes with the maker's specs and sources "
            f"(catalog version {cat.version}).")

NAMES = {S.brand: "Brand", S.model: "Model", S.version: "Version", S.msrp_usd: "Price",
         S.role: "Use", S.support: "Support", S.terrain: "Terrain", S.drop_mm: "Drop (mm)",
         S.heel_stack_mm: "Heel stack (mm)", S.forefoot_stack_mm: "Forefoot stack (mm)",
         S.weight_g: "Weight (g)", S.weight_ref: "Weighed at", S.widths: "Widths",
         S.cushioning: "Cushioning", S.plate: "Plate", S.rocker: "Rocker",
         S.release_year: "Released", S.audience: "Made for",
         S.womens_weight_g: "Women's weight (g)", S.womens_drop_mm: "Women's drop (mm)",
         S.womens_heel_stack_mm: "Women's heel stack (mm)", S.verified: "Specs checked",
         S.superseded_by: "Newer version", "link": "Source", S.shoe_id: "Shoe id"}
ORDER = [S.brand, S.model, S.version, S.msrp_usd, S.role, S.support, S.terrain, S.drop_mm,
         S.heel_stack_mm, S.forefoot_stack_mm, S.weight_g, S.widths, S.cushioning, S.plate,
         S.rocker, S.release_year, S.audience, S.weight_ref, S.womens_weight_g,
         S.womens_drop_mm, S.womens_heel_stack_mm, S.verified, S.superseded_by, "link",
         S.shoe_id]


def _readable(frame: pl.DataFrame) -> pl.DataFrame:
    """Words instead of codes, the source as a link, columns in reading order."""
    words = [S.role, S.support, S.terrain, S.cushioning, S.plate, S.audience, S.verified]
    return frame.with_columns(
        *[pl.col(c).cast(pl.String).str.replace_all("_", " ") for c in words if c in frame.columns],
        pl.col(S.widths).list.eval(pl.element().str.replace_all("_", " ")).list.join(", "),
        pl.col(S.superseded_by).replace_strict(labels, default=pl.col(S.superseded_by)),
        pl.col(S.source).str.extract(URL, 1).alias("link"),
    ).select([c for c in ORDER if c in frame.columns or c == "link"])


def _choices(column: str) -> list[str]:
    spec = next(s for s in SHOE_SPECS if s.name == column)
    if spec.choices:
        return list(spec.choices)
    return sorted(set(cat.frame.get_column(column).to_list()))


def _bounds(column: str) -> tuple[float, float]:
    col = cat.frame.get_column(column)
    return float(col.min()), float(col.max())  # type: ignore[arg-type]


COLUMNS = {
    **NAMES,
    S.msrp_usd: st.column_config.NumberColumn("Price", format="$%.0f"),
    "link": st.column_config.LinkColumn("Source", display_text=r"https?://(?:www\.)?([^/]+)"),
    S.rocker: st.column_config.CheckboxColumn("Rocker"),
}

# -------------------------------------------------------------------------------- filters
with st.container(border=True):
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    brands = c1.multiselect("Brand", _choices(S.brand), key="cat-brands", placeholder="All brands")
    roles = c2.multiselect("Use", _choices(S.role), key="cat-role", format_func=humanize,
                           placeholder="All")
    supports = c3.multiselect("Support", _choices(S.support), key="cat-support",
                              format_func=humanize, placeholder="All")
    terrains = c4.multiselect("Terrain", _choices(S.terrain), key="cat-terrain",
                              format_func=humanize, placeholder="All")
    c5, c6, c7, c8 = st.columns(4)
    dlo, dhi = _bounds(S.drop_mm)
    drop = c5.slider("Drop (mm)", dlo, dhi, (dlo, dhi), step=0.5, key="cat-drop", format="%g mm")
    slo, shi = _bounds(S.heel_stack_mm)
    stack = c6.slider("Heel stack (mm)", slo, shi, (slo, shi), step=0.5, key="cat-stack",
                      format="%g mm")
    wlo, whi = _bounds(S.weight_g)
    weight = c7.slider("Weight (g)", wlo, whi, (wlo, whi), step=5.0, key="cat-weight",
                       format="%d g")
    plo, phi = _bounds(S.msrp_usd)
    price = c8.slider("Price (USD)", plo, phi, (plo, phi), step=5.0, key="cat-price",
                      format="$%d")
    c9, c10, c11, c12, c13 = st.columns([2, 1, 1, 1, 1], vertical_alignment="bottom")
    ylo, yhi = (int(v) for v in _bounds(S.release_year))
    years = c9.slider("Released", ylo, yhi, (ylo, yhi), key="cat-years")
    widths = c10.multiselect("Width", _choices(S.widths), key="cat-width", format_func=humanize,
                             placeholder="Any", help="Shoes made in every width you pick.")
    newest = c11.toggle("Newest versions only", key="cat-newest",
                        help="Leave out shoes that have a newer version in the catalog.")
    sortable = [S.msrp_usd, S.drop_mm, S.heel_stack_mm, S.weight_g, S.release_year, S.brand]
    sort_by = c12.selectbox("Sort by", sortable, key="cat-sort", format_func=NAMES.__getitem__)
    descending = c13.toggle("Descending", key="cat-desc")

frame = cat.frame
filtered = frame.filter(
    (pl.col(S.brand).is_in(brands) if brands else pl.lit(True))
    & (pl.col(S.role).is_in(roles) if roles else pl.lit(True))
    & (pl.col(S.support).is_in(supports) if supports else pl.lit(True))
    & (pl.col(S.terrain).is_in(terrains) if terrains else pl.lit(True))
    & pl.all_horizontal([pl.col(S.widths).list.contains(w) for w in widths] or [pl.lit(True)])
    & (pl.col(S.superseded_by).is_null() if newest else pl.lit(True))
    & pl.col(S.drop_mm).is_between(*drop) & pl.col(S.heel_stack_mm).is_between(*stack)
    & pl.col(S.weight_g).is_between(*weight) & pl.col(S.msrp_usd).is_between(*price)
    & pl.col(S.release_year).is_between(*years)
).sort([sort_by, S.shoe_id], descending=[descending, False])

st.markdown(f"**{filtered.height} of {len(cat)} shoes**")
with st.container(key="cat-table"):
    st.dataframe(_readable(filtered), hide_index=True, column_config=COLUMNS)

# -------------------------------------------------------------------------------- compare
st.subheader("Compare side by side")
compare = st.multiselect("Pick 2 to 4 shoes", cat.ids, key="cat-compare", max_selections=4,
                         format_func=labels.__getitem__, placeholder="Choose shoes")
if 2 <= len(compare) <= 4:
    picked = frame.filter(pl.col(S.shoe_id).is_in(compare)).sort(
        pl.col(S.shoe_id).replace_strict({s: i for i, s in enumerate(compare)},
                                         return_dtype=pl.Int64))
    readable = _readable(picked).with_columns(
        pl.col(S.msrp_usd).map_elements(lambda v: f"${v:,.0f}", return_dtype=pl.String),
        pl.col(S.rocker).replace_strict({True: "yes", False: "no"}, return_dtype=pl.String),
    )
    names = [labels[s] for s in picked.get_column(S.shoe_id)]
    rows = []
    for col in readable.columns:
        if col in (S.shoe_id, "link", S.brand, S.model, S.version):
            continue
        values = ["—" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))
                  for v in readable.get_column(col).to_list()]
        rows.append({"Spec": NAMES.get(col, humanize(col)), **dict(zip(names, values,
                                                                        strict=True)),
                     "Differs": len(set(values)) > 1})
    table = pl.DataFrame(rows).sort("Differs", descending=True, maintain_order=True)
    only_diff = st.toggle("Only the specs that differ", key="cat-compare-diff")
    if only_diff:
        table = table.filter(pl.col("Differs"))
    styled = table.to_pandas().style.apply(
        lambda r: ["background-color: #fff3cd; font-weight: 600" if r["Differs"] else ""
                   for _ in r], axis=1)
    with st.container(key="cat-compare-table"):
        st.dataframe(styled, hide_index=True,
                     column_config={"Differs": st.column_config.CheckboxColumn("Differs")})
    st.caption("Highlighted rows differ between the shoes. Sources: " + " · ".join(
        f"[{n}]({u})" for n, u in zip(names, readable.get_column("link").to_list(),
                                      strict=True) if u))
else:
    st.caption("Choose at least two shoes to see their specs side by side.")

# -------------------------------------------------------------------------------- similar
st.subheader("Similar shoes")
s1, s2, s3 = st.columns([3, 1, 1], vertical_alignment="bottom")
anchor = s1.selectbox("Shoes similar in spec to", cat.ids, key="cat-similar-to",
                      format_func=labels.__getitem__)
k = s2.number_input("How many", 1, 20, 5, key="cat-similar-k")
only_filtered = s3.toggle("Only the filtered shoes", key="cat-similar-filtered")
anchor_row = frame.filter(pl.col(S.shoe_id) == anchor).row(0, named=True)
pool = filtered if only_filtered else frame
candidates = pool.filter(~((pl.col(S.brand) == anchor_row[S.brand])
                           & (pl.col(S.model) == anchor_row[S.model]))) \
    .get_column(S.shoe_id).to_list()
near = similar_shoes(anchor, k=int(k), candidates=candidates, catalog=cat) if candidates else []
if near:
    worst = max(d for _, d in near) or 1.0
    ranks = pl.DataFrame({S.shoe_id: [s for s, _ in near],
                          "match": [max(0.0, 1 - d / (2 * worst)) for _, d in near]})
    with st.container(key="cat-similar-table"):
        st.dataframe(
            ranks.join(_readable(frame), on=S.shoe_id, how="left")
            .select("match", pl.exclude("match")),
            hide_index=True,
            column_config={**COLUMNS, "match": st.column_config.ProgressColumn(
                "Closeness", help="How alike the specs are (drop, stack, weight, cushioning, "
                "support…), relative to this list", min_value=0.0, max_value=1.0,
                format="percent")})
    st.caption("Other versions of the same model are left out.")
else:
    st.info("No other model matches the filters.")
