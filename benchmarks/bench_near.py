"""The app's solve path on the sample: a moved scenario solved near the plan shown before
(`optimizer.solve(..., reference=previous)`) against the same scenario solved cold, in CPU s
of this process (HiGHS runs on one thread), and the diagnosis of infeasible scenarios.

    python benchmarks/bench_near.py [--runs 3] [--json OUT] [--compare BEFORE.json]

Grid: fiscal × bond budget scales in {0.3, 0.5, 0.7, 0.8, 1.0, 1.2, 1.5} × {0.5, 1.0, 1.5}, in
the app's scenario (its controls, `controls.APP_TIME_LIMIT`). Each cell is solved cold, near
the default scenario's answer ("default"), and near the answer of its neighbouring cell (the
fiscal scale before it in the same bond column, the next one for the first: "neighbour").
Prints the median CPU s of each and, per cell, what the answer was: status, gap, the plan's
size and whether the near answer was proven nearest. --json writes every answer (plans
included) so that --compare can show where two versions of the code answer differently.
Then the diagnosis (`diagnosis.explain_infeasibility`) of the infeasible scenarios the tests
use, in CPU s, with the conflicts it names.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import optimizer
from optimizer import controls
from optimizer.diagnosis import explain_infeasibility
from optimizer.instance import prepare
from optimizer.solver import SolverError

ROOT = Path(__file__).resolve().parents[1]
FISCAL = (0.3, 0.5, 0.7, 0.8, 1.0, 1.2, 1.5)
BOND = (0.5, 1.0, 1.5)


# The app's time limit; --time-limit raises it so that answers compared between two versions
# of the code end on their gap or work limits, never on a loaded machine's clock.
TIME_LIMIT = {"s": controls.APP_TIME_LIMIT}


def app_scenario(data: optimizer.PlanningData, **moved: float) -> optimizer.Scenario:
    values = controls.controls_from(data) | {"time_limit_s": TIME_LIMIT["s"]}
    return controls.scenario_from(data, values | moved)


def cpu(call):  # noqa: ANN001, ANN201
    """(CPU s, result) of a call; an InfeasibleError or a SolverError is a result too."""
    started = time.process_time()
    try:
        result = call()
    except (optimizer.InfeasibleError, SolverError) as error:
        result = error
    return time.process_time() - started, result


def answer(result) -> dict:  # noqa: ANN001
    if isinstance(result, optimizer.InfeasibleError):
        return {"status": "infeasible", "conflicts": sorted(map(str, result.conflicts))}
    if isinstance(result, SolverError):
        return {"status": "error", "detail": str(result)}
    changes = result.changes
    return {
        "status": str(result.status),
        "gap": None if result.gap is None else round(float(result.gap), 6),
        "plan": sorted(result.chosen_starts.items()),
        "objective": round(float(result.objective), 3),
        "nearest_proven": None if changes is None else bool(changes.nearest_proven),
        "changes": None if changes is None else changes.count,
    }


def grid(data: optimizer.PlanningData, runs: int) -> dict:
    base = optimizer.solve(data, app_scenario(data))
    cells = [(f, b) for b in BOND for f in FISCAL]
    cold_answers: dict[tuple[float, float], object] = {}
    out: dict = {}
    for f, b in cells:
        scenario = app_scenario(data, fiscal_budget_scale=f, bond_quota_scale=b)
        times, result = [], None
        for _ in range(runs):
            t, result = cpu(lambda s=scenario: optimizer.solve(data, s))
            times.append(t)
        cold_answers[(f, b)] = result
        out[f"{f}/{b}"] = {"cold": answer(result), "cold_s": statistics.median(times)}
    for f, b in cells:
        scenario = app_scenario(data, fiscal_budget_scale=f, bond_quota_scale=b)
        i = FISCAL.index(f)
        neighbour = cold_answers[(FISCAL[i - 1] if i else FISCAL[1], b)]
        for name, reference in (("default", base), ("neighbour", neighbour)):
            if isinstance(reference, optimizer.InfeasibleError | SolverError):
                continue
            times, result = [], None
            for _ in range(runs):
                t, result = cpu(
                    lambda s=scenario, r=reference: optimizer.solve(data, s, reference=r)
                )
                times.append(t)
            out[f"{f}/{b}"][name] = answer(result)
            out[f"{f}/{b}"][f"{name}_s"] = statistics.median(times)
    return out


def show_grid(out: dict) -> None:
    print("\nCPU s (median), cold against near the default answer and near the neighbour's")
    print(f"{'fiscal/bond':>11} {'cold':>6} {'default':>8} {'neighb.':>8}  answer (cold | near)")
    for cell, row in out.items():
        cold = row["cold"]

        def brief(a: dict | None) -> str:
            if a is None:
                return "-"
            if a["status"] in ("infeasible", "error"):
                return a["status"]
            near = "" if a["nearest_proven"] is None else f" near={a['nearest_proven']}"
            return f"{a['status']} gap {a['gap']:.4f} {len(a['plan'])} projects{near}"

        print(
            f"{cell:>11} {row['cold_s']:6.2f} {row.get('default_s', float('nan')):8.2f} "
            f"{row.get('neighbour_s', float('nan')):8.2f}  {brief(cold)} | "
            f"{brief(row.get('default'))} | {brief(row.get('neighbour'))}"
        )
    for name in ("cold", "default", "neighbour"):
        times = [row[f"{name}_s"] for row in out.values() if f"{name}_s" in row]
        print(f"{name:>9}: total {sum(times):.2f} CPU s, worst {max(times):.2f}")


def compare(out: dict, before: dict) -> None:
    print("\nAgainst the earlier answers (plan, status, gap, proven nearest):")
    differ = 0
    for cell, row in out.items():
        for name in ("cold", "default", "neighbour"):
            new, old = row.get(name), before.get(cell, {}).get(name)
            if new is None or old is None:
                continue
            keys = ("status", "plan", "gap", "nearest_proven", "conflicts")
            changed = [k for k in keys if new.get(k) != old.get(k)]
            speed = f"{before[cell][f'{name}_s']:.2f} -> {row[f'{name}_s']:.2f} s"
            if changed:
                differ += 1
                print(f"  {cell} {name}: differs in {', '.join(changed)} ({speed})")
                for k in changed:
                    if k != "plan":
                        print(f"      {k}: {old.get(k)} -> {new.get(k)}")
                    else:
                        a, b = set(map(tuple, old["plan"])), set(map(tuple, new["plan"]))
                        moved = f"{old['changes']} -> {new['changes']}"
                        print(f"      changes from the reference: {moved}")
                        print(f"      plan: -{sorted(a - b)} +{sorted(b - a)}")
    print(f"  {differ} answers differ")


# The infeasible scenarios the tests solve on the sample (test_app, test_model_properties,
# test_background), in the app's scenario.
DIAGNOSED = {
    "coverage 0.35 (app no-portfolio page)": {"min_coverage_share": 0.35},
    "fiscal 0.0 (app diagnosis)": {"fiscal_budget_scale": 0.0},
    "fiscal 0.05 (properties)": {"fiscal_budget_scale": 0.05},
    "fiscal 0, bond 0 (background)": {"fiscal_budget_scale": 0.0, "bond_quota_scale": 0.0},
}


def diagnoses(data: optimizer.PlanningData, runs: int) -> dict:
    out = {}
    for name, moved in DIAGNOSED.items():
        inst = prepare(data, app_scenario(data, **moved))
        times, conflicts = [], []
        for _ in range(runs):
            t, conflicts = cpu(lambda i=inst: explain_infeasibility(i))
            times.append(t)
        out[name] = {"s": statistics.median(times), "conflicts": sorted(map(str, conflicts))}
        print(f"\ndiagnosis {name}: {statistics.median(times):.2f} CPU s")
        for c in out[name]["conflicts"]:
            print(f"    {c}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write every answer here")
    parser.add_argument("--compare", type=Path, help="an earlier --json to compare answers with")
    parser.add_argument("--skip-grid", action="store_true")
    parser.add_argument("--time-limit", type=float, default=controls.APP_TIME_LIMIT)
    args = parser.parse_args()
    TIME_LIMIT["s"] = args.time_limit
    data = optimizer.load_workbook(ROOT / "projects.xlsx")
    print(f"load average {os.getloadavg()[0]:.2f} at the start")
    # As --json writes it (plans as lists), so that --compare compares like with like.
    out = json.loads(json.dumps({"grid": {} if args.skip_grid else grid(data, args.runs)}))
    if out["grid"]:
        show_grid(out["grid"])
    out["diagnosis"] = diagnoses(data, args.runs)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    if args.compare:
        before = json.loads(args.compare.read_text())
        compare(out["grid"], before["grid"])
        for name, row in out["diagnosis"].items():
            old = before["diagnosis"].get(name)
            if old is not None:
                same = "same conflicts" if old["conflicts"] == row["conflicts"] else "DIFFERENT"
                print(f"  diagnosis {name}: {old['s']:.2f} -> {row['s']:.2f} s, {same}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
