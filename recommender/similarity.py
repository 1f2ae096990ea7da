"""scikit-learn on the catalog: shoes similar in spec (``similar_shoes``) and a tunable
scorer estimator (``ShoeScorer``) whose weights are the engine's component weights.

scikit-learn is imported here only, so the command line's fast path never loads it.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from functools import cache

import numpy as np
import polars as pl
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.compose import ColumnTransformer
from sklearn.metrics import ndcg_score
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils.validation import check_is_fitted, validate_data

from .catalog import Catalog, load_catalog
from .rules.components import COMPONENT_NAMES, DEFAULT_WEIGHTS
from .spec.vocab import CUSHIONINGS, PLATES, SHOE_TERRAINS, SUPPORTS, S

NUMERIC = [S.drop_mm, S.heel_stack_mm, S.forefoot_stack_mm, S.weight_g, S.msrp_usd]
CATEGORICAL = [S.support, S.terrain, S.cushioning, S.plate]
FLAGS = [S.rocker]


def spec_pipeline() -> Pipeline:
    """Scale numbers, one-hot the classes: the space in which shoes are compared."""
    enc = ColumnTransformer([
        ("num", StandardScaler(), NUMERIC),
        ("cat", OneHotEncoder(categories=[list(SUPPORTS), list(SHOE_TERRAINS), list(CUSHIONINGS),
                                          list(PLATES)], handle_unknown="ignore"), CATEGORICAL),
        ("flag", "passthrough", FLAGS),
    ])
    return Pipeline([("encode", enc), ("nn", NearestNeighbors(metric="euclidean"))])


class ShoeSpace:
    """The fitted similarity space of one catalog."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        frame = catalog.frame.select(S.shoe_id, *NUMERIC, *CATEGORICAL,
                                     pl.col(S.rocker).cast(pl.Float64))
        self.ids: list[str] = frame.get_column(S.shoe_id).to_list()
        self._index = {sid: i for i, sid in enumerate(self.ids)}
        self.pipeline = spec_pipeline()
        x = frame.drop(S.shoe_id).to_pandas()
        self.pipeline.fit(x)
        self.embedding_ = self.pipeline.named_steps["encode"].transform(x)
        diff = self.embedding_[:, None, :] - self.embedding_[None, :, :]
        self.distances_ = np.sqrt((diff ** 2).sum(axis=2))

    def similar(self, shoe_id: str, k: int = 5,
                candidates: Iterable[str] | None = None) -> list[tuple[str, float]]:
        if shoe_id not in self._index:
            raise KeyError(f"shoe_id {shoe_id!r} is not in the catalog")
        i = self._index[shoe_id]
        allowed = None if candidates is None else {c for c in candidates if c in self._index}
        order = np.lexsort((np.array(self.ids), self.distances_[i]))
        out: list[tuple[str, float]] = []
        for j in order:
            sid = self.ids[j]
            if j == i or (allowed is not None and sid not in allowed):
                continue
            out.append((sid, round(float(self.distances_[i, j]), 4)))
            if len(out) == k:
                break
        return out

    def distance_frame(self) -> pl.DataFrame:
        """Every pair (shoe_id, other_id, distance), for vectorised nearest look-ups."""
        n = len(self.ids)
        return pl.DataFrame({
            "shoe_id": np.repeat(self.ids, n),
            "other_id": np.tile(self.ids, n),
            "distance": self.distances_.ravel(),
        })


@cache
def _space(version: str, path: str | None) -> ShoeSpace:
    return ShoeSpace(load_catalog(path))


def shoe_space(catalog: Catalog | None = None) -> ShoeSpace:
    cat = catalog if catalog is not None else load_catalog()
    if cat.path is None:
        return ShoeSpace(cat)
    return _space(cat.version, cat.path)


def similar_shoes(shoe_id: str, k: int = 5, candidates: Iterable[str] | None = None,
                  catalog: Catalog | None = None) -> list[tuple[str, float]]:
    """The ``k`` catalog shoes nearest in spec to ``shoe_id`` (itself excluded), optionally
    only among ``candidates`` (e.g. what is in stock); ``[(shoe_id, distance)]``, nearest
    first, ties by shoe_id."""
    return shoe_space(catalog).similar(shoe_id, k, candidates)


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
