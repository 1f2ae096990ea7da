"""The pure heart of batch scoring: a chunk of validated runners × the in-stock offers →
each runner's top N rows. The local and Ray backends both call :func:`score_chunk`."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from ..core.ranking import OFFER_LINE, OFFER_SIZE, OFFER_WIDTH, prune, ranked_in_slices
from ..spec.vocab import InvCol, R, S
from .offers import DETAIL_SCHEMA, offer_details

#: The offer a ranked row points at (its row in the offers frame).
_OFFER = "__offer"

#: The §6 contract columns: always first, in this order.
OUTPUT_COLUMNS = ("runner_id", "rank", "shoe_id", "sku", "score", "support", "drop_mm",
                  "gate_locked", "referral")
OUTPUT_SCHEMA = {"runner_id": pl.String, "rank": pl.Int32, "shoe_id": pl.String,
                 "sku": pl.String, "score": pl.Float64, "support": pl.String,
                 "drop_mm": pl.Float64, "gate_locked": pl.Boolean, "referral": pl.Boolean}


def output_schema(stores: bool) -> dict[str, pl.DataType]:
    """The scored rows' full schema: the contract columns, ``store_id`` when the inventory
    names its stores, then the readable match (brand … price)."""
    return {**OUTPUT_SCHEMA, **({InvCol.store_id: pl.String} if stores else {}),
            **DETAIL_SCHEMA}  # type: ignore[dict-item]


def texts_categorical(schema: dict[str, pl.DataType]) -> dict[str, pl.DataType]:
    """``schema`` with its repeated texts (every String column but runner_id: shoe, SKU,
    brand, …) as Categorical — how a chunk travels from the scorer to the Parquet writer:
    4 bytes a row instead of a string view, and written as Parquet dictionaries as is."""
    return {c: pl.Categorical if t == pl.String and c != R.runner_id else t
            for c, t in schema.items()}


def score_chunk(runners: pl.DataFrame, offers: pl.DataFrame, catalog: pl.DataFrame, top: int,
                weights: Mapping[str, float] | None = None, *,
                categorical: bool = False) -> pl.DataFrame:
    """Validated runners (canonical columns) × offers → each runner's top ``top`` in-stock
    matches in their size and width, rows sorted by runner_id then rank, with the readable
    match columns (:func:`output_schema`; with ``categorical``, its texts as
    :func:`texts_categorical`). Pure.

    Offers with ``store_id`` (:func:`.offers.prepare_offers`): the top ``top`` per runner
    *per store* — a store manager reads their own store's list — sorted by runner_id,
    store_id, rank."""
    stores = InvCol.store_id if InvCol.store_id in offers.columns else None
    schema = output_schema(stores is not None)
    shoes = prune(offers.lazy().with_row_index(_OFFER), OFFER_LINE, OFFER_SIZE, OFFER_WIDTH,
                  InvCol.sku, S.support, S.drop_mm, _OFFER, *([stores] if stores else []))
    ranked = ranked_in_slices(runners, catalog, shoes, top, weights, in_stock=True,
                              partition=stores, carry=(_OFFER,))
    # the shoe's columns and the readable match: gathered by the offer's row, not joined
    details = offer_details(offers)
    if categorical:
        details = details.cast(texts_categorical(dict(details.schema)))
    out = pl.concat([ranked.drop(_OFFER), details[ranked.get_column(_OFFER)]],
                    how="horizontal")
    return out.select(list(schema)).cast(texts_categorical(schema) if categorical else schema)
