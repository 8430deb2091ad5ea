"""What the records behind the work-report sentences show beyond the summary's counts, so that a sentence
says who was helped only as far as the records say it (the sentences are app.reports.yearly_text):

- 康复训练: each person trained in the period, with their category and whether they were a child (under 18,
  from the birth date in the ID number) on the day of their first training in the period;
- 精神残疾药物补助: whether every recipient has a 精神 disability (alone or within 多重);
- 节日慰问: the festivals of the campaigns in which something was given, and whether every household given
  something was put on the list as hard up (低保, 特困 or 低收入 in the line's reason);
- 辅助器具: the items issued, by kind;
- for a period of several years, the kinds of record that every one of its years holds, so that "平均每年"
  is said only where each year was recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import DeviceType, Person, ReliefEntry, StockMovement, VisitCampaign, VisitLine
from app.domain import idnumber
from app.domain.dates import age_on
from app.domain.disability import category_label
from app.domain.words import LineOutcome, Movement, ReliefKind
from app.services.summary.figures import Period
from app.services.summary.records import recorded_sources

CHILD_UNDER = 18  # 儿童: under 18 on the day of the record
MENTAL = 6  # 精神 (GB/T 26341 code)
HARD_UP = ("低保", "特困", "低收入")  # a visit line's reason naming one of these: a 困难 household


@dataclass(frozen=True)
class Trained:
    """A person in rehabilitation training in the period."""

    category: str  # 肢体, 多重 …
    child: bool  # under 18 on the day of their first training in the period


@dataclass(frozen=True)
class Records:
    trained: list[Trained] = field(default_factory=list)
    medicine_all_mental: bool = False
    visit_festivals: list[str] = field(default_factory=list)  # in the order first held
    visits_all_hard_up: bool = False
    visit_goods: bool = False  # goods were given on some visited line
    devices: list[tuple[str, int]] = field(default_factory=list)  # (kind, items), most issued first
    every_year: frozenset[str] = frozenset()  # kinds of record (summary_records names) each year holds


def _trained(session: Session, start: dt.date, end: dt.date) -> list[Trained]:
    first = (select(ReliefEntry.person_id, func.min(ReliefEntry.date).label("day"))
             .where(ReliefEntry.kind == ReliefKind.REHABILITATION, ReliefEntry.cancelled.is_(False),
                    ReliefEntry.date.between(start, end), ReliefEntry.person_id.is_not(None))
             .group_by(ReliefEntry.person_id).subquery())
    stmt = (select(Person.id_number, Person.birth_date, Person.category, first.c.day)
            .join(first, first.c.person_id == Person.id).order_by(Person.id))
    out = []
    for id_number, born, category, day in session.execute(stmt):
        age = idnumber.age_on(id_number, day) if len(id_number or "") == 18 else age_on(born, day)
        out.append(Trained(category_label(category), age < CHILD_UNDER))
    return out


def _medicine_all_mental(session: Session, start: dt.date, end: dt.date) -> bool:
    stmt = (select(Person.category, Person.components).join(ReliefEntry, ReliefEntry.person_id == Person.id)
            .where(ReliefEntry.kind == ReliefKind.MEDICINE, ReliefEntry.cancelled.is_(False),
                   ReliefEntry.date.between(start, end)).distinct())
    rows = session.execute(stmt).all()
    return bool(rows) and all(category == MENTAL or str(MENTAL) in (components or "").split(",")
                              for category, components in rows)


def _visits(session: Session, start: dt.date, end: dt.date) -> tuple[list[str], bool, bool]:
    stmt = (select(VisitCampaign.festival, VisitCampaign.date, VisitLine.reason, VisitLine.given_goods)
            .join(VisitCampaign, VisitCampaign.id == VisitLine.campaign_id)
            .where(VisitLine.outcome == LineOutcome.VISITED, VisitLine.included.is_(True),
                   VisitCampaign.date.between(start, end))
            .order_by(VisitCampaign.date))
    rows = session.execute(stmt).all()
    held = list(dict.fromkeys(festival for festival, _, _, _ in rows))
    hard_up = bool(rows) and all(any(word in (reason or "") for word in HARD_UP) for _, _, reason, _ in rows)
    return held, hard_up, any(goods for _, _, _, goods in rows)


def _devices(session: Session, start: dt.date, end: dt.date) -> list[tuple[str, int]]:
    stmt = (select(DeviceType.name, func.sum(StockMovement.quantity))
            .join(DeviceType, DeviceType.id == StockMovement.device_type_id)
            .where(StockMovement.kind == Movement.ISSUED, StockMovement.date.between(start, end))
            .group_by(DeviceType.name))
    return sorted(((name, int(n or 0)) for name, n in session.execute(stmt)), key=lambda kn: (-kn[1], kn[0]))


def gather_records(session: Session, period: Period) -> Records:
    """What the sentences need to know of the period's records (see the module's docstring)."""
    start, end = period.start, period.end
    every: frozenset[str] | None = None
    for year in range(period.since, period.year + 1):
        held = recorded_sources(session, Period(since=year, year=year, until=period.until if year == period.year
                                                 else None))
        every = held if every is None else every & held
    held_festivals, hard_up, goods = _visits(session, start, end)
    return Records(
        trained=_trained(session, start, end),
        medicine_all_mental=_medicine_all_mental(session, start, end),
        visit_festivals=held_festivals,
        visits_all_hard_up=hard_up,
        visit_goods=goods,
        devices=_devices(session, start, end),
        every_year=every or frozenset(),
    )
