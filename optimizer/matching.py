"""Home-first matching: who takes which jobs, once the portfolio, the training starts by
region and year and the layoffs are fixed (docs/model.md, second stage).

The selection model's flows are not unique: many splits of the same jobs give the same
objective, so a city's figure could jump when an unrelated limit moves. With the portfolio
fixed, a first linear program finds the most worker-years the jobs allow (each year at its
optimum); a second keeps that and minimises the kilometres commuted, so a city's own jobs go
to its own displaced workers first. Every per-city figure a solve reports comes from here.
"""

from __future__ import annotations

import numpy as np
import pulp

from .instance import Instance
from .model import build_model
from .solver import solve_lp

# Kilometres are small numbers next to worker-years; the second stage keeps the first's
# worker-years to within this relative tolerance (solver noise, not a trade-off).
KEEP_TOLERANCE = 1e-9


def best_levers(inst: Instance, starts: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The training (region × year) and layoffs (batch × layoff year) that serve a given
    portfolio {position: start year} best: the selection model with the portfolio fixed, a
    linear program. For a portfolio the solver did not return with its own levers (a
    baseline, an incumbent, a trade-off's draw)."""
    layoffs = inst.planned_layoffs()
    training = np.zeros((len(inst.regions), len(inst.years)))
    paced = bool(inst.batches["paced"].any())
    if not paced and not any(v > 0 for v in inst.training_budget.values()):
        return training, layoffs
    ids = inst.column("project_id")
    model = build_model(inst, fixed_starts={ids[i]: t for i, t in starts.items()}, relax=True)
    if not solve_lp(model.problem):
        return training, layoffs
    return model.training_of(), model.layoffs_of()


def trained_pool(inst: Instance, training: np.ndarray) -> np.ndarray:
    """U_e(t): workers of region e trained by year t − training_lag_years, region × year."""
    lag = int(inst.setting("training_lag_years"))
    started = np.cumsum(training, axis=1)
    out = np.zeros_like(started)
    if lag < started.shape[1]:
        out[:, lag:] = started[:, : started.shape[1] - lag]
    return out


def home_first(
    inst: Instance,
    open_jobs: np.ndarray,
    *,
    exposure: np.ndarray,
    trainable_jobs: np.ndarray | None = None,
    pool: np.ndarray | None = None,
    with_floor: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Workers of each home region holding jobs in each work region, each year: those taking
    open jobs as they are (g) and trained ones in trainable jobs (k).

    open_jobs / trainable_jobs: region × year jobs of the portfolio; exposure: D_e(t) of the
    layoffs fixed; pool: U_e(t) of the training fixed. Returns two arrays work region × home
    region × year of persons. The coverage floor is kept when the portfolio can meet it (a
    portfolio from `solve` always can).
    """
    n, n_years = len(inst.regions), len(inst.years)
    out = np.zeros((n, n, n_years))
    out_trained = np.zeros((n, n, n_years))
    trainable = np.zeros_like(open_jobs) if trainable_jobs is None else trainable_jobs
    trained = np.zeros_like(exposure) if pool is None else pool
    keys = [
        (r, e, k)
        for k in range(n_years)
        for r, e in inst.reach
        if exposure[e, k] > 0 and open_jobs[r, k] > 0
    ]
    trained_keys = [
        (r, e, k)
        for k in range(n_years)
        for r, e in inst.reach
        if exposure[e, k] > 0 and trainable[r, k] > 0 and trained[e, k] > 0
    ]
    if not keys and not trained_keys:
        return out, out_trained
    problem = pulp.LpProblem("home_first", pulp.LpMaximize)
    g = {key: problem.add_variable(f"g{key[0]}_{key[1]}_{key[2]}", lowBound=0) for key in keys}
    h = {
        key: problem.add_variable(f"k{key[0]}_{key[1]}_{key[2]}", lowBound=0)
        for key in trained_keys
    }
    rows: dict[tuple[str, int, int], list] = {}
    by_city: dict[int, list] = {}
    for (r, e, k), var in g.items():
        rows.setdefault(("open", r, k), []).append((var, 1.0))
        rows.setdefault(("exposure", e, k), []).append((var, 1.0))
        by_city.setdefault(e, []).append((var, 1.0))
    for (r, e, k), var in h.items():
        rows.setdefault(("trainable", r, k), []).append((var, 1.0))
        rows.setdefault(("exposure", e, k), []).append((var, 1.0))
        rows.setdefault(("pool", e, k), []).append((var, 1.0))
        by_city.setdefault(e, []).append((var, 1.0))
    bound = {"open": open_jobs, "trainable": trainable, "exposure": exposure, "pool": trained}
    for (kind, r, k), terms in rows.items():
        problem.addConstraint(
            pulp.LpConstraint(
                pulp.LpAffineExpression(terms),
                pulp.LpConstraintLE,
                f"{kind}_r{r}_y{k}",
                float(bound[kind][r, k]),
            )
        )
    floor = inst.setting("min_coverage_share")
    if with_floor and floor > 0:
        for e, terms in by_city.items():
            problem.addConstraint(
                pulp.LpConstraint(
                    pulp.LpAffineExpression(terms),
                    pulp.LpConstraintGE,
                    f"floor_r{e}",
                    floor * float(exposure[e].sum()),
                )
            )
    w = inst.year_weight
    both = [*g.items(), *h.items()]
    worker_years = pulp.LpAffineExpression([(var, w[k]) for (_, _, k), var in both])
    problem.setObjective(worker_years)
    if not solve_lp(problem):
        if with_floor and floor > 0:
            return home_first(
                inst,
                open_jobs,
                exposure=exposure,
                trainable_jobs=trainable_jobs,
                pool=pool,
                with_floor=False,
            )
        raise RuntimeError("the home-first matching failed")
    best = float(pulp.value(problem.objective) or 0.0)
    _read(g, out)
    _read(h, out_trained)
    problem.addConstraint(
        pulp.LpConstraint(
            worker_years, pulp.LpConstraintGE, "keep", best - KEEP_TOLERANCE * max(1.0, best)
        )
    )
    km = inst.distance_km
    problem.sense = pulp.LpMinimize
    # Kilometres commuted; ties between equal distances go to the larger share at home.
    problem.setObjective(
        pulp.LpAffineExpression(
            [(var, km[r, e] + (0.0 if r == e else 1e-3)) for (r, e, _), var in both]
        )
    )
    if not solve_lp(problem):
        return out, out_trained  # numerically troubled: keep the first stage's split
    _read(g, out)
    _read(h, out_trained)
    return out, out_trained


def _read(variables: dict[tuple[int, int, int], pulp.LpVariable], out: np.ndarray) -> None:
    for (r, e, k), var in variables.items():
        out[r, e, k] = max(0.0, float(var.value() or 0.0))
