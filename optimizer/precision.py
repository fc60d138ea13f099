"""Solver precision: when a difference between two solves is a finding, and when it is noise.

A solve stops when its portfolio is proven within `gap` of the best possible objective, so
its objective may lie up to gap × |objective| below the true optimum. Two solves can therefore
differ by up to the sum of their two slacks for no reason but where each search stopped. A
difference no larger than that is within solver precision (optimizer.present words it as
"within solver precision (± x)"), never a gain or a cost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# A solve whose gap is unknown (a solver that does not report its bound and did not prove
# optimality) is as imprecise as the gap it was asked for; callers pass that gap.
FLOOR = 1e-6


def slack(objective: float, gap: float | None, base: float | None = None) -> float:
    """How far below the best possible objective a solve may be (objective units). base: the
    objective the solver's relative gap is measured on, when it is not the reported one
    (version 3 reports re-employed − exposure + weighted jobs; the solver's objective leaves
    the constant exposure out, see docs/model.md)."""
    if gap is None or not math.isfinite(gap):
        return math.inf
    return abs(gap) * abs(objective if base is None else base) + FLOOR


@dataclass(frozen=True)
class Difference:
    """after − before, with the precision of the two solves behind it."""

    value: float
    tolerance: float

    @property
    def within_precision(self) -> bool:
        return abs(self.value) <= self.tolerance


def difference(
    after: float,
    before: float,
    *,
    after_objective: float,
    after_gap: float | None,
    before_objective: float,
    before_gap: float | None,
    after_base: float | None = None,
    before_base: float | None = None,
) -> Difference:
    """A difference of any measure between two solves, against both solves' slack in
    objective units (a measure's share of the objective can be at most all of it)."""
    return Difference(
        after - before,
        slack(after_objective, after_gap, after_base)
        + slack(before_objective, before_gap, before_base),
    )


def solve_difference(after: Any, before: Any, measure: str) -> Difference:
    """after.measure − before.measure for two solutions (anything with `objective`, `gap`
    and the measure, e.g. `worker_years` or `reemployed_peak`), against their gaps."""
    return difference(
        float(getattr(after, measure)),
        float(getattr(before, measure)),
        after_objective=after.objective,
        after_gap=after.gap,
        before_objective=before.objective,
        before_gap=before.gap,
        after_base=getattr(after, "gap_base", None),
        before_base=getattr(before, "gap_base", None),
    )


def rounding_step(tolerance: float) -> float:
    """The coarsest power of ten a figure can be rounded to without hiding a difference the
    solves can tell apart: the largest power of ten not above the tolerance (1 at least, a
    count is never shown with decimals it cannot have). With ± 1,870 worker-years of
    precision, 151,349.553 reads 151,000."""
    if not math.isfinite(tolerance) or tolerance <= 1:
        return 1.0
    return float(10 ** math.floor(math.log10(tolerance)))


def rounded(value: float, tolerance: float) -> float:
    """value rounded to what a precision of ± tolerance supports (see rounding_step)."""
    if not math.isfinite(value):
        return value
    step = rounding_step(tolerance)
    return float(round(value / step) * step)
