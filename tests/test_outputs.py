"""The Excel shortlist and the command line."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLE
from helpers import SOLUTION_JSON_KEYS, planning_data
from openpyxl.utils import get_column_letter

import optimizer
from optimizer import Scenario, solve
from optimizer.cli import main
from optimizer.present.export import PRINT_WIDTH, export_workbook, read_scenario
from optimizer.present.labels import Labels


@pytest.fixture(scope="session")
def sample_solution(sample: optimizer.PlanningData) -> optimizer.Solution:
    return solve(sample, Scenario(fiscal_budget_scale=1.1, name="budget +10 %"))


def test_export_reloads_with_the_solution_figures(sample_solution, tmp_path) -> None:
    path = tmp_path / "shortlist.xlsx"
    frontier = pd.DataFrame(
        dict(
            fiscal_budget_scale=[0.5, 1.0, 1.5],
            worker_years=[1.0, 2.0, 3.0],
            job_years=[2.0, 4.0, 5.0],
        )
    )
    export_workbook(sample_solution, path, frontier=frontier)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "Summary",
        "Shortlist",
        "Not chosen",
        "By year",
        "By city",
        "By sector",
        "Layoffs",
        "Training",
        "Limits",
        "Frontier",
        "Scenario",
    ]
    shortlist = pd.read_excel(path, sheet_name="Shortlist")
    shortlist, total = shortlist.iloc[:-1], shortlist.iloc[-1]
    assert len(shortlist) == len(sample_solution.chosen)
    assert total["Project ID"] == "Total"
    assert total["Capex (亿元)"] == pytest.approx(sample_solution.chosen["capex"].sum())
    assert shortlist["Capex (亿元)"].sum() == pytest.approx(sample_solution.chosen["capex"].sum())
    assert list(shortlist["Project ID"]) == list(sample_solution.chosen["project_id"])
    assert shortlist["Start"].is_monotonic_increasing
    for column in ("Jobs source", "Basis (S/R/E)", "PPP payment (亿元/year)", "PPP mechanism"):
        assert column in shortlist.columns
    assert {"Build years", "Skill match"} <= set(shortlist.columns)
    by_year = pd.read_excel(path, sheet_name="By year").iloc[:-1]
    assert by_year["Budget spend (亿元)"].to_list() == pytest.approx(
        sample_solution.by_year["budget_spend"].to_list()
    )
    not_chosen = pd.read_excel(path, sheet_name="Not chosen").iloc[:-1]
    assert len(not_chosen) == len(sample_solution.not_chosen)
    assert "left out by the optimiser" not in set(not_chosen["Reason"])
    assert not_chosen["Reason"].nunique() > 3
    limits = pd.read_excel(path, sheet_name="Limits")
    assert len(limits) == len(sample_solution.limits)
    assert not limits["Limit"].str.contains("forced_in|exclusive_group|ppp_line").any()
    sheet = book["Shortlist"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet["A1"].font.bold
    assert sheet["G2"].number_format == "#,##0.00"
    assert len(book["Frontier"]._charts) == 1
    summary = pd.read_excel(path, sheet_name="Summary", header=1).dropna(how="all")
    items = dict(summary.values)
    assert items["Status"] == "optimal"
    assert items["Projects chosen"] == len(sample_solution.chosen)
    # The caveats, then the record; the input fingerprint last.
    assert "Solver precision" in items
    assert "Sample data" not in items  # not said unless the workbook is the sample
    assert list(summary.iloc[-1]) == ["Input fingerprint (SHA-256)", sample_solution.fingerprint]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_shortlist_gives_version_3_figures(sample_solution, language) -> None:
    s = sample_solution
    labels = Labels.for_solution(s, language)
    buffer = io.BytesIO()
    export_workbook(s, buffer, labels=labels)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    items = {
        row[0]: row[1]
        for row in book[labels.sheet("summary")].iter_rows(min_row=3, values_only=True)
        if row[0]
    }
    h = s.headline()
    assert items[labels("jobless_left")] == pytest.approx(s.jobless_worker_years)
    share = s.worker_years / s.exposure_worker_years
    assert items[labels("exposure_share")] == pytest.approx(share)
    assert items[labels.column("trainees")] == pytest.approx(s.trainees)
    lasting = f"{s.construction_worker_years:,.0f} / {s.operating_worker_years:,.0f}"
    assert items[labels("construction_vs_lasting")] == lasting
    assert items[labels("public_money_per_worker_year")] == pytest.approx(
        s.public_money * 1e4 / s.worker_years
    )
    assert items[labels("jobless_at_end")] == pytest.approx(h["jobless_at_end"])
    for region in s.monitoring["region"]:
        assert labels.city(region) in items[labels("monitoring")]
    assert items[labels("caveat_assumption")] == labels("worker_years_v3_help")
    # Layoffs: planned against recommended, a row per city and industry, a year per pair.
    rows = list(book[labels.sheet("layoffs")].values)
    layoffs = pd.DataFrame(rows[1:-1], columns=rows[0])  # the totals row left out
    pace = s.layoff_pace()
    assert len(layoffs) == pace.groupby(["region", "sector"]).ngroups
    for row in pace.itertuples():
        mine = layoffs[
            (layoffs[labels.column("region")] == labels.city(row.region))
            & (layoffs[labels.column("industry")] == labels.industry(row.sector))
        ]
        year = labels.year(row.year)
        assert mine[f"{year} {labels.column('planned_short')}"].item() == pytest.approx(
            row.planned
        )
        assert mine[f"{year} {labels.column('recommended_short')}"].item() == pytest.approx(
            row.recommended
        )
    # Training: trainees by city and year, each city's money.
    rows = list(book[labels.sheet("training")].values)
    total = dict(zip(rows[0], rows[-1], strict=True))
    training = pd.DataFrame(rows[1:-1], columns=rows[0]).set_index(labels.column("region"))
    for region, years in s.trainees_by_region_year.items():
        for year, value in years.items():
            assert training.at[labels.city(region), labels.year(year)] == pytest.approx(value)
    assert total[labels.column("trainees")] == pytest.approx(s.trainees)
    assert total[labels.column("training_spend")] == pytest.approx(
        s.by_year["training_spend"].sum()
    )
    # Each new sheet prints on one landscape page, fitted to its width.
    for title in (labels.sheet("layoffs"), labels.sheet("training")):
        sheet = book[title]
        assert sheet.page_setup.fitToWidth == 1
        widths = [
            sheet.column_dimensions[get_column_letter(c)].width
            for c in range(1, sheet.max_column + 1)
        ]
        assert sum(widths) <= PRINT_WIDTH


def test_scenario_sheet_reproduces_the_portfolio(sample, sample_solution, tmp_path) -> None:
    path = tmp_path / "shortlist.xlsx"
    export_workbook(sample_solution, path)
    scenario = read_scenario(str(path))
    assert scenario == sample_solution.scenario
    assert solve(sample, scenario).chosen_starts == sample_solution.chosen_starts


def test_chinese_export(sample_solution) -> None:
    buffer = io.BytesIO()
    export_workbook(sample_solution, buffer, labels=Labels.for_solution(sample_solution, "zh"))
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames[:2] == ["摘要", "入选项目"]
    assert book["入选项目"]["A1"].value == "项目编号"
    assert read_scenario(io.BytesIO(buffer.getvalue())) == sample_solution.scenario


def test_formula_looking_text_stays_text(tmp_path) -> None:
    names = ['=HYPERLINK("http://x")', "+1 road", "-2 rail", "@grid"]
    data = planning_data(
        [dict(project_id=n, name=n, region="A", capex=1.0, jobs_per_yi=1.0) for n in names],
        [dict(region="A", displaced_workers=10.0)],
        [(2021, 100.0, 0.0)],
    )
    path = tmp_path / "x.xlsx"
    export_workbook(solve(data), path)
    sheet = openpyxl.load_workbook(path)["Shortlist"]
    cells = [sheet.cell(row=r, column=2) for r in range(2, 6)]
    assert sorted(c.value for c in cells) == sorted(names)
    assert all(c.data_type == "s" for c in cells)


def test_a_failed_export_leaves_the_old_file(sample_solution, tmp_path, monkeypatch) -> None:
    path = tmp_path / "shortlist.xlsx"
    path.write_bytes(b"old contents")

    def broken_save(self, stream):
        stream.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        export_workbook(sample_solution, path)
    assert path.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["shortlist.xlsx"]


def test_cli_solve_json_and_exit_codes(sample_solution, capfd, tmp_path) -> None:
    out = tmp_path / "s.xlsx"
    code = main(
        ["solve", str(SAMPLE), "--json", "--set", "fiscal_budget_scale=1.1", "--out", str(out)]
    )
    printed = capfd.readouterr().out
    assert code == 0
    result = json.loads(printed)
    assert list(result) == SOLUTION_JSON_KEYS
    assert result == json.loads(json.dumps(sample_solution.to_dict()))
    assert out.exists()
    assert main(["solve", str(SAMPLE), "--set", "fiscal_budget_scale=0.05"]) == 1
    assert "fiscal budget" in capfd.readouterr().err


def test_cli_scenario_file_bad_input_and_template(capfd, tmp_path) -> None:
    scenario = tmp_path / "s.json"
    scenario.write_text(Scenario(forced_in=["nope"]).to_json(), encoding="utf-8")
    assert main(["solve", str(SAMPLE), "--scenario", str(scenario)]) == 2
    assert "no such project nope" in capfd.readouterr().err
    bad = tmp_path / "bad.xlsx"
    bad.write_text("project_id\nP1\n", encoding="utf-8")
    assert main(["check", str(bad)]) == 2
    assert "not an .xlsx workbook" in capfd.readouterr().err
    blank = tmp_path / "blank.xlsx"
    assert main(["template", str(blank)]) == 0
    assert main(["check", str(blank)]) == 2  # nothing to plan until the sheets are filled in
    assert "years: the sheet has no rows below its header" in capfd.readouterr().err
    assert main(["check", str(SAMPLE)]) == 0
    assert "248 projects" in capfd.readouterr().out


def test_cli_frontier_prints_writes_and_refuses_bad_points(capfd, tmp_path) -> None:
    out = tmp_path / "frontier.xlsx"
    code = main(
        ["frontier", str(SAMPLE), "--values", "0.9,1.1", "--gap", "0.01", "--json", "--quiet"]
        + ["--out", str(out)]
    )
    assert code == 0
    rows = json.loads(capfd.readouterr().out)
    assert [r["setting"] for r in rows] == [0.9, 1.1]
    assert all(r["status"] in ("optimal", "time_limit") for r in rows)
    assert rows[1]["worker_years"] >= rows[0]["worker_years"] * 0.99
    frontier_sheet = pd.read_excel(out, sheet_name="Frontier")
    assert frontier_sheet["Setting"].tolist() == [0.9, 1.1]
    assert frontier_sheet["Worker-years re-employed"].tolist() == pytest.approx(
        [r["worker_years"] for r in rows]
    )
    assert openpyxl.load_workbook(out)["Frontier"]._charts
    # The lever's unit in the amount's header and per unit in the marginals' (not "per unit").
    assert "Lever amount (亿元)" in frontier_sheet.columns
    assert "Extra worker-years per 亿元" in frontier_sheet.columns
    assert "Extra job-years per 亿元" in frontier_sheet.columns
    assert main(["frontier", str(SAMPLE), "--values", "1,-1", "--quiet"]) == 2
    assert "--values needs numbers ≥ 0" in capfd.readouterr().err


def test_an_exported_workbook_opens_in_libreoffice(sample_solution, libreoffice, tmp_path) -> None:
    path = tmp_path / "短名单 shortlist.xlsx"
    export_workbook(sample_solution, path, labels=Labels.for_solution(sample_solution, "zh"))
    done = libreoffice("csv", tmp_path / "csv", path)
    assert done.returncode == 0, done.stderr
    converted = tmp_path / "csv" / "短名单 shortlist.csv"
    assert converted.exists(), done.stdout + done.stderr
    # The first sheet (Summary) as LibreOffice reads it: the headline figures are there.
    text = converted.read_text(encoding="utf-8", errors="replace")
    assert f"{sample_solution.headline()['projects']:.0f}" in text


def test_the_shortlist_prints_for_a_meeting(sample_solution) -> None:
    buffer = io.BytesIO()
    zh = Labels.for_solution(sample_solution, "zh")
    export_workbook(sample_solution, buffer, labels=zh, sample_data=True)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        # The Summary's two columns and many rows print on one portrait page; tables across.
        assert setup.orientation == ("portrait" if sheet.title == "摘要" else "landscape")
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert setup.fitToWidth == 1, sheet.title
        assert "&P" in sheet.oddFooter.center.text, sheet.title
        if sheet.title == "摘要":
            assert setup.fitToHeight == 1  # one page
        else:
            assert setup.fitToHeight == 0  # as many pages tall as needed
            assert sheet.print_title_rows == "$1:$1", sheet.title  # the header on every page
    summary = [row for row in book["摘要"].iter_rows(values_only=True) if any(row)]
    assert summary[-1][0] == "输入数据指纹（SHA-256）"
    assert any(row[0] == "示例数据" for row in summary)
    assert any(row[0] == "求解精度" and "求解精度" in str(row[1]) for row in summary)


@pytest.fixture(scope="module")
def printed_pages(sample_solution, libreoffice, tmp_path_factory) -> dict[str, int]:
    """Pages of each language's shortlist, and of its Summary sheet alone, printed to PDF
    (all four in one LibreOffice run): {"shortlist_en": pages, "summary_en": pages, ...}."""
    out = tmp_path_factory.mktemp("printed")
    files = []
    for language in ("en", "zh"):
        path = out / f"shortlist_{language}.xlsx"
        labels = Labels.for_solution(sample_solution, language)
        export_workbook(sample_solution, path, labels=labels, sample_data=True)
        book = openpyxl.load_workbook(path)
        for title in book.sheetnames[1:]:
            del book[title]
        alone = out / f"summary_{language}.xlsx"
        book.save(alone)
        files += [path, alone]
    done = libreoffice("pdf", out, *files)
    assert done.returncode == 0, done.stderr
    # Page objects ("/Type /Page", not "/Pages"); LibreOffice writes them uncompressed.
    page = re.compile(rb"/Type\s*/Page(?![s\w])")
    return {path.stem: len(page.findall(path.with_suffix(".pdf").read_bytes())) for path in files}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_shortlist_prints_in_few_pages(printed_pages, language) -> None:
    pages = printed_pages[f"shortlist_{language}"]
    # Without print settings the sample's file printed on 62 to 68 pages; then 12 at 4 to 5
    # pt; then 31 to 34 at 8 pt on version 3's sample. Now a meeting's sheets only, the
    # Shortlist one line a project (tests/test_printed.py checks the size), with version 3's
    # Layoffs and Training sheets: 10 to 11 pages.
    assert 5 <= pages <= 11, pages
    # The Summary alone prints on one page.
    assert printed_pages[f"summary_{language}"] == 1


def test_cli_json_gives_the_reasons_when_asked(sample_solution, capfd) -> None:
    args = ["solve", str(SAMPLE), "--json", "--set", "fiscal_budget_scale=1.1", "--reasons"]
    assert main([*args, "--language", "zh"]) == 0
    result = json.loads(capfd.readouterr().out)
    assert list(result)[:-1] == list(sample_solution.to_dict())  # to_dict's keys unchanged
    left_out = result["not_chosen"]
    assert [r["project_id"] for r in left_out] == list(sample_solution.not_chosen["project_id"])
    debt = [r for r in left_out if r["reason_code"] == "debt_used"]
    assert debt
    assert all(r["reason"].endswith("债务空间已用尽") for r in debt)
