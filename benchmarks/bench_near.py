"""The app's solve path on the sample: a moved scenario solved near the plan shown before
(`optimizer.solve(..., reference=previous)`) against the same scenario solved cold, in CPU s
of this process (HiGHS runs on one thread), and the diagnosis of infeasible scenarios.

    python benchmarks/bench_near.py [--runs 3] [--plain] [--json OUT] [--compare BEFORE.json]
        [--time-limit 60] [--fiscal 0.5,0.7] [--bond 1.0] [--skip-grid]

Grid: fiscal × bond budget scales in {0.3, 0.5, 0.7, 0.8, 1.0, 1.2, 1.5} × {0.5, 1.0, 1.5}, in
the app's scenario (its controls, `controls.APP_TIME_LIMIT`). Each cell is solved cold, near
the default scenario's answer ("default"), and near the answer of its neighbouring cell (the
fiscal scale before it in the same bond column, the next one for the first: "neighbour").
Prints the median CPU s of each and, per cell, what the answer was: status, gap, the plan's
size and whether the near answer was proven nearest. --json writes every answer (plans
included) so that --compare can show where two versions of the code answer differently;
--plain runs each near solve and diagnosis also with plain HiGHS options (as before
`solver.NEAREST_OPTIONS` and `diagnosis.DIAGNOSIS_OPTIONS`), side by side in this one run, and
compares the two.
Then the diagnosis (`diagnosis.explain_infeasibility`) of the infeasible scenarios the tests
use, in CPU s, with the conflicts it names.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import time
from pathlib import Path

import optimizer
from optimizer import controls
from optimizer.diagnosis import DIAGNOSIS_OPTIONS, explain_infeasibility
from optimizer.instance import prepare
from optimizer.solver import NEAREST_OPTIONS, SolverError

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


@contextlib.contextmanager
def options(plain: bool):  # noqa: ANN201
    """plain: the nearest-plan search and the diagnosis with HiGHS's options as the scenario's
    own searches have them (`NEAREST_OPTIONS`, `DIAGNOSIS_OPTIONS` emptied), as before they
    existed; the package's own otherwise."""
    kept = dict(NEAREST_OPTIONS), dict(DIAGNOSIS_OPTIONS)
    if plain:
        NEAREST_OPTIONS.clear()
        DIAGNOSIS_OPTIONS.clear()
    try:
        yield
    finally:
        NEAREST_OPTIONS.update(kept[0])
        DIAGNOSIS_OPTIONS.update(kept[1])


def grid(
    data: optimizer.PlanningData,
    runs: int,
    fiscal: tuple[float, ...] = FISCAL,
    bond: tuple[float, ...] = BOND,
    modes: tuple[bool, ...] = (False,),
) -> dict:
    """modes: False for the package's options, True for plain ones (`options`); with both,
    each near solve is run both ways, one after the other, and the plain one is kept under
    its name + "_plain"."""
    base = optimizer.solve(data, app_scenario(data))
    cells = [(f, b) for b in bond for f in fiscal]
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
        i = fiscal.index(f)
        neighbour = cold_answers[(fiscal[i - 1] if i else fiscal[min(1, len(fiscal) - 1)], b)]
        for name, reference in (("default", base), ("neighbour", neighbour)):
            if isinstance(reference, optimizer.InfeasibleError | SolverError):
                continue
            for plain in modes:
                key = f"{name}_plain" if plain else name
                times, result = [], None
                for _ in range(runs):
                    with options(plain):
                        t, result = cpu(
                            lambda s=scenario, r=reference: optimizer.solve(data, s, reference=r)
                        )
                    times.append(t)
                out[f"{f}/{b}"][key] = answer(result)
                out[f"{f}/{b}"][f"{key}_s"] = statistics.median(times)
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
        if "default_plain_s" in row:
            print(
                f"{'plain':>11} {'':6} {row['default_plain_s']:8.2f} "
                f"{row.get('neighbour_plain_s', float('nan')):8.2f}"
            )
    for name in ("cold", "default", "neighbour", "default_plain", "neighbour_plain"):
        times = [row[f"{name}_s"] for row in out.values() if f"{name}_s" in row]
        if not times:
            continue
        print(f"{name:>9}: total {sum(times):.2f} CPU s, worst {max(times):.2f}")


def compare(out: dict, before: dict, suffix: str = "", title: str = "the earlier answers") -> None:
    """Each answer of `out` against `before`'s of the same cell and name + suffix."""
    print(f"\nAgainst {title} (plan, status, gap, proven nearest):")
    differ = 0
    for cell, row in out.items():
        for name in ("cold", "default", "neighbour"):
            was = name if name == "cold" else name + suffix
            new, old = row.get(name), before.get(cell, {}).get(was)
            if new is None or old is None:
                continue
            keys = ("status", "plan", "gap", "nearest_proven", "conflicts")
            changed = [k for k in keys if new.get(k) != old.get(k)]
            speed = f"{before[cell][f'{was}_s']:.2f} -> {row[f'{name}_s']:.2f} s"
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


def diagnoses(data: optimizer.PlanningData, runs: int, modes: tuple[bool, ...] = (False,)) -> dict:
    out = {}
    for name, moved in DIAGNOSED.items():
        inst = prepare(data, app_scenario(data, **moved))
        for plain in modes:
            key = f"{name} plain" if plain else name
            times, conflicts = [], []
            for _ in range(runs):
                with options(plain):
                    t, conflicts = cpu(lambda i=inst: explain_infeasibility(i))
                times.append(t)
            out[key] = {"s": statistics.median(times), "conflicts": sorted(map(str, conflicts))}
            print(f"\ndiagnosis {key}: {statistics.median(times):.2f} CPU s")
            for c in out[key]["conflicts"]:
                print(f"    {c}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write every answer here")
    parser.add_argument("--compare", type=Path, help="an earlier --json to compare answers with")
    parser.add_argument("--skip-grid", action="store_true")
    parser.add_argument("--time-limit", type=float, default=controls.APP_TIME_LIMIT)
    parser.add_argument("--fiscal", help="fiscal scales, comma-separated (default: the grid's)")
    parser.add_argument("--bond", help="bond scales, comma-separated (default: the grid's)")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="also run each near solve and diagnosis with plain HiGHS options (as before "
        "NEAREST_OPTIONS and DIAGNOSIS_OPTIONS), side by side, and compare their answers",
    )
    args = parser.parse_args()
    TIME_LIMIT["s"] = args.time_limit
    fiscal = tuple(map(float, args.fiscal.split(","))) if args.fiscal else FISCAL
    bond = tuple(map(float, args.bond.split(","))) if args.bond else BOND
    modes = (True, False) if args.plain else (False,)
    data = optimizer.load_workbook(ROOT / "projects.xlsx")
    print(f"load average {os.getloadavg()[0]:.2f} at the start")
    found = {} if args.skip_grid else grid(data, args.runs, fiscal, bond, modes)
    # As --json writes it (plans as lists), so that --compare compares like with like.
    out = json.loads(json.dumps({"grid": found}))
    if out["grid"]:
        show_grid(out["grid"])
    out["diagnosis"] = diagnoses(data, args.runs, modes)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    if args.plain:
        compare(out["grid"], out["grid"], "_plain", "the plain options' answers, this run")
        for name, row in out["diagnosis"].items():
            plain = out["diagnosis"].get(f"{name} plain")
            if plain is not None:
                same = "same conflicts" if plain["conflicts"] == row["conflicts"] else "DIFFERENT"
                print(f"  diagnosis {name}: {plain['s']:.2f} -> {row['s']:.2f} s, {same}")
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
