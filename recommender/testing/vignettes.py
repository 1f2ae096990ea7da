"""Hand-written runner vignettes from the seed article and EVIDENCE.md: the author's own
case and the situations the article and the SPEC name one by one (shared by the tests)."""

from __future__ import annotations

from typing import Any

from .checks import with_changes

# ------------------------------------------------------------------------- vignettes
#: The article author's own case (seed article; data/profiles/author_amanda.json).
AMANDA: dict[str, Any] = {
    "runner_id": "amanda",
    "sex": "female",
    "width": "standard",
    "running": {"runs_per_week": 5, "weekly_km": 45, "terrain": "road"},
    # "Look how your foot is falling inward" (pronation); knee drift = valgus; the photo
    # of her running shows the foot landing in front of the body.
    "gait": {"pronation": "over", "foot_strike": "heel", "knee_valgus": True,
             "overstriding": True},
    # she was just starting "allll the hip, glute and core work"
    "strength": {"status": "building", "weeks_consistent": 2},
    # hyper-extends the right knee, zero extension on the left
    "knee": {"pain": True, "side": "left", "location": "around_kneecap", "severity": 5,
             "aggravators": ["running", "stairs"], "extension_deficit": "left"},
    # "My right leg is shorter than my left ... running just fine with it for many years"
    "hips": {"alignment": "uneven_longstanding"},
    "current_shoe": {"shoe_id": "saucony-kinvara-14"},
    "orthotics": {"uses": False},
}

STRONG = {"status": "strong", "weeks_consistent": 10, "single_leg_squat_ok": True,
           "single_leg_balance_s": 45}
PAIN = {"pain": True, "location": "around_kneecap", "severity": 4}


def runner(rid: str, **sections: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"runner_id": rid, "knee": dict(PAIN)}
    base.update(sections)
    return base


V: dict[str, dict[str, Any]] = {
    "amanda": AMANDA,
    # Amanda after the strength block: the gate opens, her over-pronation and valgus remain.
    "amanda_after_strength": with_changes(
        AMANDA, runner_id="amanda-later",
        strength={"status": "strong", "weeks_consistent": 8, "single_leg_squat_ok": True,
                  "single_leg_balance_s": 40}),
    # ---- gate boundaries (SPEC §3.1)
    "gate_weeks_5": runner("weeks-5", gait={"pronation": "over"},
                            strength={"status": "building", "weeks_consistent": 5}),
    "gate_weeks_6": runner("weeks-6", gait={"pronation": "over"},
                            strength={"status": "building", "weeks_consistent": 6}),
    "gate_balance_29": runner("balance-29", gait={"pronation": "over"},
                               strength={**STRONG, "single_leg_balance_s": 29}),
    "gate_balance_30": runner("balance-30", gait={"pronation": "over"},
                               strength={**STRONG, "single_leg_balance_s": 30}),
    "gate_squat_false_12_weeks": runner(
        "squat-false-12w", gait={"pronation": "over"},
        strength={"status": "building", "weeks_consistent": 12, "single_leg_squat_ok": False}),
    "gate_strong_squat_false": runner(
        "strong-squat-false", gait={"pronation": "over"},
        strength={"status": "strong", "single_leg_squat_ok": False}),
    "gate_strong_no_tests": runner("strong-untested", gait={"pronation": "over"},
                                    strength={"status": "strong"}),
    "gate_minimal_default": {"runner_id": "minimal", "knee": {"pain": True}},
    # ---- orthotics
    "orthotics_prescribed_locked": runner(
        "rx-orthotics", gait={"arch": "flat", "pronation": "over"},
        strength={"status": "weak", "weeks_consistent": 1},
        orthotics={"uses": True, "clinician_prescribed": True}),
    "orthotics_self_bought_locked": runner(
        "own-insoles", gait={"arch": "flat"}, strength={"status": "building", "weeks_consistent": 3},
        orthotics={"uses": True, "clinician_prescribed": False}),
    # ---- after the gate (SPEC §3.2)
    "strong_flat_feet_wide": runner(
        "flat-wide", sex="female", shoe_size_us=8, width="wide",
        running={"runs_per_week": 5, "weekly_km": 50},
        gait={"pronation": "over", "arch": "flat", "foot_strike": "midfoot", "cadence_spm": 174},
        strength={"status": "strong", "weeks_consistent": 12, "single_leg_squat_ok": True,
                  "single_leg_balance_s": 45},
        current_shoe={"drop_mm": 8, "support": "neutral"},
        preferences={"cushioning": "balanced"}),
    "strong_valgus_pain": runner(
        "valgus-strong", sex="female", gait={"knee_valgus": True, "pronation": "neutral",
                                             "arch": "normal"},
        strength={"status": "strong", "weeks_consistent": 9}),
    "strong_pronator_12mm": runner(
        "pronator-12", gait={"pronation": "over", "arch": "flat", "foot_strike": "midfoot"},
        strength=dict(STRONG), running={"runs_per_week": 4},
        current_shoe={"drop_mm": 12, "support": "neutral"}),
    "strong_no_need": runner(
        "neutral-strong", gait={"pronation": "neutral", "arch": "normal", "knee_valgus": False,
                                "foot_strike": "midfoot", "cadence_spm": 176},
        strength=dict(STRONG), current_shoe={"drop_mm": 8}),
    # ---- referral (SPEC §3.3)
    "red_flag_swelling_locking": {
        "runner_id": "red-flag", "knee": {"pain": True, "severity": 8,
                                          "location": "behind_kneecap"},
        "red_flags": ["significant_swelling", "locking"]},
    "red_flag_strong_runner": runner("red-flag-strong", strength=dict(STRONG),
                                      knee={"pain": True, "severity": 2},
                                      red_flags=["giving_way"]),
    "severity_8": runner("sev-8", knee={"pain": True, "severity": 8}),
    "severity_7": runner("sev-7", knee={"pain": True, "severity": 7}),
    # ---- causes (SPEC §3.4)
    "overuse_load_jump": runner("load-jump", running={"runs_per_week": 4, "weekly_km": 40,
                                                       "recent_load_increase_pct": 60}),
    "steady_runner": runner("steady", running={"runs_per_week": 3, "weekly_km": 30,
                                                "recent_load_increase_pct": 0},
                             strength=dict(STRONG),
                             gait={"foot_strike": "midfoot", "cadence_spm": 178,
                                   "pronation": "neutral", "arch": "normal"}),
    "new_runner_overuse": runner(
        "new-runner", sex="male", age=34, shoe_size_us=10.5,
        running={"runs_per_week": 4, "weekly_km": 32, "recent_load_increase_pct": 60},
        gait={"foot_strike": "heel", "overstriding": True, "cadence_spm": 156},
        knee={"pain": True, "location": "behind_kneecap", "severity": 4,
              "aggravators": ["stairs", "prolonged_sitting"]},
        tight=["hamstrings", "quadriceps"],
        current_shoe={"drop_mm": 12, "support": "neutral", "km_used": 900},
        preferences={"max_price_usd": 150}),
    "hips_uneven_new": runner("hips-new", hips={"alignment": "uneven_new"}),
    "hips_uneven_longstanding": runner("hips-old", hips={"alignment": "uneven_longstanding"},
                                        strength=dict(STRONG)),
    "extension_deficit_right": runner("ext-right", knee={**PAIN, "side": "right",
                                                          "extension_deficit": "right"}),
    "extension_deficit_none": runner("ext-none", knee={**PAIN, "extension_deficit": "none"},
                                      strength=dict(STRONG)),
    "stability_shoe_before_gate": runner(
        "stability-first", strength={"status": "weak"},
        current_shoe={"support": "stability", "drop_mm": 10}),
    "female_valgus_weak": runner("valgus-weak", sex="female", gait={"knee_valgus": True},
                                  strength={"status": "weak"}),
    # ---- form cues (SPEC §3.5)
    "cadence_169": runner("cad-169", gait={"cadence_spm": 169, "foot_strike": "midfoot"}),
    "cadence_170": runner("cad-170", gait={"cadence_spm": 170, "foot_strike": "midfoot",
                                            "overstriding": False}),
    "overstrider_no_cadence": runner("overstrider", gait={"overstriding": True}),
    "on_toes": runner("on-toes", gait={"on_toes": True, "foot_strike": "forefoot"},
                       running={"runs_per_week": 4}, current_shoe={"drop_mm": 4}),
    # a zero-drop shoe worn by a runner whose calves are overworked: up to 8 mm, gradually
    "on_toes_zero_drop": runner("on-toes-zero", gait={"on_toes": True},
                                 running={"runs_per_week": 3}, current_shoe={"drop_mm": 0}),
    "arm_crosser": runner("arms", gait={"arm_crossing": True, "foot_strike": "midfoot"}),
    # ---- exercises (SPEC §3.6)
    "tight_hamstrings": runner("tight-hams", tight=["hamstrings"]),
    "tight_calves": runner("tight-calves", tight=["calves"], running={"runs_per_week": 3},
                            current_shoe={"drop_mm": 4}),
    "no_pain_prevention": {"runner_id": "prevention", "knee": {"pain": False, "severity": 0},
                           "gait": {"foot_strike": "heel", "overstriding": False,
                                    "cadence_spm": 175}},
    # ---- drop and transition (SPEC §3.7)
    "heel_striker_10mm_occasional": runner(
        "heel-10", running={"runs_per_week": 2}, gait={"foot_strike": "heel"},
        current_shoe={"drop_mm": 10, "support": "neutral"}),
    "heel_striker_12mm_regular": runner(
        "heel-12", running={"runs_per_week": 4}, gait={"foot_strike": "heel"},
        current_shoe={"drop_mm": 12}),
    "regular_zero_drop": runner(
        "zero-drop", running={"runs_per_week": 5}, gait={"foot_strike": "heel"},
        current_shoe={"drop_mm": 0}),
    # ---- hard filters (SPEC §3.8)
    "trail_prescribed_no_plate": runner(
        "trail-rx", sex="male", running={"terrain": "trail", "runs_per_week": 3},
        gait={"arch": "flat", "on_toes": True},
        strength={"status": "weak", "weeks_consistent": 1, "single_leg_balance_s": 18},
        knee={"pain": True, "location": "lateral", "severity": 5}, tight=["calves"],
        orthotics={"uses": True, "clinician_prescribed": True},
        preferences={"exclude_plated": True, "brands": ["Hoka", "Salomon"]}),
    "mixed_terrain": runner("mixed", running={"terrain": "mixed"}),
    "extra_wide": runner("extra-wide", width="extra_wide", strength=dict(STRONG),
                          gait={"pronation": "over"}),
    "budget_120": runner("budget-120", preferences={"max_price_usd": 120}),
    "budget_50": runner("budget-50", preferences={"max_price_usd": 50}),
    "exclude_plated": runner("no-plate", preferences={"exclude_plated": True},
                              strength=dict(STRONG)),
}


