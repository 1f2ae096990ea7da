"""Benchmark: single recommend() in process (target ≤ 10 ms median) and the
`gaitkeeper recommend` command end to end (target ≤ 0.5 s, issue #15). Prints the figures."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "data" / "profiles" / "author_amanda.json"


def main() -> None:
    from recommender import load_catalog, load_profile, recommend

    cat = load_catalog()
    prof = load_profile(str(PROFILE))
    for _ in range(10):
        recommend(prof, cat)
    times = []
    for _ in range(200):
        t = time.perf_counter()
        recommend(prof, cat)
        times.append((time.perf_counter() - t) * 1000)
    print(f"recommend() in process: median {statistics.median(times):.2f} ms, "
          f"p95 {sorted(times)[int(len(times) * 0.95)]:.2f} ms over {len(times)} calls "
          f"({len(cat)} catalog shoes; target <= 10 ms)")
    exe = [sys.executable, "-m", "recommender", "recommend", str(PROFILE)]
    subprocess.run(exe, capture_output=True, check=True)  # warm the validation marker
    walls = []
    for _ in range(7):
        t = time.perf_counter()
        subprocess.run(exe, capture_output=True, check=True)
        walls.append(time.perf_counter() - t)
    print(f"gaitkeeper recommend end to end: median {statistics.median(walls):.3f} s over "
          f"{len(walls)} runs (target <= 0.5 s)")


if __name__ == "__main__":
    main()
