"""Workbooks like the clerk's, built by the tests: title rows, merged cells, text and number cells."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
from python_calamine import CalamineWorkbook

HEADER = ["序号", "姓名", "性别", "身份证号", "残疾证号", "残疾类别", "残疾等级", "村", "组", "住址", "联系电话"]
SAMPLE = Path(__file__).resolve().parent / "data" / "roster_sample.xlsx"  # a copy of ../shared/samples' roster


def write_roster(path: Path, rows: Sequence[Sequence[Any]], *, header: Sequence[str] = HEADER,
                 titles: Sequence[Sequence[Any]] = (("某镇残疾人花名册",), ("填报单位：某镇残联", None, "2026年")),
                 merge_title: bool = True) -> Path:
    """Titles, then the header, then the rows; string cells are written as text ("@")."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for title in titles:
        sheet.append(list(title))
    if titles and merge_title:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    book.save(path)
    return path


def row(name: str, id_number: Any, *, cert: Any = None, category: Any = "肢体", grade: Any = "二级",
        village: str = "金塔村", group: Any = "1组", sex: str | None = None, address: str = "",
        phone: Any = None, number: int = 1) -> list[Any]:
    """One data row in HEADER's order."""
    return [number, name, sex, id_number, cert, category, grade, village, group, address or None, phone]


def sheet_rows(path: Path, sheet: str) -> list[list[Any]]:
    book = CalamineWorkbook.from_path(str(path))
    return [list(r) for r in book.get_sheet_by_name(sheet).to_python()]
