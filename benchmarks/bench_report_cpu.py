"""CPU of the steps every solve and every shortlist repeats, on the sample: preparing the
instance, the report of a portfolio (`solution.evaluate`, with the solve's training and
layoffs, and with the best ones worked out for a portfolio given alone) and the Excel
export, at an earlier commit and now, back to back.

    python benchmarks/bench_report_cpu.py --before 4fea934
    python benchmarks/bench_report_cpu.py             # this tree only

Medians of `--repeat` calls (CPU seconds of this process, `time.process_time`), each version
in its own process. The earlier commit's files are exported (`git archive`) to a temporary
folder, so neither tree is changed. Run from the project root; the load average is printed,
since other work on the machine inflates CPU seconds too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(tree: Path, repeat: int) -> dict[str, float]:
    """Milliseconds of CPU per call, medians, in the tree `tree` (run in its own process)."""
    sys.path.insert(0, str(tree))
    from optimizer import Scenario, load_workbook
    from optimizer.instance import prepare
    from optimizer.model import build_model
    from optimizer.pipeline import read_solution
    from optimizer.present.export import export_workbook
    from optimizer.solution import evaluate
    from optimizer.solver import SOLVE_NODE_LIMIT
    from optimizer.strategies import run_strategy

    data = load_workbook(tree / "projects.xlsx")
    inst = prepare(data, Scenario())
    model = build_model(inst)
    run = run_strategy(
        model, stop=None, on_incumbent=None, time_limit_s=60, node_limit=SOLVE_NODE_LIMIT
    )
    solution = read_solution(model, run)
    starts, training, layoffs = model.start_of(), model.training_of(), model.layoffs_of()
    folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
    steps = {
        "prepare": lambda: prepare(data, Scenario()),
        "evaluate (the solve's levers)": lambda: evaluate(
            inst, starts, run, training=training, layoffs=layoffs
        ),
        "evaluate (best levers worked out)": lambda: evaluate(inst, starts, run),
        "export_workbook": lambda: export_workbook(solution, folder / "shortlist.xlsx"),
    }
    out = {}
    for name, step in steps.items():
        step()  # warm: caches, imports
        seconds = []
        for _ in range(repeat):
            started = time.process_time()
            step()
            seconds.append(time.process_time() - started)
        out[name] = 1000 * statistics.median(seconds)
    return out


def in_process(tree: Path, repeat: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--tree", str(tree), "--repeat", str(repeat)],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(tree)},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="an earlier commit to compare with (e.g. 4fea934)")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--tree", help=argparse.SUPPRESS)  # the child process's tree
    args = parser.parse_args()
    if args.tree:
        print(json.dumps(measure(Path(args.tree), args.repeat)))
        return
    versions = {}
    with tempfile.TemporaryDirectory(prefix="report-before-") as folder:
        if args.before:
            archive = subprocess.run(
                ["git", "archive", args.before], cwd=ROOT, capture_output=True, check=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
            versions[args.before] = in_process(Path(folder), args.repeat)
        versions["now"] = in_process(ROOT, args.repeat)
    print(f"CPU ms per call, median of {args.repeat}, load {os.getloadavg()[0]:.1f}:")
    print("| step | " + " | ".join(versions) + " |")
    print("|---|" + "---|" * len(versions))
    for step in versions["now"]:
        print(f"| {step} | " + " | ".join(f"{v[step]:.1f}" for v in versions.values()) + " |")


if __name__ == "__main__":
    main()
