"""The county's tables (县级汇总): the towns that report to it, the 上报包 accepted from each, the towns'
data as of their latest package (keyed by town and by the row's number in the town's own register), and
the 待核实 lines only the county can see. A town's register never uses these tables."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, now


class CountyTown(Base):
    """A town reporting to the county: its name, 统计用区划代码 and the public key its packages are signed
    with (registered once, after the fingerprint was confirmed by telephone)."""

    __tablename__ = "county_town"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)  # 统计用区划代码, 12 digits
    name: Mapped[str] = mapped_column(String(40))
    public_key: Mapped[str] = mapped_column(String(64))  # raw Ed25519 public key, hex
    fingerprint: Mapped[str] = mapped_column(String(60))
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)  # of the last package accepted
    last_as_of: Mapped[dt.date | None] = mapped_column(Date)
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class CountyPackage(Base):
    """One 上报包 accepted from a town: its sequence, date, the SHA-256 of its signed manifest (the same
    package again is known by it) and the town's own summaries it carried (JSON {year: figures})."""

    __tablename__ = "county_package"
    __table_args__ = (UniqueConstraint("town_id", "sequence"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("county_town.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[dt.date] = mapped_column(Date)
    manifest_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    program_version: Mapped[str] = mapped_column(String(20), default="")
    schema: Mapped[str] = mapped_column(String(40), default="")
    summaries: Mapped[str] = mapped_column(Text, default="{}")
    changes: Mapped[str] = mapped_column(Text, default="")  # what it changed, the lines shown on import
    forced: Mapped[bool] = mapped_column(Boolean, default=False)  # accepted although older (--force)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class CountyPerson(Base):
    """A person of a town's register as of its latest package. source_id is the person's number in the
    town's own register; bank accounts only when the county asked the towns for them."""

    __tablename__ = "county_person"
    __table_args__ = (UniqueConstraint("town_id", "source_id"), Index("ix_county_person_id_number", "id_number"))
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("county_town.id"))
    source_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    id_number: Mapped[str] = mapped_column(String(18))
    certificate_number: Mapped[str] = mapped_column(String(20), default="")
    sex: Mapped[str] = mapped_column(String(2), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    category: Mapped[int] = mapped_column(Integer, default=0)
    grade: Mapped[int] = mapped_column(Integer, default=0)
    village: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    household_source_id: Mapped[int | None] = mapped_column(Integer)
    labor_ability: Mapped[str] = mapped_column(String(4), default="")
    medical_insurance: Mapped[bool] = mapped_column(Boolean, default=False)
    bank_account: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(4))  # PersonStatus as of the package's date
    status_date: Mapped[dt.date | None] = mapped_column(Date)


class CountyHousehold(Base):
    """A town's household as of its latest package (the head named by the head's ID number)."""

    __tablename__ = "county_household"
    __table_args__ = (UniqueConstraint("town_id", "source_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("county_town.id"))
    source_id: Mapped[int] = mapped_column(Integer)
    village: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    head_id_number: Mapped[str] = mapped_column(String(18), default="")
    dibao: Mapped[bool] = mapped_column(Boolean, default=False)
    tekun: Mapped[bool] = mapped_column(Boolean, default=False)


class CountyStatusChange(Base):
    """A status change of a town's person (在册, 迁出, 死亡, 注销) with its date: the history as sent."""

    __tablename__ = "county_status_change"
    __table_args__ = (UniqueConstraint("town_id", "source_id"),
                      Index("ix_county_status_person", "town_id", "person_source_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("county_town.id"))
    source_id: Mapped[int] = mapped_column(Integer)
    person_source_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(4))
    date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")


class CountyPayment(Base):
    """A subsidy payment of a town (两项补贴: programme, month, amount in fen)."""

    __tablename__ = "county_payment"
    __table_args__ = (UniqueConstraint("town_id", "source_id"),
                      Index("ix_county_payment_person", "town_id", "person_source_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("county_town.id"))
    source_id: Mapped[int] = mapped_column(Integer)
    person_source_id: Mapped[int] = mapped_column(Integer)
    programme: Mapped[str] = mapped_column(String(20))
    month: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(Integer)


class CountyRecord(Base):
    """Other work a town reports: a device issued (辅助器具发放) or a festival visit line (节日慰问). kind says
    which; what is the device or the campaign; amount_fen a visit's money, quantity a device's count."""

    __tablename__ = "county_record"
    __table_args__ = (UniqueConstraint("town_id", "kind", "source_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("county_town.id"))
    kind: Mapped[str] = mapped_column(String(8))  # 器具发放 / 节日慰问
    source_id: Mapped[int] = mapped_column(Integer)
    person_source_id: Mapped[int | None] = mapped_column(Integer)
    household_source_id: Mapped[int | None] = mapped_column(Integer)
    date: Mapped[dt.date | None] = mapped_column(Date)
    what: Mapped[str] = mapped_column(String(100), default="")
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)


class CountyCheck(Base):
    """待核实: what only the county can see across towns (the same ID 在册 in two towns, a move out of one
    town into another, a death in one and payments in another, a roster total against the town's own
    summary). Both towns' facts in words; resolved by the county clerk with a note, never deleted."""

    __tablename__ = "county_check"
    __table_args__ = (UniqueConstraint("kind", "subject"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # CheckKind
    subject: Mapped[str] = mapped_column(String(80))  # what it is about: an ID number, or town code and year
    facts: Mapped[str] = mapped_column(Text)  # both towns' facts, one sentence
    found_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
