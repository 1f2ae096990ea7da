"""The encoded (arithmetic) ranking equals the reference that evaluates every declared
expression on every pair: same rows, same order, bit-identical scores. Realistic and
uniformly random cohorts, in-stock and whole-catalog, default and random weights, the
grid path and the direct-evaluation fallback."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from recommender import validate_path
from recommender.batch.offers import prepare_offers
from recommender.core import encoded, ranking
from recommender.core.ranking import OFFER_LINE, OFFER_SIZE, OFFER_WIDTH, prune
from recommender.io.tables import validate_raw
from recommender.rules.components import COMPONENT_NAMES
from recommender.rules.expr import P
from recommender.spec.vocab import InvCol, S
from recommender.synth import fuzz_runners, synth_runners
from recommender.validate.coerce import with_row_numbers


def _valid(raw: pl.DataFrame, cat) -> pl.DataFrame:
    return validate_raw(with_row_numbers(raw), "runners", file="t",
                        catalog_ids=cat.frame.get_column(S.shoe_id).to_list()).frame


@pytest.fixture(scope="module")
def offers(cat, data_dir) -> pl.LazyFrame:
    inv = validate_path(data_dir / "inventory_sample.csv", "inventory", cat).frame
    inv = inv.drop(InvCol.store_id) if InvCol.store_id in inv.columns else inv
    return prune(prepare_offers(inv, cat).lazy(), OFFER_LINE, OFFER_SIZE, OFFER_WIDTH,
                 InvCol.sku, S.support, S.drop_mm)


@pytest.fixture(scope="module")
def whole_catalog(cat) -> pl.LazyFrame:
    return prune(cat.frame.lazy().with_columns(pl.col(S.msrp_usd).alias(P.price)), S.support,
                 S.drop_mm).with_columns(pl.lit(None, pl.String).alias(InvCol.sku))


@pytest.fixture(scope="module")
def cohorts(cat) -> dict[str, pl.DataFrame]:
    return {"realistic": _valid(synth_runners(3_000, seed=11), cat),
            "uniform": _valid(fuzz_runners(2_000, seed=5,
                                           catalog_ids=cat.frame["shoe_id"].to_list()), cat)}


def _both(runners, cat, shoes, top, weights, in_stock):
    got = ranking.rank_slice(runners, cat.frame, shoes, top, weights, in_stock)
    want = ranking.rank_slice_reference(runners, cat.frame, shoes, top, weights, in_stock)
    return got, want


@pytest.mark.parametrize("cohort", ["realistic", "uniform"])
def test_in_stock_equals_reference(cohorts, cat, offers, cohort):
    got, want = _both(cohorts[cohort], cat, offers, 10, None, True)
    assert want.height > 1_000  # the comparison is not empty
    assert_frame_equal(got, want)


@pytest.mark.parametrize("cohort", ["realistic", "uniform"])
def test_whole_catalog_equals_reference(cohorts, cat, whole_catalog, cohort):
    runners = cohorts[cohort].head(600)
    got, want = _both(runners, cat, whole_catalog, cat.frame.height, None, False)
    assert want.height > 20_000
    assert_frame_equal(got, want)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_weights_equal_reference(cohorts, cat, offers, seed):
    rng = np.random.default_rng(seed)
    weights = dict(zip(COMPONENT_NAMES, rng.uniform(0.0, 1.0, len(COMPONENT_NAMES)).round(3),
                       strict=True))
    got, want = _both(cohorts["uniform"], cat, offers, 7, weights, True)
    assert_frame_equal(got, want)


def test_direct_evaluation_fallback_equals_reference(cohorts, cat, offers, monkeypatch):
    """With no grid allowed, every expression is evaluated on the block's pairs."""
    monkeypatch.setattr(encoded, "GRID_CELLS_MAX", 0)
    monkeypatch.setattr(encoded, "BLOCK_PAIRS", 5_000)  # many small blocks too
    got, want = _both(cohorts["uniform"].head(500), cat, offers, 10, None, True)
    assert want.height > 100
    assert_frame_equal(got, want)


def test_undefined_scores_fall_back_to_the_reference(cohorts, cat, offers):
    """Only the terrain weight set: runners not on mixed terrain have no component that
    applies, so their scores are undefined; the encoded path declines, the reference
    answers, and the result is still the reference's."""
    weights = {n: 0.0 for n in COMPONENT_NAMES} | {"terrain": 1.0}
    runners = cohorts["realistic"].head(300)
    shoes = offers.collect()
    feats = ranking.prune(ranking.derive(runners, cat.frame), "shoe_size_us", "width",
                          "f_referral", "f_line", "f_established").collect()
    assert encoded.rank_encoded(feats, shoes, runner_keys=["f_line", "shoe_size_us", "width"],
                                shoe_keys=[OFFER_LINE, OFFER_SIZE, OFFER_WIDTH], top=5,
                                weights=weights) is None
    got, want = _both(runners, cat, offers, 5, weights, True)
    assert_frame_equal(got, want)


def test_a_changed_rule_is_caught(cohorts, cat, offers, monkeypatch):
    """The comparison can fail: the encoded path with one weight doubled differs."""
    from recommender.rules.components import DEFAULT_WEIGHTS

    changed = dict(DEFAULT_WEIGHTS) | {"drop": DEFAULT_WEIGHTS["drop"] * 2}
    runners = cohorts["realistic"].head(500)
    got = ranking.rank_slice(runners, cat.frame, offers, 10, changed, True)
    want = ranking.rank_slice_reference(runners, cat.frame, offers, 10, None, True)
    with pytest.raises(AssertionError):
        assert_frame_equal(got, want)


@pytest.mark.parametrize("cohort", ["realistic", "uniform"])
def test_best_and_eligible_equal_rank_catalog(cohorts, cat, cohort):
    """The one-pass best pick and eligible stocked models of the coverage report equal
    rank_catalog's first shoe and its eligible rows among those models."""
    runners = cohorts[cohort].head(800)
    among = cat.frame.get_column(S.shoe_id).to_list()[::3]
    best, pairs = ranking.best_and_eligible(runners, cat.frame, among)
    ranked = ranking.rank_catalog(runners, cat.frame)
    want_best = runners.select("runner_id").sort("runner_id").join(
        ranked.filter(pl.col("rank") == 1).select("runner_id", "shoe_id"), on="runner_id",
        how="left", maintain_order="left")
    assert_frame_equal(best, want_best)
    assert best.get_column("shoe_id").null_count() < best.height  # not vacuous
    want_pairs = ranked.filter(pl.col("shoe_id").is_in(among)).select(
        "runner_id", "shoe_id").sort("runner_id", "shoe_id")
    assert pairs.height > 1_000
    assert_frame_equal(pairs, want_pairs)


def test_best_and_eligible_fall_back_when_scores_are_undefined(cohorts, cat):
    weights = {n: 0.0 for n in COMPONENT_NAMES} | {"terrain": 1.0}
    runners = cohorts["realistic"].head(200)
    among = cat.frame.get_column(S.shoe_id).to_list()[:40]
    best, pairs = ranking.best_and_eligible(runners, cat.frame, among, weights)
    ranked = ranking.rank_catalog(runners, cat.frame, weights=weights)
    assert set(best.drop_nulls().iter_rows()) == set(
        ranked.filter(pl.col("rank") == 1).select("runner_id", "shoe_id").iter_rows())
    assert pairs.height == ranked.filter(pl.col("shoe_id").is_in(among)).height


def test_centi_rounds_as_polars_round_2():
    """The encoded path rounds with numpy (:func:`encoded.centi`), the reference with
    polars' ``round(2)``: equal on random scores, one ulp either side of every half cent,
    and the usual traps (2.675, 1.005, 0.125)."""
    rng = np.random.default_rng(3)
    halves = (np.arange(0, 10_001) + 0.5) / 100
    x = np.concatenate([rng.uniform(0, 100, 1_000_000), halves, np.nextafter(halves, 0),
                        np.nextafter(halves, 200), [2.675, 1.005, 0.125, 0.0, 100.0]])
    want = pl.Series(x).round(2).to_numpy()
    assert np.array_equal(encoded.centi(x.copy()) / 100, want)
    assert not np.array_equal(np.floor(x * 100 + 0.5) / 100, want)  # half up would differ
