"""Time the planner's app on the sample, driven by Streamlit's AppTest (no browser).

    python benchmarks/bench_app.py [--runs 3]

Prints medians over the runs of: the first page; a budget scale never seen before (a new
solve); the same scale again (cached); a switch of language; and a hard budget scale
(0.75–0.85×, whose proof takes seconds).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    first, new, cached, language, hard = [], [], [], [], []
    for run in range(args.runs):
        app = AppTest.from_file(APP, default_timeout=120)
        first.append(timed(app.run))
        # A scale no earlier run has solved: Streamlit's cache lives as long as the process.
        scale = round(1.05 + 0.1 * run, 2)
        slider = app.sidebar.slider(key="budget_scale")
        new.append(timed(lambda s=slider, v=scale: s.set_value(v).run()))
        app.sidebar.slider(key="budget_scale").set_value(1.0).run()
        slider = app.sidebar.slider(key="budget_scale")
        cached.append(timed(lambda s=slider, v=scale: s.set_value(v).run()))
        radio = app.sidebar.radio(key="language")
        language.append(timed(lambda r=radio: r.set_value("zh").run()))
        # A hard scale: the proof takes seconds.
        slider = app.sidebar.slider(key="budget_scale")
        scale = round(0.75 + 0.05 * run, 2)
        hard.append(timed(lambda s=slider, v=scale: s.set_value(v).run()))
    for label, values in (
        ("first page", first),
        ("new budget scale (a solve)", new),
        ("same scale again (cached)", cached),
        ("switch to 简体中文", language),
        ("hard budget scale (a slow solve)", hard),
    ):
        print(
            f"{label:>28}: median {statistics.median(values):.2f} s "
            f"(min {min(values):.2f}, max {max(values):.2f}, {len(values)} runs)"
        )


if __name__ == "__main__":
    main()
