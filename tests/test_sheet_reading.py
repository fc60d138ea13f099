"""Issue #21: the loader reads a plain sheet's XML directly (50,000 projects in seconds, not
minutes). What it reads must be what openpyxl reads, cell for cell, for every kind of cell,
and the planning data the same as through openpyxl."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE, project, workbook_bytes
from openpyxl.styles import Font

import optimizer
from optimizer import loader


def trimmed(rows) -> list[tuple[int, tuple]]:
    out = []
    for number, values in rows:
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        if any(not loader._blank(v) for v in values):
            out.append((number, tuple(values)))
    return out


def both_ways(content: bytes) -> list[tuple[str, list, list]]:
    book = loader._open_workbook(content)
    try:
        found = []
        for title in book.sheetnames:
            fast = loader._fast_rows(book, title)
            assert fast is not None, title
            slow = loader._sheet_rows(book[title], title, loader._unsaved_formulas(book, title))
            found.append((title, trimmed(fast), trimmed(slow)))
        return found
    finally:
        book.close()


def every_kind(book: openpyxl.Workbook) -> None:
    sheet = book["projects"]
    sheet["B2"] = "a & b <c> \"q\" 'x'"
    sheet["B3"] = "  spaced  "
    sheet["B4"] = "中文名称"
    sheet["E2"] = dt.datetime(2021, 5, 1)
    sheet["E3"] = "=1+2"  # a formula with no saved value
    sheet["F3"] = True
    sheet["G3"] = 1.5e10
    sheet["H3"] = -3
    sheet["I3"] = "#N/A"
    sheet["L4"] = 0.1 + 0.2
    sheet["R4"] = ""
    sheet["B4"].font = Font(bold=True)
    sheet.append([None, None, "row after a gap"])


@pytest.mark.parametrize(
    "content",
    [
        SAMPLE.read_bytes(),
        workbook_bytes(
            projects=[project(f"P{k}") for k in range(3)] + [project("P9")], edit=every_kind
        ),
    ],
    ids=["sample", "every kind of cell"],
)
def test_the_fast_reader_reads_what_openpyxl_reads(content: bytes) -> None:
    for title, fast, slow in both_ways(content):
        assert fast == slow, title


def test_a_sheet_the_fast_reader_does_not_know_goes_through_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = workbook_bytes(edit=every_kind)
    with pytest.raises(optimizer.WorkbookError) as fast:
        optimizer.load_workbook(content)
    monkeypatch.setattr(loader, "_fast_rows", lambda book, title: None)
    with pytest.raises(optimizer.WorkbookError) as slow:
        optimizer.load_workbook(content)
    assert str(fast.value) == str(slow.value)
    assert "holds a formula (=1+2) with no saved value" in str(fast.value)
    data = optimizer.load_workbook(SAMPLE)
    monkeypatch.undo()
    assert optimizer.load_workbook(SAMPLE).fingerprint == data.fingerprint


def test_a_sheet_of_unclosed_cells_is_not_scanned_to_its_end_for_every_cell() -> None:
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as written:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                start = data.index(b"<sheetData>") + len(b"<sheetData>")
                hostile = b'<row r="2">' + b'<c r="A2"><is><t>x</t></is>' * 100_000 + b"</row>"
                data = data[:start] + hostile + data[start:]
            written.writestr(info, data)
    started = time.monotonic()
    book = loader._open_workbook(out.getvalue())
    assert loader._fast_rows(book, "projects") is None  # left to openpyxl
    book.close()
    assert time.monotonic() - started < 2
