"""Fixtures of the journal tests: a fresh journal file in ``tmp_path`` with a fixed today."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from recommender.journal import Journal, open_journal

from .helpers import TODAY


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "knee.journal"


@pytest.fixture
def journal(db_path: Path) -> Iterator[Journal]:
    with open_journal(db_path, create=True, today=lambda: TODAY) as j:
        yield j
