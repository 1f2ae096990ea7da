"""Multi-store batch scoring (issue 14 item 5, issue 17): store_id carried through, top N
per runner per store, coverage and unmatched per store, the minimum score for coverage,
and the runners no catalog shoe fits counted apart from those a store could serve."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from recommender.batch import OUTPUT_COLUMNS, score_inventory, score_inventory_files
from recommender.batch.coverage import ANY_STORE
from recommender.rules.sources import MIN_MATCH_SCORE
from recommender.spec.vocab import MATCH_DETAIL_COLUMNS


@pytest.fixture()
def shoes(catalog):
    cat = catalog.frame.filter((pl.col("role") == "daily") & (pl.col("drop_mm") >= 4)
                               & (pl.col("terrain") == "road")
                               & (pl.col("support") == "neutral"))
    return cat.get_column("shoe_id").to_list()[:3]


def _inventory(shoes: list[str]) -> pl.DataFrame:
    a, b, c = shoes
    rows = [("N-1", a, 9.0, "standard", 3, "north", 120.0),
            ("N-2", b, 9.0, "standard", 1, "north", None),
            ("N-3", c, 10.0, "standard", 2, "north", None),
            ("S-1", a, 9.0, "standard", 5, "south", 99.0),   # the same shoe, other store
            ("S-2", c, 11.0, "standard", 2, "south", None)]
    return pl.DataFrame(rows, schema=["sku", "shoe_id", "size_us", "width", "quantity",
                                      "store_id", "price_usd"], orient="row")


RUNNERS = pl.DataFrame({
    "runner_id": ["nine", "ten", "eleven", "trail-wide"],
    "shoe_size_us": ["9", "10", "11", "9"],
    "width": ["standard", "standard", "standard", "extra_wide"],
    # a trail runner in extra-wide with a price cap no catalog shoe meets: nothing fits
    "running_terrain": ["road", "road", "road", "trail"],
    "max_price_usd": ["", "", "", "41"],
})


def test_store_id_carried_through_and_top_n_per_store(shoes, catalog) -> None:
    res = score_inventory(_inventory(shoes), RUNNERS, catalog=catalog, top=1)
    s = res.scored
    assert tuple(s.columns) == (*OUTPUT_COLUMNS, "store_id", *MATCH_DETAIL_COLUMNS)
    nine = s.filter(pl.col("runner_id") == "nine").sort("store_id")
    # one row per store (top 1 per runner *per store*), each store's own SKU and price
    assert nine.select("store_id", "rank", "sku").rows() == [("north", 1, nine["sku"][0]),
                                                              ("south", 1, "S-1")]
    assert nine.filter(pl.col("store_id") == "south")["price_usd"][0] == 99.0
    assert set(s.filter(pl.col("runner_id") == "ten")["store_id"]) == {"north"}
    assert set(s.filter(pl.col("runner_id") == "eleven")["store_id"]) == {"south"}


def test_without_store_id_no_store_column(shoes, catalog) -> None:
    res = score_inventory(_inventory(shoes).drop("store_id").filter(
        pl.col("sku").str.starts_with("N")), RUNNERS, catalog=catalog)
    assert "store_id" not in res.scored.columns
    assert "store_id" not in res.coverage.columns and "store_id" not in res.unmatched.columns


def test_coverage_and_unmatched_per_store(shoes, catalog, tmp_path: Path) -> None:
    inv, run = tmp_path / "inv.csv", tmp_path / "runners.csv"
    _inventory(shoes).write_csv(inv)
    RUNNERS.write_csv(run)
    out = tmp_path / "scored.csv"
    summary = score_inventory_files(inv, run, out, catalog=catalog, min_score=0)
    scored = pl.read_csv(out, infer_schema=False)
    assert tuple(scored.columns[:9]) == OUTPUT_COLUMNS and scored.columns[9] == "store_id"
    cov = pl.read_csv(str(out) + ".coverage.csv")
    total = {r["store_id"]: r for r in cov.filter(pl.col("segment") == "all").iter_rows(
        named=True)}
    assert set(total) == {"north", "south", ANY_STORE}
    # north serves nine and ten; south nine and eleven; any store: three of four
    assert [total[k]["runners_with_match"] for k in ("north", "south", ANY_STORE)] == [2, 2, 3]
    # the trail runner: no catalog shoe passes their filters — counted apart, in every store
    for k in total:
        assert total[k]["runners_no_catalog_shoe"] == 1
        assert total[k]["runners_store_could_fix"] == (
            total[k]["runners"] - total[k]["runners_with_match"] - 1)
    assert total["north"]["runners_store_could_fix"] == 1  # eleven: south has their size
    assert (summary.runners_without_match, summary.runners_no_catalog_shoe) == (1, 1)
    unmatched = pl.read_csv(str(out) + ".unmatched.csv")
    got = set(unmatched.select("runner_id", "store_id").iter_rows())
    assert got == {("ten", "south"), ("eleven", "north"), ("trail-wide", "north"),
                   ("trail-wide", "south")}
    notes = dict(zip(unmatched["runner_id"], unmatched["note"], strict=False))
    assert notes["trail-wide"] == "no catalog shoe passes this runner's filters"
    # names beside the slugs
    ten = unmatched.filter(pl.col("runner_id") == "ten").row(0, named=True)
    assert ten["best_catalog_pick"] and " " in ten["best_catalog_pick_name"]


def test_min_score_changes_coverage(shoes, catalog) -> None:
    low = score_inventory(_inventory(shoes), RUNNERS, catalog=catalog, min_score=0)
    best = low.scored.group_by("runner_id", "store_id").agg(pl.col("score").max())
    cut = float(best["score"].min()) + 0.01  # above the poorest store-runner best match
    high = score_inventory(_inventory(shoes), RUNNERS, catalog=catalog, min_score=cut)
    assert high.scored.equals(low.scored)  # the matches are listed either way

    def served(res) -> int:
        return res.coverage.filter((pl.col("segment") == "all")
                                   & (pl.col("store_id") != ANY_STORE))["runners_with_match"].sum()

    assert served(high) == served(low) - best.filter(pl.col("score") < cut).height
    poor = high.unmatched.filter(pl.col("best_in_stock_score").is_not_null())
    assert poor.height >= 1 and (poor["best_in_stock_score"] < cut).all()
    assert set(poor["note"]) == {"matches in stock score below the minimum score (a poor fit)"}
    # everything counts at 0; nothing at 100.01 is impossible: the range is checked
    with pytest.raises(Exception, match="min-score"):
        score_inventory(_inventory(shoes), RUNNERS, catalog=catalog, min_score=101)


def test_default_min_score_is_the_named_threshold(shoes, catalog) -> None:
    import inspect

    assert inspect.signature(score_inventory).parameters["min_score"].default == MIN_MATCH_SCORE
    assert inspect.signature(score_inventory_files).parameters["min_score"].default \
        == MIN_MATCH_SCORE
