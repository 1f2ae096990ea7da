"""The bad-input corpus (issue 7): every file under tests/corpus/ goes through its real
reader via the command line, and each outcome is asserted — exit 2 with the place named, or
rows quarantined with a reason — never a traceback, never a partial output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
ROOT = CORPUS.parents[2]
INVENTORY = ROOT / "data" / "inventory_sample.csv"

# file → (exit code, words that must appear in stderr)
VALIDATE = {
    "shoes/bom_crlf.csv": (0, []),
    "shoes/empty.csv": (2, ["is empty"]),
    "shoes/header_only.csv": (2, ["no data rows"]),
    "shoes/non_utf8.csv": (2, ["not valid UTF-8", "line 3"]),
    "shoes/ragged_row.csv": (2, ["line 2 has a different number of fields"]),
    "inventory/bad_rows.csv": (2, ["row 2 (line 3), column shoe_id: is not a shoe_id of the catalog",
                                   "row 3 (line 4), column size_us: is not a whole or half size",
                                   "row 4 (line 5), column width: is not one of",
                                   "row 5 (line 6), column quantity: is below the minimum 0",
                                   "row 6 (line 7), column sku: must be unique",
                                   "row 7 (line 8), column quantity: expected a number",
                                   "row 8 (line 9), column price_usd: is not a finite number"]),
    "inventory/formula_sku.csv": (0, []),
    "inventory/missing_quantity.csv": (2, ["missing required column(s): quantity"]),
    "inventory/header_only.csv": (2, ["no data rows"]),
    "inventory/empty.csv": (2, ["is empty"]),
    "inventory/text_quantity.parquet": (2, ["row 2, column quantity: expected a number"]),
}

# runners file → (exit code, stderr words, expected (row, column) rejects when exit is 0)
SCORE = {
    "runners/bad_rows.csv": (0, ["scored 2 runner(s), rejected 10"], {
        (3, "knee_pain_severity"), (4, "gait_pronation"), (5, "age"), (6, "red_flags"),
        (7, "gait_overstriding"), (8, "runner_id"), (9, "runner_id"), (10, "age"),
        (11, "shoe_size_us"), (12, "running_weekly_km")}),
    "runners/bom_crlf.csv": (0, ["scored 2 runner(s), rejected 0"], set()),
    "runners/mixed.jsonl": (0, ["scored 2 runner(s), rejected 3"], {
        (2, "(line)"), (3, "knee.severity"), (4, "gait.stride")}),
    "runners/empty.csv": (2, ["is empty"], None),
    "runners/header_only.csv": (2, ["no runner rows"], None),
    "runners/non_utf8.csv": (2, ["not valid UTF-8", "line 3"], None),
    "runners/unknown_column.csv": (2, ["unknown column(s): 'shoe_colour'"], None),
    "runners/unknown_column.parquet": (2, ["unknown column(s): 'stray'"], None),
    "runners/missing_runner_id.csv": (2, ["missing required column(s): runner_id"], None),
}

RECOMMEND = {
    "profiles/bom.json": (0, []),
    "profiles/formula.json": (0, []),
    "profiles/array.json": (2, ["(profile): expected a JSON object"]),
    "profiles/empty.json": (2, ["not valid JSON"]),
    "profiles/non_utf8.json": (2, ["not UTF-8"]),
    "profiles/nan.json": (2, ["body_mass_kg: nan is not a finite number"]),
    "profiles/infinity.json": (2, ["running.weekly_km: inf is not a finite number"]),
    "profiles/huge_number.json": (2, ["age: is too large a number"]),
    "profiles/long_string.json": (2, ["runner_id:", "1 to 120 characters"]),
    "profiles/deep.json": (2, ["nested too deeply"]),
    "profiles/wrong_types.json": (2, ["age: expected a number", "gait.overstriding: expected true",
                                      "tight: expected a list"]),
}


# Catalog cases that differ from a valid file by one mutation are generated from the first
# real catalog row here, so a new catalog column touches nothing in this file.
def _catalog() -> tuple[list[str], list[str]]:
    import csv

    with open(ROOT / "data" / "shoes.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("superseded_by")
    return rows[0], next(r for r in rows[1:] if not r[col])  # a row valid on its own


def _set(col: str, value: str):
    def mutate(header: list[str], row: list[str]) -> list[list[str]]:
        bad = list(row)
        bad[header.index(col)] = value
        return [header, row, bad]
    return mutate


def _second(col: str, value: str):  # a valid first row, the mutation in data row 2
    return _set(col, value)


MUTATIONS = {
    "missing_column": (lambda h, r: [[c for c in h if c != "source"],
                                     [v for c, v in zip(h, r, strict=True) if c != "source"]],
                       ["missing required column(s): source"]),
    "extra_column": (lambda h, r: [[*h, "colour"], [*r, "red"]], ["unknown column(s): 'colour'"]),
    "duplicated_column": (lambda h, r: [[*h, "drop_mm"], [*r, r[h.index("drop_mm")]]],
                          ["duplicated column(s): drop_mm"]),
    "wrong_type": (_second("drop_mm", "ten"),
                   ["row 2 (line 3), column drop_mm: expected a number", "'ten'"]),
    "out_of_range": (_second("msrp_usd", "9999"),
                     ["row 2 (line 3), column msrp_usd: is above the maximum 400"]),
    "unknown_enum": (_second("support", "maximum"),
                     ["row 2 (line 3), column support: is not one of", "maximum"]),
    "duplicate_key": (lambda h, r: [h, r, r], ["row 2 (line 3), column shoe_id: must be unique"]),
    "nan_inf": (_second("weight_g", "inf"), ["column weight_g: is not a finite number"]),
    "huge_numbers": (_second("release_year", "99999999999999999999999"),
                     ["column release_year: expected a whole number"]),
    "formula_cells": (_second("shoe_id", '=HYPERLINK("http://x")'),
                      ["column shoe_id: does not match the expected format", "=HYPERLINK"]),
    "very_long_string": (_second("model", "Adios " * 100),
                         ["row 2 (line 3), column model: is longer than 200 characters"]),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_catalog_mutation_is_named(name: str, tmp_path: Path) -> None:
    import csv

    mutate, words = MUTATIONS[name]
    header, row = _catalog()
    path = tmp_path / f"{name}.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(mutate(header, row))
    done = subprocess.run([sys.executable, "-m", "recommender", "validate", str(path), "--kind",
                           "shoes"], capture_output=True, text=True, timeout=180)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    for w in words:
        assert w in done.stderr, (w, done.stderr[:2000])


def gaitkeeper(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recommender", *args], capture_output=True,
                          text=True, timeout=180, cwd=CORPUS)


def test_every_corpus_file_has_an_expectation() -> None:
    files = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file()}
    assert files == set(VALIDATE) | set(SCORE) | set(RECOMMEND)


@pytest.mark.parametrize("name", sorted(VALIDATE))
def test_validate(name: str) -> None:
    code, words = VALIDATE[name]
    done = gaitkeeper("validate", name, "--kind", name.split("/")[0])
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    for w in words:
        assert w in done.stderr, (w, done.stderr[:2000])


@pytest.mark.parametrize("name", sorted(SCORE))
def test_score_inventory(name: str, tmp_path: Path) -> None:
    code, words, rejects = SCORE[name]
    out = tmp_path / "scored.csv"
    done = gaitkeeper("score-inventory", "--inventory", str(INVENTORY), "--runners", name,
                      "--out", str(out))
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    for w in words:
        assert w in done.stderr, (w, done.stderr)
    if code != 0:
        assert list(tmp_path.iterdir()) == [], "nothing written when the run fails"
        return
    rej = pl.read_csv(str(out) + ".rejects.csv", infer_schema=False)
    got = set(zip(rej["row"].cast(pl.Int64).to_list(), rej["column"].to_list(), strict=True))
    assert got == rejects
    assert rej["reason"].null_count() == 0
    # quarantined + scored = every input row: nothing silently dropped
    scored_ids = set(pl.read_csv(out, infer_schema=False)["runner_id"].to_list())
    unmatched = set(pl.read_csv(str(out) + ".unmatched.csv", infer_schema=False)["runner_id"])
    summary_scored = int(done.stderr.split("scored ")[1].split(" ")[0])
    assert len(scored_ids | unmatched) == summary_scored
    for text in (out.read_text(encoding="utf-8"),
                 Path(str(out) + ".rejects.csv").read_text(encoding="utf-8")):
        for line in text.splitlines():
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in line.split(","))


def test_hostile_skus_are_neutralised_in_outputs(tmp_path: Path) -> None:
    out = tmp_path / "scored.csv"
    done = gaitkeeper("score-inventory", "--inventory", "inventory/formula_sku.csv",
                      "--runners", str(ROOT / "data" / "runners.csv"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    skus = set(pl.read_csv(out, infer_schema=False)["sku"].to_list())
    assert skus <= {"'=cmd|' /C calc'!A0", "'@SUM(A1)"} and skus


@pytest.mark.parametrize("name", sorted(RECOMMEND))
def test_recommend(name: str) -> None:
    code, words = RECOMMEND[name]
    done = gaitkeeper("recommend", name)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    if code == 2:
        assert done.stdout == ""
    for w in words:
        assert w in done.stderr, (w, done.stderr)
