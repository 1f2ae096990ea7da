"""``recommend``: one runner's profile → the complete, explained answer (SPEC §4).

The runner becomes a frame of one; features, scoring and the plan are the same vectorised
code that batch scoring runs over chunks of many runners.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from ..catalog import Catalog, load_catalog
from ..core import plan as planmod
from ..core import ranking
from ..core._polars import collect_small
from ..core.features import derive
from ..core.pairs import COMPONENT_PREFIX, EXCLUDE_PREFIX, REASONS_COLUMN, score_pairs
from ..errors import FieldError, ProfileError
from ..io.profile import load_profile
from ..rules.assessment import ASSESSMENT_NOTE
from ..rules.causes import CAUSES
from ..rules.components import COMPONENT_NAMES, COMPONENTS
from ..rules.conflicts import CONFLICTS
from ..rules.cues import CUES
from ..rules.exercises import EXERCISES
from ..rules.expr import F, P, num
from ..rules.filters import FILTERS, SAME_MODEL_RULE_ID, SAME_MODEL_TEXT
from ..rules.gate import GATE_SOURCES
from ..rules.insoles import INSOLE_ADVICE
from ..rules.load import PAIN_RULE, PAIN_RULE_SOURCES
from ..rules.programme import PHASES
from ..rules.reasons import REASON_SOURCES
from ..rules.sources import ROTATION_MIN_DIFF_MM, SOURCES
from ..rules.texts import GATE_TEXT, REFERRAL_HOLD, ROTATION_TEXT
from ..rules.transition import TRANSITION_SOURCES
from ..spec.profile import BY_PATH, Profile, get_path, profiles_to_frame
from ..spec.vocab import R, S
from ..validate.profile import parse_profile
from .result import (
    Assessment,
    Conflict,
    Excluded,
    ExercisePlan,
    FormCue,
    Gate,
    Insoles,
    LikelyCause,
    Load,
    Phase,
    Recommendation,
    Referral,
    Rotation,
    ShoeRecommendation,
    Transition,
)

SHOE_OUT = (S.shoe_id, S.brand, S.model, S.version, S.release_year, S.role, S.support,
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
              one_per_model: bool = True,
              referral_reasons: Sequence[str] = ()) -> Recommendation:
    """Recommend shoes, a plan and form cues for one runner.

    ``profile``: a :class:`Profile`, a nested JSON mapping or a path to a JSON file.
    ``catalog``: a :class:`Catalog`, a path, or ``None`` for the shipped catalog.
    ``one_per_model``: list only the best version of each model (brand + model; the current
    version wins at equal fit), so the shortlist is five different shoes; the rotation shoe
    is also another model. Bad input raises :class:`ProfileError` naming the field.
    ``referral_reasons``: findings from outside the profile that require a clinician first
    (the runner's journal: :func:`recommender.journal.recommend_with_progress`). Each is added
    to ``referral.reasons`` and holds the whole answer exactly as a red flag does (SPEC §3.3,
    §7.3): ``referral.required``, no transition and no "start now" load advice.
    """
    if top < 1:
        raise ValueError("top must be at least 1")
    prof = _profile_of(profile)
    cat = _catalog_of(catalog)
    shoe_id = prof.current_shoe.shoe_id
    if shoe_id is not None and shoe_id not in set(cat.ids):
        raise ProfileError([FieldError("current_shoe.shoe_id",
                                       f"{shoe_id!r} is not in the catalog")])
    outside = [str(r) for r in referral_reasons]
    feats = collect_small(derive(profiles_to_frame([prof]), cat.frame))
    if outside:  # the one referral feature every rule reads (transition, load, the hold)
        feats = feats.with_columns(pl.lit(True).alias(F.referral))
    pairs = feats.lazy().join(
        cat.frame.lazy().with_columns(pl.col(S.msrp_usd).alias(P.price)), how="cross")
    scored = collect_small(score_pairs(pairs, weights, explain=True).select(_RESULT_COLUMNS))
    ranked = scored.filter(pl.col(P.eligible)).sort([P.score, S.shoe_id],
                                                     descending=[True, False])
    superseded: list[Excluded] = []
    if one_per_model:
        ranked, others = ranking.one_per_model(ranked)
        ranked = ranked.sort([P.score, S.shoe_id], descending=[True, False])
        superseded = [Excluded(r[S.shoe_id], SAME_MODEL_RULE_ID,
                               SAME_MODEL_TEXT.format(better=r["better"]))
                      for r in others.iter_rows(named=True)]
    shortlist = ranking.with_relative_reasons(ranked.head(top), REASONS_COLUMN)
    plan_row = planmod.evaluate(feats.lazy()).row(0, named=True)
    frow = feats.row(0, named=True)
    recs = [_shoe(r) for r in shortlist.iter_rows(named=True)]
    referral = bool(frow[F.referral])
    excluded = sorted([Excluded(r[S.shoe_id], f.id, r[f"{EXCLUDE_PREFIX}{f.id}"])
                       for r in scored.iter_rows(named=True) for f in FILTERS
                       if r[f"{EXCLUDE_PREFIX}{f.id}"] is not None] + superseded,
                      key=lambda e: (e.shoe_id, _RULE_ORDER[e.rule]))
    causes = [c for c in CAUSES if plan_row[f"{planmod.CAUSE}{c.id}"]]
    cues = [c for c in CUES if plan_row[f"{planmod.CUE}{c.id}"]]
    exercises = [e for e in EXERCISES if plan_row[f"{planmod.EXERCISE}{e.id}"]]
    conflicts = [c for c in CONFLICTS if plan_row[f"{planmod.CONFLICT}{c.id}"]]
    assessment = list(plan_row[planmod.ASSESSMENT])
    rotation = _rotation(ranked, recs)
    return Recommendation(
        runner_id=prof.runner_id,
        catalog_version=cat.version,
        referral=Referral(referral, [*plan_row[planmod.REFERRAL_REASONS], *outside],
                          REFERRAL_HOLD if referral else None),
        gate=_gate(frow, plan_row),
        likely_causes=_likely_causes(prof, cat, causes, plan_row),
        recommendations=recs,
        excluded=excluded,
        insoles=Insoles(bool(plan_row[planmod.INSOLE_RECOMMENDED]), plan_row[planmod.INSOLE_TEXT]),
        form_cues=[FormCue(c.id, plan_row[f"{planmod.CUE_TEXT}{c.id}"]) for c in cues],
        exercises=[ExercisePlan(e.id, e.name, e.dose, e.why,
                                list(plan_row[f"{planmod.TARGETS}{e.id}"])
                                if e.targets is not None else None)
                   for e in exercises],
        transition=recs[0].transition if recs else Transition(False, NO_RECOMMENDATION),
        rotation=rotation,
        load=Load(list(plan_row[planmod.LOAD]), PAIN_RULE),
        assessment=Assessment(bool(assessment),
                              [*assessment, ASSESSMENT_NOTE] if assessment else []),
        programme=_programme(plan_row, {e.id for e in exercises}),
        conflicts=[Conflict(list(c.fields), plan_row[f"{planmod.CONFLICT_TEXT}{c.id}"])
                   for c in conflicts],
        sources=_sources(causes, cues, exercises, conflicts, excluded, plan_row),
        profile=prof,
    )


_RESULT_COLUMNS = list(dict.fromkeys([
    *SHOE_OUT, R.runner_id, P.drop, P.heel, P.weight, P.price, P.eligible, P.score,
    REASONS_COLUMN, P.transition_needed, P.transition_advice,
    *[f"{COMPONENT_PREFIX}{n}" for n in COMPONENT_NAMES],
    *[f"{EXCLUDE_PREFIX}{f.id}" for f in FILTERS]]))
_RULE_ORDER = {**{f.id: i for i, f in enumerate(FILTERS)}, SAME_MODEL_RULE_ID: len(FILTERS)}
NO_RECOMMENDATION = "No recommendation to transition to."


def _shoe(row: dict[str, Any]) -> ShoeRecommendation:
    comps = {n: round(float(row[f"{COMPONENT_PREFIX}{n}"]), 4) for n in COMPONENT_NAMES
             if row[f"{COMPONENT_PREFIX}{n}"] is not None}
    return ShoeRecommendation(
        **{k: row[k] for k in SHOE_OUT}, drop_mm=row[P.drop], heel_stack_mm=row[P.heel],
        weight_g=row[P.weight], score=float(row[P.score]), components=comps,
        reasons=list(row[REASONS_COLUMN]),
        transition=Transition(bool(row[P.transition_needed]), row[P.transition_advice]))


def _with(obj: Any, path: str, value: Any) -> Any:
    """A copy of a (frozen) profile with one dotted field changed; not re-validated: the
    value is one of the field's own choices."""
    head, _, rest = path.partition(".")
    return dataclasses.replace(obj, **{head: _with(getattr(obj, head), rest, value)
                                       if rest else value})


def _likely_causes(prof: Profile, cat: Catalog, causes: list[Any],
                   plan_row: dict[str, Any]) -> list[LikelyCause]:
    """The causes found, each marked with the defaulted fields it rests on.

    Nothing is guessed silently: for every field the runner left to its documented default
    (``Profile.defaulted``), the same rules run on the profile with each other answer that
    field allows, all variants in one frame. A cause that is not found under some other
    answer is ``assumed`` (it rests on the default, not on what the runner said); a cause
    that stays but loses a line of its evidence still names the field in ``defaults``."""
    evidence = {c.id: list(plan_row[f"{planmod.EVIDENCE}{c.id}"]) for c in causes}
    rests: dict[str, set[str]] = {c.id: set() for c in causes}
    gone: dict[str, bool] = dict.fromkeys(evidence, False)
    variants: list[Profile] = []
    changed: list[str] = []
    for path in sorted(prof.defaulted) if causes else ():
        spec = BY_PATH[path].spec
        current = get_path(prof, path)
        for value in spec.choices:
            if value != current:
                variants.append(_with(prof, path, value))
                changed.append(path)
    if variants:
        ids = [f"v{i:04d}" for i in range(len(variants))]  # evaluate sorts by runner_id
        variants = [dataclasses.replace(v, runner_id=i) for v, i in zip(variants, ids,
                                                                         strict=True)]
        rows = planmod.evaluate(derive(profiles_to_frame(variants), cat.frame).lazy())
        for path, row in zip(changed, rows.iter_rows(named=True), strict=True):
            for cid, texts in evidence.items():
                other = set(row[f"{planmod.EVIDENCE}{cid}"])
                if not other:
                    gone[cid] = True
                    rests[cid].add(path)
                elif any(t not in other for t in texts):
                    rests[cid].add(path)
    return [LikelyCause(c.id, c.label, evidence[c.id], gone[c.id], sorted(rests[c.id]))
            for c in causes]


def _gate(frow: dict[str, Any], plan_row: dict[str, Any]) -> Gate:
    established = bool(frow[F.established])
    prescribed = bool(frow[R.orthotics_prescribed])
    reason = GATE_TEXT["established" if established else "locked"]
    if prescribed and not established:
        reason += GATE_TEXT["prescribed"]
    return Gate(stability_allowed=established, orthotics_allowed=bool(frow[F.orthotics_allowed]),
                reason=reason, unlock_when=list(plan_row[planmod.GATE_UNMET]))


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


def _rotation(ranked: pl.DataFrame, recs: list[ShoeRecommendation]) -> Rotation | None:
    """Rule 9: the best-ranked other model whose drop differs from the first's."""
    if not recs:
        return None
    first = recs[0]
    for row in ranked.iter_rows(named=True):
        if row[S.shoe_id] != first.shoe_id and \
                abs(row[P.drop] - first.drop_mm) >= ROTATION_MIN_DIFF_MM:
            return Rotation(row[S.shoe_id], ROTATION_TEXT.format(
                model=f"{row[S.brand]} {row[S.model]} {row[S.version]}",
                drop=_fmt(row[P.drop]), first=_fmt(first.drop_mm)),
                Transition(bool(row[P.transition_needed]), row[P.transition_advice]))
    return None


def _programme(plan_row: dict[str, Any], has: set[str]) -> list[Phase]:
    phases = [ph for ph in PHASES if plan_row[f"{planmod.PHASE}{ph.id}"]]
    weeks = plan_row[R.strength_weeks] or 0
    current = max((ph for ph in phases if ph.start_week <= weeks), key=lambda ph: ph.start_week,
                  default=phases[0] if phases else None)
    return [Phase(ph.id, ph.weeks, ph.sessions_per_week, [e for e in ph.exercises if e in has],
                  ph.focus, ph is current) for ph in phases]


def _sources(causes, cues, exercises, conflicts, excluded, plan_row) -> dict[str, str]:
    """Every source the answer rests on, by key: the rules that fired, the filters that
    excluded a shoe, the components and the pain rule."""
    keys: set[str] = {*GATE_SOURCES, *PAIN_RULE_SOURCES, *REASON_SOURCES, *TRANSITION_SOURCES}
    for item in (*causes, *cues, *exercises, *conflicts, *COMPONENTS):
        keys.update(item.sources)
    rules = {e.rule for e in excluded}
    keys.update(s for f in FILTERS if f.id in rules for s in f.sources)
    keys.update(s for a in INSOLE_ADVICE if a.id == plan_row[planmod.INSOLE_ID] for s in a.sources)
    return {k: SOURCES[k] for k in sorted(keys)}


__all__ = ["Recommendation", "num", "recommend"]
