"""The typed result of one recommendation; ``to_dict`` is SPEC §4 with the §7.3 additions
(``load``, ``assessment``, ``programme``, ``conflicts``; per shoe ``role`` and
``transition``) and two documented extensions (``referral.note``, ``rotation.transition``)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from ..spec.profile import Profile


@dataclass(frozen=True)
class Referral:
    required: bool
    reasons: list[str]
    note: str | None = None  # with a referral: the whole answer is for after clearance


@dataclass(frozen=True)
class Gate:
    stability_allowed: bool
    orthotics_allowed: bool
    reason: str
    unlock_when: list[str]


@dataclass(frozen=True)
class LikelyCause:
    id: str
    label: str
    evidence: list[str]
    #: Found only because of a default: the runner left a field with a documented default
    #: unanswered (``Profile.defaulted``), and with another answer to it the cause would not
    #: be found. Shown as "not answered yet — based on the default …".
    assumed: bool = False
    #: The defaulted fields (dotted paths) the cause, or a line of its evidence, rests on.
    defaults: list[str] = field(default_factory=list)

    def default_note(self) -> str | None:
        """In words, what this cause rests on that the runner has not said (or ``None``):
        ``Not answered yet — based on the default strength status "weak".``"""
        if not self.defaults:
            return None
        from ..spec.profile import BY_PATH

        said = ", ".join(f'{p.replace(".", " ").replace("_", " ")} '
                         f'"{str(BY_PATH[p].spec.default).replace("_", " ")}"'
                         for p in self.defaults)
        if self.assumed:
            return f"Not answered yet — based on the default {said}; answer it to confirm."
        return f"Partly based on a default (not answered yet): {said}."


@dataclass(frozen=True)
class Transition:
    needed: bool
    advice: str


@dataclass(frozen=True)
class ShoeRecommendation:
    shoe_id: str
    brand: str
    model: str
    version: str
    release_year: int
    role: str
    support: str
    drop_mm: float  # on the runner's line (women's figure where the catalog gives it)
    heel_stack_mm: float
    weight_g: float
    msrp_usd: float
    terrain: str
    score: float
    components: dict[str, float]
    reasons: list[str]
    transition: Transition


@dataclass(frozen=True)
class Excluded:
    shoe_id: str
    rule: str
    reason: str


@dataclass(frozen=True)
class Insoles:
    recommended: bool
    reason: str


@dataclass(frozen=True)
class FormCue:
    id: str
    text: str


@dataclass(frozen=True)
class ExercisePlan:
    id: str
    name: str
    dose: str
    why: str
    targets: list[str] | None = None


@dataclass(frozen=True)
class Rotation:
    shoe_id: str
    reason: str
    transition: Transition


@dataclass(frozen=True)
class Load:
    advice: list[str]
    pain_rule: str


@dataclass(frozen=True)
class Assessment:
    advised: bool
    reasons: list[str]


@dataclass(frozen=True)
class Phase:
    phase: str
    weeks: str
    sessions_per_week: int
    exercises: list[str]
    focus: str
    current: bool


@dataclass(frozen=True)
class Conflict:
    fields: list[str]
    message: str


@dataclass(frozen=True)
class Recommendation:
    runner_id: str
    catalog_version: str
    referral: Referral
    gate: Gate
    likely_causes: list[LikelyCause]
    recommendations: list[ShoeRecommendation]
    excluded: list[Excluded]
    insoles: Insoles
    form_cues: list[FormCue]
    exercises: list[ExercisePlan]
    transition: Transition
    rotation: Rotation | None
    load: Load
    assessment: Assessment
    programme: list[Phase]
    conflicts: list[Conflict]
    sources: dict[str, str] = field(default_factory=dict)  # the sources the answer rests on
    profile: Profile = field(repr=False, compare=False, default_factory=Profile)

    def to_dict(self) -> dict[str, Any]:
        """SPEC §4 and §7.3."""
        d = asdict(self)
        d.pop("profile")
        for ex in d["exercises"]:
            if ex["targets"] is None:
                del ex["targets"]
        if d["referral"]["note"] is None:
            del d["referral"]["note"]
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        from .report import render_text

        return render_text(self)

    def to_markdown(self) -> str:
        from .report import render_markdown

        return render_markdown(self)
