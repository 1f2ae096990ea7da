"""Uploaded files: kept in memory and read by the library in memory, named by the
uploaded file's own name. Nothing is written to disk."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from recommender.io import SUFFIXES, read_raw, read_upload

#: The suffixes the store page accepts (every format the library reads).
UPLOAD_TYPES = [s.lstrip(".") for s in SUFFIXES]


@dataclass(frozen=True)
class Source:
    """One input file: a shipped sample (``path``) or an upload (``data`` named ``label``)."""

    kind: str
    label: str
    path: str | None = None
    data: bytes | None = None

    @property
    def signature(self) -> str:
        if self.data is not None:
            return f"{self.kind}:{self.label}:{hashlib.sha256(self.data).hexdigest()}"
        return f"{self.kind}:{self.path}"

    def raw(self) -> pl.DataFrame:
        """The file's raw rows (``ReadProblem`` naming the file if it cannot be read)."""
        if self.data is not None:
            return read_upload(self.label, self.data, self.kind)
        assert self.path is not None
        return read_raw(self.path, self.kind)


def is_known_upload(name: str) -> bool:
    return Path(name).suffix.lower().lstrip(".") in UPLOAD_TYPES
