"""The local backend: chunk after chunk in this process."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from .chunk import score_chunk


def local_engine(chunks: Iterator[pl.DataFrame], offers: pl.DataFrame, catalog: pl.DataFrame,
                 top: int) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """Yields (runners, their top rows) per chunk."""
    for chunk in chunks:
        yield chunk, score_chunk(chunk, offers, catalog, top)
