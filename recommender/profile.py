"""The runner profile: one typed, immutable record, parsed from nested JSON (SPEC §2.1)
or a flat row (SPEC §2.2), with every violation reported by its dotted field name.

The dataclasses below *are* the declaration of the profile: each leaf carries its flat
column and its rule (a :class:`~recommender.vocab.ColumnSpec`), and :data:`FIELDS` /
:data:`RUNNER_SPECS` are derived from them. Nothing is guessed: unknown keys, wrong types,
out-of-range numbers and unknown enum values are errors.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .vocab import (
    AGGRAVATORS,
    ARCHES,
    CUSHIONINGS,
    EXTENSION_DEFICITS,
    FALSE_WORDS,
    FOOT_STRIKES,
    HIP_ALIGNMENTS,
    KNEE_LOCATIONS,
    KNEE_SIDES,
    LIST_SEP,
    PRONATIONS,
    RED_FLAGS,
    RUN_TERRAINS,
    SEXES,
    STRENGTH_STATUSES,
    SUPPORTS,
    TIGHT_MUSCLES,
    TRUE_WORDS,
    WIDTHS,
    ColumnSpec,
    Kind,
    R,
)


def _leaf(column: str, kind: Kind, lo: float | None = None, hi: float | None = None, *,
          choices: tuple[str, ...] = (), default: Any = None, help: str = "", **kw: Any) -> Any:
    spec = ColumnSpec(column, kind, lo, hi, choices=choices, default=default, description=help,
                      **kw)
    if kind in ("list", "strlist"):
        return field(default=(), metadata={"spec": spec})
    return field(default=default, metadata={"spec": spec})


def _section(cls: type) -> Any:
    return field(default_factory=cls, metadata={"section": cls})


@dataclass(frozen=True, slots=True)
class Running:
    weekly_km: float | None = _leaf(R.weekly_km, "float", 0, 300, help="kilometres a week")
    runs_per_week: int | None = _leaf(R.runs_per_week, "int", 0, 14)
    terrain: str = _leaf(R.terrain, "enum", choices=RUN_TERRAINS, default="road")
    recent_load_increase_pct: float | None = _leaf(
        R.recent_load_increase_pct, "float", 0, 500,
        help="rise in weekly volume over the last 4 weeks, in %")


@dataclass(frozen=True, slots=True)
class Gait:
    pronation: str | None = _leaf(R.pronation, "enum", choices=PRONATIONS)
    foot_strike: str | None = _leaf(R.foot_strike, "enum", choices=FOOT_STRIKES)
    arch: str | None = _leaf(R.arch, "enum", choices=ARCHES)
    cadence_spm: int | None = _leaf(R.cadence_spm, "int", 120, 230, help="steps per minute")
    overstriding: bool | None = _leaf(R.overstriding, "bool", help="foot lands in front of the body")
    on_toes: bool | None = _leaf(R.on_toes, "bool", help="runs on the balls of the feet")
    arm_crossing: bool | None = _leaf(R.arm_crossing, "bool", help="arms swing across the body")
    knee_valgus: bool | None = _leaf(R.knee_valgus, "bool", help="knee drifts inward")


@dataclass(frozen=True, slots=True)
class Strength:
    status: str = _leaf(R.strength_status, "enum", choices=STRENGTH_STATUSES, default="weak")
    weeks_consistent: int | None = _leaf(R.strength_weeks, "int", 0, 520,
                                         help="weeks of consistent hip/glute/core work")
    single_leg_squat_ok: bool | None = _leaf(
        R.single_leg_squat_ok, "bool",
        help="5 controlled single-leg squats, knee not drifting in")
    single_leg_balance_s: float | None = _leaf(
        R.single_leg_balance_s, "float", 0, 600, help="seconds on the painful leg, eyes open")


@dataclass(frozen=True, slots=True)
class Knee:
    pain: bool | None = _leaf(R.knee_pain, "bool")
    side: str | None = _leaf(R.knee_side, "enum", choices=KNEE_SIDES)
    location: str | None = _leaf(R.knee_location, "enum", choices=KNEE_LOCATIONS)
    severity: int | None = _leaf(R.severity, "int", 0, 10, help="0 none .. 10 worst")
    aggravators: tuple[str, ...] = _leaf(R.aggravators, "list", choices=AGGRAVATORS)
    grinding: bool | None = _leaf(R.grinding, "bool")
    extension_deficit: str | None = _leaf(R.extension_deficit, "enum", choices=EXTENSION_DEFICITS)


@dataclass(frozen=True, slots=True)
class Hips:
    alignment: str | None = _leaf(R.hip_alignment, "enum", choices=HIP_ALIGNMENTS)


@dataclass(frozen=True, slots=True)
class CurrentShoe:
    shoe_id: str | None = _leaf(R.current_shoe_id, "str", help="catalog id")
    drop_mm: float | None = _leaf(R.current_drop_mm, "float", 0, 16)
    support: str | None = _leaf(R.current_support, "enum", choices=SUPPORTS)
    km_used: float | None = _leaf(R.current_km_used, "float", 0, 5000)


@dataclass(frozen=True, slots=True)
class Orthotics:
    uses: bool | None = _leaf(R.orthotics_uses, "bool")
    clinician_prescribed: bool | None = _leaf(R.orthotics_prescribed, "bool")


@dataclass(frozen=True, slots=True)
class Preferences:
    max_price_usd: float | None = _leaf(R.max_price_usd, "float", 0, None, lo_exclusive=True)
    cushioning: str | None = _leaf(R.cushioning_pref, "enum", choices=CUSHIONINGS)
    brands: tuple[str, ...] = _leaf(R.brands, "strlist", help="soft preference")
    exclude_plated: bool | None = _leaf(R.exclude_plated, "bool")


@dataclass(frozen=True, slots=True)
class Profile:
    """One runner. ``None`` (or an empty tuple) means "unknown"."""

    runner_id: str = _leaf(R.runner_id, "str", default="runner", nullable=False, unique=True,
                           required=True, pattern=r"^\S(.{0,118}\S)?$",
                           help="1 to 120 characters, no spaces at either end")
    sex: str | None = _leaf(R.sex, "enum", choices=SEXES)
    age: int | None = _leaf(R.age, "int", 12, 95)
    body_mass_kg: float | None = _leaf(R.body_mass_kg, "float", 30, 200)
    shoe_size_us: float | None = _leaf(R.shoe_size_us, "float", 4, 16, half_step=True)
    width: str = _leaf(R.width, "enum", choices=WIDTHS, default="standard")
    running: Running = _section(Running)
    gait: Gait = _section(Gait)
    strength: Strength = _section(Strength)
    knee: Knee = _section(Knee)
    hips: Hips = _section(Hips)
    tight: tuple[str, ...] = _leaf(R.tight, "list", choices=TIGHT_MUSCLES)
    red_flags: tuple[str, ...] = _leaf(R.red_flags, "list", choices=RED_FLAGS)
    current_shoe: CurrentShoe = _section(CurrentShoe)
    orthotics: Orthotics = _section(Orthotics)
    preferences: Preferences = _section(Preferences)


@dataclass(frozen=True, slots=True)
class FieldRef:
    path: str  # dotted JSON path, e.g. "knee.severity"
    spec: ColumnSpec

    @property
    def column(self) -> str:
        return self.spec.name


def _walk(cls: type, prefix: str = "") -> Iterable[FieldRef]:
    for f in dataclasses.fields(cls):
        if "section" in f.metadata:
            yield from _walk(f.metadata["section"], f"{prefix}{f.name}.")
        else:
            yield FieldRef(f"{prefix}{f.name}", f.metadata["spec"])


#: Every leaf of the profile, in SPEC order.
FIELDS: tuple[FieldRef, ...] = tuple(_walk(Profile))
BY_PATH = {f.path: f for f in FIELDS}
BY_COLUMN = {f.column: f for f in FIELDS}
#: The flat runner table's columns (SPEC §2.2), for the schema and the readers.
RUNNER_SPECS: tuple[ColumnSpec, ...] = tuple(f.spec for f in FIELDS)


# ------------------------------------------------------------------------------ errors
@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ProfileError(ValueError):
    """A profile broke one or more rules; ``errors`` names every field."""

    def __init__(self, errors: list[FieldError], source: str | None = None):
        self.errors = errors
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + "; ".join(str(e) for e in errors))


# ---------------------------------------------------------------------- value checking
def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _choices_text(spec: ColumnSpec) -> str:
    return ", ".join(spec.choices)


def check_value(spec: ColumnSpec, value: Any) -> tuple[Any, str | None]:
    """Check one already-typed JSON value against its spec: ``(value, error or None)``."""
    kind = spec.kind
    if value is None:
        if not spec.nullable:
            return None, "is required"
        return None, None
    if kind == "bool":
        if not isinstance(value, bool):
            return None, f"expected true or false, got {value!r}"
        return value, None
    if kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, f"expected a number, got {value!r}"
        if isinstance(value, float) and not math.isfinite(value):
            return None, f"{value!r} is not a finite number"
        try:
            number = float(value)
        except OverflowError:
            return None, "is too large a number"
        if kind == "int" and not number.is_integer():
            return None, f"expected a whole number, got {value!r}"
        return _check_range(spec, int(number) if kind == "int" else number)
    if kind == "str":
        if not isinstance(value, str):
            return None, f"expected text, got {value!r}"
        return _check_text(spec, value)
    if kind == "enum":
        if not isinstance(value, str) or value not in spec.choices:
            return None, f"{value!r} is not one of {_choices_text(spec)}"
        return value, None
    # list / strlist
    if not isinstance(value, (list, tuple)):
        return None, f"expected a list, got {value!r}"
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            return None, f"expected a list of text, got {item!r}"
        if kind == "list" and item not in spec.choices:
            return None, f"{item!r} is not one of {_choices_text(spec)}"
        if item in out:
            return None, f"{item!r} is listed twice"
        out.append(item)
    return tuple(out), None


def _check_range(spec: ColumnSpec, v: float) -> tuple[Any, str | None]:
    if spec.lo is not None:
        if spec.lo_exclusive and v <= spec.lo:
            return None, f"{_fmt(v)} must be above {_fmt(spec.lo)}"
        if v < spec.lo:
            return None, f"{_fmt(v)} is below the minimum {_fmt(spec.lo)}"
    if spec.hi is not None and v > spec.hi:
        return None, f"{_fmt(v)} is above the maximum {_fmt(spec.hi)}"
    if spec.half_step and not float(v * 2).is_integer():
        return None, f"{_fmt(v)} is not a whole or half size"
    return v, None


def _check_text(spec: ColumnSpec, v: str) -> tuple[Any, str | None]:
    import re

    if spec.pattern and not re.fullmatch(spec.pattern, v):
        detail = f" ({spec.description})" if spec.description else ""
        return None, f"{v[:60]!r} does not match the expected format{detail}"
    if not v.strip():
        return (None, "is required") if not spec.nullable else (None, None)
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
        return None, f"expected true/false/1/0/yes/no, got {t!r}"
    if kind in ("int", "float"):
        try:
            num = float(t)
        except ValueError:
            return None, f"expected a number, got {t!r}"
        return check_value(spec, num)
    if kind in ("list", "strlist"):
        return check_value(spec, [p.strip() for p in t.split(LIST_SEP) if p.strip()])
    return check_value(spec, t)


# ------------------------------------------------------------------------------ parsing
def _build(cls: type, data: Mapping[str, Any], prefix: str, errors: list[FieldError]) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in data:
        if key not in fields:
            errors.append(FieldError(f"{prefix}{key}",
                                     f"unknown field (allowed: {', '.join(fields)})"))
    kwargs: dict[str, Any] = {}
    for name, f in fields.items():
        path = f"{prefix}{name}"
        if name not in data:
            continue
        raw = data[name]
        if "section" in f.metadata:
            if raw is None:
                continue
            if not isinstance(raw, Mapping):
                errors.append(FieldError(path, f"expected an object, got {raw!r}"))
                continue
            kwargs[name] = _build(f.metadata["section"], raw, f"{path}.", errors)
            continue
        spec: ColumnSpec = f.metadata["spec"]
        value, err = check_value(spec, raw)
        if err:
            errors.append(FieldError(path, err))
        elif value is not None:
            kwargs[name] = value
    return cls(**kwargs)


def parse_profile(data: Any, source: str | None = None) -> Profile:
    """Nested JSON object (SPEC §2.1) → :class:`Profile`, or :class:`ProfileError`."""
    if not isinstance(data, Mapping):
        raise ProfileError([FieldError("(profile)", "expected a JSON object")], source)
    errors: list[FieldError] = []
    prof = _build(Profile, data, "", errors)
    if errors:
        raise ProfileError(errors, source)
    return prof


def profile_from_json(data: bytes | str, source: str | None = None) -> Profile:
    """JSON text or bytes (UTF-8, an optional BOM) → :class:`Profile`; every problem, of
    the text or of a field, is a :class:`ProfileError`. Files and app uploads both use it."""
    import json

    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
        obj = json.loads(text)
    except UnicodeDecodeError as exc:
        raise ProfileError([FieldError("(file)", f"not UTF-8 text ({exc.reason})")], source) from None
    except RecursionError:
        raise ProfileError([FieldError("(file)", "JSON nested too deeply")], source) from None
    except json.JSONDecodeError as exc:
        raise ProfileError(
            [FieldError("(file)", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")],
            source) from None
    return parse_profile(obj, source=source)


def load_profile(path: str) -> Profile:
    """Read and parse a profile JSON file; every problem is a :class:`ProfileError`."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise ProfileError([FieldError("(file)", "no such file")], path) from None
    except OSError as exc:
        raise ProfileError([FieldError("(file)", exc.strerror or str(exc))], path) from None
    return profile_from_json(data, source=path)


def profile_from_flat(row: Mapping[str, Any], source: str | None = None) -> Profile:
    """A flat row (column → text or typed value) → :class:`Profile`.

    Text cells are parsed as in files (``yes``/``1``/``true``, ``;``-lists); typed values
    are checked as in JSON. Errors name the flat column.
    """
    errors: list[FieldError] = []
    nested: dict[str, Any] = {}
    for col, raw in row.items():
        ref = BY_COLUMN.get(col)
        if ref is None:
            errors.append(FieldError(col, "unknown column"))
            continue
        if isinstance(raw, str) and ref.spec.kind != "str":
            value, err = parse_text_value(ref.spec, raw)
        else:
            value, err = check_value(ref.spec, list(raw) if isinstance(raw, tuple) else raw)
        if err:
            errors.append(FieldError(col, err))
            continue
        if value is not None:
            set_path(nested, ref.path, value)
    if errors:
        raise ProfileError(errors, source)
    return parse_profile(nested, source)


# ----------------------------------------------------------------------------- writing
def get_path(profile: Profile, path: str) -> Any:
    """The value of one dotted field of a profile (``get_path(p, "knee.severity")``)."""
    node: Any = profile
    for part in path.split("."):
        node = getattr(node, part)
    return node


def set_path(nested: dict[str, Any], path: str, value: Any) -> None:
    """Put ``value`` at a dotted path of a nested JSON object (lists as JSON lists)."""
    node = nested
    *heads, leaf = path.split(".")
    for h in heads:
        node = node.setdefault(h, {})
    node[leaf] = list(value) if isinstance(value, tuple) else value


def profile_to_flat(profile: Profile) -> dict[str, Any]:
    """:class:`Profile` → ``{flat column: value}`` (lists as tuples), SPEC order."""
    return {f.column: get_path(profile, f.path) for f in FIELDS}


def profile_to_dict(profile: Profile, *, omit_unknown: bool = True) -> dict[str, Any]:
    """:class:`Profile` → nested JSON object (SPEC §2.1); unknown fields omitted."""

    def conv(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            v = getattr(obj, f.name)
            if "section" in f.metadata:
                sub = conv(v)
                if sub or not omit_unknown:
                    out[f.name] = sub
            elif isinstance(v, tuple):
                if v or not omit_unknown:
                    out[f.name] = list(v)
            elif v is not None or not omit_unknown:
                out[f.name] = v
        return out

    return conv(profile)


def replace(profile: Profile, **changes: Any) -> Profile:
    """A copy of ``profile`` with dotted-path changes, checked like parsed input:
    ``replace(p, **{"strength.weeks_consistent": 8})``."""
    data = profile_to_dict(profile)
    for path, value in changes.items():
        if path not in BY_PATH:
            raise ProfileError([FieldError(path, "unknown field")])
        set_path(data, path, value)
    return parse_profile(data)


def profiles_to_frame(profiles: Iterable[Profile]):  # -> pl.DataFrame
    """Profiles → the canonical runner frame (one row each, SPEC §2.2 columns and dtypes)."""
    import polars as pl

    from .tables import frame_schema

    rows = [tuple(list(v) if isinstance(v, tuple) else v for v in profile_to_flat(p).values())
            for p in profiles]
    return pl.DataFrame(rows, schema=frame_schema(RUNNER_SPECS), orient="row")
