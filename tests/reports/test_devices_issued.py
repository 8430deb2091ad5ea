"""辅助器具发放登记表, the 领取单 and the stock sheet: what they print, and that their totals add up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.db.engine import Database
from app.errors import InputError
from app.reports import ReportRequest, build_report
from app.reports.device_receipt import build_receipt, write_receipt
from app.reports.stock_sheet import build_stock_sheet, write_stock_sheet
from app.reports.table import Kind, lines
from app.services.devices import issue, stock
from app.services.devices.catalogue import catalogue
from app.services.devices.issue import IssueItem
from app.services.settings import UnitInfo, save_unit_info
from tests.factories import add_person, make_id
from tests.reports.helpers import pages_text, squeeze

YEAR = 2025
WANG_ID = make_id("19600101", "111")


@pytest.fixture
def issued(db: Database) -> dict[str, Any]:
    with db.transaction() as s:
        save_unit_info(s, UnitInfo(town="金塔镇", clerk="李红梅", reviewer="张建国", head="王志强"))
        types = {t.name: t.id for t in catalogue(s)}
        wang = add_person(s, "王一", id_number=WANG_ID, category="肢体", grade="一级", group="3组").id
        li = add_person(s, "李聪", id_number=make_id("19700101", "222"), category="听力", grade="三级").id
        stock.receive.in_session(s, types["普通轮椅"], dt.date(YEAR, 1, 10), 5, stock.COUNTY)
        stock.receive.in_session(s, types["坐便椅"], dt.date(YEAR, 1, 10), 3, stock.COUNTY)
        stock.receive.in_session(s, types["助听器"], dt.date(YEAR, 1, 10), 2, "爱心企业捐赠", serials=["ZT-1", "ZT-2"])
        receipt = issue.issue.in_session(
            s, wang, [IssueItem(types["普通轮椅"], model="H005"), IssueItem(types["坐便椅"], quantity=2)],
            dt.date(YEAR, 3, 2))
        issue.issue.in_session(s, li, [IssueItem(types["助听器"], model="B40")], dt.date(YEAR, 4, 5))
        with pytest.raises(InputError, match="库存只有0把"):  # dated before the stock came in
            issue.issue.in_session(s, li, [IssueItem(types["坐便椅"])], dt.date(YEAR - 1, 12, 30), reason="家属腿伤")
        issue.issue.in_session(s, li, [IssueItem(types["坐便椅"])], dt.date(YEAR, 5, 1), reason="家属腿伤")
    return {"receipt": receipt.id, "types": types}


def test_the_register_of_the_year_lists_each_type_with_its_subtotal(db: Database, issued: dict[str, Any]) -> None:
    with db.session() as s:
        report = build_report(s, ReportRequest("equipment", Path("x.pdf"), year=YEAR))
        table = list(lines(report))
    assert report.title == "金塔镇2025年辅助器具发放登记表"
    assert table[0].cells == ["序号", "姓名", "性别", "年龄", "身份证号", "类别等级", "村", "器具名称", "型号/序列号",
                              "数量", "发放日期", "签字"]
    rows = [(line.kind, line.cells) for line in table[1:]]
    assert rows[0] == (Kind.HEADING, ["普通轮椅"] + [""] * 11)
    assert rows[1][1][:11] == [1, "王一", "男", 65, WANG_ID, "肢体一级", "金塔村3组", "普通轮椅", "H005", 1,
                               "2025-03-02"]
    hearing = next(cells for kind, cells in rows if kind is Kind.DATA and cells[7] == "助听器")
    assert hearing[8] in ("B40/ZT-1", "B40/ZT-2")  # the serial issued, beside the model
    subtotals = {line.cells[0]: line.cells[9] for line in table if line.kind is Kind.SUBTOTAL}
    assert subtotals == {"普通轮椅小计 1人次": 1, "坐便椅小计 2人次": 3, "助听器小计 1人次": 1}
    assert table[-1].kind is Kind.TOTAL and table[-1].cells[0] == "合计 4人次" and table[-1].cells[9] == 5


def test_cli_writes_the_register_as_pdf_and_xlsx(db: Database, db_path: Path, issued: dict[str, Any],
                                                  tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db.close()
    pdf, xlsx = tmp_path / "eq.pdf", tmp_path / "eq.xlsx"
    assert main(["--db", db.where, "report", "equipment", "--year", str(YEAR), "--out", str(pdf)]) == 0
    assert capsys.readouterr().out.strip() == str(pdf)
    text = squeeze(pages_text(pdf)[0])
    assert "金塔镇2025年辅助器具发放登记表" in text and "合计4人次" in text and "经办人：李红梅" in text
    assert WANG_ID in text  # whole, not shrunk into a broken line
    assert main(["--db", db.where, "report", "equipment", "--year", str(YEAR), "--out", str(xlsx)]) == 0
    ws = load_workbook(xlsx).active
    assert [c.value for c in ws[3]][:4] == ["序号", "姓名", "性别", "年龄"]


def test_the_receipt_names_the_person_in_full_and_lists_every_item(db: Database, issued: dict[str, Any],
                                                                   tmp_path: Path) -> None:
    with db.session() as s:
        report = build_receipt(s, issued["receipt"])
        out = write_receipt(s, issued["receipt"], tmp_path / "r.pdf")
    assert not report.landscape and report.title == "辅助器具领取单"
    assert [line.cells for line in lines(report)][1:] == [
        [1, "普通轮椅", "H005", 1, "辆", ""], [2, "坐便椅", "", 2, "把", ""], ["合计 2项", "", "", 3, "", ""]]
    (page,) = pages_text(out)
    text = squeeze(page)
    for expected in ("辅助器具领取单", "编号：2025-0001", "领取人：王一", "年龄：65岁", "肢体一级",
                     f"身份证号：{WANG_ID}", "领取人签字/手印", "经办人：李红梅", "审核人：张建国", "第1页共1页"):
        assert expected in text


def test_a_receipt_shows_why_a_warning_was_overridden(db: Database, issued: dict[str, Any]) -> None:
    with db.session() as s:
        receipts = [r for r in (1, 2, 3) if build_receipt(s, r).note]
        assert [build_receipt(s, r).note for r in receipts] == ["说明：家属腿伤"]


def test_the_stock_sheet_adds_up(db: Database, issued: dict[str, Any], tmp_path: Path) -> None:
    with db.transaction() as s:
        stock.write_off.in_session(s, issued["types"]["普通轮椅"], dt.date(YEAR, 6, 1), 1, "运输中损坏")
    with db.session() as s:
        report = build_stock_sheet(s, YEAR, today=dt.date(YEAR + 1, 1, 5))
        table = list(lines(report))
        write_stock_sheet(s, tmp_path / "stock.xlsx", YEAR)
        with pytest.raises(InputError, match="pdf 或 .xlsx"):
            write_stock_sheet(s, tmp_path / "stock.doc", YEAR)
    by_name = {line.cells[1]: line.cells[4:10] for line in table if line.kind is Kind.DATA}
    assert by_name["普通轮椅"] == [0, 5, 1, 0, 1, 3]
    assert by_name["坐便椅"] == [0, 3, 3, 0, 0, 0]
    for opening, received, out, back, lost, closing in by_name.values():
        assert closing == opening + received + back - out - lost
    total = table[-1].cells
    assert total[4:10] == [sum(v[i] for v in by_name.values()) for i in range(6)]
    assert load_workbook(tmp_path / "stock.xlsx").active["A1"].value == "金塔镇2025年辅助器具库存表"
