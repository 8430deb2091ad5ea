"""The demo town (`canlian demo`): a fictional township with five years of history, so every screen,
report and figure has something true-to-life to show. Deterministic for a seed.

It runs as steps over one DemoTown: first the register, then each later step (subsidies, visits, devices)
reads the town built so far, writes its own records and adds its counts. Add a step to STEPS.

fill_demo works in a caller's transaction (tests build towns with it); load_demo is the clerk's 载入演示乡镇
(the window's first start, `canlian demo`), and sample_person picks a person worth showing (the screenshots)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.collection import without_automatic_gc
from app.db.models import AuditEntry, Household, Person, Village, VillageGroup
from app.demo.context import DemoCounts, DemoTown
from app.demo.devices import devices_step
from app.demo.load import write_register
from app.demo.register import build_register
from app.demo.relief import relief_step
from app.demo.subsidies import subsidies_step
from app.demo.visits import visits_step
from app.domain.words import PersonStatus
from app.errors import InputError
from app.services.actions import Changes, Progress, job, query
from app.services.settings import UnitInfo, save_unit_info, unit_info

if TYPE_CHECKING:
    from app.db.engine import Database

__all__ = ["STEPS", "DemoCounts", "DemoTown", "fill_demo", "load_demo", "sample_person"]

DEMO_ACTOR = "演示数据"  # the audit names the demo town's rows as such, not as the clerk's work

TOWN = "金塔镇"
DEMO_UNIT = UnitInfo(town=TOWN, office=f"{TOWN}残疾人联合会", clerk="李红梅", reviewer="张建国",
                     head="王志强", phone="0937-4421234", code="620921100000")

Step = Callable[[DemoTown], None]


def demo_unit(town: str) -> UnitInfo:
    """The 单位信息 of a demo town: 金塔镇's own, or for another name (a county of demo towns) that town's,
    with a 区划代码 of its own in the demo county 620921: the town's three digits taken from its name."""
    if town == TOWN:
        return DEMO_UNIT
    digits = 101 + int(hashlib.sha256(town.encode("utf-8")).hexdigest(), 16) % 899
    return dataclasses.replace(DEMO_UNIT, town=town, office=f"{town}残疾人联合会", code=f"620921{digits:03d}000")


def _count_register(town: DemoTown) -> None:
    counts = town.counts
    on_register = town.on_register()
    counts.registered = len(on_register)
    counts.villages = len(town.villages)
    counts.households = sum(1 for h in town.households if any(m.on_register for m in h.members))
    counts.dibao_persons = sum(1 for p in on_register if p.household.dibao)
    counts.labor_capable = sum(1 for p in on_register if p.row["labor_ability"] == "有")
    counts.insured = sum(1 for p in on_register if p.row["medical_insurance"])
    counts.new_registrations = sum(1 for p in town.persons if p.registered >= town.start)
    counts.deaths = sum(1 for p in town.persons if p.left and p.left[0] == PersonStatus.DEAD)
    counts.moved_out = sum(1 for p in town.persons if p.left and p.left[0] == PersonStatus.MOVED_OUT)


def _register_step(town: DemoTown) -> None:
    write_register(town)
    _count_register(town)


# Run in order. A later step is a function (town: DemoTown) -> None: it reads town.on_register(),
# town.households and the period (town.start .. town.end, nothing after town.end), writes its records
# through town.session with town.rng (so the seed still decides everything), and appends its counts
# to town.counts.extras, e.g. "两项补贴112人".
STEPS: list[Step] = [_register_step]
STEPS.append(visits_step)  # 节日慰问: a 春节 campaign a year, 20-29 households visited
STEPS.append(devices_step)  # 辅助器具: stock receipts, 30-39 issues a year, a few returns
STEPS.append(subsidies_step)  # 两项补贴: applications and five years of confirmed payments, 100-109 a year
STEPS.append(relief_step)  # 救助台账: relief, medicine cards, education aid, rehabilitation, 危房改造


def _refuse_non_empty(session: Session) -> None:
    for table in (Person, Household, Village):
        if session.scalar(select(func.count()).select_from(table)):
            raise InputError("数据文件中已有数据，演示乡镇只能生成在空的数据文件里：请用 --db 指定一个新文件。")


def _first_ids(session: Session) -> dict[str, int]:
    ids = {"village": Village.id, "group": VillageGroup.id, "household": Household.id, "person": Person.id}
    return {key: (session.scalar(select(func.max(column))) or 0) + 1 for key, column in ids.items()}


def fill_demo(session: Session, *, year: int | None = None, persons: int = 345, seed: int = 1,
              town_name: str = TOWN) -> DemoCounts:
    """Fill an empty database with a demo town of `persons` on the register at the end of `year` (named
    town_name: another name makes a distinct town of the demo county, with its own 区划代码).
    Refuses (InputError, nothing written) a database that already holds persons or a year in the future."""
    today = dt.date.today()
    year = year or today.year
    if year > today.year:
        raise InputError(f"演示年份{year}年还没到：请选择今年或以前的年份。")
    if persons < 1:
        raise InputError("演示人数至少为1人。")
    _refuse_non_empty(session)
    with without_automatic_gc():
        counts = _fill(session, year, min(dt.date(year, 12, 31), today), persons, seed, town_name)
    _sequences_past_ids(session)
    return counts


def _fill(session: Session, year: int, end: dt.date, persons: int, seed: int, town_name: str) -> DemoCounts:
    town = DemoTown(session=session, rng=random.Random(seed), year=year,
                    end=end, town=town_name, counts=DemoCounts(year))
    build_register(town, persons, _first_ids(session))
    for step in STEPS:
        step(town)
    if not unit_info(session).town:
        save_unit_info(session, demo_unit(town_name))
    session.add(AuditEntry(actor=str(session.info.get("actor", "")), entity="demo", entity_id=0, action="新增",
                           field="", new_value=town.counts.line()))
    session.flush()
    return town.counts


def _sequences_past_ids(session: Session) -> None:
    """The demo gives villages, groups, households and persons their ids itself: on PostgreSQL the next row
    the server numbers must come after them (a clerk's first new village failed on the demo's first id)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    from app.db.schema import Base

    for table in Base.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) == 1 and keys[0].autoincrement is not False and keys[0].type.python_type is int:
            key = keys[0].name
            session.execute(text(f"select setval(pg_get_serial_sequence('{table.name}', '{key}'), "
                                 f"coalesce(max({key}), 1), max({key}) is not null) from {table.name}"))


@job(Changes.ALL)
def load_demo(db: Database, *, year: int | None = None, persons: int = 345, seed: int = 1,
              town_name: str = TOWN, progress: Progress | None = None) -> DemoCounts:
    """载入演示乡镇: fill_demo in one transaction of its own, audited as 演示数据; then SQLite's planner
    learns the register's new size (a register filled at once would otherwise be read by a full scan)."""
    from app.services.register.statistics import keep_register_statistics

    if progress is not None:
        progress(0, 0, "正在生成演示乡镇的登记册和五年的记录……")
    # on SQLite the foreign keys checked once over the whole file before the commit, not row by row
    # (Database.transaction): fill_demo writes only into an empty register, and every row is the program's own
    with db.transaction(DEMO_ACTOR, keys_at_end=True) as session:
        counts = fill_demo(session, year=year, persons=persons, seed=seed, town_name=town_name)
    keep_register_statistics(db)
    return counts


@query
def sample_person(session: Session) -> int | None:
    """A person worth showing (the screenshots): on the register in a 低保 household of several, else the
    first on the register by name; None on an empty register."""
    members = (select(Person.household_id).where(Person.household_id.is_not(None))
               .group_by(Person.household_id).having(func.count() > 1).subquery())
    on_register = Person.status == PersonStatus.ON_REGISTER
    shown = (select(Person.id).join(Household, Household.id == Person.household_id)
             .where(on_register, Household.dibao.is_(True), Person.household_id.in_(select(members)))
             .order_by(Person.pinyin, Person.id).limit(1))
    found = session.scalar(shown)
    if found is None:
        found = session.scalar(select(Person.id).where(on_register).order_by(Person.pinyin, Person.id).limit(1))
    return found
