"""A store's inventory → the offers runners are matched against."""

from __future__ import annotations

import polars as pl

from ..catalog import Catalog
from ..core.ranking import OFFER_SIZE, OFFER_WIDTH
from ..rules.expr import P
from ..spec.vocab import InvCol, S


def prepare_offers(inventory: pl.DataFrame, catalog: Catalog) -> pl.DataFrame:
    """Validated inventory → one offer per in-stock (shoe, size, width): the SKU with the
    most pairs (ties: lowest SKU), its price (store price, else MSRP) and the catalog spec."""
    stock = inventory.filter(pl.col(InvCol.quantity) > 0).sort(
        [InvCol.shoe_id, InvCol.size_us, InvCol.width, InvCol.quantity, InvCol.sku],
        descending=[False, False, False, True, False])
    best = stock.group_by([InvCol.shoe_id, InvCol.size_us, InvCol.width], maintain_order=True).first()
    return best.join(catalog.frame, on=S.shoe_id, how="inner").select(
        pl.col(InvCol.size_us).alias(OFFER_SIZE),
        pl.col(InvCol.width).alias(OFFER_WIDTH),
        pl.col(InvCol.sku),
        pl.coalesce(InvCol.price_usd, S.msrp_usd).alias(P.price),
        *[pl.col(c) for c in catalog.frame.columns if c != S.source],
    ).sort(OFFER_SIZE, OFFER_WIDTH, S.shoe_id)
