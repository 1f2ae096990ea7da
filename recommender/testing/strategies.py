"""Hypothesis strategies for VALID nested runner profiles, built from ``profile.FIELDS``:
each leaf is either omitted or a valid value for its ColumnSpec (kind, lo/hi, choices,
half_step); lists are unique subsets of their choices; brands come from a small list."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
from hypothesis import strategies as st

from recommender.spec.profile import FIELDS, FieldRef, set_path

from ..catalog import DEFAULT_CATALOG as CATALOG_CSV

BRANDS = ("Hoka", "Brooks", "Asics", "Saucony", "Nike", "Salomon", "New Balance", "NoSuchBrand")
SHOE_IDS = tuple(sorted(pl.read_csv(CATALOG_CSV, columns=["shoe_id"])
                        .get_column("shoe_id").to_list()))
RUNNER_ID = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=20)


def _number(ref: FieldRef) -> st.SearchStrategy[Any]:
    spec = ref.spec
    lo = spec.lo if spec.lo is not None else 0
    hi = spec.hi if spec.hi is not None else 1000
    if spec.kind == "int":
        return st.integers(math.ceil(lo), math.floor(hi))
    if spec.half_step:
        return st.integers(math.ceil(lo * 2), math.floor(hi * 2)).map(lambda n: n / 2)
    floats = st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False,
                       exclude_min=spec.lo_exclusive)
    if ref.path == "preferences.max_price_usd":
        # also realistic budgets, so the price filter bites often
        return st.one_of(st.integers(40, 300).map(float), floats)
    # whole numbers are common in real answers (and hit thresholds such as 30 s exactly)
    ints = st.integers(math.ceil(lo) + (1 if spec.lo_exclusive else 0),
                       math.floor(hi)).map(float)
    return st.one_of(ints, floats)


def leaf_strategy(ref: FieldRef) -> st.SearchStrategy[Any]:
    spec = ref.spec
    if ref.path == "runner_id":
        return RUNNER_ID
    if ref.path == "current_shoe.shoe_id":
        return st.sampled_from(SHOE_IDS)
    kind = spec.kind
    if kind == "bool":
        return st.booleans()
    if kind in ("int", "float"):
        return _number(ref)
    if kind == "enum":
        return st.sampled_from(spec.choices)
    if kind == "list":
        return st.lists(st.sampled_from(spec.choices), unique=True,
                        max_size=len(spec.choices))
    if kind == "strlist":
        return st.lists(st.sampled_from(BRANDS), unique=True, max_size=3)
    if kind == "str":
        return RUNNER_ID
    raise AssertionError(f"no strategy for kind {kind!r} ({ref.path})")


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in flat.items():
        set_path(out, path, value)
    return out


#: Strength answers near and past the gate, so both sides of SPEC §3.1 are seen often.
_GATE_LEAVES = {
    "strength.status": st.sampled_from(("weak", "building", "strong")),
    "strength.weeks_consistent": st.integers(4, 8),
    "strength.single_leg_squat_ok": st.booleans(),
    "strength.single_leg_balance_s": st.sampled_from((29.0, 29.9, 30.0, 30.5, 45.0)),
}


@st.composite
def valid_profiles(draw: st.DrawFn) -> dict[str, Any]:
    """A nested JSON profile (SPEC §2.1) in which every present leaf is valid. Half the
    time the strength answers are drawn close to the gate's thresholds."""
    leaves = {f.path: leaf_strategy(f) for f in FIELDS}
    if draw(st.booleans()):
        leaves.update(_GATE_LEAVES)
    flat = draw(st.fixed_dictionaries({}, optional=leaves))
    return _nest(flat)


NUMERIC_WITH_HI = tuple(f for f in FIELDS if f.spec.kind in ("int", "float")
                        and f.spec.hi is not None)
NUMERIC_WITH_LO = tuple(f for f in FIELDS if f.spec.kind in ("int", "float")
                        and f.spec.lo is not None)
ENUMS = tuple(f for f in FIELDS if f.spec.kind == "enum")
