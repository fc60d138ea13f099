"""Issue #21: workbooks that used to check as valid and give a wrong answer.

Sheets that collide once trimmed and case-folded (a hidden one included), numbers with a
decimal comma, numbers of thousands of digits, and ids that differ only in what cannot be
seen. Each goes through the command line's `check` as a planner runs it (exit 2, the place
named, no traceback; run in the test's process) and the variants through load_workbook.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import project, workbook_bytes
from helpers import run_cli_here

import optimizer


def check(
    capfd: pytest.CaptureFixture, tmp_path: Path, content: bytes
) -> subprocess.CompletedProcess:
    (tmp_path / "w.xlsx").write_bytes(content)
    return run_cli_here(capfd, tmp_path, "check", "w.xlsx")


def problems(content: bytes) -> str:
    with pytest.raises(optimizer.WorkbookError) as caught:
        optimizer.load_workbook(content)
    return str(caught.value)


def copy_of_projects(title: str, state: str = "visible"):
    def edit(book: openpyxl.Workbook) -> None:
        sheet = book.create_sheet("copy")
        # Excel and openpyxl rename a title that differs from another only in case; a file
        # written by another program need not, so the title is set past openpyxl's check.
        sheet._WorkbookChild__title = title  # type: ignore[attr-defined]
        sheet.sheet_state = state
        for row in book["projects"].iter_rows(values_only=True):
            sheet.append(row)
        sheet["E2"] = 999.0  # a different plan: reading it would change the answer

    return edit


# ------------------------------------------------------------------------------- sheets


def test_a_hidden_sheet_that_collides_is_named_on_the_command_line(
    capfd: pytest.CaptureFixture, tmp_path: Path
) -> None:
    done = check(capfd, tmp_path, workbook_bytes(edit=copy_of_projects("Projects ", "hidden")))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "'projects' and 'Projects ' (hidden) both read as the projects sheet" in done.stderr
    assert "required sheet is missing" not in done.stderr


@pytest.mark.parametrize(
    ("title", "state"),
    [
        ("Projects", "visible"),
        ("PROJECTS ", "visible"),
        (" projects", "veryHidden"),
        ("ｐｒｏｊｅｃｔｓ", "visible"),  # full-width letters
    ],
)
def test_every_sheet_that_reads_as_another_is_refused(title: str, state: str) -> None:
    text = problems(workbook_bytes(edit=copy_of_projects(title, state)))
    assert f"'{title}'" in text
    assert "'projects'" in text


def test_a_hidden_sheet_alone_with_its_name_is_read_with_a_note() -> None:
    def hide(book: openpyxl.Workbook) -> None:
        book["years"].sheet_state = "hidden"

    data = optimizer.load_workbook(workbook_bytes(edit=hide))
    assert data.planning_years == [2021, 2022]
    assert any("hidden" in w and "years" in w for w in data.warnings)


# -------------------------------------------------------------------------------- cells


def test_a_decimal_comma_is_refused_with_its_cell(
    capfd: pytest.CaptureFixture, tmp_path: Path
) -> None:
    content = workbook_bytes(projects=[project("P1", capex="10,1"), project("P2")])
    done = check(capfd, tmp_path, content)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "projects row 2, capex: '10,1' is not a number" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("text", ["1,2", "1,23", "1,2345", "12,34,567", ",123", "1_0", "1,0.5"])
def test_every_ambiguous_number_is_refused(text: str) -> None:
    content = workbook_bytes(projects=[project("P1", jobs_per_yi=text), project("P2")])
    assert "projects row 2, jobs_per_yi:" in problems(content)


@pytest.mark.parametrize(("text", "value"), [("1,234", 1234.0), ("4,321.5", 4321.5)])
def test_thousands_groups_are_read(text: str, value: float) -> None:
    content = workbook_bytes(projects=[project("P1", jobs_per_yi=text), project("P2")])
    data = optimizer.load_workbook(content)
    assert data.projects["jobs_per_yi"].iloc[0] == value


def test_a_settings_value_with_a_decimal_comma_is_refused() -> None:
    content = workbook_bytes(settings=[("commute_km", "40,5")])
    assert "settings row 2, value: commute_km '40,5' is not a number" in problems(content)


def test_a_number_of_thousands_of_digits_gets_the_columns_bound(
    capfd: pytest.CaptureFixture, tmp_path: Path
) -> None:
    text_cell = workbook_bytes(projects=[project("P1", capex="9" * 5000), project("P2")])
    assert "capex: must be > 0 and ≤ 100000, got a number of 5,000 digits" in problems(text_cell)
    # The same number stored as a number, which Python will not even turn into an int.
    archive = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as written:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'(<c r="E2"[^>]*><v>)[^<]*', rb"\g<1>" + b"9" * 5000, data)
            written.writestr(info, data)
    done = check(capfd, tmp_path, out.getvalue())
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "sheet 'projects'" in done.stderr
    assert "thousands of digits" in done.stderr


# ---------------------------------------------------------------------------------- ids


def test_an_id_with_a_zero_width_space_is_refused_naming_both_rows(
    capfd: pytest.CaptureFixture, tmp_path: Path
) -> None:
    content = workbook_bytes(projects=[project("JS-SZ-001"), project("JS-SZ-001\u200b")])
    done = check(capfd, tmp_path, content)
    assert done.returncode == 2, done.stdout + done.stderr
    assert (
        "projects row 3, project_id: 'JS-SZ-001<U+200B>' looks the same as 'JS-SZ-001' in row 2"
        in done.stderr
    )


@pytest.mark.parametrize(
    "twin",
    [
        "JS\uff0dSZ\uff0d001",  # full-width hyphens
        "\uff2aS-SZ-001",  # a full-width J
        "\ufeffJS-SZ-001",  # a byte-order mark
        "JS-SZ-\u2060001",  # a word joiner
        "JS-SZ-001\u00ad",  # a soft hyphen
    ],
)
def test_every_lookalike_id_is_refused(twin: str) -> None:
    content = workbook_bytes(projects=[project("JS-SZ-001"), project(twin)])
    assert "looks the same as 'JS-SZ-001' in row 2" in problems(content)


def test_a_lookalike_region_is_refused() -> None:
    from conftest import region

    content = workbook_bytes(regions=[region("A"), region("B"), region("Ａ")])
    assert "regions row 4, region: '<U+FF21>' looks the same as 'A' in row 2" in problems(content)
