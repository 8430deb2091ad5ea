"""The PDF engine: the embedded Chinese font, the A4 page frame, the ruled table, the signers and the seal.

Pages are laid out here rather than by platypus' document flow: every row's height is known from its
text (long cells are broken into lines by width, CJK style), so rows are packed into pages in one pass
and each page is drawn as its own reportlab Table and then forgotten. That keeps a county register
linear in time and holds one page of rows in memory at a time; "共 M 页" is a form XObject filled
in when the last page is known, so no page has to be kept for a second pass.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape, portrait
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table, TableStyle
from reportlab.platypus.flowables import Flowable

from app.paths import font_path
from app.reports.table import Column, Kind, Line, TableReport, all_columns, format_cell, label_span, lines
from app.reports.workbook import render_xlsx

__all__ = ["FONT", "Column", "SignersBlock", "TableReport", "register_font", "render_pdf", "render_xlsx"]

FONT = "WQY"
BODY_SIZE = 10.0
MIN_SIZE = 6.5  # an unbreakable cell shrinks no further than this
LEADING = 1.25  # line height as a multiple of the type size
PAD = 3.0  # points above and below a row's text
SIDE_PAD = 2.5
MAX_LINES = 8  # a cell longer than this is cut with "…" so one row never outgrows a page
MARGIN = 14 * mm
TITLE_SIZE = 18.0
PREAMBLE_LINE = 7 * mm
FOOTER_HEIGHT = 34 * mm  # signers, the unit and date, and room for the seal
SIGN_BOX = (80 * mm, 30 * mm)  # room for a signature and a thumbprint side by side
SIGN_BOX_GAP = 6 * mm
_NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)%")
_NO_LINE_END = set("（《「『“‘(")
_TOTAL_PAGES_FORM = "canlianTotalPages"


def register_font() -> str:
    """Embed WenQuanYi Micro Hei (shipped in resources/fonts) once per process. Never a CID font:
    those are not embedded and print as boxes or nothing on a PC without Chinese fonts."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))
    return FONT


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
        self.page: tuple[float, float] = landscape(A4) if report.landscape else portrait(A4)
        self.columns: list[Column] = all_columns(report)
        total = sum(c.width for c in self.columns)
        usable = self.page[0] - 2 * MARGIN
        self.widths = [c.width * usable / total for c in self.columns]
        # under the title, unit and date (and the preamble's lines, when there are any)
        self.table_top_first = self.page[1] - MARGIN - 16 * mm - len(report.preamble) * PREAMBLE_LINE
        self.table_top_other = self.page[1] - MARGIN - 6 * mm  # under "（续）"
        self.bottom = MARGIN + 4 * mm  # above "第 N 页 共 M 页"

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
    footer = _footer_height(layout)
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


def note_lines(layout: _Layout) -> list[str]:
    """The note under the table as printed lines: each of its lines broken to the page's width."""
    width = layout.page[0] - 2 * MARGIN
    return [part for text in layout.report.note.splitlines() for part in break_lines(text, width, 10.5)]


def _note_height(layout: _Layout) -> float:
    lines = note_lines(layout)
    return len(lines) * 6 * mm + 2 * mm if lines else 0


def _footer_height(layout: _Layout) -> float:
    box = SIGN_BOX[1] + SIGN_BOX_GAP if layout.report.sign_box else 0
    return FOOTER_HEIGHT + _note_height(layout) + box


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


def _draw_frame(canvas: Canvas, layout: _Layout, page: _Page, number: int) -> float:
    """Title, unit and date on the first page, "（续）" on the others, the page number on all.
    Returns the y where the table starts."""
    width, height = layout.page
    report = layout.report
    if page.first:
        canvas.setFont(FONT, TITLE_SIZE)
        canvas.drawCentredString(width / 2, height - MARGIN - TITLE_SIZE, report.title)
        canvas.setFont(FONT, 10.5)
        y = height - MARGIN - 14 * mm
        canvas.drawString(MARGIN, y, f"单位：{report.unit}" if report.unit else "单位：")
        canvas.drawRightString(width - MARGIN, y, f"日期：{report.date_text}")
        for text in report.preamble:
            y -= PREAMBLE_LINE
            canvas.drawString(MARGIN, y, text)
        top = layout.table_top_first
    else:
        canvas.setFont(FONT, 10.5)
        canvas.drawCentredString(width / 2, height - MARGIN - 3 * mm, f"{report.title}（续）")
        top = layout.table_top_other
    _draw_mark(canvas, layout)
    canvas.setFont(FONT, 9)
    canvas.drawRightString(width / 2 - 2, MARGIN - 4 * mm, f"第 {number} 页")
    canvas.saveState()
    canvas.translate(width / 2 + 2, MARGIN - 4 * mm)
    canvas.doForm(_TOTAL_PAGES_FORM)
    canvas.restoreState()
    return top


def _draw_mark(canvas: Canvas, layout: _Layout) -> None:
    """The report's mark (草表（未确认发放）) boxed in the top margin and faintly across the page, drawn
    before the table so that it never hides a figure."""
    mark = layout.report.mark
    if not mark:
        return
    width, height = layout.page
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.86, 0.86, 0.86))
    canvas.setFont(FONT, 54)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(25)
    canvas.drawCentredString(0, -18, mark)
    canvas.restoreState()
    size, box_height = 11.0, 6.5 * mm
    box_width = text_width(mark, size) + 4 * mm
    x, y = width - MARGIN - box_width, height - MARGIN + 1 * mm
    canvas.saveState()
    canvas.setLineWidth(1)
    canvas.rect(x, y, box_width, box_height)
    canvas.setFont(FONT, size)
    canvas.drawString(x + 2 * mm, y + (box_height - size) / 2 + 1.5, mark)
    canvas.restoreState()


def draw_signers(canvas: Canvas, x: float, y: float, width: float, signers: Sequence[tuple[str, str]],
                 unit: str, date_text: str, seal: bool) -> None:
    """经办人 / 审核人 / 负责人 spread over the width on the line at y, then, when seal, the unit and date at
    the right under them, where the seal is pressed."""
    canvas.setFont(FONT, 10.5)
    canvas.setLineWidth(0.5)
    for i, (role, name) in enumerate(signers):
        left = x + i * width / max(1, len(signers))
        canvas.drawString(left, y, f"{role}：{name}")
        start = left + text_width(f"{role}：", 10.5)
        canvas.line(start, y - 2, start + 30 * mm, y - 2)
    if seal:
        right = x + width - 10 * mm
        canvas.drawRightString(right, y - 11 * mm, f"{unit}（盖章）" if unit else "（盖章）")
        canvas.drawRightString(right, y - 18 * mm, date_text)


class SignersBlock(Flowable):
    """The signers and the seal as a platypus flowable, for a document laid out by platypus (the yearly
    summary): drawn as the engine's own forms draw them."""

    def __init__(self, signers: Sequence[tuple[str, str]], unit: str, date_text: str, seal: bool = True) -> None:
        super().__init__()
        self.signers, self.unit, self.date_text, self.seal = list(signers), unit, date_text, seal

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, FOOTER_HEIGHT - 2 * mm
        return self.width, self.height

    def draw(self) -> None:
        draw_signers(self.canv, 0, self.height - 10 * mm, self.width, self.signers, self.unit, self.date_text,
                     self.seal)


def _draw_footer(canvas: Canvas, layout: _Layout, y: float) -> None:
    """The note, the box the recipient signs in (a receipt), the signers, then the unit and date at the
    right, where the seal is pressed."""
    report = layout.report
    width = layout.page[0] - 2 * MARGIN
    canvas.setFont(FONT, 10.5)
    for line in note_lines(layout):
        y -= 6 * mm
        canvas.drawString(MARGIN, y, line)
    if report.sign_box:
        box_width, box_height = SIGN_BOX
        y -= SIGN_BOX_GAP + box_height
        canvas.setLineWidth(1.0)
        canvas.rect(MARGIN, y, box_width, box_height)
        canvas.drawString(MARGIN + 2 * mm, y + box_height - 6 * mm, f"{report.sign_box}：")
    draw_signers(canvas, MARGIN, y - 10 * mm, width, report.signers, report.unit, report.date_text, report.seal)


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
            top = _draw_frame(canvas, layout, page, number)
            if page.rows or page.first:
                table = _table(layout, page)
                _, table_height = table.wrapOn(canvas, layout.page[0], layout.page[1])
                table.drawOn(canvas, MARGIN, top - table_height)
                top -= table_height
            if page.last:
                _draw_footer(canvas, layout, top)
            canvas.showPage()
            if progress is not None:
                progress(number)
        canvas.beginForm(_TOTAL_PAGES_FORM)
        canvas.setFont(FONT, 9)
        canvas.drawString(0, 0, f"共 {number} 页")
        canvas.endForm()
        canvas.save()
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):  # a write-protected stick refuses even this: the first error counts
            tmp.unlink(missing_ok=True)
    return path
