"""The synthetic cohort is deterministic and matches its documented priors; `validate`
exits 0/2 naming rows and columns; CSV for people is spreadsheet-safe; writes are atomic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from recommender.io.write import atomic_path, neutralise_formulas, write_csv_safe
from recommender.spec.vocab import R
from recommender.synth import PRIORS, TIGHT_P, UNKNOWN_RATE, synth_runners

N = 40_000


@pytest.fixture(scope="module")
def cohort() -> pl.DataFrame:
    return synth_runners(N, seed=11)


def test_same_seed_same_frame_other_seed_differs() -> None:
    a, b, c = synth_runners(500, 3), synth_runners(500, 3), synth_runners(500, 4)
    assert a.equals(b)
    assert not a.drop(R.runner_id).equals(c.drop(R.runner_id))
    assert a.get_column(R.runner_id).str.starts_with("synthetic-").all()


@pytest.mark.parametrize("column", sorted(PRIORS))
def test_marginal_shares_match_priors(cohort: pl.DataFrame, column: str) -> None:
    col = cohort.get_column(column).drop_nulls().cast(pl.String)
    col = col.str.replace(r"\.0$", "")
    if column in (R.knee_pain,):
        col = col.str.to_lowercase()
    shares = col.value_counts(normalize=True)
    got = dict(zip(shares[column].to_list(), shares["proportion"].to_list(), strict=True))
    for key, want in PRIORS[column].shares.items():
        assert abs(got.get(key, 0.0) - want) < 0.015, (column, key, got.get(key), want)


def test_unknown_rate_and_list_priors(cohort: pl.DataFrame) -> None:
    share_blank = cohort.get_column(R.cadence_spm).null_count() / N
    assert abs(share_blank - UNKNOWN_RATE) < 0.01
    for muscle, p in TIGHT_P.items():
        got = cohort.select(pl.col(R.tight).list.contains(muscle).mean()).item()
        assert abs(got - p) < 0.015, muscle


def test_generated_cohort_is_valid(cohort: pl.DataFrame, tmp_path: Path) -> None:
    from recommender.io import read_raw, validate_raw

    p = tmp_path / "r.parquet"
    cohort.head(3000).write_parquet(p)
    assert validate_raw(read_raw(p, "runners"), "runners", file=str(p)).ok


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recommender", *args], capture_output=True,
                          text=True, timeout=120)


def test_validate_cli_exit_codes(tmp_path: Path, data_dir: Path) -> None:
    ok = run("validate", str(data_dir / "shoes.csv"), "--kind", "shoes")
    assert ok.returncode == 0, ok.stderr
    lines = (data_dir / "shoes.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[5].split(",")
    cells[lines[0].split(",").index("drop_mm")] = "99"  # drop_mm of data row 5
    broken = tmp_path / "shoes.csv"
    broken.write_text("\n".join([*lines[:5], ",".join(cells), *lines[6:]]) + "\n", encoding="utf-8")
    bad = run("validate", str(broken), "--kind", "shoes")
    assert bad.returncode == 2
    assert "row 5" in bad.stderr and "drop_mm" in bad.stderr and "Traceback" not in bad.stderr
    missing = run("validate", str(tmp_path / "nope.csv"), "--kind", "inventory")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    wrong_kind = run("validate", str(broken), "--kind", "socks")
    assert wrong_kind.returncode == 2 and "Traceback" not in wrong_kind.stderr


def test_synth_cli_writes_and_validates(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    done = run("synth-runners", "--n", "300", "--seed", "5", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert run("validate", str(out), "--kind", "runners").returncode == 0
    again = tmp_path / "r2.csv"
    run("synth-runners", "--n", "300", "--seed", "5", "--out", str(again))
    assert out.read_bytes() == again.read_bytes()


def test_formula_cells_neutralised(tmp_path: Path) -> None:
    frame = pl.DataFrame({"sku": ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "ok", "\tTAB"],
                          "n": [-1, 2, 3, 4, 5, 6]})
    safe = neutralise_formulas(frame)
    assert safe["sku"].to_list() == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "ok",
                                     "'\tTAB"]
    assert safe["n"].to_list() == [-1, 2, 3, 4, 5, 6], "numbers are left alone"
    p = tmp_path / "out.csv"
    write_csv_safe(frame, p)
    assert "'=HYPERLINK" in p.read_text(encoding="utf-8")


def test_atomic_path_keeps_existing_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"], "temporary file removed"
    with atomic_path(target) as tmp:
        tmp.write_text("new", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new"
