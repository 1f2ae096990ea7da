"""Sources every rule cites (the seed article and EVIDENCE.md), and the thresholds
the rules use, each with the source it rests on."""

from __future__ import annotations

# ------------------------------------------------------------------------------ sources
SOURCES: dict[str, str] = {
    "article": "Seed article: RunToTheFinish, 'How to fix runner's knee' (shared/seed/000_707cdf074cbddf10.txt)",
    "crossley2016": "Crossley et al. 2016, BJSM 50:844, doi:10.1136/bjsports-2016-096268",
    "collins2018": "Collins et al. 2018, BJSM 52:1170, doi:10.1136/bjsports-2018-099397",
    "willy2019": "Willy et al. 2019, JOSPT 49(9):CPG1-95, doi:10.2519/jospt.2019.0302",
    "ferber2015": "Ferber et al. 2015, J Athl Train 50:366 (6-week hip/core programme)",
    "winters2021": "Winters et al. 2021, BJSM 55:369",
    "nigg2015": "Nigg et al. 2015, BJSM 49:1290 (comfort filter)",
    "ryan2011": "Ryan et al. 2011, BJSM 45:715",
    "nielsen2014": "Nielsen et al. 2014, BJSM 48:440",
    "malisoux2016_mc": "Malisoux et al. 2016, BJSM 50:481 (motion control, pronated feet)",
    "malisoux2016_drop": "Malisoux et al. 2016, AJSM 44:2933 (10/6/0 mm drop)",
    "heiderscheit2011": "Heiderscheit et al. 2011, MSSE 43:296 (+5-10 % step rate)",
    "lenhart2014": "Lenhart et al. 2014, MSSE 46:557",
    "willson2014": "Willson et al. 2014, Clin Biomech 29:243",
    "vannatta2015": "Vannatta & Kernozek 2015, MSSE 47:1001",
    "esculier2018": "Esculier et al. 2018, BJSM 52:659, doi:10.1136/bjsports-2016-096988 (education and load management)",
    "silbernagel2007": "Silbernagel et al. 2007, AJSM 35:897 (pain-monitoring model)",
    "neal2019": "Neal et al. 2019, BJSM 53:270 (hip weakness not a risk factor for future PFP)",
    "tenforde2023": "Tenforde et al. 2023, Sports Med 53:1499 (bone stress injuries with carbon-plated shoes)",
    "jurca2019": "Jurca et al. 2019, Sci Rep 9:19155 (3D foot scans: widths)",
    "evidence_patterns": "EVIDENCE.md 'Pain pattern' (ITBS, patellar tendinopathy, Osgood-Schlatter)",
    "evidence_womens": "EVIDENCE.md 'Women's versions' (median 0.84 x weight, same drop in 98 %)",
    "product": "gaitkeeper product choice (a threshold the literature does not fix; see README)",
    "spec": "gaitkeeper SPEC §3 (safety rule)",
}


def cite(*keys: str) -> tuple[str, ...]:
    for k in keys:
        if k not in SOURCES:
            raise KeyError(f"unknown source {k!r}")
    return keys


# --------------------------------------------------------------------------- thresholds
GATE_WEEKS = 6  # ferber2015
BALANCE_MIN_S = 30.0  # article (single-leg balance), product threshold
SEVERITY_REFERRAL = 8  # SPEC §3.3
# The runner's journal (SPEC §7.5, issue #16): pain logged during or after loading is read
# against the pain-monitoring model (silbernagel2007: up to about 5/10 acceptable if it settles
# by the next morning and does not build week to week). A logged 7/10 or more in the last 14
# days, or pain rising week on week, means the loading is not tolerated: a clinician first
# (referral.required, as for a red flag). The numbers are product thresholds on that model.
JOURNAL_PAIN_REFER = 7  # silbernagel2007 (2 points above PAIN_MAX_DURING), product
JOURNAL_PAIN_WINDOW_DAYS = 14  # product: two weeks of logged pain
JOURNAL_PAIN_RISE = 2.0  # silbernagel2007 ("does not build week to week"), product: +2 points
JOURNAL_PAIN_RISE_MIN_VALUES = 2  # product: one value per week is not a trend
LOW_CADENCE_SPM = 170  # SPEC §3.5, heiderscheit2011
CADENCE_RISE = (0.05, 0.10)  # heiderscheit2011, lenhart2014
REGULAR_RUNS_PER_WEEK = 3  # malisoux2016_drop
REGULAR_MIN_DROP_MM = 4.0  # malisoux2016_drop: low drop hurt regular runners
CALF_MIN_DROP_MM = 8.0  # SPEC §3.7; vannatta2015 (forefoot loading raises calf load)
DROP_STEP_MM = 4.0  # "in steps": one step down at a time (malisoux2016_drop)
TRANSITION_MM = 4.0  # SPEC §3.7
ASSUMED_CURRENT_DROP_MM = 10.0  # typical trainer when the current shoe is unknown (product)
ROTATION_MIN_DIFF_MM = 2.0  # a drop difference a runner can feel (product)
LOAD_RISE_PCT = 20.0  # product threshold for "overuse"
HIGH_WEEKLY_KM = 80.0  # product threshold for "overuse"
WORN_SHOE_KM = 800.0  # common retail rule of thumb (product)
HEAVY_RUNNER_KG = 85.0  # product: favour durable, cushioned daily trainers above this mass
LIGHT_RUNNER_KG = 58.0  # product: below this mass a firmer, lighter shoe fits (unknown: not light)
ASSUMED_BODY_MASS_KG = 70.0  # product: an unknown mass is read as a typical adult's
HIGH_VOLUME_KM = 50.0  # product: weekly volume that favours durable, cushioned trainers
STACK_CHANGE_MM = 8.0  # product: a heel-stack change a runner feels (transition advice)
CADENCE_CAP_SPM = 185  # product: cadence targets never above this (no 200+ spm advice)
PAIN_OK_DURING = 3  # silbernagel2007 (acceptable pain during activity, about 3-5/10)
PAIN_MAX_DURING = 5  # silbernagel2007
LOAD_BUILD_PCT = 10  # product: graded return, about 10 % a week
ADOLESCENT_MAX_AGE = 17  # evidence_patterns: adolescents (Osgood-Schlatter)
JOINT_AGE = 50  # product: grinding after this age deserves a joint assessment


#: product: a store's match counts toward coverage only at or above this score (0..100).
#: No single fit criterion can pull an eligible shoe below 75 (the heaviest components,
#: support and drop, weigh 0.22 of 0.89), so a score under 60 means at least two criteria
#: are clearly off (e.g. the drop far from the runner's target *and* a support class that
#: does not suit them): a pick a fitter would not sell as a fit. See README, store section.
MIN_MATCH_SCORE = 60.0
