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
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601

from ._files import os_reason
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
    message: str  # in English, as the command line prints it
    # What is wrong as a code and its values (optimizer.present.labels words it in either
    # language); "" for a problem worded only in English.
    code: str = ""
    values: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(self.sheet if self.row is None else f"{self.sheet} row {self.row}")
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class Note(str):
    """A note on a workbook that could be read (a setting ignored, a hidden sheet read): the
    English words, as the command line prints them, with a code and values that
    optimizer.present.labels words in either language."""

    code: str
    values: tuple[tuple[str, Any], ...]

    def __new__(cls, message: str, code: str = "", values: tuple[tuple[str, Any], ...] = ()):
        note = super().__new__(cls, message)
        note.code, note.values = code, tuple(values)
        return note

    def __reduce__(self) -> tuple[Any, ...]:  # a workbook goes to worker processes
        return (Note, (str(self), self.code, self.values))


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
    # Set once the tables passed the contract's checks (the loader's, or check_planning_data
    # for tables built in Python); a replaced copy is checked again.
    _checked: list[bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fingerprint", [])
        object.__setattr__(self, "_checked", [])

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
            raise _fail("expected a binary file, got text", "text_file")
        return bytes(data), name
    path = os.fspath(source)
    try:
        with open(path, "rb") as handle:
            return handle.read(), os.path.basename(path)
    except FileNotFoundError:
        raise _fail(f"file not found: {path}", "file_not_found", path=path) from None
    except IsADirectoryError:
        raise _fail(f"{path} is a folder", "file_is_folder", path=path) from None
    except OSError as exc:
        code, reason = os_reason(exc)
        raise _fail(
            f"cannot read {path}: {reason}",
            "file_unreadable",
            path=path,
            errno=code,
            reason=reason,
        ) from None


def _fail(message: str, code: str = "", **values: Any) -> WorkbookError:
    return WorkbookError([Problem(None, None, None, message, code, tuple(values.items()))])


def _open_workbook(data: bytes) -> Any:
    """Check the bytes are a sane .xlsx before parsing any XML, then open it read-only."""
    if not data:
        raise _fail("the file is empty", "empty_file")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _fail(
            "this is a password-protected workbook or an old .xls file; "
            "save it as an .xlsx workbook without a password",
            "xls_or_password",
        )
    if data[:2] != b"PK":
        raise _fail(
            "this is not an .xlsx workbook (it looks like a text or CSV file); "
            "open it in Excel and save it as .xlsx",
            "not_xlsx_text",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _fail("the .xlsx file is damaged (not a readable zip archive)", "damaged") from None
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _fail(
            f"the workbook unpacks to {unpacked / 1e6:,.0f} MB, more than the "
            f"{MAX_UNPACKED_BYTES / 1e6:,.0f} MB allowed; it is refused unread"
        )
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise _fail(
            "this zip file is not an .xlsx workbook (no xl/workbook.xml inside)", "not_xlsx_zip"
        )
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


# ------------------------------------------------------------------ the sheet XML, read fast
#
# openpyxl builds an object per cell: about a millisecond a row, a minute for 50,000
# projects. The cells of a plain sheet are read here with regular expressions over its XML
# instead, with openpyxl's own shared strings and date styles; anything this reader does not
# know (namespace prefixes, a cell without its reference) goes back to openpyxl.

_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*?(?:/>|>(.*)</sheetData>)", re.S)
# A cell: its reference, its other attributes, then a plain <v> value or any other content,
# at most 8,192 bytes of it: a cell left unclosed in a hostile file then costs that much, not
# a scan to the end of the sheet for every cell. A longer cell goes through openpyxl.
_CELL_FAST = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"([^>]*?)(?:/>|><v>([^<]{0,8192})</v></c>|>(.{0,8192}?)</c>)',
    re.S,
)
_CELL_TYPE = re.compile(rb'\bt="(\w+)"')
_CELL_STYLE = re.compile(rb'\bs="(\d+)"')
_VALUE_XML = re.compile(rb"<v(?:\s[^>]*)?>(.*?)</v>", re.S)
_TEXT_XML = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_FORMULA_XML = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_PREFIXED = re.compile(rb"<\w+:(?:c|row|v|is|t)\b")
_COLUMN_INDEX: dict[bytes, int] = {}


def _column_index(letters: bytes) -> int:
    index = _COLUMN_INDEX.get(letters)
    if index is None:
        index = _COLUMN_INDEX[letters] = column_index_from_string(letters.decode())
    return index


def _xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


def _fast_rows(book: Any, title: str) -> list[tuple[int, list[Any]]] | None:
    """(Excel row, values by column) of every row with a cell, read from the sheet's XML;
    None when the XML is not of the plain kind this reader knows."""
    try:
        sheet = book[title]
        with book._archive.open(sheet._worksheet_path) as stream:
            xml = stream.read()
        strings = sheet._shared_strings
        dates = {str(d).encode() for d in book._date_formats}
        epoch = book.epoch
    except Exception:
        return None
    found = _SHEET_DATA.search(xml)
    if found is None or _PREFIXED.search(xml):
        return None
    body = found.group(1) or b""
    opened, closed = body.count(b"<c "), body.count(b"</c>")
    if closed > opened or opened - closed > body.count(b"/>"):
        return None  # cells left unclosed: not a sheet a program wrote; openpyxl judges it
    rows: dict[int, list[Any]] = {}
    read = 0  # cells matched, one at a time: a list of a million matches costs 200 MB
    for cell in _CELL_FAST.finditer(body):
        letters, row, attributes, plain, inner = cell.groups(b"")
        read += 1
        value: Any = None
        kind = b"n"
        if attributes:
            kind_match = _CELL_TYPE.search(attributes)
            kind = kind_match.group(1) if kind_match else b"n"
        if kind == b"n" and plain:
            amount = float(plain) if b"." in plain or b"E" in plain or b"e" in plain else int(plain)
            style = _CELL_STYLE.search(attributes) if attributes else None
            value = from_excel(amount, epoch) if style and style.group(1) in dates else amount
        elif kind == b"s" and plain:
            value = strings[int(plain)]
        elif kind == b"inlineStr":
            if inner.startswith(b"<is><t>") and inner.endswith(b"</t></is>") and (
                inner.count(b"<t") == 1
            ):
                texts = [inner[7:-9]]  # the common case: one plain run
            else:
                texts = _TEXT_XML.findall(_PHONETIC.sub(b"", inner))
            value = "".join(_xml_text(t) for t in texts) or None  # empty: None, as openpyxl
        else:
            raw = plain
            if raw is None or raw == b"":
                found_v = _VALUE_XML.search(inner)
                raw = found_v.group(1) if found_v else None
            if raw is None or raw.strip() == b"":
                if b"<f" in inner:
                    if kind == b"str":
                        value = ""  # a formula whose saved value is the empty text
                    else:
                        formula = _FORMULA_XML.search(inner)
                        text = _xml_text(formula.group(1) or b"") if formula else ""
                        value = _Formula(f"={text}" if text else "=…")
            elif kind == b"s":
                value = strings[int(raw)]
            elif kind in (b"str", b"e"):
                value = _xml_text(raw)
            elif kind == b"b":
                value = raw.strip() in (b"1", b"true")
            elif kind == b"d":
                value = from_ISO8601(raw.decode())
            else:
                text = raw.decode().strip()
                amount = float(text) if any(ch in text for ch in ".eE") else int(text)
                style = _CELL_STYLE.search(attributes) if attributes else None
                value = from_excel(amount, epoch) if style and style.group(1) in dates else amount
        if value is None:
            continue
        number = int(row)
        if number > MAX_ROWS + 1:
            raise _too_many_rows(title)
        values = rows.get(number)
        if values is None:
            values = rows[number] = []
        column = _column_index(letters)
        if column > len(values):
            values.extend([None] * (column - len(values)))
        values[column - 1] = value
    if read != opened + body.count(b"<c>"):
        return None  # a cell without its reference, or one this pattern does not know
    return sorted(rows.items())


def _too_many_digits(exc: ValueError) -> bool:
    """Python refuses to read an integer of more than 4,300 digits."""
    return "digits" in str(exc)


def _huge_number(title: str, below: int | None = None) -> WorkbookError:
    where = f"sheet '{title}'" if below is None else f"sheet '{title}' below row {below}"
    message = (
        f"{where} holds a number of thousands of digits, past every bound the contract has; "
        "correct it"
    )
    if below is None:
        return _fail(message, "huge_in_sheet", title=title)
    return _fail(message, "huge_below_row", title=title, row=below)


def _too_many_rows(title: str) -> WorkbookError:
    """A sheet with more rows than are read (found while reading it)."""
    return _fail(
        f"sheet '{title}' has more than {MAX_ROWS:,} rows",
        "too_many_rows",
        title=title,
        most=MAX_ROWS,
    )


def _check_declared_rows(sheet: Any, title: str) -> None:
    """Refuse a sheet that declares more rows than are read, before reading any."""
    declared = sheet.max_row or 0
    if declared > MAX_ROWS + 1:
        raise _fail(
            f"sheet '{title}' declares {declared:,} rows; at most {MAX_ROWS:,} are read",
            "declares_rows",
            title=title,
            declared=declared,
            most=MAX_ROWS,
        )


def _sheet_rows(
    sheet: Any, title: str, unsaved: dict[tuple[int, int], _Formula] | None = None
) -> list[tuple[int, tuple[Any, ...]]]:
    """The sheet's non-empty rows with their Excel row numbers (header included)."""
    _check_declared_rows(sheet, title)
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
    try:
        for number, values in enumerate(cells, start=1):
            if number > MAX_ROWS + 1:
                raise _too_many_rows(title)
            if any(not _blank(v) for v in values):
                rows.append((number, tuple(values)))
    except WorkbookError:
        raise
    except ValueError as exc:
        if _too_many_digits(exc):
            raise _huge_number(title, len(rows) and rows[-1][0]) from None
        raise _fail(f"sheet '{title}' is damaged and cannot be read ({exc})") from None
    except Exception as exc:  # openpyxl raises many kinds on malformed sheet XML
        raise _fail(
            f"sheet '{title}' is damaged and cannot be read ({type(exc).__name__})"
        ) from None
    return rows


def _read_sheet(book: Any, title: str) -> list[tuple[int, tuple[Any, ...]]]:
    """A sheet's rows: from its XML directly when it is plain, else through openpyxl."""
    sheet = book[title]
    _check_declared_rows(sheet, title)
    try:
        fast = _fast_rows(book, title)
    except WorkbookError:
        raise
    except ValueError as exc:
        if _too_many_digits(exc):
            raise _huge_number(title) from None
        fast = None
    except Exception:
        fast = None  # openpyxl, below, reports what is wrong with the sheet
    if fast is not None:
        return [(n, tuple(v)) for n, v in fast if any(not _blank(x) for x in v)]
    return _sheet_rows(sheet, title, _unsaved_formulas(book, title))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------------- cells


class _CellError(Exception):
    """A cell's problem: the English message, and its code and values for other languages."""

    def __init__(self, message: str, code: str = "", **values: Any) -> None:
        super().__init__(message)
        self.code = code
        self.values = tuple(values.items())


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _as_number(value: Any) -> float:
    if isinstance(value, bool):
        raise _CellError(f"must be a number, got {value}", "not_number", got=value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        raise _CellError("must be a number, got a date or time", "date_not_number")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an integer of hundreds of digits
            return math.inf
    else:
        number = _number_text(str(value).strip())
    if math.isinf(number) and not isinstance(value, float) and _DIGITS.fullmatch(str(value)):
        return number  # too many digits for a float: _parse_cell gives the column's bound
    if not math.isfinite(number):
        raise _CellError(f"must be a finite number, got {value}", "not_finite", got=value)
    return number


# A number typed as text: digits with an optional sign, decimal point and exponent. A comma
# is read only between groups of three digits (1,234 or 12,345,678.5): `10,1` is a decimal
# comma in much of the world and `1,23` a typo, and reading either as 101 or 123 is a wrong
# answer with no warning. Python's own float() would also take `1_0` as 10.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_DIGITS = re.compile(r"\s*[+-]?\d[\d,]*(\.\d*)?\s*")


def _digit_count(value: Any) -> int:
    if isinstance(value, int):
        return (
            len(str(abs(value)))
            if value.bit_length() < 10_000
            else int(value.bit_length() * math.log10(2)) + 1
        )
    return sum(ch.isdigit() for ch in str(value))


def _number_text(text: str) -> float:
    """A number typed in a text cell; anything but a plain or thousands-grouped number is
    refused with what was typed."""
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text)
    if _GROUPED_NUMBER.fullmatch(text):
        return float(text.replace(",", ""))
    if "," in text and _PLAIN_NUMBER.fullmatch(text.replace(",", "")):
        raise _CellError(
            f"'{text}' is not a number this file can read without guessing: a comma is read "
            "only between groups of three digits (1,234); write a decimal with a point "
            "(10.1), not a comma",
            "decimal_comma",
            got=text,
        )
    if text.lower() in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity"):
        raise _CellError(f"must be a finite number, got {text}", "not_finite", got=text)
    raise _CellError(f"must be a number, got '{text}'", "not_number_text", got=text)


def _as_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = _as_text(value).lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise _CellError(
        f"must be yes or no (y/n, true/false, 1/0, 是/否), got '{_as_text(value)}'",
        "yes_no",
        got=_as_text(value),
    )


def _fmt(value: float) -> str:
    return f"{value:g}"


def _bounds(column: Column) -> dict[str, Any]:
    """A column's bounds as values a sentence in any language can use."""
    return {
        "low": None if column.minimum is None else _fmt(column.minimum),
        "high": None if column.maximum is None else _fmt(column.maximum),
        "exclusive": bool(column.min_exclusive),
    }


def _parse_cell(column: Column, value: Any) -> Any:
    """A cell's value typed by the contract; raises _CellError with a planner's message."""
    if isinstance(value, _Formula):
        raise _CellError(
            f"holds a formula ({value}) with no saved value; open the file in Excel or "
            "LibreOffice and save it, which stores the values",
            "formula",
            formula=str(value),
        )
    if column.type == "text":
        text = _as_text(value)
        if column.choices:
            key = CHOICE_ALIASES.get(text, text.lower())
            if key not in column.choices and text.upper() in column.choices:
                key = text.upper()  # S, R, E
            if key not in column.choices:
                raise _CellError(
                    f"must be one of {', '.join(column.choices)}, got '{text}'",
                    "choice",
                    choices=", ".join(column.choices),
                    got=text,
                )
            return key
        return text
    if column.type == "yesno":
        return _as_yes_no(value)
    number = _as_number(value)
    if math.isinf(number):  # a number of hundreds of digits: past any bound the contract has
        digits = _digit_count(value)
        bound = column.bounds_text() or "a number of sensible size"
        raise _CellError(
            f"must be {bound}, got a number of {digits:,} digits",
            "huge_number",
            digits=digits,
            **_bounds(column),
        )
    if column.type == "integer" and not number.is_integer():
        raise _CellError(
            f"must be a whole number, got {_fmt(number)}", "not_whole", got=_fmt(number)
        )
    low, high = column.minimum, column.maximum
    if low is not None and (number <= low if column.min_exclusive else number < low):
        shown = f"{'>' if column.min_exclusive else '≥'} {_fmt(low)}"
        raise _CellError(
            f"must be {shown}, got {_fmt(number)}",
            "below_bound",
            sign=">" if column.min_exclusive else "≥",
            low=_fmt(low),
            got=_fmt(number),
        )
    if high is not None and number > high:
        raise _CellError(
            f"must be {column.bounds_text()}, got {_fmt(number)}",
            "out_of_bounds",
            got=_fmt(number),
            **_bounds(column),
        )
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
        problems.append(Problem(sheet, None, None, "the sheet has no header row", "no_header"))
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
            problems.append(
                Problem(sheet, header_row, _as_text(cell), "this column appears twice", "twice")
            )
            continue
        (positions if key in known else extra)[key] = index
    usable = True
    for column in spec:
        if column.required and column.name not in positions:
            problems.append(
                Problem(sheet, None, column.name, "required column is missing", "missing_column")
            )
            usable = False
    records: list[dict[str, Any]] = []
    for number, values in rows[1:]:
        record: dict[str, Any] = {"excel_row": number}
        for column in spec:
            index = positions.get(column.name)
            raw = values[index] if index is not None and index < len(values) else None
            if _blank(raw):
                if column.required and index is not None:
                    problems.append(Problem(sheet, number, column.name, "is empty", "empty"))
                record[column.name] = column.default_value()
                continue
            try:
                record[column.name] = _parse_cell(column, raw)
            except _CellError as exc:
                problems.append(
                    Problem(sheet, number, column.name, str(exc), exc.code, exc.values)
                )
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
            Problem(
                "settings",
                header_row,
                None,
                "needs two columns named key and value",
                "settings_header",
            )
        )
        return settings
    key_at, value_at = heads.index("key"), heads.index("value")
    spec = {c.name: c for c in columns("settings")}
    seen: dict[str, int] = {}
    for number, values in rows[1:]:
        raw_key = values[key_at] if key_at < len(values) else None
        raw_value = values[value_at] if value_at < len(values) else None
        if _blank(raw_key):
            problems.append(Problem("settings", number, "key", "is empty", "empty"))
            continue
        key = _as_text(raw_key).lower()
        if key not in spec:
            key = _as_text(raw_key)
            warnings.append(
                Note(
                    f"settings row {number}: unknown key '{key}' ignored",
                    "unknown_setting",
                    (("row", number), ("key", key)),
                )
            )
            continue
        if key in seen:
            problems.append(
                Problem(
                    "settings",
                    number,
                    "value",
                    f"{key} is set twice (also row {seen[key]})",
                    "setting_twice",
                    (("setting", key), ("other_row", seen[key])),
                )
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
            problems.append(
                Problem(
                    "settings",
                    number,
                    "value",
                    f"{key} {exc}",
                    exc.code,
                    (("setting", key), *exc.values),
                )
            )
    if settings["ppp_min_share"] > settings["ppp_max_share"]:
        problems.append(
            Problem(
                "settings",
                seen.get("ppp_min_share"),
                "value",
                "ppp_min_share must not exceed ppp_max_share",
                "ppp_shares",
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
                    "duplicate",
                    (("value", value), ("other_row", first[value])),
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
                "years_gap",
                (("missing", ", ".join(map(str, missing))),),
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
                    "share_order",
                    (("low", _fmt(low)), ("high", _fmt(high))),
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
                "min_shares_sum",
                (("total", f"{total_min:.3g}"),),
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
                    "unknown_region",
                    (("value", region),),
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
                    "after_horizon",
                    (("year", year), ("last", years[-1])),
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
                    "workers_sum",
                    (("region", region), ("given", given), ("total", total)),
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
                        "not_planning_year",
                        (("value", value), ("first", years[0]), ("last", years[-1])),
                    )
                )
        if early is not None and late is not None and early > late:
            problems.append(
                Problem(
                    "displacement",
                    row,
                    "earliest_year",
                    f"earliest_year {early} is after latest_year {late}",
                    "window_order",
                    (("early", early), ("late", late)),
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
                    "window_starts",
                    (("year", year), ("early", early)),
                )
            )
        if late is not None and late < year:
            problems.append(
                Problem(
                    "displacement",
                    row,
                    "latest_year",
                    f"the window must contain the planned year {year}, but ends in {late}",
                    "window_ends",
                    (("year", year), ("late", late)),
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
                    "unknown_region",
                    (("value", r["region"]),),
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
                    "shares_sum",
                    (("got", f"{sum(shares):.4g}"),),
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
                    "start_order",
                    (("late", late), ("early", early)),
                )
            )
        if r.get("mandatory") and r.get("excluded"):
            problems.append(
                Problem(
                    "projects",
                    row,
                    "excluded",
                    "a project cannot be both mandatory and excluded",
                    "mandatory_excluded",
                )
            )
        if (r.get("lat") is None) != (r.get("lon") is None):
            problems.append(
                Problem("projects", row, "lat", "give both lat and lon, or neither", "lat_lon")
            )
        need = r.get("requires")
        if need:
            if need == r.get("project_id"):
                problems.append(
                    Problem(
                        "projects", row, "requires", "a project cannot require itself", "self"
                    )
                )
            elif need not in ids:
                problems.append(
                    Problem(
                        "projects",
                        row,
                        "requires",
                        f"'{need}' is not a project_id in the sheet",
                        "unknown_project",
                        (("value", need),),
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
                    "cycle",
                    (("path", " → ".join([*cycle, cycle[0]])),),
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


def _sheet_key(title: str) -> str:
    """A sheet's name as the loader matches it: trimmed, case-folded, look-alikes folded."""
    return _id_key(title).casefold()


def _sheet_titles(book: Any, problems: list[Problem], warnings: list[str]) -> dict[str, str]:
    """Contract sheet name → the workbook's title of it.

    Two sheets that read as one name (`projects` and `Projects `, or a hidden copy) are an
    error naming both: which one holds the plan is the planner's call, and reading either
    silently gives a wrong answer. A sheet that is hidden and alone with its name is read,
    with a note, since a planner may hide a finished table.
    """
    found: dict[str, list[str]] = {}
    for title in book.sheetnames:
        found.setdefault(_sheet_key(title), []).append(title)
    chosen: dict[str, str] = {}
    for name in REQUIRED_SHEETS + OPTIONAL_SHEETS:
        titles = found.get(name, [])
        if not titles:
            continue
        states = {t: getattr(book[t], "sheet_state", "visible") for t in titles}
        if len(titles) > 1:
            shown = " and ".join(
                f"'{t}'" + ("" if states[t] == "visible" else f" ({states[t]})") for t in titles
            )
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    f"the sheets {shown} both read as the {name} sheet; keep one "
                    "(delete or rename the other)",
                    "sheets_alike",
                    (("titles", tuple(titles)), ("states", tuple(states[t] for t in titles))),
                )
            )
            continue
        title = titles[0]
        if states[title] != "visible":
            warnings.append(
                Note(
                    f"the {name} sheet '{title}' is hidden in Excel; it was read",
                    "hidden_sheet",
                    (("sheet", name), ("title", title)),
                )
            )
        chosen[name] = title
    return chosen


# Characters that show as nothing (zero-width space and joiners, the byte-order mark, soft
# hyphen, direction marks): two ids that differ only in them look the same on every screen.
def _id_key(text: str) -> str:
    """What a planner sees of an id: full-width and compatibility forms folded (NFKC), the
    invisible format characters removed, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text)
    visible = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split())


def _marked(text: str) -> str:
    """The id with each invisible or full-width character shown as <U+XXXX>."""
    return "".join(
        f"<U+{ord(ch):04X}>"
        if unicodedata.category(ch) in ("Cf", "Zs")
        and ch != " "
        or unicodedata.normalize("NFKC", ch) != ch
        else ch
        for ch in text
    )


def _check_lookalikes(sheet: _Sheet, key: str, problems: list[Problem]) -> None:
    """Two ids that differ only in what cannot be seen (a zero-width space, a BOM, a
    non-breaking space, full-width letters and dashes) are refused naming both rows: the
    shortlist could not tell them apart."""
    first: dict[str, tuple[str, int]] = {}
    for record in sheet.records:
        value = record.get(key)
        if not isinstance(value, str) or not value:
            continue
        seen = _id_key(value)
        if seen in first and first[seen][0] != value:
            other, row = first[seen]
            problems.append(
                Problem(
                    sheet.name,
                    record["excel_row"],
                    key,
                    f"'{_marked(value)}' looks the same as '{_marked(other)}' in row {row} "
                    "but differs in invisible or full-width characters (marked <U+…>); "
                    "give them visibly different ids",
                    "ids_alike",
                    (("value", _marked(value)), ("other", _marked(other)), ("other_row", row)),
                )
            )
        else:
            first.setdefault(seen, (value, record["excel_row"]))


def load_workbook(source: Source) -> PlanningData:
    """Read and validate a planning workbook.

    `source` is a path, the file's bytes, or a binary file object (a Streamlit upload). Raises
    `WorkbookError` listing every problem found, each with sheet, Excel row and column.
    """
    if not isinstance(source, str | os.PathLike | bytes | bytearray) and not hasattr(
        source, "read"
    ):
        raise TypeError(
            "load_workbook: source must be a path to an .xlsx file, the file's bytes or a "
            f"binary file object (open(path, 'rb')), got {_shown_type(source)}"
        )
    data, name = _read_bytes(source)
    book = _open_workbook(data)
    try:
        problems: list[Problem] = []
        warnings: list[str] = []
        by_name = _sheet_titles(book, problems, warnings)
        twice = {p.sheet for p in problems}  # two sheets of that name: not missing
        missing = [s for s in REQUIRED_SHEETS if s not in by_name and s not in twice]
        for sheet in missing:
            problems.append(
                Problem(sheet, None, None, "required sheet is missing", "missing_sheet")
            )
        rows = {
            s: _read_sheet(book, by_name[s])
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
                    "no_rows",
                )
            )

    regions = tables.get("regions")
    if regions is not None and regions.usable:
        _check_unique(regions, "region", problems)
        _check_lookalikes(regions, "region", problems)
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
        _check_lookalikes(tables["projects"], "project_id", problems)

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
    data = PlanningData(
        displacement=schedule,
        projects=projects,
        regions=regions_frame,
        years=years,
        sectors=sectors,
        settings=settings,
        warnings=tuple(warnings),
        source_name=name,
    )
    data._checked.append(True)
    return data


# ------------------------------------------------------------------- tables built in Python


def _shown_type(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}{'…' if len(text) > 60 else ''}"


def check_planning_data(data: Any, argument: str = "data") -> PlanningData:
    """`data` as a PlanningData whose tables meet the contract, as a workbook's must.

    A TypeError when it is not a PlanningData at all (a path: load it first); a WorkbookError
    listing each problem by table, row and column when a table built in Python lacks a
    column, holds text where numbers belong, or a value out of the contract's range. Tables
    from load_workbook were checked when read and are not checked again.
    """
    if not isinstance(data, PlanningData):
        hint = ""
        if isinstance(data, str | os.PathLike | bytes):
            hint = "; read a workbook first: optimizer.load_workbook(path)"
        raise TypeError(
            f"{argument} must be a PlanningData (from optimizer.load_workbook), got "
            f"{_shown_type(data)}{hint}"
        )
    if data._checked:
        return data
    problems = _table_problems(data)
    if problems:
        raise WorkbookError(problems)
    data._checked.append(True)
    return data


def _rows_of(table: pd.DataFrame) -> list[int]:
    if "excel_row" in table.columns and pd.api.types.is_integer_dtype(table["excel_row"]):
        return [int(r) for r in table["excel_row"]]
    return list(range(2, len(table) + 2))  # as if row 1 were the header


def _numbers_pass(column: Column, numbers: np.ndarray) -> np.ndarray:
    """True where a number meets every rule _parse_cell applies to it (finite, whole for an
    integer column, inside the bounds); False for the rest, empty cells (NaN) included."""
    ok = np.isfinite(numbers)
    if column.type == "integer":
        ok &= np.floor(numbers) == numbers
    low, high = column.minimum, column.maximum
    if low is not None:
        ok &= numbers > low if column.min_exclusive else numbers >= low
    if high is not None:
        ok &= numbers <= high
    return ok


def _column_problems(sheet: str, table: pd.DataFrame, problems: list[Problem]) -> None:
    rows = _rows_of(table)
    for column in columns(sheet):
        if column.name not in table.columns:
            if not column.required and column.type == "text" and sheet != "projects":
                continue  # a note (a source, a basis) the model and the shortlist never read
            problems.append(
                Problem(
                    sheet,
                    None,
                    column.name,
                    "column is missing (load_workbook fills "
                    "every contract column; a table built in Python needs them all)",
                    "table_column_missing",
                )
            )
            continue
        values = table[column.name]
        bad: list[tuple[int, str]] = []
        if column.type in ("number", "integer"):
            if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
                first = next((v for v in values if not _blank(v)), None)
                problems.append(
                    Problem(
                        sheet,
                        None,
                        column.name,
                        f"must hold numbers, not {values.dtype} "
                        f"values (first: {first!r}); convert it with pd.to_numeric",
                        "table_not_numbers",
                        (("dtype", str(values.dtype)), ("first", repr(first))),
                    )
                )
                continue
            numbers = values.astype(float).to_numpy()
            # Only the cells that are empty or fail a rule go through _parse_cell, for its
            # message: the rules' test on the whole column first (100,000 projects: 1.1
            # million cells, 2 s one by one).
            for at in np.flatnonzero(~_numbers_pass(column, numbers)).tolist():
                row, number = rows[at], numbers[at]
                if math.isnan(number):
                    if column.required:
                        bad.append((row, "is empty", "empty", ()))
                    continue
                try:
                    _parse_cell(column, number)
                except _CellError as exc:
                    bad.append((row, str(exc), exc.code, exc.values))
        elif column.type == "yesno":
            if not pd.api.types.is_bool_dtype(values):
                problems.append(
                    Problem(
                        sheet,
                        None,
                        column.name,
                        f"must hold True/False, not {values.dtype}",
                        "table_not_yes_no",
                        (("dtype", str(values.dtype)),),
                    )
                )
                continue
        elif column.choices:
            allowed = set(column.choices)
            for row, value in zip(rows, values, strict=True):
                if value not in allowed and not (value == "" and not column.required):
                    choices = ", ".join(column.choices)
                    bad.append(
                        (
                            row,
                            f"must be one of {choices}, got {value!r}",
                            "table_choice",
                            (("choices", choices), ("got", repr(value))),
                        )
                    )
        elif column.required:
            for row, value in zip(rows, values, strict=True):
                if _blank(value) or (isinstance(value, float) and math.isnan(value)):
                    bad.append((row, "is empty", "empty", ()))
        problems.extend(Problem(sheet, row, column.name, *rest) for row, *rest in bad[:20])
        if len(bad) > 20:
            more = len(bad) - 20
            problems.append(
                Problem(
                    sheet,
                    None,
                    column.name,
                    f"… and {more} more rows",
                    "more_rows",
                    (("more", more),),
                )
            )


def _as_sheet(sheet: str, table: pd.DataFrame) -> _Sheet:
    plain = table.astype(object).where(table.notna(), None)
    records = plain.to_dict("records")
    for record, row in zip(records, _rows_of(table), strict=True):
        record["excel_row"] = row
    return _Sheet(sheet, records, [], True)


def _table_problems(data: PlanningData) -> list[Problem]:
    problems: list[Problem] = []
    sheets = ["projects", "regions", "years", "sectors"]
    if isinstance(data.displacement, pd.DataFrame) and len(data.displacement):
        sheets.append("displacement")
    for sheet in sheets:
        table = getattr(data, sheet)
        if not isinstance(table, pd.DataFrame):
            problems.append(
                Problem(
                    sheet,
                    None,
                    None,
                    f"must be a pandas DataFrame, got {_shown_type(table)}",
                    "table_not_frame",
                    (("got", _shown_type(table)),),
                )
            )
            continue
        if sheet in REQUIRED_SHEETS and table.empty:
            problems.append(Problem(sheet, None, None, "the table has no rows", "table_no_rows"))
            continue
        _column_problems(sheet, table, problems)
    if not isinstance(data.settings, dict):
        problems.append(
            Problem("settings", None, None, "must be a dict of setting values", "settings_not_dict")
        )
    else:
        spec = {c.name: c for c in columns("settings")}
        for key, value in data.settings.items():
            if key in NO_RULE_SETTINGS and value == math.inf:
                continue  # no such rule, as an empty cell in the workbook says
            if key in spec:
                try:
                    _parse_cell(spec[key], value)
                except _CellError as exc:
                    values = (("setting", key), *exc.values)
                    problems.append(
                        Problem("settings", None, "value", f"{key} {exc}", exc.code, values)
                    )
    if problems:
        return problems  # the rules below read typed columns
    regions = _as_sheet("regions", data.regions)
    _check_unique(regions, "region", problems)
    _check_years(_as_sheet("years", data.years), problems)
    _check_sectors(_as_sheet("sectors", data.sectors), problems)
    projects = _as_sheet("projects", data.projects)
    for record in projects.records:
        # The loader fills an empty latest_start with the last year a project can start,
        # which may come before its earliest_start (a project that cannot start at all):
        # the order of the two is checked only on what a planner typed.
        record["latest_start"] = None
    _check_projects(projects, {r["region"] for r in regions.records}, problems)
    return problems
