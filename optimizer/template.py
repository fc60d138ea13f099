"""Write planning tables as a workbook of the contract's shape (and the blank template)."""

from __future__ import annotations

from typing import IO

import openpyxl
import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ._files import Target, check_target, write_atomically
from .loader import PlanningData, check_planning_data
from .schema import SECTORS, columns, contract, setting_defaults


def _sheet_from_frame(book: openpyxl.Workbook, title: str, frame: pd.DataFrame) -> None:
    sheet = book.create_sheet(title)
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if _missing(v) else _plain(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(str(name)) + 2)


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: object) -> object:
    """numpy scalars to Python ones, so openpyxl writes them as numbers."""
    return value.item() if hasattr(value, "item") else value


def _contract_sheet(book: openpyxl.Workbook) -> None:
    sheet = book.create_sheet("contract")
    sheet.append(["sheet", "column", "type", "unit", "required", "allowed", "default", "meaning"])
    for c in contract():
        allowed = ", ".join(c.choices) if c.choices else c.bounds_text()
        sheet.append(
            [
                c.sheet,
                c.name,
                c.type,
                c.unit,
                "yes" if c.required else "no",
                allowed,
                c.default or "",
                c.description,
            ]
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGH", (10, 26, 9, 14, 9, 40, 9, 100), strict=True):
        sheet.column_dimensions[letter].width = width


def _book(tables: dict[str, pd.DataFrame], settings: dict[str, float]) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, frame in tables.items():
        _sheet_from_frame(book, sheet, frame)
    _sheet_from_frame(
        book, "settings", pd.DataFrame({"key": list(settings), "value": list(settings.values())})
    )
    _contract_sheet(book)
    return book


def write_workbook(data: PlanningData, target: str | IO[bytes]) -> None:
    """Write planning tables as a workbook the loader reads back to the same tables."""
    check_planning_data(data)
    check_target(target)
    tables = {}
    for sheet in ("projects", "regions", "years", "displacement", "sectors"):
        names = [c.name for c in columns(sheet)]
        table = getattr(data, sheet)
        if sheet == "displacement" and table.empty:
            continue  # no schedule: the workbook keeps version 1's reading
        tables[sheet] = table.reindex(columns=names)
    book = _book(tables, data.settings)
    write_atomically(target, book.save)


def write_template(target: Target) -> None:
    """Write a blank workbook: every sheet with its headers, the settings at their defaults,
    and a `contract` sheet that explains each column."""
    check_target(target)
    tables = {
        sheet: pd.DataFrame(columns=[c.name for c in columns(sheet)])
        for sheet in ("projects", "regions", "years", "displacement")
    }
    tables["sectors"] = pd.DataFrame({"sector": list(SECTORS), "min_share": 0.0, "max_share": 1.0})
    book = _book(tables, setting_defaults())
    write_atomically(target, book.save)
