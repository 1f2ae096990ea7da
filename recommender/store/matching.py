"""A store's variant → a catalog ``shoe_id``, with a confidence 0..100 (SPEC §7.4).

Order: (a) the store's aliases file (CSV ``code,shoe_id``): the row's GTIN (compared as the
right-aligned GTIN-14, so a UPC-A and its EAN-13 with a leading 0 are one code) → match
``gtin``; its SKU or style number (exactly, or an alias code followed by a separator, e.g.
alias ``1104191D`` for SKU ``1104191D-090-9.0``) → match ``alias``; both score 100. (b) Else the
title: brand, model and version are parsed (gender words, colours after " - ", "Running
Shoe", width words and colourway tokens are removed) and compared with rapidfuzz
``token_sort_ratio`` on the model name, **only among catalog rows of the same brand and the
same version**.

Hard rules: the version number must match exactly — "Ghost 16" never matches Ghost 17, and a
title without a version matches nothing (a wrong version is worse than none); the brand must
match (vendor column, else the title; case-insensitive, so HOKA = Hoka). An alias whose shoe
has another version than the title states goes to review, not to stock.

Thresholds: a title match is imported at a model score of at least :data:`THRESHOLD` (90)
when no other candidate of the same brand and version scores within :data:`AMBIGUITY_MARGIN`
(5) of it. Below, or ambiguous, or unmatched → review with the best 3 candidates. A one-letter
misspelling of a short model ("Gohst") scores about 80 and goes to review with the right
shoe as first candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl
from rapidfuzz import fuzz

THRESHOLD = 90.0
AMBIGUITY_MARGIN = 5.0
N_CANDIDATES = 3

#: Other spellings of a catalog brand (keys and values normalised by :func:`norm`).
BRAND_ALIASES: dict[str, str] = {
    "hoka one one": "hoka", "hoka one": "hoka", "nb": "new balance", "newbalance": "new balance",
    "on running": "on", "on ag": "on", "topo": "topo athletic", "asics america": "asics",
    "brooks running": "brooks", "saucony originals": "saucony", "adidas performance": "adidas",
    "nike running": "nike", "altra running": "altra", "puma running": "puma",
}
_GENDER = {"men's", "mens", "men", "man", "mns", "women's", "womens", "women", "woman", "wmns",
           "wmn", "ladies", "lady", "unisex", "m", "w"}
_GENDER_LINE = {"men's": "mens", "mens": "mens", "men": "mens", "man": "mens", "m": "mens",
                "mns": "mens",
                "women's": "womens", "womens": "womens", "women": "womens",
                "woman": "womens", "wmns": "womens", "wmn": "womens", "ladies": "womens",
                "lady": "womens", "w": "womens", "unisex": "unisex"}
_FILLER = {"running", "shoe", "shoes", "sneaker", "sneakers", "trainer", "trainers", "road",
           "runner", "run"}
_WIDTH_PHRASES = (("extra wide", "extra wide"), ("x wide", "extra wide"),
                  ("xwide", "extra wide"), ("wide", "wide"), ("narrow", "narrow"))
_WIDTH_CODES = {"2e", "3e", "4e", "6e", "ee", "eee", "eeee", "2a", "aa", "xw", "ww"}
_VERSION = re.compile(r"^v?\d+(?:\.\d+)?(?:plus)?$")  # "9+" reads as "9plus": its own version


def norm(text: str | None) -> str:
    """Lower case, curly quotes straightened, hyphens and punctuation → spaces."""
    t = (text or "").casefold().replace("’", "'").replace("‘", "'")
    t = re.sub(r"(\d)(v\d+)\b", r"\1 \2", t)  # 1080v14 → 1080 v14
    t = re.sub(r"(\d)\+", r"\1plus", t)  # Lone Peak 9+ is not Lone Peak 9
    t = re.sub(r"[-_/,:;|+®™()\[\]\"]", " ", t)
    t = re.sub(r"(?<![a-z])'|'(?!s\b)", " ", t)  # keep the ' of men's only
    return re.sub(r"\s+", " ", t).strip()


def norm_version(v: str | None) -> str:
    t = norm(v).replace(" ", "")
    return t[1:] if re.fullmatch(r"v\d+(\.\d+)?", t) else t


# ----------------------------------------------------------------------------- catalog
@dataclass(frozen=True)
class CatalogIndex:
    """The catalog rows the matcher compares with: normalised brand, model and version."""

    rows: pl.DataFrame  # shoe_id, brand, model, version, brand_key, model_key, version_key
    brands: dict[str, str]  # every accepted spelling (normalised) → brand_key


def _model_key(model: str) -> str:
    """A catalog model read as titles are: the filler words a title loses are dropped here
    too ("SuperComp Trainer" keys as "supercomp", apart from "SuperComp Elite")."""
    return " ".join(tok for tok in norm(model).split() if tok not in _FILLER)


def index_catalog(frame: pl.DataFrame) -> CatalogIndex:
    """Build the index from ``catalog.frame`` (needs shoe_id, brand, model, version)."""
    base = frame.select("shoe_id", "brand", "model", pl.col("version").cast(pl.String))
    rows = base.with_columns(
        pl.col("brand").map_elements(norm, return_dtype=pl.String).alias("brand_key"),
        pl.col("model").map_elements(_model_key, return_dtype=pl.String).alias("model_key"),
        pl.col("version").map_elements(norm_version, return_dtype=pl.String).alias("version_key"),
    )
    keys = set(rows.get_column("brand_key").to_list())
    brands = {k: k for k in keys}
    brands.update({a: b for a, b in BRAND_ALIASES.items() if b in keys})
    return CatalogIndex(rows=rows, brands=brands)


# ----------------------------------------------------------------------------- titles
@dataclass(frozen=True)
class ParsedTitle:
    brand: str | None  # brand_key
    model: str  # normalised model words, without brand, version, gender, width, colour
    version: str | None  # normalised version ("17", "14" for v14)
    line: str | None  # mens|womens|unisex when the title says so
    width: str | None  # width words or codes found in the title, e.g. "wide", "2e"


def _find_brand(tokens: list[str], brands: dict[str, str]) -> tuple[str | None, int, int]:
    """(brand_key, start, length) of the longest brand spelling in ``tokens`` (earliest)."""
    best: tuple[str | None, int, int] = (None, -1, 0)
    for spelling, key in brands.items():
        words = spelling.split()
        n = len(words)
        for i in range(len(tokens) - n + 1):
            if tokens[i:i + n] == words:
                if len(spelling) <= 2 and i != 0:  # "On" only as the first word
                    continue
                if n > best[2] or (n == best[2] and (best[1] < 0 or i < best[1])):
                    best = (key, i, n)
                break
    return best


def parse_title(title: str, vendor: str, index: CatalogIndex) -> ParsedTitle:
    """Brand, model, version, line and width words from a product title (and vendor)."""
    head = re.split(r"\s+[-–—|]\s+", title, maxsplit=1)[0]  # colours after " - "
    # colourways (Black/White) — words of 3+ letters each side, so "S/LAB" stays a model name
    head = re.sub(r"(?<!\S)[^\W\d_]{3,}(?:/[^\W\d_]{3,})+(?!\S)", " ", head)
    tokens = norm(head).split()
    vendor_key = index.brands.get(norm(vendor)) if vendor else None
    brand, start, n = _find_brand(tokens, index.brands)
    if brand is not None and (vendor_key is None or brand == vendor_key):
        tokens = tokens[:start] + tokens[start + n:]
    brand = vendor_key or brand
    text = " ".join(tokens)
    width: str | None = None
    for phrase, value in _WIDTH_PHRASES:
        if re.search(rf"\b{phrase}\b", text):
            width = width or value
            text = re.sub(rf"\b{phrase}\b", " ", text)
    line: str | None = None
    kept: list[str] = []
    for tok in text.split():
        if tok in _GENDER:
            line = line or _GENDER_LINE[tok]
        elif tok in _FILLER:
            continue
        elif tok in _WIDTH_CODES:
            width = width or tok
        else:
            kept.append(tok)
    version_at = max((i for i, t in enumerate(kept) if _VERSION.match(t)), default=None)
    version = norm_version(kept[version_at]) if version_at is not None else None
    model = " ".join(t for i, t in enumerate(kept) if i != version_at)
    return ParsedTitle(brand=brand, model=model, version=version, line=line, width=width)


# ----------------------------------------------------------------------------- matching
@dataclass(frozen=True)
class Match:
    shoe_id: str | None
    how: str | None  # gtin | alias | title
    score: float  # 0..100
    reason: str | None  # why not matched (None when matched)
    candidates: list[tuple[str, float]] = field(default_factory=list)


def _scores(parsed: ParsedTitle, index: CatalogIndex) -> pl.DataFrame:
    rows = index.rows
    if parsed.brand is not None:
        rows = rows.filter(pl.col("brand_key") == parsed.brand)
    query = parsed.model if parsed.brand is not None else norm(
        f"{parsed.model} {parsed.version or ''}")
    keys = rows.get_column("model_key").to_list() if parsed.brand is not None else [
        f"{b} {m} {v}" for b, m, v in rows.select("brand_key", "model_key", "version_key").iter_rows()]
    scores = [float(fuzz.token_sort_ratio(query, k)) for k in keys]
    return rows.with_columns(pl.Series("score", scores, dtype=pl.Float64))


def _top(scored: pl.DataFrame, version: str | None) -> list[tuple[str, float]]:
    if scored.is_empty():
        return []
    ranked = scored.with_columns(
        (pl.col("version_key") == (version or "")).alias("same_version")
    ).sort(["score", "same_version", "shoe_id"], descending=[True, True, False])
    return [(s, round(x, 1)) for s, x in ranked.select("shoe_id", "score").head(N_CANDIDATES).iter_rows()]


def match_title(parsed: ParsedTitle, index: CatalogIndex, threshold: float = THRESHOLD) -> Match:
    """Fuzzy model match among the catalog rows of the same brand and exact version."""
    scored = _scores(parsed, index)
    top = _top(scored, parsed.version)
    if parsed.brand is None:
        return Match(None, None, 0.0, "brand not recognised in the vendor or title", top)
    if parsed.version is None:
        return Match(None, None, 0.0, "no version number in the title (a version is never "
                                      "guessed)", top)
    if not parsed.model:
        return Match(None, None, 0.0, "no model name in the title", top)
    same = scored.filter(pl.col("version_key") == parsed.version).sort("score", descending=True)
    if same.is_empty():
        others = scored.filter(pl.col("score") >= threshold).sort("shoe_id")
        if not others.is_empty():
            ids = ", ".join(others.get_column("shoe_id").to_list()[:4])
            return Match(None, None, 0.0, f"version {parsed.version} of this model is not in "
                         f"the catalog (it has {ids}); a version is never substituted", top)
        return Match(None, None, 0.0, f"no catalog shoe of this brand with version "
                                      f"{parsed.version}", top)
    best_id, best = same.item(0, "shoe_id"), float(same.item(0, "score"))
    if best < threshold:
        others = scored.filter((pl.col("version_key") != parsed.version)
                               & (pl.col("score") >= threshold)).sort("shoe_id")
        if not others.is_empty():
            ids = ", ".join(others.get_column("shoe_id").to_list()[:4])
            return Match(None, None, round(best, 1), f"version {parsed.version} of this model "
                         f"is not in the catalog (it has {ids}); a version is never "
                         "substituted", top)
        return Match(None, None, round(best, 1), f"best title match {best_id} scores "
                                                 f"{best:.0f} < {threshold:.0f}", top)
    if same.height > 1 and float(same.item(1, "score")) >= best - AMBIGUITY_MARGIN:
        other = same.item(1, "shoe_id")
        return Match(None, None, round(best, 1), f"ambiguous: {best_id} and {other} score "
                                                 "within 5", top)
    return Match(best_id, "title", round(best, 1), None, top)


# ----------------------------------------------------------------------------- aliases
def gtin_key(code: str | None) -> str | None:
    """Digits of a barcode, right-aligned to 14 (GTIN-8/12/13/14 alike); None if not one."""
    if not code:
        return None
    d = re.sub(r"[\s-]", "", code)
    if not d.isdigit() or not 6 <= len(d) <= 14:
        return None
    return d.zfill(14)


def gtin_check_ok(code: str) -> bool:
    """GS1 mod-10 check digit of a (right-aligned) GTIN."""
    key = gtin_key(code)
    if key is None:
        return False
    digits = [int(c) for c in key]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits[:-1]))
    return (10 - total % 10) % 10 == digits[-1]


@dataclass(frozen=True)
class AliasIndex:
    by_gtin: dict[str, str]
    by_code: dict[str, str]  # casefolded code → shoe_id


def index_aliases(aliases: pl.DataFrame) -> AliasIndex:
    """``aliases`` has text columns code, shoe_id (already checked against the catalog)."""
    by_gtin: dict[str, str] = {}
    by_code: dict[str, str] = {}
    for code, shoe_id in aliases.select("code", "shoe_id").iter_rows():
        code = (code or "").strip()
        if not code:
            continue
        key = gtin_key(code)
        if key is not None and len(re.sub(r"[\s-]", "", code)) >= 8:
            by_gtin[key] = shoe_id
        by_code[code.casefold()] = shoe_id
    return AliasIndex(by_gtin=by_gtin, by_code=by_code)


_SEPARATORS = "-._/ "


def match_alias(gtin: str, codes: list[str], aliases: AliasIndex) -> Match | None:
    """The store's own code for the row: GTIN first, then SKU/style (exact, then prefix)."""
    key = gtin_key(gtin)
    if key is not None and key in aliases.by_gtin:
        return Match(aliases.by_gtin[key], "gtin", 100.0, None)
    for code in codes:
        c = (code or "").strip().casefold()
        if c and c in aliases.by_code:
            return Match(aliases.by_code[c], "alias", 100.0, None)
    best: tuple[int, str] | None = None
    for code in codes:
        c = (code or "").strip().casefold()
        if not c:
            continue
        for alias, shoe_id in aliases.by_code.items():
            if len(alias) < len(c) and c.startswith(alias) and c[len(alias)] in _SEPARATORS \
                    and (best is None or len(alias) > best[0]):
                best = (len(alias), shoe_id)
    if best is not None:
        return Match(best[1], "alias", 100.0, None)
    return None
