"""The weight tuning of ``benchmarks/tune_weights.py`` on a small case, and the graded
relevance oracle it tunes against (``recommender.testing.relevance``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from sklearn.metrics import ndcg_score

from recommender.catalog import Catalog
from recommender.rules import COMPONENT_NAMES, DEFAULT_WEIGHTS
from recommender.testing.relevance import grade, grades
from recommender.testing.vignettes import V
from recommender.validate.profile import parse_profile

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "tune_weights.py"
THREE = ["amanda", "strong_flat_feet_wide", "new_runner_overuse"]


@pytest.fixture(scope="module")
def tune() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tune_weights", BENCH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["tune_weights"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_default_weights_rank_well_against_the_oracle(tune: ModuleType, cat: Catalog) -> None:
    """3 vignettes, a 5-point random search: the default weights reach NDCG@10 >= 0.8
    against the oracle, and the search never returns worse than the defaults."""
    out = tune.run(n_synth=0, vignettes=THREE, n_iter=5, held_out=0, catalog=cat,
                   verbose=False)
    assert out["stats"]["runners_ranked"] == 3
    assert out["engine_gap"] <= 0.006  # ShoeScorer reproduces the engine's scores
    assert out["default_all"] >= 0.8, out["default_all"]
    assert out["best_train"] >= out["default_train"]
    assert set(out["best_weights"]) == set(COMPONENT_NAMES)


def test_mean_ndcg_is_the_per_runner_average(tune: ModuleType, cat: Catalog) -> None:
    pairs = tune.build_pairs(tune.profiles(0, vignettes=THREE), cat)
    per_runner = tune.per_runner_ndcg(DEFAULT_WEIGHTS, pairs.x, pairs.y, pairs.groups)
    assert len(per_runner) == 3
    assert tune.mean_ndcg(DEFAULT_WEIGHTS, pairs.x, pairs.y, pairs.groups) == pytest.approx(
        per_runner.mean())
    # an ordering by the oracle itself is perfect; the reverse is worse than the engine's
    g = pairs.groups
    perfect = ndcg_score(tune._padded(pairs.y, g, 0.0), tune._padded(pairs.y, g, -1.0), k=10)
    reverse = ndcg_score(tune._padded(pairs.y, g, 0.0), tune._padded(-pairs.y, g, -9.0), k=10)
    assert perfect == pytest.approx(1.0)
    assert reverse < per_runner.mean()
    assert np.isnan(pairs.x).any()  # some components do not apply (a budget is stated)


# ------------------------------------------------------------------- the oracle itself
def _shoe(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "shoe_id": "x-y-1", "terrain": "road", "support": "neutral", "role": "daily",
        "drop_mm": 8.0, "womens_drop_mm": None, "cushioning": "soft",
        "widths": "standard;wide", "plate": "none", "msrp_usd": 140.0, "superseded_by": None}
    return base | changes


def test_oracle_grades_from_the_spec() -> None:
    amanda = parse_profile(V["amanda"])  # gate locked, heel striker with pain, 4 mm Kinvara
    kinvara = {"drop_mm": 4.0}
    assert grade(amanda, _shoe(support="stability", drop_mm=4.0), kinvara) == 0  # gate
    assert grade(amanda, _shoe(role="race", plate="carbon", drop_mm=4.0), kinvara) == 0
    assert grade(amanda, _shoe(terrain="trail", role="trail", drop_mm=4.0), kinvara) == 0
    assert grade(amanda, _shoe(drop_mm=2.0), kinvara) == 0  # regular: 4 mm floor
    assert grade(amanda, _shoe(drop_mm=12.0), kinvara) == 1  # far from the 4 mm target
    assert grade(amanda, _shoe(drop_mm=5.0, cushioning="firm"), kinvara) == 2
    assert grade(amanda, _shoe(drop_mm=5.0, superseded_by="x-y-2"), kinvara) == 2
    assert grade(amanda, _shoe(drop_mm=5.0), kinvara) == 3  # 45 km/week: soft is fine
    later = parse_profile(V["amanda_after_strength"])  # gate open, needs support
    assert grade(later, _shoe(support="stability", drop_mm=4.0), kinvara) == 2
    assert grade(later, _shoe(support="neutral", drop_mm=4.0), kinvara) == 3  # insole first
    assert grade(later, _shoe(support="motion_control", drop_mm=4.0), kinvara) == 1
    calves = parse_profile(V["tight_calves"])  # current 4 mm, tight calves → 8 mm or more
    assert grade(calves, _shoe(drop_mm=8.0, cushioning="balanced")) == 3
    assert grade(calves, _shoe(drop_mm=4.0, cushioning="balanced")) == 1
    budget = parse_profile(V["budget_120"])
    assert grade(budget, _shoe(msrp_usd=130.0)) == 0
    assert [*grades(budget, [_shoe(msrp_usd=130.0), _shoe(msrp_usd=100.0, drop_mm=10.0)])] \
        == [0, 3]
