"""Point-of-sale exports → one normalised frame of variant rows (SPEC §7.4).

I/O happens only in :func:`read_table` (CSV or XLSX → every cell as text); each format is a
pure function from that text frame to the normalised frame (:data:`NORMAL_COLUMNS`): one row
per variant and location, the codes kept as text. Header matching ignores case and
surrounding or repeated whitespace.

Column lists, as published (checked against these pages; nothing copied):
- ``shopify`` — products CSV, both header versions: the older "Handle, Title, Vendor,
  Option1 Name, Option1 Value, …, Variant SKU, Variant Barcode, Variant Inventory Qty, Variant
  Price" and the newer "URL handle, …, SKU, Barcode, Option1 name, Option1 value, …, Inventory
  quantity, Price"; variant rows of a handle leave Title (and the option names) blank.
  https://help.shopify.com/en/manual/products/import-export/using-csv (current English page,
  "URL handle", "Inventory quantity"); https://beta.help.shopify.com/zh-CN/manual/products/import-export/using-csv
  and https://hooverconesee1936.blogspot.com/2022/04/ebay-file-exchange-please-specify-valid.html
  (copies of the older page: "Handle", "Variant Inventory Qty", "Variant SKU");
  https://striveformats.com/guides/shopify/shopify-product-csv-template-explained (Title on
  the first row of a handle only).
- ``shopify-inventory`` — inventory CSV: Handle, Title, Option1..3 Name/Value, SKU, Location,
  then the quantity states (Incoming, Unavailable, Committed, Available, On hand (current),
  On hand (new)); a cell may read "Not stocked".
  https://help.shopify.com/en/manual/products/inventory/inventory-csv and
  https://help.shopify.com/en/manual/products/inventory/getting-started-with-inventory/inventory-csv
- ``square`` — item library export (XLSX recommended, formatted as text; CSV too): Item Name,
  Variation Name, SKU, GTIN, Option Name/Value 1..n, Price, and one "Current Quantity
  <location>" column per location; the XLSX may carry instruction rows above the header.
  https://squareup.com/help/gb/en/article/5966-item-library-and-unit-cost-management
  (inventory across all locations, xlsx as text), https://squareup.com/help/es/ca/article/8211-item-import-spreadsheet-glossary
  (field glossary), https://squareup.com/help/us/en/article/7176 (GTIN),
  https://developer.squareup.com/docs/catalog-api/item-options-migration (variation name =
  option values joined by commas). The exact English spelling "Current Quantity <location>"
  is taken from the issue; the corpus held no English copy of the glossary to confirm it.
- ``lightspeed`` — Retail (R-Series) items with matrices: Matrix Description, Attribute 1..3,
  UPC, EAN, Custom SKU, Manufacturer SKU, Qty., Price, Brand (Description for non-matrix
  items). https://retail-support.lightspeedhq.com/hc/en-us/articles/115005142408-Formatting-item-import-files,
  https://retail-support.lightspeedhq.com/hc/en-us/articles/115005187687-Formatting-matrix-variants-in-item-import-files,
  https://support.cloudscape.ae/portal/en/kb/articles/adding-new-and-editing-existing-products-in-the-csv-file
  (column table: UPC, EAN, Custom SKU, Manufacturer SKU, Matrix Description, Attribute 1–3).
- ``generic`` — any table, with a mapping of our field → their column (JSON object or
  ``field=Column`` lines): fields ``sku, gtin, mpn, title, vendor, size, width, line,
  quantity, price, store_id`` (``title``, ``size``, ``quantity`` required) and optionally
  ``size_system=us|uk|eu|cm`` for bare size numbers.

Codes (SKU, barcode, style number) are never turned into numbers: CSV cells are read as text
exactly; an XLSX cell the store saved as a number has already lost its leading zeros, which
cannot be recovered from the file — the importer flags any GTIN shorter than 12 digits.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl

from ..errors import GaitkeeperError
from ..spec.sizes import SizeError, parse_line, parse_width, split_size_width

FORMATS: tuple[str, ...] = ("shopify", "shopify-inventory", "square", "lightspeed", "generic")

#: The normalised variant rows every reader yields (all text except ``source_row``).
NORMAL_COLUMNS: tuple[str, ...] = (
    "source_row", "handle", "sku", "gtin", "mpn", "title", "vendor", "size", "width",
    "line_hint", "store_id", "quantity", "quantity_column", "price", "options", "raw",
)
GENERIC_FIELDS: tuple[str, ...] = ("sku", "gtin", "mpn", "title", "vendor", "size", "width",
                                   "line", "quantity", "price", "store_id")
GENERIC_REQUIRED: tuple[str, ...] = ("title", "size", "quantity")
MAX_HEADER_SCAN = 30


@dataclass(frozen=True)
class Export:
    """A read export: its variant rows, the non-variant lines skipped (Shopify image lines),
    and the store's header for each of our fields (for problem reports)."""

    rows: pl.DataFrame
    skipped: int
    columns: dict[str, str]


class ExportError(GaitkeeperError):
    """The export cannot be read as that format; the message names the file and column."""

    def __init__(self, file: str, message: str, column: str | None = None):
        self.file = file
        self.column = column
        super().__init__(f"{file}: {message}")


# ----------------------------------------------------------------------------- reading (I/O)
def read_table(path: str | Path) -> list[list[str]]:
    """Every row of a CSV or XLSX (first sheet) as text cells; nothing parsed as a number."""
    p = Path(path)
    if not p.is_file():
        raise ExportError(str(p), "no such file")
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(p)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return _read_csv(p)
    raise ExportError(str(p), f"unsupported file type {suffix!r} (CSV or XLSX)")


def read_table_bytes(name: str, data: bytes) -> list[list[str]]:
    """:func:`read_table` of an upload kept in memory; ``name`` (the uploaded file's own
    name) chooses CSV or XLSX and names the file in every message."""
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(io.BytesIO(data), name)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return _csv_rows(data, name, suffix)
    raise ExportError(name, f"unsupported file type {suffix!r} (CSV or XLSX)")


def read_export_bytes(name: str, data: bytes, fmt: str,
                      mapping: dict[str, str] | None = None) -> Export:
    """:func:`read_export` of an upload kept in memory, named by its own file name."""
    if fmt not in FORMATS:
        raise ExportError(name, f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return normalise(read_table_bytes(name, data), fmt, name, mapping)


def _read_csv(p: Path) -> list[list[str]]:
    return _csv_rows(p.read_bytes(), str(p), p.suffix.lower())


def _csv_rows(data: bytes, name: str, suffix: str) -> list[list[str]]:
    p = name
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ExportError(p, f"line {line} is not UTF-8; export or save the file as "
                                 "CSV UTF-8") from None
    if "\x00" in text:
        raise ExportError(p, "binary content; not a CSV file")
    sample = text[:4096]
    delimiter = "\t" if suffix == ".tsv" or sample.count("\t") > sample.count(",") else ","
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise ExportError(p, f"not a readable CSV ({exc})") from None


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _read_xlsx(p: Path | io.BytesIO, name: str | None = None) -> list[list[str]]:
    name = name or str(p)
    try:
        from openpyxl import load_workbook
    except ImportError as exc:  # pragma: no cover - dependency declared
        raise ExportError(name, "reading XLSX needs openpyxl") from exc
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # zip/xml errors of a damaged or renamed file
        raise ExportError(name, f"not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        ws = wb.worksheets[0]
        return [[_xlsx_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def read_mapping(path: str | Path) -> dict[str, str]:
    """A generic column mapping: a JSON object, or ``field=Column`` lines (# comments)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(str(p), f"cannot read the mapping ({type(exc).__name__})") from None
    return parse_mapping(text, str(p))


def parse_mapping(text: str, name: str = "mapping") -> dict[str, str]:
    """:func:`read_mapping` of text already read (an app's text box): JSON or lines."""
    p = name
    if text.lstrip().startswith("{"):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ExportError(p, f"malformed JSON at line {exc.lineno}") from None
        if not isinstance(obj, dict) or not all(isinstance(v, str) for v in obj.values()):
            raise ExportError(p, "the mapping must be an object of field → column name")
        return {str(k).strip(): v for k, v in obj.items()}
    mapping: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if "=" not in s:
            raise ExportError(p, f"line {n}: expected field=Column")
        k, v = s.split("=", 1)
        mapping[k.strip()] = v.strip()
    return mapping


# ----------------------------------------------------------------------------- headers
def header_key(name: str) -> str:
    """Header matching key: case- and whitespace-insensitive."""
    return re.sub(r"\s+", " ", name.replace("\ufeff", "")).strip().lower()


def to_frame(rows: Sequence[Sequence[str]], file: str,
             is_header: Callable[[set[str]], bool]) -> pl.DataFrame:
    """Find the header row (the first of the first rows that ``is_header`` accepts; exports
    may carry instruction lines above it) → a text frame with ``__row`` (1-based data row).
    Fully empty lines are dropped; ragged lines are padded or, if longer, an error."""
    h = next((i for i, row in enumerate(rows[:MAX_HEADER_SCAN])
              if is_header({header_key(c) for c in row if c and c.strip()})), None)
    if h is None:
        raise ExportError(file, "no header row with the columns this format needs "
                                "(is it the right --format?)")
    header = [c.strip() for c in rows[h]]
    while header and not header[-1]:
        header.pop()
    seen: dict[str, int] = {}
    names: list[str] = []
    for i, c in enumerate(header):
        name = c or f"column {i + 1}"
        k = header_key(name)
        seen[k] = seen.get(k, 0) + 1
        names.append(name if seen[k] == 1 else f"{name} ({seen[k]})")
    width = len(names)
    data: list[list[str]] = []
    numbers: list[int] = []
    for i, row in enumerate(rows[h + 1:], 1):
        if not any(c.strip() for c in row):
            continue
        cells = list(row[:width]) + [""] * (width - len(row))
        if any(c.strip() for c in row[width:]):
            raise ExportError(file, f"line {h + 1 + i}: more cells than the header has columns")
        data.append(cells)
        numbers.append(i)
    cols = {name: [r[j] for r in data] for j, name in enumerate(names)}
    frame = pl.DataFrame(cols, schema={n: pl.String for n in names})
    return frame.with_columns(pl.Series("__row", numbers, dtype=pl.Int64))


class Columns:
    """Look up a frame's columns by any of several header spellings (case/space-insensitive)."""

    def __init__(self, frame: pl.DataFrame, file: str):
        self.file = file
        self.by_key = {header_key(c): c for c in frame.columns if c != "__row"}

    def find(self, *aliases: str) -> str | None:
        for a in aliases:
            c = self.by_key.get(header_key(a))
            if c is not None:
                return c
        return None

    def need(self, *aliases: str) -> str:
        c = self.find(*aliases)
        if c is None:
            raise ExportError(self.file, f"missing required column {aliases[0]!r}"
                              + (f" (or {', '.join(repr(a) for a in aliases[1:])})"
                                 if len(aliases) > 1 else ""), column=aliases[0])
        return c

    def starting(self, prefix: str) -> list[tuple[str, str]]:
        """(column, rest of its name) for every column whose header starts with ``prefix``."""
        p = header_key(prefix)
        out = []
        for k, c in self.by_key.items():
            if k.startswith(p) and len(k) > len(p):
                out.append((c, c.strip()[len(prefix):].strip() or c))
        return out


# ----------------------------------------------------------------------------- options
def _option_kind(name: str) -> str | None:
    n = name.strip().lower()
    if not n or n == "title":
        return None
    if "width" in n or n in ("fit", "shoe width"):
        return "width"
    if "size" in n:
        return "size"
    if any(w in n for w in ("gender", "sex", "line", "audience")):
        return "line"
    if "colo" in n:
        return "colour"
    return None


def _size_prefix(name: str) -> str:
    n = f" {name.strip().lower()} "
    for word, system in ((" eu ", "EU"), (" uk ", "UK"), (" cm ", "cm"), (" us ", "US")):
        if word in n:
            return system
    return ""


def _value_kind(value: str) -> str | None:
    v = value.strip()
    if not v or v.lower() == "default title":
        return None
    if re.search(r"\d", v) and not re.fullmatch(r"\d?[AE]{1,6}|\d[AE]", v.upper()):
        try:
            split_size_width(v)
            return "size"
        except SizeError:
            pass
    if len(v) > 1 and parse_line(v):  # a lone M or W is a width letter here
        return "line"
    try:
        parse_width(v)
        return "width"
    except SizeError:
        return "colour"


def classify_options(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """(option name, value) pairs → {"size", "width", "line"} texts. A named option wins;
    an unnamed one (Lightspeed attributes, Square variation names) is classified by value."""
    out: dict[str, str] = {}
    for name, value in pairs:
        v = (value or "").strip()
        if not v:
            continue
        kind = _option_kind(name or "")
        if kind == "size":
            prefix = _size_prefix(name)
            v = f"{prefix} {v}" if prefix and not re.search(r"[a-zA-Z]", v) else v
        elif kind is None:
            kind = _value_kind(v)
        if kind in ("size", "width", "line") and kind not in out:
            out[kind] = v
    return out


def _options_text(pairs: Sequence[tuple[str, str]]) -> str:
    return "; ".join(f"{n}: {v}" if n else v for n, v in pairs if v)


def _raw_json(frame_row: dict[str, str | int | None]) -> str:
    return json.dumps({k: v for k, v in frame_row.items() if k != "__row" and v not in ("", None)},
                      ensure_ascii=False)


def _normal(rows: list[dict[str, object]]) -> pl.DataFrame:
    schema = {c: (pl.Int64 if c == "source_row" else pl.String) for c in NORMAL_COLUMNS}
    return pl.DataFrame([{c: r.get(c) for c in NORMAL_COLUMNS} for r in rows], schema=schema)


def _cell(row: dict[str, str], col: str | None) -> str:
    if col is None:
        return ""
    v = row.get(col)
    return "" if v is None else str(v).strip()


# ----------------------------------------------------------------------------- formats
def _opts(row: dict[str, str], cols: Columns, names: dict[int, str]) -> list[tuple[str, str]]:
    return [(names.get(i, ""), _cell(row, cols.find(f"Option{i} Value"))) for i in (1, 2, 3)]


def _used(**cols: str | None) -> dict[str, str]:
    return {k: v for k, v in cols.items() if v}


def shopify(frame: pl.DataFrame, file: str) -> Export:
    """Shopify products CSV, either header version. Variant lines of a handle inherit the
    Title, Vendor, gender and option names of its first line; lines with no option value,
    SKU, barcode or quantity (extra images) are not variants and are counted as skipped."""
    cols = Columns(frame, file)
    handle = cols.need("Handle", "URL handle")
    title = cols.need("Title")
    vendor = cols.find("Vendor")
    sku = cols.find("Variant SKU", "SKU")
    barcode = cols.find("Variant Barcode", "Barcode")
    qty = cols.need("Variant Inventory Qty", "Inventory quantity", "Inventory Qty")
    price = cols.find("Variant Price", "Price")
    cols.need("Option1 Value")
    gender = next((c for k, c in cols.by_key.items() if "gender" in k), None)
    out: list[dict[str, object]] = []
    skipped = 0
    product: dict[str, str] = {}
    opt_names: dict[int, str] = {}
    for row in frame.iter_rows(named=True):
        h = _cell(row, handle)
        if h != product.get("handle"):
            product = {"handle": h, "title": "", "vendor": "", "gender": ""}
            opt_names = {}
        for key, col in (("title", title), ("vendor", vendor), ("gender", gender)):
            if not product[key] and _cell(row, col):
                product[key] = _cell(row, col)
        for i in (1, 2, 3):
            n = _cell(row, cols.find(f"Option{i} Name"))
            if n:
                opt_names[i] = n
        pairs = _opts(row, cols, opt_names)
        if not (any(v for _, v in pairs) or _cell(row, sku) or _cell(row, barcode)
                or _cell(row, qty)):
            skipped += 1
            continue
        found = classify_options(pairs)
        out.append({
            "source_row": row["__row"], "handle": h, "sku": _cell(row, sku),
            "gtin": _cell(row, barcode), "mpn": "", "title": product["title"],
            "vendor": product["vendor"], "size": found.get("size", ""),
            "width": found.get("width", ""),
            "line_hint": found.get("line") or product["gender"], "store_id": "",
            "quantity": _cell(row, qty), "quantity_column": qty, "price": _cell(row, price),
            "options": _options_text(pairs), "raw": _raw_json(row),
        })
    return Export(_normal(out), skipped, _used(sku=sku, gtin=barcode, price=price, title=title))


def shopify_inventory(frame: pl.DataFrame, file: str) -> Export:
    """Shopify inventory CSV: one line per variant and location. The quantity read is
    Available (what can be sold); On hand when the file has no Available column."""
    cols = Columns(frame, file)
    handle = cols.need("Handle")
    title = cols.need("Title")
    sku = cols.find("SKU")
    location = cols.need("Location")
    qty = cols.find("Available", "Available (not editable)") or \
        cols.need("On hand (current)", "On hand", "Available")
    cols.need("Option1 Value")
    out: list[dict[str, object]] = []
    product: dict[str, str] = {}
    opt_names: dict[int, str] = {}
    for row in frame.iter_rows(named=True):
        h = _cell(row, handle)
        if h != product.get("handle"):
            product = {"handle": h, "title": ""}
            opt_names = {}
        if not product["title"]:
            product["title"] = _cell(row, title)
        for i in (1, 2, 3):
            n = _cell(row, cols.find(f"Option{i} Name"))
            if n:
                opt_names[i] = n
        pairs = _opts(row, cols, opt_names)
        found = classify_options(pairs)
        out.append({
            "source_row": row["__row"], "handle": h, "sku": _cell(row, sku), "gtin": "",
            "mpn": "", "title": product["title"], "vendor": "", "size": found.get("size", ""),
            "width": found.get("width", ""), "line_hint": found.get("line", ""),
            "store_id": _cell(row, location), "quantity": _cell(row, qty),
            "quantity_column": qty, "price": "", "options": _options_text(pairs),
            "raw": _raw_json(row),
        })
    return Export(_normal(out), 0, _used(sku=sku, title=title))


def _variation_pairs(row: dict[str, str], cols: Columns) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for i in range(1, 7):
        n, v = cols.find(f"Option Name {i}"), cols.find(f"Option Value {i}")
        if n is None and v is None:
            break
        pairs.append((_cell(row, n), _cell(row, v)))
    if not any(v for _, v in pairs):  # no item options: the variation name holds the values
        name = _cell(row, cols.find("Variation Name"))
        if name and name.lower() != "regular":
            pairs = [("", p.strip()) for p in re.split(r"\s*[,|]\s*|\s+/\s+", name) if p.strip()]
    return pairs


def square(frame: pl.DataFrame, file: str) -> Export:
    """Square item library: one variation per line, one "Current Quantity <location>"
    column per location → one normalised row per variation and location."""
    cols = Columns(frame, file)
    item = cols.need("Item Name")
    qty_cols = cols.starting("Current Quantity ")
    if not qty_cols:
        raise ExportError(file, "missing required column 'Current Quantity <location>'",
                          column="Current Quantity")
    sku = cols.find("SKU")
    gtin = cols.find("GTIN", "UPC", "Barcode")
    price = cols.find("Price")
    out: list[dict[str, object]] = []
    for row in frame.iter_rows(named=True):
        pairs = _variation_pairs(row, cols)
        found = classify_options(pairs)
        for col, loc in qty_cols:
            out.append({
                "source_row": row["__row"], "handle": "", "sku": _cell(row, sku),
                "gtin": _cell(row, gtin), "mpn": "", "title": _cell(row, item), "vendor": "",
                "size": found.get("size", ""), "width": found.get("width", ""),
                "line_hint": found.get("line", ""), "store_id": loc,
                "quantity": _cell(row, col), "quantity_column": col,
                "price": _cell(row, price), "options": _options_text(pairs),
                "raw": _raw_json(row),
            })
    return Export(_normal(out), 0, _used(sku=sku, gtin=gtin, price=price, title=item))


def lightspeed(frame: pl.DataFrame, file: str) -> Export:
    """Lightspeed Retail items. Attribute 1–3 carry no names in the export, so each value is
    classified: a size (has a number that reads as a size), a width code, else a colour."""
    cols = Columns(frame, file)
    desc = cols.find("Matrix Description")
    plain = cols.find("Description")
    if desc is None and plain is None:
        cols.need("Matrix Description", "Description")
    qty = cols.need("Qty.", "Qty", "Quantity on Hand", "QOH")
    upc, ean = cols.find("UPC"), cols.find("EAN")
    custom, mpn = cols.find("Custom SKU"), cols.find("Manufacturer SKU")
    system_id = cols.find("System ID")
    price = cols.find("Price", "Default - Price", "Default Price")
    brand = cols.find("Brand", "Manufacturer")
    attrs = [cols.find(f"Attribute {i}") for i in (1, 2, 3)]
    out: list[dict[str, object]] = []
    for row in frame.iter_rows(named=True):
        pairs = [("", _cell(row, a)) for a in attrs if a]
        found = classify_options(pairs)
        out.append({
            "source_row": row["__row"], "handle": _cell(row, desc),
            "sku": _cell(row, custom) or _cell(row, system_id) or _cell(row, mpn),
            "gtin": _cell(row, upc) or _cell(row, ean), "mpn": _cell(row, mpn),
            "title": _cell(row, desc) or _cell(row, plain), "vendor": _cell(row, brand),
            "size": found.get("size", ""), "width": found.get("width", ""),
            "line_hint": found.get("line", ""), "store_id": "", "quantity": _cell(row, qty),
            "quantity_column": qty, "price": _cell(row, price),
            "options": _options_text(pairs), "raw": _raw_json(row),
        })
    return Export(_normal(out), 0, _used(sku=custom or system_id, gtin=upc or ean,
                                         price=price, title=desc or plain))


def generic(frame: pl.DataFrame, file: str, mapping: dict[str, str]) -> Export:
    """Any table, through the store's mapping of our field → their column."""
    unknown = sorted(set(mapping) - set(GENERIC_FIELDS) - {"size_system"})
    if unknown:
        raise ExportError(file, f"mapping has unknown field(s) {', '.join(unknown)}; fields: "
                                f"{', '.join(GENERIC_FIELDS)}, size_system")
    system = mapping.get("size_system", "").strip().lower()
    if system and system not in ("us", "uk", "eu", "cm"):
        raise ExportError(file, f"size_system {system!r} must be us, uk, eu or cm")
    missing = [f for f in GENERIC_REQUIRED if f not in mapping]
    if missing:
        raise ExportError(file, f"mapping lacks required field(s) {', '.join(missing)}")
    cols = Columns(frame, file)
    col = {f: cols.need(mapping[f]) for f in GENERIC_FIELDS if f in mapping}
    out: list[dict[str, object]] = []
    for row in frame.iter_rows(named=True):
        size = _cell(row, col.get("size"))
        if system and re.fullmatch(r"[\d.,½ /]+", size or "x"):
            size = f"{system} {size}" if system != "cm" else f"{size} cm"
        out.append({
            "source_row": row["__row"], "handle": "", "sku": _cell(row, col.get("sku")),
            "gtin": _cell(row, col.get("gtin")), "mpn": _cell(row, col.get("mpn")),
            "title": _cell(row, col.get("title")), "vendor": _cell(row, col.get("vendor")),
            "size": size, "width": _cell(row, col.get("width")),
            "line_hint": _cell(row, col.get("line")), "store_id": _cell(row, col.get("store_id")),
            "quantity": _cell(row, col.get("quantity")), "quantity_column": col["quantity"],
            "price": _cell(row, col.get("price")), "options": "", "raw": _raw_json(row),
        })
    return Export(_normal(out), 0, col)


#: Header rows each format recognises (a set of header keys it must contain).
_HEADER_TEST: dict[str, Callable[[set[str]], bool]] = {
    "shopify": lambda k: "title" in k and bool({"handle", "url handle"} & k),
    "shopify-inventory": lambda k: {"handle", "location"} <= k,
    "square": lambda k: "item name" in k,
    "lightspeed": lambda k: bool({"matrix description", "description"} & k)
    and bool({"qty.", "qty", "custom sku", "upc"} & k),
}


def normalise(rows: Sequence[Sequence[str]], fmt: str, file: str,
              mapping: dict[str, str] | None = None) -> Export:
    """Text rows of an export → its normalised variant rows (pure)."""
    if fmt not in FORMATS:
        raise ExportError(file, f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    if not rows or not any(any(c.strip() for c in r) for r in rows):
        raise ExportError(file, "the file is empty")
    if fmt == "generic":
        if not mapping:
            raise ExportError(file, "--format generic needs --mapping (field=Column)")
        wanted = {header_key(mapping[f]) for f in GENERIC_REQUIRED if f in mapping}
        frame = to_frame(rows, file, lambda k: wanted <= k)
        return generic(frame, file, mapping)
    frame = to_frame(rows, file, _HEADER_TEST[fmt])
    reader = {"shopify": shopify, "shopify-inventory": shopify_inventory, "square": square,
              "lightspeed": lightspeed}[fmt]
    return reader(frame, file)


def read_export(path: str | Path, fmt: str, mapping: dict[str, str] | None = None) -> Export:
    """Read ``path`` as ``fmt`` → its normalised variant rows (the I/O edge)."""
    if fmt not in FORMATS:
        raise ExportError(str(path), f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return normalise(read_table(path), fmt, str(path), mapping)
