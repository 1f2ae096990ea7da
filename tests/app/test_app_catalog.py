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


def test_catalog_renders_filters_and_similar_shoes(new_app):
    at = new_app(PAGE)
    assert not at.exception
    cat = load_catalog()
    assert at.title[0].value == "Catalog"
    assert at.markdown[0].value == f"**{len(cat)} of {len(cat)} shoes**"

    # similar shoes: exactly the library's neighbours of the selected shoe, nearest first
    anchor = at.selectbox(key="cat-similar-to").value
    table = at.get_by_key("cat-similar-table").dataframe[0].value
    expected = similar_shoes(anchor, k=5)
    assert list(table["shoe_id"]) == [s for s, _ in expected]
    assert list(table["distance"]) == [d for _, d in expected]

    at.selectbox(key="cat-similar-to").set_value("saucony-kinvara-14")
    at.number_input(key="cat-similar-k").set_value(3).run()
    table = at.get_by_key("cat-similar-table").dataframe[0].value
    assert list(table["shoe_id"]) == [s for s, _ in similar_shoes("saucony-kinvara-14", k=3)]
    assert "saucony-kinvara-14" not in set(table["shoe_id"])


def test_filters_narrow_the_table_and_the_similar_candidates(new_app):
    at = new_app(PAGE)
    cat = load_catalog()
    at.multiselect(key="cat-support").set_value(["stability"])
    at.multiselect(key="cat-terrain").set_value(["road"]).run()
    expected = cat.frame.filter((pl.col("support") == "stability") & (pl.col("terrain") == "road"))
    assert at.markdown[0].value == f"**{expected.height} of {len(cat)} shoes**"
    at.toggle(key="cat-similar-filtered").set_value(True).run()
    table = at.get_by_key("cat-similar-table").dataframe[0].value
    assert set(table["shoe_id"]) <= set(expected.get_column("shoe_id").to_list())
    assert set(table["support"]) == {"stability"}


def test_compare_two_to_four_shoes(new_app):
    at = new_app(PAGE)
    pick = at.multiselect(key="cat-compare")
    assert pick.max_selections == 4
    assert not _has_key(at, "cat-compare-table")  # nothing to compare yet
    pick.set_value(["saucony-kinvara-14", "brooks-ghost-16"]).run()
    assert not at.exception
    table = at.get_by_key("cat-compare-table").dataframe[0].value
    assert list(table.columns) == ["Spec", "Saucony Kinvara 14", "Brooks Ghost 16"]
    drop = table[table["Spec"] == "Drop mm"]
    cat = load_catalog().frame
    kinvara = cat.filter(pl.col("shoe_id") == "saucony-kinvara-14").get_column("drop_mm")[0]
    assert drop["Saucony Kinvara 14"].iloc[0] == str(kinvara)
