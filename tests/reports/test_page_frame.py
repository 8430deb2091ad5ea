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
