"""The same batch scoring past one machine, on Ray Data.

Each validated chunk of runners becomes a Ray dataset of Arrow batches; the *same pure*
:func:`recommender.batch.chunk.score_chunk` runs in ``map_batches(batch_format="pyarrow")`` on the
workers, with the offers and catalog shipped once through the object store. Results come
back sorted exactly as the local engine's, so both write identical outputs. Requires the
``distributed`` extra (``ray[data]``); uses the running cluster or starts a local one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import polars as pl

from ..errors import BatchError
from ..spec.vocab import R
from .chunk import score_chunk

RAY_BATCH_ROWS = 5_000


def _ray():
    try:
        import ray
    except ImportError:  # pragma: no cover - depends on the extra
        raise BatchError("--engine ray needs the 'distributed' extra: pip install "
                         "'gaitkeeper[distributed]'") from None
    if not ray.is_initialized():
        address = os.environ.get("RAY_ADDRESS")
        ray.init(address=address, num_cpus=None if address else os.cpu_count(),
                 include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    return ray


class _ChunkScorer:
    """A picklable callable for ``map_batches``: Arrow batch of runners → Arrow top rows."""

    def __init__(self, offers, catalog, top: int):
        self.offers, self.catalog, self.top = offers, catalog, top

    def __call__(self, batch):
        import pyarrow as pa

        offers = self.offers if isinstance(self.offers, pl.DataFrame) else pl.from_arrow(self.offers)
        catalog = (self.catalog if isinstance(self.catalog, pl.DataFrame)
                   else pl.from_arrow(self.catalog))
        runners = pl.from_arrow(batch)
        out = score_chunk(runners, offers, catalog, self.top)
        return out.to_arrow() if out.height else pa.Table.from_pylist(
            [], schema=out.to_arrow().schema)


def ray_engine(chunks: Iterator[pl.DataFrame], offers: pl.DataFrame, catalog: pl.DataFrame,
               top: int) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """Yields (runners, their top rows) per chunk, computed on Ray Data workers."""
    ray = _ray()
    scorer = _ChunkScorer(offers.to_arrow(), catalog.to_arrow(), top)
    for chunk in chunks:
        ds = ray.data.from_arrow(chunk.to_arrow())
        scored = ds.map_batches(scorer, batch_format="pyarrow", batch_size=RAY_BATCH_ROWS)
        tables = [pl.from_arrow(t) for t in scored.iter_batches(batch_format="pyarrow")]
        tables = [t for t in tables if t.height]
        result = pl.concat(tables) if tables else score_chunk(chunk.clear(), offers, catalog, top)
        yield chunk, result.sort(R.runner_id, "rank")
