"""Shared fixtures: the sample workbook and small workbooks built in memory."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

import optimizer

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "projects.xlsx"


@pytest.fixture(scope="session")
def sample() -> optimizer.PlanningData:
    return optimizer.load_workbook(SAMPLE)


PROJECT_HEADER = [
    "project_id",
    "name",
    "sector",
    "region",
    "capex",
    "duration_years",
    "earliest_start",
    "latest_start",
    "budget_share",
    "bond_share",
    "private_share",
    "ppp_annual_payment",
    "jobs_per_yi",
    "operating_jobs",
    "skill_match",
    "mandatory",
    "excluded",
    "exclusive_group",
    "requires",
    "lat",
    "lon",
    "source",
]
REGION_HEADER = [
    "region",
    "name_zh",
    "lat",
    "lon",
    "displaced_workers",
    "general_budget_expenditure",
    "existing_ppp_payments",
    "debt_headroom",
]


def project(pid: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = dict(
        project_id=pid,
        name=f"project {pid}",
        sector="transport",
        region="A",
        capex=10.0,
        duration_years=1,
        budget_share=0.5,
        bond_share=0.5,
        private_share=0.0,
        jobs_per_yi=100.0,
    )
    row.update(values)
    return row


def region(name: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = dict(
        region=name,
        lat=32.0,
        lon=119.0,
        displaced_workers=1000.0,
        general_budget_expenditure=100.0,
        debt_headroom=100.0,
    )
    row.update(values)
    return row


def workbook_bytes(
    projects: list[dict[str, object]] | None = None,
    regions: list[dict[str, object]] | None = None,
    years: list[tuple[object, ...]] | None = None,
    sectors: list[tuple[object, ...]] | None = None,
    settings: list[tuple[object, object]] | None = None,
    *,
    project_header: list[str] | None = None,
    drop_sheets: tuple[str, ...] = (),
    edit: Callable[[openpyxl.Workbook], None] | None = None,
) -> bytes:
    """A small, valid workbook (two regions, three projects, two years) with changes."""
    projects = projects if projects is not None else [project("P1"), project("P2"), project("P3")]
    regions = regions if regions is not None else [region("A"), region("B", lat=32.1)]
    years = years if years is not None else [(2021, 10.0, 10.0), (2022, 10.0, 10.0)]
    book = openpyxl.Workbook()
    book.remove(book.active)
    header = project_header or PROJECT_HEADER
    sheets: dict[str, list[list[object]]] = {
        "projects": [header] + [[p.get(h) for h in header] for p in projects],
        "regions": [REGION_HEADER] + [[r.get(h) for h in REGION_HEADER] for r in regions],
        "years": [["year", "fiscal_budget", "bond_quota"]] + [list(y) for y in years],
    }
    if sectors is not None:
        sheets["sectors"] = [["sector", "min_share", "max_share"]] + [list(s) for s in sectors]
    if settings is not None:
        sheets["settings"] = [["key", "value"]] + [list(s) for s in settings]
    for title, rows in sheets.items():
        if title in drop_sheets:
            continue
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if edit:
        edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
