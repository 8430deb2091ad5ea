"""应追回: a death, a move or a lost 低保 recorded with a date before months already confirmed leaves money
paid for those months; it is worked out, said before saving, listed in the review, kept until recovered
or written off, and undone with a death recorded by mistake. Every write leaves audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.db.models import AuditEntry, Overpayment
from app.domain.months import Month
from app.errors import InputError
from app.services.register import households, people, status_changes
from app.services.subsidies import applications, overpayments, payments
from app.services.subsidies.overpayment_ledger import overpayment_rows
from app.services.subsidies.review import confirm_stops, monthly_review
from tests.services.subsidies.builders import paying, person

TODAY = dt.date.today()
AUGUST_15 = dt.date(2025, 8, 15)


def confirm_through(session, last: Month) -> None:  # type: ignore[no-untyped-def]
    for month in Month(2025, 1).until(last):
        payments.confirm_month.in_session(session, month)


def _state(db, person_id: int) -> list[tuple[str, str, str, int, int, str]]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return [(r.programme, str(r.first), str(r.last), r.months, r.amount_fen, r.state)
                for r in overpayment_rows(s, person_ids=[person_id])]


def test_a_death_reported_after_november_was_confirmed_is_owed_for_september_to_november(db) -> None:
    """The issue's case: November confirmed, then a death dated in August is recorded."""
    with db.transaction() as s:
        zhang = person(s, "张三", 1)  # 一级肢体: nursing 100.00 a month
        paying(s, zhang.id, "nursing", Month(2025, 1))
        confirm_through(s, Month(2025, 11))
    with db.session() as s:
        told = overpayments.status_notice(s, zhang.id, "死亡", AUGUST_15).text
    assert told == "此人正在享受重度残疾人护理补贴；2025年9月至11月已发放300.00元，应追回。"
    with db.transaction() as s:
        status_changes.change_status(s, people.get_person(s, zhang.id), "死亡", AUGUST_15, "病故")
    assert _state(db, zhang.id) == [("nursing", "2025-09", "2025-11", 3, 30000, "应追回")]
    review = monthly_review(db, Month(2025, 12))
    with db.session() as s:
        record = s.scalars(select(Overpayment)).one()
        audited = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity == "overpayment", AuditEntry.entity_id == record.id, AuditEntry.action == "新增"))
    [stop] = review.stopping
    assert stop.reason == "2025-08-15死亡，从2025年9月起停发；2025年9月至11月已发放300.00元，应追回"
    assert stop.stop_from == Month(2025, 9)
    assert [(line.name, line.amount_fen, line.reason, line.stage) for line in review.recover] == [
        ("张三", 30000, "2025-08-15死亡，2025年9月至11月已发放300.00元", "应追回")]
    assert (record.cause, record.raised_on, audited) == ("2025-08-15死亡", TODAY, 1)


def test_a_move_out_owes_both_subsidies_and_says_the_total(db) -> None:
    with db.transaction() as s:
        wang = person(s, "王五", 3, dibao_class=2)  # nursing 100 + living 100
        paying(s, wang.id, "nursing", Month(2025, 1))
        paying(s, wang.id, "living", Month(2025, 1))
        confirm_through(s, Month(2025, 10))
        text = overpayments.status_notice(s, wang.id, "迁出", dt.date(2025, 8, 31)).text
        status_changes.change_status(s, wang, "迁出", dt.date(2025, 8, 31), "迁往县城")
    assert text == ("此人正在享受困难残疾人生活补贴、重度残疾人护理补贴；生活补贴2025年9月至10月已发放200.00元，"
                    "护理补贴2025年9月至10月已发放200.00元，共400.00元，应追回。")
    assert [row[:5] for row in _state(db, wang.id)] == [("nursing", "2025-09", "2025-10", 2, 20000),
                                                        ("living", "2025-09", "2025-10", 2, 20000)]


def test_nothing_is_owed_when_the_stop_falls_after_the_confirmed_months(db) -> None:
    with db.transaction() as s:
        zhao = person(s, "赵六", 4)
        paying(s, zhao.id, "nursing", Month(2025, 1))
        confirm_through(s, Month(2025, 11))
        notice = overpayments.status_notice(s, zhao.id, "死亡", dt.date(2025, 11, 3))
        status_changes.change_status(s, zhao, "死亡", dt.date(2025, 11, 3), "病故")
    assert (notice.text, notice.money) == ("此人正在享受重度残疾人护理补贴；从2025年12月起停发。", False)
    assert _state(db, zhao.id) == []


def test_a_partial_recovery_leaves_the_rest_owed_until_written_off(db) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1)
        paying(s, zhang.id, "nursing", Month(2025, 1))
        confirm_through(s, Month(2025, 11))
        status_changes.change_status(s, zhang, "死亡", AUGUST_15, "病故")
        owed = s.scalars(select(Overpayment)).one().id
    with pytest.raises(InputError, match="追回方式"):
        overpayments.recover(db, owed, TODAY, 10000, " ")
    with pytest.raises(InputError, match="不超过未追回的300.00元"):
        overpayments.recover(db, owed, TODAY, 30001, "现金退回")
    row = overpayments.recover(db, owed, TODAY, 10000, "家属现金退回")
    assert _state(db, zhang.id)[0][-1] == "应追回"
    with db.session() as s:
        assert overpayment_rows(s, person_ids=[zhang.id]) == [row]  # the action returns the row as listed
    assert (row.recovered_fen, row.outstanding_fen) == (10000, 20000)
    assert row.reason() == "2025-08-15死亡，2025年9月至11月已发放300.00元，尚欠200.00元"
    with pytest.raises(InputError, match="核销原因"):
        overpayments.write_off(db, owed, TODAY, "")
    overpayments.write_off(db, owed, TODAY, "家中无力退还，经县残联批准")
    with db.session() as s:
        [row] = overpayment_rows(s, person_ids=[zhang.id])
        audited = [(a.field, a.new_value) for a in s.scalars(select(AuditEntry).where(
            AuditEntry.entity == "overpayment", AuditEntry.action == "修改"))]
    assert (row.state, row.recovered_fen, row.written_off_fen, row.outstanding_fen) == ("核销", 10000, 20000, 0)
    assert f"{TODAY.isoformat()}核销200.00元（家中无力退还，经县残联批准）" in row.ways
    assert ("state", "核销") in audited
    with pytest.raises(InputError, match="已是“核销”"):
        overpayments.recover(db, owed, TODAY, 100, "现金退回")


def test_a_full_recovery_is_recorded_with_its_date_and_way(db) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1)
        paying(s, zhang.id, "nursing", Month(2025, 1))
        confirm_through(s, Month(2025, 9))
        status_changes.change_status(s, zhang, "死亡", AUGUST_15, "病故")
        owed = s.scalars(select(Overpayment)).one().id
        overpayments.recover.in_session(s, owed, TODAY, 10000, "银行转账退回")
    with db.session() as s:
        [row] = overpayment_rows(s, person_ids=[zhang.id])
    assert monthly_review(db, Month(2025, 12)).recover == []
    assert (row.state, row.settled_on, row.outstanding_fen) == ("已追回", TODAY, 0)


def test_restoring_a_death_recorded_by_mistake_cancels_what_it_raised(db) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1)
        paying(s, zhang.id, "nursing", Month(2025, 1))
        confirm_through(s, Month(2025, 11))
        status_changes.change_status(s, zhang, "死亡", AUGUST_15, "病故")
        owed = s.scalars(select(Overpayment)).one().id
        overpayments.recover.in_session(s, owed, TODAY, 10000, "家属现金退回")
    with db.session() as s:
        text = overpayments.status_notice(s, zhang.id, "在册", TODAY).text
    assert text == ("恢复在册后，因2025-08-15死亡记下的应追回款（护理补贴2025年9月至11月300.00元）将撤销，不再追回。"
                    "其中已追回的100.00元应退还本人。")
    with db.transaction() as s:
        status_changes.change_status(s, people.get_person(s, zhang.id), "在册", TODAY, "系误报")
    with db.session() as s:
        record = s.get(Overpayment, owed)
        assert record is not None  # kept, not deleted
        assert (record.state, record.settled_on, record.cancel_reason) == (
            "已撤销", TODAY, "恢复在册（死亡系误记）：系误报")
        assert s.scalar(select(AuditEntry.new_value).where(
            AuditEntry.entity == "overpayment", AuditEntry.field == "state")) == "已撤销"
    assert monthly_review(db, Month(2025, 12)).recover == []


def test_a_household_losing_dibao_in_september_owes_the_living_subsidy_after_it(db) -> None:
    with db.transaction() as s:
        li = person(s, "李四", 2, dibao_class=1)  # living 100 (一类) + nursing 100
        paying(s, li.id, "living", Month(2025, 1))
        paying(s, li.id, "nursing", Month(2025, 1))
        confirm_through(s, Month(2025, 11))
        household = li.household
        assert household is not None
        text = overpayments.dibao_notice(s, household.id, dt.date(2025, 9, 10))
        households.set_household_hardship(s, household, dibao=False, dibao_ended=dt.date(2025, 9, 10))
        assert household.dibao_ended == dt.date(2025, 9, 10) and household.dibao_class is None
    assert text == "李四：正在享受困难残疾人生活补贴；2025年10月至11月已发放200.00元，应追回。"
    assert _state(db, li.id) == [("living", "2025-10", "2025-11", 2, 20000, "应追回")]
    with db.session() as s:
        december = payments.roster_lines(s, Month(2025, 12))
    [stop] = monthly_review(db, Month(2025, 12)).stopping
    assert [line.programme for line in december] == ["nursing"]  # the living subsidy stopped from October
    assert stop.reason == "2025-09-10低保取消，从2025年10月起停发生活补贴；2025年10月至11月已发放200.00元，应追回"
    confirm_stops(db, [stop], TODAY)  # the review's stop, confirmed later, owes nothing twice
    assert len(_state(db, li.id)) == 1


def test_a_stop_entered_by_hand_for_a_month_already_paid_is_owed(db) -> None:
    with db.transaction() as s:
        sun = person(s, "孙七", 5)
        application = paying(s, sun.id, "nursing", Month(2025, 1))
        confirm_through(s, Month(2025, 6))
        applications.stop.in_session(s, application, Month(2025, 5), "定期复核不再符合", TODAY)
    assert _state(db, sun.id) == [("nursing", "2025-05", "2025-06", 2, 20000, "应追回")]
    with db.session() as s:
        assert overpayment_rows(s)[0].cause == "从2025年5月起停发：定期复核不再符合"
