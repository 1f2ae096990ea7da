"""Fixtures for the engine tests: the real shipped catalog, loaded once."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import polars as pl
import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from recommender.catalog import Catalog, load_catalog

from .helpers import CATALOG_CSV

# Hypothesis keeps its example database and constants cache under ./.hypothesis by
# default; these tests write nothing into the working tree unless asked to.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    _home = tempfile.mkdtemp(prefix="gk-engine-hypothesis-")
    set_hypothesis_home_dir(_home)
    atexit.register(shutil.rmtree, _home, ignore_errors=True)


@pytest.fixture(scope="session")
def cat() -> Catalog:
    return load_catalog(CATALOG_CSV)


@pytest.fixture(scope="session")
def shoes(cat: Catalog) -> pl.DataFrame:
    """The catalog frame: tests look their facts (support, drop, widths, plate) up here."""
    return cat.frame
