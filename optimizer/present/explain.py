"""Why, in a planner's words: the limits a portfolio meets and the reason each project is
left out. Plain functions of a Solution and a Labels; the app, the figures and the Excel
shortlist all call them, so the three say the same thing."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..solution import Solution
from .labels import Labels, city_year


def limits_frame(solution: Solution, labels: Labels, used_up_only: bool = True) -> pd.DataFrame:
    """The limits in a planner's words: what each one is, what is used, the limit and the room
    left. A city's PPP line shows the line itself, the existing commitments and the room
    they leave, not the model's "0 ≤ 0"."""
    limits = solution.used_up_limits if used_up_only else solution.limits
    standing = solution.by_region.set_index("region")
    names = dict(zip(solution.not_chosen["project_id"], solution.not_chosen["name"], strict=True))
    names.update(zip(solution.chosen["project_id"], solution.chosen["name"], strict=True))
    # The PPP lines hold in each planning year ("city year", build-year outlays counted) and
    # after the horizon ("city", every payment): the new commitments of that year, or after.
    by_year = solution.ppp_by_year
    new_in = {
        (str(r), None if y is None or y != y else int(y)): float(n)
        for r, y, n in zip(by_year["region"], by_year["year"], by_year["new"], strict=True)
    }
    rows = []
    for row in limits.itertuples(index=False):
        key = row.key
        if row.family in ("forced_in", "forced_out") and key in names:
            key = f"{key} {names[key]}"  # the project's name beside its id
        city, year = city_year(str(row.key))
        shown = None
        if row.family in ("ppp_line", "ppp_closed") and city in standing.index:
            shown = float(standing.at[city, "ppp_line"])
        elif row.family == "government_pay_line" and city in standing.index:
            shown = float(standing.at[city, "government_pay_line"])
        words = labels.limit(row.family, key, shown)
        # Rule 5c's row names the line the existing commitments are above: no room to note.
        line = None if row.family == "ppp_closed" else shown
        note = ""
        if line is not None:
            s = standing.loc[city]
            spending = float(s["general_budget_expenditure"])
            amount = line * spending
            existing = float(s["ppp_existing"])
            room = max(0.0, amount - existing)
            note = labels(
                "ppp_limit_note",
                line=line,
                spending=spending,
                amount=amount,
                existing=existing,
                room=room,
                new=new_in.get((city, year), float(s["ppp_new"])),
            )
        rows.append(
            {
                "limit_words": words,
                "use": row.use,
                "limit": row.limit,
                "slack": row.slack,
                "unit": labels.unit(row.unit),
                "used_up": labels.yes_no(row.used_up),
                "ppp_note": note,
            }
        )
    table = pd.DataFrame(
        rows, columns=["limit_words", "use", "limit", "slack", "unit", "used_up", "ppp_note"]
    )
    if used_up_only:
        table = table.drop(columns=["used_up"])
    if not table["ppp_note"].astype(bool).any():
        table = table.drop(columns=["ppp_note"])
    return table.reset_index(drop=True)


def reasons(
    solution: Solution, labels: Labels, break_even: pd.DataFrame | None = None
) -> list[str]:
    """Each left-out project's reason in words (solution.not_chosen's order): the limit that
    keeps it out, or, where the objective does, the jobs it would need to enter when the
    break-even analysis has been run (or that the difference is within solver precision)."""
    standing = solution.by_region.set_index("region")
    needed: dict[str, tuple[float, bool]] = {}
    if break_even is not None and len(break_even):
        needed = {
            str(p): (float(j), bool(w))
            for p, j, w in zip(
                break_even["project_id"],
                break_even["extra_jobs_needed"],
                break_even["within_gap"],
                strict=True,
            )
        }
    out = []
    for row in solution.not_chosen.itertuples(index=False):
        code = row.reason_code
        # A full budget or quota keeps a project out only as long as what is chosen stays:
        # once break-even is known, how many more jobs it needs to displace them says more.
        known = str(row.project_id) in needed
        if code == "objective" or (code in ("budget_used", "bond_quota_used") and known):
            jobs, within = needed.get(str(row.project_id), (None, False))
            out.append(labels.objective_reason(jobs, within))
            continue
        line = 0.0
        if row.region in standing.index:
            column = "government_pay_line" if code.startswith("government_pay") else "ppp_line"
            line = float(standing.at[row.region, column])
        from_year = solution.scenario.ppp_user_pay_only_from
        year = int(from_year) if from_year is not None and math.isfinite(from_year) else 0
        out.append(labels.reason(code, row.region, line, year))
    return out


def short_source(text: Any, longest: int = 40) -> str:
    """A jobs figure's source in one clause (the text up to its first ";"), for a printed
    shortlist: "IMF WP/21/131 145–246 job-years/亿 (R)"."""
    if not isinstance(text, str) or not text:
        return ""
    first = text.split(";", 1)[0].strip()
    first = first.removeprefix("jobs:").strip()
    return first if len(first) <= longest else first[: longest - 1] + "…"


def limit_values_frame(values: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """What 10 % more of each limit buys (optimizer.limit_values), in a planner's words,
    ranked as given: the limit, the extra amount with its unit, the worker-years it buys,
    worker-years per 亿元 and whether the limit binds (buys more than the precision)."""
    return pd.DataFrame(
        {
            "limit_words": [
                labels.limit(family, where)
                for family, where in zip(values["limit"], values["where"], strict=True)
            ],
            "extra": values["extra"].to_numpy(dtype=float),
            "unit": [labels.unit(u) for u in values["unit"]],
            "worker_years_gained": values["worker_years_gained"].to_numpy(dtype=float),
            "per_yi": values["per_yi"].to_numpy(dtype=float),
            "binds": [labels.yes_no(b) for b in values["binds"]],
        },
        columns=["limit_words", "extra", "unit", "worker_years_gained", "per_yi", "binds"],
    )
