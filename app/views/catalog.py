"""Catalog: filter and sort the shoes, compare a few side by side, find similar ones."""

from __future__ import annotations

import polars as pl
import streamlit as st
from gaitkeeper_ui.common import catalog, humanize, humanize_col, page_header, shoe_labels

from recommender.similarity import similar_shoes
from recommender.spec.vocab import SHOE_SPECS, S

cat = catalog()
frame = cat.frame
labels = shoe_labels(cat)

page_header("Catalog", f"{len(cat)} running shoe models with the maker's specs and sources "
            f"(catalog version {cat.version}).")


def _choices(column: str) -> list[str]:
    spec = next(s for s in SHOE_SPECS if s.name == column)
    if spec.choices:
        return list(spec.choices)
    return sorted(set(frame.get_column(column).to_list()))


def _bounds(column: str) -> tuple[float, float]:
    col = frame.get_column(column)
    return float(col.min()), float(col.max())  # type: ignore[arg-type]


COLUMNS = {
    **{c: humanize(c) for c in frame.columns},
    S.shoe_id: st.column_config.TextColumn("Shoe id", pinned=True),
    S.msrp_usd: st.column_config.NumberColumn("MSRP", format="$%.0f"),
    S.source: st.column_config.TextColumn("Source", width="medium"),
}

# -------------------------------------------------------------------------------- filters
with st.container(border=True):
    c1, c2, c3 = st.columns([2, 1, 1])
    brands = c1.multiselect("Brand", _choices(S.brand), key="cat-brands", placeholder="All brands")
    supports = c2.multiselect("Support", _choices(S.support), key="cat-support",
                              format_func=humanize, placeholder="All")
    terrains = c3.multiselect("Terrain", _choices(S.terrain), key="cat-terrain",
                              format_func=humanize, placeholder="All")
    c4, c5, c6, c7 = st.columns([2, 2, 1, 1])
    dlo, dhi = _bounds(S.drop_mm)
    drop = c4.slider("Drop (mm)", dlo, dhi, (dlo, dhi), step=0.5, key="cat-drop", format="%g mm")
    plo, phi = _bounds(S.msrp_usd)
    price = c5.slider("Price (USD)", plo, phi, (plo, phi), step=5.0, key="cat-price",
                      format="$%d")
    sortable = [s.name for s in SHOE_SPECS if s.kind in ("int", "float", "str", "enum")
                and s.name != S.source]
    sort_by = c6.selectbox("Sort by", sortable, index=sortable.index(S.drop_mm), key="cat-sort",
                           format_func=humanize)
    descending = c7.toggle("Descending", key="cat-desc")

filtered = frame.filter(
    (pl.col(S.brand).is_in(brands) if brands else pl.lit(True))
    & (pl.col(S.support).is_in(supports) if supports else pl.lit(True))
    & (pl.col(S.terrain).is_in(terrains) if terrains else pl.lit(True))
    & pl.col(S.drop_mm).is_between(*drop) & pl.col(S.msrp_usd).is_between(*price)
).sort([sort_by, S.shoe_id], descending=[descending, False])

st.markdown(f"**{filtered.height} of {len(cat)} shoes**")
st.dataframe(
    filtered.with_columns(pl.col(S.widths).list.join(", ")), hide_index=True,
    column_config=COLUMNS,
)

# -------------------------------------------------------------------------------- compare
st.subheader("Compare side by side")
compare = st.multiselect("Pick 2 to 4 shoes", cat.ids, key="cat-compare", max_selections=4,
                         format_func=labels.__getitem__, placeholder="Choose shoes")
if 2 <= len(compare) <= 4:
    picked = frame.filter(pl.col(S.shoe_id).is_in(compare)).sort(
        pl.col(S.shoe_id).replace_strict({s: i for i, s in enumerate(compare)},
                                         return_dtype=pl.Int64))
    as_text = picked.with_columns(pl.col(S.widths).list.join(", ")).select(
        pl.all().cast(pl.String))
    table = as_text.drop(S.shoe_id).transpose(
        include_header=True, header_name="Spec",
        column_names=[labels[s] for s in as_text.get_column(S.shoe_id)])
    with st.container(key="cat-compare-table"):
        st.dataframe(table.with_columns(humanize_col("Spec")), hide_index=True)
else:
    st.caption("Choose at least two shoes to see their specs side by side.")

# -------------------------------------------------------------------------------- similar
st.subheader("Similar shoes")
s1, s2, s3 = st.columns([3, 1, 1], vertical_alignment="bottom")
anchor = s1.selectbox("Shoes similar in spec to", cat.ids, key="cat-similar-to",
                      format_func=labels.__getitem__)
k = s2.number_input("How many", 1, 20, 5, key="cat-similar-k")
only_filtered = s3.toggle("Only the filtered shoes", key="cat-similar-filtered")
candidates = filtered.get_column(S.shoe_id).to_list() if only_filtered else None
near = similar_shoes(anchor, k=int(k), candidates=candidates, catalog=cat)
if near:
    ranks = pl.DataFrame({S.shoe_id: [s for s, _ in near], "distance": [d for _, d in near]})
    with st.container(key="cat-similar-table"):
        st.dataframe(
            ranks.join(frame, on=S.shoe_id, how="left").with_columns(
                pl.col(S.widths).list.join(", ")).drop(S.source),
            hide_index=True,
            column_config={**COLUMNS, "distance": st.column_config.NumberColumn(
                "Distance", help="Distance in scaled spec space: smaller is more alike",
                format="%.2f")})
else:
    st.info("No other shoe matches the filters.")
