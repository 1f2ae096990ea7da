"""Ray: connecting to a cluster, and the chunk-shipping backend.

:func:`connect` joins the cluster named by ``RAY_ADDRESS`` (or one already initialised in
this process), else starts a local one. The end-to-end pipeline for Parquet runners —
read, validate, deduplicate, score and write on the workers — is
:mod:`recommender.batch.distributed`. :func:`ray_engine` is the older path, used for
frames in memory (:func:`recommender.batch.score_inventory`) and for runners that are not
Parquet or an output that is CSV: the driver reads and validates chunk by chunk and the
*same pure* :func:`recommender.batch.chunk.score_chunk` runs in
``map_batches(batch_format="pyarrow")`` on the workers, with the offers and catalog
shipped once through the object store. Requires the ``distributed`` extra (``ray[data]``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import polars as pl

from ..errors import BatchError
from ..spec.vocab import R
from .chunk import score_chunk

RAY_BATCH_ROWS = 5_000


def connect():
    """The ``ray`` module, initialised: the running cluster, ``RAY_ADDRESS``, or a new
    local one (all this machine's CPUs)."""
    try:
        import ray
    except ImportError:  # pragma: no cover - depends on the extra
        raise BatchError("--engine ray needs the 'distributed' extra: pip install "
                         "'gaitkeeper[distributed]'") from None
    _without_fsspec_http()
    if not ray.is_initialized():
        address = os.environ.get("RAY_ADDRESS")
        ray.init(address=address, num_cpus=None if address else os.cpu_count(),
                 include_dashboard=False, log_to_driver=False, ignore_reinit_error=True,
                 runtime_env=RUNTIME_ENV)
    return ray


_ray = connect  # the earlier name

#: The job's runtime environment: every worker process runs :func:`worker_setup` first.
#: A session started elsewhere (``ray.init`` in a notebook or test) should pass it too.
RUNTIME_ENV = {"worker_process_setup_hook": "recommender.batch._ray.worker_setup"}


def worker_setup() -> None:
    """Run once in each worker process (``worker_process_setup_hook``)."""
    _without_fsspec_http()


def _without_fsspec_http() -> None:
    """Ray Data asks whether a filesystem is fsspec's HTTP one by importing
    ``fsspec.implementations.http`` and expects ``ModuleNotFoundError`` when aiohttp is
    absent; imported from several threads at once it can fail with a plain ``ImportError``
    instead, which Ray does not catch. Without aiohttp that module cannot load anyway:
    marking it absent makes every attempt fail the expected way."""
    import importlib.util
    import sys

    if "fsspec.implementations.http" in sys.modules:
        return
    try:
        missing = importlib.util.find_spec("aiohttp") is None
    except (ImportError, ValueError):
        missing = True
    if missing:
        sys.modules["fsspec.implementations.http"] = None  # type: ignore[assignment]


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
    ray = connect()
    scorer = _ChunkScorer(offers.to_arrow(), catalog.to_arrow(), top)
    for chunk in chunks:
        ds = ray.data.from_arrow(chunk.to_arrow())
        scored = ds.map_batches(scorer, batch_format="pyarrow", batch_size=RAY_BATCH_ROWS)
        tables = [pl.from_arrow(t) for t in scored.iter_batches(batch_format="pyarrow")]
        tables = [t for t in tables if t.height]
        result = pl.concat(tables) if tables else score_chunk(chunk.clear(), offers, catalog, top)
        yield chunk, result.sort(R.runner_id, "rank")
