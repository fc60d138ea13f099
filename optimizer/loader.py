"""Read a planner's workbook into validated, typed tables.

Every problem in the file is collected with its sheet, Excel row and column, then raised once
as a `WorkbookError`, so a planner fixes the file in one pass. The file is only ever read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import math
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

import openpyxl
import pandas as pd
from openpyxl.utils import column_index_from_string

from .schema import (
    CHOICE_ALIASES,
    NO_RULE_SETTINGS,
    NO_RULE_WORDS,
    NO_WORDS,
    OPTIONAL_SHEETS,
    REQUIRED_SHEETS,
    SECTORS,
    YES_WORDS,
    Column,
    columns,
    setting_defaults,
)

# Limits against hostile or broken uploads, checked before any XML is parsed.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 100_000
SHARE_TOLERANCE = 0.001

Source = str | os.PathLike[str] | bytes | bytearray | IO[bytes]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the workbook, located as a planner would look for it."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(self.sheet if self.row is None else f"{self.sheet} row {self.row}")
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class WorkbookError(ValueError):
    """The workbook cannot be used; `problems` lists everything found, in one pass."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        count = len(self.problems)
        head = f"the workbook has {count} problem{'s' if count != 1 else ''}"
        super().__init__(head + ":\n" + "\n".join(f"- {p}" for p in self.problems))

    def to_frame(self) -> pd.DataFrame:
        """The problems as a table (sheet, row, column, message), for the app and exports."""
        return pd.DataFrame(
            [(p.sheet, p.row, p.column, p.message) for p in self.problems],
            columns=["sheet", "row", "column", "message"],
        )


@dataclass(frozen=True)
class PlanningData:
    """The validated tables of one planning problem.

    projects, regions, years and sectors are DataFrames with the contract's columns, typed and
    with defaults filled (plus `excel_row` and any extra columns the planner added); settings
    holds every setting with its default filled in.
    """

    projects: pd.DataFrame
    regions: pd.DataFrame
    years: pd.DataFrame
    sectors: pd.DataFrame
    settings: dict[str, float]
    warnings: tuple[str, ...] = ()
    source_name: str = ""
    # region, year, workers: when workers lose their jobs (empty: no displacement sheet, so
    # every region's displaced_workers count from the first planning year).
    displacement: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["region", "year", "workers"])
    )
    # Not an init field: dataclasses.replace(data, projects=...) gets a fresh cache, so
    # changed data never keeps the old fingerprint.
    _fingerprint: list[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fingerprint", [])

    @property
    def planning_years(self) -> list[int]:
        return [int(y) for y in self.years["year"]]

    @property
    def has_displacement_schedule(self) -> bool:
        return len(self.displacement) > 0

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the tables' contract columns: same data, same fingerprint, any file."""
        if not self._fingerprint:
            digest = hashlib.sha256()
            for sheet in ("projects", "regions", "years", "sectors", "displacement"):
                table = getattr(self, sheet)
                if sheet == "displacement" and table.empty:
                    continue  # version 1 workbooks keep their fingerprint
                names = [c.name for c in columns(sheet) if c.name in table.columns]
                digest.update(sheet.encode())
                digest.update(table[names].to_csv(index=False).encode("utf-8"))
            for key in sorted(self.settings):
                digest.update(f"{key}={self.settings[key]!r};".encode())
            self._fingerprint.append(digest.hexdigest())
        return self._fingerprint[0]


# --------------------------------------------------------------------------------- reading


def _read_bytes(source: Source) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        return bytes(source), "uploaded workbook"
    if hasattr(source, "read"):
        data = source.read()  # type: ignore[union-attr]
        name = str(getattr(source, "name", "uploaded workbook"))
        if isinstance(data, str):
            raise WorkbookError([Problem(None, None, None, "expected a binary file, got text")])
        return bytes(data), name
    path = os.fspath(source)
    try:
        with open(path, "rb") as handle:
            return handle.read(), os.path.basename(path)
    except FileNotFoundError:
        raise WorkbookError([Problem(None, None, None, f"file not found: {path}")]) from None
    except IsADirectoryError:
        raise WorkbookError([Problem(None, None, None, f"{path} is a folder")]) from None
    except OSError as exc:
        raise WorkbookError([Problem(None, None, None, f"cannot read {path}: {exc}")]) from None


def _fail(message: str) -> WorkbookError:
    return WorkbookError([Problem(None, None, None, message)])


def _open_workbook(data: bytes) -> Any:
    """Check the bytes are a sane .xlsx before parsing any XML, then open it read-only."""
    if not data:
        raise _fail("the file is empty")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _fail(
            "this is a password-protected workbook or an old .xls file; "
            "save it as an .xlsx workbook without a password"
        )
    if data[:2] != b"PK":
        raise _fail(
            "this is not an .xlsx workbook (it looks like a text or CSV file); "
            "open it in Excel and save it as .xlsx"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _fail("the .xlsx file is damaged (not a readable zip archive)") from None
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _fail(
            f"the workbook unpacks to {unpacked / 1e6:,.0f} MB, more than the "
            f"{MAX_UNPACKED_BYTES / 1e6:,.0f} MB allowed; it is refused unread"
        )
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise _fail("this zip file is not an .xlsx workbook (no xl/workbook.xml inside)")
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a malformed package
        raise _fail(
            f"the .xlsx file is damaged and cannot be read ({type(exc).__name__})"
        ) from None


class _Formula(str):
    """A cell holding a formula whose value was never saved (a file written by a script and
    never opened in Excel): its text, so that it is reported, not read as empty."""


# A formula cell with no saved value: <c ...><f>text</f></c> (or <f .../>), with no <v> or an
# empty one. A cell of type "str" with an empty <v> is a saved empty text (=IF(x,"",y)).
_FORMULA_CELL = re.compile(
    rb"<c\b([^>]*)>\s*<f\b[^>]*?(?:/>|>([^<]*)</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>"
)
_REFERENCE = re.compile(rb'\br="([A-Z]+)([0-9]+)"')


def _unsaved_formulas(book: Any, title: str) -> dict[tuple[int, int], _Formula]:
    """(row, column) → formula of each cell of the sheet whose formula has no saved value.

    One regular-expression pass over the sheet's XML, only when it has a formula at all.
    """
    try:
        with book._archive.open(book[title]._worksheet_path) as stream:
            xml = stream.read()
    except Exception:  # the values alone were readable: report empty cells as before
        return {}
    if b"<f" not in xml:
        return {}
    found: dict[tuple[int, int], _Formula] = {}
    for match in _FORMULA_CELL.finditer(xml):
        attributes, text = match.groups()
        reference = _REFERENCE.search(attributes)
        if reference is None or b't="str"' in attributes:
            continue
        column = column_index_from_string(reference.group(1).decode())
        formula = html.unescape((text or b"").decode("utf-8", "replace"))
        found[(int(reference.group(2)), column)] = _Formula(f"={formula}" if formula else "=…")
    return found


def _sheet_rows(
    sheet: Any, title: str, unsaved: dict[tuple[int, int], _Formula] | None = None
) -> list[tuple[int, tuple[Any, ...]]]:
    """The sheet's non-empty rows with their Excel row numbers (header included)."""
    declared = sheet.max_row or 0
    if declared > MAX_ROWS + 1:
        raise _fail(f"sheet '{title}' declares {declared:,} rows; at most {MAX_ROWS:,} are read")
    rows: list[tuple[int, tuple[Any, ...]]] = []
    cells = sheet.iter_rows(values_only=True)
    if unsaved:
        cells = (
            tuple(
                unsaved.get((number, column), value) if value is None else value
                for column, value in enumerate(values, start=1)
            )
            for number, values in enumerate(cells, start=1)
        )
    for number, values in enumerate(cells, start=1):
        if number > MAX_ROWS + 1:
            raise _fail(f"sheet '{title}' has more than {MAX_ROWS:,} rows")
        if any(not _blank(v) for v in values):
            rows.append((number, tuple(values)))
    return rows


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------------- cells


class _CellError(Exception):
    pass


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _as_number(value: Any) -> float:
    if isinstance(value, bool):
        raise _CellError(f"must be a number, got {value}")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        raise _CellError("must be a number, got a date or time")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "")
        try:
            number = float(text)
        except ValueError:
            raise _CellError(f"must be a number, got '{str(value).strip()}'") from None
    if not math.isfinite(number):
        raise _CellError(f"must be a finite number, got {value}")
    return number


def _as_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = _as_text(value).lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise _CellError(f"must be yes or no (y/n, true/false, 1/0, 是/否), got '{_as_text(value)}'")


def _fmt(value: float) -> str:
    return f"{value:g}"


def _parse_cell(column: Column, value: Any) -> Any:
    """A cell's value typed by the contract; raises _CellError with a planner's message."""
    if isinstance(value, _Formula):
        raise _CellError(
            f"holds a formula ({value}) with no saved value; open the file in Excel or "
            "LibreOffice and save it, which stores the values"
        )
    if column.type == "text":
        text = _as_text(value)
        if column.choices:
            key = CHOICE_ALIASES.get(text, text.lower())
            if key not in column.choices and text.upper() in column.choices:
                key = text.upper()  # S, R, E
            if key not in column.choices:
                raise _CellError(f"must be one of {', '.join(column.choices)}, got '{text}'")
            return key
        return text
    if column.type == "yesno":
        return _as_yes_no(value)
    number = _as_number(value)
    if column.type == "integer" and not number.is_integer():
        raise _CellError(f"must be a whole number, got {_fmt(number)}")
    low, high = column.minimum, column.maximum
    if low is not None and (number <= low if column.min_exclusive else number < low):
        shown = f"{'>' if column.min_exclusive else '≥'} {_fmt(low)}"
        raise _CellError(f"must be {shown}, got {_fmt(number)}")
    if high is not None and number > high:
        raise _CellError(f"must be {column.bounds_text()}, got {_fmt(number)}")
    return int(number) if column.type == "integer" else number


# --------------------------------------------------------------------------------- sheets


@dataclass
class _Sheet:
    name: str
    records: list[dict[str, Any]]  # typed values keyed by contract name, plus excel_row
    extra_columns: list[str]
    usable: bool  # False when a required column is missing


def _read_table(
    rows: list[tuple[int, tuple[Any, ...]]], sheet: str, problems: list[Problem]
) -> _Sheet:
    spec = columns(sheet)
    if not rows:
        problems.append(Problem(sheet, None, None, "the sheet has no header row"))
        return _Sheet(sheet, [], [], False)
    header_row, header = rows[0]
    positions: dict[str, int] = {}
    extra: dict[str, int] = {}
    known = {c.name for c in spec}
    for index, cell in enumerate(header):
        if _blank(cell):
            continue
        key = _as_text(cell).lower()
        if key in positions or key in extra:
            problems.append(Problem(sheet, header_row, _as_text(cell), "this column appears twice"))
            continue
        (positions if key in known else extra)[key] = index
    usable = True
    for column in spec:
        if column.required and column.name not in positions:
            problems.append(Problem(sheet, None, column.name, "required column is missing"))
            usable = False
    records: list[dict[str, Any]] = []
    for number, values in rows[1:]:
        record: dict[str, Any] = {"excel_row": number}
        for column in spec:
            index = positions.get(column.name)
            raw = values[index] if index is not None and index < len(values) else None
            if _blank(raw):
                if column.required and index is not None:
                    problems.append(Problem(sheet, number, column.name, "is empty"))
                record[column.name] = column.default_value()
                continue
            try:
                record[column.name] = _parse_cell(column, raw)
            except _CellError as exc:
                problems.append(Problem(sheet, number, column.name, str(exc)))
                record[column.name] = None
        for key, index in extra.items():
            record[key] = values[index] if index < len(values) else None
        records.append(record)
    return _Sheet(sheet, records, list(extra), usable)


def _frame(sheet: _Sheet) -> pd.DataFrame:
    """The sheet's records as a DataFrame typed by the contract."""
    spec = columns(sheet.name)
    names = ["excel_row"] + [c.name for c in spec] + sheet.extra_columns
    frame = pd.DataFrame(sheet.records, columns=names)
    frame["excel_row"] = frame["excel_row"].astype(int)
    for column in spec:
        values = frame[column.name]
        if column.type == "number":
            frame[column.name] = values.astype(float)
        elif column.type == "integer":
            frame[column.name] = values.astype("Int64")
        elif column.type == "yesno":
            frame[column.name] = values.fillna(False).astype(bool)
        else:
            frame[column.name] = values.fillna("").astype(str)
    return frame


def _read_settings(
    rows: list[tuple[int, tuple[Any, ...]]], problems: list[Problem], warnings: list[str]
) -> dict[str, float]:
    settings = setting_defaults()
    if not rows:
        return settings
    header_row, header = rows[0]
    heads = [_as_text(h).lower() if not _blank(h) else "" for h in header]
    if "key" not in heads or "value" not in heads:
        problems.append(
            Problem("settings", header_row, None, "needs two columns named key and value")
        )
        return settings
    key_at, value_at = heads.index("key"), heads.index("value")
    spec = {c.name: c for c in columns("settings")}
    seen: dict[str, int] = {}
    for number, values in rows[1:]:
        raw_key = values[key_at] if key_at < len(values) else None
        raw_value = values[value_at] if value_at < len(values) else None
        if _blank(raw_key):
            problems.append(Problem("settings", number, "key", "is empty"))
            continue
        key = _as_text(raw_key).lower()
        if key not in spec:
            warnings.append(f"settings row {number}: unknown key '{_as_text(raw_key)}' ignored")
            continue
        if key in seen:
            problems.append(
                Problem("settings", number, "value", f"{key} is set twice (also row {seen[key]})")
            )
            continue
        seen[key] = number
        if key in NO_RULE_SETTINGS and (
            _blank(raw_value) or _as_text(raw_value).lower() in NO_RULE_WORDS
        ):
            settings[key] = math.inf  # the key present and empty: no such rule
            continue
        if _blank(raw_value):
            continue  # empty: the default stands
        try:
            settings[key] = float(_parse_cell(spec[key], raw_value))
        except _CellError as exc:
            problems.append(Problem("settings", number, "value", f"{key} {exc}"))
    if settings["ppp_min_share"] > settings["ppp_max_share"]:
        problems.append(
            Problem(
                "settings",
                seen.get("ppp_min_share"),
                "value",
                "ppp_min_share must not exceed ppp_max_share",
            )
        )
    return settings


# --------------------------------------------------------------------------------- rules


def _check_unique(sheet: _Sheet, key: str, problems: list[Problem]) -> None:
    first: dict[Any, int] = {}
    for record in sheet.records:
        value = record.get(key)
        if value is None or value == "":
            continue
        if value in first:
            problems.append(
                Problem(
                    sheet.name,
                    record["excel_row"],
                    key,
                    f"'{value}' appears twice (also row {first[value]})",
                )
            )
        else:
            first[value] = record["excel_row"]


def _check_years(years: _Sheet, problems: list[Problem]) -> None:
    _check_unique(years, "year", problems)
    values = sorted({r["year"] for r in years.records if r.get("year") is not None})
    if values and values != list(range(values[0], values[-1] + 1)):
        missing = sorted(set(range(values[0], values[-1] + 1)) - set(values))
        problems.append(
            Problem(
                "years",
                None,
                "year",
                f"the years must be consecutive; missing {', '.join(map(str, missing))}",
            )
        )


def _check_sectors(sectors: _Sheet, problems: list[Problem]) -> None:
    _check_unique(sectors, "sector", problems)
    total_min = 0.0
    for r in sectors.records:
        low, high = r.get("min_share"), r.get("max_share")
        if low is not None and high is not None and low > high:
            problems.append(
                Problem(
                    "sectors",
                    r["excel_row"],
                    "min_share",
                    f"min_share {_fmt(low)} is above max_share {_fmt(high)}",
                )
            )
        total_min += low or 0.0
    if total_min > 1 + 1e-9:
        problems.append(
            Problem(
                "sectors",
                None,
                "min_share",
                f"the minimum shares add up to {total_min:.3g}, more than 1",
            )
        )


def _check_displacement(
    displacement: _Sheet, regions: _Sheet, years: list[int], problems: list[Problem]
) -> None:
    """Known regions, no year after the horizon, and each region's rows summing to its
    displaced_workers. A region may have several rows in one year (one per industry)."""
    totals = {r["region"]: r.get("displaced_workers") for r in regions.records if r.get("region")}
    sums: dict[str, float] = {}
    for r in displacement.records:
        row, region, year = r["excel_row"], r.get("region"), r.get("year")
        if region and region not in totals:
            problems.append(
                Problem(
                    "displacement",
                    row,
                    "region",
                    f"'{region}' is not a region in the regions sheet",
                )
            )
            continue
        if year is not None and years and year > years[-1]:
            problems.append(
                Problem(
                    "displacement",
                    row,
                    "year",
                    f"{year} is after the last planning year {years[-1]}",
                )
            )
        if region and r.get("workers") is not None:
            sums[region] = sums.get(region, 0.0) + r["workers"]
    for region, total in totals.items():
        given = sums.get(region, 0.0)
        if total is not None and abs(given - total) > 0.5:
            problems.append(
                Problem(
                    "displacement",
                    None,
                    "workers",
                    f"{region}'s rows add up to {given:,.0f} workers, but regions gives "
                    f"displaced_workers {total:,.0f}",
                )
            )


def _check_exit_windows(displacement: _Sheet, years: list[int], problems: list[Problem]) -> None:
    """Each exit window lies inside the planning years and contains the planned year:
    earliest_year ≤ year ≤ latest_year (an empty end is the year itself)."""
    for r in displacement.records:
        row, year = r["excel_row"], r.get("year")
        early, late = r.get("earliest_year"), r.get("latest_year")
        if early is None and late is None:
            continue
        for column, value in (("earliest_year", early), ("latest_year", late)):
            if value is not None and years and value not in years:
                problems.append(
                    Problem(
                        "displacement",
                        row,
                        column,
                        f"{value} is not a planning year ({years[0]}–{years[-1]})",
                    )
                )
        if early is not None and late is not None and early > late:
            problems.append(
                Problem(
                    "displacement",
                    row,
                    "earliest_year",
                    f"earliest_year {early} is after latest_year {late}",
                )
            )
            continue
        if year is None:
            continue
        if early is not None and early > year:
            problems.append(
                Problem(
                    "displacement",
                    row,
                    "earliest_year",
                    f"the window must contain the planned year {year}, but starts in {early}",
                )
            )
        if late is not None and late < year:
            problems.append(
                Problem(
                    "displacement",
                    row,
                    "latest_year",
                    f"the window must contain the planned year {year}, but ends in {late}",
                )
            )


def _check_projects(projects: _Sheet, region_ids: set[str] | None, problems: list[Problem]) -> None:
    _check_unique(projects, "project_id", problems)
    ids = {r["project_id"] for r in projects.records if r.get("project_id")}
    for r in projects.records:
        row = r["excel_row"]
        if region_ids is not None and r.get("region") and r["region"] not in region_ids:
            problems.append(
                Problem(
                    "projects",
                    row,
                    "region",
                    f"'{r['region']}' is not a region in the regions sheet",
                )
            )
        shares = [r.get(k) for k in ("budget_share", "bond_share", "private_share")]
        if all(s is not None for s in shares) and abs(sum(shares) - 1) > SHARE_TOLERANCE:
            problems.append(
                Problem(
                    "projects",
                    row,
                    "private_share",
                    f"budget_share + bond_share + private_share must be 1, got {sum(shares):.4g}",
                )
            )
        early, late = r.get("earliest_start"), r.get("latest_start")
        if early is not None and late is not None and late < early:
            problems.append(
                Problem(
                    "projects",
                    row,
                    "latest_start",
                    f"latest_start {late} is before earliest_start {early}",
                )
            )
        if r.get("mandatory") and r.get("excluded"):
            problems.append(
                Problem(
                    "projects", row, "excluded", "a project cannot be both mandatory and excluded"
                )
            )
        if (r.get("lat") is None) != (r.get("lon") is None):
            problems.append(Problem("projects", row, "lat", "give both lat and lon, or neither"))
        need = r.get("requires")
        if need:
            if need == r.get("project_id"):
                problems.append(
                    Problem("projects", row, "requires", "a project cannot require itself")
                )
            elif need not in ids:
                problems.append(
                    Problem(
                        "projects", row, "requires", f"'{need}' is not a project_id in the sheet"
                    )
                )
    _check_cycles(projects, problems)


def _check_cycles(projects: _Sheet, problems: list[Problem]) -> None:
    """Each project requires at most one other, so one walk per project, never repeated,
    finds every cycle: linear in the number of projects."""
    needs = {
        r["project_id"]: r["requires"]
        for r in projects.records
        if r.get("project_id") and r.get("requires") and r["requires"] != r["project_id"]
    }
    rows = {r.get("project_id"): r["excel_row"] for r in projects.records}
    walked: set[str] = set()  # every project some earlier walk has passed
    for start in needs:
        if start in walked:
            continue
        on_path: dict[str, int] = {}  # project → its place on this walk
        node: str | None = start
        while node in needs and node not in walked:
            walked.add(node)
            on_path[node] = len(on_path)
            node = needs[node]
        if node in on_path:  # the walk came back to itself: a cycle, reported once
            cycle = list(on_path)[on_path[node] :]
            problems.append(
                Problem(
                    "projects",
                    rows[cycle[0]],
                    "requires",
                    "requirements form a cycle: " + " → ".join([*cycle, cycle[0]]),
                )
            )


# --------------------------------------------------------------------------------- assembly


def _fill_start_defaults(projects: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    projects = projects.copy()
    if years:
        first, last = years[0], years[-1]
        projects["earliest_start"] = projects["earliest_start"].fillna(first)
        latest_default = last - projects["duration_years"] + 1
        projects["latest_start"] = projects["latest_start"].fillna(latest_default)
    for name in ("earliest_start", "latest_start"):
        projects[name] = projects[name].astype("Int64")
    return projects


def _fill_mechanism(projects: pd.DataFrame) -> pd.DataFrame:
    """A PPP payment with no mechanism given is a viability-gap subsidy (the contract's
    default); a project with no payment has no mechanism."""
    projects = projects.copy()
    paying = projects["ppp_annual_payment"] > 0
    empty = projects["ppp_mechanism"] == ""
    projects.loc[paying & empty, "ppp_mechanism"] = "viability_gap"
    return projects


def _fill_sites(projects: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    projects = projects.copy()
    centre = regions.set_index("region")
    for axis in ("lat", "lon"):
        projects[axis] = projects[axis].fillna(projects["region"].map(centre[axis])).astype(float)
    return projects


def _sector_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    given = {r["sector"]: r for r in records if r.get("sector")}
    return pd.DataFrame(
        [
            {
                "sector": s,
                "min_share": float(given.get(s, {}).get("min_share") or 0.0),
                "max_share": float(
                    1.0 if given.get(s, {}).get("max_share") is None else given[s]["max_share"]
                ),
            }
            for s in SECTORS
        ]
    )


def load_workbook(source: Source) -> PlanningData:
    """Read and validate a planning workbook.

    `source` is a path, the file's bytes, or a binary file object (a Streamlit upload). Raises
    `WorkbookError` listing every problem found, each with sheet, Excel row and column.
    """
    data, name = _read_bytes(source)
    book = _open_workbook(data)
    try:
        by_name = {title.strip().lower(): title for title in book.sheetnames}
        problems: list[Problem] = []
        warnings: list[str] = []
        missing = [s for s in REQUIRED_SHEETS if s not in by_name]
        for sheet in missing:
            problems.append(Problem(sheet, None, None, "required sheet is missing"))
        rows = {
            s: _sheet_rows(book[by_name[s]], by_name[s], _unsaved_formulas(book, by_name[s]))
            for s in REQUIRED_SHEETS + OPTIONAL_SHEETS
            if s in by_name
        }
    finally:
        book.close()

    tables = {
        s: _read_table(rows[s], s, problems)
        for s in ("projects", "regions", "years", "sectors", "displacement")
        if s in rows
    }
    settings = _read_settings(rows.get("settings", []), problems, warnings)
    for sheet in REQUIRED_SHEETS:  # a blank template is not a planning problem
        if sheet in tables and tables[sheet].usable and not tables[sheet].records:
            problems.append(
                Problem(
                    sheet,
                    None,
                    None,
                    "the sheet has no rows below its header; fill in at least one",
                )
            )

    regions = tables.get("regions")
    if regions is not None and regions.usable:
        _check_unique(regions, "region", problems)
    if "years" in tables and tables["years"].usable:
        _check_years(tables["years"], problems)
    if "sectors" in tables and tables["sectors"].usable:
        _check_sectors(tables["sectors"], problems)
    displacement = tables.get("displacement")
    if (
        displacement is not None
        and displacement.usable
        and displacement.records  # an empty sheet (the template's) is no schedule
        and regions is not None
        and regions.usable
        and "years" in tables
        and tables["years"].usable
    ):
        planning = sorted({r["year"] for r in tables["years"].records if r.get("year") is not None})
        _check_displacement(displacement, regions, planning, problems)
        _check_exit_windows(displacement, planning, problems)
    if "projects" in tables and tables["projects"].usable:
        region_ids = (
            {r["region"] for r in regions.records if r.get("region")}
            if regions is not None and regions.usable
            else None
        )
        _check_projects(tables["projects"], region_ids, problems)

    if problems:
        raise WorkbookError(problems)

    years = _frame(tables["years"]).sort_values("year").reset_index(drop=True)
    years["year"] = years["year"].astype(int)
    regions_frame = _frame(tables["regions"])
    projects = _fill_start_defaults(_frame(tables["projects"]), years["year"].tolist())
    projects = _fill_mechanism(_fill_sites(projects, regions_frame))
    sectors = _sector_table(tables["sectors"].records if "sectors" in tables else [])
    schedule = pd.DataFrame(columns=["region", "year", "workers"])
    if "displacement" in tables and tables["displacement"].records:
        frame = _frame(tables["displacement"])
        # An empty end of the exit window is the planned year itself (a fixed layoff).
        schedule = frame.assign(
            year=frame["year"].astype(int),
            earliest_year=frame["earliest_year"].fillna(frame["year"]).astype(int),
            latest_year=frame["latest_year"].fillna(frame["year"]).astype(int),
        )
        schedule = schedule.sort_values(["region", "year"], kind="stable").reset_index(drop=True)
    return PlanningData(
        displacement=schedule,
        projects=projects,
        regions=regions_frame,
        years=years,
        sectors=sectors,
        settings=settings,
        warnings=tuple(warnings),
        source_name=name,
    )
