"""The shoe finder's questionnaire: one step at a time, one widget per profile field, built
from the field's declared rule (kind, choices, range) in ``recommender.spec.profile``.

Answers live in ``st.session_state`` under stable widget keys (``q-<dotted-path>`` with dots
as dashes) and are mirrored in ``st.session_state[ANSWERS]`` so they survive a visit to
another page. They are also kept in the page address (query parameter ``a``, with ``u`` for
the units and ``z`` for the size system), so a reload keeps them; "Start over" clears them.
"Don't know" is an answer of its own on every question: it omits the field, which the
library reads as unknown (or as its documented default, which the plan then names).

Numbers are not range-limited by the widgets: every answer is checked by the library's own
parser (:func:`recommender.app_support.check_answers`) and a bad one is named under its
question and left out of the plan — it never blanks the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from recommender import Profile, ProfileError, parse_profile
from recommender.app_support import (
    DISTANCE_FIELDS,
    MASS_FIELDS,
    RED_FLAG_LABELS,
    SIZE_SYSTEMS,
    STEPS,
    answer_choices,
    applicable_answers,
    applies,
    check_answers,
    decode_answers,
    default_line,
    encode_answers,
    field_spec,
    from_display_unit,
    is_answered,
    profile_to_answers,
    size_in,
    size_to_us,
    to_display_unit,
    unit_label,
)
from recommender.catalog import Catalog
from recommender.rules import BALANCE_MIN_S, GATE_WEEKS
from recommender.spec.vocab import S
from recommender.validate.profile import profile_from_json

from . import pictures
from .common import humanize, shoe_labels

DONT_KNOW = "Don't know"
YES, NO = "Yes", "No"
ANSWERS = "finder-answers"  # {dotted path: widget value}, survives page switches
LOAD_MESSAGE = "finder-load-message"
STEP = "finder-step"  # index of the step shown; len(STEPS) = the plan
UNITS = "finder-units"  # "metric" | "imperial"
SIZE_SYSTEM = "finder-size-system"  # "us" | "uk" | "eu"
RF_NONE = "q-red_flags-none"
RESTORED = "finder-restored"
ALL_PATHS: tuple[str, ...] = tuple(p for s in STEPS for p in s.paths)
PLAN = len(STEPS)
UNIT_WORDS = {"metric": "km · kg", "imperial": "mi · lb"}


def widget_key(path: str) -> str:
    """Stable widget key of a profile field: ``knee.severity`` → ``q-knee-severity``."""
    return "q-" + path.replace(".", "-")


def flag_key(flag: str) -> str:
    return f"q-red_flags-{flag}"


# ----------------------------------------------------------------------------- the words
@dataclass(frozen=True)
class Question:
    label: str
    help: str | None = None
    how_to: str | None = None  # self-test instructions, shown above the answer
    title: str | None = None  # self-test name, shown above the instructions
    labels: dict[str, str] | None = None  # display words for choices


QUESTIONS: dict[str, Question] = {
    "runner_id": Question("Name or nickname for your plan (optional)",
                          "Printed on your plan. Nothing is stored on the server."),
    "sex": Question("Sex", "Sets the default size scale (women's or men's)."),
    "age": Question("Age (years)"),
    "body_mass_kg": Question("Body mass"),
    "running.weekly_km": Question("How far do you run in a typical week?"),
    "running.runs_per_week": Question("How many runs a week?"),
    "running.terrain": Question("Where do you run most?",
                                labels={"mixed": "Both road and trail"}),
    "running.recent_load_increase_pct": Question(
        "By how much has your weekly distance risen over the last 4 weeks? (%)",
        "0 if it has been steady; 50 if you went from 20 to 30 a week."),
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
            "**left with right**. A knee that cannot press flat while the "
            "other can — often the painful side — is missing the last bit of straightening; "
            "terminal knee extension and a popliteus stretch restore it."),
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
            "feet from behind (or film them with a phone). If the arch "
            "collapses and the ankle rolls in *while you simply stand still*, that is "
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
            "hips. Are they level? If not, **is that new?** A long-standing difference you have "
            "always run with is usually fine; a *new* shift in the pelvis could be causing "
            "trouble."),
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
    "gait.foot_strike": Question("Which part of your foot lands first?", "Film a few strides from the side at normal speed and pause where the foot touches down.",
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
    "current_shoe.km_used": Question("How far have you run in it?"),
    "width": Question("Foot width", labels={"extra_wide": "Extra wide"}),
    "shoe_size_us": Question("Your running-shoe size"),
    "shoe_line": Question("Sizes you buy", labels={"mens": "Men's", "womens": "Women's"}),
    "preferences.use": Question("What is the new shoe mostly for?", labels={
        "daily": "Daily training", "long": "Long runs", "workout": "Workouts / faster runs",
        "race": "Racing", "trail": "Trail running"}),
    "preferences.max_price_usd": Question("Most you want to spend (USD)"),
    "preferences.cushioning": Question("Preferred cushioning",
                                       labels={"max": "Maximal"}),
    "preferences.brands": Question("Brands you like", "A soft preference: other brands still "
                                   "appear."),
    "preferences.exclude_plated": Question("Leave out shoes with a plate (carbon or plastic)?"),
}

STEP_INTROS: dict[str, str] = {
    "about": "All optional. Your name only labels the plan you download.",
    "running": "How much and where you run now.",
    "symptoms": "What the knee feels like. Answer *Don't know* for anything you're unsure of — "
                "nothing is guessed.",
    "red_flags": "Some knee problems need a clinician before anything else. Tick any that "
                 "apply, or *None of these*.",
    "self_tests": "Six quick tests you can do at home in about ten minutes. Each answer is "
                  "optional: *Don't know* is always fine.",
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


def units() -> str:
    return st.session_state.get(UNITS) or "metric"


def size_system() -> str:
    return st.session_state.get(SIZE_SYSTEM) or "us"


def default_widget_value(path: str) -> Any:
    spec = field_spec(path)
    if path == "red_flags":
        return []
    if path in SLIDERS:
        return DONT_KNOW
    if spec.kind in ("list", "strlist"):
        return []
    if spec.kind in ("int", "float"):
        return None
    if spec.kind == "str":
        return DONT_KNOW if path == "current_shoe.shoe_id" else ""
    return DONT_KNOW  # bool and enum: nothing is preselected


def to_widget_value(path: str, answer: Any) -> Any:
    """A profile answer (``None`` = unknown) → what the widget holds (in the runner's
    units and size system)."""
    if answer is None or answer == []:
        return default_widget_value(path)
    kind = field_spec(path).kind
    if kind == "bool":
        return YES if answer else NO
    if path == "shoe_size_us":
        system = size_system()
        if system == "us":
            return float(answer)
        line = st.session_state.get(widget_key("shoe_line"))
        line = line if line in ("mens", "womens") else default_line(
            st.session_state.get(widget_key("sex")))
        shown = size_in(float(answer), system, line)
        if shown is None:
            st.session_state[SIZE_SYSTEM] = "us"
            return float(answer)
        return shown
    if kind in ("int", "float"):
        return _number_kind(path)(to_display_unit(path, answer, units()))
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
    if path == "shoe_size_us":
        return float(value)  # converted to US in current_answers (it needs the line)
    if kind in ("int", "float"):
        value = from_display_unit(path, float(value), units())
        if kind == "int" and float(value).is_integer():
            return int(value)
        return value
    return value


def _widget_values() -> dict[str, Any]:
    values = {p: st.session_state.get(widget_key(p), default_widget_value(p)) for p in ALL_PATHS}
    values["red_flags"] = [f for f in RED_FLAG_LABELS if st.session_state.get(flag_key(f))]
    return values


def init_state() -> None:
    """Seed every widget key from the remembered answers (or the page address, or the
    defaults), before any widget is drawn."""
    if not st.session_state.get(RESTORED):
        st.session_state[RESTORED] = True
        params = st.query_params
        if params.get("u") in UNIT_WORDS:
            st.session_state[UNITS] = params["u"]
        if params.get("z") in SIZE_SYSTEMS:
            st.session_state[SIZE_SYSTEM] = params["z"]
        if params.get("a") and ANSWERS not in st.session_state:
            restored = decode_answers(params["a"])
            _apply_answers(restored)
            st.session_state[RF_NONE] = params.get("n") == "1"
        step = params.get("s")
        if step and step.isdigit() and int(step) <= PLAN:
            st.session_state[STEP] = int(step)
    st.session_state.setdefault(STEP, 0)
    remembered = st.session_state.setdefault(ANSWERS, {})
    # Streamlit forgets the state of a widget that is not drawn in a run (every step but
    # one is hidden): re-assigning each key to itself keeps it (the documented way).
    for path in ALL_PATHS:
        key = widget_key(path)
        if path == "red_flags":
            for f in RED_FLAG_LABELS:
                _keep(flag_key(f), f in (remembered.get(path) or []))
            continue
        _keep(key, remembered.get(path, default_widget_value(path)))
    _keep(RF_NONE, False)
    _keep(UNITS, "metric")
    _keep(SIZE_SYSTEM, "us")


def keep_state() -> None:
    """Re-assign every answer's widget key to itself: called on every page (from
    ``streamlit_app.py``) so that answers survive a visit to another page."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("q-")]:
        st.session_state[key] = st.session_state[key]


def _keep(key: str, default: Any) -> None:
    st.session_state[key] = st.session_state.get(key, default)


@dataclass(frozen=True)
class Answers:
    """The questionnaire's state: every answer (profile units), the answers that apply,
    the valid profile dict and the problems by field."""

    raw: dict[str, Any]
    applicable: dict[str, Any]
    profile: dict[str, Any]
    errors: dict[str, str]

    @property
    def answered(self) -> int:
        n = sum(1 for v in self.applicable.values() if is_answered(v))
        return n + (1 if st.session_state.get(RF_NONE) and not self.applicable.get("red_flags")
                    else 0)

    @property
    def asked(self) -> int:
        return sum(1 for p in ALL_PATHS if applies(p, self.raw))


def current_answers() -> Answers:
    """The answers from the widgets (remembered for the next visit and kept in the page
    address), checked field by field."""
    values = _widget_values()
    st.session_state[ANSWERS] = values
    raw = {p: to_answer(p, v) for p, v in values.items()}
    raw["red_flags"] = values["red_flags"]
    errors: dict[str, str] = {}
    if raw.get("shoe_size_us") is not None:
        us, problem = size_to_us(raw["shoe_size_us"], size_system(), raw.get("shoe_line"),
                                 raw.get("sex"))
        raw["shoe_size_us"] = us
        if problem:
            errors["shoe_size_us"] = problem
    applicable = applicable_answers(raw)
    profile, more = check_answers(applicable)
    errors.update(more)
    _sync_address(raw)
    return Answers(raw, applicable, profile, errors)


def _sync_address(raw: dict[str, Any]) -> None:
    params = {"s": str(st.session_state.get(STEP, 0))}
    encoded = encode_answers(raw)
    if encoded != "e30":  # "{}"
        params["a"] = encoded
    if units() != "metric":
        params["u"] = units()
    if size_system() != "us":
        params["z"] = size_system()
    if st.session_state.get(RF_NONE):
        params["n"] = "1"
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def step_state(step_index: int, answers: Answers) -> str:
    """``done`` (every question that applies answered), ``started`` or ``todo``."""
    step = STEPS[step_index]
    paths = [p for p in step.paths if applies(p, answers.raw)]
    done = [p for p in paths if is_answered(answers.applicable.get(p))
            or (p == "red_flags" and st.session_state.get(RF_NONE))]
    if paths and len(done) == len(paths):
        return "done"
    return "started" if done else "todo"


def _apply_answers(answers: dict[str, Any]) -> None:
    # the size is shown in the system of the address (or US)
    for path in ("sex", "shoe_line"):
        st.session_state[widget_key(path)] = to_widget_value(path, answers.get(path))
    values = {p: to_widget_value(p, answers.get(p)) for p in ALL_PATHS}
    values["red_flags"] = list(answers.get("red_flags") or [])
    st.session_state[ANSWERS] = values
    for path, value in values.items():
        if path == "red_flags":
            for f in RED_FLAG_LABELS:
                st.session_state[flag_key(f)] = f in value
        else:
            st.session_state[widget_key(path)] = value


def apply_profile(profile: Profile) -> None:
    """Put a parsed profile into the widgets (call from a callback, before widgets draw)."""
    st.session_state[SIZE_SYSTEM] = "us"
    _apply_answers(profile_to_answers(profile))
    st.session_state[RF_NONE] = False


def reset_answers() -> None:
    apply_profile(Profile())
    st.session_state[STEP] = 0
    st.session_state.pop("finder-confirm-reset", None)
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


def change_units() -> None:
    """``on_change`` of the units control: convert the distances and masses already typed."""
    new = st.session_state.get(UNITS) or "metric"
    old = "imperial" if new == "metric" else "metric"
    for path in (*DISTANCE_FIELDS, *MASS_FIELDS):
        key = widget_key(path)
        value = st.session_state.get(key)
        if isinstance(value, (int, float)):
            metric = from_display_unit(path, float(value), old)
            st.session_state[key] = to_display_unit(path, metric, new)


def change_size_system(previous: str) -> None:
    """``on_change`` of the size system: convert a size already typed, when it converts."""
    new = size_system()
    key = widget_key("shoe_size_us")
    value = st.session_state.get(key)
    if value is None:
        return
    line = st.session_state.get(widget_key("shoe_line"))
    line = line if line in ("mens", "womens") else default_line(
        st.session_state.get(widget_key("sex")))
    us, problem = size_to_us(value, previous, line)
    if us is None or problem:
        return
    shown = us if new == "us" else size_in(us, new, line)
    if shown is not None:
        st.session_state[key] = shown


def go_to(step: int) -> None:
    st.session_state[STEP] = max(0, min(PLAN, step))


# ----------------------------------------------------------------------------- widgets
def _choice_format(path: str):
    labels = question(path).labels or {}

    def fmt(v: Any) -> str:
        return labels.get(v, humanize(v)) if isinstance(v, str) and v != DONT_KNOW else str(v)

    return fmt


def _assumed_note(path: str) -> None:
    spec = field_spec(path)
    if spec.default is not None and st.session_state.get(widget_key(path)) == DONT_KNOW:
        st.caption(f"Not sure? gaitkeeper then assumes **{_choice_format(path)(spec.default)}**"
                   " and says so in your plan.")


def render_field(path: str, cat: Catalog, errors: dict[str, str]) -> None:
    """Draw the widget of one profile field and, under it, its problem if it has one."""
    spec = field_spec(path)
    q = question(path)
    key = widget_key(path)
    help_text = q.help or spec.description or None
    if q.title:
        st.markdown(f"##### {q.title}")
    if q.how_to:
        st.markdown(q.how_to)
    label = q.label
    unit = unit_label(path, units())
    if unit:
        label = f"{label} ({unit})"
    if path in SLIDERS:
        lo, hi = int(spec.lo or 0), int(spec.hi or 10)
        st.select_slider(label, options=[DONT_KNOW, *range(lo, hi + 1)], key=key,
                         help=help_text)
    elif path == "current_shoe.shoe_id":
        labels = shoe_labels(cat)
        st.selectbox(label, options=[DONT_KNOW, *cat.ids], key=key, help=help_text,
                     format_func=lambda v: "Not listed / don't know" if v == DONT_KNOW
                     else labels[v])
    elif path == "preferences.brands":
        brands = sorted(set(cat.frame.get_column(S.brand).to_list()))
        st.multiselect(label, options=brands, key=key, help=help_text,
                       placeholder="Any brand")
    elif path == "shoe_size_us":
        left, right = st.columns([2, 3], vertical_alignment="bottom")
        previous = size_system()
        right.segmented_control("Size system", list(SIZE_SYSTEMS), key=SIZE_SYSTEM,
                                format_func=str.upper, required=True,
                                on_change=change_size_system, args=(previous,))
        left.number_input(f"{label} ({size_system().upper()})", step=0.5, key=key,
                          help="US, UK or EU, on the scale you buy (men's or women's). "
                               "Whole or half sizes.", placeholder=DONT_KNOW, format="%g")
    elif spec.kind == "bool":
        st.radio(label, options=[YES, NO, DONT_KNOW], key=key, help=help_text,
                 horizontal=True)
    elif spec.kind == "enum":
        if path == "gait.foot_strike" or path == "gait.arch":
            _pictures(path)
        options = [*answer_choices(path), DONT_KNOW]
        st.radio(label, options=options, key=key, help=help_text, horizontal=True,
                 format_func=_choice_format(path))
        _assumed_note(path)
    elif spec.kind == "list":
        st.multiselect(label, options=list(answer_choices(path)), key=key, help=help_text,
                       format_func=_choice_format(path), placeholder="None / don't know")
    elif spec.kind in ("int", "float"):
        is_float = _number_kind(path) is float
        st.number_input(label, step=1.0 if is_float else 1, key=key, help=help_text,
                        placeholder=DONT_KNOW, format="%g" if is_float else "%d")
    else:
        st.text_input(label, key=key, help=help_text, max_chars=120, placeholder="Optional")
    if path in errors:
        st.error(f"**Not used until fixed:** {errors[path]}", icon=":material/error:")


def _pictures(path: str) -> None:
    fmt = _choice_format(path)
    kind = "strike" if path == "gait.foot_strike" else "arch"
    st.image(pictures.row_svg(kind, [(c, fmt(c)) for c in answer_choices(path)]),
             caption="Where the foot lands first" if kind == "strike"
             else "Wet footprints: flat, normal and high arch")


def render_red_flags(errors: dict[str, str]) -> list[str]:
    """Every red flag as a checkbox, plus "None of these"; returns the flags ticked."""
    q = question("red_flags")
    st.markdown(f"**{q.label}**")
    ticked = []
    for flag, text in RED_FLAG_LABELS.items():
        if st.checkbox(humanize(text), key=flag_key(flag)):
            ticked.append(flag)
    st.checkbox("None of these", key=RF_NONE, disabled=bool(ticked))
    if ticked:
        st.error("**See a clinician before you change shoes or training.** "
                 f"{'This' if len(ticked) == 1 else 'These'} can mean more than runner's knee. "
                 "gaitkeeper still shows a plan, for after you have been checked.",
                 icon=":material/emergency:")
    elif st.session_state.get(RF_NONE):
        st.success("Thanks — none of the red flags apply.", icon=":material/check:")
    return ticked


def render_step(index: int, cat: Catalog, answers: Answers) -> None:
    """One questionnaire step: its intro, then its questions in order (follow-ups only
    when they apply), two to a row on a wide screen and in order on a phone."""
    step = STEPS[index]
    st.markdown(STEP_INTROS.get(step.id, ""))
    if step.id == "red_flags":
        render_red_flags(answers.errors)
        return
    paths = [p for p in step.paths if applies(p, answers.raw)]
    hidden = [p for p in step.paths if p not in paths]
    if step.id == "self_tests":
        for path in paths:
            with st.container(border=True):
                render_field(path, cat, answers.errors)
        return
    pairs = [paths[i:i + 2] for i in range(0, len(paths), 2)]
    for pair in pairs:  # one row per pair: on a phone the columns stack in question order
        cols = st.columns(2, gap="large")
        for col, path in zip(cols, pair, strict=False):
            with col:
                render_field(path, cat, answers.errors)
    if step.id == "symptoms" and (answers.applicable.get("knee.severity") or 0) >= 8:
        st.error("Pain of 8/10 or more: see a clinician before you change shoes or training.",
                 icon=":material/emergency:")
    if hidden and step.id == "shoes" and answers.raw.get("current_shoe.shoe_id"):
        st.caption("Its drop and support come from the catalog, so they are not asked.")
