"""Festival visits (节日慰问): a campaign and its lines, one per household. Money is integer fen."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base, now
from app.db.models.register import Household


class VisitCampaign(Base):
    """A named visit round, e.g. 2027年春节慰问."""

    __tablename__ = "visit_campaign"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    festival: Mapped[str] = mapped_column(String(10))
    date: Mapped[dt.date] = mapped_column(Date)
    budget_fen: Mapped[int] = mapped_column(Integer, default=0)
    standard_fen: Mapped[int] = mapped_column(Integer, default=0)  # per household
    goods: Mapped[str] = mapped_column(String(100), default="")  # or goods instead of / with money
    leader: Mapped[str] = mapped_column(String(40), default="")
    criteria: Mapped[str] = mapped_column(Text, default="{}")  # JSON of the selection the clerk saved
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    lines: Mapped[list[VisitLine]] = relationship(back_populates="campaign", order_by="VisitLine.id")


class VisitLine(Base):
    """One household on a campaign's list, why it is there, and what was given."""

    __tablename__ = "visit_line"
    __table_args__ = (UniqueConstraint("campaign_id", "household_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("visit_campaign.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    person_ids: Mapped[str] = mapped_column(String(200), default="")  # the disabled member(s): "12,40"
    reason: Mapped[str] = mapped_column(Text, default="")
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)
    goods: Mapped[str] = mapped_column(String(100), default="")
    included: Mapped[bool] = mapped_column(Boolean, default=True)
    by_hand: Mapped[bool] = mapped_column(Boolean, default=False)  # added by the clerk, not proposed
    removed_reason: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(6), default="")  # LineOutcome
    visited_on: Mapped[dt.date | None] = mapped_column(Date)
    given_fen: Mapped[int | None] = mapped_column(Integer)
    given_goods: Mapped[str] = mapped_column(String(100), default="")
    visitor: Mapped[str] = mapped_column(String(60), default="")
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    campaign: Mapped[VisitCampaign] = relationship(back_populates="lines")
    household: Mapped[Household] = relationship()
