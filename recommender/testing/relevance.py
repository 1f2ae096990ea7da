"""Graded relevance of a shoe for a runner (0..3), written down from SPEC §3/§7 and
EVIDENCE.md here, independently of ``recommender.rules``: an oracle to tune and check the
engine's component weights against (``benchmarks/tune_weights.py``).

Nothing here is imported from ``recommender.rules`` or ``recommender.core``; the numbers are
restated from their sources below, so an error in the engine's rules is not copied into the
oracle.

**0 — should not be offered** (any one of):

* *wrong terrain*: a trail shoe for a road runner or a road shoe for a trail runner; ``mixed``
  accepts both (SPEC §3.8 rule ``terrain``).
* *race or plated shoe for the wrong use*: a ``race``/``trail_race`` shoe unless the use is
  ``race``; an ``uptempo`` shoe unless the use is ``workout`` or ``race`` (SPEC §7.2: "A race
  shoe is only ranked for use: race (or workout for uptempo)"); a carbon-plated shoe for
  ``daily``, ``long`` or ``trail`` use (SPEC §7.2 "for daily use a plated racer is
  excluded"; Tenforde et al. 2023, Sports Med 53:1499: plated super shoes are made for races
  and fast workouts, navicular bone-stress injuries reported with them).
* *support before the gate*: a ``stability`` or ``motion_control`` shoe while the strength
  base is not established (SPEC §3.1: ``status == strong`` or ``weeks_consistent >= 6``, and
  the single-leg squat not failed, and single-leg balance absent or >= 30 s; "strong" with 0
  weeks of the work is read as not established, SPEC §7.3 safe reading; the article:
  stability shoes hide weak hips and glutes; Ferber et al. 2015 for the 6 weeks).
* *below the 4 mm floor*: a drop (on the runner's shoe line, SPEC §7.2) below 4 mm for a
  regular runner, >= 3 runs a week (SPEC §3.7; Malisoux et al. 2016, AJSM 44:2933: low drop
  hurt regular runners, HR 1.67). Runs per week unknown counts as regular: the cautious side.
* *the other hard filters* (SPEC §3.8): the runner's width not offered, list price above
  ``max_price_usd``, any plate when ``exclude_plated``.

**1 — acceptable**: offered, but not "good".

**2 — good**: offered, and all of

* *role fits the use* (SPEC §7.1–7.2): daily → ``daily``, ``max_cushion``, ``trail``;
  long → ``max_cushion``, ``daily``, ``trail``; trail → ``trail``; workout → ``uptempo``;
  race → ``race``, ``trail_race``.
* *support class right* (SPEC §3.2, article, EVIDENCE "Footwear"): ``neutral`` without a need
  for support (Ryan et al. 2011: prescribing by foot posture is overly simplistic and the
  motion-control shoe gave the most pain; Nielsen et al. 2014: novice pronators in neutral
  shoes were not injured more). A need is established strength plus knee pain with
  over-pronation, flat arches or knee valgus (SPEC §3.2); then a ``neutral`` shoe (with the
  insole: "the smaller step", article) or a ``stability`` shoe (SPEC §3.2 "preferred";
  Malisoux et al. 2016 BJSM) is right, a firm ``motion_control`` shoe is not ("ranks after a
  neutral shoe with an insole", SPEC §3.2).
* *drop within 2 mm of the target drop* (SPEC §3.7). The target starts from the current
  shoe's drop (the catalog row of ``current_shoe.shoe_id``, else ``current_shoe.drop_mm``,
  else 10 mm, the conventional drop and the standard arm of Malisoux et al. 2016 AJSM — an
  assumption); heel striking or overstriding with knee pain takes it one 4 mm step lower
  ("in steps", the article: lower drop against overstriding and heel striking); a regular
  runner's target is at least 4 mm; ``on_toes`` or tight calves make it at least 8 mm
  (Vannatta & Kernozek 2015: forefoot loading raises calf load).

**3 — excellent**: good, and

* *cushioning fits the load*: the runner's stated cushioning preference when there is one
  (Nigg et al. 2015, the comfort filter); else ``soft`` or ``max`` for a runner of >= 85 kg or
  >= 50 km a week (a product choice: more protection for more load); else ``balanced`` or
  ``soft`` (product choice: neither extreme without a reason).
* *current version*: the row is not superseded by a newer version in the catalog (SPEC §7.1
  ``superseded_by``; a product choice at equal fit).
* *neutral first*: for a runner who needs support, only the neutral shoe with the insole is
  excellent; a stability shoe stays good (SPEC §3.2 and the article: the smaller step first).

Referral (SPEC §3.3) does not change the grades: the shoe list is for after clearance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..spec.profile import Profile

#: SPEC §7.2 role ↔ use, written out (see the module docstring).
OFFERED_ROLES: dict[str, frozenset[str]] = {
    "daily": frozenset({"daily", "max_cushion", "trail"}),
    "long": frozenset({"daily", "max_cushion", "trail"}),
    "trail": frozenset({"daily", "max_cushion", "trail"}),
    "workout": frozenset({"daily", "max_cushion", "trail", "uptempo"}),
    "race": frozenset({"daily", "max_cushion", "trail", "uptempo", "race", "trail_race"}),
}
FITTING_ROLES: dict[str, frozenset[str]] = {
    "daily": frozenset({"daily", "max_cushion", "trail"}),
    "long": frozenset({"max_cushion", "daily", "trail"}),
    "trail": frozenset({"trail"}),
    "workout": frozenset({"uptempo"}),
    "race": frozenset({"race", "trail_race"}),
}
NO_CARBON_USES = frozenset({"daily", "long", "trail"})  # Tenforde et al. 2023
GATE_WEEKS = 6  # Ferber et al. 2015; SPEC §3.1
GATE_BALANCE_S = 30.0  # SPEC §3.1
REGULAR_RUNS = 3  # SPEC §3.7; Malisoux et al. 2016 AJSM
FLOOR_MM = 4.0  # SPEC §3.7
CALF_MM = 8.0  # SPEC §3.7
STEP_MM = 4.0  # one step lower (SPEC §3.7 "in steps")
UNKNOWN_CURRENT_MM = 10.0  # assumption: the conventional drop (Malisoux et al. 2016 AJSM)
DROP_TOLERANCE_MM = 2.0
LOADED_KG = 85.0  # product choice
LOADED_KM = 50.0  # product choice


@dataclass(frozen=True)
class Runner:
    """What the grades read from a profile, derived once per runner."""

    terrain: str
    use: str
    line: str
    width: str
    established: bool
    needs_support: bool
    regular: bool
    target_drop: float
    cushioning: frozenset[str]
    max_price: float | None
    exclude_plated: bool


@dataclass(frozen=True)
class Grade:
    grade: int
    why: tuple[str, ...]  # what held the grade down (empty for 3)


def established(profile: Profile) -> bool:
    st = profile.strength
    weeks = st.weeks_consistent
    time_ok = (st.status == "strong" and weeks != 0) or (weeks or 0) >= GATE_WEEKS
    squat_ok = st.single_leg_squat_ok is not False
    balance_ok = st.single_leg_balance_s is None or st.single_leg_balance_s >= GATE_BALANCE_S
    return time_ok and squat_ok and balance_ok


def runner_of(profile: Profile, current: Mapping[str, Any] | None = None) -> Runner:
    """``current``: the catalog row of ``profile.current_shoe.shoe_id``, if any."""
    g, k = profile.gait, profile.knee
    pain = k.pain is True or (k.severity or 0) >= 1
    est = established(profile)
    need = est and pain and (g.pronation == "over" or g.arch == "flat" or g.knee_valgus is True)
    runs = profile.running.runs_per_week
    regular = runs is None or runs >= REGULAR_RUNS
    cur = current.get("drop_mm") if current is not None else None
    if cur is None:
        cur = profile.current_shoe.drop_mm
    target = UNKNOWN_CURRENT_MM if cur is None else float(cur)
    if pain and (g.foot_strike == "heel" or g.overstriding is True):
        target -= STEP_MM
    if regular:
        target = max(target, FLOOR_MM)
    if g.on_toes is True or "calves" in profile.tight:
        target = max(target, CALF_MM)
    pref = profile.preferences
    if pref.cushioning is not None:
        cush = frozenset({pref.cushioning})
    elif ((profile.body_mass_kg or 0) >= LOADED_KG
          or (profile.running.weekly_km or 0) >= LOADED_KM):
        cush = frozenset({"soft", "max"})
    else:
        cush = frozenset({"balanced", "soft"})
    line = profile.shoe_line or ("womens" if profile.sex == "female" else "mens")
    return Runner(terrain=profile.running.terrain or "road", use=pref.use or "daily", line=line,
                  width=profile.width or "standard", established=est, needs_support=need,
                  regular=regular, target_drop=target, cushioning=cush,
                  max_price=pref.max_price_usd, exclude_plated=pref.exclude_plated is True)


def _widths(value: Any) -> set[str]:
    if isinstance(value, str):
        return {w.strip() for w in value.split(";") if w.strip()}
    return set(value or ())


def line_drop(runner: Runner, shoe: Mapping[str, Any]) -> float:
    womens = shoe.get("womens_drop_mm")
    if runner.line == "womens" and womens is not None:
        return float(womens)
    return float(shoe["drop_mm"])


def assess(runner: Runner, shoe: Mapping[str, Any]) -> Grade:
    """The grade of one catalog row (column → value) for one runner, with what held it down."""
    zero = []
    if runner.terrain != "mixed" and shoe["terrain"] != runner.terrain:
        zero.append("terrain")
    if shoe["role"] not in OFFERED_ROLES[runner.use]:
        zero.append("role")
    if shoe["plate"] == "carbon" and runner.use in NO_CARBON_USES:
        zero.append("plated")
    if shoe["support"] != "neutral" and not runner.established:
        zero.append("gate")
    drop = line_drop(runner, shoe)
    if runner.regular and drop < FLOOR_MM:
        zero.append("drop_floor")
    if runner.width not in _widths(shoe["widths"]):
        zero.append("width")
    if runner.max_price is not None and float(shoe["msrp_usd"]) > runner.max_price:
        zero.append("price")
    if runner.exclude_plated and shoe["plate"] != "none":
        zero.append("exclude_plated")
    if zero:
        return Grade(0, tuple(zero))
    good = []
    if shoe["role"] not in FITTING_ROLES[runner.use]:
        good.append("role_fit")
    right = {"neutral", "stability"} if runner.needs_support else {"neutral"}
    if shoe["support"] not in right:
        good.append("support_class")
    if abs(drop - runner.target_drop) > DROP_TOLERANCE_MM:
        good.append("drop_target")
    if good:
        return Grade(1, tuple(good))
    best = []
    if shoe["cushioning"] not in runner.cushioning:
        best.append("cushioning")
    if shoe.get("superseded_by") is not None:
        best.append("superseded")
    if shoe["support"] != "neutral":
        best.append("neutral_first")
    return Grade(2, tuple(best)) if best else Grade(3, ())


def grade(profile: Profile, shoe: Mapping[str, Any],
          current: Mapping[str, Any] | None = None) -> int:
    """0..3: how relevant the catalog row ``shoe`` is for the runner (see the module doc).
    ``current``: the catalog row of the runner's current shoe, if the profile names one."""
    return assess(runner_of(profile, current), shoe).grade


def grades(profile: Profile, shoes: Iterable[Mapping[str, Any]],
           catalog: Mapping[str, Mapping[str, Any]] | None = None) -> list[int]:
    """The grade of each row of ``shoes``; ``catalog`` (shoe_id → row) finds the current
    shoe named by the profile."""
    sid = profile.current_shoe.shoe_id
    current = catalog.get(sid) if catalog is not None and sid is not None else None
    runner = runner_of(profile, current)
    return [assess(runner, s).grade for s in shoes]
