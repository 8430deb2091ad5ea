"""Villages (村/社区) and their groups (组), created when a person is first placed in one."""

from __future__ import annotations


from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Village, VillageGroup


def village_named(session: Session, name: str) -> Village:
    """The village of that name, created if new."""
    name = name.strip()
    village = session.scalar(select(Village).where(Village.name == name))
    if village is None:
        order = session.scalar(select(func.count()).select_from(Village)) or 0
        village = Village(name=name, sort_order=order + 1)
        session.add(village)
        session.flush()
    return village


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
