"""The test suite's time: each test file alone on one process (CPU seconds of pytest and
every process it started, and wall seconds), slowest first, then optionally the whole suite
as CI runs it (two processes).

    python benchmarks/bench_tests.py            # every file, one at a time
    python benchmarks/bench_tests.py --suite    # and the whole suite afterwards
    python benchmarks/bench_tests.py tests/test_app.py tests/test_browser.py

The files' order by wall seconds is the order for SLOWEST_FIRST in tests/conftest.py (the two
test processes take the slowest files first). Run from the project root; the load average is
printed with every figure, since other work on the machine inflates both kinds of seconds.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def timed(args: list[str], tree: Path = ROOT) -> tuple[float, float, str]:
    """CPU seconds (user + system, every child process waited for) and wall seconds of a
    pytest run in `tree` (this checkout unless given), and its last line, after the names of
    any failed tests."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
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
    parser.add_argument("files", nargs="*", help="test files (default: every tests/test_*.py)")
    parser.add_argument("--suite", action="store_true", help="then the whole suite, as CI")
    args = parser.parse_args()
    files = args.files or sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("tests/test_*.py"))
    rows = []
    for name in files:
        start_load = load()
        cpu, wall, last = timed(["-n", "0", name])
        rows.append((wall, cpu, name, last, start_load))
        print(f"{name}: {cpu:.1f} CPU s, {wall:.1f} s wall (load {start_load}): {last}")
    print("\nslowest first (wall s, CPU s, file):")
    for wall, cpu, name, _, _ in sorted(rows, reverse=True):
        print(f"{wall:7.1f} {cpu:7.1f}  {Path(name).name}")
    print(f"{sum(r[0] for r in rows):7.1f} {sum(r[1] for r in rows):7.1f}  in all")
    if args.suite:
        start_load = load()
        cpu, wall, last = timed(["--durations=20"])
        print(f"\nthe suite (two processes): {cpu:.1f} CPU s, {wall:.1f} s wall")
        print(f"load {start_load} -> {load()}: {last}")


if __name__ == "__main__":
    main()
