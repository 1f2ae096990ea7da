"""The shipped catalog ``data/shoes.csv`` (SPEC §1.1, §7.1; issue 11): it validates, it meets
the size, recency, verification and support targets, brands are spelled as the makers write
them, no row copies another's numbers, and every cross-row rule of the schema rejects a
mutated copy of a real row, naming the row and the columns."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from recommender import DATA_DIR, Catalog
from recommender.io import read_raw, validate_raw
from recommender.spec.vocab import InvCol, S
from recommender.validate.coerce import ROW
from recommender.validate.schemas import INVENTORY_ROW_RULES, SHOE_ROW_RULES, RowRule

ROOT = Path(__file__).resolve().parents[2]
SHOES_CSV = DATA_DIR / "shoes.csv"
INVENTORY_CSV = DATA_DIR / "inventory_sample.csv"
NOTES = DATA_DIR / "CATALOG_NOTES.md"

MIN_ROWS = 220
RECENT_YEARS = (2025, 2026)
MIN_RECENT_SHARE = 0.30
MIN_PAGE_SHARE = 0.85
MIN_STABILITY = 25
#: Every major brand, spelled as the maker writes it.
MAJOR_BRANDS = ("Brooks", "HOKA", "ASICS", "Nike", "Saucony", "New Balance", "On", "Mizuno",
                "PUMA", "adidas", "Altra", "Topo Athletic", "Salomon")
MISSPELLED = ("Hoka", "Puma", "Adidas")
#: The numbers no two rows may share (a row copying another model's numbers).
FINGERPRINT = (S.drop_mm, S.heel_stack_mm, S.forefoot_stack_mm, S.weight_g, S.msrp_usd)
#: Groups of shoe_ids allowed to share the whole fingerprint, each with its reason. Empty:
#: every such pair found so far was a copy and was corrected or removed (CATALOG_NOTES.md).
ALLOWED_TWINS: dict[frozenset[str], str] = {}


# ------------------------------------------------------------------------ the file as shipped
def test_cli_validates_the_shipped_catalog() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "recommender", "validate", "data/shoes.csv", "--kind", "shoes"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "valid" in proc.stdout


def test_size(shoes: pl.DataFrame) -> None:
    assert shoes.height >= MIN_ROWS


def test_share_released_recently(shoes: pl.DataFrame) -> None:
    recent = shoes.filter(pl.col(S.release_year).is_in(RECENT_YEARS)).height
    assert recent / shoes.height >= MIN_RECENT_SHARE, f"{recent} of {shoes.height}"


def test_share_verified_against_the_page(shoes: pl.DataFrame) -> None:
    page = shoes.filter(pl.col(S.verified) == "page").height
    assert page / shoes.height >= MIN_PAGE_SHARE, f"{page} of {shoes.height}"


def test_stability_models(shoes: pl.DataFrame) -> None:
    assert shoes.filter(pl.col(S.support) == "stability").height >= MIN_STABILITY


def _notes_count(label: str, key: str) -> int:
    """A figure of the ``## Counts`` section of CATALOG_NOTES.md, e.g. ("Support",
    "motion_control")."""
    counts = NOTES.read_text(encoding="utf-8").split("## Counts", 1)[1].split("\n## ", 1)[0]
    line = next(ln for ln in counts.splitlines() if ln.startswith(f"- {label}"))
    found = re.search(rf"{re.escape(key)}\D*?(\d+)", line)
    assert found, f"CATALOG_NOTES.md: no {key} in {line!r}"
    return int(found.group(1))


def test_motion_control_count_is_the_one_the_notes_state(shoes: pl.DataFrame) -> None:
    """The target is 4, the market has 2 (Brooks Beast/Ariel GTS 23): the catalog holds what
    CATALOG_NOTES.md states, and the notes say so — no pretended 4."""
    stated = _notes_count("Support", "motion_control")
    assert shoes.filter(pl.col(S.support) == "motion_control").height == stated
    assert _notes_count("Rows", "Rows") == shoes.height  # the notes' counts are current


def test_brands_spelled_as_the_makers_write_them(shoes: pl.DataFrame) -> None:
    brands = set(shoes.get_column(S.brand).unique().to_list())
    assert not brands & set(MISSPELLED), sorted(brands & set(MISSPELLED))
    canonical = {b.casefold(): b for b in MAJOR_BRANDS}
    wrong = sorted(b for b in brands if canonical.get(b.casefold(), b) != b)
    assert not wrong, f"spelled unlike the maker: {wrong}"
    folded = [b.casefold() for b in brands]
    assert len(folded) == len(set(folded)), f"one brand in two spellings: {sorted(brands)}"


def test_every_major_brand_and_trail_rows(shoes: pl.DataFrame) -> None:
    brands = set(shoes.get_column(S.brand).to_list())
    assert not set(MAJOR_BRANDS) - brands, sorted(set(MAJOR_BRANDS) - brands)
    assert shoes.filter(pl.col(S.terrain) == "trail").height > 0
    assert shoes.filter(pl.col(S.terrain) == "road").height > 0


def test_no_row_copies_another_models_numbers(shoes: pl.DataFrame) -> None:
    groups = (shoes.group_by(FINGERPRINT).agg(pl.col(S.shoe_id).sort())
              .filter(pl.col(S.shoe_id).list.len() > 1))
    twins = {frozenset(ids) for ids in groups.get_column(S.shoe_id).to_list()}
    unexplained = twins - set(ALLOWED_TWINS)
    assert not unexplained, f"rows sharing {', '.join(FINGERPRINT)}: {sorted(map(sorted, unexplained))}"
    stale = set(ALLOWED_TWINS) - twins
    assert not stale, f"allow-list entries no longer twins: {sorted(map(sorted, stale))}"
    assert all(reason.strip() for reason in ALLOWED_TWINS.values())


def test_superseded_by_names_a_newer_version(shoes: pl.DataFrame) -> None:
    targets = shoes.select(pl.col(S.shoe_id).alias("target"), pl.col(S.brand).alias("t_brand"),
                           pl.col(S.release_year).alias("t_year"))
    links = (shoes.filter(pl.col(S.superseded_by).is_not_null())
             .join(targets, left_on=S.superseded_by, right_on="target", how="left"))
    assert links.height > 0
    missing = links.filter(pl.col("t_year").is_null()).get_column(S.shoe_id).to_list()
    assert not missing, f"superseded_by names no catalog row: {missing}"
    older = links.filter(pl.col("t_year") < pl.col(S.release_year)).get_column(S.shoe_id)
    assert older.len() == 0, f"superseded by an older version: {older.to_list()}"
    other_brand = links.filter(pl.col("t_brand") != pl.col(S.brand)).get_column(S.shoe_id)
    assert other_brand.len() == 0, f"superseded by another brand: {other_brand.to_list()}"
    assert links.filter(pl.col(S.superseded_by) == pl.col(S.shoe_id)).height == 0


def test_race_shoes_have_a_plate_or_race_weight(shoes: pl.DataFrame) -> None:
    race = shoes.filter(pl.col(S.role) == "race")
    assert race.height > 0
    bad = race.filter((pl.col(S.plate) == "none") & (pl.col(S.weight_g) >= 230))
    assert bad.height == 0, bad.select(S.shoe_id, S.plate, S.weight_g)


def test_womens_weight_is_the_same_shoe(shoes: pl.DataFrame) -> None:
    filled = shoes.filter(pl.col(S.womens_weight_g).is_not_null())
    assert filled.height > 0
    ratio = filled.get_column(S.womens_weight_g) / filled.get_column(S.weight_g)
    assert ratio.min() >= 0.65 and ratio.max() <= 1.05, (ratio.min(), ratio.max())


# ------------------------------------------------ every cross-row rule rejects a mutated row
def _set(raw: pl.DataFrame, row: int, **values: object) -> pl.DataFrame:
    """``raw`` with the cells of data row ``row`` (1-based, ``__row``) replaced."""
    return raw.with_columns(
        pl.when(pl.col(ROW) == row).then(pl.lit(str(v))).otherwise(pl.col(c)).alias(c)
        for c, v in values.items())


def _typed(raw: pl.DataFrame, catalog: Catalog) -> pl.DataFrame:
    return raw.select(ROW, S.shoe_id).join(catalog.frame, on=S.shoe_id)


def _stack(raw: pl.DataFrame, cat: Catalog) -> tuple[pl.DataFrame, int]:
    row = _typed(raw, cat).filter(pl.col(S.forefoot_stack_mm) + pl.col(S.drop_mm) + 3 <= 60)
    r = row.row(0, named=True)
    return _set(raw, r[ROW], **{S.heel_stack_mm: r[S.forefoot_stack_mm] + r[S.drop_mm] + 3}), r[ROW]


def _successor_exists(raw: pl.DataFrame, cat: Catalog) -> tuple[pl.DataFrame, int]:
    r = _typed(raw, cat).filter(pl.col(S.superseded_by).is_null()).row(0, named=True)
    return _set(raw, r[ROW], **{S.superseded_by: f"{r[S.shoe_id]}-next"}), r[ROW]


def _successor_not_older(raw: pl.DataFrame, cat: Catalog) -> tuple[pl.DataFrame, int]:
    years = cat.frame.select(pl.col(S.shoe_id).alias(S.superseded_by),
                             pl.col(S.release_year).alias("t_year"))
    r = (_typed(raw, cat).join(years, on=S.superseded_by)
         .filter(pl.col("t_year") < 2030).row(0, named=True))
    return _set(raw, r[ROW], **{S.release_year: r["t_year"] + 1}), r[ROW]


def _race(raw: pl.DataFrame, cat: Catalog) -> tuple[pl.DataFrame, int]:
    r = _typed(raw, cat).filter((pl.col(S.role) == "race") & (pl.col(S.plate) != "none")
                                ).row(0, named=True)
    return _set(raw, r[ROW], **{S.plate: "none", S.weight_g: 260}), r[ROW]


def _womens_weight(raw: pl.DataFrame, cat: Catalog) -> tuple[pl.DataFrame, int]:
    r = _typed(raw, cat).filter(pl.col(S.womens_weight_g).is_not_null()
                                & (pl.col(S.weight_g) >= 220)).row(0, named=True)
    return _set(raw, r[ROW], **{S.womens_weight_g: round(r[S.weight_g] * 0.5)}), r[ROW]


def _womens_drop(raw: pl.DataFrame, cat: Catalog) -> tuple[pl.DataFrame, int]:
    r = _typed(raw, cat).filter(pl.col(S.drop_mm) <= 10).row(0, named=True)
    return _set(raw, r[ROW], **{S.womens_drop_mm: r[S.drop_mm] + 6}), r[ROW]


Mutation = Callable[[pl.DataFrame, Catalog], tuple[pl.DataFrame, int]]
#: One mutation of a real catalog row per cross-row rule, keyed by a phrase of its message.
SHOE_MUTATIONS: dict[str, Mutation] = {
    "|heel_stack_mm - forefoot_stack_mm - drop_mm|": _stack,
    "superseded_by must name another shoe_id": _successor_exists,
    "superseded_by must name a version released the same year or later": _successor_not_older,
    "a race shoe has a plate": _race,
    "womens_weight_g must be 0.65 to 1.05": _womens_weight,
    "womens_drop_mm may differ from drop_mm": _womens_drop,
}


def _mutation_for(rule: RowRule, table: dict[str, Mutation]) -> Mutation:
    found = [m for phrase, m in table.items() if rule.message.startswith(phrase)]
    assert len(found) == 1, f"no mutation for the rule {rule.message!r}: add one"
    return found[0]


def _assert_rejected(problems: pl.DataFrame, rule: RowRule, row: int) -> None:
    hit = problems.filter(pl.col("rule") == rule.message)
    assert hit.height >= 1, f"{rule.message!r} did not fire: {problems}"
    assert hit.get_column("row").to_list() == [row]
    assert hit.get_column("column").to_list() == [";".join(rule.columns)]
    assert set(problems.get_column("row").to_list()) == {row}, problems  # nothing else hit


@pytest.fixture(scope="module")
def shoes_raw() -> pl.DataFrame:
    return read_raw(SHOES_CSV, "shoes")


def test_shipped_rows_pass_every_rule(shoes_raw: pl.DataFrame) -> None:
    result = validate_raw(shoes_raw, "shoes", file="shoes.csv")
    assert result.ok, result.problems
    assert result.frame.height == shoes_raw.height


@pytest.mark.parametrize("rule", SHOE_ROW_RULES, ids=lambda r: r.message[:48])
def test_each_catalog_row_rule_rejects_a_mutated_row(rule: RowRule, shoes_raw: pl.DataFrame,
                                                     cat: Catalog) -> None:
    mutated, row = _mutation_for(rule, SHOE_MUTATIONS)(shoes_raw, cat)
    result = validate_raw(mutated, "shoes", file="shoes.csv")
    _assert_rejected(result.problems, rule, row)
    assert result.frame.height == shoes_raw.height - 1
    assert row not in result.frame.get_column(ROW).to_list()


def _repeated_sku(raw: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """A copy of a real row appended: same SKU in the same store, another quantity."""
    first = raw.head(1).with_columns(pl.lit(raw.height + 1, dtype=raw.schema[ROW]).alias(ROW),
                                     pl.lit("3").alias(InvCol.quantity))
    return pl.concat([raw, first]), raw.height + 1


INVENTORY_MUTATIONS: dict[str, Callable[[pl.DataFrame], tuple[pl.DataFrame, int]]] = {
    "must be unique within its store": _repeated_sku,
}


@pytest.mark.parametrize("rule", INVENTORY_ROW_RULES, ids=lambda r: r.message[:48])
def test_each_inventory_row_rule_rejects_a_mutated_row(rule: RowRule, cat: Catalog) -> None:
    raw = read_raw(INVENTORY_CSV, "inventory")
    assert validate_raw(raw, "inventory", file="inventory.csv", catalog_ids=cat.ids).ok
    mutated, row = _mutation_for(rule, INVENTORY_MUTATIONS)(raw)
    result = validate_raw(mutated, "inventory", file="inventory.csv", catalog_ids=cat.ids)
    _assert_rejected(result.problems, rule, row)
    assert result.frame.height == raw.height


def test_the_same_sku_in_another_store_is_allowed() -> None:
    raw = read_raw(INVENTORY_CSV, "inventory")
    stores = raw.get_column(InvCol.store_id).unique().to_list()
    assert len(stores) >= 2
    other = next(s for s in stores if s != raw.row(0, named=True)[InvCol.store_id])
    copy = raw.head(1).with_columns(pl.lit(raw.height + 1, dtype=raw.schema[ROW]).alias(ROW),
                                    pl.lit(other).alias(InvCol.store_id))
    # the shipped file may already list this SKU in the other store; drop that row first
    base = raw.filter(~((pl.col(InvCol.sku) == copy.row(0, named=True)[InvCol.sku])
                        & (pl.col(InvCol.store_id) == other)))
    assert validate_raw(pl.concat([base, copy]), "inventory", file="inventory.csv").ok
