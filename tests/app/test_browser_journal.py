"""End to end in a real browser (issue #16 item 5): open "My progress", consent to a journal
at a temporary path, log today's session from the plan's exercises, and check the page (the
adherence calendar, the days logged) and the SQLite file itself.

Reuses ``test_browser``'s server fixture and Chromium settings (Debian's ``chromium`` at
/usr/bin/chromium, driven through Playwright); it fails under CI without it and is skipped
only on a developer machine.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from test_browser import (  # the same server and browser as the finder's test
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    UI_TIMEOUT_MS,
    _require_chromium,
    _wait_for_rerun,
    server,
)

pytestmark = pytest.mark.browser

__all__ = ["server"]  # a fixture, used by name below
SHOT = ARTIFACTS / "progress_desktop_session_logged.png"


def _press_on_the_one(page, locator, key: str, tries: int = 50) -> None:
    """Press ``key`` on ``locator`` once it is a single element. While Streamlit reruns, the
    old widget can stay beside the new one for a moment (seen in CI: two sliders between a
    count check and the press), so a strict-mode miss is retried, anything else raised."""
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(tries):
        if locator.count() == 1:
            try:
                locator.focus()
                locator.press(key)
                return
            except PlaywrightError as exc:
                if "strict mode violation" not in str(exc):
                    raise
        page.wait_for_timeout(100)
    raise AssertionError(f"{locator} never settled to one element")


def _drive(page, url: str, journal: Path) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=UI_TIMEOUT_MS)
    page.goto(url)
    expect(page.get_by_role("heading", name="Shoe finder")).to_be_visible()
    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    _wait_for_rerun(page)

    # the path is only what the runner types; nothing exists before consent and a click
    box = page.locator(".st-key-journal-path input")
    box.fill(str(journal))
    box.press("Enter")
    _wait_for_rerun(page)
    expect(page.get_by_text("There is no journal at")).to_be_visible()
    create = page.locator(".st-key-journal-create button")
    expect(create).to_be_disabled()
    assert not journal.exists()
    page.locator(".st-key-journal-consent").get_by_text("Keep a journal of my sessions").click()
    _wait_for_rerun(page)
    assert not journal.exists()  # consent alone writes nothing
    create.click()
    _wait_for_rerun(page)
    expect(page.get_by_text("Created your journal")).to_be_visible()
    assert journal.exists()
    expect(page.get_by_text("this week: 0 of 2 sessions logged")).to_be_visible()
    expect(page.get_by_text("sessions on 0 of the last 30 days")).to_be_visible()

    # today's session: the plan's exercises are ticked already; pain 2, then one click
    chosen = page.locator(".st-key-session-exercises")
    expect(chosen).to_contain_text("Glute bridges")  # named as in the plan, not by id
    expect(chosen).to_contain_text("Monster walks")
    expect(chosen).not_to_contain_text("glute_bridge")
    pain = page.locator(".st-key-session-pain input[type=range]")
    for value in ("1", "2"):  # one step per rerun; a rerun may briefly show the old slider
        expect(pain).to_have_count(1)
        _press_on_the_one(page, pain, "ArrowRight")
        _wait_for_rerun(page)
        expect(pain).to_have_count(1)
        expect(pain).to_have_attribute("aria-valuetext", value)
    page.locator(".st-key-log-session button").click()
    _wait_for_rerun(page)
    expect(page.get_by_text("Session logged.")).to_be_visible()
    expect(page.get_by_text("this week: 1 of 2 sessions logged")).to_be_visible()
    expect(page.get_by_text("sessions on 1 of the last 30 days")).to_be_visible()
    # the adherence calendar: the chart under "Sessions, last 30 days", drawn
    calendar = page.locator("[data-testid=stColumn]").filter(
        has_text="Sessions, last 30 days").locator(".vega-embed")
    expect(calendar).to_have_count(1)
    expect(calendar.locator("canvas, svg").first).to_be_visible()
    drawn = calendar.bounding_box()
    assert drawn is not None and drawn["width"] > 150 and drawn["height"] > 100, drawn
    expect(page.get_by_text("See a clinician first")).to_have_count(0)
    # Streamlit scrolls its own main area (a full-page shot would not): back to the top,
    # the summary with the calendar in view
    page.locator(".st-key-progress-summary").scroll_into_view_if_needed()
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0)")
    expect(page.get_by_role("heading", name="My progress")).to_be_in_viewport()
    page.screenshot(path=str(SHOT), full_page=True)


def test_log_a_session_on_my_progress_in_chromium(server: str, tmp_path: Path) -> None:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    journal = tmp_path / "browser-knee.journal"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1400})
            page = context.new_page()
            page.set_default_timeout(UI_TIMEOUT_MS)
            try:
                _drive(page, server, journal)
            finally:
                context.close()
        finally:
            browser.close()

    # the database row itself, read straight from the file
    with sqlite3.connect(f"file:{journal}?mode=ro", uri=True) as conn:
        sessions = conn.execute("SELECT id, date, pain, note FROM sessions").fetchall()
        assert [(d, pain, note) for _, d, pain, note in sessions] == \
            [(date.today().isoformat(), 2, None)]
        done = {row[0]: row[1:] for row in conn.execute(
            "SELECT exercise_id, sets, reps, session_id FROM session_exercises")}
    conn.close()
    assert {"glute_bridge", "monster_walk"} <= set(done)
    assert all(v == (3, 15, sessions[0][0]) for v in done.values())
    assert SHOT.stat().st_size > 30_000
