"""The import report workbook: every rejected row as it was in the file, with its sheet row number and
the reason, so the clerk can correct the rows there and import the report itself; and every warning."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.errors import InputError, cannot_write, is_storage_failure
from app.io.cell_text import keep_text, writable

if TYPE_CHECKING:
    from app.io.roster_import import ImportResult, Roster

REJECTED_SHEET = "被拒绝的行"
WARNINGS_SHEET = "提示"
_BOLD = Font(bold=True)


def cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> Cell:
    """A cell that keeps its value as it is: text stays text ("@", never a formula), so IDs keep every
    digit and a name starting with '=' reads back as written; what no workbook can hold is left out."""
    if isinstance(value, float) and not math.isfinite(value):
        value = str(value)  # a cell that read as NaN or infinity: a workbook has no such number
    out = WriteOnlyCell(sheet, value=writable(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        out.number_format = "@"
        keep_text(out)
    elif isinstance(value, (dt.date, dt.datetime)):
        out.number_format = "yyyy-mm-dd"
    if bold:
        out.font = _BOLD
    return out


def save_workbook(book: Workbook, path: Path) -> Path:
    """Save whole or not at all (built in memory, then put in place), turning a file that cannot be
    written into a sentence the clerk can act on."""
    path = Path(path)
    buffer = io.BytesIO()
    book.save(buffer)
    partial = path.with_name(f".{path.name}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(buffer.getvalue())
        os.replace(partial, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        if is_storage_failure(exc):
            raise cannot_write(path.parent, exc) from None
        raise InputError(f"无法写入文件 {path}：若它正在Excel中打开，请关闭后重试；或换一个文件夹。") from None
    return path


def write_report(path: Path, roster: Roster, result: ImportResult) -> Path:
    book = Workbook(write_only=True)
    rejected = book.create_sheet(REJECTED_SHEET)
    headers = ["行号", "原因", *(name or f"第{i + 1}列" for i, name in enumerate(roster.headers))]
    rejected.column_dimensions["B"].width = 60
    rejected.append([cell(rejected, h, bold=True) for h in headers])
    cells_of = {row.number: row.cells for row in roster.rows}
    for outcome in result.rejected:
        original = cells_of.get(outcome.row, ())
        reason = outcome.reason if outcome.outcome == "rejected" else f"{outcome.reason}（此前导入时已拒绝过）"
        rejected.append([cell(rejected, outcome.row), cell(rejected, reason),
                         *(cell(rejected, v) for v in original)])
    warnings = book.create_sheet(WARNINGS_SHEET)
    warnings.column_dimensions["C"].width = 70
    warnings.append([cell(warnings, h, bold=True) for h in ("行号", "姓名", "提示")])
    for row, name, message in result.warnings:
        warnings.append([cell(warnings, row), cell(warnings, name), cell(warnings, message)])
    return save_workbook(book, path)
