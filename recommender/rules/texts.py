"""Texts of rules 7 and 9 (transition, rotation) and of the gate."""

from __future__ import annotations

from .sources import cite

# ----------------------------------------------------------- rules 7 and 9: texts
TRANSITION_SOURCES = cite("malisoux2016_drop", "article")
TRANSITION_TEXT = {
    "needed": "The new shoe's {new} mm drop is {diff} mm {direction} than your current {cur} mm: "
              "introduce it gradually — a short easy run or two a week, alternating with your "
              "current shoe, building over 4–6 weeks. Calves and Achilles need time to adapt.",
    "small": "The drop changes by {diff} mm or less from your current {cur} mm: no special "
             "transition needed; still start with easy runs.",
    "unknown": "Your current shoe's drop is unknown: start the new shoe on short easy runs and "
               "build up over a few weeks.",
    "none": "No recommendation to transition to.",
}
ROTATION_SOURCES = cite("article")
ROTATION_TEXT = ("Rotate with {model} ({drop} mm drop vs {first} mm): alternating shoes varies "
                 "the load on muscles and joints instead of relying on one shoe to fix a "
                 "weakness.")
GATE_TEXT = {
    "established": "Your strength work is established: stability shoes and insoles are eligible "
                   "if your feet or knees need them.",
    "locked": "Strength before stability: stability and motion-control shoes (and insoles) "
              "can hide weak hips and glutes. Build the strength first; they unlock when the "
              "criteria below are met.",
    "prescribed": " Your clinician-prescribed orthotics stay allowed.",
}
