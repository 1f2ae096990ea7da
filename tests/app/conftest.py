"""Fixtures for the Streamlit app tests: a fresh ``AppTest`` of the real entry script, with
Streamlit's caches cleared between tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "app" / "streamlit_app.py"
TIMEOUT = 60


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def new_app() -> Callable[..., AppTest]:
    """``new_app(page=None)``: the app, run once, optionally switched to a page."""

    def make(page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ENTRY), default_timeout=TIMEOUT).run()
        assert not at.exception, [e.value for e in at.exception]
        if page is not None:
            at.switch_page(page).run()
            assert not at.exception, [e.value for e in at.exception]
        return at

    return make
