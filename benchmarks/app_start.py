"""How fast the app answers: its first page cold and warm, and each answer's rerun.

Two views of the same thing (#15 item 4, #17 "Speed"; target: the first page in 2 s or less
warm):

- **server side**, Streamlit's AppTest in this process: the first script run (cold: imports,
  catalog load), a new session's first run (warm), an answer's rerun on a step, the plan
  (first time: charts and tables import altair and pandas; then warm), the plan's rerun
  after changing one answer;
- **in the browser**, ``streamlit run`` timed with Chromium through Playwright: a new tab's
  first page until "Step 1 of 8" shows, for the first visitor after the server starts (cold)
  and for a later one (warm), and an answer's rerun until the running indicator is gone.

    .venv/bin/python benchmarks/app_start.py [--runs 5] [--no-browser]
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = ROOT / "app" / "streamlit_app.py"
CHROMIUM = Path("/usr/bin/chromium")
TARGET_WARM_S = 2.0
PLAN = 8  # the plan's step index (after the 8 question steps)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def server_side(runs: int) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    out: dict[str, float] = {}

    def timed(at, label: str | None = None):
        started = time.perf_counter()
        at.run()
        took = time.perf_counter() - started
        if at.exception:
            raise SystemExit(f"the app raised: {at.exception[0].value}")
        if label:
            out[label] = took
        return took

    timed(AppTest.from_file(str(ENTRY), default_timeout=120), "first page, cold")
    warm = [timed(AppTest.from_file(str(ENTRY), default_timeout=120)) for _ in range(runs)]
    out["first page, warm (new session)"] = statistics.median(warm)
    at = AppTest.from_file(str(ENTRY), default_timeout=120)
    at.run()
    at.session_state["finder-step"] = 2
    timed(at, "go to a step")
    at.radio(key="q-knee-pain").set_value("Yes")
    timed(at, "answer on a step (knee pain: yes)")
    steps = []
    for i in range(runs):
        at.select_slider(key="q-knee-severity").set_value(2 + i % 5)
        steps.append(timed(at))
    out["answer on a step, median"] = statistics.median(steps)
    at.session_state["finder-step"] = PLAN
    timed(at, "the plan, first in this process")
    out["the plan, warm rerun"] = statistics.median([timed(at) for _ in range(runs)])
    changes = []
    for i in range(runs):  # one answer changed: a new recommendation
        at.session_state["q-running-weekly_km"] = 20.0 + i
        changes.append(timed(at))
    out["the plan after changing one answer, median"] = statistics.median(changes)
    return out


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


FLOOR_APP = 'import streamlit as st\nst.title("Shoe finder")\nst.write("Step 1 of 8")\n'


def browser(runs: int, entry: Path = ENTRY) -> dict[str, float]:
    """Time the app in Chromium; with ``entry`` a one-line app, only its first page (the
    floor: what Streamlit's own front end takes)."""
    from playwright.sync_api import expect, sync_playwright

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("streamlit")), "run", str(entry),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict[str, float] = {}
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.read().strip() == b"ok":
                        break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("streamlit did not start") from None
                time.sleep(0.2)  # between polls of a condition with a deadline
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                  args=["--no-sandbox", "--disable-gpu"])
            expect.set_options(timeout=60_000)

            def first_page() -> tuple[float, object, object]:
                ctx = b.new_context(viewport={"width": 1400, "height": 900})
                page = ctx.new_page()
                started = time.perf_counter()
                page.goto(url)
                expect(page.get_by_text("Step 1 of 8")).to_be_visible()
                return time.perf_counter() - started, ctx, page

            def rerun(page, action) -> float:
                started = time.perf_counter()
                action()
                page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                    timeout=60_000)
                return time.perf_counter() - started

            cold, ctx, page = first_page()
            out["first page, cold (first visitor after the server starts)"] = cold
            ctx.close()
            warm = []
            for _ in range(runs):
                took, ctx, page = first_page()
                warm.append(took)
                ctx.close()
            out["first page, warm (a new visitor, empty browser cache), median"] = \
                statistics.median(warm)
            if entry != ENTRY:
                b.close()
                return out
            ctx = b.new_context(viewport={"width": 1400, "height": 900})
            again = []
            for _ in range(runs + 1):
                page = ctx.new_page()
                started = time.perf_counter()
                page.goto(url)
                expect(page.get_by_text("Step 1 of 8")).to_be_visible()
                again.append(time.perf_counter() - started)
                page.close()
            ctx.close()
            out["first page, warm (a returning visitor, browser cache), median"] = \
                statistics.median(again[1:])
            took, ctx, page = first_page()
            nav = page.locator(".st-key-finder-next-bottom button")
            steps = [rerun(page, nav.click) for _ in range(2)]
            out["Next (a step change), median"] = statistics.median(steps)
            pain = page.locator(".st-key-q-knee-pain")
            out["answer (knee pain: yes)"] = rerun(
                page, lambda: pain.get_by_text("Yes", exact=True).click())
            plan = page.locator(".st-key-finder-nav").get_by_text("Your plan")
            out["to the plan"] = rerun(page, plan.click)
            expect(page.locator("[class*='st-key-shoe-card-']")).to_have_count(5)
            ctx.close()
            b.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    print("server side (AppTest, one script run each):")
    for label, took in server_side(args.runs).items():
        print(f"  {label}: {_ms(took)}")
    if args.no_browser or not CHROMIUM.exists():
        print("in the browser: skipped (--no-browser or no /usr/bin/chromium)")
        return
    figures = browser(args.runs)
    print("in the browser (Chromium, page.goto until Step 1 shows; reruns until idle):")
    for label, took in figures.items():
        print(f"  {label}: {_ms(took)}")
    with tempfile.TemporaryDirectory() as tmp:
        floor_app = Path(tmp) / "floor.py"
        floor_app.write_text(FLOOR_APP, encoding="utf-8")
        floor = browser(args.runs, floor_app)
    print("  the floor, a one-line Streamlit app, new visitor: "
          + _ms(floor["first page, warm (a new visitor, empty browser cache), median"]))
    for who in ("a new visitor, empty browser cache", "a returning visitor, browser cache"):
        warm = figures[f"first page, warm ({who}), median"]
        print(f"first page warm, {who}: {warm:.2f} s (target <= {TARGET_WARM_S:.0f} s: "
              f"{'met' if warm <= TARGET_WARM_S else 'NOT met'})")


if __name__ == "__main__":
    main()
