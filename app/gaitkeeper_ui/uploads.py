"""Uploaded files: kept in memory, written only under names the program chooses."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from recommender.io import CSV_SUFFIXES, PARQUET_SUFFIXES


@dataclass(frozen=True)
class Source:
    """One input file: a shipped sample (``path``) or an upload (``data`` + ``suffix``)."""

    kind: str
    label: str
    path: str | None = None
    data: bytes | None = None
    suffix: str = ".csv"

    @property
    def signature(self) -> str:
        if self.data is not None:
            return f"{self.kind}:{hashlib.sha256(self.data).hexdigest()}"
        return f"{self.kind}:{self.path}"

    def materialise(self, directory: str) -> str:
        """A path to read: the sample itself, or the upload written under a fixed name
        chosen by the program (never the uploaded file's name)."""
        if self.data is None:
            assert self.path is not None
            return self.path
        target = Path(directory) / f"{self.kind}{self.suffix}"
        target.write_bytes(self.data)
        return str(target)


def upload_suffix(name: str) -> str | None:
    """The fixed suffix for an upload, from the known set only."""
    ext = Path(name).suffix.lower()
    if ext in CSV_SUFFIXES:
        return ".csv"
    if ext in PARQUET_SUFFIXES:
        return ".parquet"
    return None
