"""Seconds from a workbook file to a model ready for the solver, for large workbooks.

    python benchmarks/bench_load.py [--sizes sample,10000,50000] [--runs 3] [--folder DIR]

For the sample (`projects.xlsx`) and synthetic workbooks made by the sample's generator
(seed 7, written once with `write_workbook` into --folder, a temporary folder by default),
times each stage a solve runs before HiGHS starts: `load_workbook` (read and check the
file), `prepare` (apply the scenario), the obvious-conflicts check and `build_model`. Prints
the median (and slowest) of the runs and the process's peak resident memory after each size.
Only functions every version of the package has are called, so the same script measures an
older checkout (put it first on PYTHONPATH) for a before-and-after comparison.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import optimizer
from optimizer.diagnosis import check_obvious_conflicts
from optimizer.instance import prepare
from optimizer.model import build_model
from optimizer.sample import build_sample
from optimizer.template import write_workbook

ROOT = Path(__file__).resolve().parents[1]


def peak_gb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def workbook(size: str, folder: Path) -> Path:
    if size == "sample":
        return ROOT / "projects.xlsx"
    path = folder / f"projects-{size}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        write_workbook(build_sample(seed=7, count=int(size)), path)
        print(f"{size:>8}: workbook written in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def timed(step: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = step()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="sample,10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", help="where the generated workbooks are kept")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.folder or scratch)
        for size in args.sizes.split(","):
            path = workbook(size, folder)
            stages: dict[str, list[float]] = {
                "load": [],
                "prepare": [],
                "check": [],
                "build": [],
                "total": [],
            }
            for _ in range(args.runs):
                load, data = timed(lambda p=path: optimizer.load_workbook(p))
                ready, inst = timed(lambda d=data: prepare(d))
                check, _ = timed(lambda i=inst: check_obvious_conflicts(i))
                build, model = timed(lambda i=inst: build_model(i))
                del model
                for name, seconds in zip(stages, (load, ready, check, build), strict=False):
                    stages[name].append(seconds)
                stages["total"].append(load + ready + check + build)
            shown = ", ".join(
                f"{name} {statistics.median(values):.2f} s (slowest {max(values):.2f})"
                for name, values in stages.items()
            )
            print(f"{size:>8}: {shown}; peak {peak_gb():.2f} GB", flush=True)


if __name__ == "__main__":
    main()
