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
    Step("shoes", "Shoes & fit", ("preferences.use", "current_shoe.shoe_id",
                                  "current_shoe.drop_mm", "current_shoe.support",
                                  "current_shoe.km_used", "shoe_line", "shoe_size_us", "width",
                                  "preferences.max_price_usd", "preferences.cushioning",
                                  "preferences.brands", "preferences.exclude_plated")),
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
    (lists as lists, the enum value "unknown" as ``None``; a field the profile left to its
    default, ``Profile.defaulted``, stays unanswered: "Don't know", not the default)."""
    out: dict[str, Any] = {}
    for f in FIELDS:
        v = get_path(profile, f.path)
        if f.path in profile.defaulted:
            v = None
        elif isinstance(v, tuple):
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
    rows = [{"rank": i, "shoe_id": s.shoe_id, **{n: _float_or_none(s.components.get(n)) for n in COMPONENT_NAMES}}
            for i, s in enumerate(rec.recommendations, 1)]
    schema = {"rank": pl.Int64, "shoe_id": pl.String, **{n: pl.Float64 for n in COMPONENT_NAMES}}
    wide = pl.DataFrame(rows, schema=schema, orient="row")
    points = wide.select(
        "rank", "shoe_id",
        *[combine([pl.col(m) if m == n else pl.col(m) * 0.0 for m in COMPONENT_NAMES], w)
          .fill_null(0.0).alias(n)
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


def _float_or_none(v: Any) -> float | None:
    return None if v is None else float(v)


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


# ------------------------------------------------------------------ follow-up questions
#: A follow-up question applies only when its lead answer allows it; otherwise it is not
#: shown and its answer is left out of the profile (a hidden answer never overrides one
#: that is shown). ``path → (lead path, answers of the lead that hide it)``.
HIDDEN_WHEN: dict[str, tuple[str, tuple[Any, ...]]] = {
    "knee.side": ("knee.pain", (False,)),
    "knee.location": ("knee.pain", (False,)),
    "knee.severity": ("knee.pain", (False,)),
    "knee.aggravators": ("knee.pain", (False,)),
    "knee.grinding": ("knee.pain", (False,)),
    "orthotics.clinician_prescribed": ("orthotics.uses", (False, None)),
}
#: Asked only when the current shoe is not picked from the catalog (the catalog's own
#: drop and support are used for a picked shoe).
IF_SHOE_NOT_LISTED = ("current_shoe.drop_mm", "current_shoe.support")


def applies(path: str, answers: Mapping[str, Any]) -> bool:
    """Whether a question applies given the other answers (``None`` = don't know)."""
    if path in IF_SHOE_NOT_LISTED:
        return not answers.get("current_shoe.shoe_id")
    lead = HIDDEN_WHEN.get(path)
    if lead is None:
        return True
    return answers.get(lead[0]) not in lead[1]


def applicable_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with every question that does not apply set to ``None`` (unknown)."""
    return {p: (v if applies(p, answers) else None) for p, v in answers.items()}


def is_answered(value: Any) -> bool:
    return value is not None and value != [] and value != () and not (
        isinstance(value, str) and (not value.strip() or value in UNKNOWN_CHOICES))


def assumed_defaults(answers: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The fields left unanswered that the library reads as their documented default
    (SPEC §2.1: width standard, terrain road, strength weak, use daily): ``(path, default)``.
    ``shoe_line`` is included when the size is given without it (its default follows sex)."""
    out: list[tuple[str, Any]] = []
    for f in FIELDS:
        if f.path == "runner_id":
            continue
        if f.spec.default is not None and not is_answered(answers.get(f.path)):
            out.append((f.path, f.spec.default))
    if is_answered(answers.get("shoe_size_us")) and not is_answered(answers.get("shoe_line")):
        out.append(("shoe_line", "womens" if answers.get("sex") == "female" else "mens"))
    return out


def check_answers(answers: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate the answers field by field: ``(valid nested profile dict, {path: message})``.

    A field that breaks its rule is left out (unknown) and named, so one typo never blanks
    the plan; every other answer is kept. Uses the library's own parser."""
    from .errors import ProfileError
    from .validate.profile import parse_profile

    kept = dict(answers)
    errors: dict[str, str] = {}
    for _ in range(len(kept) + 1):
        data = answers_to_profile_dict(kept)
        try:
            parse_profile(data)
        except ProfileError as exc:
            bad = [(e.field, e.message) for e in exc.errors]
            progressed = False
            for field_path, message in bad:
                path = field_path if field_path in kept else next(
                    (p for p in kept if field_path.startswith(p)), None)
                if path is None or path in errors:
                    continue
                errors[path] = message
                kept[path] = None
                progressed = True
            if not progressed:  # an error that names no asked field: report it whole
                errors.update({fp: m for fp, m in bad})
                return {}, errors
            continue
        return data, errors
    return answers_to_profile_dict({}), errors


# --------------------------------------------------------------------------- units, sizes
KM_PER_MILE = 1.609344
LB_PER_KG = 2.2046226218
UNIT_SYSTEMS = ("metric", "imperial")
#: Profile fields held in km or kg, shown in the runner's own units.
DISTANCE_FIELDS = ("running.weekly_km", "current_shoe.km_used")
MASS_FIELDS = ("body_mass_kg",)


def km_to_mi(km: float) -> float:
    return km / KM_PER_MILE


def mi_to_km(mi: float) -> float:
    return mi * KM_PER_MILE


def kg_to_lb(kg: float) -> float:
    return kg * LB_PER_KG


def lb_to_kg(lb: float) -> float:
    return lb / LB_PER_KG


def to_display_unit(path: str, value: float | None, units: str) -> float | None:
    """A profile value (km, kg) in the runner's units (``metric`` or ``imperial``)."""
    if value is None or units == "metric":
        return value
    if path in DISTANCE_FIELDS:
        return round(km_to_mi(value), 1)
    if path in MASS_FIELDS:
        return round(kg_to_lb(value), 1)
    return value


def from_display_unit(path: str, value: float | None, units: str) -> float | None:
    """A value typed in the runner's units → the profile's km or kg (0.1 precision)."""
    if value is None or units == "metric":
        return value
    if path in DISTANCE_FIELDS:
        return round(mi_to_km(value), 1)
    if path in MASS_FIELDS:
        return round(lb_to_kg(value), 1)
    return value


def unit_label(path: str, units: str) -> str:
    if path in DISTANCE_FIELDS:
        return "mi" if units == "imperial" else "km"
    if path in MASS_FIELDS:
        return "lb" if units == "imperial" else "kg"
    return ""


SIZE_SYSTEMS = ("us", "uk", "eu")


def default_line(sex: str | None) -> str:
    """SPEC §7.2: women's sizes for sex female, else men's."""
    return "womens" if sex == "female" else "mens"


def size_to_us(value: float | None, system: str, line: str | None,
               sex: str | None = None) -> tuple[float | None, str | None]:
    """A size typed in US, UK or EU → ``(US size on the line's scale, problem)``."""
    from .spec.sizes import SizeError, to_us

    if value is None:
        return None, None
    try:
        return to_us(float(value), system, line or default_line(sex)), None  # type: ignore[arg-type]
    except SizeError as exc:
        return None, str(exc)


def size_in(us: float, system: str, line: str) -> float | None:
    """A US size shown in UK or EU (``None`` when off the chart)."""
    from .spec.sizes import SizeError, from_us

    try:
        return from_us(us, system, line)  # type: ignore[arg-type]
    except SizeError:
        return None


# ------------------------------------------------------------------ answers in the address
def encode_answers(answers: Mapping[str, Any]) -> str:
    """Answered fields → a compact URL-safe text (for the page address; nothing else)."""
    import base64
    import json

    kept = {p: v for p, v in answers.items() if is_answered(v) and p in BY_PATH}
    raw = json.dumps(kept, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_answers(text: str) -> dict[str, Any]:
    """The inverse of :func:`encode_answers`; anything unreadable or unknown is dropped."""
    import base64
    import binascii
    import json

    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        data = json.loads(raw.decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {p: v for p, v in data.items() if p in BY_PATH
            and isinstance(v, (str, int, float, bool, list))}


# --------------------------------------------------------------- what was left out, and why
#: Plain words for the engine's exclusion rule ids (display only).
RULE_WORDS: dict[str, str] = {
    GATE_RULE_ID: "strength first (stability shoe)",
    "terrain": "made for other terrain",
    "width": "not made in your width",
    "price": "over your price limit",
    "plated": "has a plate",
    "role": "not made for that use",
    "drop_floor": "drop too low for now",
    "same_model": "another version is listed",
}


def rule_words(rule: str) -> str:
    return RULE_WORDS.get(rule, rule.replace("_", " "))


@dataclass(frozen=True)
class ExclusionSummary:
    """What a recommendation left out, counted per shoe (a shoe can break several rules)."""

    locked: list[Excluded]  # held back only by the strength gate (would otherwise be eligible)
    locked_total: int  # every stability / motion-control shoe the gate holds back
    left_out: dict[str, int]  # rule → shoes it excludes (overlapping)
    left_out_shoes: int  # distinct shoes excluded by some rule other than the gate/versions
    versions_of_shown: int  # other versions of the models that are listed
    versions_other: int  # versions of models that are not listed


def summarise_exclusions(rec: Recommendation, model_of: Mapping[str, str]) -> ExclusionSummary:
    """:class:`ExclusionSummary` of ``rec.excluded``; ``model_of`` maps shoe_id → model key
    (e.g. brand + model) to tell versions of the listed models from the others."""
    from .rules import SAME_MODEL_RULE_ID

    rules_of: dict[str, set[str]] = {}
    for e in rec.excluded:
        rules_of.setdefault(e.shoe_id, set()).add(e.rule)
    gate = [e for e in rec.excluded if e.rule == GATE_RULE_ID]
    locked = [e for e in gate if rules_of[e.shoe_id] <= {GATE_RULE_ID, SAME_MODEL_RULE_ID}]
    left: Counter[str] = Counter()
    left_shoes = 0
    for rules in rules_of.values():
        other = rules - {GATE_RULE_ID, SAME_MODEL_RULE_ID}
        left.update(other)
        left_shoes += bool(other)
    shown = {model_of.get(s.shoe_id, s.shoe_id) for s in rec.recommendations}
    versions = [e.shoe_id for e in rec.excluded if e.rule == SAME_MODEL_RULE_ID]
    of_shown = sum(1 for s in versions if model_of.get(s, s) in shown)
    return ExclusionSummary(locked=locked, locked_total=len({e.shoe_id for e in gate}),
                            left_out=dict(left.most_common()), left_out_shoes=left_shoes,
                            versions_of_shown=of_shown, versions_other=len(versions) - of_shown)


@dataclass(frozen=True)
class WhyNot:
    """The answer to "why not my shoe?": ``status`` is ``recommended``, ``excluded`` or
    ``ranked_lower``; ``reasons`` are the engine's own words."""

    shoe_id: str
    status: str
    rank: int | None
    reasons: list[str]


def why_not(rec: Recommendation, shoe_id: str) -> WhyNot:
    """Look one catalog shoe up in a recommendation: listed (and where), left out (every
    rule that excluded it, in the engine's words), or eligible but ranked below the list."""
    for i, s in enumerate(rec.recommendations, 1):
        if s.shoe_id == shoe_id:
            return WhyNot(shoe_id, "recommended", i, list(s.reasons))
    reasons = [f"{rule_words(e.rule).capitalize()}: {e.reason}" for e in rec.excluded
               if e.shoe_id == shoe_id]
    if reasons:
        return WhyNot(shoe_id, "excluded", None, reasons)
    return WhyNot(shoe_id, "ranked_lower", None, [
        f"It passes every rule for you, but {len(rec.recommendations)} shoes scored higher."])


# ------------------------------------------------------------------- profiles as runner rows
def runner_row(profile: Profile) -> dict[str, str]:
    """A profile as one row of the store's runners file (SPEC §2.2 columns, text cells;
    lists ';'-separated, unknown empty)."""
    from .spec.profile import profile_to_flat

    out: dict[str, str] = {}
    for col, v in profile_to_flat(profile).items():
        if v is None:
            out[col] = ""
        elif isinstance(v, bool):
            out[col] = "true" if v else "false"
        elif isinstance(v, (tuple, list)):
            out[col] = ";".join(str(x) for x in v)
        elif isinstance(v, float):
            out[col] = f"{v:g}"
        else:
            out[col] = str(v)
    return out


def runner_columns() -> list[str]:
    """The runners file's columns, SPEC §2.2 order (only ``runner_id`` is required)."""
    return [f.column for f in FIELDS]


def runners_csv(rows: Iterable[Mapping[str, str]]) -> bytes:
    """Runner rows → CSV bytes with every column (spreadsheet-safe)."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=runner_columns(), extrasaction="ignore",
                       lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: _neutral(v) for k, v in r.items()})
    return buf.getvalue().encode("utf-8")


def _neutral(v: Any) -> Any:
    text = "" if v is None else str(v)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def runners_template_csv() -> bytes:
    """A runners template: every column, two example rows; only ``runner_id`` is required."""
    return runners_csv([{"runner_id": "customer-001", "sex": "female", "shoe_size_us": "8.5",
                         "shoe_line": "womens", "width": "standard", "knee_pain": "true"},
                        {"runner_id": "customer-002"}])


def separator_hint(columns: Iterable[str]) -> str | None:
    """A hint when a table read as one column looks separated by ``;`` or tabs."""
    cols = list(columns)
    if len(cols) == 1:
        for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if sep in cols[0]:
                return (f"the file seems to be separated by {name}, not commas: save it as "
                        "CSV with commas (in a spreadsheet: *Save as → CSV, comma-delimited*)")
    return None


def _check_steps() -> None:
    asked = [p for s in STEPS for p in s.paths]
    unknown = [p for p in asked if p not in BY_PATH]
    if unknown:
        raise RuntimeError(f"questionnaire asks unknown profile field(s): {unknown}")


_check_steps()

__all__ = [
    "DISTANCE_FIELDS",
    "HIDDEN_WHEN",
    "IF_SHOE_NOT_LISTED",
    "MASS_FIELDS",
    "RED_FLAG_LABELS",
    "RULE_WORDS",
    "SIZE_SYSTEMS",
    "STEPS",
    "UNKNOWN_CHOICES",
    "ExclusionSummary",
    "Step",
    "WhyNot",
    "answer_choices",
    "answers_to_profile_dict",
    "applicable_answers",
    "applies",
    "assumed_defaults",
    "check_answers",
    "decode_answers",
    "default_line",
    "encode_answers",
    "field_spec",
    "from_display_unit",
    "is_answered",
    "kg_to_lb",
    "km_to_mi",
    "lb_to_kg",
    "mi_to_km",
    "profile_to_answers",
    "rule_words",
    "runner_columns",
    "runner_row",
    "runners_csv",
    "runners_template_csv",
    "score_points",
    "separator_hint",
    "size_in",
    "size_to_us",
    "split_exclusions",
    "step_fields",
    "summarise_exclusions",
    "to_display_unit",
    "unit_label",
    "why_not",
]
