"""The app's controls: one table of them (key, range, step, default), their values for a
scenario, and the Scenario they make (both ways).

`CONTROLS` is the only place a control's range is written, keyed by the Scenario field it
sets; the sidebar and the trade-offs
tab draw their widgets from it. `controls_from(data, scenario)` gives every scenario
control's value (to fill the sidebar, or to load a saved scenario into it);
`scenario_from(data, controls)` turns the sidebar's values back into a Scenario. Plain
Python, no Streamlit (so it sits next to the scenario, below the app's package): a test
checks that a scenario survives the trip through the sidebar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .loader import PlanningData
from .scenario import Scenario


@dataclass(frozen=True)
class Control:
    """A number the planner sets with a widget. `high` is the usual upper end: a value
    loaded from a workbook or a scenario file beyond it extends the range (`top`); `default`
    is for the analysis controls (the scenario's come from the workbook)."""

    key: str  # the Scenario field it sets (or the analysis setting)
    label: str  # a key of optimizer.present.labels.TEXT
    low: float
    high: float
    step: float
    default: float | None = None
    extends: bool = True  # a loaded value beyond `high` extends the range
    widget: str = "slider"  # slider | number

    def top(self, value: float | None) -> float:
        """The widget's upper end for a value shown in it."""
        if value is None or not self.extends:
            return self.high
        return max(self.high, float(value))

    def bottom(self, value: float | None) -> float:
        if value is None or not self.extends:
            return self.low
        return min(self.low, float(value))


CONTROLS: dict[str, Control] = {
    c.key: c
    for c in (
        Control("fiscal_budget_scale", "fiscal_scale", 0.0, 2.0, 0.05),
        Control("bond_quota_scale", "bond_scale", 0.0, 2.0, 0.05),
        Control("debt_headroom_scale", "debt_scale", 0.0, 2.0, 0.05),
        Control("ppp_custom", "ppp_custom", 0.0, 1.0, 0.005, extends=False, widget="number"),
        Control("commute_km", "commute", 0.0, 300.0, 5.0),
        Control("other_jobs_weight", "other_weight", 0.0, 1.0, 0.05, extends=False),
        Control("min_coverage_share", "coverage", 0.0, 1.0, 0.05, extends=False),
        Control("time_limit_s", "time_limit", 1.0, 600.0, 5.0, widget="number"),
        # The trade-offs tab's own settings.
        Control("frontier_points", "points", 3, 21, 1, 11, extends=False),
        Control("draws", "draws", 10, 200, 10, 50, extends=False),
        Control("spread", "spread", 0.0, 0.5, 0.05, 0.3, extends=False),
        Control("overrun", "overrun", 0.0, 1.0, 0.05, 0.4, extends=False),
        Control("rate_spread", "rate_spread", 0.0, 1.0, 0.05, 0.5, extends=False),
    )
}
# Solver precision asked of each analysis solve, and its default.
ANALYSIS_GAPS = (0.005, 0.01, 0.02)
ANALYSIS_GAP = 0.01
# A planner moving a slider should not wait a workbook's 30 s for a proof: the app's time
# limit for a new workbook is at most this (a run stopped early says so with its gap).
APP_TIME_LIMIT = 10.0
# The sidebar's controls, reset together when a workbook or scenario fills the sidebar.
CONTROL_KEYS = (
    "fiscal_budget_scale",
    "bond_quota_scale",
    "debt_headroom_scale",
    "ppp_choice",
    "ppp_custom",
    "commute_km",
    "other_jobs_weight",
    "min_coverage_share",
    "forced_in",
    "forced_out",
    "time_limit_s",
)

# The PPP lines a planner picks from; anything else is "other" with its own value.
PPP_LINES = {"10 %": 0.10, "7 %": 0.07, "5 %": 0.05}
OTHER = "other"  # the radio's value; shown as Labels' "ppp_other"


def controls_from(data: PlanningData, scenario: Scenario | None = None) -> dict[str, Any]:
    """Every control's value for the scenario (None: the workbook's own settings)."""
    sc = (scenario or Scenario()).resolved(data)
    budget, quota = dict(sc.fiscal_budget), dict(sc.bond_quota)
    years = data.planning_years
    money = pd.DataFrame(
        {
            "year": years,
            "fiscal_budget": [budget[y] for y in years],
            "bond_quota": [quota[y] for y in years],
        }
    )
    low, high = dict(sc.sector_min_share), dict(sc.sector_max_share)
    sectors = pd.DataFrame(
        {
            "sector": list(low),
            "min_share": [low[s] for s in low],
            "max_share": [high[s] for s in low],
        }
    )
    line = float(sc.ppp_cap_share or 0.0)
    choice = next((k for k, v in PPP_LINES.items() if abs(v - line) < 1e-12), OTHER)
    return {
        "money_table": money,
        "fiscal_budget_scale": float(sc.fiscal_budget_scale),
        "bond_quota_scale": float(sc.bond_quota_scale),
        "debt_headroom_scale": float(sc.debt_headroom_scale),
        "ppp_choice": choice,
        "ppp_custom": line,
        "commute_km": float(sc.commute_km or 0.0),
        "other_jobs_weight": float(sc.other_jobs_weight or 0.0),
        "min_coverage_share": float(sc.min_coverage_share or 0.0),
        "sector_table": sectors,
        "forced_in": list(sc.forced_in),
        "forced_out": list(sc.forced_out),
        "time_limit_s": float(sc.time_limit_s or 30.0),
        "mip_gap": float(sc.mip_gap or 0.0),
        "name": sc.name,
    }


def scenario_from(data: PlanningData, controls: dict[str, Any]) -> Scenario:
    """The Scenario the controls describe (values not given keep the workbook's)."""
    base = controls_from(data)
    values = {**base, **controls}
    money: pd.DataFrame = values["money_table"]
    sectors: pd.DataFrame = values["sector_table"]
    choice = values["ppp_choice"]
    line = PPP_LINES.get(choice, values["ppp_custom"])
    return Scenario(
        fiscal_budget={int(r.year): float(r.fiscal_budget) for r in money.itertuples()},
        fiscal_budget_scale=float(values["fiscal_budget_scale"]),
        bond_quota={int(r.year): float(r.bond_quota) for r in money.itertuples()},
        bond_quota_scale=float(values["bond_quota_scale"]),
        debt_headroom_scale=float(values["debt_headroom_scale"]),
        ppp_cap_share=float(line),
        commute_km=float(values["commute_km"]),
        other_jobs_weight=float(values["other_jobs_weight"]),
        min_coverage_share=float(values["min_coverage_share"]),
        sector_min_share={r.sector: float(r.min_share) for r in sectors.itertuples()},
        sector_max_share={r.sector: float(r.max_share) for r in sectors.itertuples()},
        forced_in=tuple(values["forced_in"]),
        forced_out=tuple(values["forced_out"]),
        time_limit_s=float(values["time_limit_s"]),
        mip_gap=float(values["mip_gap"]),
        name=str(values.get("name") or ""),
    )
