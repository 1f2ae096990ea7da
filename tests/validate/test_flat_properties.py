"""Properties over generated FLAT runner tables (issue 7), the path batch scoring takes:
the same safety invariants as the long fuzz run (fuzz/run.py), on small random cohorts
chosen by hypothesis; and a flat file round trip that loses nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recommender.io import read_raw, validate_raw
from recommender.io.write import write_table
from recommender.synth import fuzz_runners
from recommender.testing.oracles import VIOLATIONS, check


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), n=st.integers(1, 400),
       unknown=st.sampled_from([0.0, 0.2, 0.6, 1.0]))
def test_invariants_hold_on_random_flat_cohorts(catalog, seed: int, n: int, unknown: float) -> None:
    runners = fuzz_runners(n, seed, catalog.ids, unknown_rate=unknown)
    result = check(runners, catalog.frame)
    assert result["runners"] == n
    assert {k: result[k] for k in VIOLATIONS} == dict.fromkeys(VIOLATIONS, 0)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31), fmt=st.sampled_from(["csv", "parquet"]))
def test_flat_file_round_trip_loses_nothing(tmp_path_factory, catalog, seed: int, fmt: str) -> None:
    runners = fuzz_runners(300, seed, catalog.ids)
    path = tmp_path_factory.mktemp("rt") / f"runners.{fmt}"
    write_table(runners, path)
    result = validate_raw(read_raw(path, "runners"), "runners", file=str(path), catalog_ids=catalog.ids)
    assert result.ok, result.problems.head()
    back = result.frame.drop("__row")
    # CSV keeps 2 decimals of what was written; every value survives
    assert back.height == runners.height
    for col in runners.columns:
        a, b = runners.get_column(col), back.get_column(col)
        if a.dtype == pl.Float64:
            assert ((a - b).abs().fill_null(0) < 1e-9).all() and a.null_count() == b.null_count()
        else:
            assert a.equals(b), col
