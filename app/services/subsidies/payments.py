"""The payment roster of a month and confirming it (确认发放).

The roster of a month is: every application at 发放 (or stopped later) whose start month is at or
before the month and whose stop month, if any, is after it, for persons still on the register in that
month (nobody is paid after the month of death or moving out, even before the clerk confirms the stop);
the amount is the policy version in force for that month. A person without a disability certificate is
never on it (both subsidies require one: the review lists them to stop). Confirming writes one
SubsidyPayment row per line: a confirmed month reads its rows (its amounts never change when a policy is
edited later), and confirming again only adds lines that were not there yet.

confirm_month is the clerk's 确认发放 (long: a county's month is tens of thousands of lines) and
roster_state the line over the tab; roster_lines, printed_roster and month_totals are the figures every
screen, form and summary reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.models import AuditEntry, Household, Person, SubsidyApplication, SubsidyPayment, Village
from app.domain import subsidy_rules
from app.domain.dates import moment_text
from app.domain.money import yuan_text
from app.domain.months import Month
from app.domain.subsidy_rules import HouseholdFacts
from app.domain.words import PersonStatus, Programme
from app.errors import InputError
from app.services.actions import Changes, Progress, action, query
from app.services.subsidies.facts import facts_for_ids
from app.services.subsidies.policies import PolicyBook, PolicyRecord, install_defaults

PROGRAMME_ORDER = (Programme.LIVING, Programme.NURSING)


@dataclass(frozen=True)
class RosterLine:
    person_id: int
    application_id: int | None
    programme: str
    amount_fen: int
    policy_version_id: int | None
    confirmed: bool  # already a SubsidyPayment row


def paying_applications(month: Month) -> ColumnElement[bool]:
    """The condition "this application pays in this month" (start <= month < stop)."""
    day = month.first_day
    return and_(
        SubsidyApplication.start_month.is_not(None), SubsidyApplication.start_month <= day,
        or_(SubsidyApplication.stop_month.is_(None), SubsidyApplication.stop_month > day),
    )


def still_on_register(month: Month) -> ColumnElement[bool]:
    """Persons on the register in that month: 在册, or left on or after its first day."""
    return or_(Person.status == PersonStatus.ON_REGISTER, Person.status_date >= month.first_day)


def _last_paid(session: Session, pairs: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
    if not pairs:
        return {}
    ids = sorted({p for p, _ in pairs})
    stmt = select(SubsidyPayment.person_id, SubsidyPayment.programme, SubsidyPayment.amount_fen,
                  func.row_number().over(partition_by=(SubsidyPayment.person_id, SubsidyPayment.programme),
                                         order_by=SubsidyPayment.month.desc()).label("n"))
    if len(ids) <= 900:  # else the whole table: rare (many stops pending at once), still one query
        stmt = stmt.where(SubsidyPayment.person_id.in_(ids))
    latest = stmt.subquery()
    rows = session.execute(select(latest.c.person_id, latest.c.programme, latest.c.amount_fen).where(latest.c.n == 1))
    return {(p, prog): fen for p, prog, fen in rows}


def computed_lines(session: Session, month: Month, book: PolicyBook | None = None) -> list[RosterLine]:
    """The month's lines from the applications (what confirming would write), without the confirmed ones."""
    book = book or PolicyBook.load(session)
    policies = book.policies(month)
    versions: dict[str, PolicyRecord | None] = {p: book.record(p, month) for p in PROGRAMME_ORDER}
    paid = {(pid, prog) for pid, prog in session.execute(
        select(SubsidyPayment.person_id, SubsidyPayment.programme).where(SubsidyPayment.month == month.first_day)
    )}
    apps = session.execute(
        select(SubsidyApplication.id, SubsidyApplication.person_id, SubsidyApplication.programme)
        .join(Person, Person.id == SubsidyApplication.person_id)
        .where(paying_applications(month), still_on_register(month))
    ).all()
    wanted = [(app_id, pid, prog) for app_id, pid, prog in apps if (pid, prog) not in paid and versions.get(prog)]
    facts = {pid: (person, household) for pid, person, household in facts_for_ids(session, [w[1] for w in wanted])}
    fallback: dict[tuple[int, str], int] | None = None
    lines = []
    for app_id, pid, prog in wanted:
        person, household = facts[pid]
        fen = _amount(policies, prog, person, household, month)
        if fen == NOT_PAID:
            continue
        if fen is None:
            if fallback is None:
                fallback = _last_paid(session, [(w[1], w[2]) for w in wanted])
            fen = fallback.get((pid, prog))
        if fen is None:
            continue
        version = versions[prog]
        lines.append(RosterLine(pid, app_id, prog, fen, version.id if version else None, False))
    return lines


NOT_PAID = -1  # _amount: not on the roster at all


def _amount(policies: subsidy_rules.Policies, programme: str, person: subsidy_rules.PersonFacts,
            household: subsidy_rules.HouseholdFacts | None, month: Month) -> int | None:
    """The amount the policy gives; for a person who no longer qualifies (still paid until the clerk
    confirms the stop the review proposes) the standard amount of their grade or 低保 class, None when
    there is none (the last amount paid is used). NOT_PAID: a person without a certificate (both
    subsidies require one), and months from a stop the register dates (the month after 低保 ended)."""
    living, nursing = policies.living, policies.nursing
    if programme == Programme.LIVING:
        decision = subsidy_rules.living_decision(living, person, household, month)
    else:
        decision = subsidy_rules.nursing_decision(nursing, person, household, month)
    if decision.qualifies:
        return decision.amount_fen
    if not person.has_certificate or (decision.stop_from is not None and decision.stop_from <= month):
        return NOT_PAID
    if programme == Programme.LIVING:
        return None if living is None else subsidy_rules.living_amount(living, household or HouseholdFacts())[0]
    return None if nursing is None else subsidy_rules.nursing_amount(nursing, person)[0]


def confirmed_lines(session: Session, month: Month) -> list[RosterLine]:
    rows = session.execute(
        select(SubsidyPayment.person_id, SubsidyPayment.application_id, SubsidyPayment.programme,
               SubsidyPayment.amount_fen, SubsidyPayment.policy_version_id)
        .where(SubsidyPayment.month == month.first_day)
    )
    return [RosterLine(p, a, prog, fen, v, True) for p, a, prog, fen, v in rows]


def roster_lines(session: Session, month: Month) -> list[RosterLine]:
    """The month's roster: the confirmed payments and any lines not yet confirmed."""
    return confirmed_lines(session, month) + computed_lines(session, month)


_STEP = 500  # payments written between two reports of progress


@action(Changes.SUBSIDIES, long=True)
def confirm_month(session: Session, month: Month, today: dt.date | None = None, *,
                  progress: Progress | None = None) -> int:
    """确认发放: record this month's payments; returns how many lines were added. A month confirmed with
    nothing new since is refused, naming who confirmed it and when (two clerks confirming the same month:
    the second is told so, whether it comes after the first or at the same moment)."""
    today = today or dt.date.today()
    if month > Month.of(today):
        raise InputError(f"{month.label}还没到，不能确认发放：请选择本月或以前的月份。")
    if progress is not None:
        progress(0, 0, f"正在计算{month.label}的发放名单……")
    install_defaults(session)  # so each payment names the saved version it was paid under
    lines = computed_lines(session, month)
    if not lines and is_confirmed(session, month):
        raise already_confirmed(session, month)
    try:
        # One payment per person, programme and month (a unique key): a clerk confirming the same lines
        # at the same moment on another computer has written them first, and these are refused whole.
        with session.begin_nested():
            _write_payments(session, month, lines, progress)
    except IntegrityError:
        if not is_confirmed(session, month):
            raise
        raise already_confirmed(session, month) from None
    if progress is not None:
        progress(len(lines), len(lines), f"正在记下{month.label}的发放：{len(lines)}/{len(lines)}笔")
    return len(lines)


def _write_payments(session: Session, month: Month, lines: list[RosterLine], progress: Progress | None) -> None:
    for start in range(0, len(lines), _STEP):
        if progress is not None:
            progress.check()
            progress(start, len(lines), f"正在记下{month.label}的发放：{start}/{len(lines)}笔")
        session.add_all(
            SubsidyPayment(person_id=line.person_id, application_id=line.application_id, programme=line.programme,
                           month=month.first_day, amount_fen=line.amount_fen,
                           policy_version_id=line.policy_version_id)
            for line in lines[start : start + _STEP]
        )
        session.flush()


def already_confirmed(session: Session, month: Month) -> InputError:
    """The refusal of confirming a month again, with who confirmed it last and when (its audit row)."""
    last = session.scalar(select(func.max(SubsidyPayment.id)).where(SubsidyPayment.month == month.first_day))
    found = session.execute(
        select(AuditEntry.actor, AuditEntry.at)
        .where(AuditEntry.entity == SubsidyPayment.__tablename__, AuditEntry.entity_id == last)
        .order_by(AuditEntry.id).limit(1)
    ).first() if last is not None else None
    by = f"已由{found[0]}于{moment_text(found[1])}" if found is not None else "已"
    return InputError(f"{month.label}{by}确认发放，没有新增的待确认名单，不能重复确认：请查看本月花名册。")


def is_confirmed(session: Session, month: Month) -> bool:
    return bool(session.scalar(select(func.count()).select_from(SubsidyPayment)
                               .where(SubsidyPayment.month == month.first_day)))


@dataclass(frozen=True)
class PrintedLine:
    """A roster line with what the form prints about the person."""

    line: RosterLine
    name: str
    sex: str
    id_number: str
    certificate_number: str
    category: int
    components: str
    grade: int
    village: str
    bank_name: str
    bank_account: str


def printed_roster(session: Session, month: Month) -> list[PrintedLine]:
    """The roster in print order: living subsidy first, then nursing; by village, then by name."""
    lines = roster_lines(session, month)
    people: dict[int, Any] = {}
    ids = sorted({line.person_id for line in lines})
    for start in range(0, len(ids), 900):
        stmt = (
            select(Person.id, Person.name, Person.sex, Person.id_number, Person.certificate_number,
                   Person.category, Person.components, Person.grade, Village.name, Village.sort_order,
                   Person.pinyin, Person.bank_name, Person.bank_account)
            .outerjoin(Village, Village.id == Person.village_id)
            .outerjoin(Household, Household.id == Person.household_id)
            .where(Person.id.in_(ids[start : start + 900]))
        )
        for row in session.execute(stmt):
            people[row[0]] = tuple(row)
    order: dict[str, int] = {p: i for i, p in enumerate(PROGRAMME_ORDER)}

    def key(line: RosterLine) -> tuple[object, ...]:
        row = people[line.person_id]
        return order.get(line.programme, 9), row[8] is None, row[9] or 0, row[8] or "", row[10] or "", line.person_id

    printed = []
    for line in sorted(lines, key=key):
        (_pid, name, sex, id_number, cert, category, components, grade, village, _order, _pinyin, bank,
         account) = people[line.person_id]
        printed.append(PrintedLine(line, name, sex, id_number, cert or "", category, components or "", grade,
                                   village or "", bank or "", account or ""))
    return printed


def month_totals(lines: list[RosterLine]) -> dict[str, tuple[int, int]]:
    """(lines, fen) per programme."""
    totals: dict[str, tuple[int, int]] = {p: (0, 0) for p in Programme}
    for line in lines:
        count, fen = totals[line.programme]
        totals[line.programme] = (count + 1, fen + line.amount_fen)
    return totals


@dataclass(frozen=True)
class RosterState:
    """The month's roster as the tab's top line says it, and what the clerk may do with it."""

    month: Month
    totals: dict[str, tuple[int, int]]  # (lines, fen) per programme (month_totals)
    total_fen: int
    confirmed: bool  # some payment of the month was confirmed
    pending: int  # lines not confirmed yet
    can_confirm: bool  # a month come, with lines to confirm

    @property
    def final(self) -> bool:
        """Every line confirmed: the printed roster is the final one, else a draft (草表)."""
        return self.confirmed and not self.pending

    @property
    def text(self) -> str:
        """2026年11月发放花名册（尚未确认发放）：困难残疾人生活补贴1人100.00元；…；合计200.00元。"""
        state = "已确认发放" if self.final else "部分已确认，有新增待确认" if self.confirmed else "尚未确认发放"
        parts = [f"{Programme(p).full_name}{n}人{yuan_text(fen)}元" for p, (n, fen) in self.totals.items()]
        return (f"{self.month.label}发放花名册（{state}）：" + "；".join(parts)
                + f"；合计{yuan_text(self.total_fen)}元。")


@query
def roster_state(session: Session, month: Month, today: dt.date | None = None) -> RosterState:
    """The month's roster in figures: per programme, the total, and whether it is confirmed."""
    lines = roster_lines(session, month)
    pending = sum(1 for line in lines if not line.confirmed)
    return RosterState(month, month_totals(lines), sum(line.amount_fen for line in lines),
                       is_confirmed(session, month), pending,
                       month <= Month.of(today or dt.date.today()) and pending > 0)
