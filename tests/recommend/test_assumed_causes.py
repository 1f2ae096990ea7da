"""#17 "guessing while saying nothing is guessed": a cause that rests on a documented default
(an unanswered field, SPEC §2.1) is marked as such by the engine, and the reports say so."""

from __future__ import annotations

import pytest

from recommender import parse_profile, recommend
from recommender.spec.profile import profile_to_dict
from recommender.testing.checks import check_result_shape
from recommender.validate.profile import replace

PAIN = {"knee": {"pain": True}}


def _cause(rec, cause_id):
    return next((c for c in rec.likely_causes if c.id == cause_id), None)


def test_the_parser_records_which_defaults_it_filled():
    p = parse_profile({"knee": {"pain": True}, "width": "wide"})
    assert p.defaulted == {"running.terrain", "strength.status", "preferences.use"}
    assert parse_profile({"strength": {"status": "weak"}}).defaulted.isdisjoint(
        {"strength.status"})
    # an explicit null is unknown, so the default is assumed as well
    assert "strength.status" in parse_profile({"strength": {"status": None}}).defaulted


def test_defaults_survive_a_round_trip_and_replace():
    p = parse_profile(PAIN)
    assert "strength" not in profile_to_dict(p)
    assert parse_profile(profile_to_dict(p)).defaulted == p.defaulted
    q = replace(p, **{"strength.status": "weak"})
    assert q == p and "strength.status" not in q.defaulted


def test_strength_unanswered_marks_hip_strength_as_assumed():
    rec = recommend(PAIN)
    hip = _cause(rec, "hip_weakness")
    assert hip is not None and hip.assumed and hip.defaults == ["strength.status"]
    d = rec.to_dict()
    check_result_shape(d)
    assert _cause_dict(d, "hip_weakness")["assumed"] is True
    assert "Not answered yet — based on the default strength status" in rec.to_markdown()
    assert "Not answered yet — based on the default strength status" in rec.to_text()


def test_strength_answered_weak_is_not_assumed():
    rec = recommend({**PAIN, "strength": {"status": "weak"}})
    hip = _cause(rec, "hip_weakness")
    assert hip is not None and not hip.assumed and hip.defaults == []
    assert "based on the default" not in rec.to_markdown()


@pytest.mark.parametrize("status", ["building", "strong"])
def test_other_strength_answers_do_not_name_the_cause_from_status(status):
    rec = recommend({**PAIN, "strength": {"status": status}})
    assert _cause(rec, "hip_weakness") is None


def test_own_evidence_keeps_the_cause_but_names_the_default_line():
    rec = recommend({**PAIN, "strength": {"single_leg_squat_ok": False}})
    hip = _cause(rec, "hip_weakness")
    assert not hip.assumed and hip.defaults == ["strength.status"]
    assert "Partly based on a default" in rec.to_markdown()


def test_stability_shoe_before_strength_rests_on_the_default_too():
    rec = recommend({**PAIN, "current_shoe": {"support": "stability"}})
    assert _cause(rec, "footwear").assumed
    rec = recommend({**PAIN, "current_shoe": {"support": "stability"},
                     "strength": {"status": "weak"}})
    assert not _cause(rec, "footwear").assumed


def test_causes_that_read_no_default_are_never_assumed():
    rec = recommend({**PAIN, "gait": {"overstriding": True},
                     "running": {"recent_load_increase_pct": 50}})
    for cid in ("running_form", "overuse"):
        c = _cause(rec, cid)
        assert c is not None and not c.assumed and c.defaults == [], c


def _cause_dict(d, cause_id):
    return next(c for c in d["likely_causes"] if c["id"] == cause_id)
