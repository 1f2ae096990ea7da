"""The manager's mapping review applied to an import (issue 14 item 6)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from recommender.store import apply_review, decisions, mapping_review, read_export
from recommender.store.importer import LEFT_OUT, build_inventory

EXPORTS = Path(__file__).parent / "exports"


@pytest.fixture()
def legacy(catalog):
    export = read_export(EXPORTS / "shopify_products_legacy.csv", "shopify")
    return export, build_inventory(export, catalog.frame, file="legacy.csv")


def test_review_lists_unmatched_titles_with_candidates(legacy) -> None:
    _, first = legacy
    review = mapping_review(first)
    titles = dict(zip(review["title"], review["candidate_1"], strict=True))
    assert titles["Brooks Gohst 16"] == "brooks-ghost-16"
    assert "Brooks Men's Ghost 14" in titles  # never silently mapped to Ghost 15
    assert review["choice"].is_null().all()  # unmatched: left out until the manager picks


def test_override_imports_every_row_of_the_title(legacy, catalog) -> None:
    export, first = legacy
    review = mapping_review(first).with_columns(
        pl.when(pl.col("title") == "Brooks Gohst 16").then(pl.lit("brooks-ghost-16"))
        .otherwise(pl.col("choice")).alias("choice"))
    result = apply_review(export, catalog.frame, decisions(review), file="legacy.csv")
    row = result.inventory.filter(pl.col("sku") == "GH16-TYPO-110").row(0, named=True)
    assert (row["shoe_id"], row["match"], row["match_score"], row["size_us"]) == (
        "brooks-ghost-16", "review", 100.0, 11.0)
    assert result.imported == first.imported + 1
    assert "GH16-TYPO-110" not in set(result.review["sku"].drop_nulls())
    # the rows left out are in the review file, saying so; nothing else changed
    left = result.review.filter(pl.col("title") == "Brooks Men's Ghost 14")
    assert left.height and left["reason"].str.contains(LEFT_OUT).all()
    same = result.inventory.filter(pl.col("sku") != "GH16-TYPO-110")
    assert same.drop("match", "match_score").equals(first.inventory.drop("match", "match_score"))


def test_override_can_leave_a_matched_title_out(legacy, catalog) -> None:
    export, first = legacy
    title = "Brooks Men's Ghost 16 Running Shoe - Black/White"
    result = apply_review(export, catalog.frame, {title: None})
    assert not result.inventory["sku"].str.starts_with("110419").any()
    assert result.imported == first.imported - 4


def test_override_to_an_unknown_shoe_is_refused(legacy, catalog) -> None:
    export, _ = legacy
    with pytest.raises(ValueError, match="no-such-shoe"):
        apply_review(export, catalog.frame, {"Brooks Gohst 16": "no-such-shoe"})
