"""Reading the overpayments (追回台账): the rows the ledger screen, the monthly review and the printed
追回通知/明细 show, and the period's figures for the yearly summary. Every amount is summed here once, from
the records: the amount raised, what was recovered and written off (the entries), what is still owed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, selectinload

from app.db.models import Overpayment, OverpaymentEntry, Person, Village
from app.domain.money import yuan, yuan_text
from app.domain.months import Month
from app.domain.words import OverpaymentState, Programme, Settlement
from app.services.actions import query
from app.services.subsidies.overpayments import months_text


@dataclass(frozen=True)
class OverpaymentRow:
    id: int
    person_id: int
    name: str
    village: str
    id_number: str
    programme: str
    first: Month
    last: Month
    months: int
    amount_fen: int
    recovered_fen: int
    written_off_fen: int
    cause: str
    raised_on: dt.date
    state: str
    settled_on: dt.date | None
    ways: str  # how it was recovered, and why written off or cancelled

    @property
    def outstanding_fen(self) -> int:
        if self.state == OverpaymentState.CANCELLED:
            return 0
        return self.amount_fen - self.recovered_fen - self.written_off_fen

    @property
    def months_text(self) -> str:
        return months_text(self.first, self.last)

    @property
    def programme_name(self) -> str:
        return Programme(self.programme).short

    def reason(self) -> str:
        """2026-08-15死亡，2026年9月至11月已发放300.00元，应追回300.00元 (what the review's list says)."""
        text = f"{self.cause}，{self.months_text}已发放{yuan(self.amount_fen)}元"
        if self.recovered_fen or self.written_off_fen:
            text += f"，尚欠{yuan(self.outstanding_fen)}元"
        return text


def overpayment_rows(session: Session, *, open_only: bool = False, year: int | None = None,
                     ids: list[int] | None = None, person_ids: list[int] | None = None) -> list[OverpaymentRow]:
    """The overpayments, newest first: only those still owed (open_only), raised in `year`, or these."""
    stmt = (
        select(Overpayment, Person.name, Village.name, Person.id_number)
        .join(Person, Person.id == Overpayment.person_id)
        .outerjoin(Village, Village.id == Person.village_id)
        .options(selectinload(Overpayment.entries))
        .order_by(Overpayment.raised_on.desc(), Overpayment.id.desc())
    )
    if open_only:
        stmt = stmt.where(Overpayment.state == OverpaymentState.OWED)
    if year is not None:
        stmt = stmt.where(Overpayment.raised_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    if ids is not None:
        stmt = stmt.where(Overpayment.id.in_(ids))
    if person_ids is not None:
        stmt = stmt.where(Overpayment.person_id.in_(person_ids))
    rows = []
    for record, name, village, id_number in session.execute(stmt):
        back = sum(e.amount_fen for e in record.entries if e.kind == Settlement.RECOVERY)
        off = sum(e.amount_fen for e in record.entries if e.kind == Settlement.WRITE_OFF)
        ways = "；".join(f"{e.date.isoformat()}{e.kind}{yuan(e.amount_fen)}元（{e.how}）" for e in record.entries)
        if record.state == OverpaymentState.CANCELLED:
            ways = "；".join(filter(None, [ways, f"{record.settled_on}撤销：{record.cancel_reason}"]))
        rows.append(OverpaymentRow(
            record.id, record.person_id, name, village or "", id_number, record.programme,
            Month.of(record.first_month), Month.of(record.last_month), record.months, record.amount_fen,
            back, off, record.cause, record.raised_on, record.state, record.settled_on, ways))
    return rows


@dataclass(frozen=True)
class OverpaymentPage:
    """The 追回台账 as shown: the rows (what is still owed, or a year's) and their totals, cancelled aside."""

    rows: list[OverpaymentRow]
    count: int
    persons: int
    amount_fen: int
    recovered_fen: int
    written_off_fen: int
    outstanding_fen: int

    def totals(self, shown: str) -> str:
        """尚未追回的：1笔1人，多发300.00元，已追回0.00元，核销0.00元，未追回300.00元。"""
        return (f"{shown}：{self.count}笔{self.persons}人，多发{yuan_text(self.amount_fen)}元，"
                f"已追回{yuan_text(self.recovered_fen)}元，核销{yuan_text(self.written_off_fen)}元，"
                f"未追回{yuan_text(self.outstanding_fen)}元。")


@query
def overpayment_page(session: Session, *, open_only: bool = False, year: int | None = None) -> OverpaymentPage:
    """The ledger's page: what is still owed (open_only) or what was raised in a year, with the totals."""
    rows = overpayment_rows(session, open_only=open_only, year=year)
    live = [r for r in rows if r.state != OverpaymentState.CANCELLED]
    return OverpaymentPage(rows, len(live), len({r.person_id for r in live}), sum(r.amount_fen for r in live),
                           sum(r.recovered_fen for r in live), sum(r.written_off_fen for r in live),
                           sum(r.outstanding_fen for r in live))


def overpayment_figures(session: Session, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The period's overpayments, cancelled ones aside: persons and amount raised in it, recovered and
    written off in it (entries dated in it), and what was still owed at its end. Amounts in fen."""
    raised = session.execute(
        select(func.count(func.distinct(Overpayment.person_id)), func.coalesce(func.sum(Overpayment.amount_fen), 0))
        .where(Overpayment.state != OverpaymentState.CANCELLED, Overpayment.raised_on.between(start, end))
    ).one()
    live = select(Overpayment.id).where(Overpayment.state != OverpaymentState.CANCELLED)
    entries = session.execute(
        select(func.coalesce(func.sum(case((OverpaymentEntry.kind == Settlement.RECOVERY, OverpaymentEntry.amount_fen),
                                           else_=0)), 0),
               func.coalesce(func.sum(case((OverpaymentEntry.kind == Settlement.WRITE_OFF, OverpaymentEntry.amount_fen),
                                           else_=0)), 0))
        .where(OverpaymentEntry.overpayment_id.in_(live), OverpaymentEntry.date.between(start, end))
    ).one()
    owed = session.scalar(
        select(func.coalesce(func.sum(Overpayment.amount_fen), 0))
        .where(Overpayment.state != OverpaymentState.CANCELLED, Overpayment.raised_on <= end)) or 0
    settled = session.scalar(
        select(func.coalesce(func.sum(OverpaymentEntry.amount_fen), 0))
        .join(Overpayment, Overpayment.id == OverpaymentEntry.overpayment_id)
        .where(and_(Overpayment.state != OverpaymentState.CANCELLED, Overpayment.raised_on <= end,
                    OverpaymentEntry.date <= end))
    ) or 0
    return {"persons": int(raised[0]), "amount_fen": int(raised[1]), "recovered_fen": int(entries[0]),
            "written_off_fen": int(entries[1]), "outstanding_fen": int(owed) - int(settled)}
