"""End to end: the real Streamlit server and Debian's headless Chromium, driven by Playwright
(the Python package only, with the system's Chromium: no browser download). Every tab is
screenshot in both languages (artifacts/app-<language>-<tab>.png); the page must show the
headline figures, the shortlist must download, and nothing may be asked of the internet."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import openpyxl
import pytest
from conftest import ROOT
from playwright.sync_api import Page, sync_playwright

ARTIFACTS = ROOT / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "devtools"}
TABS = {
    "en": ["Result", "Map", "Trade-offs", "Compare scenarios", "Shortlist"],
    "zh": ["结果", "地图", "权衡分析", "情景比较", "项目清单"],
}
HEADLINE = {"en": "Worker-years re-employed (", "zh": "再就业人年（占"}


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
            time.sleep(0.3)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = (tmp_path / "streamlit.log").open("w")
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
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def page() -> Iterator[Page]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is not installed: apt-get install chromium (.ci/run does)"
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
        context = browser.new_context(viewport={"width": 1500, "height": 2400})
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def settle(page: Page) -> None:
    """Wait until Streamlit has finished its run (no "running" status widget)."""
    page.wait_for_timeout(500)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=300_000)
    page.wait_for_timeout(1500)  # let the charts draw


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
        for number, tab in enumerate(TABS[language]):
            page.get_by_role("tab", name=tab).click()
            settle(page)
            if language == "en" and tab == "Trade-offs":  # a frontier, for the pictures
                page.get_by_role("button", name="Trace the frontier").click()
                settle(page)
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

    assert any(urlparse(u).path.endswith(".js") for u in requests)
    outside = [
        u
        for u in requests
        if urlparse(u).scheme not in LOCAL_SCHEMES and urlparse(u).hostname not in LOCAL_HOSTS
    ]
    assert outside == []
