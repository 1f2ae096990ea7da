"""Packaging (issue 10): the shipped catalog, samples and profiles are package data and
``py.typed`` ships, so a non-editable ``pip install .`` finds the default catalog."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_the_data_and_py_typed(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
                           "-w", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = tmp_path.glob("gaitkeeper-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("recommender/data/shoes.csv", "recommender/data/inventory_sample.csv",
                   "recommender/data/runners.csv", "recommender/data/profiles/author_amanda.json",
                   "recommender/py.typed"):
        assert needed in names, needed
    assert not any(n.startswith(("tests/", "app/", "notebooks/")) for n in names)


def test_default_catalog_is_found_inside_the_package() -> None:
    from recommender import DATA_DIR, load_catalog

    assert DATA_DIR.parent.name == "recommender"
    assert load_catalog().path == str(DATA_DIR / "shoes.csv")
