"""The loader's checks of the version 3 displacement sheet and regions columns, each
problem named by sheet, Excel row and column."""

from __future__ import annotations

import pytest
from conftest import project, region, workbook_bytes

from optimizer import WorkbookError, load_workbook


def with_rows(*rows: list) -> bytes:
    """A workbook whose displacement sheet holds these rows (A has 1,000 displaced)."""

    def edit(book) -> None:  # noqa: ANN001 (an openpyxl Workbook)
        sheet = book.create_sheet("displacement")
        sheet.append(["region", "year", "workers", "sector", "earliest_year", "latest_year"])
        for row in rows:
            sheet.append(row)

    return workbook_bytes(
        [project("P1")], [region("A"), region("B", lat=32.1, displaced_workers=0)], edit=edit
    )


def problems(book: bytes) -> list[tuple[str, int | None, str | None, str]]:
    with pytest.raises(WorkbookError) as caught:
        load_workbook(book)
    return [(p.sheet, p.row, p.column, p.message) for p in caught.value.problems]


def test_windows_and_industries_load_with_defaults() -> None:
    data = load_workbook(
        with_rows(["A", 2021, 600, "钢铁", 2021, 2022], ["A", 2021, 400, "coal", None, None])
    )
    d = data.displacement
    assert d["sector"].tolist() == ["steel", "coal"]
    assert d["earliest_year"].tolist() == [2021, 2021]
    assert d["latest_year"].tolist() == [2022, 2021]  # an empty end is the planned year


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (["A", 2021, 1000, "coal", 2022, 2022], "earliest_year", "must contain the planned"),
        (["A", 2022, 1000, "coal", 2021, 2021], "latest_year", "must contain the planned"),
        (["A", 2021, 1000, "coal", 2021, 2030], "latest_year", "not a planning year"),
        (["A", 2020, 1000, "coal", 2020, 2021], "earliest_year", "not a planning year"),
        (["A", 2021, 1000, "coal", 2022, 2021], "earliest_year", "after latest_year"),
        (["A", 2021, 1000, "wood", None, None], "sector", "must be one of"),
    ],
)
def test_each_window_rule_names_row_and_column(row: list, column: str, fragment: str) -> None:
    found = problems(with_rows(row))
    assert any(
        sheet == "displacement" and number == 2 and col == column and fragment in message
        for sheet, number, col, message in found
    ), found


def test_a_region_may_lay_off_in_several_industries_in_one_year() -> None:
    data = load_workbook(with_rows(["A", 2021, 500, "coal"], ["A", 2021, 500, "steel"]))
    assert len(data.displacement) == 2


def test_regions_baseline_rate_and_layoff_cap_are_checked() -> None:
    regions = [
        region("A", baseline_reemployment_rate=1.5, max_layoffs_per_year=500),
        region("B", baseline_reemployment_rate=0.3, max_layoffs_per_year=-1),
    ]
    found = problems(workbook_bytes([project("P1")], regions))
    places = {(sheet, row, column) for sheet, row, column, _ in found}
    assert places == {
        ("regions", 2, "baseline_reemployment_rate"),
        ("regions", 3, "max_layoffs_per_year"),
    }
