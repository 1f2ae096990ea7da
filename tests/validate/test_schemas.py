"""Every schema rule has a failing example, named by row and column (issue 2)."""

from __future__ import annotations

import polars as pl
import pytest

from recommender import ReadProblem
from recommender.errors import FileProblem
from recommender.io import read_raw, validate_raw
from recommender.spec.vocab import SHOE_SPECS, S
from recommender.validate.coerce import with_row_numbers

GOOD = {
    "shoe_id": "brooks-ghost-16", "brand": "Brooks", "model": "Ghost", "version": "16",
    "release_year": "2024", "terrain": "road", "support": "neutral", "drop_mm": "12",
    "heel_stack_mm": "35", "forefoot_stack_mm": "23", "weight_g": "283",
    "cushioning": "balanced", "widths": "standard;wide;extra_wide", "plate": "none",
    "rocker": "false", "msrp_usd": "140", "source": "https://www.brooksrunning.com",
    # SPEC §7.1 columns (required since the catalog rebuild of issue 11)
    "role": "daily", "audience": "mens", "weight_ref": "men's US 9", "verified": "page",
}


def shoes(*rows: dict) -> pl.DataFrame:
    return with_row_numbers(pl.DataFrame(list(rows), schema={s.name: pl.String for s in SHOE_SPECS}))


def problems_for(**changes: str) -> pl.DataFrame:
    good2 = {**GOOD, "shoe_id": "hoka-clifton-9", "brand": "Hoka"}
    bad = {**GOOD, **changes}
    result = validate_raw(shoes(good2, bad), "shoes", file="shoes.csv")
    assert result.frame.get_column(S.shoe_id).to_list() == ["hoka-clifton-9"], "good row kept"
    return result.problems


def test_good_rows_pass() -> None:
    result = validate_raw(shoes(GOOD), "shoes", file="shoes.csv")
    assert result.ok and result.frame.height == 1
    assert result.frame.get_column(S.rocker).dtype == pl.Boolean
    assert result.frame.get_column(S.widths).to_list() == [["standard", "wide", "extra_wide"]]


@pytest.mark.parametrize(("change", "column", "words"), [
    ({"shoe_id": "Brooks_Ghost"}, "shoe_id", "slug"),
    ({"shoe_id": "brooks--ghost"}, "shoe_id", "slug"),
    ({"release_year": "2014"}, "release_year", "below the minimum 2015"),
    ({"release_year": "2031"}, "release_year", "above the maximum 2030"),
    ({"release_year": "2024.5"}, "release_year", "whole number"),
    ({"terrain": "track"}, "terrain", "one of road, trail"),
    ({"support": "max_support"}, "support", "one of neutral"),
    ({"drop_mm": "17", "heel_stack_mm": "40", "forefoot_stack_mm": "23"}, "drop_mm", "above the maximum 16"),
    ({"drop_mm": "-1"}, "drop_mm", "below the minimum 0"),
    ({"drop_mm": "ten"}, "drop_mm", "expected a number"),
    ({"drop_mm": "nan"}, "drop_mm", "finite"),
    ({"drop_mm": "inf"}, "drop_mm", "finite"),
    ({"heel_stack_mm": "61"}, "heel_stack_mm", "above the maximum 60"),
    ({"forefoot_stack_mm": "4"}, "forefoot_stack_mm", "below the minimum 5"),
    ({"heel_stack_mm": "40"}, "heel_stack_mm;forefoot_stack_mm;drop_mm", "heel_stack_mm - forefoot"),
    ({"weight_g": "100"}, "weight_g", "below the minimum 120"),
    ({"cushioning": "plush"}, "cushioning", "one of firm"),
    ({"widths": ""}, "widths", "must list at least one item"),
    ({"widths": "standard;narrow"}, "widths", "has an item that is not one of"),
    ({"widths": "wide;wide"}, "widths", "twice"),
    ({"plate": "titanium"}, "plate", "one of none"),
    ({"rocker": "maybe"}, "rocker", "true/false"),
    ({"msrp_usd": "39"}, "msrp_usd", "below the minimum 40"),
    ({"msrp_usd": "1e300"}, "msrp_usd", "above the maximum 400"),
    ({"source": ""}, "source", "required"),
    ({"source": "   "}, "source", "required"),
    ({"brand": ""}, "brand", "required"),
])
def test_each_rule_names_row_and_column(change: dict, column: str, words: str) -> None:
    problems = problems_for(**change)
    hit = problems.filter(pl.col("column") == column)
    assert hit.height >= 1, problems
    assert hit.get_column("row").to_list()[0] == 2
    assert any(words in r for r in hit.get_column("rule").to_list()), hit


def test_duplicate_ids_first_wins() -> None:
    result = validate_raw(shoes(GOOD, GOOD, GOOD), "shoes", file="shoes.csv")
    dup = result.problems.filter(pl.col("column") == "shoe_id")
    assert sorted(dup.get_column("row").to_list()) == [2, 3]
    assert "unique" in dup.get_column("rule")[0]
    assert result.frame.get_column("__row").to_list() == [1]


def test_empty_cell_takes_the_documented_default() -> None:
    raw = pl.DataFrame({"runner_id": ["a"], "running_terrain": [""], "width": [""],
                        "strength_status": [""]})
    result = validate_raw(with_row_numbers(raw), "runners", file="r.csv")
    row = result.frame.row(0, named=True)
    assert (row["running_terrain"], row["width"], row["strength_status"]) == ("road", "standard",
                                                                              "weak")


def test_booleans_accept_many_spellings() -> None:
    rows = [{**GOOD, "shoe_id": f"x-{i}", "rocker": v} for i, v in
            enumerate(["TRUE", "yes", "1", "No", "f", "false"])]
    result = validate_raw(shoes(*rows), "shoes", file="s.csv")
    assert result.ok
    assert result.frame.sort("__row").get_column("rocker").to_list() == [True, True, True, False,
                                                                          False, False]


def test_missing_and_unknown_columns_are_file_problems(tmp_path) -> None:
    frame = shoes(GOOD).drop("source").with_columns(pl.lit("x").alias("colour"))
    with pytest.raises(FileProblem) as err:
        validate_raw(frame, "shoes", file="s.csv")
    assert "source" in str(err.value) and "colour" in str(err.value)


def test_inventory_rules(catalog) -> None:
    inv = pl.DataFrame({
        "sku": ["A", "B", "B", "D", "E"], "shoe_id": [catalog.ids[0], "no-such-shoe",
                                                     catalog.ids[1], catalog.ids[2], catalog.ids[3]],
        "size_us": ["9", "9.5", "10.25", "3", "9"], "width": ["standard", "wide", "narrow",
                                                              "standard", "standard"],
        "quantity": ["1", "2", "-1", "0", "x"],
    })
    result = validate_raw(with_row_numbers(inv), "inventory", file="inv.csv",
                          catalog_ids=catalog.ids)
    p = result.problems
    cols = set(zip(p.get_column("row").to_list(), p.get_column("column").to_list(), strict=True))
    assert (2, "shoe_id") in cols and (3, "size_us") in cols and (3, "width") in cols
    assert (3, "quantity") in cols and (4, "size_us") in cols and (5, "quantity") in cols
    assert (3, "sku") in cols and (2, "sku") not in cols
    assert result.frame.get_column("sku").to_list() == ["A"]


def test_runner_rules() -> None:
    raw = pl.DataFrame({"runner_id": ["a", "b", "c"], "knee_pain_severity": ["3", "11", ""],
                        "tight": ["calves;hamstrings", "calves;it_band", ""],
                        "gait_overstriding": ["yes", "0", "perhaps"]})
    result = validate_raw(with_row_numbers(raw), "runners", file="r.csv")
    p = result.problems
    got = {(r, c) for r, c in zip(p["row"].to_list(), p["column"].to_list(), strict=True)}
    assert got == {(2, "knee_pain_severity"), (2, "tight"), (3, "gait_overstriding")}
    assert result.frame.get_column("runner_id").to_list() == ["a"]


def test_csv_parquet_round_trip(tmp_path, catalog) -> None:
    path_pq = tmp_path / "shoes.parquet"
    catalog.frame.write_parquet(path_pq)
    back = validate_raw(read_raw(path_pq, "shoes"), "shoes", file=str(path_pq))
    assert back.ok
    assert back.frame.drop("__row").sort("shoe_id").equals(catalog.frame)
    from recommender.io.write import write_table

    path_csv = tmp_path / "shoes.csv"
    write_table(catalog.frame, path_csv)
    again = validate_raw(read_raw(path_csv, "shoes"), "shoes", file=str(path_csv))
    assert again.ok and again.frame.drop("__row").sort("shoe_id").equals(catalog.frame)


@pytest.mark.parametrize(("content", "words"), [
    (b"", "empty"),
    (b"\xff\xfeshoe_id\n\xff\n", "UTF-8"),
])
def test_unreadable_files(tmp_path, content: bytes, words: str) -> None:
    p = tmp_path / "x.csv"
    p.write_bytes(content)
    with pytest.raises(ReadProblem) as err:
        read_raw(p, "shoes")
    assert words in str(err.value) and str(p) in str(err.value)


def test_bom_and_crlf_are_read(tmp_path) -> None:
    p = tmp_path / "r.csv"
    p.write_bytes("\ufeffrunner_id,knee_pain\r\na,yes\r\n".encode())
    result = validate_raw(read_raw(p, "runners"), "runners", file=str(p))
    assert result.ok and result.frame.get_column("knee_pain").to_list() == [True]
