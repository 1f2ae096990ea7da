"""pandera schemas for the catalog, the inventory and the flat runner table.

Each schema is generated from the column specs declared once in :mod:`recommender.spec`
(shoes, inventory, runners), plus the cross-column rules below; every check is named in the
words of :mod:`.messages`, so a problem reads the same as through the profile parser. Validation is lazy: every failure is collected into a problem table
(file, row, column, value, rule). Importing this module imports pandera (and pandas), so
the fast paths import it only when a file has not been validated before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaError, SchemaErrors

from ..errors import FileProblem
from ..spec.dtypes import dtype_of
from ..spec.profile import RUNNER_SPECS
from ..spec.vocab import (
    INVENTORY_SPECS,
    SHOE_SPECS,
    STACK_DROP_TOLERANCE_MM,
    ColumnSpec,
    InvCol,
    R,
    S,
)
from . import messages as M
from .coerce import ERRORS, PROBLEM_SCHEMA, ROW, coerce, empty_problems


def _check(name: str, expr) -> pa.Check:
    """A vectorised check: ``expr(column)`` is true where the value keeps the rule named
    ``name`` (a text of the message table)."""

    def check(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(expr(pl.col(data.key)))

    return pa.Check(check, name=name)


def _checks(spec: ColumnSpec) -> list[pa.Check]:
    # Unique keys: the first row with a value wins; every later row repeating it fails
    # (so a quarantine keeps one row, and a report points at the repeats).
    checks: list[pa.Check] = [_check(M.UNIQUE, lambda c: c.is_first_distinct() | c.is_null())
                              ] if spec.unique else []
    if spec.kind in ("int", "float"):
        lo, hi = spec.lo, spec.hi
        if lo is not None:
            checks.append(_check(M.not_above(lo), lambda c: c > lo) if spec.lo_exclusive
                          else _check(M.below_min(lo), lambda c: c >= lo))
        if hi is not None:
            checks.append(_check(M.above_max(hi), lambda c: c <= hi))
        if spec.half_step:
            checks.append(_check(M.HALF_STEP, lambda c: (c * 2).round(0) == c * 2))
    elif spec.kind == "enum":
        choices = list(spec.choices)
        checks.append(_check(M.not_one_of(choices), lambda c: c.is_in(choices)))
    elif spec.kind in ("list", "strlist"):
        if spec.kind == "list":
            choices = list(spec.choices)
            checks.append(_check(M.item_not_one_of(choices),
                                 lambda c: c.list.eval(pl.element().is_in(choices)).list.all()))
        checks.append(_check(M.LISTED_TWICE, lambda c: c.list.len() == c.list.n_unique()))
        n = spec.max_len
        checks.append(_check(M.too_many_items(n), lambda c: c.list.len() <= n))
        if not spec.nullable:
            checks.append(_check(M.EMPTY_LIST, lambda c: c.list.len() > 0))
    elif spec.kind == "str":
        checks.append(_check(M.REQUIRED, lambda c: c.str.strip_chars().str.len_chars() > 0))
        n = spec.max_len
        checks.append(_check(M.too_long(n), lambda c: c.str.len_chars() <= n))
        if spec.pattern:
            pattern = spec.pattern
            checks.append(_check(M.bad_format(spec.description),
                                 lambda c: c.str.contains(pattern)))
    return checks


def _columns(specs: Sequence[ColumnSpec]) -> dict[str, pa.Column]:
    return {
        s.name: pa.Column(dtype_of(s), checks=_checks(s), nullable=s.nullable, required=True)
        for s in specs
    }


@dataclass(frozen=True)
class RowRule:
    """A rule over several columns (or rows) of the catalog: its message, the columns a
    failure names, and the expression that is true where a row keeps it."""

    message: str
    columns: tuple[str, ...]
    keeps: pl.Expr | Callable[[pl.LazyFrame], pl.LazyFrame]

    def check(self) -> pa.Check:
        keeps = self.keeps

        def fn(data: pa.PolarsData) -> pl.LazyFrame:
            if callable(keeps) and not isinstance(keeps, pl.Expr):
                return keeps(data.lazyframe)
            return data.lazyframe.select(keeps.fill_null(True))

        return pa.Check(fn, name=self.message)


def _successor_not_older(lf: pl.LazyFrame) -> pl.LazyFrame:
    targets = lf.select(pl.col(S.shoe_id).alias("__t"), pl.col(S.release_year).alias("__ty"))
    return (lf.with_row_index("__i")
            .join(targets, left_on=S.superseded_by, right_on="__t", how="left")
            .sort("__i")
            .select(pl.col("__ty").is_null() | (pl.col(S.release_year) <= pl.col("__ty"))))


#: Cross-column and cross-row rules of the catalog (SPEC §1.1 and §7.1).
SHOE_ROW_RULES: tuple[RowRule, ...] = (
    RowRule(f"|heel_stack_mm - forefoot_stack_mm - drop_mm| <= {M.fmt(STACK_DROP_TOLERANCE_MM)}",
            (S.heel_stack_mm, S.forefoot_stack_mm, S.drop_mm),
            (pl.col(S.heel_stack_mm) - pl.col(S.forefoot_stack_mm) - pl.col(S.drop_mm)).abs()
            <= STACK_DROP_TOLERANCE_MM),
    RowRule("superseded_by must name another shoe_id of the catalog",
            (S.superseded_by,),
            pl.col(S.superseded_by).is_null()
            | (pl.col(S.superseded_by).is_in(pl.col(S.shoe_id).implode())
               & (pl.col(S.superseded_by) != pl.col(S.shoe_id)))),
    RowRule("superseded_by must name a version released the same year or later",
            (S.superseded_by, S.release_year),
            lambda lf: _successor_not_older(lf)),
    RowRule("a race shoe has a plate or racing-flat weight (under 230 g)",
            (S.role, S.plate, S.weight_g),
            (pl.col(S.role) != "race") | (pl.col(S.plate) != "none") | (pl.col(S.weight_g) < 230)),
    RowRule("womens_weight_g must be 0.65 to 1.05 times weight_g (the women's version of the "
            "same shoe)", (S.womens_weight_g, S.weight_g),
            pl.col(S.womens_weight_g).is_null()
            | ((pl.col(S.womens_weight_g) >= 0.65 * pl.col(S.weight_g))
               & (pl.col(S.womens_weight_g) <= 1.05 * pl.col(S.weight_g)))),
    RowRule("womens_drop_mm may differ from drop_mm by at most 4 mm",
            (S.womens_drop_mm, S.drop_mm),
            pl.col(S.womens_drop_mm).is_null()
            | ((pl.col(S.womens_drop_mm) - pl.col(S.drop_mm)).abs() <= 4)),
)


@cache
def shoes_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        _columns(SHOE_SPECS),
        checks=[r.check() for r in SHOE_ROW_RULES],
        name="shoes",
    )


def _with_catalog_check(columns: dict[str, pa.Column], name: str,
                        catalog_ids: Iterable[str] | None) -> dict[str, pa.Column]:
    if catalog_ids is None:
        return columns
    ids = sorted(set(catalog_ids))

    def in_catalog(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).is_in(ids))

    col = columns[name]
    columns[name] = col.set_checks([*col.checks, pa.Check(in_catalog, name=M.IN_CATALOG)])
    return columns


def _first_sku_in_store(lf: pl.LazyFrame) -> pl.LazyFrame:
    key = pl.concat_str([pl.col(InvCol.store_id).fill_null(""), pl.col(InvCol.sku)],
                        separator="\x1f")
    return lf.select(key.is_first_distinct())


#: Cross-row rules of the inventory: a store may list its SKU once; a chain repeats SKUs
#: across stores (a multi-location export lists every SKU once per location).
INVENTORY_ROW_RULES: tuple[RowRule, ...] = (
    RowRule("must be unique within its store (value already used by an earlier row)",
            (InvCol.sku,), _first_sku_in_store),
)


def inventory_schema(catalog_ids: Iterable[str] | None = None) -> pa.DataFrameSchema:
    """The inventory (SPEC §6); with ``catalog_ids``, every shoe_id must be in the catalog."""
    columns = _with_catalog_check(_columns(INVENTORY_SPECS), InvCol.shoe_id, catalog_ids)
    return pa.DataFrameSchema(columns, checks=[r.check() for r in INVENTORY_ROW_RULES],
                              name="inventory")


def runners_schema(catalog_ids: Iterable[str] | None = None) -> pa.DataFrameSchema:
    """The flat runner table (SPEC §2.2); with ``catalog_ids``, a current shoe_id given must
    be in the catalog."""
    columns = _with_catalog_check(_columns(RUNNER_SPECS), R.current_shoe_id, catalog_ids)
    return pa.DataFrameSchema(columns, name="runners")


SPECS: dict[str, tuple[ColumnSpec, ...]] = {
    "shoes": SHOE_SPECS,
    "inventory": INVENTORY_SPECS,
    "runners": RUNNER_SPECS,
}
_FRAME_CHECK_COLUMNS = {r.message: r.columns for r in (*SHOE_ROW_RULES, *INVENTORY_ROW_RULES)}


def check_columns(columns: Sequence[str], kind: str, file: str) -> None:
    """Required columns present, no unknown or duplicated columns; else :class:`FileProblem`."""
    specs = SPECS[kind]
    known = {s.name for s in specs}
    problems = []
    missing = [s.name for s in specs if s.required and s.name not in columns]
    if missing:
        problems.append(f"missing required column(s): {', '.join(missing)}")
    unknown = [c for c in columns if c not in known]
    if unknown:
        problems.append(f"unknown column(s): {', '.join(repr(c) for c in unknown[:20])} "
                        f"(expected: {', '.join(sorted(known))})")
    dupes = sorted({c for c in columns if list(columns).count(c) > 1})
    if dupes:
        problems.append(f"duplicated column(s): {', '.join(dupes)}")
    if problems:
        raise FileProblem(file, "; ".join(problems))


@dataclass(frozen=True)
class Validated:
    """A validated table: ``frame`` holds the valid rows (typed, with ``__row``);
    ``problems`` every failure (file, row, column, value, rule); ``n_rows`` the input rows."""

    frame: pl.DataFrame
    problems: pl.DataFrame
    n_rows: int

    @property
    def ok(self) -> bool:
        return self.problems.height == 0

    @property
    def rejected_rows(self) -> int:
        return self.problems.get_column("row").drop_nulls().n_unique()


def _pandera_problems(err: SchemaErrors | SchemaError, typed: pl.DataFrame, file: str) -> pl.DataFrame:
    fc = err.failure_cases if isinstance(err, SchemaErrors) else pl.DataFrame(
        {"failure_case": [str(err)], "column": [None], "check": [str(err)], "index": [None]})
    if not isinstance(fc, pl.DataFrame):  # pragma: no cover - pandera returns polars here
        fc = pl.from_pandas(fc)
    rows = typed.get_column(ROW)
    idx = fc.get_column("index")
    row = pl.Series([None if i is None else rows[int(i)] for i in idx.to_list()], dtype=pl.Int64)
    column = fc.get_column("column").cast(pl.String)
    check = fc.get_column("check").cast(pl.String)
    column = pl.Series([";".join(_FRAME_CHECK_COLUMNS[ch]) if ch in _FRAME_CHECK_COLUMNS else c
                        for c, ch in zip(column.to_list(), check.to_list(), strict=True)],
                       dtype=pl.String)
    values = fc.get_column("failure_case").cast(pl.String).to_list()
    values = [_frame_value(v, _FRAME_CHECK_COLUMNS[ch]) if ch in _FRAME_CHECK_COLUMNS else v
              for v, ch in zip(values, check.to_list(), strict=True)]
    return pl.DataFrame({
        "file": [file] * fc.height,
        "row": row,
        "column": column,
        "value": values,
        "rule": [_rule(c) for c in check.to_list()],
    }, schema=PROBLEM_SCHEMA)


def _rule(check: str | None) -> str:
    """pandera names its own null check; every other check carries our message."""
    if check == "not_nullable":
        return M.REQUIRED
    return check or "failed"


def _frame_value(value: str | None, columns: tuple[str, ...]) -> str | None:
    """A frame-level failure carries the whole row as JSON; keep the columns involved."""
    import json

    try:
        row = json.loads(value or "")
    except ValueError:
        return value
    return "; ".join(f"{k}={row.get(k)}" for k in columns)


def validate_frame(raw: pl.DataFrame, kind: str, *, file: str,
                   catalog_ids: Iterable[str] | None = None) -> Validated:
    """Raw rows (text or typed, with ``__row``) → :class:`Validated`.

    Column-level problems raise :class:`FileProblem`; row-level problems are collected,
    lazily, from the type coercion and the pandera schema. Rows a reader could not read
    (their problems in :data:`~.coerce.ERRORS`: a JSON line that does not parse, a cell too
    long) are rejected with those problems and not checked further.
    """
    if ERRORS in raw.columns:
        return _with_read_errors(raw, kind, file=file, catalog_ids=catalog_ids)
    check_columns([c for c in raw.columns if c != ROW], kind, file)
    typed, problems = coerce(raw, SPECS[kind], file)
    if kind == "shoes":
        schema_obj = shoes_schema()
    elif kind == "inventory":
        schema_obj = inventory_schema(catalog_ids)
    else:
        schema_obj = runners_schema(catalog_ids)
    try:
        schema_obj.validate(typed.drop(ROW), lazy=True)
    except (SchemaErrors, SchemaError) as err:
        found = _pandera_problems(err, typed, file)
        # a cell that could not be read is reported once, as unreadable, not again as null
        found = found.join(problems.select("row", "column"), on=["row", "column"], how="anti",
                           nulls_equal=True)
        problems = pl.concat([problems, found])
    problems = problems.unique(maintain_order=True).sort("row", "column", nulls_last=False)
    bad = problems.get_column("row").drop_nulls().unique()
    frame = typed.filter(~pl.col(ROW).is_in(bad.implode()))
    if problems.filter(pl.col("row").is_null()).height:
        frame = frame.clear()
    return Validated(frame=frame, problems=problems, n_rows=raw.height)


def _with_read_errors(raw: pl.DataFrame, kind: str, *, file: str,
                      catalog_ids: Iterable[str] | None) -> Validated:
    broken = raw.filter(pl.col(ERRORS).is_not_null())
    result = validate_frame(raw.filter(pl.col(ERRORS).is_null()).drop(ERRORS), kind,
                            file=file, catalog_ids=catalog_ids)
    if broken.height == 0:
        return Validated(frame=result.frame, problems=result.problems, n_rows=raw.height)
    parsed = broken.select(
        pl.lit(file).alias("file"),
        pl.col(ROW).alias("row"),
        pl.col(ERRORS).str.split(" | ").alias("err"),
    ).explode("err").select(
        "file", "row",
        pl.col("err").str.extract(r"^([^:]+):", 1).alias("column"),
        pl.lit(None, dtype=pl.String).alias("value"),
        pl.col("err").str.replace(r"^[^:]+:\s*", "").alias("rule"),
    ).cast(PROBLEM_SCHEMA)  # type: ignore[arg-type]
    problems = pl.concat([result.problems, parsed]).sort("row", "column", nulls_last=False)
    return Validated(frame=result.frame, problems=problems, n_rows=raw.height)


__all__ = [
    "SPECS",
    "FileProblem",
    "Validated",
    "check_columns",
    "empty_problems",
    "inventory_schema",
    "runners_schema",
    "shoes_schema",
    "validate_frame",
]
