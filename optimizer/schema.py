"""The workbook contract, kept as data.

`contract.csv` (beside this file) lists every sheet, column and setting with its type, unit,
bounds, default and description. It drives the loader's checks, the blank template and the
contract's documentation, so the three can never disagree.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

SECTORS: tuple[str, ...] = ("transport", "telecom", "energy", "urban_renewal")

# Chinese names planners type, mapped to the sector ids the model uses.
SECTOR_ALIASES: dict[str, str] = {
    "交通": "transport",
    "通信": "telecom",
    "通讯": "telecom",
    "能源": "energy",
    "城市更新": "urban_renewal",
}

# What planners type for a PPP's payment mechanism, and for a figure's basis.
MECHANISM_ALIASES: dict[str, str] = {
    "政府付费": "government_pay",
    "可行性缺口补助": "viability_gap",
    "可行性缺口": "viability_gap",
    "使用者付费": "user_pay",
}
# The industries whose capacity exit displaces workers (the displacement sheet's sector).
INDUSTRIES: tuple[str, ...] = ("coal", "steel", "chemicals", "cement", "flat_glass")
INDUSTRY_ALIASES: dict[str, str] = {
    "煤炭": "coal",
    "钢铁": "steel",
    "化工": "chemicals",
    "水泥": "cement",
    "平板玻璃": "flat_glass",
}
# A cell with choices is matched through these aliases, then case-insensitively.
CHOICE_ALIASES: dict[str, str] = {**SECTOR_ALIASES, **MECHANISM_ALIASES, **INDUSTRY_ALIASES}

# The settings key whose empty value (or `none`) means "no such rule", not "the default".
NO_RULE_SETTINGS: frozenset[str] = frozenset({"ppp_user_pay_only_from"})
NO_RULE_WORDS = frozenset({"none", "never", "无"})

YES_WORDS = frozenset({"yes", "y", "true", "1", "是", "t"})
NO_WORDS = frozenset({"no", "n", "false", "0", "否", "f"})

REQUIRED_SHEETS: tuple[str, ...] = ("projects", "regions", "years")
OPTIONAL_SHEETS: tuple[str, ...] = ("displacement", "sectors", "settings")
SHEETS: tuple[str, ...] = REQUIRED_SHEETS + OPTIONAL_SHEETS


@dataclass(frozen=True)
class Column:
    """One column of a sheet (or one key of the settings sheet)."""

    sheet: str
    name: str
    type: str  # text | number | integer | yesno
    unit: str
    required: bool
    minimum: float | None
    maximum: float | None
    min_exclusive: bool
    default: str | None
    choices: tuple[str, ...]
    description: str

    def bounds_text(self) -> str:
        """The allowed range in words, e.g. '> 0' or '0 to 1'."""
        if self.minimum is not None and self.maximum is not None:
            if self.min_exclusive:
                return f"> {_num(self.minimum)} and ≤ {_num(self.maximum)}"
            return f"{_num(self.minimum)} to {_num(self.maximum)}"
        if self.minimum is not None:
            return f"{'>' if self.min_exclusive else '≥'} {_num(self.minimum)}"
        if self.maximum is not None:
            return f"≤ {_num(self.maximum)}"
        return ""

    def default_value(self) -> object:
        """The default as a typed value (None when the column has none)."""
        if self.default is None:
            return None
        if self.type == "yesno":
            return self.default.lower() in YES_WORDS
        if self.type in ("number", "integer"):
            value = float(self.default)
            return int(value) if self.type == "integer" else value
        return self.default


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _optional_float(text: str) -> float | None:
    return float(text) if text.strip() else None


@cache
def contract() -> tuple[Column, ...]:
    """Every column of the contract, in sheet and column order."""
    text = resources.files("optimizer").joinpath("contract.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        Column(
            sheet=row["sheet"],
            name=row["column"],
            type=row["type"],
            unit=row["unit"],
            required=row["required"] == "yes",
            minimum=_optional_float(row["minimum"]),
            maximum=_optional_float(row["maximum"]),
            min_exclusive=row["min_exclusive"] == "yes",
            default=row["default"] or None,
            choices=tuple(c for c in row["choices"].split("|") if c),
            description=row["description"],
        )
        for row in rows
    )


def columns(sheet: str) -> tuple[Column, ...]:
    """The contract's columns of one sheet (for `settings`: its keys)."""
    return tuple(c for c in contract() if c.sheet == sheet)


def setting_defaults() -> dict[str, float]:
    """Every setting with its default value (a yes/no setting as 1.0 or 0.0)."""
    return {c.name: float(c.default_value()) for c in columns("settings")}  # type: ignore[arg-type]


def contract_markdown() -> str:
    """The contract as Markdown tables, one per sheet: the documentation planners read."""
    lines: list[str] = []
    for sheet in SHEETS:
        need = "required" if sheet in REQUIRED_SHEETS else "optional"
        lines += [f"### Sheet `{sheet}` ({need})", ""]
        first = "key" if sheet == "settings" else "column"
        lines += [
            f"| {first} | type | unit | required | allowed | default | meaning |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in columns(sheet):
            allowed = ", ".join(c.choices) if c.choices else c.bounds_text()
            lines.append(
                f"| {c.name} | {c.type} | {c.unit} | {'yes' if c.required else 'no'} "
                f"| {allowed} | {c.default or ''} | {c.description} |"
            )
        lines.append("")
    return "\n".join(lines)
