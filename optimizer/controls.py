"""The app's controls as plain values, and the Scenario they make (both ways).

`controls_from(data, scenario)` gives every control's value for a scenario (to fill the
sidebar, or to load a saved scenario into it); `scenario_from(data, controls)` turns the
sidebar's values back into a Scenario. Keeping this here, not in app.py, lets a test check
that a scenario survives the trip through the sidebar.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .loader import PlanningData
from .scenario import Scenario

# The PPP lines a planner picks from; anything else is "other" with its own value.
PPP_LINES = {"10 %": 0.10, "7 %": 0.07, "5 %": 0.05}
OTHER = "other · 其他"  # shown as is in both languages


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
    # One slider scales budgets and quotas together; a scenario with different scales keeps
    # the ratio in the table's amounts.
    scale = float(sc.fiscal_budget_scale)
    if sc.bond_quota_scale != scale and scale > 0:
        money["bond_quota"] *= sc.bond_quota_scale / scale
    return {
        "money_table": money,
        "budget_scale": scale,
        "debt_scale": float(sc.debt_headroom_scale),
        "ppp_choice": choice,
        "ppp_custom": line,
        "commute": float(sc.commute_km or 0.0),
        "other_weight": float(sc.other_jobs_weight or 0.0),
        "coverage": float(sc.min_coverage_share or 0.0),
        "sector_table": sectors,
        "forced_in": list(sc.forced_in),
        "forced_out": list(sc.forced_out),
        "time_limit": float(sc.time_limit_s or 30.0),
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
    scale = float(values["budget_scale"])
    return Scenario(
        fiscal_budget={int(r.year): float(r.fiscal_budget) for r in money.itertuples()},
        fiscal_budget_scale=scale,
        bond_quota={int(r.year): float(r.bond_quota) for r in money.itertuples()},
        bond_quota_scale=scale,
        debt_headroom_scale=float(values["debt_scale"]),
        ppp_cap_share=float(line),
        commute_km=float(values["commute"]),
        other_jobs_weight=float(values["other_weight"]),
        min_coverage_share=float(values["coverage"]),
        sector_min_share={r.sector: float(r.min_share) for r in sectors.itertuples()},
        sector_max_share={r.sector: float(r.max_share) for r in sectors.itertuples()},
        forced_in=tuple(values["forced_in"]),
        forced_out=tuple(values["forced_out"]),
        time_limit_s=float(values["time_limit"]),
        mip_gap=float(values["mip_gap"]),
        name=str(values.get("name") or ""),
    )
