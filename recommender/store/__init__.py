"""Store inventory from real point-of-sale exports (SPEC §7.4).

- :mod:`.sizes` — US/UK/EU/cm sizes per line, width codes per line (tables declared once)
- :mod:`.exports` — Shopify (products, inventory), Square, Lightspeed and generic readers
- :mod:`.matching` — aliases (GTIN, SKU/style) then fuzzy title matching, exact version
- :mod:`.importer` — :func:`import_inventory` → inventory, review and problems frames
"""

from __future__ import annotations

from ..spec.sizes import SizeError, parse_line, parse_size, parse_width, to_us
from .exports import FORMATS, ExportError
from .importer import ImportResult, build_inventory, import_inventory
from .matching import THRESHOLD

__all__ = [
    "FORMATS",
    "THRESHOLD",
    "ExportError",
    "ImportResult",
    "SizeError",
    "build_inventory",
    "import_inventory",
    "parse_line",
    "parse_size",
    "parse_width",
    "to_us",
]
