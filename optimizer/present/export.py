"""The Excel shortlist a planner takes to a meeting.

One workbook per solution: Summary, Shortlist, Not chosen, By year, By city, By sector,
Layoffs (planned against recommended, 分流安置节奏), Training (培训人数), Limits, Frontier (when
given, with a native line chart) and Scenario (key/value rows that
`read_scenario` turns back into the Scenario, so the file alone reproduces the result).
Text from the planner's workbook that starts like a formula is written as text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from typing import IO, Any

import openpyxl
import pandas as pd
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .._files import Target, check_target, write_atomically
from ..precision import rounded, slack
from ..scenario import FINGERPRINT_KEY, SavedScenario, Scenario, ScenarioError, parse_json
from ..solution import Solution
from .explain import limits_frame, reasons, short_source
from .labels import COLUMNS, SHEETS, Labels, city_year

FORMULA_STARTS = ("=", "+", "-", "@")
WIDEST = 70  # characters; longer text wraps
SUMMARY_WIDTH = 64
SUMMARY_LABEL_WIDTH = 36
EXCEEDED_KEY = "exceeded"  # a Summary row's format: text, flagged
# Column-width units a landscape A4 page holds, fitted to its width, with 11 pt text still
# printing at 8 pt or more (LibreOffice: about 111 units at 100 %).
PRINT_WIDTH = 136
# A little wider, to keep a unit in brackets on one line: measured, 145 units print at 8.5 pt.
PRINT_WIDTH_WHOLE_UNITS = 145
NARROWEST_TEXT = 14  # a text column is not squeezed below this to fit the page
HEADER_LINES = 3
TOP = Alignment(vertical="top")
EXCEEDED = Font(bold=True, color="C00000")
EXCEEDED_FILL = PatternFill("solid", fgColor="FDE9E7")

# Number formats by kind of column.
MONEY = "#,##0.00"
JOBS = "#,##0"
SHARE = "0.0%"
PLAIN = "General"

# Number formats by column key (headers: optimizer.present.labels.COLUMNS).
FORMATS: dict[str, str] = {
    "project_id": PLAIN,
    "name": PLAIN,
    "sector": PLAIN,
    "region": PLAIN,
    "capex": MONEY,
    "budget_money": MONEY,
    "bond_money": MONEY,
    "private_money": MONEY,
    "ppp_annual_payment": MONEY,
    "ppp_mechanism": PLAIN,
    "duration_years": "0",
    "skill_match": SHARE,
    "build_jobs": JOBS,
    "operating_jobs": JOBS,
    "job_years": JOBS,
    "open_job_years": JOBS,
    "worker_years": JOBS,
    "displaced_worker_years": JOBS,
    "jobs_per_yi": "#,##0.0",
    "source": PLAIN,
    "basis": PLAIN,
    "jobs": JOBS,
    "open_jobs": JOBS,
    "reemployed": JOBS,
    "reemployed_share": SHARE,
    "displaced_stock": JOBS,
    "ppp_payments": MONEY,
    "ppp_ratio_before": SHARE,
    "ppp_note": PLAIN,
    "start_year": "0",
    "finish_year": "0",
    "reason": PLAIN,
    "break_even_jobs": JOBS,
    "year": "0",
    "capex_spend": MONEY,
    "budget_spend": MONEY,
    "fiscal_budget": MONEY,
    "bond_spend": MONEY,
    "bond_quota": MONEY,
    "private_spend": MONEY,
    "projects_running": JOBS,
    "projects_starting": JOBS,
    "projects": JOBS,
    "displaced": JOBS,
    "coverage": SHARE,
    "debt_used": MONEY,
    "debt_headroom": MONEY,
    "ppp_existing": MONEY,
    "ppp_new": MONEY,
    "ppp_ratio": SHARE,
    "ppp_line": SHARE,
    "share": SHARE,
    "min_share": SHARE,
    "max_share": SHARE,
    "family": PLAIN,
    "key": PLAIN,
    "use": MONEY,
    "limit": MONEY,
    "slack": MONEY,
    "use_share": SHARE,
    "used_up": PLAIN,
    "unit": PLAIN,
    "amount": MONEY,
    "setting": "0.00",
    "status": PLAIN,
    "objective": JOBS,
    "gap": "0.00%",
    "marginal_worker_years": "#,##0.0",
    "marginal_job_years": "#,##0.0",
    "item": PLAIN,
    "value": PLAIN,
    "ppp_line_amount": MONEY,
    "ppp_room": MONEY,
    "general_budget_expenditure": MONEY,
    # Version 3: training and the pace of layoffs.
    "industry": PLAIN,
    "trainees": JOBS,
    "training_spend": MONEY,
}

SECTOR_COLUMNS = ["sector", "projects", "capex", "share", "min_share", "max_share", "job_years"]
# What a meeting reads, printed; the rest of the table follows, in the file, outside the
# print area.
# One line a project: the jobs source's words (long, wrapped over many lines) stay in the
# file; its basis (S/R/E) prints.
SHORTLIST_PRINTED = [
    "project_id",
    "name",
    "sector",
    "region",
    "start_year",
    "finish_year",
    "capex",
    "worker_years",
    "basis",
]
SHORTLIST_COLUMNS = [
    *SHORTLIST_PRINTED,
    "jobs_source",
    "budget_money",
    "bond_money",
    "private_money",
    "job_years",
    "ppp_annual_payment",
    "ppp_mechanism",
    "duration_years",
    "jobs_per_yi",
    "build_jobs",
    "operating_jobs",
    "skill_match",
    "source",  # the full text
]
NOT_CHOSEN_COLUMNS = [
    "project_id",
    "name",
    "sector",
    "region",
    "capex",
    "build_jobs",
    "reason",
    # in the file, not printed
    "duration_years",
    "jobs_per_yi",
]

YEAR_COLUMNS = [
    "year",
    "capex_spend",
    "budget_spend",
    "fiscal_budget",
    "bond_spend",
    "bond_quota",
    "jobs",
    "open_jobs",
    "displaced_stock",
    "reemployed",
    "reemployed_share",
    # in the file, not printed
    "ppp_payments",
    "private_spend",
    "projects_running",
    "projects_starting",
]
YEAR_PRINTED = YEAR_COLUMNS.index("reemployed_share") + 1
CITY_COLUMNS = [
    "region",
    "projects",
    "capex",
    "worker_years",
    "coverage",
    "debt_used",
    "debt_headroom",
    "ppp_ratio_before",
    "ppp_ratio",
    "ppp_line",
    # in the file, not printed
    "job_years",
    "displaced_worker_years",
    "displaced",
    "ppp_existing",
    "ppp_new",
    "ppp_note",
]


# The sheets a meeting does not print: they stay in the file, whole, with an empty print
# area (LibreOffice skips a sheet with nothing to print). The Summary says so. Any other sheet,
# a new one included, prints as _print_setup sets it.
NOT_PRINTED = ("not_chosen", "limits", "scenario")


def _meeting_print(book: openpyxl.Workbook, labels: Labels) -> None:
    """Applied to every sheet once the book is written: a sheet a meeting does not read
    (NOT_PRINTED) gets an empty print area, a blank cell past its table; the others keep the
    print set-up they were written with."""
    skipped = {labels.sheet(key) for key in NOT_PRINTED}
    for sheet in book.worksheets:
        if sheet.title in skipped:
            blank = get_column_letter(sheet.max_column + 2)
            sheet.print_area = f"{blank}1:{blank}1"


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


def _write_cell(sheet: Any, row: int, column: int, value: Any, number_format: str) -> Any:
    """The cell at (row, column) holding value: a number with its format, text as text."""
    value = _safe(value)
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # Text that looks like a formula stays text: never evaluated by the office suite.
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cell.number_format = number_format
    return cell


def _print_setup(sheet: Any, labels: Labels, *, summary: bool = False) -> None:
    """Landscape A4, fitted to the page's width, the header row repeated on every page; the
    Summary portrait (its two columns are narrow, its rows many; fitted to the width only, so
    that its words stay at 8 pt however many figures it gives); the sheet's name in the header
    and page numbers in the footer."""
    setup = sheet.page_setup
    setup.orientation = "portrait" if summary else "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 1 if summary else 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.4
    # The sheet's name prints in the header band, clear of the table below it.
    margins.header, margins.top = 0.25, 0.6 if summary else 0.75
    margins.footer, margins.bottom = 0.2, 0.45 if summary else 0.6
    if not summary:
        sheet.print_title_rows = "1:1"
    sheet.oddHeader.left.text = "&A"
    sheet.oddHeader.left.size = 12
    sheet.oddFooter.center.text = labels("page_of")


def _table(
    book: openpyxl.Workbook,
    title: str,
    frame: pd.DataFrame,
    keys: list[str],
    labels: Labels,
    totals: tuple[str, ...] = (),
    printed: int | None = None,
    formats: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
) -> Any:
    """One sheet: bold headers, the rows, a totals row summing `totals` (when given), filters,
    frozen headers and the print set-up. printed: how many leading columns print (all when
    None); they are fitted to PRINT_WIDTH, the others keep their own widths and do not wrap.
    formats: number formats of columns FORMATS does not know (a column per year);
    names: headers that say more than the column's label (a unit known only here)."""
    sheet = book.create_sheet(title)
    headers = [(names or {}).get(k) or labels.column(k) for k in keys]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    known = {**FORMATS, **(formats or {})}
    formats = [known.get(k, PLAIN) for k in keys]
    for r, values in enumerate(frame[keys].itertuples(index=False), start=2):
        for c, (value, number_format) in enumerate(zip(values, formats, strict=True), start=1):
            # Top-aligned: a row's figures level with its first line of wrapped text.
            _write_cell(sheet, r, c, value, number_format).alignment = TOP
    last = len(frame) + 1
    if totals and len(frame):
        row = last + 1
        sheet.cell(row=row, column=1, value=labels.column("total")).font = Font(bold=True)
        for c, key in enumerate(keys, start=1):
            if key in totals:
                total = pd.to_numeric(frame[key], errors="coerce").sum()
                _write_cell(sheet, row, c, float(total), formats[c - 1])
                sheet.cell(row=row, column=c).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{last}"
    printed = len(keys) if printed is None else printed
    _fit_widths(sheet, headers, frame[keys], printed)
    lines = max(
        min(
            HEADER_LINES,  # (a unit that would split counts as many lines)
            _header_lines(str(h), sheet.column_dimensions[get_column_letter(c)].width, 1.05),
        )
        for c, h in enumerate(headers, start=1)
    )
    if lines > 1:
        sheet.row_dimensions[1].height = 17.0 * lines  # a CJK line is taller than 15 pt
    _print_setup(sheet, labels)
    if printed < len(keys):
        sheet.print_area = f"A1:{get_column_letter(printed)}{sheet.max_row}"
    return sheet


def _fit_widths(sheet: Any, headers: list[str], frame: pd.DataFrame, printed: int) -> None:
    """Each column as wide as its header (wrapped where a reader expects) and its values;
    the printed columns then narrowed, the widest text first, until they fit PRINT_WIDTH;
    text wider than its column wraps, each row as tall as its lines (an office suite does not
    always grow a row when it opens the file)."""
    widths, floors, needs = [], [], []
    for column, header in enumerate(headers, start=1):
        values = frame.iloc[:, column - 1].head(500)
        header_width = _header_width(str(header))
        values_width = max([_display_width(_shown(v)) for v in values], default=0) + 2
        text = any(isinstance(_safe(v), str) for v in values)
        width = _header_fits(str(header), min(WIDEST, max(8, header_width, values_width)))
        widths.append(width)
        needs.append(values_width)
        # Numbers never narrower than themselves (a spreadsheet shows ### instead).
        floor = min(width, NARROWEST_TEXT) if text else width
        floors.append(max(floor, header_width))
    while sum(widths[:printed]) > PRINT_WIDTH:
        room = [w - f for w, f in zip(widths[:printed], floors[:printed], strict=True)]
        if max(room) <= 0:
            break
        widest = max(range(printed), key=lambda i: (room[i] > 0, widths[i]))
        widths[widest] -= 1
    for i in range(printed):
        # Narrowed onto a width that splits a unit: narrower still, to its last safe width.
        while widths[i] > floors[i] and _header_fits(str(headers[i]), widths[i]) != widths[i]:
            widths[i] -= 1
    for i in range(printed):
        # A unit that may still split: the header on one line, where the page has the room.
        header = str(headers[i])
        if _UNIT.search(header) and _unit_may_break(header, widths[i]):
            one_line = math.ceil(1.05 * _header_size(header) + 1)
            if sum(widths[:printed]) - widths[i] + one_line <= PRINT_WIDTH_WHOLE_UNITS:
                widths[i] = one_line
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        if needs[column - 1] > width and column <= printed:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                _fit_height(sheet, cell, width)


# A header's pieces as LibreOffice breaks them: a CJK character or bracket alone, a word with
# its trailing space, a hyphen or slash ending a piece.
_PIECE = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff/-]+[-/]?\s*|[/-]\s*|\s+")
# A unit in brackets, "（亿元/年）", "(S/R/E)": a reader expects it whole on one line
# (LibreOffice breaks it between any two characters, even after the opening bracket).
_UNIT = re.compile(r"[（(][^）)]*[\u2e80-\uffff][^）)]*[）)]|[（(][^）)\s]{1,8}[）)]")


LETTER_WIDTH = 1.25  # a bold Latin letter, in column-width units (m and w at the widest)


def _header_size(text: str, letter: float = LETTER_WIDTH) -> float:
    # Bold 11 pt as LibreOffice prints it, in column-width units (measured: a column 30 wide
    # holds 18 CJK characters or 27 bold digits; letters such as m and w are wider).
    return sum(1.65 if ord(ch) > 0x2E80 else letter if ch.isalpha() else 1.1 for ch in text)


def _header_lines(
    header: str, width: float, scale: float = 1.0, letter: float = LETTER_WIDTH
) -> int:
    """Lines the header takes in a column this wide, filled as LibreOffice fills them (each
    piece `scale` times its measured width); a large number when a word or a unit in
    brackets would break across lines."""
    units = [m.span() for m in _UNIT.finditer(header)]
    room = width - 0.6  # the cell's padding
    lines, used, at = 1, 0.0, 0
    for piece in _PIECE.findall(header):
        size = scale * _header_size(piece.rstrip(), letter)
        if size > room:
            return 99  # a word wider than the column breaks inside itself
        if used and used + size > room:
            if any(start < at < end for start, end in units):
                return 99
            lines, used = lines + 1, 0.0
        used += scale * _header_size(piece, letter)
        at += len(piece)
    return lines


# How a header may print against its measure: 5 % narrower or wider.
HEADER_SCALES = tuple((scale, LETTER_WIDTH) for scale in (0.95, 1.0, 1.05))
# Latin letters may print far narrower than LETTER_WIDTH (LibreOffice set "Debt used (亿" on
# one line of a column measured to hold only "Debt used", then "元)" below): a unit in
# brackets is surely kept whole only where it cannot break for any letter width in this range.
LETTER_RANGE = (0.8, 0.9, 1.0, LETTER_WIDTH)


def _unit_may_break(header: str, width: float) -> bool:
    """Whether a unit in brackets could print split across lines in a column this wide."""
    return any(
        _header_lines(header, width, scale, letter) == 99
        for scale in (0.95, 1.0, 1.05)
        for letter in LETTER_RANGE
    )


def _header_width(header: str) -> int:
    """The narrowest column in which the header takes at most HEADER_LINES lines, breaking
    between words or characters and never inside a unit in brackets, with the font 5 % wider
    or narrower than measured."""
    return _header_fits(header, 6)


def _header_fits(header: str, width: int) -> int:
    """The narrowest width from `width` up at which the header wraps as _header_width says
    (a column widened for its values may put half a unit on the header's first line)."""
    full = math.ceil(1.05 * _header_size(header) + 1)
    while width < full and any(
        _header_lines(header, width, scale, letter) > HEADER_LINES
        for scale, letter in HEADER_SCALES
    ):
        width += 1
    return max(width, min(width, full))


def _fit_height(sheet: Any, cell: Any, width: float) -> None:
    text = _shown(cell.value)
    lines = math.ceil(_display_width(text) / max(1.0, width - 2))
    if lines > 1:
        row = sheet.row_dimensions[cell.row]
        # A line with CJK characters prints taller than 15 pt.
        tall = 16.5 if _display_width(text) > len(text) else 15.0
        row.height = max(row.height or 15.0, tall * lines)


def _shown(value: Any) -> str:
    value = _safe(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


_WIDE = re.compile("[\u2e81-\U0010ffff]")  # characters past U+2E80: CJK and beyond


def _display_width(text: str) -> int:
    # CJK characters take two columns in a spreadsheet (found by a regex: a loop over each
    # character in Python cost a tenth of the export).
    if text.isascii():
        return len(text)
    return len(text) + len(_WIDE.findall(text))


def _printed_width(text: str) -> float:
    # As printed, a CJK character is a little wider than two columns, bold text wider still:
    # a row or header sized on this does not spill.
    return sum(2.1 if ord(ch) > 0x2E80 else 1.0 for ch in text)


def _limit_groups(solution: Solution, labels: Labels) -> list[tuple[str, str]]:
    """The limits used up (≥ 99 %), one line a family: (what, where) in words."""
    used_up = solution.used_up_limits
    standing = solution.by_region.set_index("region")
    out = []
    for family in dict.fromkeys(used_up["family"]):
        keys = [str(k) for k in used_up.loc[used_up["family"] == family, "key"]]
        if family in ("forced_in", "exclusive_group"):
            where = labels("summary_count", count=len(keys))
        elif family in ("debt_headroom", "coverage_floor"):
            where = labels.list_of(labels.city(k) for k in keys)
        elif family in ("sector_min", "sector_max"):
            where = labels.list_of(labels.sector(k) for k in keys)
        elif family in ("ppp_line", "government_pay_line", "ppp_closed"):
            # A row per city and year, and one after the horizon: each city once.
            column = "government_pay_line" if family == "government_pay_line" else "ppp_line"
            cities = dict.fromkeys(city_year(k)[0] for k in keys)
            where = labels.list_of(
                f"{labels.city(k)} ({standing.at[k, 'ppp_ratio_before']:.1%} / "
                f"{standing.at[k, column]:.0%})"
                for k in cities
            )
        elif family == "layoff_cap":
            where = labels.list_of(labels.city_year(k) for k in keys)
        else:
            where = labels.list_of(keys)
        out.append((labels.limit_family(family), where))
    return out


def _summary_rows(
    solution: Solution, labels: Labels, sample_data: bool
) -> list[tuple[str, Any, str]]:
    """(label, value, number format) rows; a row with format None is a section heading."""
    h = solution.headline()
    sc = solution.scenario
    chosen = solution.chosen
    estimates = int((chosen["basis"].astype(str).str.upper() == "E").sum())
    gap = solution.gap
    # The solver's gap is relative to its own objective (gap_base), not the reported one.
    tolerance = slack(solution.objective, gap or 0.0, solution.gap_base)
    tolerance = rounded(tolerance, tolerance)
    rows: list[tuple[str, Any, Any]] = [
        (labels("summary_achieves"), None, None),
        (labels("summary_projects"), h["projects"], JOBS),
        (labels.column("capex"), h["capex"], MONEY),
        (labels("worker_years"), h["worker_years"], JOBS),
        (labels("jobless_left"), h["jobless_worker_years"], JOBS),
        (labels("exposure_share"), h["exposure_share"], SHARE),
        (labels.column("trainees"), h["trainees"], JOBS),
        (
            labels("construction_vs_lasting"),
            f"{h['construction_worker_years']:,.0f} / {h['operating_worker_years']:,.0f}",
            PLAIN,
        ),
        (labels("public_money_per_worker_year"), h["public_money_per_worker_year"], "#,##0.0"),
        (labels("jobless_at_end"), h["jobless_at_end"], JOBS),
        (labels("monitoring"), _monitored(solution, labels), PLAIN),
        (labels("summary_peak", year=int(h["peak_year"])), h["reemployed_peak"], JOBS),
        (labels("job_years"), h["job_years"], JOBS),
        (labels("job_years_per_yi"), h["job_years_per_yi"], "#,##0.0"),
        (labels.column("budget_money"), h["budget_money"], MONEY),
        (labels.column("bond_money"), h["bond_money"], MONEY),
        (labels.column("private_money"), h["private_money"], MONEY),
        (labels.column("debt_used"), h["debt_used"], MONEY),
        (labels("worst_ppp_short"), h["worst_ppp_ratio"], SHARE),
        *_exceeded_rows(solution, labels),
        (labels("summary_limits"), None, None),
        *[(what, where, PLAIN) for what, where in _limit_groups(solution, labels)],
        (labels("summary_scenario"), None, None),
        (labels.input("name"), sc.name or labels("unnamed"), PLAIN),
        (labels.input("fiscal_budget_scale"), sc.fiscal_budget_scale, "0.00"),
        (labels.input("bond_quota_scale"), sc.bond_quota_scale, "0.00"),
        (labels.input("debt_headroom_scale"), sc.debt_headroom_scale, "0.00"),
        (labels.input("ppp_cap_share"), sc.ppp_cap_share, SHARE),
        (labels.input("commute_km"), sc.commute_km, "0"),
        (labels.input("other_jobs_weight"), sc.other_jobs_weight, "0.00"),
        (labels.input("min_coverage_share"), sc.min_coverage_share, SHARE),
        (labels("summary_caveats"), None, None),
    ]
    if sample_data:
        rows.append((labels("caveat_sample"), labels("sample_data"), PLAIN))
    rows.append(
        (
            labels("caveat_precision"),
            labels(
                "precision_words",
                status=labels.status(solution.status),
                gap="?" if gap is None else f"{gap:.2%}",
                bound=labels.worker_years(tolerance) if gap is not None else "?",
            ),
            PLAIN,
        )
    )
    rows.append((labels("caveat_assumption"), labels("worker_years_v3_help"), PLAIN))
    rows.append(
        (
            labels("caveat_jobs"),
            labels("estimates_words", count=estimates, total=len(chosen)),
            PLAIN,
        )
    )
    rows.append(
        (
            labels("not_printed"),
            labels(
                "not_printed_words",
                sheets=labels.list_of(labels.sheet(key) for key in NOT_PRINTED),
            ),
            PLAIN,
        )
    )
    rows += [
        (labels("summary_record"), None, None),
        (labels.column("status"), labels.status(solution.status), PLAIN),
        (labels.column("gap"), gap, "0.00%"),
        (labels("solver"), f"{solution.solver} {solution.solver_version}", PLAIN),
        (labels("solve_strategy"), labels.strategy(solution.strategy), PLAIN),
        (labels("solve_time"), solution.solve_seconds, "0.00"),
        (labels("solved_at"), solution.solved_at, PLAIN),
        (labels("exported_at"), dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), PLAIN),
        (labels("fingerprint"), solution.fingerprint, PLAIN),
    ]
    return rows


def _monitored(solution: Solution, labels: Labels) -> str:
    """重点监控 in one line: each city with its years (runs of years as a span) and main
    exiting industry, without brackets (a printed line may break anywhere in it)."""
    m = solution.monitoring
    if m.empty:
        return labels("no_monitoring")
    parts = []
    for region, group in m.groupby("region", sort=False):
        years = sorted(int(y) for y in group["year"])
        runs: list[list[int]] = []
        for year in years:
            if runs and year == runs[-1][-1] + 1:
                runs[-1].append(year)
            else:
                runs.append([year])
        spans = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
        city, industry = labels.city(region), labels.industry(group["industry"].iloc[0])
        years_said = labels.list_of(spans)
        parts.append(labels("monitored_city", city=city, years=years_said, industry=industry))
    return labels.clauses(parts)


def _layoffs_sheet(book: openpyxl.Workbook, solution: Solution, labels: Labels) -> None:
    """分流安置节奏 on one page: a row per city and exiting industry, for each year the
    workers laid off as planned and as recommended."""
    pace = solution.layoff_pace()
    frame = pace.groupby(["region", "sector"], sort=False)[[]].sum().reset_index()
    keys, formats = ["region", "industry"], {}
    rows = list(zip(frame["region"], frame["sector"], strict=True))
    for year in sorted(int(y) for y in pace["year"].unique()):
        this_year = pace[pace["year"] == year]
        at = list(zip(this_year["region"], this_year["sector"], strict=True))
        for what in ("planned", "recommended"):
            key = f"{labels.year(year)} {labels.column(what + '_short')}"
            # (city, industry) → workers: a dict, not an index lookup per row.
            workers = dict(zip(at, this_year[what], strict=True))
            frame[key] = [float(workers.get(row, 0.0)) for row in rows]
            keys.append(key)
            formats[key] = JOBS
    frame["region"] = [labels.city(r) for r in frame["region"]]
    frame["industry"] = [labels.industry(v) for v in frame["sector"]]
    _table(book, labels.sheet("layoffs"), frame, keys, labels, tuple(keys[2:]), formats=formats)


def _training_sheet(book: openpyxl.Workbook, solution: Solution, labels: Labels) -> None:
    """培训人数 on one page: trainees by city and year, each city's total and money."""
    t = solution.training_by_region()
    years = [c for c in t.columns if isinstance(c, int)]
    t.columns = [labels.year(c) if isinstance(c, int) else c for c in t.columns]
    t["region"] = [labels.city(r) for r in t["region"]]
    shown = [labels.year(y) for y in years]
    keys = ["region", *shown, "trainees", "training_spend"]
    _table(
        book,
        labels.sheet("training"),
        t,
        keys,
        labels,
        tuple(keys[1:]),
        formats=dict.fromkeys(shown, JOBS),
    )


def _exceeded_rows(solution: Solution, labels: Labels) -> list[tuple[str, Any, str]]:
    """One row naming each city whose PPP ratio is above its line with this plan."""
    cities = solution.by_region
    over = cities[cities["ppp_ratio"] > cities["ppp_line"] + 1e-9]
    if over.empty:
        return []
    words = labels.list_of(
        labels("line_exceeded", city=labels.city(r.region), ratio=r.ppp_ratio, line=r.ppp_line)
        for r in over.itertuples()
    )
    return [(labels("lines_exceeded"), words, EXCEEDED_KEY)]


def _summary(
    book: openpyxl.Workbook, title: str, solution: Solution, labels: Labels, sample_data: bool
) -> None:
    """What the portfolio achieves, under which limits, the scenario and the caveats on one
    printed page; the record (the input fingerprint last) below them, in the file only."""
    sheet = book.create_sheet(title)
    name = solution.scenario.name
    heading = labels("summary_title") + (f" — {name}" if name else "")
    sheet.cell(row=1, column=1, value=heading).font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1, value=labels.column("item")).font = Font(bold=True)
    sheet.cell(row=2, column=2, value=labels.column("value")).font = Font(bold=True)
    r = 3
    printed_to = None
    for label, value, number_format in _summary_rows(solution, labels, sample_data):
        cell = sheet.cell(row=r, column=1, value=label)
        if number_format is None:  # a section heading, a blank row before it
            if label == labels("summary_record"):
                printed_to = r - 1
            r += 1
            sheet.cell(row=r, column=1, value=label).font = Font(bold=True, size=12)
            cell.value = None
        else:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            flagged = number_format == EXCEEDED_KEY
            _write_cell(sheet, r, 2, value, PLAIN if flagged else number_format)
            sheet.cell(row=r, column=2).alignment = Alignment(
                wrap_text=True, vertical="top", horizontal="left"
            )
            if flagged:
                cell.font = sheet.cell(row=r, column=2).font = EXCEEDED
            # Both cells as tall as their lines: a wrapped label must not print over the next.
            _fit_height(sheet, cell, SUMMARY_LABEL_WIDTH)
            _fit_height(sheet, sheet.cell(row=r, column=2), SUMMARY_WIDTH)
        r += 1
    sheet.column_dimensions["A"].width = SUMMARY_LABEL_WIDTH
    sheet.column_dimensions["B"].width = SUMMARY_WIDTH
    _print_setup(sheet, labels, summary=True)
    if printed_to is not None:
        # The record (status, solver, times, the input's fingerprint) stays in the file: it
        # traces the answer, a meeting does not read it, and the page keeps its 8 pt.
        sheet.print_area = f"A1:B{printed_to}"


def _scenario_sheet(
    book: openpyxl.Workbook, title: str, scenario: Scenario, labels: Labels
) -> None:
    """Key/value rows `read_scenario` turns back into the Scenario (keys stay the Scenario's
    field names), with each input in words beside it."""
    sheet = book.create_sheet(title)
    sheet.append([labels("scenario_key"), labels.column("value"), labels.column("input")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, (key, value) in enumerate(scenario.to_dict().items(), start=2):
        sheet.cell(row=r, column=1, value=key)
        # Numbers stay numbers; everything else as JSON text, read back by read_scenario.
        if isinstance(value, int | float) and not isinstance(value, bool):
            sheet.cell(row=r, column=2, value=value)
        else:
            _write_cell(sheet, r, 2, json.dumps(value, ensure_ascii=False), PLAIN)
        sheet.cell(row=r, column=2).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=r, column=3, value=labels.input(key))
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 30
    _print_setup(sheet, labels)


# The frontier's columns worth a planner's sheet, the lever's amount first (the chart's axis).
FRONTIER_COLUMNS = (
    "amount",
    "setting",
    "status",
    "worker_years",
    "job_years",
    "weighted_job_years",  # only with a weight of other jobs: the objective's other part
    "capex",
    "projects",
    "gap",
    "marginal_worker_years",
    "marginal_job_years",
)


def _frontier_sheet(
    book: openpyxl.Workbook, title: str, frontier: pd.DataFrame, labels: Labels, unit: str = ""
) -> None:
    keys = list(frontier.columns)
    shown = frontier.copy()
    if "status" in shown.columns:
        shown["status"] = [labels.status(v) for v in shown["status"]]
    names = {}
    if unit:  # the lever's unit, in the amount's header and per unit in the marginals'
        words = labels.unit(unit)
        names["amount"] = f"{labels.column('amount')} ({words})"
        names["marginal_worker_years"] = labels.pick(COLUMNS["marginal_per"]).format(unit=words)
        names["marginal_job_years"] = labels.pick(COLUMNS["marginal_job_per"]).format(unit=words)
    sheet = _table(book, title, shown, keys, labels, names=names)
    if len(frontier) < 2:
        return
    lever = keys[0]
    series = [k for k in ("worker_years", "job_years") if k in keys]
    chart = LineChart()
    chart.title = labels("chart_frontier")
    chart.x_axis.title = labels.column(lever)
    chart.y_axis.title = labels("worker_years_unit")
    for key in series:
        column = keys.index(key) + 1
        chart.add_data(
            Reference(sheet, min_col=column, min_row=1, max_row=len(frontier) + 1),
            titles_from_data=True,
        )
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(frontier) + 1))
    chart.height, chart.width = 9, 18
    sheet.add_chart(chart, f"{get_column_letter(len(keys) + 2)}2")


SHORTLIST_TOTALS = (
    "capex",
    "budget_money",
    "bond_money",
    "private_money",
    "ppp_annual_payment",
    "build_jobs",
    "operating_jobs",
    "job_years",
    "worker_years",
)
# Every year column adds up over the years (people held each year sum to person-years)
# except these: a stock, a count of running projects, a share.
YEAR_TOTALS = tuple(
    c
    for c in YEAR_COLUMNS
    if c not in ("year", "projects_running", "displaced_stock", "reemployed_share")
)
CITY_TOTALS = (
    "projects",
    "capex",
    "job_years",
    "displaced",
    "displaced_worker_years",
    "worker_years",
    "debt_used",
    "debt_headroom",
    "ppp_existing",
    "ppp_new",
)
SECTOR_TOTALS = ("projects", "capex", "share", "job_years")
LIMIT_KEYS = ["limit_words", "use", "limit", "slack", "unit", "used_up", "ppp_note"]


def export_workbook(
    solution: Solution,
    target: Target,
    *,
    frontier: pd.DataFrame | None = None,
    break_even: Mapping[str, float] | pd.DataFrame | None = None,
    labels: Labels | None = None,
    sample_data: bool = False,
) -> None:
    """Write the Excel shortlist for a solution to a path or a binary buffer.

    frontier: `optimizer.frontier`'s table (or any table whose first column is the lever),
    drawn as a native line chart. break_even: `optimizer.break_even`'s table, or
    {project_id: extra jobs it would need to enter} for projects left out; with the table,
    a left-out project's reason says the jobs it would need (or that the difference is within
    solver precision). labels: the words of every cell, city and sector names included
    (`Labels.for_solution(solution, "zh")` for Chinese with the workbook's city names; None:
    English). sample_data: the workbook is the packaged sample (the Summary says so).
    """
    if not isinstance(solution, Solution):
        raise TypeError(
            "export_workbook: solution must be a Solution (from optimizer.solve), got "
            f"{type(solution).__name__}"
        )
    if labels is None:
        labels = Labels.for_solution(solution)
    if not isinstance(labels, Labels):
        raise TypeError(
            "export_workbook: labels must be a Labels (optimizer.present.labels.Labels."
            f'for_solution(solution, "zh")), got {type(labels).__name__}'
        )
    check_target(target)
    unit = ""
    if frontier is not None and "amount" in frontier.columns:
        unit = str(frontier["unit"].iloc[0]) if "unit" in frontier.columns and len(frontier) else ""
        frontier = frontier[[c for c in FRONTIER_COLUMNS if c in frontier.columns]]
    table = None
    if isinstance(break_even, pd.DataFrame):
        table = break_even
        break_even = dict(
            zip(break_even["project_id"], break_even["extra_jobs_needed"], strict=True)
        )
    elif break_even is not None:
        break_even = dict(break_even)
        table = pd.DataFrame(
            {
                "project_id": list(break_even),
                "extra_jobs_needed": list(break_even.values()),
                "within_gap": False,
            }
        )
    book = openpyxl.Workbook()
    book.remove(book.active)
    _summary(book, labels.sheet("summary"), solution, labels, sample_data)
    chosen = _in_words(solution.chosen, labels)
    # The source's first clause, whole and in the file's language where a translation
    # exists; the full text stays in the last column, outside the print area.
    chosen["jobs_source"] = [
        labels.source(short_source(v, longest=10_000)) for v in solution.chosen["source"]
    ]
    _table(
        book,
        labels.sheet("shortlist"),
        chosen,
        SHORTLIST_COLUMNS,
        labels,
        SHORTLIST_TOTALS,
        printed=len(SHORTLIST_PRINTED),
    )
    not_chosen = _in_words(solution.not_chosen, labels)
    not_chosen["reason"] = reasons(solution, labels, table)
    keys = list(NOT_CHOSEN_COLUMNS)
    if break_even is not None:
        not_chosen["break_even_jobs"] = not_chosen["project_id"].map(break_even)
        keys.insert(keys.index("reason"), "break_even_jobs")
    _table(
        book,
        labels.sheet("not_chosen"),
        not_chosen,
        keys,
        labels,
        ("capex", "build_jobs"),
        printed=keys.index("reason") + 1,
    )
    _table(
        book,
        labels.sheet("by_year"),
        solution.by_year,
        YEAR_COLUMNS,
        labels,
        YEAR_TOTALS,
        printed=YEAR_PRINTED,
    )
    cities = solution.by_region.merge(
        solution.reemployment[
            ["region", "displaced", "displaced_worker_years", "worker_years", "coverage"]
        ],
        on="region",
    )
    cities["ppp_note"] = [labels.ppp_note(row) for _, row in cities.iterrows()]
    exceeded = (cities["ppp_ratio"] > cities["ppp_line"]).tolist()
    cities = _in_words(cities, labels)
    sheet = _table(
        book,
        labels.sheet("by_city"),
        cities,
        CITY_COLUMNS,
        labels,
        CITY_TOTALS,
        printed=CITY_COLUMNS.index("ppp_line") + 1,
    )
    # A line already exceeded stands out on the page.
    for row, over in enumerate(exceeded, start=2):
        if over:
            for key in ("ppp_ratio", "ppp_line"):
                cell = sheet.cell(row=row, column=CITY_COLUMNS.index(key) + 1)
                cell.font, cell.fill = EXCEEDED, EXCEEDED_FILL
    sectors = _in_words(solution.by_sector, labels)
    _table(book, labels.sheet("by_sector"), sectors, SECTOR_COLUMNS, labels, SECTOR_TOTALS)
    _layoffs_sheet(book, solution, labels)
    _training_sheet(book, solution, labels)
    limits = limits_frame(solution, labels, used_up_only=False)
    limits = limits.assign(_order=limits["used_up"] != labels("yes")).sort_values(
        "_order", kind="stable"
    )
    keys = [k for k in LIMIT_KEYS if k in limits.columns]
    _table(book, labels.sheet("limits"), limits, keys, labels)
    if frontier is not None:
        _frontier_sheet(book, labels.sheet("frontier"), frontier, labels, unit)
    _scenario_sheet(book, labels.sheet("scenario"), solution.scenario, labels)
    _fingerprint_row(book[labels.sheet("scenario")], solution.fingerprint)
    _meeting_print(book, labels)
    write_atomically(target, book.save)


def _in_words(frame: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """A copy with sectors, cities and PPP mechanisms named in the language."""
    out = frame.copy()
    if "sector" in out.columns:
        out["sector"] = [labels.sector(v) for v in out["sector"]]
    if "region" in out.columns:
        out["region"] = [labels.city(v) for v in out["region"]]
    if "ppp_mechanism" in out.columns:
        out["ppp_mechanism"] = [labels.mechanism(v) for v in out["ppp_mechanism"]]
    return out


def _fingerprint_row(sheet: Any, fingerprint: str) -> None:
    """The workbook the scenario was made from, so a replay on another one says so."""
    sheet.append([FINGERPRINT_KEY, fingerprint, "SHA-256"])


def read_scenario(source: str | IO[bytes]) -> Scenario:
    """The Scenario stored in an exported workbook (its Scenario / 情景 sheet)."""
    return read_saved_scenario(source).scenario


def read_saved_scenario(source: str | IO[bytes]) -> SavedScenario:
    """The Scenario stored in an exported workbook, with the fingerprint of the workbook it
    was made from. A hand-edited row that cannot be read (text without quotes, a note, a
    decimal comma) is a ScenarioError naming its row and key."""
    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    try:
        title = next((t for t in book.sheetnames if t in SHEETS["scenario"]), None)
        if title is None:
            raise ValueError("the workbook has no Scenario sheet")
        values: dict[str, Any] = {}
        rows: dict[str, int] = {}
        fingerprint = None
        known = {f.name for f in dataclasses.fields(Scenario)}
        for number, (key, value) in enumerate(
            book[title].iter_rows(min_row=2, max_col=2, values_only=True), start=2
        ):
            if key is None or (isinstance(key, str) and not key.strip()):
                continue
            key = str(key).strip()
            where = f"Scenario sheet row {number}, {key}"
            if key == FINGERPRINT_KEY:
                fingerprint = str(value) if value is not None else None
                continue
            if key not in known:
                raise ScenarioError(
                    f"{where}: not a scenario key (one of {', '.join(sorted(known))})"
                )
            if key in rows:
                raise ScenarioError(f"{where}: set twice (also row {rows[key]})")
            rows[key] = number
            if isinstance(value, str):
                try:
                    value = parse_json(value)
                except json.JSONDecodeError:
                    # Text typed without its quotes, as --set takes it: a text field's
                    # value, or project ids separated by commas.
                    if key in ("solver", "solve_strategy", "name"):
                        values[key] = value.strip()
                        continue
                    if key in ("forced_in", "forced_out"):
                        values[key] = [p.strip() for p in value.split(",") if p.strip()]
                        continue
                    raise ScenarioError(
                        f"{where}: '{value[:60]}' cannot be read; a number is written as "
                        '1.2 (a point, no comma), years as {"2023": 250}'
                    ) from None
                except ScenarioError as exc:
                    raise ScenarioError(f"{where}: {exc}") from None
            values[key] = value
    finally:
        book.close()
    try:
        return SavedScenario(Scenario.from_dict(values), fingerprint)
    except ScenarioError as exc:
        named = [k for k in rows if str(exc).startswith(k) or f" {k} " in f" {exc}"]
        if len(named) == 1:
            raise ScenarioError(f"Scenario sheet row {rows[named[0]]}: {exc}") from None
        raise


def read_saved_plan(source: str | IO[bytes]) -> dict[str, int]:
    """The plan of an exported shortlist, {project_id: start year}, read from its Shortlist
    sheet in either language (a reference for a stable re-solve). A sheet or row that cannot
    be read is a ScenarioError naming it."""
    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    try:
        title = next((t for t in book.sheetnames if t in SHEETS["shortlist"]), None)
        if title is None:
            sheets = " / ".join(SHEETS["shortlist"])
            raise ScenarioError(
                f"the workbook has no {sheets} sheet to read a plan from",
                "plan_no_sheet",
                {"sheets": sheets},
            )
        rows = book[title].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        where: dict[str, int] = {}
        for key in ("project_id", "start_year"):
            found = [k for k, name in enumerate(header) if name in COLUMNS[key]]
            if not found:
                columns = " / ".join(COLUMNS[key])
                raise ScenarioError(
                    f"{title} sheet: no {columns} column in its first row",
                    "plan_no_column",
                    {"title": title, "columns": columns},
                )
            where[key] = found[0]
        plan: dict[str, int] = {}
        for number, row in enumerate(rows, start=2):
            pid = row[where["project_id"]] if len(row) > where["project_id"] else None
            year = row[where["start_year"]] if len(row) > where["start_year"] else None
            if pid is None or (isinstance(pid, str) and not pid.strip()):
                continue
            pid = str(pid).strip()
            if year is None and pid in COLUMNS["total"]:
                continue  # the totals row
            if isinstance(year, float) and year.is_integer():
                year = int(year)
            if isinstance(year, bool) or not isinstance(year, int):
                raise ScenarioError(
                    f"{title} sheet row {number}, {pid}: start year {year!r}",
                    "plan_bad_year",
                    {"title": title, "row": number, "project": pid, "year": repr(year)},
                )
            if pid in plan:
                raise ScenarioError(
                    f"{title} sheet row {number}: {pid} is listed twice",
                    "plan_listed_twice",
                    {"title": title, "row": number, "project": pid},
                )
            plan[pid] = year
    finally:
        book.close()
    return plan
