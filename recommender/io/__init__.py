"""Reading and writing files: one module per format behind a small registry
(:mod:`.registry`), validation of whole files (:mod:`.tables`), profile files
(:mod:`.profile`) and atomic, spreadsheet-safe writers (:mod:`.write`)."""

from __future__ import annotations

from ._base import file_hash
from .profile import load_profile
from .registry import (
    FORMATS,
    SUFFIXES,
    count_rows,
    file_format,
    format_of,
    iter_raw_batches,
    read_raw,
    read_upload,
)
from .tables import Report, validate_path, validate_raw
from .write import atomic_path, csv_safe_bytes, neutralise_formulas, write_csv_safe, write_table

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "Report",
    "atomic_path",
    "count_rows",
    "csv_safe_bytes",
    "file_format",
    "file_hash",
    "format_of",
    "iter_raw_batches",
    "load_profile",
    "neutralise_formulas",
    "read_raw",
    "read_upload",
    "validate_path",
    "validate_raw",
    "write_csv_safe",
    "write_table",
]
