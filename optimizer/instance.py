"""The resolved instance: every number the model, the diagnosis and the baseline need.

`prepare(data, scenario)` applies the scenario to the workbook once: budgets, quotas,
headroom, PPP room, sector shares, settings, per-project figures, the displaced stock by year
and who can reach whom. Every consumer takes the frozen `Instance`, so no consumer re-reads
the scenario or the settings sheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

import numpy as np
import pandas as pd

from .loader import PlanningData, check_planning_data
from .scenario import Scenario

EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance between two points on the Earth's surface (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distances_km(regions: pd.DataFrame) -> np.ndarray:
    """Great-circle distance between every pair of region centres (0 on the diagonal)."""
    lat, lon = regions["lat"].to_numpy(float), regions["lon"].to_numpy(float)
    n = len(regions)
    out = np.zeros((n, n))
    for r in range(n):
        for e in range(r + 1, n):
            out[r, e] = out[e, r] = great_circle_km(lat[r], lon[r], lat[e], lon[e])
    return out


def reach(km: np.ndarray, commute_km: float) -> tuple[tuple[int, int], ...]:
    """(work region, home region) position pairs within commuting distance (self included)."""
    n = len(km)
    return tuple(
        (r, e) for r in range(n) for e in range(n) if r == e or km[r, e] <= commute_km + 1e-9
    )


def start_options(projects: pd.DataFrame, years: list[int]) -> list[list[int]]:
    """The years each project may start and still finish inside the horizon."""
    if not years:
        return [[] for _ in range(len(projects))]
    first, last = years[0], years[-1]
    options = []
    for early, late, duration in zip(
        projects["earliest_start"],
        projects["latest_start"],
        projects["duration_years"],
        strict=True,
    ):
        low = first if pd.isna(early) else max(first, int(early))
        high = last - int(duration) + 1
        if not pd.isna(late):
            high = min(int(late), high)
        options.append(list(range(low, high + 1)))
    return options


def layoff_batches(data: PlanningData) -> pd.DataFrame:
    """The layoff batches B of model.md: one row per displacement row (region, region_at,
    workers, year, earliest, latest, sector). Without a displacement sheet each region's
    displaced_workers are one batch laid off in the year before the first planning year
    (jobless from the first year on, as version 2 read it)."""
    names = ["region", "region_at", "workers", "year", "earliest", "latest", "sector"]
    years = data.planning_years
    regions = data.regions["region"].tolist()
    at = {r: i for i, r in enumerate(regions)}
    if not years:
        return pd.DataFrame(columns=names)
    if not data.has_displacement_schedule:
        before = years[0] - 1
        rows = [
            (r, at[r], float(n), before, before, before, "")
            for r, n in zip(regions, data.regions["displaced_workers"], strict=True)
            if float(n) > 0
        ]
        return pd.DataFrame(rows, columns=names)
    d = data.displacement
    year = d["year"].astype(int)
    earliest = d["earliest_year"].astype(int) if "earliest_year" in d else year
    latest = d["latest_year"].astype(int) if "latest_year" in d else year
    sector = d["sector"].astype(str) if "sector" in d else pd.Series([""] * len(d))
    return pd.DataFrame(
        {
            "region": d["region"].to_numpy(),
            "region_at": d["region"].map(at).to_numpy(dtype=int),
            "workers": d["workers"].to_numpy(dtype=float),
            "year": year.to_numpy(),
            "earliest": earliest.to_numpy(),
            "latest": latest.to_numpy(),
            "sector": sector.to_numpy(),
        },
        columns=names,
    )


def displaced_new(data: PlanningData, batches: pd.DataFrame | None = None) -> np.ndarray:
    """Workers displaced in each planning year as planned, region × year; layoffs dated
    before the horizon are shown in the first year (the version 2 reading, for reports).
    batches: layoff_batches(data), when the caller has them already."""
    years = data.planning_years
    out = np.zeros((len(data.regions), len(years)))
    b = layoff_batches(data) if batches is None else batches
    for r, year, workers in zip(
        b["region_at"].tolist(), b["year"].tolist(), b["workers"].tolist(), strict=True
    ):
        out[int(r), min(max(int(year) - years[0], 0), len(years) - 1)] += float(workers)
    return out


def exposure_matrix(
    first_year: int, n_years: int, first_layoff_year: int, rate: float, layoff_share: float
) -> np.ndarray:
    """C with D(t) = C @ L: planning year × layoff year (from first_layoff_year to the last
    planning year). A layoff in year s counts layoff_share in s itself when s is a planning
    year, and (1 − rate)^(t − s) in each later year t."""
    n_ext = first_year + n_years - first_layoff_year
    out = np.zeros((n_years, n_ext))
    for k in range(n_years):
        t = first_year + k
        for j in range(n_ext):
            s = first_layoff_year + j
            if s == t:
                out[k, j] = layoff_share
            elif s < t:
                out[k, j] = (1.0 - rate) ** (t - s)
    return out


@dataclass(frozen=True)
class Instance:
    """One planning problem with the scenario applied: all numbers, nothing left to resolve.

    Money in 亿元, people in persons, per year in planning-year order, per region in the
    regions sheet's order. `projects` has one row per project (by position): region_at,
    sector, capex, duration, build_jobs (persons held in each build year), operating_jobs
    (persons each year after completion), skill_match, budget/bond/private money,
    ppp_payment (亿元/year once in service), government_pay, starts, forced_in, forced_out.
    """

    data: PlanningData
    scenario: Scenario  # resolved: every field filled
    years: tuple[int, ...]
    regions: tuple[str, ...]
    fiscal_budget: MappingProxyType  # year → 亿元
    bond_quota: MappingProxyType  # year → 亿元
    debt_headroom: MappingProxyType  # region → 亿元
    ppp_line: MappingProxyType  # region → 亿元/year at the 10 % line (ppp_cap_share)
    government_pay_line: MappingProxyType  # region → 亿元/year at the 5 % line
    ppp_room: MappingProxyType  # region → new PPP payments the 10 % line still allows
    government_pay_room: MappingProxyType  # region → new government-pay payments allowed
    sector_shares: MappingProxyType  # sector → (min, max)
    projects: pd.DataFrame
    distance_km: np.ndarray  # region × region
    reach: tuple[tuple[int, int], ...]  # (work region, home region)
    displaced_new: np.ndarray  # region × year: displaced in that year as planned
    displaced_stock: np.ndarray  # region × year: displaced by then as planned
    year_weight: tuple[float, ...]  # (1 + discount_rate)^-(t - first year)
    # Version 3: exposure, training, pace of layoffs, PPP rules as written (docs/model.md).
    training_budget: MappingProxyType  # year → 亿元
    baseline_rate: np.ndarray  # region: h_e, the yearly re-employment without the programme
    layoff_cap: np.ndarray  # region: most layoffs a year when paced (inf: no cap)
    batches: pd.DataFrame  # layoff_batches(), plus `paced` (the model chooses the year)
    first_layoff_year: int  # the first column of the layoff-year axis (≤ first year − 1)
    exposure_coefficients: tuple[np.ndarray, ...]  # per region: exposure_matrix()
    ppp_closed: MappingProxyType  # region → True when existing commitments exceed the line

    @property
    def layoff_years(self) -> range:
        """The layoff-year axis: from the earliest batch (or the year before the horizon)
        to the last planning year."""
        return range(self.first_layoff_year, self.years[-1] + 1 if self.years else 0)

    def planned_layoffs(self) -> np.ndarray:
        """Workers laid off as planned, batch × layoff year (every batch in its `year`)."""
        out = np.zeros((len(self.batches), len(self.layoff_years)))
        for b, (workers, year) in enumerate(
            zip(self.batches["workers"], self.batches["year"], strict=True)
        ):
            out[b, int(year) - self.first_layoff_year] = float(workers)
        return out

    def layoffs_by_region(self, by_batch: np.ndarray) -> np.ndarray:
        """Batch × layoff year summed to region × layoff year (L_e(s))."""
        out = np.zeros((len(self.regions), by_batch.shape[1]))
        for b, e in enumerate(self.batches["region_at"]):
            out[int(e)] += by_batch[b]
        return out

    def exposure(self, by_batch: np.ndarray) -> np.ndarray:
        """D_e(t), region × planning year, of layoffs batch × layoff year."""
        by_region = self.layoffs_by_region(by_batch)
        return np.array(
            [c @ by_region[e] for e, c in enumerate(self.exposure_coefficients)]
        ).reshape(len(self.regions), len(self.years))

    def trainable_jobs_by_year(self, starts: dict[int, int]) -> np.ndarray:
        """Jobs a displaced worker can take after training (trained_skill_match above the
        project's skill_match, floored at 0), region × year."""
        return self._by_region_year(starts, skill=False, weights=self.column("trainable_share"))

    def setting(self, name: str) -> float:
        """A resolved setting (commute_km, other_jobs_weight, discount_rate, ...)."""
        return float(getattr(self.scenario, name))

    def column(self, name: str) -> list:
        """One column of `projects` as a plain list, by position: the model's loops read
        every project's figures, and pandas' scalar access costs microseconds a call."""
        columns = self._columns
        if name not in columns:
            columns[name] = self.projects[name].tolist()
        return columns[name]

    @cached_property
    def _columns(self) -> dict[str, list]:
        return {}

    @cached_property
    def _durations(self) -> list[int]:
        return self._rates.duration.tolist()

    @cached_property
    def _rates(self) -> _Rates:
        duration = self.projects["duration"].to_numpy(dtype=np.int64)
        return _Rates(
            duration=duration,
            budget=self.projects["budget_money"].to_numpy(dtype=float) / duration,
            bonds=self.projects["bond_money"].to_numpy(dtype=float) / duration,
            payment=self.projects["ppp_payment"].to_numpy(dtype=float),
            ppp=self.projects["ppp"].to_numpy(dtype=bool),
        )

    def build_years(self, position: int, start: int) -> range:
        """Year positions in which the project is built when it starts in `start`, one
        project at a time (the model reads many at once: year_masks, from the same
        durations)."""
        k = start - self.years[0]
        return range(k, k + self._durations[position])

    def operating_years(self, position: int, start: int) -> range:
        """Year positions from completion to the end of the horizon."""
        return range(self.build_years(position, start).stop, len(self.years))

    def year_masks(
        self, positions: np.ndarray, starts: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(built, in service): for projects `positions` started in `starts` (one column
        each), column × planning year, True in its build years (build_years) and in the
        years from completion on (operating_years)."""
        first = np.asarray(starts, dtype=np.int64) - (self.years[0] if self.years else 0)
        done = first + self._rates.duration[positions]
        k = np.arange(len(self.years))
        return (k >= first[:, None]) & (k < done[:, None]), k >= done[:, None]

    def money_of_starts(
        self, positions: np.ndarray, starts: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(fiscal budget used, bond quota used), column × planning year, by projects
        `positions` started in `starts`: budget and bond money spread evenly over the build
        years, then the PPP payment each year in service (social capital is not free money:
        the payment is charged to the fiscal budget). The one home of money used per year:
        the model's rows, the report, the reasons and the baseline all read it."""
        rates = self._rates
        positions = np.asarray(positions, dtype=np.int64)
        built, in_service = self.year_masks(positions, starts)
        payment = rates.payment[positions]
        paying = in_service & (payment > 0)[:, None]
        budget = np.where(
            built, rates.budget[positions][:, None], np.where(paying, payment[:, None], 0.0)
        )
        return budget, np.where(built, rates.bonds[positions][:, None], 0.0)

    def money_by_year(self, starts: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """(fiscal budget used, bond quota used) in each planning year by a portfolio
        {position: start year}, PPP payments in service included in the budget."""
        if not starts:
            return np.zeros(len(self.years)), np.zeros(len(self.years))
        budget, bonds = self.money_of_starts(list(starts), list(starts.values()))
        # Added project by project, in the portfolio's order (accumulate adds in sequence).
        return np.add.accumulate(budget)[-1], np.add.accumulate(bonds)[-1]

    def ppp_of_starts(self, positions: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """PPP fiscal responsibilities, column × planning year, of projects `positions`
        started in `starts` (0 for a project that is not a PPP): the budget money it takes
        while built (the build-year outlay of model.md 5a), then its payment each year in
        service; money_of_starts's fiscal budget, so the two cannot differ."""
        positions = np.asarray(positions, dtype=np.int64)
        budget, _ = self.money_of_starts(positions, starts)
        counted = self._rates.ppp[positions][:, None] & (budget > 0)
        return np.where(counted, budget, 0.0)

    def ppp_by_year(self, starts: dict[int, int]) -> np.ndarray:
        """New PPP fiscal responsibilities of a portfolio {position: start year}, region ×
        planning year (5a: build-year outlays and payments in service)."""
        out = np.zeros((len(self.regions), len(self.years)))
        if starts:
            table = self.ppp_of_starts(list(starts), list(starts.values()))
            region_at = self.projects["region_at"].to_numpy(dtype=np.int64)[list(starts)]
            np.add.at(out, region_at, table)  # in the portfolio's order, unbuffered
        return out

    def jobs_by_year(self, starts: dict[int, int]) -> np.ndarray:
        """Jobs held in each region and year by a portfolio {position: start year}."""
        return self._by_region_year(starts, skill=False)

    def open_jobs_by_year(self, starts: dict[int, int]) -> np.ndarray:
        """Jobs displaced workers can take (skill_match applied), region × year."""
        return self._by_region_year(starts, skill=True)

    def _by_region_year(
        self, starts: dict[int, int], skill: bool, weights: list | None = None
    ) -> np.ndarray:
        out = np.zeros((len(self.regions), len(self.years)))
        skill_match, region_at = self.column("skill_match"), self.column("region_at")
        build_jobs, operating_jobs = self.column("build_jobs"), self.column("operating_jobs")
        durations, first = self.column("duration"), self.years[0]
        for i, s in starts.items():
            weight = float(skill_match[i]) if skill else 1.0
            if weights is not None:
                weight = float(weights[i])
            r, k = int(region_at[i]), s - first
            done = k + int(durations[i])  # the same sums as build_years/operating_years
            out[r, k:done] += weight * float(build_jobs[i])
            out[r, done:] += weight * float(operating_jobs[i])
        return out


@dataclass(frozen=True)
class _Rates:
    """Per project, by position, read once: the arrays behind money_of_starts and build_years."""

    duration: np.ndarray  # years
    budget: np.ndarray  # budget money per build year, 亿元
    bonds: np.ndarray  # bond money per build year, 亿元
    payment: np.ndarray  # PPP payment per year in service, 亿元
    ppp: np.ndarray  # a PPP project


def _frozen(mapping: dict) -> MappingProxyType:
    return MappingProxyType(dict(mapping))


def project_table(data: PlanningData, scenario: Scenario) -> pd.DataFrame:
    """Per project figures under a scenario (see `Instance`)."""
    p = data.projects
    region_at = {r: i for i, r in enumerate(data.regions["region"].tolist())}
    capex = p["capex"].to_numpy(dtype=float)
    skill_match = p["skill_match"].to_numpy(dtype=float)
    # A PPP project: social capital in it, or a yearly government payment (model.md, Sets).
    payment = p["ppp_annual_payment"].to_numpy(dtype=float)
    is_ppp = (p["private_share"].to_numpy(dtype=float) > 0) | (payment > 0)
    given = p["ppp_mechanism"].astype(str).to_numpy()
    mechanism = np.where(given != "", given, np.where(payment > 0, "viability_gap", "user_pay"))
    options = start_options(p, data.planning_years)
    # Rule 7 (国办函〔2023〕115号): from ppp_user_pay_only_from a new PPP must be user-pay
    # with no annual payment; its earlier start years stay open.
    from_year = float(scenario.ppp_user_pay_only_from)
    pure_user_pay = (mechanism == "user_pay") & (payment <= 0)
    kept = [
        [t for t in years if not (ppp and not pure and t >= from_year)]
        for years, ppp, pure in zip(options, is_ppp, pure_user_pay, strict=True)
    ]
    starts = np.empty(len(kept), dtype=object)  # a list per project, not a 2-D array
    for i, years in enumerate(kept):
        starts[i] = years
    forced_in, forced_out = set(scenario.forced_in), set(scenario.forced_out)
    # One constructor: each column set afterwards would cost pandas' checks and a copy.
    return pd.DataFrame(
        {
            "project_id": p["project_id"].to_numpy(),
            "region": p["region"].to_numpy(),
            "region_at": np.array([region_at[r] for r in p["region"].tolist()], dtype=int),
            "sector": p["sector"].to_numpy(),
            "capex": capex,
            "duration": p["duration_years"].to_numpy(dtype=int),
            "build_jobs": capex * p["jobs_per_yi"].to_numpy(dtype=float),
            "operating_jobs": p["operating_jobs"].to_numpy(dtype=float),
            "skill_match": skill_match,
            "budget_money": capex * p["budget_share"].to_numpy(dtype=float),
            "bond_money": capex * p["bond_share"].to_numpy(dtype=float),
            "private_money": capex * p["private_share"].to_numpy(dtype=float),
            "ppp_payment": payment,
            "ppp": is_ppp,
            "mechanism": np.where(is_ppp, mechanism, ""),
            "government_pay": is_ppp & (mechanism == "government_pay"),
            "trainable_share": np.maximum(0.0, float(scenario.trained_skill_match) - skill_match),
            "user_pay_blocked": [
                bool(before) and not after for before, after in zip(options, kept, strict=True)
            ],
            "starts": starts,
            "forced_in": (p["mandatory"] | p["project_id"].isin(forced_in)).to_numpy(),
            "forced_out": (p["excluded"] | p["project_id"].isin(forced_out)).to_numpy(),
        }
    )


def prepare(data: PlanningData, scenario: Scenario | None = None) -> Instance:
    """Apply a scenario (None: the workbook's own settings) to the workbook, once.

    Raises ScenarioError when the scenario names projects or years the workbook lacks.
    """
    data = check_planning_data(data)
    sc = Scenario.of(scenario).resolved(data)
    years = data.planning_years
    regions = data.regions
    ids = regions["region"].tolist()
    budget = {y: float(v) * sc.fiscal_budget_scale for y, v in sc.fiscal_budget if y in years}
    quota = {y: float(v) * sc.bond_quota_scale for y, v in sc.bond_quota if y in years}
    expenditure = regions["general_budget_expenditure"].to_numpy(float)
    existing = regions["existing_ppp_payments"].to_numpy(float)
    line = sc.ppp_cap_share * expenditure
    pay_line = sc.ppp_government_pay_share * expenditure
    batches = layoff_batches(data)
    new = displaced_new(data, batches)
    rate = float(sc.discount_rate)
    km = distances_km(regions)
    batches["paced"] = bool(sc.pace_layoffs) & (batches["latest"] > batches["earliest"])
    first_layoff = min([years[0] - 1, *batches["year"].astype(int)]) if years else 0
    empty = pd.Series(np.nan, index=regions.index)
    own_rate = regions.get("baseline_reemployment_rate", empty).astype(float)
    baseline_rate = own_rate.fillna(float(sc.baseline_reemployment_rate)).to_numpy(float)
    cap = regions.get("max_layoffs_per_year", empty).astype(float).fillna(np.inf).to_numpy(float)
    training = {y: float(v) * sc.training_budget_scale for y, v in sc.training_budget if y in years}
    return Instance(
        data=data,
        scenario=sc,
        years=tuple(years),
        regions=tuple(ids),
        fiscal_budget=_frozen(budget),
        bond_quota=_frozen(quota),
        debt_headroom=_frozen(
            zip(ids, regions["debt_headroom"].to_numpy(float) * sc.debt_headroom_scale, strict=True)
        ),
        ppp_line=_frozen(zip(ids, line, strict=True)),
        government_pay_line=_frozen(zip(ids, pay_line, strict=True)),
        ppp_room=_frozen(zip(ids, np.maximum(0.0, line - existing), strict=True)),
        government_pay_room=_frozen(zip(ids, np.maximum(0.0, pay_line - existing), strict=True)),
        sector_shares=_frozen(
            {s: (lo, dict(sc.sector_max_share)[s]) for s, lo in sc.sector_min_share}
        ),
        projects=project_table(data, sc),
        distance_km=km,
        reach=reach(km, sc.commute_km),
        displaced_new=new,
        displaced_stock=np.cumsum(new, axis=1),
        year_weight=tuple((1.0 + rate) ** -(y - years[0]) for y in years) if years else (),
        training_budget=_frozen(training),
        baseline_rate=baseline_rate,
        layoff_cap=cap,
        batches=batches,
        first_layoff_year=first_layoff,
        exposure_coefficients=tuple(
            exposure_matrix(
                years[0], len(years), first_layoff, float(h), float(sc.layoff_year_exposure)
            )
            for h in baseline_rate
        )
        if years
        else (),
        ppp_closed=_frozen(zip(ids, existing > line + 1e-12, strict=True)),
    )
