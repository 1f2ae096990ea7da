"""The vocabulary: enums, column names and column specs, declared once.

Everything else imports from here. This module imports nothing heavy (no pandera, no
pandas, no polars) so the command line stays fast; the pandera schemas in
:mod:`recommender.schemas` are generated from the specs below, and so is the runner
profile (:mod:`recommender.profile`), so the JSON parser, the flat table and the schema
cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

# --------------------------------------------------------------------------- enums (SPEC)
SEXES = ("female", "male", "unspecified")
WIDTHS = ("standard", "wide", "extra_wide")
RUN_TERRAINS = ("road", "trail", "mixed")
SHOE_TERRAINS = ("road", "trail")
SUPPORTS = ("neutral", "stability", "motion_control")
CUSHIONINGS = ("firm", "balanced", "soft", "max")
PLATES = ("none", "plastic", "carbon")
ROLES = ("daily", "max_cushion", "uptempo", "race", "trail", "trail_race")  # SPEC §7.1
AUDIENCES = ("unisex", "mens", "womens")
VERIFIED = ("page", "maker", "estimate")
SHOE_LINES = ("mens", "womens")  # SPEC §7.2: the size scale of shoe_size_us
USES = ("daily", "long", "workout", "race", "trail")  # SPEC §7.2
PRONATIONS = ("over", "neutral", "under", "unknown")
FOOT_STRIKES = ("heel", "midfoot", "forefoot", "unknown")
ARCHES = ("flat", "normal", "high", "unknown")
STRENGTH_STATUSES = ("weak", "building", "strong")
KNEE_SIDES = ("left", "right", "both")
KNEE_LOCATIONS = ("around_kneecap", "behind_kneecap", "lateral", "medial", "below_kneecap")
AGGRAVATORS = ("stairs", "squatting", "prolonged_sitting", "running", "downhill", "kneeling")
EXTENSION_DEFICITS = ("none", "left", "right", "both")
HIP_ALIGNMENTS = ("level", "uneven_longstanding", "uneven_new", "unknown")
TIGHT_MUSCLES = ("hamstrings", "quadriceps", "calves", "hip_flexors")
RED_FLAGS = (
    "recent_trauma",
    "significant_swelling",
    "locking",
    "giving_way",
    "night_pain",
    "fever_or_redness",
    "numbness",
)
KINDS = ("shoes", "inventory", "runners")

#: Booleans in files accept these spellings, in any case.
TRUE_WORDS = ("true", "1", "yes", "y", "t")
FALSE_WORDS = ("false", "0", "no", "n", "f")
LIST_SEP = ";"

Kind = Literal["str", "int", "float", "bool", "enum", "list", "strlist"]


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of a file (or one leaf of the runner profile).

    ``kind``: ``str`` free text, ``int``/``float`` numbers in ``[lo, hi]``, ``bool``,
    ``enum`` one of ``choices``, ``list`` a ``;``-separated subset of ``choices``,
    ``strlist`` a ``;``-separated list of free strings.
    """

    name: str
    kind: Kind
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    required: bool = False  # the column must be present in a file
    nullable: bool = True  # an empty cell is allowed ("unknown")
    unique: bool = False
    default: Any = None
    lo_exclusive: bool = False  # value must be > lo rather than >= lo
    half_step: bool = False  # multiples of 0.5 (shoe sizes)
    pattern: str | None = None  # regular expression a str must match in full
    max_len: int = 200  # longest text (or list) a cell may hold: a value, never a document
    description: str = ""


# --------------------------------------------------------------------------- shoes (§1.1)
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
STACK_DROP_TOLERANCE_MM = 1.5


class ShoeCol:
    shoe_id = "shoe_id"
    brand = "brand"
    model = "model"
    version = "version"
    release_year = "release_year"
    terrain = "terrain"
    support = "support"
    drop_mm = "drop_mm"
    heel_stack_mm = "heel_stack_mm"
    forefoot_stack_mm = "forefoot_stack_mm"
    weight_g = "weight_g"
    cushioning = "cushioning"
    widths = "widths"
    plate = "plate"
    rocker = "rocker"
    msrp_usd = "msrp_usd"
    source = "source"
    role = "role"
    audience = "audience"
    weight_ref = "weight_ref"
    womens_weight_g = "womens_weight_g"
    womens_drop_mm = "womens_drop_mm"
    womens_heel_stack_mm = "womens_heel_stack_mm"
    verified = "verified"
    superseded_by = "superseded_by"


S = ShoeCol
SHOE_SPECS: tuple[ColumnSpec, ...] = (
    ColumnSpec(S.shoe_id, "str", required=True, nullable=False, unique=True, pattern=SLUG_PATTERN,
               description="unique slug brand-model-version, lowercase [a-z0-9-]"),
    ColumnSpec(S.brand, "str", required=True, nullable=False, description="as the maker writes it"),
    ColumnSpec(S.model, "str", required=True, nullable=False, description="as the maker writes it"),
    ColumnSpec(S.version, "str", required=True, nullable=False, description="as the maker writes it"),
    ColumnSpec(S.release_year, "int", 2015, 2030, required=True, nullable=False),
    ColumnSpec(S.terrain, "enum", choices=SHOE_TERRAINS, required=True, nullable=False),
    ColumnSpec(S.support, "enum", choices=SUPPORTS, required=True, nullable=False),
    ColumnSpec(S.role, "enum", choices=ROLES, required=True, nullable=False,
               description="what the shoe is for (SPEC §7.1)"),
    ColumnSpec(S.audience, "enum", choices=AUDIENCES, required=True, nullable=False,
               description="whose spec the row holds"),
    ColumnSpec(S.drop_mm, "float", 0, 16, required=True, nullable=False,
               description="heel-to-toe drop stated by the maker"),
    ColumnSpec(S.heel_stack_mm, "float", 5, 60, required=True, nullable=False),
    ColumnSpec(S.forefoot_stack_mm, "float", 5, 60, required=True, nullable=False),
    ColumnSpec(S.weight_g, "float", 120, 450, required=True, nullable=False,
               description="grams at weight_ref"),
    ColumnSpec(S.weight_ref, "str", required=True, nullable=False,
               description="the size the weight is measured at, e.g. men's US 9"),
    ColumnSpec(S.womens_weight_g, "float", 100, 450,
               description="the women's version, where it differs; empty = same as the row"),
    ColumnSpec(S.womens_drop_mm, "float", 0, 16),
    ColumnSpec(S.womens_heel_stack_mm, "float", 5, 60),
    ColumnSpec(S.cushioning, "enum", choices=CUSHIONINGS, required=True, nullable=False),
    ColumnSpec(S.widths, "list", choices=WIDTHS, required=True, nullable=False,
               description="';'-separated subset of standard;wide;extra_wide, never empty"),
    ColumnSpec(S.plate, "enum", choices=PLATES, required=True, nullable=False),
    ColumnSpec(S.rocker, "bool", required=True, nullable=False),
    ColumnSpec(S.msrp_usd, "float", 40, 400, required=True, nullable=False),
    ColumnSpec(S.verified, "enum", choices=VERIFIED, required=True, nullable=False,
               description="page: checked against the cited page; maker: maker's spec, not "
                           "yet checked; estimate"),
    ColumnSpec(S.superseded_by, "str", pattern=SLUG_PATTERN,
               description="shoe_id of the next version in the catalog"),
    ColumnSpec(S.source, "str", required=True, nullable=False, max_len=2000,
               description="URL or citation of the maker's or a lab's spec"),
)


# ------------------------------------------------------------------------ inventory (§6)
INVENTORY_LINES = ("mens", "womens", "unisex")  # SPEC §7.4


class InvCol:
    sku = "sku"
    shoe_id = "shoe_id"
    size_us = "size_us"
    width = "width"
    quantity = "quantity"
    price_usd = "price_usd"
    store_id = "store_id"
    line = "line"
    gtin = "gtin"
    title = "title"
    match = "match"
    match_score = "match_score"


INVENTORY_SPECS: tuple[ColumnSpec, ...] = (
    ColumnSpec(InvCol.sku, "str", required=True, nullable=False,
               description="the store's SKU; unique within a store"),
    ColumnSpec(InvCol.shoe_id, "str", required=True, nullable=False,
               description="a shoe_id of the catalog"),
    ColumnSpec(InvCol.size_us, "float", 4, 16, required=True, nullable=False, half_step=True),
    ColumnSpec(InvCol.width, "enum", choices=WIDTHS, required=True, nullable=False),
    ColumnSpec(InvCol.quantity, "int", 0, 100_000, required=True, nullable=False),
    ColumnSpec(InvCol.price_usd, "float", 0, 2_000, lo_exclusive=True,
               description="overrides the catalog MSRP"),
    ColumnSpec(InvCol.store_id, "str"),
    ColumnSpec(InvCol.line, "enum", choices=INVENTORY_LINES, default="unisex",
               description="size scale of size_us: mens, womens, or unisex (men's scale)"),
    ColumnSpec(InvCol.gtin, "str", description="barcode, as text"),
    ColumnSpec(InvCol.title, "str", max_len=400),
    ColumnSpec(InvCol.match, "enum", choices=("gtin", "alias", "title", "id", "review")),
    ColumnSpec(InvCol.match_score, "float", 0, 100),
)


# ------------------------------------------------------- batch outputs (§6, issues 14 and 17)
class BatchCol:
    """Columns of ``score-inventory``'s outputs beyond the §6 contract columns: the store
    (when the inventory has ``store_id``), the match as a person reads it, and the coverage
    and unmatched counts."""

    store_id = "store_id"
    # the match, readable: after the contract columns of the scored output
    brand = "brand"
    model = "model"
    version = "version"
    line = "line"  # the SKU's size scale: mens | womens | unisex (men's scale)
    size_us = "size_us"  # the SKU's size as the store labels it, on ``line``
    width = "width"
    quantity = "quantity"
    price_usd = "price_usd"  # the store's price, else the catalog MSRP
    # coverage (``<out>.coverage.csv``)
    segment = "segment"
    value = "value"
    runners = "runners"
    runners_with_match = "runners_with_match"
    share = "share"
    no_catalog_shoe = "runners_no_catalog_shoe"  # no shoe in the whole catalog passes
    store_could_fix = "runners_store_could_fix"  # a catalog shoe fits; not in stock here
    # unmatched (``<out>.unmatched.csv``)
    best_pick = "best_catalog_pick"
    best_pick_name = "best_catalog_pick_name"
    nearest = "nearest_in_stock"
    nearest_name = "nearest_in_stock_name"
    best_in_stock_score = "best_in_stock_score"  # the best match here, below the minimum
    note = "note"


B = BatchCol
#: The readable match columns, in order, after the contract columns (and ``store_id``).
MATCH_DETAIL_COLUMNS: tuple[str, ...] = (B.brand, B.model, B.version, B.line, B.size_us,
                                         B.width, B.quantity, B.price_usd)


# ---------------------------------------------------------------- runner flat table (§2.2)
class RunnerCol:
    """Columns of the flat runner table; the nested JSON paths live in ``profile``."""

    runner_id = "runner_id"
    sex = "sex"
    age = "age"
    body_mass_kg = "body_mass_kg"
    shoe_size_us = "shoe_size_us"
    shoe_line = "shoe_line"
    width = "width"
    weekly_km = "running_weekly_km"
    runs_per_week = "running_runs_per_week"
    terrain = "running_terrain"
    recent_load_increase_pct = "running_recent_load_increase_pct"
    pronation = "gait_pronation"
    foot_strike = "gait_foot_strike"
    arch = "gait_arch"
    cadence_spm = "gait_cadence_spm"
    overstriding = "gait_overstriding"
    on_toes = "gait_on_toes"
    arm_crossing = "gait_arm_crossing"
    knee_valgus = "gait_knee_valgus"
    strength_status = "strength_status"
    strength_weeks = "strength_weeks"
    single_leg_squat_ok = "strength_single_leg_squat_ok"
    single_leg_balance_s = "strength_single_leg_balance_s"
    knee_pain = "knee_pain"
    knee_side = "knee_side"
    knee_location = "knee_location"
    severity = "knee_pain_severity"
    aggravators = "knee_aggravators"
    grinding = "knee_grinding"
    extension_deficit = "knee_extension_deficit"
    hip_alignment = "hip_alignment"
    tight = "tight"
    red_flags = "red_flags"
    current_shoe_id = "current_shoe_shoe_id"
    current_drop_mm = "current_drop_mm"
    current_support = "current_support"
    current_km_used = "current_shoe_km_used"
    orthotics_uses = "orthotics_uses"
    orthotics_prescribed = "orthotics_prescribed"
    max_price_usd = "max_price_usd"
    cushioning_pref = "cushioning_pref"
    brands = "preferences_brands"
    exclude_plated = "preferences_exclude_plated"
    use = "use"


R = RunnerCol
