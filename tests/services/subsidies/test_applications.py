import datetime as dt

import pytest
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import AuditEntry, SubsidyPayment
from app.domain.months import Month
from app.errors import InputError
from app.services.register import households, status_changes
from app.services.subsidies import applications, payments, policies
from app.services.subsidies.review import confirm_starts, confirm_stops, monthly_review
from tests.services.subsidies.builders import paying, person

JAN = Month(2025, 1)


def test_an_application_goes_through_every_step_with_dates_and_notes(db: Database) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1).id
    db.actor = "李红梅"
    application = applications.apply_for(db, zhang, "nursing", dt.date(2025, 1, 6), "监护人代办")
    for day, note in ((8, "材料齐全"), (15, "县残联审核通过"), (20, "县民政审定")):
        application = applications.advance(db, application.id, dt.date(2025, 1, day), note)
    assert application.next_step == "发放" and application.state == "当前：审定"
    application = applications.advance(db, application.id, dt.date(2025, 1, 25))
    steps = [(step.step, step.date.day, step.note, step.who) for step in application.steps]
    assert steps == [("申请", 6, "监护人代办", "乡镇受理"), ("初审", 8, "材料齐全", "乡镇初审"),
                     ("审核", 15, "县残联审核通过", "县残联审核"), ("审定", 20, "县民政审定", "县民政审定"),
                     ("发放", 25, "从2025年1月起发放", "开始发放")]
    assert application.start_month == Month(2025, 1)  # from the month of application
    assert application.state == "发放中，从2025年1月起" and application.next_step is None
    with pytest.raises(InputError, match="已有一份重度残疾人护理补贴申请"):
        applications.apply_for(db, zhang, "nursing", dt.date(2025, 2, 1))
    stopped = applications.stop(db, application.id, Month(2025, 6), "定期复核不再符合", dt.date(2025, 6, 2))
    assert stopped.stage == "停发" and stopped.steps[-1].note == "从2025年6月起停发：定期复核不再符合"
    assert stopped.state == "已停发，从2025年6月起：定期复核不再符合"
    again = applications.apply_for(db, zhang, "nursing", dt.date(2025, 7, 1))  # a stopped one is closed
    assert again.stage == "申请"
    assert [a.id for a in applications.applications_of(db, zhang)] == [again.id, application.id]  # newest first
    with db.session() as s:  # every step is audited as the clerk who took it
        actors = set(s.scalars(select(AuditEntry.actor).where(AuditEntry.entity.in_(
            ["subsidy_application", "application_step"]))))
    assert actors == {"李红梅"}


def test_refusal_needs_a_reason_and_closes_the_application(db: Database) -> None:
    with db.transaction() as s:
        li = person(s, "李四", 2, grade="三级").id
    application = applications.apply_for(db, li, "nursing", dt.date(2025, 3, 1))
    with pytest.raises(InputError, match="原因"):
        applications.refuse(db, application.id, dt.date(2025, 3, 5), " ")
    refused = applications.refuse(db, application.id, dt.date(2025, 3, 5), "三级肢体残疾，不在护理补贴范围")
    assert refused.stage == "不予通过"
    with pytest.raises(InputError, match="没有下一步"):
        applications.advance(db, application.id, dt.date(2025, 3, 6))
    living = applications.apply_for(db, li, "living", dt.date(2025, 3, 1))
    with pytest.raises(InputError, match="早于上一步"):
        applications.advance(db, living.id, dt.date(2025, 2, 1))
    assert applications.applications_of(db, li)[0].steps == living.steps  # the refused step left nothing


def test_roster_pays_from_start_to_stop_at_the_policy_amount(db: Database) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1, grade="一级", dibao_class=2)  # nursing 100 + living 100
        wang = person(s, "王五", 3, category="听力", grade="二级")  # nursing 50
        paying(s, zhang.id, "nursing", JAN)
        paying(s, zhang.id, "living", Month(2025, 3))
        stopped = paying(s, wang.id, "nursing", JAN)
        applications.stop.in_session(s, stopped, Month(2025, 4), "本人申请停发", dt.date(2025, 4, 2))
    with db.session() as s:
        def month_lines(month: Month) -> list[tuple[str, int]]:
            return sorted((line.programme, line.amount_fen) for line in payments.roster_lines(s, month))
        assert month_lines(Month(2024, 12)) == []
        assert month_lines(Month(2025, 2)) == [("nursing", 5000), ("nursing", 10000)]
        assert month_lines(Month(2025, 3)) == [("living", 10000), ("nursing", 5000), ("nursing", 10000)]
        assert month_lines(Month(2025, 4)) == [("living", 10000), ("nursing", 10000)]


def test_a_death_leaves_the_next_roster_even_before_the_stop_is_confirmed(db: Database) -> None:
    with db.transaction() as s:
        zhao = person(s, "赵六", 4, dibao_class=1)
        paying(s, zhao.id, "nursing", JAN)
        paying(s, zhao.id, "living", JAN)
        status_changes.change_status(s, zhao, "死亡", dt.date(2025, 10, 3), "病故")
    with db.session() as s:
        assert len(payments.roster_lines(s, Month(2025, 10))) == 2  # paid for the month of death
        assert payments.roster_lines(s, Month(2025, 11)) == []
    review = monthly_review(db, Month(2025, 11))
    assert [(line.name, line.reason, line.stop_from) for line in review.stopping] == [
        ("赵六", "2025-10-03死亡，从2025年11月起停发", Month(2025, 11))] * 2
    assert review.new == [] and review.continuing == []
    assert confirm_stops(db, review.stopping, dt.date(2025, 11, 5)) == 2
    assert [a.stop_month for a in applications.applications_of(db, zhao.id)] == [Month(2025, 11)] * 2
    assert monthly_review(db, Month(2025, 11)).stopping == []


def test_a_month_is_confirmed_once_and_its_amounts_stay(db: Database) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1)
        paying(s, zhang.id, "nursing", JAN)
    db.actor = "李红梅"
    assert payments.confirm_month(db, Month(2025, 12), today=dt.date(2025, 12, 5)) == 1
    with pytest.raises(InputError, match=r"^2025年12月已由李红梅于.*确认发放，没有新增的待确认名单，不能重复确认"):
        payments.confirm_month(db, Month(2025, 12), today=dt.date(2025, 12, 5))
    with pytest.raises(InputError, match="还没到"):
        payments.confirm_month(db, Month(2026, 1), today=dt.date(2025, 12, 5))
    rules = policies.versions(db, "nursing")[-1].rules
    rules["amounts_fen"]["1"]["4"] = 15000
    policies.save_policy(db, "nursing", Month(2026, 1), rules, "2026年起提高")
    with db.session() as s:
        december = payments.roster_lines(s, Month(2025, 12))
        january = payments.roster_lines(s, Month(2026, 1))
        assert [(line.amount_fen, line.confirmed) for line in december] == [(10000, True)]
        assert [(line.amount_fen, line.confirmed) for line in january] == [(15000, False)]
        assert s.scalar(select(func.count()).select_from(SubsidyPayment)) == 1


def test_the_review_sorts_new_continuing_and_stopping(db: Database) -> None:
    with db.transaction() as s:
        new = person(s, "孙七", 5, category="精神", grade="三级")  # Gansu extension: qualifies, not paid
        applied = person(s, "周八", 6, grade="二级")
        steady = person(s, "吴九", 7, grade="一级")
        lost_dibao = person(s, "郑十", 8, grade="四级", dibao_class=3)
        person(s, "冯一", 9, grade="四级")  # qualifies for nothing: in no list
        person(s, "陈二", 10, grade="一级", tekun=True)  # 特困: in no list
        gone = person(s, "褚三", 12, grade="一级")  # died this month, never paid: nobody starts after death
        status_changes.change_status(s, gone, "死亡", dt.date.today(), "病故")
        applications.apply_for.in_session(s, applied.id, "nursing", dt.date(2025, 4, 2))
        paying(s, steady.id, "nursing", JAN)
        living = paying(s, lost_dibao.id, "living", JAN)
        households.set_household_hardship(s, lost_dibao.household, dibao=False)  # type: ignore[arg-type]
    month = Month.of(dt.date.today())
    review = monthly_review(db, month)
    assert [(line.name, line.programme, line.amount_fen, line.stage) for line in review.new] == [
        ("周八", "nursing", 5000, "申请"), ("孙七", "nursing", 5000, "")]
    assert review.new[1].reason == "三级精神残疾，符合护理补贴"
    assert [(line.name, line.reason) for line in review.continuing] == [("吴九", "一级肢体残疾，符合护理补贴")]
    [stop] = review.stopping
    assert (stop.name, stop.application_id) == ("郑十", living)
    assert stop.reason == f"{dt.date.today().isoformat()}低保取消，从{month.next().label}起停发生活补贴"
    assert stop.stop_from == month.next()  # the month after 低保 ended (today: no date was given)
    started, recorded = confirm_starts(db, review.new, month, dt.date.today())
    assert (started, recorded) == (0, 1)  # 周八's application is still at 申请; 孙七 gets one recorded
    assert [a.stage for a in applications.applications_of(db, new.id)] == ["申请"]


def test_other_support_is_recorded_and_changes_the_decision(db: Database) -> None:
    month = Month.of(dt.date.today())
    with db.transaction() as s:
        qian = person(s, "钱二", 11, dibao_class=1).id
    with pytest.raises(InputError, match="写明是哪种补贴"):
        applications.set_other_allowances(db, qian, applications.OtherAllowances(other_allowance_fen=100))
    applications.set_other_allowances(db, qian, applications.OtherAllowances(orphan_allowance=True))
    assert applications.other_allowances(db, qian).orphan_allowance
    found = applications.person_subsidies(db, qian, month)
    assert found.explanation == "一级肢体残疾，符合护理补贴；领取孤儿基本生活费，不享受生活补贴"
    assert found.decisions_text == "重度残疾人护理补贴：符合，每月100.00元　困难残疾人生活补贴：不符合"


def test_an_amount_edited_for_january_changes_january_and_not_december(db: Database) -> None:
    with db.transaction() as s:
        zhang = person(s, "张三", 1)
        paying(s, zhang.id, "nursing", JAN)
        rules = policies.versions.in_session(s, "nursing")[-1].rules
        rules["amounts_fen"]["1"]["4"] = 13000
        policies.save_policy.in_session(s, "nursing", Month(2026, 1), rules)
    with db.session() as s:  # neither month confirmed: both computed, each under its own rule
        assert [line.amount_fen for line in payments.roster_lines(s, Month(2025, 12))] == [10000]
        assert [line.amount_fen for line in payments.roster_lines(s, Month(2026, 1))] == [13000]


def test_a_person_without_a_certificate_is_neither_paid_nor_started(db: Database) -> None:
    """Both subsidies require a certificate (DOMAIN.md): a person with no 残疾证号 leaves the roster, the
    review says 未办理残疾证 as the reason to stop, and no new payment can start."""
    march = Month(2025, 3)
    with db.transaction() as s:
        sun = person(s, "孙七", 5, dibao_class=1)  # both, until the certificate number is found to be wrong
        zhang = person(s, "张三", 1)
        paying(s, sun.id, "nursing", JAN)
        paying(s, sun.id, "living", JAN)
        paying(s, zhang.id, "nursing", JAN)
        sun.certificate_number = None  # the number on the register was someone else's: blanked
    with db.session() as s:
        assert [(p.name, p.line.programme) for p in payments.printed_roster(s, march)] == [("张三", "nursing")]
    review = monthly_review(db, march)
    assert applications.person_subsidies(db, sun.id, march).explanation == "未办理残疾证，不享受两项补贴"
    assert sorted((line.name, line.programme, line.reason, line.stop_from) for line in review.stopping) == [
        ("孙七", "living", "未办理残疾证，不享受两项补贴", march),
        ("孙七", "nursing", "未办理残疾证，不享受两项补贴", march)]
    assert [line.name for line in review.continuing] == ["张三"]
    with db.transaction() as s:
        li = person(s, "李四", 2, grade="二级", certificate_number="")
        assert li.certificate_number is None
    application = applications.apply_for(db, li.id, "nursing", dt.date(2025, 3, 2), "本人申请")
    for day in (4, 6, 8):
        applications.advance(db, application.id, dt.date(2025, 3, day))
    assert monthly_review(db, march).new == []  # at 审定, but not qualifying
    with pytest.raises(InputError, match="李四未办理残疾证"):
        applications.advance(db, application.id, dt.date(2025, 3, 10))
