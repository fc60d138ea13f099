"""Home-first matching: who takes which jobs, once the portfolio is fixed.

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
from .solver import solve_lp

# Kilometres are small numbers next to worker-years; the second stage keeps the first's
# worker-years to within this relative tolerance (solver noise, not a trade-off).
KEEP_TOLERANCE = 1e-9


def home_first(inst: Instance, open_jobs: np.ndarray, *, with_floor: bool = True) -> np.ndarray:
    """Workers of each home region holding jobs in each work region, each year.

    open_jobs: region × year jobs displaced workers can take (the portfolio's). Returns an
    array work region × home region × year of persons. The coverage floor is kept when the
    portfolio can meet it (a portfolio from `solve` always can).
    """
    n, n_years = len(inst.regions), len(inst.years)
    out = np.zeros((n, n, n_years))
    stock = inst.displaced_stock
    keys = [
        (r, e, k)
        for k in range(n_years)
        for r, e in inst.reach
        if stock[e, k] > 0 and open_jobs[r, k] > 0
    ]
    if not keys:
        return out
    problem = pulp.LpProblem("home_first", pulp.LpMaximize)
    g = {key: problem.add_variable(f"g{key[0]}_{key[1]}_{key[2]}", lowBound=0) for key in keys}
    by_work: dict[tuple[int, int], list] = {}
    by_home: dict[tuple[int, int], list] = {}
    by_city: dict[int, list] = {}
    for (r, e, k), var in g.items():
        by_work.setdefault((r, k), []).append((var, 1.0))
        by_home.setdefault((e, k), []).append((var, 1.0))
        by_city.setdefault(e, []).append((var, 1.0))
    for (r, k), terms in by_work.items():
        problem.addConstraint(
            pulp.LpConstraint(
                pulp.LpAffineExpression(terms),
                pulp.LpConstraintLE,
                f"open_r{r}_y{k}",
                float(open_jobs[r, k]),
            )
        )
    for (e, k), terms in by_home.items():
        problem.addConstraint(
            pulp.LpConstraint(
                pulp.LpAffineExpression(terms),
                pulp.LpConstraintLE,
                f"stock_r{e}_y{k}",
                float(stock[e, k]),
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
                    floor * float(stock[e].sum()),
                )
            )
    w = inst.year_weight
    worker_years = pulp.LpAffineExpression([(var, w[k]) for (_, _, k), var in g.items()])
    problem.setObjective(worker_years)
    if not solve_lp(problem):
        if with_floor and floor > 0:
            return home_first(inst, open_jobs, with_floor=False)
        raise RuntimeError("the home-first matching failed")
    best = float(pulp.value(problem.objective) or 0.0)
    for (r, e, k), var in g.items():
        out[r, e, k] = max(0.0, float(var.value() or 0.0))
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
            [(var, km[r, e] + (0.0 if r == e else 1e-3)) for (r, e, _), var in g.items()]
        )
    )
    if not solve_lp(problem):
        return out  # numerically troubled: keep the first stage's split
    for (r, e, k), var in g.items():
        out[r, e, k] = max(0.0, float(var.value() or 0.0))
    return out
