"""The county's side (县级汇总): county mode, and the towns that report to it with their registered keys."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import CountyPackage, CountyTown, Person
from app.errors import InputError
from app.services.actions import Changes, action, query
from app.services.settings import get_setting, set_setting

COUNTY_MODE = "county.mode"  # "是": this register is the county's, made of its towns' 上报包


def is_county(session: Session) -> bool:
    return get_setting(session, COUNTY_MODE) == "是"


def become_county(session: Session) -> None:
    """County mode for a register without a town's own persons; a town's register is refused (its data and
    the towns' would be mixed in one file)."""
    if is_county(session):
        return
    if session.scalar(select(func.count()).select_from(Person)):
        raise InputError("这是乡镇的登记册，不能导入上报包：请在县残联自己的数据文件中导入（用 --db 指定）。")
    set_setting(session, COUNTY_MODE, "是")


@query
def read_county_mode(session: Session) -> bool:
    """Whether the window shows the 县级汇总 tab."""
    return is_county(session)


@action(Changes.SETTINGS)
def change_county_mode(session: Session, on: bool) -> bool:
    """设置 → 县级汇总模式 (on only for a register without persons of its own)."""
    if on:
        become_county(session)
    else:
        set_setting(session, COUNTY_MODE, "")
    return is_county(session)


@dataclass(frozen=True)
class TownRow:
    """One line of the county's list of towns."""

    code: str
    name: str
    fingerprint: str
    last_sequence: int
    last_as_of: dt.date | None
    imported_at: dt.datetime | None


@query
def towns(session: Session) -> list[TownRow]:
    """The towns registered with the county, by 区划代码, with their last accepted package."""
    last = (select(CountyPackage.town_id, func.max(CountyPackage.imported_at).label("at"))
            .group_by(CountyPackage.town_id).subquery())
    stmt = (select(CountyTown, last.c.at).outerjoin(last, last.c.town_id == CountyTown.id)
            .order_by(CountyTown.code))
    return [TownRow(t.code, t.name, t.fingerprint, t.last_sequence, t.last_as_of, at)
            for t, at in session.execute(stmt)]
