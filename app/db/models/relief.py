"""The relief ledger (救助台账): one-off and yearly help the office records — 临时救助, 医疗救助, 教育补助,
精神残疾药物补助, 危房改造 (by household), 康复训练. Money is integer fen; a mistaken entry is cancelled,
never deleted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base, now
from app.db.models.register import Household, Person


class ReliefEntry(Base):
    """One entry of the relief ledger: to a person, or (危房改造) to a household."""

    __tablename__ = "relief_entry"
    __table_args__ = (Index("ix_relief_kind_date", "kind", "date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # ReliefKind
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)
    item: Mapped[str] = mapped_column(String(100), default="")  # goods, a hospital, a school …
    approver: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    cancelled: Mapped[bool] = mapped_column(default=False)  # entered by mistake: kept, not counted
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    person: Mapped[Person | None] = relationship()
    household: Mapped[Household | None] = relationship()
