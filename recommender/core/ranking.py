"""Ranking runners' eligible shoes: a slice of runners × shoes → each runner's top rows,
the same rules for the single-runner engine, a store's stock and a whole cohort."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from ..rules.expr import F, P
from ..spec.vocab import InvCol, R, S
from .features import derive
from .pairs import pair_inputs, score_pairs

RANK_COLUMNS = ("runner_id", "rank", "shoe_id", "sku", "score", "support", "drop_mm",
                "gate_locked", "referral")
SCORE_SLICE = 50_000  # runners ranked at once (pairs in memory are bounded by encoded blocks)
REFERENCE_SLICE = 5_000  # runners per query of the reference path: bounds its pairs
OFFER_SIZE = "__offer_size"
OFFER_WIDTH = "__offer_width"
OFFER_LINE = "__offer_line"


def prune(lf: pl.LazyFrame, *keep: str) -> pl.LazyFrame:
    """Only the columns the pair expressions read (plus ``keep``): nothing else is copied
    onto every runner × shoe pair."""
    needed = pair_inputs() | {R.runner_id, S.shoe_id, *keep}
    return lf.select([c for c in lf.collect_schema().names() if c in needed])


def rank_slice(runners: pl.DataFrame, catalog: pl.DataFrame, shoes: pl.LazyFrame, top: int,
               weights: Mapping[str, float] | None, in_stock: bool,
               partition: str | None = None, carry: Sequence[str] | None = None
               ) -> pl.DataFrame:
    """One slice of validated runners × ``shoes`` (offers in stock, met on the runner's
    line, size and width; or the whole catalog) → each runner's top ``top`` eligible rows
    (per value of the shoe column ``partition`` when given: a store, which is then a column
    of the result), sorted by runner_id, partition, rank. ``carry``: these shoe columns in
    place of shoe_id, sku, support and drop_mm (and the partition), after runner_id, rank,
    score, gate_locked, referral. Scored by :mod:`.encoded` (each rule once per distinct
    key, arithmetic per pair); identical to :func:`rank_slice_reference`."""
    from .encoded import rank_encoded  # numpy: not imported by the single-runner path

    feats = prune(derive(runners, catalog), R.shoe_size_us, R.width, F.referral, F.line,
                  F.established).collect().sort(R.runner_id)
    shoe_frame = shoes.collect()
    keys = ([F.line, R.shoe_size_us, R.width], [OFFER_LINE, OFFER_SIZE, OFFER_WIDTH]) \
        if in_stock else ([], [])
    out = rank_encoded(feats, shoe_frame, runner_keys=keys[0], shoe_keys=keys[1], top=top,
                       weights=weights, partition=partition, carry=carry)
    if out is not None:
        return out
    if partition is not None:
        parts = [rank_slice(runners, catalog, part.lazy().drop(partition), top, weights,
                            in_stock, carry=carry).with_columns(
                     pl.lit(part.item(0, partition), pl.String).alias(partition))
                 for part in shoe_frame.partition_by(partition, maintain_order=True)]
        out = pl.concat(parts).sort(R.runner_id, partition, "rank")
        return out.drop(partition) if carry is not None else out
    parts = [rank_slice_reference(runners.slice(i, REFERENCE_SLICE), catalog, shoes, top,
                                  weights, in_stock, carry=carry)
             for i in range(0, max(runners.height, 1), REFERENCE_SLICE)]
    return pl.concat(parts).sort(R.runner_id, "rank")


def rank_slice_reference(runners: pl.DataFrame, catalog: pl.DataFrame, shoes: pl.LazyFrame,
                         top: int, weights: Mapping[str, float] | None, in_stock: bool,
                         carry: Sequence[str] | None = None) -> pl.DataFrame:
    """One slice of validated runners × ``shoes`` (offers in stock, joined on the runner's
    line, size and width; or the whole catalog) → each runner's top ``top`` eligible rows,
    every declared expression evaluated on every pair. The reference :func:`rank_slice`
    must equal (tests compare them); used when the encoded path declines."""
    feats = prune(derive(runners, catalog), R.shoe_size_us, R.width, F.referral, F.line)
    if in_stock:  # the runner's own line, size and width only (SPEC §7.4)
        pairs = feats.join(shoes, left_on=[F.line, R.shoe_size_us, R.width],
                           right_on=[OFFER_LINE, OFFER_SIZE, OFFER_WIDTH], how="inner")
    else:
        pairs = feats.join(shoes.with_columns(pl.lit(None, pl.String).alias(InvCol.sku)),
                           how="cross")
    scored = score_pairs(pairs, weights).filter(pl.col(P.eligible))
    ranked = scored.select(
        R.runner_id, S.shoe_id, InvCol.sku, P.score, S.support, S.drop_mm,
        (~pl.col(F.established)).alias("gate_locked"), pl.col(F.referral).alias("referral"),
        *[c for c in carry or () if c not in RANK_COLUMNS],
    ).sort([R.runner_id, P.score, S.shoe_id], descending=[False, True, False])
    ranked = ranked.with_columns(
        (pl.int_range(pl.len()).over(R.runner_id) + 1).cast(pl.Int32).alias("rank")
    ).filter(pl.col("rank") <= top)
    cols = RANK_COLUMNS if carry is None else \
        ("runner_id", "rank", P.score, "gate_locked", "referral", *carry)
    return ranked.select(cols).collect().sort(R.runner_id, "rank")


def ranked_in_slices(runners: pl.DataFrame, catalog: pl.DataFrame, shoes: pl.LazyFrame,
                     top: int, weights: Mapping[str, float] | None, *, in_stock: bool,
                     partition: str | None = None, carry: Sequence[str] | None = None
                     ) -> pl.DataFrame:
    """:func:`rank_slice` over slices of :data:`SCORE_SLICE` runners, in runner order (the
    slices are taken in runner_id order, so one after the other keeps it)."""
    if runners.height <= SCORE_SLICE:
        return rank_slice(runners, catalog, shoes, top, weights, in_stock, partition, carry)
    order = runners.get_column(R.runner_id).arg_sort()
    return pl.concat([rank_slice(runners[order.slice(i, SCORE_SLICE)], catalog, shoes, top,
                                 weights, in_stock, partition, carry)
                      for i in range(0, runners.height, SCORE_SLICE)])


def rank_catalog(runners: pl.DataFrame, catalog: pl.DataFrame, top: int | None = None,
                 weights: Mapping[str, float] | None = None,
                 among: Sequence[str] | None = None) -> pl.DataFrame:
    """Validated runners × the whole catalog, stock ignored: every runner's eligible shoes
    ranked by the same rules as ``recommend`` (all versions of a model kept). Columns
    ``runner_id, rank, shoe_id, score, support, drop_mm, gate_locked, referral``; ``top``
    keeps the first N per runner (default: all); ``among`` ranks only those shoe_ids (the
    runners' features still read the whole catalog). For cohort analysis and the runners a
    store cannot serve."""
    shoes = catalog.lazy() if among is None else catalog.lazy().filter(
        pl.col(S.shoe_id).is_in(list(among)))
    out = ranked_in_slices(runners, catalog, _catalog_shoes(shoes), top or catalog.height,
                           weights, in_stock=False)
    return out.drop(InvCol.sku)


def _catalog_shoes(shoes: pl.LazyFrame) -> pl.LazyFrame:
    """Catalog rows as the pair expressions read them: priced at their MSRP."""
    return prune(shoes.with_columns(pl.col(S.msrp_usd).alias(P.price)), S.support, S.drop_mm)


def best_and_eligible(runners: pl.DataFrame, catalog: pl.DataFrame, among: Sequence[str],
                      weights: Mapping[str, float] | None = None
                      ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Validated runners × the whole catalog, stock ignored, in one pass: (each runner's
    first shoe of :func:`rank_catalog` — ``runner_id, shoe_id``, in runner_id order, the
    shoe null when none is eligible; every (``runner_id, shoe_id``) eligible for the runner
    whose shoe_id is in ``among``, by runner_id then shoe_id). What a store needs for the
    runners it does not serve (:mod:`recommender.batch.coverage`) without ranking every
    eligible shoe; the same answers as :func:`rank_catalog` (tests compare)."""
    from .encoded import best_and_eligible as one_pass

    feats = prune(derive(runners, catalog), F.referral, F.established).collect() \
        .sort(R.runner_id)
    got = one_pass(feats, _catalog_shoes(catalog.lazy()).collect(), among=among,
                   weights=weights)
    if got is not None:
        return got
    ranked = rank_catalog(runners, catalog, weights=weights)
    firsts = feats.select(R.runner_id).join(
        ranked.filter(pl.col("rank") == 1).select(R.runner_id, S.shoe_id), on=R.runner_id,
        how="left", maintain_order="left")
    pairs = ranked.filter(pl.col(S.shoe_id).is_in(list(among))).select(R.runner_id, S.shoe_id)
    return firsts, pairs.sort(R.runner_id, S.shoe_id)


def with_relative_reasons(shortlist: pl.DataFrame, reasons: str) -> pl.DataFrame:
    """Add to each shoe's ``reasons`` what sets it apart on its runner's shortlist (the first
    :data:`rules.reasons.RELATIVE_OVER` shoes): the one shoe strictly lowest or highest on a
    declared column (:data:`rules.reasons.RELATIVE`)."""
    from ..rules.expr import num
    from ..rules.reasons import RELATIVE, RELATIVE_OVER

    if shortlist.height < 2:
        return shortlist
    framed = shortlist.with_columns(
        (pl.int_range(pl.len()).over(R.runner_id) < RELATIVE_OVER).alias("__head"))
    head = pl.col("__head")
    extra = []
    for r in RELATIVE:
        col = pl.when(head).then(pl.col(r.column))
        best = (col.min() if r.best == "min" else col.max()).over(R.runner_id)
        unique = (col == best).fill_null(False).sum().over(R.runner_id) == 1
        pre, post = r.text.split("{value}")
        text = pl.concat_str([pl.lit(pre), num(pl.col(r.column)), pl.lit(post)])
        extra.append(pl.when((col == best).fill_null(False) & unique
                             & (head.sum().over(R.runner_id) > 1)).then(text))
    return framed.with_columns(
        pl.concat_list([pl.col(reasons), *[e.cast(pl.String) for e in extra]])
        .list.drop_nulls().alias(reasons)).drop("__head")


def one_per_model(ranked: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Ranked eligible rows (best first) → (the best version of each model, the others with
    the version that beat them in ``better``)."""
    key = [R.runner_id, S.brand, S.model]
    firsts = ranked.with_columns(pl.int_range(pl.len()).over(key).alias("__n"))
    best = firsts.filter(pl.col("__n") == 0).drop("__n")
    better = best.select(*key, pl.format("{} {} {}", S.brand, S.model, S.version).alias("better"))
    others = firsts.filter(pl.col("__n") > 0).drop("__n").join(better, on=key, how="left")
    return best, others
