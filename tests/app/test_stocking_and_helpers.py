"""The library helpers added for the app: what to stock next (``recommender.stocking``),
"why not my shoe?", exclusion counts, units, sizes, field-by-field checks, the address."""

from __future__ import annotations

import polars as pl
import pytest

from recommender import recommend
from recommender.app_support import (
    applicable_answers,
    check_answers,
    decode_answers,
    encode_answers,
    kg_to_lb,
    km_to_mi,
    lb_to_kg,
    mi_to_km,
    runner_row,
    runners_csv,
    separator_hint,
    size_to_us,
    summarise_exclusions,
    why_not,
)
from recommender.catalog import load_catalog
from recommender.stocking import greedy_stock


def test_greedy_stock_picks_the_widest_reach_first_and_never_counts_twice():
    pairs = pl.DataFrame({"runner_id": ["a", "b", "c", "c", "d", "a"],
                          "shoe_id": ["x", "x", "x", "y", "y", "z"]})
    sizes = pl.DataFrame({"runner_id": ["a", "b", "c", "d"],
                          "shoe_size_us": [9.0, 9.0, 10.0, 8.0],
                          "width": ["standard", "standard", "wide", "standard"]})
    picks = greedy_stock(pairs, ["a", "b", "c", "d"], k=3, sizes=sizes)
    assert picks.get_column("shoe_id").to_list() == ["x", "y"]  # z adds nobody new
    assert picks.get_column("new_runners").to_list() == [3, 1]
    assert picks.get_column("share_reached").to_list() == [0.75, 1.0]
    assert picks.get_column("sizes")[0].startswith("US 9 standard ×2")
    assert greedy_stock(pairs, ["a", "b"], k=2, exclude=["x"]).get_column(
        "shoe_id").to_list() == ["z"]
    with pytest.raises(ValueError):
        greedy_stock(pairs, ["a"], k=0)


def test_why_not_and_exclusion_counts():
    cat = load_catalog()
    rec = recommend({"knee": {"pain": True}, "running": {"terrain": "trail"}}, catalog=cat)
    top = rec.recommendations[0].shoe_id
    assert why_not(rec, top).status == "recommended" and why_not(rec, top).rank == 1
    road = cat.frame.filter(pl.col("terrain") == "road").get_column("shoe_id")[0]
    answer = why_not(rec, road)
    assert answer.status == "excluded" and any("terrain" in r.lower() for r in answer.reasons)
    model_of = {r[0]: f"{r[1]} {r[2]}" for r in
                cat.frame.select("shoe_id", "brand", "model").iter_rows()}
    ex = summarise_exclusions(rec, model_of)
    assert ex.left_out_shoes <= len(cat)
    assert ex.versions_of_shown + ex.versions_other == sum(
        e.rule == "same_model" for e in rec.excluded)
    terrain = dict(cat.frame.select("shoe_id", "terrain").iter_rows())
    assert all(terrain[e.shoe_id] == "trail" for e in ex.locked)


def test_units_sizes_and_checks():
    assert km_to_mi(mi_to_km(20)) == pytest.approx(20)
    assert lb_to_kg(kg_to_lb(70)) == pytest.approx(70)
    assert size_to_us(40, "eu", "womens") == (8.5, None)
    assert size_to_us(8.0, "uk", None, "male") == (9.0, None)
    us, problem = size_to_us(9.3, "us", "mens")
    assert us is None and "9.3" in problem
    profile, errors = check_answers({"age": 5, "knee.pain": True, "gait.cadence_spm": 90})
    assert set(errors) == {"age", "gait.cadence_spm"}
    assert profile == {"knee": {"pain": True}}
    applied = applicable_answers({"orthotics.uses": False, "orthotics.clinician_prescribed": True,
                                  "current_shoe.shoe_id": "saucony-kinvara-14",
                                  "current_shoe.drop_mm": 4.0})
    assert applied["orthotics.clinician_prescribed"] is None
    assert applied["current_shoe.drop_mm"] is None
    answers = {"knee.pain": True, "tight": ["calves"], "shoe_size_us": 9.5}
    assert decode_answers(encode_answers(answers)) == answers
    assert decode_answers("not base64!!") == {}


def test_runner_rows_and_separator_hint():
    from recommender import parse_profile

    row = runner_row(parse_profile({"runner_id": "me", "knee": {"pain": True},
                                    "tight": ["calves", "hamstrings"]}))
    assert row["runner_id"] == "me" and row["knee_pain"] == "true"
    assert row["tight"] == "calves;hamstrings"
    text = runners_csv([row]).decode()
    assert text.splitlines()[0].startswith("runner_id,")
    assert "semicolons" in separator_hint(["sku;shoe_id;size_us"])
    assert separator_hint(["sku", "shoe_id"]) is None
