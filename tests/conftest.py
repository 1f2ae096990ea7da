"""Shared fixtures: the shipped data and catalog (loaded once), a private cache directory
and a private hypothesis home per session."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from recommender import DATA_DIR, Catalog, load_catalog

DATA = DATA_DIR

# Hypothesis keeps its example database under ./.hypothesis by default; the tests write
# nothing into the working tree unless asked to.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    _home = tempfile.mkdtemp(prefix="gk-hypothesis-")
    set_hypothesis_home_dir(_home)
    atexit.register(shutil.rmtree, _home, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # validation markers of the catalog go to a temporary directory, not the user's home
    os.environ["GAITKEEPER_CACHE_DIR"] = str(tmp_path_factory.mktemp("gk-cache"))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(DATA / "shoes.csv")


@pytest.fixture(scope="session")
def cat(catalog: Catalog) -> Catalog:
    return catalog


@pytest.fixture(scope="session")
def shoes(cat: Catalog) -> pl.DataFrame:
    """The catalog frame: tests look their facts (support, drop, widths, plate) up here."""
    return cat.frame
