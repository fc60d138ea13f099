"""Issue #21: the public API checks its arguments at the door, a PlanningData built in Python
is checked as a workbook is, and the command line never shows a traceback (closed standard
output, deeply nested or 5,000-digit scenario JSON, a hand-edited shortlist)."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import workbook_bytes
from helpers import run_cli as run

import optimizer
from optimizer import Scenario, ScenarioError, WorkbookError


@pytest.fixture(scope="module")
def data() -> optimizer.PlanningData:
    return optimizer.load_workbook(workbook_bytes())




# ----------------------------------------------------------------------------- the door


def test_solve_names_a_path_given_for_data() -> None:
    with pytest.raises(TypeError, match=r"data must be a PlanningData .*load_workbook\(path\)"):
        optimizer.solve("projects.xlsx")  # type: ignore[arg-type]


def test_a_scenario_may_be_a_mapping_and_nothing_else(data) -> None:
    by_dict = optimizer.solve(data, {"fiscal_budget_scale": 0.5})
    assert by_dict.scenario.fiscal_budget_scale == 0.5
    assert by_dict.objective == optimizer.solve(data, Scenario(fiscal_budget_scale=0.5)).objective
    with pytest.raises(TypeError, match="scenario must be a Scenario, a dict"):
        optimizer.solve(data, 1.2)  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="unknown scenario keys: fiscal_budget_scal"):
        optimizer.solve(data, {"fiscal_budget_scal": 1.2})


def test_load_workbook_names_what_it_takes() -> None:
    with pytest.raises(TypeError, match="source must be a path to an .xlsx file.*got int 123"):
        optimizer.load_workbook(123)  # type: ignore[arg-type]


def test_export_names_each_wrong_argument(data, tmp_path: Path) -> None:
    solution = optimizer.solve(data)
    with open(tmp_path / "t.txt", "w") as text, pytest.raises(TypeError, match="text file"):
        optimizer.export_workbook(solution, text)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="solution must be a Solution"):
        optimizer.export_workbook(data, tmp_path / "x.xlsx")  # type: ignore[arg-type]
    # The words are a Labels (with the workbook's city names), not a language code.
    with pytest.raises(TypeError, match="labels must be a Labels.*got str"):
        optimizer.export_workbook(solution, tmp_path / "x.xlsx", labels="zh")  # type: ignore[arg-type]
    with open(tmp_path / "u.txt", "w") as text, pytest.raises(TypeError, match="text file"):
        optimizer.write_template(text)  # type: ignore[arg-type]
    assert not (tmp_path / "x.xlsx").exists()


def test_analyses_check_their_arguments(data) -> None:
    with pytest.raises(TypeError, match="data must be a PlanningData"):
        optimizer.frontier("projects.xlsx", None, "fiscal_budget", 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="options must be a RunOptions"):
        optimizer.break_even(data, options={"workers": 2})  # type: ignore[arg-type]
    table = optimizer.frontier(data, {"bond_quota_scale": 0.5}, "fiscal_budget", [0.5, 1.0])
    assert len(table) == 2


# ------------------------------------------------------------- PlanningData from Python


def test_a_dropped_column_is_named(data) -> None:
    dropped = dataclasses.replace(data, projects=data.projects.drop(columns=["capex"]))
    with pytest.raises(WorkbookError, match="projects, capex: column is missing"):
        optimizer.solve(dropped)


def test_a_text_typed_column_is_named(data) -> None:
    text = dataclasses.replace(data, projects=data.projects.assign(capex=["10", "10", "10"]))
    with pytest.raises(WorkbookError, match="projects, capex: must hold numbers"):
        optimizer.prepare(text)


def test_a_negative_capex_is_named_with_its_row(data) -> None:
    projects = data.projects.copy()
    projects.loc[1, "capex"] = -5.0
    with pytest.raises(WorkbookError, match=r"projects row 3, capex: must be > 0.*got -5"):
        optimizer.solve(dataclasses.replace(data, projects=projects))


def test_each_bad_number_is_named_with_its_row(data) -> None:
    """The columns' rules are tested on whole columns first; every cell that fails one is
    still named, in its own row, with _parse_cell's words."""
    projects = data.projects.copy()
    projects["duration_years"] = projects["duration_years"].astype(float)
    projects.loc[0, "duration_years"] = 1.5
    projects.loc[1, "jobs_per_yi"] = math.nan
    projects.loc[2, "capex"] = math.inf
    with pytest.raises(WorkbookError) as caught:
        optimizer.prepare(dataclasses.replace(data, projects=projects))
    text = str(caught.value)
    assert "projects row 2, duration_years: must be a whole number, got 1.5" in text
    assert "projects row 3, jobs_per_yi: is empty" in text
    assert "projects row 4, capex: must be a finite number, got inf" in text
    assert text.count("projects row") == 3


# ---------------------------------------------------------------- the command line


def test_closed_standard_output_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "w.xlsx").write_bytes(workbook_bytes())
    closed = subprocess.run(
        f"{sys.executable} -m optimizer solve w.xlsx --json >&-",
        shell=True,
        cwd=tmp_path,
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    assert closed.returncode == 2, closed.stderr
    assert "Traceback" not in closed.stderr
    assert "standard output is closed" in closed.stderr
    written = subprocess.run(
        f"{sys.executable} -m optimizer solve w.xlsx --out s.xlsx >&-",
        shell=True,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "s.xlsx").exists()


def test_deeply_nested_scenario_json_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "w.xlsx").write_bytes(workbook_bytes())
    (tmp_path / "s.json").write_text("[" * 100_000 + "]" * 100_000)
    done = run(tmp_path, "solve", "w.xlsx", "--scenario", "s.json")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "nested too deeply" in done.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"forced_in": ' + "[" * 500 + "]" * 500 + "}", "forced_in must be a list"),
        ('{"commute_km": ' + "9" * 5000 + "}", "commute_km must be 0 to 2,000, got a number of"),
        ('{"fiscal_budget_scale": -' + "9" * 5000 + ".5}", "fiscal_budget_scale must be ≥ 0"),
        ('{"fiscal_budget": {"2021": ' + "9" * 5000 + "}}", "fiscal_budget for 2021 must be"),
    ],
)
def test_hostile_scenario_json_gets_the_contracts_words(content: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        Scenario.from_json(content)


def shortlist_with(data, folder: Path, key: str, value: object) -> int:
    """The shortlist s.xlsx with one Scenario row set by hand; the row's number."""
    optimizer.export_workbook(optimizer.solve(data), folder / "s.xlsx")
    book = openpyxl.load_workbook(folder / "s.xlsx")
    sheet = book["Scenario"]
    row = next((c.row for c in sheet["A"] if c.value == key), sheet.max_row + 1)
    sheet.cell(row=row, column=1, value=key)
    sheet.cell(row=row, column=2, value=value)
    book.save(folder / "s.xlsx")
    return row


def test_a_hand_edited_shortlist_names_row_and_key_on_the_command_line(
    data, tmp_path: Path
) -> None:
    (tmp_path / "w.xlsx").write_bytes(workbook_bytes())
    row = shortlist_with(data, tmp_path, "fiscal_budget_scale", "1,2")
    done = run(tmp_path, "solve", "w.xlsx", "--scenario", "s.xlsx")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"Scenario sheet row {row}, fiscal_budget_scale: '1,2' cannot be read" in done.stderr


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("fiscal_budget", "2021: 300", "Scenario sheet row {row}, fiscal_budget: '2021: 300'"),
        ("solver", "glpk", "Scenario sheet row {row}: solver must be one of highs, cbc"),
        ("note", "from the meeting", "Scenario sheet row {row}, note: not a scenario key"),
        ("commute_km", -3, "Scenario sheet row {row}: commute_km must be ≥ 0"),
    ],
)
def test_a_hand_edited_shortlist_names_row_and_key(
    data, tmp_path: Path, key: str, value: object, message: str
) -> None:
    row = shortlist_with(data, tmp_path, key, value)
    with pytest.raises(ScenarioError) as caught:
        optimizer.read_saved_scenario(str(tmp_path / "s.xlsx"))
    assert message.format(row=row) in str(caught.value)


def test_text_typed_without_quotes_in_a_shortlist_is_read_as_text(data, tmp_path: Path) -> None:
    (tmp_path / "w.xlsx").write_bytes(workbook_bytes())
    optimizer.export_workbook(optimizer.solve(data), tmp_path / "s.xlsx")
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    sheet = book["Scenario"]
    for cell in sheet["A"]:
        if cell.value == "solver":
            sheet.cell(row=cell.row, column=2, value="cbc")
        if cell.value == "forced_in":
            sheet.cell(row=cell.row, column=2, value="P1, P2")
    book.save(tmp_path / "s.xlsx")
    saved = optimizer.read_saved_scenario(str(tmp_path / "s.xlsx"))
    assert saved.scenario.solver == "cbc"
    assert saved.scenario.forced_in == ("P1", "P2")
