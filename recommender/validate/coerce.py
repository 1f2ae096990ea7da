"""Text (or typed) cells → typed polars frames, every unreadable cell reported in the
words of :mod:`.messages`. Pure; value rules are :mod:`.schemas` (pandera)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ..spec.dtypes import dtype_of
from ..spec.vocab import FALSE_WORDS, LIST_SEP, TRUE_WORDS, ColumnSpec
from . import messages as M

ROW = "__row"  # 1-based data-row number carried through validation
PROBLEM_SCHEMA = {"file": pl.String, "row": pl.Int64, "column": pl.String, "value": pl.String,
                  "rule": pl.String}

_INT_LIMIT = 2**53  # integers beyond this are not representable exactly in a float cell


def empty_problems() -> pl.DataFrame:
    return pl.DataFrame(schema=PROBLEM_SCHEMA)


def _text(col: str) -> pl.Expr:
    t = pl.col(col).str.strip_chars()
    return pl.when(t == "").then(None).otherwise(t)


def _coerce_expr(spec: ColumnSpec, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr | None]:
    """(typed value, error message or null) for one column of any input dtype."""
    c = spec.name
    kind = spec.kind
    is_text = dtype == pl.String
    if kind in ("str", "enum"):
        return (_text(c) if is_text else pl.col(c).cast(pl.String)), None
    if kind in ("int", "float"):
        src = _text(c) if is_text else pl.col(c)
        num = src.cast(pl.Float64, strict=False)
        bad = src.is_not_null() & num.is_null()
        msg = pl.when(bad).then(pl.lit(M.NOT_NUMBER))
        msg = msg.when(num.is_nan() | num.is_infinite()).then(pl.lit(M.NOT_FINITE))
        if kind == "int":
            whole = (num.round(0) == num) & (num.abs() < _INT_LIMIT)
            msg = msg.when(num.is_not_null() & ~whole).then(pl.lit(M.NOT_WHOLE))
            ok = num.is_not_null() & whole
            value = pl.when(ok).then(num).cast(pl.Int64)
        else:
            ok = num.is_not_null() & num.is_finite()
            value = pl.when(ok).then(num)
        return value, msg.otherwise(None)
    if kind == "bool":
        if dtype == pl.Boolean:
            return pl.col(c), None
        low = (_text(c) if is_text else pl.col(c).cast(pl.String)).str.to_lowercase()
        value = (pl.when(low.is_in(TRUE_WORDS)).then(True)
                 .when(low.is_in(FALSE_WORDS)).then(False).otherwise(None))
        bad = low.is_not_null() & value.is_null()
        return value, pl.when(bad).then(pl.lit(M.NOT_BOOL_TEXT)).otherwise(None)
    # list / strlist: ';'-separated text, empty means none (an empty list, never null)
    if isinstance(dtype, pl.List):
        items = pl.col(c).cast(pl.List(pl.String))
    else:
        items = pl.col(c).cast(pl.String).str.split(LIST_SEP)
    items = items.list.eval(pl.element().str.strip_chars()).list.eval(
        pl.element().filter(pl.element() != ""))
    return items.fill_null(pl.lit([], dtype=pl.List(pl.String))), None


def coerce(raw: pl.DataFrame, specs: Sequence[ColumnSpec], file: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Raw frame (text or typed columns, plus :data:`ROW`) → (typed frame, problems).

    Absent optional columns become nulls (unknown); cells that cannot be read as their
    type become null and are reported. Column checks (presence, unknown columns) are the
    caller's: see :func:`recommender.schemas.check_columns`.
    """
    values: list[pl.Expr] = []
    errors: list[tuple[str, pl.Expr]] = []
    for spec in specs:
        if spec.name not in raw.columns:
            values.append(pl.lit(spec.default, dtype=dtype_of(spec)).alias(spec.name))
            if spec.kind in ("list", "strlist"):
                values[-1] = pl.lit([], dtype=pl.List(pl.String)).alias(spec.name)
            continue
        val, err = _coerce_expr(spec, raw.schema[spec.name])
        if spec.default is not None and spec.nullable:  # empty = the default (SPEC §2.1)
            val = val.fill_null(pl.lit(spec.default))
        values.append(val.cast(dtype_of(spec)).alias(spec.name))
        if err is not None:
            errors.append((spec.name, err))
    typed = raw.select(pl.col(ROW), *values)
    if not errors:
        return typed, empty_problems()
    err_frame = raw.select(
        pl.col(ROW),
        *[e.alias(f"err:{n}") for n, e in errors],
        *[pl.col(n).cast(pl.String).alias(f"val:{n}") for n, _ in errors],
    )
    parts = [
        err_frame.filter(pl.col(f"err:{n}").is_not_null()).select(
            pl.lit(file).alias("file"),
            pl.col(ROW).cast(pl.Int64).alias("row"),
            pl.lit(n).alias("column"),
            pl.col(f"val:{n}").alias("value"),
            pl.col(f"err:{n}").alias("rule"),
        )
        for n, _ in errors
    ]
    return typed, pl.concat(parts)


def with_row_numbers(raw: pl.DataFrame, offset: int = 0) -> pl.DataFrame:
    return raw.with_row_index(ROW, offset=offset + 1).with_columns(pl.col(ROW).cast(pl.Int64))
