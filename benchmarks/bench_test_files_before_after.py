"""Test files' time at an earlier commit and now, measured back to back: each file alone on
one process (`pytest -n 0`), the earlier version then this tree's, `--runs` times, medians
of the wall seconds and of the CPU seconds of pytest and every process it waited for (the
app's server, Chromium, the notebook's kernel, the Dask cluster, busy loops).

    python benchmarks/bench_test_files_before_after.py --before c51640e
    python benchmarks/bench_test_files_before_after.py --before c51640e --runs 1 tests/test_x.py

The earlier commit's files are exported (`git archive`) to a temporary folder and run there,
so neither tree is changed. Run from the project root; the load average is printed with
every figure, since other work on the machine inflates both kinds of seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench_tests import timed  # this folder's: run as python benchmarks/...

ROOT = Path(__file__).resolve().parents[1]
FILES = ["tests/test_browser.py", "tests/test_notebook.py", "tests/test_dask_scheduler.py"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=FILES, help="test files (default: %(default)s)")
    parser.add_argument("--before", required=True, help="the earlier commit (e.g. c51640e)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tests-before-") as folder:
        earlier = Path(folder)
        archive = subprocess.run(
            ["git", "archive", args.before], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(earlier)], input=archive, check=True)
        seen: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for run in range(args.runs):
            for name in args.files:
                for label, tree in ((args.before, earlier), ("now", ROOT)):
                    load = f"{os.getloadavg()[0]:.1f}"
                    cpu, wall, last = timed(["-n", "0", name], tree)
                    seen.setdefault((name, label), []).append((wall, cpu))
                    print(
                        f"run {run + 1} {name} {label}: {wall:.1f} s wall, {cpu:.1f} CPU s, "
                        f"load {load} ({last})",
                        flush=True,
                    )
    print(f"\nmedians of {args.runs} run(s), load now {os.getloadavg()[0]:.1f}:")
    print("| file | version | wall s | CPU s |\n|---|---|---|---|")
    for (name, label), values in seen.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        print(f"| {name} | {label} | {wall:.1f} | {cpu:.1f} |")


if __name__ == "__main__":
    main()
