"""Overpayments of the two subsidies (应追回): money paid for months after a payment should have stopped,
when a death, a move or a lost 低保 is recorded after those months were confirmed. Each is a receivable
kept until the clerk records it recovered (已追回) or writes the rest off (核销) with a reason; one recorded in
error (a person restored to the register) is cancelled (已撤销). Money is integer fen; nothing is deleted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base, now
from app.db.models.register import Person
from app.domain.words import OverpaymentState


class Overpayment(Base):
    """One programme's overpaid months of one person: first..last month (the months paid after the stop),
    the amount, why (cause, cause_date) and what became of it (state)."""

    __tablename__ = "overpayment"
    __table_args__ = (Index("ix_overpayment_person", "person_id", "programme"),
                      Index("ix_overpayment_state", "state"))
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    programme: Mapped[str] = mapped_column(String(20))  # living / nursing
    application_id: Mapped[int | None] = mapped_column(ForeignKey("subsidy_application.id"))
    first_month: Mapped[dt.date] = mapped_column(Date)  # first day of the first month overpaid
    last_month: Mapped[dt.date] = mapped_column(Date)
    months: Mapped[int] = mapped_column(Integer)  # months paid in first..last
    amount_fen: Mapped[int] = mapped_column(Integer)
    cause: Mapped[str] = mapped_column(Text)  # as the clerk reads it: 2026-08-15死亡, 从2026年9月起停发：…
    cause_date: Mapped[dt.date] = mapped_column(Date)
    status_change_id: Mapped[int | None] = mapped_column(ForeignKey("status_change.id"))  # the death or move
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))  # the household that lost 低保
    raised_on: Mapped[dt.date] = mapped_column(Date)  # the day the late report was recorded
    state: Mapped[str] = mapped_column(String(4), default=OverpaymentState.OWED)
    settled_on: Mapped[dt.date | None] = mapped_column(Date)  # the day it became 已追回, 核销 or 已撤销
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    person: Mapped[Person] = relationship()
    entries: Mapped[list[OverpaymentEntry]] = relationship(
        back_populates="overpayment", order_by="(OverpaymentEntry.date, OverpaymentEntry.id)"
    )


class OverpaymentEntry(Base):
    """One recovery (追回: date, amount, how it came back) or write-off (核销: date, amount, the reason)."""

    __tablename__ = "overpayment_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    overpayment_id: Mapped[int] = mapped_column(ForeignKey("overpayment.id"), index=True)
    kind: Mapped[str] = mapped_column(String(4))  # Settlement: 追回 / 核销
    date: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(Integer)
    how: Mapped[str] = mapped_column(Text, default="")  # 追回方式, or 核销原因
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    overpayment: Mapped[Overpayment] = relationship(back_populates="entries")
