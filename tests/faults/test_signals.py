"""Interrupted runs (issues 18 and 19): SIGTERM, SIGHUP and SIGKILL at several moments of
score-inventory, and memory that does not grow with the number of runners."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from recommender.io import write_table
from recommender.synth import synth_runners

from .conftest import GK, gk, gk_measured, leftovers, score_args


def _start(runners: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([*GK, *map(str, score_args(runners, out, "--chunk-size", "10000"))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_part(proc: subprocess.Popen, directory: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not leftovers(directory):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never started writing"
        time.sleep(0.02)


@pytest.mark.parametrize("sig,code,when", [
    (signal.SIGTERM, 143, "reading"),      # before any output is staged
    (signal.SIGTERM, 143, "writing"),      # chunks already written to the temporary file
    (signal.SIGTERM, 143, "late"),
    (signal.SIGHUP, 129, "writing"),
])
def test_sigterm_and_sighup_leave_nothing(tmp_path: Path, runners_big: Path, sig: int,
                                          code: int, when: str) -> None:
    """Exit 128 + signal (143, 129), old output untouched, no temporary file left."""
    out = tmp_path / "scored.parquet"
    out.write_bytes(b"yesterday")
    proc = _start(runners_big, out)
    if when == "reading":
        time.sleep(1.0)  # importing and reading the inventory
    else:
        _wait_for_part(proc, tmp_path)
        time.sleep({"writing": 0.3, "late": 2.0}[when])
    if proc.poll() is not None:
        pytest.fail("the run finished before the signal: make the cohort bigger")
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert "interrupted" in err and "Traceback" not in err
    assert out.read_bytes() == b"yesterday"
    assert leftovers(tmp_path) == []


def test_sigkill_leaves_a_temp_file_the_next_run_ignores_and_removes(
        tmp_path: Path, runners_big: Path, runners_small: Path) -> None:
    out = tmp_path / "scored.parquet"
    out.write_bytes(b"yesterday")
    proc = _start(runners_big, out)
    _wait_for_part(proc, tmp_path)
    time.sleep(0.3)
    proc.kill()
    proc.communicate(timeout=60)
    stale = leftovers(tmp_path)
    assert stale and all(f".{proc.pid}." in name for name in stale)
    assert out.read_bytes() == b"yesterday"
    done = gk(*score_args(runners_small, out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"PAR1") and leftovers(tmp_path) == []


def _jsonl(path: Path, n: int) -> Path:
    """``n`` nested runner profiles, one per line."""
    template = {"shoe_size_us": 9, "knee": {"pain": True, "severity": 3},
                "gait": {"pronation": "over"}}
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"runner_id": f"r{i:07d}", **template}) + "\n")
    return path


def test_json_lines_runners_are_streamed(tmp_path: Path) -> None:
    """Ten times the lines, about the same peak memory: JSON lines are read chunk by chunk
    (the restructure streams them; proved here)."""
    small = _jsonl(tmp_path / "small.jsonl", 20_000)
    big = _jsonl(tmp_path / "big.jsonl", 200_000)
    done, peak_small = gk_measured(*score_args(small, tmp_path / "s.parquet",
                                               "--chunk-size", "20000"))
    assert done.returncode == 0, done.stderr
    done, peak_big = gk_measured(*score_args(big, tmp_path / "b.parquet",
                                             "--chunk-size", "20000"))
    assert done.returncode == 0, done.stderr
    print(f"JSON lines peak RSS: 20,000 lines {peak_small:.0f} MB, "
          f"200,000 lines {peak_big:.0f} MB")
    assert peak_big < peak_small + 250, (peak_small, peak_big)


FAULTS_RUNNERS = int(os.environ.get("GAITKEEPER_FAULTS_RUNNERS", "500000"))


@pytest.mark.slow
def test_many_runners_in_bounded_memory(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A big cohort (``synth-runners`` to Parquet; 500,000 by default to keep the suite
    within minutes on 2 cores, ``GAITKEEPER_FAULTS_RUNNERS=5000000`` for the full case):
    peak RSS of the run at most 1.5 GB."""
    directory = tmp_path_factory.mktemp("cohort")
    runners = directory / "runners.parquet"
    t0 = time.perf_counter()
    done = gk("synth-runners", "--n", str(FAULTS_RUNNERS), "--seed", "5", "--out", runners,
              timeout=1800)
    assert done.returncode == 0, done.stderr
    synth_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    done, peak = gk_measured(*score_args(runners, directory / "o.parquet"), timeout=3600)
    assert done.returncode == 0, done.stderr
    print(f"{FAULTS_RUNNERS:,} runners: synth {synth_s:.0f} s, score "
          f"{time.perf_counter() - t0:.0f} s, peak RSS {peak:.0f} MB")
    assert peak <= 1536, peak


def test_synth_helper_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    write_table(synth_runners(50, 9), a)
    write_table(synth_runners(50, 9), b)
    assert a.read_bytes() == b.read_bytes()
