"""Where model version 3's bound gap at low budgets lies, and what tighter rows would do.

    python benchmarks/bench_bound.py [--scales 0.1,0.2,...] [--search 10] [--starts 20]
        [--variants as_built,job_caps,home_caps,pair_caps,money_windows]

For the sample with both money scales (fiscal budget and bond quota) at each scale, and for
each candidate formulation, prints the LP relaxation of the model as written, HiGHS's bound
after its presolve and root cuts (`mip_dual_bound` with a node limit of 1), and with
`--search S` the best portfolio and bound after S seconds of this package's search to 1 %
(CPU seconds beside it). Each candidate adds valid rows to the built model (the same integer
optimum); none of them is in `optimizer/model.py`, because none moved the root bound
(benchmarks/RESULTS.md, "Model version 3 tightened (issue 19, 2026-12-05), loaded"):

- job_caps: a project's coefficient in a work city's open (trainable) jobs row, per year,
  capped at the most workers who could ever take jobs there (the exposure of every home city
  in reach; for trained jobs also the workers laid off by then): facility-location
  coefficient tightening.
- home_caps: per home city and year, its workers at work ≤ Σ_p min(open + trainable jobs of
  p reachable from it, its exposure) x_p.
- pair_caps: per work city, home city, year and kind of job, the flow ≤ Σ_p min(jobs of p,
  the home city's exposure) x_p.
- money_windows: the fiscal budget and bond quota rows summed over every run of two and of
  all years.

`--starts S` then solves, at each scale, the model with only the chosen variables integer
(start years continuous) for S seconds: its best value shows how much of the gap is the
start-year choice alone.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pulp

import optimizer
from optimizer.instance import Instance, prepare
from optimizer.model import SelectionModel, build_model
from optimizer.solver import highs_engine

ROOT = Path(__file__).resolve().parents[1]
SCALES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.8, 1.0)


def exposure_ceiling(inst: Instance) -> np.ndarray:
    """City × year: the largest exposure D_e(t) any pace of layoffs allows."""
    fixed = inst.planned_layoffs()
    paced = inst.batches["paced"].to_numpy(bool)
    fixed[paced] = 0.0
    out = inst.exposure(fixed)
    first = inst.first_layoff_year
    for b in np.nonzero(paced)[0]:
        e = int(inst.batches["region_at"].iat[b])
        low = int(inst.batches["earliest"].iat[b]) - first
        high = int(inst.batches["latest"].iat[b]) - first
        coefficients = inst.exposure_coefficients[e][:, low : high + 1]
        out[e] += float(inst.batches["workers"].iat[b]) * coefficients.max(axis=1)
    return out


def trained_ceiling(inst: Instance) -> np.ndarray:
    """City × year: the largest trained pool (nobody is trained before being laid off)."""
    early = inst.planned_layoffs()
    first = inst.first_layoff_year
    for b in np.nonzero(inst.batches["paced"].to_numpy(bool))[0]:
        early[b] = 0.0
        early[b, int(inst.batches["earliest"].iat[b]) - first] = float(
            inst.batches["workers"].iat[b]
        )
    by_then = np.cumsum(inst.layoffs_by_region(early), axis=1)
    lag = int(inst.setting("training_lag_years"))
    offset = inst.years[0] - first
    out = np.zeros((len(inst.regions), len(inst.years)))
    for k in range(len(inst.years)):
        if k - lag + offset >= 0:
            out[:, k] = by_then[:, min(k - lag + offset, by_then.shape[1] - 1)]
    return out


def active_jobs(inst: Instance, model: SelectionModel, share: str) -> dict:
    """(work city, year) → [(start variable, jobs of the kind it holds there)]."""
    out: dict[tuple[int, int], list] = {}
    region_at, shares = inst.column("region_at"), inst.column(share)
    build, operating = inst.column("build_jobs"), inst.column("operating_jobs")
    for i, options in enumerate(model.starts):
        r, weight = int(region_at[i]), float(shares[i])
        for t, x in options:
            for years, jobs in (
                (inst.build_years(i, t), weight * float(build[i])),
                (inst.operating_years(i, t), weight * float(operating[i])),
            ):
                if jobs > 0:
                    for k in years:
                        out.setdefault((r, k), []).append((x, jobs))
    return out


def _row(model: SelectionModel, terms: list, name: str) -> None:
    model.problem.addConstraint(
        pulp.LpConstraint(pulp.LpAffineExpression(terms), pulp.LpConstraintLE, name=name, rhs=0)
    )


def job_caps(inst: Instance, model: SelectionModel) -> None:
    exposure = exposure_ceiling(inst)
    pool = np.minimum(exposure, trained_ceiling(inst))
    for flows, ceiling, name in (
        (model.flows, exposure, "open_jobs"),
        (model.trained_flows, pool, "trainable_jobs"),
    ):
        reach: dict[tuple[int, int], float] = {}
        for r, e, k in flows:
            reach[r, k] = reach.get((r, k), 0.0) + float(ceiling[e, k])
        for (r, k), most in reach.items():
            row = model.problem.constraints[f"{name}_r{r}_y{k}"]
            for var, c in list(row.items()):
                if var.name.startswith("x") and -c > most:
                    row.expr[var] = -most


def home_caps(inst: Instance, model: SelectionModel) -> None:
    exposure = exposure_ceiling(inst)
    jobs = {
        "g": active_jobs(inst, model, "skill_match"),
        "k": active_jobs(inst, model, "trainable_share"),
    }
    held: dict[tuple[int, int], list] = {}
    for kind, flows in (("g", model.flows), ("k", model.trained_flows)):
        for (r, e, k), var in flows.items():
            held.setdefault((e, k), []).append((r, kind, var))
    for (e, k), members in held.items():
        capacity: dict[pulp.LpVariable, float] = {}
        for r, kind, _ in members:
            for x, a in jobs[kind].get((r, k), []):
                capacity[x] = capacity.get(x, 0.0) + a
        if any(a > exposure[e, k] for a in capacity.values()):
            terms = [(var, 1.0) for _, _, var in members]
            terms += [(x, -min(a, float(exposure[e, k]))) for x, a in capacity.items()]
            _row(model, terms, f"home_cap_r{e}_y{k}")


def pair_caps(inst: Instance, model: SelectionModel) -> None:
    exposure = exposure_ceiling(inst)
    pool = np.minimum(exposure, trained_ceiling(inst))
    for flows, share, ceiling, name in (
        (model.flows, "skill_match", exposure, "open"),
        (model.trained_flows, "trainable_share", pool, "trained"),
    ):
        jobs = active_jobs(inst, model, share)
        for (r, e, k), var in flows.items():
            mine = jobs.get((r, k), [])
            if any(a > ceiling[e, k] for _, a in mine):
                terms = [(var, 1.0)] + [(x, -min(a, float(ceiling[e, k]))) for x, a in mine]
                _row(model, terms, f"pair_cap_{name}_r{r}_{e}_y{k}")


def money_windows(inst: Instance, model: SelectionModel) -> None:
    n = len(inst.years)
    windows = [(a, a + 2) for a in range(n - 1)] + ([(0, n)] if n > 2 else [])
    for family in ("fiscal_budget", "bond_quota"):
        rows = [model.problem.constraints[f"{family}_y{k}"] for k in range(n)]
        for a, b in windows:
            total: dict[pulp.LpVariable, float] = {}
            for row in rows[a:b]:
                for var, c in row.items():
                    total[var] = total.get(var, 0.0) + c
            rhs = sum(-row.constant for row in rows[a:b])
            model.problem.addConstraint(
                pulp.LpConstraint(
                    pulp.LpAffineExpression(list(total.items())),
                    pulp.LpConstraintLE,
                    name=f"{family}_window_{a}_{b}",
                    rhs=rhs,
                )
            )


VARIANTS: dict[str, Callable[[Instance, SelectionModel], None] | None] = {
    "as_built": None,
    "job_caps": job_caps,
    "home_caps": home_caps,
    "pair_caps": pair_caps,
    "money_windows": money_windows,
}


def built(inst: Instance, variant: str, *, relax: bool = False) -> SelectionModel:
    model = build_model(inst, relax=relax)
    add = VARIANTS[variant]
    if add is not None:
        add(inst, model)
    return model


def measure(inst: Instance, variant: str, search: float) -> str:
    lp = built(inst, variant, relax=True)
    lp.problem.solve(highs_engine(120.0, 0.0))
    lp_value = pulp.value(lp.problem.objective)
    root = built(inst, variant)
    root.problem.solve(highs_engine(120.0, 0.0, node_limit=1))
    root_bound = -root.problem.solverModel.getInfo().mip_dual_bound
    line = f"{len(root.problem.constraints):5d} {lp_value:10.0f} {root_bound:10.0f}"
    if search > 0:
        model = built(inst, variant)
        cpu = time.process_time()
        model.problem.solve(highs_engine(search, 0.01))
        cpu = time.process_time() - cpu
        info = model.problem.solverModel.getInfo()
        line += (
            f" {-info.objective_function_value:10.0f} {-info.mip_dual_bound:10.0f}"
            f" {info.mip_gap:7.2%} {cpu:6.2f}"
        )
    return line


def starts_relaxed(inst: Instance, limit: float) -> str:
    """Only the chosen variables integer: the start years may be split."""
    model = build_model(inst)
    for options in model.starts:
        for _, x in options:
            x.cat = pulp.LpContinuous
    model.problem.solve(highs_engine(limit, 0.002))
    info = model.problem.solverModel.getInfo()
    return (
        f"start years relaxed: best {-info.objective_function_value:10.0f} "
        f"bound {-info.mip_dual_bound:10.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=",".join(str(s) for s in SCALES))
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--search", type=float, default=0.0, help="seconds of search, 0: none")
    parser.add_argument("--starts", type=float, default=0.0, help="seconds, 0: not run")
    args = parser.parse_args()
    data = optimizer.load_workbook(ROOT / "projects.xlsx")
    header = f"{'scale':>6} {'variant':>14} {'rows':>5} {'LP':>10} {'root':>10}"
    if args.search > 0:
        header += f" {'best':>10} {'bound':>10} {'gap':>7} {'CPU s':>6}"
    print(header, flush=True)
    for scale in (float(s) for s in args.scales.split(",") if s):
        scenario = optimizer.Scenario(fiscal_budget_scale=scale, bond_quota_scale=scale)
        inst = prepare(data, scenario)
        for variant in args.variants.split(","):
            print(f"{scale:5g}× {variant:>14} {measure(inst, variant, args.search)}", flush=True)
        if args.starts > 0:
            print(f"{scale:5g}× {starts_relaxed(inst, args.starts)}", flush=True)


if __name__ == "__main__":
    main()
