"""Server-side rerun time of the shoe finder, measured with Streamlit's AppTest.

Runs the app once (cold: imports, catalog load), answers "knee pain: yes", then changes one
answer (the pain severity) back and forth and times each rerun: the script run that a
widget change triggers, from the new widget value to the finished element tree, including
``recommend()``, the charts and every questionnaire widget. Prints the median; the target
is 300 ms or less.

    .venv/bin/python benchmarks/app_rerun.py [--runs 10]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ENTRY = Path(__file__).resolve().parents[1] / "app" / "streamlit_app.py"
TARGET_MS = 300.0


def measure(runs: int) -> list[float]:
    at = AppTest.from_file(str(ENTRY), default_timeout=120)
    started = time.perf_counter()
    at.run()
    cold = time.perf_counter() - started
    at.session_state["finder-step"] = 2  # knee symptoms
    at.run()
    at.radio(key="q-knee-pain").set_value("Yes").run()
    at.session_state["finder-step"] = 8  # the plan
    at.run()
    if at.exception:
        raise SystemExit(f"the app raised: {at.exception[0].value}")
    print(f"cold first run: {cold * 1000:.0f} ms")
    times: list[float] = []
    for i in range(runs):
        at.session_state["q-knee-severity"] = 3 + i % 5
        started = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - started) * 1000)
        if at.exception:
            raise SystemExit(f"the app raised: {at.exception[0].value}")
        assert at.get_by_key("shoe-card-1") is not None
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    times = measure(args.runs)
    median = statistics.median(times)
    print(f"reruns: {', '.join(f'{t:.0f}' for t in times)} ms")
    print(f"median rerun after changing one answer: {median:.0f} ms "
          f"(target <= {TARGET_MS:.0f} ms: {'met' if median <= TARGET_MS else 'NOT met'})")


if __name__ == "__main__":
    main()
