"""The polars dtype of each column kind: the typed form every reader produces."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from .vocab import ColumnSpec

_DTYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "enum": pl.String(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "bool": pl.Boolean(),
    "list": pl.List(pl.String),
    "strlist": pl.List(pl.String),
}


def dtype_of(spec: ColumnSpec) -> pl.DataType:
    return _DTYPES[spec.kind]


def frame_schema(specs: Sequence[ColumnSpec]) -> dict[str, pl.DataType]:
    return {s.name: dtype_of(s) for s in specs}
