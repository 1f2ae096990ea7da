"""Altair charts of library results. They draw what the library computed; nothing is
scored or decided here."""

from __future__ import annotations

import altair as alt
import polars as pl

from recommender import Recommendation
from recommender.app_support import score_points, split_exclusions
from recommender.catalog import Catalog
from recommender.rules import COMPONENT_NAMES
from recommender.spec.vocab import S

from .common import humanize, humanize_col

RECOMMENDED = "Recommended for you"
LOCKED = "Locked: strength first"
FILTERED = "Left out by your answers"
ELIGIBLE = "Other eligible shoes"
_STATUS_COLORS = {RECOMMENDED: "#1f7a5c", LOCKED: "#d9822b", FILTERED: "#c4c4c4",
                  ELIGIBLE: "#7aa6c2"}


def components_chart(rec: Recommendation, labels: dict[str, str]) -> alt.Chart:
    """One bar per recommended shoe, split into the points each score component adds."""
    parts = [humanize(n) for n in COMPONENT_NAMES]
    points = score_points(rec).with_columns(
        pl.col("shoe_id").replace_strict(labels, default=pl.col("shoe_id")).alias("shoe"),
        pl.col("component").replace_strict(dict(zip(COMPONENT_NAMES, parts, strict=True)))
        .alias("part"),
        pl.col("component").replace_strict({n: i for i, n in enumerate(COMPONENT_NAMES)},
                                           return_dtype=pl.Int64).alias("order"),
    )
    order = [labels.get(s.shoe_id, s.shoe_id) for s in rec.recommendations]
    return alt.Chart(points).mark_bar().encode(
        x=alt.X("sum(points):Q", title="Score (0–100)", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("shoe:N", sort=order, title=None, axis=alt.Axis(labelLimit=150)),
        color=alt.Color("part:N", sort=parts, title=None,
                        scale=alt.Scale(scheme="tableau10"),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=120)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("shoe:N", title="Shoe"), alt.Tooltip("part:N", title="Component"),
                 alt.Tooltip("value:Q", title="Fit (0–1)", format=".2f"),
                 alt.Tooltip("points:Q", title="Points", format=".1f")],
    ).properties(height=alt.Step(34))


def points_table(rec: Recommendation, labels: dict[str, str]) -> pl.DataFrame:
    """The chart's numbers as a table (touch screens cannot hover): points per part."""
    points = score_points(rec)
    wide = points.with_columns(
        pl.col("component").replace_strict({n: humanize(n) for n in COMPONENT_NAMES}),
        pl.col("points").round(1),
    ).pivot(on="component", index=["rank", "shoe_id"], values="points")
    return wide.with_columns(
        pl.col("shoe_id").replace_strict(labels, default=pl.col("shoe_id")).alias("Shoe"),
    ).select("Shoe", pl.exclude("Shoe", "rank", "shoe_id"))


def catalog_status(rec: Recommendation, cat: Catalog) -> pl.DataFrame:
    """The catalog with each shoe's status for this runner."""
    locked, _ = split_exclusions(rec.excluded)
    recommended = [s.shoe_id for s in rec.recommendations]
    locked_ids = [e.shoe_id for e in locked]
    filtered_ids = [e.shoe_id for e in rec.excluded]
    sid = pl.col(S.shoe_id)
    return cat.frame.select(
        S.shoe_id, S.brand, S.model, S.version, S.support, S.drop_mm, S.heel_stack_mm,
        S.msrp_usd,
        pl.when(sid.is_in(recommended)).then(pl.lit(RECOMMENDED))
        .when(sid.is_in(locked_ids)).then(pl.lit(LOCKED))
        .when(sid.is_in(filtered_ids)).then(pl.lit(FILTERED))
        .otherwise(pl.lit(ELIGIBLE)).alias("status"),
        (pl.col(S.brand) + " " + pl.col(S.model) + " " + pl.col(S.version)).alias("shoe"),
    ).with_columns(pl.col(S.support).str.replace("_", " "))


def catalog_scatter(rec: Recommendation, cat: Catalog) -> alt.Chart:
    """Every catalog shoe by drop and heel stack; the recommendations stand out."""
    frame = catalog_status(rec, cat)
    domain = list(_STATUS_COLORS)
    base = alt.Chart(frame).encode(
        x=alt.X(f"{S.drop_mm}:Q", title="Heel-to-toe drop (mm)", scale=alt.Scale(padding=12)),
        y=alt.Y(f"{S.heel_stack_mm}:Q", title="Heel stack (mm)",
                scale=alt.Scale(zero=False, padding=12)),
    )
    return base.mark_point(filled=True, opacity=0.85).encode(
        color=alt.Color("status:N", scale=alt.Scale(domain=domain,
                                                    range=[_STATUS_COLORS[d] for d in domain]),
                        title=None, legend=alt.Legend(orient="bottom", columns=2)),
        size=alt.condition(alt.datum.status == RECOMMENDED, alt.value(160), alt.value(40)),
        shape=alt.Shape("status:N", scale=alt.Scale(
            domain=domain, range=["diamond", "triangle-up", "circle", "circle"]), title=None),
        order=alt.condition(alt.datum.status == RECOMMENDED, alt.value(2), alt.value(1)),
        tooltip=[alt.Tooltip("shoe:N", title="Shoe"), alt.Tooltip(f"{S.support}:N", title="Support"),
                 alt.Tooltip(f"{S.drop_mm}:Q", title="Drop (mm)"),
                 alt.Tooltip(f"{S.heel_stack_mm}:Q", title="Heel stack (mm)"),
                 alt.Tooltip(f"{S.msrp_usd}:Q", title="MSRP ($)"),
                 alt.Tooltip("status:N", title="For you")],
    ).properties(height=360)


#: Natural order of the segment values (size bands from small to large, and so on).
VALUE_ORDER = {v: i for i, v in enumerate((
    "strength first", "unlocked", "road", "mixed", "trail", "narrow", "standard", "wide",
    "extra_wide", "up to 7", "7.5-9", "9.5-11", "11.5 and up", "unknown", "lower drop",
    "keep drop", "8 mm or more"))}
SEGMENT_WORDS = {"gate": "Strength gate", "terrain": "Terrain", "width": "Width",
                 "size_band": "Size (US)", "drop_need": "Drop need"}
#: Coverage in steps a reader can tell apart (colour-blind safe, dark = poorly served).
SHARE_STEPS = [0.5, 0.7, 0.8, 0.9, 0.95]
SHARE_COLORS = ["#08306b", "#2171b5", "#4292c6", "#9ecae1", "#deebf7", "#f7fbff"]


def coverage_heatmap(coverage: pl.DataFrame) -> alt.FacetChart:
    """Per runner segment and value, the share of runners with an in-stock match."""
    data = coverage.filter(pl.col("segment") != "all").with_columns(
        pl.col("value").replace_strict(VALUE_ORDER, default=99, return_dtype=pl.Int64)
        .alias("order"),
        pl.col("segment").replace_strict(SEGMENT_WORDS, default=pl.col("segment"))
        .alias("segment"),
        humanize_col("value"),
    ).sort("segment", "order", "value")
    order = data.get_column("value").to_list()
    base = alt.Chart().encode(x=alt.X("value:N", title=None, sort=order,
                                      axis=alt.Axis(labelAngle=0, orient="top")))
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color("share:Q", title="Share of runners matched", scale=alt.Scale(
            type="threshold", domain=SHARE_STEPS, range=SHARE_COLORS),
            legend=alt.Legend(format=".0%")),
        tooltip=[alt.Tooltip("segment:N", title="Segment"), alt.Tooltip("value:N", title="Group"),
                 alt.Tooltip("runners:Q", title="Runners"),
                 alt.Tooltip("runners_with_match:Q", title="Runners with a match"),
                 alt.Tooltip("share:Q", title="Share matched", format=".1%")],
    )
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text("share:Q", format=".0%"),
        color=alt.condition(alt.datum.share < 0.8, alt.value("white"), alt.value("black")))
    return alt.layer(rect, text, data=data).properties(width=alt.Step(110), height=34).facet(
        row=alt.Row("segment:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left",
                                                               labelFontWeight="bold")),
    ).resolve_scale(x="independent")
