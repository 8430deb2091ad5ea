"""The PDF engine as it was before issue 15 (each page a platypus Table), pinned here so that a test can
print every form with both engines and compare them page by page: the direct drawing of app.reports.engine
must show exactly what this one shows. Only the test reads it; the fonts' line breaking is pinned with it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table, TableStyle

from app.reports.fonts import FONT, register_font
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
from app.reports.table import Column, Kind, Line, TableReport, all_columns, format_cell, label_span, lines

MAX_LINES = 8  # a cell longer than this is cut with "…" so one row never outgrows a page
_NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)%")
_NO_LINE_END = set("（《「『“‘(")



def text_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def break_lines(text: str, width: float, size: float) -> list[str]:
    """Greedy line breaking between any two characters (CJK), never starting a line with punctuation."""
    result: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for ch in paragraph:
            w = text_width(ch, size)
            cut = 0
            if line and used + w > width:  # past the edge: break where the rules allow, or here at last
                cut = _break_point(line, ch) or (len(line) if used + w > width + size else 0)
            if cut:
                result.append(line[:cut])
                line = line[cut:]
                used = text_width(line, size)
            line += ch
            used += w
        result.append(line)
    if len(result) > MAX_LINES:
        result = result[:MAX_LINES]
        result[-1] = result[-1][:-1] + "…"
    return result


def _break_point(line: str, following: str) -> int:
    """Where to end the line (0: nowhere): punctuation never starts the next line, house numbers and
    Latin words stay whole, an opening bracket never ends a line."""
    cut = len(line)
    if following in _NO_LINE_START:
        cut -= 1  # take the last character along so the punctuation does not start a line
        while cut > 0 and line[cut] in _NO_LINE_START:
            cut -= 1
    elif _is_word(following):
        start = cut
        while start > 0 and _is_word(line[start - 1]):
            start -= 1
        if start > 0:
            cut = start
    while cut > 0 and line[cut - 1] in _NO_LINE_END:
        cut -= 1
    return cut


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()

BODY_SIZE = 10.0
MIN_SIZE = 6.5  # an unbreakable cell shrinks no further than this
LEADING = 1.25  # line height as a multiple of the type size
PAD = 3.0  # points above and below a row's text
SIDE_PAD = 2.5


@dataclass
class _Cell:
    text: str
    size: float = BODY_SIZE
    lines: int = 1


@dataclass
class _Row:
    kind: Kind
    cells: list[_Cell]
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

    def row(self, line: Line) -> _Row:
        """Break or shrink each cell so it fits its column; the row is as tall as its tallest cell."""
        cells: list[_Cell] = []
        if line.kind in (Kind.HEADING, Kind.SUBTOTAL, Kind.TOTAL):
            spans = {0: sum(self.widths[: label_span(self.report)])}
            if line.kind is Kind.HEADING:
                spans = {0: sum(self.widths)}
        else:
            spans = {}
        for i, value in enumerate(line.cells):
            text = format_cell(value)
            avail = spans.get(i, self.widths[i]) - 2 * SIDE_PAD
            cells.append(self._fit(text, avail, self.columns[i].wrap or line.kind is Kind.HEADER))
        tallest = max(c.lines * c.size * LEADING for c in cells)
        minimum = BODY_SIZE * LEADING + 2 * PAD
        if line.kind is Kind.DATA and self.report.signature_column:
            minimum = 9 * mm  # room to sign or press a thumb
        return _Row(line.kind, cells, max(tallest + 2 * PAD, minimum), line.section)

    @staticmethod
    def _fit(text: str, avail: float, wrap: bool) -> _Cell:
        if not text or text_width(text, BODY_SIZE) <= avail:
            return _Cell(text)
        size = BODY_SIZE * avail / text_width(text, BODY_SIZE)
        if not wrap and size >= MIN_SIZE:
            return _Cell(text, size)
        parts = break_lines(text, avail, BODY_SIZE)  # wrapping, or too long even in small type
        return _Cell("\n".join(parts), BODY_SIZE, len(parts))


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

    def continued(name: str) -> _Row:
        return layout.row(Line(Kind.HEADING, [f"{name}（续）"] + [""] * (len(layout.columns) - 1), name))

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


def _table(layout: _Layout, page: _Page) -> Table:
    rows = [page.header, *page.rows]
    last_col = len(layout.columns) - 1
    style: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, BODY_SIZE, BODY_SIZE * LEADING),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), SIDE_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), SIDE_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
    ]
    for i, col in enumerate(layout.columns):
        style.append(("ALIGN", (i, 1), (i, -1), col.align))
    span = label_span(layout.report) - 1
    for r, row in enumerate(rows):
        if row.kind is Kind.HEADING:
            style += [("SPAN", (0, r), (last_col, r)), ("ALIGN", (0, r), (0, r), "LEFT"),
                      ("BACKGROUND", (0, r), (last_col, r), colors.Color(0.95, 0.95, 0.95))]
        elif row.kind in (Kind.SUBTOTAL, Kind.TOTAL):
            style += [("SPAN", (0, r), (span, r)), ("ALIGN", (0, r), (0, r), "CENTER")]
            if row.kind is Kind.TOTAL:
                style.append(("LINEABOVE", (0, r), (last_col, r), 1.0, colors.black))
        for c, cell in enumerate(row.cells):
            if cell.size != BODY_SIZE:
                style.append(("FONT", (c, r), (c, r), FONT, cell.size, cell.size * LEADING))
    data = [[cell.text for cell in row.cells] for row in rows]
    return Table(data, colWidths=layout.widths, rowHeights=[row.height for row in rows], style=TableStyle(style))


def render_pdf(report: TableReport, path: Path, progress: Callable[[int], None] | None = None) -> Path:
    """Write the report as a PDF. The file appears whole or not at all (written beside it, then renamed).
    progress, when given, is told the number of each page as it is laid out (a county register has
    thousands: about 1 s per 100 pages here)."""
    register_font()
    layout = _Layout(report)
    tmp = path.with_name(f".{path.name}.part")
    canvas = Canvas(str(tmp), pagesize=layout.page, pageCompression=1, initialFontName=FONT,
                    initialFontSize=BODY_SIZE)
    canvas.setTitle(report.title)
    canvas.setAuthor(report.unit)
    canvas.setCreator("残联工作台")
    number = 0
    try:
        for page in _paginate(layout, lines(report)):
            number += 1
            top = draw_frame(canvas, report, number, first=page.first)
            if page.rows or page.first:
                table = _table(layout, page)
                _, table_height = table.wrapOn(canvas, layout.page[0], layout.page[1])
                table.drawOn(canvas, MARGIN, top - table_height)
                top -= table_height
            if page.last:
                draw_footer(canvas, report, top)
            canvas.showPage()
            if progress is not None:
                progress(number)
        finish_pages(canvas, number)
        canvas.save()
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):  # a write-protected stick refuses even this: the first error counts
            tmp.unlink(missing_ok=True)
    return path
