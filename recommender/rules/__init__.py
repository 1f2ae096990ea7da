"""What gaitkeeper knows, declared once, with ids, texts and sources — one family a file.

A reader can audit every rule here. Each item is data: an id from SPEC §3 or §7, a condition
(a polars expression over the runner frame, or over runner × shoe pairs), the words shown to
the runner, and the sources it rests on (:data:`.sources.SOURCES`: the seed article or
``EVIDENCE.md``). The engine (:mod:`recommender.core`) only evaluates these declarations.

Unknown answers are nulls; a condition on an unknown answer is false (nothing is guessed).
"""

from __future__ import annotations

from .causes import CAUSES, Cause
from .components import COMPONENT_NAMES, COMPONENTS, DEFAULT_WEIGHTS, Component
from .cues import CUES, Cue
from .exercises import EXERCISES, FOAM_ROLL_TARGETS, Exercise
from .expr import F, P, Trigger, num
from .features import FEATURES, SUPPORT_NEEDS
from .filters import FILTERS, SAME_MODEL_RULE_ID, Filter
from .gate import GATE_CRITERIA, GATE_RULE_ID, GATE_SOURCES, Criterion
from .referral import RED_FLAG_TEXT, REFERRALS, Referral
from .segments import SEGMENTS
from .sources import (
    BALANCE_MIN_S,
    GATE_WEEKS,
    SEVERITY_REFERRAL,
    SOURCES,
    cite,
)

__all__ = [
    "BALANCE_MIN_S",
    "CAUSES",
    "COMPONENTS",
    "COMPONENT_NAMES",
    "CUES",
    "DEFAULT_WEIGHTS",
    "EXERCISES",
    "FEATURES",
    "FILTERS",
    "FOAM_ROLL_TARGETS",
    "GATE_CRITERIA",
    "GATE_RULE_ID",
    "GATE_SOURCES",
    "GATE_WEEKS",
    "RED_FLAG_TEXT",
    "REFERRALS",
    "SAME_MODEL_RULE_ID",
    "SEGMENTS",
    "SEVERITY_REFERRAL",
    "SOURCES",
    "SUPPORT_NEEDS",
    "Cause",
    "Component",
    "Criterion",
    "Cue",
    "Exercise",
    "F",
    "Filter",
    "P",
    "Referral",
    "Trigger",
    "cite",
    "num",
]
