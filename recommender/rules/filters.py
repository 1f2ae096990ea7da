"""Rules 8 and 1 over runner × shoe pairs: the hard filters (each an exclusion rule id)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..spec.vocab import R, S
from .expr import F, P, _flag, num
from .gate import GATE_RULE_ID, GATE_SOURCES
from .roles import ROLE_RULE_ID, ROLE_SOURCES, role_fails, role_reason
from .sources import cite


# ------------------------------------------------------------ rule 8 + 1: pair filters
@dataclass(frozen=True, eq=False)
class Filter:
    id: str
    fails: pl.Expr
    reason: pl.Expr
    sources: tuple[str, ...]


_support = pl.col(S.support)
FILTERS: tuple[Filter, ...] = (
    Filter(GATE_RULE_ID,
           ~pl.col(F.established) & _support.is_in(["stability", "motion_control"]),
           pl.format("{} shoe: locked until your hip, glute and core strength is established "
                     "(strength before stability)", _support.str.replace("_", " ")),
           GATE_SOURCES),
    Filter("terrain",
           ((pl.col(R.terrain) == "road") & (pl.col(S.terrain) != "road"))
           | ((pl.col(R.terrain) == "trail") & (pl.col(S.terrain) != "trail")),
           pl.format("{} shoe; you run on {}", pl.col(S.terrain), pl.col(R.terrain)),
           cite("spec")),
    Filter("width", ~pl.col(S.widths).list.contains(pl.col(R.width)),
           pl.format("not made in {} width", pl.col(R.width).str.replace("_", " ")),
           cite("spec")),
    Filter("price", pl.col(P.price) > pl.col(R.max_price_usd).fill_null(float("inf")),
           pl.format("${} is over your ${} limit", num(pl.col(P.price)),
                     num(pl.col(R.max_price_usd))),
           cite("spec")),
    Filter("plated", _flag(R.exclude_plated) & (pl.col(S.plate) != "none"),
           pl.format("has a {} plate; you asked for no plate", pl.col(S.plate)),
           cite("spec")),
    Filter(ROLE_RULE_ID, role_fails(), role_reason(), ROLE_SOURCES),
    # SPEC §3.7: regular runners are not moved below 4 mm.
    Filter("drop_floor", pl.col(P.drop) < pl.col(F.drop_floor),
           pl.format("{} mm drop: regular runners (3 or more runs a week) are not moved below "
                     "{} mm", num(pl.col(P.drop)), num(pl.col(F.drop_floor))),
           cite("malisoux2016_drop", "spec")),
)


#: Not a filter but a presentation rule of the single-runner shortlist (an extension of
#: SPEC §4): only the best-scoring version of a model is listed; the others are listed in
#: ``excluded`` with this id, so no eligible shoe disappears without a reason.
SAME_MODEL_RULE_ID = "same_model"
SAME_MODEL_TEXT = ("another version of this model, {better}, fits you better or is newer; one "
                   "version per model is listed")
SAME_MODEL_SOURCES = cite("product")


