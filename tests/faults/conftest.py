"""Helpers of the fault suite (issues 18 and 19): run the real command line in a child
process (optionally with a umask, a file size limit, another user or signals), measure its
peak memory, and list what a run left in a directory."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from recommender import DATA_DIR
from recommender.io import write_table
from recommender.synth import synth_runners

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = DATA_DIR / "inventory_sample.csv"
GK = [sys.executable, "-m", "recommender"]
_MEASURE = ("import resource, subprocess, sys\n"
            "p = subprocess.run(sys.argv[1:])\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
            "sys.exit(p.returncode)\n")


def gk(*args: str, env: dict | None = None, preexec: Callable[[], None] | None = None,
       cwd: str | Path | None = None, timeout: float = 300,
       prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    """``gaitkeeper ARGS`` in a child process (``prefix``: a command to run it under)."""
    return subprocess.run([*(prefix or []), *GK, *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env, preexec_fn=preexec, cwd=cwd)


def gk_measured(*args: str, timeout: float = 600) -> tuple[subprocess.CompletedProcess, float]:
    """``gaitkeeper ARGS`` under a small wrapper that reports the child's peak RSS (MB):
    ``RUSAGE_CHILDREN`` of a fresh process sees only this run."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, *GK, *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)
    lines = done.stderr.strip().splitlines()
    peak_mb = int(lines[-1]) / 1024
    done.stderr = "\n".join(lines[:-1])
    return done, peak_mb


def leftovers(directory: Path) -> list[str]:
    """Temporary files a run left (``.<name>.<pid>.*.part``)."""
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".part"))


def score_args(runners: Path, out: Path, *extra: str, inventory: Path = INVENTORY) -> list:
    return ["score-inventory", "--inventory", inventory, "--runners", runners, "--out", out,
            *extra]


@pytest.fixture(scope="session")
def runners_small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("runners") / "runners.csv"
    write_table(synth_runners(300, 11), path)
    return path


@pytest.fixture(scope="session")
def runners_big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cohort long enough that a run takes seconds (signals arrive mid-run)."""
    path = tmp_path_factory.mktemp("runners") / "runners.parquet"
    synth_runners(150_000, 8).write_parquet(path, row_group_size=10_000)
    return path


#: Run a child without the capability that lets root ignore file permissions, so a
#: read-only directory is read-only to it (the tests run as root in CI containers).
PERMISSIONS_APPLY = (["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                      "--inh-caps=-dac_override,-dac_read_search", "--"]
                     if os.getuid() == 0 else [])


def read_text_frame(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)
