"""A model's LP relaxation in HiGHS, and what the strategies for thousands of projects do with
its columns: `strategies.lp_submip` on the whole model and `blocks` on each block. Solve it,
price a project at its prices, hold columns at values while a search runs, and measure a gap
against its bound. One home for these, below both (tests/test_layers.py)."""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Iterator

import highspy
import numpy as np

# A start-year column the LP leaves within this of 0 or 1 counts as integral.
INTEGRAL = 1e-6


@dataclasses.dataclass
class Relaxation:
    """The LP relaxation's answer, in HiGHS's minimised sense."""

    objective: float  # its optimum: a bound on the model's
    values: np.ndarray
    prices: np.ndarray  # reduced costs
    duals: np.ndarray  # row prices


def relax(highs: highspy.Highs, integer: np.ndarray) -> Relaxation | None:
    """Solve the model held in `highs` as an LP, in place (dual simplex: 2 s at 10,000
    projects, IPM 13 s); None when it has no optimum (infeasible, or stopped). The integral
    columns (`integer`, a mask) and the options are put back after."""
    columns = np.flatnonzero(integer).astype(np.int32)
    continuous = np.full(len(columns), highspy.HighsVarType.kContinuous)
    highs.changeColsIntegrality(len(columns), columns, continuous)
    saved = {name: highs.getOptionValue(name)[1] for name in ("solver", "simplex_strategy")}
    highs.setOptionValue("solver", "simplex")
    highs.setOptionValue("simplex_strategy", 1)
    try:
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = highs.getSolution()
        return Relaxation(
            float(highs.getInfo().objective_function_value),
            np.asarray(solution.col_value, float),
            np.asarray(solution.col_dual, float),
            np.asarray(solution.row_dual, float),
        )
    finally:
        for name, value in saved.items():
            highs.setOptionValue(name, value)
        kinds = np.full(len(columns), highspy.HighsVarType.kInteger)
        highs.changeColsIntegrality(len(columns), columns, kinds)
        highs.clearSolver()


def price(lp: Relaxation, starts: list[int], chosen: int | None) -> float:
    """A project's price at the LP's prices: its cheapest start year's reduced cost with its
    chosen column's, in the objective's units (what taking it, or leaving it out, changes)."""
    own = lp.prices[chosen] if chosen is not None else 0.0
    return float(np.min(np.abs(lp.prices[starts] + own)))


@dataclasses.dataclass(frozen=True)
class Held:
    """Columns held at values, with the bounds `release` puts back."""

    columns: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


def hold(highs: highspy.Highs, columns: np.ndarray, values: np.ndarray) -> Held:
    """Hold the columns at `values` (both bounds) until `release`."""
    lp = highs.getLp()
    held = Held(
        columns,
        np.asarray(lp.col_lower_, float)[columns],
        np.asarray(lp.col_upper_, float)[columns],
    )
    highs.changeColsBounds(len(columns), columns, values, values)
    return held


def release(highs: highspy.Highs, held: Held) -> None:
    highs.changeColsBounds(len(held.columns), held.columns, held.lower, held.upper)


@contextlib.contextmanager
def holding(highs: highspy.Highs, columns: np.ndarray, values: np.ndarray) -> Iterator[None]:
    """The columns held at `values` while the block runs; their bounds put back after."""
    held = hold(highs, columns, values)
    try:
        yield
    finally:
        release(highs, held)


def gap(bound: float, value: float) -> float:
    """(bound − value) / |value| in the maximised sense; inf without a value."""
    if not math.isfinite(value):
        return math.inf
    return max(0.0, (bound - value) / max(abs(value), 1e-9))
