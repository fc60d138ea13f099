"""The loader: every rule of the data contract, reported with sheet, row and column."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
from conftest import SAMPLE
from helpers import PROJECT_HEADER, project, region, workbook_bytes

import optimizer
from optimizer import WorkbookError, load_workbook
from optimizer import loader as loader_module


def problems_of(data: bytes) -> list[optimizer.Problem]:
    with pytest.raises(WorkbookError) as caught:
        load_workbook(data)
    return caught.value.problems


def only_problem(data: bytes) -> optimizer.Problem:
    found = problems_of(data)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_sample_loads(sample: optimizer.PlanningData) -> None:
    assert 200 <= len(sample.projects) <= 300
    assert len(sample.regions) == 13
    assert sample.planning_years == [2021, 2022, 2023, 2024, 2025]
    assert set(sample.projects["sector"]) == {"transport", "telecom", "energy", "urban_renewal"}
    assert sample.projects["earliest_start"].notna().all()
    assert sample.projects["lat"].notna().all()


def test_small_workbook_loads_with_defaults() -> None:
    data = load_workbook(workbook_bytes())
    p = data.projects.set_index("project_id")
    assert p.at["P1", "earliest_start"] == 2021
    assert p.at["P1", "latest_start"] == 2022  # one-year project may start in the last year
    assert p.at["P1", "skill_match"] == 1.0
    assert not p.at["P1", "mandatory"]
    assert p.at["P1", "lat"] == 32.0  # the region's centre
    assert data.settings["ppp_cap_share"] == 0.10
    assert list(data.sectors["max_share"]) == [1.0] * 4


def test_headers_match_case_and_spaces_and_extra_columns_are_kept() -> None:
    header = [f"  {h.upper()} " for h in PROJECT_HEADER] + ["planner note"]
    row = {f"  {k.upper()} ": v for k, v in project("P1").items()}
    row["planner note"] = "check with bureau"
    data = load_workbook(workbook_bytes([row], project_header=header))
    assert data.projects.at[0, "capex"] == 10.0
    assert data.projects.at[0, "planner note"] == "check with bureau"


def test_chinese_sector_names_and_yes_no_spellings_are_normalised() -> None:
    rows = [
        project("P1", sector="交通", mandatory="是"),
        project("P2", sector="通讯", excluded="Y"),
        project("P3", sector="城市更新", mandatory=True),
        project("P4", sector="能源", mandatory=0, excluded="否"),
        project("P5", sector="Telecom", mandatory="TRUE"),
    ]
    p = load_workbook(workbook_bytes(rows)).projects.set_index("project_id")
    assert list(p["sector"]) == ["transport", "telecom", "urban_renewal", "energy", "telecom"]
    assert list(p["mandatory"]) == [True, False, True, False, True]
    assert list(p["excluded"]) == [False, True, False, False, False]


def test_empty_rows_are_skipped_and_row_numbers_stay_excel_rows() -> None:
    def blank_row(book):
        book["projects"].insert_rows(3)

    found = only_problem(workbook_bytes([project("P1"), project("P2", capex=-3)], edit=blank_row))
    assert (found.sheet, found.row, found.column) == ("projects", 4, "capex")
    assert str(found) == "projects row 4, capex: must be > 0, got -3"


@pytest.mark.parametrize(
    ("values", "column", "fragment"),
    [
        ({"project_id": None}, "project_id", "is empty"),
        ({"name": None}, "name", "is empty"),
        ({"sector": "water"}, "sector", "must be one of"),
        ({"region": "Atlantis"}, "region", "not a region"),
        ({"capex": 0}, "capex", "must be > 0"),
        ({"capex": "lots"}, "capex", "must be a number"),
        ({"duration_years": 11}, "duration_years", "must be 1 to 10"),
        ({"duration_years": 2.5}, "duration_years", "whole number"),
        ({"earliest_start": "soon"}, "earliest_start", "must be a number"),
        ({"earliest_start": 2022, "latest_start": 2021}, "latest_start", "before earliest_start"),
        ({"budget_share": 1.5, "bond_share": -0.5}, "budget_share", "must be 0 to 1"),
        ({"budget_share": 0.5, "bond_share": 0.4}, "private_share", "must be 1"),
        ({"ppp_annual_payment": -1}, "ppp_annual_payment", "must be ≥ 0"),
        ({"jobs_per_yi": -5}, "jobs_per_yi", "must be ≥ 0"),
        ({"operating_jobs": -1}, "operating_jobs", "must be ≥ 0"),
        ({"skill_match": 1.2}, "skill_match", "must be 0 to 1"),
        ({"mandatory": "maybe"}, "mandatory", "must be yes or no"),
        ({"mandatory": "yes", "excluded": "yes"}, "excluded", "both mandatory and excluded"),
        ({"requires": "P9"}, "requires", "not a project_id"),
        ({"requires": "P2"}, "requires", "cannot require itself"),
        ({"lat": 32.5}, "lat", "both lat and lon"),
        ({"lat": 95, "lon": 119}, "lat", "must be -90 to 90"),
    ],
)
def test_each_project_rule_names_sheet_row_and_column(values, column, fragment) -> None:
    rows = [project("P1"), project("P2", **values), project("P3")]
    found = problems_of(workbook_bytes(rows))
    assert any(
        p.sheet == "projects" and p.row == 3 and p.column == column and fragment in p.message
        for p in found
    ), [str(p) for p in found]


def test_duplicate_project_ids_name_both_rows() -> None:
    found = only_problem(workbook_bytes([project("P-1"), project("P_1"), project("P-1")]))
    assert (found.row, found.column) == (4, "project_id")
    assert "also row 2" in found.message


def test_requirement_cycle_is_reported_once() -> None:
    rows = [
        project("P1", requires="P2"),
        project("P2", requires="P3"),
        project("P3", requires="P1"),
    ]
    found = only_problem(workbook_bytes(rows))
    assert found.column == "requires"
    assert "cycle" in found.message
    assert "P1" in found.message


@pytest.mark.parametrize(
    ("values", "column", "fragment"),
    [
        ({"lat": None}, "lat", "is empty"),
        ({"displaced_workers": -1}, "displaced_workers", "must be ≥ 0"),
        ({"general_budget_expenditure": 0}, "general_budget_expenditure", "must be > 0"),
        ({"existing_ppp_payments": -2}, "existing_ppp_payments", "must be ≥ 0"),
        ({"debt_headroom": "none"}, "debt_headroom", "must be a number"),
        ({"region": "A"}, "region", "appears twice"),
    ],
)
def test_each_region_rule(values, column, fragment) -> None:
    found = problems_of(workbook_bytes(regions=[region("A"), region("B", **values)]))
    assert any(
        p.sheet == "regions" and p.row == 3 and p.column == column and fragment in p.message
        for p in found
    ), [str(p) for p in found]


@pytest.mark.parametrize(
    ("years", "row", "column", "fragment"),
    [
        ([(2021, 10, 10), (2023, 10, 10)], None, "year", "consecutive; missing 2022"),
        ([(2021, 10, 10), (2021, 10, 10)], 3, "year", "appears twice"),
        ([(2021, -1, 10), (2022, 10, 10)], 2, "fiscal_budget", "must be ≥ 0"),
        ([(2021, 10, 10), (2022, 10, "x")], 3, "bond_quota", "must be a number"),
        ([(2021.5, 10, 10)], 2, "year", "whole number"),
    ],
)
def test_each_year_rule(years, row, column, fragment) -> None:
    found = problems_of(workbook_bytes(years=years))
    assert any(
        p.sheet == "years" and p.row == row and p.column == column and fragment in p.message
        for p in found
    ), [str(p) for p in found]


@pytest.mark.parametrize(
    ("sectors", "column", "fragment"),
    [
        ([("roads", 0, 1)], "sector", "must be one of"),
        ([("energy", 0.5, 0.2)], "min_share", "above max_share"),
        ([("energy", 0.6, 1), ("telecom", 0.6, 1)], "min_share", "add up to 1.2"),
        ([("energy", 0, 1), ("能源", 0, 1)], "sector", "appears twice"),
        ([("energy", 0, 1.5)], "max_share", "must be 0 to 1"),
    ],
)
def test_each_sector_rule(sectors, column, fragment) -> None:
    found = problems_of(workbook_bytes(sectors=sectors))
    assert any(
        p.sheet == "sectors" and p.column == column and fragment in p.message for p in found
    ), [str(p) for p in found]


def test_sector_shares_are_read_and_missing_sectors_default() -> None:
    data = load_workbook(workbook_bytes(sectors=[("城市更新", 0.2, 0.5)]))
    table = data.sectors.set_index("sector")
    assert table.at["urban_renewal", "min_share"] == 0.2
    assert table.at["energy", "max_share"] == 1.0


def test_settings_are_read_checked_and_unknown_keys_warned() -> None:
    data = load_workbook(workbook_bytes(settings=[("PPP_cap_share", 0.07), ("colour", "blue")]))
    assert data.settings["ppp_cap_share"] == 0.07
    assert data.settings["commute_km"] == 60
    assert data.warnings == ("settings row 3: unknown key 'colour' ignored",)
    found = problems_of(
        workbook_bytes(settings=[("commute_km", -5), ("mip_gap", 2), ("commute_km", 10)])
    )
    assert [(p.row, p.column) for p in found] == [(2, "value"), (3, "value"), (4, "value")]
    assert "set twice" in found[2].message


def test_missing_sheet_and_missing_column_are_named() -> None:
    found = problems_of(
        workbook_bytes(
            drop_sheets=("years",), project_header=[h for h in PROJECT_HEADER if h != "capex"]
        )
    )
    messages = {str(p) for p in found}
    assert "years: required sheet is missing" in messages
    assert "projects, capex: required column is missing" in messages


def test_many_problems_are_reported_together() -> None:
    rows = [project("P1", capex=-1), project("P2", sector="x"), project("P3", skill_match=3)]
    found = problems_of(workbook_bytes(rows, years=[(2021, -1, 1)]))
    assert {(p.sheet, p.row, p.column) for p in found} == {
        ("projects", 2, "capex"),
        ("projects", 3, "sector"),
        ("projects", 4, "skill_match"),
        ("years", 2, "fiscal_budget"),
    }
    error = WorkbookError(found)
    assert isinstance(error, ValueError)
    assert len(error.to_frame()) == 4
    assert str(error).startswith("the workbook has 4 problems:")


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"project_id,name\nP1,road\n", "not an .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "password-protected"),
        (b"PK\x03\x04 this is not really a zip", "damaged"),
        (_zip({"hello.txt": b"hi"}), "not an .xlsx workbook"),
        (_zip({"xl/workbook.xml": b"<broken", "[Content_Types].xml": b"<x/>"}), "damaged"),
    ],
)
def test_unreadable_files_get_one_clear_message(content: bytes, fragment: str) -> None:
    found = only_problem(content)
    assert fragment in found.message
    assert found.sheet is None


def test_missing_path_is_reported(tmp_path) -> None:
    assert "file not found" in only_problem_path(tmp_path / "nope.xlsx").message


def only_problem_path(path) -> optimizer.Problem:
    with pytest.raises(WorkbookError) as caught:
        load_workbook(path)
    return caught.value.problems[0]


def test_zip_bomb_is_refused_before_parsing(monkeypatch) -> None:
    monkeypatch.setattr(loader_module, "MAX_UNPACKED_BYTES", 1_000_000)
    bomb = _zip({"xl/workbook.xml": b"\0" * 2_000_000})
    assert "refused unread" in only_problem(bomb).message


def test_too_many_rows_are_refused(monkeypatch) -> None:
    monkeypatch.setattr(loader_module, "MAX_ROWS", 2)
    found = only_problem(workbook_bytes([project("P1"), project("P2"), project("P3")]))
    assert "rows" in found.message
    assert "projects" in found.message


def test_formulas_are_read_as_cached_values() -> None:
    raw = workbook_bytes([project("P1", capex=999)])
    # Turn the capex cell into a formula with a cached value, as Excel saves it.
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content, count = re.subn(
                    rb'<c r="E2"([^>]*)><v>999</v></c>',
                    rb'<c r="E2"\1><f>2*6</f><v>12</v></c>',
                    content,
                )
                assert count == 1
            target.writestr(info, content)
    assert load_workbook(out.getvalue()).projects.at[0, "capex"] == 12.0


def test_loading_never_changes_the_file(tmp_path) -> None:
    copy = tmp_path / "projects.xlsx"
    copy.write_bytes(SAMPLE.read_bytes())
    before = hashlib.sha256(copy.read_bytes()).hexdigest()
    mtime = copy.stat().st_mtime_ns
    load_workbook(copy)
    with copy.open("rb") as handle:
        load_workbook(handle)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before
    assert copy.stat().st_mtime_ns == mtime


def test_path_bytes_and_file_object_give_the_same_tables() -> None:
    by_path = load_workbook(SAMPLE)
    by_bytes = load_workbook(SAMPLE.read_bytes())
    with SAMPLE.open("rb") as handle:
        by_handle = load_workbook(handle)
    assert by_path.fingerprint == by_bytes.fingerprint == by_handle.fingerprint
