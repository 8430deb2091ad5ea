"""The two subsidies (两项补贴): policies as data (the relief kinds' default amounts too), applications with
their steps, monthly payments. Money is integer fen."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base, now
from app.db.models.register import Person
from app.domain.words import Stage


class PolicyVersion(Base):
    """The rules and amounts of one programme from a month on; a change is a new row, never an edit of the
    old one, so past months keep the rule they were paid under."""

    __tablename__ = "policy_version"
    __table_args__ = (UniqueConstraint("programme", "effective_month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme: Mapped[str] = mapped_column(String(20))  # a Programme (living / nursing) or a ReliefKind (临时救助 …)
    effective_month: Mapped[dt.date] = mapped_column(Date)  # the first day of the month it takes effect
    rules: Mapped[str] = mapped_column(Text)  # JSON: which persons qualify and the amounts in fen
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class SubsidyApplication(Base):
    """A person's application for one programme: 申请 → 初审 → 审核 → 审定 → 发放 (from start_month), or
    不予通过; a payment stops from stop_month (停发) with a reason."""

    __tablename__ = "subsidy_application"
    __table_args__ = (Index("ix_application_person_programme", "person_id", "programme"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    programme: Mapped[str] = mapped_column(String(20))  # Programme
    applied_on: Mapped[dt.date] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(8), default=Stage.APPLIED)  # the latest Stage
    start_month: Mapped[dt.date | None] = mapped_column(Date)
    stop_month: Mapped[dt.date | None] = mapped_column(Date)
    stop_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    person: Mapped[Person] = relationship()
    steps: Mapped[list[ApplicationStep]] = relationship(
        back_populates="application", order_by="(ApplicationStep.date, ApplicationStep.id)"
    )


class ApplicationStep(Base):
    """One step of an application, with its date and note."""

    __tablename__ = "application_step"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("subsidy_application.id"), index=True)
    step: Mapped[str] = mapped_column(String(8))  # Stage
    date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    application: Mapped[SubsidyApplication] = relationship(back_populates="steps")


class SubsidyPayment(Base):
    """One month's payment of one programme to one person, as put on that month's roster."""

    __tablename__ = "subsidy_payment"
    __table_args__ = (
        UniqueConstraint("person_id", "programme", "month"),
        Index("ix_payment_month", "month", "programme"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("subsidy_application.id"))
    programme: Mapped[str] = mapped_column(String(20))
    month: Mapped[dt.date] = mapped_column(Date)  # first day of the month
    amount_fen: Mapped[int] = mapped_column(Integer)
    policy_version_id: Mapped[int | None] = mapped_column(ForeignKey("policy_version.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    person: Mapped[Person] = relationship()
