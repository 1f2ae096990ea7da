"""A store's inventory → the offers runners are matched against."""

from __future__ import annotations

import polars as pl

from ..catalog import Catalog
from ..core.ranking import OFFER_LINE, OFFER_SIZE, OFFER_WIDTH
from ..rules.expr import P
from ..spec.sizes import WOMENS_OVER_MENS_US
from ..spec.vocab import InvCol, S


def prepare_offers(inventory: pl.DataFrame, catalog: Catalog) -> pl.DataFrame:
    """Validated inventory → one offer per in-stock (shoe, line, size, width): the SKU with
    the most pairs (ties: lowest SKU), its price (store price, else MSRP) and the catalog
    spec. A runner is matched in their own line (SPEC §7.4): a unisex (men's-scale) SKU is
    offered to both lines, at the women's size 1.5 above the men's."""
    line = pl.col(InvCol.line).fill_null("unisex") if InvCol.line in inventory.columns \
        else pl.lit("unisex")
    stock = inventory.filter(pl.col(InvCol.quantity) > 0).with_columns(line.alias("__line"))
    expanded = pl.concat([
        stock.filter(pl.col("__line") != "womens").with_columns(
            pl.lit("mens").alias(OFFER_LINE), pl.col(InvCol.size_us).alias(OFFER_SIZE)),
        stock.filter(pl.col("__line") == "womens").with_columns(
            pl.lit("womens").alias(OFFER_LINE), pl.col(InvCol.size_us).alias(OFFER_SIZE)),
        stock.filter(pl.col("__line") == "unisex").with_columns(
            pl.lit("womens").alias(OFFER_LINE),
            (pl.col(InvCol.size_us) + WOMENS_OVER_MENS_US).alias(OFFER_SIZE)),
    ]).sort([InvCol.shoe_id, OFFER_LINE, OFFER_SIZE, InvCol.width, InvCol.quantity, InvCol.sku],
            descending=[False, False, False, False, True, False])
    best = expanded.group_by([InvCol.shoe_id, OFFER_LINE, OFFER_SIZE, InvCol.width],
                             maintain_order=True).first()
    return best.join(catalog.frame, on=S.shoe_id, how="inner").select(
        pl.col(OFFER_LINE),
        pl.col(OFFER_SIZE),
        pl.col(InvCol.width).alias(OFFER_WIDTH),
        pl.col(InvCol.sku),
        pl.coalesce(InvCol.price_usd, S.msrp_usd).alias(P.price),
        *[pl.col(c) for c in catalog.frame.columns if c != S.source],
    ).sort(OFFER_LINE, OFFER_SIZE, OFFER_WIDTH, S.shoe_id)
