"""The page frame of every printed form: A4 upright or landscape with its margins; the title, the unit and
the date on the first page and "（续）" on the others; "第 N 页 共 M 页" on every page; the mark of a draft;
and the footer — the note, the recipient's sign box, 经办人 / 审核人 / 负责人 and the unit and date where the
seal is pressed. The table between them is app.reports.engine's.

It is the one owner of the page number and the unit-and-date line: the forms drawn by the engine, the
yearly summary laid out by platypus (app.reports.yearly) and the workbooks (app.reports.workbook's print
set-up, its footer in Excel's codes) all take them from here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, TypeAlias
from weakref import WeakKeyDictionary

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape, portrait
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.flowables import Flowable

from app.reports.fonts import FONT, break_lines, same_advance, text_width
from app.reports.table import TableReport

MARGIN = 14 * mm
TITLE_SIZE = 18.0
PREAMBLE_LINE = 7 * mm
FOOTER_HEIGHT = 34 * mm  # signers, the unit and date, and room for the seal
SIGN_BOX = (80 * mm, 30 * mm)  # room for a signature and a thumbprint side by side
SIGN_BOX_GAP = 6 * mm
BOTTOM = MARGIN + 4 * mm  # the table ends above "第 N 页 共 M 页"
_TOTAL_PAGES_FORM = "canlianTotalPages"
PAGE_NUMBER_SIZE = 9.0
# one command of a reportlab TableStyle: its name, first and last cell as (column, row), then its values
StyleCommand: TypeAlias = tuple[str, tuple[int, int], tuple[int, int], *tuple[Any, ...]]


def page_number(number: int | str) -> str:
    """第 N 页 (N may be a workbook's code for it, &P)."""
    return f"第 {number} 页"


def total_pages(pages: int | str) -> str:
    """共 M 页 (M may be a workbook's code for it, &N)."""
    return f"共 {pages} 页"


WORKBOOK_FOOTER = f"{page_number('&P')} {total_pages('&N')}"  # Excel fills in &P and &N when printing


def unit_line(unit: str) -> str:
    """单位：金塔镇残疾人联合会 (left blank to be written in when no 单位信息 was entered)."""
    return f"单位：{unit}"


def date_line(date_text: str) -> str:
    """日期：2026年11月29日"""
    return f"日期：{date_text}"


def page_size(report: TableReport) -> tuple[float, float]:
    return landscape(A4) if report.landscape else portrait(A4)


def table_top(report: TableReport, *, first: bool) -> float:
    """Where the table starts: under the title, unit and date (and the preamble's lines) on the first page,
    under "（续）" on the others."""
    height = page_size(report)[1]
    if first:
        return height - MARGIN - 16 * mm - len(report.preamble) * PREAMBLE_LINE
    return height - MARGIN - 6 * mm


class _Continued(NamedTuple):
    """A continued page's frame as reportlab drew it for one page number: its operators, the one that shows the
    number, and the number."""

    code: list[str]
    shows_number: int
    number: int


# per canvas, per (title, page, shape of "第 N 页"): a continued page's frame as drawn the first time
_CONTINUED: WeakKeyDictionary[Canvas, dict[tuple[str, tuple[float, float], str], _Continued]] = WeakKeyDictionary()


def draw_frame(canvas: Canvas, report: TableReport, number: int, *, first: bool) -> float:
    """Title, unit and date on the first page, "（续）" on the others, "第 N 页 共 M 页" on all (M is filled in
    by finish_pages). Returns the y where the table starts.

    A continued page's frame is the same operators on every page but for the number's digits (a county register
    has 4,000 such pages): reportlab draws it once for each shape of "第 N 页" (numbers whose characters advance
    alike are as wide, so placed alike), and later pages of that shape take its operators with their own number
    (tests/reports/test_page_frame.py holds both ways to the same operators)."""
    if first or report.mark:
        return _draw_frame(canvas, report, number, first=first)
    key = (report.title, page_size(report), page_number(number).translate(same_advance()))
    frames = _CONTINUED.setdefault(canvas, {})
    drawn = frames.get(key)
    if drawn is None:
        start = len(canvas._code)  # type: ignore[attr-defined]  # the page's operators, as reportlab keeps them
        top = _draw_frame(canvas, report, number, first=False)
        code = canvas._code[start:]  # type: ignore[attr-defined]
        # the number's operator: the last to show " N " (a title may show a number too, before it)
        shows = max(i for i, op in enumerate(code) if f" {number} " in op and op.endswith(") Tj T* ET"))
        frames[key] = _Continued(code, shows, number)
        return top
    code = list(drawn.code)
    # the last " N " of the operator is the number: the codes of 第 and 页 are never digits or a space, which
    # the font's first subset keeps as themselves
    before, _, after = code[drawn.shows_number].rpartition(f" {drawn.number} ")
    code[drawn.shows_number] = f"{before} {number} {after}"
    canvas._code.extend(code)  # type: ignore[attr-defined]
    # the canvas as the drawing leaves it: the page number's font, and the form of "共 M 页" in use on the page
    canvas.setFont(FONT, PAGE_NUMBER_SIZE)
    canvas._formsinuse.append(_TOTAL_PAGES_FORM)  # type: ignore[attr-defined]
    return table_top(report, first=False)


def _draw_frame(canvas: Canvas, report: TableReport, number: int, *, first: bool) -> float:
    """draw_frame through reportlab's canvas."""
    width, height = page_size(report)
    if first:
        canvas.setFont(FONT, TITLE_SIZE)
        canvas.drawCentredString(width / 2, height - MARGIN - TITLE_SIZE, report.title)
        canvas.setFont(FONT, 10.5)
        y = height - MARGIN - 14 * mm
        canvas.drawString(MARGIN, y, unit_line(report.unit))
        canvas.drawRightString(width - MARGIN, y, date_line(report.date_text))
        for text in report.preamble:
            y -= PREAMBLE_LINE
            canvas.drawString(MARGIN, y, text)
    else:
        canvas.setFont(FONT, 10.5)
        canvas.drawCentredString(width / 2, height - MARGIN - 3 * mm, f"{report.title}（续）")
    draw_mark(canvas, report)
    draw_page_number(canvas, width / 2, MARGIN - 4 * mm, number)
    return table_top(report, first=first)


def draw_page_number(canvas: Canvas, centre: float, y: float, number: int) -> None:
    """"第 N 页 共 M 页" centred on x=centre at y; M is a form filled in by finish_pages once the last page is
    known, so no page is kept back for a second pass."""
    canvas.setFont(FONT, PAGE_NUMBER_SIZE)
    canvas.drawRightString(centre - 2, y, page_number(number))
    canvas.saveState()
    canvas.translate(centre + 2, y)
    canvas.doForm(_TOTAL_PAGES_FORM)
    canvas.restoreState()


def finish_pages(canvas: Canvas, pages: int) -> None:
    """Fill in "共 M 页" on every page, once the last page is known."""
    canvas.beginForm(_TOTAL_PAGES_FORM)
    canvas.setFont(FONT, PAGE_NUMBER_SIZE)
    canvas.drawString(0, 0, total_pages(pages))
    canvas.endForm()


def draw_mark(canvas: Canvas, report: TableReport) -> None:
    """The report's mark (草表（未确认发放）) boxed in the top margin and faintly across the page, drawn
    before the table so that it never hides a figure."""
    mark = report.mark
    if not mark:
        return
    width, height = page_size(report)
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


def note_lines(report: TableReport) -> list[str]:
    """The note under the table as printed lines: each of its lines broken to the page's width."""
    width = page_size(report)[0] - 2 * MARGIN
    return [part for text in report.note.splitlines() for part in break_lines(text, width, 10.5)]


def _note_height(report: TableReport) -> float:
    lines = note_lines(report)
    return len(lines) * 6 * mm + 2 * mm if lines else 0


def footer_height(report: TableReport) -> float:
    """Room the last page keeps under the table: the note, the sign box, the signers and the seal."""
    box = SIGN_BOX[1] + SIGN_BOX_GAP if report.sign_box else 0
    return FOOTER_HEIGHT + _note_height(report) + box


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


def draw_footer(canvas: Canvas, report: TableReport, y: float) -> None:
    """The note, the box the recipient signs in (a receipt), the signers, then the unit and date at the
    right, where the seal is pressed."""
    width = page_size(report)[0] - 2 * MARGIN
    canvas.setFont(FONT, 10.5)
    for line in note_lines(report):
        y -= 6 * mm
        canvas.drawString(MARGIN, y, line)
    if report.sign_box:
        box_width, box_height = SIGN_BOX
        y -= SIGN_BOX_GAP + box_height
        canvas.setLineWidth(1.0)
        canvas.rect(MARGIN, y, box_width, box_height)
        canvas.drawString(MARGIN + 2 * mm, y + box_height - 6 * mm, f"{report.sign_box}：")
    draw_signers(canvas, MARGIN, y - 10 * mm, width, report.signers, report.unit, report.date_text, report.seal)
