"""A scenario: every knob a planner turns without editing the workbook.

A field left as None takes the workbook's value. `Scenario.resolved(data)` fills every field,
so the scenario stored with a solution reproduces it exactly, with or without the workbook's
settings sheet.
"""

from __future__ import annotations

import dataclasses
import json
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import pandas as pd

from .loader import Note, PlanningData
from .schema import SECTORS, columns

SOLVERS = ("highs", "cbc")
# How a solve searches (optimizer.strategies): "auto" picks by the number of projects.
STRATEGIES = ("auto", "search", "lp_submip", "blocks")

# Settings a scenario may override, with the workbook's key of the same name.
SETTING_FIELDS = (
    "ppp_cap_share",
    "commute_km",
    "other_jobs_weight",
    "min_coverage_share",
    "ppp_min_share",
    "ppp_max_share",
    "ppp_government_pay_share",
    "ppp_warning_share",
    "discount_rate",
    "layoff_year_exposure",
    "baseline_reemployment_rate",
    "trained_skill_match",
    "training_cost",
    "training_lag_years",
    "pace_layoffs",
    "ppp_user_pay_only_from",
    "monitoring_share",
    "time_limit_s",
    "mip_gap",
)
_SHARES = (
    "ppp_cap_share",
    "min_coverage_share",
    "ppp_min_share",
    "ppp_max_share",
    "ppp_government_pay_share",
    "ppp_warning_share",
    "discount_rate",
    "layoff_year_exposure",
    "baseline_reemployment_rate",
    "trained_skill_match",
    "pace_layoffs",
    "monitoring_share",
    "mip_gap",
)
# Settings whose infinite value means "no such rule" (the workbook's key given empty).
_NO_RULE = ("ppp_user_pay_only_from",)
# The contract's upper bounds, so a scenario cannot set what a workbook may not.
_MAXIMA = {
    c.name: c.maximum
    for c in columns("settings") + columns("years")
    if c.maximum is not None and c.name not in _SHARES
}


class ScenarioError(ValueError):
    """A scenario value is out of range or names something the workbook does not have.

    The message is in English, as the command line prints it; `parts` holds each problem
    as a code and its values (optimizer.present.labels words them in either language), ()
    for one worded only in English. `where` is the file it was read from, when it matters.
    """

    def __init__(
        self,
        message: str,
        code: str = "",
        values: Mapping[str, Any] | None = None,
        *,
        parts: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = (),
        where: str = "",
    ) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        if code:
            parts = ((code, tuple((values or {}).items())),)
        self.parts = parts
        self.where = where

    def at(self, where: str) -> ScenarioError:
        """The same problem, said to come from the file `where`."""
        return ScenarioError(str(self), parts=self.parts, where=where)


class _Problems:
    """Several problems found in one pass, raised as one ScenarioError."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.parts: list[tuple[str, tuple[tuple[str, Any], ...]]] = []

    def add(self, message: str, code: str, **values: Any) -> None:
        self.messages.append(message)
        self.parts.append((code, tuple(values.items())))

    def raise_any(self) -> None:
        if self.messages:
            raise ScenarioError("; ".join(self.messages), parts=tuple(self.parts))


# JSON numbers longer than this are read as _Huge, not parsed: Python refuses integers of
# more than 4,300 digits with its own message, and no bound of the contract needs 300.
_MAX_DIGITS = 300


class _Huge(float):
    """A JSON number of hundreds of digits: infinite, with its digit count for the message."""

    digits: int = 0


def _json_number(text: str) -> float | int:
    if sum(ch.isdigit() for ch in text) > _MAX_DIGITS:
        huge = _Huge(math.copysign(math.inf, -1.0 if text.startswith("-") else 1.0))
        huge.digits = sum(ch.isdigit() for ch in text)
        return huge
    return float(text) if any(ch in text for ch in ".eE") else int(text)


def parse_json(text: str) -> Any:
    """JSON as a scenario reads it: numbers of hundreds of digits come back as _Huge (each
    field's bound then names it), and nesting too deep to read is a ScenarioError."""
    try:
        return json.loads(text, parse_int=_json_number, parse_float=_json_number)
    except RecursionError:
        raise ScenarioError(
            "the scenario JSON is nested too deeply to be a scenario (a scenario's values are "
            "numbers, texts, lists and one level of objects)",
            "json_too_deep",
        ) from None


def _typed_number(raw: str) -> float:
    """A number typed after --set key=; hundreds of digits give _Huge, as in JSON."""
    if sum(ch.isdigit() for ch in raw) > _MAX_DIGITS and raw.lstrip("+-").isdigit():
        return _json_number(raw.lstrip("+"))
    return float(raw)


def parse_json_object(text: str) -> dict[str, Any]:
    try:
        values = parse_json(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            f"the scenario is not valid JSON: {exc}",
            "not_json",
            {"reason": exc.msg, "line": exc.lineno, "column": exc.colno, "char": exc.pos},
        ) from None
    if not isinstance(values, dict):
        raise ScenarioError("the scenario JSON must be an object", "not_object")
    return values


def _bound_words(name: str) -> str:
    if name in _SHARES:
        return "between 0 and 1"
    if name in _MAXIMA:
        return f"0 to {_MAXIMA[name]:,g}"
    return "≥ 0"


def _too_long(value: Any) -> str | None:
    """'a number of N digits' for a _Huge value, else None."""
    return f"a number of {value.digits:,} digits" if isinstance(value, _Huge) else None


def _shown(value: Any) -> str:
    """A value as the planner typed it in JSON: the text "1.2" is not the number 1.2."""
    if isinstance(value, str):
        return f"the text '{value}'"
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _number(value: Any, label: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):  # numpy's too
        raise ScenarioError(
            f"{label} must be a number, got {_shown(value)}",
            "field_not_number",
            {"field": label, "got": _shown(value)},
        )
    return value


def _pairs(
    value: Mapping[Any, float] | Iterable[tuple[Any, float]] | None, key_type: type, name: str
) -> tuple:
    example = '{"2023": 250}' if key_type is int else '{"energy": 0.1}'
    if value is None:
        return ()
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ScenarioError(
            f"{name} must be an object such as {example}, got {_shown(value)}",
            "field_not_object",
            {"field": name, "example": example, "got": _shown(value)},
        )
    else:
        items = list(value)
    pairs = []
    for item in items:
        if not (isinstance(item, tuple | list) and len(item) == 2):
            raise ScenarioError(
                f"{name} must be an object such as {example}, got {_shown(value)}",
                "field_not_object",
                {"field": name, "example": example, "got": _shown(value)},
            )
        key, amount = item
        try:
            key = int(key) if key_type is int and float(key).is_integer() else key_type(key)
        except (TypeError, ValueError):
            shown = str(key) if len(str(key)) <= 20 else f"{str(key)[:20]}…"
            raise ScenarioError(
                f"{name}: '{shown}' is not a year", "not_a_year", {"field": name, "got": shown}
            ) from None
        pairs.append((key, float(_number(amount, f"{name} for {key}"))))
    return tuple(sorted(pairs))


def _ids(value: Any, name: str) -> tuple[str, ...]:
    """Project ids: a list, or one id given alone."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable) or isinstance(value, Mapping | bytes):
        raise ScenarioError(
            f"{name} must be a list of project ids, got {_shown(value)}",
            "field_not_ids",
            {"field": name, "got": _shown(value)},
        )
    items = list(value)
    if not all(isinstance(p, str | numbers.Integral) and not isinstance(p, bool) for p in items):
        raise ScenarioError(
            f"{name} must be a list of project ids, got {_shown(items)}",
            "field_not_ids",
            {"field": name, "got": _shown(items)},
        )
    return tuple(sorted({str(p) for p in items}))


@dataclass(frozen=True)
class Scenario:
    """What the planner sets. Money in 亿元; shares as fractions (0.10 is 10 %).

    fiscal_budget / bond_quota: absolute amounts by year replacing the workbook's (only the
    years given); the *_scale factors multiply the result. sector_min_share/sector_max_share
    override the sectors sheet for the sectors given. forced_in/forced_out add to the
    workbook's mandatory/excluded flags.
    """

    fiscal_budget: tuple[tuple[int, float], ...] = ()
    fiscal_budget_scale: float = 1.0
    bond_quota: tuple[tuple[int, float], ...] = ()
    bond_quota_scale: float = 1.0
    debt_headroom_scale: float = 1.0
    ppp_cap_share: float | None = None
    commute_km: float | None = None
    other_jobs_weight: float | None = None
    min_coverage_share: float | None = None
    ppp_min_share: float | None = None
    ppp_max_share: float | None = None
    ppp_government_pay_share: float | None = None
    ppp_warning_share: float | None = None
    discount_rate: float | None = None
    layoff_year_exposure: float | None = None
    baseline_reemployment_rate: float | None = None
    trained_skill_match: float | None = None
    training_cost: float | None = None
    training_lag_years: float | None = None
    pace_layoffs: float | None = None  # 1: the model paces layoffs; 0: planned years hold
    ppp_user_pay_only_from: float | None = None  # a year; inf: no such rule
    monitoring_share: float | None = None
    training_budget: tuple[tuple[int, float], ...] = ()
    training_budget_scale: float = 1.0
    sector_min_share: tuple[tuple[str, float], ...] = ()
    sector_max_share: tuple[tuple[str, float], ...] = ()
    forced_in: tuple[str, ...] = ()
    forced_out: tuple[str, ...] = ()
    solver: str = "highs"
    solve_strategy: str = "auto"
    time_limit_s: float | None = None
    mip_gap: float | None = None
    name: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        # Accept dicts and lists from callers; store hashable, ordered tuples.
        # A value of the wrong kind (from JSON or --set) is a ScenarioError, never a TypeError.
        set_ = object.__setattr__
        for name in ("fiscal_budget", "bond_quota", "training_budget"):
            set_(self, name, _pairs(getattr(self, name), int, name))
        for name in ("sector_min_share", "sector_max_share"):
            set_(self, name, _pairs(getattr(self, name), str, name))
        set_(self, "forced_in", _ids(self.forced_in, "forced_in"))
        set_(self, "forced_out", _ids(self.forced_out, "forced_out"))
        for name in (
            "fiscal_budget_scale",
            "bond_quota_scale",
            "debt_headroom_scale",
            "training_budget_scale",
        ):
            _number(getattr(self, name), name)
        for name in SETTING_FIELDS:
            if getattr(self, name) is not None:
                _number(getattr(self, name), name)
        for name in ("solver", "solve_strategy", "name"):
            if not isinstance(getattr(self, name), str):
                shown = _shown(getattr(self, name))
                raise ScenarioError(
                    f"{name} must be text, got {shown}",
                    "field_not_text",
                    {"field": name, "got": shown},
                )
        self._check()

    def _check(self) -> None:
        problems = _Problems()
        for name in (
            "fiscal_budget_scale",
            "bond_quota_scale",
            "debt_headroom_scale",
            "training_budget_scale",
            *SETTING_FIELDS,
        ):
            huge = _too_long(getattr(self, name))
            if huge:
                problems.add(
                    f"{name} must be {_bound_words(name)}, got {huge}",
                    "field_huge",
                    field=name,
                    bounds=_bound_words(name),
                    digits=getattr(self, name).digits,
                )
                continue
        for name in (
            "fiscal_budget_scale",
            "bond_quota_scale",
            "debt_headroom_scale",
            "training_budget_scale",
        ):
            value = getattr(self, name)
            if isinstance(value, _Huge):
                continue
            if not (math.isfinite(value) and value >= 0):
                problems.add(
                    f"{name} must be ≥ 0, got {value}", "field_negative", field=name, got=value
                )
        for name in SETTING_FIELDS:
            value = getattr(self, name)
            no_rule = name in _NO_RULE and value == math.inf
            if value is None or isinstance(value, _Huge) or no_rule:
                continue
            if not math.isfinite(value) or value < 0:
                problems.add(
                    f"{name} must be ≥ 0, got {value}", "field_negative", field=name, got=value
                )
            elif name in _SHARES and value > 1:
                problems.add(
                    f"{name} must be between 0 and 1, got {value}",
                    "field_share",
                    field=name,
                    got=value,
                )
            elif value > _MAXIMA.get(name, math.inf):
                problems.add(
                    f"{name} must be ≤ {_MAXIMA[name]:,g}, got {value:,g}",
                    "field_above",
                    field=name,
                    high=f"{_MAXIMA[name]:,g}",
                    got=f"{value:,g}",
                )
        if self.time_limit_s is not None and self.time_limit_s <= 0:
            problems.add(
                f"time_limit_s must be > 0, got {self.time_limit_s}",
                "time_limit",
                field="time_limit_s",
                got=self.time_limit_s,
            )
        for name in ("fiscal_budget", "bond_quota", "training_budget"):
            for year, amount in getattr(self, name):
                if math.isinf(amount) and amount > 0:
                    problems.add(
                        f"{name} for {year} must be 0 to {_MAXIMA[name]:,.0f}, got "
                        "a number too large to read",
                        "year_too_large",
                        field=name,
                        year=year,
                        high=f"{_MAXIMA[name]:,.0f}",
                    )
                elif not (math.isfinite(amount) and amount >= 0):
                    problems.add(
                        f"{name} for {year} must be ≥ 0, got {amount}",
                        "year_negative",
                        field=name,
                        year=year,
                        got=amount,
                    )
                elif amount > _MAXIMA[name]:
                    problems.add(
                        f"{name} for {year} must be ≤ {_MAXIMA[name]:,.0f}, got {amount:,g}",
                        "year_above",
                        field=name,
                        year=year,
                        high=f"{_MAXIMA[name]:,.0f}",
                        got=f"{amount:,g}",
                    )
        for name in ("sector_min_share", "sector_max_share"):
            for sector, share in getattr(self, name):
                if sector not in SECTORS:
                    problems.add(
                        f"{name}: unknown sector '{sector}' (one of {', '.join(SECTORS)})",
                        "unknown_sector",
                        field=name,
                        sector=sector,
                        sectors=", ".join(SECTORS),
                    )
                if not 0 <= share <= 1:
                    problems.add(
                        f"{name} for {sector} must be between 0 and 1, got {share}",
                        "sector_share",
                        field=name,
                        sector=sector,
                        got=share,
                    )
        both = set(self.forced_in) & set(self.forced_out)
        if both:
            ids = ", ".join(sorted(both))
            problems.add(f"projects both forced in and forced out: {ids}", "forced_both", ids=ids)
        if self.solver not in SOLVERS:
            problems.add(
                f"solver must be one of {', '.join(SOLVERS)}, got '{self.solver}'",
                "unknown_solver",
                solvers=", ".join(SOLVERS),
                got=self.solver,
            )
        if self.solve_strategy not in STRATEGIES:
            problems.add(
                f"solve_strategy must be one of {', '.join(STRATEGIES)}, "
                f"got '{self.solve_strategy}'",
                "unknown_strategy",
                strategies=", ".join(STRATEGIES),
                got=self.solve_strategy,
            )
        elif self.solver != "highs" and self.solve_strategy not in ("auto", "search"):
            problems.add(
                f"solve_strategy '{self.solve_strategy}' needs solver highs, got "
                f"'{self.solver}'",
                "strategy_needs_highs",
                strategy=self.solve_strategy,
                got=self.solver,
            )
        problems.raise_any()

    # ------------------------------------------------------------------ derived values

    def setting(self, data: PlanningData, name: str) -> float:
        """A setting's value: the scenario's when set, else the workbook's."""
        value = getattr(self, name)
        return float(data.settings[name] if value is None else value)

    def sector_shares(self, data: PlanningData) -> dict[str, tuple[float, float]]:
        """(min, max) share of the portfolio's capex for each sector."""
        # The workbook's lines as a dict: an indexed lookup per sector cost a quarter of a
        # millisecond, on every instance prepared.
        sectors = data.sectors
        table = dict(
            zip(
                sectors["sector"].tolist(),
                zip(sectors["min_share"].tolist(), sectors["max_share"].tolist(), strict=True),
                strict=True,
            )
        )
        low, high = dict(self.sector_min_share), dict(self.sector_max_share)
        return {
            s: (float(low.get(s, table[s][0])), float(high.get(s, table[s][1])))
            for s in SECTORS
        }

    def check_against(self, data: PlanningData) -> None:
        """Raise ScenarioError when the scenario names projects or years the workbook lacks."""
        ids = set(data.projects["project_id"])
        problems = _Problems()
        for name in ("forced_in", "forced_out"):
            unknown = ", ".join(p for p in getattr(self, name) if p not in ids)
            if unknown:
                problems.add(
                    f"{name}: no such project {unknown}", "no_such_project", field=name, ids=unknown
                )
        years = set(data.planning_years)
        for name in ("fiscal_budget", "bond_quota", "training_budget"):
            unknown = ", ".join(str(y) for y, _ in getattr(self, name) if y not in years)
            if unknown:
                problems.add(
                    f"{name}: {unknown} is not a planning year",
                    "not_planning_year",
                    field=name,
                    years=unknown,
                )
        shares = self.sector_shares(data)
        if sum(low for low, _ in shares.values()) > 1 + 1e-9:
            problems.add("the sectors' minimum shares add up to more than 1", "min_shares_sum")
        for sector, (low, high) in shares.items():
            if low > high:
                problems.add(
                    f"{sector}: minimum share {low} is above maximum share {high}",
                    "share_order",
                    sector=sector,
                    low=low,
                    high=high,
                )
        if self.setting(data, "ppp_min_share") > self.setting(data, "ppp_max_share"):
            problems.add("ppp_min_share is above ppp_max_share", "ppp_order")
        problems.raise_any()

    def resolved(self, data: PlanningData) -> Scenario:
        """Every field filled from the workbook, so the scenario alone reproduces a solve."""
        self.check_against(data)
        base_budget = dict(
            zip(data.years["year"].astype(int), data.years["fiscal_budget"], strict=True)
        )
        base_quota = dict(
            zip(data.years["year"].astype(int), data.years["bond_quota"], strict=True)
        )
        base_training = dict(
            zip(
                data.years["year"].astype(int),
                data.years.get("training_budget", pd.Series(0.0, index=data.years.index)),
                strict=True,
            )
        )
        base_budget.update(dict(self.fiscal_budget))
        base_quota.update(dict(self.bond_quota))
        base_training.update(dict(self.training_budget))
        shares = self.sector_shares(data)
        return dataclasses.replace(
            self,
            fiscal_budget=base_budget,
            bond_quota=base_quota,
            training_budget=base_training,
            sector_min_share={s: lo for s, (lo, _) in shares.items()},
            sector_max_share={s: hi for s, (_, hi) in shares.items()},
            **{name: self.setting(data, name) for name in SETTING_FIELDS},
        )

    @classmethod
    def of(cls, value: Any, argument: str = "scenario") -> Scenario:
        """What a caller passed as a scenario: None (the workbook's own settings), a
        Scenario, or a mapping of its fields ({"fiscal_budget_scale": 1.2}), as a notebook
        writes one. Anything else is a TypeError naming the argument."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, Mapping):
            bad = [k for k in value if not isinstance(k, str)]
            if bad:
                raise TypeError(f"{argument}: the keys must be field names, got {bad[0]!r}")
            return cls.from_dict(value)
        raise TypeError(
            f"{argument} must be a Scenario, a dict of its fields such as "
            f'{{"fiscal_budget_scale": 1.2}}, or None; got {type(value).__name__} '
            f"{_shown(value)[:60]}"
        )

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields changed (the scenario itself never changes)."""
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ serialisation

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values; `Scenario.from_dict` reads them back."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in (
                "fiscal_budget",
                "bond_quota",
                "training_budget",
                "sector_min_share",
                "sector_max_share",
            ):
                value = {str(k): v for k, v in value}
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Scenario:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            keys = ", ".join(unknown)
            raise ScenarioError(f"unknown scenario keys: {keys}", "unknown_keys", {"keys": keys})
        return cls(**dict(values))

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        values = parse_json_object(text)
        values.pop(FINGERPRINT_KEY, None)  # read_scenario_json compares it
        return cls.from_dict(values)

    def with_assignments(self, assignments: Iterable[str]) -> Scenario:
        """Apply `key=value` strings, as given on the command line.

        `fiscal_budget_scale=1.2`, `fiscal_budget.2023=250`, `sector_min_share.energy=0.1`,
        `forced_in=JS-XZ-041,JS-NJ-030`, `solver=cbc`, `solve_strategy=lp_submip`.
        """
        values = self.to_dict()
        for text in assignments:
            if "=" not in text:
                raise ScenarioError(
                    f"'{text}' is not of the form key=value", "not_key_value", {"text": text}
                )
            key, raw = (part.strip() for part in text.split("=", 1))
            name, _, sub = key.partition(".")
            if name not in values:
                raise ScenarioError(f"unknown scenario key '{name}'", "unknown_key", {"key": name})
            try:
                if sub:
                    if not isinstance(values[name], dict):
                        raise ScenarioError(
                            f"'{name}' takes no '.{sub}' part",
                            "no_part",
                            {"key": name, "part": sub},
                        )
                    values[name] = {**values[name], sub: _typed_number(raw)}
                elif name in ("forced_in", "forced_out"):
                    values[name] = [p.strip() for p in raw.split(",") if p.strip()]
                elif name in ("solver", "solve_strategy", "name"):
                    values[name] = raw
                elif isinstance(values[name], dict):
                    raise ScenarioError(
                        f"'{name}' needs a part, e.g. {name}.2023=250", "needs_part", {"key": name}
                    )
                else:
                    values[name] = (
                        None if raw.lower() in ("", "none", "default") else _typed_number(raw)
                    )
            except ValueError as exc:
                if isinstance(exc, ScenarioError):
                    raise
                raise ScenarioError(
                    f"'{text}': the value is not a number", "value_not_number", {"text": text}
                ) from None
        return Scenario.from_dict(values)


# ------------------------------------------------------------------ replaying a saved one

FINGERPRINT_KEY = "workbook_fingerprint"


@dataclass(frozen=True)
class SavedScenario:
    """A scenario read from a file (a shortlist's Scenario sheet, a JSON file), with the
    fingerprint of the workbook it was made from when the file records it."""

    scenario: Scenario
    fingerprint: str | None = None

    def other_workbook(self, data: PlanningData) -> Note | None:
        """None when the scenario was made from this workbook (or the file does not say);
        else what replaying it here carries over from the other one, with both
        fingerprints. A shortlist's scenario is resolved: its budgets by year are the old
        workbook's amounts, not scales of this one's."""
        if not self.fingerprint or self.fingerprint == data.fingerprint:
            return None
        sc = self.scenario
        carried: list[str] = []
        # Each thing carried over as a code and values too, for the labels to word.
        coded: list[tuple[str, tuple[tuple[str, Any], ...]]] = []
        for name in ("fiscal_budget", "bond_quota"):
            here = dict(zip(data.years["year"].astype(int), data.years[name], strict=True))
            differ = [
                f"{year} {amount:,.6g} (here {here[year]:,.6g})"
                if year in here
                else f"{year} {amount:,.6g} (not a year here)"
                for year, amount in getattr(sc, name)
                if year not in here or not math.isclose(amount, float(here[year]), rel_tol=1e-9)
            ]
            if differ:
                carried.append(f"{name} in 亿元 by year: {', '.join(differ)}")
                amounts = tuple(
                    (year, amount, here.get(year))
                    for year, amount in getattr(sc, name)
                    if year not in here or not math.isclose(amount, float(here[year]), rel_tol=1e-9)
                )
                coded.append(("by_year", (("field", name), ("amounts", amounts))))
        ids = set(data.projects["project_id"])
        for name in ("forced_in", "forced_out"):
            gone = [p for p in getattr(sc, name) if p not in ids]
            if gone:
                carried.append(f"{name} ids no longer in this workbook: {', '.join(gone)}")
                coded.append(("gone", (("field", name), ("ids", ", ".join(gone)))))
        for name in SETTING_FIELDS:
            value = getattr(sc, name)
            own = data.settings.get(name)
            if value is not None and own is not None and not math.isclose(value, own):
                carried.append(f"{name} {value:g} (here {own:g})")
                coded.append(("setting", (("field", name), ("value", value), ("here", own))))
        what = "; ".join(carried) if carried else "nothing that differs from this workbook"
        return Note(
            f"the scenario was made from another workbook (fingerprint {self.fingerprint[:12]}…; "
            f"this workbook's is {data.fingerprint[:12]}…); it carries over {what}",
            "other_workbook",
            (
                ("mine", self.fingerprint[:12]),
                ("here", data.fingerprint[:12]),
                ("carried", tuple(coded)),
            ),
        )


def read_scenario_json(text: str) -> SavedScenario:
    """A scenario JSON file, with the workbook fingerprint it may record beside its fields."""
    values = parse_json_object(text)
    fingerprint = values.pop(FINGERPRINT_KEY, None)
    if fingerprint is not None and not isinstance(fingerprint, str):
        shown = _shown(fingerprint)
        raise ScenarioError(
            f"{FINGERPRINT_KEY} must be text, got {shown}",
            "field_not_text",
            {"field": FINGERPRINT_KEY, "got": shown},
        )
    return SavedScenario(Scenario.from_dict(values), fingerprint)
