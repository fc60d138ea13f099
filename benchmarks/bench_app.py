"""Time the planner's app on the sample: Streamlit's AppTest (no browser), and with --browser
also the real server in the system's Chromium (Playwright).

    python benchmarks/bench_app.py [--runs 3] [--browser | --browser-only] [--cold 3 [--only-cold]]

AppTest: medians over the runs of the first page; a budget scale never seen before, easy
(1.05–1.25×) and hard (0.75–0.85×, whose proof takes seconds); the same scale again
(cached); a switch of language. For a new scale it prints the time from the slider move to
the first headline the page draws (provisional or final) and to the final answer: AppTest
sees a run only once it has ended, so these are the times the page itself records when it
draws each (`answer_log` in the session), against the moment the move was handed to the run.

Browser: the cold start (the page opened on a server just up, until its first headline figure),
then the fiscal budget slider moved by one key in Chromium, timed until the first headline
figure shows a new value (provisional or final) and until the final answer is on the page,
for three easy (1.05–1.15×) and three hard (0.85–0.75×) scales never seen before. The bond
quota scale stays at 1.0 (each scale has its own slider now): not the scenarios of the
browser rows measured before the split.

Cold start (--cold N, N times): `streamlit run app.py` started afresh, Chromium (already
running, as a planner's browser is) opened on it as soon as the server answers, timed from
the server's launch (and from the page's opening) until the first headline figure shows
(provisional or final) and until the final answer is on the page. Issue 19's target: the
first headline < 4 s from the launch.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
FINAL = ("Optimal within", "Stopped at the time limit", "Stopped at the work limit")


def wait_for_final(page) -> None:  # noqa: ANN001 (a Playwright page)
    """Until the page shows a final answer (not the provisional one shown while solving)."""
    page.wait_for_function(
        "(final) => final.some(f => document.body.innerText.includes(f))"
        " && !document.body.innerText.includes('Provisional:')",
        arg=list(FINAL),
        timeout=300_000,
        polling=20,
    )
BUDGET = "Fiscal budget scale"
# Budget scales whose proof takes under a second, and seconds (benchmarks/RESULTS.md).
EASY, HARD = (1.05, 1.15, 1.25), (0.75, 0.8, 0.85)


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def budgets(app: AppTest, scale: float) -> AppTest:
    """Both money scales at `scale` (each has its own slider): the scenarios measured before."""
    app.sidebar.slider(key="fiscal_budget_scale").set_value(scale)
    app.sidebar.slider(key="bond_quota_scale").set_value(scale)
    return app


def move(app: AppTest, scale: float) -> tuple[float, float]:
    """(first headline, final answer) in seconds after the budget slider moves to `scale`."""
    started = time.perf_counter()
    budgets(app, scale).run()
    assert not app.exception, [e.value for e in app.exception]
    log = app.session_state["answer_log"]
    final = next(t for kind, t, _ in log if kind == "final")
    return log[0][1] - started, final - started


def app_test(runs: int) -> dict[str, list[float]]:
    import streamlit as st

    out: dict[str, list[float]] = {}
    for run in range(runs):
        # Each run a first visit: Streamlit's cache lives as long as the process.
        st.cache_data.clear()
        app = AppTest.from_file(APP, default_timeout=120)
        out.setdefault("first page", []).append(timed(app.run))
        easy, hard = EASY[run % len(EASY)], HARD[run % len(HARD)]
        for kind, scale in (("easy", easy), ("hard", hard)):
            first, final = move(app, round(scale, 2))
            out.setdefault(f"{kind} scale: first headline", []).append(first)
            out.setdefault(f"{kind} scale: final answer", []).append(final)
        budgets(app, 1.0).run()
        out.setdefault("same scale again (cached)", []).append(
            timed(lambda a=app, v=easy: budgets(a, v).run())
        )
        radio = app.sidebar.radio(key="language")
        out.setdefault("switch to 简体中文", []).append(
            timed(lambda r=radio: r.set_value("zh").run())
        )
    return out


def _server() -> tuple[subprocess.Popen, int]:
    """`streamlit run app.py` on a free local port (not yet answering)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", APP, "--server.headless", "true"]
        + ["--server.address", "127.0.0.1", "--server.port", str(port)]
        + ["--browser.gatherUsageStats", "false"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return server, port


def _answering(port: int) -> None:
    """Wait until the server answers its health check."""
    for _ in range(3000):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            return
        except OSError:
            time.sleep(0.02)
    raise TimeoutError("the app's server did not answer")


def _chromium(playwright):  # noqa: ANN001, ANN202
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    return playwright.chromium.launch(
        executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
    )


def cold(runs: int) -> dict[str, list[float]]:
    """The app's cold start, `runs` times: a fresh server each time."""
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {}
    with sync_playwright() as playwright:
        engine = _chromium(playwright)
        for _ in range(runs):
            server, port = _server()
            launched = time.perf_counter()
            try:
                _answering(port)
                page = engine.new_context(viewport={"width": 1500, "height": 2400}).new_page()
                opened = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_selector('[data-testid="stMetricValue"]', timeout=300_000)
                first = time.perf_counter()
                wait_for_final(page)
                done = time.perf_counter()
                page.context.close()
            finally:
                server.terminate()
                server.wait(10)
            out.setdefault("launch to first headline", []).append(first - launched)
            out.setdefault("launch to final answer", []).append(done - launched)
            out.setdefault("launch to server answering", []).append(opened - launched)
            out.setdefault("page opened to first headline", []).append(first - opened)
        engine.close()
    return out


def browser() -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    server, port = _server()
    out: dict[str, list[float]] = {}
    try:
        _answering(port)
        with sync_playwright() as playwright:
            engine = _chromium(playwright)
            page = engine.new_context(viewport={"width": 1500, "height": 2400}).new_page()
            opened = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            # Cold start: the server is up, nothing solved or cached; until the first figure.
            page.wait_for_selector('[data-testid="stMetricValue"]', timeout=120_000)
            out["cold start: first headline"] = [time.perf_counter() - opened]
            thumb = page.locator(
                f'[data-testid="stSidebar"] input[type="range"][aria-label="{BUDGET}"]'
            )

            def headline() -> str:
                return page.locator('[data-testid="stMetricValue"]').first.inner_text()

            def final() -> bool:
                text = page.inner_text("body")
                return any(f in text for f in FINAL) and "Provisional:" not in text

            def until(condition, seconds: float = 120) -> float:  # noqa: ANN001
                started = time.perf_counter()
                while not condition():
                    if time.perf_counter() - started > seconds:
                        raise TimeoutError
                    time.sleep(0.02)
                return time.perf_counter() - started

            def key(name: str, kind: str | None) -> None:
                """One key on the budget slider; timed (first headline, final) unless kind
                is None, when the page is only brought to the final answer."""
                before = headline()
                thumb.focus()
                started = time.perf_counter()
                thumb.press(name)
                try:
                    until(lambda: headline() != before, 30)
                    first: float | None = time.perf_counter() - started
                except TimeoutError:  # a stable plan can show the same figure: not timed
                    first = None
                page.wait_for_selector(
                    '[data-testid="stStatusWidget"]', state="detached", timeout=300_000
                )
                until(final)
                done = time.perf_counter() - started
                if kind is not None and first is not None:
                    out.setdefault(f"{kind} scale: first headline", []).append(first)
                    out.setdefault(f"{kind} scale: final answer", []).append(done)

            until(lambda: final())
            page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached")
            for _ in range(3):  # 1.05, 1.10, 1.15: each a scale not seen before
                key("ArrowRight", "easy")
            for _ in range(5):  # down to 0.90, not timed
                key("ArrowLeft", None)
            for _ in range(3):  # 0.85, 0.80, 0.75
                key("ArrowLeft", "hard")
            engine.close()
    finally:
        server.terminate()
        server.wait(10)
    return out


def report(title: str, results: dict[str, list[float]]) -> None:
    print(title)
    for label, values in results.items():
        print(
            f"{label:>30}: median {statistics.median(values):.2f} s "
            f"(min {min(values):.2f}, max {max(values):.2f}, {len(values)} runs)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also time Chromium")
    parser.add_argument("--browser-only", action="store_true", help="only time Chromium")
    parser.add_argument(
        "--cold", type=int, default=0, metavar="N", help="time N cold starts in Chromium"
    )
    parser.add_argument("--only-cold", action="store_true", help="time the cold starts only")
    args = parser.parse_args()
    if args.cold:
        report("Cold start in Chromium (Playwright)", cold(args.cold))
    if args.only_cold:
        return
    if not args.browser_only:
        report("AppTest", app_test(args.runs))
    if args.browser or args.browser_only:
        report("Chromium (Playwright)", browser())


if __name__ == "__main__":
    main()
