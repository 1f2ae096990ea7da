"""Shared by the pages: cached library objects, shipped data paths and display labels."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import streamlit as st

from recommender import DATA_DIR, Catalog, load_catalog
from recommender.io import read_raw
from recommender.spec.vocab import S
from recommender.validate.coerce import ROW

DATA = DATA_DIR
SAMPLE_INVENTORY = DATA / "inventory_sample.csv"
SAMPLE_RUNNERS = DATA / "runners.csv"
PROFILES = DATA / "profiles"

DISCLAIMER = ("gaitkeeper is not a diagnosis. If pain is severe, sudden or getting worse, "
              "see a clinician.")


@st.cache_resource(show_spinner="Loading the shoe catalog…")
def catalog() -> Catalog:
    """The shipped catalog, loaded and validated once per server process."""
    return load_catalog()


@st.cache_data(show_spinner=False)
def sample_frame(path: str, kind: str) -> pl.DataFrame:
    """A shipped sample file as read by the library (all cells as text), for previews."""
    return read_raw(path, kind).drop(ROW)


@st.cache_data(show_spinner=False)
def example_profiles() -> dict[str, dict[str, Any]]:
    """The worked example profiles of ``data/profiles`` by file name."""
    out: dict[str, dict[str, Any]] = {}
    for p in sorted(PROFILES.glob("*.json")):
        out[p.stem] = json.loads(p.read_text(encoding="utf-8"))
    return out


def humanize(value: Any) -> str:
    """``around_kneecap`` → ``Around kneecap``."""
    text = str(value).replace("_", " ")
    return text[:1].upper() + text[1:]


def humanize_col(name: str) -> pl.Expr:
    """:func:`humanize` of a text column, vectorised."""
    text = pl.col(name).cast(pl.String).str.replace_all("_", " ")
    return (text.str.slice(0, 1).str.to_uppercase() + text.str.slice(1)).alias(name)


def shoe_labels(cat: Catalog) -> dict[str, str]:
    """shoe_id → "Brand Model Version"."""
    return {r[S.shoe_id]: f"{r[S.brand]} {r[S.model]} {r[S.version]}"
            for r in cat.frame.select(S.shoe_id, S.brand, S.model, S.version).iter_rows(named=True)}


def page_header(title: str, caption: str) -> None:
    st.title(title)
    st.caption(caption)
