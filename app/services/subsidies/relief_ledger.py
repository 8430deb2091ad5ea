"""The relief ledger (救助台账): one-off and yearly help the office records — 临时救助, 医疗救助, 教育补助,
精神残疾药物补助, 危房改造 (by household), 康复训练 — each entry with its date, amount or item, approver and
note; listed and totalled per year and per person. A wrong entry is cancelled with a reason, not deleted.

The clerk's actions are record_relief and cancel_relief; the 救助台账 page reads ledger_page, the 登记救助
dialog entry_defaults. ledger, totals and person_totals are the figures the summary and the person page
read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from app.db.models import Household, Person, ReliefEntry
from app.domain.money import yuan_text
from app.domain.months import Month
from app.domain.words import BY_HOUSEHOLD, ReliefKind
from app.errors import InputError, NotFound
from app.services.actions import Changes, action, query
from app.services.register import people
from app.services.settings import unit_info
from app.services.subsidies import policies


@action(Changes.SUBSIDIES)
def record_relief(session: Session, kind: str, *, person_id: int | None = None, household_id: int | None = None,
                  on: dt.date, amount_fen: int = 0, item: str = "", approver: str = "", note: str = "") -> int:
    """One ledger entry; returns its id. 危房改造 goes to a household (the person's household when a person
    is given)."""
    if kind not in tuple(ReliefKind):
        raise InputError(f"没有“{kind}”这一救助项目：应为{'、'.join(ReliefKind)}之一。")
    if on > dt.date.today():
        raise InputError("日期不能晚于今天：请核对日期。")
    if amount_fen < 0:
        raise InputError("金额不能为负数：请核对。")
    if person_id is not None:
        person = people.get_person(session, person_id)
        if kind in BY_HOUSEHOLD and household_id is None:
            household_id = person.household_id
    if kind in BY_HOUSEHOLD:
        if household_id is None or session.get(Household, household_id) is None:
            raise InputError("危房改造按户登记：请先选一户（或该户中的一人）。")
    elif person_id is None:
        raise InputError(f"{kind}按人登记：请先选择一个人。")
    if amount_fen == 0 and not item.strip():
        raise InputError("请填写金额，或写明发放的物品、项目（如康复训练的医院）。")
    entry = ReliefEntry(kind=kind, person_id=person_id, household_id=household_id, date=on, amount_fen=amount_fen,
                     item=item.strip(), approver=approver.strip(), note=note.strip())
    session.add(entry)
    session.flush()
    return entry.id


@action(Changes.SUBSIDIES)
def cancel_relief(session: Session, entry_id: int, reason: str) -> int:
    """A wrong entry is kept but no longer counted; the reason goes into its note. Returns its id."""
    if not reason.strip():
        raise InputError("请写明作废原因。")
    entry = session.get(ReliefEntry, entry_id)
    if entry is None:
        raise NotFound("找不到这条救助记录：请刷新后再试。")
    if entry.cancelled:
        raise InputError("这条记录已经作废。")
    entry.cancelled = True
    entry.note = (entry.note + "；" if entry.note else "") + f"作废：{reason.strip()}"
    session.flush()
    return entry.id


@dataclass(frozen=True)
class LedgerRow:
    id: int
    kind: str
    date: dt.date
    name: str  # the person, or the household's head
    amount_fen: int
    item: str
    approver: str
    note: str
    cancelled: bool
    person_id: int | None


def ledger(session: Session, *, year: int | None = None, kind: str | None = None,
           person_id: int | None = None, include_cancelled: bool = False, limit: int | None = None) -> list[LedgerRow]:
    """Entries, newest first, filtered by year, kind and person (a person also sees their household's);
    at most `limit` of them (a county's year holds tens of thousands)."""
    head = select(Person.name).where(Person.id == Household.head_person_id).correlate(Household).scalar_subquery()
    stmt: Select[*tuple[Any, ...]] = (  # as many columns as select() types: read by position into LedgerRow
        select(ReliefEntry.id, ReliefEntry.kind, ReliefEntry.date, func.coalesce(Person.name, head),
               ReliefEntry.amount_fen, ReliefEntry.item, ReliefEntry.approver, ReliefEntry.note, ReliefEntry.cancelled,
               ReliefEntry.person_id)
        .outerjoin(Person, Person.id == ReliefEntry.person_id)
        .outerjoin(Household, Household.id == ReliefEntry.household_id)
        .order_by(ReliefEntry.date.desc(), ReliefEntry.id.desc())
    )
    if year is not None:
        stmt = stmt.where(ReliefEntry.date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    if kind:
        stmt = stmt.where(ReliefEntry.kind == kind)
    if person_id is not None:
        household_id = people.get_person(session, person_id).household_id
        stmt = stmt.where((ReliefEntry.person_id == person_id) | and_(
            ReliefEntry.household_id == household_id, ReliefEntry.household_id.is_not(None),
            ReliefEntry.person_id.is_(None)))
    if not include_cancelled:
        stmt = stmt.where(ReliefEntry.cancelled.is_(False))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [LedgerRow(*row) for row in session.execute(stmt)]


@dataclass(frozen=True)
class KindTotal:
    kind: str
    entries: int
    persons: int
    households: int
    amount_fen: int


def totals(session: Session, start: dt.date, end: dt.date) -> dict[str, KindTotal]:
    """Per kind over the period: entries, distinct persons, distinct households, amount (cancelled not counted).
    A household entry's household is its own; a person's is the one they belong to."""
    household = func.coalesce(ReliefEntry.household_id, Person.household_id)
    stmt = (
        select(ReliefEntry.kind, func.count(), func.count(func.distinct(ReliefEntry.person_id)),
               func.count(func.distinct(household)), func.coalesce(func.sum(ReliefEntry.amount_fen), 0))
        .outerjoin(Person, Person.id == ReliefEntry.person_id)
        .where(ReliefEntry.cancelled.is_(False), ReliefEntry.date.between(start, end))
        .group_by(ReliefEntry.kind)
    )
    found = {kind: KindTotal(kind, n, persons, households, fen)
             for kind, n, persons, households, fen in session.execute(stmt)}
    return {kind: found.get(kind, KindTotal(kind, 0, 0, 0, 0)) for kind in ReliefKind}


def person_totals(session: Session, person_id: int, year: int | None = None) -> dict[str, int]:
    """Fen per kind received by one person (in a year, or ever)."""
    stmt = (select(ReliefEntry.kind, func.sum(ReliefEntry.amount_fen))
            .where(ReliefEntry.person_id == person_id, ReliefEntry.cancelled.is_(False)).group_by(ReliefEntry.kind))
    if year is not None:
        stmt = stmt.where(ReliefEntry.date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return {kind: int(fen or 0) for kind, fen in session.execute(stmt)}




@dataclass(frozen=True)
class LedgerPage:
    """The 救助台账 of a year: the newest entries (at most `shown`) and the year's totals line."""

    year: int
    rows: list[LedgerRow]
    totals: str  # 2026年合计：临时救助3人，2,400.00元；…
    more: bool  # there are more entries than the rows listed


@query
def ledger_page(session: Session, year: int, kind: str | None = None, shown: int = 1000) -> LedgerPage:
    """The page of the ledger for a year (one kind, or all): the newest `shown` entries; the totals always
    count the whole year."""
    rows = ledger(session, year=year, kind=kind, limit=shown + 1)
    parts = []
    for total in totals(session, dt.date(year, 1, 1), dt.date(year, 12, 31)).values():
        if total.entries:
            who = f"{total.households}户" if total.kind in BY_HOUSEHOLD else f"{total.persons}人"
            amount = f"{yuan_text(total.amount_fen)}元" if total.amount_fen else f"{total.entries}次"
            parts.append(f"{total.kind}{who}，{amount}")
    return LedgerPage(year, rows[:shown], f"{year}年合计：" + ("；".join(parts) if parts else "尚无记录"),
                      len(rows) > shown)


@dataclass(frozen=True)
class EntryDefaults:
    """What the 登记救助 dialog starts with: the approver (单位信息's 负责人) and each kind's default amount."""

    approver: str
    amount_fen: dict[str, int]


@query
def entry_defaults(session: Session, on: dt.date) -> EntryDefaults:
    month = Month.of(on)
    return EntryDefaults(unit_info(session).head,
                         {kind: policies.relief_default_fen.in_session(session, kind, month) for kind in ReliefKind})
