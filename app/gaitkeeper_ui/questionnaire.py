"""The shoe finder's questionnaire: one widget per profile field, built from the field's
declared rule (kind, choices, range) in ``recommender.profile``.

Answers live in ``st.session_state`` under stable widget keys (``q-<dotted-path>`` with dots
as dashes) and are mirrored in ``st.session_state[ANSWERS]`` so they survive a visit to
another page (Streamlit drops the state of widgets that are not drawn). "Don't know" is an
answer of its own: it omits the field, which the library reads as unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from recommender import Profile, ProfileError, parse_profile
from recommender.app_support import (
    RED_FLAG_LABELS,
    STEPS,
    answer_choices,
    answers_to_profile_dict,
    field_spec,
    profile_to_answers,
)
from recommender.catalog import Catalog
from recommender.rules import BALANCE_MIN_S, GATE_WEEKS
from recommender.spec.vocab import S
from recommender.validate.profile import profile_from_json

from .common import humanize, shoe_labels

DONT_KNOW = "Don't know"
YES, NO = "Yes", "No"
ANSWERS = "finder-answers"  # {dotted path: widget value}, survives page switches
LOAD_MESSAGE = "finder-load-message"
ALL_PATHS: tuple[str, ...] = tuple(p for s in STEPS for p in s.paths)


def widget_key(path: str) -> str:
    """Stable widget key of a profile field: ``knee.severity`` → ``q-knee-severity``."""
    return "q-" + path.replace(".", "-")


# ----------------------------------------------------------------------------- the words
@dataclass(frozen=True)
class Question:
    label: str
    help: str | None = None
    how_to: str | None = None  # self-test instructions, shown above the answer
    title: str | None = None  # self-test name, shown above the instructions
    labels: dict[str, str] | None = None  # display words for choices


QUESTIONS: dict[str, Question] = {
    "runner_id": Question("Name or nickname for your plan",
                          "Printed on your plan. Nothing is stored on the server."),
    "sex": Question("Sex"),
    "age": Question("Age (years)"),
    "body_mass_kg": Question("Body mass (kg)"),
    "running.weekly_km": Question("How many kilometres do you run in a typical week?"),
    "running.runs_per_week": Question("How many runs a week?"),
    "running.terrain": Question("Where do you run most?",
                                labels={"mixed": "Both road and trail"}),
    "running.recent_load_increase_pct": Question(
        "By how much has your weekly distance risen over the last 4 weeks? (%)",
        "0 if it has been steady; 50 if you went from 20 to 30 km a week."),
    "knee.pain": Question("Do you have knee pain during or after running?"),
    "knee.side": Question("Which knee?"),
    "knee.location": Question("Where does it hurt?", labels={
        "around_kneecap": "Around the kneecap", "behind_kneecap": "Behind the kneecap",
        "lateral": "Outside of the knee", "medial": "Inside of the knee",
        "below_kneecap": "Below the kneecap"}),
    "knee.severity": Question("How bad is the pain at its worst?",
                              "0 = no pain, 10 = the worst pain you can imagine."),
    "knee.aggravators": Question("What makes it worse?", labels={
        "prolonged_sitting": "Sitting for a long time with the knee bent",
        "downhill": "Running downhill"}),
    "knee.grinding": Question("Do you feel grinding or clicking in the knee?"),
    "tight": Question("Which muscles feel tight?", labels={"quadriceps": "Quads (front of thigh)",
                                                          "hip_flexors": "Hip flexors"}),
    "red_flags": Question("Do any of these apply to you? Pick all that do.",
                          "Any one of them means: see a clinician before changing shoes or "
                          "training.",
                          labels={k: humanize(v) for k, v in RED_FLAG_LABELS.items()}),
    "knee.extension_deficit": Question(
        "Knee extension: does a knee fail to straighten fully?",
        title="Test 1 · Knee extension, left vs right",
        how_to=(
            "Sit on the floor with both legs straight out in front of you. Tighten your thighs "
            "and press the back of each knee down toward the floor, one at a time, and compare "
            "**left with right**. The article's author could push her right knee into "
            "hyper-extension but had *zero* extension on the left — her painful side. That "
            "missing last bit of straightening is what terminal knee extension and a popliteus "
            "stretch restore."),
        labels={"none": "Both straighten fully", "left": "The left one doesn't",
                "right": "The right one doesn't", "both": "Neither does"}),
    "strength.single_leg_squat_ok": Question(
        "Single-leg squat: 5 controlled reps, knee staying in line?",
        title="Test 2 · Single-leg squat",
        how_to=(
            "Stand on the painful leg facing a mirror, hands on your hips. Slowly bend the knee "
            "as if sitting back onto a high chair, a quarter of the way down, and stand up "
            "again — **5 times**. Watch the knee: it should stay over your second toe. If it "
            "drifts inward (knee valgus) or you cannot control 5 reps, answer **No**."),
        labels=None),
    "strength.single_leg_balance_s": Question(
        "Single-leg balance: how many seconds did you hold it?",
        title="Test 3 · Timed single-leg balance",
        how_to=(
            "Stand on the painful leg with the knee slightly bent, eyes open, and time how long "
            "you hold without touching down or grabbing anything (stop the clock at 60 s). "
            f"Under **{BALANCE_MIN_S:g} s** means the balance work is not done yet."),
    ),
    "gait.pronation": Question(
        "Standing foot check: does your foot fall inward?",
        title="Test 4 · Standing foot check",
        how_to=(
            "Stand barefoot and relaxed, feet hip-width apart, and have someone look at your "
            "feet from behind (or film them with a phone). The author's physical therapist "
            "noticed her foot *falling inward while simply standing still*: that is "
            "over-pronation, and it can let the knee drift in."),
        labels={"over": "Falls inward (over-pronation)", "neutral": "Stays upright (neutral)",
                "under": "Rolls to the outside (under-pronation)"}),
    "gait.arch": Question(
        "How high is your arch?",
        title="Test 5 · Wet-foot arch check",
        how_to=("Wet the sole of your foot and stand on a dark tile or paper bag: a full, wide "
                "print suggests a flat arch; only a thin outer band, a high arch."),
        labels={"flat": "Flat", "normal": "Normal", "high": "High"}),
    "hips.alignment": Question(
        "Are your hips level, and is any difference new?",
        title="Test 6 · Hip level check",
        how_to=(
            "Stand in front of a mirror with your thumbs on the bony points at the front of your "
            "hips. Are they level? If not, **is that new?** The author's right leg is shorter "
            "and she ran pain-free with it for years: a long-standing difference you have always "
            "had is fine. A *new* shift in the pelvis could be causing trouble."),
        labels={"level": "Level", "uneven_longstanding": "Uneven, and it has always been so",
                "uneven_new": "Uneven, and that is new"}),
    "strength.status": Question(
        "How would you describe your hip, glute and core strength?",
        labels={"weak": "Weak, or not training it yet", "building": "Building it up",
                "strong": "Strong"}),
    "strength.weeks_consistent": Question(
        "For how many weeks have you done hip, glute and core work consistently?",
        f"Stability shoes and insoles unlock after {GATE_WEEKS} weeks of consistent work "
        "(or when you would call yourself strong) and when the self-tests pass."),
    "orthotics.uses": Question("Do you use insoles or orthotics now?"),
    "orthotics.clinician_prescribed": Question("Were they prescribed by a clinician?"),
    "gait.foot_strike": Question("Which part of your foot lands first?",
                                 labels={"heel": "Heel", "midfoot": "Midfoot",
                                         "forefoot": "Forefoot / toes"}),
    "gait.overstriding": Question("Does your foot land out in front of your body (overstriding)?"),
    "gait.on_toes": Question("Do you run on the balls of your feet, with tired or tight calves?"),
    "gait.arm_crossing": Question("Do your arms swing across your body?"),
    "gait.knee_valgus": Question("Does your knee drift inward when you run or squat?"),
    "gait.cadence_spm": Question("Cadence (steps per minute)",
                                 "Count your steps for 30 s on an easy run and double it."),
    "current_shoe.shoe_id": Question("Your current running shoe (if it's in the catalog)"),
    "current_shoe.drop_mm": Question("Its heel-to-toe drop (mm), if the shoe isn't listed",
                                     "Printed on the maker's site; leave empty if unsure."),
    "current_shoe.support": Question("Its support type, if the shoe isn't listed"),
    "current_shoe.km_used": Question("How many kilometres are on it?"),
    "width": Question("Foot width", labels={"extra_wide": "Extra wide"}),
    "shoe_size_us": Question("Shoe size (US)"),
    "preferences.max_price_usd": Question("Most you want to spend (USD)"),
    "preferences.cushioning": Question("Preferred cushioning",
                                       labels={"max": "Maximal"}),
    "preferences.brands": Question("Brands you like", "A soft preference: other brands still "
                                   "appear."),
    "preferences.exclude_plated": Question("Leave out shoes with a plate (carbon or plastic)?"),
}

STEP_INTROS: dict[str, str] = {
    "about": "Optional. Your name only labels the plan you download.",
    "running": "How much and where you run now.",
    "symptoms": "What the knee feels like. Answer *Don't know* for anything you're unsure of — "
                "nothing is guessed.",
    "red_flags": "Some knee problems need a clinician before anything else.",
    "self_tests": "Quick tests from the article you can do at home in about ten minutes. "
                  "Each answer is optional.",
    "strength": "Strength before stability: what hip, glute and core work you already do.",
    "form": "How you run. A friend or a phone video helps.",
    "shoes": "Your current shoe, fit and what you want from the next one.",
}


def question(path: str) -> Question:
    return QUESTIONS.get(path) or Question(humanize(path.rsplit(".", 1)[-1]))


# ------------------------------------------------------------------ widget values ↔ answers
def _number_kind(path: str) -> type:
    return int if field_spec(path).kind == "int" else float


SLIDERS = frozenset({"knee.severity"})  # whole-number scales shown as a slider


def default_widget_value(path: str) -> Any:
    spec = field_spec(path)
    if path in SLIDERS:
        return DONT_KNOW
    if spec.kind in ("list", "strlist"):
        return []
    if spec.kind in ("int", "float"):
        return None
    if spec.kind == "str":
        return spec.default or (DONT_KNOW if path == "current_shoe.shoe_id" else "")
    if spec.kind == "bool":
        return DONT_KNOW
    return spec.default if spec.default is not None else DONT_KNOW


def to_widget_value(path: str, answer: Any) -> Any:
    """A profile answer (``None`` = unknown) → what the widget holds."""
    if answer is None:
        return default_widget_value(path)
    kind = field_spec(path).kind
    if kind == "bool":
        return YES if answer else NO
    if kind in ("int", "float"):
        return _number_kind(path)(answer)
    if kind in ("list", "strlist"):
        return list(answer)
    return answer


def to_answer(path: str, value: Any) -> Any:
    """What the widget holds → the profile answer (``None`` = don't know)."""
    if value is None or value == DONT_KNOW:
        return None
    kind = field_spec(path).kind
    if kind == "str":
        return value.strip() or None
    if kind == "bool":
        return value == YES
    if kind in ("int", "float"):
        return _number_kind(path)(value)
    return value


def init_state() -> None:
    """Seed every widget key from the remembered answers (or the defaults), before any
    widget is drawn."""
    remembered = st.session_state.setdefault(ANSWERS, {})
    for path in ALL_PATHS:
        key = widget_key(path)
        if key not in st.session_state:
            st.session_state[key] = remembered.get(path, default_widget_value(path))


def current_answers() -> dict[str, Any]:
    """``{dotted path: answer}`` from the widgets; remembered for the next visit."""
    values = {p: st.session_state.get(widget_key(p), default_widget_value(p)) for p in ALL_PATHS}
    st.session_state[ANSWERS] = values
    return {p: to_answer(p, v) for p, v in values.items()}


def answered_count() -> int:
    """How many questions have an answer other than "don't know" or the field's default."""
    return sum(1 for p, v in current_answers().items()
               if v not in (None, []) and v != field_spec(p).default)


def profile_dict() -> dict[str, Any]:
    """The nested profile JSON (SPEC §2.1) of the current answers."""
    return answers_to_profile_dict(current_answers())


def apply_profile(profile: Profile) -> None:
    """Put a parsed profile into the widgets (call from a callback, before widgets draw)."""
    answers = profile_to_answers(profile)
    values = {p: to_widget_value(p, answers.get(p)) for p in ALL_PATHS}
    st.session_state[ANSWERS] = values
    for path, value in values.items():
        st.session_state[widget_key(path)] = value


def reset_answers() -> None:
    apply_profile(Profile())
    st.session_state[LOAD_MESSAGE] = ("info", ["Answers cleared."])


def load_profile_data(data: Any, source: str) -> None:
    """Parse a profile JSON object and load it, or remember the field errors to show."""
    try:
        profile = parse_profile(data, source=source)
    except ProfileError as exc:
        st.session_state[LOAD_MESSAGE] = ("error", [str(e) for e in exc.errors])
        return
    apply_profile(profile)
    st.session_state[LOAD_MESSAGE] = ("success", [f"Loaded the profile of {profile.runner_id}."])


def load_uploaded_profile() -> None:
    """``on_change`` of the profile uploader."""
    upload = st.session_state.get("profile-upload")
    if upload is None:
        return
    try:
        profile = profile_from_json(upload.getvalue(), source="uploaded profile")
    except ProfileError as exc:
        st.session_state[LOAD_MESSAGE] = ("error", [str(e) for e in exc.errors])
        return
    apply_profile(profile)
    st.session_state[LOAD_MESSAGE] = ("success", [f"Loaded the profile of {profile.runner_id}."])


# ----------------------------------------------------------------------------- widgets
def _choice_format(path: str):
    labels = question(path).labels or {}

    def fmt(v: Any) -> str:
        return labels.get(v, humanize(v)) if isinstance(v, str) and v != DONT_KNOW else str(v)

    return fmt


def render_field(path: str, cat: Catalog) -> None:
    """Draw the widget of one profile field; its value stays in ``st.session_state``."""
    spec = field_spec(path)
    q = question(path)
    key = widget_key(path)
    help_text = q.help or spec.description or None
    if q.title:
        st.markdown(f"##### {q.title}")
    if q.how_to:
        st.markdown(q.how_to)
    if path in SLIDERS:
        lo, hi = int(spec.lo or 0), int(spec.hi or 10)
        st.select_slider(q.label, options=[DONT_KNOW, *range(lo, hi + 1)], key=key,
                         help=help_text)
    elif path == "current_shoe.shoe_id":
        labels = shoe_labels(cat)
        st.selectbox(q.label, options=[DONT_KNOW, *cat.ids], key=key, help=help_text,
                     format_func=lambda v: "Not listed / don't know" if v == DONT_KNOW
                     else labels[v])
    elif path == "preferences.brands":
        brands = sorted(set(cat.frame.get_column(S.brand).to_list()))
        st.multiselect(q.label, options=brands, key=key, help=help_text,
                       placeholder="Any brand")
    elif spec.kind == "bool":
        st.radio(q.label, options=[YES, NO, DONT_KNOW], key=key, help=help_text,
                 horizontal=True)
    elif spec.kind == "enum":
        choices = list(answer_choices(path))
        options = choices if spec.default is not None else [*choices, DONT_KNOW]
        st.radio(q.label, options=options, key=key, help=help_text, horizontal=True,
                 format_func=_choice_format(path))
    elif spec.kind == "list":
        st.multiselect(q.label, options=list(answer_choices(path)), key=key, help=help_text,
                       format_func=_choice_format(path), placeholder="None")
    elif spec.kind in ("int", "float"):
        number = _number_kind(path)
        step = number(1) if not spec.half_step else 0.5
        lo = None if spec.lo is None else number(spec.lo) + (step if spec.lo_exclusive else 0)
        hi = None if spec.hi is None else number(spec.hi)
        st.number_input(q.label, min_value=lo, max_value=hi, step=step, key=key,
                        help=help_text, placeholder=DONT_KNOW,
                        format="%d" if number is int else ("%.1f" if spec.half_step else "%g"))
    else:
        st.text_input(q.label, key=key, help=help_text, max_chars=120)


def render_step(step_id: str, cat: Catalog) -> None:
    step = next(s for s in STEPS if s.id == step_id)
    st.markdown(STEP_INTROS.get(step_id, ""))
    if step_id == "self_tests":
        cols = st.columns(2)
        for i, path in enumerate(step.paths):
            with cols[i % 2].container(border=True):
                render_field(path, cat)
        return
    if step_id == "red_flags":
        render_field("red_flags", cat)
        return
    cols = st.columns(2)
    for i, path in enumerate(step.paths):
        with cols[i % 2]:
            render_field(path, cat)
