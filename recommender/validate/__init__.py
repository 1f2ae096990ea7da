"""One validator for every input: profile JSON, flat rows (CSV, Parquet, JSON lines), the
catalog, the inventory and the app's answers all go through the same checks, in the words of
one message table (:mod:`.messages`). pandera checks the tables (:mod:`.schemas`), generated
from the one column spec."""

from __future__ import annotations

from .coerce import PROBLEM_SCHEMA, ROW, coerce, empty_problems, with_row_numbers
from .profile import loads_strict, parse_profile, profile_from_flat, profile_from_json, replace
from .values import check_value, parse_text_value

__all__ = [
    "PROBLEM_SCHEMA",
    "ROW",
    "check_value",
    "coerce",
    "empty_problems",
    "loads_strict",
    "parse_profile",
    "parse_text_value",
    "profile_from_flat",
    "profile_from_json",
    "replace",
    "with_row_numbers",
]
