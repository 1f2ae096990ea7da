"""Arithmetic pair scoring: the declared filters and components evaluated once per distinct
key, then looked up for every runner × shoe pair.

Each declared expression (a filter's ``fails``, a component's weighted value and weight
where it applies) reads a few runner columns and a few shoe columns. Runners that share
those few values get the same result against the same shoe, so polars evaluates the
expression once over *distinct runner values × distinct shoe values* (a small grid, e.g.
5 uses × 40 role/plate pairs) into a table. The pair step is then arithmetic on dense
blocks (the runners of one size group × the shoes offered in it): one row gather per
table, a weighted sum, and a partial sort of integer keys for each runner's top N — no
string compared, no full sort. The rules stay declared once (``rules/``); this module only
decides *where* they are evaluated. When a grid would be larger than the pairs themselves
(a continuous runner value such as a different budget on every row), that expression is
evaluated by polars on the block's pairs instead: same expression, same numbers.

Results are identical to evaluating every expression on every pair
(:func:`recommender.core.ranking.rank_slice_reference`): the same component values, the
same products summed in the same order, rounded by polars' own ``round``; tests compare
the two on fixed-seed and randomised cohorts.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import polars as pl

from ..rules.components import COMPONENTS
from ..rules.expr import F, P
from ..rules.filters import FILTERS
from ..spec.vocab import InvCol, R, S
from .pairs import LINE_SPECS, check_weights

#: Pair columns made by ``LINE_SPECS`` (the shoe's numbers on the runner's line) → the
#: columns each one reads.
_PRODUCED = {e.meta.output_name(): set(e.meta.root_names()) for e in LINE_SPECS}
#: A grid with more cells than this (and than the pairs) is not built.
GRID_CELLS_MAX = 2_000_000
#: Consecutive lookups are merged into one while their joint grid has at most this many
#: cells (fewer gathers per pair).
MERGE_CELLS = 200_000
#: Pairs scored at once (a block's runners × its shoes): bounds the memory of a slice.
BLOCK_PAIRS = 1_000_000
#: The integer sort key of a pair within its runner's row: inverted centi-score, then the
#: shoe's position in its group (the shoes are sorted by shoe_id inside a group).
_SHOE_BITS = 16
_MAX_CENTI = 10_000  # a score of 100.00: keys fit 30 bits, so int32 (half the bytes)
_INELIGIBLE = np.int32(1 << 30)


def _roots(expr: pl.Expr) -> set[str]:
    names = set(expr.meta.root_names())
    for produced in names & set(_PRODUCED):
        names = (names - {produced}) | _PRODUCED[produced]
    return names


def _codes(frame: pl.DataFrame, cols: Sequence[str]) -> tuple[pl.DataFrame, np.ndarray]:
    """Distinct values of ``cols`` (first-seen order) and each row's index into them."""
    if not cols:
        return pl.DataFrame({"__one": [0]}), np.zeros(frame.height, dtype=np.int64)
    groups = frame.select(cols).with_row_index("__i").group_by(
        list(cols), maintain_order=True).agg("__i")
    code = np.empty(frame.height, dtype=np.int64)
    idx = groups.get_column("__i")
    code[idx.explode().to_numpy()] = np.repeat(np.arange(groups.height),
                                               idx.list.len().to_numpy())
    return groups.drop("__i"), code


def _evaluate(frame: pl.DataFrame, expr: pl.Expr) -> np.ndarray:
    produced = set(expr.meta.root_names()) & set(_PRODUCED)
    lf = frame.lazy().with_columns([e for e in LINE_SPECS if e.meta.output_name() in produced])
    out = lf.select(expr.alias("__v")).collect(engine="in-memory").get_column("__v")
    if out.dtype == pl.Boolean:
        out = out.fill_null(False)
    return out.to_numpy()


@dataclass(frozen=True)
class _Lookup:
    """One expression over the grid: ``table[runner_code, shoe_code]``; or, when
    ``table`` is None, the expression itself, evaluated on each block's pairs."""

    expr: pl.Expr
    runner_cols: tuple[str, ...]
    shoe_cols: tuple[str, ...]
    table: np.ndarray | None = None
    runner_code: np.ndarray | None = None
    shoe_code: np.ndarray | None = None


def _split(expr: pl.Expr, runners: pl.DataFrame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    roots = _roots(expr)
    rcols = tuple(sorted(c for c in roots if c in runners.columns))
    return rcols, tuple(sorted(roots - set(rcols)))


def _lookup(expr: pl.Expr, runners: pl.DataFrame, shoes: pl.DataFrame, pairs: int) -> _Lookup:
    rcols, scols = _split(expr, runners)
    missing = [c for c in scols if c not in shoes.columns]
    if missing:
        raise KeyError(f"columns {missing} are neither runner nor shoe columns")
    rkeys, rcode = _codes(runners, rcols)
    skeys, scode = _codes(shoes, scols)
    cells = rkeys.height * skeys.height
    if cells > GRID_CELLS_MAX and cells > pairs:
        return _Lookup(expr, rcols, scols)
    grid = rkeys.join(skeys, how="cross")  # row-major: runner key, then shoe key
    table = _evaluate(grid, expr).reshape(rkeys.height, skeys.height)
    return _Lookup(expr, rcols, scols, table, rcode, scode)


class _Cardinality:
    """Distinct values per column (counted once): the product over a set of columns bounds
    the size of their grid."""

    def __init__(self, runners: pl.DataFrame, shoes: pl.DataFrame) -> None:
        self.runners, self.shoes = runners, shoes
        self._n: dict[str, int] = {}

    def _of(self, col: str) -> int:
        if col not in self._n:
            frame = self.runners if col in self.runners.columns else self.shoes
            self._n[col] = frame.get_column(col).n_unique()
        return self._n[col]

    def cells(self, exprs: Sequence[pl.Expr]) -> int:
        cols = set().union(*(_roots(e) for e in exprs))
        out = 1
        for c in cols:
            out *= self._of(c)
        return out


def _merge(exprs: Sequence[pl.Expr], combine, card: _Cardinality, *, prefix_only: bool
           ) -> list[pl.Expr]:
    """Fewer, larger lookups: consecutive expressions combined while their joint grid stays
    within :data:`MERGE_CELLS`. ``prefix_only``: only the leading run is merged (a float sum
    keeps its order of addition only from the start)."""
    merged: list[list[pl.Expr]] = []
    for e in exprs:
        if merged and (not prefix_only or len(merged) == 1) and \
                card.cells([*merged[-1], e]) <= MERGE_CELLS:
            merged[-1].append(e)
        else:
            merged.append([e])
    return [combine(group) if len(group) > 1 else group[0] for group in merged]


def _sum(exprs: Sequence[pl.Expr]) -> pl.Expr:
    out = exprs[0]
    for e in exprs[1:]:
        out = out + e  # left to right, as the pair step adds
    return out


def _own(a: np.ndarray) -> np.ndarray:
    """An array safe to change in place (polars may hand out read-only views)."""
    return a if a.flags.writeable else a.copy()


class _Block:
    """Some runners of one group × that group's shoes (a contiguous run of the shoe frame),
    as dense ``(runners, shoes)`` arrays."""

    def __init__(self, runners: pl.DataFrame, shoes: pl.DataFrame, rows: np.ndarray,
                 start: int, stop: int) -> None:
        self.runners, self.shoes, self.rows = runners, shoes, rows
        self.cols = np.arange(start, stop)
        self.shape = (len(rows), stop - start)

    def values(self, lookup: _Lookup, out: np.ndarray | None = None) -> np.ndarray:
        """The lookup's value for every pair of the block (into ``out`` when given)."""
        if lookup.table is None:
            got = self._direct(lookup)
            if out is None:
                return got
            out[...] = got
            return out
        # The table's columns for this block's shoes, then one row per runner.
        return np.take(lookup.table[:, lookup.shoe_code[self.cols]],
                       lookup.runner_code[self.rows], axis=0, out=out)

    def _direct(self, lookup: _Lookup) -> np.ndarray:
        n, m = self.shape
        parts = []
        if lookup.runner_cols:
            parts.append(self.runners.select(lookup.runner_cols)[np.repeat(self.rows, m)])
        if lookup.shoe_cols:
            parts.append(self.shoes.select(lookup.shoe_cols)[np.tile(self.cols, n)])
        frame = pl.concat(parts, how="horizontal") if parts else \
            pl.DataFrame({"__one": np.zeros(n * m, dtype=np.int8)})
        return _evaluate(frame, lookup.expr).reshape(n, m)


@dataclass(frozen=True)
class Scorer:
    """The declared filters and weighted components compiled against one set of runners
    (features derived) and one set of shoes (catalog rows or a store's offers).

    ``pairs.combine`` computes ``sum(c_k * w_k) / sum(w_k) * 100`` over the components that
    apply, left to right. Here each component is a numerator term (its weighted value where
    it applies, else 0) and a denominator term (its weight where it applies, else 0); the
    leading numerator terms are summed inside one grid, the denominator (which reads runner
    columns only) once per runner, and the rest is added per pair in the declared order:
    the same floating-point operations in the same order, so the same scores."""

    fails: tuple[_Lookup, ...]
    terms: tuple[_Lookup, ...]
    denominator: np.ndarray  # per runner

    @classmethod
    def build(cls, runners: pl.DataFrame, shoes: pl.DataFrame,
              weights: Mapping[str, float] | None, pairs: int) -> Scorer | None:
        w = check_weights(weights)
        card = _Cardinality(runners, shoes)
        fails = _merge([f.fails.fill_null(False) for f in FILTERS], pl.any_horizontal, card,
                       prefix_only=False)
        nums, dens = [], []
        for c in COMPONENTS:
            weight = float(w[c.name])
            weighted = c.value.fill_null(0.0).clip(0.0, 1.0).cast(pl.Float64) * weight
            if c.applies is None:
                nums.append(weighted)
                dens.append(pl.lit(weight))
            else:
                on = c.applies.fill_null(False)
                nums.append(pl.when(on).then(weighted).otherwise(0.0))
                dens.append(pl.when(on).then(pl.lit(weight)).otherwise(0.0))
        denominator = _sum(dens)
        if _split(denominator, runners)[1]:  # a weight that depends on the shoe
            return None
        terms = _merge(nums, _sum, card, prefix_only=True)
        return cls(tuple(_lookup(f, runners, shoes, pairs) for f in fails),
                   tuple(_lookup(t, runners, shoes, pairs) for t in terms),
                   runners.select(denominator.cast(pl.Float64).alias("d")).get_column("d")
                   .to_numpy())

    def eligible(self, block: _Block) -> np.ndarray:
        fails = _own(block.values(self.fails[0]))
        if len(self.fails) > 1:
            more = np.empty_like(fails)
            for f in self.fails[1:]:
                fails |= block.values(f, out=more)
        return np.logical_not(fails, out=fails)

    def centi_score(self, block: _Block) -> np.ndarray:
        """100 × the 0..100 score rounded to 2 decimals (floats; NaN where undefined), as
        ``pairs.combine`` rounds: polars' ``round(2)`` is ``x * 100`` rounded half to even,
        then ``/ 100`` — :func:`centi` is that integer (so ``centi / 100`` is the same
        float), without a round trip through a polars Series."""
        num = _own(block.values(self.terms[0]).astype(np.float64, copy=False))
        more = np.empty_like(num)
        for term in self.terms[1:]:
            if term.table is not None and term.table.dtype != np.float64:
                more[...] = block.values(term)
            else:
                block.values(term, out=more)
            num += more
        with np.errstate(divide="ignore", invalid="ignore"):
            num /= self.denominator[block.rows][:, None]
            num *= 100
        return centi(num)

    def top(self, block: _Block, top: int, eligible: np.ndarray | None = None
            ) -> tuple[np.ndarray, ...] | None:
        """(runner row, rank from 0, shoe row, centi-score) of each runner's first ``top``
        eligible shoes in the block, score descending then shoe_id; None when a score is
        not a number (weights that leave a runner without any component). ``eligible``:
        :meth:`eligible` of the block, when the caller has it already."""
        eligible = self.eligible(block) if eligible is None else eligible
        score = self.centi_score(block)
        if np.isnan(score[eligible]).any():
            return None
        m = block.shape[1]
        with np.errstate(invalid="ignore"):  # NaN where not eligible: masked below
            key = score.astype(np.int32)
        np.subtract(_MAX_CENTI, key, out=key)
        key <<= _SHOE_BITS
        key |= np.arange(m, dtype=np.int32)
        key[~eligible] = _INELIGIBLE
        k = min(top, m)
        if k == 1:
            head = key.min(axis=1, keepdims=True)
        else:
            head = np.sort(np.partition(key, k - 1, axis=1)[:, :k] if k < m else key, axis=1)
        keep = head < _INELIGIBLE
        rank = np.broadcast_to(np.arange(k), head.shape)[keep]
        rows = np.broadcast_to(block.rows[:, None], head.shape)[keep]
        head = head[keep]
        return (rows, rank, block.cols[head & ((1 << _SHOE_BITS) - 1)],
                _MAX_CENTI - (head >> _SHOE_BITS))


def centi(percent: np.ndarray) -> np.ndarray:
    """``percent * 100`` rounded half to even, in place (floats, NaN kept): the integer that
    polars' ``round(2)`` divides by 100 (tests/core/test_encoded.py compares the two)."""
    percent *= 100
    return np.rint(percent, out=percent)


@dataclass(frozen=True)
class _Groups:
    """Runs of the sorted shoe frame (``start``, ``length``; ``part``: the partition each
    belongs to, from 0 in sorted order) and which runners meet each (``members[g]``)."""

    start: np.ndarray
    length: np.ndarray
    part: np.ndarray
    members: list[np.ndarray]

    @property
    def pairs(self) -> int:
        return int(sum(len(m) * int(n) for m, n in zip(self.members, self.length,
                                                        strict=True)))


def _groups(runners: pl.DataFrame, shoes: pl.DataFrame, runner_keys: Sequence[str],
            shoe_keys: Sequence[str], partition: str | None) -> _Groups:
    """A runner meets the group of shoes whose ``shoe_keys`` equal its ``runner_keys``
    (every shoe when there are none) — one group in each partition."""
    keys = [*([partition] if partition else []), *shoe_keys]
    if not keys:
        return _Groups(np.array([0]), np.array([shoes.height]), np.array([0]),
                       [np.arange(runners.height)])
    groups = shoes.select(keys).with_row_index("__s").group_by(keys, maintain_order=True).agg(
        pl.col("__s").first().alias("__start"), pl.len().alias("__len")).with_row_index("__g")
    if partition:
        groups = groups.with_columns((pl.col(partition).rank("dense") - 1).alias("__p"))
    else:
        groups = groups.with_columns(pl.lit(0).alias("__p"))
    met = runners.select([pl.col(a).alias(b) for a, b in zip(runner_keys, shoe_keys,
                                                            strict=True)]) \
        .with_row_index("__r").join(groups.select("__g", *shoe_keys), on=list(shoe_keys),
                                    how="inner") if shoe_keys else \
        pl.DataFrame({"__r": np.arange(runners.height)}).join(groups.select("__g"), how="cross")
    met = met.select("__g", "__r").sort("__g", "__r")
    g, r = met.get_column("__g").to_numpy(), met.get_column("__r").to_numpy().astype(np.int64)
    bounds = np.searchsorted(g, np.arange(groups.height + 1))
    return _Groups(groups.get_column("__start").to_numpy().astype(np.int64),
                   groups.get_column("__len").to_numpy().astype(np.int64),
                   groups.get_column("__p").to_numpy().astype(np.int64),
                   [r[bounds[i]:bounds[i + 1]] for i in range(groups.height)])


def _in_order(rows: np.ndarray, part: np.ndarray, rank: np.ndarray, n_runners: int,
              n_parts: int) -> np.ndarray:
    """The order of output rows by runner (the runner frame's order), partition, rank. Each
    (runner, partition) list is already ranked, so a row's place is the count of rows
    before its list plus its rank: a scatter, not a sort (unless the lists are too many)."""
    if n_runners * n_parts > 50_000_000:
        return np.lexsort((rank, part, rows))
    slot = rows * n_parts + part
    per_slot = np.bincount(slot, minlength=n_runners * n_parts)
    place = (np.cumsum(per_slot) - per_slot)[slot] + rank
    at = np.empty_like(place)
    at[place] = np.arange(len(place))
    return at


_POOL: list[ThreadPoolExecutor] = []
_POOL_LOCK = threading.Lock()
os.register_at_fork(after_in_child=_POOL.clear)  # a forked child starts its own


def _pool() -> ThreadPoolExecutor:
    """Blocks are scored on every core (numpy's gathers, partitions and sorts release the
    GIL); one pool for the process, started on first use."""
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(max_workers=os.cpu_count() or 1,
                                            thread_name_prefix="gaitkeeper-blocks"))
        return _POOL[0]


def rank_encoded(runners: pl.DataFrame, shoes: pl.DataFrame, *, runner_keys: Sequence[str],
                 shoe_keys: Sequence[str], top: int, weights: Mapping[str, float] | None,
                 partition: str | None = None, carry: Sequence[str] | None = None
                 ) -> pl.DataFrame | None:
    """Runners (features derived, sorted by runner_id) × the shoes they meet on
    ``runner_keys`` = ``shoe_keys`` (no keys: every shoe) → each runner's top ``top``
    eligible shoes — per value of the shoe column ``partition`` when given (a store) —
    columns ``runner_id, rank, shoe_id, sku, score, support, drop_mm, gate_locked,
    referral`` (and ``partition``), sorted by runner_id, partition, rank. ``carry``: instead
    of shoe_id … drop_mm, these shoe columns (e.g. a row number to gather more from), after
    ``runner_id, rank, score, gate_locked, referral``. None when the weights leave a score
    undefined: the caller then uses the reference path."""
    shoes = shoes.sort([*([partition] if partition else []), *shoe_keys, S.shoe_id])
    if shoes.height >= 1 << _SHOE_BITS:
        return None
    groups = _groups(runners, shoes, runner_keys, shoe_keys, partition)
    scorer = Scorer.build(runners, shoes, weights, groups.pairs)
    if scorer is None:
        return None
    blocks = []
    for g, members in enumerate(groups.members):
        start, stop = int(groups.start[g]), int(groups.start[g] + groups.length[g])
        step = max(1, BLOCK_PAIRS // max(stop - start, 1))
        blocks += [(g, members[i:i + step], start, stop) for i in range(0, len(members), step)]

    def block_top(g: int, members: np.ndarray, start: int, stop: int):
        picked = scorer.top(_Block(runners, shoes, members, start, stop), top)
        return None if picked is None else (*picked, np.full(len(picked[0]), groups.part[g]))

    found = list(_pool().map(block_top, *zip(*blocks, strict=True))) if blocks else []
    if any(f is None for f in found):
        return None
    if found:
        rows, rank, shoe, centi, part = (np.concatenate(p) for p in zip(*found, strict=True))
    else:
        rows = rank = shoe = centi = part = np.zeros(0, dtype=np.int64)
    at = _in_order(rows, part, rank, runners.height, int(groups.part.max(initial=0)) + 1)
    rows, rank, shoe, centi = rows[at], rank[at], shoe[at], centi[at]
    head = runners.select(R.runner_id, (~pl.col(F.established)).alias("gate_locked"),
                          pl.col(F.referral).alias("referral"))[rows].with_columns(
        pl.Series("rank", (rank + 1).astype(np.int32)),
        pl.Series(P.score, centi.astype(np.float64) / 100))
    if carry is not None:
        return pl.concat([head.select("runner_id", "rank", P.score, "gate_locked", "referral"),
                          shoes.select(carry)[shoe]], how="horizontal")
    sku = shoes.get_column(InvCol.sku) if InvCol.sku in shoes.columns else \
        pl.repeat(None, shoes.height, dtype=pl.String, eager=True)
    shoe_cols = [S.shoe_id, S.support, S.drop_mm, *([partition] if partition else [])]
    out = pl.concat([head, shoes.select(shoe_cols).with_columns(sku.alias(InvCol.sku))[shoe]],
                    how="horizontal")
    return out.select("runner_id", "rank", S.shoe_id, InvCol.sku, P.score, S.support,
                      S.drop_mm, "gate_locked", "referral",
                      *([partition] if partition else []))


def best_and_eligible(runners: pl.DataFrame, shoes: pl.DataFrame, *, among: Sequence[str],
                      weights: Mapping[str, float] | None
                      ) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """Runners (features derived) × every shoe of ``shoes`` → (each runner's first shoe as
    :func:`rank_encoded` ranks them: ``runner_id, shoe_id``, null when none is eligible;
    every eligible pair whose shoe_id is in ``among``: ``runner_id, shoe_id``, by runner
    then shoe_id) — both from one pass over the pairs. None when the weights leave a score
    undefined (the caller then ranks by the reference path)."""
    shoes = shoes.sort(S.shoe_id)
    n, m = runners.height, shoes.height
    if m >= 1 << _SHOE_BITS:
        return None
    scorer = Scorer.build(runners, shoes, weights, n * m)
    if scorer is None:
        return None
    ids = shoes.get_column(S.shoe_id)
    cols = np.flatnonzero(ids.is_in(pl.Series(list(among), dtype=pl.String).implode())
                          .to_numpy())
    best = np.full(n, -1, dtype=np.int64)
    pair_rows, pair_shoes = [], []
    step = max(1, BLOCK_PAIRS // max(m, 1))
    for i in range(0, n, step):
        block = _Block(runners, shoes, np.arange(i, min(i + step, n)), 0, m)
        eligible = scorer.eligible(block)
        picked = scorer.top(block, 1, eligible)
        if picked is None:
            return None
        best[picked[0]] = picked[2]
        r, c = np.nonzero(eligible[:, cols])
        pair_rows.append(block.rows[r])
        pair_shoes.append(cols[c])
    runner_ids = runners.get_column(R.runner_id)
    firsts = pl.DataFrame({R.runner_id: runner_ids, S.shoe_id: ids.gather(
        pl.Series(best).set(pl.Series(best < 0), None))})
    rows = np.concatenate(pair_rows) if pair_rows else np.zeros(0, dtype=np.int64)
    picks = np.concatenate(pair_shoes) if pair_shoes else np.zeros(0, dtype=np.int64)
    pairs = pl.DataFrame({R.runner_id: runner_ids.gather(rows), S.shoe_id: ids.gather(picks)})
    return firsts, pairs
