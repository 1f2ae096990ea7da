"""The DuckDB peer of ``benchmarks/peer_duckdb.py`` agrees with ``gaitkeeper
score-inventory`` row for row (issue #15 item 1).

The peer's SQL is written by hand from the rule declarations and imports none of them:
these tests are what keep it in step. When a rule, a weight or a threshold changes in
``recommender/rules/``, they fail until the SQL says the same (the last test checks that a
single changed weight is caught)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest

from recommender.synth import synth_runners

PEER = Path(__file__).resolve().parents[2] / "benchmarks" / "peer_duckdb.py"


@pytest.fixture(scope="module")
def peer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("peer_duckdb", PEER)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["peer_duckdb"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_peer_agrees_with_the_product_on_generated_runners(peer: ModuleType,
                                                           tmp_path: Path) -> None:
    """2,000 generated runners × the sample inventory, top 10: the same rows."""
    runners = peer.write_runners(synth_runners(2_000, seed=1), tmp_path / "runners.parquet")
    out = peer.run_both(runners, peer.SAMPLE_INVENTORY, 10, tmp_path)
    assert out.problems == [], "\n".join(out.problems)
    assert out.rows > 10_000
    rows = pl.read_parquet(tmp_path / "peer.parquet")
    # the comparison covered every kind of row, not a corner of them
    assert rows.get_column("gate_locked").n_unique() == 2
    assert rows.get_column("store_id").n_unique() == 2
    assert rows.get_column("rank").max() == 10


def test_peer_agrees_on_varied_profiles_and_inventory(peer: ModuleType,
                                                      tmp_path: Path) -> None:
    """Answers varied beyond the generator (current catalog shoes, every use and terrain,
    budgets, brands in any case, contradictions, red flags, unknowns) and an inventory with
    store prices, empty lines and stores, and competing SKUs: the same rows."""
    runners = peer.write_runners(peer.varied_runners(2_000, seed=7),
                                 tmp_path / "runners.parquet")
    inventory = peer.varied_inventory(7, tmp_path / "inventory.csv")
    out = peer.run_both(runners, inventory, 10, tmp_path)
    assert out.problems == [], "\n".join(out.problems)
    assert "rejected 0 runner row(s) and 0 inventory row(s)" in out.summary
    rows = pl.read_parquet(tmp_path / "peer.parquet")
    assert rows.get_column("referral").any() and rows.get_column("gate_locked").any()
    assert "" in rows.get_column("store_id").to_list()  # rows without a store
    assert rows.get_column("sku").str.starts_with("A-").any()  # a competing SKU won


def test_a_single_changed_weight_is_caught(peer: ModuleType, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: the product with one weight changed no longer agrees."""
    from recommender.rules.components import DEFAULT_WEIGHTS

    monkeypatch.setitem(DEFAULT_WEIGHTS, "drop", DEFAULT_WEIGHTS["drop"] + 0.05)
    runners = peer.write_runners(synth_runners(300, seed=2), tmp_path / "runners.parquet")
    out = peer.run_both(runners, peer.SAMPLE_INVENTORY, 10, tmp_path)
    assert any(p.startswith("score:") for p in out.problems), out.problems


def test_the_sql_is_one_query_over_the_raw_files(peer: ModuleType) -> None:
    sql = peer.peer_sql("r.parquet", peer.SAMPLE_INVENTORY, "shoes.csv", 10)
    assert "read_parquet('r.parquet')" in sql and "QUALIFY rank <= 10" in sql
    for rule in ("strength_before_stability", "terrain", "width", "price", "plated", "role",
                 "drop_floor", "referral"):
        assert rule in sql, rule
