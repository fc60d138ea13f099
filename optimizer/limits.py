"""The model's limit families, as data: one row each, from which the model names its rows,
the elastic re-solve picks what may move, a kept model is re-solved by amounts alone, the
trade-off levers are read, and the words (optimizer.present.labels, keyed by `name`) are
found. Nothing here imports the rest of the package.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """A family of limits of the selection model (model.md).

    name: the family's code (a Limit's `family`; the key of its words in LIMIT_NAMES and
    FAMILY_NAMES). unit: of the limit's amount. movable: the elastic re-solve may relax it.
    over: what each row is about. row: the row's name in the model, `{n}` the position of
    that year, city, sector, group or project (and `{k}` the planning year's, for a row per
    city and year). year_row: a city's row for one planning year `{k}`, for families with a
    row per city after the horizon and one per city and year (the PPP lines). amount: the
    Instance mapping (by year or city) that gives each row's amount, for families whose rows
    change by amount alone. fields: the scenario fields that move those amounts and nothing
    else (a kept model is re-solved, not rebuilt). lever: the scenario field a frontier
    moves for this family (None: no lever); is_scale: that field multiplies the workbook's
    amounts; total: the Instance mapping summed for the lever's amount in 亿元. setting: the
    scenario setting that is the family's line (a share of general budget spending).
    """

    name: str
    unit: str
    movable: bool
    over: str  # what a row is about: year, region, region-year, sector, project, group, portfolio
    row: str
    amount: str | None = None
    fields: tuple[str, ...] = ()
    lever: str | None = None
    is_scale: bool = False
    total: str | None = None
    year_row: str | None = None
    setting: str | None = None

    def row_name(self, n: int | None = None, k: int | None = None) -> str:
        row = self.year_row if k is not None and self.year_row is not None else self.row
        return row.format(n=n, k=k)

    @property
    def rows(self) -> tuple[str, ...]:
        """Every row-name pattern of the family."""
        return (self.row,) if self.year_row is None else (self.row, self.year_row)


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family("forced_in", "project", True, "project", "forced_in_p{n}"),
        Family("forced_out", "project", True, "project", "forced_out_p{n}"),
        Family("exclusive_group", "project", False, "group", "group_g{n}"),
        Family(
            "fiscal_budget",
            "亿元",
            True,
            "year",
            "fiscal_budget_y{n}",
            amount="fiscal_budget",
            fields=("fiscal_budget", "fiscal_budget_scale"),
            lever="fiscal_budget_scale",
            is_scale=True,
            total="fiscal_budget",
        ),
        Family(
            "bond_quota",
            "亿元",
            True,
            "year",
            "bond_quota_y{n}",
            amount="bond_quota",
            fields=("bond_quota", "bond_quota_scale"),
            lever="bond_quota_scale",
            is_scale=True,
            total="bond_quota",
        ),
        Family(
            "debt_headroom",
            "亿元",
            True,
            "region",
            "debt_headroom_r{n}",
            amount="debt_headroom",
            fields=("debt_headroom_scale",),
            lever="debt_headroom_scale",
            is_scale=True,
            total="debt_headroom",
        ),
        # The PPP lines hold in every planning year (build-year outlays counted) and after
        # the horizon (model.md 5a, 5b, 6). A moved line changes which cities are closed
        # (5c) and the government-pay switch's coefficient: the model is rebuilt, so these
        # rows have no amount to re-solve by.
        Family(
            "ppp_line",
            "亿元/year",
            True,
            "region",
            "ppp_line_r{n}",
            lever="ppp_cap_share",
            total="ppp_line",
            year_row="ppp_line_r{n}_y{k}",
            setting="ppp_cap_share",
        ),
        Family(
            "government_pay_line",
            "亿元/year",
            True,
            "region",
            "government_pay_line_r{n}",
            year_row="government_pay_line_r{n}_y{k}",
            setting="ppp_government_pay_share",
        ),
        # 5c: a city above its 10 % line adds no PPP project (严禁新项目入库); not a budget
        # a planner moves.
        Family("ppp_closed", "project", False, "region", "ppp_closed_r{n}"),
        Family("sector_min", "亿元", True, "sector", "sector_min_s{n}"),
        Family("sector_max", "亿元", True, "sector", "sector_max_s{n}"),
        Family("ppp_share_min", "亿元", True, "portfolio", "ppp_share_min"),
        Family("ppp_share_max", "亿元", True, "portfolio", "ppp_share_max"),
        Family("coverage_floor", "worker-years", True, "region", "coverage_floor_r{n}"),
        # Training money by year (model.md 11); rows only in years with a budget. A frontier
        # moves it, but the trainee variables exist only in years with money: no amount to
        # re-solve by, so each point is rebuilt.
        Family(
            "training_budget",
            "亿元",
            True,
            "year",
            "training_budget_y{n}",
            lever="training_budget_scale",
            is_scale=True,
            total="training_budget",
        ),
        # With paced layoffs: at most max_layoffs_per_year in a city and year (model.md 13).
        Family("layoff_cap", "persons", True, "region-year", "layoff_cap_r{n}_y{k}"),
    )
}

# Families the elastic re-solve may relax.
MOVABLE = tuple(name for name, f in FAMILIES.items() if f.movable)
# Scenario fields whose change moves limit amounts only: a kept model is re-solved.
MONEY_FIELDS = tuple(field for f in FAMILIES.values() for field in f.fields)
