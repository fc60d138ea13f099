"""The app in Chromium at an earlier commit and now, side by side: how long a page takes to be
drawn in full (not only its first headline), a tab click and a budget key until the page is
drawn again, and how many Plotly charts the page holds. Made to compare the app drawing every
tab on every run (before) with drawing the open tab only.

    python benchmarks/bench_tabs.py --before ce7a163 [--before d1570d2 ...] [--runs 5]

Each earlier commit is exported (`git archive`) to a temporary folder. One server per version,
all up at once and each warmed by one visit (its first solve kept); then each run opens a
fresh browser context on each version in turn. "Drawn": no Streamlit status widget, no
element marked stale (a fragment's run) and no change to the page (any element, attribute or
text) for QUIET_MS; the time given is that of the page's last change. The load average is
printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_app import wait_for_final  # the same wait for a final answer

ROOT = Path(__file__).resolve().parents[1]
BUDGET = "Fiscal budget scale"
QUIET_MS = 400
WATCH = """
window.lastChange = performance.now();
new MutationObserver(() => { window.lastChange = performance.now(); }).observe(
    document, {subtree: true, childList: true, attributes: true, characterData: true});
"""
DRAWN = f"""() => !document.querySelector('[data-testid="stStatusWidget"]')
             && !document.querySelector('[data-stale="true"]')
             && performance.now() - window.lastChange > {QUIET_MS}"""


def server(tree: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(tree / "app.py")]
        + ["--server.headless", "true", "--server.address", "127.0.0.1"]
        + ["--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(3000):
        try:
            urllib.request.urlopen(f"{url}_stcore/health", timeout=2)
            return process, url
        except OSError:
            time.sleep(0.02)
    raise TimeoutError("the app's server did not answer")


def visit(engine, url: str, scale_keys: int) -> dict[str, float]:  # noqa: ANN001
    """One planner's visit: open, the Shortlist tab, then the budget up by `scale_keys` keys
    (a scale this server has not solved yet)."""
    context = engine.new_context(viewport={"width": 1500, "height": 2400})
    context.add_init_script(WATCH)
    page = context.new_page()
    out: dict[str, float] = {}
    try:
        page.goto(url)
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=300_000)
        out["open to first headline"] = page.evaluate("performance.now()") / 1000
        page.wait_for_function(DRAWN, polling=20, timeout=300_000)
        out["open to page drawn"] = page.evaluate("window.lastChange") / 1000
        out["Plotly charts on the page"] = page.locator(".js-plotly-plot").count()
        started = page.evaluate("performance.now()")
        page.get_by_role("tab", name="Shortlist").click()
        page.wait_for_function(DRAWN, polling=20, timeout=300_000)
        out["Shortlist tab click to drawn"] = (page.evaluate("window.lastChange") - started) / 1000
        started = page.evaluate("performance.now()")
        page.get_by_role("tab", name="Result").click()
        page.wait_for_function(DRAWN, polling=20, timeout=300_000)
        out["Result tab click to drawn"] = (page.evaluate("window.lastChange") - started) / 1000
        sidebar = '[data-testid="stSidebar"] input[type="range"]'
        thumb = page.locator(f'{sidebar}[aria-label="{BUDGET}"]')
        thumb.focus()
        for _ in range(scale_keys - 1):  # to the scale before, not timed
            thumb.press("ArrowRight")
            page.wait_for_function(DRAWN, polling=20, timeout=300_000)
        started = page.evaluate("performance.now()")
        thumb.press("ArrowRight")
        wait_for_final(page)
        page.wait_for_function(DRAWN, polling=20, timeout=300_000)
        out["budget key to page drawn (Result tab)"] = (
            page.evaluate("window.lastChange") - started
        ) / 1000
    finally:
        context.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--before",
        required=True,
        action="append",
        help="an earlier commit (e.g. ce7a163); give it again for more than one",
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="app-before-") as folder:
        trees: dict[str, Path] = {}
        for commit in args.before:
            earlier = Path(folder) / commit
            earlier.mkdir()
            archive = subprocess.run(
                ["git", "archive", commit], cwd=ROOT, capture_output=True, check=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(earlier)], input=archive, check=True)
            trees[commit] = earlier
        trees["now"] = ROOT
        servers = {label: server(tree) for label, tree in trees.items()}
        seen: dict[tuple[str, str], list[float]] = {}
        try:
            with sync_playwright() as playwright:
                chromium = shutil.which("chromium") or shutil.which("chromium-browser")
                engine = playwright.chromium.launch(
                    executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
                )
                for _, url in servers.values():  # warm: the first solve, kept
                    visit(engine, url, 1)
                for run in range(args.runs):
                    for label, (_, url) in servers.items():
                        load = os.getloadavg()[0]
                        # Each run a scale not solved yet: 1.10, 1.15, ... (the warm-up: 1.05).
                        figures = visit(engine, url, run + 2)
                        print(f"run {run + 1} {label} (load {load:.1f}): {figures}", flush=True)
                        for name, value in figures.items():
                            seen.setdefault((name, label), []).append(value)
                engine.close()
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(10)
    print(f"\nmedians of {args.runs} run(s), load now {os.getloadavg()[0]:.1f}:")
    print("| measure | " + " | ".join(trees) + " |")
    print("|---" * (len(trees) + 1) + "|")
    for name in dict.fromkeys(n for n, _ in seen):
        cells = [statistics.median(seen[(name, label)]) for label in trees]
        print(f"| {name} | " + " | ".join(f"{c:.2f}" for c in cells) + " |")


if __name__ == "__main__":
    main()
