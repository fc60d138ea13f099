"""Why, in a planner's words: the limits a portfolio meets, the reason each project is left
out, and what each trade-off analysis concludes (one sentence a planner can paste into a
memo; the numbers are optimizer.conclusions'). Plain functions of a result and a Labels; the
app, the figures, the command line and the Excel shortlist all call them, so they say the
same thing."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .. import conclusions
from ..precision import Difference, rounded
from ..solution import Solution
from ..tradeoffs import LEVERS, Robustness
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


def limit_values_family_note(values: pd.DataFrame, labels: Labels) -> str | None:
    """The families whose limits were told apart from nothing together, not one by one (the
    rows with `alone` False), named in a sentence; None when every row was re-solved alone."""
    if "alone" not in values.columns:
        return None
    together = values.loc[~values["alone"].astype(bool), "limit"]
    if together.empty:
        return None
    names = labels.clauses(labels.lever(f) for f in dict.fromkeys(together))
    return labels("limit_values_family_note", families=names)


# ---------------------------------------------------------------------------- conclusions


def quoted(value: float) -> str:
    """A rate as a planner quotes it: two significant digits, thousands separated."""
    value = conclusions.significant(value)
    if not math.isfinite(value):
        return "—"
    places = 0 if value == 0 else max(0, 1 - math.floor(math.log10(abs(value))))
    return f"{value:,.{places}f}"


def lever_amount(value: float, sign: bool = False) -> str:
    """A lever's amount in its unit: whole 亿元 from 10 up, else the decimals that tell it
    apart (a training budget of 3 亿元 moves by 0.3, which whole 亿元 would say as 0)."""
    size = abs(value)
    places = 0 if size == 0 or size >= 10 else 1 if size >= 0.1 else 2
    return f"{value:{'+' if sign else ''},.{places}f}".replace("-", "−")


def setting_words(lever: str, value: float, labels: Labels) -> str:
    """A lever's setting as a planner says it: 1.3× the current amount, a line of 12 %,
    40 km."""
    spec = LEVERS[lever]
    if spec.is_scale:
        return labels("setting_scale", value=f"{value:.2g}")
    if lever == "ppp_line":
        return labels("setting_share", value=f"{value:.0%}")
    return labels("setting_km", value=f"{value:g}")


def _count(value: float, labels: Labels) -> str:
    """Worker-years as a sentence shows them: 万 in Chinese (the unit follows in the words)."""
    return labels.people(value, "").strip()


def frontier_sentence(table: pd.DataFrame, labels: Labels) -> str:
    """Where more of the frontier's lever stops paying, in one or two sentences; then, when
    more of it shows fewer worker-years because the objective also counts other jobs, where
    and why."""
    found = conclusions.saturation(table)
    if found is None:
        here = bool(table["current"].any()) if "current" in table.columns else False
        return _with_trade(labels("frontier_unread" if here else "frontier_off"), table, labels)
    unit = labels.unit(found.unit)
    lever = labels.lever(found.lever)
    average = quoted(found.average)
    threshold = quoted(found.threshold)
    low = setting_words(found.lever, found.low_setting, labels)
    if found.flat:
        top = setting_words(found.lever, found.top_setting, labels)
        return _with_trade(labels("frontier_flat", lever=lever, low=low, top=top), table, labels)
    if found.setting is None:
        top = setting_words(found.lever, found.top_setting, labels)
        pays = labels(
            "frontier_pays",
            lever=lever,
            top=top,
            unit=unit,
            threshold=threshold,
            average=average,
            low=low,
        )
        return _with_trade(pays, table, labels)
    where = setting_words(found.lever, found.setting, labels)
    if found.unit != "km":  # the setting is not the amount itself: both are said
        where = labels(
            "setting_amount",
            setting=where,
            amount=lever_amount(found.amount),
            unit=unit,
            change=lever_amount(found.change, sign=True),
        )
    sentence = labels(
        "frontier_stops",
        lever=lever,
        where=where,
        unit=unit,
        threshold=threshold,
        average=average,
        low=low,
    )
    if found.past:
        sentence += " " + labels("frontier_past") if not labels.zh else labels("frontier_past")
    return _with_trade(sentence, table, labels)


def _with_trade(sentence: str, table: pd.DataFrame, labels: Labels) -> str:
    """The sentence, and when more of the lever shows fewer worker-years because the
    objective also counts other jobs, the step that does and why (conclusions.jobs_trade)."""
    trade = conclusions.jobs_trade(table)
    if trade is None:
        return sentence
    said = [
        labels(
            "frontier_jobs_trade",
            low=setting_words(trade.lever, trade.low_setting, labels),
            high=setting_words(trade.lever, trade.high_setting, labels),
            before=_count(trade.worker_years_before, labels),
            after=_count(trade.worker_years_after, labels),
            gained=_count(trade.job_years_gained, labels),
            weight=f"{trade.weight:g}",
            weighted=_count(trade.weighted_gain, labels),
        )
    ]
    if trade.fall.within_precision:
        said.append(labels("frontier_trade_within", bound=f"{trade.fall.tolerance:,.0f}"))
    if trade.steps > 1:
        said.append(labels("frontier_trade_steps", steps=trade.steps))
    said.append(labels("frontier_trade_fix"))
    return ("" if labels.zh else " ").join([sentence, *said])


def _gain(change: Difference | None, labels: Labels) -> str:
    if change is None:
        return labels("grid_no_portfolio")
    shown = Difference(rounded(change.value, change.tolerance), change.tolerance)
    return labels.difference(shown, labels("worker_years_unit"))


def grid_sentence(grid: pd.DataFrame, labels: Labels) -> str:
    """The heat map in a sentence: the current cell, each lever alone at its top, the best
    cell (the one with the least money among those alike within precision)."""
    found = conclusions.grid_reading(grid)
    if found is None:
        here = grid["current"].any() if "current" in grid.columns else False
        return labels("grid_unread" if here else "grid_off")
    return labels(
        "grid_says",
        current=labels.worker_years(found.current) if labels.zh else _count(found.current, labels),
        x=labels.lever(found.lever_x),
        y=labels.lever(found.lever_y),
        top_x=setting_words(found.lever_x, found.top_x, labels),
        top_y=setting_words(found.lever_y, found.top_y, labels),
        gain_x=_gain(found.gain_x, labels),
        gain_y=_gain(found.gain_y, labels),
        best_x=setting_words(found.lever_x, found.best_x, labels),
        best_y=setting_words(found.lever_y, found.best_y, labels),
        best=labels.worker_years(found.best) if labels.zh else _count(found.best, labels),
        gain_best=_gain(found.gain_best, labels),
    )


def robustness_sentences(result: Robustness, solution: Solution, labels: Labels) -> list[str]:
    """The draws in two sentences: how many projects they keep, and why their median
    differs from the headline (each draw is a different world), with the numbers."""
    found = conclusions.robustness_reading(result, solution)
    if found is None:
        return [labels("robust_unread")]
    classes = labels(
        "robust_classes",
        draws=found.draws,
        solved=found.solved,
        core=found.core,
        borderline=found.borderline,
        outside=found.outside,
    )
    change = found.difference
    values = dict(
        median=_count(found.median, labels),
        headline=_count(found.headline, labels),
        solved=found.solved,
        below=found.below,
        spread=f"{found.spread:.0%}",
        overrun=f"{found.overrun:.0%}",
        mean=f"{found.mean_overrun:.0%}",
    )
    if change.within_precision:
        bound = _count(rounded(change.tolerance, change.tolerance), labels)
        return [classes, labels("robust_same", bound=bound, **values)]
    size = _count(rounded(abs(change.value), change.tolerance), labels)
    relative = f"{abs(found.relative):.1%}"
    key = "robust_below" if change.value < 0 else "robust_above"
    sentence = labels(key, change=size, relative=relative, **values)
    if found.rate_spread > 0:  # the cities' baseline rates are drawn too: said, or unexplained
        rates = labels("robust_rates", rate=f"{found.rate_spread:.0%}")
        sentence += rates if labels.zh else " " + rates
    return [classes, sentence]


def entry_sentence(break_even: pd.DataFrame, solution: Solution, labels: Labels) -> str:
    """The entry thresholds in a sentence: the project left out closest to entering, in
    jobs per 亿元 (per build year, the workbook's unit) it would need against what it has,
    and how many no number of jobs brings in."""
    thresholds = conclusions.entry_thresholds(break_even, solution.not_chosen)
    jobs = thresholds["extra_jobs_needed"].astype(float)
    never = int(np.isinf(jobs).sum())
    within = int(thresholds["within_gap"].astype(bool).sum())
    count = len(thresholds)
    nearest = conclusions.nearest_entry(thresholds)
    if nearest is None:
        return labels("entry_none", never=never, count=count, within=within)
    info = solution.not_chosen.set_index("project_id").loc[nearest["project_id"]]
    has, needed = float(nearest["jobs_per_yi"]), float(nearest["jobs_per_yi_needed"])
    return labels(
        "entry_nearest",
        project=nearest["project_id"],
        name=info["name"],
        city=labels.city(info["region"]),
        needed=quoted(needed),
        has=quoted(has),
        rise=f"{needed / has - 1:+.0%}",
        never=never,
        count=count,
        within=within,
    )
