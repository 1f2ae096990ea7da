"""A fixed-seed golden output: the speed work (issue #15) changed how pairs are scored, not
what comes out.

``golden/scored_seed7_1500_top5.csv`` was written by ``gaitkeeper score-inventory`` at commit
ab343c8 — the last commit before arithmetic pair scoring, prefetching and background writing —
for ``synth_runners(1500, seed=7)`` against the shipped sample inventory's store-001 (the
``store_id`` column dropped: per-store ranking came later, on purpose), ``--top 5``, CSV. The
product must still write exactly these contract columns, byte for byte as text. If a *rule*
changes on purpose, regenerate it from the commit that changes the rule and say so there.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from recommender.batch import score_inventory_files
from recommender.batch.chunk import OUTPUT_COLUMNS
from recommender.synth import synth_runners

GOLDEN = Path(__file__).with_name("golden") / "scored_seed7_1500_top5.csv"
SAMPLE = Path(__file__).parents[2] / "recommender" / "data" / "inventory_sample.csv"


@pytest.fixture(scope="module")
def golden_inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("golden")
    inv = (pl.read_csv(SAMPLE, infer_schema=False)
           .filter(pl.col("store_id") == "store-001").drop("store_id"))
    inv.write_csv(d / "inv.csv")
    synth_runners(1500, seed=7).write_parquet(d / "runners.parquet")
    return d / "inv.csv", d / "runners.parquet"


def _run(inv: Path, runners: Path, out: Path, **options) -> pl.DataFrame:
    """What ``gaitkeeper score-inventory --top 5`` runs (the CLI only parses arguments)."""
    score_inventory_files(inv, runners, out, top=5, progress=False, **options)
    return pl.read_csv(out, infer_schema=False)


@pytest.mark.parametrize("chunk_size", [None, 400], ids=["default-chunks", "chunks-of-400"])
def test_scored_output_equals_the_golden_file(golden_inputs, tmp_path, chunk_size):
    expected = pl.read_csv(GOLDEN, infer_schema=False)
    options = {} if chunk_size is None else {"chunk_size": chunk_size}
    got = _run(*golden_inputs, tmp_path / "scored.csv", **options)
    assert list(got.columns[:len(OUTPUT_COLUMNS)]) == list(OUTPUT_COLUMNS)
    assert got.height == expected.height == 6308
    got = got.select(OUTPUT_COLUMNS)
    diff = got.join(expected, on=["runner_id", "rank"], how="full", suffix="_golden",
                    coalesce=True)
    for c in OUTPUT_COLUMNS[2:]:
        changed = diff.filter(pl.col(c).ne_missing(pl.col(f"{c}_golden")))
        assert changed.is_empty(), f"{c} differs from the golden output:\n{changed.head()}"
    assert got.equals(expected)  # the same order as well


def test_the_golden_comparison_can_fail(golden_inputs, tmp_path):
    """One SKU fewer in stock changes the output: the comparison above is not vacuous."""
    inv, runners = golden_inputs
    frame = pl.read_csv(inv, infer_schema=False)
    top_sku = pl.read_csv(GOLDEN, infer_schema=False).filter(pl.col("rank") == "1") \
        .group_by("sku").len().sort("len", "sku", descending=[True, False]).item(0, "sku")
    fewer = tmp_path / "fewer.csv"
    frame.filter(pl.col("sku") != top_sku).write_csv(fewer)
    got = _run(fewer, runners, tmp_path / "scored.csv").select(OUTPUT_COLUMNS)
    assert not got.equals(pl.read_csv(GOLDEN, infer_schema=False))
    assert top_sku not in set(got.get_column("sku").to_list())
