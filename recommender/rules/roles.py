"""What each shoe is for, against what the runner wants it for (SPEC §7.1–7.2).

A race shoe is ranked only for ``use: race``; an uptempo shoe for ``workout`` or ``race``;
a plated racer is never a daily trainer for a runner with knee pain (makers position plated
"super shoes" for races and fast sessions, and bone-stress injuries have been reported with
them: tenforde2023). :data:`ROLE_FIT` is the one table: 0 excludes (rule ``role``), a
positive value is the role component of the score.
"""

from __future__ import annotations

import polars as pl

from ..spec.vocab import ROLES, USES, S
from .expr import F
from .sources import cite

ROLE_RULE_ID = "role"
ROLE_SOURCES = cite("tenforde2023", "product")

#: use → role → fit (0 = not offered for this use).
ROLE_FIT: dict[str, dict[str, float]] = {
    "daily": {"daily": 1.0, "max_cushion": 0.9, "trail": 1.0, "uptempo": 0.0, "race": 0.0,
              "trail_race": 0.0},
    "long": {"daily": 0.95, "max_cushion": 1.0, "trail": 1.0, "uptempo": 0.0, "race": 0.0,
             "trail_race": 0.0},
    "trail": {"daily": 0.8, "max_cushion": 0.8, "trail": 1.0, "uptempo": 0.0, "race": 0.0,
              "trail_race": 0.0},
    "workout": {"daily": 0.75, "max_cushion": 0.5, "trail": 0.7, "uptempo": 1.0, "race": 0.0,
                "trail_race": 0.0},
    "race": {"daily": 0.5, "max_cushion": 0.3, "trail": 0.6, "uptempo": 0.85, "race": 1.0,
             "trail_race": 1.0},
}
assert set(ROLE_FIT) == set(USES) and all(set(v) == set(ROLES) for v in ROLE_FIT.values())

#: Uses for which a carbon-plated shoe is not offered, whatever its role.
NO_PLATE_USES = ("daily", "long", "trail")

ROLE_WORDS = {
    "daily": "daily trainer",
    "max_cushion": "max-cushion trainer",
    "uptempo": "uptempo shoe for faster sessions",
    "race": "race shoe",
    "trail": "trail shoe",
    "trail_race": "trail racing shoe",
}
USE_WORDS = {"daily": "daily training", "long": "long runs", "trail": "trail running",
             "workout": "workouts", "race": "racing"}

_KEY = "\x1f"
_FIT = {f"{use}{_KEY}{role}": fit for use, roles in ROLE_FIT.items() for role, fit in roles.items()}


def role_fit() -> pl.Expr:
    """The fit of the shoe's role to the runner's use, 0..1 (0: not offered)."""
    key = pl.concat_str([pl.col(F.use), pl.col(S.role)], separator=_KEY)
    return key.replace_strict(_FIT, default=0.0, return_dtype=pl.Float64)


def role_fails() -> pl.Expr:
    plated = (pl.col(S.plate) == "carbon") & pl.col(F.use).is_in(NO_PLATE_USES)
    return (role_fit() <= 0) | plated


def role_reason() -> pl.Expr:
    role = pl.col(S.role).replace_strict(ROLE_WORDS, return_dtype=pl.String)
    use = pl.col(F.use).replace_strict(USE_WORDS, return_dtype=pl.String)
    return (pl.when(pl.col(S.plate) == "carbon").then(pl.format(
        "carbon-plated {}: made for races and fast sessions, not for {} with sore knees "
        "(choose use 'race' to see racers)", role, use))
        .otherwise(pl.format("{}, not made for {} (choose the use it is made for to see it)",
                             role, use)))
