"""Vectorised scoring of runner × shoe pairs: hard filters, the strength gate, components
and the weighted score. The single-runner engine and batch scoring both call
:func:`score_pairs`; only what they do with the result differs."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from ..rules.components import COMPONENT_NAMES, COMPONENTS, DEFAULT_WEIGHTS
from ..rules.expr import F, P
from ..rules.filters import FILTERS
from ..rules.reasons import REASONS
from ..rules.transition import transition_exprs
from ..spec.vocab import S

COMPONENT_PREFIX = "c_"
EXCLUDE_PREFIX = "x_"
REASONS_COLUMN = "reasons"


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
    """Weighted mean of the 0..1 components that apply (a null component does not count:
    a preference the runner did not state) → a 0..100 score, rounded to 2 decimals."""
    parts, total = [], []
    for name, c in zip(COMPONENT_NAMES, components, strict=True):
        w = weights[name]
        parts.append(c.fill_null(0.0) * w)
        total.append(pl.when(c.is_null()).then(0.0).otherwise(w))
    return (pl.sum_horizontal(parts) / pl.sum_horizontal(total) * 100).round(2)


#: The shoe's numbers on the runner's line (SPEC §7.2): the women's figures where the
#: catalog gives them, else the row's own.
_womens = pl.col(F.line) == "womens"
LINE_SPECS = [
    pl.when(_womens).then(pl.coalesce(S.womens_drop_mm, S.drop_mm)).otherwise(pl.col(S.drop_mm))
    .alias(P.drop),
    pl.when(_womens).then(pl.coalesce(S.womens_weight_g, S.weight_g)).otherwise(
        pl.col(S.weight_g)).alias(P.weight),
    pl.when(_womens).then(pl.coalesce(S.womens_heel_stack_mm, S.heel_stack_mm)).otherwise(
        pl.col(S.heel_stack_mm)).alias(P.heel),
]

# Built once: expression trees are cheap to evaluate but not free to build.
_ELIGIBLE = (~pl.any_horizontal([f.fails.fill_null(False) for f in FILTERS])).alias(P.eligible)
_COMPONENTS = [(pl.when(c.applies).then(c.value.fill_null(0.0).clip(0.0, 1.0))
                if c.applies is not None else c.value.fill_null(0.0).clip(0.0, 1.0))
               .alias(f"{COMPONENT_PREFIX}{c.name}") for c in COMPONENTS]
_EXCLUSIONS = [pl.when(f.fails.fill_null(False)).then(f.reason).alias(f"{EXCLUDE_PREFIX}{f.id}")
               for f in FILTERS]
_REASONS = pl.concat_list([r.cast(pl.String) for r in REASONS]).list.drop_nulls().alias(
    REASONS_COLUMN)
_TRANSITION = transition_exprs()


def pair_inputs(explain: bool = False) -> set[str]:
    """Every column the pair expressions read (runner features and shoe columns alike):
    select these before a join so no unused runner column is copied onto every pair."""
    exprs = [*LINE_SPECS] + [f.fails for f in FILTERS] + [c.value for c in COMPONENTS] + [
        c.applies for c in COMPONENTS if c.applies is not None]
    if explain:
        exprs += [f.reason for f in FILTERS] + list(REASONS) + list(_TRANSITION)
    produced = {P.drop, P.weight, P.heel}
    return {name for e in exprs for name in e.meta.root_names()} - produced


def score_pairs(pairs: pl.LazyFrame, weights: Mapping[str, float] | None = None, *,
                explain: bool = False) -> pl.LazyFrame:
    """Pairs (runner features + shoe columns + ``price_usd``) → ``eligible``, ``c_*``
    components and ``score``. With ``explain``, also ``x_<rule>`` exclusion reasons (null
    when the shoe passes), ``reasons`` and the shoe's transition (``P.transition_*``)."""
    w = check_weights(weights)
    lf = pairs.with_columns(LINE_SPECS).with_columns(_ELIGIBLE, *_COMPONENTS).with_columns(
        combine([pl.col(f"{COMPONENT_PREFIX}{n}") for n in COMPONENT_NAMES], w).alias(P.score))
    if explain:
        lf = lf.with_columns(*_EXCLUSIONS, _REASONS, *_TRANSITION)
    return lf
