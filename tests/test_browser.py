"""End to end: the real Streamlit server and Debian's headless Chromium, over the DevTools
protocol. The page must show the headline figures and ask nothing of the internet."""

from __future__ import annotations

import base64
import json
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
import websocket
from conftest import ROOT

import optimizer

SCREENSHOT = ROOT / "artifacts" / "app.png"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "devtools"}


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


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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
        stop(process)
        log.close()


class DevTools:
    """Just enough of the Chrome DevTools protocol: commands, and the events seen so far."""

    def __init__(self, url: str) -> None:
        self.socket = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, **params: object) -> dict:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def close(self) -> None:
        self.socket.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[DevTools]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is not installed: apt-get install chromium (.ci/run does)"
    port = free_port()
    process = subprocess.Popen(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--window-size=1500,1100",
            f"--remote-debugging-port={port}",
            "--remote-allow-origins=*",
            f"--user-data-dir={tmp_path / 'profile'}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/json/version", 30)
        pages = json.loads(wait_for(f"http://127.0.0.1:{port}/json/list", 10))
        page = next(p for p in pages if p["type"] == "page")
        tools = DevTools(page["webSocketDebuggerUrl"])
        yield tools
        tools.close()
    finally:
        stop(process)


def page_text(tools: DevTools) -> str:
    result = tools.send("Runtime.evaluate", expression="document.body.innerText")
    return result.get("result", {}).get("value", "")


def test_the_page_shows_the_headline_and_stays_offline(
    server: str, browser: DevTools, tmp_path: Path
) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.send("Page.setDownloadBehavior", behavior="allow", downloadPath=str(downloads))
    browser.send("Network.enable")
    browser.send("Page.enable")
    browser.send("Page.navigate", url=server)
    deadline = time.monotonic() + 120
    text = ""
    wanted = ("Worker-years re-employed", "Optimal", "Download the Excel shortlist", "Budget spend")
    while time.monotonic() < deadline:
        text = page_text(browser)
        if all(word in text for word in wanted):
            break
        time.sleep(1)
    need = optimizer.solve(optimizer.load_workbook(ROOT / "projects.xlsx")).headline()
    headline = f"Worker-years re-employed, of {need['displaced_worker_years']:,.0f}"
    assert headline in text, text[:2000]
    assert f"{need['worker_years']:,.0f}" in text
    assert "Download the Excel shortlist" in text
    time.sleep(2)  # let the charts draw before the picture
    shot = browser.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    SCREENSHOT.write_bytes(base64.b64decode(shot["data"]))
    assert SCREENSHOT.stat().st_size > 20_000

    # The Excel shortlist is made when the planner clicks, and the page keeps its results.
    clicked = browser.send(
        "Runtime.evaluate",
        expression="""(() => {
            const b = [...document.querySelectorAll('button')]
                .find(x => x.innerText.includes('Download the Excel shortlist'));
            if (!b) return false;
            b.click();
            return true;
        })()""",
    )
    assert clicked["result"]["value"] is True
    saved = downloads / "shortlist.xlsx"
    deadline = time.monotonic() + 60
    while not saved.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert saved.exists(), list(downloads.iterdir())
    time.sleep(1)  # the browser renames the file only when it is complete
    shortlist = openpyxl.load_workbook(saved, read_only=True)
    assert "Shortlist" in shortlist.sheetnames
    shortlist.close()
    assert headline in page_text(browser)

    page_text(browser)  # collect the events that arrived meanwhile
    urls = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert any(urlparse(u).path.endswith(".js") for u in urls)
    outside = [
        u
        for u in urls
        if urlparse(u).scheme not in LOCAL_SCHEMES and urlparse(u).hostname not in LOCAL_HOSTS
    ]
    assert outside == []
