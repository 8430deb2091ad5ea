"""两项补贴多发款追回通知 / 应追回明细: the notice for one person, the list of a year or of what is still owed,
through the report engine and `canlian report overpayment`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.cli import main
from app.db.engine import Database
from app.db.models import Overpayment
from app.domain.months import Month
from app.reports import ReportRequest, build_report, write_report
from app.reports.table import Kind, lines
from app.services.register import status_changes
from app.services.settings import UnitInfo, save_unit_info
from app.services.subsidies import overpayments, payments
from tests.reports.helpers import page_count, pages_text, squeeze
from tests.services.subsidies.builders import paying, person

TODAY = dt.date.today()


@pytest.fixture
def town(db: Database) -> Database:
    """张三 (nursing 100) died 2025-08-15, 300.00 owed, 100.00 back; 王五 (both, 200 a month) moved out
    2025-09-30, 400.00 owed; 赵六 paid and on the register owes nothing. November 2025 confirmed."""
    with db.transaction() as s:
        save_unit_info(s, UnitInfo(town="金塔镇", clerk="李红梅", reviewer="张建国", head="王志强"))
        zhang, wang, zhao = person(s, "张三", 1), person(s, "王五", 3, dibao_class=2), person(s, "赵六", 4)
        for who, programmes in ((zhang, ("nursing",)), (wang, ("nursing", "living")), (zhao, ("nursing",))):
            for programme in programmes:
                paying(s, who.id, programme, Month(2025, 1))
        for month in Month(2025, 1).until(Month(2025, 11)):
            payments.confirm_month.in_session(s, month)
        status_changes.change_status(s, zhang, "死亡", dt.date(2025, 8, 15), "病故")
        status_changes.change_status(s, wang, "迁出", dt.date(2025, 9, 30), "迁往县城")
        owed = s.scalar(select(Overpayment.id).where(Overpayment.person_id == zhang.id))
        overpayments.recover.in_session(s, owed, TODAY, 10000, "家属现金退回")  # type: ignore[arg-type]
    return db


def _data(db: Database, **kwargs: object) -> list[list[object]]:
    with db.session() as s:
        report = build_report(s, ReportRequest("overpayment", Path("x.pdf"), today=TODAY, **kwargs))  # type: ignore[arg-type]
        return [line.cells for line in lines(report) if line.kind is Kind.DATA]


def test_the_notice_to_one_person_says_why_which_months_and_what_is_left(town: Database, tmp_path: Path) -> None:
    with town.session() as s:
        zhang = s.scalar(select(Overpayment.person_id).where(Overpayment.cause == "2025-08-15死亡"))
        request = ReportRequest("overpayment", tmp_path / "notice.pdf", person_ids=[zhang], today=TODAY)
        report = build_report(s, request)
        out = write_report(s, request)
    assert report.title == "金塔镇两项补贴多发款追回通知"
    assert report.preamble[1].startswith("经核查，2025-08-15死亡，下表所列月份的补贴已多发，尚需退还200.00元。")
    page = squeeze("".join(pages_text(out)))
    assert page_count(out) == 1
    for expected in ("张三", "护理补贴", "2025年9月至11月", "300.00", "100.00", "200.00", "本人或家属签字",
                     f"{TODAY.isoformat()}追回100.00元（家属现金退回）", "经办人：李红梅"):
        assert expected in page


def test_the_years_list_and_the_command_line(town: Database, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    rows = _data(town, year=TODAY.year)
    assert [(r[1], r[4], r[5], r[7], r[10], r[12]) for r in rows] == [
        ("张三", "护理补贴", "2025年9月至11月", Decimal("300.00"), Decimal("200.00"), "应追回"),
        ("王五", "生活补贴", "2025年10月至11月", Decimal("200.00"), Decimal("200.00"), "应追回"),
        ("王五", "护理补贴", "2025年10月至11月", Decimal("200.00"), Decimal("200.00"), "应追回")]
    with town.session() as s:
        total = s.execute(text("select sum(amount_fen) from overpayment where state <> '已撤销'")).scalar()
    assert sum(r[7] for r in rows) == Decimal(total) / 100  # type: ignore[misc]
    assert _data(town, year=TODAY.year - 1) == []
    db_path = town.where
    town.close()
    out = tmp_path / "明细.pdf"
    assert main(["--db", str(db_path), "report", "overpayment", "--year", str(TODAY.year), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    page = squeeze("".join(pages_text(out)))
    assert f"金塔镇{TODAY.year}年两项补贴应追回明细" in page and "合计3笔" in page
    assert "说明：多发2人700.00元，已追回100.00元，核销0.00元，未追回600.00元。" in page
    assert main(["--db", str(db_path), "report", "overpayment", "--out", str(tmp_path / "明细.xlsx")]) == 0
    assert (tmp_path / "明细.xlsx").exists()


def test_a_copy_for_more_eyes_masks_the_ids(town: Database) -> None:
    rows = _data(town, year=TODAY.year, mask_ids=True)
    assert rows and all("*" in str(r[2]) and len(str(r[2])) == 18 for r in rows)
