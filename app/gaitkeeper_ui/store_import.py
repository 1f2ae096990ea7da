"""Point-of-sale exports on the store page: read an upload in memory as the chosen format
and import it (``recommender.store``), and re-import with the manager's mapping review.
Cached by the upload's bytes, format and mapping; nothing is written to disk."""

from __future__ import annotations

import polars as pl
import streamlit as st

from recommender.store import (
    ImportResult,
    apply_review,
    build_inventory,
    mapping_review,
    parse_mapping,
    read_export_bytes,
)

READY = "gaitkeeper inventory"
#: The inventory formats the page takes: a ready gaitkeeper inventory, or a POS export.
FORMAT_LABELS = {READY: "gaitkeeper inventory (sku, shoe_id, size_us, width, quantity)",
                 "shopify": "Shopify products CSV", "shopify-inventory": "Shopify inventory CSV",
                 "square": "Square item library (CSV or XLSX)",
                 "lightspeed": "Lightspeed items (matrix CSV or XLSX)",
                 "generic": "Another system (CSV or XLSX, with a column mapping)"}
EXPORT_TYPES = ["csv", "xlsx", "txt", "tsv"]


@st.cache_data(show_spinner="Reading the export…", max_entries=8)
def import_export(name: str, data: bytes, fmt: str, mapping_text: str,
                  choices: tuple[tuple[str, str | None], ...] = ()
                  ) -> tuple[ImportResult, pl.DataFrame]:
    """(the import, with ``choices`` applied; the mapping review of the *first* import).
    Raises ``GaitkeeperError`` (an ``ExportError`` naming the upload) when unreadable."""
    from gaitkeeper_ui.common import catalog

    mapping = parse_mapping(mapping_text, f"{name} mapping") if fmt == "generic" else None
    export = read_export_bytes(name, data, fmt, mapping)
    frame = catalog().frame
    first = build_inventory(export, frame, file=name)
    review = mapping_review(first)
    if not choices:
        return first, review
    return apply_review(export, frame, dict(choices), file=name), review
