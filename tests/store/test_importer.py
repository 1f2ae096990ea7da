"""import_inventory on realistic exports of each format (tests/store/exports/)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from recommender.store import ExportError, import_inventory
from recommender.store.importer import INVENTORY_COLUMNS, NOT_IMPORTED, WARNING

EXPORTS = Path(__file__).parent / "exports"


def _accounted(result) -> None:
    """Nothing dropped: every variant row (× location) is imported or to review, once."""
    assert result.imported + result.to_review == result.rows_read
    assert list(result.inventory.columns) == list(INVENTORY_COLUMNS)
    assert result.inventory.select(pl.col("shoe_id").is_null().any()).item() is False


def _inv(result, sku, store_id=None) -> dict:
    rows = result.inventory.filter(pl.col("sku") == sku)
    if store_id is not None:
        rows = rows.filter(pl.col("store_id") == store_id)
    assert rows.height == 1, rows
    return rows.row(0, named=True)


def _review(result, sku) -> list[dict]:
    return result.review.filter(pl.col("sku") == sku).to_dicts()


def test_shopify_legacy_headers_with_continuation_rows(catalog):
    r = import_inventory(EXPORTS / "shopify_products_legacy.csv", "shopify", catalog)
    _accounted(r)
    assert r.skipped == 1  # the image-only line of the Ghost 16 handle
    # continuation rows inherit Title/Vendor/gender and the option names of the first row
    for sku, size, width in [("110419-1D-001-090", 9.0, "standard"),
                             ("110419-1D-001-095", 9.5, "standard"),
                             ("110419-2E-001-100", 10.0, "wide"),
                             ("110419-4E-001-105", 10.5, "extra_wide")]:
        row = _inv(r, sku)
        assert (row["shoe_id"], row["size_us"], row["width"], row["line"]) == (
            "brooks-ghost-16", size, width, "mens")
        assert row["match"] == "title" and row["match_score"] == 100.0
    assert _inv(r, "110419-1D-001-090")["gtin"] == "0190340123450"  # leading zero kept
    # a negative quantity is read as 0 and said so in the review file
    assert _inv(r, "110419-4E-001-105")["quantity"] == 0
    (warn,) = _review(r, "110419-4E-001-105")
    assert warn["status"] == WARNING and "negative" in warn["reason"]
    # women's line from the gender column and the title; width "Wide" only in the title
    row = _inv(r, "1127896-CRCL-08")
    assert (row["shoe_id"], row["line"], row["size_us"], row["width"], row["price_usd"]) == (
        "hoka-clifton-10", "womens", 8.0, "wide", 145.0)
    # not imported, each with its reason
    reasons = {x["sku"]: x for x in r.review.filter(pl.col("status") == NOT_IMPORTED).to_dicts()}
    assert set(reasons) == {"110369-1D-010", "GH16-TYPO-110", "S20936-B-090", "BAL-HC-M"}
    assert "version 14" in reasons["110369-1D-010"]["reason"]
    assert reasons["GH16-TYPO-110"]["candidate_1"] == "brooks-ghost-16"
    assert reasons["GH16-TYPO-110"]["score_1"] < 90
    assert "narrow" in reasons["S20936-B-090"]["reason"]
    assert "no size" in reasons["BAL-HC-M"]["reason"]
    assert json.loads(reasons["BAL-HC-M"]["raw"])["Variant SKU"] == "BAL-HC-M"


def test_shopify_2024_headers_eu_sizes_womens(catalog):
    r = import_inventory(EXPORTS / "shopify_products_2024.csv", "shopify", catalog)
    _accounted(r)
    assert r.skipped == 1
    row = _inv(r, "S10936-16-39")
    # "EU Size" 39 on a women's line = US 8; barcode kept as text with its leading zero
    assert (row["shoe_id"], row["line"], row["size_us"], row["width"], row["gtin"]) == (
        "saucony-guide-17", "womens", 8.0, "standard", "0196571234569")
    assert _inv(r, "S10936-16-40")["width"] == "wide"  # women's D
    assert _inv(r, "S10936-16-42 2/3")["size_us"] == 10.5
    assert _inv(r, "1011B867-001-95")["width"] == "extra_wide"
    (amb,) = _review(r, "1011B867-001-43.5")
    assert amb["status"] == NOT_IMPORTED and "between US 9.5 and US 10" in amb["reason"]


def test_shopify_inventory_multi_location_not_stocked(catalog):
    r = import_inventory(EXPORTS / "shopify_inventory.csv", "shopify-inventory", catalog)
    _accounted(r)
    assert r.rows_read == 6 and r.imported == 6
    assert set(r.inventory["store_id"]) == {"Main Street", "Riverside Warehouse"}
    # "not stocked" → 0 (documented), the Available column is what is read
    assert _inv(r, "110419-2E-001-100", "Main Street")["quantity"] == 0
    assert _inv(r, "110419-2E-001-100", "Riverside Warehouse")["quantity"] == 1
    assert _inv(r, "110419-1D-001-090", "Main Street")["quantity"] == 3
    row = _inv(r, "1127896-BBLC-075", "Main Street")
    assert (row["shoe_id"], row["line"], row["size_us"]) == ("hoka-clifton-10", "womens", 7.5)


def test_square_two_locations(catalog):
    r = import_inventory(EXPORTS / "square_items.csv", "square", catalog)
    _accounted(r)
    assert r.rows_read == 8  # 4 variations × 2 "Current Quantity <location>" columns
    assert _inv(r, "110419-1D-001-100", "Riverside")["quantity"] == 3
    assert _inv(r, "110419-1D-001-090", "Downtown")["gtin"] == "0190340123450"
    # no item options: the variation name "8.5, Wide" carries size and width
    row = _inv(r, "1127896W-085-D", "Downtown")
    assert (row["line"], row["size_us"], row["width"]) == ("womens", 8.5, "wide")
    ghost14 = _review(r, "110369-1D-090")
    assert len(ghost14) == 2 and all(x["status"] == NOT_IMPORTED for x in ghost14)
    assert any("quantity empty" in x["reason"] for x in ghost14)


def test_lightspeed_matrix_with_aliases(catalog):
    r = import_inventory(EXPORTS / "lightspeed_items.csv", "lightspeed", catalog,
                         aliases=EXPORTS / "aliases.csv")
    _accounted(r)
    assert r.imported == 5
    # alias by GTIN: the alias file has the 12-digit UPC, the export the 13-digit EAN
    assert _inv(r, "KAY31-BLK-090")["match"] == "gtin"
    assert (_inv(r, "KAY31-BLK-095")["width"], _inv(r, "KAY31-BLK-095")["size_us"]) == ("wide", 9.5)
    assert _inv(r, "KAY31-BLK-100")["size_us"] == 10.0  # UK 9 men's
    assert _inv(r, "GD17W-NVY-25")["size_us"] == 8.0  # 25 cm women's
    # an unreadable title, matched by the style number in the aliases file
    row = _inv(r, "XX-GHST16-10")
    assert (row["shoe_id"], row["match"], row["line"]) == ("brooks-ghost-16", "alias", "mens")
    # the alias pointing outside the catalog is reported, not used
    (p,) = r.problems.to_dicts()
    assert p["column"] == "shoe_id" and p["value"] == "brooks-ghost-99"


def test_alias_cannot_override_a_stated_version(catalog, tmp_path):
    aliases = pl.DataFrame({"code": ["110419-1D"], "shoe_id": ["brooks-ghost-15"]})
    r = import_inventory(EXPORTS / "shopify_inventory.csv", "shopify-inventory", catalog,
                         aliases=aliases)
    _accounted(r)
    ghost = r.review.filter(pl.col("sku").str.starts_with("110419-1D"))
    assert ghost.height == 2 and "title says version 16" in ghost["reason"][0]


def test_ghost_16_never_matches_a_catalog_with_only_ghost_17(tmp_path):
    small = pl.DataFrame({"shoe_id": ["brooks-ghost-17"], "brand": ["Brooks"],
                          "model": ["Ghost"], "version": ["17"]})
    r = import_inventory(EXPORTS / "shopify_inventory.csv", "shopify-inventory", small)
    _accounted(r)
    assert r.inventory.filter(pl.col("shoe_id") == "brooks-ghost-17").is_empty()
    ghost = r.review.filter(pl.col("title").str.contains("Ghost 16"))
    assert ghost.height == 4
    assert (ghost["candidate_1"] == "brooks-ghost-17").all()
    assert ghost["reason"].str.contains("version 16 of this model is not in the catalog").all()


def test_generic_mapping_eu_sizes(catalog):
    r = import_inventory(EXPORTS / "generic_store.csv", "generic", catalog,
                         mapping=EXPORTS / "generic_mapping.json")
    _accounted(r)
    row = _inv(r, "00123")  # leading zeros of the store's code kept
    assert (row["shoe_id"], row["size_us"], row["line"], row["store_id"]) == (
        "hoka-clifton-10", 9.0, "mens", "north")  # EU 42 2/3 men's
    assert (_inv(r, "00124")["size_us"], _inv(r, "00124")["line"]) == (8.0, "womens")
    (p,) = r.problems.to_dicts()
    assert (p["row"], p["column"], p["value"]) == (3, "On Hand", "lots")


def test_generic_mapping_as_key_value_lines(catalog, tmp_path):
    m = tmp_path / "map.txt"
    m.write_text("# our field = their column\ntitle=Desc\nsize=Size (EU)\nsize_system=eu\n"
                 "quantity=On Hand\nsku=Item Code\nvendor=Brand\n")
    r = import_inventory(EXPORTS / "generic_store.csv", "generic", catalog, mapping=m)
    assert r.imported == 2


def test_xlsx_square_export_with_instructions_and_numeric_codes(catalog, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Items"
    ws.append(["Square item library export. Do not edit the Token column."])
    ws.append([])
    ws.append(["Token", "Item Name", "Variation Name", "SKU", "GTIN", "Option Name 1",
               "Option Value 1", "Price", "Current Quantity Main", "Current Quantity Annex"])
    ws.append(["T1", "Brooks Ghost 16", "9.5", "110419-095", "0190340123467", "Size", 9.5,
               140, 3, 0])
    # a UPC-A with a leading zero saved as a number: 012345678905 → 12345678905
    ws.append(["T2", "Brooks Ghost 16", "10", 11041910, 12345678905, "Size", 10, 140.0, 2, 1])
    path = tmp_path / "square.xlsx"
    wb.save(path)
    r = import_inventory(path, "square", catalog)
    _accounted(r)
    assert r.imported == 4
    assert _inv(r, "110419-095", "Main")["gtin"] == "0190340123467"
    assert _inv(r, "110419-095", "Main")["size_us"] == 9.5
    row = _inv(r, "11041910", "Annex")
    assert (row["gtin"], row["quantity"], row["price_usd"]) == ("12345678905", 1, 140.0)
    warned = r.review.filter(pl.col("status") == WARNING)
    assert warned.height == 2 and all("fewer than 12" in x for x in warned["reason"])
    assert r.problems.filter(pl.col("value") == "12345678905").height == 2


def test_unreadable_files_name_file_and_column(catalog, tmp_path):
    with pytest.raises(ExportError, match="no such file"):
        import_inventory(tmp_path / "missing.csv", "shopify", catalog)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Handle,Title\nx,\xff\xfe\n")
    with pytest.raises(ExportError, match="not UTF-8"):
        import_inventory(bad, "shopify", catalog)
    no_qty = tmp_path / "noqty.csv"
    no_qty.write_text("Handle,Title,Option1 Name,Option1 Value\nh,Brooks Ghost 16,Size,9\n")
    with pytest.raises(ExportError, match="Variant Inventory Qty") as exc:
        import_inventory(no_qty, "shopify", catalog)
    assert str(no_qty) in str(exc.value)
    with pytest.raises(ExportError, match="unknown format"):
        import_inventory(no_qty, "woocommerce", catalog)
    with pytest.raises(ExportError, match="no header row"):
        import_inventory(EXPORTS / "square_items.csv", "lightspeed", catalog)
