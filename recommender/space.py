"""Shoes compared by spec: each catalog row as a point (numbers standardised, classes
one-hot, the rocker flag as is) and the euclidean distance between every two shoes. Used
for "similar shoes" in the app and for the nearest in-stock alternative in batch scoring.

numpy only: batch scoring and the app do not load scikit-learn for this. The embedding is
the one ``spec_pipeline`` (scikit-learn's StandardScaler and OneHotEncoder, in
:mod:`recommender.similarity`) computes, operation for operation; a test checks they are
equal to the bit.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import numpy as np
import polars as pl

from .catalog import Catalog, load_catalog
from .spec.vocab import CUSHIONINGS, PLATES, SHOE_TERRAINS, SUPPORTS, S

NUMERIC = [S.drop_mm, S.heel_stack_mm, S.forefoot_stack_mm, S.weight_g, S.msrp_usd]
CATEGORICAL = [S.support, S.terrain, S.cushioning, S.plate]
CATEGORIES = [list(SUPPORTS), list(SHOE_TERRAINS), list(CUSHIONINGS), list(PLATES)]
FLAGS = [S.rocker]


def _standardise(x: np.ndarray) -> np.ndarray:
    """Columns centred and scaled to unit variance as scikit-learn's StandardScaler does
    (NaN ignored in the statistics and kept; a constant column is only centred). Column-major,
    as the pipeline receives the catalog from pandas: the order of summation is the same."""
    x = np.array(x, dtype=np.float64, order="F", copy=True)
    nan = np.isnan(x)
    total = np.nansum if nan.any() else np.sum
    count = x.shape[0] - total(nan.astype(x.dtype), axis=0)
    column_sum = total(x, axis=0)
    mean = column_sum / count
    centred = x - column_sum / count
    correction = total(centred, axis=0)
    centred **= 2
    var = (total(centred, axis=0) - correction ** 2 / count) / count
    eps = np.finfo(np.float64).eps
    constant = var <= count * eps * var + (count * mean * eps) ** 2
    scale = np.sqrt(var)
    scale[constant] = 1.0
    x -= mean
    x /= scale
    return x


def embed(frame: pl.DataFrame) -> np.ndarray:
    """Catalog rows → points: standardised numbers, one-hot classes, the rocker flag."""
    numbers = _standardise(frame.select(pl.col(NUMERIC).cast(pl.Float64)).to_numpy())
    onehot = frame.select([(pl.col(c) == v).fill_null(False).cast(pl.Float64)
                           .alias(f"{c}={v}")
                           for c, values in zip(CATEGORICAL, CATEGORIES, strict=True)
                           for v in values]).to_numpy()
    flags = frame.select(pl.col(FLAGS).cast(pl.Float64)).to_numpy()
    return np.hstack([numbers, onehot, flags])


class ShoeSpace:
    """The similarity space of one catalog."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.ids: list[str] = catalog.frame.get_column(S.shoe_id).to_list()
        self._index = {sid: i for i, sid in enumerate(self.ids)}
        self.embedding_ = embed(catalog.frame)
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


