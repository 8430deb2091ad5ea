"""The PDF engine: a TableReport's ruled table, laid out into pages inside the page frame of
app.reports.page (title, page numbers, signers and seal) in the font of app.reports.fonts.

Pages are laid out here rather than by platypus' document flow: every row's height is known from its
text (long cells are broken into lines by width, CJK style), so rows are packed into pages in one pass
and each page's table is drawn straight on the canvas by app.reports.ruled and then forgotten. That keeps
a county register linear in time and holds one page of rows in memory at a time; "共 M 页" is a form
XObject filled in when the last page is known, so no page has to be kept for a second pass.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.collection import without_automatic_gc
from app.reports.fonts import FONT, ShapeWidths, break_lines, register_font
from app.reports.page import (
    BOTTOM,
    MARGIN,
    draw_footer,
    draw_frame,
    finish_pages,
    footer_height,
    page_size,
    table_top,
)
from app.reports.page_streams import PageStreams
from app.reports.ruled import Cell, PageText, Row, draw_table
from app.reports.table import (
    Align,
    Column,
    Kind,
    Line,
    TableReport,
    Value,
    all_columns,
    format_cell,
    label_span,
    lines,
    parts,
)

__all__ = ["render_pdf", "render_xlsx"]

BODY_SIZE = 10.0
MIN_SIZE = 6.5  # an unbreakable cell shrinks no further than this
LEADING = 1.25  # line height as a multiple of the type size
PAD = 3.0  # points above and below a row's text
SIDE_PAD = 2.5
_KEEP_FITTED = 5_000  # distinct values of a column whose fitting is kept for the next row


@functools.cache
def _body_width() -> ShapeWidths:
    """Widths in the body's size, measured by shape (fonts.ShapeWidths), kept for the process: the font is
    registered once."""
    return ShapeWidths(BODY_SIZE)


@dataclass
class _Row:
    kind: Kind
    cells: list[Cell]
    height: float
    section: str = ""


class _Layout:
    """Page size, margins and the column widths scaled to fill the page."""

    def __init__(self, report: TableReport) -> None:
        self.report = report
        self.page: tuple[float, float] = page_size(report)
        self.columns: list[Column] = all_columns(report)
        total = sum(c.width for c in self.columns)
        usable = self.page[0] - 2 * MARGIN
        self.widths = [c.width * usable / total for c in self.columns]
        self.table_top_first = table_top(report, first=True)
        self.table_top_other = table_top(report, first=False)
        self.bottom = BOTTOM
        self.label_span = label_span(report)  # how many columns a 小计 or 合计 label spans (makes the columns anew)
        self._fitted: list[dict[str, tuple[Cell, float]]] = [{} for _ in self.columns]
        self._aligns: list[Align] = [c.align for c in self.columns]
        self._header_aligns: list[Align] = ["CENTER"] * len(self.columns)

    def row(self, line: Line) -> _Row:
        """Break or shrink each cell so it fits its column; the row is as tall as its tallest cell."""
        if line.kind is Kind.DATA:
            cells, tallest = self._data_cells(line.cells)
        else:
            spans: dict[int, float] = {}
            if line.kind in (Kind.HEADING, Kind.SUBTOTAL, Kind.TOTAL):
                spans = {0: sum(self.widths[: self.label_span])}
                if line.kind is Kind.HEADING:
                    spans = {0: sum(self.widths)}
            cells = [self._fit(format_cell(value), spans.get(i, self.widths[i]) - 2 * SIDE_PAD,
                               self.columns[i].wrap or line.kind is Kind.HEADER)
                     for i, value in enumerate(line.cells)]
            tallest = max(c.lines * c.size * LEADING for c in cells)
        minimum = BODY_SIZE * LEADING + 2 * PAD
        if line.kind is Kind.DATA and self.report.signature_column:
            minimum = 9 * mm  # room to sign or press a thumb
        return _Row(line.kind, cells, max(tallest + 2 * PAD, minimum), line.section)

    def _data_cells(self, values: list[Value]) -> tuple[list[Cell], float]:
        """A data row's cells fitted to their columns, each with the height of its lines, and the tallest of
        them. Each distinct value of a column is fitted once (男, 肢体, 三级 ... come back on every page of a
        county register): a million cells go through here."""
        cells: list[Cell] = []
        append = cells.append
        tallest = 0.0
        for value, fitted in zip(values, self._fitted, strict=True):
            # a str as it is; an int (序号, an age) as str() prints it, as format_cell would
            text = value if isinstance(value, str) else str(value) if type(value) is int else format_cell(value)
            known = fitted.get(text)
            if known is None:
                i = len(cells)
                cell = self._fit(text, self.widths[i] - 2 * SIDE_PAD, self.columns[i].wrap)
                known = (cell, cell.lines * cell.size * LEADING)
                if len(fitted) < _KEEP_FITTED:
                    fitted[text] = known
            append(known[0])
            if known[1] > tallest:
                tallest = known[1]
        return cells, tallest

    @staticmethod
    def _fit(text: str, avail: float, wrap: bool) -> Cell:
        width = _body_width()(text) if text else 0.0
        if width <= avail:
            return Cell(text, BODY_SIZE, 1, width)  # positional: half a million of them
        size = BODY_SIZE * avail / width
        if not wrap and size >= MIN_SIZE:
            return Cell(text, size, width=width * size / BODY_SIZE)
        parts = break_lines(text, avail, BODY_SIZE)  # wrapping, or too long even in small type
        return Cell("\n".join(parts), BODY_SIZE, len(parts))

    def ruled(self, row: _Row, header: bool) -> Row:
        """How the row is drawn: a village's heading spans the table, shaded, its name at the left; a 小计 or
        合计 label spans the columns before the first summed one, centred; the header row is shaded and
        centred; other cells take their column's alignment."""
        aligns = self._header_aligns if header else self._aligns
        if row.kind is Kind.HEADING:
            return Row([row.cells[0]], row.height, ["LEFT"], span=len(self.columns), shade=0.95)
        if row.kind in (Kind.SUBTOTAL, Kind.TOTAL):
            span = self.label_span
            return Row([row.cells[0], *row.cells[span:]], row.height, ["CENTER", *aligns[span:]], span=span,
                       rule_above=row.kind is Kind.TOTAL)
        return Row(row.cells, row.height, aligns, shade=0.9 if header else None)


@dataclass
class _Page:
    header: _Row
    rows: list[_Row] = field(default_factory=list)
    first: bool = False
    last: bool = False


def _paginate(layout: _Layout, stream: Iterator[Line]) -> Iterator[_Page]:
    """Pack rows into pages in one pass. A section that goes on over a page starts again with
    "村名（续）" and at least one of its rows; a heading is never the last row of a page; the signers stay
    with the last rows."""
    header = layout.row(next(stream))
    page = _Page(header, first=True)
    used = header.height
    section = ""

    def room(p: _Page) -> float:
        top = layout.table_top_first if p.first else layout.table_top_other
        return top - layout.bottom

    made: dict[str, _Row] = {}  # a village's "村名（续）" row, laid out once: a county's 4,000 pages repeat them

    def continued(name: str) -> _Row:
        row = made.get(name)
        if row is None:
            line = Line(Kind.HEADING, [f"{name}（续）", *[""] * (len(layout.columns) - 1)], name)
            row = made[name] = layout.row(line)
        return row

    held: _Page | None = None  # the page before the current one, kept back in case the last is totals only
    rows = (layout.row(line) for line in stream)
    following = next(rows, None)
    while following is not None:
        row, following = following, next(rows, None)
        # a heading brings its first row along (a row to sign in is taller than the header row)
        need = row.height + (following.height if row.kind is Kind.HEADING and following is not None else 0)
        if page.rows and used + need > room(page):
            # a 小计 never starts a page under "村名（续）" alone: the section's last row comes along
            cut = _carry_from(page.rows, keep=1) if row.kind is Kind.SUBTOTAL else 0
            if held is not None:
                yield held
            held = page
            page = _Page(header)
            if cut:
                page.rows.extend(_carried(held, cut, continued))
            elif row.kind is not Kind.HEADING and row.section and row.section == section:
                page.rows.append(continued(section))
            used = header.height + sum(r.height for r in page.rows)
        if row.kind is Kind.HEADING:
            section = row.section
        page.rows.append(row)
        used += row.height
    footer = footer_height(layout.report)
    if held is not None and not any(r.kind is Kind.DATA for r in page.rows):
        # the page broke just before the totals: the last data rows come over, so the totals and the
        # signers are never alone on a page
        cut = _carry_from(held.rows)
        if cut:
            page.rows[:0] = _carried(held, cut, continued)
    if held is not None:
        yield held
    if page.rows and header.height + sum(r.height for r in page.rows) + footer > room(page):
        cut = _carry_from(page.rows) or len(page.rows)  # too short to split: the signers go alone
        carried = _carried(page, cut, continued)
        yield page
        page = _Page(header)
        page.rows.extend(carried)
    page.last = True
    yield page


def _carried(page: _Page, cut: int, continued: Callable[[str], _Row]) -> list[_Row]:
    """Take the page's rows from `cut` off it, headed by "村名（续）" when they go on a section."""
    carried = page.rows[cut:]
    del page.rows[cut:]
    first = next((r for r in carried if r.kind is not Kind.HEADING), None)
    if first is not None and first.section and carried[0].kind is not Kind.HEADING:
        carried.insert(0, continued(first.section))
    return carried


def _carry_from(rows: list[_Row], keep: int = 3) -> int:
    """Where to cut the last page so that its last few data rows go over with the signers,
    never leaving a heading behind; 0 when the page is too short to split."""
    cut, data = len(rows), 0
    while cut > 0 and data < keep:
        cut -= 1
        data += rows[cut].kind is Kind.DATA
    while cut > 0 and rows[cut - 1].kind is Kind.HEADING:
        cut -= 1
    return cut if cut > 0 and data == keep else 0


def render_pdf(report: TableReport, path: Path, progress: Callable[[int], None] | None = None) -> Path:
    """Write the report as a PDF. The file appears whole or not at all (written beside it, then renamed).
    progress, when given, is told the number of each page as it is laid out (a county register has
    thousands: about 1 s per 100 pages here)."""
    # a county register's print makes millions of short-lived tuples (a quarter of the CPU where every row was
    # kept; within the noise for the command, which keeps a page of rows)
    with without_automatic_gc():
        return _render_pdf(report, path, progress)


def _render_pdf(report: TableReport, path: Path, progress: Callable[[int], None] | None) -> Path:
    register_font()
    layout = _Layout(report)
    tmp = path.with_name(f".{path.name}.part")
    # types-reportlab has initialFontName as a float; reportlab takes the font's name
    canvas = Canvas(str(tmp), pagesize=layout.page, pageCompression=1, initialFontName=FONT,  # type: ignore[arg-type]
                    initialFontSize=BODY_SIZE)
    canvas.setTitle(report.title)
    canvas.setAuthor(report.unit)
    canvas.setCreator("残联工作台")
    text = PageText(canvas)
    number = 0
    try:
        with PageStreams(canvas) as streams:
            for part in parts(report):  # an appendix starts on a page of its own, numbered on
                layout = layout if part is report else _Layout(part)
                canvas.setPageSize(layout.page)
                for page in _paginate(layout, lines(part)):
                    number += 1
                    top = draw_frame(canvas, part, number, first=page.first)
                    if page.rows or page.first:
                        rows = [layout.ruled(page.header, True), *(layout.ruled(r, False) for r in page.rows)]
                        top -= draw_table(canvas, text, MARGIN, top, layout.widths, rows, leading=LEADING,
                                          side_pad=SIDE_PAD)
                    if page.last:
                        draw_footer(canvas, part, top)
                    canvas.showPage()
                    streams.shown()
                    if progress is not None:
                        progress(number)
        finish_pages(canvas, number)
        canvas.save()
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):  # a write-protected stick refuses even this: the first error counts
            tmp.unlink(missing_ok=True)
    return path


def render_xlsx(report: TableReport, path: Path) -> Path:
    """The same table as a workbook (app.reports.workbook), whose openpyxl a PDF never needs to load."""
    from app.reports.workbook import render_xlsx as write

    return write(report, path)
