"""Overpayments of the two subsidies (应追回, 已追回, 核销): money paid for months after a payment should have
stopped. A death, a move or a lost 低保 recorded with a date before months already confirmed leaves those
months paid: the program works out, per programme, which confirmed months fall at or after the stop month
and what was paid for them, tells the clerk before the change is saved (the notice below), and records each
as an Overpayment that stays 应追回 until recovered (in one or more parts) or the rest is written off (核销)
with a reason. A death recorded by mistake and undone (恢复在册) cancels (已撤销) what it raised.

The register calls in here (registry.change_status, the 低保 change of a household) so that every way of
recording such a change raises what it must; this module never imports the register's service. What a
change means is said before saving by status_notice and dibao_notice (functions of a session: the
register's own reads call them); recover and write_off are the clerk's actions in the 追回台账."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (
    Household,
    Overpayment,
    OverpaymentEntry,
    Person,
    StatusChange,
    SubsidyApplication,
    SubsidyPayment,
)
from app.domain.money import yuan
from app.domain.months import Month
from app.domain.words import DEPARTURE_CAUSES, OverpaymentState, PersonStatus, Programme, Settlement, Stage
from app.errors import InputError, NotFound
from app.services.actions import Changes, action

if TYPE_CHECKING:
    from app.services.subsidies.overpayment_ledger import OverpaymentRow

PROGRAMME_ORDER = (Programme.LIVING, Programme.NURSING)  # as the roster prints them
DIBAO_LOST = "低保取消"
RECOVERY_WAYS = ("现金退回", "银行转账退回", "从补发款中扣回", "其他")
Entitled = Callable[[str, Month], int]  # what the person was still due for a programme in a month


@dataclass(frozen=True)
class OverpaidRun:
    """The months of one programme paid at or after its stop month, and what was paid for them."""

    programme: str
    application_id: int | None
    first: Month
    last: Month
    months: int
    amount_fen: int

    def text(self, with_programme: bool) -> str:
        """2026年9月至11月已发放300.00元 (with the programme's short name before it when asked)."""
        programme = Programme(self.programme).short if with_programme else ""
        return f"{programme}{months_text(self.first, self.last)}已发放{yuan(self.amount_fen)}元"


def months_text(first: Month, last: Month) -> str:
    """2026年9月, 2026年9月至11月, 2026年11月至2027年1月."""
    if first == last:
        return first.label
    if first.year == last.year:
        return f"{first.year}年{first.month}月至{last.month}月"
    return f"{first.label}至{last.label}"


def _covered(session: Session, person_id: int) -> dict[str, list[tuple[dt.date, dt.date]]]:
    """The months already on an overpayment of this person (cancelled ones aside), per programme."""
    found: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for programme, first, last in session.execute(
        select(Overpayment.programme, Overpayment.first_month, Overpayment.last_month)
        .where(Overpayment.person_id == person_id, Overpayment.state != OverpaymentState.CANCELLED)
    ):
        found.setdefault(programme, []).append((first, last))
    return found


def overpaid(session: Session, person_id: int, stops: Mapping[str, Month],
             entitled: Entitled | None = None) -> list[OverpaidRun]:
    """The confirmed payments of the person for months at or after each programme's stop month, less what
    the person was still due (entitled), that no overpayment holds yet: one run per programme."""
    if not stops:
        return []
    covered = _covered(session, person_id)
    rows = session.execute(
        select(SubsidyPayment.programme, SubsidyPayment.month, SubsidyPayment.amount_fen,
               SubsidyPayment.application_id)
        .where(SubsidyPayment.person_id == person_id, SubsidyPayment.programme.in_(sorted(stops)))
        .order_by(SubsidyPayment.month)
    )
    found: dict[str, list[tuple[Month, int, int | None]]] = {}
    for programme, month, fen, application_id in rows:
        paid_month = Month.of(month)
        if paid_month < stops[programme] or any(a <= month <= b for a, b in covered.get(programme, [])):
            continue
        extra = fen - (entitled(programme, paid_month) if entitled else 0)
        if extra > 0:
            found.setdefault(programme, []).append((paid_month, extra, application_id))
    return [OverpaidRun(p, found[p][-1][2], found[p][0][0], found[p][-1][0], len(found[p]),
                        sum(fen for _m, fen, _a in found[p])) for p in PROGRAMME_ORDER if p in found]


def _record(session: Session, person_id: int, runs: list[OverpaidRun], cause: str, cause_date: dt.date,
            *, status_change_id: int | None = None, household_id: int | None = None) -> list[Overpayment]:
    records = [Overpayment(person_id=person_id, programme=run.programme, application_id=run.application_id,
                           first_month=run.first.first_day, last_month=run.last.first_day, months=run.months,
                           amount_fen=run.amount_fen, cause=cause, cause_date=cause_date,
                           status_change_id=status_change_id, household_id=household_id,
                           raised_on=dt.date.today(), state=OverpaymentState.OWED)
               for run in runs]
    session.add_all(records)
    session.flush()
    return records


# --- what the clerk is told before saving ---------------------------------------------------------
def paying_programmes(session: Session, person_id: int) -> list[str]:
    """The programmes the person is being paid now (an application at 发放, not stopped)."""
    found = set(session.scalars(select(SubsidyApplication.programme).where(
        SubsidyApplication.person_id == person_id, SubsidyApplication.stage == Stage.PAYING)))
    return [p for p in PROGRAMME_ORDER if p in found]


def overpaid_text(paying: list[str], runs: list[OverpaidRun], stop: Month | None = None) -> str:
    """此人正在享受重度残疾人护理补贴；2026年9月至11月已发放300.00元，应追回。 — or, with nothing overpaid,
    when the payment stops; "" when the person is not paid at all."""
    head = f"此人正在享受{'、'.join(Programme(p).full_name for p in paying)}；" if paying else ""
    if not runs:
        return f"{head}从{stop.label}起停发。" if head and stop is not None else ""
    named = len(runs) > 1 or paying != [runs[0].programme]
    text = "，".join(run.text(named) for run in runs)
    if len(runs) > 1:
        text += f"，共{yuan(sum(run.amount_fen for run in runs))}元"
    return f"{head}{text}，应追回。"


@dataclass(frozen=True)
class Notice:
    """What a change means for the subsidies, in one line; money says whether it raises or cancels an
    overpayment (the command line prints only those, after its usual line)."""

    text: str = ""
    money: bool = False


def status_notice(session: Session, person_id: int, status: str, on: dt.date) -> Notice:
    """What recording this status change means for the person's subsidies, before it is saved: the
    overpayment it raises (a death or move dated before confirmed months), or the one a 恢复在册 cancels."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("找不到这个人：可能已被他人修改，请刷新列表。")
    if status == PersonStatus.ON_REGISTER:
        text = _restore_text(_raised_by_death(session, person.id)) if person.status == PersonStatus.DEAD else ""
        return Notice(text, bool(text))
    if status not in DEPARTURE_CAUSES:
        return Notice()
    stop = Month.of(on).next()
    runs = overpaid(session, person_id, {Programme.LIVING: stop, Programme.NURSING: stop})
    return Notice(overpaid_text(paying_programmes(session, person_id), runs, stop), bool(runs))


def _restore_text(records: list[Overpayment]) -> str:
    live = [r for r in records if r.state != OverpaymentState.CANCELLED]
    if not live:
        return ""
    parts = "、".join(f"{Programme(r.programme).short}{months_text(Month.of(r.first_month), Month.of(r.last_month))}"
                      f"{yuan(r.amount_fen)}元" for r in live)
    text = f"恢复在册后，因{live[0].cause}记下的应追回款（{parts}）将撤销，不再追回。"
    back = sum(e.amount_fen for r in live for e in r.entries if e.kind == Settlement.RECOVERY)
    return text + (f"其中已追回的{yuan(back)}元应退还本人。" if back else "")


# --- raising and cancelling, called by the register ------------------------------------------------
def after_status_change(session: Session, person: Person, change: StatusChange, previous: str) -> list[Overpayment]:
    """A death, move or cancellation: record what was paid for confirmed months after it. A return to the
    register from 死亡 (a death recorded by mistake): cancel what that death raised. Returns the records."""
    if change.status in DEPARTURE_CAUSES:
        stop = Month.of(change.date).next()
        runs = overpaid(session, person.id, {Programme.LIVING: stop, Programme.NURSING: stop})
        cause = f"{change.date.isoformat()}{DEPARTURE_CAUSES[change.status]}"
        return _record(session, person.id, runs, cause, change.date, status_change_id=change.id)
    if change.status == PersonStatus.ON_REGISTER and previous == PersonStatus.DEAD:
        records = [r for r in _raised_by_death(session, person.id) if r.state != OverpaymentState.CANCELLED]
        for record in records:
            record.state, record.settled_on = OverpaymentState.CANCELLED, change.date
            record.cancel_reason = f"恢复在册（死亡系误记）{'：' + change.reason if change.reason else ''}"
        session.flush()
        return records
    return []


def _raised_by_death(session: Session, person_id: int) -> list[Overpayment]:
    """The overpayments raised by the person's latest 死亡 (what undoing that death takes back)."""
    death = session.scalar(
        select(StatusChange.id).where(StatusChange.person_id == person_id, StatusChange.status == PersonStatus.DEAD)
        .order_by(StatusChange.date.desc(), StatusChange.id.desc()).limit(1))
    if death is None:
        return []
    return list(session.scalars(select(Overpayment).where(Overpayment.status_change_id == death)
                                .order_by(Overpayment.id)))


def _low_income_due(session: Session, household: Household) -> Entitled | None:
    """After 低保 ends, a 低收入 household is still due the living subsidy where the policy extends it."""
    if not household.low_income:
        return None
    from app.services.subsidies.policies import PolicyBook  # policies reads resources: only when needed

    book = PolicyBook.load(session)

    def due(programme: str, month: Month) -> int:
        rules = book.policies(month).living
        if programme != Programme.LIVING or rules is None or not rules.include_low_income:
            return 0
        return rules.low_income_fen

    return due


def dibao_runs(session: Session, household: Household, ended: dt.date) -> dict[int, list[OverpaidRun]]:
    """Per member: the living subsidy paid for confirmed months after 低保 ended on `ended`."""
    stops: dict[str, Month] = {Programme.LIVING: Month.of(ended).next()}
    due = _low_income_due(session, household)
    found = {}
    for member in household.members:
        runs = overpaid(session, member.id, stops, due)
        if runs:
            found[member.id] = runs
    return found


def dibao_notice(session: Session, household_id: int, ended: dt.date) -> str:
    """What ending the household's 低保 on `ended` means for its members' living subsidy, before saving."""
    household = session.get(Household, household_id)
    if household is None:
        return ""
    runs = dibao_runs(session, household, ended)
    stop = Month.of(ended).next()
    lines = []
    for member in household.members:
        paying = [p for p in paying_programmes(session, member.id) if p == Programme.LIVING]
        text = overpaid_text(paying, runs.get(member.id, []), stop)
        if text:
            lines.append(f"{member.name}：{text.replace('此人正在享受', '正在享受')}")
    return "\n".join(lines)


def after_dibao_ended(session: Session, household: Household, ended: dt.date) -> list[Overpayment]:
    """The household lost 低保 on `ended`: record the living subsidy paid to members for months after it."""
    records = []
    for person_id, runs in dibao_runs(session, household, ended).items():
        records += _record(session, person_id, runs, f"{ended.isoformat()}{DIBAO_LOST}", ended,
                           household_id=household.id)
    return records


def after_stop(session: Session, application: SubsidyApplication, on: dt.date) -> list[Overpayment]:
    """停发 from a month already confirmed and paid (a stop entered by hand for an earlier month)."""
    assert application.stop_month is not None
    stop = Month.of(application.stop_month)
    runs = overpaid(session, application.person_id, {application.programme: stop})
    return _record(session, application.person_id, runs, f"从{stop.label}起停发：{application.stop_reason}", on)


# --- recovering and writing off -------------------------------------------------------------------
def get_overpayment(session: Session, overpayment_id: int) -> Overpayment:
    found = session.get(Overpayment, overpayment_id)
    if found is None:
        raise NotFound("找不到这笔应追回款：请刷新后再试。")
    return found


def outstanding_fen(record: Overpayment) -> int:
    """What is still to recover: the amount less what was recovered or written off."""
    return record.amount_fen - sum(entry.amount_fen for entry in record.entries)


def _entry(session: Session, record: Overpayment, kind: str, on: dt.date, fen: int, how: str) -> Overpayment:
    if record.state != OverpaymentState.OWED:
        raise InputError(f"这笔款已是“{record.state}”，不能再登记追回或核销。")
    if on > dt.date.today():
        raise InputError("日期不能晚于今天：请核对日期。")
    if on < record.raised_on:
        raise InputError(f"日期早于记下应追回的日期（{record.raised_on.isoformat()}）：请核对日期。")
    left = outstanding_fen(record)
    if fen <= 0 or fen > left:
        raise InputError(f"金额应大于0、不超过未追回的{yuan(left)}元：请核对。")
    session.add(OverpaymentEntry(overpayment_id=record.id, kind=kind, date=on, amount_fen=fen, how=how.strip()))
    session.flush()
    session.refresh(record, ["entries"])
    if outstanding_fen(record) == 0:
        wrote_off = any(e.kind == Settlement.WRITE_OFF for e in record.entries)
        record.state = OverpaymentState.WRITTEN_OFF if wrote_off else OverpaymentState.RECOVERED
        record.settled_on = on
        session.flush()
    return record


def _row(session: Session, record: Overpayment) -> OverpaymentRow:
    # the ledger's reading module imports this one (months_text): imported here, when a row is made
    from app.services.subsidies.overpayment_ledger import overpayment_rows

    [row] = overpayment_rows(session, ids=[record.id])
    return row


@action(Changes.SUBSIDIES)
def recover(session: Session, overpayment_id: int, on: dt.date, amount_fen: int, how: str) -> OverpaymentRow:
    """已追回: money came back (all, or a part: the rest stays 应追回), with the date and how."""
    if not how.strip():
        raise InputError("请写明追回方式（如现金退回、银行转账退回）。")
    record = _entry(session, get_overpayment(session, overpayment_id), Settlement.RECOVERY, on, amount_fen, how)
    return _row(session, record)


@action(Changes.SUBSIDIES)
def write_off(session: Session, overpayment_id: int, on: dt.date, reason: str) -> OverpaymentRow:
    """核销: what is still owed is given up, for a reason the clerk writes (e.g. 家中无遗产可追, 经县残联批准)."""
    if not reason.strip():
        raise InputError("请写明核销原因（如经县残联批准、无力退还）。", field="reason")
    record = get_overpayment(session, overpayment_id)
    return _row(session, _entry(session, record, Settlement.WRITE_OFF, on, outstanding_fen(record), reason))

