"""ShoeScorer (the engine's weighted score as a scikit-learn estimator) and similar_shoes."""

from __future__ import annotations

import itertools
import pickle
import warnings
from typing import Any

import numpy as np
import polars as pl
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import ndcg_score
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.utils.estimator_checks import check_estimator, parametrize_with_checks

from recommender import recommend
from recommender.catalog import Catalog
from recommender.rules import COMPONENT_NAMES, DEFAULT_WEIGHTS
from recommender.similarity import ShoeScorer, similar_shoes
from recommender.testing.checks import facts
from recommender.testing.vignettes import AMANDA, V

# ------------------------------------------------------------- scikit-learn's own checks
_SEVEN = ("ShoeScorer requires exactly 7 component features in 0..1 (support, drop, "
          "cushioning, weight, terrain, price, brand); this check fits on a generic "
          "dataset with {n} feature(s), so it cannot apply")
EXPECTED_FAILED_CHECKS: dict[str, str] = {
    "check_fit_score_takes_y": _SEVEN.format(n=3),
    "check_estimators_overwrite_params": _SEVEN.format(n=2),
    "check_dont_overwrite_parameters": _SEVEN.format(n=3),
    "check_estimators_fit_returns_self": _SEVEN.format(n=2)
    + " (covered on 7 components by test_fit_returns_self)",
    "check_readonly_memmap_input": _SEVEN.format(n=2),
    "check_n_features_in_after_fitting": _SEVEN.format(n=4)
    + " (covered by test_n_features_in_and_wrong_width)",
    "check_positive_only_tag_during_fit": _SEVEN.format(n=4)
    + "; the ValueError it sees is the feature count, not the sign of X",
    "check_estimators_dtypes": _SEVEN.format(n=5),
    "check_dtype_object": _SEVEN.format(n=10),
    "check_pipeline_consistency": _SEVEN.format(n=3),
    "check_estimators_nan_inf": _SEVEN.format(n=3) + " (covered by test_rejects_nan_and_inf)",
    "check_estimators_pickle": _SEVEN.format(n=3) + " (covered by test_pickle_round_trip)",
    "check_f_contiguous_array_estimator": _SEVEN.format(n=3),
    "check_regressors_train": _SEVEN.format(n=10)
    + "; and a fixed formula is not trained to fit y",
    "check_regressor_data_not_an_array": _SEVEN.format(n=10),
    "check_regressors_no_decision_function": _SEVEN.format(n=4),
    "check_supervised_y_2d": _SEVEN.format(n=3),
    "check_regressors_int": _SEVEN.format(n=10),
    "check_methods_sample_order_invariance": _SEVEN.format(n=3)
    + " (covered by test_sample_order_and_subset_invariance)",
    "check_methods_subset_invariance": _SEVEN.format(n=3)
    + " (covered by test_sample_order_and_subset_invariance)",
    "check_fit2d_1sample": _SEVEN.format(n=10)
    + "; it expects a one-sample error, and one pair is a valid input here",
    "check_fit2d_1feature": _SEVEN.format(n=1)
    + "; its error names the 7 components instead of '1 feature(s)'",
    "check_dict_unchanged": _SEVEN.format(n=3),
    "check_fit_idempotent": _SEVEN.format(n=2) + " (covered by test_fit_is_idempotent)",
    "check_fit_check_is_fitted": _SEVEN.format(n=2)
    + " (covered by test_predict_before_fit)",
    "check_n_features_in": _SEVEN.format(n=2),
    "check_fit2d_predict1d": _SEVEN.format(n=3),
    "check_requires_y_none": _SEVEN.format(n=2)
    + "; y is optional (the formula needs none), so the error is the feature count",
}


def _expected_failed(estimator: Any) -> dict[str, str]:
    return EXPECTED_FAILED_CHECKS


@parametrize_with_checks([ShoeScorer()], expected_failed_checks=_expected_failed)
def test_sklearn_compatible(estimator: ShoeScorer, check: Any) -> None:
    check(estimator)


def _chain(exc: BaseException | None) -> str:
    out = []
    while exc is not None:
        out.append(str(exc))
        exc = exc.__cause__ or exc.__context__
    return " | ".join(out)


def test_expected_failures_are_exactly_the_feature_count() -> None:
    """Every check listed above fails, and fails only because of the 7-component
    requirement: no other incompatibility hides behind the list."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(ShoeScorer(), on_fail=None)
    failed = {r["check_name"]: r for r in results if r["status"] == "failed"}
    assert set(failed) == set(EXPECTED_FAILED_CHECKS)
    for name, r in failed.items():
        assert "expected 7 components" in _chain(r["exception"]), (name, _chain(r["exception"]))


# ------------------------------------------------------------- the same checks, on 7 columns
def _x(n: int = 40, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((n, len(COMPONENT_NAMES)))


def test_weights_are_the_constructor_parameters() -> None:
    est = ShoeScorer()
    assert set(est.get_params()) == set(COMPONENT_NAMES)
    assert est.get_params() == DEFAULT_WEIGHTS
    assert clone(est).get_params() == est.get_params()


def test_fit_returns_self() -> None:
    est = ShoeScorer()
    assert est.fit(_x()) is est
    assert est.fit(_x(), np.arange(40)) is est


def test_n_features_in_and_wrong_width() -> None:
    est = ShoeScorer().fit(_x())
    assert est.n_features_in_ == len(COMPONENT_NAMES)
    with pytest.raises(ValueError):
        est.predict(_x()[:, :6])
    with pytest.raises(ValueError, match="7 components"):
        ShoeScorer().fit(_x()[:, :5])


def test_predict_before_fit() -> None:
    with pytest.raises(NotFittedError):
        ShoeScorer().predict(_x())


def test_rejects_nan_and_inf() -> None:
    bad = _x()
    bad[3, 2] = np.nan
    with pytest.raises(ValueError):
        ShoeScorer().fit(bad)
    est = ShoeScorer().fit(_x())
    bad[3, 2] = np.inf
    with pytest.raises(ValueError):
        est.predict(bad)


def test_bad_weights_rejected() -> None:
    with pytest.raises(ValueError):
        ShoeScorer(support=-0.1).fit(_x())
    zeros = dict.fromkeys(COMPONENT_NAMES, 0.0)
    with pytest.raises(ValueError):
        ShoeScorer(**zeros).fit(_x())


def test_pickle_round_trip() -> None:
    est = ShoeScorer(drop=0.9).fit(_x())
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.predict(_x(seed=1)), est.predict(_x(seed=1)))


def test_fit_is_idempotent() -> None:
    est = ShoeScorer(brand=0.5)
    a = est.fit(_x(seed=2)).predict(_x(seed=3))
    b = est.fit(_x(seed=2)).predict(_x(seed=3))
    np.testing.assert_array_equal(a, b)


def test_sample_order_and_subset_invariance() -> None:
    est = ShoeScorer().fit(_x())
    x = _x(seed=4)
    full = est.predict(x)
    perm = np.random.default_rng(5).permutation(len(x))
    np.testing.assert_array_equal(est.predict(x[perm]), full[perm])
    np.testing.assert_array_equal(est.predict(x[:7]), full[:7])


def test_formula_is_a_weighted_mean_in_0_100() -> None:
    """predict = 100 × Σ wᵢ·cᵢ / Σ wᵢ, components clipped to 0..1 (computed here by hand)."""
    w = {"support": 2.0, "drop": 1.0, "cushioning": 0.0, "weight": 0.5, "terrain": 0.0,
         "price": 0.5, "brand": 1.0}
    x = _x(seed=6)
    expected = 100 * (x @ np.array([w[n] for n in COMPONENT_NAMES])) / sum(w.values())
    got = ShoeScorer(**w).fit(x).predict(x)
    np.testing.assert_allclose(got, expected, atol=0.006)
    est = ShoeScorer().fit(x)
    assert est.predict(np.ones((1, 7)))[0] == pytest.approx(100)
    assert est.predict(np.zeros((1, 7)))[0] == pytest.approx(0)
    assert est.predict(np.full((1, 7), 3.0))[0] == pytest.approx(100)  # clipped
    assert est.predict(np.full((1, 7), -1.0))[0] == pytest.approx(0)


# ------------------------------------------------------------ agreement with the engine
def _components(recs: list[Any]) -> np.ndarray:
    return np.array([[r.components[n] for n in COMPONENT_NAMES] for r in recs])


ENGINE_CASES = ["amanda", "amanda_after_strength", "new_runner_overuse", "strong_flat_feet_wide",
                "trail_prescribed_no_plate", "mixed_terrain", "budget_120", "on_toes"]


@pytest.mark.parametrize("name", ENGINE_CASES)
def test_predict_equals_engine_score(name: str, cat: Catalog) -> None:
    rec = recommend(V[name], catalog=cat, top=40)
    assert rec.recommendations
    x = _components(rec.recommendations)
    pred = ShoeScorer().fit(x).predict(x)
    scores = np.array([r.score for r in rec.recommendations])
    np.testing.assert_allclose(pred, scores, atol=0.01)


def test_predict_equals_engine_score_with_custom_weights(cat: Catalog) -> None:
    w = {"support": 0.1, "drop": 0.6, "cushioning": 0.05, "weight": 0.1, "terrain": 0.05,
         "price": 0.3, "brand": 0.2}
    rec = recommend(V["new_runner_overuse"], catalog=cat, top=40, weights=w)
    x = _components(rec.recommendations)
    pred = ShoeScorer(**w).fit(x).predict(x)
    np.testing.assert_allclose(pred, [r.score for r in rec.recommendations], atol=0.01)


def test_weight_change_moves_ranking_in_expected_direction() -> None:
    # A is better on drop, B on cushioning
    a = [1, 1.0, 0.0, 1, 1, 1, 1]
    b = [1, 0.0, 1.0, 1, 1, 1, 1]
    x = np.array([a, b])
    default = ShoeScorer().fit(x).predict(x)
    assert default[0] > default[1]  # drop 0.30 outweighs cushioning 0.15
    cushion_heavy = ShoeScorer(cushioning=1.0).fit(x).predict(x)
    assert cushion_heavy[1] > cushion_heavy[0]


def test_engine_weights_move_the_top_shoe(cat: Catalog) -> None:
    """Only price counts → the cheapest eligible shoe is first; a heavy drop weight → the
    first shoe has the best drop component of all eligible shoes."""
    profile = V["budget_120"]
    n = len(cat)
    only_price = dict.fromkeys(COMPONENT_NAMES, 0.0) | {"price": 1.0}
    rec = recommend(profile, catalog=cat, top=n, weights=only_price)
    assert rec.recommendations[0].msrp_usd == min(r.msrp_usd for r in rec.recommendations)
    heavy_drop = dict(DEFAULT_WEIGHTS) | {"drop": 100.0}
    rec = recommend(V["heel_striker_12mm_regular"], catalog=cat, top=n, weights=heavy_drop)
    best = max(r.components["drop"] for r in rec.recommendations)
    assert rec.recommendations[0].components["drop"] == best
    base = recommend(V["heel_striker_12mm_regular"], catalog=cat, top=1)
    assert rec.recommendations[0].components["drop"] >= base.recommendations[0].components["drop"]


def test_tuning_weights_on_toy_relevance() -> None:
    """GridSearchCV over the drop weight, scored by NDCG (ShoeScorer.score), recovers that a
    toy graded relevance driven by the drop component wants a heavy drop weight. The
    components are random (seeded) so the other six disagree with drop, whatever the
    catalog holds."""
    rng = np.random.default_rng(7)
    x = rng.random((400, len(COMPONENT_NAMES)))
    drop_col = COMPONENT_NAMES.index("drop")
    y = np.round(3 * x[:, drop_col])  # graded 0..3
    weights = [0.0, 0.3, 3.0, 30.0]
    grid = GridSearchCV(ShoeScorer(), {"drop": weights}, cv=KFold(3, shuffle=True, random_state=0))
    grid.fit(x, y)
    means = grid.cv_results_["mean_test_score"]
    assert grid.best_params_["drop"] == 30.0
    assert list(means) == sorted(means) and means[0] < means[-1]
    # the same with a plain loop and ndcg_score
    ndcg = {w: ndcg_score(y[None, :], ShoeScorer(drop=w).fit(x).predict(x)[None, :])
            for w in weights}
    assert ndcg[30.0] > ndcg[3.0] > ndcg[0.3] > ndcg[0.0]
    assert ShoeScorer(drop=3.0).fit(x).score(x, y) == pytest.approx(ndcg[3.0])


# ----------------------------------------------------------------------- similar_shoes
def test_similar_shoes_basic(cat: Catalog) -> None:
    sid = "saucony-kinvara-14"
    nn = similar_shoes(sid, k=5, catalog=cat)
    assert len(nn) == 5
    ids = [s for s, _ in nn]
    assert sid not in ids
    assert len(set(ids)) == 5
    assert set(ids) <= set(cat.ids)
    dists = [d for _, d in nn]
    assert all(d >= 0 for d in dists)
    assert dists == sorted(dists)  # nearest first
    # ties are broken by shoe_id
    for (a, da), (b, db) in itertools.pairwise(nn):
        assert da < db or (da == db and a < b)
    assert similar_shoes(sid, k=5, catalog=cat) == nn  # deterministic
    # the nearest 5 are a prefix of the nearest 10
    assert similar_shoes(sid, k=10, catalog=cat)[:5] == nn


def test_similar_shoes_candidates(cat: Catalog, shoes: pl.DataFrame) -> None:
    sid = "brooks-adrenaline-gts-23"
    trail = shoes.filter(pl.col("terrain") == "trail").get_column("shoe_id").to_list()
    candidates = [*trail[:6], sid, "not-a-shoe"]
    nn = similar_shoes(sid, k=10, candidates=candidates, catalog=cat)
    ids = [s for s, _ in nn]
    assert set(ids) <= set(trail[:6])  # only candidates, never itself, unknown ids ignored
    assert len(ids) == 6
    assert similar_shoes(sid, k=3, candidates=[], catalog=cat) == []


def test_similar_shoes_unknown_id(cat: Catalog) -> None:
    with pytest.raises(KeyError):
        similar_shoes("no-such-shoe-1", catalog=cat)


def test_stability_neighbours_are_stability(cat: Catalog, shoes: pl.DataFrame) -> None:
    info = facts(shoes)
    stability = [s for s, r in info.items() if r["support"] == "stability"]
    assert len(stability) >= 2  # catalog fact the check relies on
    share_in_catalog = len(stability) / len(info)
    hits = total = 0
    for sid in stability:
        nn = similar_shoes(sid, k=5, catalog=cat)
        assert info[nn[0][0]]["support"] == "stability", (sid, nn[0])
        hits += sum(info[s]["support"] == "stability" for s, _ in nn)
        total += len(nn)
    # the neighbourhoods are dominated by stability shoes, far above their catalog share
    assert hits / total > 0.5 > share_in_catalog


def test_amanda_kinvara_neighbours_are_neutral_road(cat: Catalog, shoes: pl.DataFrame) -> None:
    info = facts(shoes)
    cur = AMANDA["current_shoe"]["shoe_id"]
    nn = similar_shoes(cur, k=3, catalog=cat)
    assert all(info[s]["support"] == info[cur]["support"] for s, _ in nn)
    assert all(info[s]["terrain"] == info[cur]["terrain"] for s, _ in nn)
