"""recommender.app_support: the questionnaire's steps and the answers ↔ profile mapping."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from recommender import load_profile, parse_profile, recommend
from recommender.app_support import (
    STEPS,
    answer_choices,
    answers_to_profile_dict,
    profile_to_answers,
    score_points,
    split_exclusions,
    step_fields,
)
from recommender.rules import GATE_RULE_ID
from recommender.spec.profile import FIELDS

PROFILES = sorted((Path(__file__).resolve().parents[2] / "data" / "profiles").glob("*.json"))


def test_every_profile_field_is_asked_exactly_once():
    asked = [p for s in STEPS for p in s.paths]
    assert sorted(asked) == sorted(f.path for f in FIELDS)
    assert len(asked) == len(set(asked))
    assert "strength.single_leg_balance_s" in step_fields("self_tests")


def test_dont_know_is_omitted_never_guessed():
    answers = {"knee.pain": None, "knee.severity": 4, "gait.pronation": "unknown",
               "tight": [], "runner_id": "  ", "hips.alignment": "uneven_new"}
    assert answers_to_profile_dict(answers) == {"knee": {"severity": 4},
                                                "hips": {"alignment": "uneven_new"}}
    assert "unknown" not in answer_choices("gait.pronation")
    assert answer_choices("hips.alignment") == ("level", "uneven_longstanding", "uneven_new")


def test_unknown_paths_reach_the_parser_and_are_named():
    from recommender import ProfileError

    with pytest.raises(ProfileError, match="shoe_colour"):
        parse_profile(answers_to_profile_dict({"shoe_colour": "red"}))


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_answers_round_trip_the_shipped_profiles(path):
    profile = load_profile(str(path))
    answers = profile_to_answers(profile)
    assert set(answers) == {f.path for f in FIELDS}
    assert parse_profile(answers_to_profile_dict(answers)) == profile


def test_score_points_add_up_to_the_score():
    rec = recommend(load_profile(str(PROFILES[0])))
    points = score_points(rec)
    totals = points.group_by("shoe_id").agg(pl.col("points").sum())
    by_id = dict(totals.iter_rows())
    for shoe in rec.recommendations:
        assert by_id[shoe.shoe_id] == pytest.approx(shoe.score, abs=0.05)
    assert points.get_column("value").is_between(0, 1).all()


def test_split_exclusions_separates_the_gate():
    rec = recommend({"knee": {"pain": True}, "running": {"terrain": "trail"}})
    locked, others = split_exclusions(rec.excluded)
    assert locked and all(e.rule == GATE_RULE_ID for e in locked)
    assert others["terrain"] == sum(1 for e in rec.excluded if e.rule == "terrain")
    assert GATE_RULE_ID not in others
