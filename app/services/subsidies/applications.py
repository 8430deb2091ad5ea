"""Applications for the two subsidies and their decisions: 申请 (town window) → 初审 (town) → 审核 (county
残联) → 审定 (county 民政) → 发放 from a start month; or 不予通过 with a reason; a payment stops (停发) from
a month with a reason. Every step is kept with its date and note; nothing is deleted.

The clerk's steps (apply_for, advance, refuse, stop, set_other_allowances) are actions of the store and
return an ApplicationView; get_application and open_application are the mapped rows for other services'
work inside their own transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.db.models import ApplicationStep, SubsidyApplication
from app.domain import subsidy_rules
from app.domain.money import yuan_plain
from app.domain.months import Month
from app.domain.words import CLOSED_STAGES, STAGES_IN_ORDER, PersonStatus, Programme, Stage
from app.errors import InputError, NotFound
from app.services.actions import Changes, action, query
from app.services.register import people
from app.services.subsidies import overpayments
from app.services.subsidies.facts import facts_for_ids
from app.services.subsidies.policies import PolicyBook

WHO: dict[str, str] = {  # looked up by the stage column's text
    Stage.APPLIED: "乡镇受理", Stage.FIRST_CHECK: "乡镇初审", Stage.COUNTY_CHECK: "县残联审核",
    Stage.DECIDED: "县民政审定", Stage.PAYING: "开始发放", Stage.REFUSED: "不予通过", Stage.STOPPED: "停止发放",
}
STOP_REASONS = ("死亡", "户口迁出", "低保取消", "定期复核不再符合", "本人申请停发", "其他")


@dataclass(frozen=True)
class StepView:
    """One step of an application as the person page lists it."""

    step: str
    date: dt.date
    note: str

    @property
    def who(self) -> str:
        """乡镇受理, 县残联审核 …: who takes this step."""
        return WHO.get(self.step, "")


@dataclass(frozen=True)
class ApplicationView:
    """An application with its steps, as the clerk sees it."""

    id: int
    person_id: int
    programme: str
    applied_on: dt.date
    stage: str
    start_month: Month | None
    stop_month: Month | None
    stop_reason: str
    steps: tuple[StepView, ...]

    @property
    def next_step(self) -> str | None:
        """The step that comes next (None when paying, refused or stopped)."""
        return next_step(self.stage)

    @property
    def state(self) -> str:
        """发放中，从2025年1月起 / 已停发，从…起：reason / 当前：审核."""
        if self.stage == Stage.PAYING and self.start_month:
            return f"发放中，从{self.start_month.label}起"
        if self.stage == Stage.STOPPED and self.stop_month:
            return f"已停发，从{self.stop_month.label}起：{self.stop_reason}"
        return f"当前：{self.stage}"

    def line(self, name: str) -> str:
        """What the clerk is told after a step: 张三的重度残疾人护理补贴：已记下“审核”，下一步：审定 (or, once
        paid or stopped, 发放中，从2026年12月起)；见此人的申请记录。"""
        done = self.steps[-1].step if self.steps else self.stage
        now = f"下一步：{self.next_step}" if self.next_step else self.state
        return f"{name}的{Programme(self.programme).full_name}：已记下“{done}”，{now}；见此人的申请记录。"


def application_view(application: SubsidyApplication) -> ApplicationView:
    return ApplicationView(
        application.id, application.person_id, application.programme, application.applied_on, application.stage,
        Month.of(application.start_month) if application.start_month else None,
        Month.of(application.stop_month) if application.stop_month else None,
        application.stop_reason or "", tuple(StepView(s.step, s.date, s.note) for s in application.steps))


def programme_name(programme: str) -> str:
    if programme not in tuple(Programme):
        raise InputError(f"没有名为“{programme}”的补贴：应为生活补贴或护理补贴。")
    return Programme(programme).full_name


def get_application(session: Session, application_id: int) -> SubsidyApplication:
    application = session.get(SubsidyApplication, application_id)
    if application is None:
        raise NotFound("找不到这份补贴申请：请刷新后再试。")
    return application


def _step(session: Session, application: SubsidyApplication, step: str, on: dt.date, note: str) -> None:
    if on > dt.date.today():
        raise InputError("日期不能晚于今天：请核对日期。")
    last = application.steps[-1].date if application.steps else application.applied_on
    if on < last:
        raise InputError(f"日期早于上一步（{last.isoformat()}）：请核对日期。")
    application.stage = step
    session.add(ApplicationStep(application_id=application.id, step=step, date=on, note=note.strip()))
    session.flush()
    session.refresh(application, ["steps"])


def open_application(session: Session, person_id: int, programme: str) -> SubsidyApplication | None:
    """The person's application for the programme that is not refused or stopped, if any."""
    return session.scalar(
        select(SubsidyApplication)
        .where(SubsidyApplication.person_id == person_id, SubsidyApplication.programme == programme,
               SubsidyApplication.stage.not_in(CLOSED_STAGES))
        .order_by(SubsidyApplication.id.desc())
    )


@action(Changes.SUBSIDIES)
def apply_for(session: Session, person_id: int, programme: str, on: dt.date, note: str = "") -> ApplicationView:
    """申请: the application handed in at the town window (by the person, guardian or village committee)."""
    name = programme_name(programme)
    person = people.get_person(session, person_id)
    if person.status != PersonStatus.ON_REGISTER:
        raise InputError(f"{person.name}已{person.status}，不能再申请{name}。")
    if open_application(session, person_id, programme) is not None:
        raise InputError(f"{person.name}已有一份{name}申请在办理或发放中：请在原申请上办理。")
    if on > dt.date.today():
        raise InputError("申请日期不能晚于今天：请核对日期。")
    application = SubsidyApplication(person_id=person_id, programme=programme, applied_on=on, stage=Stage.APPLIED)
    session.add(application)
    session.flush()
    session.add(ApplicationStep(application_id=application.id, step=Stage.APPLIED, date=on, note=note.strip()))
    session.flush()
    session.refresh(application, ["steps"])
    return application_view(application)


def next_step(stage: str) -> str | None:
    """The step that comes after stage (None when paying, refused or stopped)."""
    if stage not in STAGES_IN_ORDER or stage == Stage.PAYING:
        return None
    return STAGES_IN_ORDER[STAGES_IN_ORDER.index(Stage(stage)) + 1]


@action(Changes.SUBSIDIES)
def advance(session: Session, application_id: int, on: dt.date, note: str = "",
            start_month: Month | None = None) -> ApplicationView:
    """The next step; at 发放 the payment starts from start_month (by default the month of application)."""
    application = get_application(session, application_id)
    step = next_step(application.stage)
    if step is None:
        raise InputError(f"这份申请已是“{application.stage}”，没有下一步。")
    if step == Stage.PAYING:
        person = people.get_person(session, application.person_id)
        if not (person.certificate_number or "").strip():
            raise InputError(f"{person.name}未办理残疾证（登记表中没有残疾证号），两项补贴都不能发放："
                             "请先办理残疾证并登记证号。")
        start = start_month or Month.of(application.applied_on)
        if start < Month.of(application.applied_on):
            raise InputError(f"发放起始月不能早于申请月（{Month.of(application.applied_on).label}）：请核对。")
        application.start_month = start.first_day
        note = note or f"从{start.label}起发放"
    _step(session, application, step, on, note)
    return application_view(application)


@action(Changes.SUBSIDIES)
def refuse(session: Session, application_id: int, on: dt.date, reason: str) -> ApplicationView:
    """不予通过, at any step before payment, with the reason the clerk tells the applicant."""
    if not reason.strip():
        raise InputError("请写明不予通过的原因。")
    application = get_application(session, application_id)
    if application.stage not in STAGES_IN_ORDER or application.stage == Stage.PAYING:
        raise InputError(f"这份申请已是“{application.stage}”，不能再不予通过；已发放的请办理停发。")
    _step(session, application, Stage.REFUSED, on, reason)
    return application_view(application)


@action(Changes.SUBSIDIES)
def stop(session: Session, application_id: int, stop_month: Month, reason: str, on: dt.date,
         note: str = "") -> ApplicationView:
    """停发 from stop_month (the first month not paid), with the reason (death, moved out, 低保 cancelled …)."""
    if not reason.strip():
        raise InputError("请写明停发原因。")
    application = get_application(session, application_id)
    if application.stage != Stage.PAYING or application.start_month is None:
        raise InputError(f"这份申请是“{application.stage}”，不在发放中，无需停发。")
    if stop_month <= Month.of(application.start_month):
        raise InputError(f"停发月份应晚于发放起始月（{Month.of(application.start_month).label}）：请核对。")
    application.stop_month = stop_month.first_day
    application.stop_reason = reason.strip()
    text = f"从{stop_month.label}起停发：{reason.strip()}" + (f"。{note.strip()}" if note.strip() else "")
    _step(session, application, Stage.STOPPED, on, text)
    overpayments.after_stop(session, application, on)  # months from the stop already paid: to recover
    return application_view(application)


@query
def applications_of(session: Session, person_id: int) -> list[ApplicationView]:
    """A person's applications, newest first, with their steps."""
    return [application_view(a) for a in session.scalars(
        select(SubsidyApplication).options(selectinload(SubsidyApplication.steps))
        .where(SubsidyApplication.person_id == person_id).order_by(SubsidyApplication.id.desc())
    )]


@dataclass(frozen=True)
class PersonSubsidies:
    """What the tab shows for one person in one month: each programme's decision and the explanation."""

    month: Month
    decisions: list[subsidy_rules.Decision]
    explanation: str

    @property
    def decisions_text(self) -> str:
        """护理补贴：符合，每月100.00元　生活补贴：不符合 (one line under the explanation)."""
        return "　".join(f"{Programme(d.programme).full_name}：" + (
            f"符合，每月{yuan_plain(d.amount_fen)}元" if d.qualifies else "不符合") for d in self.decisions)


@query
def person_subsidies(session: Session, person_id: int, month: Month) -> PersonSubsidies:
    found = list(facts_for_ids(session, [person_id]))
    if not found:
        raise NotFound("找不到这个人：可能已被他人修改，请刷新列表。")
    _pid, person, household = found[0]
    decisions = subsidy_rules.decide(PolicyBook.load(session).policies(month), person, household, month)
    return PersonSubsidies(month, decisions, subsidy_rules.explain(decisions))


@dataclass(frozen=True)
class OtherAllowances:
    """What else a person receives that rules out or limits the two subsidies (the register's form does
    not carry these: they matter only here)."""

    work_injury_care: bool = False  # 工伤保险生活护理费
    orphan_allowance: bool = False  # 孤儿 / 事实无人抚养儿童基本生活费
    other_allowance_kind: str = ""  # 高龄津贴, 因公伤残 …: the higher one is paid (择高)
    other_allowance_fen: int = 0


@query
def other_allowances(session: Session, person_id: int) -> OtherAllowances:
    person = people.get_person(session, person_id)
    return OtherAllowances(person.work_injury_care, person.orphan_allowance, person.other_allowance_kind,
                        person.other_allowance_fen)


@action(Changes.SUBSIDIES)
def set_other_allowances(session: Session, person_id: int, allowances: OtherAllowances) -> None:
    """Record the person's other allowances, 其他待遇 (audited like every change)."""
    kind = allowances.other_allowance_kind.strip()
    if allowances.other_allowance_fen < 0:
        raise InputError("其他补贴的金额不能为负数：请核对。")
    if allowances.other_allowance_fen and not kind:
        raise InputError("填了其他补贴的金额，请同时写明是哪种补贴（如高龄津贴）。")
    if kind and not allowances.other_allowance_fen:
        raise InputError(f"请填写{kind}每月的金额，用来择高比较。")
    person = people.get_person(session, person_id)
    person.work_injury_care = allowances.work_injury_care
    person.orphan_allowance = allowances.orphan_allowance
    person.other_allowance_kind = kind
    person.other_allowance_fen = allowances.other_allowance_fen
    session.flush()
