"""Profile parsing (SPEC §2): unknown keys, wrong types, ranges and enums are errors that name
the dotted field; nothing is guessed. Flat rows (§2.2) round-trip with nested profiles."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings

from recommender import Profile, ProfileError, parse_profile
from recommender.spec.profile import FIELDS, profile_to_dict, profile_to_flat
from recommender.testing.checks import PROFILES
from recommender.testing.strategies import valid_profiles
from recommender.validate.profile import profile_from_flat


def errors_of(data: Any) -> dict[str, str]:
    with pytest.raises(ProfileError) as info:
        parse_profile(data)
    errs = info.value.errors
    assert errs, "ProfileError without errors"
    return {e.field: e.message for e in errs}


def flat_errors_of(row: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ProfileError) as info:
        profile_from_flat(row)
    return {e.field: e.message for e in info.value.errors}


# ---------------------------------------------------------------- SPEC §2.1 field list
SPEC_PATHS = {
    "runner_id", "sex", "age", "body_mass_kg", "shoe_size_us", "width",
    "running.weekly_km", "running.runs_per_week", "running.terrain",
    "running.recent_load_increase_pct",
    "gait.pronation", "gait.foot_strike", "gait.arch", "gait.cadence_spm", "gait.overstriding",
    "gait.on_toes", "gait.arm_crossing", "gait.knee_valgus",
    "strength.status", "strength.weeks_consistent", "strength.single_leg_squat_ok",
    "strength.single_leg_balance_s",
    "knee.pain", "knee.side", "knee.location", "knee.severity", "knee.aggravators",
    "knee.grinding", "knee.extension_deficit",
    "hips.alignment", "tight", "red_flags",
    "current_shoe.shoe_id", "current_shoe.drop_mm", "current_shoe.support",
    "current_shoe.km_used",
    "orthotics.uses", "orthotics.clinician_prescribed",
    "preferences.max_price_usd", "preferences.cushioning", "preferences.brands",
    "preferences.exclude_plated",
    # SPEC §7.2
    "shoe_line", "preferences.use",
}
#: SPEC §2.2: nested names joined by "_" except these short forms.
SHORT_FORMS = {
    "strength.status": "strength_status",
    "strength.weeks_consistent": "strength_weeks",
    "knee.pain": "knee_pain",
    "knee.severity": "knee_pain_severity",
    "knee.extension_deficit": "knee_extension_deficit",
    "hips.alignment": "hip_alignment",
    "current_shoe.drop_mm": "current_drop_mm",
    "current_shoe.support": "current_support",
    "orthotics.clinician_prescribed": "orthotics_prescribed",
    "preferences.max_price_usd": "max_price_usd",
    "preferences.cushioning": "cushioning_pref",
    "preferences.use": "use",  # SPEC §7.2 flat form
}


def test_fields_are_the_spec_fields() -> None:
    assert {f.path for f in FIELDS} == SPEC_PATHS


def test_flat_column_names_follow_spec() -> None:
    for f in FIELDS:
        expected = SHORT_FORMS.get(f.path, f.path.replace(".", "_"))
        assert f.column == expected, (f.path, f.column, expected)


# -------------------------------------------------------------------------- defaults
def test_defaults() -> None:
    p = parse_profile({})
    assert p.runner_id == "runner"
    assert p.width == "standard"
    assert p.running.terrain == "road"
    assert p.strength.status == "weak"
    # everything else is unknown
    assert p.knee.severity is None and p.gait.pronation is None
    assert p.tight == () and p.red_flags == ()


def test_explicit_values_override_defaults() -> None:
    p = parse_profile({"runner_id": "r1", "width": "wide", "running": {"terrain": "trail"},
                       "strength": {"status": "strong"}})
    assert (p.runner_id, p.width, p.running.terrain, p.strength.status) == (
        "r1", "wide", "trail", "strong")


@pytest.mark.parametrize("path", sorted(PROFILES.glob("*.json")), ids=lambda p: p.stem)
def test_shipped_profiles_parse(path) -> None:
    parse_profile(json.loads(path.read_text(encoding="utf-8")))


# ---------------------------------------------------------------------- unknown keys
def test_unknown_top_level_key() -> None:
    errs = errors_of({"shoe_sise_us": 9})
    assert "shoe_sise_us" in errs


@pytest.mark.parametrize(("data", "field"), [
    ({"knee": {"painful": True}}, "knee.painful"),
    ({"gait": {"pronation": "over", "supination": "no"}}, "gait.supination"),
    ({"strength": {"weeks": 6}}, "strength.weeks"),
    ({"preferences": {"max_price": 100}}, "preferences.max_price"),
    ({"current_shoe": {"drop": 10}}, "current_shoe.drop"),
])
def test_unknown_nested_key_names_the_dotted_field(data: dict[str, Any], field: str) -> None:
    assert field in errors_of(data)


def test_every_violation_is_reported() -> None:
    errs = errors_of({"age": 5, "knee": {"severity": 11, "side": "middle"}, "foo": 1})
    assert {"age", "knee.severity", "knee.side", "foo"} <= set(errs)


# ------------------------------------------------------------------------ wrong types
@pytest.mark.parametrize(("data", "field"), [
    ({"age": "34"}, "age"),  # string for int
    ({"knee": {"severity": "5"}}, "knee.severity"),
    ({"running": {"runs_per_week": 5.5}}, "running.runs_per_week"),  # 5.5 for an int
    ({"gait": {"cadence_spm": 170.5}}, "gait.cadence_spm"),
    ({"knee": {"pain": 1}}, "knee.pain"),  # number for bool
    ({"gait": {"overstriding": "yes"}}, "gait.overstriding"),  # text for bool in JSON
    ({"orthotics": {"clinician_prescribed": 0}}, "orthotics.clinician_prescribed"),
    ({"age": True}, "age"),  # bool for int
    ({"body_mass_kg": [70]}, "body_mass_kg"),
    ({"tight": "hamstrings"}, "tight"),  # text for a list
    ({"red_flags": [1]}, "red_flags"),
    ({"knee": 5}, "knee"),  # a number for a section
    ({"runner_id": 7}, "runner_id"),
    ({"body_mass_kg": float("nan")}, "body_mass_kg"),
    ({"running": {"weekly_km": float("inf")}}, "running.weekly_km"),
])
def test_wrong_types_are_errors(data: dict[str, Any], field: str) -> None:
    assert field in errors_of(data)


def test_whole_float_for_int_is_accepted() -> None:
    assert parse_profile({"running": {"runs_per_week": 4.0}}).running.runs_per_week == 4


def test_not_an_object() -> None:
    for bad in ([], "profile", 3, None):
        with pytest.raises(ProfileError):
            parse_profile(bad)


# ---------------------------------------------------------------- ranges and enums
def test_out_of_range_message_exactly() -> None:
    errs = errors_of({"knee": {"severity": 11}})
    assert "knee.severity: 11 is above the maximum 10" in [f"{k}: {v}" for k, v in errs.items()]
    with pytest.raises(ProfileError, match=r"knee\.severity: 11 is above the maximum 10"):
        parse_profile({"knee": {"severity": 11}})


def test_enum_message_exactly() -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile({"gait": {"pronation": "overpronated"}})
    assert [str(e) for e in info.value.errors] == [
        "gait.pronation: 'overpronated' is not one of over, neutral, under, unknown"]


@pytest.mark.parametrize(("data", "field"), [
    ({"age": 11}, "age"),
    ({"age": 96}, "age"),
    ({"knee": {"severity": -1}}, "knee.severity"),
    ({"gait": {"cadence_spm": 119}}, "gait.cadence_spm"),
    ({"gait": {"cadence_spm": 231}}, "gait.cadence_spm"),
    ({"strength": {"single_leg_balance_s": 600.5}}, "strength.single_leg_balance_s"),
    ({"current_shoe": {"drop_mm": 16.5}}, "current_shoe.drop_mm"),
    ({"running": {"recent_load_increase_pct": -5}}, "running.recent_load_increase_pct"),
    ({"preferences": {"max_price_usd": 0}}, "preferences.max_price_usd"),  # "> 0"
    ({"preferences": {"max_price_usd": -20}}, "preferences.max_price_usd"),
    ({"shoe_size_us": 3.5}, "shoe_size_us"),
    ({"shoe_size_us": 16.5}, "shoe_size_us"),
])
def test_out_of_range(data: dict[str, Any], field: str) -> None:
    assert field in errors_of(data)


def test_range_bounds_are_inclusive() -> None:
    p = parse_profile({"age": 12, "knee": {"severity": 10}, "gait": {"cadence_spm": 230},
                       "strength": {"weeks_consistent": 0, "single_leg_balance_s": 600}})
    assert (p.age, p.knee.severity, p.gait.cadence_spm) == (12, 10, 230)


@pytest.mark.parametrize(("data", "field"), [
    ({"body_mass_kg": 10**400}, "body_mass_kg"),  # valid JSON: 1 followed by 400 zeros
    ({"age": 10**400}, "age"),
    ({"running": {"weekly_km": -(10**400)}}, "running.weekly_km"),
])
def test_numbers_too_large_for_a_float_are_field_errors(data: dict[str, Any],
                                                        field: str) -> None:
    """JSON allows arbitrarily long whole numbers; they are out of range, not a crash."""
    assert field in errors_of(data)


def test_max_price_has_no_upper_bound() -> None:
    """SPEC §2.1 fixes max_price_usd only as "float > 0"."""
    p = parse_profile({"preferences": {"max_price_usd": 25_000}})
    assert p.preferences.max_price_usd == 25_000


@pytest.mark.parametrize(("data", "field"), [
    ({"width": "narrow"}, "width"),
    ({"sex": "f"}, "sex"),
    ({"running": {"terrain": "track"}}, "running.terrain"),
    ({"strength": {"status": "Strong"}}, "strength.status"),  # case matters
    ({"knee": {"aggravators": ["stairs", "jumping"]}}, "knee.aggravators"),
    ({"tight": ["it_band"]}, "tight"),
    ({"red_flags": ["swelling"]}, "red_flags"),
    ({"hips": {"alignment": "uneven"}}, "hips.alignment"),
    ({"current_shoe": {"support": "max_support"}}, "current_shoe.support"),
    ({"tight": ["calves", "calves"]}, "tight"),  # listed twice
])
def test_unknown_enum_values(data: dict[str, Any], field: str) -> None:
    assert field in errors_of(data)


@pytest.mark.parametrize("size", [4, 4.5, 9, 9.5, 10.0, 15.5, 16])
def test_half_sizes_accepted(size: float) -> None:
    assert parse_profile({"shoe_size_us": size}).shoe_size_us == size


@pytest.mark.parametrize("size", [9.25, 9.7, 10.1])
def test_non_half_sizes_rejected(size: float) -> None:
    assert "shoe_size_us" in errors_of({"shoe_size_us": size})


def test_runner_id_cannot_be_blank() -> None:
    assert "runner_id" in errors_of({"runner_id": "  "})
    assert "runner_id" in errors_of({"runner_id": ""})


# ---------------------------------------------------------------------- flat ↔ nested
@pytest.mark.parametrize("path", sorted(PROFILES.glob("*.json")), ids=lambda p: p.stem)
def test_flat_round_trip_shipped_profiles(path) -> None:
    prof = parse_profile(json.loads(path.read_text(encoding="utf-8")))
    flat = profile_to_flat(prof)
    assert set(flat) == {f.column for f in FIELDS}
    assert profile_from_flat(flat) == prof
    assert parse_profile(profile_to_dict(prof)) == prof


@settings(max_examples=100, deadline=None)
@given(valid_profiles())
def test_flat_round_trip_generated(data: dict[str, Any]) -> None:
    prof = parse_profile(data)
    assert profile_from_flat(profile_to_flat(prof)) == prof
    # only the known columns, with non-null values, also round trip
    sparse = {k: v for k, v in profile_to_flat(prof).items() if v not in (None, ())}
    assert profile_from_flat(sparse) == prof


def test_flat_text_cells() -> None:
    """A flat file row as text: booleans in words, ';'-separated lists, numbers as text."""
    row = {
        "runner_id": "csv-1", "running_runs_per_week": "4", "gait_overstriding": "yes",
        "gait_on_toes": "0", "knee_pain": "true", "knee_pain_severity": "6",
        "tight": "hamstrings;calves", "knee_aggravators": "stairs; running",
        "strength_weeks": "6", "strength_status": "building", "hip_alignment": "uneven_new",
        "current_drop_mm": "10", "orthotics_prescribed": "no", "max_price_usd": "140",
        "cushioning_pref": "soft", "shoe_size_us": "9.5", "preferences_brands": "Hoka;Brooks",
        "red_flags": "",
    }
    p = profile_from_flat(row)
    assert isinstance(p, Profile)
    assert p.runner_id == "csv-1"
    assert p.running.runs_per_week == 4
    assert p.gait.overstriding is True and p.gait.on_toes is False
    assert p.knee.pain is True and p.knee.severity == 6
    assert p.tight == ("hamstrings", "calves")
    assert p.knee.aggravators == ("stairs", "running")
    assert p.strength.weeks_consistent == 6 and p.strength.status == "building"
    assert p.hips.alignment == "uneven_new"
    assert p.current_shoe.drop_mm == 10
    assert p.orthotics.clinician_prescribed is False
    assert p.preferences.max_price_usd == 140 and p.preferences.cushioning == "soft"
    assert p.shoe_size_us == 9.5
    assert p.preferences.brands == ("Hoka", "Brooks")
    assert p.red_flags == ()


def test_flat_errors_name_the_column() -> None:
    errs = flat_errors_of({"runner_id": "x", "knee_pain_severity": "11",
                           "gait_overstriding": "maybe", "tight": "calves;it_band",
                           "favourite_colour": "red"})
    assert {"knee_pain_severity", "gait_overstriding", "tight", "favourite_colour"} <= set(errs)
    assert errs["knee_pain_severity"] == "11 is above the maximum 10"


def test_flat_and_nested_agree(tmp_path) -> None:
    nested = {"runner_id": "same", "knee": {"pain": True, "severity": 3,
                                            "extension_deficit": "left"},
              "strength": {"weeks_consistent": 7}, "hips": {"alignment": "level"},
              "current_shoe": {"support": "stability"}, "preferences": {"cushioning": "max"}}
    flat = {"runner_id": "same", "knee_pain": True, "knee_pain_severity": 3,
            "knee_extension_deficit": "left", "strength_weeks": 7, "hip_alignment": "level",
            "current_support": "stability", "cushioning_pref": "max"}
    assert profile_from_flat(flat) == parse_profile(nested)
