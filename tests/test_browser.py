"""End to end: the real Streamlit server and Debian's headless Chromium, driven by Playwright
(the Python package only, with the system's Chromium: no browser download). Every tab is
opened and screenshot in both languages (artifacts/app-<language>-<tab>.png) with its own
content (only the open tab's content is drawn); the page must show the headline figures, the
shortlist must download, and nothing may be asked of the internet."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import openpyxl
import pytest
from conftest import ROOT
from helpers import APP_TABS, cpu_seconds

import optimizer
from optimizer import controls
from optimizer.present.labels import Labels

if TYPE_CHECKING:  # imported where used: the other test process never pays for it
    from playwright.sync_api import Browser, Page

ARTIFACTS = ROOT / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "devtools"}
TABS = {
    "en": ["Result", "Map", "Trade-offs", "Compare scenarios", "Shortlist"],
    "zh": ["结果", "地图", "权衡分析", "情景比较", "项目清单"],
}
HEADLINE = {"en": "Worker-years re-employed (", "zh": "再就业人年（占"}
# Words only each tab shows, by their label (the Map tab: its one chart).
TAB_MARKS = {
    "result": "used_up",
    "tradeoffs": "run_frontier",
    "compare": "download_scenario",
    "shortlist": "filter",
}
MAIN = '[data-testid="stMain"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class Server(str):
    """The app's address; `pid`, its process."""

    pid: int


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app's server, one for the module (each test opens its own session in it)."""
    port = free_port()
    log = (tmp_path_factory.mktemp("streamlit") / "streamlit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
        + ["--server.headless", "true", "--server.address", "127.0.0.1"]
        + ["--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/_stcore/health", 60)
        url = Server(f"http://127.0.0.1:{port}/")
        url.pid = process.pid
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium, one for the module (each test opens a fresh context: no cookies,
    no storage, a new session of the app)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is not installed: apt-get install chromium (.ci/run does)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


# Run in every page before its own scripts: the time of the page's last change, any change
# (an element added or removed, an attribute, a text), for settle(); and how many elements of
# the sidebar and the headline's figures a run marked stale (redrawn): a tab click must not.
WATCH_CHANGES = """
window.lastChange = performance.now();
new MutationObserver(() => { window.lastChange = performance.now(); }).observe(
    document, {subtree: true, childList: true, attributes: true, characterData: true});
window.staleOutsideTabs = 0;
new MutationObserver((changes) => {
    for (const c of changes) {
        if (c.target.getAttribute('data-stale') === 'true'
            && (c.target.closest('[data-testid="stSidebar"]')
                || c.target.querySelector('[data-testid="stMetric"]'))) {
            window.staleOutsideTabs += 1;
        }
    }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-stale']});
"""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1500, "height": 2400})
    context.add_init_script(WATCH_CHANGES)
    try:
        yield context.new_page()
    finally:
        context.close()


# Streamlit shows its status widget from the moment a widget asks for a rerun until the run
# has ended (and 200 ms more, its fade); a fragment's run (the tabs) shows none, but marks the
# fragment's elements stale until it has ended: a page without either, unchanged for
# QUIET_MS, is drawn.
QUIET_MS = 400
SETTLED = f"""() => !document.querySelector('[data-testid="stStatusWidget"]')
                  && !document.querySelector('[data-stale="true"]')
                  && performance.now() - window.lastChange > {QUIET_MS}"""


def settle(page: Page) -> None:
    """Wait until Streamlit has finished its run (no "running" status widget) and the page
    has stopped changing for QUIET_MS (the charts are drawn): on what is seen, not a fixed
    sleep. A click or key that asks for a rerun changes the page at once (the status widget
    appears), so the quiet time cannot pass before the run it starts."""
    page.wait_for_function(SETTLED, polling=50, timeout=300_000)


def test_every_tab_in_both_languages_offline(server: str, page: Page, tmp_path: Path) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server)
    page.get_by_text(HEADLINE["en"]).first.wait_for(timeout=120_000)
    settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    for language in ("en", "zh"):
        if language == "zh":
            page.get_by_text("简体中文", exact=True).click()
            page.get_by_text(HEADLINE["zh"]).first.wait_for(timeout=120_000)
            settle(page)
        labels = Labels(language)
        marks = {code: labels(key) for code, key in TAB_MARKS.items()}
        for number, tab in enumerate(TABS[language]):
            page.evaluate("window.staleOutsideTabs = 0")
            page.get_by_role("tab", name=tab).click()
            code = APP_TABS[number]
            if code in marks:  # its content, drawn by the rerun the click asked for
                page.locator(MAIN).get_by_text(marks[code]).first.wait_for(timeout=120_000)
            else:  # the map: its one chart, the other tab's gone
                page.wait_for_function(
                    f"() => document.querySelectorAll('{MAIN} .js-plotly-plot').length === 1",
                    timeout=120_000,
                )
            settle(page)
            # Only the tabs ran (a fragment): the sidebar and the headline were not redrawn.
            assert page.evaluate("window.staleOutsideTabs") == 0, tab
            shown = page.locator(MAIN).inner_text()
            assert [c for c, m in marks.items() if m in shown] == ([code] if code in marks else [])
            if code == "map":
                assert page.locator(f"{MAIN} .js-plotly-plot").count() == 1
            if language == "en" and tab == "Trade-offs":  # a frontier, for the pictures
                # Of 3 points (0, the headline's own 100 % and 200 %): the 11 by default take
                # half a minute, their low budgets proved to 1 %; the picture is the same
                # chart, table and sentence with fewer points.
                points = page.locator('input[type="range"][aria-label="Points"]')
                points.focus()
                points.press("Home")  # the slider's least
                settle(page)
                assert points.input_value() == "3"
                page.get_by_role("button", name="Trace the frontier").click()
                settle(page)
                # Traced in the tabs' own run (a fragment): the headline's Excel holds it.
                with page.expect_download(timeout=120_000) as download:
                    page.get_by_role("button", name=labels("download_excel")).click()
                download.value.save_as(tmp_path / "with-frontier.xlsx")
                book = openpyxl.load_workbook(tmp_path / "with-frontier.xlsx", read_only=True)
                assert labels.sheet("frontier") in book.sheetnames, book.sheetnames
                book.close()
            if language == "en" and tab == "Compare scenarios":  # a saved scenario
                page.get_by_role("button", name="Save", exact=True).click()
                settle(page)
            shot = ARTIFACTS / f"app-{language}-{number + 1}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 20_000, shot
        text = page.inner_text("body")
        assert HEADLINE[language] in text
        if language == "zh":
            for english in ("Choose options", "Optimal", "Worker-years"):
                assert english not in text, english

    # The Excel shortlist is made when the planner clicks, in the page's language.
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="下载Excel项目清单").click()
    saved = tmp_path / "shortlist.xlsx"
    download.value.save_as(saved)
    book = openpyxl.load_workbook(saved, read_only=True)
    assert "入选项目" in book.sheetnames
    book.close()
    assert HEADLINE["zh"] in page.inner_text("body")  # the page keeps its results
    # The blank template too is written only when asked for (not before the first answer).
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="下载空白模板").click()
    blank = tmp_path / "template.xlsx"
    download.value.save_as(blank)
    book = openpyxl.load_workbook(blank, read_only=True)
    assert "projects" in book.sheetnames, book.sheetnames
    book.close()

    assert any(urlparse(u).path.endswith(".js") for u in requests)
    outside = [
        u
        for u in requests
        if urlparse(u).scheme not in LOCAL_SCHEMES and urlparse(u).hostname not in LOCAL_HOSTS
    ]
    assert outside == []


# ---------------------------------------------------------------- answers at once

FISCAL, BONDS = "Fiscal budget scale", "Bond quota scale"
COMMUTE = "Commuting distance (km)"
TIME_LIMIT = "Solver time limit (s)"
FINAL = ("Optimal within", "Stopped at the time limit")
IDLE_WINDOW_S = 1.5  # how long the server is watched for a solve left running


def sidebar_values(page: Page) -> dict[str, float]:
    """Every slider's and number box's value in the sidebar, by its label."""
    inputs = page.locator(
        '[data-testid="stSidebar"] input[type="range"], '
        '[data-testid="stSidebar"] input[type="number"]'
    )
    return {
        inputs.nth(k).get_attribute("aria-label"): float(inputs.nth(k).input_value())
        for k in range(inputs.count())
    }


def move(page: Page, label: str, steps: int) -> None:
    """A slider moved by the keyboard, one step a key (each key is a change Streamlit sees)."""
    thumb = page.locator(f'[data-testid="stSidebar"] input[type="range"][aria-label="{label}"]')
    thumb.focus()
    for _ in range(abs(steps)):
        thumb.press("ArrowRight" if steps > 0 else "ArrowLeft")


def headline_value(page: Page) -> str:
    return page.locator('[data-testid="stMetricValue"]').first.inner_text()


def wait_until(condition, seconds: float, what: str) -> float:  # noqa: ANN001
    started = time.perf_counter()
    while not condition():
        assert time.perf_counter() - started < seconds, f"no {what} within {seconds} s"
        time.sleep(0.05)
    return time.perf_counter() - started


def final_shown(page: Page) -> bool:
    text = page.inner_text("body")
    return any(f in text for f in FINAL) and "Provisional:" not in text


def _answer_at_the_end(sample: optimizer.PlanningData) -> optimizer.Solution:
    values = controls.controls_from(sample)
    values.update(time_limit_s=controls.APP_TIME_LIMIT)
    shown = optimizer.solve(sample, controls.scenario_from(sample, values))
    values.update(time_limit_s=120.0)
    shown = optimizer.solve(sample, controls.scenario_from(sample, values), reference=shown)
    values.update(fiscal_budget_scale=1.05, bond_quota_scale=1.05)
    values.update(commute_km=values["commute_km"] + 10)
    return optimizer.solve(sample, controls.scenario_from(sample, values), reference=shown)


@pytest.fixture
def expected_answer(sample: optimizer.PlanningData) -> Iterator[Future[optimizer.Solution]]:
    """The synchronous solve of where the planner ends up in the test below, near the plan the
    page showed last (a stable plan): the answer at the 120 s limit, itself solved near the
    first answer (the interrupted solves in between keep nothing). Solved in a thread from
    the test's start: it depends only on the sample, and the test mostly waits on the page."""
    with ThreadPoolExecutor(1) as thread:
        yield thread.submit(_answer_at_the_end, sample)


def test_moving_on_during_a_long_solve_keeps_the_sidebar_and_stops_the_solve(
    server: Server,
    page: Page,
    sample: optimizer.PlanningData,
    expected_answer: Future[optimizer.Solution],
) -> None:
    """Under load (a busy process on the side), a hard scenario shows a provisional answer
    at once; sliders moved while it is proved stop that solve, the final answer of where the
    planner ended up replaces the page, and every sidebar widget keeps its value (the
    fragment tried before reset them to their minimum)."""
    page.goto(server)
    page.get_by_text(HEADLINE["en"]).first.wait_for(timeout=120_000)
    wait_until(lambda: final_shown(page), 300, "first answer")
    settle(page)
    box = page.get_by_label(TIME_LIMIT)
    box.fill("120")
    box.press("Enter")
    settle(page)
    assert final_shown(page), "no final answer at the 120 s limit"
    start = sidebar_values(page)
    assert start[FISCAL] == start[BONDS] == 1.0
    assert start[TIME_LIMIT] == 120.0
    assert start[COMMUTE] == controls.controls_from(sample)["commute_km"]  # as expected_answer
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        before = headline_value(page)
        # Both at 0.5: a proof of about 2 CPU s, which outlasts the provisional answer's delay
        # and the screenshot below (at 0.75 it took about 1 s: a solve that ended before the
        # planner moved on would be kept, and the final answer solved near its plan).
        move(page, FISCAL, -10)
        move(page, BONDS, -10)
        waited = wait_until(
            lambda: "Provisional:" in page.inner_text("body") and headline_value(page) != before,
            30,
            "provisional answer",
        )
        print(f"provisional headline {waited:.2f} s after the slider move")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "app-provisional.png"), full_page=True)
        # The planner moves on while the proof goes on: each key is a rerun that stops the
        # run drawing the provisional answer, and its solve.
        move(page, COMMUTE, 2)  # 70 km
        move(page, FISCAL, 11)  # both at 1.05: a quick proof
        move(page, BONDS, 11)
    finally:  # the load ends with the planner's last move: the rest is waiting for answers
        hog.kill()
        hog.wait()
    wait_until(lambda: final_shown(page), 120, "final answer")
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=300_000)
    page.wait_for_timeout(1000)
    # No solve runs on: the server idles. A solve left running would take most of a core, more
    # than a second in this window even beside the other test process; an idle server, ~0.
    used = cpu_seconds(server.pid)
    time.sleep(IDLE_WINDOW_S)
    used = cpu_seconds(server.pid) - used
    assert used < 0.2 * IDLE_WINDOW_S, (
        f"the server used {used:.2f} s of CPU in {IDLE_WINDOW_S} s after the final answer"
    )
    # Every widget keeps the value the planner set, after the final answer too.
    wanted = {**start, FISCAL: 1.05, BONDS: 1.05, COMMUTE: start[COMMUTE] + 10}
    assert sidebar_values(page) == pytest.approx(wanted)
    # And the answer is the synchronous solve of where the planner ended up.
    assert headline_value(page) == f"{expected_answer.result().worker_years:,.0f}"

