"""Ctrl-C in the middle of a batch run: exit 130, the temporary file is removed and an
existing output is untouched (issue 7: atomic outputs on every exit path)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from recommender.synth import synth_runners

ROOT = Path(__file__).resolve().parents[2]


def test_ctrl_c_leaves_nothing_half_written(tmp_path: Path) -> None:
    runners = tmp_path / "runners.parquet"
    synth_runners(400_000, 8).write_parquet(runners, row_group_size=10_000)
    out = tmp_path / "scored.parquet"
    out.write_bytes(b"yesterday's results")
    proc = subprocess.Popen(
        [sys.executable, "-m", "recommender", "score-inventory", "--inventory",
         str(ROOT / "data" / "inventory_sample.csv"), "--runners", str(runners), "--out",
         str(out), "--chunk-size", "10000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    # Interrupt once the first chunks are in the temporary output: well inside the run
    # (400,000 runners in chunks of 10,000 take several seconds however fast scoring gets).
    while not any(p.stat().st_size > 0 for p in tmp_path.glob(".scored.parquet.*.part")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never started writing"
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert out.read_bytes() == b"yesterday's results"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runners.parquet", "scored.parquet"]
