"""Catalog page, driven through AppTest."""

from __future__ import annotations

import polars as pl

from recommender.catalog import load_catalog
from recommender.similarity import similar_shoes

PAGE = "views/catalog.py"


def _has_key(at, key: str) -> bool:
    try:
        at.get_by_key(key)
    except KeyError:
        return False
    return True


def test_catalog_is_readable_and_similar_leaves_out_other_versions(new_app):
    at = new_app(PAGE)
    assert not at.exception
    cat = load_catalog()
    assert at.title[0].value == "Catalog"
    assert at.markdown[0].value == f"**{len(cat)} of {len(cat)} shoes**"
    table = at.get_by_key("cat-table").dataframe[0].value
    assert list(table.columns)[:4] == ["brand", "model", "version", "msrp_usd"]  # price on screen
    assert list(table.columns)[-1] == "shoe_id"  # the slug last, not first
    assert table["link"].str.startswith("http").all()  # clickable source links
    assert not table["widths"].str.contains("_").any()

    at.selectbox(key="cat-similar-to").set_value("saucony-kinvara-14")
    at.number_input(key="cat-similar-k").set_value(3).run()
    sim = at.get_by_key("cat-similar-table").dataframe[0].value
    assert "distance" not in sim.columns and "match" in sim.columns
    assert not sim["model"].eq("Kinvara").any()  # no other version of the same model
    others = cat.frame.filter(pl.col("model") != "Kinvara").get_column("shoe_id").to_list()
    assert list(sim["shoe_id"]) == [s for s, _ in similar_shoes(
        "saucony-kinvara-14", k=3, candidates=others)]


def test_filters_role_width_stack_weight_year_and_newest(new_app):
    at = new_app(PAGE)
    cat = load_catalog().frame
    at.multiselect(key="cat-support").set_value(["stability"])
    at.multiselect(key="cat-terrain").set_value(["road"]).run()
    expected = cat.filter((pl.col("support") == "stability") & (pl.col("terrain") == "road"))
    assert at.markdown[0].value == f"**{expected.height} of {len(cat)} shoes**"
    at.toggle(key="cat-similar-filtered").set_value(True).run()
    table = at.get_by_key("cat-similar-table").dataframe[0].value
    assert set(table["shoe_id"]) <= set(expected.get_column("shoe_id").to_list())

    at = new_app(PAGE)
    at.multiselect(key="cat-role").set_value(["daily"])
    at.multiselect(key="cat-width").set_value(["wide"])
    at.toggle(key="cat-newest").set_value(True).run()
    expected = cat.filter((pl.col("role") == "daily") & pl.col("widths").list.contains("wide")
                          & pl.col("superseded_by").is_null())
    assert at.markdown[0].value == f"**{expected.height} of {len(cat)} shoes**"
    for key in ("cat-stack", "cat-weight", "cat-years", "cat-drop", "cat-price"):
        assert at.slider(key=key) is not None


def test_compare_is_readable_and_highlights_differences(new_app):
    at = new_app(PAGE)
    pick = at.multiselect(key="cat-compare")
    assert pick.max_selections == 4
    assert not _has_key(at, "cat-compare-table")  # nothing to compare yet
    pick.set_value(["saucony-kinvara-14", "brooks-ghost-16"]).run()
    assert not at.exception
    table = at.get_by_key("cat-compare-table").dataframe[0].value
    assert list(table.columns) == ["Spec", "Saucony Kinvara 14", "Brooks Ghost 16", "Differs"]
    text = " ".join(table.drop(columns="Differs").astype(str).to_numpy().ravel())
    assert "Msrp usd" not in text and "extra_wide" not in text and "False" not in text.split()
    price = table[table["Spec"] == "Price"]
    assert price["Saucony Kinvara 14"].iloc[0].startswith("$")
    drop = table[table["Spec"] == "Drop (mm)"]
    assert bool(drop["Differs"].iloc[0]) is True
    assert list(table["Differs"]) == sorted(table["Differs"], reverse=True)  # differences first
    at.toggle(key="cat-compare-diff").set_value(True).run()
    table = at.get_by_key("cat-compare-table").dataframe[0].value
    assert table["Differs"].all()
    assert any("](https://" in c.value for c in at.caption)  # clickable sources
