"""Text (or typed) cells → typed polars frames, every unreadable cell reported in the
words of :mod:`.messages`. Pure; value rules are :mod:`.schemas` (pandera)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ..spec.dtypes import dtype_of
from ..spec.vocab import FALSE_WORDS, LIST_SEP, TRUE_WORDS, ColumnSpec
from . import messages as M

ROW = "__row"  # 1-based data-row number carried through validation
#: A row's reading problems (``column: rule``, several joined by `` | ``), set by a reader
#: (a JSON line that does not parse, a cell too long to read): the row is rejected with them.
ERRORS = "__errors"
PROBLEM_SCHEMA = {"file": pl.String, "row": pl.Int64, "column": pl.String, "value": pl.String,
                  "rule": pl.String}

_INT_LIMIT = 2**53  # integers beyond this are not representable exactly in a float cell


def empty_problems() -> pl.DataFrame:
    return pl.DataFrame(schema=PROBLEM_SCHEMA)


def _text(col: str) -> pl.Expr:
    t = pl.col(col).str.strip_chars()
    return pl.when(t == "").then(None).otherwise(t)


def _what(dtype: pl.DataType) -> str:
    """A column type as a person names it (``a date column``)."""
    if dtype == pl.Boolean:
        return "a true/false column"
    if dtype in (pl.Date, pl.Datetime) or isinstance(dtype, pl.Datetime):
        return "a date column"
    if dtype == pl.Time:
        return "a time-of-day column"
    if isinstance(dtype, pl.Duration):
        return "a duration column"
    if dtype == pl.Binary:
        return "a binary column"
    if isinstance(dtype, (pl.List, pl.Array)):
        return "a list column"
    if isinstance(dtype, pl.Struct):
        return "a nested (struct) column"
    if dtype.is_numeric():
        return "a number column"
    return f"a {str(dtype).split('(')[0].lower()} column"


def _texty(dtype: pl.DataType) -> bool:
    return dtype in (pl.String, pl.Categorical) or isinstance(dtype, (pl.Categorical, pl.Enum))


def _fits(spec: ColumnSpec, dtype: pl.DataType) -> bool:
    """Whether a typed (Parquet) column can hold this spec's values without a guess: text
    is always read as text; numbers only for numbers (whole numbers also as text ids and
    0/1 flags); true/false only for flags; lists only for lists. A date is never a number,
    a flag never a quantity."""
    if dtype == pl.Null or _texty(dtype):
        return True
    kind = spec.kind
    if kind in ("int", "float"):
        return dtype.is_numeric()
    if kind == "bool":
        return dtype == pl.Boolean or dtype.is_integer()
    if kind in ("str", "enum"):
        return dtype.is_integer()
    # list / strlist
    return isinstance(dtype, pl.List) and (_texty(dtype.inner) or dtype.inner == pl.Null)


def _rule_of(spec: ColumnSpec) -> str:
    if spec.kind in ("int", "float"):
        return M.NOT_NUMBER
    if spec.kind == "bool":
        return M.NOT_BOOL
    if spec.kind in ("list", "strlist"):
        return M.NOT_LIST
    return M.NOT_TEXT


def as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    """A column's cells as text for the problem table (``None`` where text cannot show
    them: lists, nested and binary cells)."""
    if isinstance(dtype, pl.List) and _texty(dtype.inner):
        return pl.col(name).cast(pl.List(pl.String)).list.join(LIST_SEP)
    if dtype.is_numeric() or (dtype.is_temporal() and not isinstance(dtype, pl.Duration)) \
            or dtype in (pl.String, pl.Boolean, pl.Null) or _texty(dtype):
        return pl.col(name).cast(pl.String)
    return pl.lit(None, dtype=pl.String)


def _coerce_expr(spec: ColumnSpec, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr | None]:
    """(typed value, error message or null) for one column of any input dtype."""
    c = spec.name
    kind = spec.kind
    if not _fits(spec, dtype):
        msg = M.wrong_column(_rule_of(spec), _what(dtype))
        return (pl.lit(None, dtype=dtype_of(spec)),
                pl.when(pl.col(c).is_not_null()).then(pl.lit(msg)).otherwise(None))
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
    dictionary = [n for n, d in raw.schema.items() if _texty(d) and d != pl.String]
    dict_lists = [n for n, d in raw.schema.items()
                  if isinstance(d, pl.List) and _texty(d.inner) and d.inner != pl.String]
    if dictionary or dict_lists:  # dictionary-encoded (categorical) text reads as its text
        raw = raw.with_columns(*[pl.col(n).cast(pl.String) for n in dictionary],
                               *[pl.col(n).cast(pl.List(pl.String)) for n in dict_lists])
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
        *[as_text(n, raw.schema[n]).alias(f"val:{n}") for n, _ in errors],
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
