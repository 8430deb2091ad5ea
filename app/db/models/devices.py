"""Devices (辅助器具, 康复器材): the catalogue, stock movements (stock is always their sum), receipts (领取单)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base, now
from app.db.models.register import Person


class DeviceType(Base):
    """A kind of device in the catalogue, e.g. 普通轮椅."""

    __tablename__ = "device_type"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    category: Mapped[str] = mapped_column(String(10))  # 肢体, 视力, 听力 … (the catalogue's grouping)
    unit: Mapped[str] = mapped_column(String(6), default="件")
    reusable: Mapped[bool] = mapped_column(Boolean, default=False)  # can come back into stock
    use_period_months: Mapped[int] = mapped_column(Integer, default=0)  # before a replacement; 0: none
    suits_categories: Mapped[str] = mapped_column(String(20), default="")  # "4" or "1,7"; "": any
    suits_grades: Mapped[str] = mapped_column(String(10), default="")  # "1,2"; "": any
    needs_assessment: Mapped[bool] = mapped_column(Boolean, default=False)
    has_serial: Mapped[bool] = mapped_column(Boolean, default=False)
    reorder_level: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped by every movement first, so that two issues of the last item are serialised by the database.
    stock_version: Mapped[int] = mapped_column(Integer, default=0)


class DeviceReceipt(Base):
    """领取单: one or more items issued to one person at once."""

    __tablename__ = "device_receipt"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # e.g. 2026-0031
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    clerk: Mapped[str] = mapped_column(String(40), default="")
    checker: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    person: Mapped[Person] = relationship()


class StockMovement(Base):
    """One movement of stock: a receipt in (入库), an issue (发放), a return (退回) or a write-off (报损)."""

    __tablename__ = "stock_movement"
    __table_args__ = (Index("ix_movement_type_date", "device_type_id", "date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    device_type_id: Mapped[int] = mapped_column(ForeignKey("device_type.id"))
    kind: Mapped[str] = mapped_column(String(4))  # Movement
    date: Mapped[dt.date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)  # always positive; kind says the direction
    source: Mapped[str] = mapped_column(String(60), default="")  # 县残联调拨 / a donor
    batch: Mapped[str] = mapped_column(String(40), default="")
    serial: Mapped[str] = mapped_column(String(40), default="")
    model: Mapped[str] = mapped_column(String(40), default="")  # 型号
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("device_receipt.id"), index=True)
    returned_movement_id: Mapped[int | None] = mapped_column(ForeignKey("stock_movement.id"))
    condition: Mapped[str] = mapped_column(String(20), default="")  # of a returned item
    reason: Mapped[str] = mapped_column(Text, default="")  # write-off reason, or why a warning was overridden
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    device_type: Mapped[DeviceType] = relationship()
    person: Mapped[Person | None] = relationship()
