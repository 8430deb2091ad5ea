"""The page number, the unit-and-date line and the workbook's print set-up have one owner
(app.reports.page, app.reports.workbook.print_setup): the yearly summary, laid out by platypus, prints
them as the engine's forms do, and its workbook prints as theirs do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from app.db.engine import Database
from app.domain.dates import chinese_date
from app.reports import ReportRequest, print_report
from app.reports.page import WORKBOOK_FOOTER, date_line, page_number, total_pages, unit_line
from tests.reports.helpers import pages_text, squeeze

TODAY = dt.date.today()


def _print(db: Database, kind: str, out: Path) -> Path:
    return print_report(db, ReportRequest(kind, out, year=TODAY.year, today=TODAY))


def test_every_page_of_every_pdf_is_numbered_and_dated_alike(demo_db: Database, tmp_path: Path) -> None:
    for kind in ("yearly", "registry"):
        pages = [squeeze(text) for text in pages_text(_print(demo_db, kind, tmp_path / f"{kind}.pdf"))]
        assert len(pages) > 1, kind
        for number, text in enumerate(pages, start=1):
            assert squeeze(page_number(number)) in text and squeeze(total_pages(len(pages))) in text, (kind, number)
        head = squeeze(unit_line("金塔镇残疾人联合会") + date_line(chinese_date(TODAY)))
        assert head in pages[0], kind


def test_every_workbook_prints_alike(demo_db: Database, tmp_path: Path) -> None:
    sheets = [*openpyxl.load_workbook(_print(demo_db, "yearly", tmp_path / "yearly.xlsx")).worksheets[:4],
              openpyxl.load_workbook(_print(demo_db, "registry", tmp_path / "registry.xlsx")).active]
    for ws in sheets:
        assert ws.oddFooter.center.text == WORKBOOK_FOOTER == "第 &P 页 共 &N 页", ws.title
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_options.horizontalCentered, ws.title
        assert ws.print_title_rows, ws.title
    assert [ws.page_setup.orientation for ws in sheets] == ["portrait"] * 4 + ["landscape"]


def test_a_continued_pages_frame_is_the_operators_reportlab_draws(tmp_path: Path) -> None:
    """draw_frame takes a continued page's operators from the first page of its number's shape; reportlab drawing
    every page itself (page._draw_frame) makes the same operators and leaves the canvas alike."""
    from reportlab.pdfgen.canvas import Canvas

    from app.reports import page
    from app.reports.fonts import FONT, register_font
    from app.reports.table import Column, TableReport

    register_font()
    for title, landscape in (("金塔镇残疾人花名册", True), ("第 2 页的 12 个（测试）", False)):
        report = TableReport(title=title, unit="金塔镇残联", date_text="2026年11月30日", columns=[Column("姓名", 1)],
                             rows=[], landscape=landscape)
        ours, theirs = (Canvas(str(tmp_path / f"{n}.pdf"), initialFontName=FONT) for n in ("a", "b"))
        for number in [*range(1, 1200), 9999, 10000, 10001, 123456]:
            tops = (page.draw_frame(ours, report, number, first=number == 1),
                    page._draw_frame(theirs, report, number, first=number == 1))
            assert tops[0] == tops[1]
            for canvas in (ours, theirs):
                canvas.made = (list(canvas._code), canvas._fontname, canvas._fontsize, canvas._leading,  # type: ignore[attr-defined]
                               list(canvas._formsinuse))  # type: ignore[attr-defined]
                canvas.showPage()
            assert ours.made == theirs.made, number  # type: ignore[attr-defined]
