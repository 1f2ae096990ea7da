"""Benchmark peer: `gaitkeeper score-inventory` against the same scoring hand-written as one
DuckDB SQL query (issue #15 item 1).

Both run in this one process on the same input: N generated runners (Parquet, in a
temporary directory) × an inventory CSV (default: the shipped sample), top N per runner.

* the product: the whole command line, in process (``gaitkeeper score-inventory``: reads,
  validates and quarantines rows, scores, writes the output and its side files);
* the peer: :func:`peer_sql` on DuckDB with ``SET threads=2`` over the raw files (runners
  Parquet, inventory CSV, catalog CSV) — features, filters, components, score, top N, written
  to Parquet. No validation, no side files, no reasons: only what the output carries.

The two outputs must agree row for row on ``runner_id, rank, shoe_id, sku, score, support,
drop_mm, gate_locked, referral`` and every other column both write (``store_id`` — the top N
is per runner *per store* when the inventory names stores — and brand … price_usd), scores
within 0.01; the script exits 1 if they do not. It prints both wall times and
``peer_s / product_s`` (the product's target: >= 2 at 200,000 runners). Not timed on either
side: starting Python and importing polars, the package or duckdb; generating the runners;
reading the outputs back to compare them. For reference it also times the product once as a
fresh process (``python -m recommender score-inventory``, start and imports included).

The SQL is written by hand, literal by literal, from the rule declarations in
``recommender/rules/`` — it imports nothing from them, so a rule changed on one side only
shows up as a disagreement (``tests/benchmarks/test_peer_duckdb.py`` runs this small).

    python benchmarks/peer_duckdb.py                      # 200,000 runners, top 10
    python benchmarks/peer_duckdb.py --runners 2000 --varied --seed 5
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INVENTORY = ROOT / "data" / "inventory_sample.csv"
COLUMNS = ("runner_id", "rank", "shoe_id", "sku", "score", "support", "drop_mm",
           "gate_locked", "referral")
SCORE_TOLERANCE = 0.01


def _lit(path: str | Path) -> str:
    """A path as an SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def _reader(path: str | Path, csv_types: str) -> str:
    if str(path).lower().endswith(".parquet"):
        return f"read_parquet({_lit(path)})"
    return f"read_csv({_lit(path)}, header = true, types = {csv_types})"


def _columns(path: str | Path) -> list[str]:
    """The column names of a CSV or Parquet file (its header only)."""
    import duckdb

    kind = "parquet" if str(path).lower().endswith(".parquet") else "csv"
    reader = f"read_parquet({_lit(path)})" if kind == "parquet" else \
        f"read_csv({_lit(path)}, header = true, all_varchar = true)"
    return [d[0] for d in duckdb.sql(f"DESCRIBE SELECT * FROM {reader}").fetchall()]


def peer_sql(runners: str | Path, inventory: str | Path, catalog: str | Path, top: int) -> str:
    """The batch scoring of SPEC §6 as one SQL query over the raw files: ``runners``
    (Parquet, the flat form of §2.2), ``inventory`` (CSV or Parquet, §6/§7.4) and
    ``catalog`` (``shoes.csv``). Returns the output rows sorted by runner_id, store_id and
    rank: the §6 columns, ``store_id`` (null when the inventory names no store) and the
    match as a person reads it (brand … price_usd)."""
    inv_cols = _columns(inventory)
    inv = _reader(inventory, "{'sku': 'VARCHAR', 'shoe_id': 'VARCHAR', 'size_us': 'DOUBLE', "
                             "'width': 'VARCHAR', 'quantity': 'BIGINT', 'price_usd': 'DOUBLE'"
                             + (", 'line': 'VARCHAR'" if "line" in inv_cols else "")
                             + (", 'store_id': 'VARCHAR'" if "store_id" in inv_cols else "")
                             + "}")
    cat = _reader(catalog, "{'version': 'VARCHAR', 'drop_mm': 'DOUBLE', "
                           "'weight_g': 'DOUBLE', 'womens_weight_g': 'DOUBLE', "
                           "'womens_drop_mm': 'DOUBLE', 'msrp_usd': 'DOUBLE', "
                           "'superseded_by': 'VARCHAR', 'widths': 'VARCHAR'}")
    line = "coalesce(line, 'unisex')" if "line" in inv_cols else "'unisex'"
    # With stores named (any store_id), each store is ranked on its own; a row without one
    # is the store ''. Without, one list per runner (store_id null).
    store = ("CASE WHEN count(store_id) OVER () > 0 THEN coalesce(store_id, '') END"
             if "store_id" in inv_cols else "NULL::VARCHAR")
    return f"""
WITH
catalog AS (
    SELECT shoe_id, brand, model, version, terrain, support, role, cushioning, plate,
           drop_mm, weight_g,
           womens_drop_mm, womens_weight_g, msrp_usd, superseded_by,
           string_split(widths, ';') AS widths,
           -- the shoe's place in shoe_id order: the ranking's tie-break as a number
           dense_rank() OVER (ORDER BY shoe_id) AS shoe_order
    FROM {cat}
),
inventory AS (
    SELECT sku, shoe_id, size_us, width, quantity, price_usd, {line} AS line,
           {store} AS store_id
    FROM {inv}
),
-- SPEC §6/§7.4 offers: in-stock rows; a unisex (men's-scale) SKU is offered to both lines,
-- at the women's size 1.5 above the men's.
stock AS (
    SELECT * FROM inventory WHERE quantity > 0
),
by_line AS (
    SELECT *, 'mens' AS o_line, size_us AS o_size FROM stock WHERE line <> 'womens'
    UNION ALL
    SELECT *, 'womens' AS o_line, size_us AS o_size FROM stock WHERE line = 'womens'
    UNION ALL
    SELECT *, 'womens' AS o_line, size_us + 1.5 AS o_size FROM stock WHERE line = 'unisex'
),
-- one offer per (store, shoe, line, size, width): the SKU with the most pairs (ties: lowest
-- SKU), at the store's price, else the catalog MSRP
offers AS (
    SELECT b.store_id, b.o_line, b.o_size, b.width AS o_width, b.sku, b.line AS sku_line,
           b.size_us AS sku_size, b.quantity, coalesce(b.price_usd, c.msrp_usd) AS price, c.*
    FROM by_line b JOIN catalog c USING (shoe_id)
    QUALIFY row_number() OVER (PARTITION BY b.store_id, b.shoe_id, b.o_line, b.o_size, b.width
                               ORDER BY b.quantity DESC, b.sku) = 1
),
-- each offer numbered: the pairs carry the number, the output reads the offer back
numbered_offers AS (
    SELECT *, row_number() OVER (ORDER BY store_id, o_line, o_size, o_width, shoe_id)
              AS offer_id
    FROM offers
),
-- rule `role` (SPEC §7.1-7.2): use -> role -> fit; 0 = not offered for this use
role_fit(use, role, fit) AS (VALUES
    ('daily',   'daily', 1.0),  ('daily',   'max_cushion', 0.9), ('daily',   'trail', 1.0),
    ('daily',   'uptempo', 0.0), ('daily',   'race', 0.0),       ('daily',   'trail_race', 0.0),
    ('long',    'daily', 0.95), ('long',    'max_cushion', 1.0), ('long',    'trail', 1.0),
    ('long',    'uptempo', 0.0), ('long',    'race', 0.0),       ('long',    'trail_race', 0.0),
    ('trail',   'daily', 0.8),  ('trail',   'max_cushion', 0.8), ('trail',   'trail', 1.0),
    ('trail',   'uptempo', 0.0), ('trail',   'race', 0.0),       ('trail',   'trail_race', 0.0),
    ('workout', 'daily', 0.75), ('workout', 'max_cushion', 0.5), ('workout', 'trail', 0.7),
    ('workout', 'uptempo', 1.0), ('workout', 'race', 0.0),       ('workout', 'trail_race', 0.0),
    ('race',    'daily', 0.5),  ('race',    'max_cushion', 0.3), ('race',    'trail', 0.6),
    ('race',    'uptempo', 0.85), ('race',  'race', 1.0),        ('race',    'trail_race', 1.0)
),
-- the offers each use may see: filter `role` depends on the shoe and the use only (a zero
-- fit, or a carbon plate for daily, long or trail use), so it runs on the small side
-- (MATERIALIZED: computed once, before the join with the runners, not folded into it)
offers_by_use AS MATERIALIZED (
    SELECT o.*, r.use, r.fit::DOUBLE AS c_role
    FROM numbered_offers o JOIN role_fit r ON r.role = o.role
    WHERE r.fit > 0 AND NOT (o.plate = 'carbon' AND r.use IN ('daily', 'long', 'trail'))
),
-- the runners, with the defaults of SPEC §2.1 for an empty answer (validation fills them);
-- features.derive: the current shoe's drop from the catalog when named, else as stated
runners AS (
    SELECT r.* REPLACE (coalesce(r.width, 'standard') AS width,
                        coalesce(r.running_terrain, 'road') AS running_terrain,
                        coalesce(r.strength_status, 'weak') AS strength_status,
                        coalesce(r.use, 'daily') AS use),
           cur.drop_mm AS cat_drop
    FROM read_parquet({_lit(runners)}) r
    LEFT JOIN catalog cur ON cur.shoe_id = r.current_shoe_shoe_id
),
-- runner features (rules 1, 2, 3, 7; SPEC §7.2), a null answer is unknown: never true
f1 AS (
    SELECT runner_id, shoe_size_us, width, running_terrain, max_price_usd, body_mass_kg,
           [lower(b) FOR b IN preferences_brands] AS brands,
           coalesce(preferences_exclude_plated, false) AS exclude_plated,
           -- cushioning preference as a rank (firm 0 .. max 3)
           CASE cushioning_pref WHEN 'firm' THEN 0 WHEN 'balanced' THEN 1
                WHEN 'soft' THEN 2 WHEN 'max' THEN 3 END AS pref_rank,
           -- knee pain: stated, or a severity of 1 or more
           coalesce(knee_pain, false) OR coalesce(knee_pain_severity, 0) >= 1 AS has_pain,
           -- rule 3 `referral`: any red flag, or severity >= 8
           coalesce(list_has_any(red_flags, ['recent_trauma', 'significant_swelling',
                    'locking', 'giving_way', 'night_pain', 'fever_or_redness', 'numbness']),
                    false)
           OR coalesce(knee_pain_severity, 0) >= 8 AS referral,
           -- rule 1 `strength_before_stability`: strength_time (strong, unless 0 weeks; or
           -- >= 6 weeks), single_leg_squat (not false), single_leg_balance (absent or >= 30 s)
           ((coalesce(strength_status = 'strong', false)
             AND NOT coalesce(strength_weeks = 0, false))
            OR coalesce(strength_weeks, 0) >= 6)
           AND coalesce(strength_single_leg_squat_ok, true)
           AND coalesce(strength_single_leg_balance_s, 30.0) >= 30.0 AS established,
           -- rule 7: regular runners (>= 3 runs a week; unknown counts as regular)
           coalesce(running_runs_per_week, 3) >= 3 AS regular,
           -- rule 7: on the toes or tight calves favour 8 mm or more
           coalesce(gait_on_toes, false)
           OR coalesce(list_contains(tight, 'calves'), false) AS calf_protect,
           -- rule 7: the current drop (10 mm assumed when unknown)
           coalesce(cat_drop, current_drop_mm, 10.0::DOUBLE) AS base_drop,
           -- heel striking or overstriding with knee pain favours a lower drop
           coalesce(gait_foot_strike = 'heel', false)
           OR coalesce(gait_overstriding, false) AS lands_heavy,
           coalesce(gait_pronation = 'over', false) OR coalesce(gait_arch = 'flat', false)
           OR coalesce(gait_knee_valgus, false) AS posture,
           -- SPEC §7.2: the size scale and the use
           coalesce(shoe_line, CASE WHEN sex = 'female' THEN 'womens' ELSE 'mens' END) AS line,
           coalesce(use, 'daily') AS use,
           coalesce(body_mass_kg, 0) >= 85 AS heavy,
           coalesce(running_weekly_km, 0) >= 50 AS high_volume
    FROM runners
),
features AS (
    SELECT *,
           CASE WHEN regular THEN 4.0 ELSE 0.0 END::DOUBLE AS drop_floor,
           greatest(CASE WHEN regular THEN 4.0 ELSE 0.0 END,
                    CASE WHEN calf_protect THEN 8.0 ELSE 0.0 END)::DOUBLE AS drop_soft_floor,
           -- rule 7: one 4 mm step down when heel striking or overstriding with pain, never
           -- below the soft floor, never above 12 mm
           least(12.0::DOUBLE,
                 greatest(greatest(CASE WHEN regular THEN 4.0 ELSE 0.0 END,
                                   CASE WHEN calf_protect THEN 8.0 ELSE 0.0 END)::DOUBLE,
                          CASE WHEN has_pain AND lands_heavy THEN base_drop - 4.0
                               ELSE base_drop END)) AS drop_target,
           -- rule 2: support preferred after the gate for over-pronation, flat arches or
           -- knee valgus with knee pain
           established AND has_pain AND posture AS needs_support,
           -- components `weight`: the target weight of a shoe for this use
           CASE use WHEN 'daily' THEN 260.0 WHEN 'long' THEN 270.0 WHEN 'trail' THEN 290.0
                    WHEN 'workout' THEN 225.0 WHEN 'race' THEN 195.0 END::DOUBLE
           + CASE WHEN heavy THEN 25.0 ELSE 0.0 END::DOUBLE AS target_weight,
           heavy OR high_volume OR use = 'long' AS loaded
    FROM f1
),
-- the runner's own line, size and width only (SPEC §7.4); the shoe's numbers on that line
pairs AS (
    SELECT f.*, o.offer_id, o.store_id, o.shoe_order, o.price, o.brand, o.terrain,
           o.support, o.cushioning, o.plate, o.widths, o.superseded_by, o.c_role,
           CASE WHEN f.line = 'womens' THEN coalesce(o.womens_drop_mm, o.drop_mm)
                ELSE o.drop_mm END AS p_drop,
           CASE WHEN f.line = 'womens' THEN coalesce(o.womens_weight_g, o.weight_g)
                ELSE o.weight_g END AS p_weight
    FROM features f
    JOIN offers_by_use o
      ON o.o_line = f.line AND o.o_size = f.shoe_size_us AND o.o_width = f.width
     AND o.use = f.use
),
eligible AS (
    SELECT * FROM pairs
    WHERE NOT (
        -- strength_before_stability: no stability or motion-control shoe until established
        (NOT established AND support IN ('stability', 'motion_control'))
        -- terrain: mixed accepts both
        OR coalesce((running_terrain = 'road' AND terrain <> 'road')
                    OR (running_terrain = 'trail' AND terrain <> 'trail'), false)
        -- width: made in the runner's width
        OR coalesce(NOT list_contains(widths, width), false)
        -- price: over max_price_usd
        OR coalesce(price > max_price_usd, false)
        -- plated: exclude_plated and any plate
        OR (exclude_plated AND plate <> 'none')
        -- drop_floor: regular runners are not moved below 4 mm
        OR p_drop < drop_floor
        -- role: in offers_by_use
    )
),
components AS (
    SELECT runner_id, store_id, offer_id, shoe_order, established, referral,
        -- support (rule 2): with a need, neutral + insole first, stability, motion control last
        CASE WHEN needs_support
             THEN CASE support WHEN 'neutral' THEN 1.0 WHEN 'stability' THEN 0.7
                               WHEN 'motion_control' THEN 0.35 END
             ELSE CASE support WHEN 'neutral' THEN 1.0 WHEN 'stability' THEN 0.55
                               WHEN 'motion_control' THEN 0.25 END
        END::DOUBLE AS c_support,
        -- drop (rule 7): closeness to the target; below the soft floor x 0.3
        greatest(0.0, least(1.0, 1 - abs(p_drop - drop_target) / 6.0::DOUBLE))
        * CASE WHEN p_drop < drop_soft_floor THEN 0.3 ELSE 1.0 END::DOUBLE AS c_drop,
        c_role,
        -- cushioning: the stated preference (0.35 off per step), else a fit to the load
        CASE WHEN pref_rank IS NOT NULL THEN
                  greatest(0.0, least(1.0, 1 - abs(CASE cushioning WHEN 'firm' THEN 0
                      WHEN 'balanced' THEN 1 WHEN 'soft' THEN 2 WHEN 'max' THEN 3 END
                      - pref_rank) * 0.35::DOUBLE))
             WHEN loaded THEN CASE cushioning WHEN 'firm' THEN 0.2 WHEN 'balanced' THEN 0.65
                                  WHEN 'soft' THEN 1.0 WHEN 'max' THEN 1.0 END::DOUBLE
             WHEN coalesce(body_mass_kg, 70) < 58
                  THEN CASE cushioning WHEN 'firm' THEN 0.6 WHEN 'balanced' THEN 1.0
                                       WHEN 'soft' THEN 0.95 WHEN 'max' THEN 0.7 END::DOUBLE
             ELSE CASE cushioning WHEN 'firm' THEN 0.4 WHEN 'balanced' THEN 0.9
                                  WHEN 'soft' THEN 1.0 WHEN 'max' THEN 0.85 END::DOUBLE
        END AS c_cushioning,
        -- weight: close to the use's target; a light build (< 230 g) for a heavy or
        -- high-volume runner x 0.6
        greatest(0.0, least(1.0, 1 - abs(p_weight - target_weight) / 120.0::DOUBLE))
        * CASE WHEN (heavy OR high_volume) AND p_weight < 230 THEN 0.6 ELSE 1.0 END::DOUBLE
          AS c_weight,
        -- terrain: only for mixed terrain
        CASE WHEN running_terrain = 'mixed'
             THEN CASE WHEN terrain = 'trail' THEN 1.0 ELSE 0.6 END::DOUBLE END AS c_terrain,
        -- version: the current version over last season's
        CASE WHEN superseded_by IS NULL THEN 1.0 ELSE 0.5 END::DOUBLE AS c_version,
        -- price: only with a budget
        CASE WHEN max_price_usd IS NOT NULL
             THEN greatest(0.0, least(1.0, 1 - 0.6::DOUBLE * price / max_price_usd))
        END AS c_price,
        -- brand: only with stated brands (case-insensitive)
        CASE WHEN coalesce(len(brands), 0) > 0
             THEN CASE WHEN coalesce(list_contains(brands, lower(brand)), false)
                       THEN 1.0 ELSE 0.3 END::DOUBLE
        END AS c_brand
    FROM eligible
),
-- pairs.combine: the weighted mean of the components that apply, x 100, 2 decimals
-- (half to even); weights support .22, drop .22, role .16, cushioning .14, weight .10,
-- terrain .08, version .05, price .04, brand .05
scored AS (
    SELECT runner_id, store_id, offer_id, shoe_order, established, referral,
        round_even((c_support * 0.22::DOUBLE + c_drop * 0.22::DOUBLE + c_role * 0.16::DOUBLE
                    + c_cushioning * 0.14::DOUBLE + c_weight * 0.10::DOUBLE
                    + coalesce(c_terrain, 0.0) * 0.08::DOUBLE + c_version * 0.05::DOUBLE
                    + coalesce(c_price, 0.0) * 0.04::DOUBLE
                    + coalesce(c_brand, 0.0) * 0.05::DOUBLE)
                   / (0.22::DOUBLE + 0.22::DOUBLE + 0.16::DOUBLE + 0.14::DOUBLE + 0.10::DOUBLE
                      + CASE WHEN c_terrain IS NULL THEN 0.0 ELSE 0.08 END::DOUBLE
                      + 0.05::DOUBLE
                      + CASE WHEN c_price IS NULL THEN 0.0 ELSE 0.04 END::DOUBLE
                      + CASE WHEN c_brand IS NULL THEN 0.0 ELSE 0.05 END::DOUBLE)
                   * 100 * 100, 0)::BIGINT AS centi_score
    FROM components
)
-- ranking: score (in hundredths) descending, then shoe_id, as one key (DuckDB then keeps
-- only the top N per runner and store instead of sorting every pair)
, ranked AS (
    SELECT *, row_number() OVER (PARTITION BY runner_id, store_id
                                 ORDER BY centi_score * 1000000 - shoe_order DESC) AS rank
    FROM scored
    QUALIFY rank <= {int(top)}
)
SELECT r.runner_id, r.rank::INTEGER AS rank, o.shoe_id, o.sku, r.centi_score / 100 AS score,
       o.support, o.drop_mm, NOT r.established AS gate_locked, r.referral,
       r.store_id, o.brand, o.model, o.version, o.sku_line AS line, o.sku_size AS size_us,
       o.o_width AS width, o.quantity, o.price AS price_usd
FROM ranked r JOIN numbered_offers o USING (offer_id)
ORDER BY r.runner_id, r.store_id, r.rank
"""


# ------------------------------------------------------------------------------ the runs
def run_peer(runners: Path, inventory: Path, catalog: Path, top: int, out: Path,
             threads: int = 2) -> float:
    """The SQL on DuckDB (``threads`` threads), written to Parquet ``out``; wall seconds."""
    import duckdb

    t = time.perf_counter()
    con = duckdb.connect()
    try:
        con.execute(f"SET threads = {int(threads)}")
        con.execute(f"COPY ({peer_sql(runners, inventory, catalog, top)}) "
                    f"TO {_lit(out)} (FORMAT parquet, COMPRESSION zstd)")
    finally:
        con.close()
    return time.perf_counter() - t


def run_product(runners: Path, inventory: Path, top: int, out: Path) -> tuple[float, str]:
    """``gaitkeeper score-inventory`` in process, as a user runs it; (wall seconds, the
    summary it prints). Raises if it exits non-zero."""
    from recommender import catalog
    from recommender.cli import main as cli

    getattr(catalog, "_LOADED", {}).clear()  # each run loads the catalog, as a fresh command does
    err = io.StringIO()
    t = time.perf_counter()
    with contextlib.redirect_stderr(err):
        try:
            cli(["score-inventory", "--inventory", str(inventory), "--runners", str(runners),
                 "--out", str(out), "--top", str(top)])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    wall = time.perf_counter() - t
    if code != 0:
        raise RuntimeError(f"score-inventory exited {code}: {err.getvalue().strip()}")
    return wall, err.getvalue().strip().splitlines()[0]


def run_product_process(runners: Path, inventory: Path, top: int, out: Path) -> float:
    """``gaitkeeper score-inventory`` as a fresh process (interpreter start and imports
    included); wall seconds."""
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "recommender", "score-inventory", "--inventory",
                    str(inventory), "--runners", str(runners), "--out", str(out), "--top",
                    str(top)], check=True, capture_output=True)
    return time.perf_counter() - t


def compare(product: Path, peer: Path, show: int = 5) -> list[str]:
    """What differs between the two outputs (empty: they agree row for row). Rows are
    matched on runner_id, store_id (when the product writes it) and rank; every column
    both write is compared (at least the §6 ones), scores within :data:`SCORE_TOLERANCE`."""
    import polars as pl

    a, b = pl.read_parquet(product), pl.read_parquet(peer)
    problems = []
    key = [c for c in ("runner_id", "store_id", "rank") if c in a.columns]
    if "store_id" not in a.columns and b.get_column("store_id").null_count() < b.height:
        problems.append("the peer ranks per store; the product does not")
    missing = [c for c in COLUMNS if c not in a.columns or c not in b.columns]
    if missing:
        return [*problems, f"columns missing: {missing}"]
    shared = [c for c in a.columns if c in b.columns]
    a, b = a.select(shared).sort(key), b.select(shared).cast(a.select(shared).schema).sort(key)
    if a.height != b.height:
        problems.append(f"rows: product {a.height:,}, peer {b.height:,}")
    joined = a.join(b, on=key, how="full", suffix="_peer", coalesce=True, nulls_equal=True)
    bad = pl.lit(False)
    for c in shared:
        if c in key:
            continue
        x, y = pl.col(c), pl.col(f"{c}_peer")
        if c == "score":
            differs = ((x - y).abs() > SCORE_TOLERANCE + 1e-9).fill_null(True)
        else:
            differs = x.ne_missing(y)
        n = joined.select(differs.sum()).item()
        if n:
            problems.append(f"{c}: {n:,} row(s) differ")
        bad = bad | differs
    diff = joined.filter(bad).select(
        *key, *[pl.concat_str(pl.col(c).cast(pl.String).fill_null("∅"), pl.lit(" | "),
                              pl.col(f"{c}_peer").cast(pl.String).fill_null("∅")).alias(c)
                for c in ("shoe_id", "score", "sku") if c not in key])
    if diff.height:
        with pl.Config(tbl_cols=-1, tbl_width_chars=250, fmt_str_lengths=60):
            problems.append(f"first rows that differ (product | peer):\n{diff.head(show)}")
    return problems


@dataclass
class Outcome:
    product_s: float
    peer_s: float
    rows: int
    summary: str
    problems: list[str]

    @property
    def ratio(self) -> float:
        return self.peer_s / self.product_s


def run_both(runners: Path, inventory: Path, top: int, workdir: Path, threads: int = 2,
             repeat: int = 1) -> Outcome:
    """The product, then the peer, on the same files (``repeat`` times, alternating; the
    best time of each counts); their outputs compared."""
    import polars as pl

    from recommender.catalog import DEFAULT_CATALOG

    product_out, peer_out = workdir / "product.parquet", workdir / "peer.parquet"
    product_times, peer_times = [], []
    for i in range(repeat):
        if i:
            for path in (product_out, peer_out):
                path.unlink()
        product_s, summary = run_product(runners, inventory, top, product_out)
        product_times.append(product_s)
        peer_times.append(run_peer(runners, inventory, DEFAULT_CATALOG, top, peer_out, threads))
    problems = compare(product_out, peer_out)
    rows = pl.scan_parquet(product_out).select(pl.len()).collect().item()
    return Outcome(min(product_times), min(peer_times), rows, summary, problems)


# ----------------------------------------------------------------------------- the inputs
def varied_runners(n: int, seed: int):
    """``n`` generated runners, then many answers varied beyond the generator's priors
    (still valid, so the product rejects none): current shoes from the catalog, every use
    and terrain, stated budgets and brands in any case, contradictions (strong with 0
    weeks, no pain with a severity), red flags, unknown answers."""
    import numpy as np
    import polars as pl

    from recommender import load_catalog
    from recommender.synth import synth_runners

    rng = np.random.default_rng(seed)
    df = synth_runners(n, seed=seed)
    ids = load_catalog().frame.get_column("shoe_id").to_list()

    def pick(values: list, p_null: float = 0.0) -> pl.Series:
        out = [values[i] for i in rng.integers(0, len(values), n)]
        return pl.Series([None if rng.random() < p_null else v for v in out],
                         dtype=pl.List(pl.String) if isinstance(values[0], list) else None)

    def maybe(col: str, series: pl.Series, p: float) -> pl.Expr:
        """``col`` replaced by ``series`` on a share ``p`` of the rows."""
        return (pl.when(pl.Series(rng.random(n) < p)).then(series.cast(df.schema[col]))
                .otherwise(pl.col(col)).alias(col))

    brands = ["hoka", "HOKA", "Brooks", "asics", "New Balance", "nike", "On", "Saucony",
              "Altra", "Puma"]
    return df.with_columns(
        maybe("current_shoe_shoe_id", pick(ids), 0.4),
        maybe("current_drop_mm", pick([0.0, 4.0, 6.0, 8.0, 10.0, 12.0], 0.3), 0.3),
        maybe("use", pick(["daily", "long", "workout", "race", "trail"], 0.1), 0.6),
        maybe("running_terrain", pick(["road", "trail", "mixed"], 0.1), 0.5),
        maybe("shoe_line", pick(["mens", "womens"], 0.5), 0.5),
        maybe("sex", pick(["female", "male", "unspecified"], 0.2), 0.3),
        maybe("strength_status", pick(["weak", "building", "strong"], 0.2), 0.5),
        maybe("strength_weeks", pick([0, 0, 3, 5, 6, 12], 0.2), 0.5),
        maybe("strength_single_leg_squat_ok", pick([True, False], 0.3), 0.4),
        maybe("strength_single_leg_balance_s", pick([10.0, 29.5, 30.0, 45.0], 0.3), 0.4),
        maybe("knee_pain", pick([True, False], 0.2), 0.3),
        maybe("knee_pain_severity", pick([0, 1, 5, 7, 8, 10], 0.2), 0.3),
        maybe("gait_pronation", pick(["over", "neutral", "under", "unknown"], 0.2), 0.3),
        maybe("gait_arch", pick(["flat", "normal", "high", "unknown"], 0.2), 0.3),
        maybe("gait_knee_valgus", pick([True, False], 0.3), 0.3),
        maybe("gait_on_toes", pick([True, False], 0.3), 0.3),
        maybe("gait_overstriding", pick([True, False], 0.3), 0.3),
        maybe("gait_foot_strike", pick(["heel", "midfoot", "forefoot", "unknown"], 0.2), 0.3),
        maybe("running_runs_per_week", pick([0, 1, 2, 3, 6], 0.3), 0.4),
        maybe("running_weekly_km", pick([0.0, 20.0, 49.9, 50.0, 120.0], 0.3), 0.4),
        maybe("body_mass_kg", pick([45.0, 57.9, 58.0, 70.0, 85.0, 110.0], 0.3), 0.4),
        maybe("max_price_usd", pick([60.0, 100.0, 130.0, 150.0, 220.0, 400.0], 0.3), 0.6),
        maybe("cushioning_pref", pick(["firm", "balanced", "soft", "max"], 0.4), 0.5),
        maybe("preferences_exclude_plated", pick([True, False], 0.3), 0.4),
        maybe("preferences_brands", pl.Series(
            [[brands[i] for i in rng.choice(len(brands), rng.integers(0, 3), replace=False)]
             for _ in range(n)], dtype=pl.List(pl.String)), 0.5),
        maybe("tight", pick([[], ["calves"], ["hamstrings", "calves"], ["quadriceps"]], 0.2),
              0.4),
        maybe("red_flags", pick([[], [], [], ["locking"], ["numbness", "night_pain"]], 0.2),
              0.3),
    )


def varied_inventory(seed: int, path: Path, source: Path = SAMPLE_INVENTORY) -> Path:
    """The sample inventory varied (still valid) into ``path`` (CSV): store prices on some
    rows, lines left empty (unisex), rows without a store (the store ''), and second SKUs
    of the same shoe, line, size and width — some with more pairs, some tied (the lowest
    SKU wins)."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    inv = pl.read_csv(source, infer_schema=False)
    n = inv.height

    def some(p: float) -> pl.Series:
        return pl.Series(rng.random(n) < p)

    price = pl.Series([f"{v:.2f}" for v in rng.uniform(60, 260, n)])
    inv = inv.with_columns(
        pl.when(some(0.3)).then(price).otherwise(pl.col("price_usd")).alias("price_usd"),
        pl.when(some(0.1)).then(pl.lit(None, pl.String)).otherwise(pl.col("line"))
        .alias("line"),
        # the first store's rows only: a SKU stays unique within its store
        pl.when(some(0.05) & (pl.col("store_id") == "store-001"))
        .then(pl.lit(None, pl.String)).otherwise(pl.col("store_id")).alias("store_id"),
    )
    copies = inv.filter(some(0.15))
    k = copies.height
    copies = copies.with_columns(
        # a second SKU sorting before or after the first
        pl.when(pl.Series(rng.random(k) < 0.5)).then(pl.concat_str(pl.lit("A-"), "sku"))
        .otherwise(pl.concat_str("sku", pl.lit("-Z"))).alias("sku"),
        # one pair fewer, as many (a tie), or one more
        (pl.col("quantity").cast(pl.Int64) + pl.Series(rng.integers(-1, 2, k)))
        .clip(0).cast(pl.String).alias("quantity"),
    )
    pl.concat([inv, copies.select(inv.columns)]).write_csv(path)
    return path


def write_runners(frame, path: Path) -> Path:
    frame.write_parquet(path)
    return path


# ---------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runners", type=int, default=200_000, help="generated runners")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--varied", action="store_true",
                    help="vary the runners' answers and the inventory (varied_runners, "
                         "varied_inventory)")
    ap.add_argument("--inventory", type=Path, default=SAMPLE_INVENTORY)
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads")
    ap.add_argument("--repeat", type=int, default=3,
                    help="run both this many times, alternating; the best time of each counts")
    args = ap.parse_args(argv)

    from recommender.synth import synth_runners

    with tempfile.TemporaryDirectory(prefix="gk-peer-") as tmp:
        work = Path(tmp)
        frame = (varied_runners(args.runners, args.seed) if args.varied
                 else synth_runners(args.runners, seed=args.seed))
        runners = write_runners(frame, work / "runners.parquet")
        inventory = (varied_inventory(args.seed, work / "inventory.csv", args.inventory)
                     if args.varied else args.inventory)
        r = run_both(runners, inventory, args.top, work, args.threads, args.repeat)
        process_s = run_product_process(runners, inventory, args.top, work / "process.parquet")
    print(f"{args.runners:,} runners{' (varied)' if args.varied else ''} x "
          f"{args.inventory.name}{' (varied)' if args.varied else ''}, top {args.top} "
          f"({r.rows:,} rows): product (gaitkeeper score-inventory, in process) "
          f"{r.product_s:.2f} s; peer (DuckDB SQL, {args.threads} threads) {r.peer_s:.2f} s; "
          f"ratio peer_s / product_s = {r.ratio:.2f} (target >= 2)")
    print(f"  product as a fresh process (python -m recommender score-inventory, start and "
          f"imports included): {process_s:.2f} s; ratio peer_s / that = "
          f"{r.peer_s / process_s:.2f}")
    print(f"  product: {r.summary}")
    print(f"  times: best of {args.repeat}; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPU(s) (others' work on the machine makes the times noisy)")
    if r.problems:
        if "rejected 0 runner row(s) and 0 inventory row(s)" not in r.summary:
            r.problems.append("the product rejected rows; the peer validates nothing")
        print("DISAGREE: the outputs differ\n  " + "\n  ".join(r.problems))
        return 1
    print("  outputs agree row for row (scores within 0.01)")
    return 0


if __name__ == "__main__":
    code = main()
    if code:  # exit 0 quietly: benchmarks/run_all.py runs the next benchmark
        sys.exit(code)
