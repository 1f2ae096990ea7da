"""The numpy similarity space equals scikit-learn's pipeline to the bit, so batch scoring
and the app can use it without importing scikit-learn."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import polars as pl

from recommender.catalog import Catalog
from recommender.similarity import spec_pipeline
from recommender.space import CATEGORICAL, CATEGORIES, FLAGS, NUMERIC, ShoeSpace, embed
from recommender.spec.vocab import S


def _sklearn_embedding(frame: pl.DataFrame) -> np.ndarray:
    x = frame.select(*NUMERIC, *CATEGORICAL, pl.col(S.rocker).cast(pl.Float64)).to_pandas()
    return spec_pipeline().named_steps["encode"].fit_transform(x)


def test_embedding_equals_scikit_learn(cat: Catalog) -> None:
    got = embed(cat.frame)
    want = _sklearn_embedding(cat.frame)
    assert got.shape == want.shape == (cat.frame.height, len(NUMERIC) + sum(map(len, CATEGORIES)) + len(FLAGS))
    assert np.array_equal(got, want, equal_nan=True)


def test_embedding_with_missing_and_constant_columns(cat: Catalog) -> None:
    """NaN left out of the statistics, a constant column only centred — as scikit-learn."""
    frame = cat.frame.head(40).with_columns(
        pl.when(pl.int_range(pl.len()) % 3 == 0).then(None).otherwise(pl.col(S.weight_g))
        .alias(S.weight_g),
        pl.lit(120.0).alias(S.msrp_usd))
    assert np.array_equal(embed(frame), _sklearn_embedding(frame), equal_nan=True)


def test_distances_are_a_metric(cat: Catalog) -> None:
    d = ShoeSpace(cat).distances_
    assert np.allclose(d, d.T) and np.all(np.diag(d) == 0) and np.all(d >= 0)


def test_batch_scoring_path_does_not_import_scikit_learn() -> None:
    code = ("import sys; from recommender.space import shoe_space; "
            "shoe_space().distance_frame(); "
            "import recommender.batch.run, recommender.core.encoded; "
            "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
