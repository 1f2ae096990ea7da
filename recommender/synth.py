"""A seeded generator of SYNTHETIC runner profiles (SPEC §1.2), vectorised with numpy.

Every prior is declared in :data:`PRIORS` with its source. Where the literature gives no
figure, the prior is a documented product assumption (``source="assumption"``), chosen to
give a knee-pain clinic/store cohort with every rule exercised. Runner ids start with
``synthetic-`` so no row can be mistaken for a real person. Unknown answers appear at the
rate :data:`UNKNOWN_RATE` on the optional self-report fields, as in real questionnaires.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from .spec.dtypes import frame_schema
from .spec.profile import RUNNER_SPECS
from .spec.vocab import (
    AGGRAVATORS,
    RED_FLAGS,
    TIGHT_MUSCLES,
    R,
)


@dataclass(frozen=True)
class Prior:
    shares: dict[str, float]
    source: str


LARSON = "Larson et al. 2011, J Sports Sci 29:1665 (about 89 % rearfoot strikers)"
ASSUME = "assumption"
ARTICLE = "seed article: knee valgus is more common in female runners (Q-angle)"

PRIORS: dict[str, Prior] = {
    R.use: Prior({"daily": 0.70, "long": 0.10, "workout": 0.10, "race": 0.05, "trail": 0.05},
                 ASSUME),
    R.sex: Prior({"female": 0.50, "male": 0.48, "unspecified": 0.02}, ASSUME),
    R.width: Prior({"standard": 0.80, "wide": 0.16, "extra_wide": 0.04}, ASSUME),
    R.terrain: Prior({"road": 0.70, "trail": 0.10, "mixed": 0.20}, ASSUME),
    R.foot_strike: Prior({"heel": 0.89, "midfoot": 0.08, "forefoot": 0.03}, LARSON),
    R.pronation: Prior({"over": 0.30, "neutral": 0.55, "under": 0.15}, ASSUME),
    R.arch: Prior({"flat": 0.20, "normal": 0.60, "high": 0.20}, ASSUME),
    R.strength_status: Prior({"weak": 0.50, "building": 0.30, "strong": 0.20}, ASSUME),
    R.knee_pain: Prior({"true": 0.70, "false": 0.30}, ASSUME + " (a knee-pain cohort)"),
    R.knee_location: Prior({"around_kneecap": 0.45, "behind_kneecap": 0.25, "lateral": 0.10,
                            "medial": 0.10, "below_kneecap": 0.10},
                           "seed article: pain around or behind the kneecap"),
    R.extension_deficit: Prior({"none": 0.90, "left": 0.04, "right": 0.04, "both": 0.02}, ASSUME),
    R.hip_alignment: Prior({"level": 0.65, "uneven_longstanding": 0.20, "uneven_new": 0.05,
                            "unknown": 0.10}, ASSUME),
    R.current_support: Prior({"neutral": 0.75, "stability": 0.22, "motion_control": 0.03}, ASSUME),
    R.current_drop_mm: Prior({"0": 0.03, "4": 0.12, "6": 0.15, "8": 0.30, "10": 0.25, "12": 0.15},
                             ASSUME),
    R.cushioning_pref: Prior({"firm": 0.10, "balanced": 0.45, "soft": 0.30, "max": 0.15}, ASSUME),
}
SIDE_PRIOR = Prior({"left": 0.4, "right": 0.4, "both": 0.2}, ASSUME)
#: Per-muscle / per-flag / per-aggravator probabilities (independent).
TIGHT_P = {"hamstrings": 0.30, "quadriceps": 0.15, "calves": 0.25, "hip_flexors": 0.20}
RED_FLAG_P = 0.01
AGGRAVATOR_P = {"stairs": 0.50, "squatting": 0.45, "prolonged_sitting": 0.30, "running": 0.70,
                "downhill": 0.35, "kneeling": 0.20}
VALGUS_P = {"female": 0.35, "male": 0.20, "unspecified": 0.27}  # ARTICLE
OVERSTRIDE_P_HEEL = 0.45  # assumption: most overstriders are heel strikers
UNKNOWN_RATE = 0.10  # share of optional self-report answers left blank
BRANDS = ("Brooks", "Hoka", "ASICS", "Saucony", "New Balance", "Nike", "Adidas", "On", "Altra",
          "Mizuno")


def _choice(rng: np.random.Generator, prior: Prior, n: int) -> np.ndarray:
    keys = list(prior.shares)
    p = np.array([prior.shares[k] for k in keys], dtype=float)
    return np.array(keys)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _where(keep: np.ndarray, values: np.ndarray | pl.Series) -> pl.Series:
    """``values`` where ``keep``, else null (unknown)."""
    return pl.select(pl.when(pl.Series(keep)).then(pl.Series(values))).to_series()


def _blank(rng: np.random.Generator, values: np.ndarray, rate: float = UNKNOWN_RATE) -> pl.Series:
    return _where(rng.random(len(values)) >= rate, values)


def _list_column(rng: np.random.Generator, names: tuple[str, ...], probs: dict[str, float] | float,
                 n: int, mask: np.ndarray | None = None) -> pl.Series:
    code = np.zeros(n, dtype=np.int64)
    for bit, name in enumerate(names):
        p = probs if isinstance(probs, float) else probs[name]
        hit = rng.random(n) < p
        if mask is not None:
            hit &= mask
        code |= hit.astype(np.int64) << bit
    # every combination of items is one of 2**k lists: look each row's up by its bit code
    patterns = pl.Series([[nm for b, nm in enumerate(names) if c >> b & 1]
                          for c in range(2 ** len(names))], dtype=pl.List(pl.String))
    return patterns.gather(code)


def synth_runners(n: int, seed: int) -> pl.DataFrame:
    """``n`` synthetic runners in the flat form (SPEC §2.2); same seed, same frame."""
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = np.random.default_rng(seed)
    sex = _choice(rng, PRIORS[R.sex], n)
    female = sex == "female"
    age = np.clip(rng.normal(38, 11, n).round(), 16, 80).astype(np.int64)
    mass = np.where(female, rng.normal(63, 9, n), rng.normal(77, 11, n)).clip(40, 150).round(1)
    size = (np.where(female, rng.normal(8.0, 1.2, n), rng.normal(10.0, 1.3, n)) * 2).round() / 2
    size = size.clip(5, 14)
    runs = np.clip(rng.poisson(3.5, n), 1, 10).astype(np.int64)
    weekly = (runs * rng.lognormal(np.log(7.5), 0.35, n)).clip(3, 200).round(1)
    load = np.where(rng.random(n) < 0.70, rng.uniform(0, 10, n), rng.uniform(10, 80, n)).round(0)
    strike = _choice(rng, PRIORS[R.foot_strike], n)
    heel = strike == "heel"
    overstride = rng.random(n) < np.where(heel, OVERSTRIDE_P_HEEL, 0.10)
    on_toes = rng.random(n) < np.where(strike == "forefoot", 0.6, 0.05)
    cadence = np.clip(rng.normal(166, 9, n) - overstride * 5, 130, 210).round().astype(np.int64)
    valgus = rng.random(n) < np.select([sex == k for k in VALGUS_P], list(VALGUS_P.values()))
    status = _choice(rng, PRIORS[R.strength_status], n)
    weeks = np.select(
        [status == "weak", status == "building"],
        [rng.integers(0, 3, n), rng.integers(1, 11, n)],
        rng.integers(6, 53, n),
    ).astype(np.int64)
    squat_p = np.select([status == "weak", status == "building"], [0.35, 0.60], 0.85)
    squat_ok = rng.random(n) < squat_p
    balance = np.clip(rng.normal(np.select([status == "weak", status == "building"], [22, 33], 45),
                                 12, n), 2, 120).round(0)
    pain = _choice(rng, PRIORS[R.knee_pain], n) == "true"
    severity = np.where(pain, np.clip(rng.binomial(10, 0.42, n), 1, 10), 0).astype(np.int64)
    deficit = _choice(rng, PRIORS[R.extension_deficit], n)
    current_drop = _choice(rng, PRIORS[R.current_drop_mm], n).astype(float)
    has_price = rng.random(n) < 0.40
    price = np.where(has_price, rng.choice([100, 120, 140, 160, 180, 200, 250], n), np.nan)
    brand_pick = rng.random(n) < 0.30
    brand_code = np.where(brand_pick, rng.integers(0, len(BRANDS), n) + 1, 0)
    brands = pl.Series([[], *([b] for b in BRANDS)], dtype=pl.List(pl.String)).gather(brand_code)
    ortho = rng.random(n) < 0.15
    prescribed = ortho & (rng.random(n) < 0.5)
    cols = {
        R.runner_id: pl.select(pl.format(f"synthetic-{seed}-{{}}",
                                         pl.int_range(n).cast(pl.String).str.zfill(7))).to_series(),
        R.sex: sex,
        R.age: _blank(rng, age),
        R.body_mass_kg: _blank(rng, mass),
        R.shoe_size_us: size,
        R.width: _choice(rng, PRIORS[R.width], n),
        R.weekly_km: weekly,
        R.runs_per_week: runs,
        R.terrain: _choice(rng, PRIORS[R.terrain], n),
        R.recent_load_increase_pct: _blank(rng, load),
        R.pronation: _blank(rng, _choice(rng, PRIORS[R.pronation], n)),
        R.foot_strike: _blank(rng, strike),
        R.arch: _blank(rng, _choice(rng, PRIORS[R.arch], n)),
        R.cadence_spm: _blank(rng, cadence),
        R.overstriding: overstride,
        R.on_toes: on_toes,
        R.arm_crossing: rng.random(n) < 0.20,
        R.knee_valgus: valgus,
        R.strength_status: status,
        R.strength_weeks: weeks,
        R.single_leg_squat_ok: _blank(rng, squat_ok),
        R.single_leg_balance_s: _blank(rng, balance),
        R.knee_pain: pain,
        R.knee_side: _where(pain, _choice(rng, SIDE_PRIOR, n)),
        R.knee_location: _where(pain, _choice(rng, PRIORS[R.knee_location], n)),
        R.severity: severity,
        R.aggravators: _list_column(rng, AGGRAVATORS, AGGRAVATOR_P, n, mask=pain),
        R.grinding: pain & (rng.random(n) < 0.25),
        R.extension_deficit: deficit,
        R.hip_alignment: _choice(rng, PRIORS[R.hip_alignment], n),
        R.tight: _list_column(rng, TIGHT_MUSCLES, TIGHT_P, n),
        R.red_flags: _list_column(rng, RED_FLAGS, RED_FLAG_P, n),
        R.current_shoe_id: pl.repeat(None, n, dtype=pl.String, eager=True),
        R.current_drop_mm: current_drop,
        R.current_support: _choice(rng, PRIORS[R.current_support], n),
        R.current_km_used: rng.uniform(0, 1000, n).round(0),
        R.orthotics_uses: ortho,
        R.orthotics_prescribed: prescribed,
        R.max_price_usd: price,
        R.cushioning_pref: _where(rng.random(n) < 0.5, _choice(rng, PRIORS[R.cushioning_pref], n)),
        R.brands: brands,
        R.exclude_plated: rng.random(n) < 0.10,
        R.shoe_line: _blank(rng, np.where(female, np.where(rng.random(n) < 0.9, "womens", "mens"),
                                          "mens"), rate=0.3),
        R.use: _choice(rng, PRIORS[R.use], n),
    }
    schema = frame_schema(RUNNER_SPECS)
    data = {}
    for name, dtype in schema.items():
        values = cols[name]
        if isinstance(values, np.ndarray) and values.dtype.kind == "f":
            data[name] = pl.Series(name, values, dtype=pl.Float64, nan_to_null=True)
        elif isinstance(values, pl.Series):
            data[name] = values.alias(name)
        else:
            data[name] = pl.Series(name, values, dtype=dtype, strict=False)
    return pl.DataFrame(data).cast(schema)  # type: ignore[arg-type]


def synth_inventory(catalog: pl.DataFrame, seed: int, n_models: int = 90,
                    stores: tuple[str, ...] = ("store-001", "store-002")) -> pl.DataFrame:
    """A SYNTHETIC store inventory (SPEC §6, §7.4): ``n_models`` catalog models, current ones
    favoured, each stocked in the men's line (US 7–13) and, for most, the women's line
    (US 5–10.5); every width the model is made in (wide and extra wide in fewer sizes);
    quantities skewed to the middle sizes; some sizes out of stock (quantity 0). The first
    store carries every model, the second about half of them (same SKU codes, as a chain's
    export lists them). Same seed, same frame."""
    rng = np.random.default_rng(seed)
    cat = catalog.sort("shoe_id")
    current = cat.filter(pl.col("superseded_by").is_null()) if "superseded_by" in cat.columns \
        else cat
    older = cat.join(current.select("shoe_id"), on="shoe_id", how="anti")
    n_current = min(current.height, round(n_models * 0.8))
    n_older = min(older.height, n_models - n_current)
    chosen = sorted([*rng.choice(current.get_column("shoe_id").to_list(), n_current,
                                 replace=False).tolist(),
                     *(rng.choice(older.get_column("shoe_id").to_list(), n_older,
                                  replace=False).tolist() if n_older else [])])
    widths = dict(zip(cat.get_column("shoe_id").to_list(), cat.get_column("widths").to_list(),
                      strict=True))
    price = dict(zip(cat.get_column("shoe_id").to_list(), cat.get_column("msrp_usd").to_list(),
                     strict=True))
    audience = dict(zip(cat.get_column("shoe_id").to_list(),
                        (cat.get_column("audience").to_list() if "audience" in cat.columns
                         else ["mens"] * cat.height), strict=True))
    rows = []
    for shoe in chosen:
        discount = rng.random() < 0.2
        lines = {"womens": ["womens"], "unisex": ["unisex"]}.get(
            audience[shoe], ["mens", "womens"] if rng.random() < 0.8 else ["mens"])
        in_second = rng.random() < 0.5
        for line in lines:
            low, high = (5.0, 10.5) if line == "womens" else (7.0, 13.0)
            sizes = np.arange(low, high + 0.5, 0.5)
            for width in widths[shoe]:
                keep = sizes if width == "standard" else sizes[(sizes >= low + 1.5)
                                                                 & (sizes <= high - 1.5)]
                for size in keep:
                    mid = (low + high) / 2
                    mean = max(0.3, 5.0 - abs(size - mid) * 1.1) * (1.0 if width == "standard"
                                                                      else 0.5)
                    sku = (f"{shoe}-{line[0]}{width[0]}{width.count('_')}-{size:04.1f}"
                           .replace(".", "").upper())
                    for store in stores[:2] if in_second else stores[:1]:
                        rows.append({
                            "sku": sku, "shoe_id": shoe, "size_us": float(size),
                            "width": width, "quantity": int(rng.poisson(mean)),
                            "price_usd": round(price[shoe] * 0.8, 2) if discount else None,
                            "store_id": store, "line": line,
                        })
    return pl.DataFrame(rows, schema={"sku": pl.String, "shoe_id": pl.String,
                                      "size_us": pl.Float64, "width": pl.String,
                                      "quantity": pl.Int64, "price_usd": pl.Float64,
                                      "store_id": pl.String, "line": pl.String})


def fuzz_runners(n: int, seed: int, catalog_ids: list[str] | None = None,
                 unknown_rate: float = 0.2) -> pl.DataFrame:
    """``n`` UNIFORMLY RANDOM valid runner rows (canonical frame), for property and fuzz
    runs: every field drawn over its whole declared range or choice set (not realistic
    priors), left unknown at ``unknown_rate``. Fields with a default get the default when
    unknown, as a file's empty cell does. Same seed, same frame."""
    rng = np.random.default_rng(seed)
    schema = frame_schema(RUNNER_SPECS)
    data: dict[str, pl.Series] = {}
    for spec in RUNNER_SPECS:
        name, kind = spec.name, spec.kind
        if name == R.runner_id:
            data[name] = pl.select(pl.format(f"fuzz-{seed}-{{}}", pl.int_range(n))).to_series()
            continue
        if kind in ("list", "strlist"):
            choices = spec.choices if kind == "list" else BRANDS
            code = rng.integers(0, 2 ** len(choices), n)
            patterns = pl.Series([[c for b, c in enumerate(choices) if k >> b & 1]
                                  for k in range(2 ** len(choices))], dtype=pl.List(pl.String))
            data[name] = patterns.gather(code)
            continue
        if kind in ("int", "float"):
            lo = spec.lo if spec.lo is not None else 0.0
            hi = spec.hi if spec.hi is not None else lo + 1_000.0
            if kind == "int":
                values = rng.integers(int(lo), int(hi) + 1, n)
            else:
                values = rng.uniform(lo, hi, n)
                if spec.half_step:
                    values = np.clip(np.round(values * 2) / 2, lo, hi)
                elif spec.lo_exclusive:
                    values = np.maximum(values, lo + 0.01)
                values = values.round(2)
        elif kind == "bool":
            values = rng.random(n) < 0.5
        elif kind == "enum":
            values = np.array(spec.choices)[rng.integers(0, len(spec.choices), n)]
        else:  # free text: only the current shoe id, from the catalog
            if not catalog_ids:
                data[name] = pl.repeat(None, n, dtype=pl.String, eager=True)
                continue
            values = np.array(catalog_ids)[rng.integers(0, len(catalog_ids), n)]
        column = _where(rng.random(n) >= unknown_rate, values)
        if spec.default is not None:
            column = column.fill_null(spec.default)
        data[name] = column
    return pl.DataFrame(data).select(list(schema)).cast(schema)  # type: ignore[arg-type]
