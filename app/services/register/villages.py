"""Villages (村/社区) and their groups (组), created when a person is first placed in one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.db.models import Setting, Village, VillageGroup
from app.errors import InputError
from app.services.actions import query


def village_named(session: Session, name: str) -> Village:
    """The village of that name, created if new. On a county's server two towns may each have one of that
    name (revision 0013): a town clerk sees only their own; county staff seeing several are told so."""
    name = name.strip()
    found = session.scalars(select(Village).where(Village.name == name).order_by(Village.town)).all()
    if len(found) > 1:
        towns = "、".join(v.town or "未写乡镇" for v in found)
        raise InputError(f"“{name}”不止一个乡镇有（{towns}）：请由该镇的经办人登记，"
                         "或在人员原来所在的村里修改。")
    village = found[0] if found else None
    if village is None:
        order = session.scalar(select(func.count()).select_from(Village)) or 0
        village = Village(name=name, sort_order=order + 1, town=_town_of_new_village(session))
        session.add(village)
        session.flush()
    return village


def _town_of_new_village(session: Session) -> str | None:
    """The town a new village is in: that of the villages there are when they are one town (a town's file; a
    town clerk on the county's server, who sees their town's only and whose town the server sets anyway),
    else 单位信息's town in a register without villages yet; None where the villages are many towns' (county
    staff on the county's server name the town themselves)."""
    towns = session.scalars(select(Village.town).distinct().limit(2)).all()
    if len(towns) == 1:
        return towns[0]
    if towns:
        return None
    town = session.scalar(select(Setting.value).where(Setting.key == "unit.town"))
    return town.strip() or None if town else None


def group_named(session: Session, village: Village, name: str) -> VillageGroup:
    group = session.scalar(
        select(VillageGroup).where(VillageGroup.village_id == village.id, VillageGroup.name == name)
    )
    if group is None:
        group = VillageGroup(village_id=village.id, name=name)
        session.add(group)
        session.flush()
    return group


def list_villages(session: Session) -> list[Village]:
    return list(session.scalars(select(Village).order_by(Village.sort_order, Village.name)))


@dataclass(frozen=True)
class VillageChoice:
    """A village on file as the lists offer it (the register's filter, the form's 村 and 组)."""

    id: int
    name: str
    groups: tuple[str, ...]


@query
def village_choices(session: Session) -> tuple[VillageChoice, ...]:
    """The villages on file in their order, each with its groups by name."""
    villages = session.scalars(select(Village).order_by(Village.sort_order, Village.name)
                               .options(selectinload(Village.groups)))
    return tuple(VillageChoice(v.id, v.name, tuple(g.name for g in v.groups)) for v in villages)
