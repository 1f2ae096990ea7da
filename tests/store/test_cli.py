"""gaitkeeper import-inventory: exit codes and the files written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl

EXPORTS = Path(__file__).parent / "exports"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recommender", *args], capture_output=True,
                          text=True, timeout=120)


def _read(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def test_import_writes_inventory_and_review(tmp_path: Path) -> None:
    out = tmp_path / "inventory.csv"
    p = run("import-inventory", str(EXPORTS / "shopify_products_legacy.csv"),
            "--format", "shopify", "--out", str(out))
    assert p.returncode == 0, p.stderr
    assert "11 variant row(s) read" in p.stderr and "7 imported" in p.stderr
    assert "4 to review" in p.stderr
    inv = _read(out)
    assert inv.columns == ["sku", "shoe_id", "size_us", "width", "quantity", "price_usd",
                           "store_id", "line", "gtin", "title", "match", "match_score"]
    assert inv.height == 7
    assert "0190340123450" in inv["gtin"].to_list()  # leading zero survives the round trip
    assert "'=1011B867.001" in inv["sku"].to_list()  # spreadsheet-safe
    review = _read(tmp_path / "inventory.csv.review.csv")
    assert review.height == 5 and set(review["status"]) == {"not_imported",
                                                            "imported_with_warning"}
    assert not list(tmp_path.glob(".*.part"))


def test_import_with_aliases_and_generic_mapping(tmp_path: Path) -> None:
    out = tmp_path / "ls.csv"
    p = run("import-inventory", str(EXPORTS / "lightspeed_items.csv"), "--format", "lightspeed",
            "--out", str(out), "--aliases", str(EXPORTS / "aliases.csv"))
    assert p.returncode == 0, p.stderr
    assert set(_read(out)["match"]) == {"gtin", "alias", "title"}
    out = tmp_path / "gen.csv"
    p = run("import-inventory", str(EXPORTS / "generic_store.csv"), "--format", "generic",
            "--out", str(out), "--mapping", str(EXPORTS / "generic_mapping.json"))
    assert p.returncode == 0, p.stderr
    assert _read(out)["sku"].to_list() == ["00123", "00124"]


def test_import_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "inv.csv"
    out.write_text("keep me\n")
    missing = tmp_path / "nope.csv"
    p = run("import-inventory", str(missing), "--format", "shopify", "--out", str(out))
    assert p.returncode == 2 and str(missing) in p.stderr and "Traceback" not in p.stderr
    p = run("import-inventory", str(EXPORTS / "square_items.csv"), "--format", "woo",
            "--out", str(out))
    assert p.returncode == 2
    no_qty = tmp_path / "noqty.csv"
    no_qty.write_text("Handle,Title,Option1 Name,Option1 Value\nh,Brooks Ghost 16,Size,9\n")
    p = run("import-inventory", str(no_qty), "--format", "shopify", "--out", str(out))
    assert p.returncode == 2
    assert str(no_qty) in p.stderr and "Variant Inventory Qty" in p.stderr
    p = run("import-inventory", str(EXPORTS / "generic_store.csv"), "--format", "generic",
            "--out", str(out))
    assert p.returncode == 2 and "--mapping" in p.stderr
    assert out.read_text() == "keep me\n"  # a failed run leaves an existing output alone
    assert not (tmp_path / "inv.csv.review.csv").exists()
