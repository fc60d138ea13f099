"""Two versions of the analyses side by side, in one run: break-even for the left-out projects
(the app's entry thresholds, 1 % gap) and the value of each limit, each solved in this
process's machine by a fresh Python process per version, on the sample.

    python benchmarks/bench_analyses_before_after.py [--before 95daa76] [--only break_even,limits]

"before" is the commit given, exported from git into a temporary folder; "after" is this
checkout. Prints CPU seconds of the solving process (what matters on a shared machine), wall
seconds and the load average at the start of each.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CODE = r"""
import sys, time
import optimizer
from optimizer.limit_values import limit_values
from optimizer.tradeoffs import break_even

data = optimizer.load_workbook(sys.argv[2])
solution = optimizer.solve(data)
what = sys.argv[1]
cpu, wall = time.process_time(), time.perf_counter()
if what == "break_even":
    options = optimizer.RunOptions(mip_gap=0.01)
    table = break_even(data, include_chosen=False, current=solution, options=options)
    said = f"{int((table['status'].astype(str) != 'not solved').sum())} solves"
else:
    table = limit_values(data, current=solution)
    bind = table[table["binds"]]
    said = f"{len(bind)} bind: " + ", ".join(
        f"{r.limit} {r.where} {r.worker_years_gained:,.0f}" for r in bind.itertuples()
    )
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
print(f"{what}: {cpu:.1f} CPU s, {wall:.1f} s wall; {said}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="95daa76", help="the commit to compare with")
    parser.add_argument("--only", default="break_even,limits")
    args = parser.parse_args()
    book = str(ROOT / "projects.xlsx")
    with tempfile.TemporaryDirectory(prefix="before-") as before:
        archive = subprocess.run(
            ["git", "archive", args.before], cwd=ROOT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", before], input=archive.stdout, check=True)
        for what in args.only.split(","):
            for label, root in (("before", before), ("after", str(ROOT))):
                load = os.getloadavg()[0]
                done = subprocess.run(
                    [sys.executable, "-c", CODE, what, book],
                    cwd=root,
                    env={**os.environ, "PYTHONPATH": root},
                    capture_output=True,
                    text=True,
                )
                # The last line: HiGHS prints its banner to stdout first.
                said = (done.stdout.strip() or done.stderr.strip()).splitlines()[-1]
                print(f"{label:>6} (load {load:.1f}): {said}", flush=True)


if __name__ == "__main__":
    main()
