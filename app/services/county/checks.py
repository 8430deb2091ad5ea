"""待核实: what only the county sees, across its towns' latest packages. Each case is one line with both
towns' facts; found again on a later import it is not repeated, and the county clerk resolves it with a
note (never deleted). Found after every accepted package, over the whole county:

- 两地在册: the same ID number 在册 in two towns;
- 跨乡镇迁移: 迁出 from one town and registered in another: one person's move, shown as one line;
- 死亡后发放: dead in one town and paid in another for a month after the death;
- 同户两地: a household headed by the same ID number in two towns;
- 发放与统计不符: a town's payments as sent, summed for a year, against the two-subsidies amount of the
  town's own summary in the same package."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.db.models import CountyCheck, CountyHousehold, CountyPackage, CountyPayment, CountyPerson, CountyTown, now
from app.domain.idnumber import mask
from app.domain.money import fen as to_fen
from app.domain.money import yuan_plain
from app.domain.words import PersonStatus
from app.errors import InputError
from app.services.actions import Changes, action, query


class CheckKind(StrEnum):
    TWO_REGISTERS = "两地在册"
    MOVE = "跨乡镇迁移"
    PAID_AFTER_DEATH = "死亡后发放"
    TWO_HOUSEHOLDS = "同户两地"
    ROSTER_TOTAL = "发放与统计不符"


@dataclass(frozen=True)
class _Entry:
    town: str
    town_id: int
    source_id: int
    name: str
    status: str
    since: dt.date | None

    def fact(self) -> str:
        since = f"（{self.since.isoformat()}）" if self.since else ""
        return f"{self.town}：{self.name} {self.status}{since}"


def _persons_in_two_towns(session: Session) -> dict[str, list[_Entry]]:
    shared = (select(CountyPerson.id_number).group_by(CountyPerson.id_number)
              .having(func.count(func.distinct(CountyPerson.town_id)) > 1))
    stmt = (select(CountyPerson.id_number, CountyTown.name, CountyPerson.town_id, CountyPerson.source_id,
                   CountyPerson.name, CountyPerson.status, CountyPerson.status_date)
            .join(CountyTown, CountyTown.id == CountyPerson.town_id)
            .where(CountyPerson.id_number.in_(shared)).order_by(CountyPerson.id_number, CountyTown.code))
    found: dict[str, list[_Entry]] = defaultdict(list)
    for id_number, town, town_id, source, name, status, since in session.execute(stmt):
        found[id_number].append(_Entry(town, town_id, source, name, status, since))
    return found


def _paid_after(session: Session, entry: _Entry, death: dt.date) -> tuple[int, int, dt.date | None]:
    """Payments to entry's person for months after the month of the death: (count, fen, first month)."""
    after = dt.date(death.year + death.month // 12, death.month % 12 + 1, 1)
    stmt = select(func.count(), func.coalesce(func.sum(CountyPayment.amount_fen), 0),
                  func.min(CountyPayment.month)).where(
        CountyPayment.town_id == entry.town_id, CountyPayment.person_source_id == entry.source_id,
        CountyPayment.month >= after)
    count, fen, first = session.execute(stmt).one()
    return int(count), int(fen), first


def _person_cases(session: Session, heads: dict[str, list[str]]) -> list[tuple[CheckKind, str, str]]:
    """The cases of persons in two towns; a household headed by such a person in both towns is said on
    the person's line (one line for one person), and is its own 同户两地 line otherwise."""
    cases: list[tuple[CheckKind, str, str]] = []
    for id_number, entries in _persons_in_two_towns(session).items():
        facts = "；".join(e.fact() for e in entries) + f"（身份证号 {mask(id_number)}）"
        if id_number in heads:
            facts += "，两地都登记为户主"
        on = [e for e in entries if e.status == PersonStatus.ON_REGISTER]
        gone = [e for e in entries if e.status == PersonStatus.MOVED_OUT]
        if len({e.town_id for e in on}) > 1:
            cases.append((CheckKind.TWO_REGISTERS, id_number, facts))
            heads.pop(id_number, None)
        elif on and gone:
            cases.append((CheckKind.MOVE, id_number, f"一次迁移：{facts}"))
            heads.pop(id_number, None)
        for dead in (e for e in entries if e.status == PersonStatus.DEAD and e.since):
            assert dead.since is not None
            for other in (e for e in entries if e.town_id != dead.town_id):
                count, fen, first = _paid_after(session, other, dead.since)
                if count:
                    cases.append((CheckKind.PAID_AFTER_DEATH, f"{id_number}@{other.town}",
                                  f"{dead.fact()}；{other.town}：{other.name} 自{first:%Y-%m}起仍发放{count}笔"
                                  f"{yuan_plain(fen)}元（身份证号 {mask(id_number)}）"))
    return cases


def _households_in_two_towns(session: Session) -> dict[str, list[str]]:
    """Head's ID number -> where the household is, in each town that has it."""
    shared = (select(CountyHousehold.head_id_number).where(CountyHousehold.head_id_number != "")
              .group_by(CountyHousehold.head_id_number)
              .having(func.count(func.distinct(CountyHousehold.town_id)) > 1))
    stmt = (select(CountyHousehold.head_id_number, CountyTown.name, CountyHousehold.village, CountyHousehold.address)
            .join(CountyTown, CountyTown.id == CountyHousehold.town_id)
            .where(CountyHousehold.head_id_number.in_(shared))
            .order_by(CountyHousehold.head_id_number, CountyTown.code))
    found: dict[str, list[str]] = defaultdict(list)
    for head, town, village, address in session.execute(stmt):
        found[head].append(f"{town}：{address or village}")
    return found


def _roster_cases(session: Session, town_id: int | None) -> list[tuple[CheckKind, str, str]]:
    """The town's payments as sent, summed by year, against its own summaries (one town: the one whose
    package came in; the others' packages and payments did not change)."""
    latest = select(CountyPackage, CountyTown).join(CountyTown, and_(
        CountyTown.id == CountyPackage.town_id, CountyTown.last_sequence == CountyPackage.sequence))
    if town_id is not None:
        latest = latest.where(CountyTown.id == town_id)
    cases: list[tuple[CheckKind, str, str]] = []
    for package, town in session.execute(latest):
        by_month = session.execute(select(CountyPayment.month, func.sum(CountyPayment.amount_fen))
                                   .where(CountyPayment.town_id == town.id).group_by(CountyPayment.month)).all()
        for year, figures in json.loads(package.summaries).items():
            start, end = dt.date(int(year), 1, 1), min(dt.date(int(year), 12, 31), package.as_of)
            sent = sum(int(fen) for month, fen in by_month if start <= month <= end)
            stated = to_fen(str(figures["two_subsidies_amount"]))
            if sent != stated:
                cases.append((CheckKind.ROSTER_TOTAL, f"{town.code}@{year}",
                              f"{town.name}{year}年：发放花名册合计{yuan_plain(sent)}元，乡镇自己的年度统计为"
                              f"{yuan_plain(stated)}元（第{package.sequence}号上报包）"))
    return cases


def find_checks(session: Session, town_id: int | None = None) -> int:
    """Look over the county (the roster totals of town_id only, when given: the town whose package came
    in) and add each case not yet listed; returns how many were added."""
    listed = {(kind, subject) for kind, subject in session.execute(select(CountyCheck.kind, CountyCheck.subject))}
    added = 0
    heads = _households_in_two_towns(session)
    cases = _person_cases(session, heads)
    cases += [(CheckKind.TWO_HOUSEHOLDS, head, "；".join(places) + f"（户主身份证号 {mask(head)}）")
              for head, places in heads.items()]
    for kind, subject, facts in [*cases, *_roster_cases(session, town_id)]:
        if (kind, subject) not in listed:
            session.add(CountyCheck(kind=kind, subject=subject, facts=facts))
            listed.add((kind, subject))
            added += 1
    session.flush()
    return added


def open_checks(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(CountyCheck).where(CountyCheck.resolved_at.is_(None))) or 0


@dataclass(frozen=True)
class CheckLine:
    """One 待核实 line as the 县级汇总 tab shows it."""

    id: int
    kind: str
    facts: str
    found_at: dt.datetime
    resolved_at: dt.datetime | None
    note: str


@query
def check_lines(session: Session, *, include_resolved: bool = False) -> list[CheckLine]:
    stmt = select(CountyCheck).order_by(CountyCheck.resolved_at.is_not(None), CountyCheck.id)
    if not include_resolved:
        stmt = stmt.where(CountyCheck.resolved_at.is_(None))
    return [CheckLine(c.id, c.kind, c.facts, c.found_at, c.resolved_at, c.note) for c in session.scalars(stmt)]


@action(Changes.COUNTY)
def resolve_check(session: Session, check_id: int, note: str) -> CheckLine:
    """核实完毕: the county clerk's note on what was found; the line stays, marked resolved."""
    note = note.strip()
    if not note:
        raise InputError("请写明核实的结果（例如：已电话核实，系同一人迁入银河乡），再标为已核实。", field="note")
    check = session.get(CountyCheck, check_id)
    if check is None:
        raise InputError("找不到这条待核实记录：请刷新后重试。")
    check.note, check.resolved_at = note, now()
    session.flush()
    return CheckLine(check.id, check.kind, check.facts, check.found_at, check.resolved_at, check.note)
