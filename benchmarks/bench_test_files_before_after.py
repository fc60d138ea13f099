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
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = ["tests/test_browser.py", "tests/test_notebook.py", "tests/test_dask_scheduler.py"]


def timed(tree: Path, name: str) -> tuple[float, float, str]:
    """CPU seconds (user + system, every child waited for) and wall seconds of one file's
    run in `tree`, and pytest's last line (after the lines naming each failed test)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", name],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = done.stdout.strip().splitlines()
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    return cpu, wall, "; ".join([*failed, lines[-1]]) if lines else done.stderr.strip()[-200:]


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
                    cpu, wall, last = timed(tree, name)
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
