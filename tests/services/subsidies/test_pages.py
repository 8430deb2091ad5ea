"""What the 补贴资格 tab reads, each as one query: the person page, the roster's line, the 追回台账's page;
and the long work (confirming a month) reporting how far it is."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import Overpayment, SubsidyPayment
from app.domain.months import Month
from app.services.register import status_changes
from app.services.subsidies import overpayments, payments, relief_ledger
from app.services.subsidies.overpayment_ledger import overpayment_page
from app.services.subsidies.person_page import person_page
from app.services.subsidies.review import monthly_review
from tests.services.subsidies.builders import paying, person

TODAY = dt.date.today()
THIS_MONTH = Month.of(TODAY)


def test_the_person_page_carries_everything_it_shows(db: Database) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1, dibao_class=2).id  # 一级肢体, 低保二类: both subsidies
        paying(s, zhang, "nursing", Month(2025, 1))
    relief_ledger.record_relief(db, "临时救助", person_id=zhang, on=TODAY, amount_fen=80000)
    page = person_page(db, zhang, THIS_MONTH)
    assert page.explanation == "一级肢体残疾，符合护理补贴；低保二类户，符合生活补贴"
    assert page.decisions == "重度残疾人护理补贴：符合，每月100.00元　困难残疾人生活补贴：符合，每月100.00元"
    [application] = page.applications
    assert (application.stage, application.state) == ("发放", "发放中，从2025年1月起")
    assert [step.step for step in application.steps] == ["申请", "初审", "审核", "审定", "发放"]
    assert page.application(application.id) is application and page.application(None) is None
    assert page.relief == f"{TODAY.year}年所得救助：临时救助800.00元"
    assert person_page(db, zhang, Month(TODAY.year - 1, 12)).relief == f"{TODAY.year - 1}年所得救助：无"


def test_the_roster_line_counts_each_programme_and_says_whether_it_is_confirmed(db: Database) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1, dibao_class=2).id
        paying(s, zhang, "nursing", Month(2025, 1))
        paying(s, zhang, "living", Month(2025, 1))
    state = payments.roster_state(db, THIS_MONTH)
    assert state.text == (f"{THIS_MONTH.label}发放花名册（尚未确认发放）：困难残疾人生活补贴1人100.00元；"
                          "重度残疾人护理补贴1人100.00元；合计200.00元。")
    assert state.can_confirm and not state.final
    assert not payments.roster_state(db, THIS_MONTH.next()).can_confirm  # a month not come yet
    payments.confirm_month(db, THIS_MONTH)
    with db.session() as s:  # the line's total is the payments' own sum
        paid = s.scalar(select(func.sum(SubsidyPayment.amount_fen)).where(
            SubsidyPayment.month == THIS_MONTH.first_day))
    state = payments.roster_state(db, THIS_MONTH)
    assert (state.total_fen, state.final, state.can_confirm) == (paid, True, False)
    assert "（已确认发放）" in state.text


class Told:
    """A progress that keeps what it was told."""

    def __init__(self) -> None:
        self.said: list[tuple[int, int, str]] = []

    def __call__(self, done: int, total: int, text: str = "") -> None:
        self.said.append((done, total, text))

    def check(self) -> None:
        pass


def test_confirming_a_month_and_the_review_say_how_far_they_are(db: Database) -> None:
    with db.transaction() as s:
        for seq, name in enumerate(("张一", "张二", "张三"), start=1):
            paying(s, person(s, name, seq).id, "nursing", Month(2025, 1))
    told = Told()
    assert len(monthly_review(db, THIS_MONTH, progress=told).continuing) == 3
    assert told.said == [(0, 0, f"正在复核{THIS_MONTH.label}……"), (0, 3, ""), (1, 3, ""), (2, 3, "")]
    told = Told()
    assert payments.confirm_month(db, THIS_MONTH, progress=told) == 3
    assert told.said[0] == (0, 0, f"正在计算{THIS_MONTH.label}的发放名单……")
    assert told.said[-2:] == [(0, 3, f"正在记下{THIS_MONTH.label}的发放：0/3笔"),
                              (3, 3, f"正在记下{THIS_MONTH.label}的发放：3/3笔")]


def test_the_ledger_page_totals_what_it_lists(db: Database) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1)
        paying(s, zhang.id, "nursing", Month(2025, 1))
        for month in Month(2025, 1).until(Month(2025, 11)):
            payments.confirm_month.in_session(s, month)
        status_changes.change_status(s, zhang, "死亡", dt.date(2025, 8, 15), "病故")
        owed = s.scalars(select(Overpayment.id)).one()
    overpayments.recover(db, owed, TODAY, 10000, "家属现金退回")
    page = overpayment_page(db, open_only=True)
    assert [(r.name, r.outstanding_fen) for r in page.rows] == [("张三", 20000)]
    assert page.totals("尚未追回的") == "尚未追回的：1笔1人，多发300.00元，已追回100.00元，核销0.00元，未追回200.00元。"
    overpayments.write_off(db, owed, TODAY, "经县残联批准")
    assert overpayment_page(db, open_only=True).rows == []
    year = overpayment_page(db, year=TODAY.year)
    assert (year.count, year.recovered_fen, year.written_off_fen, year.outstanding_fen) == (1, 10000, 20000, 0)
