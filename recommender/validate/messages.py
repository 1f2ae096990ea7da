"""The one message table: every rule a value can break, in the words every input path uses.

A rule text never contains the value; the problem table shows the value in its own column,
and a JSON field error puts the value in front (``knee.severity: 11 is above the maximum
10``, SPEC §2.1) or after "got" for a type error. The flat-file coercion, the pandera
schemas and the profile parser all take their words from here, so the same mistake reads
the same whichever way it came in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def fmt(v: float) -> str:
    """A number as a person writes it: ``12`` not ``12.0``."""
    return str(int(v)) if float(v).is_integer() else str(v)


REQUIRED = "is required"
NOT_NUMBER = "expected a number"
NOT_FINITE = "is not a finite number"
TOO_LARGE = "is too large a number"
NOT_WHOLE = "expected a whole number"
NOT_BOOL_TEXT = "expected true/false/1/0/yes/no"
NOT_BOOL = "expected true or false"
NOT_TEXT = "expected text"
NOT_LIST = "expected a list"
NOT_TEXT_LIST = "expected a list of text"
NOT_OBJECT = "expected an object"
HALF_STEP = "is not a whole or half size"
LISTED_TWICE = "lists an item twice"
EMPTY_LIST = "must list at least one item"
UNIQUE = "must be unique (value already used by an earlier row)"
IN_CATALOG = "is not a shoe_id of the catalog"
UNKNOWN_FIELD = "unknown field"
UNKNOWN_COLUMN = "unknown column"
NOT_TEXT_CHARS = "contains characters that are not valid text"


def wrong_column(rule: str, what: str) -> str:
    """A typed (Parquet) column that cannot hold the value: ``expected a number, got a date
    column``."""
    return f"{rule}, got {what}"


def too_many_unknown(n: int) -> str:
    return f"and {n} more unknown field(s)"


def too_long(n: int) -> str:
    return f"is longer than {n} characters"


def too_many_items(n: int) -> str:
    return f"lists more than {n} items"


def below_min(lo: float) -> str:
    return f"is below the minimum {fmt(lo)}"


def not_above(lo: float) -> str:
    return f"must be above {fmt(lo)}"


def above_max(hi: float) -> str:
    return f"is above the maximum {fmt(hi)}"


def not_one_of(choices: Sequence[str]) -> str:
    return f"is not one of {', '.join(choices)}"


def item_not_one_of(choices: Sequence[str]) -> str:
    return f"has an item that is not one of {', '.join(choices)}"


def bad_format(description: str = "") -> str:
    return "does not match the expected format" + (f" ({description})" if description else "")


def with_value(rule: str, value: Any) -> str:
    """A field error as the JSON parser words it: a range rule reads after the value
    (``11 is above the maximum 10``); a type rule reads before it (``expected a number,
    got 'abc'``)."""
    if rule.startswith("is ") or rule.startswith("must ") or rule.startswith("does ") \
            or rule.startswith("has ") or rule.startswith("lists "):
        shown = fmt(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else repr(value if not isinstance(value, str) else value[:60])
        return f"{shown} {rule}"
    return f"{rule}, got {short_repr(value)}"


def short_repr(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters: a message shows a value, never a
    document (a 1 MB string, a list of 40,000 items)."""
    if isinstance(value, (list, tuple, dict)) and len(value) > 20:
        value = type(value)(list(value)[:20]) if not isinstance(value, dict) else "{…}"
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"
