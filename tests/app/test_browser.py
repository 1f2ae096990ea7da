"""End to end in a real browser: ``streamlit run`` the app, drive the shoe finder with
Chromium through Playwright, check that the plan renders and save a screenshot.

Needs Debian's ``chromium`` at /usr/bin/chromium. Without it this test fails under CI (the
``CI`` environment variable is set) and is skipped only on a developer machine.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
SCREENSHOT = ARTIFACTS / "finder_results.png"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
START_TIMEOUT_S = 90
UI_TIMEOUT_MS = 60_000

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: apt-get install -y chromium"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message + " (skipped because CI is not set)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_healthy(proc: subprocess.Popen, url: str, log: Path) -> None:
    """Poll the health endpoint until it answers ``ok``, the server dies, or time runs out."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200 and resp.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.25)  # between polls of a condition with a deadline
    pytest.fail(f"streamlit did not answer within {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    streamlit = Path(sys.executable).with_name("streamlit")
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(streamlit), "run", "app/streamlit_app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_until_healthy(proc, url, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


def _wait_for_rerun(page) -> None:
    """Wait until Streamlit's "running" indicator is gone (the rerun finished)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=UI_TIMEOUT_MS)


def test_finder_end_to_end_in_chromium(server: str):
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(UI_TIMEOUT_MS)
            page.goto(server)
            expect(page.get_by_role("heading", name="Shoe finder")).to_be_visible()

            # step 3: knee pain yes, severity 6 (the slider starts at "Don't know")
            page.get_by_role("tab", name="Knee symptoms").click()
            pain = page.locator(".st-key-q-knee-pain")
            pain.get_by_text("Yes", exact=True).click()
            _wait_for_rerun(page)
            expect(pain.get_by_role("radio", name="Yes")).to_be_checked()
            thumb = page.locator(".st-key-q-knee-severity input[type=range]")
            thumb.focus()
            for _ in range(7):  # Don't know → 0 → … → 6
                thumb.press("ArrowRight")
            expect(thumb).to_have_attribute("aria-valuetext", "6")
            _wait_for_rerun(page)

            # step 6: two weeks of strength work, so the gate stays locked
            page.get_by_role("tab", name="Strength work").click()
            weeks = page.locator(".st-key-q-strength-weeks_consistent input")
            weeks.fill("2")
            weeks.press("Enter")
            _wait_for_rerun(page)

            # the plan
            page.get_by_role("tab", name="Your plan").click()
            plan = page.get_by_role("tabpanel").filter(has=page.locator(".st-key-shoe-card-1"))
            expect(plan.get_by_role("heading", name="Strength before stability")).to_be_visible()
            expect(plan.get_by_text("Strength work: 2 of 6 weeks")).to_be_visible()
            cards = plan.locator("[class*='st-key-shoe-card-']")
            expect(cards).to_have_count(5)
            for i in range(5):
                expect(cards.nth(i)).to_contain_text("Neutral")
                expect(cards.nth(i)).to_contain_text("Score")
            charts = plan.locator(".vega-embed")
            expect(charts).to_have_count(2)
            expect(charts.first.locator("canvas, svg").first).to_be_visible()
            expect(plan.get_by_role("heading", name="Locked for now")).to_be_visible()
            expect(plan.get_by_role("heading", name="Your exercise plan")).to_be_visible()
            expect(plan.locator(".st-key-exercise-glute_bridge")).to_contain_text("Glute bridges")
            expect(plan.locator(".st-key-exercise-straight_leg_raise")).to_be_visible()
            expect(plan.get_by_role("heading", name="See a clinician")).to_have_count(0)

            # a screenshot of the whole plan: grow the window to the content, then capture
            height = page.evaluate(
                "() => document.querySelector('[data-testid=\"stMainBlockContainer\"]')"
                ".getBoundingClientRect().height")
            page.set_viewport_size({"width": 1400, "height": int(height) + 200})
            _wait_for_rerun(page)
            expect(charts.first.locator("canvas, svg").first).to_be_visible()
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 50_000
