"""The register's tables: settings, villages and their groups, households, persons, status changes and the
audit log. Status and ability values are stored as the clerk's own words (app.domain.words)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base, now
from app.domain.words import PersonStatus


class Setting(Base):
    """单位信息 and other small settings, by key."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Village(Base):
    """村 or 社区."""

    __tablename__ = "village"
    # A name is a village once in its town (revision 0013): two towns of a county often both have a 中心村 or
    # a 新庄村, and on the county's server each town's clerk makes their own. A village no town is named for
    # (county staff's, on a server whose villages are many towns') is unique by its name alone.
    __table_args__ = (
        Index("uq_village_town_name", "town", "name", unique=True),
        Index("uq_village_name_without_town", "name", unique=True,
              sqlite_where=sql_text("town IS NULL")),
        # on PostgreSQL the same WHERE is revision 0013's: naming postgresql_where here would load SQLAlchemy's
        # PostgreSQL dialect at every start of a file's window (0.1-0.2 s); the schema test holds both stores
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # The town (乡镇) by its name, as 单位信息 and `admin add-clerk --town` say it: a county's server holds
    # one county, whose town names are distinct, and the name is what the clerk and the administrator type
    # (a 12-digit 区划代码 changes when towns are merged and nobody in the office knows it by heart). A
    # town's own file is one town: there it is only carried, so that a move to the county's server keeps it.
    town: Mapped[str | None] = mapped_column(String(40), index=True)
    groups: Mapped[list[VillageGroup]] = relationship(back_populates="village", order_by="VillageGroup.name")


class VillageGroup(Base):
    """组 (村民小组) within a village."""

    __tablename__ = "village_group"
    __table_args__ = (UniqueConstraint("village_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    village: Mapped[Village] = relationship(back_populates="groups")


class Household(Base):
    """户: the unit 低保, 特困供养 and house renovation are given to."""

    __tablename__ = "household"
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("village_group.id"))
    address: Mapped[str] = mapped_column(String(200), default="")
    head_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", use_alter=True, name="fk_household_head"), index=True
    )
    dibao: Mapped[bool] = mapped_column(Boolean, default=False)  # 低保户
    dibao_class: Mapped[int | None] = mapped_column(Integer)  # 1..4 for 一类..四类
    tekun: Mapped[bool] = mapped_column(Boolean, default=False)  # 特困供养
    low_income: Mapped[bool] = mapped_column(Boolean, default=False)  # 低收入
    # 低保停止日期: the day 低保 ended, so that the living subsidy stops from the month after it and money paid
    # for later months is known to be overpaid (None while 低保 lasts, or when the date was never recorded)
    dibao_ended: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, onupdate=now)
    # SQLAlchemy's version counter: every UPDATE says WHERE version = the one read and adds one, so two
    # clerks' saves of the same household cannot both land (app.services.register.meanwhile)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    village: Mapped[Village | None] = relationship()
    group: Mapped[VillageGroup | None] = relationship()
    members: Mapped[list[Person]] = relationship(
        back_populates="household", foreign_keys="Person.household_id", order_by="Person.id"
    )
    head: Mapped[Person | None] = relationship(foreign_keys=[head_person_id], post_update=True)


class Person(Base):
    """A disabled resident on the register (or once on it: nothing is ever deleted)."""

    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_status_village", "status", "village_id"),
        Index("ix_person_initials", "initials"),
        Index("ix_person_pinyin", "pinyin"),
        Index("ix_person_status_pinyin", "status", "pinyin"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    certificate_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    sex: Mapped[str] = mapped_column(String(2))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[int] = mapped_column(Integer, index=True)  # 1..7, GB/T 26341
    components: Mapped[str] = mapped_column(String(20), default="")  # 多重: "4,5"
    grade: Mapped[int] = mapped_column(Integer, index=True)  # 1..4
    certificate_issued: Mapped[dt.date | None] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    guardian: Mapped[str] = mapped_column(String(40), default="")
    guardian_phone: Mapped[str] = mapped_column(String(40), default="")
    ethnicity: Mapped[str] = mapped_column(String(20), default="汉族")
    education: Mapped[str] = mapped_column(String(20), default="")
    labor_ability: Mapped[str] = mapped_column(String(4), default="")  # LaborAbility, or "" when not known
    employment: Mapped[str] = mapped_column(String(40), default="")
    self_care: Mapped[str] = mapped_column(String(8), default="")  # SelfCare, or "" when not known
    lives_alone: Mapped[bool] = mapped_column(Boolean, default=False)
    medical_insurance: Mapped[bool] = mapped_column(Boolean, default=False)  # 城乡居民医保
    bank_name: Mapped[str] = mapped_column(String(60), default="")
    bank_account: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # What rules out or limits the two subsidies (DOMAIN.md): 工伤保险生活护理费, 孤儿/事实无人抚养儿童 allowance,
    # and an overlapping old-age / 因公伤残 / 离休 allowance, of which the higher one is paid (择高).
    work_injury_care: Mapped[bool] = mapped_column(Boolean, default=False)
    orphan_allowance: Mapped[bool] = mapped_column(Boolean, default=False)
    other_allowance_kind: Mapped[str] = mapped_column(String(20), default="")
    other_allowance_fen: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(4), default=PersonStatus.ON_REGISTER)
    status_date: Mapped[dt.date | None] = mapped_column(Date)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("village_group.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    initials: Mapped[str] = mapped_column(String(40), default="")  # search: 张三 -> zs
    pinyin: Mapped[str] = mapped_column(String(120), default="")  # search: zhangsan
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, onupdate=now)
    # as Household.version: a form saved over another clerk's save of the same person is refused
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    village: Mapped[Village | None] = relationship()
    group: Mapped[VillageGroup | None] = relationship()
    household: Mapped[Household | None] = relationship(back_populates="members", foreign_keys=[household_id])
    status_changes: Mapped[list[StatusChange]] = relationship(
        back_populates="person", order_by="(StatusChange.date, StatusChange.id)"
    )


class StatusChange(Base):
    """One change of a person's status (在册 on registering, 迁出, 死亡, 注销, back to 在册) with its date."""

    __tablename__ = "status_change"
    # a person's latest change on or before a day (status_at, read for every person by the yearly summary,
    # the visit proposals and the registers of a day) answered from the index alone (revision 0014)
    __table_args__ = (Index("ix_status_change_person_latest", "person_id", "date", "id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    status: Mapped[str] = mapped_column(String(4))  # PersonStatus
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    person: Mapped[Person] = relationship(back_populates="status_changes")


class AuditEntry(Base):
    """Every change to any record: when, what, the value before and after. Written by app/db/audit.py."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    actor: Mapped[str] = mapped_column(String(40), default="")
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(8))  # 新增 / 修改
    field: Mapped[str] = mapped_column(String(40), default="")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    # On a county's server, the town whose clerks may read this row (set by the server: app/db/town_security)
    town: Mapped[str | None] = mapped_column(String(40))


class Clerk(Base):
    """A clerk of a county's shared server: their PostgreSQL login and their town, or no town for 县残联 staff
    (who see every town). Made by `canlian admin add-clerk`; empty in a town's own file."""

    __tablename__ = "clerk"

    login: Mapped[str] = mapped_column(String(63), primary_key=True)  # PostgreSQL's longest name
    town: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
