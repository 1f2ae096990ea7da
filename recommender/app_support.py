"""Small pure helpers for the Streamlit app (``app/``): the questionnaire's steps, the
mapping between questionnaire answers and the nested profile (SPEC §2.1), and the
per-component points of a recommendation's score.

No rule lives here: the profile fields, their choices and ranges come from
:mod:`recommender.spec.profile`, the score formula from :mod:`recommender.core.pairs`, the rule ids
and texts from :mod:`recommender.rules`. The app only arranges them on screen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .rules.gate import GATE_RULE_ID
from .rules.referral import RED_FLAG_TEXT
from .spec.profile import BY_PATH, FIELDS, Profile, get_path, set_path
from .spec.vocab import ColumnSpec

if TYPE_CHECKING:
    import polars as pl

    from .recommend.result import Excluded, Recommendation

#: Enum values that mean "not known": the questionnaire shows one "Don't know" answer
#: instead, which omits the field (an omitted field means unknown, SPEC §2.1).
UNKNOWN_CHOICES = frozenset({"unknown"})


@dataclass(frozen=True)
class Step:
    """One step of the questionnaire: an id, a title and the profile fields it asks."""

    id: str
    title: str
    paths: tuple[str, ...]


#: The questionnaire, in order. Every profile field is asked exactly once.
STEPS: tuple[Step, ...] = (
    Step("about", "About you", ("runner_id", "sex", "age", "body_mass_kg")),
    Step("running", "Running", ("running.weekly_km", "running.runs_per_week", "running.terrain",
                                "running.recent_load_increase_pct")),
    Step("symptoms", "Knee symptoms", ("knee.pain", "knee.side", "knee.location",
                                       "knee.severity", "knee.aggravators", "knee.grinding",
                                       "tight")),
    Step("red_flags", "Red flags", ("red_flags",)),
    Step("self_tests", "Self-tests", ("knee.extension_deficit", "strength.single_leg_squat_ok",
                                      "strength.single_leg_balance_s", "gait.pronation",
                                      "gait.arch", "hips.alignment")),
    Step("strength", "Strength work", ("strength.status", "strength.weeks_consistent",
                                       "orthotics.uses", "orthotics.clinician_prescribed")),
    Step("form", "Running form", ("gait.foot_strike", "gait.overstriding", "gait.on_toes",
                                  "gait.arm_crossing", "gait.knee_valgus", "gait.cadence_spm")),
    Step("shoes", "Shoes & fit", ("current_shoe.shoe_id", "current_shoe.drop_mm",
                                  "current_shoe.support", "current_shoe.km_used", "width",
                                  "shoe_size_us", "preferences.max_price_usd",
                                  "preferences.cushioning", "preferences.brands",
                                  "preferences.exclude_plated")),
)
STEP_BY_ID = {s.id: s for s in STEPS}

#: Plain-language text of each red flag (the same words the referral reasons use).
RED_FLAG_LABELS: dict[str, str] = dict(RED_FLAG_TEXT)


def step_fields(step_id: str) -> tuple[str, ...]:
    """The dotted profile paths asked in one questionnaire step."""
    return STEP_BY_ID[step_id].paths


def field_spec(path: str) -> ColumnSpec:
    """The rule (kind, choices, range, default, description) of one profile field."""
    return BY_PATH[path].spec


def answer_choices(path: str) -> tuple[str, ...]:
    """The choices a person picks from for an enum or list field ("unknown" is not one:
    it is the questionnaire's "Don't know", which omits the field)."""
    return tuple(c for c in field_spec(path).choices if c not in UNKNOWN_CHOICES)


def answers_to_profile_dict(answers: Mapping[str, Any]) -> dict[str, Any]:
    """``{dotted path: answer}`` → the nested profile JSON (SPEC §2.1).

    ``None``, empty lists, blank text and "unknown" are "don't know" and are omitted,
    never guessed. Values are not checked here: pass the result to ``parse_profile`` (or
    ``recommend``), which names every field that breaks a rule. Unknown paths are kept so
    that the parser reports them.
    """
    out: dict[str, Any] = {}
    for path, value in answers.items():
        if value is None or (isinstance(value, str) and (not value.strip()
                                                         or value in UNKNOWN_CHOICES)):
            continue
        if isinstance(value, (list, tuple)) and not value:
            continue
        set_path(out, path, value)
    return out


def profile_to_answers(profile: Profile) -> dict[str, Any]:
    """:class:`Profile` → ``{dotted path: answer}`` for every field; unknown is ``None``
    (lists as lists, the enum value "unknown" as ``None``)."""
    out: dict[str, Any] = {}
    for f in FIELDS:
        v = get_path(profile, f.path)
        if isinstance(v, tuple):
            v = list(v)
        elif isinstance(v, str) and v in UNKNOWN_CHOICES:
            v = None
        out[f.path] = v
    return out


def score_points(rec: Recommendation, weights: Mapping[str, float] | None = None) -> pl.DataFrame:
    """Per recommended shoe and component: the component value (0..1) and the points it adds
    to the 0..100 score, by the engine's own formula (:func:`recommender.scoring.combine`), so
    a shoe's points add up to its score (to rounding). Columns: ``rank, shoe_id, component,
    value, points``; one row per shoe × component, in rank then component order."""
    import polars as pl

    from .core.pairs import check_weights, combine
    from .rules.components import COMPONENT_NAMES

    w = check_weights(weights)
    rows = [{"rank": i, "shoe_id": s.shoe_id, **{n: float(s.components[n]) for n in COMPONENT_NAMES}}
            for i, s in enumerate(rec.recommendations, 1)]
    schema = {"rank": pl.Int64, "shoe_id": pl.String, **{n: pl.Float64 for n in COMPONENT_NAMES}}
    wide = pl.DataFrame(rows, schema=schema, orient="row")
    points = wide.select(
        "rank", "shoe_id",
        *[combine([pl.col(m) if m == n else pl.lit(0.0) for m in COMPONENT_NAMES], w).alias(n)
          for n in COMPONENT_NAMES])
    value_long = wide.unpivot(index=["rank", "shoe_id"], on=list(COMPONENT_NAMES),
                              variable_name="component", value_name="value")
    points_long = points.unpivot(index=["rank", "shoe_id"], on=list(COMPONENT_NAMES),
                                 variable_name="component", value_name="points")
    order = {n: i for i, n in enumerate(COMPONENT_NAMES)}
    return (value_long.join(points_long, on=["rank", "shoe_id", "component"])
            .with_columns(pl.col("component").replace_strict(order, return_dtype=pl.Int64)
                          .alias("__order"))
            .sort("rank", "__order").drop("__order"))


def split_exclusions(excluded: Iterable[Excluded]) -> tuple[list[Excluded], dict[str, int]]:
    """The shoes locked by the strength gate, and a count of the other exclusions by rule
    id (a shoe can be excluded by several rules; each is counted)."""
    locked: list[Excluded] = []
    others: Counter[str] = Counter()
    for e in excluded:
        if e.rule == GATE_RULE_ID:
            locked.append(e)
        else:
            others[e.rule] += 1
    return locked, dict(sorted(others.items()))


def _check_steps() -> None:
    asked = [p for s in STEPS for p in s.paths]
    unknown = [p for p in asked if p not in BY_PATH]
    if unknown:
        raise RuntimeError(f"questionnaire asks unknown profile field(s): {unknown}")


_check_steps()

__all__ = [
    "RED_FLAG_LABELS",
    "STEPS",
    "UNKNOWN_CHOICES",
    "Step",
    "answer_choices",
    "answers_to_profile_dict",
    "field_spec",
    "profile_to_answers",
    "score_points",
    "split_exclusions",
    "step_fields",
]
