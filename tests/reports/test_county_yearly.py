"""The county's yearly report (issue 17): after the table of towns, a page of its own (a sheet of its own in
the workbook) lists the towns whose package for the year is missing or made before the period's end, with
the date of the last package accepted from each; read back from the PDF's text and the workbook's cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.db.engine import open_database
from app.reports import ReportRequest, print_report
from app.services.county.importing import accept_package
from app.services.report_package.package import export_report_package
from tests.county_towns import YEAR, make_town
from tests.reports.helpers import page_count, pages_text, squeeze

TODAY = dt.date.today()
EARLY = dt.date(YEAR, 1, 1)  # a package of this year, made before today (the period's end)
LAST_YEAR = dt.date(YEAR - 1, 12, 31)  # a package with no figures of this year: 缺报


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """金塔镇 up to today, 银河乡 only up to 1 January, 鼎新镇 only up to last year."""
    if TODAY == EARLY:
        pytest.skip("on 1 January a package of this year cannot be older than today")
    folder = tmp_path_factory.mktemp("county-report")
    with open_database(folder / "县残联.db") as county:
        for name, seed, as_of in (("金塔镇", 41, TODAY), ("银河乡", 42, EARLY), ("鼎新镇", 43, LAST_YEAR)):
            town = make_town(folder, name, seed=seed, persons=15)
            try:
                accept_package(county, export_report_package(town, folder / "U盘", as_of=as_of), register_key=True)
            finally:
                town.close()
    return folder / "县残联.db"


def test_the_pdf_lists_the_missing_and_early_towns_on_a_page_of_its_own(county: Path, tmp_path: Path) -> None:
    with open_database(county) as db:
        pdf = print_report(db, ReportRequest(kind="county", out=tmp_path / "县级汇总.pdf", year=YEAR))
    pages = [squeeze(text) for text in pages_text(pdf)]
    assert page_count(pdf) == 2 and all(f"共{len(pages)}页" in page for page in pages)
    first, late = pages
    assert "各乡镇残疾人工作统计汇总表" in first and "合计2个乡镇" in first and "见后附“上报情况”页" in first
    assert "鼎新镇" not in first  # no figures of the year: not in the table or the total
    assert f"{YEAR}年各乡镇上报情况（缺报和过期的乡镇）" in late
    assert "各乡镇残疾人工作统计汇总表" not in late and "金塔镇" not in late
    assert "银河乡" in late and f"{EARLY.isoformat()}{TODAY.isoformat()}上报包早于{TODAY.isoformat()}" in late
    assert "鼎新镇" in late
    assert f"{LAST_YEAR.isoformat()}{TODAY.isoformat()}缺报：最近的上报包中没有{YEAR}年的统计" in late
    assert "合计2个乡镇" in late


def test_the_workbook_has_a_sheet_of_its_own_for_them(county: Path, tmp_path: Path) -> None:
    with open_database(county) as db:
        path = print_report(db, ReportRequest(kind="county", out=tmp_path / "县级汇总.xlsx", year=YEAR))
    book = load_workbook(path, read_only=True)
    assert len(book.sheetnames) == 2
    table, late = (list(book[name].iter_rows(values_only=True)) for name in book.sheetnames)
    assert table[0][0] == f"{YEAR}年各乡镇残疾人工作统计汇总表"
    assert late[0][0] == f"{YEAR}年各乡镇上报情况（缺报和过期的乡镇）"
    assert late[2][:7] == ("序号", "乡镇", "区划代码", "最近上报包", "上报包截止日期", "县里导入日期", "情况")
    rows = {row[1]: row for row in late[3:] if isinstance(row[0], int)}
    assert set(rows) == {"银河乡", "鼎新镇"}
    assert rows["银河乡"][3:6] == ("第1号", EARLY.isoformat(), TODAY.isoformat())
    assert rows["鼎新镇"][4] == LAST_YEAR.isoformat() and str(rows["鼎新镇"][6]).startswith("缺报")
    assert any(row[0] == "合计 2个乡镇" for row in late)


def test_a_county_where_every_package_is_current_says_so(county: Path, tmp_path: Path) -> None:
    """The year before last: every package carries it whole (none made before its end), nothing listed."""
    with open_database(county) as db:
        pdf = print_report(db, ReportRequest(kind="county", out=tmp_path / "往年.pdf", year=YEAR - 2))
    first, late = (squeeze(text) for text in pages_text(pdf))
    assert "合计3个乡镇" in first and "无缺报" in first
    assert "没有缺报或过期的乡镇" in late and "合计0个乡镇" in late
