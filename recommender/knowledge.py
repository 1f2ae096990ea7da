"""What gaitkeeper knows, declared once, with ids, texts and sources.

A reader can audit every rule here. Each item is data: an id from SPEC §3, a condition
(a polars expression over the runner frame, or over runner×shoe pairs), the words shown to
the runner, and the source it rests on (the seed article or ``EVIDENCE.md``). The engine
(:mod:`recommender.features`, :mod:`recommender.scoring`, :mod:`recommender.plan`) only
evaluates these declarations — no rule is written anywhere else.

Unknown answers are nulls; a condition on an unknown answer is false (nothing is guessed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from .vocab import R, S

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


# ------------------------------------------------------------------- runner predicates
def _flag(col: str) -> pl.Expr:
    return pl.col(col).fill_null(False)


def _is(col: str, *values: str) -> pl.Expr:
    return pl.col(col).is_in(values).fill_null(False)


def _has(col: str, item: str) -> pl.Expr:
    return pl.col(col).list.contains(item).fill_null(False)


def num(expr: pl.Expr) -> pl.Expr:
    """A number as text, as a person writes it: ``6`` not ``6.0``, ``6.5``, ``129.99``
    (at most two decimals)."""
    r = expr.round(2)
    return (pl.when(r.round(0) == r).then(r.round(0).cast(pl.Int64).cast(pl.String))
            .otherwise(r.cast(pl.String)))


class F:
    """Derived runner columns (one row per runner), computed by ``features.derive``."""

    has_pain = "f_has_pain"
    referral = "f_referral"
    established = "f_established"
    orthotics_allowed = "f_orthotics_allowed"
    regular = "f_regular"
    current_drop = "f_current_drop"
    current_support = "f_current_support"
    wants_lower = "f_wants_lower_drop"
    calf_protect = "f_calf_protect"
    drop_floor = "f_drop_floor"
    drop_target = "f_drop_target"
    needs_support = "f_needs_support"
    insole = "f_insole"
    hip_programme = "f_hip_programme"


# Knee pain: stated, or (when not stated) implied by a severity of 1 or more.
has_pain = pl.when(pl.col(R.knee_pain).is_not_null()).then(pl.col(R.knee_pain)).otherwise(
    pl.col(R.severity).fill_null(0) >= 1)
heel_strike = _is(R.foot_strike, "heel")
overstriding = _flag(R.overstriding)
valgus = _flag(R.knee_valgus)


# --------------------------------------------------------------------- rule 1: the gate
@dataclass(frozen=True, eq=False)
class Criterion:
    """One condition of the strength gate; ``unmet`` is shown in ``gate.unlock_when``."""

    id: str
    met: pl.Expr
    unmet: pl.Expr
    sources: tuple[str, ...]


_weeks = pl.col(R.strength_weeks)
GATE_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "strength_time",
        (pl.col(R.strength_status) == "strong").fill_null(False) | (_weeks.fill_null(0) >= GATE_WEEKS),
        pl.format(f"{GATE_WEEKS} weeks of consistent hip, glute and core work ({{}}), "
                  "or a strength level you would call strong",
                  pl.when(_weeks.is_null()).then(pl.lit("you have not said how many"))
                  .otherwise(pl.format("you have {}", num(_weeks)))),
        cite("ferber2015", "article", "crossley2016"),
    ),
    Criterion(
        "single_leg_squat",
        pl.col(R.single_leg_squat_ok).fill_null(True),
        pl.lit("5 controlled single-leg squats on each leg without the knee drifting inward"),
        cite("willy2019", "article"),
    ),
    Criterion(
        "single_leg_balance",
        pl.col(R.single_leg_balance_s).fill_null(BALANCE_MIN_S) >= BALANCE_MIN_S,
        pl.format(f"{int(BALANCE_MIN_S)} s of "
                  "single-leg balance on the painful leg, eyes open (you held {} s)",
                  num((pl.col(R.single_leg_balance_s) * 100).floor() / 100)),
        cite("article"),
    ),
)
GATE_RULE_ID = "strength_before_stability"
GATE_SOURCES = cite("article", "crossley2016", "ferber2015")


# -------------------------------------------------------------------- rule 3: referral
@dataclass(frozen=True, eq=False)
class Referral:
    id: str
    when: pl.Expr
    reason: pl.Expr
    sources: tuple[str, ...]


RED_FLAG_TEXT = {
    "recent_trauma": "a recent fall, blow or twist to the knee",
    "significant_swelling": "significant swelling",
    "locking": "the knee locks or catches",
    "giving_way": "the knee gives way",
    "night_pain": "pain at night or at rest",
    "fever_or_redness": "fever, heat or redness around the knee",
    "numbness": "numbness or tingling",
}
REFERRALS: tuple[Referral, ...] = (
    *(Referral(f"red_flag:{flag}", _has(R.red_flags, flag),
               pl.lit(f"Red flag: {text} — see a clinician before changing shoes or training."),
               cite("spec", "article"))
      for flag, text in RED_FLAG_TEXT.items()),
    Referral("severity", pl.col(R.severity).fill_null(0) >= SEVERITY_REFERRAL,
             pl.format(f"Pain severity {{}}/10 ({SEVERITY_REFERRAL} or more) — see a clinician "
                       "before changing shoes or training.", pl.col(R.severity)),
             cite("spec")),
)


@dataclass(frozen=True, eq=False)
class Trigger:
    when: pl.Expr
    evidence: pl.Expr


def _t(when: pl.Expr, evidence: str | pl.Expr) -> Trigger:
    return Trigger(when, pl.lit(evidence) if isinstance(evidence, str) else evidence)


#: Rule 2: after the gate, support is preferred for these (each with its words).
SUPPORT_NEEDS: tuple[Trigger, ...] = (
    _t(_is(R.pronation, "over"), "over-pronation"),
    _t(_is(R.arch, "flat"), "flat arches"),
    _t(valgus & pl.col(F.has_pain), "knee drift with knee pain"),
)
SUPPORT_NEED_SOURCES = cite("article", "willy2019", "malisoux2016_mc")


# ------------------------------------------------------- derived runner features (rules 1, 2, 7)
_current_drop = pl.col(F.current_drop)
_floor_regular = pl.when(pl.col(F.regular)).then(REGULAR_MIN_DROP_MM).otherwise(0.0)
_floor = pl.max_horizontal(
    _floor_regular, pl.when(pl.col(F.calf_protect)).then(CALF_MIN_DROP_MM).otherwise(0.0))
_base = _current_drop.fill_null(ASSUMED_CURRENT_DROP_MM)

#: (column, expression), evaluated in order; later ones may use earlier ones.
FEATURES: tuple[tuple[str, pl.Expr], ...] = (
    (F.has_pain, has_pain.fill_null(False)),
    (F.referral, pl.any_horizontal([r.when for r in REFERRALS])),
    (F.established, pl.all_horizontal([c.met for c in GATE_CRITERIA])),
    # SPEC §3.1 exception: prescribed orthotics stay allowed; stability shoes stay locked.
    (F.orthotics_allowed, pl.col(F.established) | _flag(R.orthotics_prescribed)),
    # Unknown runs per week counts as regular: the cautious side of malisoux2016_drop.
    (F.regular, pl.col(R.runs_per_week).fill_null(REGULAR_RUNS_PER_WEEK) >= REGULAR_RUNS_PER_WEEK),
    (F.wants_lower, pl.col(F.has_pain) & (heel_strike | overstriding)),
    (F.calf_protect, _flag(R.on_toes) | _has(R.tight, "calves")),
    (F.drop_floor, _floor),
    (F.drop_target, pl.min_horizontal(
        pl.lit(12.0),
        pl.max_horizontal(
            pl.col(F.drop_floor),
            pl.when(pl.col(F.wants_lower)).then(_base - DROP_STEP_MM).otherwise(_base)),
    )),
    # Rule 2: after the gate, support is preferred for over-pronation, flat arches or
    # persisting knee valgus with knee pain.
    (F.needs_support, pl.col(F.established) & pl.any_horizontal([n.when for n in SUPPORT_NEEDS])),
    (F.insole, pl.col(F.needs_support) | _flag(R.orthotics_prescribed)),
    (F.hip_programme, ~pl.col(F.established) | valgus
     | (pl.col(R.strength_status) == "weak").fill_null(False)
     | (~pl.col(R.single_leg_squat_ok).fill_null(True))
     | (pl.col(R.single_leg_balance_s).fill_null(BALANCE_MIN_S) < BALANCE_MIN_S)),
)


# ----------------------------------------------------------------------- rule 4: causes
@dataclass(frozen=True, eq=False)
class Cause:
    id: str
    label: str
    triggers: tuple[Trigger, ...]
    sources: tuple[str, ...]


_pct = pl.col(R.recent_load_increase_pct)
_km = pl.col(R.weekly_km)
_cad = pl.col(R.cadence_spm)
_deficit = pl.col(R.extension_deficit)

CAUSES: tuple[Cause, ...] = (
    Cause("overuse", "Overuse: load rose faster than the body adapted", (
        _t(_pct.fill_null(0) >= LOAD_RISE_PCT,
           pl.format("weekly volume up {}% over the last 4 weeks", num(_pct))),
        _t(_km.fill_null(0) >= HIGH_WEEKLY_KM, pl.format("high weekly volume ({} km)", num(_km))),
    ), cite("article", "product")),
    Cause("hip_weakness", "Weak hips, glutes or core", (
        _t((pl.col(R.strength_status) == "weak").fill_null(False),
           "no established hip, glute and core routine yet"),
        _t(~pl.col(R.single_leg_squat_ok).fill_null(True),
           "single-leg squat: the knee drifted in or 5 controlled reps were not possible"),
        _t(pl.col(R.single_leg_balance_s).fill_null(BALANCE_MIN_S) < BALANCE_MIN_S,
           pl.format("single-leg balance only {} s", num(pl.col(R.single_leg_balance_s)))),
        _t(valgus, "the knee drifts inward (valgus) when running or squatting"),
    ), cite("article", "willy2019", "crossley2016")),
    Cause("muscle_tightness", "Tight muscles pulling on the knee", tuple(
        _t(_has(R.tight, m), f"tight {m.replace('_', ' ')}")
        for m in ("hamstrings", "quadriceps", "calves", "hip_flexors")
    ), cite("article")),
    # A long-standing difference that never caused trouble is fine; a new one is not.
    Cause("hip_misalignment", "A new shift in hip alignment", (
        _t(_is(R.hip_alignment, "uneven_new"), "hips or pelvis newly uneven"),
    ), cite("article")),
    Cause("knee_extension_deficit", "The knee does not fully straighten", (
        _t(_is(R.extension_deficit, "left", "right", "both"),
           pl.format("reduced extension: {} knee", _deficit.replace("both", "each"))),
    ), cite("article")),
    Cause("foot_mechanics", "Foot mechanics: arches and pronation", (
        _t(_is(R.arch, "flat"), "flat arches"),
        _t(_is(R.arch, "high"), "high arches"),
        _t(_is(R.pronation, "over"), "over-pronation: the foot falls inward"),
    ), cite("article", "willy2019")),
    Cause("running_form", "Running form", (
        _t(overstriding, "overstriding: the foot lands in front of the body"),
        _t(heel_strike & pl.col(F.has_pain), "heel striking with knee pain"),
        _t(_flag(R.on_toes), "running on the balls of the feet (calves overworked)"),
        _t(_flag(R.arm_crossing), "arms swing across the body, twisting the hips"),
        _t(_cad.fill_null(LOW_CADENCE_SPM) < LOW_CADENCE_SPM,
           pl.format(f"cadence {{}} steps/min (below {LOW_CADENCE_SPM})", _cad)),
    ), cite("article", "heiderscheit2011", "willson2014")),
    Cause("footwear", "Footwear", (
        _t(_is(F.current_support, "stability", "motion_control") & ~pl.col(F.established),
           pl.format("a {} shoe before the strength work is done can hide weak hips and glutes",
                     pl.col(F.current_support).str.replace("_", " "))),
        _t(pl.col(R.current_km_used).fill_null(0) >= WORN_SHOE_KM,
           pl.format("current shoe has {} km on it", num(pl.col(R.current_km_used)))),
        _t(pl.col(F.wants_lower) & (_current_drop.fill_null(0) >= 10),
           pl.format("{} mm drop shoe with heel striking or overstriding", num(_current_drop))),
    ), cite("article", "product")),
)


# --------------------------------------------------------------------- rule 5: form cues
@dataclass(frozen=True, eq=False)
class Cue:
    id: str
    when: pl.Expr
    text: pl.Expr
    sources: tuple[str, ...]


_lo, _hi = CADENCE_RISE
CUES: tuple[Cue, ...] = (
    Cue("land_under_body", overstriding | (heel_strike & pl.col(F.has_pain)),
        pl.lit("Land with your foot under your body, not out in front: the reach causes a "
               "braking effect that sends pressure up to the knee."),
        cite("article", "willson2014")),
    Cue("increase_cadence", (_cad.fill_null(LOW_CADENCE_SPM) < LOW_CADENCE_SPM) | overstriding,
        pl.when(_cad.is_not_null()).then(pl.format(
            "Take quicker, shorter steps: raise your cadence 5–10 %, from {} to about {}–{} "
            "steps per minute, over a few weeks.", _cad,
            (_cad * (1 + _lo)).round(0).cast(pl.Int64), (_cad * (1 + _hi)).round(0).cast(pl.Int64)))
        .otherwise(pl.lit("Take quicker, shorter steps: raise your cadence by 5–10 % over a few "
                          "weeks (count your steps for 30 s and double it).")),
        cite("heiderscheit2011", "lenhart2014")),
    Cue("relax_calves", _flag(R.on_toes),
        pl.lit("Let the foot land softly under you instead of running on the balls of your feet: "
               "overworked calves pull on the knee."),
        cite("article", "vannatta2015")),
    Cue("arm_swing_forward", _flag(R.arm_crossing),
        pl.lit("Swing your arms forward and back, not across your body: crossing arms twist the "
               "hips, and the twist travels down to the knees."),
        cite("article")),
)


# --------------------------------------------------------------------- rule 6: exercises
@dataclass(frozen=True, eq=False)
class Exercise:
    id: str
    name: str
    dose: str
    why: str
    when: pl.Expr
    sources: tuple[str, ...]
    targets: pl.Expr | None = field(default=None)


_hip = pl.col(F.hip_programme)
FOAM_ROLL_TARGETS = ("glutes", "hips", "quads", "calves")  # article: never the IT band
_pain = pl.col(F.has_pain)
EXERCISES: tuple[Exercise, ...] = (
    Exercise("monster_walk", "Monster walks",
             "Mini band around the ankles: 10 steps left, 10 right; 3 rounds, daily",
             "Strengthens the hip abductors, especially glute medius, which keep the pelvis level "
             "and the knee from drifting in.", _hip, cite("article", "willy2019")),
    Exercise("glute_bridge", "Glute bridges",
             "3 × 12, hold 2–3 s at the top, daily",
             "Glutes and core stabilise the pelvis and control the hip, taking strain off the knee.",
             _hip, cite("article", "crossley2016")),
    Exercise("single_leg_balance", "Single-leg balance",
             "Knee slightly bent, 3 × 30–60 s on each leg, daily",
             "Trains the muscles that steady the knee and your sense of where it is.",
             _hip, cite("article")),
    Exercise("core_program", "Daily core programme",
             "10 minutes a day for 30 days: hips, glutes and core, not just abs",
             "Core means glutes and hips too; together they give the stability that protects "
             "the knee. Keep going once it feels better.", _hip,
             cite("article", "ferber2015", "collins2018")),
    Exercise("straight_leg_raise", "Straight leg raises",
             "3 × 10 each leg, hold 3 s at the top",
             "Strong quadriceps help the kneecap track and lower the pressure behind it. Knee pain "
             "needs a plan, not just rest.", _pain, cite("article", "crossley2016", "winters2021")),
    Exercise("hamstring_stretch", "Hamstring stretch",
             "Hold 20–30 s each leg, 2–3 times, after runs",
             "Tight hamstrings change how the lower limb moves and can load the knee.",
             _has(R.tight, "hamstrings"), cite("article")),
    Exercise("terminal_knee_extension", "Terminal knee extension",
             "Band behind the knee, straighten fully against it: 3 × 15, daily",
             "Restores the last degrees of knee straightening that the article found missing.",
             _is(R.extension_deficit, "left", "right", "both"), cite("article")),
    Exercise("popliteus_stretch", "Popliteus stretch",
             "3 × 30 s on the knee that will not straighten, daily",
             "A tight popliteus at the back of the knee can block full extension.",
             _is(R.extension_deficit, "left", "right", "both"), cite("article")),
    Exercise("foam_rolling", "Foam rolling",
             "1–2 minutes per area, daily; never the IT band",
             "Loosens glutes, hips, quads and calves that can pull on the knee. Do not foam roll "
             "the IT band.",
             (pl.col(R.tight).list.len().fill_null(0) > 0) | _pain,
             cite("article"),
             targets=pl.concat_list([
                 pl.lit("glutes"),
                 pl.when(_has(R.tight, "hip_flexors") | _pain).then(pl.lit("hips")),
                 pl.when(_has(R.tight, "quadriceps") | _has(R.tight, "hamstrings") | _pain)
                 .then(pl.lit("quads")),
                 pl.when(pl.col(F.calf_protect) | _pain).then(pl.lit("calves")),
             ]).list.drop_nulls()),
)


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


# ------------------------------------------------------------ rule 8 + 1: pair filters
class P:
    """Pair-level columns (runner × shoe)."""

    price = "price_usd"
    eligible = "eligible"
    score = "score"


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
)


#: Not a filter but a presentation rule of the single-runner shortlist (an extension of
#: SPEC §4): only the best-scoring version of a model is listed; the others are listed in
#: ``excluded`` with this id, so no eligible shoe disappears without a reason.
SAME_MODEL_RULE_ID = "same_model"
SAME_MODEL_TEXT = "another version of this model, {better}, scores higher; one version per model is listed"
SAME_MODEL_SOURCES = cite("product")


# ------------------------------------------------------------- scoring components (0..1)
@dataclass(frozen=True, eq=False)
class Component:
    name: str
    value: pl.Expr  # 0..1
    weight: float  # default weight (tunable: ShoeScorer)
    sources: tuple[str, ...]


_needs = pl.col(F.needs_support)
_drop = pl.col(S.drop_mm)
_target = pl.col(F.drop_target)
_CUSH_ORDER = {"firm": 0, "balanced": 1, "soft": 2, "max": 3}
_cush_rank = pl.col(S.cushioning).replace_strict(_CUSH_ORDER, return_dtype=pl.Int64)
_pref_rank = pl.col(R.cushioning_pref).replace_strict(_CUSH_ORDER, default=None,
                                                      return_dtype=pl.Int64)
_DROP_SCALE_MM = 6.0

COMPONENTS: tuple[Component, ...] = (
    # Rule 2: with a need for support after the gate, stability and neutral+insole are
    # preferred and a neutral shoe with an insole ranks before a firm motion-control shoe.
    # Without a need, neutral fits best (ryan2011: motion control gave the most pain).
    Component("support", pl.when(_needs).then(
        _support.replace_strict({"stability": 1.0, "neutral": 0.95, "motion_control": 0.5},
                                return_dtype=pl.Float64))
        .otherwise(_support.replace_strict({"neutral": 1.0, "stability": 0.6, "motion_control": 0.3},
                                           return_dtype=pl.Float64)),
        0.30, cite("article", "ryan2011", "malisoux2016_mc", "nielsen2014")),
    # Rule 7: closeness to the target drop; below the floor for this runner is penalised.
    Component("drop", ((1 - (_drop - _target).abs() / _DROP_SCALE_MM).clip(0, 1)
                       * pl.when(_drop < pl.col(F.drop_floor)).then(0.25).otherwise(1.0)),
              0.30, cite("article", "malisoux2016_drop")),
    # Comfort filter: the runner's own preference; without one, moderate cushioning.
    Component("cushioning", pl.when(_pref_rank.is_not_null()).then(
        (1 - (_cush_rank - _pref_rank).abs() * 0.4).clip(0, 1))
        .otherwise(_cush_rank.replace_strict({0: 0.6, 1: 1.0, 2: 1.0, 3: 0.8},
                                             return_dtype=pl.Float64)),
        0.15, cite("nigg2015")),
    Component("weight", (1 - (pl.col(S.weight_g) - 180) / 220).clip(0, 1), 0.07, cite("product")),
    Component("terrain", pl.when(pl.col(R.terrain) == "mixed").then(
        pl.when(pl.col(S.terrain) == "trail").then(1.0).otherwise(0.85)).otherwise(1.0),
        0.05, cite("product")),
    Component("price", pl.when(pl.col(R.max_price_usd).is_not_null()).then(
        (1 - 0.5 * pl.col(P.price) / pl.col(R.max_price_usd)).clip(0, 1))
        .otherwise((1 - (pl.col(P.price) - 100) / 200).clip(0, 1)),
        0.05, cite("product")),
    Component("brand", pl.when(pl.col(R.brands).list.len().fill_null(0) > 0).then(
        pl.when(pl.col(R.brands).list.eval(pl.element().str.to_lowercase())
                .list.contains(pl.col(S.brand).str.to_lowercase()))
        .then(1.0).otherwise(0.4)).otherwise(1.0),
        0.08, cite("nigg2015")),
)
COMPONENT_NAMES = tuple(c.name for c in COMPONENTS)
DEFAULT_WEIGHTS = {c.name: c.weight for c in COMPONENTS}


# ------------------------------------------------------------------ reasons (per shoe)
_cur = pl.col(F.current_drop)
_d = num(_drop)
REASONS: tuple[pl.Expr, ...] = (
    # support
    pl.when(~pl.col(F.established) & (_support == "neutral")).then(pl.lit(
        "Neutral: strength before stability — stability shoes stay locked until your hip, "
        "glute and core work is established"))
    .when(_needs & (_support == "stability")).then(pl.lit(
        "Stability shoe: your strength base is established and your feet or knees still need "
        "a little help"))
    .when(_needs & (_support == "neutral")).then(pl.lit(
        "Neutral shoe to pair with an insole: the smaller step before a firm stability shoe"))
    .when(_needs & (_support == "motion_control")).then(pl.lit(
        "Motion control: the firmest correction, ranked after a neutral shoe with an insole"))
    .when(_support == "neutral").then(pl.lit(
        "Neutral: nothing in your profile calls for a corrective shoe"))
    .otherwise(pl.format("{}: allowed now, though nothing in your profile calls for correction",
                         _support.str.replace("_", " ").str.to_titlecase())),
    # drop
    pl.when(_drop < pl.col(F.drop_floor)).then(pl.format(
        "{} mm drop is lower than advised for you (at least {} mm)", _d, num(pl.col(F.drop_floor))))
    .when(pl.col(F.wants_lower) & _cur.is_not_null() & (_drop < _cur)).then(pl.format(
        "{} mm drop: a step down from your {} mm, toward landing under your body", _d, num(_cur)))
    .when(pl.col(F.wants_lower) & _cur.is_null() & (_drop <= _target + 1)).then(pl.format(
        "{} mm drop: a lower drop helps against heel striking and overstriding", _d))
    .when(pl.col(F.calf_protect) & (_drop >= CALF_MIN_DROP_MM)).then(pl.format(
        "{} mm drop keeps extra load off your calves", _d))
    .when(_cur.is_not_null() & ((_drop - _cur).abs() <= 2)).then(pl.format(
        "{} mm drop: close to your current {} mm, nothing to re-learn", _d, num(_cur)))
    .otherwise(pl.format("{} mm drop", _d)),
    # cushioning
    pl.when(pl.col(R.cushioning_pref) == pl.col(S.cushioning)).then(
        pl.format("{} cushioning, as you prefer", pl.col(S.cushioning).str.to_titlecase())),
    # terrain
    pl.when((pl.col(R.terrain) == "mixed") & (pl.col(S.terrain) == "trail")).then(
        pl.lit("Trail shoe: grips off-road and still handles the road sections")),
    # width
    pl.when(pl.col(R.width) != "standard").then(
        pl.format("Made in {} width", pl.col(R.width).str.replace("_", " "))),
    # price
    pl.when(pl.col(R.max_price_usd).is_not_null()).then(
        pl.format("${}, within your ${} budget", num(pl.col(P.price)), num(pl.col(R.max_price_usd)))),
    # brand
    pl.when(pl.col(R.brands).list.eval(pl.element().str.to_lowercase())
            .list.contains(pl.col(S.brand).str.to_lowercase()).fill_null(False)).then(
        pl.format("{}, a brand you like", pl.col(S.brand))),
    # weight
    pl.when(pl.col(S.weight_g) < 230).then(pl.format("Light: {} g", num(pl.col(S.weight_g)))),
)


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
