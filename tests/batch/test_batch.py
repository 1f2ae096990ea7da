"""Batch scoring of a store's inventory (issue 4): correctness on a hand-checked case,
size/width/stock, the gate on a cohort, quarantine, strict mode, atomic output,
spreadsheet safety, and the Ray engine equal to the local one row for row."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from recommender import parse_profile, recommend
from recommender.batch import OUTPUT_COLUMNS
from recommender.batch import score_inventory_files as score_inventory
from recommender.errors import BatchError
from recommender.spec.profile import profile_to_flat
from recommender.spec.vocab import MATCH_DETAIL_COLUMNS
from recommender.synth import synth_runners


def flat_csv(path: Path, profiles: list[dict]) -> Path:
    rows = []
    for p in profiles:
        flat = profile_to_flat(parse_profile(p))
        rows.append({k: (";".join(v) if isinstance(v, tuple) else v) for k, v in flat.items()})
    pl.DataFrame(rows, infer_schema_length=None).write_csv(path)
    return path


def inventory_csv(path: Path, rows: list[tuple]) -> Path:
    pl.DataFrame(rows, schema=["sku", "shoe_id", "size_us", "width", "quantity"],
                 orient="row").write_csv(path)
    return path


@pytest.fixture()
def small_case(tmp_path: Path, catalog):
    # daily trainers at 4 mm or more: what a daily runner with knee pain may be offered
    cat = catalog.frame.filter((pl.col("role") == "daily") & (pl.col("drop_mm") >= 4))
    neutral_road = cat.filter((pl.col("support") == "neutral") & (pl.col("terrain") == "road")
                              & pl.col("widths").list.contains("wide")).get_column("shoe_id")
    stability = cat.filter((pl.col("support") == "stability") & (pl.col("terrain") == "road")) \
        .get_column("shoe_id")
    n1, n2, n3 = neutral_road[0], neutral_road[1], neutral_road[2]
    s1 = stability[0]
    inv = inventory_csv(tmp_path / "inv.csv", [
        ("SKU-1", n1, 9.0, "standard", 3),
        ("SKU-2", n2, 9.0, "standard", 1),
        ("SKU-3", n3, 9.0, "standard", 0),      # out of stock
        ("SKU-4", s1, 9.0, "standard", 5),      # stability: only for the established runner
        ("SKU-5", n1, 10.0, "standard", 2),     # other size
        ("SKU-6", n2, 9.0, "wide", 2),          # other width
    ])
    locked = {"runner_id": "locked", "shoe_size_us": 9, "knee": {"pain": True, "severity": 4},
              "gait": {"pronation": "over"}}
    strong = {"runner_id": "strong", "shoe_size_us": 9, "knee": {"pain": True, "severity": 3},
              "gait": {"pronation": "over", "arch": "flat"},
              "strength": {"status": "strong", "weeks_consistent": 10}}
    wide = {"runner_id": "wide", "shoe_size_us": 9, "width": "wide"}
    nosize = {"runner_id": "size-12", "shoe_size_us": 12}
    runners = flat_csv(tmp_path / "runners.csv", [locked, strong, wide, nosize])
    return {"inv": inv, "runners": runners, "n": (n1, n2, n3), "s1": s1,
            "profiles": {"locked": locked, "strong": strong, "wide": wide}}


def test_top_n_hand_checked(tmp_path: Path, small_case, catalog) -> None:
    out = tmp_path / "scored.parquet"
    summary = score_inventory(small_case["inv"], small_case["runners"], out, catalog=catalog,
                              top=5)
    res = pl.read_parquet(out)
    # the contract columns first and unchanged; no store_id (the inventory names no store);
    # then the match as a person reads it
    assert tuple(res.columns) == OUTPUT_COLUMNS + MATCH_DETAIL_COLUMNS
    sku1 = res.filter(pl.col("sku") == "SKU-1").row(0, named=True)
    expected = catalog.frame.filter(pl.col("shoe_id") == small_case["n"][0]).row(0, named=True)
    assert (sku1["brand"], sku1["model"], sku1["version"]) == (
        expected["brand"], expected["model"], str(expected["version"]))
    assert (sku1["size_us"], sku1["width"], sku1["quantity"], sku1["line"]) == (
        9.0, "standard", 3, "unisex")
    assert sku1["price_usd"] == expected["msrp_usd"]  # no store price: the MSRP
    n1, n2, n3 = small_case["n"]
    assert n3 not in set(res["shoe_id"]), "out of stock (quantity 0) never matches"
    by = {rid: g.sort("rank") for (rid,), g in res.group_by("runner_id")}
    # locked runner: the two in-stock neutral shoes in size 9 standard, never the stability
    assert set(by["locked"]["shoe_id"]) == {n1, n2}
    assert by["locked"]["gate_locked"].all()
    # established runner: the stability shoe is eligible too
    assert small_case["s1"] in set(by["strong"]["shoe_id"])
    assert not by["strong"]["gate_locked"].any()
    # wide runner: only the wide SKU
    assert by["wide"]["sku"].to_list() == ["SKU-6"]
    assert "size-12" not in by and summary.runners_without_match == 1
    # same scores and order as the single-runner engine restricted to the same shoes
    for rid in ("locked", "strong"):
        single = recommend(small_case["profiles"][rid], catalog=catalog, top=200,
                           one_per_model=False)
        in_stock = set(by[rid]["shoe_id"])
        expect = [(r.shoe_id, r.score) for r in single.recommendations if r.shoe_id in in_stock]
        got = list(zip(by[rid]["shoe_id"].to_list(), by[rid]["score"].to_list(), strict=True))
        assert got == expect
    cov = pl.read_csv(str(out) + ".coverage.csv")
    total = cov.filter(pl.col("segment") == "all").row(0, named=True)
    assert (total["runners"], total["runners_with_match"]) == (4, 3)
    unmatched = pl.read_csv(str(out) + ".unmatched.csv")
    assert unmatched["runner_id"].to_list() == ["size-12"]
    assert unmatched["nearest_in_stock"][0] is not None


def test_gate_invariant_on_cohort(tmp_path: Path, data_dir: Path, catalog) -> None:
    runners = tmp_path / "r.parquet"
    synth_runners(3000, 99).write_parquet(runners)
    out = tmp_path / "s.csv"
    score_inventory(data_dir / "inventory_sample.csv", runners, out, catalog=catalog, top=3)
    res = pl.read_csv(out)
    locked = res.filter(pl.col("gate_locked"))
    assert locked.height > 0
    assert locked.filter(pl.col("support") != "neutral").height == 0
    # the sample inventory names two stores: the top 3 is per runner per store
    assert res.group_by("runner_id", "store_id").agg(pl.len()).get_column("len").max() == 3
    assert res.filter(pl.col("score") > 100).height == 0


def test_rejects_each_kind_of_bad_row(tmp_path: Path, small_case, catalog) -> None:
    lines = small_case["runners"].read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    def row(**cells: str) -> str:
        vals = [""] * len(header)
        for k, v in cells.items():
            vals[header.index(k)] = v
        return ",".join(vals)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([
        lines[0], lines[1],
        row(runner_id="r-sev", knee_pain_severity="11"),
        row(runner_id="r-enum", gait_pronation="overpronated"),
        row(runner_id="r-type", age="forty"),
        row(runner_id="locked"),  # duplicate of row 1
        row(runner_id="", shoe_size_us="9"),
        row(runner_id="r-shoe", current_shoe_shoe_id="not-a-shoe"),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "s.parquet"
    summary = score_inventory(small_case["inv"], bad, out, catalog=catalog)
    rejects = pl.read_csv(str(out) + ".rejects.csv")
    got = set(zip(rejects["row"].to_list(), rejects["column"].to_list(), strict=True))
    assert {(2, "knee_pain_severity"), (3, "gait_pronation"), (4, "age"), (5, "runner_id"),
            (6, "runner_id"), (7, "current_shoe_shoe_id")} <= got
    assert set(rejects.columns) == {"file", "row", "column", "value", "reason", "key", "raw"}
    assert summary.runners_scored == 1 and summary.runners_rejected == 6


def test_strict_mode_writes_nothing(tmp_path: Path, small_case, catalog) -> None:
    bad = tmp_path / "bad.csv"
    text = small_case["runners"].read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    cells = [""] * len(header)
    cells[header.index("runner_id")] = "x"
    cells[header.index("knee_pain_severity")] = "11"
    bad.write_text(text + ",".join(cells) + "\n", encoding="utf-8")
    out = tmp_path / "s.parquet"
    with pytest.raises(BatchError):
        score_inventory(small_case["inv"], bad, out, catalog=catalog, strict=True)
    assert list(tmp_path.glob("s.parquet*")) == []


def test_failed_run_leaves_existing_output_untouched(tmp_path: Path, small_case, catalog) -> None:
    out = tmp_path / "s.parquet"
    out.write_bytes(b"previous")
    empty = tmp_path / "none.csv"
    empty.write_text("runner_id,knee_pain_severity\nonly,12\n", encoding="utf-8")
    with pytest.raises(BatchError, match="no valid runner rows"):
        score_inventory(small_case["inv"], empty, out, catalog=catalog)
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inv.csv", "none.csv", "runners.csv",
                                                          "s.parquet"]


def test_hostile_sku_is_neutralised(tmp_path: Path, small_case, catalog) -> None:
    n1 = small_case["n"][0]
    inv = inventory_csv(tmp_path / "evil.csv", [("=cmd|' /C calc'!A0", n1, 9.0, "standard", 2)])
    out = tmp_path / "s.csv"
    score_inventory(inv, small_case["runners"], out, catalog=catalog)
    text = out.read_text(encoding="utf-8")
    assert "'=cmd" in text and "\n=cmd" not in text and ",=cmd" not in text


def test_cli_exit_codes(tmp_path: Path, small_case) -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "recommender", "score-inventory", *args],
                              capture_output=True, text=True, timeout=300)
    out = tmp_path / "o.parquet"
    ok = run("--inventory", str(small_case["inv"]), "--runners", str(small_case["runners"]),
             "--out", str(out))
    assert ok.returncode == 0, ok.stderr
    assert pl.read_parquet(out).height > 0
    missing_dir = run("--inventory", str(small_case["inv"]), "--runners",
                      str(small_case["runners"]), "--out", str(tmp_path / "no" / "o.parquet"))
    assert missing_dir.returncode == 2 and "does not exist" in missing_dir.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    bad = run("--inventory", str(empty), "--runners", str(small_case["runners"]), "--out",
              str(tmp_path / "x.parquet"))
    assert bad.returncode == 2 and "empty" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.distributed
def test_ray_equals_local(tmp_path: Path, data_dir: Path, catalog) -> None:
    ray = pytest.importorskip("ray")
    runners = tmp_path / "r.parquet"
    synth_runners(1200, 5).write_parquet(runners)
    local, dist = tmp_path / "local.parquet", tmp_path / "ray.parquet"
    score_inventory(data_dir / "inventory_sample.csv", runners, local, catalog=catalog)
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True)
    try:
        score_inventory(data_dir / "inventory_sample.csv", runners, dist, catalog=catalog,
                        engine="ray", chunk_size=500)
    finally:
        ray.shutdown()
    a, b = pl.read_parquet(local), pl.read_parquet(dist)
    assert a.height > 1000 and a.equals(b)
    for side in (".coverage.csv", ".unmatched.csv", ".rejects.csv"):
        assert Path(str(local) + side).read_bytes() == Path(str(dist) + side).read_bytes()
    assert json.loads(json.dumps(a.head(1).to_dicts()))  # plain, serialisable rows


def test_progress_callback_counts_every_runner_row(tmp_path: Path, small_case, catalog) -> None:
    seen: list[tuple[int, int | None]] = []
    score_inventory(small_case["inv"], small_case["runners"], tmp_path / "s.parquet",
                    catalog=catalog, progress=False, on_progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1] == (4, 4)


def test_progress_is_reported_from_the_calling_thread_chunk_by_chunk(tmp_path: Path, data_dir,
                                                                      catalog) -> None:
    """Chunks are read and validated in a background thread; progress still comes from the
    thread that called (Streamlit may only update its page from the script's thread), once
    per chunk, in order, ending at every row read."""
    import threading

    runners = tmp_path / "r.parquet"
    synth_runners(2_500, 3).write_parquet(runners)
    seen: list[tuple[int, bool]] = []
    score_inventory(data_dir / "inventory_sample.csv", runners, tmp_path / "s.parquet",
                    catalog=catalog, chunk_size=1_000, progress=False,
                    on_progress=lambda d, t: seen.append(
                        (d, threading.current_thread() is threading.main_thread())))
    assert [d for d, _ in seen] == [1_000, 2_000, 2_500]
    assert all(main for _, main in seen)


def test_rank_catalog_matches_recommend(catalog) -> None:
    from recommender import rank_catalog
    from recommender.spec.profile import profiles_to_frame

    profiles = [parse_profile(p) for p in (
        {"runner_id": "a", "knee": {"pain": True}, "gait": {"foot_strike": "heel"},
         "current_shoe": {"drop_mm": 12}},
        {"runner_id": "b", "strength": {"status": "strong"}, "gait": {"arch": "flat"},
         "running": {"terrain": "trail"}},
        {"runner_id": "c", "width": "extra_wide", "preferences": {"max_price_usd": 130}})]
    ranked = rank_catalog(profiles_to_frame(profiles), catalog)
    for prof in profiles:
        mine = ranked.filter(pl.col("runner_id") == prof.runner_id).sort("rank")
        single = recommend(prof, catalog=catalog, top=len(catalog), one_per_model=False)
        assert mine["shoe_id"].to_list() == [r.shoe_id for r in single.recommendations]
        assert mine["score"].to_list() == [r.score for r in single.recommendations]
    assert ranked.filter(pl.col("gate_locked") & (pl.col("support") != "neutral")).height == 0


def test_plan_has_one_column_per_gate_criterion(catalog) -> None:
    from recommender.core.features import derive
    from recommender.core.plan import GATE, evaluate
    from recommender.rules import GATE_CRITERIA
    from recommender.spec.profile import profiles_to_frame

    frame = profiles_to_frame([parse_profile({"runner_id": "x", "strength": {
        "weeks_consistent": 8, "single_leg_balance_s": 12}})])
    row = evaluate(derive(frame, catalog.frame)).row(0, named=True)
    got = {c.id: row[f"{GATE}{c.id}"] for c in GATE_CRITERIA}
    assert got == {"strength_time": True, "single_leg_squat": True, "single_leg_balance": False}


@pytest.mark.parametrize("shuffled", [False, True], ids=["runners-in-id-order", "shuffled"])
def test_side_files_sorted_whatever_the_chunks(tmp_path: Path, data_dir, catalog, shuffled):
    """unmatched.csv (runner_id, store_id) and rejects.csv (file, row, column) come out in
    order and the same for any chunk size: each chunk is sorted as written, and the file
    is sorted at the end only when the chunks came out of order (shuffled runners)."""
    raw = synth_runners(3_000, seed=4)
    if shuffled:
        raw = raw.sample(fraction=1.0, shuffle=True, seed=1)
    raw = raw.with_columns(  # every 97th row invalid: rejects in every chunk
        pl.when(pl.int_range(pl.len()) % 97 == 5).then(pl.lit(-3.0))
        .otherwise(pl.col("running_weekly_km")).alias("running_weekly_km"))
    runners = tmp_path / "runners.parquet"
    raw.write_parquet(runners)
    sides = {}
    for size in (3_000, 250):
        out = tmp_path / f"out{size}.parquet"
        score_inventory(data_dir / "inventory_sample.csv", runners, out, catalog=catalog,
                        chunk_size=size, progress=False)
        sides[size] = {k: (tmp_path / f"out{size}.parquet.{k}.csv").read_text()
                       for k in ("unmatched", "rejects")}
    assert sides[250] == sides[3_000]
    unmatched = pl.read_csv(tmp_path / "out250.parquet.unmatched.csv", infer_schema=False)
    rejects = pl.read_csv(tmp_path / "out250.parquet.rejects.csv", infer_schema=False)
    assert unmatched.height > 100 and rejects.height >= 30  # neither check is vacuous
    assert unmatched.equals(unmatched.sort("runner_id", "store_id", maintain_order=True))
    assert rejects.equals(rejects.sort("file", pl.col("row").cast(pl.Int64), "column",
                                       nulls_last=False, maintain_order=True))
