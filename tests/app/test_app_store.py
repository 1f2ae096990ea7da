"""Store inventory page, driven through AppTest: sample data, uploads (AppTest's
``file_uploader.set_value``), validation tables and scoring."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "data" / "inventory_sample.csv"
RUNNERS = ROOT / "data" / "runners.csv"
PAGE = "views/store.py"


def uploads(at: AppTest) -> AppTest:
    return at.radio(key="store-source").set_value("Upload my own files").run()


def upload(at: AppTest, kind: str, name: str, data: bytes) -> AppTest:
    return at.file_uploader(key=f"store-upload-{kind}").set_value(
        (name, data, "application/octet-stream")).run()


def bad_inventory() -> bytes:
    lines = INVENTORY.read_text(encoding="utf-8").splitlines()
    header, first, second = lines[0], lines[1], lines[2]
    cells = second.split(",")
    cells[0], cells[1] = "BAD-SKU-1", "no-such-shoe-1"  # row 2: unknown shoe_id
    third = first.split(",")
    third[0], third[4] = "BAD-SKU-2", "-3"  # row 3: negative quantity
    return "\n".join([header, first, ",".join(cells), ",".join(third)]).encode() + b"\n"


def test_samples_validate_and_score(new_app):
    at = new_app(PAGE)
    inv_rows = pl.read_csv(INVENTORY, infer_schema=False).height
    assert [s.value for s in at.success] == [f"Inventory: {inv_rows:,} row(s), all valid.",
                                             "Runners: 2,000 row(s), all valid."]
    at.button(key="store-score").click().run()
    assert not at.exception
    assert not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Runners scored"] == "2,000"
    assert metrics["Runner rows rejected"] == "0"
    heading = [s.value for s in at.subheader]
    assert heading == ["Coverage by runner segment", "Under-served segments",
                       "What to stock next", "Runners with no in-stock match", "Matches"]
    heatmap = at.get("vega_lite_chart")
    assert len(heatmap) == 1 and '"rect"' in heatmap[0].proto.spec
    assert '"threshold"' in heatmap[0].proto.spec and "redyellowgreen" not in heatmap[0].proto.spec
    tables = [d.value for d in at.dataframe]
    underserved = next(t for t in tables if "share" in t.columns)
    assert list(underserved["share"]) == sorted(underserved["share"])
    # two stores in the sample: the unmatched table has a row per runner and store not
    # served, with shoe names, not slugs
    unmatched = next(t for t in tables if "nearest_in_stock_name" in t.columns)
    assert "nearest_in_stock" not in unmatched.columns and "best_catalog_pick" not in unmatched
    assert unmatched.groupby("runner_id")["store_id"].nunique().max() <= 2
    named = unmatched["best_catalog_pick_name"].dropna()
    assert len(named) and not named.str.fullmatch(r"[a-z0-9-]+").any()
    matches = next(t for t in tables if "brand" in t.columns and "quantity" in t.columns)
    for col in ("store_id", "brand", "model", "version", "size_us", "width", "quantity",
                "price_usd"):
        assert matches[col].notna().all(), col
    assert set(matches["rank"]) == set(range(1, 6))
    stock = next(t for t in tables if "new_runners" in t.columns)
    assert list(stock["step"]) == list(range(1, len(stock) + 1)) and len(stock) > 0
    assert list(stock["new_runners"]) == sorted(stock["new_runners"], reverse=True)
    labels = [b.label for b in at.download_button]
    for label in ("Download coverage (CSV)", "Download what to stock next (CSV)",
                  "Download unmatched runners (CSV)", "Download all matches (CSV)",
                  "Download rejected rows (CSV)"):
        assert label in labels
    # fewer matches per runner only filters the view: no re-scoring, nothing wiped
    at.number_input(key="store-top").set_value(2).run()
    assert not at.info
    matches = next(d.value for d in at.dataframe if "brand" in d.value.columns)
    assert set(matches["rank"]) == {1, 2}
    # one store at a time: a view of the same run (nothing re-scored, nothing wiped)
    at.selectbox(key="store-id").set_value("store-002").run()
    assert not at.info
    assert any("store-002" in m.value for m in at.markdown)
    matches = next(d.value for d in at.dataframe if "brand" in d.value.columns)
    assert set(matches["store_id"]) == {"store-002"} and set(matches["rank"]) == {1, 2}
    unmatched = next(d.value for d in at.dataframe if "nearest_in_stock_name" in d.value.columns)
    assert set(unmatched["store_id"]) == {"store-002"}


def test_uploads_explain_what_is_needed_and_offer_a_template(new_app):
    at = uploads(new_app(PAGE))
    assert at.button(key="store-score").disabled
    assert any("add a valid inventory and a valid runners file" in c.value for c in at.caption)
    assert "Runners template (CSV)" in [b.label for b in at.download_button]
    # a runners file with only runner_id is enough
    at = upload(at, "runners", "few.csv", b"runner_id\nr1\nr2\n")
    assert any(s.value == "Runners: 2 row(s), all valid." for s in at.success)
    # a ;-separated file says so
    text = INVENTORY.read_text(encoding="utf-8").replace(",", ";")
    at = upload(at, "inventory", "semi.csv", text.encode())
    message = next(e.value for e in at.error if "cannot be used" in e.value)
    assert "semicolons" in message


def test_bad_inventory_upload_shows_the_problems_by_row_and_column(new_app):
    at = uploads(new_app(PAGE))
    at = upload(at, "inventory", "../../stock list.csv", bad_inventory())
    assert not at.exception
    assert any("Inventory: 2 problem(s) in 2 of 3 row(s)" in e.value for e in at.error)
    problems = at.get_by_key("store-problems-inventory").dataframe[0].value
    got = {(int(r.row), r.column) for r in problems.itertuples()}
    assert got == {(2, "shoe_id"), (3, "quantity")}
    assert "no-such-shoe-1" in set(problems["value"])
    assert "line" not in problems.columns  # one way to name a row: 1 = first data row
    # scoring waits for the runners file
    assert at.button(key="store-score").disabled
    # with runners, the valid rows are scored and the bad ones quarantined
    at = upload(at, "runners", "customers.csv", RUNNERS.read_bytes())
    at.button(key="store-score").click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Inventory rows rejected"] == "2"


def test_unreadable_upload_is_an_error_not_a_traceback(new_app):
    at = uploads(new_app(PAGE))
    at = upload(at, "inventory", "empty.csv", b"")
    assert not at.exception
    message = next(e.value for e in at.error if "cannot be used" in e.value)
    assert "is empty" in message
    assert "/tmp" not in message
    at = upload(at, "runners", "runners.csv", b"runner_id,shoe_colour\nr1,red\n")
    assert not at.exception
    assert any(e.value.startswith("Runners file cannot be used") for e in at.error)
    assert at.button(key="store-score").disabled


def test_parquet_uploads_and_batch_errors_are_shown(new_app):
    at = uploads(new_app(PAGE))
    # every inventory row out of stock: the library refuses to score (BatchError)
    stock = pl.read_csv(INVENTORY, infer_schema=False).head(20).with_columns(
        pl.lit("0").alias("quantity"))
    buf = io.BytesIO()
    stock.with_columns(pl.col("size_us").cast(pl.Float64), pl.col("quantity").cast(pl.Int64)
                       ).write_parquet(buf)
    at = upload(at, "inventory", "stock.PARQUET", buf.getvalue())
    assert any(s.value == "Inventory: 20 row(s), all valid." for s in at.success)
    at = upload(at, "runners", "runners.csv", RUNNERS.read_bytes())
    at.button(key="store-score").click().run()
    assert not at.exception
    message = next(e.value for e in at.error if e.value.startswith("Scoring stopped"))
    assert "no valid in-stock rows" in message
    assert "/tmp" not in message
    assert not at.metric


SHOPIFY = ROOT / "tests" / "store" / "exports" / "shopify_products_legacy.csv"


def _shopify_runners() -> bytes:
    """A men's 11 runner — only the misspelt "Brooks Gohst 16" row (M 11) fits them — and
    a men's 13 runner nothing in the export fits."""
    return (b"runner_id,sex,shoe_size_us,width,shoe_line\n"
            b"r-eleven,male,11,standard,mens\nr-thirteen,male,13,standard,mens\n")


def test_shopify_export_review_override_and_score(new_app):
    at = uploads(new_app(PAGE))
    at.selectbox(key="store-inv-format").set_value("shopify").run()
    at = at.file_uploader(key="store-upload-export").set_value(
        ("products_export.csv", SHOPIFY.read_bytes(), "text/csv")).run()
    assert not at.exception and not at.error
    # the mapping review names every unmatched title, with its best candidates
    labels = {sb.key: sb.label for sb in at.selectbox if (sb.key or "").startswith("store-map-")}
    misspelt = next(k for k, v in labels.items() if v.startswith("Brooks Gohst 16"))
    assert any(v.startswith("Brooks Men's Ghost 14") for v in labels.values())
    box = at.selectbox(key=misspelt)
    assert box.value.startswith("Leave out")
    assert any(o.endswith("(brooks-ghost-16)") for o in box.options)

    def imported() -> int:
        text = next(s.value for s in at.success if "imported from products_export.csv" in s.value)
        return int(text.split(" ")[0])

    before = imported()
    # the manager overrides: the misspelt title is the Ghost 16
    box.set_value(next(o for o in box.options if o.endswith("(brooks-ghost-16)"))).run()
    assert not at.exception
    assert imported() == before + 1
    labels = [b.label for b in at.download_button]
    for label in ("Download the mapping review (CSV)", "Download rows not imported (CSV)",
                  "Download the imported inventory (CSV)"):
        assert label in labels
    button = at.button(key="store-score")
    assert button.disabled and "runners" in button.proto.help  # says why
    at = upload(at, "runners", "customers.csv", _shopify_runners())
    at.button(key="store-score").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error]
    tables = [d.value for d in at.dataframe]
    matches = next(t for t in tables if "brand" in t.columns and "quantity" in t.columns)
    assert list(matches["sku"]) == ["GH16-TYPO-110"]  # the overridden row, and only it
    row = matches.iloc[0]
    assert (row["runner_id"], row["brand"], row["model"], row["version"], row["size_us"],
            row["quantity"]) == ("r-eleven", "Brooks", "Ghost", "16", 11.0, 1)
    unmatched = next(t for t in tables if "nearest_in_stock_name" in t.columns)
    assert list(unmatched["runner_id"]) == ["r-thirteen"]
    labels = [b.label for b in at.download_button]
    for label in ("Download coverage (CSV)", "Download unmatched runners (CSV)",
                  "Download all matches (CSV)", "Download rejected rows (CSV)",
                  "Download the mapping review (CSV)"):
        assert label in labels
    # matches per runner only filters the view
    at.number_input(key="store-top").set_value(1).run()
    assert not any("score again" in i.value for i in at.info)
    assert any("brand" in d.value.columns for d in at.dataframe)
    # leaving the title out again makes the run stale, and the page says so
    at.selectbox(key=misspelt).set_value(at.selectbox(key=misspelt).options[0]).run()
    assert any("score again" in i.value for i in at.info)
    assert imported() == before


def test_score_button_says_why_it_is_disabled(new_app):
    at = uploads(new_app(PAGE))
    button = at.button(key="store-score")
    assert button.disabled
    assert "inventory" in button.proto.help and "runners" in button.proto.help
