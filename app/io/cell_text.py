"""Text written into a workbook so that it can always be written and reads back as it was written.

openpyxl refuses a control character (the XML of a sheet cannot hold it), so one stored BEL would stop
the year-end export; and it writes any text starting with '=' as a live formula, so a name like
=HYPERLINK(…) would become a link in the clerk's Excel. Every workbook writer of the program passes
its text through here: app.io (the register, the import report) and app.reports (the printed
reports as workbooks, the yearly workbook)."""

from __future__ import annotations

import re

from openpyxl.cell import Cell, MergedCell

EXCEL_CELL_CHARS = 32_767  # Excel's limit for one cell
FORMULA_START = ("=", "+", "-", "@")  # what Excel takes as the start of a formula when typed
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_IN_SHEET_NAMES = re.compile(r"[\\/?*\[\]:\x00-\x1f]")


def writable(text: str) -> str:
    """The text without what a workbook cannot hold, and no longer than Excel's limit."""
    if _UNWRITABLE.search(text):
        text = _UNWRITABLE.sub("", text)
    return text[:EXCEL_CELL_CHARS]


def keep_text(cell: Cell | MergedCell) -> None:
    """A cell holding text keeps it as text: never a formula, and with Excel's quote prefix where the
    first character would start one, so that editing the cell in Excel keeps it text as well."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_START):
            cell.quotePrefix = True


def sheet_title(text: str, default: str = "报表") -> str:
    """A sheet's name from free text (a campaign's name): without the characters Excel forbids in sheet
    names (2026/春节 would stop the export), at most 31 characters."""
    return _NOT_IN_SHEET_NAMES.sub("", writable(text)).strip("' ")[:31] or default
