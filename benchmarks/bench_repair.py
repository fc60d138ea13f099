"""Why a neighbour's plan, repaired, does not shorten HiGHS's search, and what an improvement
phase after the repair would get (issue 19, item 1), on the sample.

    python benchmarks/bench_repair.py [--moves 1.0>0.5,1.0>0.8] [--gap 0.01] [--draws 3]
        [--limit 20] [--evaluations 20]

For each move (the fiscal-budget scale solved before > the scale solved now) it prints:
- the start as a share of the best known answer at the new scale (solved to 0.2 %, or what the
  limit leaves): the neighbour's plan after the repair's drop phase alone, after its fill
  (`KeptModel.repair`, what every warm solve passes to HiGHS), and after the improvement
  phase tried here (`improve`), with the CPU s of each;
- the limits the drop phase broke on (row families, one count per project dropped), and how
  far the repaired plan is from the best known one (projects in only one of the two, start
  years that differ);
- the CPU s of one HiGHS run to --gap (this package's options, one thread, the work limit of
  the analyses) from the repaired start, from the improved start, and from the best known plan
  itself: the bar that shows what a start can gain.
Then the same for --draws robustness draws (jobs ±30 %, overruns to +40 %, rates ±50 %) of the
base scenario, each starting from the base plan repaired to fit the draw.

The improvement phase (kept here, not in the package: see benchmarks/RESULTS.md, "Warm starts
repaired and improved"): the plan's own LP (its start years fixed, everything else relaxed)
prices every start year of every project through the rows the repair does not check (the
matching's duals: what one more job there is worth). Moves are additions, swaps (one project
out, another in) and shifts of a start year, best priced first, each kept only when every
limit the repair checks still holds; a batch of moves is kept when the plan's LP value rises,
else the moves are tried one by one. A fixed number of LP evaluations (--evaluations): the
same plan on any machine.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import time
from pathlib import Path

import numpy as np

import optimizer
from optimizer.batch import ANALYSIS_WORK_LIMIT
from optimizer.instance import prepare
from optimizer.model import build_model
from optimizer.solver import SOLVE_NODE_LIMIT, KeptModel, _Repairer
from optimizer.tradeoffs import draw_multipliers, drawn_data

ROOT = Path(__file__).resolve().parents[1]
MOVES = "1.0>0.5,1.0>0.8,0.6>0.5,0.9>0.8,0.4>0.5,0.6>0.7,1.1>1.0,0.4>0.3"
TOLERANCE = 1e-6


class Improver:
    """The improvement phase for one kept model (its bounds and limits as they stand)."""

    def __init__(self, kept: KeptModel) -> None:
        if kept._repairer is None:
            kept.repair({})
        repairer = kept._repairer
        self.kept, self.highs = kept, kept._highs
        lp = self.highs.getLp()
        model = kept.model
        self.options = [
            (i, t)
            for i, starts in enumerate(model.starts)
            if model.chosen[i] is not None
            for t, _ in starts
        ]
        self.project = np.array([i for i, _ in self.options], np.int64)
        pairs = [(k, j) for k, (i, t) in enumerate(self.options) for j in repairer._columns(i, t)]
        option = np.array([k for k, _ in pairs], np.int64)
        column = np.array([j for _, j in pairs], np.int64)
        a = lp.a_matrix_
        if a.format_ != a.format_.kColwise:
            raise RuntimeError("expected HiGHS's column-wise matrix")
        start = np.asarray(a.start_, np.int64)
        index = np.asarray(a.index_, np.int64)
        value = np.asarray(a.value_, float)
        entries = np.concatenate([np.arange(start[j], start[j + 1]) for j in column])
        entry_option = np.repeat(option, start[column + 1] - start[column])
        rows, values = index[entries], value[entries]
        cost = np.asarray(lp.col_cost_, float)
        self.cost = cost
        self.option_cost = np.bincount(option, weights=cost[column], minlength=len(self.options))
        # The rows a government-pay switch enters are left to the LP: the switch is no
        # option's column (the repair follows it; here a move that breaks them evaluates as
        # infeasible and is not kept).
        switches = np.asarray(list(repairer.switch_of.values()), np.int64)
        switched = np.zeros(lp.num_row_, bool)
        for j in switches:
            switched[index[start[j] : start[j + 1]]] = True
        checked_rows = repairer.checked & ~switched
        checked = checked_rows[rows]
        self.checked_rows = np.flatnonzero(checked_rows)
        position = np.full(lp.num_row_, -1, np.int64)
        position[self.checked_rows] = np.arange(len(self.checked_rows))
        # Each option's column over the checked rows (budgets, quotas, shares, groups).
        self.matrix = np.zeros((len(self.checked_rows), len(self.options)))
        np.add.at(self.matrix, (position[rows[checked]], entry_option[checked]), values[checked])
        # ... and its entries in the rows left to HiGHS (the matching), priced by their duals.
        self.priced = (entry_option[~checked], rows[~checked], values[~checked])
        lower = np.asarray(lp.col_lower_, float)
        upper = np.asarray(lp.col_upper_, float)
        self.open = np.ones(len(self.options), bool)
        np.logical_and.at(self.open, option, upper[column] >= 0.5)
        self.protected = np.array(
            [
                y is not None and (bool(repairer.mandatory[i]) or lower[y.index] >= 0.5)
                for i, y in enumerate(model.chosen)
            ]
        )
        self.row_lower = np.asarray(lp.row_lower_, float)[self.checked_rows]
        self.row_upper = np.asarray(lp.row_upper_, float)[self.checked_rows]
        self.evaluations = 0

    def fits(self, activity: np.ndarray) -> np.ndarray:
        return np.all(activity <= self.row_upper[:, None] + TOLERANCE, axis=0) & np.all(
            activity >= self.row_lower[:, None] - TOLERANCE, axis=0
        )

    def evaluate(self, plan: dict[int, int]) -> tuple[float, np.ndarray]:
        """The plan's LP value (start years fixed, the rest relaxed) and its row duals."""
        highs = self.highs
        index, value = self.kept._plan_columns(plan)
        index = np.asarray(index, np.int32)
        value = np.asarray(value, float)
        lp = highs.getLp()
        lower = np.asarray(lp.col_lower_, float)[index]
        upper = np.asarray(lp.col_upper_, float)[index]
        self.evaluations += 1
        highs.setOptionValue("solve_relaxation", True)
        highs.changeColsBounds(len(index), index, value, value)
        try:
            highs.run()
            solved = highs.getModelStatus() == highs.getModelStatus().__class__.kOptimal
            solution = highs.getSolution()
            duals = np.asarray(solution.row_dual, float)
            worth = float(-self.cost @ np.asarray(solution.col_value, float))
        finally:
            highs.changeColsBounds(len(index), index, lower, upper)
            highs.setOptionValue("solve_relaxation", False)
        return (worth if solved else -np.inf), duals

    def moves(self, plan: dict[int, int], duals: np.ndarray, wanted: int) -> list[tuple[int, int]]:
        """Up to `wanted` moves (option out or -1, option in), best priced first, that together
        keep every checked limit."""
        option, rows, values = self.priced
        gain = -self.option_cost + np.bincount(
            option, weights=values * duals[rows], minlength=len(self.options)
        )
        chosen = np.array([plan.get(i) == t for i, t in self.options])
        member = np.zeros(len(self.kept.model.starts), bool)
        member[list(plan)] = True
        activity = self.matrix[:, chosen].sum(axis=1)
        inside = np.flatnonzero(chosen)
        addable = np.flatnonzero(self.open & ~chosen)
        out_project = np.concatenate([[-2], self.project[inside]])
        out_option = np.concatenate([[-1], inside])
        delta = gain[addable][None, :] - np.concatenate([[0.0], gain[inside]])[:, None]
        shift = self.project[addable][None, :] == out_project[:, None]
        valid = np.where(member[self.project[addable]][None, :], shift, True)
        locked = np.concatenate([[False], self.protected[self.project[inside]]])
        valid &= ~locked[:, None] | shift
        delta = np.where(valid & (delta > 1e-9), delta, -np.inf)
        best = delta.max(axis=0)
        order = np.argsort(-best, kind="stable")
        order = order[np.isfinite(best[order])][:150]
        out_matrix = np.concatenate([np.zeros((len(activity), 1)), self.matrix[:, inside]], axis=1)
        used: set[int] = set()
        found: list[tuple[int, int]] = []
        for c in order:
            if len(found) >= wanted:
                break
            k_in = int(addable[c])
            if int(self.project[k_in]) in used:
                continue
            column = delta[:, c].copy()
            if used:
                column[np.isin(out_project, list(used))] = -np.inf
            after = (activity + self.matrix[:, k_in])[:, None] - out_matrix
            column[~self.fits(after)] = -np.inf
            r = int(np.argmax(column))
            if not np.isfinite(column[r]):
                continue
            activity = after[:, r]
            k_out = int(out_option[r])
            if k_out >= 0:
                used.add(int(self.project[k_out]))
                out_matrix[:, r] = 0.0
                delta[r, :] = -np.inf
            used.add(int(self.project[k_in]))
            found.append((k_out, k_in))
        return found

    def moved(self, plan: dict[int, int], moves: list[tuple[int, int]]) -> dict[int, int]:
        out = dict(plan)
        for k_out, k_in in moves:
            if k_out >= 0:
                del out[int(self.project[k_out])]
            i, t = self.options[k_in]
            out[i] = t
        return out

    def plan_fits(self, plan: dict[int, int]) -> bool:
        chosen = np.array([plan.get(i) == t for i, t in self.options])
        return bool(self.fits(self.matrix[:, chosen].sum(axis=1)[:, None])[0])

    def improve(self, plan: dict[int, int], evaluations: int, batch: int = 8) -> dict[int, int]:
        self.evaluations = 0
        value, duals = self.evaluate(plan)
        wanted = batch
        while self.evaluations < evaluations:
            found = self.moves(plan, duals, max(wanted, 8))
            tries = [found[:wanted]] if wanted > 1 and len(found) > 1 else []
            tries += [[m] for m in found[:8]]
            better = None
            for moves in tries:
                if self.evaluations >= evaluations:
                    break
                candidate = self.moved(plan, moves)
                if len(moves) == 1 and not self.plan_fits(candidate):
                    continue  # it fitted only after the batch's other moves
                worth, new_duals = self.evaluate(candidate)
                if worth > value + 1e-9:
                    better = candidate, worth, new_duals, len(moves)
                    break
            if better is None:
                break
            plan, value, duals, size = better
            wanted = batch if size > 1 else max(1, wanted // 2)
        return plan


def dropped_rows(kept: KeptModel, plan: dict[int, int]) -> tuple[dict[int, int], dict[str, int]]:
    """The drop phase alone, and the row families it broke on (one per project dropped)."""
    seen: list[int] = []
    original = _Repairer._row_span

    def spy(self, row):  # noqa: ANN001, ANN202
        seen.append(row)
        return original(self, row)

    _Repairer._row_span = spy
    try:
        dropped = kept.repair(plan, fill=False)
    finally:
        _Repairer._row_span = original
    names = {c.index: name for name, c in kept.model.problem._constraints.items()}
    families = collections.Counter(re.sub(r"_[a-z]?\d+$", "", names[r]) for r in seen)
    return dropped or {}, dict(families)


def run_from(kept: KeptModel, plan: dict[int, int]) -> tuple[float, str]:
    """CPU s of one HiGHS run from this start, and how it ended."""
    index, value = kept._plan_columns(plan)
    started = time.process_time()
    kept._highs.setSolution(len(index), np.asarray(index, np.int32), np.asarray(value, float))
    kept._run()
    run = kept._read(time.perf_counter())
    seconds = time.process_time() - started
    gap = "" if run.gap is None else f" {run.gap:.2%}"
    return seconds, f"{run.status}{gap}"


def measure(
    data: optimizer.PlanningData,
    scenario: optimizer.Scenario,
    neighbour: dict[int, int],
    best: dict[int, int],
    args: argparse.Namespace,
) -> str:
    def kept_model() -> KeptModel:
        kept = KeptModel(
            build_model(prepare(data, scenario)),
            time_limit=args.limit,
            gap=args.gap,
            node_limit=SOLVE_NODE_LIMIT,
            work_limit=ANALYSIS_WORK_LIMIT,
        )
        kept.repair({})  # built, with its repairer
        return kept

    kept = kept_model()
    dropped, families = dropped_rows(kept, neighbour)
    started = time.process_time()
    repaired = kept.repair(neighbour)
    repair_s = time.process_time() - started
    if repaired is None:
        return "  the repair found no plan that fits"
    started = time.process_time()
    improved = Improver(kept).improve(repaired, args.evaluations)
    improve_s = time.process_time() - started
    if not kept.fits(improved):
        raise AssertionError("the improved plan does not fit")
    top = kept.value_of(best)
    shares = [(kept.value_of(p) or float("nan")) / top for p in (dropped, repaired, improved)]
    only = len(set(repaired) ^ set(best))
    moved = sum(1 for i, t in repaired.items() if i in best and best[i] != t)
    runs = [run_from(kept_model(), plan) for plan in (repaired, improved, best)]
    return (
        f"  start: dropped {shares[0]:.1%}, repaired {shares[1]:.1%} ({repair_s:.3f} s), "
        f"improved {shares[2]:.1%} ({improve_s:.3f} s)\n"
        f"  drop phase broke on {families}; repaired vs best: {only} projects in one only, "
        f"{moved} start years differ\n"
        f"  the solver to {args.gap:.1%} from the repaired start {runs[0][0]:.2f} s "
        f"({runs[0][1]}), improved {runs[1][0]:.2f} s ({runs[1][1]}), the best known plan "
        f"{runs[2][0]:.2f} s ({runs[2][1]})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", default=MOVES, help="scale before>scale now, comma-separated")
    parser.add_argument("--gap", type=float, default=0.01)
    parser.add_argument("--draws", type=int, default=3, help="robustness draws (0: none)")
    parser.add_argument("--limit", type=float, default=20.0, help="seconds per solve")
    parser.add_argument("--evaluations", type=int, default=20, help="LP evaluations to improve")
    args = parser.parse_args()
    data = optimizer.load_workbook(ROOT / "projects.xlsx")
    position = {pid: i for i, pid in enumerate(data.projects["project_id"])}

    def plan_of(source: optimizer.PlanningData, scenario: optimizer.Scenario) -> dict[int, int]:
        answer = optimizer.solve(source, scenario)
        return {position[pid]: t for pid, t in answer.chosen_starts.items()}

    def scenario(scale: float, gap: float) -> optimizer.Scenario:
        return optimizer.Scenario(fiscal_budget_scale=scale, mip_gap=gap, time_limit_s=args.limit)

    print(f"load average {os.getloadavg()[0]:.2f} at the start", flush=True)
    for move in args.moves.split(","):
        before, now = map(float, move.split(">"))
        neighbour = plan_of(data, scenario(before, args.gap))
        best = plan_of(data, scenario(now, 0.002))
        print(f"{before:g}× > {now:g}×", flush=True)
        print(measure(data, scenario(now, args.gap), neighbour, best, args), flush=True)
    if args.draws:
        base = scenario(1.0, args.gap)
        plan = plan_of(data, base)
        n, regions = len(data.projects), len(data.regions)
        jobs, capex, rates = draw_multipliers(args.draws, n, 0.30, 0.40, 2021, regions, 0.50)
        for d in range(args.draws):
            drawn = drawn_data(data, jobs[d], capex[d], rates[d], 0.0)
            best = plan_of(drawn, scenario(1.0, 0.002))
            print(f"robustness draw {d + 1} from the base plan", flush=True)
            print(measure(drawn, base, plan, best, args), flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
