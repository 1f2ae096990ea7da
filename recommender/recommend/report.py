"""Plain-text and Markdown renderings of a recommendation, for printing or downloading."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .result import Recommendation


def render_markdown(rec: Recommendation) -> str:
    """The whole answer as Markdown: referral first, then the gate, the plan and the shoes."""
    out: list[str] = [f"# gaitkeeper plan for {rec.runner_id}", ""]
    if rec.referral.required:
        out += ["## ⚠ See a clinician first", ""]
        out += [f"- {r}" for r in rec.referral.reasons] + [""]
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
        out.append("")
    if rec.exercises:
        out += ["## Exercise plan", ""]
        for e in rec.exercises:
            targets = f" (areas: {', '.join(e.targets)})" if e.targets else ""
            out.append(f"- **{e.name}** — {e.dose}{targets}. {e.why}")
        out.append("")
    if rec.form_cues:
        out += ["## Running form", ""] + [f"- {c.text}" for c in rec.form_cues] + [""]
    out += ["## Shoes", ""]
    if not rec.recommendations:
        out += ["No catalog shoe passes your filters; loosen the price, width or plate "
                "preferences.", ""]
    for i, s in enumerate(rec.recommendations, 1):
        out.append(f"{i}. **{s.brand} {s.model} {s.version}** — score {s.score:.0f}/100, "
                   f"{s.support.replace('_', ' ')}, {s.drop_mm:g} mm drop, ${s.msrp_usd:g}")
        out += [f"   - {r}" for r in s.reasons]
    out += ["", f"**Insoles:** {rec.insoles.reason}", "",
            f"**Transition:** {rec.transition.advice}", ""]
    if rec.rotation:
        out += [f"**Rotation:** {rec.rotation.reason}", ""]
    locked = [e for e in rec.excluded if e.rule == "strength_before_stability"]
    if locked:
        out += [f"**Locked for now:** {len(locked)} stability or motion-control shoe(s), "
                "until your strength work is established.", ""]
    out += ["---", "gaitkeeper is not a diagnosis. If pain is severe, sudden or getting worse, "
            "see a clinician.", f"Catalog version {rec.catalog_version}.", ""]
    return "\n".join(out)


def render_text(rec: Recommendation) -> str:
    """A printable text report (Markdown without the markup)."""
    md = render_markdown(rec)
    return md.replace("**", "").replace("## ", "").replace("# ", "")
