"""What a printed form is, apart from how it is drawn: its title, columns and a stream of rows.

Every report module builds a TableReport; app.reports.engine draws it as a PDF and
app.reports.workbook writes it as a workbook, both from the same logical lines made here, so the
printed page and the workbook always agree on the numbering, the subtotals and the totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Literal

Cell = str | int | Decimal | None
Value = Cell  # the name the engine uses, whose own Cell is a drawn cell (app.reports.ruled)
Align = Literal["LEFT", "CENTER", "RIGHT"]
DEFAULT_SIGNERS = ("经办人", "审核人", "负责人")


@dataclass(frozen=True)
class Column:
    """One column. width is relative (millimetres on A4 landscape are a good unit): the engine scales
    the columns to the page, so nothing is cut off whatever the paper."""

    header: str
    width: float
    align: Align = "CENTER"
    wrap: bool = True  # a long cell wraps onto more lines; False: the type shrinks to keep one line (IDs)
    total: bool = False  # summed in the 小计 and 合计 rows (amounts, quantities)
    text: bool = False  # digits that are not a number (ID, phone): kept as text in a workbook
    money: bool = False  # yuan: a 小计 of nothing (every line not given) reads 0.00, not 0


@dataclass(frozen=True)
class Section:
    """Starts a group of rows (a village): a heading row, and a 小计 row when the group ends."""

    title: str


@dataclass(frozen=True)
class Uncounted:
    """A data row printed and numbered in its place but left out of the 小计 and 合计: a line of a list that
    was not given (未发放：未找到), so the totals are of what was."""

    cells: Sequence[Cell]


@dataclass
class TableReport:
    """A printed list: title, unit and date on top, a table, totals, then the signers and the seal.

    rows is consumed once, lazily, so a report of a whole county never sits in memory at once.
    Each row holds the cells of `columns` (without 序号 and the signature column, which the engine adds).
    """

    title: str
    unit: str
    date_text: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Cell] | Section | Uncounted]
    numbered: bool = True  # 序号 first
    signature_column: str | None = None  # e.g. "签字（手印）": a wide empty column last
    count_unit: str = "人"  # "小计 12人"
    subtotals: bool = True  # a 小计 row after each Section
    grand_total: bool = True  # a 合计 row at the end
    total_label: str = "合计"  # e.g. 计划合计 / 实发合计, where the form must say which total it is
    signers: Sequence[tuple[str, str]] = field(default_factory=lambda: [(s, "") for s in DEFAULT_SIGNERS])
    seal: bool = True  # room for the office seal (盖章) under the signers
    landscape: bool = True
    note: str = ""  # under the table, e.g. 说明: broken to the page width, "\n" starts a new line
    preamble: Sequence[str] = ()  # lines between the unit/date and the table (a receipt's 领取人 details)
    mark: str = ""  # stamped on every page (草表（未确认发放）): a draft never passes for the real form
    sign_box: str = ""  # a ruled box under the table to sign or press a thumb in, with this label (a receipt)
    # a second table from a page of its own with its own title (a sheet of its own in a workbook), numbered on
    # with the report's pages: the county report's 上报情况, which must not hide as a note under the table
    appendix: TableReport | None = None


def parts(report: TableReport) -> Iterator[TableReport]:
    """The report, then its appendix (and the appendix's own), each drawn from a page or sheet of its own."""
    part: TableReport | None = report
    while part is not None:
        yield part
        part = part.appendix


class Kind(Enum):
    HEADER = "header"
    HEADING = "heading"  # a Section's title row, spanning the table
    DATA = "data"
    SUBTOTAL = "subtotal"
    TOTAL = "total"


@dataclass
class Line:
    """One row of the finished table, with 序号 and the signature column in place."""

    kind: Kind
    cells: list[Cell]
    section: str = ""  # the Section this row belongs to ("" when none)


def all_columns(report: TableReport) -> list[Column]:
    """The columns as printed: 序号, the report's own, then the signature column."""
    cols = list(report.columns)
    if report.numbered:
        cols.insert(0, Column("序号", 10, wrap=False))  # 100000 shrinks, never breaks
    if report.signature_column:
        cols.append(Column(report.signature_column, 34))
    return cols


def format_cell(value: Cell) -> str:
    """How a value is printed: amounts with two decimals, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


class _Tally:
    """Counts rows and sums the total columns of a group or of the whole report."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.count = 0
        self.sums: list[int | Decimal] = [Decimal("0.00") if c.money else 0 for c in columns]
        self.summed = [i for i, c in enumerate(columns) if c.total]  # only these are ever printed

    def add(self, cells: Sequence[Cell]) -> None:
        self.count += 1
        for i in self.summed:
            value = cells[i]
            if isinstance(value, int | Decimal):
                self.sums[i] += value


def _total_line(report: TableReport, kind: Kind, label: str, tally: _Tally, section: str) -> Line:
    """小计/合计: the label and the count over the columns before the first summed one, then the sums."""
    cols = all_columns(report)
    offset = 1 if report.numbered else 0
    cells: list[Cell] = [""] * len(cols)
    cells[0] = f"{label} {tally.count}{report.count_unit}"
    for i, col in enumerate(cols):
        if col.total:
            cells[i] = tally.sums[i - offset]
    return Line(kind, cells, section)


def label_span(report: TableReport) -> int:
    """How many columns the 小计/合计 label spans: up to the first summed column."""
    cols = all_columns(report)
    return next((i for i, col in enumerate(cols) if col.total), len(cols))


def lines(report: TableReport) -> Iterator[Line]:
    """The table row by row: header, section headings, numbered data rows, 小计 and 合计."""
    cols = all_columns(report)
    yield Line(Kind.HEADER, [c.header for c in cols])
    width = len(report.columns)
    grand, group = _Tally(report.columns), _Tally(report.columns)
    section = ""
    number = 0  # 序号 runs over every printed row, counted or not
    for row in report.rows:
        if isinstance(row, Section):
            if section and report.subtotals:
                yield _total_line(report, Kind.SUBTOTAL, f"{section}小计", group, section)
            section, group = row.title, _Tally(report.columns)
            yield Line(Kind.HEADING, [row.title, *[""] * (len(cols) - 1)], section)
            continue
        counted = not isinstance(row, Uncounted)
        values = row.cells if isinstance(row, Uncounted) else row
        if len(values) != width:
            raise ValueError(f"row has {len(values)} cells, the report has {width} columns")
        if counted:
            grand.add(values)
            group.add(values)
        number += 1
        cells: list[Cell] = [number, *values] if report.numbered else list(values)
        if report.signature_column:
            cells.append("")
        yield Line(Kind.DATA, cells, section)
    if section and report.subtotals:
        yield _total_line(report, Kind.SUBTOTAL, f"{section}小计", group, section)
    if report.grand_total:
        yield _total_line(report, Kind.TOTAL, report.total_label, grand, "")
