"""Title parsing and matching: brand and exact version are hard rules."""

from __future__ import annotations

import polars as pl
import pytest

from recommender.store.matching import (
    THRESHOLD,
    gtin_check_ok,
    gtin_key,
    index_aliases,
    index_catalog,
    match_alias,
    match_title,
    parse_title,
)


@pytest.fixture(scope="module")
def index(catalog):
    return index_catalog(catalog.frame)


@pytest.fixture(scope="module")
def ghost17_only():
    """A catalog where only Ghost 17 exists (absent from the shipped one)."""
    return index_catalog(pl.DataFrame({
        "shoe_id": ["brooks-ghost-17", "brooks-ghost-max-2", "hoka-clifton-10"],
        "brand": ["Brooks", "Brooks", "HOKA"],
        "model": ["Ghost", "Ghost Max", "Clifton"],
        "version": ["17", "2", "10"],
    }))


def _match(title, vendor, idx):
    return match_title(parse_title(title, vendor, idx), idx)


def test_parse_title_strips_gender_colour_width_and_filler(index):
    p = parse_title("Brooks Men's Ghost 16 Running Shoe - Black/White", "", index)
    assert (p.brand, p.model, p.version, p.line, p.width) == ("brooks", "ghost", "16", "mens", None)
    p = parse_title("HOKA W Clifton 10 Wide", "HOKA", index)
    assert (p.brand, p.model, p.version, p.line, p.width) == ("hoka", "clifton", "10", "womens", "wide")
    p = parse_title("New Balance Fresh Foam X 1080v14", "", index)
    assert (p.model, p.version) == ("fresh foam x 1080", "14")


@pytest.mark.parametrize(("title", "vendor", "shoe_id"), [
    ("Brooks Men's Ghost 16 Running Shoe - Black/White", "Brooks", "brooks-ghost-16"),
    ("HOKA W Clifton 10 Wide", "HOKA", "hoka-clifton-10"),
    ("hoka clifton 10", "", "hoka-clifton-10"),  # brand case-insensitive
    ("ASICS Men's GEL-KAYANO 31", "asics", "asics-gel-kayano-31"),
    ("Saucony Guide 17 Black/White", "", "saucony-guide-17"),
    ("Saucony Women's Guide 17 - Navy", "Saucony", "saucony-guide-17"),
])
def test_real_catalog_matches(index, title, vendor, shoe_id):
    m = _match(title, vendor, index)
    assert (m.shoe_id, m.how) == (shoe_id, "title")
    assert m.score >= THRESHOLD


def test_wrong_version_never_matches(ghost17_only):
    m = _match("Brooks Ghost 16", "Brooks", ghost17_only)
    assert m.shoe_id is None
    assert "version 16" in m.reason and "brooks-ghost-17" in m.reason
    assert m.candidates[0][0] == "brooks-ghost-17"  # shown to the manager, not imported


def test_missing_version_never_matches(index):
    m = _match("Brooks Ghost Running Shoe", "Brooks", index)
    assert m.shoe_id is None and "no version" in m.reason


def test_brand_must_match(ghost17_only):
    # Clifton 10 exists, but under HOKA, not Brooks
    m = _match("Clifton 10", "Brooks", ghost17_only)
    assert m.shoe_id is None
    m = _match("Balega Hidden Comfort Socks", "Balega", ghost17_only)
    assert m.shoe_id is None and "brand not recognised" in m.reason


def test_misspelling_goes_to_review_with_the_right_first_candidate(ghost17_only):
    m = _match("Brooks Gohst 17", "", ghost17_only)
    assert m.shoe_id is None
    assert 70 <= m.score < THRESHOLD
    assert m.candidates[0] == ("brooks-ghost-17", m.score)


def test_a_shorter_model_is_not_a_longer_one(index):
    # "Ghost 2" is not "Ghost Max 2" (no subset matching)
    m = _match("Brooks Ghost 2", "Brooks", index)
    assert m.shoe_id is None
    assert _match("Brooks Ghost Max 2", "Brooks", index).shoe_id == "brooks-ghost-max-2"


def test_gtin_keys():
    assert gtin_key("0196571234569") == gtin_key("196571234569") == "00196571234569"
    assert gtin_key("ABC") is None
    assert gtin_check_ok("0196571234569")
    assert not gtin_check_ok("0196571234567")


def test_alias_lookup():
    aliases = index_aliases(pl.DataFrame({"code": ["889181234561", "110419-1D", "KAY"],
                                          "shoe_id": ["asics-gel-kayano-31", "brooks-ghost-16",
                                                      "asics-gel-kayano-30"]}))
    m = match_alias("0889181234561", [], aliases)  # EAN-13 with the UPC's leading 0
    assert (m.shoe_id, m.how, m.score) == ("asics-gel-kayano-31", "gtin", 100.0)
    assert match_alias("", ["110419-1d-001-090"], aliases).shoe_id == "brooks-ghost-16"
    assert match_alias("", ["", "110419-1D"], aliases).how == "alias"
    assert match_alias("", ["KAYAK-1"], aliases) is None  # a prefix needs a separator
    assert match_alias("", ["KAY-1"], aliases).shoe_id == "asics-gel-kayano-30"


def test_every_catalog_shoe_matches_its_own_title(catalog, index):
    """Each row, written as a store would ("<Brand> Men's <Model> <Version> - Black"),
    matches itself and only itself: the catalog holds no two models the matcher confuses."""
    for shoe_id, brand, model, version in catalog.frame.select(
            "shoe_id", "brand", "model", "version").iter_rows():
        m = _match(f"{brand.upper()} Men's {model} {version} - Black", "", index)
        assert m.shoe_id == shoe_id, (shoe_id, m)
