"""Batch scoring of a store's inventory (SPEC §6): offers (:mod:`.offers`), the pure chunk
scorer (:mod:`.chunk`), coverage and alternatives (:mod:`.coverage`), the run
(:mod:`.run`), and the backends that call the chunk scorer (:mod:`._local`, :mod:`._ray`)."""

from __future__ import annotations

from .chunk import OUTPUT_COLUMNS, score_chunk
from .offers import prepare_offers
from .run import BatchResult, Summary, score_inventory, score_inventory_files, write_outputs

__all__ = [
    "OUTPUT_COLUMNS",
    "BatchResult",
    "Summary",
    "prepare_offers",
    "score_chunk",
    "score_inventory",
    "score_inventory_files",
    "write_outputs",
]
