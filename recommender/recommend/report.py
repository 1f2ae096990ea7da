"""Plain-text and Markdown renderings of a recommendation, for printing or downloading.

The order is a physiotherapist's written plan: referral first (and then everything framed
for after clearance), what may not be runner's knee, answers that contradicted each other,
load and pain monitoring, the programme and form, then the shoes — each with its own
transition — and the sources the advice rests on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..rules.texts import DISCLAIMER

if TYPE_CHECKING:
    from .result import Recommendation


def _name(s) -> str:
    return f"{s.brand} {s.model} {s.version}"


def render_markdown(rec: Recommendation) -> str:
    """The whole answer as Markdown."""
    out: list[str] = [f"# gaitkeeper plan for {rec.runner_id}", ""]
    if rec.referral.required:
        out += ["## ⚠ See a clinician first", ""]
        out += [f"- {r}" for r in rec.referral.reasons] + [""]
        out += [f"_{rec.referral.note}_", ""]
    if rec.assessment.advised:
        out += ["## Worth an assessment", ""] + [f"- {r}" for r in rec.assessment.reasons] + [""]
    if rec.conflicts:
        out += ["## Answers that disagree", ""] + [f"- {c.message}" for c in rec.conflicts]
        out.append("")
    g = rec.gate
    out += ["## Strength before stability", "", g.reason, ""]
    out += [f"- Stability shoes: {'allowed' if g.stability_allowed else 'locked'}",
            f"- Orthotics / insoles: {'allowed' if g.orthotics_allowed else 'not yet'}"]
    if g.unlock_when:
        out += ["", "Unlocks when you have:"] + [f"- {u}" for u in g.unlock_when]
    out.append("")
    if rec.likely_causes:
        out += ["## Likely causes", ""]
        for c in rec.likely_causes:
            out.append(f"- **{c.label}** — {'; '.join(c.evidence)}")
            note = c.default_note()
            if note:
                out.append(f"  - _{note}_")
        out.append("")
    if rec.load.advice:
        out += ["## Load and pain", ""] + [f"- {a}" for a in rec.load.advice]
        out += ["", f"**{rec.load.pain_rule}**", ""]
    if rec.programme:
        names = {e.id: e.name for e in rec.exercises}
        out += ["## Programme", ""]
        for ph in rec.programme:
            now = " ← you are here" if ph.current else ""
            out.append(f"- **Weeks {ph.weeks} ({ph.phase})**, {ph.sessions_per_week} sessions a "
                       f"week{now}: {', '.join(names.get(e, e) for e in ph.exercises)}. "
                       f"{ph.focus}")
        out.append("")
    if rec.exercises:
        out += ["## Exercises", ""]
        for e in rec.exercises:
            targets = f" (areas: {', '.join(e.targets)})" if e.targets else ""
            out.append(f"- **{e.name}** — {e.dose}{targets}. {e.why}")
        out.append("")
    if rec.form_cues:
        out += ["## Running form", ""] + [f"- {c.text}" for c in rec.form_cues] + [""]
    out += ["## Shoes", ""]
    if rec.referral.required:
        out += ["_For after your clinician has cleared you._", ""]
    if not rec.recommendations:
        out += ["No catalog shoe passes your filters; loosen the price, width, plate or use "
                "preferences.", ""]
    for i, s in enumerate(rec.recommendations, 1):
        out.append(f"{i}. **{_name(s)}** ({s.release_year}, {s.role.replace('_', ' ')}) — "
                   f"score {s.score:.0f}/100, {s.support.replace('_', ' ')}, {s.drop_mm:g} mm "
                   f"drop, {s.weight_g:g} g, ${s.msrp_usd:g}")
        out += [f"   - {r}" for r in s.reasons]
        out.append(f"   - Transition: {s.transition.advice}")
    out += ["", f"**Insoles:** {rec.insoles.reason}", ""]
    if rec.rotation:
        out += [f"**Rotation:** {rec.rotation.reason} {rec.rotation.transition.advice}", ""]
    locked = [e for e in rec.excluded if e.rule == "strength_before_stability"]
    if locked:
        out += [f"**Locked for now:** {len(locked)} stability or motion-control shoe(s), "
                "until your strength work is established.", ""]
    if rec.sources:
        out += ["## Sources", ""] + [f"- {v}" for v in rec.sources.values()] + [""]
    out += ["---", DISCLAIMER, f"Catalog version {rec.catalog_version}.", ""]
    return "\n".join(out)


def render_text(rec: Recommendation) -> str:
    """A printable text report (Markdown without the markup)."""
    lines = []
    for line in render_markdown(rec).replace("**", "").splitlines():
        if line.startswith("_") and line.endswith("_"):
            line = line[1:-1]
        elif line.lstrip().startswith("- _") and line.endswith("_"):
            line = line.replace("- _", "- ", 1)[:-1]
        lines.append(line.removeprefix("## ").removeprefix("# "))
    return "\n".join(lines)
