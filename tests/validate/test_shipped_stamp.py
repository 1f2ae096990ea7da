"""The shipped catalog's stamp: current, honest, and what lets a first run skip pandera."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from recommender import catalog as cat_mod
from recommender.catalog import DEFAULT_CATALOG, SHIPPED_STAMP, shipped_stamp


def test_stamp_is_current_and_the_catalog_passes_pandera() -> None:
    from recommender.io import read_raw
    from recommender.validate.schemas import validate_frame

    assert SHIPPED_STAMP.read_text() == shipped_stamp(), (
        "the shipped catalog or the rules changed: validate it, then write the stamp with "
        "python -c 'from recommender.catalog import *; SHIPPED_STAMP.write_text(shipped_stamp())'")
    result = validate_frame(read_raw(DEFAULT_CATALOG, "shoes"), "shoes", file="shoes.csv")
    assert result.problems.height == 0


@pytest.fixture
def counted(monkeypatch, tmp_path: Path) -> list[int]:
    from recommender.validate import schemas

    monkeypatch.setenv("GAITKEEPER_CACHE_DIR", str(tmp_path / "empty-cache"))
    calls: list[int] = []
    real = schemas.validate_frame
    monkeypatch.setattr(schemas, "validate_frame",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    cat_mod._LOADED.clear()
    yield calls
    cat_mod._LOADED.clear()


def test_shipped_bytes_skip_validation_without_a_marker(counted: list[int]) -> None:
    cat_mod.load_catalog()
    assert counted == []


def test_a_stale_stamp_means_validation(counted: list[int], monkeypatch) -> None:
    monkeypatch.setattr(cat_mod, "rules_version", lambda: "tightened")
    cat_mod.load_catalog()
    assert counted == [1]


def test_an_edited_copy_is_validated(counted: list[int], tmp_path: Path) -> None:
    edited = tmp_path / "shoes.csv"
    header, *rows = DEFAULT_CATALOG.read_bytes().splitlines(keepends=True)
    edited.write_bytes(header + b"".join(reversed(rows)))  # same shoes, other bytes
    cat_mod.load_catalog(edited)
    assert counted == [1]


def test_first_recommend_on_a_new_machine_does_not_import_pandera(tmp_path: Path) -> None:
    profile = DEFAULT_CATALOG.parent / "profiles" / "author_amanda.json"
    code = ("import sys\nfrom recommender.cli import main\n"
            f"sys.argv = ['gaitkeeper', 'recommend', {str(profile)!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('PANDERA', 'pandera' in sys.modules, 'SKLEARN', 'sklearn' in sys.modules,"
            " file=sys.stderr)")
    env = {**os.environ, "GAITKEEPER_CACHE_DIR": str(tmp_path / "fresh")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=False)
    assert "PANDERA False SKLEARN False" in done.stderr, done.stderr
