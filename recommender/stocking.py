"""What to stock next: a greedy choice of catalog models that reaches the most runners the
store cannot serve today (SPEC §6 coverage, read the other way round).

The engine decides who can wear what: :func:`recommender.rank_catalog` ranks each runner's
eligible catalog shoes by the same rules as the shoe finder (the strength gate, terrain,
width, price, role…), stock ignored. This module only counts: among runners with no
in-stock match, which model is in the most of their top ``good_rank`` picks; take it, drop
the runners it reaches, repeat. Pure functions of frames; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from .catalog import Catalog
from .cohort import rank_catalog
from .spec.vocab import R, S

PICK_SCHEMA = {"step": pl.Int64, S.shoe_id: pl.String, "new_runners": pl.Int64,
               "reached": pl.Int64, "unserved": pl.Int64, "share_reached": pl.Float64,
               "sizes": pl.String}


def greedy_stock(eligible: pl.DataFrame, unserved: Iterable[str], *, k: int = 5,
                 sizes: pl.DataFrame | None = None, exclude: Iterable[str] = ()) -> pl.DataFrame:
    """Greedy maximum coverage over ``eligible`` (``runner_id, shoe_id`` pairs: the shoes a
    runner would be well served by) for the runners in ``unserved``.

    Returns one row per pick in order: ``step, shoe_id, new_runners`` (runners it reaches
    that no earlier pick reached), ``reached`` (cumulative), ``unserved`` (the total),
    ``share_reached`` and ``sizes`` (the runners' US size × width it reaches, most needed
    first, when ``sizes`` — ``runner_id, shoe_size_us, width`` — is given). Ties go to the
    shoe_id that sorts first, so the result is deterministic. Models in ``exclude`` (already
    stocked, say) are never picked."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    ids = sorted(set(unserved))
    pairs = (eligible.select(R.runner_id, S.shoe_id)
             .filter(pl.col(R.runner_id).is_in(ids) & ~pl.col(S.shoe_id).is_in(list(exclude)))
             .unique())
    covers: dict[str, set[str]] = {}
    for shoe, runner in pairs.select(S.shoe_id, R.runner_id).iter_rows():
        covers.setdefault(shoe, set()).add(runner)
    size_of: dict[str, str] = {}
    if sizes is not None:
        for rid, size, width in sizes.select(R.runner_id, R.shoe_size_us, R.width).iter_rows():
            if size is not None:
                size_of[rid] = f"US {size:g} {str(width or 'standard').replace('_', ' ')}"
    left = set(ids)
    rows = []
    reached = 0
    for step in range(1, k + 1):
        best = max(sorted(covers), key=lambda s: len(covers[s] & left), default=None)
        if best is None:
            break
        new = covers.pop(best) & left
        if not new:
            break
        left -= new
        reached += len(new)
        need: dict[str, int] = {}
        for rid in new:
            if rid in size_of:
                need[size_of[rid]] = need.get(size_of[rid], 0) + 1
        top_sizes = ", ".join(f"{label} ×{n}" for label, n in
                              sorted(need.items(), key=lambda kv: (-kv[1], kv[0]))[:6])
        rows.append((step, best, len(new), reached, len(ids),
                     round(reached / len(ids), 4) if ids else 0.0, top_sizes))
    return pl.DataFrame(rows, schema=PICK_SCHEMA, orient="row")


def what_to_stock(runners: pl.DataFrame, catalog: Catalog | pl.DataFrame,
                  served: Iterable[str], *, k: int = 5, good_rank: int = 10,
                  exclude: Iterable[str] = ()) -> pl.DataFrame:
    """The next ``k`` models to stock for the validated ``runners`` (SPEC §2.2 frame) that are
    not in ``served`` (runner ids with an in-stock match). A model "reaches" a runner when it
    is among the runner's own top ``good_rank`` eligible catalog shoes (referred runners are
    left out: they see a clinician first). See :func:`greedy_stock` for the columns."""
    served_ids = set(served)
    todo = runners.filter(~pl.col(R.runner_id).is_in(list(served_ids)))
    empty = pl.DataFrame(schema=PICK_SCHEMA)
    if todo.height == 0:
        return empty
    ranked = rank_catalog(todo, catalog, top=good_rank)
    if "referral" in ranked.columns:
        ranked = ranked.filter(~pl.col("referral").fill_null(False))
    unserved = ranked.get_column(R.runner_id).unique().to_list()
    if not unserved:
        return empty
    return greedy_stock(ranked, unserved, k=k, exclude=exclude,
                        sizes=todo.select(R.runner_id, R.shoe_size_us, R.width))


__all__ = ["PICK_SCHEMA", "greedy_stock", "what_to_stock"]
