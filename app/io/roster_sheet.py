"""A roster workbook as the import reads it: the first sheet with a recognisable header row (found under
any title rows), its column mapping (the clerk may choose another), and its data rows."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.collection import without_automatic_gc
from app.errors import InputError
from app.io.headers import FIELD_HEADERS, REQUIRED, find_header
from app.io.workbook import Cell, read_workbook


@dataclass(frozen=True)
class RosterRow:
    """One data row: its number on the sheet (1-based, as Excel shows it) and its cells by column."""

    number: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Roster:
    """A roster read from a workbook, before anything is saved."""

    path: Path
    sheet_name: str
    header_row: int  # 1-based sheet row of the header (its first line, when it has two)
    headers: list[str]  # the header text of every column, "" where blank
    mapping: dict[str, int]  # field key -> 0-based column index
    ignored: list[str]  # header names of columns that are not imported
    rows: list[RosterRow]
    other_sheets: list[str] = field(default_factory=list)  # further sheets that look like rosters too

    def with_mapping(self, mapping: Mapping[str, int]) -> Roster:
        """The same roster read with the clerk's own choice of column for each field."""
        unknown = [key for key in mapping if key not in FIELD_HEADERS]
        if unknown:
            raise InputError(f"没有名为“{unknown[0]}”的项目：请从列表中选择。")
        if any(not 0 <= col < len(self.headers) for col in mapping.values()):
            raise InputError("所选的列不在表格中：请重新选择。")
        if len(set(mapping.values())) != len(mapping):
            raise InputError("同一列被指定给了两个项目：每列只能对应一个项目。")
        missing = [FIELD_HEADERS[key] for key in REQUIRED if key not in mapping]
        if missing:
            raise InputError(f"请指定“{'”和“'.join(missing)}”所在的列：没有它们无法导入。")
        used = set(mapping.values())
        ignored = [name for i, name in enumerate(self.headers) if name and i not in used]
        return dataclasses.replace(self, mapping=dict(mapping), ignored=ignored)

    def cell(self, row: RosterRow, key: str) -> Cell:
        col = self.mapping.get(key)
        return row.cells[col] if col is not None and col < len(row.cells) else None


def read_roster(path: Path) -> Roster:
    """The first sheet of the workbook with a recognisable header row, or InputError saying what is wrong."""
    with without_automatic_gc():
        return _read_roster(Path(path))


def _read_roster(path: Path) -> Roster:
    sheets = read_workbook(path)
    found = [(sheet, match) for sheet in sheets if (match := find_header(sheet.rows)) is not None]
    if not found:
        raise InputError(
            f"在 {path.name} 中找不到表头行：表头应包含“姓名”和“身份证号”两列，请检查后再导入。"
        )
    sheet, match = found[0]
    sheet.fill_merged(below_row=match.last_row)
    below = sheet.rows[match.last_row + 1:]
    width = max([len(match.names), *map(len, below)])  # a column without a header still goes into the report
    names = match.names + [""] * (width - len(match.names))
    rows = [
        RosterRow(index + 1, tuple(cells))
        for index, cells in enumerate(below, start=match.last_row + 1)
        if any(c is not None for c in cells)
    ]
    return Roster(path, sheet.name, match.first_row + 1, names, match.mapping, match.ignored, rows,
                  [s.name for s, _ in found[1:]])
