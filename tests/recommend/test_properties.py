"""Properties over generated VALID profiles, and rejection of generated INVALID ones."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender import ProfileError, parse_profile, recommend
from recommender.catalog import Catalog, load_catalog
from recommender.testing.checks import (
    CATALOG_CSV,
    EXCLUDE_RULES,
    FOAM_ROLL_ALLOWED,
    GATE_RULE,
    HIP_PROGRAMME,
    SUPPORTIVE,
    check_invariants,
    current_drop,
    excluded_by,
    exercise,
    get,
    ids_of,
    knee_pain,
    needs_support,
    prescribed,
    referral_expected,
    strength_established,
    supportive_ids,
)
from recommender.testing.strategies import ENUMS, NUMERIC_WITH_HI, NUMERIC_WITH_LO, valid_profiles

EXAMPLES = settings(max_examples=150, deadline=None)


@pytest.fixture(scope="module")
def catalog_once() -> Catalog:
    return load_catalog(CATALOG_CSV)


@pytest.fixture(scope="module")
def frame(catalog_once: Catalog) -> pl.DataFrame:
    return catalog_once.frame


@EXAMPLES
@given(profile=valid_profiles())
def test_valid_profiles_satisfy_the_rules(profile: dict[str, Any], catalog_once: Catalog,
                                          frame: pl.DataFrame) -> None:
    """No exception; gate, referral, scores, sorting, foam rolling, excluded rule ids —
    each checked against the SPEC, computed here from the profile."""
    everything = len(catalog_once)
    result = recommend(profile, catalog=catalog_once, top=everything)
    d = result.to_dict()
    # the default top 5 is the head of the full ranking
    short = recommend(profile, catalog=catalog_once).to_dict()
    assert short["recommendations"] == d["recommendations"][:5]
    assert {k: v for k, v in short.items() if k not in ("recommendations",)} == {
        k: v for k, v in d.items() if k not in ("recommendations",)}

    # gate invariant (SPEC §3.1), independently of the engine's feature
    established = strength_established(profile)
    assert d["gate"]["stability_allowed"] is established
    if not established:
        assert all(r["support"] not in SUPPORTIVE for r in d["recommendations"])
        assert excluded_by(d, GATE_RULE) == supportive_ids(frame)
        assert d["insoles"]["recommended"] is prescribed(profile)
        assert set(HIP_PROGRAMME) <= set(ids_of(d["exercises"]))

    # referral iff a red flag or severity >= 8 (SPEC §3.3)
    assert d["referral"]["required"] is referral_expected(profile)

    # scores in 0..100 and sorted
    scores = [r["score"] for r in d["recommendations"]]
    assert all(0 <= s <= 100 for s in scores)
    keys = [(-r["score"], r["shoe_id"]) for r in d["recommendations"]]
    assert keys == sorted(keys)

    # foam rolling never targets the IT band
    fr = exercise(d, "foam_rolling")
    if fr is not None:
        assert set(fr["targets"]) <= FOAM_ROLL_ALLOWED

    # every excluded entry carries a known rule id
    assert {e["rule"] for e in d["excluded"]} <= EXCLUDE_RULES

    # knee pain always yields a plan
    if (profile.get("knee") or {}).get("pain") is True:
        assert d["exercises"]

    # everything else that holds for every runner
    check_invariants(profile, d, frame)
    check_rule_triggers(profile, d)

    check_drop_rules(profile, d, frame)

    # deterministic: the same input gives the same bytes
    assert recommend(profile, catalog=catalog_once, top=everything).to_json() == result.to_json()


@EXAMPLES
@given(profile=valid_profiles())
def test_valid_profiles_parse(profile: dict[str, Any]) -> None:
    parse_profile(profile)


def _set(profile: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    node = profile
    *heads, leaf = path.split(".")
    for h in heads:
        node = node.setdefault(h, {})
    node[leaf] = value
    return profile


@EXAMPLES
@given(base=valid_profiles(), ref=st.sampled_from(NUMERIC_WITH_HI), data=st.data())
def test_above_maximum_is_rejected_naming_the_field(base: dict[str, Any], ref, data) -> None:
    hi = ref.spec.hi
    if ref.spec.kind == "int":
        near = st.integers(int(hi) + 1, int(hi) + 10_000)
    else:
        near = st.floats(min_value=hi, max_value=hi * 10 + 1, exclude_min=True,
                         allow_nan=False, allow_infinity=False)
    # JSON numbers have no size limit: a whole number too large for a float is still just a
    # number above the maximum
    huge = st.integers(10**308, 10**400)
    is_huge = data.draw(st.booleans())
    bad = data.draw(huge if is_huge else near)
    profile = _set(base, ref.path, bad)
    with pytest.raises(ProfileError) as info:
        parse_profile(profile)
    fields = [e.field for e in info.value.errors]
    assert fields == [ref.path], fields  # exactly that field, nothing else is blamed
    if not is_huge:
        assert "maximum" in info.value.errors[0].message


@EXAMPLES
@given(base=valid_profiles(), ref=st.sampled_from(NUMERIC_WITH_LO), data=st.data())
def test_below_minimum_is_rejected_naming_the_field(base: dict[str, Any], ref, data) -> None:
    lo = ref.spec.lo
    if ref.spec.kind == "int":
        bad = data.draw(st.integers(int(lo) - 10_000, int(lo) - 1))
    else:
        top = lo if ref.spec.lo_exclusive else lo - 1e-6
        bad = data.draw(st.floats(min_value=lo - 10_000, max_value=top,
                                  allow_nan=False, allow_infinity=False))
    profile = _set(base, ref.path, bad)
    with pytest.raises(ProfileError) as info:
        parse_profile(profile)
    assert [e.field for e in info.value.errors] == [ref.path]


@EXAMPLES
@given(base=valid_profiles(), ref=st.sampled_from(ENUMS), data=st.data())
def test_unknown_enum_value_is_rejected_naming_the_field(base: dict[str, Any], ref,
                                                         data) -> None:
    bad = data.draw(st.text(max_size=12).filter(lambda s: s not in ref.spec.choices))
    profile = _set(base, ref.path, bad)
    with pytest.raises(ProfileError) as info:
        parse_profile(profile)
    assert [e.field for e in info.value.errors] == [ref.path]
    assert info.value.errors[0].message == (
        f"{bad!r} is not one of {', '.join(ref.spec.choices)}")


def check_rule_triggers(profile: dict[str, Any], d: dict[str, Any]) -> None:
    """SPEC §3.2, 3.4–3.6: each id appears exactly when its stated condition holds (where the
    SPEC states the condition fully)."""
    pain = knee_pain(profile)
    cues = set(ids_of(d["form_cues"]))
    exercises = set(ids_of(d["exercises"]))
    causes = set(ids_of(d["likely_causes"]))
    over = get(profile, "gait.overstriding") is True
    heel = get(profile, "gait.foot_strike") == "heel"
    cadence = get(profile, "gait.cadence_spm")
    tight = set(get(profile, "tight", []))
    deficit = get(profile, "knee.extension_deficit") in ("left", "right", "both")
    # §3.2 after the gate
    if needs_support(profile):
        assert d["insoles"]["recommended"] is True
    # §3.4 causes
    assert ("hip_misalignment" in causes) is (get(profile, "hips.alignment") == "uneven_new")
    assert ("knee_extension_deficit" in causes) is deficit
    assert ("muscle_tightness" in causes) is bool(tight)
    if get(profile, "gait.arch") == "flat" or get(profile, "gait.pronation") == "over":
        assert "foot_mechanics" in causes
    # §3.5 form cues
    assert ("increase_cadence" in cues) is ((cadence is not None and cadence < 170) or over)
    assert ("relax_calves" in cues) is (get(profile, "gait.on_toes") is True)
    assert ("arm_swing_forward" in cues) is (get(profile, "gait.arm_crossing") is True)
    if pain is not None:
        assert ("land_under_body" in cues) is (over or (heel and pain))
    elif over:
        assert "land_under_body" in cues
    # §3.6 exercises
    assert ("hamstring_stretch" in exercises) is ("hamstrings" in tight)
    assert ("terminal_knee_extension" in exercises) is deficit
    assert ("popliteus_stretch" in exercises) is deficit
    if pain is not None:
        assert ("straight_leg_raise" in exercises) is pain
        assert ("foam_rolling" in exercises) is (bool(tight) or pain)
    elif tight:
        assert "foam_rolling" in exercises
    if "hip_weakness" in causes or get(profile, "gait.knee_valgus") is True:
        assert set(HIP_PROGRAMME) <= exercises


def check_drop_rules(profile: dict[str, Any], d: dict[str, Any], frame: pl.DataFrame) -> None:
    """SPEC §3.7 on the first recommendation, whenever the filters leave a shoe that can
    satisfy the rule: regular runners not below 4 mm; on_toes or tight calves 8 mm or more;
    heel striking or overstriding with knee pain lower than the current shoe."""
    drops = [r["drop_mm"] for r in d["recommendations"]]
    if not drops:
        return
    top = drops[0]
    runs = get(profile, "running.runs_per_week")
    calves = get(profile, "gait.on_toes") is True or "calves" in get(profile, "tight", [])
    if runs is not None and runs >= 3 and max(drops) >= 4:
        assert top >= 4, (runs, top)
    if calves and max(drops) >= 8:
        assert top >= 8, top
    wants_lower = knee_pain(profile) is True and (
        get(profile, "gait.foot_strike") == "heel" or get(profile, "gait.overstriding") is True)
    current = current_drop(profile, frame)
    # the floor under the step down; an unknown number of runs may count as regular
    floor = max(4 if (runs is None or runs >= 3) else 0, 8 if calves else 0)
    if wants_lower and current is not None and current > floor and any(
            floor <= x < current for x in drops):
        assert top < current, (top, current, floor)


#: Found on 2026-12-06 by test_valid_profiles_satisfy_the_rules (a random run): a heel
#: striker in pain whose current shoe (ASICS Metafuji Trail, 5 mm in the catalog) is
#: recommended a 5 mm shoe first while a 4 mm one is second.
STEP_DOWN_MISSED = {
    "runner_id": "0", "sex": "female", "age": 12, "body_mass_kg": 30.0,
    "shoe_line": "mens", "shoe_size_us": 4.0, "width": "extra_wide",
    "gait": {"foot_strike": "heel", "pronation": "over", "on_toes": False,
             "knee_valgus": False, "overstriding": False, "cadence_spm": 120,
             "arm_crossing": False, "arch": "flat"},
    "preferences": {"exclude_plated": False, "brands": [], "use": "daily",
                    "cushioning": "firm", "max_price_usd": 165.0},
    "red_flags": [], "orthotics": {"clinician_prescribed": False, "uses": False},
    "running": {"terrain": "road", "weekly_km": 0.0, "recent_load_increase_pct": 0.0,
                "runs_per_week": 0},
    "knee": {"severity": 0, "location": "around_kneecap", "side": "left",
             "extension_deficit": "none", "aggravators": [], "pain": True, "grinding": False},
    "tight": [], "hips": {"alignment": "level"},
    "current_shoe": {"km_used": 0.0, "shoe_id": "asics-metafuji-trail-1",
                     "support": "neutral", "drop_mm": 0.0},
    "strength": {"single_leg_balance_s": 29.0, "single_leg_squat_ok": False,
                 "weeks_consistent": 4, "status": "weak"},
}


@pytest.mark.xfail(strict=True, reason=(
    "known defect, not fixed yet: the drop component (weight 0.22) loses to cushioning and "
    "weight here, so a 5 mm shoe (score 72.84) ranks above a 4 mm one (71.79) for a heel "
    "striker in pain coming from 5 mm; SPEC §3.7 favours the step down"))
def test_heel_striker_in_pain_steps_down_first(catalog_once: Catalog, frame: pl.DataFrame):
    d = recommend(STEP_DOWN_MISSED, catalog=catalog_once, top=len(catalog_once)).to_dict()
    check_drop_rules(STEP_DOWN_MISSED, d, frame)
