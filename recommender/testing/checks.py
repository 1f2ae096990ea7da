"""SPEC oracles for the tests, written from SPEC.md (ids, enums, §4 keys, the §3.1 gate
definition), never read back from ``recommender.rules``: the tests check the engine against
the contract, not against itself."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import polars as pl

from ..catalog import DATA_DIR, DEFAULT_CATALOG
from ..spec.profile import set_path

DATA = DATA_DIR
PROFILES = DATA / "profiles"
CATALOG_CSV = DEFAULT_CATALOG

# ------------------------------------------------------------------ SPEC §3 rule ids
GATE_RULE = "strength_before_stability"
FILTER_RULES = ("terrain", "width", "price", "plated", "role", "drop_floor")
SAME_MODEL_RULE = "same_model"  # gaitkeeper's extension: one version per model is listed
EXCLUDE_RULES = frozenset({GATE_RULE, *FILTER_RULES, SAME_MODEL_RULE})
CAUSE_IDS = ("overuse", "hip_weakness", "muscle_tightness", "hip_misalignment",
             "knee_extension_deficit", "foot_mechanics", "running_form", "footwear")
CUE_IDS = ("land_under_body", "increase_cadence", "relax_calves", "arm_swing_forward",
           "knee_alignment")
HIP_PROGRAMME = ("monster_walk", "glute_bridge", "single_leg_balance", "core_program")
EXERCISE_IDS = (*HIP_PROGRAMME, "wall_sit", "squat_pain_free", "step_down",
                "leg_press_or_extension", "calf_raise", "straight_leg_raise", "hamstring_stretch",
                "terminal_knee_extension", "popliteus_stretch", "foam_rolling")
FOAM_ROLL_ALLOWED = frozenset({"glutes", "hips", "quads", "calves"})
SUPPORTIVE = ("stability", "motion_control")
RED_FLAGS = ("recent_trauma", "significant_swelling", "locking", "giving_way", "night_pain",
             "fever_or_redness", "numbness")

# --------------------------------------------------------------------- SPEC §4 keys
RESULT_KEYS = {"runner_id", "catalog_version", "referral", "gate", "likely_causes",
               "recommendations", "excluded", "insoles", "form_cues", "exercises",
               "transition", "rotation",
               # SPEC §7.3
               "load", "assessment", "programme", "conflicts",
               # gaitkeeper's extension: the sources the answer rests on
               "sources"}
REFERRAL_KEYS = {"required", "reasons"}  # + "note" when required (extension, SPEC §7.3)
GATE_KEYS = {"stability_allowed", "orthotics_allowed", "reason", "unlock_when"}
CAUSE_KEYS = {"id", "label", "evidence", "assumed", "defaults"}
REC_KEYS = {"shoe_id", "brand", "model", "version", "support", "drop_mm", "heel_stack_mm",
            "msrp_usd", "terrain", "score", "components", "reasons",
            "role", "transition",  # SPEC §7.3
            "release_year", "weight_g"}  # extension
EXCLUDED_KEYS = {"shoe_id", "rule", "reason"}
INSOLE_KEYS = {"recommended", "reason"}
CUE_KEYS = {"id", "text"}
EXERCISE_KEYS = {"id", "name", "dose", "why"}
TRANSITION_KEYS = {"needed", "advice"}
ROTATION_KEYS = {"shoe_id", "reason", "transition"}
LOAD_KEYS = {"advice", "pain_rule"}
ASSESSMENT_KEYS = {"advised", "reasons"}
PHASE_KEYS = {"phase", "weeks", "sessions_per_week", "exercises", "focus", "current"}
CONFLICT_KEYS = {"fields", "message"}
ROLES = ("daily", "max_cushion", "uptempo", "race", "trail", "trail_race")
#: SPEC §7.2: a race shoe is ranked only for use race; uptempo for workout or race.
ROLE_ALLOWED = {"daily": {"daily", "max_cushion", "trail"}, "long": {"daily", "max_cushion", "trail"},
                "trail": {"daily", "max_cushion", "trail"},
                "workout": {"daily", "max_cushion", "trail", "uptempo"},
                "race": set(ROLES)}
#: Exercises that count as hip work and as loaded knee work (Crossley 2016, Collins 2018).
HIP_WORK = {"monster_walk", "glute_bridge", "single_leg_balance", "core_program"}
LOADED_KNEE_WORK = {"wall_sit", "squat_pain_free", "step_down", "leg_press_or_extension"}


# ------------------------------------------------------------ independent rule oracles
def _get(profile: Mapping[str, Any], path: str, default: Any = None) -> Any:
    node: Any = profile
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node or node[part] is None:
            return default
        node = node[part]
    return node


def strength_established(profile: Mapping[str, Any]) -> bool:
    """SPEC §3.1, written out from the text: (status == strong or weeks_consistent >= 6)
    and single_leg_squat_ok is not false and single_leg_balance_s is absent or >= 30.
    An omitted status is the default, ``weak``."""
    status = _get(profile, "strength.status", "weak")
    weeks = _get(profile, "strength.weeks_consistent")
    squat = _get(profile, "strength.single_leg_squat_ok")
    balance = _get(profile, "strength.single_leg_balance_s")
    # "strong" with 0 weeks of the work: the safe reading keeps the gate locked (§7.3)
    time_ok = (status == "strong" and weeks != 0) or (weeks is not None and weeks >= 6)
    tests_ok = squat is not False and (balance is None or balance >= 30)
    return time_ok and tests_ok


def referral_expected(profile: Mapping[str, Any]) -> bool:
    """SPEC §3.3: any red flag, or severity >= 8."""
    severity = _get(profile, "knee.severity")
    return bool(_get(profile, "red_flags", [])) or (severity is not None and severity >= 8)


def knee_pain(profile: Mapping[str, Any]) -> bool:
    """Knee pain, the safe reading (SPEC §7.3 conflicts): stated, or a severity of 1 or
    more — "no pain" with a severity of 6 reads as pain."""
    severity = _get(profile, "knee.severity")
    return _get(profile, "knee.pain") is True or bool(severity and severity >= 1)


def needs_support(profile: Mapping[str, Any]) -> bool:
    """SPEC §3.2: after the gate, support for over-pronation, flat arches or persisting knee
    valgus — with knee pain (foot posture alone prescribes nothing: Ryan 2011, Nielsen 2014)."""
    return strength_established(profile) and knee_pain(profile) and (
        _get(profile, "gait.pronation") == "over" or _get(profile, "gait.arch") == "flat"
        or _get(profile, "gait.knee_valgus") is True)


def use_of(profile: Mapping[str, Any]) -> str:
    return _get(profile, "preferences.use", "daily")


def get(profile: Mapping[str, Any], path: str, default: Any = None) -> Any:
    return _get(profile, path, default)


def prescribed(profile: Mapping[str, Any]) -> bool:
    return _get(profile, "orthotics.clinician_prescribed") is True


def with_changes(profile: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy with dotted-path changes: ``with_changes(p, **{"strength.status": "strong"})``."""
    out = copy.deepcopy(dict(profile))
    for path, value in changes.items():
        set_path(out, path, value)
    return out


# ----------------------------------------------------------------- catalog facts
def facts(shoes: pl.DataFrame) -> dict[str, dict[str, Any]]:
    """shoe_id → catalog row (support, drop_mm, widths, plate, terrain, msrp_usd, ...)."""
    return {r["shoe_id"]: r for r in shoes.iter_rows(named=True)}


def ids_where(shoes: pl.DataFrame, expr: pl.Expr) -> set[str]:
    return set(shoes.filter(expr).get_column("shoe_id").to_list())


def supportive_ids(shoes: pl.DataFrame) -> set[str]:
    return ids_where(shoes, pl.col("support").is_in(SUPPORTIVE))


def excluded_by(result: Mapping[str, Any], rule: str) -> set[str]:
    return {e["shoe_id"] for e in result["excluded"] if e["rule"] == rule}


def ids_of(items: list[Mapping[str, Any]]) -> list[str]:
    return [i["id"] for i in items]


def exercise(result: Mapping[str, Any], ex_id: str) -> dict[str, Any] | None:
    return next((e for e in result["exercises"] if e["id"] == ex_id), None)


def cause(result: Mapping[str, Any], cause_id: str) -> dict[str, Any] | None:
    return next((c for c in result["likely_causes"] if c["id"] == cause_id), None)


# ------------------------------------------------------- invariants for every result
def check_result_shape(d: Mapping[str, Any]) -> None:
    """SPEC §4: every key, with its type."""
    assert set(d) == RESULT_KEYS
    assert isinstance(d["runner_id"], str) and d["runner_id"]
    assert isinstance(d["catalog_version"], str) and d["catalog_version"]
    assert set(d["referral"]) - {"note"} == REFERRAL_KEYS
    assert ("note" in d["referral"]) is d["referral"]["required"]
    assert isinstance(d["referral"]["required"], bool)
    assert set(d["gate"]) == GATE_KEYS
    assert isinstance(d["gate"]["stability_allowed"], bool)
    assert isinstance(d["gate"]["orthotics_allowed"], bool)
    assert isinstance(d["gate"]["reason"], str) and d["gate"]["reason"]
    for c in d["likely_causes"]:
        assert set(c) == CAUSE_KEYS
        assert c["id"] in CAUSE_IDS
        assert c["evidence"], f"cause {c['id']} has no evidence"
        assert all(isinstance(e, str) and e for e in c["evidence"])
        assert isinstance(c["assumed"], bool) and (c["defaults"] or not c["assumed"])
    for r in d["recommendations"]:
        assert set(r) == REC_KEYS
        assert r["reasons"] and all(isinstance(x, str) and x for x in r["reasons"])
        assert r["role"] in ROLES
        assert set(r["transition"]) == TRANSITION_KEYS and r["transition"]["advice"]
    for e in d["excluded"]:
        assert set(e) == EXCLUDED_KEYS
        assert e["rule"] in EXCLUDE_RULES, e
        assert e["reason"]
    assert set(d["insoles"]) == INSOLE_KEYS
    assert isinstance(d["insoles"]["recommended"], bool) and d["insoles"]["reason"]
    for c in d["form_cues"]:
        assert set(c) == CUE_KEYS and c["id"] in CUE_IDS and c["text"]
    for e in d["exercises"]:
        assert EXERCISE_KEYS <= set(e) <= EXERCISE_KEYS | {"targets"}
        assert e["id"] in EXERCISE_IDS
        assert e["name"] and e["dose"] and e["why"], e
    assert set(d["transition"]) == TRANSITION_KEYS
    assert isinstance(d["transition"]["needed"], bool) and d["transition"]["advice"]
    if d["rotation"] is not None:
        assert set(d["rotation"]) == ROTATION_KEYS and d["rotation"]["reason"]
    assert set(d["load"]) == LOAD_KEYS and d["load"]["pain_rule"]
    assert set(d["assessment"]) == ASSESSMENT_KEYS
    assert d["assessment"]["advised"] is bool(d["assessment"]["reasons"])
    for ph in d["programme"]:
        assert set(ph) == PHASE_KEYS and ph["sessions_per_week"] >= 1
        assert set(ph["exercises"]) <= set(ids_of(d["exercises"])), ph
    assert sum(ph["current"] for ph in d["programme"]) == (1 if d["programme"] else 0)
    for c in d["conflicts"]:
        assert set(c) == CONFLICT_KEYS and c["fields"] and c["message"]
    assert d["sources"] and all(isinstance(v, str) and v for v in d["sources"].values())
    # no id is listed twice
    for key in ("likely_causes", "form_cues", "exercises"):
        ids = ids_of(d[key])
        assert len(ids) == len(set(ids)), f"duplicate ids in {key}: {ids}"
    pairs = [(e["shoe_id"], e["rule"]) for e in d["excluded"]]
    assert len(pairs) == len(set(pairs))


def check_invariants(profile: Mapping[str, Any], d: Mapping[str, Any],
                     shoes: pl.DataFrame) -> None:
    """Rules that hold for every runner, checked from the SPEC and the catalog frame."""
    check_result_shape(d)
    cat = facts(shoes)
    recs = d["recommendations"]
    # scores and components
    for r in recs:
        assert 0.0 <= r["score"] <= 100.0, r
        assert r["components"], r
        for name, v in r["components"].items():
            assert 0.0 <= v <= 1.0, (r["shoe_id"], name, v)
        # the recommendation repeats the catalog's facts
        row = cat[r["shoe_id"]]
        for k in ("brand", "model", "version", "support", "msrp_usd", "terrain", "role"):
            assert r[k] == row[k], (r["shoe_id"], k, r[k], row[k])
        womens = line_of(profile) == "womens"
        for k, wk in (("drop_mm", "womens_drop_mm"), ("heel_stack_mm", "womens_heel_stack_mm"),
                      ("weight_g", "womens_weight_g")):
            expected = row[wk] if womens and row[wk] is not None else row[k]
            assert r[k] == expected, (r["shoe_id"], k, r[k], expected)
        # SPEC §7.2: the role fits the use; a plated racer is never a daily trainer
        assert r["role"] in ROLE_ALLOWED[use_of(profile)], (r["shoe_id"], r["role"])
        if use_of(profile) in ("daily", "long", "trail"):
            assert row["plate"] != "carbon", r["shoe_id"]
        # SPEC §3.7: regular runners are not moved below 4 mm (or below their own drop)
        if regular(profile):
            cur = current_drop(profile, shoes)
            assert r["drop_mm"] >= min(4.0, cur if cur is not None else 4.0), r["shoe_id"]
    keys = [(-r["score"], r["shoe_id"]) for r in recs]
    assert keys == sorted(keys), "recommendations not sorted by score desc, then shoe_id"
    assert len({r["shoe_id"] for r in recs}) == len(recs)
    # nothing recommended is excluded
    excluded_ids = {e["shoe_id"] for e in d["excluded"]}
    assert not excluded_ids & {r["shoe_id"] for r in recs}
    # gate (SPEC §3.1)
    est = strength_established(profile)
    assert d["gate"]["stability_allowed"] is est
    supportive = supportive_ids(shoes)
    if not est:
        assert not [r for r in recs if r["support"] in SUPPORTIVE]
        assert excluded_by(d, GATE_RULE) == supportive
        assert d["gate"]["unlock_when"], "locked gate without unlock criteria"
        assert d["gate"]["orthotics_allowed"] is prescribed(profile)
        assert d["insoles"]["recommended"] is prescribed(profile)
        if not prescribed(profile):
            assert "Collins 2018" in d["insoles"]["reason"]  # the honest evidence
        assert set(HIP_PROGRAMME) <= set(ids_of(d["exercises"]))
        if d["rotation"] is not None:
            assert cat[d["rotation"]["shoe_id"]]["support"] not in SUPPORTIVE
    else:
        assert not excluded_by(d, GATE_RULE)
        assert d["gate"]["unlock_when"] == []
        assert d["gate"]["orthotics_allowed"] is True
    # referral (SPEC §3.3)
    assert d["referral"]["required"] is referral_expected(profile)
    if d["referral"]["required"]:
        assert d["referral"]["reasons"]
        # referral holds (SPEC §7.3): nothing reads as "start now"
        assert d["transition"]["needed"] is False
        assert all(r["transition"]["needed"] is False for r in recs)
        assert d["load"]["advice"] and all("clinician" in a for a in d["load"]["advice"])
    else:
        assert d["referral"]["reasons"] == []
    # foam rolling never targets the IT band (SPEC §3.6)
    fr = exercise(d, "foam_rolling")
    if fr is not None:
        assert fr.get("targets"), "foam rolling without targets"
        assert set(fr["targets"]) <= FOAM_ROLL_ALLOWED, fr["targets"]
        assert not any("band" in t.lower() or "iliotibial" in t.lower() or
                       t.lower() in {"it", "itb"} for t in fr["targets"])
    # rotation (SPEC §3.9)
    if d["rotation"] is not None:
        assert recs, "rotation without a first recommendation"
        rot = d["rotation"]["shoe_id"]
        assert rot != recs[0]["shoe_id"]
        assert rot not in excluded_ids
        assert cat[rot]["drop_mm"] != recs[0]["drop_mm"]
    # knee pain: load advice and a plan with hip and loaded knee work (SPEC §7.3)
    if knee_pain(profile):
        assert d["load"]["advice"]
        assert HIP_WORK & set(ids_of(d["exercises"]))
        assert LOADED_KNEE_WORK & set(ids_of(d["exercises"]))
        assert d["programme"]
    # transition per shoe (SPEC §3.7): a drop change over 4 mm makes it needed
    current = current_drop(profile, shoes)
    if current is not None and not d["referral"]["required"]:
        for r in recs:
            if abs(r["drop_mm"] - current) > 4:
                assert r["transition"]["needed"] is True, (r["shoe_id"], r["transition"])
    if recs:
        assert d["transition"] == recs[0]["transition"]
    if not recs:
        assert d["transition"]["needed"] is False
        assert d["rotation"] is None


def current_drop(profile: Mapping[str, Any], shoes: pl.DataFrame) -> float | None:
    """The current shoe's drop: the catalog entry named (the maker's number), else stated."""
    sid = _get(profile, "current_shoe.shoe_id")
    if sid is not None:
        return float(facts(shoes)[sid]["drop_mm"])
    stated = _get(profile, "current_shoe.drop_mm")
    return None if stated is None else float(stated)


def line_of(profile: Mapping[str, Any]) -> str:
    """SPEC §7.2: shoe_line, default womens for sex female, else mens."""
    return _get(profile, "shoe_line") or ("womens" if _get(profile, "sex") == "female" else "mens")


def regular(profile: Mapping[str, Any]) -> bool:
    """3 or more runs a week; unknown counts as regular (the cautious reading)."""
    runs = _get(profile, "running.runs_per_week")
    return runs is None or runs >= 3
