"""A point-of-sale export → the SPEC §6 inventory (+ §7.4 columns) and a review table.

:func:`import_inventory` reads the files (the export, the aliases, the mapping) and hands
frames to :func:`build_inventory`, which is pure. Every variant row of the export (one per
location) ends in exactly one place: ``inventory`` or ``review`` with status
``not_imported`` and every reason found. Rows imported with a caveat (a GTIN shorter than 12
digits, a price that could not be read, a negative quantity read as 0, no SKU) are *also*
listed in ``review`` with status ``imported_with_warning``, so the manager sees them.

Choices (documented for the store):
- quantity "Not stocked" (Shopify inventory CSV) → 0; a negative quantity (oversold) → 0 with
  a warning; an empty quantity is unknown → review (never guessed);
- an empty width → ``standard``; a ``narrow`` width → review (gaitkeeper fits standard, wide
  and extra wide only);
- no line anywhere (gender column, title, size text) → line ``unisex``, size read on the
  men's scale (unisex shoes are sized on it); a men's/women's contradiction → review;
- no SKU → the barcode is the SKU, else ``<handle or title>/<size>/<width>`` (warning);
- a SKU seen twice at one location → the later row goes to review;
- prices are taken as USD (``price_usd``), currency signs and thousands separators removed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from ..errors import PROBLEM_COLUMNS
from ..spec.sizes import SizeError, parse_line, parse_width, split_size_width
from .exports import Export, ExportError, read_export, read_mapping, read_table, to_frame
from .matching import (
    THRESHOLD,
    AliasIndex,
    CatalogIndex,
    Match,
    ParsedTitle,
    gtin_check_ok,
    index_aliases,
    index_catalog,
    match_alias,
    match_title,
    parse_title,
)

INVENTORY_COLUMNS: dict[str, Any] = {
    "sku": pl.String, "shoe_id": pl.String, "size_us": pl.Float64, "width": pl.String,
    "quantity": pl.Int64, "price_usd": pl.Float64, "store_id": pl.String, "line": pl.String,
    "gtin": pl.String, "title": pl.String, "match": pl.String, "match_score": pl.Float64,
}
REVIEW_COLUMNS: dict[str, Any] = {
    "source_row": pl.Int64, "status": pl.String, "sku": pl.String, "gtin": pl.String,
    "title": pl.String, "vendor": pl.String, "size": pl.String, "width": pl.String,
    "line": pl.String, "store_id": pl.String, "quantity": pl.String, "options": pl.String,
    "reason": pl.String,
    "candidate_1": pl.String, "score_1": pl.Float64, "candidate_2": pl.String,
    "score_2": pl.Float64, "candidate_3": pl.String, "score_3": pl.Float64, "raw": pl.String,
}
PROBLEM_SCHEMA: dict[str, Any] = {"file": pl.String, "row": pl.Int64, "column": pl.String,
                                  "value": pl.String, "rule": pl.String}
NOT_IMPORTED = "not_imported"
WARNING = "imported_with_warning"
#: How a row was matched when the manager chose its shoe in the mapping review.
REVIEWED = "review"
LEFT_OUT = "left out in the mapping review"
#: One row per distinct title (and vendor) of the export: how its title matched.
TITLE_COLUMNS: dict[str, Any] = {
    "title": pl.String, "vendor": pl.String, "rows": pl.Int64, "title_rows": pl.Int64,
    "unmatched_rows": pl.Int64, "shoe_id": pl.String, "match_score": pl.Float64,
    "reason": pl.String, "candidate_1": pl.String, "score_1": pl.Float64,
    "candidate_2": pl.String, "score_2": pl.Float64, "candidate_3": pl.String,
    "score_3": pl.Float64, "decision": pl.String,
}


@dataclass(frozen=True)
class ImportResult:
    inventory: pl.DataFrame
    review: pl.DataFrame
    problems: pl.DataFrame
    rows_read: int  # variant rows × locations
    skipped: int  # non-variant lines (Shopify image lines), not stock
    file: str = ""
    #: per title: its title match, its rows (``title_rows`` matched by title,
    #: ``unmatched_rows`` by nothing) and the manager's ``decision`` when one was applied
    #: (:data:`TITLE_COLUMNS`; read by :func:`recommender.store.review.mapping_review`)
    titles: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=TITLE_COLUMNS))

    @property
    def imported(self) -> int:
        return self.inventory.height

    @property
    def to_review(self) -> int:
        return self.review.filter(pl.col("status") == NOT_IMPORTED).height

    @property
    def warnings(self) -> int:
        return self.review.filter(pl.col("status") == WARNING).height

    def summary(self) -> str:
        extra = f", {self.skipped} non-variant line(s) skipped" if self.skipped else ""
        return (f"{self.file}: {self.rows_read} variant row(s) read{extra}; {self.imported} "
                f"imported ({self.warnings} with a warning), {self.to_review} to review; "
                f"{self.problems.height} unreadable cell(s)")


# ----------------------------------------------------------------------------- cells
_NOT_STOCKED = {"not stocked", "not_stocked", "notstocked"}


def parse_quantity(text: str) -> tuple[int | None, str | None, str | None]:
    """→ (quantity, reason it cannot be used, warning)."""
    t = text.strip().lower()
    if t in _NOT_STOCKED:
        return 0, None, None
    if not t:
        return None, "quantity empty (inventory not tracked?)", None
    try:
        x = float(t.replace(",", ""))
    except ValueError:
        return None, f"quantity {text!r} is not a number", None
    if x != x or x in (float("inf"), float("-inf")) or not x.is_integer():
        return None, f"quantity {text!r} is not a whole number", None
    if x < 0:
        return 0, None, f"negative quantity {text} (oversold) read as 0"
    if x > 1_000_000:
        return None, f"quantity {text!r} is implausibly large", None
    return int(x), None, None


def parse_price(text: str) -> tuple[float | None, str | None]:
    """→ (price, problem). Currency signs/codes and thousands separators are removed."""
    t = re.sub(r"(?i)usd|us\$|\$|€|£|\s", "", text or "")
    if not t:
        return None, None
    if re.fullmatch(r"\d+,\d{2}", t):
        t = t.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    if not re.fullmatch(r"\d+(\.\d+)?", t):
        return None, "price is not a number"
    x = float(t)
    if x > 100_000:
        return None, "price is implausibly large"
    return x, None


# ----------------------------------------------------------------------------- aliases (I/O)
def read_aliases(path: str | Path, catalog_ids: set[str]) -> tuple[pl.DataFrame, list[dict]]:
    """The store's aliases CSV ``code,shoe_id`` → (valid aliases, problems)."""
    file = str(path)
    rows = read_table(path)
    if not rows:
        raise ExportError(file, "the aliases file is empty")
    frame = to_frame(rows, file, lambda k: {"code", "shoe_id"} <= k)
    code_col = next(c for c in frame.columns if c.strip().lower() == "code")
    id_col = next(c for c in frame.columns if c.strip().lower() == "shoe_id")
    problems: list[dict] = []
    keep: list[dict[str, str]] = []
    seen: dict[str, str] = {}
    for row in frame.iter_rows(named=True):
        code, shoe_id = (row[code_col] or "").strip(), (row[id_col] or "").strip()
        if not code:
            problems.append(_problem(file, row["__row"], code_col, code, "code is empty"))
        elif shoe_id not in catalog_ids:
            problems.append(_problem(file, row["__row"], id_col, shoe_id,
                                     "shoe_id is not in the catalog; alias ignored"))
        elif code.casefold() in seen and seen[code.casefold()] != shoe_id:
            problems.append(_problem(file, row["__row"], code_col, code,
                                     f"code already maps to {seen[code.casefold()]}; "
                                     "later alias ignored"))
        else:
            seen[code.casefold()] = shoe_id
            keep.append({"code": code, "shoe_id": shoe_id})
    return pl.DataFrame(keep, schema={"code": pl.String, "shoe_id": pl.String}), problems


def _problem(file: str, row: int | None, column: str | None, value: str | None,
             rule: str) -> dict[str, Any]:
    return {"file": file, "row": row, "column": column, "value": value, "rule": rule}


# ----------------------------------------------------------------------------- one row
@dataclass
class _Row:
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)


def _resolve_line(hint: str, title_line: str | None, out: _Row) -> tuple[str | None, bool]:
    """(mens|womens|unisex|None, stated): the line the row states, contradictions noted."""
    cell = parse_line(hint) if hint else None
    specific = {x for x in (cell, title_line) if x in ("mens", "womens")}
    if len(specific) > 1:
        out.reasons.append(f"line contradicts itself: gender {hint!r} vs title "
                           f"({title_line})")
        return None, False
    if specific:
        return specific.pop(), True
    if "unisex" in (cell, title_line):
        return "unisex", True
    return None, False


def _width(sources: list[tuple[str, str]], line: str, out: _Row) -> str | None:
    readings: dict[str, str] = {}
    for where, text in sources:
        if not text:
            continue
        try:
            readings[where] = parse_width(text, "womens" if line == "womens" else "mens")
        except SizeError as exc:
            out.reasons.append(str(exc))
            return None
    values = set(readings.values())
    if len(values) > 1:
        out.reasons.append("width contradicts itself: " + ", ".join(
            f"{w} says {v}" for w, v in readings.items()))
        return None
    width = values.pop() if values else "standard"
    if width == "narrow":
        out.reasons.append("narrow width: gaitkeeper fits standard, wide and extra wide only")
        return None
    return width


def _check_alias(m: Match, title_version: str | None, title_brand: str | None,
                 index: CatalogIndex, out: _Row) -> None:
    shoe = index.rows.filter(pl.col("shoe_id") == m.shoe_id)
    if shoe.is_empty():
        return
    if title_version and shoe.item(0, "version_key") != title_version:
        out.reasons.append(f"{m.how} says {m.shoe_id} but the title says version "
                           f"{title_version}")
    if title_brand and shoe.item(0, "brand_key") != title_brand:
        out.reasons.append(f"{m.how} says {m.shoe_id} but the title's brand differs")


def _row(r: Mapping[str, Any], index: CatalogIndex, aliases: AliasIndex | None,
         file: str, columns: Mapping[str, str], threshold: float,
         cache: dict[tuple[str, str], tuple[ParsedTitle, Match]],
         overrides: Mapping[str, str | None] | None = None) -> tuple[dict, _Row, Match, str]:
    """One normalised row → (inventory fields, reasons/warnings/problems, match, line)."""
    out = _Row()
    n = r["source_row"]
    key = (r["title"] or "", r["vendor"] or "")
    if key not in cache:  # a product's variants share one title: parse and match it once
        p = parse_title(key[0], key[1], index)
        cache[key] = (p, match_title(p, index, threshold))
    parsed, title_match = cache[key]
    line, stated = _resolve_line(r["line_hint"] or "", parsed.line, out)

    size_us: float | None = None
    size_width: str | None = None
    if not r["size"]:
        out.reasons.append("no size (no size option or attribute found)")
    else:
        try:
            size, size_width = split_size_width(r["size"], line if line != "unisex" else None)
            if size.line_given and stated and line in ("mens", "womens") and size.line != line:
                out.reasons.append(f"size {r['size']!r} is {size.line} but the row says {line}")
            elif size.line_given and not stated:
                line = size.line
            size_us = size.us
        except SizeError as exc:
            out.reasons.append(str(exc))
    line = line or "unisex"
    width = _width([("width", r["width"] or ""), ("size", size_width or ""),
                    ("title", parsed.width or "")], line, out)

    qty, why, warn = parse_quantity(r["quantity"] or "")
    if why:
        out.reasons.append(why)
        if r["quantity"]:
            out.problems.append(_problem(file, n, r["quantity_column"], r["quantity"], why))
    if warn:
        out.warnings.append(warn)

    price, bad = parse_price(r["price"] or "")
    if bad:
        out.warnings.append(f"{bad} ({r['price']!r}); price left empty")
        out.problems.append(_problem(file, n, columns.get("price"), r["price"], bad))

    gtin = (r["gtin"] or "").strip()
    if gtin:
        digits = re.sub(r"[\s-]", "", gtin)
        if not digits.isdigit():
            out.warnings.append(f"barcode {gtin!r} is not a GTIN (digits only)")
            out.problems.append(_problem(file, n, columns.get("gtin"), gtin,
                                         "barcode is not digits"))
        elif len(digits) < 12:
            msg = (f"GTIN {gtin} has {len(digits)} digits (fewer than 12): leading zeros were "
                   "probably lost when the file was saved with numbers; kept as read, compared "
                   "right-aligned")
            out.warnings.append(msg)
            out.problems.append(_problem(file, n, columns.get("gtin"), gtin, msg))
        elif not gtin_check_ok(digits):
            out.warnings.append(f"GTIN {gtin} fails its check digit")

    m: Match | None = None
    title_text = (r["title"] or "").strip()
    if overrides is not None and title_text in overrides:  # the manager's review decides
        choice = overrides[title_text]
        if choice is None:
            out.reasons.append(LEFT_OUT)
            m = Match(None, None, 0.0, LEFT_OUT, title_match.candidates)
        else:
            m = Match(choice, REVIEWED, 100.0, None)
    if m is None and aliases is not None:
        m = match_alias(gtin, [r["sku"] or "", r["mpn"] or ""], aliases)
        if m is not None:
            _check_alias(m, parsed.version, parsed.brand, index, out)
    if m is None:
        m = title_match
        if m.shoe_id is None:
            out.reasons.append(m.reason or "not matched")

    sku = (r["sku"] or "").strip() or gtin
    if not sku:
        sku = f"{r['handle'] or r['title']}/{r['size']}/{r['width'] or width or ''}".rstrip("/")
        out.warnings.append(f"no SKU or barcode; identified as {sku!r}")
    inv = {"sku": sku, "shoe_id": m.shoe_id, "size_us": size_us, "width": width,
           "quantity": qty, "price_usd": price, "store_id": r["store_id"] or None,
           "line": line, "gtin": gtin or None, "title": r["title"] or None,
           "match": m.how, "match_score": m.score}
    return inv, out, m, line


def _review_row(r: Mapping[str, Any], status: str, reason: str, line: str, sku: str,
                candidates: list[tuple[str, float]]) -> dict[str, Any]:
    rec = {"source_row": r["source_row"], "status": status, "sku": sku or None,
           "gtin": r["gtin"] or None, "title": r["title"] or None, "vendor": r["vendor"] or None,
           "size": r["size"] or None, "width": r["width"] or None, "line": line,
           "store_id": r["store_id"] or None, "quantity": r["quantity"] or None,
           "options": r["options"] or None, "reason": reason, "raw": r["raw"]}
    for i in range(3):
        cid, score = candidates[i] if i < len(candidates) else (None, None)
        rec[f"candidate_{i + 1}"], rec[f"score_{i + 1}"] = cid, score
    return rec


# ----------------------------------------------------------------------------- pure core
def build_inventory(export: Export, catalog_frame: pl.DataFrame,
                    aliases: pl.DataFrame | None = None, *, file: str = "",
                    threshold: float = THRESHOLD,
                    extra_problems: list[dict[str, Any]] | None = None,
                    overrides: Mapping[str, str | None] | None = None) -> ImportResult:
    """Normalised rows + catalog (+ aliases) → inventory, review and problems (pure).

    ``overrides``: the manager's mapping review, title (as in the export, trimmed) →
    ``shoe_id`` (every row of that title is that shoe, ``match`` = ``review``, score 100)
    or ``None`` (left out: its rows go to the review file, reason "left out in the mapping
    review"). It wins over aliases and title matching; see
    :func:`recommender.store.review.apply_review`."""
    if overrides:
        unknown = sorted({v for v in overrides.values() if v is not None}
                         - set(catalog_frame.get_column("shoe_id").to_list()))
        if unknown:
            raise ValueError(f"mapping review: not catalog shoe_id(s): {', '.join(unknown)}")
    index = index_catalog(catalog_frame)
    alias_index = index_aliases(aliases) if aliases is not None else None
    inventory: list[dict] = []
    review: list[dict] = []
    problems: list[dict] = list(extra_problems or [])
    seen: dict[tuple[str, str | None], int] = {}
    cache: dict[tuple[str, str], tuple[ParsedTitle, Match]] = {}
    counts: dict[tuple[str, str], list[int]] = {}  # rows, by title, unmatched
    for r in export.rows.iter_rows(named=True):
        inv, out, m, line = _row(r, index, alias_index, file, export.columns, threshold, cache,
                                 overrides)
        c = counts.setdefault((r["title"] or "", r["vendor"] or ""), [0, 0, 0])
        c[0] += 1
        c[1] += m.how == "title"
        c[2] += m.shoe_id is None
        key = (inv["sku"], inv["store_id"])
        if not out.reasons and key in seen:
            out.reasons.append(f"SKU {inv['sku']!r} already imported at this location "
                               f"(row {seen[key]})")
        problems.extend(out.problems)
        if out.reasons:
            review.append(_review_row(r, NOT_IMPORTED, "; ".join(out.reasons + out.warnings),
                                      line, inv["sku"], m.candidates))
            continue
        seen[key] = r["source_row"]
        inventory.append(inv)
        if out.warnings:
            review.append(_review_row(r, WARNING, "; ".join(out.warnings), line, inv["sku"],
                                      [(m.shoe_id, m.score)] if m.shoe_id else []))
    return ImportResult(
        inventory=pl.DataFrame(inventory, schema=INVENTORY_COLUMNS),
        review=pl.DataFrame(review, schema=REVIEW_COLUMNS),
        problems=pl.DataFrame(problems, schema=PROBLEM_SCHEMA).select(PROBLEM_COLUMNS),
        rows_read=export.rows.height, skipped=export.skipped, file=file,
        titles=_titles(cache, counts, overrides))


def _decision(overrides: Mapping[str, str | None] | None, title: str) -> str | None:
    if not overrides or title.strip() not in overrides:
        return None
    return overrides[title.strip()] or LEFT_OUT


def _titles(cache: Mapping[tuple[str, str], tuple[ParsedTitle, Match]],
            counts: Mapping[tuple[str, str], list[int]],
            overrides: Mapping[str, str | None] | None) -> pl.DataFrame:
    rows = []
    for (title, vendor), (_, m) in cache.items():
        n, by_title, unmatched = counts.get((title, vendor), [0, 0, 0])
        rec: dict[str, Any] = {
            "title": title or None, "vendor": vendor or None, "rows": n,
            "title_rows": by_title, "unmatched_rows": unmatched, "shoe_id": m.shoe_id,
            "match_score": m.score, "reason": m.reason,
            "decision": _decision(overrides, title)}
        cands = m.candidates or ([(m.shoe_id, m.score)] if m.shoe_id else [])
        for i in range(3):
            cid, score = cands[i] if i < len(cands) else (None, None)
            rec[f"candidate_{i + 1}"], rec[f"score_{i + 1}"] = cid, score
        rows.append(rec)
    return pl.DataFrame(rows, schema=TITLE_COLUMNS)


# ----------------------------------------------------------------------------- the edge
def _catalog_frame(catalog: Any) -> pl.DataFrame:
    frame = getattr(catalog, "frame", catalog)
    if not isinstance(frame, pl.DataFrame):
        raise TypeError("catalog must be a recommender.Catalog or a polars DataFrame")
    return frame


def import_inventory(path: str | Path, format: str, catalog: Any,
                     aliases: str | Path | pl.DataFrame | None = None,
                     mapping: str | Path | Mapping[str, str] | None = None,
                     threshold: float = THRESHOLD,
                     overrides: Mapping[str, str | None] | None = None) -> ImportResult:
    """Read a point-of-sale export as ``format`` and match it to ``catalog`` (SPEC §7.4).

    ``catalog``: a :class:`recommender.Catalog` (or its frame). ``aliases``: the store's CSV
    ``code,shoe_id`` (or a frame of those columns). ``mapping``: for ``generic``, a JSON or
    ``field=Column`` file, or a dict. Nothing is written; raises
    :class:`~recommender.store.exports.ExportError` when the file cannot be read as that format.
    """
    frame = _catalog_frame(catalog)
    mapping_dict: dict[str, str] | None
    if mapping is None or isinstance(mapping, Mapping):
        mapping_dict = dict(mapping) if mapping is not None else None
    else:
        mapping_dict = read_mapping(mapping)
    export = read_export(path, format, mapping_dict)
    alias_frame: pl.DataFrame | None = None
    alias_problems: list[dict] = []
    if isinstance(aliases, pl.DataFrame):
        alias_frame = aliases.select(pl.col("code").cast(pl.String), pl.col("shoe_id").cast(pl.String))
    elif aliases is not None:
        ids = set(frame.get_column("shoe_id").to_list())
        alias_frame, alias_problems = read_aliases(aliases, ids)
    return build_inventory(export, frame, alias_frame, file=str(path), threshold=threshold,
                           extra_problems=alias_problems, overrides=overrides)


def review_raw(review: pl.DataFrame) -> list[dict[str, str]]:
    """The raw cells of each review row, decoded (for tests and the app)."""
    return [json.loads(x) for x in review.get_column("raw").to_list()]
