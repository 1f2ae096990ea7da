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


def test_one_version_per_model_unless_asked(catalog) -> None:
    prof = {"knee": {"pain": True}, "running": {"runs_per_week": 4}}
    rec = recommend(prof, catalog=catalog, top=10)
    models = [(r.brand, r.model) for r in rec.recommendations]
    assert len(models) == len(set(models)) == 10
    every = recommend(prof, catalog=catalog, top=10, one_per_model=False)
    assert every.recommendations[0].score >= rec.recommendations[0].score
    assert [r.score for r in every.recommendations] == sorted(
        (r.score for r in every.recommendations), reverse=True)
    if rec.rotation:
        first = rec.recommendations[0]
        alt = next(r for r in catalog.frame.iter_rows(named=True)
                   if r["shoe_id"] == rec.rotation.shoe_id)
        assert (alt["brand"], alt["model"]) != (first.brand, first.model)
