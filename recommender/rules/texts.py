"""Texts said once: the rotation (rule 9), the gate, the referral hold and the disclaimer."""

from __future__ import annotations

from .sources import cite

# ----------------------------------------------------------- rules 7 and 9: texts
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

#: With a referral (SPEC §7.3): the whole answer is for after the clinician's clearance.
REFERRAL_HOLD = ("See a clinician before changing shoes or training. Everything below — the "
                 "shoes, the exercise programme — is for after they have cleared you; nothing "
                 "here is meant to start now.")
#: Said once, at the end of every report and page.
DISCLAIMER = ("gaitkeeper is not a diagnosis and not medical advice. If pain is severe, sudden "
              "or getting worse, see a clinician.")
