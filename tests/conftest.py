"""Shared fixtures: paths to the shipped data and a private cache directory per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # validation markers of the catalog go to a temporary directory, not the user's home
    os.environ["GAITKEEPER_CACHE_DIR"] = str(tmp_path_factory.mktemp("gk-cache"))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def catalog():
    from recommender import load_catalog

    return load_catalog(DATA / "shoes.csv")
