"""A cohort at once: every runner's eligible shoes ranked (:func:`rank_catalog`) and every
runner's plan as typed long tables (:func:`plan_cohort`) — the same rules as
:func:`~recommender.recommend`, vectorised over many runners. For notebooks and the app."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from .catalog import Catalog, load_catalog
from .core import plan as planmod
from .core.features import derive
from .core.ranking import rank_catalog as _rank
from .io.tables import Report
from .io.tables import validate_path as _validate_path
from .rules.causes import CAUSES
from .rules.cues import CUES
from .rules.exercises import EXERCISES
from .rules.expr import F
from .rules.gate import GATE_CRITERIA
from .spec.profile import Profile, profiles_to_frame
from .spec.vocab import R

Runners = pl.DataFrame | Iterable[Profile]


def _frame(runners: Runners) -> pl.DataFrame:
    return runners if isinstance(runners, pl.DataFrame) else profiles_to_frame(list(runners))


def _catalog(catalog: Catalog | pl.DataFrame | str | os.PathLike[str] | None) -> pl.DataFrame:
    if isinstance(catalog, pl.DataFrame):
        return catalog
    return (catalog if isinstance(catalog, Catalog) else load_catalog(catalog)).frame


def rank_catalog(runners: Runners, catalog: Catalog | pl.DataFrame | str | None = None,
                 top: int | None = None,
                 weights: Mapping[str, float] | None = None) -> pl.DataFrame:
    """Validated runners (a frame of SPEC §2.2 columns, or profiles) × the catalog, stock
    ignored: ``runner_id, rank, shoe_id, score, support, drop_mm, gate_locked, referral``."""
    return _rank(_frame(runners), _catalog(catalog), top, weights)


@dataclass(frozen=True)
class CohortPlan:
    """Every runner's plan, as tables an analyst can join and count.

    ``runners``: one row each (``runner_id, referral, stability_allowed,
    orthotics_allowed, insole, has_pain, drop_target_mm``); ``causes`` (``runner_id,
    cause, evidence``), ``cues`` (``runner_id, cue``), ``exercises`` (``runner_id,
    exercise``) and ``gate`` (``runner_id, criterion, met``) hold one row per item."""

    runners: pl.DataFrame
    causes: pl.DataFrame
    cues: pl.DataFrame
    exercises: pl.DataFrame
    gate: pl.DataFrame

    def shares(self, table: str) -> pl.DataFrame:
        """``id, runners, share`` for ``causes``, ``cues`` or ``exercises``: how many runners
        (and which share of the cohort) each item reaches; every declared id is listed."""
        ids = {"causes": [c.id for c in CAUSES], "cues": [c.id for c in CUES],
               "exercises": [e.id for e in EXERCISES]}[table]
        col = {"causes": "cause", "cues": "cue", "exercises": "exercise"}[table]
        counts = getattr(self, table).group_by(col).agg(pl.len().alias("runners"))
        n = max(self.runners.height, 1)
        return (pl.DataFrame({"id": ids}).join(counts.rename({col: "id"}), on="id", how="left")
                .with_columns(pl.col("runners").fill_null(0).cast(pl.Int64))
                .with_columns((pl.col("runners") / n).round(4).alias("share"))
                .sort("runners", "id", descending=[True, False]))


def _long(wide: pl.DataFrame, prefix: str, ids: list[str], name: str) -> pl.DataFrame:
    cols = [f"{prefix}{i}" for i in ids]
    return (wide.select(R.runner_id, *cols)
            .unpivot(index=R.runner_id, on=cols, variable_name=name, value_name="on")
            .filter(pl.col("on")).drop("on")
            .with_columns(pl.col(name).str.strip_prefix(prefix))
            .sort(R.runner_id, name))


def plan_cohort(runners: Runners,
                catalog: Catalog | pl.DataFrame | str | None = None) -> CohortPlan:
    """Every runner's referral, gate, causes, cues and exercises (SPEC §3), at once."""
    frame = _frame(runners)
    wide = planmod.evaluate(derive(frame, _catalog(catalog)))
    people = wide.select(
        R.runner_id, pl.col(F.referral).alias("referral"),
        pl.col(F.established).alias("stability_allowed"),
        pl.col(F.orthotics_allowed).alias("orthotics_allowed"), pl.col(F.insole).alias("insole"),
        pl.col(F.has_pain).alias("has_pain"), pl.col(F.drop_target).alias("drop_target_mm"))
    cause_ids = [c.id for c in CAUSES]
    causes = _long(wide, planmod.CAUSE, cause_ids, "cause")
    evidence = (wide.select(R.runner_id, *[pl.col(f"{planmod.EVIDENCE}{i}").alias(i)
                                           for i in cause_ids])
                .unpivot(index=R.runner_id, variable_name="cause", value_name="evidence"))
    causes = causes.join(evidence, on=[R.runner_id, "cause"], how="left").sort(R.runner_id, "cause")
    gate = (wide.select(R.runner_id, *[pl.col(f"{planmod.GATE}{c.id}").alias(c.id)
                                       for c in GATE_CRITERIA])
            .unpivot(index=R.runner_id, variable_name="criterion", value_name="met")
            .sort(R.runner_id, "criterion"))
    return CohortPlan(
        runners=people,
        causes=causes,
        cues=_long(wide, planmod.CUE, [c.id for c in CUES], "cue"),
        exercises=_long(wide, planmod.EXERCISE, [e.id for e in EXERCISES], "exercise"),
        gate=gate,
    )


def validate_path(path: str | os.PathLike[str], kind: str,
                  catalog: Catalog | str | os.PathLike[str] | None = None) -> Report:
    """Every problem of a file of ``kind`` (shoes, inventory, runners), named; shoe ids are
    checked against ``catalog`` (default: the shipped one)."""
    ids = None
    if kind != "shoes":
        ids = (catalog if isinstance(catalog, Catalog) else load_catalog(catalog)).ids
    return _validate_path(path, kind, catalog_ids=ids)
