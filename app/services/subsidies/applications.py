"""Applications for the two subsidies and their decisions: 申请 (town window) → 初审 (town) → 审核 (county
残联) → 审定 (county 民政) → 发放 from a start month; or 不予通过 with a reason; a payment stops (停发) from
a month with a reason. Every step is kept with its date and note; nothing is deleted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.db.models import ApplicationStep, SubsidyApplication
from app.domain import subsidy_rules
from app.domain.months import Month
from app.domain.words import CLOSED_STAGES, STAGES_IN_ORDER, PersonStatus, Programme, Stage
from app.errors import InputError, NotFound
from app.services.register import people
from app.services.subsidies import overpayments
from app.services.subsidies.facts import facts_for_ids
from app.services.subsidies.policies import PolicyBook

WHO = {Stage.APPLIED: "乡镇受理", Stage.FIRST_CHECK: "乡镇初审", Stage.COUNTY_CHECK: "县残联审核",
       Stage.DECIDED: "县民政审定", Stage.PAYING: "开始发放", Stage.REFUSED: "不予通过", Stage.STOPPED: "停止发放"}
STOP_REASONS = ("死亡", "户口迁出", "低保取消", "定期复核不再符合", "本人申请停发", "其他")


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


def apply_for(session: Session, person_id: int, programme: str, on: dt.date, note: str = "") -> SubsidyApplication:
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
    return application


def next_step(application: SubsidyApplication) -> str | None:
    """The step that comes next (None when paying, refused or stopped)."""
    if application.stage not in STAGES_IN_ORDER or application.stage == Stage.PAYING:
        return None
    return STAGES_IN_ORDER[STAGES_IN_ORDER.index(Stage(application.stage)) + 1]


def advance(session: Session, application_id: int, on: dt.date, note: str = "",
            start_month: Month | None = None) -> SubsidyApplication:
    """The next step; at 发放 the payment starts from start_month (by default the month of application)."""
    application = get_application(session, application_id)
    step = next_step(application)
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
    return application


def refuse(session: Session, application_id: int, on: dt.date, reason: str) -> SubsidyApplication:
    """不予通过, at any step before payment, with the reason the clerk tells the applicant."""
    if not reason.strip():
        raise InputError("请写明不予通过的原因。")
    application = get_application(session, application_id)
    if application.stage not in STAGES_IN_ORDER or application.stage == Stage.PAYING:
        raise InputError(f"这份申请已是“{application.stage}”，不能再不予通过；已发放的请办理停发。")
    _step(session, application, Stage.REFUSED, on, reason)
    return application


def stop(session: Session, application_id: int, stop_month: Month, reason: str, on: dt.date,
         note: str = "") -> SubsidyApplication:
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
    return application


def applications_of(session: Session, person_id: int) -> list[SubsidyApplication]:
    """A person's applications, newest first, with their steps."""
    return list(session.scalars(
        select(SubsidyApplication).options(selectinload(SubsidyApplication.steps))
        .where(SubsidyApplication.person_id == person_id).order_by(SubsidyApplication.id.desc())
    ))


@dataclass(frozen=True)
class PersonSubsidies:
    """What the tab shows for one person in one month: each programme's decision and the explanation."""

    month: Month
    decisions: list[subsidy_rules.Decision]
    explanation: str


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


def other_allowances(session: Session, person_id: int) -> OtherAllowances:
    person = people.get_person(session, person_id)
    return OtherAllowances(person.work_injury_care, person.orphan_allowance, person.other_allowance_kind,
                        person.other_allowance_fen)


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
