"""The Excel shortlist a planner takes to a meeting.

One workbook per solution: Summary, Shortlist, Not chosen, By year, By city, By sector, Limits,
Frontier (when given, with a native line chart) and Scenario (key/value rows that
`read_scenario` turns back into the Scenario, so the file alone reproduces the result).
Text from the planner's workbook that starts like a formula is written as text.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import IO, Any

import openpyxl
import pandas as pd
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ._files import Target, write_atomically
from .scenario import Scenario
from .solution import Solution

FORMULA_STARTS = ("=", "+", "-", "@")

# Number formats by kind of column.
MONEY = "#,##0.00"
JOBS = "#,##0"
SHARE = "0.0%"
PLAIN = "General"

SHEETS = {
    "en": {
        "summary": "Summary",
        "shortlist": "Shortlist",
        "not_chosen": "Not chosen",
        "by_year": "By year",
        "by_city": "By city",
        "by_sector": "By sector",
        "limits": "Limits",
        "frontier": "Frontier",
        "scenario": "Scenario",
    },
    "zh": {
        "summary": "摘要",
        "shortlist": "入选项目",
        "not_chosen": "未入选项目",
        "by_year": "分年度",
        "by_city": "分城市",
        "by_sector": "分行业",
        "limits": "约束",
        "frontier": "前沿",
        "scenario": "情景",
    },
}

# Column headers: key → (English, Chinese, number format).
COLUMNS: dict[str, tuple[str, str, str]] = {
    "project_id": ("Project ID", "项目编号", PLAIN),
    "name": ("Name", "项目名称", PLAIN),
    "sector": ("Sector", "行业", PLAIN),
    "region": ("City", "城市", PLAIN),
    "capex": ("Capex (亿元)", "投资额（亿元）", MONEY),
    "budget_money": ("Budget money (亿元)", "一般预算（亿元）", MONEY),
    "bond_money": ("Bond money (亿元)", "专项债（亿元）", MONEY),
    "private_money": ("Social capital (亿元)", "社会资本（亿元）", MONEY),
    "ppp_annual_payment": ("PPP payment (亿元/year)", "PPP年支付（亿元/年）", MONEY),
    "ppp_mechanism": ("PPP mechanism", "PPP付费机制", PLAIN),
    "duration_years": ("Build years", "建设年限", "0"),
    "skill_match": ("Skill match", "技能匹配度", SHARE),
    "build_jobs": ("Jobs while built", "建设期岗位", JOBS),
    "operating_jobs": ("Jobs once running", "运营期岗位", JOBS),
    "job_years": ("Job-years", "就业人年", JOBS),
    "open_job_years": ("Job-years open to displaced workers", "可吸纳分流职工人年", JOBS),
    "worker_years": ("Worker-years re-employed", "再就业人年", JOBS),
    "displaced_worker_years": ("Worker-years displaced", "分流职工人年", JOBS),
    "jobs_per_yi": ("Jobs per 亿元 per build year", "每亿元建设期年均岗位", "#,##0.0"),
    "source": ("Jobs source", "就业数据来源", PLAIN),
    "basis": ("Basis (S/R/E)", "依据（S/R/E）", PLAIN),
    "jobs": ("Jobs", "就业岗位", JOBS),
    "open_jobs": ("Jobs open to displaced workers", "可吸纳分流职工岗位", JOBS),
    "reemployed": ("Re-employed displaced workers (persons)", "再就业分流职工（人）", JOBS),
    "reemployed_share": ("Share of the displaced re-employed", "再就业比例", SHARE),
    "displaced_stock": ("Displaced by then", "累计分流职工", JOBS),
    "ppp_payments": ("PPP payments (亿元)", "PPP支付（亿元）", MONEY),
    "ppp_ratio_before": ("Existing PPP ratio", "既有PPP支出占比", SHARE),
    "ppp_note": ("PPP lines", "PPP红线说明", PLAIN),
    "start_year": ("Start", "开工年份", "0"),
    "finish_year": ("Finish", "完工年份", "0"),
    "reason": ("Reason", "原因", PLAIN),
    "break_even_jobs": ("Break-even extra jobs", "入选所需新增岗位", JOBS),
    "year": ("Year", "年份", "0"),
    "capex_spend": ("Spend (亿元)", "支出（亿元）", MONEY),
    "budget_spend": ("Budget spend (亿元)", "预算支出（亿元）", MONEY),
    "fiscal_budget": ("Fiscal budget (亿元)", "财政预算（亿元）", MONEY),
    "bond_spend": ("Bond spend (亿元)", "债券支出（亿元）", MONEY),
    "bond_quota": ("Bond quota (亿元)", "债券额度（亿元）", MONEY),
    "private_spend": ("Social capital spend (亿元)", "社会资本支出（亿元）", MONEY),
    "projects_running": ("Projects running", "在建项目数", JOBS),
    "projects_starting": ("Projects starting", "新开工项目数", JOBS),
    "projects": ("Projects", "项目数", JOBS),
    "displaced": ("Displaced workers", "分流职工", JOBS),
    "coverage": ("Re-employed share", "再就业比例", SHARE),
    "debt_used": ("Debt used (亿元)", "新增债务（亿元）", MONEY),
    "debt_headroom": ("Debt headroom (亿元)", "债务空间（亿元）", MONEY),
    "ppp_existing": ("Existing PPP (亿元/year)", "既有PPP支出（亿元/年）", MONEY),
    "ppp_new": ("New PPP (亿元/year)", "新增PPP支出（亿元/年）", MONEY),
    "ppp_ratio": ("PPP ratio", "PPP支出占比", SHARE),
    "ppp_line": ("PPP line", "PPP红线", SHARE),
    "share": ("Share of capex", "投资占比", SHARE),
    "min_share": ("Min share", "最低占比", SHARE),
    "max_share": ("Max share", "最高占比", SHARE),
    "family": ("Limit", "约束", PLAIN),
    "key": ("About", "对象", PLAIN),
    "use": ("Use", "使用量", MONEY),
    "limit": ("Limit", "上限/下限", MONEY),
    "slack": ("Slack", "余量", MONEY),
    "use_share": ("Used", "使用率", SHARE),
    "binding": ("Binds", "是否约束", PLAIN),
    "unit": ("Unit", "单位", PLAIN),
    "amount": ("Lever amount", "调节量", MONEY),
    "setting": ("Setting", "设定值", "0.00"),
    "status": ("Status", "求解状态", PLAIN),
    "objective": ("Objective", "目标值", JOBS),
    "gap": ("Gap", "最优间隙", "0.00%"),
    "marginal_worker_years": ("Extra worker-years per unit", "每单位新增再就业人年", "#,##0.0"),
    "marginal_job_years": ("Extra job-years per unit", "每单位新增就业人年", "#,##0.0"),
    "item": ("Item", "项目", PLAIN),
    "value": ("Value", "数值", PLAIN),
}

SECTOR_COLUMNS = ["sector", "projects", "capex", "share", "min_share", "max_share", "job_years"]
SHORTLIST_COLUMNS = [
    "project_id",
    "name",
    "sector",
    "region",
    "start_year",
    "finish_year",
    "capex",
    "budget_money",
    "bond_money",
    "private_money",
    "ppp_annual_payment",
    "ppp_mechanism",
    "duration_years",
    "jobs_per_yi",
    "build_jobs",
    "operating_jobs",
    "skill_match",
    "job_years",
    "worker_years",
    "basis",
    "source",
]
NOT_CHOSEN_COLUMNS = [
    "project_id",
    "name",
    "sector",
    "region",
    "capex",
    "duration_years",
    "build_jobs",
    "jobs_per_yi",
    "reason",
]
YEAR_COLUMNS = [
    "year",
    "capex_spend",
    "budget_spend",
    "ppp_payments",
    "fiscal_budget",
    "bond_spend",
    "bond_quota",
    "private_spend",
    "projects_running",
    "projects_starting",
    "jobs",
    "open_jobs",
    "displaced_stock",
    "reemployed",
    "reemployed_share",
]
CITY_COLUMNS = [
    "region",
    "projects",
    "capex",
    "job_years",
    "displaced",
    "displaced_worker_years",
    "worker_years",
    "coverage",
    "debt_used",
    "debt_headroom",
    "ppp_existing",
    "ppp_new",
    "ppp_ratio_before",
    "ppp_ratio",
    "ppp_line",
    "ppp_note",
]
LIMIT_COLUMNS = ["family", "key", "use", "limit", "slack", "use_share", "binding", "unit"]


def _safe(value: Any) -> Any:
    """Plain Python values; numpy scalars unwrapped; NaN as empty; infinity as words (a
    spreadsheet has no infinite number)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, float) and math.isinf(value):
        return "never" if value > 0 else "-never"
    return value


def _write_cell(sheet: Any, row: int, column: int, value: Any, number_format: str) -> None:
    value = _safe(value)
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # Text that looks like a formula stays text: never evaluated by the office suite.
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cell.number_format = number_format


def _table(
    book: openpyxl.Workbook, title: str, frame: pd.DataFrame, keys: list[str], language: str
) -> Any:
    sheet = book.create_sheet(title)
    index = 0 if language == "en" else 1
    headers = [COLUMNS.get(k, (k, k, PLAIN))[index] for k in keys]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats = [COLUMNS.get(k, ("", "", PLAIN))[2] for k in keys]
    for r, values in enumerate(frame[keys].itertuples(index=False), start=2):
        for c, (value, number_format) in enumerate(zip(values, formats, strict=True), start=1):
            _write_cell(sheet, r, c, value, number_format)
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(frame) + 1}"
    _fit_widths(sheet, headers, frame[keys])
    return sheet


def _fit_widths(sheet: Any, headers: list[str], frame: pd.DataFrame) -> None:
    for column, header in enumerate(headers, start=1):
        values = frame.iloc[:, column - 1].head(500)
        longest = max(
            [_display_width(str(header))] + [_display_width(_shown(v)) for v in values], default=8
        )
        sheet.column_dimensions[get_column_letter(column)].width = min(60, max(8, longest + 2))


def _shown(value: Any) -> str:
    value = _safe(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def _display_width(text: str) -> int:
    # CJK characters take two columns in a spreadsheet.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _summary_rows(solution: Solution, language: str) -> list[tuple[str, Any, str]]:
    h = solution.headline()
    sc = solution.scenario
    zh = language == "zh"

    def t(en: str, cn: str) -> str:
        return cn if zh else en

    rows = [
        (t("Status", "求解状态"), solution.status, PLAIN),
        (t("Proven gap", "最优性差距"), solution.gap, "0.00%"),
        (t("Worker-years re-employed", "分流职工再就业人年"), h["worker_years"], JOBS),
        (t("Worker-years displaced", "分流职工人年"), h["displaced_worker_years"], JOBS),
        (t("Share of worker-years re-employed", "再就业人年占比"), h["worker_years_share"], SHARE),
        (t("Peak year", "高峰年份"), int(h["peak_year"]), "0"),
        (t("Re-employed in the peak year", "高峰年份再就业人数"), h["reemployed_peak"], JOBS),
        (t("Displaced workers", "分流职工总数"), h["displaced"], JOBS),
        (t("Job-years", "就业人年"), h["job_years"], JOBS),
        (t("Projects chosen", "入选项目数"), h["projects"], JOBS),
        (t("Capex (亿元)", "总投资（亿元）"), h["capex"], MONEY),
        (t("Job-years per 亿元", "每亿元就业人年"), h["job_years_per_yi"], "#,##0.0"),
        (t("Budget money (亿元)", "一般预算（亿元）"), h["budget_money"], MONEY),
        (t("Bond money (亿元)", "专项债（亿元）"), h["bond_money"], MONEY),
        (t("Social capital (亿元)", "社会资本（亿元）"), h["private_money"], MONEY),
        (t("Debt used (亿元)", "新增债务（亿元）"), h["debt_used"], MONEY),
        (t("Worst PPP ratio", "最高PPP支出占比"), h["worst_ppp_ratio"], SHARE),
        (t("Objective", "目标函数值"), solution.objective, "#,##0.0"),
        (t("Scenario", "情景"), sc.name or t("(unnamed)", "（未命名）"), PLAIN),
        (t("Fiscal budget scale", "财政预算倍数"), sc.fiscal_budget_scale, "0.00"),
        (t("Bond quota scale", "债券额度倍数"), sc.bond_quota_scale, "0.00"),
        (t("Debt headroom scale", "债务空间倍数"), sc.debt_headroom_scale, "0.00"),
        (t("PPP line", "PPP红线"), sc.ppp_cap_share, SHARE),
        (t("Commuting distance (km)", "通勤距离（公里）"), sc.commute_km, "0"),
        (t("Weight of other jobs", "其他岗位权重"), sc.other_jobs_weight, "0.00"),
        (t("Minimum coverage per city", "各市最低再就业比例"), sc.min_coverage_share, SHARE),
        (t("Discount rate", "贴现率"), sc.discount_rate, SHARE),
        (t("Solver", "求解器"), f"{solution.solver} {solution.solver_version}", PLAIN),
        (t("Solve time (s)", "求解时间（秒）"), solution.solve_seconds, "0.00"),
        (t("Input fingerprint (SHA-256)", "输入数据指纹"), solution.fingerprint, PLAIN),
        (t("Solved at (UTC)", "求解时间（UTC）"), solution.solved_at, PLAIN),
        (
            t("Exported at (UTC)", "导出时间（UTC）"),
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            PLAIN,
        ),
    ]
    return rows


def _summary(book: openpyxl.Workbook, title: str, solution: Solution, language: str) -> None:
    sheet = book.create_sheet(title)
    index = 0 if language == "en" else 1
    sheet.append([COLUMNS["item"][index], COLUMNS["value"][index]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, (label, value, number_format) in enumerate(_summary_rows(solution, language), start=2):
        sheet.cell(row=r, column=1, value=label)
        _write_cell(sheet, r, 2, value, number_format)
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 68


def _scenario_sheet(book: openpyxl.Workbook, title: str, scenario: Scenario) -> None:
    sheet = book.create_sheet(title)
    sheet.append(["key", "value"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, (key, value) in enumerate(scenario.to_dict().items(), start=2):
        sheet.cell(row=r, column=1, value=key)
        # Numbers stay numbers; everything else as JSON text, read back by read_scenario.
        if isinstance(value, int | float) and not isinstance(value, bool):
            sheet.cell(row=r, column=2, value=value)
        else:
            _write_cell(sheet, r, 2, json.dumps(value, ensure_ascii=False), PLAIN)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 80


# The frontier's columns worth a planner's sheet, the lever's amount first (the chart's axis).
FRONTIER_COLUMNS = (
    "amount",
    "setting",
    "status",
    "worker_years",
    "job_years",
    "capex",
    "projects",
    "gap",
    "marginal_worker_years",
    "marginal_job_years",
)


def _frontier_sheet(
    book: openpyxl.Workbook, title: str, frontier: pd.DataFrame, language: str
) -> None:
    keys = list(frontier.columns)
    sheet = _table(book, title, frontier, keys, language)
    if len(frontier) < 2:
        return
    lever = keys[0]
    series = [k for k in ("worker_years", "job_years") if k in keys]
    chart = LineChart()
    chart.title = "Worker-years and job-years" if language == "en" else "再就业人年与就业人年"
    chart.x_axis.title = COLUMNS.get(lever, (lever, lever, ""))[0 if language == "en" else 1]
    chart.y_axis.title = "worker-years" if language == "en" else "人年"
    for key in series:
        column = keys.index(key) + 1
        chart.add_data(
            Reference(sheet, min_col=column, min_row=1, max_row=len(frontier) + 1),
            titles_from_data=True,
        )
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(frontier) + 1))
    chart.height, chart.width = 9, 18
    sheet.add_chart(chart, f"{get_column_letter(len(keys) + 2)}2")


def export_workbook(
    solution: Solution,
    target: Target,
    *,
    frontier: pd.DataFrame | None = None,
    break_even: Mapping[str, float] | pd.DataFrame | None = None,
    language: str = "en",
) -> None:
    """Write the Excel shortlist for a solution to a path or a binary buffer.

    frontier: `optimizer.frontier`'s table (or any table whose first column is the lever),
    drawn as a native line chart. break_even: `optimizer.break_even`'s table, or
    {project_id: extra jobs it would need to enter} for projects left out.
    language: "en" or "zh" for sheet names and headers.
    """
    if frontier is not None and "amount" in frontier.columns:
        frontier = frontier[[c for c in FRONTIER_COLUMNS if c in frontier.columns]]
    if isinstance(break_even, pd.DataFrame):
        break_even = dict(
            zip(break_even["project_id"], break_even["extra_jobs_needed"], strict=True)
        )
    if language not in SHEETS:
        raise ValueError(f"language must be 'en' or 'zh', got '{language}'")
    names = SHEETS[language]
    book = openpyxl.Workbook()
    book.remove(book.active)
    _summary(book, names["summary"], solution, language)
    _table(book, names["shortlist"], solution.chosen, SHORTLIST_COLUMNS, language)
    not_chosen = solution.not_chosen.copy()
    if language == "zh":
        not_chosen["reason"] = not_chosen["reason_zh"]
    keys = list(NOT_CHOSEN_COLUMNS)
    if break_even is not None:
        not_chosen["break_even_jobs"] = not_chosen["project_id"].map(break_even)
        keys.append("break_even_jobs")
    _table(book, names["not_chosen"], not_chosen, keys, language)
    _table(book, names["by_year"], solution.by_year, YEAR_COLUMNS, language)
    cities = solution.by_region.merge(
        solution.reemployment[
            ["region", "displaced", "displaced_worker_years", "worker_years", "coverage"]
        ],
        on="region",
    )
    if language == "zh":
        cities["ppp_note"] = cities["ppp_note_zh"]
        cities["region"] = cities["region"].map(
            dict(
                zip(solution.reemployment["region"], solution.reemployment["name_zh"], strict=True)
            )
        )
    _table(book, names["by_city"], cities, CITY_COLUMNS, language)
    _table(book, names["by_sector"], solution.by_sector, SECTOR_COLUMNS, language)
    _table(book, names["limits"], solution.limits, LIMIT_COLUMNS, language)
    if frontier is not None:
        _frontier_sheet(book, names["frontier"], frontier, language)
    _scenario_sheet(book, names["scenario"], solution.scenario)
    write_atomically(target, book.save)


def read_scenario(source: str | IO[bytes]) -> Scenario:
    """The Scenario stored in an exported workbook (its Scenario / 情景 sheet)."""
    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    try:
        title = next(
            (
                t
                for t in book.sheetnames
                if t in (SHEETS["en"]["scenario"], SHEETS["zh"]["scenario"])
            ),
            None,
        )
        if title is None:
            raise ValueError("the workbook has no Scenario sheet")
        values: dict[str, Any] = {}
        for key, value in book[title].iter_rows(min_row=2, max_col=2, values_only=True):
            if key is None:
                continue
            values[str(key)] = json.loads(value) if isinstance(value, str) else value
    finally:
        book.close()
    return Scenario.from_dict(values)
