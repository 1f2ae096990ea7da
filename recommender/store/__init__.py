"""Store inventory from real point-of-sale exports (SPEC §7.4).

- :mod:`.sizes` — US/UK/EU/cm sizes per line, width codes per line (tables declared once)
- :mod:`.exports` — Shopify (products, inventory), Square, Lightspeed and generic readers
- :mod:`.matching` — aliases (GTIN, SKU/style) then fuzzy title matching, exact version
- :mod:`.importer` — :func:`import_inventory` → inventory, review and problems frames
- :mod:`.review` — the manager's mapping review: :func:`mapping_review`, :func:`decisions`,
  :func:`apply_review` (re-import with the manager's choices)
"""

from __future__ import annotations

from ..spec.sizes import SizeError, parse_line, parse_size, parse_width, to_us
from .exports import FORMATS, ExportError, parse_mapping, read_export, read_export_bytes
from .importer import ImportResult, build_inventory, import_inventory
from .matching import THRESHOLD
from .review import CONFIRM_BELOW, apply_review, decisions, mapping_review

__all__ = [
    "CONFIRM_BELOW",
    "FORMATS",
    "THRESHOLD",
    "ExportError",
    "ImportResult",
    "SizeError",
    "apply_review",
    "build_inventory",
    "decisions",
    "import_inventory",
    "mapping_review",
    "parse_line",
    "parse_mapping",
    "parse_size",
    "parse_width",
    "read_export",
    "read_export_bytes",
    "to_us",
]
