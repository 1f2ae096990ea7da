"""``recommend``: one runner's profile → the complete, explained answer (SPEC §4).

The runner becomes a frame of one; features, scoring and the plan are the same vectorised
code that batch scoring runs over chunks of many runners.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import polars as pl

from ..catalog import Catalog, load_catalog
from ..core import plan as planmod
from ..core._polars import collect_small
from ..core.features import derive
from ..core.pairs import COMPONENT_PREFIX, EXCLUDE_PREFIX, REASONS_COLUMN, score_pairs
from ..errors import FieldError, ProfileError
from ..io.profile import load_profile
from ..rules.causes import CAUSES
from ..rules.components import COMPONENT_NAMES
from ..rules.cues import CUES
from ..rules.exercises import EXERCISES
from ..rules.expr import F, P, num
from ..rules.filters import FILTERS, SAME_MODEL_RULE_ID, SAME_MODEL_TEXT
from ..rules.insoles import INSOLE_TEXT
from ..rules.sources import ROTATION_MIN_DIFF_MM, TRANSITION_MM
from ..rules.texts import GATE_TEXT, ROTATION_TEXT, TRANSITION_TEXT
from ..spec.profile import Profile, profiles_to_frame
from ..spec.vocab import R, S
from ..validate.profile import parse_profile
from .result import (
    Excluded,
    ExercisePlan,
    FormCue,
    Gate,
    Insoles,
    LikelyCause,
    Recommendation,
    Referral,
    Rotation,
    ShoeRecommendation,
    Transition,
)

SHOE_OUT = (S.shoe_id, S.brand, S.model, S.version, S.support, S.drop_mm, S.heel_stack_mm,
            S.msrp_usd, S.terrain)


def _profile_of(profile: Profile | Mapping[str, Any] | str | os.PathLike[str]) -> Profile:
    if isinstance(profile, Profile):
        return profile
    if isinstance(profile, Mapping):
        return parse_profile(profile)
    return load_profile(str(profile))


def _catalog_of(catalog: Catalog | str | os.PathLike[str] | None) -> Catalog:
    if isinstance(catalog, Catalog):
        return catalog
    return load_catalog(catalog)


def recommend(profile: Profile | Mapping[str, Any] | str | os.PathLike[str],
              catalog: Catalog | str | os.PathLike[str] | None = None, top: int = 5,
              weights: Mapping[str, float] | None = None,
              one_per_model: bool = True) -> Recommendation:
    """Recommend shoes, a plan and form cues for one runner.

    ``profile``: a :class:`Profile`, a nested JSON mapping or a path to a JSON file.
    ``catalog``: a :class:`Catalog`, a path, or ``None`` for the shipped catalog.
    ``one_per_model``: list only the best-scoring version of each model (brand + model),
    so the shortlist is five different shoes, not five versions of one; the rotation shoe
    is also another model.
    Bad input raises :class:`ProfileError` naming the field.
    """
    if top < 1:
        raise ValueError("top must be at least 1")
    prof = _profile_of(profile)
    cat = _catalog_of(catalog)
    shoe_id = prof.current_shoe.shoe_id
    if shoe_id is not None and shoe_id not in set(cat.ids):
        raise ProfileError([FieldError("current_shoe.shoe_id",
                                       f"{shoe_id!r} is not in the catalog")])
    feats = collect_small(derive(profiles_to_frame([prof]), cat.frame))
    pairs = feats.lazy().join(
        cat.frame.lazy().with_columns(pl.col(S.msrp_usd).alias(P.price)), how="cross")
    scored = collect_small(score_pairs(pairs, weights, explain=True).select(_RESULT_COLUMNS))
    rows = scored.rows(named=True)
    ranked = sorted((r for r in rows if r[P.eligible]), key=lambda r: (-r[P.score], r[S.shoe_id]))
    superseded: list[Excluded] = []
    if one_per_model:
        best: dict[tuple[str, str], dict[str, Any]] = {}
        kept = []
        for r in ranked:
            key = (r[S.brand], r[S.model])
            if key in best:
                b = best[key]
                superseded.append(Excluded(r[S.shoe_id], SAME_MODEL_RULE_ID, SAME_MODEL_TEXT.format(
                    better=f"{b[S.brand]} {b[S.model]} {b[S.version]}")))
            else:
                best[key] = r
                kept.append(r)
        ranked = kept
    plan_row = planmod.evaluate(feats.lazy()).row(0, named=True)
    frow = feats.row(0, named=True)
    recs = [_shoe(r) for r in ranked[:top]]
    return Recommendation(
        runner_id=prof.runner_id,
        catalog_version=cat.version,
        referral=Referral(bool(frow[F.referral]), list(plan_row[planmod.REFERRAL_REASONS])),
        gate=_gate(frow, plan_row),
        likely_causes=[LikelyCause(c.id, c.label, list(plan_row[f"{planmod.EVIDENCE}{c.id}"]))
                       for c in CAUSES if plan_row[f"{planmod.CAUSE}{c.id}"]],
        recommendations=recs,
        excluded=sorted([Excluded(r[S.shoe_id], f.id, r[f"{EXCLUDE_PREFIX}{f.id}"])
                         for r in rows for f in FILTERS
                         if r[f"{EXCLUDE_PREFIX}{f.id}"] is not None] + superseded,
                        key=lambda e: (e.shoe_id, _RULE_ORDER[e.rule])),
        insoles=_insoles(frow, plan_row),
        form_cues=[FormCue(c.id, plan_row[f"{planmod.CUE_TEXT}{c.id}"]) for c in CUES
                   if plan_row[f"{planmod.CUE}{c.id}"]],
        exercises=[ExercisePlan(e.id, e.name, e.dose, e.why,
                                list(plan_row[f"{planmod.TARGETS}{e.id}"])
                                if e.targets is not None else None)
                   for e in EXERCISES if plan_row[f"{planmod.EXERCISE}{e.id}"]],
        transition=_transition(frow, recs),
        rotation=_rotation(ranked, recs),
        profile=prof,
    )


_RESULT_COLUMNS = [*SHOE_OUT, S.brand, P.eligible, P.score, REASONS_COLUMN,
                   *[f"{COMPONENT_PREFIX}{n}" for n in COMPONENT_NAMES],
                   *[f"{EXCLUDE_PREFIX}{f.id}" for f in FILTERS]]
_RESULT_COLUMNS = list(dict.fromkeys(_RESULT_COLUMNS))
_RULE_ORDER = {**{f.id: i for i, f in enumerate(FILTERS)}, SAME_MODEL_RULE_ID: len(FILTERS)}


def _shoe(row: dict[str, Any]) -> ShoeRecommendation:
    comps = {n: round(float(row[f"{COMPONENT_PREFIX}{n}"]), 4) for n in COMPONENT_NAMES}
    return ShoeRecommendation(**{k: row[k] for k in SHOE_OUT}, score=float(row[P.score]),
                              components=comps, reasons=list(row[REASONS_COLUMN]))


def _gate(frow: dict[str, Any], plan_row: dict[str, Any]) -> Gate:
    established = bool(frow[F.established])
    prescribed = bool(frow[R.orthotics_prescribed])
    reason = GATE_TEXT["established" if established else "locked"]
    if prescribed and not established:
        reason += GATE_TEXT["prescribed"]
    return Gate(stability_allowed=established, orthotics_allowed=bool(frow[F.orthotics_allowed]),
                reason=reason, unlock_when=list(plan_row[planmod.GATE_UNMET]))


def _insoles(frow: dict[str, Any], plan_row: dict[str, Any]) -> Insoles:
    if frow[R.orthotics_prescribed]:
        return Insoles(True, INSOLE_TEXT["prescribed"])
    if frow[F.insole]:
        need = " and ".join(plan_row[planmod.SUPPORT_NEED_TEXTS])
        return Insoles(True, INSOLE_TEXT["needed"].format(need=need))
    if not frow[F.established]:
        return Insoles(False, INSOLE_TEXT["locked"])
    return Insoles(False, INSOLE_TEXT["not_needed"])


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


def _transition(frow: dict[str, Any], recs: list[ShoeRecommendation]) -> Transition:
    if not recs:
        return Transition(False, TRANSITION_TEXT["none"])
    current = frow[F.current_drop]
    if current is None:
        return Transition(False, TRANSITION_TEXT["unknown"])
    new = recs[0].drop_mm
    diff = abs(new - current)
    if diff > TRANSITION_MM:
        return Transition(True, TRANSITION_TEXT["needed"].format(
            new=_fmt(new), diff=_fmt(diff), direction="lower" if new < current else "higher",
            cur=_fmt(current)))
    return Transition(False, TRANSITION_TEXT["small"].format(diff=_fmt(TRANSITION_MM),
                                                             cur=_fmt(current)))


def _rotation(ranked: list[dict[str, Any]], recs: list[ShoeRecommendation]) -> Rotation | None:
    """Rule 9: the best-ranked other shoe whose drop differs from the first's."""
    if not recs:
        return None
    first = recs[0]
    for row in ranked:
        if row[S.shoe_id] != first.shoe_id and \
                abs(row[S.drop_mm] - first.drop_mm) >= ROTATION_MIN_DIFF_MM:
            return Rotation(row[S.shoe_id], ROTATION_TEXT.format(
                model=f"{row[S.brand]} {row[S.model]} {row[S.version]}",
                drop=_fmt(row[S.drop_mm]), first=_fmt(first.drop_mm)))
    return None


__all__ = ["Recommendation", "num", "recommend"]
