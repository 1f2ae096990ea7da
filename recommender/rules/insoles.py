"""Rule 2 and the insole advice."""

from __future__ import annotations

from .sources import cite

# ------------------------------------------------------------------ rule 2 + insoles
INSOLE_SOURCES = cite("article", "crossley2016", "collins2018", "willy2019")
INSOLE_TEXT = {
    "prescribed": "Keep using the orthotics your clinician prescribed: they are the exception to "
                  "strength before stability. Stability shoes stay locked until the strength "
                  "work is established.",
    "needed": "Your strength base is established; for {need}, an insole in a neutral shoe is "
              "the smaller step, before a firm stability shoe.",
    "locked": "Not yet: do the hip, glute and core work first. Insoles and stability shoes can "
              "hide weak hips and glutes; they unlock once your strength is established.",
    "not_needed": "Not needed: nothing in your profile calls for extra arch support.",
}


