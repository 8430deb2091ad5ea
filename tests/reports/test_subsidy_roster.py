from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.db.engine import Database
from app.domain.months import Month
from app.errors import InputError
from app.reports import ReportRequest, build_report, write_report
from app.reports.table import Kind, lines
from app.services.register import status_changes
from app.services.settings import UnitInfo, save_unit_info
from app.services.subsidies import payments
from tests.reports.helpers import page_count, pages_text, squeeze
from tests.services.subsidies.builders import paying, person

MARCH = Month(2025, 3)


@pytest.fixture
def town(db: Database) -> Database:
    """金塔村: 张三 (一级肢体, 低保二类: both, 200/month), 李四 (二级听力: nursing 50); 红光村: 王五 (一级精神,
    低保三类: both, 150), and 赵六 who died in February (paid through February only)."""
    with db.transaction() as s:
        save_unit_info(s, UnitInfo(town="金塔镇", clerk="李红梅", reviewer="张建国", head="王志强"))
        zhang = person(s, "张三", 1, dibao_class=2)
        li = person(s, "李四", 2, category="听力", grade="二级")
        wang = person(s, "王五", 3, category="精神", dibao_class=3, village="红光村")
        zhao = person(s, "赵六", 4)
        for who, programmes in ((zhang, ("living", "nursing")), (li, ("nursing",)), (wang, ("living", "nursing")),
                                (zhao, ("nursing",))):
            for programme in programmes:
                paying(s, who.id, programme, Month(2025, 1))
        status_changes.change_status(s, zhao, "死亡", dt.date(2025, 2, 14), "病故")
    return db


def _table(db: Database, month: Month) -> list[tuple[str, list[object]]]:
    with db.session() as s:
        report = build_report(s, ReportRequest("subsidy-roster", Path("x.pdf"), month=str(month),
                                               today=dt.date(2025, 3, 6)))
        return [(line.kind.value, line.cells) for line in lines(report)]


def test_the_roster_lists_each_payment_with_what_the_bank_needs(town: Database) -> None:
    rows = _table(town, MARCH)
    header = rows[0][1]
    assert header == ["序号", "姓名", "性别", "身份证号", "残疾证号", "类别", "等级", "村", "补贴类别", "金额（元）",
                      "开户行", "账号", "领取人签字（手印）"]
    order = [cells[1] if kind == "data" else cells[0] for kind, cells in rows[1:]]
    assert order == ["困难残疾人生活补贴", "张三", "王五", "困难残疾人生活补贴小计 2人次",  # by village, then name
                     "重度残疾人护理补贴", "李四", "张三", "王五", "重度残疾人护理补贴小计 3人次", "合计 5人次"]
    zhang = next(cells for kind, cells in rows if kind == "data" and cells[1] == "张三")
    assert zhang[3] == zhang[4][:18] and len(zhang[4]) == 20  # full ID and certificate: the payment needs them
    assert zhang[5:10] == ["肢体", "一级", "金塔村", "生活补贴", Decimal("100.00")]
    assert zhang[10:12] == ["甘肃金塔农村商业银行", "6228000000000000001"]
    assert not any(cells[1] == "赵六" for kind, cells in rows if kind == "data")  # died in February


def test_totals_add_up_against_an_independent_sum(town: Database) -> None:
    rows = _table(town, MARCH)
    amounts = [cells[9] for kind, cells in rows if kind == "data"]
    expected = Decimal(100 + 50 + 100 + 50 + 100)  # living 张三 100, 王五 50; nursing 王五 100, 李四 50, 张三 100
    assert sum(amounts) == expected
    subtotals = [cells[9] for kind, cells in rows if kind == Kind.SUBTOTAL.value]
    assert subtotals == [Decimal(150), Decimal(250)]
    assert [cells[9] for kind, cells in rows if kind == Kind.TOTAL.value] == [expected]
    assert _table(town, Month(2025, 2))[-1][1][0] == "合计 6人次"  # 赵六 still paid in the month he died


def test_pdf_reads_like_the_county_form(town: Database, tmp_path: Path) -> None:
    with town.transaction() as s:
        payments.confirm_month.in_session(s, MARCH, today=dt.date(2025, 3, 6))
        out = write_report(s, ReportRequest("subsidy-roster", tmp_path / "r.pdf", month="2025-03",
                                            today=dt.date(2025, 3, 6)))
    text = squeeze("".join(pages_text(out)))
    assert page_count(out) == 1
    for expected in ("金塔镇2025年3月残疾人两项补贴发放花名册", "单位：金塔镇残疾人联合会", "合计5人次", "400.00",
                     "说明：困难残疾人生活补贴2人150.00元；重度残疾人护理补贴3人250.00元；合计3人400.00元。",
                     "经办人：李红梅", "审核人：张建国", "负责人：王志强", "第1页共1页"):
        assert expected in text
    assert "尚未确认" not in text


def test_workbook_and_command_line(town: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = town.where
    town.close()
    out = tmp_path / "r.xlsx"
    assert main(["--db", str(db_path), "report", "subsidy-roster", "--month", "2025-03", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    ids = [row[3] for row in values if row and isinstance(row[3], str) and len(row[3]) == 18]
    assert len(ids) == 5 and all(isinstance(i, str) for i in ids)
    assert main(["--db", str(db_path), "report", "subsidy-roster", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "--month" in capsys.readouterr().err


def test_a_month_is_required_and_must_exist(db: Database) -> None:
    with db.session() as s, pytest.raises(InputError, match="月份"):
        build_report(s, ReportRequest("subsidy-roster", Path("x.pdf"), month="2025-13"))


def test_a_person_without_a_bank_account_is_marked_for_cash_with_a_note(town: Database, tmp_path: Path) -> None:
    with town.transaction() as s:
        chen = person(s, "陈七", 5, bank_name="", bank_account="")
        paying(s, chen.id, "nursing", Month(2025, 1))
    rows = _table(town, MARCH)
    cash = [cells for kind, cells in rows if kind == "data" and cells[1] == "陈七"]
    assert [cells[10:12] for cells in cash] == [["无账号", "现金发放"]]
    zhang = next(cells for kind, cells in rows if kind == "data" and cells[1] == "张三")
    assert zhang[10:12] == ["甘肃金塔农村商业银行", "6228000000000000001"]
    with town.session() as s:
        out = write_report(s, ReportRequest("subsidy-roster", tmp_path / "r.pdf", month="2025-03",
                                            today=dt.date(2025, 3, 6)))
    assert "无银行账号的1人次现金发放，须本人签字并按手印。" in squeeze("".join(pages_text(out)))


DRAFT = "草表（未确认发放）"


def test_a_month_not_confirmed_prints_as_a_draft_on_every_page(town: Database, tmp_path: Path) -> None:
    """A draft must not pass for the real roster: 草表（未确认发放） in the title and on every page."""
    with town.transaction() as s:
        for seq, given in enumerate("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸春夏秋冬东南西北梅兰", start=10):
            paying(s, person(s, f"钱{given}", seq).id, "nursing", Month(2025, 1))
    request = ReportRequest("subsidy-roster", tmp_path / "draft.pdf", month="2025-03", today=dt.date(2025, 3, 6))
    with town.session() as s:
        assert build_report(s, request).title == f"金塔镇2025年3月残疾人两项补贴发放花名册——{DRAFT}"
        out = write_report(s, request)
    pages = [squeeze(page) for page in pages_text(out)]
    assert len(pages) >= 3 and all(DRAFT in page for page in pages)
    with town.transaction() as s:
        payments.confirm_month.in_session(s, MARCH, today=dt.date(2025, 3, 6))
        final = write_report(s, ReportRequest("subsidy-roster", tmp_path / "final.pdf", month="2025-03",
                                              today=dt.date(2025, 3, 6)))
    assert not any("草表" in page for page in pages_text(final))


def test_a_month_more_than_one_ahead_is_refused_with_one_line(town: Database, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    today = dt.date(2025, 3, 6)
    with town.session() as s:
        april = build_report(s, ReportRequest("subsidy-roster", Path("x.pdf"), month="2025-04", today=today))
        assert april.title.endswith(DRAFT)  # next month: a draft to check in advance
        with pytest.raises(InputError) as refused:
            build_report(s, ReportRequest("subsidy-roster", Path("x.pdf"), month="2025-05", today=today))
    assert str(refused.value) == "2025年5月还没到，不能生成发放花名册：最远可以生成下个月（2025年4月）的草表。"
    db_path = town.where
    town.close()
    ahead = Month.of(dt.date.today()).next(2)
    out = tmp_path / "ahead.pdf"
    assert main(["--db", str(db_path), "report", "subsidy-roster", "--month", str(ahead), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"{ahead.label}还没到") and not out.exists()


def test_a_line_added_after_confirming_keeps_the_roster_a_draft(town: Database) -> None:
    with town.transaction() as s:
        payments.confirm_month.in_session(s, MARCH, today=dt.date(2025, 3, 6))
        paying(s, person(s, "陈七", 5).id, "nursing", Month(2025, 3))  # started after March was confirmed
    with town.session() as s:
        report = build_report(s, ReportRequest("subsidy-roster", Path("x.pdf"), month="2025-03",
                                               today=dt.date(2025, 3, 6)))
    assert report.title.endswith(DRAFT) and report.mark == DRAFT
    assert report.note.splitlines()[0].endswith("其中1人次是确认发放后新增的，尚未确认：确认后再打印正式花名册。")
