"""``gaitkeeper recommend`` through a real subprocess (SPEC §5): JSON on stdout, exit 0; exit 2
with an empty stdout and a message naming the field on stderr; never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from recommender.testing.checks import (
    CATALOG_CSV,
    GATE_RULE,
    PROFILES,
    SUPPORTIVE,
    check_invariants,
    excluded_by,
    supportive_ids,
)

ROOT = Path(__file__).resolve().parents[2]
AUTHOR = PROFILES / "author_amanda.json"


def _command() -> list[str]:
    script = Path(sys.executable).parent / "gaitkeeper"
    if script.exists():
        return [str(script)]
    found = shutil.which("gaitkeeper")
    return [found] if found else [sys.executable, "-m", "recommender"]


def run(*args: str, module: bool = False) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "recommender"] if module else _command()
    proc = subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout
    return proc


def write(tmp_path: Path, data: Any, name: str = "profile.json") -> Path:
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def author_json() -> dict[str, Any]:
    proc = run("recommend", AUTHOR)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_recommend_author_json(author_json: dict[str, Any], shoes: pl.DataFrame) -> None:
    profile = json.loads(AUTHOR.read_text(encoding="utf-8"))
    check_invariants(profile, author_json, shoes)  # every SPEC §4 key, every invariant
    assert author_json["runner_id"] == profile["runner_id"]
    assert len(author_json["recommendations"]) == 5  # default --top
    assert author_json["gate"]["stability_allowed"] is False
    assert not [r for r in author_json["recommendations"] if r["support"] in SUPPORTIVE]
    assert excluded_by(author_json, GATE_RULE) == supportive_ids(shoes)


def test_cli_matches_library(author_json: dict[str, Any], cat) -> None:
    from recommender import recommend

    assert author_json == recommend(AUTHOR, catalog=cat).to_dict()


def test_python_dash_m_gives_the_same_bytes() -> None:
    a = run("recommend", AUTHOR, module=True)
    b = run("recommend", AUTHOR)
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout


@pytest.mark.parametrize("path", sorted(PROFILES.glob("*.json")), ids=lambda p: p.stem)
def test_every_shipped_profile(path: Path, shoes: pl.DataFrame) -> None:
    proc = run("recommend", path, "--top", "3")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert len(out["recommendations"]) <= 3
    check_invariants(json.loads(path.read_text(encoding="utf-8")), out, shoes)


def test_text_format_contains_the_plan(author_json: dict[str, Any]) -> None:
    proc = run("recommend", AUTHOR, "--format", "text")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert text.strip()
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    for e in author_json["exercises"]:
        assert e["name"] in text, e["name"]
    for c in author_json["form_cues"]:
        assert c["text"] in text
    for u in author_json["gate"]["unlock_when"]:
        assert u in text
    for r in author_json["recommendations"]:
        assert r["model"] in text
    assert author_json["insoles"]["reason"] in text


def test_custom_catalog_changes_version(tmp_path: Path, shoes: pl.DataFrame,
                                        author_json: dict[str, Any]) -> None:
    """--catalog: a catalog without the first recommendation gives another version and
    another first shoe."""
    first = author_json["recommendations"][0]["shoe_id"]
    smaller = tmp_path / "shoes.csv"
    rows = CATALOG_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    smaller.write_text("".join(r for r in rows if not r.startswith(first + ",")),
                       encoding="utf-8")
    proc = run("recommend", AUTHOR, "--catalog", smaller)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["catalog_version"] != author_json["catalog_version"]
    assert first not in {r["shoe_id"] for r in out["recommendations"]}
    assert first not in {e["shoe_id"] for e in out["excluded"]}


# ------------------------------------------------------------------------------ errors
def _bad(tmp_path: Path, data: Any, *names: str, extra: tuple[str, ...] = ()) -> str:
    path = write(tmp_path, data)
    proc = run("recommend", path, *extra)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert proc.stdout == ""
    assert proc.stderr.strip()
    for n in names:
        assert n in proc.stderr, (n, proc.stderr)
    return proc.stderr


def test_severity_11(tmp_path: Path) -> None:
    _bad(tmp_path, {"knee": {"severity": 11}}, "knee.severity: 11 is above the maximum 10")


def test_unknown_key(tmp_path: Path) -> None:
    _bad(tmp_path, {"runner_id": "x", "knee": {"pain": True, "painful": True}}, "knee.painful")
    _bad(tmp_path, {"favourite_shoe": "kinvara"}, "favourite_shoe")


def test_wrong_enum(tmp_path: Path) -> None:
    _bad(tmp_path, {"gait": {"pronation": "overpronated"}},
         "gait.pronation: 'overpronated' is not one of over, neutral, under, unknown")


def test_wrong_type(tmp_path: Path) -> None:
    _bad(tmp_path, {"running": {"runs_per_week": 5.5}}, "running.runs_per_week")
    _bad(tmp_path, {"knee": {"pain": "yes"}}, "knee.pain")


def test_malformed_json(tmp_path: Path) -> None:
    err = _bad(tmp_path, '{"knee": {"pain": true,, }', "JSON")
    assert "profile.json" in err


def test_huge_number(tmp_path: Path) -> None:
    """A whole number longer than a float can hold is valid JSON and bad input."""
    _bad(tmp_path, '{"body_mass_kg": 1' + "0" * 400 + "}", "body_mass_kg")


def test_deeply_nested_json(tmp_path: Path) -> None:
    """Valid JSON nested too deeply to be a profile is bad input, not an internal error."""
    _bad(tmp_path, "[" * 200_000 + "]" * 200_000, "profile.json")


def test_not_an_object(tmp_path: Path) -> None:
    _bad(tmp_path, "[1, 2, 3]", "object")


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    proc = run("recommend", missing)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "nope.json" in proc.stderr


def test_unknown_current_shoe(tmp_path: Path) -> None:
    _bad(tmp_path, {"current_shoe": {"shoe_id": "saucony-kinvara-99"}},
         "current_shoe.shoe_id", "saucony-kinvara-99")


def test_every_error_named_at_once(tmp_path: Path) -> None:
    _bad(tmp_path, {"age": 200, "gait": {"arch": "very_flat"}, "tight": ["it_band"]},
         "age", "gait.arch", "tight")


def test_bad_top(tmp_path: Path) -> None:
    proc = run("recommend", AUTHOR, "--top", "0")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "top" in proc.stderr


def test_missing_catalog(tmp_path: Path) -> None:
    proc = run("recommend", AUTHOR, "--catalog", tmp_path / "no-shoes.csv")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "no-shoes.csv" in proc.stderr
