"""How small frames are collected.

polars 2 runs lazy queries on the streaming engine by default; for a runner × catalog
frame of a few hundred rows its start-up cost and the optimiser's passes dominate. Small
queries run on the in-memory engine without optimisation passes (measured about 3× faster
for one runner; see ``benchmarks/recommend.py``).
"""

from __future__ import annotations

import polars as pl


def collect_small(lf: pl.LazyFrame) -> pl.DataFrame:
    return lf.collect(engine="in-memory", optimizations=pl.QueryOptFlags.none())
