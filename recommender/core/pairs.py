"""Vectorised scoring of runner × shoe pairs: hard filters, the strength gate, components
and the weighted score. The single-runner engine and batch scoring both call
:func:`score_pairs`; only what they do with the result differs."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from ..rules.components import COMPONENT_NAMES, COMPONENTS, DEFAULT_WEIGHTS
from ..rules.expr import P
from ..rules.filters import FILTERS
from ..rules.reasons import REASONS

COMPONENT_PREFIX = "c_"
EXCLUDE_PREFIX = "x_"


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    w = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = set(w) - set(COMPONENT_NAMES)
    if unknown:
        raise ValueError(f"unknown component(s): {', '.join(sorted(unknown))}")
    missing = set(COMPONENT_NAMES) - set(w)
    if missing:
        raise ValueError(f"missing weight(s): {', '.join(sorted(missing))}")
    if any(v < 0 for v in w.values()) or sum(w.values()) <= 0:
        raise ValueError("weights must be >= 0 with a positive sum")
    return w


def combine(components: list[pl.Expr], weights: Mapping[str, float]) -> pl.Expr:
    """Weighted mean of 0..1 components → a 0..100 score, rounded to 2 decimals."""
    total = sum(weights.values())
    parts = [c * (weights[name] / total) for name, c in zip(COMPONENT_NAMES, components, strict=True)]
    return (pl.sum_horizontal(parts) * 100).round(2)


REASONS_COLUMN = "reasons"

# Built once: expression trees are cheap to evaluate but not free to build.
_ELIGIBLE = (~pl.any_horizontal([f.fails.fill_null(False) for f in FILTERS])).alias(P.eligible)
_COMPONENTS = [c.value.fill_null(0.0).clip(0.0, 1.0).alias(f"{COMPONENT_PREFIX}{c.name}")
               for c in COMPONENTS]
_EXCLUSIONS = [pl.when(f.fails.fill_null(False)).then(f.reason).alias(f"{EXCLUDE_PREFIX}{f.id}")
               for f in FILTERS]
_REASONS = pl.concat_list([r.cast(pl.String) for r in REASONS]).list.drop_nulls().alias(
    REASONS_COLUMN)


def pair_inputs(explain: bool = False) -> set[str]:
    """Every column the pair expressions read (runner features and shoe columns alike):
    select these before a join so no unused runner column is copied onto every pair."""
    exprs = [f.fails for f in FILTERS] + [c.value for c in COMPONENTS]
    if explain:
        exprs += [f.reason for f in FILTERS] + list(REASONS)
    return {name for e in exprs for name in e.meta.root_names()}


def score_pairs(pairs: pl.LazyFrame, weights: Mapping[str, float] | None = None, *,
                explain: bool = False) -> pl.LazyFrame:
    """Pairs (runner features + shoe columns + ``price_usd``) → ``eligible``, ``c_*``
    components and ``score``. With ``explain``, also ``x_<rule>`` exclusion reasons (null
    when the shoe passes) and ``reasons``, the plain-language reasons tied to the runner."""
    w = check_weights(weights)
    lf = pairs.with_columns(_ELIGIBLE, *_COMPONENTS).with_columns(
        combine([pl.col(f"{COMPONENT_PREFIX}{n}") for n in COMPONENT_NAMES], w).alias(P.score))
    if explain:
        lf = lf.with_columns(*_EXCLUSIONS, _REASONS)
    return lf
