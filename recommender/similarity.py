"""scikit-learn on the catalog: a tunable scorer estimator (``ShoeScorer``) whose weights
are the engine's component weights, and the similarity space as a pipeline
(``spec_pipeline``). ``similar_shoes`` lives in :mod:`recommender.space` (numpy only) and is
re-exported here.

scikit-learn is imported here only, so the command line and batch scoring never load it.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.compose import ColumnTransformer
from sklearn.metrics import ndcg_score
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils.validation import check_is_fitted, validate_data

from .rules.components import COMPONENT_NAMES, DEFAULT_WEIGHTS
from .space import CATEGORICAL, CATEGORIES, FLAGS, NUMERIC, ShoeSpace, shoe_space, similar_shoes


def spec_pipeline() -> Pipeline:
    """The similarity space as a scikit-learn pipeline (scale numbers, one-hot the classes,
    nearest neighbours): :func:`recommender.space.embed` computes the same embedding without
    scikit-learn."""
    enc = ColumnTransformer([
        ("num", StandardScaler(), NUMERIC),
        ("cat", OneHotEncoder(categories=CATEGORIES, handle_unknown="ignore"), CATEGORICAL),
        ("flag", "passthrough", FLAGS),
    ])
    return Pipeline([("encode", enc), ("nn", NearestNeighbors(metric="euclidean"))])


__all__ = ["ShoeScorer", "ShoeSpace", "shoe_space", "similar_shoes", "spec_pipeline"]


def _scorer_init(self, **weights: float) -> None:
    unknown = sorted(set(weights) - set(COMPONENT_NAMES))
    if unknown:
        raise TypeError(f"ShoeScorer got unknown component(s): {', '.join(unknown)}; "
                        f"the components are {', '.join(COMPONENT_NAMES)}")
    for name in COMPONENT_NAMES:
        setattr(self, name, weights.get(name, DEFAULT_WEIGHTS[name]))


# One keyword parameter per component, defaulting to the engine's weight: scikit-learn reads
# the parameter names from this signature (get_params, clone, GridSearchCV), so a component
# added to ``rules.components`` is a tunable parameter here without another edit.
_scorer_init.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    + [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=DEFAULT_WEIGHTS[name],
                         annotation=float) for name in COMPONENT_NAMES])


class ShoeScorer(RegressorMixin, BaseEstimator):
    """The engine's weighted score as a scikit-learn estimator.

    Each component weight is a keyword constructor parameter (one per name in
    :data:`COMPONENT_NAMES`, default :data:`DEFAULT_WEIGHTS`), so ``GridSearchCV`` or any
    tuner can search them. ``X`` holds the components (0..1) in :data:`COMPONENT_NAMES`
    order, one row per runner × shoe pair; **NaN means the component does not apply to that
    pair** (a budget or brands the runner did not state, not mixed terrain), as a null
    component in :func:`recommender.core.pairs.combine`. ``predict`` gives the 0..100 score
    by the same formula: Σ wᵢ·xᵢ / Σ wᵢ over the components that apply, × 100, rounded to 2
    decimals (components clipped to 0..1; a row where no weighted component applies has no
    score: NaN, as 0/0 in the engine). ``inf`` is rejected. ``score`` is NDCG of the
    predicted order against graded relevance ``y`` (one query; use ``ndcg_score`` per runner
    for many).
    """

    __init__ = _scorer_init

    def weights(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in COMPONENT_NAMES}

    def fit(self, X: Sequence | np.ndarray, y: Sequence | np.ndarray | None = None) -> ShoeScorer:
        if y is None:
            X = validate_data(self, X, reset=True, ensure_all_finite="allow-nan")
        else:
            X, _ = validate_data(self, X, y, reset=True, y_numeric=True,
                                 ensure_all_finite="allow-nan")
        if X.shape[1] != len(COMPONENT_NAMES):
            raise ValueError(f"X has {X.shape[1]} features; expected {len(COMPONENT_NAMES)} "
                             f"components ({', '.join(COMPONENT_NAMES)})")
        w = np.array([self.weights()[n] for n in COMPONENT_NAMES], dtype=float)
        if not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
            raise ValueError("weights must be finite and >= 0 with a positive sum")
        self.coef_ = w / w.sum()
        return self

    def predict(self, X: Sequence | np.ndarray) -> np.ndarray:
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan")
        applies = ~np.isnan(X)
        x = np.where(applies, np.clip(X, 0, 1), 0.0)
        total = applies @ self.coef_
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(total > 0, (x @ self.coef_) / np.where(total > 0, total, 1.0),
                           np.nan)
        return np.round(out * 100, 2)

    def score(self, X: Sequence | np.ndarray, y: Sequence | np.ndarray,
              sample_weight: np.ndarray | None = None) -> float:
        y = np.asarray(y, dtype=float)
        if y.min(initial=0) < 0:
            y = y - y.min()
        pred = self.predict(X)
        if len(y) < 2:
            return 1.0
        return float(ndcg_score(y[None, :], pred[None, :]))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # NaN: the component does not apply to the pair
        return tags


_CLASH = set(COMPONENT_NAMES) & {n for n in dir(ShoeScorer) if not n.startswith("__")}
assert not _CLASH, f"component names clash with ShoeScorer attributes: {_CLASH}"
