"""Texts never state a number the runner did not give."""

from __future__ import annotations

from recommender import recommend


def test_unknown_weeks_are_not_reported_as_zero(catalog) -> None:
    rec = recommend({"knee": {"pain": True}}, catalog=catalog)
    text = rec.gate.unlock_when[0]
    assert "you have 0" not in text and "not said" in text


def test_known_weeks_are_quoted(catalog) -> None:
    rec = recommend({"strength": {"weeks_consistent": 3}}, catalog=catalog)
    assert "(you have 3)" in rec.gate.unlock_when[0]
