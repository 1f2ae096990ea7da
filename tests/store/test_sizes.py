"""Size and width conversion against the chart declared in recommender.spec.sizes."""

from __future__ import annotations

import pytest

from recommender.spec.sizes import (
    SIZE_CHART,
    SizeError,
    from_us,
    parse_line,
    parse_size,
    parse_width,
    split_size_width,
    to_us,
)


@pytest.mark.parametrize(("value", "system", "line", "us"), [
    (9, "us", "mens", 9.0),
    (8, "uk", "mens", 9.0),          # men's US 9 = UK 8 (adidas would say UK 8.5)
    (42.5, "eu", "mens", 9.0),       # = EU 42.5
    (27, "cm", "mens", 9.0),         # = 27 cm
    ("42 2/3", "eu", "mens", 9.0),   # adidas thirds land on the nearest chart row
    (44, "eu", "mens", 10.0),
    (39, "eu", "womens", 8.0),       # women's US 8 = EU 39
    (6, "uk", "womens", 8.0),        # = UK 6
    (25, "cm", "womens", 8.0),       # = 25 cm
    ("40", "eu", "womens", 8.5),
    (10.5, "us", "womens", 10.5),
])
def test_to_us_follows_the_chart(value, system, line, us):
    assert to_us(value, system, line) == us


def test_chart_rows_round_trip():
    for line, rows in SIZE_CHART.items():
        for us, uk, eu, cm in rows:
            assert to_us(uk, "uk", line) == us
            assert to_us(eu, "eu", line) == us
            assert to_us(cm, "cm", line) == us
            assert from_us(us, "eu", line) == eu
        # UK offset and cm offset are constant per line
        offsets = {round(us - uk, 2) for us, uk, _, _ in rows}
        assert offsets == ({1.0} if line == "mens" else {2.0})


@pytest.mark.parametrize(("value", "system", "line"), [
    (43.5, "eu", "mens"),   # between US 9.5 and 10: ambiguous, never guessed
    (60, "eu", "mens"),
    (9.3, "us", "mens"),
    (8.25, "uk", "womens"),
    (3, "us", "mens"),
])
def test_to_us_rejects_what_the_chart_cannot_say(value, system, line):
    with pytest.raises(SizeError):
        to_us(value, system, line)


@pytest.mark.parametrize(("text", "line", "us", "out_line", "system"), [
    ("US 9", None, 9.0, "mens", "us"),
    ("M9", None, 9.0, "mens", "us"),
    ("W 8.5", None, 8.5, "womens", "us"),
    ("W 8.5", "mens", 8.5, "womens", "us"),   # the text names the line: it wins
    ("EU 42 2/3", "mens", 9.0, "mens", "eu"),
    ("UK 8", "mens", 9.0, "mens", "uk"),
    ("27 cm", "mens", 9.0, "mens", "cm"),
    ("25cm", "womens", 8.0, "womens", "cm"),
    ("9.5", None, 9.5, "mens", "us"),
    ("9,5", "womens", 9.5, "womens", "us"),
    ("9½", None, 9.5, "mens", "us"),
    ("US M 9", None, 9.0, "mens", "us"),
    ("Men's 10", None, 10.0, "mens", "us"),
    ("Size 11", None, 11.0, "mens", "us"),
    ("EU 39", "womens", 8.0, "womens", "eu"),
    ("M 9 / W 10.5", "womens", 10.5, "womens", "us"),
    ("M 9 / W 10.5", None, 9.0, "mens", "us"),
])
def test_parse_size(text, line, us, out_line, system):
    s = parse_size(text, line)
    assert (s.us, s.line, s.system) == (us, out_line, system)


def test_parse_size_marks_a_stated_line():
    assert parse_size("W 8", None).line_given
    assert not parse_size("8", "womens").line_given


@pytest.mark.parametrize("text", ["", "Black", "9 M", "EU", "12/3"])
def test_parse_size_rejects(text):
    with pytest.raises(SizeError):
        parse_size(text, "mens")


def test_size_cell_with_width():
    size, width = split_size_width("8 B(M)", "womens")
    assert (size.us, width) == (8.0, "B M")
    assert parse_width(width, "womens") == "standard"
    size, width = split_size_width("9.5 2E", "mens")
    assert (size.us, parse_width(width, "mens")) == (9.5, "wide")
    assert split_size_width("10", None)[1] is None


@pytest.mark.parametrize(("code", "line", "width"), [
    ("B", "mens", "narrow"), ("D", "mens", "standard"), ("2E", "mens", "wide"),
    ("EE", "mens", "wide"), ("4E", "mens", "extra_wide"), ("EEEE", "mens", "extra_wide"),
    ("2A", "womens", "narrow"), ("AA", "womens", "narrow"), ("B", "womens", "standard"),
    ("D", "womens", "wide"), ("2E", "womens", "extra_wide"),
    ("D", None, "standard"),  # unisex / unknown: men's scale
    ("N", None, "narrow"), ("M", "womens", "standard"), ("W", None, "wide"),
    ("WW", None, "extra_wide"), ("XW", "womens", "extra_wide"),
    ("Wide", None, "wide"), ("Extra Wide", None, "extra_wide"), ("X-Wide", None, "extra_wide"),
    ("Regular", None, "standard"), ("Standard", None, "standard"), ("Medium", None, "standard"),
    ("2E (Wide)", "mens", "wide"), ("D (Standard)", "mens", "standard"),
    ("", None, "standard"), (None, "womens", "standard"),
])
def test_parse_width(code, line, width):
    assert parse_width(code, line) == width


@pytest.mark.parametrize(("code", "line"), [("D Wide", "mens"), ("Q", None), ("Black", None)])
def test_parse_width_rejects(code, line):
    with pytest.raises(SizeError):
        parse_width(code, line)


@pytest.mark.parametrize(("text", "line"), [
    ("Male", "mens"), ("Men's", "mens"), ("M", "mens"), ("Female", "womens"),
    ("Women's", "womens"), ("W", "womens"), ("Unisex", "unisex"), ("Kids", None), ("", None),
])
def test_parse_line(text, line):
    assert parse_line(text) == line
