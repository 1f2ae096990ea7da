"""Shoe sizes and widths as stores write them → gaitkeeper's US size in a line, and width.

Sizes (SPEC §7.4)
-----------------
One chart per line, declared once below (:data:`SIZE_CHART`). It is the adult running-shoe
chart most running brands print (Brooks, ASICS, Nike, Saucony): a men's US size is UK + 1,
EU on the Paris-point scale rounded to the halves brands print, and the foot length in cm
(Mondopoint style, ISO 9407 / ISO/TS 19407 foot length) is US + 18 for men and US + 17 for
women; women's US = UK + 2. Anchors: **men's US 9 = UK 8 = EU 42.5 = 27 cm**; **women's US 8
= UK 6 = EU 39 = 25 cm**. Sources (checked, not copied): the running-shoe charts summarised
at https://sendy.io/blog/running-shoe-size-charts-how-to-size-and-fit-running-shoes (cm ↔ US
↔ EU for men and women) and the Brannock / ISO/TS 19407 cross-reference described at
https://www.calcdragon.com/c/shoe-size-converter and
https://everything.explained.today/shoe_size/ (Paris point = 2/3 cm, Brannock steps).

Brand differences, which this chart does not model: adidas prints EU sizes in thirds
("42 2/3") and UK = US − 0.5 for men (its men's US 9 is UK 8.5, EU 42 2/3); ASICS prints
EU 43.5 for men's US 9.5 and Nike prints women's US 8 as UK 5.5. A UK or EU size is therefore
read through this one chart; a fraction such as "42 2/3" lands on the nearest EU size of the
chart (42.5 → US 9), and an EU size that falls exactly between two chart rows (men's EU 43.5)
is rejected as ambiguous rather than guessed — the store can export US sizes or give the
variant an alias.

Widths (SPEC §7.4)
------------------
Letter codes depend on the line: men B narrow, D standard, 2E wide, 4E extra wide; women 2A
narrow, B standard, D wide, 2E extra wide. Also N/M/W/WW/XW and the words "Narrow",
"Regular", "Standard", "Medium", "Wide", "Extra Wide". Choices where brands differ: men's 3E
reads as ``wide`` (a 3E shoe on a 4E foot is too tight, so it is not offered as extra wide),
men's 6E as ``extra_wide``; women's C reads as ``wide``, women's 4E as ``extra_wide``. A
unisex shoe is read on the men's scale. An empty width is ``standard`` (stores mark only the
non-standard widths).

**Narrow** is parsed to ``narrow`` so the reason can be named, but gaitkeeper fits only
``standard|wide|extra_wide`` (SPEC §2.1, §6): the importer sends narrow variants to the
review file with that reason instead of writing a width the scorer would reject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Line = Literal["mens", "womens"]
System = Literal["us", "uk", "eu", "cm"]
LINES: tuple[str, ...] = ("mens", "womens")
SYSTEMS: tuple[str, ...] = ("us", "uk", "eu", "cm")
WIDTHS: tuple[str, ...] = ("narrow", "standard", "wide", "extra_wide")
FITTED_WIDTHS: tuple[str, ...] = ("standard", "wide", "extra_wide")

# ----------------------------------------------------------------------------- the chart
#: (US, UK, EU, cm) per line — the running-shoe chart described in the module docstring.
SIZE_CHART: dict[str, tuple[tuple[float, float, float, float], ...]] = {
    "mens": (
        (6.0, 5.0, 39.0, 24.0), (6.5, 5.5, 39.5, 24.5), (7.0, 6.0, 40.0, 25.0),
        (7.5, 6.5, 40.5, 25.5), (8.0, 7.0, 41.0, 26.0), (8.5, 7.5, 42.0, 26.5),
        (9.0, 8.0, 42.5, 27.0), (9.5, 8.5, 43.0, 27.5), (10.0, 9.0, 44.0, 28.0),
        (10.5, 9.5, 44.5, 28.5), (11.0, 10.0, 45.0, 29.0), (11.5, 10.5, 45.5, 29.5),
        (12.0, 11.0, 46.0, 30.0), (12.5, 11.5, 47.0, 30.5), (13.0, 12.0, 47.5, 31.0),
        (14.0, 13.0, 49.0, 32.0), (15.0, 14.0, 50.0, 33.0),
    ),
    "womens": (
        (5.0, 3.0, 35.5, 22.0), (5.5, 3.5, 36.0, 22.5), (6.0, 4.0, 36.5, 23.0),
        (6.5, 4.5, 37.5, 23.5), (7.0, 5.0, 38.0, 24.0), (7.5, 5.5, 38.5, 24.5),
        (8.0, 6.0, 39.0, 25.0), (8.5, 6.5, 40.0, 25.5), (9.0, 7.0, 40.5, 26.0),
        (9.5, 7.5, 41.0, 26.5), (10.0, 8.0, 42.0, 27.0), (10.5, 8.5, 42.5, 27.5),
        (11.0, 9.0, 43.0, 28.0), (12.0, 10.0, 44.0, 29.0),
    ),
}
_COLUMN = {"us": 0, "uk": 1, "eu": 2, "cm": 3}
#: How far a value may sit from a chart row and still read as that row (EU absorbs the
#: thirds some brands print; cm absorbs a rounding of the foot length).
_TOLERANCE = {"us": 0.0, "uk": 0.0, "eu": 0.34, "cm": 0.25}
#: A women's US size is a men's US size plus 1.5 on most running brands' own charts (Brooks,
#: Nike, HOKA); used to offer a unisex (men's-scale) shoe to a runner of the women's line.
WOMENS_OVER_MENS_US = 1.5

#: A US size outside the chart is still a US size: accepted in this range, on half sizes.
US_RANGE = (4.0, 17.0)


class SizeError(ValueError):
    """A size or width that cannot be read; the message is the reason shown for review."""


def _half(x: float) -> bool:
    return abs(x * 2 - round(x * 2)) < 1e-9


def to_us(value: str | float, system: System, line: Line) -> float:
    """The US size in ``line`` for ``value`` in ``system`` (``us|uk|eu|cm``), on half sizes."""
    if line not in LINES:
        raise SizeError(f"unknown line {line!r} (mens or womens)")
    if system not in _COLUMN:
        raise SizeError(f"unknown size system {system!r} (us, uk, eu or cm)")
    x = _number(value) if isinstance(value, str) else float(value)
    if system == "us":
        if not _half(x) or not US_RANGE[0] <= x <= US_RANGE[1]:
            raise SizeError(f"US size {x:g} is not a half size in {US_RANGE[0]:g}..{US_RANGE[1]:g}")
        return x
    col = _COLUMN[system]
    rows = SIZE_CHART[line]
    dist = sorted((abs(r[col] - x), r[0]) for r in rows)
    best_d, best_us = dist[0]
    label = f"{system.upper()} {x:g}" if system != "cm" else f"{x:g} cm"
    if best_d > _TOLERANCE[system] + 1e-9:
        if system == "eu" and len(dist) > 1 and abs(dist[1][0] - best_d) < 1e-9:
            raise SizeError(f"{label} falls between US {min(best_us, dist[1][1]):g} and "
                            f"US {max(best_us, dist[1][1]):g} in the {_line_word(line)} chart "
                            "(brand charts differ); export the US size or add an alias")
        raise SizeError(f"{label} is not in the {_line_word(line)} size chart")
    return best_us


def from_us(us: float, system: System, line: Line) -> float:
    """The chart's value in ``system`` for a US size (for display and tests)."""
    if system == "us":
        return us
    for row in SIZE_CHART[line]:
        if row[0] == us:
            return row[_COLUMN[system]]
    raise SizeError(f"US {us:g} is not in the {_line_word(line)} size chart")


def _line_word(line: str) -> str:
    return "men's" if line == "mens" else "women's"


_FRACTION = re.compile(r"^(\d+(?:[.,]\d+)?)(?:\s+(\d)\s*/\s*(\d))?$")
_UNICODE_FRACTIONS = {"½": " 1/2", "⅓": " 1/3", "⅔": " 2/3", "¼": " 1/4", "¾": " 3/4"}


def _number(text: str) -> float:
    """'9', '9.5', '9,5', '42 2/3', '9½' → a float."""
    t = text.strip()
    for k, v in _UNICODE_FRACTIONS.items():
        t = t.replace(k, v)
    m = _FRACTION.match(t.strip())
    if not m:
        raise SizeError(f"{text!r} is not a size number")
    whole = float(m.group(1).replace(",", "."))
    if m.group(2):
        num, den = int(m.group(2)), int(m.group(3))
        if den == 0 or num >= den:
            raise SizeError(f"{text!r} has an impossible fraction")
        whole += float(Fraction(num, den))
    return whole


@dataclass(frozen=True, slots=True)
class Size:
    """A size read from text: the US size in ``line`` and what it was written in."""

    us: float
    line: Line
    system: System
    line_given: bool = False  # the text itself named the line (M9, W 8.5, Men's 10)


_LINE_PREFIX = {
    "m": "mens", "men": "mens", "mens": "mens", "men's": "mens", "male": "mens",
    "w": "womens", "wmn": "womens", "wmns": "womens", "women": "womens", "womens": "womens",
    "women's": "womens", "ladies": "womens", "female": "womens",
}
_SYSTEM_WORDS = {"us": "us", "usa": "us", "uk": "uk", "eu": "eu", "eur": "eu", "euro": "eu",
                 "cm": "cm", "mondo": "cm", "jp": "cm"}
_SIZE_WORDS = ("size", "sz", "shoe size")


def parse_size(text: str, line: Line | None = None) -> Size:
    """Read "US 9", "M9", "W 8.5", "EU 42 2/3", "UK 8", "27 cm", "9.5", "US M 9" …

    A line written in the text (M/W, men's/women's) wins over ``line``; with neither the size
    reads on the men's scale (unisex shoes are sized on it). A bare number is a US size.
    "M 9 / W 10.5" (dual unisex sizing) reads the part for ``line`` (men's when unknown).
    """
    raw = text
    t = text.strip().lower().replace("’", "'")
    if not t:
        raise SizeError("size is empty")
    if "/" in t and re.search(r"\b[mw]\s*\d", t) and re.search(r"\d\s*/\s*[mw]", t):
        parts = [p.strip() for p in t.split("/")]
        want = "w" if line == "womens" else "m"
        pick = [p for p in parts if re.match(rf"^{want}\b|^{want}\d", p)]
        if not pick:
            raise SizeError(f"size {raw!r}: no {_line_word(line or 'mens')} part")
        t = pick[0]
    for w in _SIZE_WORDS:
        t = re.sub(rf"\b{w}\b\.?:?", " ", t)
    t = re.sub(r"(\d)\s*(cm|mm)\b", r"\1 \2", t)
    t = re.sub(r"^([a-z']+)(\d)", r"\1 \2", t)  # M9, US9, W8.5, EU42
    tokens = t.replace("(", " ").replace(")", " ").split()
    found_line: str | None = None
    system: str | None = None
    rest: list[str] = []
    mm = False
    for tok in tokens:
        key = tok.strip(".:-")
        if key in _SYSTEM_WORDS and system is None:
            system = _SYSTEM_WORDS[key]
        elif key == "mm" and system is None:
            system, mm = "cm", True
        elif key in _LINE_PREFIX and found_line is None and (not rest or len(key) > 1):
            # a single M/W after the number is a width (women's "8 M"), never a line
            found_line = _LINE_PREFIX[key]
        else:
            rest.append(tok)
    number_text = " ".join(rest)
    if not number_text:
        raise SizeError(f"size {raw!r} has no number")
    try:
        value = _number(number_text)
    except SizeError:
        raise SizeError(f"size {raw!r} is not a size (US, UK, EU or cm)") from None
    if mm:
        value /= 10
    the_line: str = found_line or line or "mens"
    if the_line not in LINES:
        raise SizeError(f"unknown line {the_line!r}")
    the_system = system or "us"
    us = to_us(value, the_system, the_line)  # type: ignore[arg-type]
    return Size(us=us, line=the_line, system=the_system,  # type: ignore[arg-type]
                line_given=found_line is not None)


_LINE_WORDS = {
    "m": "mens", "men": "mens", "mens": "mens", "men's": "mens", "male": "mens", "man": "mens",
    "w": "womens", "women": "womens", "womens": "womens", "women's": "womens",
    "wmns": "womens", "wmn": "womens", "ladies": "womens", "lady": "womens",
    "female": "womens", "woman": "womens", "unisex": "unisex", "adult": "unisex",
}


def parse_line(text: str | None) -> str | None:
    """A gender/line cell ("Male", "Women's", "W", "Unisex") → mens|womens|unisex, or None."""
    if text is None:
        return None
    key = text.strip().lower().replace("’", "'")
    return _LINE_WORDS.get(key) or _LINE_WORDS.get(key.rstrip("s"))


# ----------------------------------------------------------------------------- widths
#: Width codes per line → gaitkeeper width. Letters are upper-cased, "EE"-style codes are
#: folded to "2E" before the look-up. Declared once; the docstring explains the choices.
WIDTH_CODES: dict[str, dict[str, str]] = {
    "mens": {"2A": "narrow", "B": "narrow", "D": "standard", "2E": "wide", "3E": "wide",
             "4E": "extra_wide", "6E": "extra_wide"},
    "womens": {"4A": "narrow", "2A": "narrow", "A": "narrow", "B": "standard", "C": "wide",
               "D": "wide", "2E": "extra_wide", "4E": "extra_wide"},
}
#: Letters and words that mean the same on both lines.
WIDTH_WORDS: dict[str, str] = {
    "N": "narrow", "NARROW": "narrow", "SLIM": "narrow",
    "M": "standard", "MEDIUM": "standard", "REGULAR": "standard", "STANDARD": "standard",
    "NORMAL": "standard", "STD": "standard", "REG": "standard",
    "W": "wide", "WIDE": "wide",
    "WW": "extra_wide", "XW": "extra_wide", "XXW": "extra_wide", "EXTRA WIDE": "extra_wide",
    "EXTRAWIDE": "extra_wide", "X-WIDE": "extra_wide", "XWIDE": "extra_wide",
    "EXTRA-WIDE": "extra_wide", "X WIDE": "extra_wide",
}


def _fold_code(tok: str) -> str:
    m = re.fullmatch(r"(E{2,6}|A{2,4})", tok)
    if m:
        return f"{len(tok)}{tok[0]}"
    return tok


def parse_width(code: str | None, line: Line | None = None) -> str:
    """A width code or word → ``narrow|standard|wide|extra_wide``.

    ``line`` picks the letter scale (men's when unknown or unisex). Empty → ``standard``.
    A text holding two readings that disagree ("D Wide" on a men's shoe) is an error.
    """
    if code is None or not code.strip():
        return "standard"
    scale = WIDTH_CODES["womens" if line == "womens" else "mens"]
    t = code.strip().upper().replace("(", " ").replace(")", " ").replace("–", "-")
    t = re.sub(r"\s+", " ", t).strip()
    readings: set[str] = set()
    phrase = t.replace("-", " ")
    for words, value in sorted(WIDTH_WORDS.items(), key=lambda kv: -len(kv[0])):
        if " " in words and re.search(rf"\b{re.escape(words)}\b", phrase):
            readings.add(value)
            phrase = re.sub(rf"\b{re.escape(words)}\b", " ", phrase)
    for tok in re.split(r"[\s/,;]+", phrase):
        if not tok:
            continue
        folded = _fold_code(tok)
        if folded in scale:
            readings.add(scale[folded])
        elif tok in WIDTH_WORDS:
            readings.add(WIDTH_WORDS[tok])
        elif tok in ("WIDTH", "FIT"):
            continue
        else:
            raise SizeError(f"width {code!r}: {tok!r} is not a width code")
    if not readings:
        raise SizeError(f"width {code!r} is not a width code")
    if len(readings) > 1:
        raise SizeError(f"width {code!r} reads as {' and '.join(sorted(readings))} "
                        f"on the {_line_word(line or 'mens')} scale")
    return readings.pop()


def split_size_width(text: str, line: Line | None = None) -> tuple[Size, str | None]:
    """A size cell that also carries the width ("9.5 2E", "8 B(M)", "10 Wide") → the size
    and the width text (``None`` when the cell holds only a size)."""
    try:
        return parse_size(text, line), None
    except SizeError as first:
        tokens = text.replace("(", " ").replace(")", " ").split()
        for k in range(len(tokens) - 1, 0, -1):
            size_text, width_text = " ".join(tokens[:k]), " ".join(tokens[k:])
            try:
                size = parse_size(size_text, line)
                parse_width(width_text, size.line)
            except SizeError:
                continue
            return size, width_text
        raise first
