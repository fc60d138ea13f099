"""Saved scenarios side by side: their figures, the inputs that differ, and the projects
that enter, leave or move between two plans."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..solution import Changes, Solution
from .formats import share
from .labels import Labels

# The headline figures compared side by side: (headline key, label key, how it is shown:
# "count" with separators (万 in Chinese), "money" in 亿元 with one decimal, "ratio" with one
# decimal, "share" as a percentage).
COMPARED = (
    ("worker_years", "worker_years", "count"),
    ("jobless_worker_years", "jobless_left", "count"),
    ("trainees", "trainees_short", "count"),
    ("reemployed_peak", "reemployed", "count"),
    ("job_years", "job_years", "count"),
    ("projects", "projects", "count"),
    ("capex", "capex", "money"),
    ("job_years_per_yi", "job_years_per_yi", "ratio"),
    ("debt_used", "debt_used", "money"),
    ("worst_ppp_ratio", "worst_ppp_short", "share"),
)


def _compared_label(key: str, word: str, kind: str, h: dict[str, float], labels: Labels) -> str:
    if key == "reemployed_peak":
        return labels(word) + f" ({int(h['peak_year'])})"
    return labels(word) + (" (亿元)" if kind == "money" else "")


def _compared_rows(saved: dict[str, Solution], labels: Labels) -> dict[str, dict[str, tuple]]:
    """{scenario: {row label: (kind, value)}} in COMPARED's order."""
    rows = {}
    for name, solution in saved.items():
        h = solution.headline()
        rows[name] = {
            _compared_label(key, word, kind, h, labels): (kind, h[key])
            for key, word, kind in COMPARED
        }
    return rows


def compare_table(saved: dict[str, Solution], labels: Labels) -> pd.DataFrame:
    """The headline figures of saved scenarios side by side (one column a scenario), as
    numbers; `compare_shown` formats them for the page."""
    rows = _compared_rows(saved, labels)
    return pd.DataFrame({name: {k: v for k, (_, v) in row.items()} for name, row in rows.items()})


def compare_shown(saved: dict[str, Solution], labels: Labels) -> pd.DataFrame:
    """`compare_table` formatted for reading: counts with separators (万 in Chinese), money
    and ratios with one decimal, the PPP ratio as a percentage."""
    rows = _compared_rows(saved, labels).values()
    kinds = {label: kind for row in rows for label, (kind, _) in row.items()}
    shown = {
        "share": share,
        "money": lambda v: f"{v:,.1f}",
        "ratio": lambda v: f"{v:,.1f}",
        "count": lambda v: labels.people(v, "").strip(),
    }
    table = compare_table(saved, labels).astype(object)
    for label in table.index:
        table.loc[label] = [shown[kinds[label]](v) for v in table.loc[label]]
    return table


def inputs_differ(
    before: Solution, after: Solution, labels: Labels, data: Any = None
) -> pd.DataFrame:
    """The scenario inputs that differ between two solutions (Input, one column each)."""
    a, b = before.scenario, after.scenario
    if data is not None:
        a, b = a.resolved(data), b.resolved(data)
    left, right = a.to_dict(), b.to_dict()
    rows = []
    for key in left:
        if key == "name" or left.get(key) == right.get(key):
            continue
        rows.append(
            {
                "input": labels.input(key),
                "before": _plain(left[key]),
                "after": _plain(right.get(key)),
            }
        )
    return pd.DataFrame(rows, columns=["input", "before", "after"])


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, float):
        return f"{value:,.4g}"
    return "" if value is None else str(value)


def portfolio_changes(before: Solution, after: Solution, labels: Labels) -> pd.DataFrame:
    """Projects that enter, leave or move their start between two solutions."""
    a, b = before.chosen_starts, after.chosen_starts
    names = dict(zip(before.chosen["project_id"], before.chosen["name"], strict=True))
    names.update(zip(after.chosen["project_id"], after.chosen["name"], strict=True))
    changes = Changes.between(a, b)
    words = {pid: labels("entered") for pid in changes.entered}
    words.update({pid: labels("left") for pid in changes.left})
    words.update({pid: f"{labels('moved')} {a[pid]} → {b[pid]}" for pid in changes.moved})
    rows = [
        {"project_id": pid, "name": names.get(pid, ""), "change": words[pid]}
        for pid in sorted(words)
    ]
    return labels.headers(pd.DataFrame(rows, columns=["project_id", "name", "change"]))
