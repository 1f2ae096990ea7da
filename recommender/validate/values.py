"""One validator for one value: a JSON value or a text cell against its column spec.

Every input path (profile JSON, flat rows, app answers) calls these; the words come from
:mod:`recommender.validate.messages`, the one message table.
"""

from __future__ import annotations

import math
from typing import Any

from ..spec.vocab import FALSE_WORDS, LIST_SEP, TRUE_WORDS, ColumnSpec
from . import messages as M


def check_value(spec: ColumnSpec, value: Any) -> tuple[Any, str | None]:
    """Check one already-typed JSON value against its spec: ``(value, error or None)``."""
    kind = spec.kind
    if value is None:
        return (None, M.REQUIRED) if not spec.nullable else (None, None)
    if kind == "bool":
        return (value, None) if isinstance(value, bool) else (None, M.with_value(M.NOT_BOOL, value))
    if kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, M.with_value(M.NOT_NUMBER, value)
        if isinstance(value, int) and abs(value) > 2**63:
            return None, M.TOO_LARGE
        if isinstance(value, float) and not math.isfinite(value):
            return None, f"{value!r} {M.NOT_FINITE}"
        number = float(value)
        if kind == "int" and not number.is_integer():
            return None, M.with_value(M.NOT_WHOLE, value)
        return _check_range(spec, int(number) if kind == "int" else number)
    if kind == "str":
        if not isinstance(value, str):
            return None, M.with_value(M.NOT_TEXT, value)
        return _check_text(spec, value)
    if kind == "enum":
        if not isinstance(value, str) or value not in spec.choices:
            return None, M.with_value(M.not_one_of(spec.choices), value)
        return value, None
    # list / strlist
    if not isinstance(value, (list, tuple)):
        return None, M.with_value(M.NOT_LIST, value)
    out: list[str] = []
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str):
            return None, M.with_value(M.NOT_TEXT_LIST, item)
        if kind == "list" and item not in spec.choices:
            return None, M.with_value(M.not_one_of(spec.choices), item)
        if len(out) >= spec.max_len:
            return None, M.too_many_items(spec.max_len)
        if item in seen:
            return None, f"{M.short_repr(item)} is listed twice"
        seen.add(item)
        out.append(item)
    return tuple(out), None


def _check_range(spec: ColumnSpec, v: float) -> tuple[Any, str | None]:
    if spec.lo is not None:
        if spec.lo_exclusive and v <= spec.lo:
            return None, M.with_value(M.not_above(spec.lo), v)
        if v < spec.lo:
            return None, M.with_value(M.below_min(spec.lo), v)
    if spec.hi is not None and v > spec.hi:
        return None, M.with_value(M.above_max(spec.hi), v)
    if spec.half_step and not float(v * 2).is_integer():
        return None, M.with_value(M.HALF_STEP, v)
    return v, None


def _check_text(spec: ColumnSpec, v: str) -> tuple[Any, str | None]:
    import re

    try:
        v.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a JSON escape: not text
        return None, M.NOT_TEXT_CHARS
    if spec.pattern and not re.fullmatch(spec.pattern, v):
        return None, M.with_value(M.bad_format(spec.description), v)
    if len(v) > spec.max_len:
        return None, M.too_long(spec.max_len)
    if not v.strip():
        return (None, M.REQUIRED) if not spec.nullable else (None, None)
    return v, None


def parse_text_value(spec: ColumnSpec, text: str | None) -> tuple[Any, str | None]:
    """Parse one cell of a flat file (text) into a JSON value and check it."""
    if text is None or text.strip() == "":
        return check_value(spec, None)
    t = text.strip()
    kind = spec.kind
    if kind == "bool":
        low = t.lower()
        if low in TRUE_WORDS:
            return True, None
        if low in FALSE_WORDS:
            return False, None
        return None, M.with_value(M.NOT_BOOL_TEXT, t)
    if kind in ("int", "float"):
        try:
            num = float(t)
        except ValueError:
            return None, M.with_value(M.NOT_NUMBER, t)
        return check_value(spec, num)
    if kind in ("list", "strlist"):
        return check_value(spec, [p.strip() for p in t.split(LIST_SEP) if p.strip()])
    return check_value(spec, t)
