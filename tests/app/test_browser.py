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


VIEWPORTS = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}


def _drive(page, server: str, name: str) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=UI_TIMEOUT_MS)
    page.goto(server)
    expect(page.get_by_role("heading", name="Shoe finder")).to_be_visible()
    expect(page.get_by_text("Step 1 of 8")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"finder_{name}_step1.png"), full_page=True)

    # Next, Next: step 3, knee pain yes, severity 6 (the slider starts at "Don't know")
    for _ in range(2):
        page.locator(".st-key-finder-next-bottom button").click()
        _wait_for_rerun(page)
    expect(page.get_by_text("Step 3 of 8")).to_be_visible()
    pain = page.locator(".st-key-q-knee-pain")
    pain.get_by_text("Yes", exact=True).click()
    _wait_for_rerun(page)
    expect(pain.get_by_role("radio", name="Yes")).to_be_checked()
    thumb = page.locator(".st-key-q-knee-severity input[type=range]")
    for _ in range(30):  # Don't know → 0 → … → 6, one step per rerun (none is lost)
        value = thumb.get_attribute("aria-valuetext")
        if value == "6":
            break
        thumb.focus()
        thumb.press("ArrowLeft" if value.isdigit() and int(value) > 6 else "ArrowRight")
        _wait_for_rerun(page)
    expect(thumb).to_have_attribute("aria-valuetext", "6")
    page.screenshot(path=str(ARTIFACTS / f"finder_{name}_symptoms.png"), full_page=True)

    # a typo in the size: named on its step, and the plan still shows
    page.locator(".st-key-finder-nav").get_by_text("8. Shoes & fit").click()
    _wait_for_rerun(page)
    size = page.locator(".st-key-q-shoe_size_us input")
    size.fill("9.3")
    size.press("Enter")
    _wait_for_rerun(page)
    expect(page.get_by_text("Not used until fixed")).to_be_visible()

    page.locator(".st-key-finder-next-bottom button").click()  # "See my plan"
    _wait_for_rerun(page)
    cards = page.locator("[class*='st-key-shoe-card-']")
    expect(cards).to_have_count(5)
    for i in range(5):
        expect(cards.nth(i)).to_contain_text("Neutral")
    expect(page.get_by_text("Not used in this plan until fixed")).to_be_visible()
    # the first card is on the first screen of the plan (top picks first)
    box = cards.first.bounding_box()
    assert box is not None and box["y"] < 1600, box
    expect(page.get_by_role("heading", name="Your exercise plan")).to_be_visible()
    expect(page.get_by_role("heading", name="See a clinician")).to_have_count(0)
    page.get_by_text("How the top shoes scored").click()
    charts = page.locator(".vega-embed")
    expect(charts).to_have_count(2)
    expect(charts.first.locator("canvas, svg").first).to_be_visible()
    chart_box = charts.first.bounding_box()
    assert chart_box is not None and chart_box["width"] > 250, chart_box
    page.screenshot(path=str(ARTIFACTS / f"finder_{name}_plan.png"), full_page=True)

    # a reload keeps the answers (they are in the address)
    page.reload()
    expect(page.locator("[class*='st-key-shoe-card-']")).to_have_count(5)


def test_finder_end_to_end_in_chromium(server: str):
    _require_chromium()
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=CHROMIUM_ARGS)
        try:
            for name, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport,
                                              is_mobile=name == "phone",
                                              has_touch=name == "phone")
                page = context.new_page()
                page.set_default_timeout(UI_TIMEOUT_MS)
                try:
                    _drive(page, server, name)
                finally:
                    context.close()
        finally:
            browser.close()
    for name in VIEWPORTS:
        assert (ARTIFACTS / f"finder_{name}_plan.png").stat().st_size > 30_000
