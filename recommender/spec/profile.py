"""The runner profile: one typed, immutable record, parsed from nested JSON (SPEC §2.1)
or a flat row (SPEC §2.2), with every violation reported by its dotted field name.

The dataclasses below *are* the declaration of the profile: each leaf carries its flat
column and its rule (a :class:`~recommender.vocab.ColumnSpec`), and :data:`FIELDS` /
:data:`RUNNER_SPECS` are derived from them. Nothing is guessed: unknown keys, wrong types,
out-of-range numbers and unknown enum values are errors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .vocab import (
    AGGRAVATORS,
    ARCHES,
    CUSHIONINGS,
    EXTENSION_DEFICITS,
    FOOT_STRIKES,
    HIP_ALIGNMENTS,
    KNEE_LOCATIONS,
    KNEE_SIDES,
    PRONATIONS,
    RED_FLAGS,
    RUN_TERRAINS,
    SEXES,
    SHOE_LINES,
    STRENGTH_STATUSES,
    SUPPORTS,
    TIGHT_MUSCLES,
    USES,
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
    use: str = _leaf(R.use, "enum", choices=USES, default="daily",
                     help="what the shoe is for (SPEC §7.2)")


@dataclass(frozen=True, slots=True)
class Profile:
    """One runner. ``None`` (or an empty tuple) means "unknown"."""

    runner_id: str = _leaf(R.runner_id, "str", default="runner", nullable=False, unique=True,
                           required=True, pattern=r"^\S(.{0,118}\S)?$",
                           help="1 to 120 characters, no spaces at either end")
    sex: str | None = _leaf(R.sex, "enum", choices=SEXES)
    age: int | None = _leaf(R.age, "int", 12, 95)
    body_mass_kg: float | None = _leaf(R.body_mass_kg, "float", 30, 200)
    shoe_size_us: float | None = _leaf(R.shoe_size_us, "float", 4, 16, half_step=True,
                                      help="US size on the scale of shoe_line")
    shoe_line: str | None = _leaf(R.shoe_line, "enum", choices=SHOE_LINES,
                                  help="mens or womens sizes (unknown: womens for sex female, "
                                       "else mens; SPEC §7.2)")
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
    #: Not an answer: the dotted paths the input left out that hold their documented default
    #: (SPEC §2.1: width standard, terrain road, strength weak, use daily), recorded by the
    #: parser so a result can say what rests on a default rather than on the runner's word.
    #: Not in :data:`FIELDS`, never written, not compared. Built in code: empty.
    defaulted: frozenset[str] = field(default=frozenset(), compare=False, repr=False,
                                      metadata={"parsed": True})


@dataclass(frozen=True, slots=True)
class FieldRef:
    path: str  # dotted JSON path, e.g. "knee.severity"
    spec: ColumnSpec

    @property
    def column(self) -> str:
        return self.spec.name


def _walk(cls: type, prefix: str = "") -> Iterable[FieldRef]:
    for f in dataclasses.fields(cls):
        if "parsed" in f.metadata:
            continue
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
    """:class:`Profile` → nested JSON object (SPEC §2.1); unknown fields omitted, and so
    are the fields the input left to their default (``Profile.defaulted``), so that parsing
    the object back gives the same profile with the same defaults."""
    defaulted = profile.defaulted if omit_unknown else frozenset()

    def conv(obj: Any, prefix: str = "") -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            if "parsed" in f.metadata or f"{prefix}{f.name}" in defaulted:
                continue
            v = getattr(obj, f.name)
            if "section" in f.metadata:
                sub = conv(v, f"{prefix}{f.name}.")
                if sub or not omit_unknown:
                    out[f.name] = sub
            elif isinstance(v, tuple):
                if v or not omit_unknown:
                    out[f.name] = list(v)
            elif v is not None or not omit_unknown:
                out[f.name] = v
        return out

    return conv(profile)




def profiles_to_frame(profiles: Iterable[Profile]):  # -> pl.DataFrame
    """Profiles → the canonical runner frame (one row each, SPEC §2.2 columns and dtypes)."""
    import polars as pl

    from .dtypes import frame_schema

    rows = [tuple(list(v) if isinstance(v, tuple) else v for v in profile_to_flat(p).values())
            for p in profiles]
    return pl.DataFrame(rows, schema=frame_schema(RUNNER_SPECS), orient="row")
