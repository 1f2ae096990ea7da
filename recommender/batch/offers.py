"""A store's inventory → the offers runners are matched against, and what a person reads
beside each match (brand, model, version, size, width, pairs, price)."""

from __future__ import annotations

import polars as pl

from ..catalog import Catalog
from ..core.ranking import OFFER_LINE, OFFER_SIZE, OFFER_WIDTH
from ..rules.expr import P
from ..spec.sizes import WOMENS_OVER_MENS_US
from ..spec.vocab import MATCH_DETAIL_COLUMNS, B, InvCol, S

#: The SKU's own line, size and pairs, kept on each offer for :func:`offer_details`.
SKU_LINE, SKU_SIZE, SKU_QTY = "__sku_line", "__sku_size", "__sku_qty"
DETAIL_SCHEMA = {B.brand: pl.String, B.model: pl.String, B.version: pl.String,
                 B.line: pl.String, B.size_us: pl.Float64, B.width: pl.String,
                 B.quantity: pl.Int64, B.price_usd: pl.Float64}
assert tuple(DETAIL_SCHEMA) == MATCH_DETAIL_COLUMNS


def has_stores(inventory: pl.DataFrame) -> bool:
    """Whether the inventory names its stores (a ``store_id`` column with a value)."""
    return (InvCol.store_id in inventory.columns
            and inventory.get_column(InvCol.store_id).drop_nulls().len() > 0)


def prepare_offers(inventory: pl.DataFrame, catalog: Catalog) -> pl.DataFrame:
    """Validated inventory → one offer per in-stock (store, shoe, line, size, width): the SKU
    with the most pairs (ties: lowest SKU), its price (store price, else MSRP) and the
    catalog spec. A runner is matched in their own line (SPEC §7.4): a unisex (men's-scale)
    SKU is offered to both lines, at the women's size 1.5 above the men's.

    When the inventory names its stores (:func:`has_stores`), the offers carry ``store_id``
    (rows without one form the store ``""``) and each store is ranked on its own
    (:func:`recommender.batch.chunk.score_chunk`)."""
    stores = has_stores(inventory)
    line = pl.col(InvCol.line).fill_null("unisex") if InvCol.line in inventory.columns \
        else pl.lit("unisex")
    stock = inventory.filter(pl.col(InvCol.quantity) > 0).with_columns(line.alias(SKU_LINE))
    if stores:
        stock = stock.with_columns(pl.col(InvCol.store_id).fill_null(""))
    expanded = pl.concat([
        stock.filter(pl.col(SKU_LINE) != "womens").with_columns(
            pl.lit("mens").alias(OFFER_LINE), pl.col(InvCol.size_us).alias(OFFER_SIZE)),
        stock.filter(pl.col(SKU_LINE) == "womens").with_columns(
            pl.lit("womens").alias(OFFER_LINE), pl.col(InvCol.size_us).alias(OFFER_SIZE)),
        stock.filter(pl.col(SKU_LINE) == "unisex").with_columns(
            pl.lit("womens").alias(OFFER_LINE),
            (pl.col(InvCol.size_us) + WOMENS_OVER_MENS_US).alias(OFFER_SIZE)),
    ])
    store = [InvCol.store_id] if stores else []
    expanded = expanded.sort(
        [*store, InvCol.shoe_id, OFFER_LINE, OFFER_SIZE, InvCol.width, InvCol.quantity,
         InvCol.sku], descending=[False] * (len(store) + 4) + [True, False])
    best = expanded.group_by([*store, InvCol.shoe_id, OFFER_LINE, OFFER_SIZE, InvCol.width],
                             maintain_order=True).first()
    return best.join(catalog.frame, on=S.shoe_id, how="inner").select(
        *[pl.col(c) for c in store],
        pl.col(OFFER_LINE),
        pl.col(OFFER_SIZE),
        pl.col(InvCol.width).alias(OFFER_WIDTH),
        pl.col(InvCol.sku),
        pl.coalesce(InvCol.price_usd, S.msrp_usd).alias(P.price),
        pl.col(SKU_LINE), pl.col(InvCol.size_us).alias(SKU_SIZE),
        pl.col(InvCol.quantity).cast(pl.Int64).alias(SKU_QTY),
        *[pl.col(c) for c in catalog.frame.columns if c != S.source],
    ).sort(*store, OFFER_LINE, OFFER_SIZE, OFFER_WIDTH, S.shoe_id)


def stocked_models(offers: pl.DataFrame) -> pl.DataFrame:
    """The models in stock (any size): ``shoe_id``, per ``store_id`` when there are stores."""
    keys = [c for c in (InvCol.store_id, S.shoe_id) if c in offers.columns]
    return offers.select(keys).unique().sort(keys)


def store_list(offers: pl.DataFrame) -> list[str] | None:
    """The stores of the offers, sorted; ``None`` when the inventory names none."""
    if InvCol.store_id not in offers.columns:
        return None
    return sorted(offers.get_column(InvCol.store_id).unique().to_list())


def offer_details(offers: pl.DataFrame) -> pl.DataFrame:
    """Row for row with ``offers``: what a scored row shows of its offer — shoe_id, sku,
    support, drop_mm, store_id (when there are stores), then the match as a person reads
    it (:data:`DETAIL_SCHEMA`: brand, model, version, the SKU's line, size and width as the
    store labels them, pairs in stock and price)."""
    stores = [InvCol.store_id] if InvCol.store_id in offers.columns else []
    return offers.select(
        S.shoe_id, InvCol.sku, S.support, S.drop_mm, *stores,
        pl.col(S.brand), pl.col(S.model), pl.col(S.version).cast(pl.String),
        pl.col(SKU_LINE).alias(B.line), pl.col(SKU_SIZE).cast(pl.Float64).alias(B.size_us),
        pl.col(OFFER_WIDTH).alias(B.width), pl.col(SKU_QTY).alias(B.quantity),
        pl.col(P.price).cast(pl.Float64).alias(B.price_usd),
    ).cast(DETAIL_SCHEMA)  # type: ignore[arg-type]
